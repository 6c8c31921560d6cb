//! Architecture invariants stated in `src/lib.rs` and the README, checked on the sources:
//! the core imports no UI crate, and each layer of `src/core` imports only the layers below it
//! (the table [`LAYERS`]), so an import cycle between layers cannot come back.

use std::path::{Path, PathBuf};

/// The layers of `src/core`, bottom up, each with the layers its non-test code may import.
/// A folder (or file) of `src/core` not named here fails the test: every new module takes a
/// place in the table. Test code (`#[cfg(test)]` modules and `tests.rs` files) may import any
/// layer (tests read files with `ingest`, analyse with `analyses`...).
const LAYERS: &[(&str, &[&str])] = &[
    ("dataset", &[]),
    ("stats", &[]),
    ("ingest", &["dataset", "stats"]),
    ("recipe", &["dataset", "stats", "ingest"]),
    ("analyses", &["dataset", "stats", "ingest", "recipe"]),
    ("results", &["dataset", "stats", "ingest", "recipe", "analyses"]),
    ("planning", &["dataset", "stats", "ingest", "recipe", "analyses", "results"]),
    ("present", &["dataset", "stats", "ingest", "recipe", "results", "analyses", "planning"]),
    ("engine", &["dataset", "stats", "ingest", "recipe", "results", "analyses", "planning", "present"]),
];

/// Top-level parts of `src/`: which others each may import. The core none of them; the worker
/// the core; the page the core and the worker's message codec (it starts the workers).
const PARTS: &[(&str, &[&str])] = &[("core", &[]), ("worker", &["core"]), ("ui", &["core", "worker"])];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The lines of a source file that are not test code, without comments: everything before the
/// first `#[cfg(test)]` (test modules sit at the end of a file), nothing of a `tests.rs`.
fn code_lines(path: &Path, text: &str) -> Vec<(usize, String)> {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = line.split("//").next().unwrap_or("");
        if !code.trim().is_empty() {
            out.push((i + 1, code.to_string()));
        }
    }
    out
}

/// The first path segments after `<prefix>::` in a line, including `<prefix>::{a::x, b}` groups.
fn segments_after(code: &str, prefix: &str) -> Vec<String> {
    let mut found = Vec::new();
    let pat = format!("{prefix}::");
    let mut rest = code;
    while let Some(at) = rest.find(&pat) {
        let after = &rest[at + pat.len()..];
        if let Some(group) = after.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            for item in inner.split(',') {
                let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    found.push(name);
                }
            }
        } else {
            let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                found.push(name);
            }
        }
        rest = &rest[at + pat.len()..];
    }
    found
}

/// Every import of a layer the table does not allow, as `file:line: layer -> other`.
fn layer_violations(layer: &str, path: &Path, text: &str) -> Vec<String> {
    let allowed = LAYERS.iter().find(|(l, _)| *l == layer).map(|(_, a)| *a);
    let Some(allowed) = allowed else {
        return vec![format!("{}: src/core/{layer} is not in the LAYERS table", path.display())];
    };
    let mut out = Vec::new();
    for (n, code) in code_lines(path, text) {
        for other in segments_after(&code, "crate::core") {
            if other != layer && !allowed.contains(&other.as_str()) && LAYERS.iter().any(|(l, _)| *l == other) {
                out.push(format!("{}:{n}: {layer} -> {other}: {}", path.display(), code.trim()));
            }
        }
    }
    out
}

fn part_violations(part: &str, path: &Path, text: &str) -> Vec<String> {
    let allowed = PARTS.iter().find(|(p, _)| *p == part).map(|(_, a)| *a).unwrap_or(&[]);
    let mut out = Vec::new();
    for (n, code) in code_lines(path, text) {
        for other in segments_after(&code, "crate") {
            if other != part && PARTS.iter().any(|(p, _)| *p == other) && !allowed.contains(&other.as_str()) {
                out.push(format!("{}:{n}: {part} -> {other}: {}", path.display(), code.trim()));
            }
        }
    }
    out
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn each_core_layer_imports_only_the_layers_below_it() {
    let core = src().join("core");
    let mut problems = Vec::new();
    let mut checked = 0;
    for e in std::fs::read_dir(&core).unwrap().flatten() {
        let p = e.path();
        let name = p.file_stem().unwrap().to_string_lossy().to_string();
        if name == "mod" {
            continue;
        }
        let mut files = Vec::new();
        if p.is_dir() {
            rust_files(&p, &mut files);
        } else {
            files.push(p.clone());
        }
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            problems.extend(layer_violations(&name, &f, &text));
            checked += 1;
        }
    }
    assert!(checked >= 70, "found the core sources ({checked} files)");
    assert!(problems.is_empty(), "imports the layer table does not allow:\n{}", problems.join("\n"));
}

#[test]
fn the_core_imports_neither_the_page_nor_the_worker_and_the_worker_not_the_page() {
    let mut problems = Vec::new();
    for (part, _) in PARTS {
        let dir = src().join(part);
        let mut files = Vec::new();
        rust_files(&dir, &mut files);
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            problems.extend(part_violations(part, &f, &text));
        }
    }
    assert!(
        problems.is_empty(),
        "imports between src/core, src/ui and src/worker the table does not allow:\n{}",
        problems.join("\n")
    );
}

#[test]
fn core_imports_no_ui_crate() {
    let core = src().join("core");
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
                let used = code.contains(&format!("{b}::"))
                    || code.contains(&format!("use {b}"))
                    || code.contains(&format!("extern crate {b}"));
                if used {
                    hits.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(hits.is_empty(), "src/core must stay pure:\n{}", hits.join("\n"));
}

#[test]
fn the_checks_catch_a_planted_import() {
    // Guard against checks that cannot fail: the same matchers flag planted imports.
    let f = Path::new("src/core/stats/planted.rs");
    let up = layer_violations("stats", f, "use crate::core::engine::service::Service;\n");
    assert_eq!(up.len(), 1, "{up:?}");
    let grouped = layer_violations("analyses", f, "use crate::core::{dataset::Dataset, results::export_json};\n");
    assert_eq!(grouped.len(), 1, "{grouped:?}");
    assert!(grouped[0].contains("analyses -> results"));
    assert!(layer_violations("results", f, "use crate::core::analyses::Analysis;\n").is_empty());
    assert_eq!(layer_violations("frame_x", f, "").len(), 1, "a folder outside the table is flagged");
    // An import in test code is allowed; the same line above the test module is not.
    let text = "fn a() {}\n#[cfg(test)]\nmod tests { use crate::core::engine::demo; }\n";
    assert!(layer_violations("stats", f, text).is_empty());
    assert_eq!(part_violations("core", f, "use crate::ui::state::Action;\n").len(), 1);
    assert!(["yew"].iter().any(|b| "use yew::prelude::*;".contains(&format!("use {b}"))));
}
