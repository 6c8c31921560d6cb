//! The Plan section: power, sample size and detectable effect for every design, from typed
//! numbers or from the loaded data, with a power curve and a shareable link (the state lives
//! in the URL fragment, which is never sent to a server).

use crate::core::planning::observed::{allow_for_dropout, attrition_from_linkage};
use crate::core::planning::power::explain::{
    curve_family, d_from_raw, dz_from_raw, effect_band, output_details, plan_reading, sensitivity_line,
    LITERATURE_EFFECTS, POWER_BANDS,
};
use crate::core::planning::power::link::to_fragment;
use crate::core::planning::power::{solve, Design, InputValue, PowerCase, SolveFor};
use crate::core::present::chart::{series_chart, BandSpec, LineSpec};
use crate::core::present::explain::num;
use crate::ui::app::AppContext;
use crate::ui::cost::XyView;
use crate::ui::field::Field;
use crate::ui::state::Action;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Milliseconds from the page's performance clock (0 where there is none).
fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// The input that a solve produces instead of reading.
fn solved_input(s: SolveFor) -> &'static str {
    match s {
        SolveFor::Power => "power",
        SolveFor::N => "n",
        SolveFor::N2 => "n2",
        SolveFor::D => "d",
        SolveFor::H => "h",
        SolveFor::Mdes => "delta",
        SolveFor::J => "J",
    }
}

fn label(name: &str) -> &'static str {
    match name {
        "d" => "Effect size d (standardised mean difference)",
        "n" => "Sample size n (per group; pairs for paired designs; people per cluster for cluster trials)",
        "n1" => "Group 1 size (n1)",
        "n2" => "Group 2 size (n2)",
        "power" => "Power (chance of detecting a real effect)",
        "sig_level" => "Significance level (alpha)",
        "alternative" => "Direction of the test",
        "p1" => "Share with the outcome, group 1 (p1)",
        "p2" => "Share with the outcome, group 2 (p2)",
        "h" => "Effect size h (for proportions)",
        "p01" => "Share changing no → yes (p01)",
        "p10" => "Share changing yes → no (p10)",
        "J" => "Number of clusters (J)",
        "P" => "Share of clusters in the program (P)",
        "rho" => "Intraclass correlation (ICC, rho)",
        "R2_1" => "Variance explained by covariates, individuals (R²₁)",
        "R2_2" => "Variance explained by covariates, clusters (R²₂)",
        "g" => "Number of cluster-level covariates (g)",
        "delta" => "Effect size to detect (delta)",
        "n_individual" => "Sample size without clustering",
        "m" => "People per cluster (m)",
        "icc" => "Intraclass correlation (ICC)",
        "n_required" => "Sample size needed at the end",
        "attrition" => "Expected drop-out (share, e.g. 0.2)",
        "r_pre_post" => "Correlation of pre and post scores (r)",
        _ => "Value",
    }
}

/// The test's directions, in words (the value is the planning link's and R's).
const ALTERNATIVES: [(&str, &str); 3] = [
    ("two.sided", "Either direction (two-sided)"),
    ("greater", "Only an increase (one-sided)"),
    ("less", "Only a decrease (one-sided)"),
];

/// The step of an input's arrow keys: whole numbers for counts, small steps for shares and
/// effects.
fn step_of(name: &str) -> &'static str {
    match name {
        "n" | "n1" | "n2" | "J" | "g" | "m" | "n_individual" | "n_required" => "1",
        "sig_level" | "rho" | "icc" => "0.01",
        _ => "0.05",
    }
}

/// The answer's numbers in words, the analysts' details folded under them.
fn detail_tables(out: &crate::core::planning::power::PowerOutput) -> Html {
    let rows = output_details(out);
    let table = |analysts: bool| {
        html! {
            <table class="stats" data-testid={if analysts { "plan-details" } else { "plan-numbers" }}><tbody>
                { for rows.iter().filter(|r| r.for_analysts == analysts).map(|r| html! { <tr><th scope="row">{r.label}</th><td>{r.value.clone()}</td></tr> }) }
            </tbody></table>
        }
    };
    html! {
        <>
            { table(false) }
            if rows.iter().any(|r| r.for_analysts) {
                <details><summary>{"Details for analysts"}</summary>{ table(true) }</details>
            }
        </>
    }
}

fn text_of(case: &PowerCase, name: &str) -> String {
    case.inputs.get(name).map(InputValue::to_text).unwrap_or_default()
}

/// The default planning case: the paired design solved for n.
pub fn default_case() -> PowerCase {
    PowerCase::new(Design::PairedT, SolveFor::N)
        .with("d", 0.3)
        .with("power", 0.8)
        .with("sig_level", 0.05)
        .with("alternative", "two.sided")
}

/// Values the loaded data suggest, with where each came from.
fn from_data(ctx: &AppContext) -> Vec<(&'static str, f64, String)> {
    let mut out = Vec::new();
    let Some(a) = &ctx.analysis else { return out };
    let paired_design = ctx.plan.as_ref().is_none_or(|c| c.design == Design::PairedT);
    let arm = if a.results.paired.contains_key("intervention") { "intervention" } else { "all" };
    if !paired_design {
        // Two-group designs: the observed difference between the groups after the program.
        if let Some(d) = a.results.two_group_post.as_ref().and_then(|t| t.cohen_d) {
            out.push((
                "d",
                (d.abs() * 1000.0).round() / 1000.0,
                "observed Cohen's d between the groups after the program".to_string(),
            ));
        }
    }
    if let Some(p) = a.results.paired.get(arm) {
        if let (true, Some(dz)) = (paired_design, p.dz) {
            out.push((
                "d",
                (dz.abs() * 1000.0).round() / 1000.0,
                format!("observed d_z in the {arm} group ({} pairs)", p.n),
            ));
        }
        if let Some(r) = p.r_pre_post {
            out.push(("r_pre_post", (r * 1000.0).round() / 1000.0, format!("pre–post correlation in the {arm} group")));
        }
        if let Some(sd) = p.sd_pre {
            out.push(("sd_pre", (sd * 1000.0).round() / 1000.0, format!("SD of the pre scores in the {arm} group")));
        }
    }
    if let Some(c) = &a.results.clustering {
        let (one, many) = crate::core::analyses::clustering::cluster_nouns(&c.column);
        if let Some(icc) = c.stats.icc.filter(|v| *v >= 0.0) {
            let why = format!(
                "ICC of the {} scores between {many} (“{}”, {} {many})",
                c.outcome, c.column, c.stats.n_clusters
            );
            out.push(("rho", (icc * 10000.0).round() / 10000.0, why.clone()));
            out.push(("icc", (icc * 10000.0).round() / 10000.0, why));
        }
        if let Some(m) = c.stats.mean_cluster_size {
            out.push(("m", m.round(), format!("average people per {one} in your file")));
        }
    }
    // Linked wave files: the observed drop-out between the before and after files (the linked
    // table's rows include people found only later, so rows without a pair say less).
    if let Some(obs) = a.results.linkage.as_ref().map(attrition_from_linkage).and_then(|v| v.into_iter().next()) {
        out.push(("attrition", obs.attrition, obs.why));
    } else if let Some(ds) = &ctx.dataset {
        let pairs: usize = a.results.paired.values().map(|p| p.n).sum();
        if ds.n_rows > 0 && pairs <= ds.n_rows {
            let att = 1.0 - pairs as f64 / ds.n_rows as f64;
            out.push((
                "attrition",
                (att * 1000.0).round() / 1000.0,
                format!("{} of {} rows lack a pre/post pair", ds.n_rows - pairs, ds.n_rows),
            ));
        }
    }
    out
}

/// Works out d from means, SDs and the pre–post correlation, and puts it in the planner.
#[function_component(EffectHelper)]
fn effect_helper() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let vals = use_state(|| ["0.3".to_string(), "0.8".into(), "0.8".into(), "0.5".into()]);
    let paired = ctx.plan.as_ref().is_none_or(|c| c.design == Design::PairedT);
    let num = |i: usize| vals[i].trim().parse::<f64>().ok();
    let d = match (num(0), num(1), num(2), num(3)) {
        (Some(m), Some(s1), Some(s2), Some(r)) if paired => dz_from_raw(m, s1, s2, r),
        (Some(m), Some(s1), Some(s2), _) => d_from_raw(m, s1, s2),
        _ => None,
    };
    let field = |i: usize, label: &'static str| {
        let current = vals[i].clone();
        let vals = vals.clone();
        let onchange = Callback::from(move |text: String| {
            let mut v = (*vals).clone();
            v[i] = text;
            vals.set(v);
        });
        html! { <label class="inline">{label}{" "}<Field inputmode="decimal" value={current} {onchange} /></label> }
    };
    let on_use = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = d {
                let mut c = ctx.plan.clone().unwrap_or_else(default_case);
                c.set("d", (d.abs() * 10000.0).round() / 10000.0);
                ctx.dispatch(Action::SetPlan(c));
            }
        })
    };
    html! {
        <details class="card">
            <summary>{"Work out d from means and SDs"}</summary>
            <div class="toolbar">
                {field(0, if paired { "Expected change in the mean" } else { "Expected difference between groups" })}
                {field(1, if paired { "SD before" } else { "SD group 1" })}
                {field(2, if paired { "SD after" } else { "SD group 2" })}
                if paired { {field(3, "Pre–post correlation r")} }
            </div>
            <p>{match d { Some(d) => format!("{} = {:.3} ({})", if paired { "d_z" } else { "d" }, d, effect_band(d)), None => "Enter positive SDs (and r between −1 and 1).".into() }}</p>
            { for from_data(&ctx).iter().filter(|(n, _, _)| *n == "sd_pre" || *n == "r_pre_post").map(|(n, v, why)| html! {
                <p class="hint">{format!("From your data: {} = {v} ({why}).", if *n == "sd_pre" { "SD before" } else { "r" })}</p>
            }) }
            <button type="button" class="secondary" onclick={on_use} disabled={d.is_none()}>{"Use this d"}</button>
        </details>
    }
}

#[function_component(PlanPage)]
pub fn plan_page() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let case = ctx.plan.clone().unwrap_or_else(default_case);
    let solved = solve(&case);
    let set = {
        let ctx = ctx.clone();
        move |c: PowerCase| ctx.dispatch(Action::SetPlan(c))
    };
    let on_design = {
        let set = set.clone();
        let case = case.clone();
        Callback::from(move |e: Event| {
            let v =
                e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default();
            if let Some(d) = Design::parse(&v) {
                let mut c = PowerCase::new(d, d.solve_options()[0]);
                for name in d.input_names() {
                    if let Some(v) = case.inputs.get(*name) {
                        c.set(name, v.clone());
                    }
                }
                set(c);
            }
        })
    };
    let on_solve = {
        let set = set.clone();
        let case = case.clone();
        Callback::from(move |e: Event| {
            let v =
                e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default();
            if let Some(s) = SolveFor::parse(&v) {
                let mut c = case.clone();
                c.solve_for = s;
                set(c);
            }
        })
    };
    let hidden = solved_input(case.solve_for);
    let fields: Vec<&str> = case.design.input_names().iter().copied().filter(|n| *n != hidden).collect();
    let suggestions = from_data(&ctx);
    let link = web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}{}", l.origin().ok()?, l.pathname().ok()?, to_fragment(&case)))
        })
        .unwrap_or_else(|| to_fragment(&case));
    // The curves are recomputed only when the case changes; the time taken is shown on the
    // chart (`data-curve-ms`, read by the benchmark in bench/).
    let curve = use_memo((case.clone(), solved.as_ref().ok().cloned()), |(case, out)| {
        let started = now_ms();
        let family = out.as_ref().and_then(|out| curve_family(case, out, 200));
        let ms = now_ms() - started;
        let fam = family?;
        let own = fam.curves.iter().find(|c| c.own)?;
        let lines: Vec<LineSpec> = fam
            .curves
            .iter()
            .map(|c| LineSpec {
                label: c.label.clone(),
                dashed: !c.own,
                bold: c.own,
                data: c.points.iter().map(|p| (p.x, p.power)).collect(),
            })
            .collect();
        let bands: Vec<BandSpec> = POWER_BANDS
            .iter()
            .map(|(lo, hi, name)| BandSpec { lo: *lo, hi: *hi, label: (*name).to_string() })
            .collect();
        let first = own.points.first().map_or(0.0, |p| p.power * 100.0);
        let last = own.points.last().map_or(0.0, |p| p.power * 100.0);
        let description = format!(
            "Power against {} from {} to {}: for your plan it rises from {first:.0}% to {last:.0}%. {} curves for comparison; shaded bands: below 50% likely to miss, 50 to 80% a coin flip to probable, 80 to 95% probably detects, above 95% almost surely.",
            fam.vary, fam.from, fam.to, fam.curves.len().saturating_sub(1)
        );
        let chart = series_chart(
            &lines,
            &[],
            Some((0.0, 1.0)),
            &bands,
            None,
            &format!("Sample size ({})", fam.vary),
            "Power",
            description,
        )?;
        let points: usize = fam.curves.iter().map(|c| c.points.len()).sum();
        Some((chart, own.points.len(), points, ms))
    });
    html! {
        <section class="page" aria-labelledby="plan-title">
            <h2 id="plan-title">{"Plan the next evaluation"}</h2>
            if let Some(e) = &ctx.plan_error {
                <p class="banner error" role="alert">{e}{" The planner below shows the last valid plan."}</p>
            }
            <div class="card plan-form">
                <div class="roles">
                    <div class="role">
                        <label for="plan-design">{"Study design"}</label>
                        <select id="plan-design" data-testid="plan-design" onchange={on_design}>
                            { for Design::ALL.iter().map(|d| html! { <option value={d.as_str()} selected={*d == case.design}>{d.label()}</option> }) }
                        </select>
                    </div>
                    <div class="role">
                        <label for="plan-solve">{"Work out"}</label>
                        <select id="plan-solve" data-testid="plan-solve-for" onchange={on_solve}>
                            { for case.design.solve_options().iter().map(|s| html! { <option value={s.as_str()} selected={*s == case.solve_for}>{label(solved_input(*s))}</option> }) }
                        </select>
                    </div>
                    { for fields.iter().map(|name| {
                        let name = name.to_string();
                        let id = format!("plan-{name}");
                        let set = set.clone();
                        let case2 = case.clone();
                        let n2 = name.clone();
                        let commit = Callback::from(move |v: String| {
                            let mut c = case2.clone();
                            let v = v.trim().to_string();
                            if v.is_empty() {
                                c.inputs.remove(&n2);
                            } else if let Ok(x) = v.parse::<f64>() {
                                c.set(&n2, x);
                            } else {
                                c.set(&n2, v.as_str());
                            }
                            set(c);
                        });
                        let onchange = {
                            let commit = commit.clone();
                            Callback::from(move |e: Event| {
                                if let Some(s) = e.target().and_then(|t| t.dyn_ref::<HtmlSelectElement>().map(|s| s.value())) {
                                    commit.emit(s);
                                }
                            })
                        };
                        let hint = suggestions.iter().find(|s| s.0 == name).map(|(_, v, why)| format!("From your data: {v} ({why})"));
                        html! {
                            <div class="role">
                                <label for={id.clone()}>{label(&name)}</label>
                                if name == "alternative" {
                                    <select id={id} {onchange}>
                                        { for ALTERNATIVES.iter().map(|(a, words)| html! { <option value={*a} selected={text_of(&case, "alternative") == *a || (*a == "two.sided" && text_of(&case, "alternative").is_empty())}>{*words}</option> }) }
                                    </select>
                                } else {
                                    <Field {id} kind="number" step={step_of(&name)} min="0" inputmode="decimal" live=true value={text_of(&case, &name)} onchange={commit} />
                                }
                                if let Some(h) = hint { <span class="hint">{h}</span> }
                            </div>
                        }
                    }) }
                </div>
                if case.design.input_names().contains(&"d") && case.solve_for != SolveFor::D {
                    <p class="hint">{"Effects seen in anti-stigma programs: "}
                        { for LITERATURE_EFFECTS.iter().map(|(d, source)| {
                            let set = set.clone();
                            let case = case.clone();
                            let d = *d;
                            html! { <button type="button" class="secondary small" title={source.to_string()} onclick={Callback::from(move |_: MouseEvent| { let mut c = case.clone(); c.set("d", d); set(c); })}>{format!("d = {d:.2} ({source})")}</button> }
                        }) }
                    </p>
                }
                <EffectHelper />
                if !suggestions.is_empty() {
                    <button type="button" class="secondary" onclick={{
                        let set = set.clone();
                        let case = case.clone();
                        let sug = suggestions.clone();
                        Callback::from(move |_: MouseEvent| {
                            let mut c = case.clone();
                            for (name, v, _) in &sug {
                                if c.design.input_names().contains(name) && *name != solved_input(c.solve_for) {
                                    c.set(name, *v);
                                }
                            }
                            set(c);
                        })
                    }}>{"Fill in from my data"}</button>
                }
            </div>
            <ObservedDropout />
            { match &solved {
                Ok(out) => html! {
                    <section class="card" aria-labelledby="plan-answer" data-testid="plan-result">
                        <h3 id="plan-answer">{"Answer"}</h3>
                        <p class="reading lead">{plan_reading(&case, out)}</p>
                        if let Some(line) = sensitivity_line(&case) { <p class="reading" data-testid="plan-sensitivity">{line}</p> }
                        { detail_tables(out) }
                        <p class="hint">{"Share this plan: "}<a href={to_fragment(&case)} data-testid="plan-link">{link}</a>{" (the link holds only these numbers, never your data)."}</p>
                    </section>
                },
                Err(e) => html! { <p class="banner error" role="alert">{e.to_string()}</p> },
            } }
            if let Some((chart, own_points, all_points, ms)) = (*curve).clone() {
                <div data-testid="plan-curve" data-curve-points={own_points.to_string()} data-all-points={all_points.to_string()} data-curve-ms={format!("{ms:.2}")}>
                    <XyView {chart} caption={"Power for other sample sizes, the other inputs as above, for your effect and for effects seen in anti-stigma studies. The usual target is 80%.".to_string()} />
                </div>
            }
        </section>
    }
}

/// With linked wave files: the drop-out observed between the waves, offered as the plan's
/// drop-out input (the number stays editable in the planner).
#[function_component(ObservedDropout)]
fn observed_dropout() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let Some(observed) = ctx.analysis.as_ref().and_then(|a| a.results.linkage.as_ref()).map(attrition_from_linkage)
    else {
        return html! {};
    };
    if observed.is_empty() {
        return html! {};
    }
    let case = ctx.plan.clone().unwrap_or_else(default_case);
    let needed = solve(&case).ok().and_then(|o| o.n_ceiling);
    let buttons = observed.iter().map(|obs| {
        let ctx = ctx.clone();
        let case = case.clone();
        let o = obs.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let c = if case.design.input_names().contains(&"attrition") {
                let mut c = case.clone();
                c.set("attrition", o.attrition);
                c
            } else {
                // The people the current plan needs at the end (or the planner's example
                // 100 when it solves for something else), recruited allowing for drop-out.
                allow_for_dropout(needed.filter(|_| case.solve_for == SolveFor::N).unwrap_or(100), &o)
            };
            ctx.dispatch(Action::SetPlan(c));
        });
        html! {
            <button type="button" class="secondary" data-testid="plan-use-dropout" {onclick}>
                {format!("Plan for {} drop-out ({})", num(Some(obs.attrition), 3), obs.wave)}
            </button>
        }
    });
    html! {
        <section class="card" aria-labelledby="plan-dropout-title" data-testid="plan-observed-dropout">
            <h3 id="plan-dropout-title">{"Drop-out seen in your linked files"}</h3>
            { for observed.iter().map(|o| html! { <p class="reading">{format!("From {}: drop-out {}.", o.why, num(Some(o.attrition), 3))}</p> }) }
            <p class="hint">{"Use it as the plan's expected drop-out: the planner works out how many people to recruit so that enough are left at the end. You can still change the number."}</p>
            <div class="toolbar">{ for buttons }</div>
        </section>
    }
}
