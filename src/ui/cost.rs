//! The Cost section: upload a cost table, set the bootstrap, watch progress (with Cancel),
//! and read cost per outcome, the ICER with its interval, the CE plane, the acceptability
//! curve and the one-way sensitivity table.

use crate::core::analyses::cost::table::typed_table_csv;
use crate::core::analyses::cost::{CostArm, CostBasis, CostItem, CostResult, CostValue, SUGGESTED_CATEGORIES};
use crate::core::present::chart::{tornado_chart, xy_chart, XyChart};
use crate::core::present::explain::num;
use crate::ui::app::AppContext;
use crate::ui::browser::text_blob;
use crate::ui::charts::TornadoView;
use crate::ui::field::Field;
use crate::ui::state::Action;
use wasm_bindgen::JsCast;
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

/// Draws an [`XyChart`] (scatter, line, or named lines over bands) as SVG, with a legend
/// for named lines (a line with an empty label is drawn but not listed).
#[function_component(XyView)]
pub fn xy_view(p: &XyProps) -> Html {
    let c = &p.chart;
    let (l, t, r, b) = c.plot;
    let path = |pts: &[(f64, f64)]| -> String {
        pts.iter().enumerate().map(|(i, (x, y))| format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { " L" })).collect()
    };
    let line = path(&c.line);
    html! {
        <crate::ui::wide::ChartFigure>
            <svg xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {} {}", c.width, c.height)} class={crate::ui::charts::width_class(c.width)} role="img" aria-label={c.description.clone()}>
                { for c.bands.iter().map(|band| html! {
                    <g class={classes!("band", band.style.clone())}>
                        <rect x={l.to_string()} y={format!("{:.1}", band.top)} width={format!("{:.1}", r - l)} height={format!("{:.1}", (band.bottom - band.top).max(0.0))} />
                        if band.bottom - band.top >= 13.0 {
                            <text x={format!("{:.1}", r - 4.0)} y={format!("{:.1}", band.top + 12.0)} text-anchor="end">{&band.label}</text>
                        }
                    </g>
                }) }
                { for c.y_ticks.iter().map(|(y, s)| html! { <g class="tick"><line x1={l.to_string()} x2={r.to_string()} y1={y.to_string()} y2={y.to_string()} /><text x={(l - 6.0).to_string()} y={(y + 4.0).to_string()} text-anchor="end">{s}</text></g> }) }
                { for c.x_ticks.iter().map(|(x, s)| html! { <text class="xlabel" x={x.to_string()} y={(b + 16.0).to_string()} text-anchor="middle">{s}</text> }) }
                if let Some(zx) = c.zero_x { <line class="zero" x1={zx.to_string()} x2={zx.to_string()} y1={t.to_string()} y2={b.to_string()} /> }
                if let Some(zy) = c.zero_y { <line class="zero" x1={l.to_string()} x2={r.to_string()} y1={zy.to_string()} y2={zy.to_string()} /> }
                <line class="axis" x1={l.to_string()} x2={r.to_string()} y1={b.to_string()} y2={b.to_string()} />
                <line class="axis" x1={l.to_string()} x2={l.to_string()} y1={t.to_string()} y2={b.to_string()} />
                if let Some((vx, label)) = &c.vline {
                    <g class="vline">
                        <line x1={format!("{vx:.1}")} x2={format!("{vx:.1}")} y1={t.to_string()} y2={b.to_string()} />
                        <text x={format!("{:.1}", vx + 4.0)} y={(t + 12.0).to_string()}>{label}</text>
                    </g>
                }
                { for c.points.iter().map(|(x, y)| html! { <circle class="rep" cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="2.5" /> }) }
                if !line.is_empty() { <path class="curve" d={line} /> }
                { for c.series.iter().map(|s| html! {
                    <path class={classes!("sline", s.style.clone(), s.dashed.then_some("dashed"), s.bold.then_some("bold"))} d={path(&s.line)}><title>{&s.label}</title></path>
                }) }
                if let Some((x, y)) = c.mark { <circle class="mark" cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="6"><title>{"Point estimate"}</title></circle> }
                <text class="xlabel" x={((l + r) / 2.0).to_string()} y={(c.height - 4.0).to_string()} text-anchor="middle">{&c.x_label}</text>
                <text class="xlabel" transform={format!("translate(14 {}) rotate(-90)", (t + b) / 2.0)} text-anchor="middle">{&c.y_label}</text>
            </svg>
            if !c.series.is_empty() {
                <ul class="legend">
                    { for c.series.iter().filter(|s| !s.label.is_empty()).map(|s| html! {
                        <li><svg class="swatch" viewBox="0 0 28 10" aria-hidden="true"><line class={classes!("sline", s.style.clone(), s.dashed.then_some("dashed"), s.bold.then_some("bold"))} x1="1" x2="27" y1="5" y2="5" /></svg>{&s.label}</li>
                    }) }
                </ul>
            }
            <figcaption>{&p.caption}{" "}{crate::ui::charts::svg_button(&p.caption)}</figcaption>
        </crate::ui::wide::ChartFigure>
    }
}

/// One row of the typed cost table (text as typed, read when the table is used).
#[derive(Debug, Clone, PartialEq)]
struct Row {
    category: String,
    arm: String,
    basis: String,
    kind: String,
    a: String,
    b: String,
}

impl Row {
    fn new(category: &str) -> Row {
        Row {
            category: category.into(),
            arm: "intervention".into(),
            basis: "fixed".into(),
            kind: "amount".into(),
            a: String::new(),
            b: String::new(),
        }
    }

    fn item(&self) -> Option<CostItem> {
        let num = |s: &str| s.trim().replace(',', "").parse::<f64>().ok().filter(|v| v.is_finite());
        let value = match self.kind.as_str() {
            "quantity" => CostValue::Quantity { quantity: num(&self.a)?, unit_price: num(&self.b)? },
            "hours" => CostValue::VolunteerHours { hours: num(&self.a)? },
            _ => CostValue::Amount { amount: num(&self.a)? },
        };
        let arm = match self.arm.as_str() {
            "control" => CostArm::Control,
            "shared" => CostArm::Shared,
            _ => CostArm::Intervention,
        };
        let basis = if self.basis == "per_participant" { CostBasis::PerParticipant } else { CostBasis::Fixed };
        Some(CostItem { category: self.category.trim().to_string(), arm, basis, value, note: None })
    }
}

/// The rows being typed, changed only through [`RowEdit`] so that quick successive edits all
/// apply to the newest rows (a closure's copy of the state may be one render old).
#[derive(Debug, Clone, PartialEq)]
struct Rows(Vec<Row>);

enum RowEdit {
    Set(usize, &'static str, String),
    Add,
}

impl Reducible for Rows {
    type Action = RowEdit;

    fn reduce(self: std::rc::Rc<Self>, action: RowEdit) -> std::rc::Rc<Self> {
        let mut rows = self.0.clone();
        match action {
            RowEdit::Set(i, field, v) => {
                if let Some(row) = rows.get_mut(i) {
                    match field {
                        "category" => row.category = v,
                        "arm" => row.arm = v,
                        "basis" => row.basis = v,
                        "kind" => row.kind = v,
                        "a" => row.a = v,
                        _ => row.b = v,
                    }
                }
            }
            RowEdit::Add => {
                let next = SUGGESTED_CATEGORIES.get(rows.len()).copied().unwrap_or("other");
                rows.push(Row::new(next));
            }
        }
        std::rc::Rc::new(Rows(rows))
    }
}

/// The editable ingredient table: rows of category, arm, basis and value (an amount,
/// quantity × unit price, or volunteer hours × an hourly value). "Use this table" sends it to
/// the engine like an uploaded cost file.
#[function_component(CostEditor)]
fn cost_editor() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let rows = use_reducer(|| Rows(SUGGESTED_CATEGORIES.iter().take(3).map(|c| Row::new(c)).collect()));
    let hourly = use_state(String::new);
    let currency = use_state(String::new);
    let cell = |i: usize,
                field: &'static str,
                value: String,
                options: Option<&'static [(&'static str, &'static str)]>| {
        let rows = rows.clone();
        let label = format!("{field} of row {}", i + 1);
        match options {
            Some(opts) => {
                let onchange = Callback::from(move |e: Event| {
                    let v = e
                        .target()
                        .and_then(|t| t.dyn_ref::<web_sys::HtmlSelectElement>().map(|s| s.value()))
                        .unwrap_or_default();
                    rows.dispatch(RowEdit::Set(i, field, v));
                });
                html! { <select aria-label={label} {onchange}>{ for opts.iter().map(|(v, l)| html! { <option value={*v} selected={value == *v}>{*l}</option> }) }</select> }
            }
            None => {
                let onchange = Callback::from(move |v: String| rows.dispatch(RowEdit::Set(i, field, v)));
                html! { <Field aria_label={label} {value} {onchange} /> }
            }
        }
    };
    let on_add = {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| rows.dispatch(RowEdit::Add))
    };
    let on_use = {
        let ctx = ctx.clone();
        let rows = rows.clone();
        let hourly = hourly.clone();
        let currency = currency.clone();
        Callback::from(move |_: MouseEvent| {
            let items: Vec<CostItem> = rows.0.iter().filter_map(Row::item).collect();
            let rate = hourly.trim().parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0);
            let csv = typed_table_csv(&items, rate, &currency);
            ctx.dispatch(match text_blob(&csv) {
                Ok(file) => Action::LoadCosts { name: "cost table typed in Lantern".into(), file },
                Err(e) => Action::Failed(e),
            });
        })
    };
    const ARMS: &[(&str, &str)] = &[("intervention", "intervention"), ("control", "control"), ("shared", "both arms")];
    const BASIS: &[(&str, &str)] = &[("fixed", "total"), ("per_participant", "per participant")];
    const KINDS: &[(&str, &str)] =
        &[("amount", "amount"), ("quantity", "quantity × unit price"), ("hours", "volunteer hours")];
    let text_input = |state: &UseStateHandle<String>, label: &'static str| {
        let st = state.clone();
        let onchange = Callback::from(move |v: String| st.set(v));
        html! { <label class="inline">{label}{" "}<Field value={(**state).clone()} {onchange} /></label> }
    };
    html! {
        <section class="card" aria-labelledby="ingredients-title" data-testid="cost-editor">
            <h3 id="ingredients-title">{"Or type the cost ingredients"}</h3>
            <crate::ui::wide::WideTable label="Cost ingredients">
            <table class="stats wide editor">
                <thead><tr><th>{"Category"}</th><th>{"Arm"}</th><th>{"Counts as"}</th><th>{"Value is"}</th><th>{"Amount / quantity / hours"}</th><th>{"Unit price"}</th></tr></thead>
                <tbody>{ for rows.0.iter().enumerate().map(|(i, r)| html! {
                    <tr>
                        <td>{cell(i, "category", r.category.clone(), None)}</td>
                        <td>{cell(i, "arm", r.arm.clone(), Some(ARMS))}</td>
                        <td>{cell(i, "basis", r.basis.clone(), Some(BASIS))}</td>
                        <td>{cell(i, "kind", r.kind.clone(), Some(KINDS))}</td>
                        <td>{cell(i, "a", r.a.clone(), None)}</td>
                        <td>{ if r.kind == "quantity" { cell(i, "b", r.b.clone(), None) } else { html! { {"—"} } } }</td>
                    </tr>
                }) }</tbody>
            </table>
            </crate::ui::wide::WideTable>
            <div class="toolbar">
                <button type="button" class="secondary" onclick={on_add}>{"Add a row"}</button>
                {text_input(&hourly, "Value of a volunteer hour")}
                {text_input(&currency, "Currency")}
                <button type="button" data-testid="use-cost-table" onclick={on_use}>{"Use this table"}</button>
            </div>
            <p class="hint">{"Rows without a number are left out. Shared costs are split between the arms by the number enrolled."}</p>
        </section>
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
        Callback::from(move |v: String| ctx.dispatch(Action::SetBootstrapB(v.trim().parse::<u64>().unwrap_or(0))))
    };
    let b_now =
        ctx.recipe.cost_inputs.as_ref().and_then(|c| c.get("bootstrap_B")).and_then(|v| v.as_u64()).unwrap_or(10_000);
    let cost = ctx.analysis.as_ref().and_then(|a| a.results.cost.clone());
    html! {
        <section class="page" aria-labelledby="cost-title">
            <h2 id="cost-title">{"What did each outcome cost?"}</h2>
            <div class="card">
                <p>{"Load the program's cost table with "}<strong>{"Cost table…"}</strong>{" above: a CSV with the columns "}<code>{"category, arm, amount"}</code>{" (arm = intervention, control or shared). Typical categories: stipends, training, supervision, materials, evaluation, venue, travel."}</p>
                <div class="toolbar">
                    <label class="inline">{"Bootstrap resamples "}
                        <Field id="bootstrap-b" kind="number" min="0" max="200000" step="1000" value={b_now.to_string()} onchange={on_b} />
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
            <CostEditor />
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

/// The cost-effectiveness plane: bootstrap replicates and the point estimate.
pub fn plane_chart(c: &CostResult) -> Option<XyChart> {
    xy_chart(
        &c.ce_plane.replicates.iter().map(|p| (p.delta_effect * 100.0, p.delta_cost)).collect::<Vec<_>>(),
        c.ce_plane.point.map(|p| (p.delta_effect * 100.0, p.delta_cost)),
        false,
        "Extra help-seekers per 100 participants (intervention − control)",
        "Extra cost per participant",
        format!(
            "Cost-effectiveness plane with {} bootstrap replicates and the point estimate.",
            c.ce_plane.replicates.len()
        ),
    )
}

#[function_component(CostResults)]
fn cost_results(p: &CostProps) -> Html {
    let c = &p.cost;
    let cur = c.currency.as_str();
    let row = |label: &str, help: &str, value: String| html! { <tr><th scope="row"><abbr tabindex="0" title={help.to_string()}>{label}</abbr><span class="help-text">{help.to_string()}</span></th><td>{value}</td></tr> };
    let plane = plane_chart(c);
    let ceac = (!c.ceac.is_empty())
        .then(|| {
            xy_chart(
                &c.ceac.iter().map(|p| (p.wtp, p.probability)).collect::<Vec<_>>(),
                None,
                true,
                "Willingness to pay per additional help-seeker",
                "Probability cost-effective",
                "Cost-effectiveness acceptability curve.".into(),
            )
        })
        .flatten();
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
            <SensitivityCard cost={c.clone()} />
        }
        </>
    }
}

/// One-way sensitivity: the share each ingredient is varied by (editable), a tornado of the
/// ICER (or of the cost per participant when no ratio is meaningful) and the data table.
#[function_component(SensitivityCard)]
fn sensitivity_card(p: &CostProps) -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let c = &p.cost;
    let cur = c.currency.clone();
    let share = c.sensitivity_share;
    let on_share = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| {
            if let Some(pct) = crate::core::planning::power::parse_number(&v).filter(|v| *v > 0.0 && *v < 100.0) {
                ctx.dispatch(Action::SetSensitivity(pct / 100.0));
            }
        })
    };
    // The ICER when the ratio is meaningful at the base; else the cost per participant enrolled.
    let icer_base = c
        .incremental_cost_per_additional_help_seeker
        .filter(|_| c.sensitivity.iter().any(|s| s.icer_at_low.is_some() || s.icer_at_high.is_some()));
    let (base, rows, what): (Option<f64>, Vec<crate::core::present::chart::TornadoRow>, &str) = match icer_base {
        Some(b) => (
            Some(b),
            c.sensitivity.iter().map(|s| (s.label.clone(), s.icer_at_low, s.icer_at_high)).collect(),
            "Cost per additional help-seeker (ICER)",
        ),
        None => (
            c.cost_per_enrolled,
            c.sensitivity
                .iter()
                .filter(|s| s.kind == "ingredient")
                .map(|s| (s.label.clone(), s.cost_per_enrolled_at_low, s.cost_per_enrolled_at_high))
                .collect(),
            "Cost per participant enrolled",
        ),
    };
    let cur2 = cur.clone();
    let chart = base.and_then(|b| tornado_chart(b, &rows, what, &move |v| money(Some(v), &cur2)));
    html! {
        <section class="card" aria-labelledby="sens-title" data-testid="sensitivity">
            <h3 id="sens-title">{format!("Sensitivity: what if a cost were {:.0}% lower or higher?", share * 100.0)}</h3>
            <label class="inline">{"Vary each cost by ± "}
                <Field id="sens-share" kind="number" min="1" max="99" step="1" value={format!("{:.0}", share * 100.0)} onchange={on_share} />{" %"}
            </label>
            if let Some(chart) = chart {
                <TornadoView {chart} low_name={"input lower (cost −, or effect at its interval's low end)".to_string()} high_name={"input higher (cost +, or effect at its interval's high end)".to_string()}
                    caption={format!("{what}: each bar shows how far the result moves when one input changes, the others as they are. The longest bars matter most. The vertical line is the result as estimated.")} />
            }
            <details>
                <summary>{"The numbers behind the chart"}</summary>
                <crate::ui::wide::WideTable label="Sensitivity, the numbers">
                <table class="stats wide">
                    <thead><tr><th>{"Input"}</th><th>{"Low → high"}</th><th>{"ICER at low / high"}</th><th>{"Cost per enrolled at low / high"}</th></tr></thead>
                    <tbody>{ for c.sensitivity.iter().map(|s| html! {
                        <tr><td>{&s.label}</td><td>{format!("{:.2} → {:.2}", s.low_input, s.high_input)}</td>
                        <td>{format!("{} / {}", money(s.icer_at_low, &cur), money(s.icer_at_high, &cur))}</td>
                        <td>{format!("{} / {}", money(s.cost_per_enrolled_at_low, &cur), money(s.cost_per_enrolled_at_high, &cur))}</td></tr>
                    }) }</tbody>
                </table>
                </crate::ui::wide::WideTable>
            </details>
        </section>
    }
}
