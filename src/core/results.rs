//! Everything computed, and the results export (`lantern-results.json`,
//! `shared/design/CONTRACT.md` §2). Section and key names equal the reference cases'.

use crate::core::dataset::{Dataset, Diagnostic};
use crate::core::recipe::Recipe;
use crate::core::stats::paired::PairedStats;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

pub const RESULTS_FORMAT: u32 = 1;

/// All results sections. Arms are `all` (single group) or `intervention` / `control`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Results {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub paired: BTreeMap<String, PairedStats>,
}

/// The downloadable results document.
pub fn export_json(recipe: &Recipe, dataset: &Dataset, diagnostics: &[Diagnostic], results: &Results) -> String {
    let doc = json!({
        "lantern": {"version": env!("CARGO_PKG_VERSION"), "results_format": RESULTS_FORMAT},
        "recipe": recipe,
        "dataset": {
            "file": dataset.file,
            "rows": dataset.n_rows,
            "columns": dataset.column_names(),
            "diagnostics": diagnostics,
        },
        "results": results,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
