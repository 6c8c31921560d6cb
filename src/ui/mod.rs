//! The Yew user interface (wasm only). It holds state and renders; it never computes
//! statistics itself — every number comes from `crate::core`.

pub mod app;
mod browser;
mod change;
mod charts;
mod combine;
mod comments;
mod cost;
mod dropout;
mod engine;
mod field;
mod files;
mod items;
mod pages;
mod plan;
mod process;
mod reading;
mod sections;
pub mod state;
mod teach;
mod waves;
mod wide;

use wasm_bindgen::JsCast;

/// Mounts the app on `#app`, after installing a panic hook that shows a banner instead of
/// leaving a blank page.
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
