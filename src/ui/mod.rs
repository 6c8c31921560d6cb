//! The Yew user interface. It holds state and renders; it never computes statistics itself —
//! every number comes from `crate::core`. Everything here is wasm only except `model` (the
//! state, its actions and the pure transition), which is built and tested natively too.

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod change;
#[cfg(target_arch = "wasm32")]
mod charts;
#[cfg(target_arch = "wasm32")]
mod combine;
#[cfg(target_arch = "wasm32")]
mod comments;
#[cfg(target_arch = "wasm32")]
mod cost;
#[cfg(target_arch = "wasm32")]
mod dropout;
#[cfg(target_arch = "wasm32")]
mod engine;
#[cfg(target_arch = "wasm32")]
mod field;
#[cfg(target_arch = "wasm32")]
mod files;
#[cfg(target_arch = "wasm32")]
mod items;
pub mod model;
#[cfg(target_arch = "wasm32")]
mod pages;
#[cfg(target_arch = "wasm32")]
mod plan;
#[cfg(target_arch = "wasm32")]
mod process;
#[cfg(target_arch = "wasm32")]
mod reading;
#[cfg(target_arch = "wasm32")]
mod sections;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(target_arch = "wasm32")]
mod teach;
#[cfg(target_arch = "wasm32")]
mod waves;
#[cfg(target_arch = "wasm32")]
mod wide;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::JsCast;

/// Mounts the app on `#app`, after installing a panic hook that shows a banner instead of
/// leaving a blank page.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_fatal(&format!(
            "Lantern hit an internal error and stopped. Your data has not left this device. Reload the page to start again. ({info})"
        ));
    }));
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            yew::Renderer::<app::App>::with_root(root).render();
        }
        None => show_fatal("The page is missing its #app element."),
    }
}

/// Shows the fatal-error banner (outside Yew, so it works after a panic) and marks the status.
#[cfg(target_arch = "wasm32")]
fn show_fatal(message: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(el) = doc.get_element_by_id("fatal").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        el.set_hidden(false);
        let _ = el.set_attribute("role", "alert");
        el.set_text_content(Some(message));
    }
    if let Ok(Some(status)) = doc.query_selector("[data-testid=status]") {
        let _ = status.set_attribute("data-state", "error");
    }
}
