//! Every message between the page, the engine's worker and its helper worker, as one enum
//! encoded and decoded here only. On the wire each is a plain object (the browser copies it
//! with structured clone; file handles, ports and buffers travel inside it): `{json, file?}`
//! for requests and replies, and a few small objects for joining and feeding the helper.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub enum Message {
    /// A request (page → worker) or a reply (worker → page) as JSON, with the file a request
    /// reads (a `Blob` handle: the user's `File`, or text made in the page; not a copy).
    Json { json: String, file: Option<web_sys::Blob> },
    /// Page → engine's worker: its end of the channel to a helper (handed over).
    Engine(web_sys::MessagePort),
    /// Page → helper: its end of the channel; it serves as a helper from now on (handed over).
    Helper(web_sys::MessagePort),
    /// Page → engine's worker: the helper stopped (read big files whole again).
    HelperLost,
    /// Engine's worker → page: the helper handed its half over (the page replaces it).
    HelperDone,
    /// Engine's worker → helper: read `file` from `mid` to its end into columns, with these
    /// reading options (JSON of `IngestOptions`).
    Half { job: u64, file: web_sys::Blob, mid: u64, opts: String },
    /// Helper → engine's worker: the second half of `job` read into columns (an `ArrayBuffer`,
    /// handed over, not copied); `None` when it could not be read apart.
    Part { job: u64, part: Option<js_sys::ArrayBuffer> },
}

impl Message {
    /// A `{json}` message (no file).
    pub fn json(json: String) -> Message {
        Message::Json { json, file: None }
    }

    /// The message as the plain object posted.
    pub fn encode(&self) -> JsValue {
        let job = |job: &u64| JsValue::from_f64(*job as f64);
        match self {
            Message::Json { json, file } => {
                let obj = object(&[("json", &JsValue::from_str(json))]);
                if let Some(file) = file {
                    let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("file"), file);
                }
                obj
            }
            Message::Engine(port) => object(&[("engine", port)]),
            Message::Helper(port) => object(&[("helper", port)]),
            Message::HelperLost => object(&[("helper_lost", &JsValue::TRUE)]),
            Message::HelperDone => object(&[("helper_done", &JsValue::TRUE)]),
            Message::Half { job: n, file, mid, opts } => object(&[
                ("job", &job(n)),
                ("file", file),
                ("mid", &JsValue::from_f64(*mid as f64)),
                ("opts", &JsValue::from_str(opts)),
            ]),
            Message::Part { job: n, part: Some(part) } => object(&[("job", &job(n)), ("part", part)]),
            Message::Part { job: n, part: None } => object(&[("job", &job(n))]),
        }
    }

    /// What a posted object is (`None`: none of these).
    pub fn decode(data: &JsValue) -> Option<Message> {
        let get = |key: &str| js_sys::Reflect::get(data, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined());
        let port = |key: &str| get(key).and_then(|v| v.dyn_into::<web_sys::MessagePort>().ok());
        let number = |key: &str| get(key).and_then(|v| v.as_f64()).filter(|n| *n >= 0.0).map(|n| n as u64);
        let file = get("file").and_then(|v| v.dyn_into::<web_sys::Blob>().ok());
        if let Some(p) = port("helper") {
            return Some(Message::Helper(p));
        }
        if let Some(p) = port("engine") {
            return Some(Message::Engine(p));
        }
        if get("helper_lost").is_some_and(|v| v.is_truthy()) {
            return Some(Message::HelperLost);
        }
        if get("helper_done").is_some_and(|v| v.is_truthy()) {
            return Some(Message::HelperDone);
        }
        if let Some(json) = get("json").and_then(|v| v.as_string()) {
            return Some(Message::Json { json, file });
        }
        let job = number("job")?;
        match (file, number("mid")) {
            (Some(file), Some(mid)) => {
                let opts = get("opts").and_then(|v| v.as_string()).unwrap_or_default();
                Some(Message::Half { job, file, mid, opts })
            }
            _ => Some(Message::Part { job, part: get("part").and_then(|v| v.dyn_into::<js_sys::ArrayBuffer>().ok()) }),
        }
    }

    /// What the message hands over rather than copies (ports, the helper's buffer).
    pub fn transfer(&self) -> Option<js_sys::Array> {
        match self {
            Message::Engine(port) | Message::Helper(port) => Some(js_sys::Array::of1(port)),
            Message::Part { part: Some(part), .. } => Some(js_sys::Array::of1(part)),
            _ => None,
        }
    }
}

/// A plain object with these keys and values.
fn object(entries: &[(&str, &JsValue)]) -> JsValue {
    let obj = js_sys::Object::new();
    for (key, value) in entries {
        let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(key), value);
    }
    obj.into()
}
