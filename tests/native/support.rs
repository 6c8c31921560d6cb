//! Shared helpers: locate the reference cases (`tests/reference/`, the project's own copy of the
//! public cases; `scripts/refresh-fixtures` updates it), compare values with their tolerances.

use serde_json::Value;
use std::path::PathBuf;

/// `tests/reference/` in the project: a clone in any folder carries its fixtures.
pub fn reference_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
    assert!(dir.is_dir(), "tests/reference not found at {}", dir.display());
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
                failures.push(format!(
                    "{path}: expected null (not computable: {}), got {actual}",
                    obj.get("reason").unwrap_or(&Value::Null)
                ));
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
