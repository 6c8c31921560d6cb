//! Shared helpers: locate `shared/reference`, compare values with the reference tolerances.

use serde_json::Value;
use std::path::PathBuf;

/// `shared/reference` beside the project (a CI clone gets a copy of shared/ beside it).
pub fn reference_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/reference");
    assert!(dir.is_dir(), "shared/reference not found at {}: the tests need it beside the project", dir.display());
    dir
}

pub fn read_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Compares every `{value, atol, rtol}` leaf under `expected` with the same path in `actual`.
/// A `null` expected value requires `null` ("not computable"). Returns the failures.
pub fn compare(expected: &Value, actual: &Value, path: &str, failures: &mut Vec<String>) -> usize {
    let Some(obj) = expected.as_object() else { return 0 };
    if obj.contains_key("value") && (obj.contains_key("atol") || obj.get("value").is_some_and(Value::is_null)) {
        let want = &obj["value"];
        return match (want.as_f64(), actual) {
            (None, Value::Null) if want.is_null() => 1,
            (None, _) => {
                failures.push(format!("{path}: expected null (not computable: {}), got {actual}", obj.get("reason").unwrap_or(&Value::Null)));
                1
            }
            (Some(w), a) => {
                let atol = obj["atol"].as_f64().unwrap_or(0.0);
                let rtol = obj["rtol"].as_f64().unwrap_or(0.0);
                match a.as_f64() {
                    Some(got) if (got - w).abs() <= atol + rtol * w.abs() => {}
                    _ => failures.push(format!("{path}: expected {w} (atol {atol}, rtol {rtol}), got {a}")),
                }
                1
            }
        };
    }
    let mut n = 0;
    for (k, v) in obj {
        n += compare(v, actual.get(k).unwrap_or(&Value::Null), &format!("{path}.{k}"), failures);
    }
    n
}
