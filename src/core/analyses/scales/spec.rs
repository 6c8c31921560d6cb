//! The scoring key of one scale ([`ItemSpec`]), read leniently from the recipe's `items`
//! value (`shared/design/CONTRACT.md` §1). Unknown keys are ignored; a value of the wrong
//! shape becomes a plain note and its default, never an error.
//!
//! Accepted keys (all optional): `name`, `preset` (`SSOSH`, `ATSPPH-SF`, `RIBS`),
//! `pre_prefix` / `post_prefix` (columns `<prefix><number>`, e.g. `pre_q1`), `pre_columns` /
//! `post_columns` (explicit lists, instead of prefixes), `k`, `item_numbers`, `reverse`
//! (item numbers), `reverse_rule` (`"6 - x"`), `min` / `max` (the answer scale),
//! `min_answered` (a count, or a share such as `0.8` or `"80%"`), `method` (`mean` | `sum`),
//! `dont_know` (`"missing"`, a number, or `{"as": ..., "codes": [...]}`) and `dont_know_codes`.
//! The recipe's `items` may also be an array of such objects, or `{"scales": [...]}`.

use crate::core::analyses::scales::presets::{find_preset, Preset};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How the answered items become one score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Mean of the answered items.
    Mean,
    /// Sum of the items; with unanswered items, the prorated sum = mean of answered × k.
    Sum,
}

/// What a "don't know" answer counts as.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DontKnow {
    /// Unanswered (left out of the score and of the minimum-answered count).
    Missing,
    /// Scored as this value (e.g. 3, the neutral point, as RIBS guidance suggests).
    Value(f64),
}

/// Where a scale's item columns come from at one time point.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemSource {
    /// Not given for this time point.
    None,
    /// Columns named prefix + item number (`pre_q1`, `pre_q2`, ...).
    Prefix(String),
    /// Explicit column names, in item order.
    Columns(Vec<String>),
}

/// The minimum number of answered items, as given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MinAnswered {
    Count(usize),
    /// A share of k, e.g. 0.8 (rounded up: 80% of 10 = 8).
    Share(f64),
}

/// Default minimum share of items answered (80%: exactly 8 of 10 is scored, 7 is not).
pub const DEFAULT_MIN_SHARE: f64 = 0.8;

/// Cell texts read as "don't know" (compared trimmed, case-insensitively, any apostrophe).
pub const DEFAULT_DONT_KNOW_CODES: &[&str] =
    &["don't know", "dont know", "do not know", "dk", "don't know / not sure", "not sure"];

/// The scoring key of one scale, as the user gave it (resolved against a file later).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemSpec {
    pub name: Option<String>,
    /// Id of the preset the key started from, if any.
    pub preset: Option<&'static str>,
    pub pre: ItemSource,
    pub post: ItemSource,
    /// Item numbers that make up the score (default 1..=k, or the numbers found in the file).
    pub item_numbers: Option<Vec<usize>>,
    /// Number of items when `item_numbers` is not given.
    pub k: Option<usize>,
    pub reverse: Vec<usize>,
    /// c in a `reverse_rule` of the form "c - x"; `None` = min + max.
    pub reverse_constant: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub min_answered: MinAnswered,
    pub method: Method,
    pub dont_know: DontKnow,
    pub dont_know_codes: Vec<String>,
}

impl Default for ItemSpec {
    fn default() -> Self {
        ItemSpec {
            name: None,
            preset: None,
            pre: ItemSource::None,
            post: ItemSource::None,
            item_numbers: None,
            k: None,
            reverse: Vec::new(),
            reverse_constant: None,
            min: None,
            max: None,
            min_answered: MinAnswered::Share(DEFAULT_MIN_SHARE),
            method: Method::Mean,
            dont_know: DontKnow::Missing,
            dont_know_codes: DEFAULT_DONT_KNOW_CODES.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl ItemSpec {
    /// A spec that starts from a preset's scoring key.
    pub fn from_preset(p: &Preset) -> ItemSpec {
        ItemSpec {
            name: Some(p.name.to_string()),
            preset: Some(p.id),
            item_numbers: Some(p.item_numbers.to_vec()),
            k: Some(p.item_numbers.len()),
            reverse: p.reverse.to_vec(),
            min: Some(p.min),
            max: Some(p.max),
            method: p.method,
            dont_know: p.dont_know,
            ..ItemSpec::default()
        }
    }

    /// Whether any item columns are named for either time point.
    pub fn has_source(&self) -> bool {
        self.pre != ItemSource::None || self.post != ItemSource::None
    }
}

/// Reads every scale defined in the recipe's `items` value. Returns the specs (first = the
/// scale whose scores stand in for pre/post) and notes about values that were not understood.
pub fn parse_specs(v: &Value) -> (Vec<ItemSpec>, Vec<String>) {
    let mut notes = Vec::new();
    let list: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => match o.get("scales") {
            Some(Value::Array(a)) => a.iter().collect(),
            _ => vec![v],
        },
        Value::Null => Vec::new(),
        _ => {
            notes.push("The item settings (“items”) should be an object such as {\"pre_prefix\": \"pre_q\", \"k\": 10}; they were ignored.".into());
            Vec::new()
        }
    };
    let mut specs = Vec::new();
    for (i, s) in list.into_iter().enumerate() {
        match s {
            Value::Object(_) => specs.push(parse_one(s, &mut notes)),
            _ => notes.push(format!(
                "Scale {} in the item settings is not an object with keys such as “pre_prefix”; it was ignored.",
                i + 1
            )),
        }
    }
    (specs, notes)
}

/// Reads one scale's key. Starts from the preset when `preset` names one; explicit keys override.
pub fn parse_one(v: &Value, notes: &mut Vec<String>) -> ItemSpec {
    let mut spec = match v.get("preset").and_then(Value::as_str) {
        Some(id) => match find_preset(id) {
            Some(p) => ItemSpec::from_preset(p),
            None => {
                notes.push(format!("“{id}” is not a built-in scale (known: SSOSH, ATSPPH-SF, RIBS); the scoring key below is used as given."));
                ItemSpec::default()
            }
        },
        None => ItemSpec::default(),
    };
    let label = v.get("name").and_then(Value::as_str).map(str::to_string).or_else(|| spec.name.clone());
    let who = label.clone().unwrap_or_else(|| "the item scale".into());
    spec.name = label;

    if let Some(src) = source(v, "pre", notes, &who) {
        spec.pre = src;
    }
    if let Some(src) = source(v, "post", notes, &who) {
        spec.post = src;
    }
    if let Some(x) = v.get("item_numbers").filter(|x| !x.is_null()) {
        match number_list(x) {
            Some(list) if !list.is_empty() => {
                spec.k = Some(list.len());
                spec.item_numbers = Some(list);
            }
            _ => notes.push(format!("The item numbers of {who} were not understood (write them as [1, 2, 3] or \"1-10\"); they were ignored.")),
        }
    }
    if let Some(x) = v.get("k").filter(|x| !x.is_null()) {
        match as_count(x) {
            Some(k) if (1..=1000).contains(&k) => {
                spec.k = Some(k);
                if spec.item_numbers.as_ref().is_some_and(|n| n.len() != k)
                    && v.get("item_numbers").is_none_or(Value::is_null)
                {
                    // A preset's item numbers with another k: the given k wins.
                    spec.item_numbers = None;
                }
            }
            _ => notes.push(format!(
                "The number of items (k) of {who} should be a whole number from 1 to 1000; it was ignored."
            )),
        }
    }
    if let Some(x) = v.get("reverse").filter(|x| !x.is_null()) {
        match number_list(x) {
            Some(list) => spec.reverse = list,
            None => notes.push(format!(
                "The reverse-worded items of {who} were not understood (write them as [3, 6, 9]); no item is reversed."
            )),
        }
    }
    if let Some(x) = v.get("reverse_rule").and_then(Value::as_str) {
        match reverse_constant(x) {
            Some(c) => spec.reverse_constant = Some(c),
            None if is_min_max_rule(x) => spec.reverse_constant = None,
            None => notes.push(format!(
                "The reverse rule “{x}” of {who} was not understood; reversed items are scored as min + max − x."
            )),
        }
    }
    for (key, slot) in [("min", &mut spec.min), ("max", &mut spec.max)] {
        if let Some(x) = v.get(key).filter(|x| !x.is_null()) {
            match as_number(x) {
                Some(n) => *slot = Some(n),
                None => notes.push(format!("The answer scale’s {key} of {who} should be a number; it was ignored.")),
            }
        }
    }
    if let Some(x) = v.get("min_answered").filter(|x| !x.is_null()) {
        match min_answered(x) {
            Some(m) => spec.min_answered = m,
            None => notes.push(format!(
                "The minimum number of answered items of {who} was not understood; 80% of the items is used."
            )),
        }
    }
    let method_text = v.get("method").or_else(|| v.get("scoring")).and_then(Value::as_str);
    match method_text.map(|s| s.trim().to_lowercase()) {
        Some(m) if m.starts_with("mean") || m == "average" => spec.method = Method::Mean,
        Some(m) if m.starts_with("sum") || m == "total" || m.starts_with("prorated") => spec.method = Method::Sum,
        Some(m) => notes.push(format!(
            "The scoring method “{m}” of {who} is not “mean” or “sum”; {} is used.",
            method_name(spec.method)
        )),
        None => {
            // Fall back on a free-text score rule ("mean of answered items ...", "sum of ...").
            if let Some(rule) = v.get("score_rule").and_then(Value::as_str) {
                let r = rule.trim().to_lowercase();
                if r.starts_with("sum") || r.starts_with("total") {
                    spec.method = Method::Sum;
                } else if r.starts_with("mean") || r.starts_with("average") {
                    spec.method = Method::Mean;
                }
            }
        }
    }
    if let Some(x) = v.get("dont_know").filter(|x| !x.is_null()) {
        let (as_value, codes) = match x {
            Value::Object(o) => (o.get("as").or_else(|| o.get("value")), o.get("codes")),
            other => (Some(other), None),
        };
        if let Some(a) = as_value {
            match dont_know(a) {
                Some(d) => spec.dont_know = d,
                None => notes.push(format!("The “don't know” handling of {who} should be \"missing\" or a number; “don't know” answers are treated as unanswered.")),
            }
        }
        if let Some(c) = codes.and_then(string_list) {
            spec.dont_know_codes = c;
        }
    }
    if let Some(c) = v.get("dont_know_codes").and_then(string_list) {
        spec.dont_know_codes = c;
    }
    spec
}

pub fn method_name(m: Method) -> &'static str {
    match m {
        Method::Mean => "the mean",
        Method::Sum => "the sum",
    }
}

/// `<time>_columns` (explicit list) wins over `<time>_prefix`.
fn source(v: &Value, time: &str, notes: &mut Vec<String>, who: &str) -> Option<ItemSource> {
    if let Some(x) = v.get(format!("{time}_columns")).filter(|x| !x.is_null()) {
        match string_list(x) {
            Some(list) if !list.is_empty() => return Some(ItemSource::Columns(list)),
            _ => notes
                .push(format!("The {time} item columns of {who} should be a list of column names; they were ignored.")),
        }
    }
    match v.get(format!("{time}_prefix")) {
        Some(Value::String(p)) if !p.trim().is_empty() => Some(ItemSource::Prefix(p.trim().to_string())),
        Some(Value::Null) | None => None,
        Some(_) => {
            notes.push(format!("The {time} item prefix of {who} should be text such as \"{time}_q\"; it was ignored."));
            None
        }
    }
}

/// A number, or text holding one (`"3"`, `" 2.5 "`).
pub fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64().filter(|x| x.is_finite()),
        Value::String(s) => crate::core::dataset::parse_number(s),
        _ => None,
    }
}

/// A non-negative whole number (`10`, `10.0`, `"10"`).
fn as_count(v: &Value) -> Option<usize> {
    let x = as_number(v)?;
    (x >= 0.0 && x.fract() == 0.0 && x <= 1e6).then_some(x as usize)
}

/// Item numbers: `[3, 6, 9]`, `["3", "6"]`, `"3, 6, 9"`, `"5-8"` or a single number.
pub fn number_list(v: &Value) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    match v {
        Value::Array(a) => {
            for x in a {
                match x {
                    Value::String(s) => out.extend(numbers_in_text(s)?),
                    other => out.push(as_count(other)?),
                }
            }
        }
        Value::String(s) => out = numbers_in_text(s)?,
        Value::Number(_) => out.push(as_count(v)?),
        _ => return None,
    }
    out.dedup();
    Some(out)
}

/// "3, 6; 9", "5-8", "5–8", "5 to 8".
fn numbers_in_text(s: &str) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let norm = s.replace(['–', '—'], "-").replace(" to ", "-");
    for part in norm.split([',', ';', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
        if let Some((a, b)) = part.split_once('-') {
            let (a, b): (usize, usize) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            if b < a || b - a > 1000 {
                return None;
            }
            out.extend(a..=b);
        } else {
            out.push(part.parse().ok()?);
        }
    }
    Some(out)
}

fn string_list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Array(a) => a
            .iter()
            .map(|x| match x {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Value::String(s) => Some(s.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()),
        _ => None,
    }
}

/// c in "c - x" (also "c-x", "c − x").
pub fn reverse_constant(rule: &str) -> Option<f64> {
    let r = rule.replace('−', "-");
    let (c, x) = r.split_once('-')?;
    if x.trim().to_lowercase() != "x" {
        return None;
    }
    crate::core::dataset::parse_number(c)
}

/// "min + max - x", "(max + min) - x" and the like.
fn is_min_max_rule(rule: &str) -> bool {
    let r = rule.to_lowercase();
    r.contains("min") && r.contains("max")
}

/// A count (`8`), a share (`0.8`) or a percentage (`"80%"`).
fn min_answered(v: &Value) -> Option<MinAnswered> {
    if let Value::String(s) = v {
        if let Some(p) = s.trim().strip_suffix('%') {
            let x = crate::core::dataset::parse_number(p)?;
            return (x > 0.0 && x <= 100.0).then_some(MinAnswered::Share(x / 100.0));
        }
    }
    let x = as_number(v)?;
    if x > 0.0 && x < 1.0 {
        Some(MinAnswered::Share(x))
    } else if x >= 1.0 && x.fract() == 0.0 {
        Some(MinAnswered::Count(x as usize))
    } else {
        None
    }
}

fn dont_know(v: &Value) -> Option<DontKnow> {
    if let Value::String(s) = v {
        let l = s.trim().to_lowercase();
        if ["missing", "exclude", "excluded", "na", "none", "unanswered", ""].contains(&l.as_str()) {
            return Some(DontKnow::Missing);
        }
    }
    as_number(v).map(DontKnow::Value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn p06_key_is_read() {
        let v = json!({"pre_prefix": "pre_q", "post_prefix": "post_q", "k": 10, "reverse": [3, 6, 9],
            "reverse_rule": "6 - x", "min_answered": 8, "score_rule": "mean of answered items ..."});
        let (specs, notes) = parse_specs(&v);
        assert!(notes.is_empty(), "{notes:?}");
        let s = &specs[0];
        assert_eq!(s.pre, ItemSource::Prefix("pre_q".into()));
        assert_eq!(s.post, ItemSource::Prefix("post_q".into()));
        assert_eq!(s.k, Some(10));
        assert_eq!(s.reverse, vec![3, 6, 9]);
        assert_eq!(s.reverse_constant, Some(6.0));
        assert_eq!(s.min_answered, MinAnswered::Count(8));
        assert_eq!(s.method, Method::Mean);
        assert_eq!(s.dont_know, DontKnow::Missing);
    }

    #[test]
    fn lenient_values() {
        let v = json!({"pre_columns": "a1, a2, a3", "reverse": "2", "min_answered": "80%", "method": "SUM",
            "dont_know": {"as": 3, "codes": ["DK", "9"]}, "k": "3", "min": "0", "max": 4});
        let (specs, notes) = parse_specs(&v);
        assert!(notes.is_empty(), "{notes:?}");
        let s = &specs[0];
        assert_eq!(s.pre, ItemSource::Columns(vec!["a1".into(), "a2".into(), "a3".into()]));
        assert_eq!(s.reverse, vec![2]);
        assert_eq!(s.min_answered, MinAnswered::Share(0.8));
        assert_eq!(s.method, Method::Sum);
        assert_eq!(s.dont_know, DontKnow::Value(3.0));
        assert_eq!(s.dont_know_codes, vec!["DK".to_string(), "9".to_string()]);
        assert_eq!((s.k, s.min, s.max), (Some(3), Some(0.0), Some(4.0)));
        assert_eq!(number_list(&json!("5-8")), Some(vec![5, 6, 7, 8]));
        assert_eq!(number_list(&json!(["1", 2, "4 to 5"])), Some(vec![1, 2, 4, 5]));
        assert_eq!(reverse_constant("4−x"), Some(4.0));
        assert_eq!(reverse_constant("x - 6"), None);
    }

    #[test]
    fn bad_values_become_notes_and_arrays_give_several_scales() {
        let v = json!([{"pre_prefix": 5, "reverse": {"a": 1}, "method": "median", "min_answered": -2}, {"name": "B", "post_prefix": "b_post"}, 7]);
        let (specs, notes) = parse_specs(&v);
        assert_eq!(specs.len(), 2);
        assert_eq!(notes.len(), 5, "{notes:?}");
        assert_eq!(specs[0].pre, ItemSource::None);
        assert!(specs[0].reverse.is_empty());
        assert_eq!(specs[1].name.as_deref(), Some("B"));
        let (specs, _) = parse_specs(&json!({"scales": [{"pre_prefix": "x"}, {"pre_prefix": "y"}]}));
        assert_eq!(specs.len(), 2);
        let (specs, notes) = parse_specs(&json!("pre_q"));
        assert!(specs.is_empty() && notes.len() == 1);
    }

    #[test]
    fn preset_then_overrides() {
        let (specs, notes) =
            parse_specs(&json!({"preset": "ribs", "pre_prefix": "ribs_pre_q", "dont_know": "missing"}));
        assert!(notes.is_empty(), "{notes:?}");
        let s = &specs[0];
        assert_eq!(s.preset, Some("RIBS"));
        assert_eq!(s.item_numbers, Some(vec![5, 6, 7, 8]));
        assert_eq!(s.method, Method::Sum);
        assert_eq!(s.dont_know, DontKnow::Missing);
    }
}
