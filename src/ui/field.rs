//! A text or number input that keeps what the user is typing until they commit it.
//!
//! Yew keeps inputs "controlled": on every render it writes the `value` it is given back into
//! the DOM when the two differ. Lantern commits a field on `change` (leaving it or pressing
//! Enter), and renders often while the user types (engine replies, bootstrap progress), so a
//! plain `<input value=… onchange=…>` lost half-typed text whenever a reply arrived. [`Field`]
//! renders the draft the user is typing (updated on every `input`), commits it with `onchange`,
//! and follows the committed value when it changes elsewhere (a loaded recipe, a reset).

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct FieldProps {
    /// The committed value (from the app state).
    pub value: String,
    /// Called with the typed text when the user commits it.
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub id: Option<AttrValue>,
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    #[prop_or_default]
    pub inputmode: Option<AttrValue>,
    #[prop_or_default]
    pub aria_label: Option<AttrValue>,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub min: Option<AttrValue>,
    #[prop_or_default]
    pub max: Option<AttrValue>,
    #[prop_or_default]
    pub step: Option<AttrValue>,
    /// `data-level` (the population form's subgroup level).
    #[prop_or_default]
    pub data_level: Option<AttrValue>,
}

fn text_of(e: &Event) -> Option<String> {
    e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).map(|i| i.value())
}

#[function_component(Field)]
pub fn field(p: &FieldProps) -> Html {
    let draft = use_state(|| p.value.clone());
    {
        // The committed value changed elsewhere: show it.
        let draft = draft.clone();
        use_effect_with(p.value.clone(), move |v| {
            draft.set(v.clone());
        });
    }
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = text_of(&e) {
                draft.set(v);
            }
        })
    };
    let onchange = {
        let cb = p.onchange.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = text_of(&e) {
                cb.emit(v);
            }
        })
    };
    html! {
        <input id={p.id.clone()} type={p.kind.clone()} class={p.class.clone()} placeholder={p.placeholder.clone()}
            inputmode={p.inputmode.clone()} aria-label={p.aria_label.clone()} min={p.min.clone()} max={p.max.clone()}
            step={p.step.clone()} data-level={p.data_level.clone()} value={(*draft).clone()} {oninput} {onchange} />
    }
}
