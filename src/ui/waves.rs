//! Wave files linked by participant code (CONTRACT §5), in the Change section: each loaded
//! file with a select for its wave and its code columns (one or several, joined in order), a
//! control to add or replace a wave file, plain messages for what stops linking, the linkage
//! summary with its reading, and the review panel (ambiguous codes with their candidates and
//! the group cell that helps decide, Accept / Reject per pair; duplicates).

use crate::core::engine::waves::{ReviewItem, WaveFileView, WavesView};
use crate::core::ingest::link::{Side, Wave};
use crate::ui::app::AppContext;
use crate::ui::state::Action;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

fn wave_label(w: Wave) -> &'static str {
    match w {
        Wave::Pre => "Before (pre)",
        Wave::Post => "After (post)",
        Wave::Followup => "Follow-up",
    }
}

fn select_value(e: &Event) -> String {
    e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default()
}

#[function_component(WavesPanel)]
pub fn waves_panel() -> Html {
    let replace = use_state(String::new);
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let Some(v) = ctx.waves.clone() else { return html! {} };
    let on_add = {
        let ctx = ctx.clone();
        let replace = replace.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
            let file = input.files().and_then(|f| f.get(0));
            input.set_value("");
            let Some(file) = file else { return };
            let r = (!replace.is_empty()).then(|| (*replace).clone());
            crate::ui::browser::mark_busy();
            ctx.dispatch(Action::AddWave { name: file.name(), file: file.into(), replace: r });
        })
    };
    let on_replace = {
        let replace = replace.clone();
        Callback::from(move |e: Event| replace.set(select_value(&e)))
    };
    let on_distance = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            if let Ok(k) = select_value(&e).parse::<usize>() {
                ctx.dispatch(Action::SetMaxDistance(k));
            }
        })
    };
    html! {
        <section class="card" aria-labelledby="waves-title" data-testid="waves">
            <h3 id="waves-title">{"Survey files per wave, linked by participant code"}</h3>
            <p class="hint">{"Each file is one wave of the study. Lantern links people by their code on this device; the codes never go into the results, the report or the charts."}</p>
            <crate::ui::wide::WideTable label="Wave files">
            <table class="stats wide" data-testid="wave-files">
                <thead><tr><th>{"File"}</th><th>{"Rows"}</th><th>{"Wave"}</th><th>{"Participant code column(s), joined in order"}</th></tr></thead>
                <tbody>{ for v.files.iter().map(|f| file_row(&ctx, f)) }</tbody>
            </table>
            </crate::ui::wide::WideTable>
            <div class="field-row">
                <label>{"Add or replace a wave file: "}
                    <select aria-label="The file the new one replaces" onchange={on_replace}>
                        <option value="" selected={replace.is_empty()}>{"add it as another wave"}</option>
                        { for v.files.iter().map(|f| html! { <option value={f.name.clone()} selected={*replace == f.name}>{format!("replace “{}”", f.name)}</option> }) }
                    </select>
                </label>
                <label class="button secondary">
                    {"Choose the wave file…"}
                    <input type="file" accept=".csv,.tsv,.txt,text/csv" data-testid="wave-file" class="visually-hidden" onchange={on_add} />
                </label>
                <label>{"Typing slips allowed in a code: "}
                    <select data-testid="max-distance" onchange={on_distance}>
                        { for [(0usize, "none (equal codes only)"), (1, "1"), (2, "2")].iter().map(|(k, t)| html! {
                            <option value={k.to_string()} selected={v.max_distance == *k}>{*t}</option>
                        }) }
                    </select>
                </label>
            </div>
            if !v.problems.is_empty() {
                <div role="alert" class="banner warning" data-testid="link-problems">
                    <ul>{ for v.problems.iter().map(|p| html! { <li>{p}</li> }) }</ul>
                </div>
            }
            if let Some(w) = &v.waiting {
                <p role="status" data-testid="link-waiting">{w}</p>
            }
            <LinkageSummary view={v.clone()} />
            <ReviewPanel view={v.clone()} />
        </section>
    }
}

fn file_row(ctx: &AppContext, f: &WaveFileView) -> Html {
    let on_wave = {
        let ctx = ctx.clone();
        let file = f.name.clone();
        Callback::from(move |e: Event| {
            let wave = Wave::from_name(&select_value(&e));
            ctx.dispatch(Action::SetWave { file: file.clone(), wave });
        })
    };
    let code_editor = match f.wave {
        Some(w) => {
            let parts = f.code_columns.clone();
            let on_add_part = {
                let ctx = ctx.clone();
                let parts = parts.clone();
                Callback::from(move |e: Event| {
                    let c = select_value(&e);
                    if c.is_empty() {
                        return;
                    }
                    let mut p = parts.clone();
                    p.push(c);
                    ctx.dispatch(Action::SetCodeColumns { wave: w, columns: p });
                })
            };
            let on_only = {
                let ctx = ctx.clone();
                Callback::from(move |e: Event| {
                    let c = select_value(&e);
                    ctx.dispatch(Action::SetCodeColumns {
                        wave: w,
                        columns: if c.is_empty() { Vec::new() } else { vec![c] },
                    });
                })
            };
            html! {
                <>
                <select aria-label={format!("Participant code column of “{}”", f.name)} data-testid="code-column" data-file={f.name.clone()} onchange={on_only}>
                    <option value="" selected={parts.is_empty()}>{"(choose)"}</option>
                    { for f.columns.iter().map(|c| html! { <option value={c.clone()} selected={parts.first() == Some(c)}>{c}</option> }) }
                </select>
                if parts.len() > 1 {
                    <span class="code-parts">{ for parts.iter().enumerate().skip(1).map(|(i, c)| {
                        let ctx = ctx.clone();
                        let mut rest = parts.clone();
                        rest.remove(i);
                        let remove = Callback::from(move |_: MouseEvent| ctx.dispatch(Action::SetCodeColumns { wave: w, columns: rest.clone() }));
                        html! { <span>{" + "}{c}{" "}<button type="button" class="secondary small" aria-label={format!("Remove “{c}” from the code")} onclick={remove}>{"×"}</button></span> }
                    }) }</span>
                }
                if !parts.is_empty() {
                    <select aria-label={format!("Add a part to the code of “{}”", f.name)} onchange={on_add_part}>
                        <option value="" selected=true>{"+ add a part…"}</option>
                        { for f.columns.iter().filter(|c| !parts.contains(c)).map(|c| html! { <option value={c.clone()}>{c}</option> }) }
                    </select>
                }
                </>
            }
        }
        None => html! { <span class="hint">{"set the wave first"}</span> },
    };
    html! {
        <tr>
            <td>{&f.name}<br /><span class="hint">{&f.format}</span></td>
            <td>{f.rows}</td>
            <td>
                <select aria-label={format!("Wave of “{}”", f.name)} data-testid="wave-select" data-file={f.name.clone()} onchange={on_wave}>
                    <option value="" selected={f.wave.is_none()}>{"(choose)"}</option>
                    { for Wave::ALL.iter().map(|w| html! { <option value={w.name()} selected={f.wave == Some(*w)}>{wave_label(*w)}</option> }) }
                </select>
            </td>
            <td>{code_editor}</td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct ViewProps {
    view: std::rc::Rc<WavesView>,
}

#[function_component(LinkageSummary)]
fn linkage_summary(p: &ViewProps) -> Html {
    let Some(l) = &p.view.linkage else { return html! {} };
    let mut rows = vec![("After (post)", &l.waves.post, l.post)];
    if let (Some(w), Some(c)) = (l.waves.followup.as_ref(), l.followup) {
        rows.push(("Follow-up", w, c));
    }
    let pre = &l.waves.pre;
    html! {
        <div data-testid="linkage-summary" role="status">
            <h4>{"How the files were linked"}</h4>
            { for p.view.reading.iter().map(|s| html! { <p>{s}</p> }) }
            <table class="stats">
                <caption>{format!("Before (pre): {} rows, {} with a code, {} sharing a code. Linked table: {} rows.", pre.rows, pre.with_code, pre.duplicate_rows, l.participants)}</caption>
                <thead><tr><th>{"Wave"}</th><th>{"Same code"}</th><th>{"One slip"}</th><th>{"Confirmed"}</th><th>{"Ambiguous (before / later)"}</th><th>{"Unmatched (before / later)"}</th></tr></thead>
                <tbody>{ for rows.iter().map(|(name, _, c)| html! {
                    <tr data-testid="linkage-row"><td>{*name}</td><td>{c.exact}</td><td>{c.near}</td><td>{c.confirmed}</td>
                        <td>{format!("{} / {}", c.ambiguous_pre, c.ambiguous_later)}</td><td>{format!("{} / {}", c.unmatched_pre, c.unmatched_later)}</td></tr>
                }) }</tbody>
            </table>
            <LinkBars linkage={l.clone()} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct LinkBarsProps {
    pub linkage: crate::core::ingest::link::LinkageResults,
}

/// A small chart: per later wave, the before file's rows by outcome (one bar). Counts only.
#[function_component(LinkBars)]
pub fn link_bars(p: &LinkBarsProps) -> Html {
    let l = &p.linkage;
    let mut waves = vec![("after", l.post)];
    if let Some(c) = l.followup {
        waves.push(("follow-up", c));
    }
    let total = l.waves.pre.rows.max(1) as f64;
    let width = 360.0;
    html! {
        <svg class="chart" role="img" aria-label="People who answered before, by how they were found in each later wave" viewBox={format!("0 0 {} {}", width + 90.0, 26.0 * waves.len() as f64 + 24.0)} width="450">
            { for waves.iter().enumerate().map(|(i, (name, c))| {
                let y = 6.0 + 26.0 * i as f64;
                let parts = [(c.exact, "linked-exact"), (c.near, "linked-near"), (c.confirmed, "linked-confirmed"), (c.ambiguous_pre, "linked-ambiguous"), (l.waves.pre.rows.saturating_sub(c.exact + c.near + c.confirmed + c.ambiguous_pre), "linked-none")];
                let mut x = 80.0;
                html! { <g>
                    <text x="0" y={format!("{}", y + 14.0)}>{*name}</text>
                    { for parts.iter().map(|(n, class)| {
                        let w = width * *n as f64 / total;
                        let r = html! { <rect class={*class} x={format!("{x:.1}")} y={format!("{y:.1}")} width={format!("{w:.1}")} height="18"><title>{format!("{n}")}</title></rect> };
                        x += w;
                        r
                    }) }
                </g> }
            }) }
            <text x="80" y={format!("{}", 26.0 * waves.len() as f64 + 20.0)} class="hint">{"same code · one slip · confirmed · ambiguous · not found"}</text>
        </svg>
    }
}

#[function_component(ReviewPanel)]
fn review_panel(p: &ViewProps) -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let v = &p.view;
    if v.linkage.is_none() {
        return html! {};
    }
    let accepted: Vec<(String, String)> = pairs(ctx.recipe.link.as_ref().map(|l| &l.accept));
    let rejected: Vec<(String, String)> = pairs(ctx.recipe.link.as_ref().map(|l| &l.reject));
    html! {
        <details class="log" open={!v.review.is_empty()} data-testid="link-review">
            <summary>{format!("Review: {} close to more than one other, {} shared within a file", crate::core::dataset::count_of(v.review.len(), "code", "codes"), crate::core::dataset::count_of(v.duplicates.len(), "code", "codes"))}</summary>
            if v.review.is_empty() {
                <p>{"No code needs a decision."}</p>
            }
            <ul class="review">{ for v.review.iter().map(|item| review_item(&ctx, item)) }</ul>
            if !v.duplicates.is_empty() {
                <h5>{"Codes held by more than one row of the same file (not linked)"}</h5>
                <ul>{ for v.duplicates.iter().map(|d| html! { <li>{format!("“{}” in “{}”: {} rows", d.code, d.file, d.rows)}</li> }) }</ul>
            }
            if !accepted.is_empty() || !rejected.is_empty() {
                <h5>{"Your decisions (saved in the recipe)"}</h5>
                <ul>{ for accepted.iter().map(|(a, b)| decision(&ctx, a, b, true)).chain(rejected.iter().map(|(a, b)| decision(&ctx, a, b, false))) }</ul>
            }
        </details>
    }
}

fn pairs(list: Option<&Vec<serde_json::Value>>) -> Vec<(String, String)> {
    list.map(|l| {
        l.iter()
            .filter_map(|p| {
                let a = p.get(0)?.as_str()?;
                let b = p.get(1)?.as_str()?;
                Some((a.to_string(), b.to_string()))
            })
            .collect()
    })
    .unwrap_or_default()
}

fn decision(ctx: &AppContext, pre: &str, later: &str, accepted: bool) -> Html {
    let undo = {
        let ctx = ctx.clone();
        let (pre, later) = (pre.to_string(), later.to_string());
        // Undo: the opposite decision, then taken back by the engine's order (reject wins over none).
        Callback::from(move |_: MouseEvent| {
            ctx.dispatch(Action::ReviewPair { pre: pre.clone(), later: later.clone(), accept: !accepted })
        })
    };
    html! { <li>{format!("{} “{pre}” ↔ “{later}” ", if accepted { "Linked:" } else { "Not linked:" })}
    <button type="button" class="secondary small" onclick={undo}>{if accepted { "Reject instead" } else { "Accept instead" }}</button></li> }
}

fn review_item(ctx: &AppContext, item: &ReviewItem) -> Html {
    let (mine, theirs) = match item.side {
        Side::Pre => ("before", if item.wave == Wave::Followup { "at follow-up" } else { "after" }),
        Side::Later => (if item.wave == Wave::Followup { "at follow-up" } else { "after" }, "before"),
    };
    let group = |g: &Option<String>| g.as_ref().map(|g| format!(" (group: {g})")).unwrap_or_default();
    html! {
        <li data-testid="review-item">
            <p>{format!("Code “{}” {mine}{} is one typing slip or so from {} {theirs}:", item.code, group(&item.group), crate::core::dataset::count_of(item.n_candidates, "code", "codes"))}</p>
            <ul>{ for item.candidates.iter().map(|c| {
                let (pre, later) = match item.side {
                    Side::Pre => (item.code.clone(), c.code.clone()),
                    Side::Later => (c.code.clone(), item.code.clone()),
                };
                let on = |accept: bool| {
                    let ctx = ctx.clone();
                    let (pre, later) = (pre.clone(), later.clone());
                    Callback::from(move |_: MouseEvent| ctx.dispatch(Action::ReviewPair { pre: pre.clone(), later: later.clone(), accept }))
                };
                html! { <li>
                    {format!("“{}”{} — {}{} ", c.code, group(&c.group), crate::core::dataset::count_of(c.distance, "slip", "slips"), if c.linked_near { ", already linked to another code" } else { "" })}
                    <button type="button" class="small" data-testid="accept-pair" data-pre={pre.clone()} data-later={later.clone()} onclick={on(true)}>{"Accept"}</button>
                    {" "}
                    <button type="button" class="secondary small" data-testid="reject-pair" onclick={on(false)}>{"Reject"}</button>
                </li> }
            }) }</ul>
        </li>
    }
}
