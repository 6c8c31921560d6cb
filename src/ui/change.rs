//! The Change section: what was loaded, which column is which, and the change in words,
//! numbers and a chart.

use crate::core::present::explain::{num, paired_reading, pval};
use crate::core::stats::paired::PairedStats;
use crate::ui::app::AppContext;
use crate::ui::field::Field;
use crate::ui::items::ItemsCard;
use crate::ui::sections::MoreResults;
use crate::ui::state::{Action, IngestEdit, Role};
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Answer numbers and the long-file reshape (a file of its own beside this one).
use crate::ui::reading::{LongLayoutOffer, ValueMapsEditor};

#[function_component(ChangePage)]
pub fn change_page() -> Html {
    html! {
        <section class="page" aria-labelledby="change-title">
            <h2 id="change-title">{"Did stigma change?"}</h2>
            <crate::ui::waves::WavesPanel />
            <DataSummary />
            <RolePickers />
            <crate::ui::process::ProcessSettings />
            <crate::ui::comments::CommentsPart />
            <ItemsCard />
            <PairedResults />
        </section>
    }
}

#[function_component(DataSummary)]
fn data_summary() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let Some(ds) = &ctx.dataset else {
        return html! { <p class="empty">{"No data loaded yet."}</p> };
    };
    let diags: Vec<_> = ds.diagnostics.iter().chain(ctx.analysis.iter().flat_map(|a| a.diagnostics.iter())).collect();
    html! {
        <section class="card" aria-labelledby="data-title">
            <h3 id="data-title">{"Your data"}</h3>
            <p>{format!("“{}”: {} rows, {} columns. ", ds.file, ds.n_rows, ds.columns.len())}</p>
            <details class="log">
                <summary>{"What Lantern did when reading the file"}</summary>
                <ul>{ for ds.notes.iter().map(|n| html! { <li>{n}</li> }) }</ul>
            </details>
            <ReadingSettings />
            // (In a box of its own: keyed, so its choices start afresh with each file, and
            // often empty. Yew 0.23 lost its place among these siblings when it was remade
            // while the identifying-columns box below went away, and the page stopped.)
            <div class="long-offer"><LongLayoutOffer key={ds.file.clone()} /></div>
            <ValueMapsEditor />
            if !ds.identifying.is_empty() {
                <div role="status" class="banner warning" data-testid="identifying">
                    <p><strong>{"These columns look like they could identify people:"}</strong></p>
                    <ul>{ for ds.identifying.iter().map(|c| {
                        let kept = ctx.recipe.keep_identifying.contains(&c.column);
                        let name = c.column.clone();
                        let ctx2 = ctx.clone();
                        let toggle = Callback::from(move |_: MouseEvent| ctx2.dispatch(Action::ToggleKeepIdentifying(name.clone())));
                        if c.possible {
                            // Only possibly identifying: a warning to check, kept in the cleaned
                            // data until the user confirms it identifies people.
                            let out = ctx.recipe.leave_out_possible.contains(&c.column);
                            let name = c.column.clone();
                            let ctx3 = ctx.clone();
                            let confirm = Callback::from(move |_: MouseEvent| ctx3.dispatch(Action::ToggleLeaveOutPossible(name.clone())));
                            return html! { <li data-possible="true">{&c.reason}{" "}
                                {if out { "You confirmed it identifies people: it is left out of the cleaned data. " } else { "It is kept in the cleaned data unless you confirm. " }}
                                <button type="button" class="secondary small" data-testid="confirm-possible" onclick={confirm}>{if out { "Keep it after all" } else { "Yes, leave it out" }}</button></li> };
                        }
                        html! { <li>{&c.reason}{" "}{if kept { "It is kept in the cleaned data, as you chose. " } else { "It is left out of the cleaned data. " }}
                            <button type="button" class="secondary small" onclick={toggle}>{if kept { "Leave it out" } else { "Keep it" }}</button></li> }
                    }) }</ul>
                    <p class="hint">{"Lantern never sends them anywhere; leaving them out of exports protects participants if a file is shared."}</p>
                </div>
            }
            <details class="log">
                <summary>{"Columns and their types"}</summary>
                <crate::ui::wide::WideTable label="Columns and their types">
                <table class="stats wide">
                    <thead><tr><th>{"Column"}</th><th>{"Type"}</th><th>{"Missing"}</th><th>{"Distinct values"}</th><th>{"Example"}</th></tr></thead>
                    <tbody>{ for ds.types.iter().map(|t| html! {
                        <tr><td>{&t.column}</td><td>{format!("{:?}", t.kind).to_lowercase()}</td><td>{t.n_missing}</td><td>{t.n_distinct}</td><td>{&t.example}</td></tr>
                    }) }</tbody>
                </table>
                </crate::ui::wide::WideTable>
            </details>
            if !ds.preview.is_empty() {
                <details class="log" data-testid="preview">
                    <summary>{format!("The first {} rows as read", ds.preview.len())}</summary>
                    <crate::ui::wide::WideTable label="The first rows as read">
                    <table class="stats wide preview">
                        <caption>{"Under each name: its detected type and how many cells are missing. Columns that look like they identify people are hidden."}</caption>
                        <thead><tr>{ for ds.columns.iter().map(|c| {
                            let t = ds.types.iter().find(|t| &t.column == c);
                            html! { <th scope="col">{c}<br /><span class="hint">{t.map(|t| format!("{}, {} missing", format!("{:?}", t.kind).to_lowercase(), t.n_missing)).unwrap_or_default()}</span></th> }
                        }) }</tr></thead>
                        <tbody>{ for ds.preview.iter().map(|row| html! { <tr>{ for row.iter().map(|cell| html! { <td>{cell}</td> }) }</tr> }) }</tbody>
                    </table>
                    </crate::ui::wide::WideTable>
                </details>
            }
            if let Some(e) = &ctx.engine {
                <p class="hint">{format!("Computed in {}.", e.kind.borrow())}</p>
            }
            if !diags.is_empty() {
                <div role="status" class="banner warning">
                    <p>{format!("{} about the file:", crate::core::dataset::count_of(diags.len(), "note", "notes"))}</p>
                    <ul>
                        { for diags.iter().take(20).map(|d| html! { <li>{&d.message}</li> }) }
                    </ul>
                    if diags.len() > 20 { <p>{format!("…and {} more.", diags.len() - 20)}</p> }
                </div>
            }
        </section>
    }
}

/// The editable missing-value codes and the unfinished-responses switch.
#[function_component(ReadingSettings)]
fn reading_settings() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let current = ctx.recipe.ingest.clone().unwrap_or_default();
    let codes = current.missing_codes.clone().unwrap_or_else(|| {
        crate::core::dataset::DEFAULT_MISSING_CODES.iter().filter(|c| !c.is_empty()).map(|c| c.to_string()).collect()
    });
    // Edits go through the reducer, applied to the settings in force when they arrive.
    let on_codes = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| {
            let codes = v.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
            ctx.dispatch(Action::EditIngest(IngestEdit::MissingCodes(codes)));
        })
    };
    let on_unfinished = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let on = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.checked())
                .unwrap_or(false);
            ctx.dispatch(Action::EditIngest(IngestEdit::DropUnfinished(on)));
        })
    };
    html! {
        <div class="toolbar">
            <label class="inline">{"Missing-value codes (blank cells always count) "}
                <Field id="missing-codes" value={codes.join(", ")} onchange={on_codes} />
            </label>
            <label class="inline"><input id="drop-unfinished" type="checkbox" checked={ctx.recipe.ingest.as_ref().and_then(|i| i.drop_unfinished).unwrap_or(false)} onchange={on_unfinished} />{" Leave out unfinished survey responses"}</label>
        </div>
    }
}

#[function_component(RolePickers)]
fn role_pickers() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let Some(ds) = &ctx.dataset else { return html! {} };
    let names = ds.columns.clone();
    html! {
        <section class="card" aria-labelledby="roles-title">
            <h3 id="roles-title">{"Which column is which?"}</h3>
            <p class="hint">{"Lantern guessed from the column names. Change any that are wrong."}</p>
            <label class="inline">{"Significance level (alpha) "}
                <Field id="alpha" kind="number" min="0.001" max="0.2" step="0.01" value={ctx.recipe.alpha().to_string()} onchange={{
                    let ctx = ctx.clone();
                    Callback::from(move |v: String| ctx.dispatch(Action::SetAlpha(v.trim().parse::<f64>().ok())))
                }} />
            </label>
            <div class="roles">
            { for Role::ALL.iter().map(|&role| {
                let ctx2 = ctx.clone();
                let onchange = Callback::from(move |e: Event| {
                    let v = e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value());
                    let col = v.filter(|v| !v.is_empty());
                    ctx2.dispatch(Action::SetRole(role, col));
                });
                let current = ctx.role(role).unwrap_or("").to_string();
                let id = format!("role-{role:?}").to_lowercase();
                html! {
                    <div class="role">
                        <label for={id.clone()}>{role.label()}</label>
                        <select id={id} {onchange}>
                            <option value="" selected={current.is_empty()}>{"(none)"}</option>
                            { for names.iter().map(|n| html! { <option value={n.clone()} selected={*n == current}>{n}</option> }) }
                        </select>
                    </div>
                }
            }) }
            </div>
            <GroupLevelsPicker />
        </section>
    }
}

/// "Which answer means the program group? … the comparison group?": two choices listing the
/// group column's answers, shown whenever a group column is chosen (hooks `group-intervention`,
/// `group-control`). Lantern's guess is preselected until the user chooses.
#[function_component(GroupLevelsPicker)]
fn group_levels_picker() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let (Some(ds), Some(group)) = (&ctx.dataset, ctx.role(Role::Group)) else { return html! {} };
    let answers = ds.levels.get(group).cloned().unwrap_or_default();
    let chosen = ctx.recipe.group_levels.clone().unwrap_or_default();
    let guess = crate::core::recipe::guess_group_levels(&answers);
    let int = chosen.intervention.clone().or(guess.intervention.clone()).unwrap_or_default();
    let ctl = chosen.control.clone().or(guess.control.clone()).unwrap_or_default();
    let select = |id: &'static str, label: &'static str, current: String, program: bool| {
        let ctx = ctx.clone();
        let (int, ctl) = (int.clone(), ctl.clone());
        let onchange = Callback::from(move |e: Event| {
            let v = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                .map(|s| s.value())
                .filter(|v| !v.is_empty());
            let keep = |x: &String| Some(x.clone()).filter(|x| !x.is_empty());
            let (intervention, control) = if program { (v, keep(&ctl)) } else { (keep(&int), v) };
            ctx.dispatch(Action::SetGroupLevels { intervention, control });
        });
        html! {
            <div class="role">
                <label for={id}>{label}</label>
                <select id={id} data-testid={id} {onchange}>
                    <option value="" selected={current.is_empty()}>{"(choose)"}</option>
                    { for answers.iter().map(|a| html! { <option value={a.clone()} selected={*a == current}>{a}</option> }) }
                </select>
            </div>
        }
    };
    html! {
        <div class="roles group-levels">
            { select("group-intervention", "Which answer means the program group?", int.clone(), true) }
            { select("group-control", "Which answer means the comparison group?", ctl.clone(), false) }
            if answers.is_empty() {
                <p class="hint">{format!("The column “{group}” has too many different answers to be a group column: choose another column above.")}</p>
            }
        </div>
    }
}

#[function_component(PairedResults)]
fn paired_results() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let Some(a) = &ctx.analysis else { return html! {} };
    let lower_is_better = ctx.recipe.lower_is_better();
    html! {
        <>
        <section class="card" aria-labelledby="paired-title">
            <h3 id="paired-title">{"Change from before to after"}</h3>
            { for a.notes.iter().map(|n| html! { <p role="status" class="banner warning">{n}</p> }) }
            { for ["all", "intervention", "control"].iter().filter_map(|arm| a.results.paired.get(*arm).map(|s| html! {
                <PairedArm arm={arm.to_string()} stats={s.clone()} {lower_is_better} />
            })) }
        </section>
        <MoreResults results={a.results.clone()} {lower_is_better} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct PairedArmProps {
    arm: String,
    stats: PairedStats,
    lower_is_better: bool,
}

#[function_component(PairedArm)]
fn paired_arm(p: &PairedArmProps) -> Html {
    let s = &p.stats;
    let title = crate::core::present::explain::arm_title(p.arm.as_str());
    let level = format!("{:.0}%", s.conf_level * 100.0);
    let row = |label: &str, help: &str, value: String| {
        html! {
            <tr><th scope="row" title={help.to_string()}>{label}</th><td>{value}</td></tr>
        }
    };
    html! {
        <article class="arm" data-arm={p.arm.clone()}>
            <h4>{title}</h4>
            <p class="reading">{paired_reading(s, p.lower_is_better)}</p>
            <table class="stats">
                <tbody>
                    {row("People with both scores", "Complete pre/post pairs used here.", s.n.to_string())}
                    {row("Mean before → after", "Average score at each time.", format!("{} → {}", num(s.mean_pre, 2), num(s.mean_post, 2)))}
                    {row("Mean change (after − before)", "Negative means scores went down.", num(s.mean_diff, 3))}
                    {row(&format!("{level} confidence interval"), "The range of changes the data are consistent with.", format!("{} to {}", num(s.ci_low, 3), num(s.ci_high, 3)))}
                    {row("SD of the change", "How much individual changes vary.", num(s.sd_diff, 3))}
                    {row("t (df)", "Paired t-test statistic and degrees of freedom.", format!("{} ({})", num(s.t, 3), num(s.df, 0)))}
                    {row("p-value", "How surprising a change this large would be if the program had no effect.", pval(s.p))}
                    {row("Effect size d_z", "Mean change divided by the SD of changes.", num(s.dz, 3))}
                    {row("Effect size g_av", "Mean change in units of the average SD, small-sample corrected.", num(s.g_av, 3))}
                    {row("Wilcoxon signed-rank p", "A check that does not assume normally distributed changes.", pval(s.wilcoxon_p_R_default))}
                </tbody>
            </table>
        </article>
    }
}
