//! The page's handle on the engine: a Web Worker running `crate::worker`. Requests sent
//! before the worker is ready are queued. The engine's code lives in the worker only, so the
//! page's wasm stays small; the offline single file carries the worker inside it and starts it
//! from a blob. When no worker can start, each request is answered with a plain message —
//! except with the `in-page-engine` feature (the component tests, whose test page has no
//! worker files), where the same host then runs in the page and the queue is replayed there.
//! With the first data file over 8 MB a second, helper worker is started and joined to the
//! first by a channel; it reads the second half of such files (see `crate::worker`).

use crate::core::engine::service::{Reply, Request};
use crate::core::ingest::split;
use crate::worker::Message;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A request and its file (a `Blob` handle: the user's `File` or text made in the page).
type Queued = (Request, Option<web_sys::Blob>);

enum Mode {
    Starting { worker: web_sys::Worker, queue: Vec<Queued> },
    Worker(web_sys::Worker),
    Local(Rc<Fallback>),
}

#[cfg(feature = "in-page-engine")]
type Fallback = local::LocalHost;
#[cfg(not(feature = "in-page-engine"))]
type Fallback = NoEngine;

/// What answers when no worker could start (production builds carry no engine in the page).
#[cfg(not(feature = "in-page-engine"))]
pub struct NoEngine {
    on_reply: Rc<dyn Fn(Reply)>,
}

#[cfg(not(feature = "in-page-engine"))]
impl NoEngine {
    const KIND: &'static str = "nowhere: this browser could not start Lantern's background worker";

    fn new(on_reply: &Rc<dyn Fn(Reply)>) -> Rc<NoEngine> {
        Rc::new(NoEngine { on_reply: on_reply.clone() })
    }

    fn push(self: &Rc<Self>, (req, _): Queued) {
        if matches!(req, Request::Cancel) {
            return;
        }
        let on_reply = self.on_reply.clone();
        // Answered after the page has shown "busy", as a worker's answer would be.
        wasm_bindgen_futures::spawn_local(async move {
            on_reply(Reply::Failed {
                seq: req.seq(),
                message: "Lantern's background worker could not start in this browser, so nothing can be read or analysed here. \
                          Use a current version of Firefox, Chrome, Edge or Safari (the planner works without it)."
                    .into(),
            })
        });
    }
}

/// The engine in the page (component tests only). A file's bytes are read asynchronously (the
/// page cannot read synchronously), so requests wait in a queue and run in the order sent.
#[cfg(feature = "in-page-engine")]
mod local {
    use super::Queued;
    use crate::core::engine::service::{FileSource, Reply};
    use crate::worker::Host;
    use std::cell::{Cell, RefCell};
    use std::collections::VecDeque;
    use std::rc::Rc;

    pub struct LocalHost {
        host: Rc<Host>,
        queue: RefCell<VecDeque<Queued>>,
        draining: Cell<bool>,
    }

    impl LocalHost {
        pub const KIND: &'static str = "this page (no worker)";

        pub fn new(on_reply: &Rc<dyn Fn(Reply)>) -> Rc<LocalHost> {
            let on_reply = on_reply.clone();
            Rc::new(LocalHost {
                host: Host::new(Box::new(move |r| on_reply(r))),
                queue: RefCell::new(VecDeque::new()),
                draining: Cell::new(false),
            })
        }

        pub fn push(self: &Rc<Self>, item: Queued) {
            self.queue.borrow_mut().push_back(item);
            if self.draining.replace(true) {
                return;
            }
            let me = self.clone();
            // Spawned, so the page renders "busy" first, as it would with a worker.
            wasm_bindgen_futures::spawn_local(async move {
                loop {
                    let next = me.queue.borrow_mut().pop_front();
                    let Some((req, blob)) = next else { break };
                    let source = match blob {
                        Some(b) => match crate::ui::browser::read_blob(&b).await {
                            Ok(buf) => Some(Box::new(js_sys::Uint8Array::new(&buf).to_vec()) as Box<dyn FileSource>),
                            Err(message) => {
                                me.host.reply(Reply::Failed { seq: req.seq(), message });
                                continue;
                            }
                        },
                        None => None,
                    };
                    me.host.receive(req, source);
                }
                me.draining.set(false);
            });
        }
    }
}

pub struct Engine {
    mode: RefCell<Mode>,
    /// A second worker that reads the second half of big data files for the first (started
    /// with the first such file: until then only one is running).
    helper: RefCell<Option<web_sys::Worker>>,
    /// A helper is to be started again once the current analysis is on the page.
    renew: std::cell::Cell<bool>,
    on_reply: Rc<dyn Fn(Reply)>,
    /// Where the computation runs, in words (shown on the About page).
    pub kind: RefCell<&'static str>,
}

impl PartialEq for Engine {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Engine({})", self.kind.borrow())
    }
}

/// The worker's loader, as a same-origin blob so the worker inherits this page's
/// Content-Security-Policy (a worker loaded from a URL would get only its response's policy).
fn worker_script() -> Option<String> {
    let base = web_sys::window()?.location().href().ok()?;
    let base = base.split('#').next()?.to_string();
    let url = |f: &str| -> Option<String> { web_sys::Url::new_with_base(f, &base).ok().map(|u| u.href()) };
    Some(format!(
        "importScripts({js:?});\nwasm_bindgen({{module_or_path: {wasm:?}}}).catch(function (e) {{ self.postMessage({{json: JSON.stringify({{failed: {{seq: 0, message: 'worker: ' + e}}}})}}); self.close(); }});\n",
        js = url("./worker.js")?,
        wasm = url("./worker_bg.wasm")?
    ))
}

/// True in the single-file offline copy, which carries the worker inside the page.
fn single_file_build() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=lantern-build][content=single-file]").ok().flatten())
        .is_some()
}

/// The offline copy's worker: its loader and wasm (base64) are inert `<script type="text/plain">`
/// blocks of the page (scripts/single-file.mjs), joined into one blob — the big strings stay in
/// JavaScript. The blob worker inherits the page's policy (`worker-src blob:`).
fn embedded_worker_parts() -> Option<js_sys::Array> {
    let doc = web_sys::window()?.document()?;
    let text = |id: &str| -> Option<JsValue> {
        let el = doc.get_element_by_id(id)?;
        js_sys::Reflect::get(&el, &JsValue::from_str("textContent")).ok().filter(|v| v.is_string())
    };
    let (js, wasm) = (text("lantern-worker-js")?, text("lantern-worker-wasm")?);
    let parts = js_sys::Array::new();
    parts.push(&js);
    parts.push(&JsValue::from_str("\nwasm_bindgen({module_or_path: Uint8Array.from(atob(\""));
    parts.push(&wasm);
    parts.push(&JsValue::from_str(
        "\"), function (c) { return c.charCodeAt(0); })}).catch(function (e) { self.postMessage({json: JSON.stringify({failed: {seq: 0, message: 'worker: ' + e}})}); self.close(); });\n",
    ));
    Some(parts)
}

fn spawn_worker() -> Option<web_sys::Worker> {
    let parts = if single_file_build() {
        embedded_worker_parts()?
    } else {
        js_sys::Array::of1(&JsValue::from_str(&worker_script()?))
    };
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let worker = web_sys::Worker::new(&url).ok();
    let _ = web_sys::Url::revoke_object_url(&url);
    worker
}

impl Engine {
    /// Starts the engine; replies arrive through `on_reply`.
    pub fn start(on_reply: Rc<dyn Fn(Reply)>) -> Rc<Engine> {
        let engine = Rc::new(Engine {
            mode: RefCell::new(Mode::Local(Fallback::new(&on_reply))),
            helper: RefCell::new(None),
            renew: std::cell::Cell::new(false),
            on_reply,
            kind: RefCell::new(Fallback::KIND),
        });
        engine.attach_worker();
        engine
    }

    /// Starts a worker and listens to it; requests queue until it says it is ready.
    fn attach_worker(self: &Rc<Self>) {
        let Some(worker) = spawn_worker() else { return };
        let weak = Rc::downgrade(self);
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Some(engine) = weak.upgrade() else { return };
            let reply = match Message::decode(&e.data()) {
                Some(Message::HelperDone) => return engine.renew_helper(),
                Some(Message::Json { json, .. }) => serde_json::from_str::<Reply>(&json).map_err(|e| e.to_string()),
                _ => Err("not a reply".to_string()),
            };
            match reply {
                Ok(Reply::Ready) => engine.worker_ready(),
                Ok(Reply::Failed { seq: 0, message }) if message.starts_with("worker:") => engine.fall_back(),
                Ok(r) => {
                    let done = matches!(r, Reply::Analysed { .. } | Reply::Failed { .. });
                    (engine.on_reply)(r);
                    if done {
                        engine.helper_after_analysis();
                    }
                }
                Err(e) => (engine.on_reply)(Reply::Failed {
                    seq: 0,
                    message: format!("The worker's answer could not be read ({e})."),
                }),
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let weak = Rc::downgrade(self);
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default();
            if let Some(engine) = weak.upgrade() {
                engine.worker_failed();
            }
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        *self.mode.borrow_mut() = Mode::Starting { worker, queue: Vec::new() };
        *self.kind.borrow_mut() = "starting a background worker";
    }

    /// The worker reported an error: while starting, it could not start (fall back); once
    /// running, it stopped (a crash, such as running out of memory on a huge file): say so
    /// and start a fresh one, so the page keeps working.
    fn worker_failed(self: &Rc<Self>) {
        match self.running_worker() {
            Some(worker) => {
                worker.terminate();
                // (Its helper was talking to the stopped worker; a new one starts when needed.)
                if let Some(helper) = self.helper.borrow_mut().take() {
                    helper.terminate();
                }
                // (Until the new worker is ready, or if none can start, the fallback answers.)
                *self.mode.borrow_mut() = Mode::Local(Fallback::new(&self.on_reply));
                *self.kind.borrow_mut() = Fallback::KIND;
                (self.on_reply)(Reply::Restarted {
                    message: "Lantern's background worker stopped unexpectedly (a browser can run out of memory on a very large file). \
                              It has been restarted with nothing loaded: load your files again."
                        .into(),
                });
                self.attach_worker();
            }
            None => self.fall_back(),
        }
    }

    fn worker_ready(&self) {
        let old = std::mem::replace(&mut *self.mode.borrow_mut(), Mode::Local(Fallback::new(&self.on_reply)));
        match old {
            Mode::Starting { worker, queue } => {
                for (req, file) in queue {
                    post(&worker, &req, file);
                }
                *self.mode.borrow_mut() = Mode::Worker(worker);
                *self.kind.borrow_mut() = "a background worker (the page stays responsive)";
            }
            other => *self.mode.borrow_mut() = other,
        }
    }

    /// The worker could not start: hand what was queued to the fallback.
    fn fall_back(&self) {
        let host = Fallback::new(&self.on_reply);
        let old = std::mem::replace(&mut *self.mode.borrow_mut(), Mode::Local(host.clone()));
        *self.kind.borrow_mut() = Fallback::KIND;
        if let Mode::Starting { worker, queue } = old {
            worker.terminate();
            for item in queue {
                host.push(item);
            }
        }
    }

    /// Sends a request with its file, if any: a worker gets the `Blob` handle (the browser
    /// shares it; no bytes are copied) and reads the bytes itself.
    pub fn send(self: &Rc<Self>, req: Request, file: Option<web_sys::Blob>) {
        let mut mode = self.mode.borrow_mut();
        match &mut *mode {
            Mode::Starting { queue, .. } => queue.push((req, file)),
            Mode::Worker(w) => {
                let big = file.as_ref().is_some_and(|f| split::middle(f.size().max(0.0) as u64).is_some());
                if big && matches!(req, Request::LoadData { .. }) {
                    self.start_helper(w);
                }
                post(w, &req, file)
            }
            Mode::Local(host) => {
                let host = host.clone();
                drop(mode);
                host.push((req, file));
            }
        }
    }
}

impl Engine {
    /// Answers like a failed request, later (never while the app state is being changed): for
    /// an effect the page could not perform (a text made into a file, a download).
    pub fn fail(&self, seq: u64, message: String) {
        let on_reply = self.on_reply.clone();
        wasm_bindgen_futures::spawn_local(async move { on_reply(Reply::Failed { seq, message }) });
    }

    /// The engine's worker, once it has started (a handle: the mode's borrow ends here).
    fn running_worker(&self) -> Option<web_sys::Worker> {
        match &*self.mode.borrow() {
            Mode::Worker(w) => Some(w.clone()),
            _ => None,
        }
    }

    /// The helper has handed its half over: it is replaced by a fresh one, which holds none of
    /// the memory the last file took (a worker's wasm memory never shrinks), so the two are
    /// not both at their peak while the engine's worker analyses; the new one starts while
    /// that runs, ready for the next big file.
    fn renew_helper(self: &Rc<Self>) {
        if let Some(old) = self.helper.borrow_mut().take() {
            old.terminate();
        }
        self.renew.set(true);
    }

    /// After a big file's analysis: the fresh helper starts now, when the engine is idle.
    fn helper_after_analysis(self: &Rc<Self>) {
        if !self.renew.replace(false) {
            return;
        }
        if let Some(w) = self.running_worker() {
            self.start_helper(&w);
        }
    }

    /// Starts the helper worker (once) and joins it to the engine's worker with a channel.
    /// The engine's worker gets its end at once (what it sends waits in the channel); the
    /// helper gets its end when it says it is ready (a message sent to a worker before its
    /// wasm has started would be lost). If the helper cannot start or stops, the engine's
    /// worker is told, and reads whole files itself again.
    fn start_helper(self: &Rc<Self>, engine_worker: &web_sys::Worker) {
        if self.helper.borrow().is_some() {
            return;
        }
        let Some(helper) = spawn_worker() else { return };
        let Ok(channel) = web_sys::MessageChannel::new() else {
            helper.terminate();
            return;
        };
        let (to_engine, to_helper) = (channel.port1(), channel.port2());
        let msg = Message::Engine(to_engine);
        if engine_worker.post_message_with_transfer(&msg.encode(), &msg.transfer().unwrap_or_default()).is_err() {
            helper.terminate();
            return;
        }
        let weak = Rc::downgrade(self);
        let lost = move || {
            let Some(engine) = weak.upgrade() else { return };
            if let Some(h) = engine.helper.borrow_mut().take() {
                h.terminate();
            }
            if let Some(w) = engine.running_worker() {
                let _ = w.post_message(&Message::HelperLost.encode());
            }
        };
        let lost = Rc::new(lost);
        let on_lost = lost.clone();
        let helper_for_ready = helper.clone();
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let ready = match Message::decode(&e.data()) {
                Some(Message::Json { json, .. }) => matches!(serde_json::from_str(&json), Ok(Reply::Ready)),
                _ => false,
            };
            if ready {
                let msg = Message::Helper(to_helper.clone());
                let _ = helper_for_ready.post_message_with_transfer(&msg.encode(), &msg.transfer().unwrap_or_default());
            } else {
                on_lost();
            }
        });
        helper.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default();
            lost();
        });
        helper.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        *self.helper.borrow_mut() = Some(helper);
    }
}

fn post(worker: &web_sys::Worker, req: &Request, file: Option<web_sys::Blob>) {
    let json = serde_json::to_string(req).unwrap_or_default();
    let _ = worker.post_message(&Message::Json { json, file }.encode());
}
