//! Component tests in headless Chromium (wasm-bindgen-test): the real Yew app mounted in a
//! page, driven through the DOM. Run by `scripts/test`; skipped by the native run.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Yew renders asynchronously: let it run.
async fn settle() {
    for _ in 0..10 {
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
}

async fn mount() -> Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<lantern::ui::app::App>::with_root(root.clone()).render();
    settle().await;
    until_ready(&root).await;
    root
}

/// Waits (up to 60 s) until the status says every result is up to date: the in-page engine
/// works in steps between renders, and this debug build takes a while over the demo's
/// drop-out sensitivity (100 imputations).
async fn until_ready(root: &Element) {
    for _ in 0..6000 {
        let state =
            root.query_selector("[data-testid=status]").ok().flatten().and_then(|s| s.get_attribute("data-state"));
        if state.as_deref() == Some("ready") {
            settle().await;
            return;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
}

fn text(root: &Element, sel: &str) -> String {
    root.query_selector(sel).unwrap().map(|e| e.text_content().unwrap_or_default()).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn mounts_with_the_demo_analysed() {
    let root = mount().await;
    let status = root.query_selector("[data-testid=status]").unwrap().unwrap();
    assert_eq!(status.get_attribute("data-state").as_deref(), Some("ready"));
    assert!(text(&root, "[data-testid=status]").contains("120 rows"));
    assert_eq!(root.query_selector_all("article.arm").unwrap().length(), 2);
    assert!(text(&root, "article[data-arm=intervention] .reading").contains("improved"));
    for id in ["data-file", "recipe-file", "export-results", "export-clean-csv"] {
        assert!(root.query_selector(&format!("[data-testid={id}]")).unwrap().is_some(), "{id} hook present");
    }
}

#[wasm_bindgen_test]
async fn clearing_a_role_updates_the_results() {
    let root = mount().await;
    let select: HtmlSelectElement = root.query_selector("#role-pre").unwrap().unwrap().dyn_into().unwrap();
    assert_eq!(select.value(), "stigma_pre", "guessed from the name");
    select.set_value("");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    settle().await;
    until_ready(&root).await;
    assert_eq!(root.query_selector_all("article.arm").unwrap().length(), 0);
    assert!(text(&root, "#main").contains("Choose a pre and a post column"));
}

#[wasm_bindgen_test]
async fn without_worker_files_the_engine_runs_in_the_page() {
    // The test page does not serve worker.js: the engine must fall back, not hang.
    let root = mount().await;
    for _ in 0..50 {
        if text(&root, "#main").contains("Computed in") {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
    assert!(text(&root, "#main").contains("Computed in this page"), "{}", text(&root, "#main"));
    assert_eq!(
        root.query_selector("[data-testid=status]").unwrap().unwrap().get_attribute("data-state").as_deref(),
        Some("ready")
    );
}

#[wasm_bindgen_test]
async fn every_section_renders_from_its_link() {
    let root = mount().await;
    let window = web_sys::window().unwrap();
    for (hash, needle) in [
        ("#/plan?design=paired_t&solve_for=n&d=0.3&power=0.8", "You need 90 people"),
        ("#/cost", "What did each outcome cost?"),
        ("#/about", "Check it yourself"),
        ("#/report", "In short"),
        ("#/teach", "how much do results wander"),
        ("#/change", "Did stigma change?"),
    ] {
        window.location().set_hash(hash).unwrap();
        let mut found = false;
        for _ in 0..50 {
            gloo_timers::future::TimeoutFuture::new(10).await;
            if text(&root, "#main").contains(needle) {
                found = true;
                break;
            }
        }
        assert!(found, "{hash} shows “{needle}”");
    }
}
