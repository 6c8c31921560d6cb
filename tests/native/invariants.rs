//! Architecture invariants stated in `src/lib.rs`, checked on the sources.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn core_imports_no_ui_crate() {
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let mut files = Vec::new();
    rust_files(&core, &mut files);
    assert!(files.len() >= 5, "found the core sources");
    let banned = ["yew", "web_sys", "js_sys", "gloo", "wasm_bindgen", "web-sys"];
    let mut hits = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for b in banned {
                let used = code.contains(&format!("{b}::")) || code.contains(&format!("use {b}")) || code.contains(&format!("extern crate {b}"));
                if used {
                    hits.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(hits.is_empty(), "src/core must stay pure:\n{}", hits.join("\n"));
}

#[test]
fn the_invariant_check_would_catch_an_import() {
    // Guard against a check that cannot fail: the same matcher flags a UI import.
    let line = "use yew::prelude::*;";
    assert!(["yew"].iter().any(|b| line.contains(&format!("use {b}"))));
}
