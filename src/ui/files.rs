//! The file bar, on every page: drop zone and inputs for the data file, the recipe and the
//! cost table (the test hooks of CONTRACT.md), and the exports. Always in the page, so files
//! can be loaded in any order from any section.

use crate::core::planning::power::{report_json, solve};
use crate::core::results::export_document;
use crate::ui::app::AppContext;
use crate::ui::browser::{download, mark_busy, read_blob};
use crate::ui::state::Action;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Hands a chosen file to `make` (the engine reads it; a worker straight from the browser's
/// file, so its bytes are never copied through the page).
pub fn load_file(ctx: &AppContext, file: Option<web_sys::File>, make: fn(String, web_sys::Blob) -> Action) {
    let Some(file) = file else { return };
    // A file too large for the tab is refused before its bytes are read into memory.
    if let Some(message) = crate::core::ingest::too_large_message(file.size().max(0.0) as u64) {
        ctx.dispatch(Action::Failed(format!("“{}” was not read. {message}", file.name())));
        return;
    }
    mark_busy();
    ctx.dispatch(make(file.name(), file.into()));
}

/// Reads a recipe file in the page (small JSON the page itself applies).
fn load_recipe(ctx: &AppContext, file: Option<web_sys::File>) {
    let Some(file) = file else { return };
    mark_busy();
    ctx.dispatch(Action::Busy);
    let ctx = ctx.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match read_blob(&file).await {
            Ok(bytes) => ctx.dispatch(Action::LoadRecipe(
                String::from_utf8_lossy(&js_sys::Uint8Array::new(&bytes).to_vec()).into_owned(),
            )),
            Err(e) => ctx.dispatch(Action::Failed(e)),
        }
    });
}

fn data_action(name: String, file: web_sys::Blob) -> Action {
    Action::LoadData { name, file }
}

fn cost_action(name: String, file: web_sys::Blob) -> Action {
    Action::LoadCosts { name, file }
}

fn counts_action(name: String, file: web_sys::Blob) -> Action {
    Action::LoadCounts { name, file }
}

/// Several data files chosen together (two or three): the waves of one study. One file is
/// loaded as before (a single file is not a wave set).
fn load_files(ctx: &AppContext, files: Vec<web_sys::File>) {
    if files.len() < 2 {
        return load_file(ctx, files.into_iter().next(), data_action);
    }
    if files.len() > crate::core::engine::waves::MAX_WAVE_FILES {
        ctx.dispatch(Action::Failed(format!(
            "{} files were chosen: Lantern links up to {} files, one per wave (before, after, follow-up). Choose the wave files again.",
            files.len(),
            crate::core::engine::waves::MAX_WAVE_FILES
        )));
        return;
    }
    for f in &files {
        if let Some(message) = crate::core::ingest::too_large_message(f.size().max(0.0) as u64) {
            ctx.dispatch(Action::Failed(format!("“{}” was not read. {message}", f.name())));
            return;
        }
    }
    mark_busy();
    ctx.dispatch(Action::LoadWaves(files.into_iter().map(|f| (f.name(), f.into())).collect()));
}

/// The chosen files of a file input, taken before the input is cleared (its FileList is live).
fn input_files(e: &Event) -> Vec<web_sys::File> {
    let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return Vec::new() };
    let files = file_list(input.files());
    // Let the same files be chosen again later.
    input.set_value("");
    files
}

fn file_list(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect()).unwrap_or_default()
}

/// The chosen file of a file input. Taken before the input is cleared (its FileList is live).
fn input_file(e: &Event) -> Option<web_sys::File> {
    let input: HtmlInputElement = e.target()?.dyn_into().ok()?;
    let file = input.files().and_then(|f| f.get(0));
    // Let the same file be chosen again later.
    input.set_value("");
    file
}

#[function_component(FileBar)]
pub fn file_bar() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let dragging = use_state(|| false);
    let on_counts = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| load_file(&ctx, input_file(&e), counts_action))
    };
    let on_cost = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| load_file(&ctx, input_file(&e), cost_action))
    };
    let on_data = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| load_files(&ctx, input_files(&e)))
    };
    let on_recipe = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| load_recipe(&ctx, input_file(&e)))
    };
    let on_drop = {
        let ctx = ctx.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            load_files(&ctx, file_list(e.data_transfer().and_then(|d| d.files())))
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
            let power = ctx.plan.as_ref().map(|case| match solve(case) {
                Ok(out) => report_json(case, &out),
                Err(e) => serde_json::json!({"design": case.design.as_str(), "solve_for": case.solve_for.as_str(), "inputs": case.inputs, "error": e.to_string()}),
            });
            let json = export_document(&ctx.recipe, ctx.dataset.as_deref(), ctx.analysis.as_deref(), power);
            if let Err(e) = download("lantern-results.json", "application/json", &json) {
                ctx.dispatch(Action::Failed(e));
            }
        })
    };
    let on_export_csv = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            if ctx.dataset.is_some() {
                mark_busy();
                ctx.dispatch(Action::CleanCsv);
            }
        })
    };
    let on_export_dictionary = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            if ctx.dataset.is_some() {
                mark_busy();
                ctx.dispatch(Action::DataDictionary);
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
    let has_results = has_data || ctx.plan.is_some();
    html! {
        <section class="filebar" aria-label="Files">
            <div class={classes!("dropzone", (*dragging).then_some("dragging"))}
                 ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
                <p><strong>{"Drop a survey export here"}</strong>{" (CSV; or the before, after and follow-up files together), or "}</p>
                <label class="button">
                    {"Choose a data file…"}
                    <input type="file" multiple=true accept=".csv,.tsv,.txt,text/csv" data-testid="data-file" class="visually-hidden" onchange={on_data} />
                </label>
                <button type="button" class="secondary" onclick={on_demo}>{"Use the demo data"}</button>
                <p class="hint">{"Files are read by this browser tab only. They are not uploaded or stored."}</p>
            </div>
            <div class="toolbar">
                <label class="button secondary">
                    {"Load recipe…"}
                    <input type="file" accept=".json,application/json" data-testid="recipe-file" class="visually-hidden" onchange={on_recipe} />
                </label>
                <button type="button" class="secondary" onclick={on_save_recipe}>{"Save recipe"}</button>
                <label class="button secondary">
                    {"Cost table…"}
                    <input type="file" accept=".csv,.txt,text/csv" data-testid="cost-file" class="visually-hidden" onchange={on_cost} />
                </label>
                <label class="button secondary" title="A table of counts per period (e.g. helpline calls per month): period, count, exposure, program start">
                    {"Counts table…"}
                    <input type="file" accept=".csv,.txt,text/csv" data-testid="counts-file" class="visually-hidden" onchange={on_counts} />
                </label>
                <button type="button" data-testid="export-results" onclick={on_export} disabled={!has_results}>{"Download results (JSON)"}</button>
                <button type="button" class="secondary" data-testid="export-clean-csv" onclick={on_export_csv} disabled={!has_data}>{"Download cleaned data (CSV)"}</button>
                <button type="button" class="secondary" data-testid="export-dictionary" onclick={on_export_dictionary} disabled={!has_data} title="Each column of the cleaned data: its header in the file, question text, type, the numbers given to answers and the missing codes">{"Download data dictionary (CSV)"}</button>
            </div>
        </section>
    }
}
