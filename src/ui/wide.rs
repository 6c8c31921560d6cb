//! Wide tables in their own horizontally scrolling box: at a narrow window or a high zoom the
//! table scrolls inside the box and the page itself never scrolls sideways (WCAG 1.4.10).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WideTableProps {
    /// What the table shows: the name screen readers give the scrolling box. Unique on a page.
    pub label: AttrValue,
    pub children: Html,
}

/// While the table is wider than its box, the box is a named region that takes the keyboard
/// focus (tabindex 0), so it can be scrolled with the arrow keys; otherwise it is a plain box
/// and adds no Tab stop. Measured after every render and when the window is resized (which
/// zooming does too).
#[function_component(WideTable)]
pub fn wide_table(p: &WideTableProps) -> Html {
    let node = use_node_ref();
    let scrolls = use_scrolls(node.clone());
    let on = scrolls;
    html! {
        <>
        <div ref={node} class={classes!("table-scroll", on.then_some("scrolls"))} role={on.then_some("region")} aria-label={on.then(|| p.label.clone())} tabindex={on.then_some("0")}>
            {p.children.clone()}
        </div>
        if on { <p class="scroll-cue no-print" aria-hidden="true">{"More columns: swipe or scroll the table sideways →"}</p> }
        </>
    }
}

/// Whether the element `node` scrolls sideways (its overflow is not `visible` and its content is
/// wider than its box), measured after every render and when the window is resized (which
/// zooming does too).
#[hook]
pub fn use_scrolls(node: NodeRef) -> bool {
    let scrolls = use_state_eq(|| false);
    {
        let scrolls = scrolls.clone();
        use_effect(move || {
            let measure = move || {
                if let Some(el) = node.cast::<web_sys::Element>() {
                    // A chart's figure lets a last tick label reach past its edge on a wide
                    // window (overflow visible): that is not scrolling.
                    let visible = web_sys::window()
                        .and_then(|w| w.get_computed_style(&el).ok().flatten())
                        .and_then(|s| s.get_property_value("overflow-x").ok())
                        .is_some_and(|v| v == "visible");
                    scrolls.set(!visible && el.scroll_width() > el.client_width() + 1);
                }
            };
            measure();
            let on_resize = Closure::<dyn Fn()>::new(measure);
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
                }
                drop(on_resize);
            }
        });
    }
    *scrolls
}

#[derive(Properties, PartialEq)]
pub struct ChartFigureProps {
    /// Classes besides `chart`.
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    pub children: Html,
}

/// A chart's `<figure>`. On a phone a chart keeps its width and text size and scrolls sideways in
/// its figure (`styles/main.css`); while it does, the figure takes the keyboard focus (to scroll
/// with the arrow keys) and a line under it says so, as under a wide table.
#[function_component(ChartFigure)]
pub fn chart_figure(p: &ChartFigureProps) -> Html {
    let node = use_node_ref();
    let scrolls = use_scrolls(node.clone());
    html! {
        <>
        <figure ref={node} class={classes!("chart", p.class.clone(), scrolls.then_some("scrolls"))} data-testid={p.testid.clone()} tabindex={scrolls.then_some("0")}>
            {p.children.clone()}
        </figure>
        if scrolls { <p class="scroll-cue no-print" aria-hidden="true">{"More of the chart: swipe or scroll it sideways →"}</p> }
        </>
    }
}
