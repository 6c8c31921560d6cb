//! Item-level scoring in the Change section: one or several scales (or subscales) from the same
//! file, each from a prefix (`pre_q` → `pre_q1`…) or from columns picked one by one; reverse
//! items, the minimum answered, sum or mean, "don't know" answers, or a preset (scoring keys
//! only); and the reliability read back (alpha with its interval, item-rest correlations,
//! warnings). The first scale's scores feed the change analysis.

use crate::core::analyses::scales::presets::{check_reminder, PRESETS};
use crate::core::analyses::scales::ItemsResult;
use crate::core::present::explain::num;
use crate::ui::app::AppContext;
use crate::ui::field::Field;
use crate::ui::state::{item_scales, Action, ItemsEdit};
use crate::ui::wide::WideTable;
use serde_json::{Map, Value};
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

fn get(m: &Map<String, Value>, key: &str) -> String {
    match m.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| x.as_str().map(str::to_string).unwrap_or_else(|| x.to_string()))
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// True when the file has numbered item columns (e.g. `pre_q1`…).
fn looks_item_level(columns: &[String]) -> bool {
    columns
        .iter()
        .filter(|c| c.chars().last().is_some_and(|ch| ch.is_ascii_digit()) && c.to_lowercase().contains("pre"))
        .count()
        >= 3
}

/// The typed text of a field as the recipe value it stands for.
fn typed(key: &str, v: &str) -> Value {
    let v = v.trim();
    match key {
        "k" | "min_answered" | "min" | "max" => {
            v.parse::<f64>().map(Value::from).unwrap_or(Value::String(v.to_string()))
        }
        "reverse" => {
            Value::Array(v.split([',', ' ']).filter_map(|x| x.trim().parse::<u64>().ok()).map(Value::from).collect())
        }
        _ => Value::String(v.to_string()),
    }
}

#[function_component(ItemsCard)]
pub fn items_card() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let Some(ds) = &ctx.dataset else { return html! {} };
    let scales = item_scales(&ctx.recipe.items);
    let result = ctx.analysis.as_ref().and_then(|a| a.results.items.clone());
    let add = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.dispatch(Action::EditItems(ItemsEdit::AddScale)))
    };
    let intro = html! { <p class="hint">{"If your file has one column per question (e.g. pre_q1 … pre_q10), Lantern scores the scale: reverse-worded items are flipped (min + max − answer), and a person is scored only if they answered enough items. Several scales or subscales can be scored from one file; the first one's scores are the ones analysed for change."}</p> };
    if scales.is_empty() && !looks_item_level(&ds.columns) {
        return html! {
            <details class="card" data-testid="items">
                <summary><strong>{"Scores from item-level answers"}</strong></summary>
                {intro}
                <button type="button" class="secondary" onclick={add}>{"Score a scale from item columns"}</button>
            </details>
        };
    }
    let shown = if scales.is_empty() { vec![Map::new()] } else { scales };
    let n = shown.len();
    html! {
        <section class="card" aria-labelledby="items-title" data-testid="items">
            <h3 id="items-title">{"Scores from item-level answers"}</h3>
            {intro}
            { for shown.into_iter().enumerate().map(|(i, m)| {
                let res = match (&result, i) {
                    (Some(r), 0) => Some(r.clone()),
                    (Some(r), _) => r.other_scales.get(i - 1).cloned(),
                    _ => None,
                };
                html! { <ScaleEditor index={i} count={n} spec={m} result={res} columns={ds.columns.clone()} /> }
            }) }
            <button type="button" class="secondary" data-testid="add-scale" onclick={add}>{"Add another scale or subscale"}</button>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ScaleProps {
    index: usize,
    count: usize,
    spec: Map<String, Value>,
    result: Option<ItemsResult>,
    columns: Vec<String>,
}

#[function_component(ScaleEditor)]
fn scale_editor(p: &ScaleProps) -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let i = p.index;
    let m = &p.spec;
    let set = {
        let ctx = ctx.clone();
        move |key: &'static str, value: Value| {
            ctx.dispatch(Action::EditItems(ItemsEdit::Set { scale: i, key: key.into(), value }))
        }
    };
    let id = |key: &str| format!("items-{i}-{key}");
    let text_field = |key: &'static str, label: &'static str, placeholder: &'static str| {
        let set = set.clone();
        let onchange = Callback::from(move |v: String| set(key, typed(key, &v)));
        html! { <div class="role"><label for={id(key)}>{label}</label><Field id={id(key)} {placeholder} value={get(m, key)} {onchange} /></div> }
    };
    let select = |key: &'static str| {
        let set = set.clone();
        Callback::from(move |e: Event| {
            let v =
                e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default();
            set(key, if v.is_empty() { Value::Null } else { Value::String(v) });
        })
    };
    let preset_now = get(m, "preset");
    let method_now = get(m, "method");
    // "Don't know": the default (missing), or scored as a value.
    let dk_value = match m.get("dont_know") {
        Some(Value::Number(x)) => x.to_string(),
        Some(Value::Object(o)) => o.get("as").map(|v| v.to_string()).unwrap_or_default(),
        _ => String::new(),
    };
    let on_dk = {
        let set = set.clone();
        Callback::from(move |v: String| {
            set("dont_know", v.trim().parse::<f64>().map(Value::from).unwrap_or(Value::String("missing".into())));
        })
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.dispatch(Action::EditItems(ItemsEdit::RemoveScale(i))))
    };
    let picked = |key: &str| -> Vec<String> {
        m.get(key)
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    };
    let (pre_cols, post_cols) = (picked("pre_columns"), picked("post_columns"));
    let checks = |key: &'static str, chosen: &[String], legend: &str| {
        html! {
            <fieldset class="checks">
                <legend>{legend}{format!(" ({} chosen, in this order)", chosen.len())}</legend>
                { for p.columns.iter().map(|c| {
                    let ctx = ctx.clone();
                    let col = c.clone();
                    let on = Callback::from(move |_: Event| ctx.dispatch(Action::EditItems(ItemsEdit::ToggleColumn { scale: i, key: key.into(), column: col.clone() })));
                    html! { <label class="check"><input type="checkbox" data-item-column={c.clone()} data-list={key} checked={chosen.contains(c)} onchange={on} />{" "}{c}</label> }
                }) }
            </fieldset>
        }
    };
    let title =
        m.get("name").and_then(|v| v.as_str()).map(str::to_string).unwrap_or_else(|| format!("Scale {}", i + 1));
    html! {
        <div class="scale" data-scale={i.to_string()}>
            <h4>{title.clone()}{if i == 0 { " — scores used for change" } else { "" }}</h4>
            <div class="roles">
                {text_field("name", "Name", "e.g. Stigma total")}
                <div class="role"><label for={id("preset")}>{"Preset (scoring key only)"}</label>
                    <select id={id("preset")} onchange={select("preset")}>
                        <option value="" selected={preset_now.is_empty()}>{"(none: set the key below)"}</option>
                        { for PRESETS.iter().map(|p| html! { <option value={p.id} selected={preset_now == p.id}>{p.name}</option> }) }
                    </select></div>
                {text_field("pre_prefix", "Prefix of the 'before' items", "pre_q")}
                {text_field("post_prefix", "Prefix of the 'after' items", "post_q")}
                {text_field("k", "Number of items", "10")}
                {text_field("reverse", "Reverse-worded item numbers", "3, 6, 9")}
                {text_field("min", "Lowest answer on the scale", "from the data or preset")}
                {text_field("max", "Highest answer on the scale", "from the data or preset")}
                {text_field("min_answered", "Minimum answered (number or %)", "80%")}
                <div class="role"><label for={id("method")}>{"Score"}</label>
                    <select id={id("method")} onchange={select("method")}>
                        <option value="" selected={method_now.is_empty()}>{"(default: mean)"}</option>
                        <option value="mean" selected={method_now == "mean"}>{"Mean of answered items"}</option>
                        <option value="sum" selected={method_now == "sum"}>{"Sum (prorated)"}</option>
                    </select></div>
                <div class="role"><label for={id("dont_know")}>{"“Don't know” answers count as (blank: missing)"}</label>
                    <Field id={id("dont_know")} inputmode="decimal" placeholder="missing" value={dk_value} onchange={on_dk} /></div>
            </div>
            <details open={!pre_cols.is_empty() || !post_cols.is_empty()}>
                <summary>{"Pick the item columns one by one (instead of a prefix)"}</summary>
                <p class="hint">{"Tick the items in their questionnaire order: the first ticked is item 1. Reverse-worded item numbers refer to this order."}</p>
                {checks("pre_columns", &pre_cols, "Before")}
                {checks("post_columns", &post_cols, "After")}
            </details>
            if !preset_now.is_empty() {
                <p class="hint">{ PRESETS.iter().find(|p| p.id == preset_now).map(|p| format!("{} Source: {}.", p.note, p.source)).unwrap_or_default() }{" "}{check_reminder()}</p>
            }
            if p.count > 1 || !m.is_empty() {
                <button type="button" class="secondary small" onclick={remove}>{format!("Remove “{title}”")}</button>
            }
            if let Some(r) = &p.result {
                <table class="stats"><tbody>
                    <tr><th scope="row">{"People scored (before / after)"}</th><td>{format!("{} / {}", r.n_pre_scored, r.n_post_scored)}</td></tr>
                    <tr><th scope="row"><abbr title="Cronbach's alpha: how consistently the items measure one thing (0.7 or more is usually acceptable).">{"Reliability, before (alpha)"}</abbr></th>
                        <td>{format!("{} [{} to {}], {} complete", num(r.alpha_pre, 3), num(r.alpha_pre_ci_low, 3), num(r.alpha_pre_ci_high, 3), r.alpha_pre_n_complete)}</td></tr>
                    <tr><th scope="row">{"Reliability, after (alpha)"}</th><td>{format!("{} [{} to {}]", num(r.alpha_post, 3), num(r.alpha_post_ci_low, 3), num(r.alpha_post_ci_high, 3))}</td></tr>
                    <tr><th scope="row">{"Alpha if the reversal were forgotten"}</th><td>{num(r.alpha_pre_without_reversal, 3)}</td></tr>
                    <tr><th scope="row">{"“Don't know”, out-of-range and non-number answers"}</th><td>{format!("{} / {} / {}", r.n_dont_know, r.n_out_of_range, r.n_not_number)}</td></tr>
                </tbody></table>
                <WideTable label={format!("Item statistics, {title}")}>
                <table class="stats wide">
                    <thead><tr><th>{"Item"}</th><th>{"Reversed"}</th><th>{"Answered"}</th><th>{"Mean"}</th><th>{"Item-rest r"}</th><th>{"Alpha if deleted"}</th></tr></thead>
                    <tbody>{ for r.items_pre.iter().map(|it| html! {
                        <tr class={classes!(it.item_rest_r.is_some_and(|x| x < 0.0).then_some("small"))}>
                            <td>{it.column.clone().unwrap_or_else(|| it.item.to_string())}</td><td>{if it.reversed { "yes" } else { "" }}</td><td>{it.n_answered}</td>
                            <td>{num(it.mean, 2)}</td><td>{num(it.item_rest_r, 2)}{if it.item_rest_r.is_some_and(|x| x < 0.0) { " ⚠ reverse-worded?" } else { "" }}</td><td>{num(it.alpha_if_deleted, 3)}</td></tr>
                    }) }</tbody>
                </table>
                </WideTable>
                { for r.notes.iter().map(|n| html! { <p role="status" class="hint">{n}</p> }) }
            }
        </div>
    }
}
