//! Item-level scoring in the Change section: choose the item columns (prefixes), reverse
//! items, the minimum answered, sum or mean, or a preset (scoring keys only); read the
//! reliability (alpha with its interval, item-rest correlations, warnings).

use crate::core::explain::num;
use crate::core::scales::presets::{check_reminder, PRESETS};
use crate::ui::app::AppContext;
use crate::ui::state::Action;
use crate::ui::wide::WideTable;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

fn get(v: &Option<Value>, key: &str) -> String {
    match v.as_ref().and_then(|v| v.get(key)) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", "),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// True when the file has numbered item columns (e.g. `pre_q1`…).
fn looks_item_level(columns: &[String]) -> bool {
    columns.iter().filter(|c| c.chars().last().is_some_and(|ch| ch.is_ascii_digit()) && c.to_lowercase().contains("pre")).count() >= 3
}

#[function_component(ItemsCard)]
pub fn items_card() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let Some(ds) = &ctx.dataset else { return html! {} };
    let items = ctx.recipe.items.clone();
    let result = ctx.analysis.as_ref().and_then(|a| a.results.items.clone());
    if items.is_none() && !looks_item_level(&ds.columns) {
        return html! {};
    }
    let edit = {
        let ctx = ctx.clone();
        let items = items.clone();
        move |key: &'static str, value: Value| {
            let mut obj = match items.clone() {
                Some(Value::Object(m)) => m,
                _ => serde_json::Map::new(),
            };
            if value.is_null() || value == json!("") {
                obj.remove(key);
            } else {
                obj.insert(key.into(), value);
            }
            ctx.dispatch(Action::SetItems(if obj.is_empty() { None } else { Some(Value::Object(obj)) }));
        }
    };
    let text_field = |key: &'static str, label: &'static str, placeholder: &'static str| {
        let edit = edit.clone();
        let onchange = Callback::from(move |e: Event| {
            let v = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).map(|i| i.value()).unwrap_or_default();
            let v = v.trim().to_string();
            let value = match key {
                "k" | "min_answered" => v.parse::<f64>().map(Value::from).unwrap_or(Value::String(v)),
                "reverse" => Value::Array(v.split([',', ' ']).filter_map(|x| x.trim().parse::<u64>().ok()).map(Value::from).collect()),
                _ => Value::String(v),
            };
            edit(key, value);
        });
        html! { <div class="role"><label for={format!("items-{key}")}>{label}</label><input id={format!("items-{key}")} type="text" {placeholder} value={get(&items, key)} {onchange} /></div> }
    };
    let on_preset = {
        let edit = edit.clone();
        Callback::from(move |e: Event| {
            let v = e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default();
            edit("preset", if v.is_empty() { Value::Null } else { Value::String(v) });
        })
    };
    let on_method = {
        let edit = edit.clone();
        Callback::from(move |e: Event| {
            let v = e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default();
            edit("method", if v.is_empty() { Value::Null } else { Value::String(v) });
        })
    };
    let preset_now = get(&items, "preset");
    let method_now = get(&items, "method");
    html! {
        <section class="card" aria-labelledby="items-title" data-testid="items">
            <h3 id="items-title">{"Scores from item-level answers"}</h3>
            <p class="hint">{"If your file has one column per question (e.g. pre_q1 … pre_q10), Lantern scores the scale: reverse-worded items are flipped (min + max − answer), and a person is scored only if they answered enough items."}</p>
            <div class="roles">
                <div class="role"><label for="items-preset">{"Preset (scoring key only)"}</label>
                    <select id="items-preset" onchange={on_preset}>
                        <option value="" selected={preset_now.is_empty()}>{"(none: set the key below)"}</option>
                        { for PRESETS.iter().map(|p| html! { <option value={p.id} selected={preset_now == p.id}>{p.name}</option> }) }
                    </select></div>
                {text_field("pre_prefix", "Prefix of the 'before' items", "pre_q")}
                {text_field("post_prefix", "Prefix of the 'after' items", "post_q")}
                {text_field("k", "Number of items", "10")}
                {text_field("reverse", "Reverse-worded item numbers", "3, 6, 9")}
                {text_field("min_answered", "Minimum answered (number or %)", "80%")}
                <div class="role"><label for="items-method">{"Score"}</label>
                    <select id="items-method" onchange={on_method}>
                        <option value="" selected={method_now.is_empty()}>{"(default: mean)"}</option>
                        <option value="mean" selected={method_now == "mean"}>{"Mean of answered items"}</option>
                        <option value="sum" selected={method_now == "sum"}>{"Sum (prorated)"}</option>
                    </select></div>
            </div>
            if !preset_now.is_empty() {
                <p class="hint">{ PRESETS.iter().find(|p| p.id == preset_now).map(|p| format!("{} Source: {}.", p.note, p.source)).unwrap_or_default() }{" "}{check_reminder()}</p>
            }
            if let Some(r) = result {
                <table class="stats"><tbody>
                    <tr><th scope="row">{"People scored (before / after)"}</th><td>{format!("{} / {}", r.n_pre_scored, r.n_post_scored)}</td></tr>
                    <tr><th scope="row"><abbr title="Cronbach's alpha: how consistently the items measure one thing (0.7 or more is usually acceptable).">{"Reliability, before (alpha)"}</abbr></th>
                        <td>{format!("{} [{} to {}], {} complete", num(r.alpha_pre, 3), num(r.alpha_pre_ci_low, 3), num(r.alpha_pre_ci_high, 3), r.alpha_pre_n_complete)}</td></tr>
                    <tr><th scope="row">{"Reliability, after (alpha)"}</th><td>{format!("{} [{} to {}]", num(r.alpha_post, 3), num(r.alpha_post_ci_low, 3), num(r.alpha_post_ci_high, 3))}</td></tr>
                    <tr><th scope="row">{"Alpha if the reversal were forgotten"}</th><td>{num(r.alpha_pre_without_reversal, 3)}</td></tr>
                </tbody></table>
                <WideTable label="Item statistics">
                <table class="stats wide">
                    <thead><tr><th>{"Item"}</th><th>{"Reversed"}</th><th>{"Answered"}</th><th>{"Mean"}</th><th>{"Item-rest r"}</th><th>{"Alpha if deleted"}</th></tr></thead>
                    <tbody>{ for r.items_pre.iter().map(|i| html! {
                        <tr class={classes!(i.item_rest_r.is_some_and(|x| x < 0.0).then_some("small"))}>
                            <td>{i.column.clone().unwrap_or_else(|| i.item.to_string())}</td><td>{if i.reversed { "yes" } else { "" }}</td><td>{i.n_answered}</td>
                            <td>{num(i.mean, 2)}</td><td>{num(i.item_rest_r, 2)}{if i.item_rest_r.is_some_and(|x| x < 0.0) { " ⚠ reverse-worded?" } else { "" }}</td><td>{num(i.alpha_if_deleted, 3)}</td></tr>
                    }) }</tbody>
                </table>
                </WideTable>
                { for r.notes.iter().map(|n| html! { <p role="status" class="hint">{n}</p> }) }
            }
        </section>
    }
}
