//! The pure core: no UI crate, no browser API, no I/O beyond the bytes it is handed.
//! Everything here is natively testable and never panics on user data.

// Layers, bottom up; a layer uses only the layers below it (`tests/native/invariants.rs`
// checks the table of allowed imports).
pub mod analyses;
pub mod dataset;
pub mod engine;
pub mod ingest;
pub mod planning;
pub mod present;
pub mod recipe;
pub mod results;
pub mod stats;

/// Marsaglia's xorshift64 (13, 7, 17) from `seed`: the unit tests' reproducible random numbers.
#[cfg(test)]
pub(crate) fn xorshift64(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
