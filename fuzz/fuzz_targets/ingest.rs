//! Fuzzes reading a file and analysing it: `read_csv` on arbitrary bytes, then the summary
//! (types, identifying columns), the cleaned-data export and `analyse` with the recipe the
//! page would suggest. Any panic is a bug (core functions never panic on user data).
//!
//! Run: `cd fuzz && cargo +nightly fuzz run ingest -- -max_total_time=600`

#![no_main]

use lantern::core::analyses::analyse;
use lantern::core::present::clean_csv::safe_csv;
use lantern::core::ingest::read_csv;
use lantern::core::recipe::Recipe;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(ds) = read_csv(data, "fuzz.csv") {
        let _ = ds.summary();
        let _ = safe_csv(&ds);
        let mut recipe = Recipe::default();
        recipe.suggest_columns(&ds.column_names());
        let _ = analyse(&ds, &recipe);
    }
});
