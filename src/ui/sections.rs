//! Result cards for the Change section beyond the per-arm paired change: the means chart,
//! follow-up, intervention vs control, ANCOVA, help seeking, reliable change and subgroups.
//! Every number and sentence comes from `crate::core`.

use crate::core::present::chart::{interval_chart, means_over_time, xy_chart, IntervalChart, LineChart};
use crate::core::present::explain::{
    ancova_reading, help_between_reading, help_paired_reading, num, paired_reading, pval, rci_reading,
    two_group_reading,
};
use crate::core::results::Results;
use crate::core::stats::two_group::TwoGroupStats;
use crate::ui::app::AppContext;
use crate::ui::charts::IntervalView;
use crate::ui::cost::XyView;
use crate::ui::field::Field;
use crate::ui::process::{CountsCard, ProcessCard};
use crate::ui::state::Action;
use crate::ui::wide::WideTable;
use yew::prelude::*;

const ARMS: [&str; 3] = ["all", "intervention", "control"];

use crate::core::present::explain::arm_title;

/// A table row whose header carries a one-line explanation (hover, and read by screen readers).
fn row(label: &str, help: &str, value: String) -> Html {
    html! { <tr><th scope="row"><abbr tabindex="0" title={help.to_string()}>{label}</abbr><span class="help-text">{help.to_string()}</span></th><td>{value}</td></tr> }
}

fn ci(lo: Option<f64>, hi: Option<f64>, dp: usize) -> String {
    match (lo, hi) {
        (Some(_), Some(_)) => format!("{} to {}", num(lo, dp), num(hi, dp)),
        _ => "not computable".into(),
    }
}

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub chart: LineChart,
}

/// Mean scores over time, one line per arm (SVG from core geometry).
#[function_component(MeansChart)]
pub fn means_chart(p: &ChartProps) -> Html {
    let c = &p.chart;
    html! {
        <crate::ui::wide::ChartFigure>
            <svg xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {} {}", c.width, c.height)} class={crate::ui::charts::width_class(c.width)} role="img" aria-label={c.description.clone()}>
                { for c.y_ticks.iter().map(|(y, t)| html! {
                    <g class="tick">
                        <line x1={c.plot_left.to_string()} x2={c.plot_right.to_string()} y1={y.to_string()} y2={y.to_string()} />
                        <text x={(c.plot_left - 6.0).to_string()} y={(y + 4.0).to_string()} text-anchor="end">{t}</text>
                    </g>
                }) }
                { for c.x_labels.iter().map(|(x, t)| html! {
                    <text class="xlabel" x={x.to_string()} y={(c.height - 12.0).to_string()} text-anchor="middle">{t}</text>
                }) }
                { for c.series.iter().map(|s| {
                    let path: String = s.points.iter().enumerate()
                        .map(|(i, p)| format!("{}{:.1},{:.1}", if i == 0 { "M" } else { " L" }, p.x, p.y)).collect();
                    let last = s.points.last();
                    html! {
                        <g class={classes!("series", s.arm.clone())}>
                            <path d={path} />
                            { for s.points.iter().map(|p| html! {
                                <circle cx={format!("{:.1}", p.x)} cy={format!("{:.1}", p.y)} r="4"><title>{&p.label}</title></circle>
                            }) }
                            if let Some(l) = last {
                                <text x={format!("{:.1}", l.x + 10.0)} y={format!("{:.1}", l.y + 4.0)}>{arm_title(&s.arm)}</text>
                            }
                        </g>
                    }
                }) }
            </svg>
            <figcaption>{"Average stigma score at each time (lower = less stigma). "}{&c.description}{" "}{crate::ui::charts::svg_button(&c.description)}</figcaption>
        </crate::ui::wide::ChartFigure>
    }
}

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub results: Results,
    pub lower_is_better: bool,
}

/// Pre → follow-up per arm.
#[function_component(FollowupCard)]
pub fn followup_card(p: &ResultsProps) -> Html {
    if p.results.paired_followup.is_empty() {
        return html! {};
    }
    html! {
        <section class="card" aria-labelledby="fu-title">
            <h3 id="fu-title">{"Did it last? Before → follow-up"}</h3>
            { for ARMS.iter().filter_map(|arm| p.results.paired_followup.get(*arm).map(|s| html! {
                <p class="reading" data-arm={arm.to_string()}><strong>{arm_title(arm)}{": "}</strong>{paired_reading(s, p.lower_is_better).replace("with both scores", "with a before and a follow-up score")}</p>
            })) }
            { for ARMS.iter().filter_map(|arm| p.results.persistence.get(*arm).map(|ps| html! {
                <p class="reading" data-testid={format!("persistence-{arm}")}><strong>{arm_title(arm)}{": the change "}{&ps.verdict}{". "}</strong>
                    {format!("Between after and follow-up, scores moved by {} (95% CI {}; {} people with both).", num(ps.stats.mean_diff, 2), ci(ps.stats.ci_low, ps.stats.ci_high, 2), ps.stats.n)}</p>
            })) }
        </section>
    }
}

fn two_group_table(s: &TwoGroupStats) -> Html {
    html! {
        <table class="stats"><tbody>
            {row("n (intervention / control)", "People in each group with a score.", format!("{} / {}", s.n_int, s.n_ctrl))}
            {row("Means (intervention / control)", "Average in each group.", format!("{} / {}", num(s.mean_int, 2), num(s.mean_ctrl, 2)))}
            {row("Difference (program − comparison group)", "Negative: the program group scored lower.", num(s.mean_diff, 3))}
            {row("95% CI (Welch)", "Range of differences consistent with the data, not assuming equal spreads.", ci(s.welch_ci_low, s.welch_ci_high, 3))}
            {row("Welch t (df), p", "t-test that allows the groups to differ in spread.", format!("{} ({}), p {}", num(s.welch_t, 3), num(s.welch_df, 1), pval(s.welch_p)))}
            {row("Student t (df), p", "Classic t-test assuming equal spreads.", format!("{} ({}), p {}", num(s.student_t, 3), num(s.student_df, 0), pval(s.student_p)))}
            {row("Cohen's d [95% CI]", "Difference in pooled-SD units.", format!("{} [{}]", num(s.cohen_d, 3), ci(s.d_ci_low, s.d_ci_high, 3)))}
            {row("Hedges' g [95% CI]", "Cohen's d corrected for small samples.", format!("{} [{}]", num(s.hedges_g, 3), ci(s.g_ci_low, s.g_ci_high, 3)))}
            {row("Mann-Whitney W, p", "Rank-based check that does not assume normal scores.", format!("{}, p {}", num(s.mw_W, 1), pval(s.mw_p_R_default)))}
        </tbody></table>
    }
}

/// Intervention vs control: post scores, change scores and ANCOVA.
#[function_component(GroupsCard)]
pub fn groups_card(p: &ResultsProps) -> Html {
    let r = &p.results;
    if r.two_group_post.is_none() && r.two_group_change.is_none() && r.ancova.is_none() {
        return html! {};
    }
    html! {
        <section class="card" aria-labelledby="groups-title">
            <h3 id="groups-title">{"Program group compared with the comparison group"}</h3>
            if let Some(a) = &r.ancova {
                <p class="reading lead">{ancova_reading(a, p.lower_is_better)}</p>
                <p class="hint">{"This adjusted comparison (ANCOVA: post score ~ group + pre score) is usually the most precise estimate of the program's effect in a randomised trial."}</p>
                <table class="stats"><tbody>
                    {row("Adjusted difference", "Group coefficient: intervention − control at equal starting scores.", num(a.coef_group, 3))}
                    {row("95% CI", "Range consistent with the data.", ci(a.ci_low, a.ci_high, 3))}
                    {row("SE, t (df), p", "Standard error and test of the group coefficient.", format!("{}, {} ({}), p {}", num(a.se_group, 3), num(a.t_group, 3), num(a.df_resid, 0), pval(a.p_group)))}
                    {row("Pre-score slope", "How much post scores rise per point of pre score.", num(a.coef_pre, 3))}
                    {row("n", "Rows with group, pre and post.", a.n.to_string())}
                </tbody></table>
            }
            if let Some(s) = &r.two_group_post {
                <h4>{"After the program (post scores)"}</h4>
                <p class="reading">{two_group_reading(s, "post scores", p.lower_is_better)}</p>
                {two_group_table(s)}
            }
            if let Some(s) = &r.two_group_change {
                <h4>{"Change scores (after − before)"}</h4>
                <p class="reading">{two_group_reading(s, "change (after − before)", p.lower_is_better)}</p>
                {two_group_table(s)}
            }
        </section>
    }
}

/// Change in each group with its interval.
pub fn by_group_chart(r: &Results) -> Option<IntervalChart> {
    interval_chart(
        &ARMS
            .iter()
            .filter_map(|arm| {
                r.paired.get(*arm).map(|s| (arm_title(arm).to_string(), s.mean_diff, s.ci_low, s.ci_high))
            })
            .collect::<Vec<_>>(),
        true,
        "Mean change after − before (95% CI)",
    )
}

/// Help seeking before and after per arm, with Wilson intervals.
pub fn help_chart(r: &Results) -> Option<IntervalChart> {
    interval_chart(
        &ARMS
            .iter()
            .filter_map(|arm| r.help_paired.get(*arm).map(|s| (arm, s)))
            .flat_map(|(arm, s)| {
                [
                    (format!("{}: before", arm_title(arm)), s.prop_pre, s.prop_pre_ci_low, s.prop_pre_ci_high),
                    (format!("{}: after", arm_title(arm)), s.prop_post, s.prop_post_ci_low, s.prop_post_ci_high),
                ]
            })
            .collect::<Vec<_>>(),
        true,
        "Share who had sought help (95% Wilson interval)",
    )
}

/// Reliable-change categories as shares of each group.
pub fn rci_chart(results: &Results) -> Option<IntervalChart> {
    let r = results.rci.as_ref()?;
    interval_chart(
        &ARMS
            .iter()
            .filter(|a| **a != "all" || r.groups.len() == 1)
            .filter_map(|arm| r.groups.get(*arm).map(|c| (arm, c)))
            .flat_map(|(arm, c)| {
                let share = |k: Option<usize>| k.filter(|_| c.n > 0).map(|k| k as f64 / c.n as f64);
                [
                    (format!("{}: improved", arm_title(arm)), share(c.improved), None, None),
                    (format!("{}: no reliable change", arm_title(arm)), share(c.unchanged), None, None),
                    (format!("{}: worse", arm_title(arm)), share(c.deteriorated), None, None),
                ]
            })
            .collect::<Vec<_>>(),
        true,
        "Share of people",
    )
}

/// Forest plot of the change in each subgroup.
pub fn subgroup_chart(r: &Results) -> Option<IntervalChart> {
    interval_chart(
        &ARMS
            .iter()
            .filter_map(|arm| r.subgroups.get(*arm).map(|l| (arm, l)))
            .flat_map(|(arm, levels)| {
                levels.iter().map(move |(level, s)| {
                    (
                        format!(
                            "{} · {level}{}",
                            arm_title(arm),
                            if s.small_n_warning.is_some() { " (small)" } else { "" }
                        ),
                        s.stats.mean_diff,
                        s.stats.ci_low,
                        s.stats.ci_high,
                    )
                })
            })
            .collect::<Vec<_>>(),
        true,
        "Mean change after − before (95% CI)",
    )
}

/// Help seeking: before vs after per arm, and between arms after.
#[function_component(HelpCard)]
pub fn help_card(p: &ResultsProps) -> Html {
    let r = &p.results;
    if r.help_paired.is_empty() && r.help_between_post.is_none() {
        return html! {};
    }
    html! {
        <section class="card" aria-labelledby="help-title">
            <h3 id="help-title">{"Did more people seek help?"}</h3>
            if let Some(b) = &r.help_between_post {
                <p class="reading lead">{help_between_reading(b)}</p>
                <table class="stats"><tbody>
                    {row("Sought help (intervention)", "Share with 95% Wilson interval.", format!("{}/{} = {} [{}]", b.yes_int, b.n_int, num(b.p_int, 3), ci(b.p_int_ci_low, b.p_int_ci_high, 3)))}
                    {row("Sought help (control)", "Share with 95% Wilson interval.", format!("{}/{} = {} [{}]", b.yes_ctrl, b.n_ctrl, num(b.p_ctrl, 3), ci(b.p_ctrl_ci_low, b.p_ctrl_ci_high, 3)))}
                    {row("Risk difference [95% CI]", "Difference in shares (Newcombe's interval).", format!("{} [{}]", num(b.rd, 3), ci(b.rd_ci_low, b.rd_ci_high, 3)))}
                    {row("Risk ratio [95% CI]", "How many times as likely (not computable with a zero cell).", format!("{} [{}]", num(b.rr, 3), ci(b.rr_ci_low, b.rr_ci_high, 3)))}
                    {row("Odds ratio [95% CI]", "Ratio of odds (not computable with a zero cell).", format!("{} [{}]", num(b.or, 3), ci(b.or_ci_low, b.or_ci_high, 3)))}
                    {row("Fisher exact p; Yates χ² (p)", "Tests of no difference.", format!("{}; {} ({})", pval(b.fisher_p), num(b.chisq_yates, 3), pval(b.chisq_yates_p)))}
                </tbody></table>
            }
            if let Some(chart) = help_chart(r) {
                <IntervalView {chart} caption={"Help seeking before and after, with 95% intervals.".to_string()} />
            }
            { for ARMS.iter().filter_map(|arm| r.help_paired.get(*arm).map(|s| html! {
                <div class="arm" data-arm={arm.to_string()}>
                    <h4>{arm_title(arm)}{": before → after"}</h4>
                    <p class="reading">{help_paired_reading(s)}</p>
                    <table class="stats"><tbody>
                        {row("Before [95% CI]", "Share who had sought help, Wilson interval.", format!("{} [{}]", num(s.prop_pre, 3), ci(s.prop_pre_ci_low, s.prop_pre_ci_high, 3)))}
                        {row("After [95% CI]", "Share who had sought help, Wilson interval.", format!("{} [{}]", num(s.prop_post, 3), ci(s.prop_post_ci_low, s.prop_post_ci_high, 3)))}
                        {row("McNemar χ² (p); exact p", "Tests whether more people started than stopped.", format!("{} ({}); {}", num(s.mcnemar_chisq, 3), pval(s.mcnemar_p), pval(s.mcnemar_exact_p)))}
                    </tbody></table>
                </div>
            })) }
        </section>
    }
}

/// Reliable change, with the reliability input.
#[function_component(RciCard)]
pub fn rci_card(p: &ResultsProps) -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let rxx = ctx.recipe.rci_inputs.as_ref().and_then(|r| r.rxx);
    let on_rxx = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| ctx.dispatch(Action::SetRxx(v.trim().parse::<f64>().ok())))
    };
    html! {
        <section class="card" aria-labelledby="rci-title">
            <h3 id="rci-title">{"Who changed reliably?"}</h3>
            <p class="hint">{"Reliable change (Jacobson–Truax) asks whether a person's change is bigger than the scale's measurement error. It needs the scale's reliability (e.g. Cronbach's alpha from the manual or from your items)."}</p>
            <label class="inline">{"Reliability (rxx) "}
                <Field kind="number" min="0" max="0.99" step="0.01" value={rxx.map(|v| v.to_string()).unwrap_or_default()} onchange={on_rxx} />
            </label>
            if let Some(r) = &p.results.rci {
                <p>{format!("SD of starting scores used: {}; standard error of a difference: {}.", num(r.sd_pre_used, 3), num(r.se_diff_rci, 3))}</p>
                { for ARMS.iter().filter_map(|arm| r.groups.get(*arm).map(|c| html! {
                    <p class="reading" data-arm={arm.to_string()}><strong>{arm_title(arm)}{": "}</strong>{rci_reading(c)}</p>
                })) }
                if let Some(chart) = rci_chart(&p.results) {
                    <IntervalView {chart} caption={"Reliable-change categories as shares of each group.".to_string()} />
                }
            }
        </section>
    }
}

/// Paired change per subgroup level and arm.
#[function_component(SubgroupsCard)]
pub fn subgroups_card(p: &ResultsProps) -> Html {
    if p.results.subgroups.is_empty() {
        return html! {};
    }
    let test_line = crate::core::present::dropout::forest_test_line(&p.results);
    let forest = subgroup_chart(&p.results).map(|mut c| {
        if let Some(line) = &test_line {
            c.description = format!("{} {line}", c.description);
        }
        c
    });
    html! {
        <section class="card" aria-labelledby="sub-title">
            <h3 id="sub-title">{"For whom? Change by subgroup"}</h3>
            <p class="hint">{"Each row is a separate test. With many subgroups, some will look different by chance alone (multiple comparisons): read these as descriptions, not proof. Rows with fewer than 10 people are marked."}</p>
            if let Some(chart) = forest {
                <IntervalView {chart} caption={format!("Forest plot: change in each subgroup with its 95% interval. Wide intervals mean few people.{}", test_line.as_ref().map(|l| format!(" {l}")).unwrap_or_default())} />
                if let Some(line) = &test_line { <p class="reading" data-testid="forest-interaction">{line}</p> }
            }
            <WideTable label="Change by subgroup, table">
            <table class="stats wide">
                <thead><tr><th>{"Group"}</th><th>{"Subgroup"}</th><th>{"n"}</th><th>{"Mean change"}</th><th>{"95% CI"}</th><th>{"p"}</th><th>{"d_z"}</th></tr></thead>
                <tbody>
                { for ARMS.iter().filter_map(|arm| p.results.subgroups.get(*arm).map(|levels| (arm, levels))).flat_map(|(arm, levels)| {
                    levels.iter().map(move |(level, s)| html! {
                        <tr class={classes!(s.small_n_warning.is_some().then_some("small"))}>
                            <td>{arm_title(arm)}</td>
                            <td>{level}{if s.small_n_warning.is_some() { " ⚠ small" } else { "" }}</td>
                            <td>{s.stats.n}</td>
                            <td>{num(s.stats.mean_diff, 3)}</td>
                            <td>{ci(s.stats.ci_low, s.stats.ci_high, 3)}</td>
                            <td>{pval(s.stats.p)}</td>
                            <td>{num(s.stats.dz, 2)}</td>
                        </tr>
                    })
                }) }
                </tbody>
            </table>
            </WideTable>
        </section>
    }
}

/// Everything after the per-arm paired change, in reading order.
#[function_component(MoreResults)]
pub fn more_results(p: &ResultsProps) -> Html {
    let chart = means_over_time(&p.results);
    let by_group = by_group_chart(&p.results);
    html! {
        <>
            if let Some(chart) = chart { <MeansChart {chart} /> }
            if let Some(chart) = by_group {
                <IntervalView {chart} caption={"Change in each group with its 95% interval. Left of the dashed line: scores went down.".to_string()} />
            }
            { for ARMS.iter().filter_map(|arm| p.results.change_distribution.get(*arm).map(|bins| (arm, bins))).filter_map(|(arm, bins)| {
                let n: usize = bins.iter().map(|b| b.count).sum();
                xy_chart(&bins.iter().map(|b| ((b.lo + b.hi) / 2.0, b.count as f64)).collect::<Vec<_>>(), None, true,
                    &format!("Individual change after − before ({})", arm_title(arm)), "People",
                    format!("Distribution of the individual changes of {n} people in the {} group.", arm_title(arm).to_lowercase()))
                    .map(|chart| html! { <XyView {chart} caption={format!("{}: how individual changes spread (each person's after − before).", arm_title(arm))} /> })
            }) }
            <GroupsCard results={p.results.clone()} lower_is_better={p.lower_is_better} />
            <crate::ui::dropout::MixedCard results={p.results.clone()} lower_is_better={p.lower_is_better} />
            <crate::ui::dropout::TippingCard results={p.results.clone()} lower_is_better={p.lower_is_better} />
            <FollowupCard results={p.results.clone()} lower_is_better={p.lower_is_better} />
            <HelpCard results={p.results.clone()} lower_is_better={p.lower_is_better} />
            <RciCard results={p.results.clone()} lower_is_better={p.lower_is_better} />
            <SubgroupsCard results={p.results.clone()} lower_is_better={p.lower_is_better} />
            <crate::ui::dropout::SubgroupTestsCard results={p.results.clone()} lower_is_better={p.lower_is_better} />
            <ProcessCard results={p.results.clone()} />
            <crate::ui::process::ClusteringCard results={p.results.clone()} />
            <CountsCard results={p.results.clone()} />
        </>
    }
}
