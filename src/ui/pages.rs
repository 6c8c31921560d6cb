//! The About & privacy section. The About page checks, in the page itself, what
//! was requested, what is stored and which policy is in force.

use crate::ui::app::AppContext;
use crate::ui::state::Action;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What the in-page privacy check found.
#[derive(Debug, Clone, PartialEq, Default)]
struct PrivacyCheck {
    /// Every resource the page fetched: (url, ms since page start).
    loaded: Vec<(String, f64)>,
    /// Of those, the ones that are not from this page's own address.
    other_origin: Vec<String>,
    /// Fetched after the first results were shown.
    after_ready: Vec<String>,
    local_storage: Option<u32>,
    session_storage: Option<u32>,
    cookies: String,
    policy: String,
}

/// The privacy check: what this page loaded (and what after the first results were shown, the
/// `lantern:first-results` mark), what the browser stores for it, and the policy in force.
fn run_check() -> PrivacyCheck {
    let mut c = PrivacyCheck::default();
    let Some(window) = web_sys::window() else { return c };
    let ready_at = window
        .performance()
        .and_then(|p| {
            p.get_entries_by_name("lantern:first-results").get(0).dyn_into::<web_sys::PerformanceEntry>().ok()
        })
        .map(|e| e.start_time());
    let origin = window.location().origin().unwrap_or_default();
    if let Some(perf) = window.performance() {
        for entry in perf.get_entries_by_type("resource").iter() {
            let Ok(e) = entry.dyn_into::<web_sys::PerformanceEntry>() else { continue };
            let (url, at) = (e.name(), e.start_time());
            let own = url.starts_with(&origin) || url.starts_with("data:") || url.starts_with("blob:");
            if !own {
                c.other_origin.push(url.clone());
            }
            if ready_at.is_some_and(|r| at > r) {
                c.after_ready.push(url.clone());
            }
            c.loaded.push((url, at));
        }
    }
    c.local_storage = window.local_storage().ok().flatten().and_then(|s| s.length().ok());
    c.session_storage = window.session_storage().ok().flatten().and_then(|s| s.length().ok());
    if let Some(doc) = window.document() {
        c.cookies = doc.dyn_ref::<web_sys::HtmlDocument>().and_then(|d| d.cookie().ok()).unwrap_or_default();
        c.policy = doc
            .query_selector("meta[http-equiv=Content-Security-Policy]")
            .ok()
            .flatten()
            .and_then(|m| m.get_attribute("content"))
            .unwrap_or_else(|| "none found".into());
    }
    c
}

#[function_component(AboutPage)]
pub fn about_page() -> Html {
    let Some(ctx) = use_context::<AppContext>() else { return html! {} };
    let check = use_state(run_check);
    let on_check = {
        let check = check.clone();
        Callback::from(move |_: MouseEvent| check.set(run_check()))
    };
    let on_clear = {
        let ctx = ctx.clone();
        let check = check.clone();
        Callback::from(move |_: MouseEvent| {
            ctx.dispatch(Action::ClearAll);
            check.set(run_check());
        })
    };
    let c = &*check;
    let stored = c.local_storage.unwrap_or(0) + c.session_storage.unwrap_or(0);
    let single = c.policy.contains("connect-src 'none'");
    html! {
        <section class="page" aria-labelledby="about-title">
            <h2 id="about-title">{"About & privacy"}</h2>
            <p>{"Lantern is a calculator for evaluating peer-led mental-health programs: how stigma and help seeking changed, how many people the next evaluation needs, and what each outcome cost."}</p>
            <h3>{"Your data stays here"}</h3>
            <ul>
                <li>{"Files you load are read by this browser tab. They are never uploaded, and never saved in the browser's storage."}</li>
                <li>{"The page's security policy (Content-Security-Policy) forbids it from connecting to any other site, so the browser itself blocks any attempt to send data away."}</li>
                <li>{"No fonts, scripts or analytics are loaded from anywhere else."}</li>
            </ul>
            <section class="card" aria-labelledby="check-title" data-testid="privacy-check">
                <h3 id="check-title">{"Check it yourself"}</h3>
                <table class="stats wide"><tbody>
                    <tr><th scope="row">{"Files this page loaded"}</th>
                        <td>{format!("{} — {}", c.loaded.len(), if c.other_origin.is_empty() { "all from this page's own address".to_string() } else { format!("{} from elsewhere: {}", c.other_origin.len(), c.other_origin.join(", ")) })}</td></tr>
                    <tr><th scope="row">{"Requests since start-up"}</th>
                        <td data-testid="requests-after-start">{c.after_ready.len()}{if c.after_ready.is_empty() { " (nothing was sent or fetched while you worked)".to_string() } else { format!(": {}", c.after_ready.join(", ")) }}</td></tr>
                    <tr><th scope="row">{"Stored in this browser"}</th>
                        <td data-testid="stored-items">{if stored == 0 && c.cookies.is_empty() { "nothing (no local or session storage, no cookies)".to_string() } else { format!("{stored} storage item(s); cookies: {}", if c.cookies.is_empty() { "none" } else { &c.cookies }) }}</td></tr>
                    <tr><th scope="row">{"Policy in force"}</th><td><code class="policy">{&c.policy}</code></td></tr>
                    if let Some(e) = &ctx.engine {
                        <tr><th scope="row">{"Where the computing happens"}</th><td>{*e.kind.borrow()}</td></tr>
                    }
                </tbody></table>
                <div class="toolbar">
                    <button type="button" class="secondary" onclick={on_check}>{"Check again"}</button>
                    <button type="button" class="secondary" data-testid="clear-all" onclick={on_clear}>{"Clear everything"}</button>
                </div>
                <p class="hint">{"“Clear everything” forgets the loaded data, cost table and settings in this tab. Lantern stores nothing in the browser, so closing the tab also clears everything."}</p>
            </section>
            if !single {
                <h3>{"Use Lantern offline"}</h3>
                <p>{"Download Lantern as one HTML file. Open it from your computer with the network switched off: it works the same, and its policy forbids any connection at all."}</p>
                <p><a class="button" href="lantern-offline.html" download="lantern-offline.html">{"Download Lantern for offline use"}</a></p>
            }
            <h3>{"What this does not protect against"}</h3>
            <p>{"Browser extensions you installed (they can read any page), a compromised computer, and files you export and share yourself."}</p>
        </section>
    }
}
