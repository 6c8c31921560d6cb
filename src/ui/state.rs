//! The app state in the page: `crate::ui::model`'s state and actions with the browser's
//! handles (a `web_sys::Blob` for files, the engine's handle), held by Yew's `use_reducer`.
//!
//! `reduce` is the whole runner: it calls the pure [`step`] and then performs the effects it
//! returned, in order, before the new state is rendered. One direction of flow: action → step
//! → (state, effects) → the engine's replies come back as actions. Effects are run here rather
//! than queued in the state and drained by a `use_effect` in the app because that would need
//! a queue shared between states (several actions can be reduced before one render) and would
//! move every request after the next render; run here, they happen exactly when the state
//! changes. No effect dispatches synchronously (Yew holds the state while reducing): a
//! failure is answered later, like a failed request (`Engine::fail`).

use crate::ui::browser::{download, set_fragment, text_blob};
use crate::ui::engine::Engine;
pub use crate::ui::model::{item_scales, IngestEdit, ItemsEdit, ProcessEdit, Role, Status};
use crate::ui::model::{step, Attachment, Effect, Host};
use std::rc::Rc;
use yew::Reducible;

/// The page's handles: files are the browser's `Blob`s (a `File` or text made in the page),
/// the engine is the worker's handle.
#[derive(Debug, Clone, PartialEq)]
pub struct Web;

impl Host for Web {
    type File = web_sys::Blob;
    type Engine = Rc<Engine>;
    fn size(file: &web_sys::Blob) -> f64 {
        file.size()
    }
}

pub type AppState = crate::ui::model::AppState<Web>;
pub type Action = crate::ui::model::Action<Web>;

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let (next, effects) = step(&self, action);
        for effect in effects {
            perform(next.engine.as_ref(), effect);
        }
        Rc::new(next)
    }
}

/// Performs one effect in the page.
fn perform(engine: Option<&Rc<Engine>>, effect: Effect<Web>) {
    match effect {
        Effect::Post(request, attachment) => {
            let Some(engine) = engine else { return };
            let file = match attachment {
                None => None,
                Some(Attachment::File(file)) => Some(file),
                Some(Attachment::Text(text)) => match text_blob(&text) {
                    Ok(blob) => Some(blob),
                    Err(message) => return engine.fail(request.seq(), message),
                },
            };
            engine.send(request, file);
        }
        Effect::Download { name, mime, text } => {
            if let Err(message) = download(&name, mime, &text) {
                if let Some(engine) = engine {
                    engine.fail(0, message);
                }
            }
        }
        Effect::SetUrl(fragment) => set_fragment(&fragment),
    }
}
