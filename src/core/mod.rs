//! The pure core: no UI crate, no browser API, no I/O beyond the bytes it is handed.
//! Everything here is natively testable and never panics on user data.

pub mod analysis;
pub mod chart;
pub mod clean_csv;
pub mod cost;
pub mod dataset;
pub mod demo;
pub mod explain;
pub mod ingest;
pub mod power;
pub mod process;
pub mod recipe;
pub mod report;
pub mod results;
pub mod scales;
pub mod service;
pub mod simulate;
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
