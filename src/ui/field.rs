//! A text or number input that keeps what the user is typing until they commit it.
//!
//! Yew keeps inputs "controlled": on every render it writes the `value` it is given back into
//! the DOM when the two differ. Lantern commits a field on `change` (leaving it or pressing
//! Enter), and renders often while the user types (engine replies, bootstrap progress), so a
//! plain `<input value=… onchange=…>` lost half-typed text whenever a reply arrived. [`Field`]
//! renders the draft the user is typing (updated on every `input`), commits it with `onchange`,
//! and follows the committed value when it changes elsewhere (a loaded recipe, a reset).
//!
//! `live` fields (the planner's numbers) also commit while the user types, 400 ms after the
//! last keystroke, but only a text that is already a whole number as written ("0.45", "120"):
//! a half-typed "0." or "-" waits for `change`, so the committed value written back never
//! rewrites what is being typed.

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
    /// Commit a complete number while typing (debounced), not only on `change`.
    #[prop_or_default]
    pub live: bool,
}

/// How long typing must pause before a `live` field commits.
const LIVE_DELAY_MS: u32 = 400;

/// A text that is a number exactly as it would be written back (so committing it while the
/// user types changes nothing on screen): "0.45", "120", "-1.5"; not "0.", "0.50", "1e3", "".
pub fn complete_number(text: &str) -> bool {
    text.parse::<f64>().is_ok_and(|x| x.is_finite() && x.to_string() == text)
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
    // The pending live commit (dropping it cancels it).
    let pending = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    let oninput = {
        let draft = draft.clone();
        let pending = pending.clone();
        let cb = p.onchange.clone();
        let live = p.live;
        Callback::from(move |e: InputEvent| {
            if let Some(v) = text_of(&e) {
                draft.set(v.clone());
                let timer = (live && complete_number(v.trim())).then(|| {
                    let cb = cb.clone();
                    gloo_timers::callback::Timeout::new(LIVE_DELAY_MS, move || cb.emit(v))
                });
                *pending.borrow_mut() = timer;
            }
        })
    };
    let onchange = {
        let cb = p.onchange.clone();
        Callback::from(move |e: Event| {
            pending.borrow_mut().take();
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
