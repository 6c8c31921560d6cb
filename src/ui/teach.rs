//! Report and Teaching sections. The report is the advisory-board page (printable: the
//! print stylesheet hides every control). Teaching mode simulates many studies in the worker
//! and shows how estimates and p-values wander, next to the planned power.

use crate::core::planning::simulate::{one_sample_csv, SimDesign, SimSettings};
use crate::core::present::chart::xy_chart;
use crate::core::present::report::{glossary, report_for_analysis, ReportSection};
use crate::core::results::Results;
use crate::ui::app::AppContext;
use crate::ui::browser::text_blob;
use crate::ui::combine::CombinedReport;
use crate::ui::cost::XyView;
use crate::ui::field::Field;
use crate::ui::state::Action;
use crate::ui::wide::WideTable;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The charts that go with a report section (the same pictures as on the result pages).
fn report_charts(id: &str, r: &Results) -> Html {
    use crate::ui::charts::IntervalView;
    use crate::ui::sections::{by_group_chart, help_chart, rci_chart, subgroup_chart, MeansChart};
    let interval = |chart: Option<crate::core::present::chart::IntervalChart>, caption: &str| match chart {
        Some(chart) => html! { <IntervalView {chart} caption={caption.to_string()} /> },
        None => html! {},
    };
    let xy = |chart: Option<crate::core::present::chart::XyChart>, caption: &str| match chart {
        Some(chart) => html! { <XyView {chart} caption={caption.to_string()} /> },
        None => html! {},
    };
    match id {
        "paired" => html! {
            <>
                if let Some(chart) = crate::core::present::chart::means_over_time(r) { <MeansChart {chart} /> }
                {interval(by_group_chart(r), "Change in each group with its 95% interval. Left of the dashed line: scores went down.")}
            </>
        },
        "linkage" => match &r.linkage {
            Some(l) => html! { <crate::ui::waves::LinkBars linkage={l.clone()} /> },
            None => html! {},
        },
        "help_seeking" => interval(help_chart(r), "Help seeking before and after, with 95% intervals."),
        "rci" => interval(rci_chart(r), "Reliable-change categories as shares of each group."),
        "subgroups" => interval(subgroup_chart(r), "Change in each subgroup with its 95% interval. Wide intervals mean few people."),
        "process" => xy(r.dose.as_ref().and_then(crate::ui::process::dose_chart), "Each dot is one person: change against the dose received. A pattern, not proof that more caused more change."),
        "community" => xy(r.community.as_ref().and_then(crate::ui::process::counts_chart), "Dots: observed rates; lines: the fitted trends before and after the start, and the trend expected without the program (dashed)."),
        "cost" => xy(r.cost.as_ref().and_then(crate::ui::cost::plane_chart), "Each dot is one bootstrap resample; the large dot is the estimate."),
        "comments" => html! {
            <>
                { for r.comments.0.iter().map(|(column, c)| interval(crate::core::present::comments::comments_chart(c), &format!("“{column}”: share of comments mentioning each code, by group, with 95% intervals."))) }
                <crate::ui::comments::ReportQuotes />
            </>
        },
        _ => html! {},
    }
}

fn section(s: &ReportSection, r: &Results) -> Html {
    html! {
        <section class="report-section" data-section={s.id.clone()}>
            <h3 id={format!("report-{}", s.id)} tabindex="-1">{&s.heading}</h3>
            { for s.sentences.iter().map(|t| html! { <p>{t}</p> }) }
            if let Some(t) = &s.table {
                <WideTable label={format!("{}: {}", s.heading, t.caption)}>
                <table class="stats wide">
                    <caption>{&t.caption}</caption>
                    <thead><tr>{ for t.columns.iter().map(|c| html! { <th scope="col">{c}</th> }) }</tr></thead>
                    <tbody>{ for t.rows.iter().map(|r| html! { <tr>{ for r.iter().map(|c| html! { <td>{c}</td> }) }</tr> }) }</tbody>
                </table>
                </WideTable>
            }
            {report_charts(&s.id, r)}
            if let Some(m) = &s.method { <p class="hint">{"Method: "}{m}</p> }
        </section>
    }
}

/// "Jump to" links to each section of the report (a long page on a phone). Buttons, not `#id`
/// links: the page's own address is its route (`#/report`).
fn jump_links(r: &crate::core::present::report::Report) -> Html {
    let targets: Vec<(String, String)> = r
        .sections
        .iter()
        .chain(r.cost.iter())
        .chain(r.planning.iter())
        .chain(std::iter::once(&r.data))
        .map(|s| (format!("report-{}", s.id), s.heading.clone()))
        .collect();
    let jump = |id: String| {
        Callback::from(move |_: MouseEvent| {
            let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&id));
            if let Some(el) = el {
                el.scroll_into_view();
                if let Ok(h) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = h.focus();
                }
            }
        })
    };
    html! {
        <nav class="jump no-print" aria-label="Jump to a section of the report" data-testid="report-jump">
            <span class="hint">{"Jump to: "}</span>
            { for targets.into_iter().map(|(id, heading)| html! {
                <button type="button" class="link" onclick={jump(id)}>{heading}</button>
            }) }
        </nav>
    }
}

#[function_component(ReportPage)]
pub fn report_page() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let (Some(ds), Some(a)) = (&ctx.dataset, &ctx.analysis) else {
        let combined = ctx.combine.doc.as_ref().is_some_and(|d| d.sites.len() >= 2);
        return html! {
            <section class="page report" aria-labelledby="report-title" data-testid="report">
                <h2 id="report-title">{"Report"}</h2>
                if combined { <CombinedReport /> } else { <p class="empty">{"Load a data file to see the report."}</p> }
            </section>
        };
    };
    let r = report_for_analysis(a, ds, &ctx.recipe);
    let results = &a.results;
    let on_print = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    html! {
        <section class="page report" aria-labelledby="report-title" data-testid="report">
            <div class="toolbar no-print"><button type="button" onclick={on_print}>{"Print or save as PDF"}</button></div>
            <h2 id="report-title">{&r.title}</h2>
            <p class="hint">{&r.subtitle}</p>
            {jump_links(&r)}
            <section class="report-summary" aria-label="Summary">
                <h3>{"In short"}</h3>
                <ul>{ for r.summary.iter().map(|s| html! { <li>{s}</li> }) }</ul>
            </section>
            { for r.sections.iter().map(|s| section(s, results)) }
            if let Some(c) = &r.cost { {section(c, results)} }
            if let Some(p) = &r.planning { {section(p, results)} }
            {section(&r.data, results)}
            <CombinedReport />
            <section class="report-section">
                <h3>{"Limitations"}</h3>
                <ul>{ for r.limitations.iter().map(|l| html! { <li>{l}</li> }) }</ul>
            </section>
            <section class="report-section">
                <h3>{"What the words mean"}</h3>
                <dl class="glossary">{ for r.glossary.iter().map(|g| html! { <><dt>{&g.term}</dt><dd>{&g.meaning}{" "}<em>{&g.example}</em></dd></> }) }</dl>
            </section>
        </section>
    }
}

#[function_component(TeachPage)]
pub fn teach_page() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let settings = use_state(|| SimSettings { samples: 1000, ..SimSettings::default() });
    let field = |name: &'static str, label: &'static str, value: String| {
        let settings = settings.clone();
        let onchange = Callback::from(move |v: String| {
            let mut s = (*settings).clone();
            let x: f64 = v.trim().parse().unwrap_or(f64::NAN);
            match name {
                "n" => s.n_per_arm = if x.is_finite() && x >= 0.0 { x as usize } else { 0 },
                "d" => s.effect_d = x,
                "r" => s.r_pre_post = x,
                "attrition" => s.attrition = x,
                "icc" => s.icc = x,
                "m" => s.cluster_size = if x.is_finite() && x >= 1.0 { x as usize } else { 0 },
                "samples" => s.samples = if x.is_finite() && x >= 1.0 { x as usize } else { 0 },
                "seed" => s.seed = if x.is_finite() && x >= 0.0 { x as u64 } else { 0 },
                _ => {}
            }
            settings.set(s);
        });
        html! { <div class="role"><label for={format!("sim-{name}")}>{label}</label><Field id={format!("sim-{name}")} inputmode="decimal" {value} {onchange} /></div> }
    };
    let s = (*settings).clone();
    let on_run = {
        let ctx = ctx.clone();
        let s = s.clone();
        Callback::from(move |_: MouseEvent| ctx.dispatch(Action::Simulate(s.clone())))
    };
    let on_cancel = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.dispatch(Action::Cancel))
    };
    let on_load = {
        let ctx = ctx.clone();
        let s = s.clone();
        Callback::from(move |_: MouseEvent| {
            let csv = one_sample_csv(&s, s.seed);
            ctx.dispatch(match text_blob(&csv) {
                Ok(file) => Action::LoadData { name: format!("simulated-seed{}.csv", s.seed), file },
                Err(e) => Action::Failed(e),
            });
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash("#/change");
            }
        })
    };
    let on_design = {
        let settings = settings.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .map(|i| i.value())
                .unwrap_or_default();
            let mut s = (*settings).clone();
            s.design = if v == "one_group" { SimDesign::OneGroup } else { SimDesign::TwoGroups };
            settings.set(s);
        })
    };
    let result = ctx.sim.clone();
    html! {
        <section class="page" aria-labelledby="teach-title">
            <h2 id="teach-title">{"Teaching: how much do results wander?"}</h2>
            <p>{"Simulate many studies of a program with a known true effect. Each study gives a different estimate and p-value, just as real evaluations would. Compare how often a study finds the effect with the planned power."}</p>
            <div class="card">
                <div class="roles">
                    <div class="role"><label for="sim-design">{"Design"}</label>
                        <select id="sim-design" onchange={on_design}>
                            <option value="two_groups" selected={s.design == SimDesign::TwoGroups}>{"Program vs comparison group"}</option>
                            <option value="one_group" selected={s.design == SimDesign::OneGroup}>{"One group, before and after"}</option>
                        </select></div>
                    {field("n", "People per group", s.n_per_arm.to_string())}
                    {field("d", "True effect (d)", s.effect_d.to_string())}
                    {field("r", "Pre–post correlation", s.r_pre_post.to_string())}
                    {field("attrition", "Drop-out (share)", s.attrition.to_string())}
                    {field("icc", "ICC (clustering)", s.icc.to_string())}
                    {field("m", "People per cluster", s.cluster_size.to_string())}
                    {field("samples", "Studies to simulate", s.samples.to_string())}
                    {field("seed", "Seed (same seed, same results)", s.seed.to_string())}
                </div>
                <div class="toolbar">
                    <button type="button" data-testid="simulate" onclick={on_run}>{"Simulate"}</button>
                    <button type="button" class="secondary" onclick={on_load}>{"Load one simulated study into Change"}</button>
                    if ctx.progress.is_some() { <button type="button" class="secondary" onclick={on_cancel}>{"Cancel"}</button> }
                </div>
                if let Some((f, what)) = &ctx.progress { <p><label>{format!("{what}: {:.0}% ", f * 100.0)}<progress max="1" value={f.to_string()}></progress></label></p> }
            </div>
            if let Some(r) = result {
                <section class="card" data-testid="sim-result">
                    <h3>{"What happened in the simulated studies"}</h3>
                    { for r.summary.iter().map(|t| html! { <p class="reading">{t}</p> }) }
                    if let Some(chart) = xy_chart(&r.estimate_histogram.bins.iter().map(|b| ((b.lo + b.hi) / 2.0, b.count as f64)).collect::<Vec<_>>(), Some((r.true_effect_d, 0.0)), true, "Estimated effect (d)", "Studies", format!("Histogram of {} estimated effects; the true effect is {:.2}.", r.samples_done, r.true_effect_d)) {
                        <XyView {chart} caption={"How the estimated effect varies from study to study. The red dot marks the true effect.".to_string()} />
                    }
                    if let Some(chart) = xy_chart(&r.p_histogram.bins.iter().map(|b| ((b.lo + b.hi) / 2.0, b.count as f64)).collect::<Vec<_>>(), None, true, "p-value", "Studies", "Histogram of p-values.".into()) {
                        <XyView {chart} caption={"p-values of the simulated studies: with a real effect they pile up near 0; without one they spread evenly.".to_string()} />
                    }
                </section>
            }
            <section class="card">
                <h3>{"What the numbers mean"}</h3>
                <dl class="glossary">{ for glossary().iter().map(|g| html! { <><dt>{&g.term}</dt><dd>{&g.meaning}{" "}<em>{&g.example}</em></dd></> }) }</dl>
            </section>
        </section>
    }
}
