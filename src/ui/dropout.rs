//! Change section cards for issue 20: the mixed model next to the complete-case results, the
//! subgroup tests with adjusted p-values, and the drop-out sensitivity (tipping point). Every
//! number and sentence comes from `crate::core` (`present::dropout`).

use crate::core::analyses::tipping::TippingPoint;
use crate::core::present::dropout::{
    alpha_of, interaction_reading, mixed_reading, subgroup_test_row, tipping_chart, tipping_reading, tipping_rows,
    why_adjust,
};
use crate::core::present::explain::{num, pval};
use crate::ui::cost::XyView;
use crate::ui::sections::ResultsProps;
use crate::ui::wide::WideTable;
use yew::prelude::*;

fn term_label(t: &str) -> &str {
    match t {
        "intercept" => "Mean before (comparison group, or everyone)",
        "post" => "Change before → after",
        "followup" => "Change before → follow-up",
        "arm" => "Program − comparison, before",
        "post:arm" => "Program's extra change, before → after",
        "followup:arm" => "Program's extra change, before → follow-up",
        other => other,
    }
}

/// Every wave, every person: the mixed model beside the complete-case results.
#[function_component(MixedCard)]
pub fn mixed_card(p: &ResultsProps) -> Html {
    let r = &p.results;
    let Some(m) = &r.mixed else { return html! {} };
    let alpha = alpha_of(r);
    let level = format!("{:.0}% CI", (1.0 - alpha) * 100.0);
    let order = ["intercept", "post", "followup", "arm", "post:arm", "followup:arm"];
    html! {
        <section class="card" aria-labelledby="mixed-title" data-testid="mixed">
            <h3 id="mixed-title">{"Every score of every person (mixed model)"}</h3>
            { for mixed_reading(m, r, alpha).into_iter().map(|s| html! { <p class="reading">{s}</p> }) }
            { for m.notes.iter().map(|n| html! { <p role="status" class="banner warning">{n}</p> }) }
            <WideTable label="Mixed model, table">
            <table class="stats wide">
                <thead><tr><th>{"Term"}</th><th>{"Estimate"}</th><th>{level}</th><th>{"p"}</th><th>{"df"}</th></tr></thead>
                <tbody>
                { for order.iter().filter_map(|k| m.terms.get(*k).map(|e| (k, e))).map(|(k, e)| html! {
                    <tr><td>{term_label(k)}</td><td>{num(e.estimate, 3)}</td>
                        <td>{match (e.ci_low, e.ci_high) { (Some(_), Some(_)) => format!("{} to {}", num(e.ci_low, 3), num(e.ci_high, 3)), _ => "not computable".into() }}</td>
                        <td>{pval(e.p)}</td><td>{num(e.df, 0)}</td></tr>
                }) }
                </tbody>
            </table>
            </WideTable>
            <p class="hint">{format!("{} people, {} scores; between-person SD {}, within-person SD {}.", m.n_people, m.n_obs, num(m.sd_participant, 3), num(m.sd_residual, 3))}</p>
        </section>
    }
}

/// Do the subgroups differ? Per-arm ANOVA, the arm × level interaction, and the adjusted p-values.
#[function_component(SubgroupTestsCard)]
pub fn subgroup_tests_card(p: &ResultsProps) -> Html {
    let r = &p.results;
    let Some(t) = &r.subgroup_tests else { return html! {} };
    let alpha = alpha_of(r);
    let tests: Vec<(&str, &crate::core::analyses::waves::SubgroupTest)> = [
        ("Program group: do its subgroups differ? (one-way ANOVA)", t.intervention.as_ref()),
        ("Comparison group: do its subgroups differ? (one-way ANOVA)", t.control.as_ref()),
        ("Everyone: do the subgroups differ? (one-way ANOVA)", t.all.as_ref()),
        ("Does the program's effect differ between subgroups? (arm × subgroup)", t.interaction.as_ref()),
    ]
    .into_iter()
    .filter_map(|(n, t)| Some((n, t?)))
    .collect();
    let adjusted: Vec<(String, String, String, String, String)> = r
        .multiplicity
        .iter()
        .flat_map(|m| m.adjusted.iter())
        .flat_map(|(arm, levels)| {
            levels.iter().map(move |(level, a)| (arm.clone(), level.clone(), pval(a.p), pval(a.holm), pval(a.bh)))
        })
        .collect();
    html! {
        <section class="card" aria-labelledby="subtests-title" data-testid="subgroup-tests">
            <h3 id="subtests-title">{"Do the subgroups really differ?"}</h3>
            if let Some(i) = &t.interaction {
                <p class="reading lead" data-testid="interaction-reading">{interaction_reading(i, alpha)}</p>
            }
            <WideTable label="Subgroup tests, table">
            <table class="stats wide">
                <thead><tr><th>{"Test"}</th><th>{"F (df)"}</th><th>{"p"}</th><th>{"n"}</th><th>{"Subgroups left out (people with both scores)"}</th></tr></thead>
                <tbody>
                { for tests.iter().map(|(name, t)| {
                    let row = subgroup_test_row(name, t);
                    html! { <tr>{ for row.iter().map(|c| html! { <td>{c}</td> }) }</tr> }
                }) }
                </tbody>
            </table>
            </WideTable>
            { for t.notes.iter().map(|n| html! { <p role="status" class="banner warning">{n}</p> }) }
            if let Some(m) = r.multiplicity.as_ref().filter(|m| m.family_size > 1) {
                <h4>{"Adjusted for the number of subgroup tests"}</h4>
                <p class="hint" data-testid="why-adjust">{why_adjust(m.family_size)}</p>
                <WideTable label="Adjusted p-values, table">
                <table class="stats wide" data-testid="adjusted-p">
                    <thead><tr><th>{"Group"}</th><th>{"Subgroup"}</th><th>{"p"}</th><th>{"Holm"}</th><th>{"Benjamini–Hochberg"}</th></tr></thead>
                    <tbody>
                    { for adjusted.iter().map(|(a, l, p0, h, b)| html! { <tr><td>{a}</td><td>{l}</td><td>{p0}</td><td>{h}</td><td>{b}</td></tr> }) }
                    </tbody>
                </table>
                </WideTable>
            }
        </section>
    }
}

/// One tipping-point analysis (post or follow-up): reading, chart, table and method. The part
/// is `tipping-post` / `tipping-followup`, its table `tipping-table` / `tipping-table-followup`.
fn tipping_part(t: &TippingPoint, followup: bool, heading: Option<&str>) -> Html {
    let level = format!("{:.0}% CI", t.conf_level * 100.0);
    let chart = tipping_chart(t);
    let (part, table, wave, scores) = if followup {
        ("tipping-followup", "tipping-table-followup", "follow-up", "missing follow-up scores")
    } else {
        ("tipping-post", "tipping-table", "post", "missing after-scores")
    };
    html! {
        <div data-testid={part}>
            if let Some(h) = heading { <h4>{h}</h4> }
            { for tipping_reading(t).into_iter().map(|s| html! { <p class="reading">{s}</p> }) }
            if let Some(chart) = chart {
                <XyView {chart} caption={format!("Drop-out sensitivity ({wave}): the estimate (solid) and its interval (dashed) as the program's missing {wave} scores are made worse by δ; where the dashed line crosses zero, the advantage is no longer clear.")} />
            }
            if !t.rows.is_empty() {
                <WideTable label={format!("Drop-out sensitivity ({wave}), table")}>
                <table class="stats wide" data-testid={table}>
                    <thead><tr><th>{"δ (points worse)"}</th><th>{"Estimate"}</th><th>{level}</th><th>{"p"}</th><th>{"Advantage clear?"}</th></tr></thead>
                    <tbody>
                    { for tipping_rows(t).iter().map(|row| html! { <tr>{ for row.iter().map(|c| html! { <td>{c}</td> }) }</tr> }) }
                    </tbody>
                </table>
                </WideTable>
                <p class="hint">{format!("Method: {scores} imputed {} times within each group by Bayesian regression on the before score (as R mice, method norm), combined by Rubin's rules; the program's imputed scores shifted by δ (pattern-mixture δ-adjustment). Seed {}.", t.imputations, t.seed)}</p>
            }
        </div>
    }
}

/// Drop-out sensitivity: the tipping-point table and chart of the post score, and beside it
/// those of the follow-up score when a follow-up column is chosen.
#[function_component(TippingCard)]
pub fn tipping_card(p: &ResultsProps) -> Html {
    let r = &p.results;
    if r.tipping_point.is_none() && r.tipping_point_followup.is_none() {
        return html! {};
    }
    let both = r.tipping_point.is_some() && r.tipping_point_followup.is_some();
    html! {
        <section class="card" aria-labelledby="tipping-title" data-testid="tipping-point">
            <h3 id="tipping-title">{"If the people who dropped out had done worse"}</h3>
            if let Some(t) = &r.tipping_point { { tipping_part(t, false, both.then_some("After the program")) } }
            if let Some(t) = &r.tipping_point_followup { { tipping_part(t, true, Some("At follow-up")) } }
        </section>
    }
}
