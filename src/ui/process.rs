//! Process and community outcomes (Change section): who enrolled, completed and was reached
//! at follow-up, dose and change, satisfaction, reach against the population, and community
//! counts over time with the rate ratio and the interrupted time series.

use crate::core::present::chart::{series_chart, xy_chart, LineSpec};
use crate::core::present::explain::{num, pval};
use crate::core::results::Results;
use crate::ui::app::AppContext;
use crate::ui::cost::XyView;
use crate::ui::field::Field;
use crate::ui::state::{Action, ProcessEdit};
use crate::ui::wide::WideTable;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub results: Results,
}

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:.0}%", v * 100.0)).unwrap_or_else(|| "not computable".into())
}

fn pct_ci(v: Option<f64>, lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (Some(_), Some(_)) => format!("{} ({} to {})", pct(v), pct(lo), pct(hi)),
        _ => pct(v),
    }
}

/// Change against dose, one dot per person.
pub fn dose_chart(
    d: &crate::core::analyses::process::dose::DoseResult,
) -> Option<crate::core::present::chart::XyChart> {
    xy_chart(
        &d.points.iter().map(|p| (p.dose, p.change)).collect::<Vec<_>>(),
        None,
        false,
        &format!("{} ({})", d.column, d.unit),
        "Change (after − before)",
        format!("Scatter of change against {} for {} people.", d.column, d.points.len()),
    )
}

#[function_component(ProcessCard)]
pub fn process_card(p: &Props) -> Html {
    let r = &p.results;
    let Some(pr) = &r.process else { return html! {} };
    html! {
        <section class="card" aria-labelledby="process-title" data-testid="process">
            <h3 id="process-title">{"Who stayed, how much they got, what they thought"}</h3>
            { for pr.warnings.iter().map(|w| html! { <p role="status" class="banner warning">{w}</p> }) }
            if let Some(r) = &pr.retention {
                <WideTable label="Retention by group">
                <table class="stats wide">
                    <thead><tr><th>{"Group"}</th><th>{"Enrolled"}</th><th>{"Completed (post)"}</th><th>{"Drop-out (95% CI)"}</th><th>{"Reached at follow-up"}</th></tr></thead>
                    <tbody>
                    { for r.arms.iter().chain(r.subgroups.iter()).map(|(name, s)| html! {
                        <tr><td>{name}</td><td>{s.enrolled}</td><td>{s.completed}</td>
                            <td>{pct_ci(s.attrition_rate, s.attrition_ci_low, s.attrition_ci_high)}</td>
                            <td>{s.followup_reached.map(|f| f.to_string()).unwrap_or_else(|| "—".into())}</td></tr>
                    }) }
                    </tbody>
                </table>
                </WideTable>
                if let Some(t) = &r.between_arms {
                    <p>{format!("Drop-out between groups: largest difference {} ({}, p {}).", pct(t.largest_difference), t.test, pval(t.p))}</p>
                }
                <p class="hint">{&r.rule}</p>
            }
            if let Some(d) = &r.dose {
                <h4>{format!("Dose: {} and change", d.column)}</h4>
                <p class="reading">{&d.reading}</p>
                if let Some(chart) = dose_chart(d) {
                    <XyView {chart} caption={"Each dot is one person. A slope is a pattern, not proof that attending more caused more change.".to_string()} />
                }
            }
            { for r.satisfaction.iter().map(|s| html! {
                <p class="reading"><strong>{&s.column}{": "}</strong>{&s.reading}</p>
            }) }
            if let Some(r) = &r.reach {
                <h4>{"Reach: who the program is missing"}</h4>
                <WideTable label="Reach by group">
                <table class="stats wide">
                    <thead><tr><th>{"Group"}</th><th>{"Population"}</th><th>{"Enrolled (95% CI)"}</th><th>{"Difference"}</th><th><span class="visually-hidden">{"Status"}</span></th></tr></thead>
                    <tbody>{ for r.levels.iter().map(|l| html! {
                        <tr><td>{&l.level}</td><td>{pct(Some(l.population_share))}</td>
                        <td>{pct_ci(l.enrolled.share, l.enrolled.ci_low, l.enrolled.ci_high)}</td>
                        <td>{l.enrolled_difference.map(|d| format!("{:+.0} points", d * 100.0)).unwrap_or_default()}</td>
                        <td>{&l.enrolled_status}</td></tr>
                    }) }</tbody>
                </table>
                </WideTable>
            }
            { for pr.notes.iter().map(|n| html! { <p class="hint">{n}</p> }) }
        </section>
    }
}

/// The counts chart: observed rates, the fitted segments before and after the start, the
/// trend expected without the program, and the start marker.
pub fn counts_chart(c: &crate::core::analyses::process::CountsResult) -> Option<crate::core::present::chart::XyChart> {
    let t = |i: usize| i as f64 + 1.0;
    let observed: Vec<(f64, f64)> =
        c.periods.iter().enumerate().filter_map(|(i, p)| p.rate.map(|r| (t(i), r))).collect();
    let fitted = |after: bool| -> Vec<(f64, f64)> {
        c.periods
            .iter()
            .enumerate()
            .filter(|(_, p)| p.after_start == after)
            .filter_map(|(i, p)| p.fitted_rate.map(|r| (t(i), r)))
            .collect()
    };
    let counterfactual: Vec<(f64, f64)> = c
        .periods
        .iter()
        .enumerate()
        .filter(|(_, p)| p.after_start)
        .filter_map(|(i, p)| p.counterfactual_rate.map(|r| (t(i), r)))
        .collect();
    let mut lines = Vec::new();
    for (label, data, dashed) in [
        ("Fitted trend before the program", fitted(false), false),
        ("Fitted trend after the start", fitted(true), false),
        ("Expected without the program (trend continued)", counterfactual, true),
    ] {
        if data.len() >= 2 {
            lines.push(LineSpec { label: label.into(), dashed, bold: !dashed, data });
        }
    }
    let start = (c.n_before > 0 && c.n_after > 0).then_some((c.n_before as f64 + 0.5, "Program start"));
    series_chart(
        &lines,
        &observed,
        None,
        &[],
        start,
        "Period",
        &format!("Rate ({})", c.rate_label),
        format!(
            "Rates over {} periods (dots); the program started at period {}.{}",
            c.n_periods,
            c.n_before + 1,
            if lines.is_empty() {
                String::new()
            } else {
                " Lines: the interrupted time series' fitted trend before and after the start, and the trend expected without the program.".into()
            }
        ),
    )
}

#[function_component(CountsCard)]
pub fn counts_card(p: &Props) -> Html {
    let Some(c) = &p.results.community else { return html! {} };
    let chart = counts_chart(c);
    html! {
        <section class="card" aria-labelledby="counts-title" data-testid="counts">
            <h3 id="counts-title">{format!("Community counts over time: “{}”", c.file)}</h3>
            <p class="reading lead">{&c.reading}</p>
            { for c.warnings.iter().map(|w| html! { <p role="status" class="banner warning">{w}</p> }) }
            if let Some(b) = &c.before_after {
                <table class="stats"><tbody>
                    <tr><th scope="row">{"Rate before / after"}</th><td>{format!("{} / {}", num(b.rate_before, 3), num(b.rate_after, 3))}</td></tr>
                    <tr><th scope="row">{"Rate ratio (after ÷ before)"}</th><td>{format!("{} (exact 95% CI {} to {}), p {}", num(b.rate_ratio, 3), num(b.exact_ci_low, 3), num(b.exact_ci_high, 3), pval(b.exact_p))}</td></tr>
                </tbody></table>
            }
            if let Some(its) = &c.its {
                <h4>{"Interrupted time series"}</h4>
                <p class="reading">{&its.reading}</p>
                { for its.warnings.iter().map(|w| html! { <p class="banner warning">{w}</p> }) }
                <WideTable label="Interrupted time series, rate ratios">
                <table class="stats wide" data-testid="its-table">
                    <caption>{format!("{} — {} periods ({} before, {} after); rate ratios with {}% intervals{}.", its.model, its.n_periods, its.n_before, its.n_after, (its.conf_level * 100.0).round(), if its.overdispersed { ", widened for over-dispersion (quasi-Poisson)" } else { "" })}</caption>
                    <thead><tr><th>{"Term"}</th><th>{"Rate ratio"}</th><th>{"95% CI"}</th><th>{"p"}</th></tr></thead>
                    <tbody>
                    { for [("Trend per period before", &its.pre_trend), ("Jump at the start (level change)", &its.level_change), ("Change in trend per period after", &its.slope_change)].into_iter().map(|(name, term)| {
                        let w = if its.overdispersed { term.quasi.as_ref().unwrap_or(&term.poisson) } else { &term.poisson };
                        html! { <tr><td>{name}</td><td>{num(term.rate_ratio, 3)}</td><td>{format!("{} to {}", num(w.rate_ratio_ci_low, 3), num(w.rate_ratio_ci_high, 3))}</td><td>{pval(w.p)}</td></tr> }
                    }) }
                    </tbody>
                </table>
                </WideTable>
                <p class="hint">{"Seasonality: monthly counts often rise and fall with the calendar (school terms, holidays). With fewer than two years of data the model cannot separate that from the program; compare the same months where you can."}</p>
            }
            if let Some(chart) = chart {
                <XyView {chart} caption={"Dots: the observed rate in each period. The gap between the solid and dashed lines after the start is the change the time series attributes to the program — if nothing else changed at the same time.".to_string()} />
            }
        </section>
    }
}

/// Most subgroup levels the population form offers (a column with more is not a grouping).
const MAX_POPULATION_LEVELS: usize = 30;

/// Process settings: which columns are ratings, the rating scale's top, the unit of dose, and
/// the target population's composition by subgroup level (for reach). Every edit re-runs
/// the analysis.
#[function_component(ProcessSettings)]
pub fn process_settings() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let Some(ds) = &ctx.dataset else { return html! {} };
    let inputs = ctx.recipe.process.clone().unwrap_or_default();
    let c = &ctx.recipe.columns;
    let roles: Vec<&str> =
        [&c.id, &c.group, &c.pre, &c.post, &c.followup, &c.help_pre, &c.help_post, &c.subgroup, &c.dose, &c.cluster]
            .iter()
            .filter_map(|r| r.as_deref())
            .collect();
    let candidates: Vec<String> = ds.columns.iter().filter(|n| !roles.contains(&n.as_str())).cloned().collect();
    let levels: Vec<String> = {
        let mut l: Vec<String> = ctx
            .analysis
            .as_ref()
            .and_then(|a| a.results.process.as_ref())
            .and_then(|p| p.retention.as_ref())
            .map(|r| r.subgroups.keys().cloned().collect())
            .unwrap_or_default();
        for k in inputs.population.keys() {
            if !l.contains(k) {
                l.push(k.clone());
            }
        }
        l
    };
    let number = |v: &str| crate::core::planning::power::parse_number(v);
    let on_max = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| ctx.dispatch(Action::EditProcess(ProcessEdit::RatingMax(number(&v)))))
    };
    let on_unit = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| ctx.dispatch(Action::EditProcess(ProcessEdit::DoseUnit(v))))
    };
    html! {
        <details class="card" data-testid="process-settings" open={!inputs.satisfaction.is_empty() || !inputs.population.is_empty()}>
            <summary><strong>{"Program process: ratings, dose and the population you aim to reach"}</strong></summary>
            <fieldset class="checks">
                <legend>{"Rating columns (satisfaction, session quality)"}</legend>
                if candidates.is_empty() {
                    <p class="hint">{"Every column already has a role."}</p>
                }
                { for candidates.iter().map(|name| {
                    let ctx = ctx.clone();
                    let col = name.clone();
                    let on = Callback::from(move |_: Event| ctx.dispatch(Action::EditProcess(ProcessEdit::ToggleRating(col.clone()))));
                    html! { <label class="check"><input type="checkbox" data-rating={name.clone()} checked={inputs.satisfaction.contains(name)} onchange={on} />{" "}{name}</label> }
                }) }
            </fieldset>
            <div class="roles">
                <div class="role">
                    <label for="rating-max">{"Top of a numeric rating scale (blank: the highest value seen)"}</label>
                    <Field id="rating-max" kind="number" min="1" step="1" value={inputs.satisfaction_max.map(|v| v.to_string()).unwrap_or_default()} onchange={on_max} />
                </div>
                <div class="role">
                    <label for="dose-unit">{"One unit of dose is a"}</label>
                    <Field id="dose-unit" placeholder="session" value={inputs.dose_unit.clone().unwrap_or_default()} onchange={on_unit} />
                </div>
            </div>
            <fieldset data-testid="population-form">
                <legend>{"Who lives in the community you serve (for reach)"}</legend>
                if levels.is_empty() {
                    <p class="hint">{"Choose a subgroup column above (e.g. age band or language); its levels appear here, to enter each one's share of the population."}</p>
                } else if levels.len() > MAX_POPULATION_LEVELS {
                    <p class="hint">{format!("The subgroup column has {} different values: too many to compare with a population. Choose a column with a few groups, such as age band or language.", levels.len())}</p>
                } else {
                    <p class="hint">{"Enter each group's share of the population you aim to reach, as percentages (25), shares (0.25) or counts (2500) — from a census or your own records. Leave a group blank to leave it out."}</p>
                    <div class="roles">
                    { for levels.iter().enumerate().map(|(i, level)| {
                        let ctx = ctx.clone();
                        let lv = level.clone();
                        let on = Callback::from(move |v: String| ctx.dispatch(Action::EditProcess(ProcessEdit::Population(lv.clone(), number(&v)))));
                        let id = format!("pop-{i}");
                        html! {
                            <div class="role">
                                <label for={id.clone()}>{level}</label>
                                <Field {id} inputmode="decimal" data_level={level.clone()} value={inputs.population.get(level).map(|v| v.to_string()).unwrap_or_default()} onchange={on} />
                            </div>
                        }
                    }) }
                    </div>
                }
            </fieldset>
        </details>
    }
}

/// The intraclass correlation between the clusters of `columns.cluster`, for planning.
#[function_component(ClusteringCard)]
pub fn clustering_card(p: &Props) -> Html {
    let Some(c) = &p.results.clustering else { return html! {} };
    let row = |c: &crate::core::analyses::clustering::Clustering| {
        let s = &c.stats;
        html! { <tr><td>{&c.outcome}</td><td>{num(s.icc, 3)}</td><td>{format!("{} to {}", num(s.ci_low, 3), num(s.ci_high, 3))}</td><td>{s.n_clusters}</td><td>{s.n_people}</td><td>{num(s.mean_cluster_size, 1)}</td></tr> }
    };
    html! {
        <section class="card" aria-labelledby="icc-title" data-testid="clustering">
            <h3 id="icc-title">{format!("How alike people in the same “{}” are", c.column)}</h3>
            <p class="reading">{&c.reading}</p>
            <WideTable label="Intraclass correlation">
            <table class="stats wide">
                <caption>{"Intraclass correlation (ICC(1), one-way ANOVA; interval from the F distribution). The Plan section can use it: “Fill in from my data”."}</caption>
                <thead><tr><th>{"Scores"}</th><th>{"ICC"}</th><th>{format!("{:.0}% CI", c.stats.conf_level * 100.0)}</th><th>{"Clusters"}</th><th>{"People"}</th><th>{"Average size"}</th></tr></thead>
                <tbody>{row(c)}{ for c.post.iter().map(|p| row(p)) }</tbody>
            </table>
            </WideTable>
            { for c.notes.iter().chain(c.post.iter().flat_map(|p| p.notes.iter())).map(|n| html! { <p class="hint">{n}</p> }) }
        </section>
    }
}
