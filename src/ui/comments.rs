//! The Comments part of the Change section (free-text answers, CONTRACT §6): comment columns,
//! the comment browser with highlighted matches, word and two-word frequencies, the codebook
//! editor, hand tagging, starred quotes (shown redacted), results by code and group (with
//! co-occurring codes, and by wave for linked `pre_` / `post_` columns), a wave filter, and the
//! coded-comments export. Everything is computed in the engine (`core::analyses::comments`);
//! this file only shows it and turns clicks into [`CommentsEdit`]s and queries.

use crate::core::analyses::comments::result::{Arm, ColumnResult};
use crate::core::analyses::comments::view::{CommentsQuery, CommentsView, ViewComment};
use crate::core::present::comments::{
    by_wave, co_occurrence, column_readings, comments_chart, wave_label, CoOccurrence,
};
use crate::core::present::explain::pval;
use crate::core::recipe::edit::CommentsEdit;
use crate::ui::app::AppContext;
use crate::ui::charts::IntervalView;
use crate::ui::field::Field;
use crate::ui::state::Action;
use crate::ui::wide::WideTable;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{:.0}%", v * 100.0))
}

/// A comma-separated list typed in a field.
fn list(text: &str) -> Vec<String> {
    text.split(',').map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect()
}

fn arm_name(arm: Option<Arm>) -> &'static str {
    match arm {
        Some(Arm::Intervention) => "program group",
        Some(Arm::Control) => "comparison group",
        None => "",
    }
}

fn select_value(e: &Event) -> String {
    e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default()
}

fn input_of(r: &NodeRef) -> String {
    r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

#[function_component(CommentsPart)]
pub fn comments_part() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    if ctx.dataset.is_none() {
        return html! {};
    }
    let view = ctx.comments.clone().unwrap_or_default();
    let chosen = &ctx.recipe.comments.columns;
    let open = !chosen.is_empty() || view.candidates.iter().any(|c| c.suggested);
    html! {
        <details class="card comments" data-testid="comments" open={open}>
            <summary><strong>{"Comments: what participants wrote"}</strong></summary>
            <p class="hint">{"Free-text answers are coded here, on this device, with a codebook of words and phrases. Comment text never goes into the results file; starred quotes go into the report with identifying details removed."}</p>
            <ColumnChooser />
            if !view.problems.is_empty() {
                <div role="status" class="banner warning" data-testid="comments-problems">
                    <p><strong>{"The comment settings need a change (nothing was lost; the comments are shown uncoded until then):"}</strong></p>
                    <ul>{ for view.problems.iter().map(|p| html! { <li>{p}</li> }) }</ul>
                </div>
            }
            if !chosen.is_empty() {
                <CodebookEditor />
                <Browser />
                <Frequencies />
                <CommentResults />
                <QuotesAndExport />
            }
        </details>
    }
}

#[function_component(ColumnChooser)]
fn column_chooser() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let view = ctx.comments.clone().unwrap_or_default();
    let chosen = ctx.recipe.comments.columns.clone();
    // Chosen columns first as the recipe lists them (even one the file lacks), then the offers.
    let mut names: Vec<(String, bool)> =
        chosen.iter().map(|c| (c.clone(), view.candidates.iter().any(|k| &k.name == c && k.suggested))).collect();
    for c in &view.candidates {
        if !names.iter().any(|(n, _)| *n == c.name) {
            names.push((c.name.clone(), c.suggested));
        }
    }
    names.sort_by_key(|(n, suggested)| (!chosen.contains(n), !suggested));
    html! {
        <fieldset class="checks" data-testid="comment-columns">
            <legend>{"Comment columns (long, mostly different answers are offered first; any text column can be added)"}</legend>
            if names.is_empty() {
                <p class="hint">{"This file has no text columns."}</p>
            }
            { for names.iter().map(|(name, suggested)| {
                let ctx = ctx.clone();
                let col = name.clone();
                let on = Callback::from(move |_: Event| ctx.dispatch(Action::EditComments(CommentsEdit::ToggleColumn(col.clone()))));
                html! { <label class="check"><input type="checkbox" data-comment-column={name.clone()} checked={chosen.contains(name)} onchange={on} />{" "}{name}
                    if *suggested { <span class="hint">{" (looks like comments)"}</span> }</label> }
            }) }
        </fieldset>
    }
}

#[function_component(CodebookEditor)]
fn codebook_editor() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let c = &ctx.recipe.comments;
    let new_name = use_node_ref();
    let new_phrases = use_node_ref();
    let on_add = {
        let ctx = ctx.clone();
        let (n, p) = (new_name.clone(), new_phrases.clone());
        Callback::from(move |_: MouseEvent| {
            let name = input_of(&n);
            let phrases = list(&input_of(&p));
            ctx.dispatch(Action::EditComments(CommentsEdit::AddCode { name, phrases }));
            for r in [&n, &p] {
                if let Some(i) = r.cast::<HtmlInputElement>() {
                    i.set_value("");
                }
            }
        })
    };
    let on_starter = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.dispatch(Action::EditComments(CommentsEdit::AddStarter)))
    };
    html! {
        <section class="codebook" aria-labelledby="codebook-title" data-testid="codebook">
            <h4 id="codebook-title">{"Codebook"}</h4>
            <p class="hint">{"A code applies to a comment when any of its phrases occurs in it (whole words, any case; a * ends a stem: understand* finds understanding). Separate phrases with commas."}</p>
            if c.codebook.0.is_empty() {
                <p class="hint">{"No codes yet: add one below, or start from the starter codebook for stigma programs and adapt it."}</p>
            }
            <WideTable label="Codes of the codebook">
            <table class="stats wide codebook">
                <thead><tr><th scope="col">{"Code"}</th><th scope="col" class="phrases">{"Phrases"}</th><th scope="col">{"Description"}</th><th scope="col"><span class="visually-hidden">{"Remove"}</span></th></tr></thead>
                <tbody>{ for c.codebook.0.iter().enumerate().map(|(i, (code, phrases))| {
                    let rename = { let ctx = ctx.clone(); let from = code.clone(); Callback::from(move |to: String| ctx.dispatch(Action::EditComments(CommentsEdit::RenameCode { from: from.clone(), to }))) };
                    let set = { let ctx = ctx.clone(); let code = code.clone(); Callback::from(move |v: String| ctx.dispatch(Action::EditComments(CommentsEdit::SetPhrases { code: code.clone(), phrases: list(&v) }))) };
                    let describe = { let ctx = ctx.clone(); let code = code.clone(); Callback::from(move |v: String| ctx.dispatch(Action::EditComments(CommentsEdit::SetDescription { code: code.clone(), description: v }))) };
                    let remove = { let ctx = ctx.clone(); let code = code.clone(); Callback::from(move |_: MouseEvent| ctx.dispatch(Action::EditComments(CommentsEdit::RemoveCode(code.clone())))) };
                    html! {
                        <tr data-code={code.clone()}>
                            <td><Field class="code-name" value={code.clone()} onchange={rename} aria_label={format!("Name of code {}", i + 1)} /></td>
                            <td><Field class="phrases" value={phrases.join(", ")} onchange={set} aria_label={format!("Phrases of {code}")} /></td>
                            <td><Field class="description" value={c.descriptions.get(code).cloned().unwrap_or_default()} onchange={describe} aria_label={format!("Description of {code}")} /></td>
                            <td><button type="button" class="secondary small" onclick={remove} aria-label={format!("Remove code {code}")}>{"Remove"}</button></td>
                        </tr>
                    }
                }) }</tbody>
            </table>
            </WideTable>
            <div class="roles">
                <div class="role"><label for="new-code-name">{"New code"}</label><input id="new-code-name" data-testid="new-code-name" ref={new_name} placeholder="understanding" /></div>
                <div class="role"><label for="new-code-phrases">{"Its phrases"}</label><input id="new-code-phrases" data-testid="new-code-phrases" ref={new_phrases} placeholder="understand*, makes sense" /></div>
            </div>
            <div class="toolbar">
                <button type="button" data-testid="add-code" onclick={on_add}>{"Add code"}</button>
                <button type="button" class="secondary" onclick={on_starter}>{"Add the starter codebook"}</button>
            </div>
        </section>
    }
}

/// A comment's text with its matches marked.
fn highlighted(c: &ViewComment) -> Html {
    let mut parts = Vec::new();
    let mut at = 0;
    for h in &c.highlights {
        if h.start < at || h.end <= h.start {
            continue;
        }
        if let (Some(before), Some(hit)) = (c.text.get(at..h.start), c.text.get(h.start..h.end)) {
            parts.push(html! { {before} });
            let class = if h.code.is_some() { "hit" } else { "hit search" };
            parts.push(html! { <mark class={class}>{hit}</mark> });
            at = h.end;
        }
    }
    parts.push(html! { {c.text.get(at..).unwrap_or("")} });
    html! { <>{ for parts }</> }
}

#[function_component(Browser)]
fn browser() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let Some(view) = ctx.comments.clone() else { return html! { <p class="hint">{"Reading the comments…"}</p> } };
    let Some(column) = view.column.clone() else { return html! {} };
    let q = ctx.comments_query.clone();
    let query = |f: &dyn Fn(&mut CommentsQuery)| {
        let mut q = q.clone();
        f(&mut q);
        q
    };
    let set = {
        let ctx = ctx.clone();
        Callback::from(move |q: CommentsQuery| ctx.dispatch(Action::CommentsQuery(q)))
    };
    let on_search = {
        let set = set.clone();
        let q = q.clone();
        Callback::from(move |v: String| {
            let mut q = q.clone();
            q.search = v;
            q.page = 0;
            set.emit(q)
        })
    };
    let on_arm = {
        let set = set.clone();
        let q = q.clone();
        Callback::from(move |e: Event| {
            let mut q = q.clone();
            q.arm = match select_value(&e).as_str() {
                "intervention" => Some(Arm::Intervention),
                "control" => Some(Arm::Control),
                _ => None,
            };
            q.page = 0;
            set.emit(q)
        })
    };
    let on_code = {
        let set = set.clone();
        let q = q.clone();
        Callback::from(move |e: Event| {
            let mut q = q.clone();
            let v = select_value(&e);
            q.code = (!v.is_empty()).then_some(v);
            q.page = 0;
            set.emit(q)
        })
    };
    let on_column = {
        let set = set.clone();
        let q = q.clone();
        Callback::from(move |e: Event| {
            let mut q = q.clone();
            q.column = Some(select_value(&e));
            q.page = 0;
            set.emit(q)
        })
    };
    let on_wave = {
        let set = set.clone();
        let q = q.clone();
        let column = column.clone();
        Callback::from(move |e: Event| {
            let mut q = q.clone();
            let v = select_value(&e);
            q.wave = (!v.is_empty()).then_some(v);
            // From the column now shown: the worker picks the same question at that wave.
            q.column = Some(column.clone());
            q.page = 0;
            set.emit(q)
        })
    };
    let on_uncoded = {
        let set = set.clone();
        let q = q.clone();
        Callback::from(move |_: Event| {
            let mut q = q.clone();
            q.uncoded_only = !q.uncoded_only;
            q.page = 0;
            set.emit(q)
        })
    };
    let prev = {
        let set = set.clone();
        let q2 = query(&|q| q.page = view.page.saturating_sub(1));
        Callback::from(move |_: MouseEvent| set.emit(q2.clone()))
    };
    let next = {
        let set = set.clone();
        let q2 = query(&|q| q.page = view.page + 1);
        Callback::from(move |_: MouseEvent| set.emit(q2.clone()))
    };
    html! {
        <section aria-labelledby="browser-title" data-testid="comment-browser">
            <h4 id="browser-title">{"Read the comments"}</h4>
            <div class="roles">
                if ctx.recipe.comments.columns.len() > 1 {
                    <div class="role"><label for="comment-column">{"Column"}</label>
                        <select id="comment-column" onchange={on_column}>{ for ctx.recipe.comments.columns.iter().map(|c| html! { <option value={c.clone()} selected={*c == column}>{c}</option> }) }</select></div>
                }
                if view.waves.len() > 1 {
                    <div class="role"><label for="comment-wave">{"Wave"}</label>
                        <select id="comment-wave" data-testid="comment-wave" onchange={on_wave}>
                            <option value="" selected={q.wave.is_none()}>{"Any wave"}</option>
                            { for view.waves.iter().map(|w| html! { <option value={w.clone()} selected={q.wave.as_deref() == Some(w.as_str())}>{wave_label(w)}</option> }) }
                        </select></div>
                }
                <div class="role"><label for="comment-search">{"Search (words; * ends a stem)"}</label><Field id="comment-search" value={q.search.clone()} onchange={on_search} /></div>
                if view.with_arms {
                    <div class="role"><label for="comment-arm">{"Group"}</label>
                        <select id="comment-arm" onchange={on_arm}>
                            <option value="" selected={q.arm.is_none()}>{"Both groups"}</option>
                            <option value="intervention" selected={q.arm == Some(Arm::Intervention)}>{"Program group"}</option>
                            <option value="control" selected={q.arm == Some(Arm::Control)}>{"Comparison group"}</option>
                        </select></div>
                }
                <div class="role"><label for="comment-code">{"Code"}</label>
                    <select id="comment-code" onchange={on_code}>
                        <option value="" selected={q.code.is_none()}>{"Any code"}</option>
                        { for view.codes.iter().map(|c| html! { <option value={c.clone()} selected={q.code.as_deref() == Some(c.as_str())}>{c}</option> }) }
                    </select></div>
                <label class="check"><input type="checkbox" data-testid="uncoded-only" checked={q.uncoded_only} onchange={on_uncoded} />{" Uncoded only"}</label>
            </div>
            <p aria-live="polite">{format!("{} of {} comments in “{column}”; page {} of {}.", view.matching, view.total, view.page + 1, view.pages)}</p>
            <ol class="comment-list">{ for view.comments.iter().map(|c| comment_item(&ctx, &view, &column, c)) }</ol>
            <div class="toolbar">
                <button type="button" class="secondary small" onclick={prev} disabled={view.page == 0}>{"Previous page"}</button>
                <button type="button" class="secondary small" onclick={next} disabled={view.page + 1 >= view.pages}>{"Next page"}</button>
            </div>
        </section>
    }
}

fn comment_item(ctx: &AppContext, view: &CommentsView, column: &str, c: &ViewComment) -> Html {
    let code_name = |k: &usize| view.codes.get(*k).cloned().unwrap_or_default();
    let toggle = |code: String| {
        let ctx = ctx.clone();
        let (column, row) = (column.to_string(), c.row);
        Callback::from(move |_: MouseEvent| {
            ctx.dispatch(Action::EditComments(CommentsEdit::ToggleManual {
                column: column.clone(),
                row,
                code: code.clone(),
            }))
        })
    };
    let on_add = {
        let ctx = ctx.clone();
        let (column, row) = (column.to_string(), c.row);
        Callback::from(move |e: Event| {
            let code = select_value(&e);
            if !code.is_empty() {
                ctx.dispatch(Action::EditComments(CommentsEdit::ToggleManual { column: column.clone(), row, code }));
            }
        })
    };
    let on_star = {
        let ctx = ctx.clone();
        let (column, row) = (column.to_string(), c.row);
        Callback::from(move |_: MouseEvent| {
            ctx.dispatch(Action::EditComments(CommentsEdit::ToggleQuote { column: column.clone(), row }))
        })
    };
    let quote = view.quotes.iter().find(|q| q.column == column && q.row == c.row);
    let addable: Vec<&String> =
        view.codes.iter().enumerate().filter(|(k, _)| !c.codes.contains(k)).map(|(_, n)| n).collect();
    html! {
        <li class="comment" data-row={c.row.to_string()}>
            <p class="comment-text">{highlighted(c)}</p>
            <p class="comment-meta">
                {format!("Row {}", c.row)}
                if c.arm.is_some() { {format!(" · {}", arm_name(c.arm))} }
                { for c.codes.iter().map(|k| {
                    let name = code_name(k);
                    if c.manual.contains(k) {
                        html! { <span class="chip manual">{&name}{" (by hand) "}<button type="button" class="secondary small" onclick={toggle(name.clone())} aria-label={format!("Remove code {name} from row {}", c.row)}>{"×"}</button></span> }
                    } else {
                        html! { <span class="chip">{name}</span> }
                    }
                }) }
                if !addable.is_empty() {
                    <select class="small" aria-label={format!("Add a code to row {}", c.row)} data-testid="tag-code" onchange={on_add}>
                        <option value="" selected=true>{"Add a code…"}</option>
                        { for addable.iter().map(|n| html! { <option value={(*n).clone()}>{*n}</option> }) }
                    </select>
                }
                <button type="button" class="secondary small" data-testid="star" aria-pressed={if c.starred { "true" } else { "false" }} onclick={on_star}>
                    {if c.starred { "★ Starred for the report" } else { "☆ Star as a quote" }}</button>
            </p>
            if let Some(q) = quote {
                <p class="hint quote-preview" data-testid="quote-preview">{"In the report: “"}{&q.text}{"”"}</p>
            }
        </li>
    }
}

#[function_component(Frequencies)]
fn frequencies() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let Some(view) = ctx.comments.clone() else { return html! {} };
    let search = |term: &str| {
        let ctx = ctx.clone();
        let mut q = ctx.comments_query.clone();
        q.search = term.to_string();
        q.page = 0;
        Callback::from(move |_: MouseEvent| ctx.dispatch(Action::CommentsQuery(q.clone())))
    };
    let on_stop = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| ctx.dispatch(Action::EditComments(CommentsEdit::StopWords(Some(list(&v))))))
    };
    let on_reset = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.dispatch(Action::EditComments(CommentsEdit::StopWords(None))))
    };
    let terms = |title: &str, list: &[crate::core::analyses::comments::view::Term]| {
        html! {
            <div>
                <h5>{title}</h5>
                if list.is_empty() { <p class="hint">{"None."}</p> }
                <ol class="terms">{ for list.iter().map(|t| html! {
                    <li><button type="button" class="link" onclick={search(&t.term)} aria-label={format!("Search for {}", t.term)}>{&t.term}</button>{format!(" {} ({} comments)", t.count, t.comments)}</li>
                }) }</ol>
            </div>
        }
    };
    html! {
        <details class="frequencies" data-testid="frequencies">
            <summary>{"Frequent words and two-word phrases (of the comments shown)"}</summary>
            if view.terms_from < view.matching {
                <p class="hint">{format!("Counted in the first {} of the {} comments shown (narrow the filters to count the others).", view.terms_from, view.matching)}</p>
            }
            <div class="two-col">
                {terms("Words", &view.words)}
                {terms("Two-word phrases", &view.pairs)}
            </div>
            <label for="stop-words">{"Words left out of the counts (stop words; separate with commas)"}</label>
            <Field id="stop-words" value={view.stop_words.join(", ")} onchange={on_stop} />
            if ctx.recipe.comments.stop_words.is_some() {
                <button type="button" class="secondary small" onclick={on_reset}>{"Use the default list"}</button>
            }
        </details>
    }
}

/// One column's table of codes (count, share with interval, by group with Fisher's p).
fn column_table(column: &str, r: &ColumnResult, alpha: f64) -> Html {
    let with_arms = r.codes.0.iter().any(|(_, k)| k.arms.is_some());
    html! {
        <div data-testid="comment-results" data-column={column.to_string()}>
            { for column_readings(column, r, alpha).iter().map(|s| html! { <p class="reading">{s}</p> }) }
            <WideTable label={format!("Codes in {column}")}>
            <table class="stats wide">
                <thead><tr><th scope="col">{"Code"}</th><th scope="col">{"Comments"}</th><th scope="col">{"Share (95% CI)"}</th>
                    if with_arms { <th scope="col">{"Program group"}</th><th scope="col">{"Comparison group"}</th><th scope="col">{"Fisher's p"}</th> }</tr></thead>
                <tbody>
                { for r.codes.0.iter().map(|(code, k)| html! {
                    <tr><td>{code}</td><td>{k.count}</td><td>{format!("{} ({} to {})", pct(k.share), pct(k.ci_low), pct(k.ci_high))}</td>
                    if let Some(a) = &k.arms {
                        <td>{format!("{} of {} ({})", a.by_arm.intervention.count, a.by_arm.intervention.n, pct(a.by_arm.intervention.share))}</td>
                        <td>{format!("{} of {} ({})", a.by_arm.control.count, a.by_arm.control.n, pct(a.by_arm.control.share))}</td>
                        <td>{pval(a.arm_p)}</td>
                    }</tr>
                }) }
                <tr><td>{"(no code)"}</td><td>{r.uncoded.count}</td><td>{pct(r.uncoded.share)}</td>if with_arms { <td></td><td></td><td></td> }</tr>
                </tbody>
            </table>
            </WideTable>
            if let Some(CoOccurrence { columns, rows, readings }) = co_occurrence(r) {
                <details class="co-occurrence" data-testid="co-occurrence">
                    <summary>{"Codes that come up together"}</summary>
                    { for readings.iter().map(|s| html! { <p class="reading">{s}</p> }) }
                    <WideTable label={format!("Codes together in {column}")}>
                    <table class="stats">
                        <caption>{"Comments with both codes (the diagonal: comments with the code)"}</caption>
                        <thead><tr>{ for columns.iter().map(|c| html! { <th scope="col">{c}</th> }) }</tr></thead>
                        <tbody>{ for rows.iter().map(|row| html! {
                            <tr>{ for row.iter().enumerate().map(|(i, c)| if i == 0 { html! { <th scope="row">{c}</th> } } else { html! { <td>{c}</td> } }) }</tr>
                        }) }</tbody>
                    </table>
                    </WideTable>
                </details>
            }
            if let Some(chart) = comments_chart(r) {
                <IntervalView {chart} caption={"Share of comments mentioning each code, by group, with 95% intervals. A comment can mention several codes.".to_string()} />
            }
        </div>
    }
}

#[function_component(CommentResults)]
fn comment_results() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let Some(a) = &ctx.analysis else { return html! {} };
    if a.results.comments.is_empty() {
        return html! {};
    }
    let alpha = ctx.recipe.alpha();
    html! {
        <section aria-labelledby="comment-results-title">
            <h4 id="comment-results-title">{"How often each code comes up"}</h4>
            { for a.results.comments.0.iter().map(|(column, r)| column_table(column, r, alpha)) }
            { for by_wave(&a.results).iter().map(|b| html! {
                <div data-testid="comments-by-wave" data-question={b.question.clone()}>
                    <h5>{format!("“{}” at each wave", b.question)}</h5>
                    <p class="hint">{"Mostly the same people answered at each wave, so the shares are shown with their own 95% intervals and not tested against each other."}</p>
                    <WideTable label={format!("{} by wave", b.question)}>
                    <table class="stats">
                        <thead><tr>{ for b.columns.iter().map(|c| html! { <th scope="col">{c}</th> }) }</tr></thead>
                        <tbody>{ for b.rows.iter().map(|row| html! {
                            <tr>{ for row.iter().enumerate().map(|(i, c)| if i == 0 { html! { <th scope="row">{c}</th> } } else { html! { <td>{c}</td> } }) }</tr>
                        }) }</tbody>
                    </table>
                    </WideTable>
                </div>
            }) }
        </section>
    }
}

#[function_component(QuotesAndExport)]
fn quotes_and_export() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let original = use_state(|| false);
    let view = ctx.comments.clone().unwrap_or_default();
    let on_words = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| ctx.dispatch(Action::EditComments(CommentsEdit::RedactWords(list(&v)))))
    };
    let on_original = {
        let original = original.clone();
        Callback::from(move |_: Event| original.set(!*original))
    };
    let on_export = {
        let ctx = ctx.clone();
        let original = *original;
        Callback::from(move |_: MouseEvent| ctx.dispatch(Action::CommentsCsv(original)))
    };
    html! {
        <section aria-labelledby="quotes-title" data-testid="quotes">
            <h4 id="quotes-title">{"Quotes for the report"}</h4>
            <p class="hint">{"Star a few comments per code above. In the report they are shown with e-mail addresses, phone numbers, web addresses, numbers of five or more digits and the words below replaced by [removed]."}</p>
            <label for="redact-words">{"Also remove these words (names of staff, places; separate with commas)"}</label>
            <Field id="redact-words" value={ctx.recipe.comments.redact.join(", ")} onchange={on_words} />
            if view.quotes.is_empty() {
                <p class="hint">{"No quote starred yet."}</p>
            } else {
                <ul>{ for view.quotes.iter().map(|q| html! { <li><q>{&q.text}</q>{format!(" — row {}{}", q.row, if q.codes.is_empty() { String::new() } else { format!(", {}", q.codes.join(", ")) })}</li> }) }</ul>
            }
            <div class="toolbar">
                <button type="button" data-testid="export-comments" onclick={on_export}>{"Download coded comments (CSV)"}</button>
                <label class="check"><input type="checkbox" checked={*original} onchange={on_original} />{" Comments as written (not redacted)"}</label>
            </div>
        </section>
    }
}

/// The report's starred quotes (redacted), after the comments section.
#[function_component(ReportQuotes)]
pub fn report_quotes() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let Some(view) = ctx.comments.clone() else { return html! {} };
    if view.quotes.is_empty() {
        return html! {};
    }
    html! {
        <div class="report-quotes" data-testid="report-quotes">
            <h4>{"In their own words"}</h4>
            { for view.quotes.iter().map(|q| html! {
                <figure class="quote">
                    <blockquote data-testid="report-quote">{&q.text}</blockquote>
                    <figcaption>{format!("A participant{}{}", if q.arm.is_some() { format!(" in the {}", arm_name(q.arm)) } else { String::new() },
                        if q.codes.is_empty() { String::new() } else { format!(" (coded {})", q.codes.join(", ")) })}</figcaption>
                </figure>
            }) }
            <p class="hint">{"Identifying details (e-mail addresses, phone numbers, web addresses, long numbers and listed words) are replaced by [removed]."}</p>
        </div>
    }
}
