//! The Plan, Cost and About & privacy sections.

use yew::prelude::*;

#[function_component(PlanPage)]
pub fn plan_page() -> Html {
    html! {
        <section class="page" aria-labelledby="plan-title">
            <h2 id="plan-title">{"Plan the next evaluation"}</h2>
            <p class="banner warning" role="status">{"The planner (power, sample size, detectable effect) is not in this version yet."}</p>
        </section>
    }
}

#[function_component(AboutPage)]
pub fn about_page() -> Html {
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
            <p>{"What this cannot protect against: browser extensions you installed, a compromised computer, and files you export and share yourself."}</p>
        </section>
    }
}
