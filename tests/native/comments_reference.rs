//! Free-text answers (CONTRACT §6) through the app's own path: read the CSV as the worker does,
//! load the case file as a recipe, analyse, export the results document, and compare every
//! `results.comments` key of the public case with its tolerance. Comment text never appears in
//! the results document.

use crate::support::{compare, reference_dir};
use lantern::core::{analyses::analyse, ingest::read_csv, recipe::Recipe, results::export_json};
use serde_json::Value;

fn run(case: &str) -> (Value, Value, String, String) {
    let dir = reference_dir().join("comments");
    let spec_text = std::fs::read_to_string(dir.join(format!("{case}.json"))).unwrap();
    let spec: Value = serde_json::from_str(&spec_text).unwrap();
    let csv = spec["csv"].as_str().unwrap().to_string();
    let bytes = std::fs::read(dir.join(&csv)).unwrap();
    let ds = read_csv(&bytes, &csv).unwrap();
    let recipe = Recipe::from_json(&spec_text).unwrap();
    let a = analyse(&ds, &recipe);
    let doc = export_json(&recipe, &ds.summary(), &a);
    (spec, serde_json::from_str(&doc).unwrap(), doc, String::from_utf8_lossy(&bytes).into_owned())
}

#[test]
fn pc1_every_comments_key_equals_the_reference() {
    let (spec, got, _, _) = run("pc1_trial_comments_n80");
    let mut failures = Vec::new();
    let n = compare(&spec["results"]["comments"], &got["results"]["comments"], "comments", &mut failures);
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    assert!(n >= 70, "only {n} values compared");
}

#[test]
fn pc1_codes_keep_the_codebook_order_in_results_and_recipe() {
    let (spec, _, doc, _) = run("pc1_trial_comments_n80");
    let codes: Vec<&str> = ["understanding", "contact", "help_seeking", "fear", "criticism", "harm"].to_vec();
    assert!(spec["comments"]["codebook"].as_object().unwrap().len() == codes.len());
    // Text positions: in the recipe's codebook and in results.comments the codes come in the
    // case file's order (not sorted: "understanding" is first, "contact" second).
    let results_at = doc.find("\"results\"").unwrap();
    for part in [&doc[..results_at], &doc[results_at..]] {
        let pos: Vec<usize> = codes.iter().map(|c| part.find(&format!("\"{c}\"")).unwrap()).collect();
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
    }
    // A saved recipe loads back the same, order included.
    let recipe = Recipe::from_json(
        &std::fs::read_to_string(reference_dir().join("comments/pc1_trial_comments_n80.json")).unwrap(),
    )
    .unwrap();
    let again = Recipe::from_json(&recipe.to_json()).unwrap();
    assert_eq!(again, recipe);
    assert_eq!(again.comments.codebook.0.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(), codes);
}

#[test]
fn pc1_results_hold_no_comment_text() {
    let (_, got, _, csv) = run("pc1_trial_comments_n80");
    let results = serde_json::to_string(&got["results"]).unwrap();
    let column = "What, if anything, changed for you?";
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.contains(column));
    // No comment of 20 characters or more (any part of one) appears in the results.
    let mut checked = 0;
    for line in lines {
        for piece in line.split('"').filter(|p| p.trim().len() >= 20) {
            assert!(!results.contains(piece.trim()), "comment text in results: {piece}");
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked}");
}

#[test]
fn a_bad_codebook_is_a_note_and_the_recipe_is_kept() {
    let dir = reference_dir().join("comments");
    let bytes = std::fs::read(dir.join("pc1_trial_comments_n80.csv")).unwrap();
    let ds = read_csv(&bytes, "pc1.csv").unwrap();
    let recipe = Recipe::from_json(
        r#"{"comments":{"columns":["nope","What, if anything, changed for you?"],"codebook":{"a":["*"],"b":[""],"a":["x"]}}}"#,
    )
    .unwrap();
    let a = analyse(&ds, &recipe);
    assert!(a.results.comments.is_empty());
    let notes = a.notes.join("\n");
    for want in ["only a *", "empty phrase", "two codes named \"a\"", "\"nope\" is not in the data file"] {
        assert!(notes.contains(want), "{want}: {notes}");
    }
    assert_eq!(recipe.comments.codebook.0.len(), 3);
}
