//! The Web Worker side (wasm only; no UI crate): receives requests from the page, runs
//! [`crate::core::service::Service`], posts replies. The bootstrap runs in steps with a
//! macrotask between them, so a Cancel message is seen while it runs.
//!
//! Messages are plain objects `{json, bytes?}`: `json` is a serialised request or reply,
//! `bytes` a transferred `ArrayBuffer` with a file's contents (never a serde codec).

use crate::core::service::{Reply, Request, Service};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Runs the service and sends its replies through `post`, in a worker or in the page.
pub struct Host {
    service: RefCell<Service>,
    post: Box<dyn Fn(Reply)>,
    looping: Cell<bool>,
}

impl Host {
    pub fn new(post: Box<dyn Fn(Reply)>) -> Rc<Host> {
        Rc::new(Host { service: RefCell::new(Service::new()), post, looping: Cell::new(false) })
    }

    /// Takes one request (with the bytes of a file, if any).
    pub fn receive(self: &Rc<Self>, req: Request, bytes: Option<Vec<u8>>) {
        let reply = self.service.borrow_mut().handle_owned(req, bytes);
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

/// Decodes a `{json, bytes?}` message. The bytes are copied once into wasm memory; the
/// `ArrayBuffer` is then emptied (`transfer(0)`, where the browser has it) so that a big
/// file is not held twice until the next garbage collection.
pub fn decode_message(data: &JsValue) -> Result<(String, Option<Vec<u8>>), String> {
    let json = js_sys::Reflect::get(data, &JsValue::from_str("json"))
        .ok()
        .and_then(|v| v.as_string())
        .ok_or("A message without a request reached the worker.")?;
    let bytes = js_sys::Reflect::get(data, &JsValue::from_str("bytes"))
        .ok()
        .filter(|v| v.is_instance_of::<js_sys::ArrayBuffer>())
        .map(|b| {
            let v = js_sys::Uint8Array::new(&b).to_vec();
            release(&b);
            v
        });
    Ok((json, bytes))
}

/// Detaches an `ArrayBuffer` whose contents have been copied, freeing its memory at once.
fn release(buffer: &JsValue) {
    let transfer = js_sys::Reflect::get(buffer, &JsValue::from_str("transfer")).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(f) = transfer {
        let _ = f.call1(buffer, &JsValue::from(0));
    }
}

/// Builds a `{json}` message.
pub fn encode_message(json: &str) -> JsValue {
    let obj = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("json"), &JsValue::from_str(json));
    obj.into()
}

/// Entry point of the worker binary.
pub fn start() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let post_scope = scope.clone();
    let host = Host::new(Box::new(move |reply: Reply| {
        let json = serde_json::to_string(&reply).unwrap_or_else(|e| {
            format!("{{\"kind\":\"failed\",\"seq\":0,\"message\":\"The worker could not send its answer ({e}).\"}}")
        });
        let _ = post_scope.post_message(&encode_message(&json));
    }));
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        match decode_message(&e.data()).and_then(|(json, bytes)| {
            serde_json::from_str::<Request>(&json).map(|r| (r, bytes)).map_err(|e| format!("The worker got a request it does not understand ({e})."))
        }) {
            Ok((req, bytes)) => host.receive(req, bytes),
            Err(message) => {
                let json = serde_json::to_string(&Reply::Failed { seq: 0, message }).unwrap_or_default();
                let _ = reply_scope.post_message(&encode_message(&json));
            }
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let ready = serde_json::to_string(&Reply::Ready).unwrap_or_default();
    let _ = scope.post_message(&encode_message(&ready));
}
