//! Shared chart pieces: the interval (forest) chart view and "Download SVG" for any figure.

use crate::core::chart::IntervalChart;
use crate::ui::browser::download;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Downloads the SVG of the figure that holds the clicked button.
pub fn download_svg(e: MouseEvent) {
    let svg = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("figure").ok().flatten())
        .and_then(|fig| fig.query_selector("svg").ok().flatten())
        .map(|svg| svg.outer_html());
    if let Some(svg) = svg {
        let styled = svg.replacen("<svg", "<svg font-family=\"sans-serif\"", 1);
        let _ = download("lantern-chart.svg", "image/svg+xml", &styled);
    }
}

/// The "Download SVG" button placed in a figure caption.
pub fn svg_button() -> Html {
    html! { <button type="button" class="secondary small no-print" onclick={Callback::from(download_svg)}>{"Download SVG"}</button> }
}

#[derive(Properties, PartialEq)]
pub struct IntervalProps {
    pub chart: IntervalChart,
    pub caption: String,
}

#[function_component(IntervalView)]
pub fn interval_view(p: &IntervalProps) -> Html {
    let c = &p.chart;
    let (l, t, r, b) = c.plot;
    html! {
        <figure class="chart">
            <svg xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {} {}", c.width, c.height)} role="img" aria-label={c.description.clone()}>
                { for c.x_ticks.iter().map(|(x, s)| html! { <g class="tick"><line x1={x.to_string()} x2={x.to_string()} y1={t.to_string()} y2={b.to_string()} /><text x={x.to_string()} y={(b + 16.0).to_string()} text-anchor="middle">{s}</text></g> }) }
                if let Some(zx) = c.zero_x { <line class="zero" x1={zx.to_string()} x2={zx.to_string()} y1={t.to_string()} y2={b.to_string()} /> }
                { for c.rows.iter().map(|row| html! {
                    <g class="irow">
                        <text x={(l - 8.0).to_string()} y={(row.y + 4.0).to_string()} text-anchor="end">{&row.label}</text>
                        if let (Some(lo), Some(hi)) = (row.lo, row.hi) {
                            <line class="ci" x1={format!("{lo:.1}")} x2={format!("{hi:.1}")} y1={row.y.to_string()} y2={row.y.to_string()} />
                        }
                        if let Some(x) = row.x { <circle class="est" cx={format!("{x:.1}")} cy={row.y.to_string()} r="5"><title>{&row.text}</title></circle> }
                    </g>
                }) }
                <text class="xlabel" x={((l + r) / 2.0).to_string()} y={(c.height - 4.0).to_string()} text-anchor="middle">{&c.x_label}</text>
            </svg>
            <figcaption>{&p.caption}{" "}{svg_button()}</figcaption>
        </figure>
    }
}
