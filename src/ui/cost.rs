//! The Cost section: upload a cost table, set the bootstrap, watch progress (with Cancel),
//! and read cost per outcome, the ICER with its interval, the CE plane, the acceptability
//! curve and the one-way sensitivity table.

use crate::core::chart::{xy_chart, XyChart};
use crate::core::cost::CostResult;
use crate::core::explain::num;
use crate::ui::app::AppContext;
use crate::ui::state::Action;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn money(v: Option<f64>, cur: &str) -> String {
    match v {
        Some(x) => format!("{cur}{}{x:.2}", if cur.is_empty() || cur.len() == 1 { "" } else { " " }),
        None => "not computable".into(),
    }
}

#[derive(Properties, PartialEq)]
pub struct XyProps {
    pub chart: XyChart,
    pub caption: String,
}

/// Draws an [`XyChart`] (scatter or line) as SVG.
#[function_component(XyView)]
pub fn xy_view(p: &XyProps) -> Html {
    let c = &p.chart;
    let (l, t, r, b) = c.plot;
    let line: String = c.line.iter().enumerate().map(|(i, (x, y))| format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { " L" })).collect();
    html! {
        <figure class="chart">
            <svg xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {} {}", c.width, c.height)} role="img" aria-label={c.description.clone()}>
                { for c.y_ticks.iter().map(|(y, s)| html! { <g class="tick"><line x1={l.to_string()} x2={r.to_string()} y1={y.to_string()} y2={y.to_string()} /><text x={(l - 6.0).to_string()} y={(y + 4.0).to_string()} text-anchor="end">{s}</text></g> }) }
                { for c.x_ticks.iter().map(|(x, s)| html! { <text class="xlabel" x={x.to_string()} y={(b + 16.0).to_string()} text-anchor="middle">{s}</text> }) }
                if let Some(zx) = c.zero_x { <line class="zero" x1={zx.to_string()} x2={zx.to_string()} y1={t.to_string()} y2={b.to_string()} /> }
                if let Some(zy) = c.zero_y { <line class="zero" x1={l.to_string()} x2={r.to_string()} y1={zy.to_string()} y2={zy.to_string()} /> }
                <line class="axis" x1={l.to_string()} x2={r.to_string()} y1={b.to_string()} y2={b.to_string()} />
                <line class="axis" x1={l.to_string()} x2={l.to_string()} y1={t.to_string()} y2={b.to_string()} />
                { for c.points.iter().map(|(x, y)| html! { <circle class="rep" cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="2" /> }) }
                if !line.is_empty() { <path class="curve" d={line} /> }
                if let Some((x, y)) = c.mark { <circle class="mark" cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="6"><title>{"Point estimate"}</title></circle> }
                <text class="xlabel" x={((l + r) / 2.0).to_string()} y={(c.height - 4.0).to_string()} text-anchor="middle">{&c.x_label}</text>
                <text class="xlabel" transform={format!("translate(14 {}) rotate(-90)", (t + b) / 2.0)} text-anchor="middle">{&c.y_label}</text>
            </svg>
            <figcaption>{&p.caption}{" "}{crate::ui::charts::svg_button()}</figcaption>
        </figure>
    }
}

#[function_component(CostPage)]
pub fn cost_page() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let on_cancel = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.dispatch(Action::Cancel))
    };
    let on_b = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let v = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).and_then(|i| i.value().trim().parse::<u64>().ok());
            ctx.dispatch(Action::SetBootstrapB(v.unwrap_or(0)));
        })
    };
    let b_now = ctx.recipe.cost_inputs.as_ref().and_then(|c| c.get("bootstrap_B")).and_then(|v| v.as_u64()).unwrap_or(10_000);
    let cost = ctx.analysis.as_ref().and_then(|a| a.results.cost.clone());
    html! {
        <section class="page" aria-labelledby="cost-title">
            <h2 id="cost-title">{"What did each outcome cost?"}</h2>
            <div class="card">
                <p>{"Load the program's cost table with "}<strong>{"Cost table…"}</strong>{" above: a CSV with the columns "}<code>{"category, arm, amount"}</code>{" (arm = intervention, control or shared). Typical categories: stipends, training, supervision, materials, evaluation, venue, travel."}</p>
                <div class="toolbar">
                    <label class="inline">{"Bootstrap resamples "}
                        <input type="number" min="0" max="200000" step="1000" value={b_now.to_string()} onchange={on_b} />
                    </label>
                </div>
                if let Some(c) = &ctx.costs {
                    <p>{format!("“{}”: {} cost lines. ", c.file, c.items)}{c.notes.join(" ")}</p>
                    if !c.diagnostics.is_empty() {
                        <div role="status" class="banner warning"><ul>{ for c.diagnostics.iter().take(20).map(|d| html! { <li>{&d.message}</li> }) }</ul></div>
                    }
                }
                if let Some((f, what)) = &ctx.progress {
                    <div class="progress">
                        <label>{format!("{what}: {:.0}%", f * 100.0)}<progress max="1" value={f.to_string()}></progress></label>
                        <button type="button" class="secondary" onclick={on_cancel}>{"Cancel"}</button>
                    </div>
                }
            </div>
            if let Some(c) = cost { <CostResults cost={c} /> } else if ctx.costs.is_none() {
                <p class="empty">{"No cost table loaded yet. The data file's arms, completers, reliable change and help seeking are used with it."}</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CostProps {
    cost: CostResult,
}

#[function_component(CostResults)]
fn cost_results(p: &CostProps) -> Html {
    let c = &p.cost;
    let cur = c.currency.as_str();
    let row = |label: &str, help: &str, value: String| html! { <tr><th scope="row"><abbr title={help.to_string()}>{label}</abbr></th><td>{value}</td></tr> };
    let plane = xy_chart(
        &c.ce_plane.replicates.iter().map(|p| (p.delta_effect * 100.0, p.delta_cost)).collect::<Vec<_>>(),
        c.ce_plane.point.map(|p| (p.delta_effect * 100.0, p.delta_cost)),
        false,
        "Extra help-seekers per 100 participants (intervention − control)",
        "Extra cost per participant",
        format!("Cost-effectiveness plane with {} bootstrap replicates and the point estimate.", c.ce_plane.replicates.len()),
    );
    let ceac = (!c.ceac.is_empty()).then(|| {
        xy_chart(
            &c.ceac.iter().map(|p| (p.wtp, p.probability)).collect::<Vec<_>>(),
            None,
            true,
            "Willingness to pay per additional help-seeker",
            "Probability cost-effective",
            "Cost-effectiveness acceptability curve.".into(),
        )
    }).flatten();
    html! {
        <>
        <section class="card" aria-labelledby="cost-res-title">
            <h3 id="cost-res-title">{"Cost per outcome"}</h3>
            <p class="reading lead">{&c.summary}</p>
            if !c.summary.contains(&c.classification_sentence) {
                <p class="reading">{&c.classification_sentence}</p>
            }
            <table class="stats"><tbody>
                {row("Total cost (intervention / control)", "Sum of the cost table per arm, shared costs split by enrolment.", format!("{} / {}", money(Some(c.total_intervention), cur), money(c.total_control, cur)))}
                {row("Per participant enrolled", "Intervention cost ÷ everyone enrolled in the intervention arm.", money(c.cost_per_enrolled, cur))}
                {row("Per completer", "Intervention cost ÷ people with a post score.", money(c.cost_per_completer, cur))}
                {row("Per reliably improved participant", "Intervention cost ÷ people whose improvement exceeds measurement error.", money(c.cost_per_reliably_improved, cur))}
                {row("Help seeking (intervention / control)", "Share who sought help after the program.", format!("{} / {}", num(c.p_help_intervention, 3), num(c.p_help_control, 3)))}
                {row("Incremental cost per additional help-seeker (ICER)", "Extra cost per participant ÷ extra share seeking help. Shown as meaningful only when the effect is clearly positive.", money(c.incremental_cost_per_additional_help_seeker, cur))}
                {row(&format!("{:.0}% bootstrap interval", c.ci_level * 100.0), "Percentile interval from resampling participants within each arm.", format!("{} to {}", money(c.boot_ci_low, cur), money(c.boot_ci_high, cur)))}
                {row("Bootstrap", "Resamples done / asked, and the seed (rerun with the same seed for the same interval).", format!("{} / {} resamples, seed {}{}", c.bootstrap_replicates_done, c.bootstrap_replicates, c.bootstrap_seed, if c.bootstrap_cancelled { " (cancelled)" } else { "" }))}
            </tbody></table>
        </section>
        if let Some(chart) = plane {
            <XyView {chart} caption={"Each dot is one bootstrap resample; the large dot is the estimate. Right of the vertical line: more help seeking; above the horizontal line: more cost.".to_string()} />
        }
        if let Some(chart) = ceac {
            <XyView {chart} caption={"How likely the program is cost-effective if an additional help-seeker is worth the amount on the horizontal axis.".to_string()} />
        }
        if !c.sensitivity.is_empty() {
            <section class="card" aria-labelledby="sens-title">
                <h3 id="sens-title">{"Sensitivity: what if a cost were 20% lower or higher?"}</h3>
                <table class="stats wide">
                    <thead><tr><th>{"Input"}</th><th>{"Low → high"}</th><th>{"ICER at low / high"}</th><th>{"Cost per enrolled at low / high"}</th></tr></thead>
                    <tbody>{ for c.sensitivity.iter().map(|s| html! {
                        <tr><td>{&s.label}</td><td>{format!("{:.2} → {:.2}", s.low_input, s.high_input)}</td>
                        <td>{format!("{} / {}", money(s.icer_at_low, cur), money(s.icer_at_high, cur))}</td>
                        <td>{format!("{} / {}", money(s.cost_per_enrolled_at_low, cur), money(s.cost_per_enrolled_at_high, cur))}</td></tr>
                    }) }</tbody>
                </table>
            </section>
        }
        </>
    }
}
