//! Process and community outcomes (Change section): who enrolled, completed and was reached
//! at follow-up, dose and change, satisfaction, reach against the population, and community
//! counts over time with the rate ratio and the interrupted time series.

use crate::core::chart::xy_chart;
use crate::core::explain::{num, pval};
use crate::core::results::Results;
use crate::ui::cost::XyView;
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

#[function_component(ProcessCard)]
pub fn process_card(p: &Props) -> Html {
    let Some(pr) = &p.results.process else { return html! {} };
    html! {
        <section class="card" aria-labelledby="process-title" data-testid="process">
            <h3 id="process-title">{"Who stayed, how much they got, what they thought"}</h3>
            { for pr.warnings.iter().map(|w| html! { <p role="status" class="banner warning">{w}</p> }) }
            if let Some(r) = &pr.retention {
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
                if let Some(t) = &r.between_arms {
                    <p>{format!("Drop-out between groups: largest difference {} ({}, p {}).", pct(t.largest_difference), t.test, pval(t.p))}</p>
                }
                <p class="hint">{&r.rule}</p>
            }
            if let Some(d) = &pr.dose {
                <h4>{format!("Dose: {} and change", d.column)}</h4>
                <p class="reading">{&d.reading}</p>
                if let Some(chart) = xy_chart(&d.points.iter().map(|p| (p.dose, p.change)).collect::<Vec<_>>(), None, false, &format!("{} ({})", d.column, d.unit), "Change (after − before)", format!("Scatter of change against {} for {} people.", d.column, d.points.len())) {
                    <XyView {chart} caption={"Each dot is one person. A slope is a pattern, not proof that attending more caused more change.".to_string()} />
                }
            }
            { for pr.satisfaction.iter().map(|s| html! {
                <p class="reading"><strong>{&s.column}{": "}</strong>{&s.reading}</p>
            }) }
            if let Some(r) = &pr.reach {
                <h4>{"Reach: who the program is missing"}</h4>
                <table class="stats wide">
                    <thead><tr><th>{"Group"}</th><th>{"Population"}</th><th>{"Enrolled (95% CI)"}</th><th>{"Difference"}</th><th>{""}</th></tr></thead>
                    <tbody>{ for r.levels.iter().map(|l| html! {
                        <tr><td>{&l.level}</td><td>{pct(Some(l.population_share))}</td>
                        <td>{pct_ci(l.enrolled.share, l.enrolled.ci_low, l.enrolled.ci_high)}</td>
                        <td>{l.enrolled_difference.map(|d| format!("{:+.0} points", d * 100.0)).unwrap_or_default()}</td>
                        <td>{&l.enrolled_status}</td></tr>
                    }) }</tbody>
                </table>
            }
            { for pr.notes.iter().map(|n| html! { <p class="hint">{n}</p> }) }
        </section>
    }
}

#[function_component(CountsCard)]
pub fn counts_card(p: &Props) -> Html {
    let Some(c) = &p.results.counts else { return html! {} };
    let observed: Vec<(f64, f64)> = c.periods.iter().enumerate().filter_map(|(i, p)| p.rate.map(|r| (i as f64 + 1.0, r))).collect();
    let chart = xy_chart(&observed, None, true, "Period", &format!("Rate ({})", c.rate_label), format!("Rates over {} periods; the program started at period {}.", c.n_periods, c.n_before + 1));
    html! {
        <section class="card" aria-labelledby="counts-title" data-testid="counts">
            <h3 id="counts-title">{format!("Community counts over time: “{}”", c.file)}</h3>
            <p class="reading lead">{&c.reading}</p>
            { for c.warnings.iter().map(|w| html! { <p role="status" class="banner warning">{w}</p> }) }
            if let Some(b) = &c.before_after {
                <table class="stats"><tbody>
                    <tr><th scope="row">{"Rate before / after"}</th><td>{format!("{} / {}", num(b.rate_before, 3), num(b.rate_after, 3))}</td></tr>
                    <tr><th scope="row">{"Rate ratio (after ÷ before)"}</th><td>{num(b.rate_ratio, 3)}</td></tr>
                </tbody></table>
            }
            if let Some(its) = &c.its {
                <p class="hint">{format!("Interrupted time series: {} ({} periods).", its.model, its.n_periods)}</p>
            }
            if let Some(chart) = chart {
                <XyView {chart} caption={"Observed rate in each period.".to_string()} />
            }
        </section>
    }
}
