//! The Combine sites section (`#/combine`, CONTRACT.md §8): the sites' results files in
//! (`results-files`, several at once, or dropped), each site listed with its n, its measures and a
//! name for the report; files that cannot be used listed with their reason; per measure the pooled
//! table, the readings and a forest plot; `export-pooled` downloads `lantern-pooled.json`. The
//! pooling itself is `core::results::pooling` (small: it runs in the page), the wording and the
//! plot's geometry `core::present::combine`.

use crate::core::present::combine::{
    forest_chart, heading, heterogeneity_line, readings, table_rows, ForestChart, Model,
};
use crate::core::results::pooling::{export_pooled, Measure};
use crate::ui::app::AppContext;
use crate::ui::browser::{download, read_blob};
use crate::ui::charts::svg_button;
use crate::ui::field::Field;
pub use crate::ui::model::combine::{Combine, CombineEdit};
use crate::ui::state::Action;
use crate::ui::wide::WideTable;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Reads the chosen or dropped files in the page and adds them.
fn add_files(ctx: &AppContext, list: Option<web_sys::FileList>) {
    let Some(list) = list else { return };
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    if files.is_empty() {
        return;
    }
    let ctx = ctx.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let mut read = Vec::new();
        for file in files {
            if let Some(message) = crate::core::ingest::too_large_message(file.size().max(0.0) as u64) {
                ctx.dispatch(Action::Failed(format!("“{}” was not read. {message}", file.name())));
                continue;
            }
            match read_blob(&file).await {
                Ok(bytes) => read.push((
                    file.name(),
                    String::from_utf8_lossy(&js_sys::Uint8Array::new(&bytes).to_vec()).into_owned(),
                )),
                Err(e) => ctx.dispatch(Action::Failed(format!("“{}”: {e}", file.name()))),
            }
        }
        if !read.is_empty() {
            ctx.dispatch(Action::EditCombine(CombineEdit::Add(read)));
        }
    });
}

#[derive(Properties, PartialEq)]
pub struct ForestProps {
    pub chart: ForestChart,
    pub caption: String,
}

/// Draws a forest plot: each site's square (area by weight) and interval, the pooled diamond and
/// the prediction interval.
#[function_component(ForestView)]
pub fn forest_view(p: &ForestProps) -> Html {
    let c = &p.chart;
    let (l, t, r, b) = c.plot;
    let f = |v: f64| format!("{v:.1}");
    html! {
        <crate::ui::wide::ChartFigure class="forest" testid="forest-plot">
            <svg xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {} {}", c.width, c.height)} class={crate::ui::charts::width_class(c.width)} role="img" aria-label={c.description.clone()}>
                { for c.x_ticks.iter().map(|(x, s)| html! { <g class="tick"><line x1={f(*x)} x2={f(*x)} y1={t.to_string()} y2={b.to_string()} /><text x={f(*x)} y={(b + 16.0).to_string()} text-anchor="middle">{s}</text></g> }) }
                if let Some(zx) = c.null_x { <line class="zero" x1={f(zx)} x2={f(zx)} y1={t.to_string()} y2={b.to_string()} /> }
                { for c.rows.iter().map(|row| html! {
                    <g class="frow">
                        <text x={(l - 8.0).to_string()} y={(row.y + 4.0).to_string()} text-anchor="end">{&row.label}</text>
                        <line class="ci" x1={f(row.lo)} x2={f(row.hi)} y1={f(row.y)} y2={f(row.y)} />
                        <rect class="site" x={f(row.x - row.size / 2.0)} y={f(row.y - row.size / 2.0)} width={f(row.size)} height={f(row.size)}><title>{&row.text}</title></rect>
                        <text class="fval" x={c.text_x.to_string()} y={(row.y + 4.0).to_string()}>{&row.value_text}</text>
                    </g>
                }) }
                <g class="frow pooled">
                    <text x={(l - 8.0).to_string()} y={(c.diamond_y + 4.0).to_string()} text-anchor="end">{"Combined"}</text>
                    <polygon class="diamond" points={c.diamond.clone()}><title>{format!("{}: {}", c.diamond_label, c.diamond_text)}</title></polygon>
                    <text class="fval" x={c.text_x.to_string()} y={(c.diamond_y + 4.0).to_string()}>{&c.diamond_text}</text>
                </g>
                if let Some((x0, x1, y)) = c.pi {
                    <g class="frow pi">
                        <text x={(l - 8.0).to_string()} y={(y + 4.0).to_string()} text-anchor="end">{"A new site"}</text>
                        <line class="pi" x1={f(x0)} x2={f(x1)} y1={f(y)} y2={f(y)}><title>{format!("95% prediction interval: {}", c.pi_text)}</title></line>
                        <text class="fval" x={c.text_x.to_string()} y={(y + 4.0).to_string()}>{&c.pi_text}</text>
                    </g>
                }
                <text class="xlabel" x={((l + r) / 2.0).to_string()} y={(c.height - 4.0).to_string()} text-anchor="middle">{&c.x_label}</text>
            </svg>
            <figcaption>{&p.caption}{" "}{svg_button(&p.caption)}</figcaption>
        </crate::ui::wide::ChartFigure>
    }
}

/// One pooled measure: heading, readings, the models' table, heterogeneity and the forest plot.
/// `report`: inside the report (a level-4 heading) rather than the section (level 3).
pub fn measure_block(m: Measure, c: &Combine, report: bool) -> Html {
    let Some(doc) = &c.doc else { return html! {} };
    let Some(p) = doc.pooled.get(m) else { return html! {} };
    let labels = |f: &str| c.label(f);
    let chart = forest_chart(m, p, c.model, &labels);
    let caption = format!(
        "{}: each square is a site (its size shows its weight) with its 95% interval; the diamond is the combined estimate ({}); the bottom line is where a new site's effect would be expected (95% prediction interval).",
        heading(m),
        c.model.label()
    );
    let title = html! { <>{heading(m)}{format!(" — {} sites", p.fit.k)}</> };
    html! {
        <section class="pooled-measure report-section" data-measure={m.key()} data-testid={format!("pooled-{}", m.key())}>
            if report { <h4>{title}</h4> } else { <h3>{title}</h3> }
            { for readings(m, p, &labels).into_iter().map(|t| html! { <p class="reading">{t}</p> }) }
            <WideTable label={format!("Combined estimates: {}", heading(m))}>
            <table class="stats wide">
                <caption>{if m == Measure::LogRrHelp { "Risk ratio (1 = no difference), by model" } else { "Combined estimate by model" }}</caption>
                <thead><tr><th scope="col">{"Model"}</th><th scope="col">{"Estimate"}</th><th scope="col">{"95% interval"}</th><th scope="col">{"p"}</th><th scope="col">{"τ² (between-site variance)"}</th></tr></thead>
                <tbody>{ for table_rows(m, p).into_iter().map(|r| html! {
                    <tr><th scope="row">{r[0].clone()}</th><td>{r[1].clone()}</td><td>{r[2].clone()}</td><td>{r[3].clone()}</td><td>{r[4].clone()}</td></tr>
                }) }</tbody>
            </table>
            </WideTable>
            <p class="hint">{heterogeneity_line(m, p)}</p>
            if let Some(chart) = chart { <ForestView {chart} {caption} /> }
        </section>
    }
}

#[function_component(CombinePage)]
pub fn combine_page() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let dragging = use_state(|| false);
    let c = ctx.combine.clone();
    let on_files = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
            // The files are taken from the list before the input is cleared (its FileList is live).
            add_files(&ctx, input.files());
            input.set_value("");
        })
    };
    let on_drop = {
        let ctx = ctx.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            add_files(&ctx, e.data_transfer().and_then(|d| d.files()));
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
    let on_export = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(doc) = &ctx.combine.doc {
                if let Err(e) =
                    download("lantern-pooled.json", "application/json", &export_pooled(doc, &ctx.combine.labels))
                {
                    ctx.dispatch(Action::Failed(e));
                }
            }
        })
    };
    let on_clear = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.dispatch(Action::EditCombine(CombineEdit::Clear)))
    };
    let on_model = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let v = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()).map(|s| s.value());
            if let Some(m) = v.as_deref().and_then(Model::from_key) {
                ctx.dispatch(Action::EditCombine(CombineEdit::Model(m)));
            }
        })
    };
    let remove = |file: &str, last: bool| {
        let ctx = ctx.clone();
        let file = file.to_string();
        Callback::from(move |_: MouseEvent| {
            ctx.dispatch(Action::EditCombine(CombineEdit::Remove { file: file.clone(), last }))
        })
    };
    let rename = |file: &str| {
        let ctx = ctx.clone();
        let file = file.to_string();
        Callback::from(move |label: String| {
            ctx.dispatch(Action::EditCombine(CombineEdit::Rename { file: file.clone(), label }))
        })
    };

    let doc = c.doc.clone();
    let n_sites = doc.as_ref().map_or(0, |d| d.sites.len());
    let n_rejected = doc.as_ref().map_or(0, |d| d.rejected.len());
    let n_pooled = doc.as_ref().map_or(0, |d| Measure::ALL.iter().filter(|m| d.pooled.get(**m).is_some()).count());
    let summary = match &doc {
        None => "No results files yet.".to_string(),
        Some(_) => format!(
            "{n_sites} site{} read{}; {n_pooled} measure{} combined.",
            if n_sites == 1 { "" } else { "s" },
            if n_rejected > 0 {
                format!(", {n_rejected} file{} not used", if n_rejected == 1 { "" } else { "s" })
            } else {
                String::new()
            },
            if n_pooled == 1 { "" } else { "s" }
        ),
    };
    html! {
        <section class="page" aria-labelledby="combine-title" data-testid="combine">
            <h2 id="combine-title">{"Combine sites"}</h2>
            <p>{"When a program runs at several sites, each site analyses its own data in Lantern and downloads its results file (lantern-results.json: summaries only, no rows). Load those files here to combine them by meta-analysis: no site's data leaves that site."}</p>
            <div class={classes!("dropzone", (*dragging).then_some("dragging"))}
                 ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
                <p><strong>{"Drop the sites' results files here"}</strong>{" (lantern-results.json, several at once), or "}</p>
                <label class="button">
                    {"Choose results files…"}
                    <input type="file" multiple=true accept=".json,application/json" data-testid="results-files" class="visually-hidden" onchange={on_files} />
                </label>
                <p class="hint">{"The files are read by this browser tab only."}</p>
            </div>
            <p data-testid="combine-status" role="status">{summary}</p>
            if let Some(d) = &doc {
                if !d.rejected.is_empty() {
                    <div class="banner error" role="alert" data-testid="rejected-files">
                        <p>{"Not used:"}</p>
                        <ul>{ for d.rejected.iter().map(|r| html! {
                            <li>{&r.message}{" "}<button type="button" class="secondary small" aria-label={format!("Remove {}", r.file)} onclick={remove(&r.file, true)}>{"Remove"}</button></li>
                        }) }</ul>
                    </div>
                }
                if !d.sites.is_empty() {
                    <WideTable label="Sites">
                    <table class="stats wide editor" data-testid="sites">
                        <caption>{"Sites combined (rename a site to change how the report names it)"}</caption>
                        <thead><tr><th scope="col">{"File"}</th><th scope="col">{"n"}</th><th scope="col">{"Measures it has"}</th><th scope="col">{"Name in the report"}</th><th scope="col"><span class="visually-hidden">{"Remove"}</span></th></tr></thead>
                        <tbody>{ for d.sites.iter().map(|s| html! {
                            <tr data-file={s.file.clone()}>
                                <th scope="row">{&s.file}</th>
                                <td>{s.n.map_or_else(|| "unknown".to_string(), |n| n.to_string())}</td>
                                <td>{if s.measures.is_empty() { "none".to_string() } else { s.measures.iter().map(|m| short(*m)).collect::<Vec<_>>().join(", ") }}</td>
                                <td><Field aria_label={format!("Name in the report for {}", s.file)} value={c.label(&s.file)} onchange={rename(&s.file)} /></td>
                                <td><button type="button" class="secondary small" aria-label={format!("Remove {}", s.file)} onclick={remove(&s.file, false)}>{"Remove"}</button></td>
                            </tr>
                        }) }</tbody>
                    </table>
                    </WideTable>
                }
                if !d.notes.is_empty() {
                    <div class="card" data-testid="combine-notes">
                        <h3>{"Notes"}</h3>
                        <ul>{ for d.notes.iter().map(|n| html! { <li>{&n.message}</li> }) }</ul>
                    </div>
                }
                <div class="toolbar">
                    <label>{"Diamond shows "}
                        <select onchange={on_model} data-testid="pool-model">
                            { for Model::ALL.iter().map(|m| html! { <option value={m.key()} selected={*m == c.model}>{m.label()}</option> }) }
                        </select>
                    </label>
                    <button type="button" data-testid="export-pooled" onclick={on_export} disabled={n_sites == 0}>{"Download combined results (JSON)"}</button>
                    <button type="button" class="secondary" onclick={on_clear}>{"Remove all files"}</button>
                </div>
                { for Measure::ALL.into_iter().map(|m| measure_block(m, &c, false)) }
                if !d.measures_absent.is_empty() && n_sites >= 2 {
                    <p class="hint">{"Not combined: "}{d.measures_absent.iter().map(|m| short(*m)).collect::<Vec<_>>().join(", ")}{" (see the notes for why)."}</p>
                }
            }
        </section>
    }
}

/// A measure's short name for lists.
pub fn short(m: Measure) -> &'static str {
    match m {
        Measure::Ancova => "adjusted difference (ANCOVA)",
        Measure::GChange => "Hedges' g of change",
        Measure::ChangeIntervention => "change, intervention",
        Measure::ChangeControl => "change, control",
        Measure::ChangeAll => "change, single group",
        Measure::LogRrHelp => "help-seeking risk ratio",
    }
}

/// The combined sites in the report (a section of its own when sites are loaded).
#[function_component(CombinedReport)]
pub fn combined_report() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let c = &ctx.combine;
    let Some(doc) = &c.doc else { return html! {} };
    if doc.sites.len() < 2 {
        return html! {};
    }
    let sites: Vec<String> = doc
        .sites
        .iter()
        .map(|s| format!("{} (n = {})", c.label(&s.file), s.n.map_or_else(|| "unknown".to_string(), |n| n.to_string())))
        .collect();
    html! {
        <section class="report-section" data-section="combined" data-testid="report-combined">
            <h3>{"Combined sites"}</h3>
            <p>{format!("Results files from {} sites were combined by meta-analysis; no site shared its data: {}.", doc.sites.len(), sites.join(", "))}</p>
            { for Measure::ALL.into_iter().map(|m| measure_block(m, c, true)) }
            { for doc.notes.iter().map(|n| html! { <p class="hint">{&n.message}</p> }) }
            <p class="hint">{"Method: inverse-variance meta-analysis of each site's estimate and standard error: fixed effect, random effects (DerSimonian–Laird and REML), REML with the Knapp–Hartung adjustment; Cochran's Q and I² for how much sites differ; the 95% prediction interval from the REML fit."}</p>
        </section>
    }
}
