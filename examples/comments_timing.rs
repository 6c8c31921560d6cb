//! Native timing of comment coding through the worker's path (issue 21: 10,000 comments of
//! 500 characters coded in under 200 ms in the worker). Builds a two-arm file of 10,000 rows
//! whose comment column repeats pieces of the public case's comments up to 500 characters,
//! reads it, and times, with the starter codebook: the whole analysis (`analyse`, which fills
//! `results.comments`), the coding alone (`code_dataset`) and the page's view (browser page,
//! frequencies). Run with
//! `cargo run --profile worker-release --example comments_timing` (the worker's profile).
//! Prints the median and best of 7 runs in milliseconds.

use lantern::core::analyses::comments::code_dataset;
use lantern::core::analyses::comments::starter::starter_codebook;
use lantern::core::analyses::comments::view::{view, CommentsQuery};
use lantern::core::analyses::{analyse, arms};
use lantern::core::ingest::read_csv;
use lantern::core::recipe::Recipe;
use std::time::Instant;

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/comments/pc1_trial_comments_n80.csv");
    let Ok(text) = std::fs::read_to_string(dir) else {
        eprintln!("{dir} not found");
        return;
    };
    // Comment pieces: the last field of each line (quoted or not).
    let pieces: Vec<String> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.splitn(5, ',').nth(4).map(|s| s.trim_matches('"').replace('"', "")))
        .filter(|s| s.len() > 10)
        .collect();
    let mut csv = String::from("id,group,comment\n");
    for i in 0..10_000usize {
        let mut s = String::new();
        let mut k = i;
        while s.chars().count() < 500 {
            s.push_str(&pieces[k % pieces.len()]);
            s.push(' ');
            k = (k * 7 + 3) % 1_000_003;
        }
        let s: String = s.chars().take(500).collect();
        csv.push_str(&format!(
            "{i},{},\"{}\"\n",
            if i % 2 == 0 { "intervention" } else { "control" },
            s.replace('"', "\"\"")
        ));
    }
    let ds = match read_csv(csv.as_bytes(), "comments-10k.csv") {
        Ok(ds) => ds,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    let mut recipe = Recipe::default();
    recipe.columns.group = Some("group".into());
    recipe.comments.columns = vec!["comment".into()];
    recipe.comments.codebook = starter_codebook();
    let time = |f: &dyn Fn()| {
        let mut ms: Vec<f64> = (0..7)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        ms.sort_by(f64::total_cmp);
        (ms[3], ms[0])
    };
    let a = analyse(&ds, &recipe);
    let r = &a.results.comments;
    println!(
        "{} rows, {} comments, {} codes, file {:.1} MB",
        ds.n_rows,
        r.0.first().map_or(0, |c| c.1.n),
        recipe.comments.codebook.0.len(),
        csv.len() as f64 / 1e6
    );
    let (m, b) = time(&|| {
        let _ = analyse(&ds, &recipe);
    });
    println!("analyse (results.comments included): median {m:.1} ms, best {b:.1} ms");
    let arms = arms(&ds, &recipe, &mut Vec::new());
    let (m, b) = time(&|| {
        let _ = code_dataset(&ds, &recipe, arms.as_ref());
    });
    println!("coding alone (validate, code, count, Fisher): median {m:.1} ms, best {b:.1} ms");
    let (m, b) = time(&|| {
        let _ = view(&ds, &recipe, arms.as_ref(), &CommentsQuery::default());
    });
    println!("page view (code, filter, page, frequencies, quotes): median {m:.1} ms, best {b:.1} ms");
    let q = CommentsQuery { search: "understand*".into(), ..Default::default() };
    let (m, b) = time(&|| {
        let _ = view(&ds, &recipe, arms.as_ref(), &q);
    });
    println!("page view with a search: median {m:.1} ms, best {b:.1} ms");
}
