//! How the file is read, beyond the codes and switches of `ReadingSettings`: the numbers given
//! to text answers (Likert wording, yes/no), editable per column, and the offer to read a long
//! file (one row per person per wave) as one row per person. Included from `change.rs`.
//! Every edit goes through the reducer ([`Action::EditIngest`]), applied to the settings in
//! force when it arrives, so quick successive edits are all kept; the engine reads the file again.

use crate::core::dataset::ValueMap;
use crate::core::ingest::reshape::LongLayout;
use crate::ui::app::AppContext;
use crate::ui::field::Field;
use crate::ui::state::{Action, IngestEdit};
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// The number a box shows: whole numbers without ".0".
fn shown(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

/// What a number box holds: `Some(None)` = empty (missing), `Some(Some(v))` = a number,
/// `None` = not a number (ignored). A decimal comma is accepted.
fn typed(text: &str) -> Option<Option<f64>> {
    let t = text.trim();
    if t.is_empty() {
        return Some(None);
    }
    t.replace(',', ".").parse::<f64>().ok().filter(|v| v.is_finite()).map(Some)
}

/// Every column's text → number map, as small editable tables.
#[function_component(ValueMapsEditor)]
pub fn value_maps_editor() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let Some(ds) = &ctx.dataset else { return html! {} };
    if ds.value_maps.is_empty() {
        return html! {};
    }
    let edited = |c: &str| ctx.recipe.ingest.as_ref().is_some_and(|i| i.value_maps.contains_key(c));
    html! {
        <details class="log" data-testid="value-maps">
            <summary>{format!("How text answers are read as numbers ({} {})", ds.value_maps.len(), if ds.value_maps.len() == 1 { "column" } else { "columns" })}</summary>
            <p class="hint">{"Change a number to score an answer differently. Leave a box empty to read that answer as missing in that column."}</p>
            { for ds.value_maps.iter().map(|m| html! { <MapTable map={m.clone()} edited={edited(&m.column)} /> }) }
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct MapTableProps {
    map: ValueMap,
    /// The user changed this column's numbers (a reset is offered).
    edited: bool,
}

#[function_component(MapTable)]
fn map_table(p: &MapTableProps) -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let m = &p.map;
    let column = m.column.clone();
    let rows: Vec<(String, Option<f64>)> = m
        .entries
        .iter()
        .map(|(a, v)| (a.clone(), Some(*v)))
        .chain(m.missing.iter().map(|a| (a.clone(), None)))
        .collect();
    let reset = {
        let ctx = ctx.clone();
        let column = column.clone();
        Callback::from(move |_: MouseEvent| ctx.dispatch(Action::EditIngest(IngestEdit::ResetAnswers(column.clone()))))
    };
    html! {
        <table class="stats value-map" data-column={column.clone()}>
            <caption>{format!("“{}”: {}", m.column, m.description)}</caption>
            <thead><tr><th scope="col">{"Answer"}</th><th scope="col">{"Number"}</th></tr></thead>
            <tbody>
            { for rows.into_iter().map(|(answer, value)| {
                let ctx = ctx.clone();
                let (col, ans) = (column.clone(), answer.clone());
                let onchange = Callback::from(move |text: String| {
                    if let Some(value) = typed(&text) {
                        ctx.dispatch(Action::EditIngest(IngestEdit::Answer { column: col.clone(), answer: ans.clone(), value }));
                    }
                });
                html! {
                    <tr>
                        <th scope="row">{&answer}</th>
                        <td><Field kind="number" step="any" class={classes!("answer-number")}
                            aria_label={format!("Number for “{answer}” in “{}”", m.column)}
                            placeholder="missing"
                            value={value.map(shown).unwrap_or_default()} {onchange} /></td>
                    </tr>
                }
            }) }
            </tbody>
            if p.edited {
                <tfoot><tr><td colspan="2">
                    <button type="button" class="secondary small" onclick={reset}>{format!("Reset “{}” to the numbers Lantern found", m.column)}</button>
                </td></tr></tfoot>
            }
        </table>
    }
}

/// The offer to read a long file as one row per person (or, once done, to undo it).
#[function_component(LongLayoutOffer)]
pub fn long_layout_offer() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let id_pick = use_state(|| None::<String>);
    let wave_pick = use_state(|| None::<String>);
    let Some(ds) = &ctx.dataset else { return html! {} };
    if let Some(long) = ctx.recipe.ingest.as_ref().and_then(|i| i.long.clone()) {
        let undo = {
            let ctx = ctx.clone();
            Callback::from(move |_: MouseEvent| ctx.dispatch(Action::EditIngest(IngestEdit::Long(None))))
        };
        return html! {
            <p role="status" class="banner" data-testid="long-layout">
                {format!("Read as one row per person, by “{}” and “{}”. ", long.id, long.wave)}
                <button type="button" class="secondary small" onclick={undo}>{"Read the file as it is"}</button>
            </p>
        };
    }
    let hint = ds.long_layout.clone();
    let columns = ds.columns.clone();
    let first = |skip: Option<&str>| columns.iter().find(|c| Some(c.as_str()) != skip).cloned().unwrap_or_default();
    let id = (*id_pick).clone().or_else(|| hint.as_ref().map(|h| h.id.clone())).unwrap_or_else(|| first(None));
    let wave =
        (*wave_pick).clone().or_else(|| hint.as_ref().map(|h| h.wave.clone())).unwrap_or_else(|| first(Some(&id)));
    let picker = |label: &str, testid: &str, current: &str, state: UseStateHandle<Option<String>>| {
        let onchange = Callback::from(move |e: Event| {
            if let Some(v) = e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value()) {
                state.set(Some(v));
            }
        });
        html! {
            <label class="inline">{label}{" "}
                <select data-testid={testid.to_string()} {onchange}>
                    { for columns.iter().map(|c| html! { <option value={c.clone()} selected={c == current}>{c}</option> }) }
                </select>
            </label>
        }
    };
    let reshape = {
        let ctx = ctx.clone();
        let (id, wave) = (id.clone(), wave.clone());
        // The suggested waves (in time order) when its columns are the ones chosen.
        let waves = hint.as_ref().filter(|h| h.id == id && h.wave == wave).map(|h| h.waves.clone());
        Callback::from(move |_: MouseEvent| {
            ctx.dispatch(Action::EditIngest(IngestEdit::Long(Some(LongLayout {
                id: id.clone(),
                wave: wave.clone(),
                waves: waves.clone(),
            }))))
        })
    };
    let pickers = html! {
        <div class="toolbar">
            {picker("Participant code", "long-id", &id, id_pick.clone())}
            {picker("Wave", "long-wave", &wave, wave_pick.clone())}
            <button type="button" class="small" onclick={reshape} disabled={id == wave}>{"Reshape to one row per person"}</button>
        </div>
    };
    match &hint {
        Some(h) => html! {
            <div role="status" class="banner" data-testid="long-layout">
                <p>{format!(
                    "This file looks long (one row per person per wave): reshape by “{}” and “{}”? {} {} seen at more than one wave ({}).",
                    h.id, h.wave, h.repeated, if h.repeated == 1 { "person is" } else { "people are" },
                    h.waves.join(", ")
                )}</p>
                {pickers}
            </div>
        },
        None => html! {
            <details class="log">
                <summary>{"One row per person per wave? Reshape to one row per person"}</summary>
                {pickers}
            </details>
        },
    }
}
