//! Shared chart pieces: the interval (forest) chart view and "Download SVG" for any figure.

use crate::core::present::chart::{IntervalChart, TornadoChart};
use crate::ui::browser::download;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The SVG's markup with the page's computed colours, strokes and font sizes written onto
/// each element, so the downloaded file looks as on screen without the style sheet.
fn standalone_svg(svg: &web_sys::Element) -> String {
    const PROPS: &[&str] =
        &["fill", "stroke", "stroke-width", "stroke-dasharray", "font-size", "font-weight", "opacity"];
    let Some(window) = web_sys::window() else { return svg.outer_html() };
    let Ok(copy) = svg.clone_node_with_deep(true) else { return svg.outer_html() };
    let Ok(copy) = copy.dyn_into::<web_sys::Element>() else { return svg.outer_html() };
    let (Ok(src), Ok(dst)) = (svg.query_selector_all("*"), copy.query_selector_all("*")) else {
        return svg.outer_html();
    };
    for i in 0..src.length().min(dst.length()) {
        let (Some(a), Some(b)) = (src.item(i), dst.item(i)) else { continue };
        let (Ok(a), Ok(b)) = (a.dyn_into::<web_sys::Element>(), b.dyn_into::<web_sys::Element>()) else { continue };
        if let Ok(Some(style)) = window.get_computed_style(&a) {
            for p in PROPS {
                if let Ok(v) = style.get_property_value(p) {
                    if (!v.is_empty() && v != "none") || (*p == "fill" && v == "none") {
                        let _ = b.set_attribute(p, &v);
                    }
                }
            }
        }
        let _ = b.remove_attribute("class");
    }
    copy.outer_html()
}

/// The class that keeps a chart at its own width on a phone (`w520` … `w800`, in steps of 20,
/// rounded up; see `styles/main.css`): its text then stays at its set size. A class, not an
/// inline style, because the page's CSP allows no inline styles.
pub fn width_class(width: f64) -> String {
    let w = if width.is_finite() { (width / 20.0).ceil() * 20.0 } else { 520.0 };
    format!("w{}", w.clamp(520.0, 800.0) as u32)
}

/// Downloads the SVG of the figure that holds the clicked button.
pub fn download_svg(e: MouseEvent) {
    let svg = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("figure").ok().flatten())
        .and_then(|fig| fig.query_selector("svg").ok().flatten())
        .map(|svg| standalone_svg(&svg));
    if let Some(svg) = svg {
        let styled = svg.replacen("<svg", "<svg font-family=\"sans-serif\"", 1);
        let _ = download("lantern-chart.svg", "image/svg+xml", &styled);
    }
}

/// Draws the figure's SVG on a canvas (twice the size) and downloads it as PNG. Everything
/// stays in the page: a local blob URL is drawn, and the canvas is read back.
pub fn download_png(e: MouseEvent) {
    let Some(svg) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("figure").ok().flatten())
        .and_then(|fig| fig.query_selector("svg").ok().flatten())
    else {
        return;
    };
    let (w, h) = svg
        .get_attribute("viewBox")
        .map(|vb| vb.split_whitespace().filter_map(|x| x.parse::<f64>().ok()).collect::<Vec<_>>())
        .and_then(|v| Some((*v.get(2)?, *v.get(3)?)))
        .unwrap_or((520.0, 300.0));
    let text = standalone_svg(&svg).replacen(
        "<svg",
        &format!("<svg width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\""),
        1,
    );
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("image/svg+xml");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let Ok(img) = web_sys::HtmlImageElement::new() else { return };
    let img2 = img.clone();
    let url2 = url.clone();
    let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url2);
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        let Some(canvas) =
            doc.create_element("canvas").ok().and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            return;
        };
        canvas.set_width((w * 2.0) as u32);
        canvas.set_height((h * 2.0) as u32);
        let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        ctx.set_fill_style_str("#ffffff");
        ctx.fill_rect(0.0, 0.0, w * 2.0, h * 2.0);
        let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(&img2, 0.0, 0.0, w * 2.0, h * 2.0);
        if let Ok(data_url) = canvas.to_data_url_with_type("image/png") {
            if let Some(a) = doc.create_element("a").ok().and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
            {
                a.set_href(&data_url);
                a.set_download("lantern-chart.png");
                a.click();
            }
        }
    });
    img.set_onload(Some(onload.unchecked_ref()));
    img.set_src(&url);
}

/// The "Download SVG" and "Download PNG" buttons placed in a figure caption; `what` (the
/// caption) makes each button's accessible name tell the charts apart.
pub fn svg_button(what: &str) -> Html {
    let short: String = what.chars().take(70).collect();
    let name = |kind: &str| {
        if short.is_empty() {
            format!("Download {kind}")
        } else {
            format!("Download {kind} of the chart: {short}")
        }
    };
    html! {
        <>
            <button type="button" class="secondary small no-print" aria-label={name("SVG")} onclick={Callback::from(download_svg)}>{"Download SVG"}</button>
            <button type="button" class="secondary small no-print" aria-label={name("PNG")} onclick={Callback::from(download_png)}>{"Download PNG"}</button>
        </>
    }
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
        <crate::ui::wide::ChartFigure>
            <svg xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {} {}", c.width, c.height)} class={crate::ui::charts::width_class(c.width)} role="img" aria-label={c.description.clone()}>
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
            <figcaption>{&p.caption}{" "}{svg_button(&p.caption)}</figcaption>
        </crate::ui::wide::ChartFigure>
    }
}

#[derive(Properties, PartialEq)]
pub struct TornadoProps {
    pub chart: TornadoChart,
    pub caption: String,
    /// Legend names of the two bar colours (input low, input high).
    pub low_name: String,
    pub high_name: String,
}

/// Draws a one-way sensitivity tornado.
#[function_component(TornadoView)]
pub fn tornado_view(p: &TornadoProps) -> Html {
    let c = &p.chart;
    let (l, t, r, b) = c.plot;
    let bar = |x: Option<f64>, y: f64, class: &'static str, title: &str| match x {
        Some(x) => {
            let (x0, x1) = if x < c.base_x { (x, c.base_x) } else { (c.base_x, x) };
            html! { <rect class={class} x={format!("{x0:.1}")} y={format!("{:.1}", y - c.bar_h / 2.0)} width={format!("{:.1}", (x1 - x0).max(1.0))} height={format!("{:.1}", c.bar_h)}><title>{title.to_string()}</title></rect> }
        }
        None => html! {},
    };
    html! {
        <crate::ui::wide::ChartFigure>
            <svg xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {} {}", c.width, c.height)} class={crate::ui::charts::width_class(c.width)} role="img" aria-label={c.description.clone()}>
                { for c.x_ticks.iter().map(|(x, s)| html! { <g class="tick"><line x1={x.to_string()} x2={x.to_string()} y1={t.to_string()} y2={b.to_string()} /><text x={x.to_string()} y={(b + 16.0).to_string()} text-anchor="middle">{s}</text></g> }) }
                { for c.bars.iter().map(|row| html! {
                    <g class="trow">
                        <text class="tlabel" x={(l - 8.0).to_string()} y={(row.y + 4.0).to_string()} text-anchor="end">{&row.label}</text>
                        {bar(row.low_x, row.y, "tlow", &row.text)}
                        {bar(row.high_x, row.y, "thigh", &row.text)}
                    </g>
                }) }
                <line class="tbase" x1={format!("{:.1}", c.base_x)} x2={format!("{:.1}", c.base_x)} y1={t.to_string()} y2={b.to_string()} />
                <text class="xlabel" x={((l + r) / 2.0).to_string()} y={(c.height - 4.0).to_string()} text-anchor="middle">{&c.x_label}</text>
            </svg>
            <ul class="legend">
                <li><svg class="swatch" viewBox="0 0 28 10" aria-hidden="true"><rect class="tlow" x="1" y="1" width="26" height="8" /></svg>{&p.low_name}</li>
                <li><svg class="swatch" viewBox="0 0 28 10" aria-hidden="true"><rect class="thigh" x="1" y="1" width="26" height="8" /></svg>{&p.high_name}</li>
            </ul>
            <figcaption>{&p.caption}{" "}{svg_button(&p.caption)}</figcaption>
        </crate::ui::wide::ChartFigure>
    }
}
