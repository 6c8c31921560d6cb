//! The Change section: load data (drop zone, file input, demo), choose column roles, read
//! the paired change per arm in words and numbers, and export results and the recipe.

use crate::core::explain::{num, paired_reading, pval};
use crate::core::clean_csv::safe_csv;
use crate::core::results::export_json;
use crate::core::stats::paired::PairedStats;
use crate::ui::app::AppContext;
use crate::ui::browser::{download, mark_busy, read_file};
use crate::ui::sections::MoreResults;
use crate::ui::state::{Action, Role};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Reads a file and dispatches what `make` builds from its bytes.
fn load_file(ctx: &AppContext, file: Option<web_sys::File>, make: fn(String, Vec<u8>) -> Action) {
    let Some(file) = file else { return };
    mark_busy();
    ctx.dispatch(Action::Busy);
    let ctx = ctx.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match read_file(&file).await {
            Ok(bytes) => ctx.dispatch(make(file.name(), bytes)),
            Err(e) => ctx.dispatch(Action::Failed(e)),
        }
    });
}

fn data_action(name: String, bytes: Vec<u8>) -> Action {
    Action::LoadData { name, bytes }
}

fn recipe_action(_name: String, bytes: Vec<u8>) -> Action {
    Action::LoadRecipe(String::from_utf8_lossy(&bytes).into_owned())
}

/// The chosen file of a file input. Taken before the input is cleared (its FileList is live).
fn input_file(e: &Event) -> Option<web_sys::File> {
    let input: HtmlInputElement = e.target()?.dyn_into().ok()?;
    let file = input.files().and_then(|f| f.get(0));
    // Let the same file be chosen again later.
    input.set_value("");
    file
}

#[function_component(ChangePage)]
pub fn change_page() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let dragging = use_state(|| false);

    let on_data = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            load_file(&ctx, input_file(&e), data_action)
        })
    };
    let on_recipe = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            load_file(&ctx, input_file(&e), recipe_action)
        })
    };
    let on_drop = {
        let ctx = ctx.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            load_file(&ctx, e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)), data_action)
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_demo = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.dispatch(Action::LoadDemo))
    };
    let on_export = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            if let (Some(ds), Some(a)) = (&ctx.dataset, &ctx.analysis) {
                let json = export_json(&ctx.recipe, ds, &a.diagnostics, &a.results);
                if let Err(e) = download("lantern-results.json", "application/json", &json) {
                    ctx.dispatch(Action::Failed(e));
                }
            }
        })
    };
    let on_export_csv = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(ds) = &ctx.dataset {
                let name = format!("{}-clean.csv", ds.file.trim_end_matches(".csv"));
                if let Err(e) = download(&name, "text/csv", &&safe_csv(ds)) {
                    ctx.dispatch(Action::Failed(e));
                }
            }
        })
    };
    let on_save_recipe = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = download("lantern-recipe.json", "application/json", &ctx.recipe.to_json()) {
                ctx.dispatch(Action::Failed(e));
            }
        })
    };

    let has_data = ctx.dataset.is_some();
    html! {
        <section class="page" aria-labelledby="change-title">
            <h2 id="change-title">{"Did stigma change?"}</h2>
            <div class={classes!("dropzone", (*dragging).then_some("dragging"))}
                 ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
                <p><strong>{"Drop a survey export here"}</strong>{" (CSV), or "}</p>
                <label class="button">
                    {"Choose a data file…"}
                    <input type="file" accept=".csv,.tsv,.txt,text/csv" data-testid="data-file" class="visually-hidden" onchange={on_data} />
                </label>
                <button type="button" class="secondary" onclick={on_demo}>{"Use the demo data"}</button>
                <p class="hint">{"The file is read by this browser tab only. It is not uploaded or stored."}</p>
            </div>
            <div class="toolbar">
                <label class="button secondary">
                    {"Load recipe…"}
                    <input type="file" accept=".json,application/json" data-testid="recipe-file" class="visually-hidden" onchange={on_recipe} />
                </label>
                <button type="button" class="secondary" onclick={on_save_recipe}>{"Save recipe"}</button>
                <button type="button" data-testid="export-results" onclick={on_export} disabled={!has_data}>{"Download results (JSON)"}</button>
                <button type="button" class="secondary" data-testid="export-clean-csv" onclick={on_export_csv} disabled={!has_data}>{"Download cleaned data (CSV)"}</button>
            </div>
            <DataSummary />
            <RolePickers />
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
            <p>{format!("“{}”: {} rows, {} columns. ", ds.file, ds.n_rows, ds.columns.len())}{ds.notes.join(" ")}</p>
            if !diags.is_empty() {
                <div role="status" class="banner warning">
                    <p>{format!("{} note(s) about the file:", diags.len())}</p>
                    <ul>
                        { for diags.iter().take(20).map(|d| html! { <li>{&d.message}</li> }) }
                    </ul>
                    if diags.len() > 20 { <p>{format!("…and {} more.", diags.len() - 20)}</p> }
                </div>
            }
        </section>
    }
}

#[function_component(RolePickers)]
fn role_pickers() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let Some(ds) = &ctx.dataset else { return html! {} };
    let names = ds.column_names();
    html! {
        <section class="card" aria-labelledby="roles-title">
            <h3 id="roles-title">{"Which column is which?"}</h3>
            <p class="hint">{"Lantern guessed from the column names. Change any that are wrong."}</p>
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
        </section>
    }
}

#[function_component(PairedResults)]
fn paired_results() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let Some(a) = &ctx.analysis else { return html! {} };
    let lower_is_better = ctx.recipe.scale.as_ref().and_then(|s| s.lower_is_better).unwrap_or(true);
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
    let title = match p.arm.as_str() {
        "all" => "Everyone",
        "intervention" => "Intervention group",
        "control" => "Control group",
        other => other,
    };
    let level = format!("{:.0}%", s.conf_level * 100.0);
    let row = |label: &str, help: &str, value: String| html! {
        <tr><th scope="row" title={help.to_string()}>{label}</th><td>{value}</td></tr>
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
