//! The one native integration-test binary: reference cases and architecture invariants.
#![cfg(not(target_arch = "wasm32"))]

mod clean_export;
mod comments_reference;
mod cost_reference;
mod exports;
mod formats;
mod icc_reference;
mod ingest_properties;
mod invariants;
mod linkage_properties;
mod linkage_reference;
mod malformed;
mod mixed_reference;
mod nct_grid;
mod pooling_reference;
mod power_properties;
mod power_reference;
mod process_reference;
mod properties;
mod reference;
mod scoring;
mod support;
mod tipping_reference;
mod waves_edges;
