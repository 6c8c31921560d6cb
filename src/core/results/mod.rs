//! Layer `results`: the results export (`lantern-results.json`, CONTRACT §2) — the document
//! that holds the recipe in force, the dataset's description and every section computed by
//! `analyses` (whose types, [`Results`] and each section's, stay beside the code that computes
//! them). Section and key names equal the reference cases'.

use crate::core::analyses::Analysis;
use crate::core::dataset::Diagnostic;
use crate::core::ingest::profile::DatasetSummary;
use crate::core::recipe::Recipe;
use serde::Serialize;
use serde_json::json;

pub mod pooling;

pub const RESULTS_FORMAT: u32 = 1;

pub use crate::core::analyses::sections::{ChangeBin, Persistence, Results, SubgroupStats};

/// The downloadable results document.
/// `dataset.diagnostics` lists what reading the file found, then what the analysis found.
pub fn export_json(recipe: &Recipe, dataset: &DatasetSummary, analysis: &Analysis) -> String {
    export_document(recipe, Some(dataset), Some(analysis), None)
}

/// The results document with whatever is there: data and results, and the planner's case
/// (`power`: `{design, solve_for, inputs, ...outputs}`), each optional.
pub fn export_document(
    recipe: &Recipe,
    dataset: Option<&DatasetSummary>,
    analysis: Option<&Analysis>,
    power: Option<serde_json::Value>,
) -> String {
    let empty_ds = DatasetSummary::default();
    let empty = Analysis::default();
    let dataset = dataset.unwrap_or(&empty_ds);
    let analysis = analysis.unwrap_or(&empty);
    let diagnostics: Vec<&Diagnostic> = dataset.diagnostics.iter().chain(&analysis.diagnostics).collect();
    // Codes never go into the results: the recipe's accepted / rejected code pairs stay in the
    // saved recipe only.
    let mut recipe = recipe.clone();
    if let Some(link) = recipe.link.as_mut() {
        link.accept.clear();
        link.reject.clear();
    }
    // A struct, not `json!`: a `serde_json::Value` would sort the keys of the recipe's
    // codebook and of `results.comments` (their order is the user's).
    #[derive(Serialize)]
    struct Document<'a> {
        lantern: serde_json::Value,
        recipe: &'a Recipe,
        dataset: serde_json::Value,
        results: &'a Results,
        power: Option<serde_json::Value>,
    }
    let doc = Document {
        lantern: json!({"version": env!("CARGO_PKG_VERSION"), "results_format": RESULTS_FORMAT}),
        recipe: &recipe,
        dataset: json!({
            "file": dataset.file,
            "rows": dataset.n_rows,
            "columns": dataset.columns,
            "diagnostics": diagnostics,
        }),
        results: &analysis.results,
        power,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use crate::core::analyses::change::change_bins;

    #[test]
    fn change_bins_count_every_value_once() {
        let v = [-1.0, -0.5, -0.5, 0.0, 0.2, 1.0];
        let bins = change_bins(&v, 4);
        assert_eq!(bins.iter().map(|b| b.count).sum::<usize>(), 6, "{bins:?}");
        assert!(bins.first().unwrap().lo <= -1.0 && bins.last().unwrap().hi >= 1.0);
        assert!(change_bins(&[], 4).is_empty());
        // The binary search puts every value where the linear search of the bins did.
        let mut x = 0.123_f64;
        let vals: Vec<f64> = (0..5000)
            .map(|i| {
                x = (x * 9301.0 + 49297.0) % 233280.0;
                (x / 233280.0 - 0.5) * 17.0 + if i % 97 == 0 { f64::NAN } else { 0.0 }
            })
            .chain([-3.0, 0.0, 2.5, 8.5])
            .collect();
        for n in [2, 5, 12, 40] {
            let got = change_bins(&vals, n);
            let mut want: Vec<usize> = vec![0; got.len()];
            for v in vals.iter().copied().filter(|v| v.is_finite()) {
                let i = got
                    .iter()
                    .position(|b| v >= b.lo && v < b.hi)
                    .or_else(|| (v == got[got.len() - 1].hi).then_some(got.len() - 1))
                    .unwrap();
                want[i] += 1;
            }
            assert_eq!(got.iter().map(|b| b.count).collect::<Vec<_>>(), want, "{n} bins");
        }
        assert_eq!(
            change_bins(&[2.0, 2.0], 4).iter().map(|b| b.count).sum::<usize>(),
            2,
            "a single value still lands in a bin"
        );
    }
}
