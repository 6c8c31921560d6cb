//! The app shell: header with the promise, section navigation by URL fragment, the status
//! element of the test contract, error banners, and the current page.

use crate::ui::browser::{fragment, sync_status};
use crate::ui::change::ChangePage;
use crate::ui::combine::CombinePage;
use crate::ui::cost::CostPage;
use crate::ui::engine::Engine;
use crate::ui::files::FileBar;
use crate::ui::pages::AboutPage;
use crate::ui::plan::PlanPage;
use crate::ui::state::{Action, AppState, Status};
use crate::ui::teach::{ReportPage, TeachPage};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

pub type AppContext = UseReducerHandle<AppState>;

/// The page a fragment names: `#/plan?design=...` → "plan".
pub fn page_of(route: &str) -> &str {
    let r = route.trim_start_matches('/');
    let r = r.split(['?', '/']).next().unwrap_or("");
    match r {
        "plan" | "cost" | "combine" | "about" | "report" | "teach" => r,
        _ => "change",
    }
}

/// A `performance.mark` (start-up timing for the benchmark and the browser's tools; once each).
fn performance_mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        if p.get_entries_by_name(name).length() == 0 {
            let _ = p.mark(name);
        }
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);

    // Start-up: load the demo dataset and follow the URL fragment.
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            // The page is drawn and takes input: the start-up mark the benchmark reads.
            performance_mark("lantern:interactive");
            let dispatcher = state.dispatcher();
            let engine = Engine::start(Rc::new(move |reply| dispatcher.dispatch(Action::Reply(reply))));
            state.dispatch(Action::SetEngine(engine));
            state.dispatch(Action::Route(fragment()));
            state.dispatch(Action::LoadDemo);
            let s2 = state.clone();
            let on_hash = Closure::<dyn Fn()>::new(move || s2.dispatch(Action::Route(fragment())));
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
                }
                drop(on_hash);
            }
        });
    }

    // The first results are on screen (the demo's, at start-up).
    use_effect_with(state.results_shown, |ready| {
        if *ready {
            performance_mark("lantern:first-results");
        }
    });

    // Keep the status attribute exact after every render (see browser::mark_busy).
    {
        let s = state.status;
        use_effect(move || {
            sync_status(s.as_str());
        });
    }

    let page = page_of(&state.route).to_string();
    let tab = |id: &str, label: &str| {
        let current = if page == id { Some("page") } else { None };
        html! { <a href={format!("#/{id}")} aria-current={current} class={classes!("tab", (page == id).then_some("active"))}>{label}</a> }
    };
    let status_text = match state.status {
        Status::Idle => "Load a file to begin.".to_string(),
        Status::Busy => match &state.progress {
            Some((f, what)) => format!("Working… {what}: {:.0}%", f * 100.0),
            None => "Working…".to_string(),
        },
        Status::Ready => match &state.dataset {
            Some(ds) => format!("Results are up to date for “{}” ({} rows).", ds.file, ds.n_rows),
            None => "Ready.".to_string(),
        },
        Status::Error => "The last action did not work: see the message below.".to_string(),
    };

    // The skip link moves the focus to <main> itself: following its href would change the
    // URL fragment, which is the section route.
    let on_skip = Callback::from(|e: MouseEvent| {
        e.prevent_default();
        let main = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("main"))
            .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(m) = main {
            let _ = m.focus();
        }
    });

    html! {
        <ContextProvider<AppContext> context={state.clone()}>
            <a class="skip-link" href="#main" onclick={on_skip}>{"Skip to main content"}</a>
            <header class="masthead">
                <div class="brand">
                    <span class="logo" aria-hidden="true"></span>
                    <h1>{"Lantern"}</h1>
                </div>
                <p class="promise">{"Your data stays on this device. Nothing you load is sent anywhere."}</p>
            </header>
            <nav class="tabs" aria-label="Sections">
                {tab("change", "Change")}
                {tab("plan", "Plan")}
                {tab("cost", "Cost")}
                {tab("combine", "Combine sites")}
                {tab("report", "Report")}
                {tab("teach", "Teach")}
                {tab("about", "About & privacy")}
            </nav>
            <p class="status" data-testid="status" data-state={state.status.as_str()} aria-live="polite">{status_text}</p>
            if let (Status::Busy, Some(what)) = (state.status, &state.reading) {
                // Until the worker says how far it is, the bar only shows that work is under
                // way; files over 8 MB then show "two halves at once" (a helper worker reads the
                // second half), and files of 50,000 rows or more the analysis step.
                <div class="progress" data-testid="reading-progress">
                    <label>{what}{"… "}
                        if let Some((f, step)) = &state.progress {
                            {step}{" "}<progress max="1" value={f.to_string()} aria-label={format!("{what}: {step}")}></progress>
                        } else {
                            <progress aria-label={what.clone()}></progress>
                        }
                    </label>
                </div>
            }
            <FileBar />
            if let Some(err) = &state.error {
                <div class="banner error" role="alert">{err}</div>
            }
            <main id="main" tabindex="-1">
                {match page.as_str() {
                    "plan" => html! { <PlanPage /> },
                    "cost" => html! { <CostPage /> },
                    "combine" => html! { <CombinePage /> },
                    "about" => html! { <AboutPage /> },
                    "report" => html! { <ReportPage /> },
                    "teach" => html! { <TeachPage /> },
                    _ => html! { <ChangePage /> },
                }}
            </main>
            <footer class="foot">{"Lantern runs entirely in your browser. "}<a href="#/about">{"How we keep your data private"}</a></footer>
        </ContextProvider<AppContext>>
    }
}
