//! The Web Worker side (wasm only; no UI crate): receives requests from the page, runs
//! [`crate::core::engine::service::Service`], posts replies. The bootstrap runs in steps with a
//! macrotask between them, so a Cancel message is seen while it runs.
//!
//! Messages are [`Message`]s, encoded in `message.rs` only. A request or reply is `{json, file?}`:
//! `json` is a serialised request or reply, `file` a `Blob` (the user's `File`, or the demo's text): a handle, not a copy. The worker reads its
//! bytes straight into wasm memory in slices ([`BlobSource`]), so no second copy of a big file
//! is ever held by the page or by JavaScript, and it reads it again from the same handle when
//! the reading settings change (never a serde codec for bytes).
//!
//! A second instance of this worker can serve as a helper ([`serve_as_helper`]): the page
//! starts it with the first data file over [`split::SPLIT_MIN_BYTES`] and joins the two with
//! a `MessageChannel`. For such files the engine's worker reads the first half while the
//! helper reads the second into columns and hands them back as one transferred buffer
//! ([`crate::core::ingest::split`]), so the two cores parse at once.

mod message;

use crate::core::engine::service::{FileSource, Reply, Request, Service};
use crate::core::ingest::split;
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub use message::Message;

/// Runs the service and sends its replies through `post`, in a worker or in the page.
pub struct Host {
    service: RefCell<Service>,
    post: Box<dyn Fn(Reply)>,
    looping: Cell<bool>,
    /// The channel to a helper worker that reads the second half of big files.
    helper: RefCell<Option<web_sys::MessagePort>>,
    /// The last job handed to the helper.
    job: Cell<u64>,
}

impl Host {
    pub fn new(post: Box<dyn Fn(Reply)>) -> Rc<Host> {
        Rc::new(Host {
            service: RefCell::new(Service::new()),
            post,
            looping: Cell::new(false),
            helper: RefCell::new(None),
            job: Cell::new(0),
        })
    }

    /// From now on, big data files are read in two halves, the second by the helper at the
    /// other end of `port` ([`serve_as_helper`]).
    pub fn use_helper(self: &Rc<Self>, port: web_sys::MessagePort) {
        let weak = Rc::downgrade(self);
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Some(host) = weak.upgrade() else { return };
            let Some(Message::Part { job, part }) = Message::decode(&e.data()) else { return };
            if job != host.job.get() {
                // A half of a file loaded before the newest: the helper is still to read the
                // newest one's (it queued), so it is neither used nor replaced now.
                if let Some(b) = part {
                    release(&b);
                }
                return;
            }
            let bytes = part.map(|b| {
                let bytes = js_sys::Uint8Array::new(&b).to_vec();
                release(&b);
                bytes
            });
            // (The page replaces the helper now: its memory is let go before the analysis.)
            if let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() {
                let _ = scope.post_message(&Message::HelperDone.encode());
            }
            let reply = host.service.borrow_mut().second_half(job, bytes.as_deref());
            drop(bytes);
            if let Some(r) = reply {
                (host.post)(r);
            }
            host.keep_working();
        });
        port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        *self.helper.borrow_mut() = Some(port);
    }

    /// The helper stopped: big files are read whole again, and one waiting for its second
    /// half is read whole now.
    pub fn helper_lost(self: &Rc<Self>) {
        if let Some(port) = self.helper.borrow_mut().take() {
            port.close();
        }
        let reply = self.service.borrow_mut().second_half(self.job.get(), None);
        if let Some(r) = reply {
            (self.post)(r);
        }
        self.keep_working();
    }

    /// A data file big enough to read in two halves, with a helper to read the second: hands
    /// the helper its half and reads the first here. False (nothing done) otherwise.
    fn receive_in_halves(self: &Rc<Self>, req: &Request, file: &web_sys::Blob) -> bool {
        let Request::LoadData { recipe, .. } = req else { return false };
        let helper = self.helper.borrow();
        let (Some(port), Some(mid)) = (helper.as_ref(), split::middle(file.size().max(0.0) as u64)) else {
            return false;
        };
        let opts = serde_json::to_string(&crate::core::engine::service::ingest_options(recipe.ingest.as_ref()))
            .unwrap_or_default();
        let job = self.job.get() + 1;
        self.job.set(job);
        let msg = Message::Half { job, file: file.clone(), mid, opts };
        if port.post_message(&msg.encode()).is_err() {
            return false;
        }
        drop(helper);
        let reply = self.service.borrow_mut().first_half(job, req.clone(), Box::new(BlobSource(file.clone())));
        if let Some(r) = reply {
            (self.post)(r);
        }
        self.keep_working();
        true
    }

    /// Sends a reply to the page (for a request that could not reach the service).
    pub fn reply(&self, reply: Reply) {
        (self.post)(reply);
    }

    /// Takes one request (with its file, if any).
    pub fn receive(self: &Rc<Self>, req: Request, file: Option<Box<dyn FileSource>>) {
        let reply = self.service.borrow_mut().handle_source(req, file);
        if let Some(r) = reply {
            (self.post)(r);
        }
        self.keep_working();
    }

    fn keep_working(self: &Rc<Self>) {
        if self.looping.get() || !self.service.borrow().busy() {
            return;
        }
        self.looping.set(true);
        let host = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            while host.service.borrow().busy() {
                next_macrotask().await;
                let reply = host.service.borrow_mut().work();
                if let Some(r) = reply {
                    (host.post)(r);
                }
            }
            host.looping.set(false);
        });
    }
}

/// Resolves after a zero-delay timer, letting queued messages (Cancel) run first.
async fn next_macrotask() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let set_timeout = js_sys::Reflect::get(&global, &JsValue::from_str("setTimeout"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match set_timeout {
            Some(f) => {
                let _ = f.call2(&global, &resolve, &JsValue::from(0));
            }
            None => {
                let _ = resolve.call0(&JsValue::NULL);
            }
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Bytes read from a `Blob` at a time: each slice is copied into wasm memory and let go at once.
/// (Chromium, 46 MB file, reading alone: 2 MB slices 105 ms, 8 MB 70 ms, 32 MB 55 ms, the whole
/// file at once 51 ms but then held twice; end to end, 16 MB is as fast as 32 MB. Reading is
/// close to the tab's memory peak: the benchmark's 1M-row file peaks at 3.2× its size with 8 or
/// 16 MB slices, 3.3–3.7× with 32.)
const SLICE: f64 = 16.0 * 1024.0 * 1024.0;

/// A file in the worker: the browser's handle, read synchronously (`FileReaderSync`, workers
/// only) slice by slice into one buffer in wasm memory when its bytes are needed.
pub struct BlobSource(pub web_sys::Blob);

impl FileSource for BlobSource {
    fn size(&self) -> u64 {
        self.0.size().max(0.0) as u64
    }

    fn bytes(&self) -> Result<Cow<'_, [u8]>, String> {
        self.range(0, self.size())
    }

    fn range(&self, from: u64, to: u64) -> Result<Cow<'_, [u8]>, String> {
        let fail = |e: JsValue| {
            format!("The browser could not read the file ({}).", e.as_string().unwrap_or_else(|| format!("{e:?}")))
        };
        let reader = web_sys::FileReaderSync::new().map_err(fail)?;
        let size = (to.min(self.size()) as f64).max(0.0);
        let mut at = (from as f64).min(size);
        let mut out: Vec<u8> = Vec::new();
        out.try_reserve_exact((size - at) as usize)
            .map_err(|_| "There is not enough memory to read this file.".to_string())?;
        while at < size {
            let end = (at + SLICE).min(size);
            let part = self.0.slice_with_f64_and_f64(at, end).map_err(fail)?;
            let buffer = reader.read_as_array_buffer(&part).map_err(fail)?;
            let view = js_sys::Uint8Array::new(&buffer);
            let start = out.len();
            out.resize(start + view.length() as usize, 0);
            view.copy_to(&mut out[start..]);
            release(&buffer);
            at = end;
        }
        Ok(Cow::Owned(out))
    }

    fn held(&self) -> usize {
        0
    }
}

/// Detaches an `ArrayBuffer` whose contents have been copied, freeing its memory at once
/// (`transfer(0)`, where the browser has it) instead of at the next garbage collection.
fn release(buffer: &JsValue) {
    let transfer = js_sys::Reflect::get(buffer, &JsValue::from_str("transfer"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(f) = transfer {
        let _ = f.call1(buffer, &JsValue::from(0));
    }
}

/// Makes this worker a helper: it reads the second half of big files for the engine's worker
/// at the other end of `port` (`{job, file, mid, opts}` in; `{job, part}` out, `part` an
/// `ArrayBuffer` handed over, not copied; `{job}` alone when it could not read its half).
pub fn serve_as_helper(port: web_sys::MessagePort) {
    let reply_port = port.clone();
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let (job, part) = match Message::decode(&e.data()) {
            Some(Message::Half { job, file, mid, opts }) => {
                let opts = serde_json::from_str(&opts).unwrap_or_default();
                (job, read_second_half(&BlobSource(file), mid, &opts))
            }
            // (A job without a file it can read: answered, so the engine reads it whole.)
            Some(Message::Part { job, .. }) => (job, None),
            _ => return,
        };
        let msg = match part {
            Some(part) => {
                // Written in pieces straight into the buffer that is handed over.
                let buffer = js_sys::Uint8Array::new_with_length(part.encoded_len() as u32);
                let mut at = 0u32;
                part.encode_to(&mut |piece: &[u8]| {
                    let end = at + piece.len() as u32;
                    buffer.subarray(at, end).copy_from(piece);
                    at = end;
                });
                drop(part);
                Message::Part { job, part: Some(buffer.buffer()) }
            }
            None => Message::Part { job, part: None },
        };
        let _ = match msg.transfer() {
            Some(transfer) => reply_port.post_message_with_transferable(&msg.encode(), &transfer),
            None => reply_port.post_message(&msg.encode()),
        };
    });
    port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

/// The helper's work: the file's first bytes (for its layout) and its second half, read into
/// columns; `None` when that half cannot be read apart.
fn read_second_half(file: &BlobSource, mid: u64, opts: &crate::core::ingest::IngestOptions) -> Option<split::Part> {
    let size = file.size();
    let head = file.range(0, split::HEAD_BYTES.min(size)).ok()?;
    let tail = file.range(mid, size).ok()?;
    let start = split::split_after(&tail, mid, mid)?;
    let from = usize::try_from(start - mid).ok()?;
    split::read_part(&head, tail.get(from..)?, start, opts).ok()
}

/// Entry point of the worker binary.
pub fn start() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let post_scope = scope.clone();
    let host = Host::new(Box::new(move |reply: Reply| {
        let json = serde_json::to_string(&reply).unwrap_or_else(|e| {
            format!("{{\"failed\":{{\"seq\":0,\"message\":\"The worker could not send its answer ({e}).\"}}}}")
        });
        let _ = post_scope.post_message(&Message::json(json).encode());
    }));
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        // `Helper`: this worker becomes a helper; `Engine`: this one gets a helper.
        let request = match Message::decode(&e.data()) {
            Some(Message::Helper(p)) => return serve_as_helper(p),
            Some(Message::Engine(p)) => return host.use_helper(p),
            Some(Message::HelperLost) => return host.helper_lost(),
            Some(Message::Json { json, file }) => serde_json::from_str::<Request>(&json)
                .map(|r| (r, file))
                .map_err(|e| format!("The worker got a request it does not understand ({e}).")),
            _ => Err("A message without a request reached the worker.".to_string()),
        };
        match request {
            Ok((req, Some(file))) if host.receive_in_halves(&req, &file) => {}
            Ok((req, file)) => host.receive(req, file.map(|f| Box::new(BlobSource(f)) as Box<dyn FileSource>)),
            Err(message) => {
                let json = serde_json::to_string(&Reply::Failed { seq: 0, message }).unwrap_or_default();
                let _ = reply_scope.post_message(&Message::json(json).encode());
            }
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let ready = serde_json::to_string(&Reply::Ready).unwrap_or_default();
    let _ = scope.post_message(&Message::json(ready).encode());
}
