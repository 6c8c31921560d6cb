//! Small browser helpers: read a file's bytes, offer a download, mark the status busy.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Reads a `Blob` (a `File`) into an `ArrayBuffer` (the browser reads it; nothing is uploaded anywhere).
pub async fn read_blob(file: &web_sys::Blob) -> Result<js_sys::ArrayBuffer, String> {
    let buf = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("The browser could not read this file ({e:?})."))?;
    buf.dyn_into::<js_sys::ArrayBuffer>().map_err(|_| "The browser gave no file contents.".to_string())
}

/// Text made in the page (the demo data, a simulated study) as a `Blob`, sent like a file.
pub fn text_blob(text: &str) -> Result<web_sys::Blob, String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    web_sys::Blob::new_with_str_sequence(&parts)
        .map_err(|e| format!("The browser could not hold this text as a file ({e:?})."))
}

/// Offers `text` as a file download (a local blob URL; no network involved).
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |e: wasm_bindgen::JsValue| format!("The download could not be prepared ({e:?}).");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("No document.")?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a").map_err(fail)?.dyn_into().map_err(|_| "No anchor.")?;
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    // Free the blob shortly after the browser has taken it.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 1000);
    }
    Ok(())
}

/// Sets the status element to busy at once (before Yew's next render), so a test or a
/// screen reader never sees stale "ready" while a new file is being read.
pub fn mark_busy() {
    if let Some(Ok(Some(el))) =
        web_sys::window().and_then(|w| w.document()).map(|d| d.query_selector("[data-testid=status]"))
    {
        let _ = el.set_attribute("data-state", "busy");
    }
}

/// Sets the status element's state to match the app state (called after every render).
pub fn sync_status(state: &str) {
    if let Some(Ok(Some(el))) =
        web_sys::window().and_then(|w| w.document()).map(|d| d.query_selector("[data-testid=status]"))
    {
        let _ = el.set_attribute("data-state", state);
    }
}

/// The current URL fragment without the leading '#'.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Replaces the URL fragment without a reload, a history entry or any request.
pub fn set_fragment(fragment: &str) {
    if let Some(w) = web_sys::window() {
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(fragment));
        }
    }
}
