//! Lantern: a private, in-browser evaluation calculator for peer-led mental-health programs.
//!
//! # Code map
//! - [`core`]: pure computation. Bytes in, results out. Natively testable.
//!   - `core::ingest`: file bytes → [`core::dataset::Dataset`] plus located diagnostics.
//!   - `core::recipe`: what the user chose (column roles, settings); the recipe JSON.
//!   - `core::stats`: distributions and tests.
//!   - `core::analyses`: recipe + dataset → [`core::results::Results`].
//!   - `core::results`: everything computed; the results JSON export.
//!   - `core::present::explain`: plain-language sentences from results.
//!   - `core::engine::demo`: the built-in synthetic demo dataset.
//!   - `core::engine::service`: the engine that holds the loaded data and answers requests.
//! - `worker` (wasm only): the Web Worker that runs `core::engine::service` off the main thread.
//! - `ui`: the Yew app (wasm only). Holds state, renders, never computes statistics; its
//!   `ui::model` (the state and the pure transition `step`) is built natively too.
//!
//! # Architecture invariants
//! - Invariant: nothing under `src/core` imports `yew`, `web_sys`, `js_sys`, `gloo` or
//!   `wasm_bindgen`. A test (`tests/invariants.rs`) reads the sources and fails otherwise.
//! - Invariant: core functions never panic on user data. Bad input becomes a
//!   [`core::dataset::Diagnostic`] or a `None` ("not computable"), never a wrong number.
//! - Invariant: data flows one way: bytes → dataset → analysis → results → views/exports.

pub mod core;

pub mod ui;

#[cfg(target_arch = "wasm32")]
pub mod worker;
