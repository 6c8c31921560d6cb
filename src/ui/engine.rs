//! The page's handle on the engine: a Web Worker running `crate::worker`, or — when a worker
//! cannot start (an old browser, a test page without the worker files) — the same host in the
//! page. Requests sent before the worker is ready are queued and, if it fails, replayed locally.

use crate::core::service::{FileSource, Reply, Request};
use crate::worker::{decode_message, encode_message, Host};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A request and its file (a `Blob` handle: the user's `File` or text made in the page).
type Queued = (Request, Option<web_sys::Blob>);

enum Mode {
    Starting { worker: web_sys::Worker, queue: Vec<Queued> },
    Worker(web_sys::Worker),
    Local(Rc<LocalHost>),
}

/// The engine in the page. A file's bytes are read asynchronously (the page cannot read
/// synchronously), so requests wait in a queue and run strictly in the order sent.
struct LocalHost {
    host: Rc<Host>,
    queue: RefCell<VecDeque<Queued>>,
    draining: std::cell::Cell<bool>,
}

impl LocalHost {
    fn push(self: &Rc<Self>, item: Queued) {
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

pub struct Engine {
    mode: RefCell<Mode>,
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

/// True in the single-file offline copy, which carries no worker files and forbids workers.
fn single_file_build() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=lantern-build][content=single-file]").ok().flatten())
        .is_some()
}

fn spawn_worker() -> Option<web_sys::Worker> {
    if single_file_build() {
        return None;
    }
    let script = worker_script()?;
    let parts = js_sys::Array::of1(&JsValue::from_str(&script));
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
        let engine = Rc::new(Engine { mode: RefCell::new(Mode::Local(Engine::local_host(&on_reply))), on_reply, kind: RefCell::new(if single_file_build() { "this page (offline single-file copy)" } else { "this page (no worker)" }) });
        if let Some(worker) = spawn_worker() {
            let weak = Rc::downgrade(&engine);
            let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let Some(engine) = weak.upgrade() else { return };
                let reply = decode_message(&e.data())
                    .and_then(|(json, _)| serde_json::from_str::<Reply>(&json).map_err(|e| e.to_string()));
                match reply {
                    Ok(Reply::Ready) => engine.worker_ready(),
                    Ok(Reply::Failed { seq: 0, message }) if message.starts_with("worker:") => engine.fall_back(),
                    Ok(r) => (engine.on_reply)(r),
                    Err(e) => (engine.on_reply)(Reply::Failed { seq: 0, message: format!("The worker's answer could not be read ({e}).") }),
                }
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            on_message.forget();
            let weak = Rc::downgrade(&engine);
            let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
                e.prevent_default();
                if let Some(engine) = weak.upgrade() {
                    engine.fall_back();
                }
            });
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            on_error.forget();
            *engine.mode.borrow_mut() = Mode::Starting { worker, queue: Vec::new() };
            *engine.kind.borrow_mut() = "starting a background worker";
        }
        engine
    }

    fn local_host(on_reply: &Rc<dyn Fn(Reply)>) -> Rc<LocalHost> {
        let on_reply = on_reply.clone();
        Rc::new(LocalHost { host: Host::new(Box::new(move |r| on_reply(r))), queue: RefCell::new(VecDeque::new()), draining: std::cell::Cell::new(false) })
    }

    fn worker_ready(&self) {
        let old = std::mem::replace(&mut *self.mode.borrow_mut(), Mode::Local(Engine::local_host(&self.on_reply)));
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

    /// The worker could not start: run in the page instead, replaying what was queued.
    fn fall_back(&self) {
        let host = Engine::local_host(&self.on_reply);
        let old = std::mem::replace(&mut *self.mode.borrow_mut(), Mode::Local(host.clone()));
        *self.kind.borrow_mut() = "this page (the background worker could not start)";
        if let Mode::Starting { worker, queue } = old {
            worker.terminate();
            for item in queue {
                host.push(item);
            }
        }
    }

    /// Sends a request with its file, if any: a worker gets the `Blob` handle (the browser
    /// shares it; no bytes are copied) and reads the bytes itself.
    pub fn send(&self, req: Request, file: Option<web_sys::Blob>) {
        let mut mode = self.mode.borrow_mut();
        match &mut *mode {
            Mode::Starting { queue, .. } => queue.push((req, file)),
            Mode::Worker(w) => post(w, &req, file),
            Mode::Local(host) => {
                let host = host.clone();
                drop(mode);
                host.push((req, file));
            }
        }
    }
}

fn post(worker: &web_sys::Worker, req: &Request, file: Option<web_sys::Blob>) {
    let json = serde_json::to_string(req).unwrap_or_default();
    let msg = encode_message(&json);
    if let Some(file) = file {
        let _ = js_sys::Reflect::set(&msg, &JsValue::from_str("file"), &file);
    }
    let _ = worker.post_message(&msg);
}
