//! The recipe key `link` (CONTRACT §5): which file is which wave, the code columns of each
//! wave (or one list for every wave), `max_distance`, and the user's `accept` / `reject`
//! pairs. Reading is lenient (unknown keys ignored, loosely typed values kept) so that a
//! recipe with one bad entry is reported precisely by [`LinkSettings::validate`] instead of
//! failing to load as a whole.

use super::{normalise_text, LinkOptions, Wave, DEFAULT_MAX_DISTANCE};
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// Largest `max_distance` accepted. Codes have 3 to about 10 characters: at 3, any two
/// 3-character codes are candidates of each other, so more would link strangers.
pub const MAX_DISTANCE_LIMIT: usize = 3;

/// `link.waves`: wave name → file name, in the recipe's order, a name given twice kept twice
/// (so that validation can say so; a plain map would silently keep the last).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WaveFiles(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for WaveFiles {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<WaveFiles, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WaveFiles;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "an object of wave name → file name")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WaveFiles, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                    // A file name that is not text is kept as blank (reported as no file name).
                    out.push((k, v.as_str().unwrap_or("").to_string()));
                }
                Ok(WaveFiles(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl Serialize for WaveFiles {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// One wave's code columns: a list, or one column name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CodeList {
    Many(Vec<String>),
    One(String),
}

impl CodeList {
    fn columns(&self) -> Vec<String> {
        match self {
            CodeList::Many(v) => v.clone(),
            CodeList::One(s) => vec![s.clone()],
        }
    }
}

/// `link.code`: per wave, or one list used for every wave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CodeColumns {
    /// The same columns in every wave's file.
    All(CodeList),
    /// Wave name → its columns.
    PerWave(BTreeMap<String, CodeList>),
}

impl Default for CodeColumns {
    fn default() -> CodeColumns {
        CodeColumns::PerWave(BTreeMap::new())
    }
}

/// The recipe key `link`, as written (checked by [`LinkSettings::validate`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinkSettings {
    pub waves: WaveFiles,
    pub code: CodeColumns,
    /// A whole number 0..=[`MAX_DISTANCE_LIMIT`]; absent or `null` = [`DEFAULT_MAX_DISTANCE`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_distance: Option<serde_json::Value>,
    /// Pairs `[pre code, later code]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accept: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reject: Vec<serde_json::Value>,
}

/// Which list of pairs an entry is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairList {
    Accept,
    Reject,
}

impl PairList {
    fn name(self) -> &'static str {
        match self {
            PairList::Accept => "accept",
            PairList::Reject => "reject",
        }
    }
}

/// Why a recipe's `link` cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkSettingsError {
    /// A key of `waves` that is not `pre`, `post` or `followup`.
    UnknownWave(String),
    /// The same wave named twice in `waves`.
    WaveNamedTwice(Wave),
    /// `pre` or `post` missing from `waves`.
    MissingWave(Wave),
    /// A wave with a blank (or non-text) file name.
    NoFileName(Wave),
    /// One file given for two waves.
    SameFile { file: String, first: Wave, second: Wave },
    /// No code column for a wave.
    NoCodeColumns(Wave),
    /// A blank code column name for a wave.
    BlankCodeColumn(Wave),
    /// `max_distance` is not a whole number (text, 1.5, ...).
    MaxDistanceNotWhole(String),
    /// `max_distance` is negative.
    MaxDistanceNegative(String),
    /// `max_distance` is above [`MAX_DISTANCE_LIMIT`].
    MaxDistanceTooLarge(String),
    /// An entry of `accept` / `reject` that is not a pair of two texts (0-based index).
    BadPair { list: PairList, index: usize },
}

impl fmt::Display for LinkSettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkSettingsError::UnknownWave(w) => {
                write!(f, "The recipe names a wave “{w}”: waves are “pre”, “post” and “followup”.")
            }
            LinkSettingsError::WaveNamedTwice(w) => write!(f, "The recipe names the {} wave twice: give one file per wave.", w.name()),
            LinkSettingsError::MissingWave(w) => write!(f, "The recipe gives no {} file: linking needs a pre and a post file.", w.name()),
            LinkSettingsError::NoFileName(w) => write!(f, "The recipe's {} wave has no file name.", w.name()),
            LinkSettingsError::SameFile { file, first, second } => {
                write!(f, "The file “{file}” is given as both the {} and the {} wave: each wave needs its own file.", first.name(), second.name())
            }
            LinkSettingsError::NoCodeColumns(w) => write!(f, "The recipe gives no participant-code column for the {} wave.", w.name()),
            LinkSettingsError::BlankCodeColumn(w) => write!(f, "A participant-code column of the {} wave has a blank name.", w.name()),
            LinkSettingsError::MaxDistanceNotWhole(v) => {
                write!(f, "The largest code difference (max_distance) must be a whole number from 0 to {MAX_DISTANCE_LIMIT}, not {v}.")
            }
            LinkSettingsError::MaxDistanceNegative(v) => {
                write!(f, "The largest code difference (max_distance) cannot be negative ({v}); 0 links equal codes only.")
            }
            LinkSettingsError::MaxDistanceTooLarge(v) => write!(
                f,
                "The largest code difference (max_distance) is {v}: at most {MAX_DISTANCE_LIMIT} is allowed, more would link different people."
            ),
            LinkSettingsError::BadPair { list, index } => {
                write!(f, "Entry {} of the recipe's “{}” list is not a pair of two codes.", index + 1, list.name())
            }
        }
    }
}

impl std::error::Error for LinkSettingsError {}

/// One wave of a checked recipe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WavePlan {
    pub wave: Wave,
    pub file: String,
    /// The code columns, joined in this order.
    pub code_columns: Vec<String>,
}

/// A checked `link`: the waves and how to link them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkPlan {
    pub pre: WavePlan,
    pub post: WavePlan,
    pub followup: Option<WavePlan>,
    /// `accept` / `reject` normalised.
    pub options: LinkOptions,
}

impl LinkPlan {
    /// The waves present, in time order.
    pub fn waves(&self) -> impl Iterator<Item = &WavePlan> {
        [Some(&self.pre), Some(&self.post), self.followup.as_ref()].into_iter().flatten()
    }
}

impl LinkSettings {
    /// Checks the settings; the first problem found is returned.
    pub fn validate(&self) -> Result<LinkPlan, LinkSettingsError> {
        let mut files: Vec<(Wave, String)> = Vec::new();
        for (name, file) in &self.waves.0 {
            let wave = Wave::from_name(name.trim()).ok_or_else(|| LinkSettingsError::UnknownWave(name.clone()))?;
            if files.iter().any(|(w, _)| *w == wave) {
                return Err(LinkSettingsError::WaveNamedTwice(wave));
            }
            if file.trim().is_empty() {
                return Err(LinkSettingsError::NoFileName(wave));
            }
            if let Some((first, _)) = files.iter().find(|(_, f)| f == file) {
                return Err(LinkSettingsError::SameFile { file: file.clone(), first: *first, second: wave });
            }
            files.push((wave, file.clone()));
        }
        let plan = |wave: Wave| -> Result<Option<WavePlan>, LinkSettingsError> {
            let Some((_, file)) = files.iter().find(|(w, _)| *w == wave) else { return Ok(None) };
            let code_columns = match &self.code {
                CodeColumns::All(list) => list.columns(),
                CodeColumns::PerWave(map) => map.get(wave.name()).map(CodeList::columns).unwrap_or_default(),
            };
            if code_columns.is_empty() {
                return Err(LinkSettingsError::NoCodeColumns(wave));
            }
            if code_columns.iter().any(|c| c.trim().is_empty()) {
                return Err(LinkSettingsError::BlankCodeColumn(wave));
            }
            Ok(Some(WavePlan { wave, file: file.clone(), code_columns }))
        };
        let pre = plan(Wave::Pre)?.ok_or(LinkSettingsError::MissingWave(Wave::Pre))?;
        let post = plan(Wave::Post)?.ok_or(LinkSettingsError::MissingWave(Wave::Post))?;
        let followup = plan(Wave::Followup)?;
        let max_distance = max_distance(self.max_distance.as_ref())?;
        let accept = pairs(&self.accept, PairList::Accept)?;
        let reject = pairs(&self.reject, PairList::Reject)?;
        Ok(LinkPlan { pre, post, followup, options: LinkOptions { max_distance, accept, reject } })
    }
}

fn max_distance(v: Option<&serde_json::Value>) -> Result<usize, LinkSettingsError> {
    let v = match v {
        None | Some(serde_json::Value::Null) => return Ok(DEFAULT_MAX_DISTANCE),
        Some(v) => v,
    };
    let shown = v.to_string();
    let x = match v {
        serde_json::Value::Number(n) => n.as_f64(),
        // A number written as text ("1") is read as that number.
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let Some(x) = x.filter(|x| x.is_finite()) else { return Err(LinkSettingsError::MaxDistanceNotWhole(shown)) };
    if x < 0.0 {
        return Err(LinkSettingsError::MaxDistanceNegative(shown));
    }
    if x.fract() != 0.0 {
        return Err(LinkSettingsError::MaxDistanceNotWhole(shown));
    }
    if x > MAX_DISTANCE_LIMIT as f64 {
        return Err(LinkSettingsError::MaxDistanceTooLarge(shown));
    }
    // Whole, 0..=MAX_DISTANCE_LIMIT: the conversion is exact.
    Ok(x as usize)
}

fn pairs(list: &[serde_json::Value], which: PairList) -> Result<Vec<(String, String)>, LinkSettingsError> {
    list.iter()
        .enumerate()
        .map(|(index, v)| match v.as_array().map(Vec::as_slice) {
            Some([serde_json::Value::String(a), serde_json::Value::String(b)]) => {
                Ok((normalise_text(&[a]), normalise_text(&[b])))
            }
            _ => Err(LinkSettingsError::BadPair { list: which, index }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> LinkSettings {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn reads_the_contract_example() {
        let s = read(
            r#"{"waves": {"pre": "a.csv", "post": "b.csv", "followup": "c.csv"},
                "code": {"pre": ["m", "d"], "post": ["code"], "followup": ["Code"]},
                "max_distance": 1, "accept": [["ab-1", "ab 2"]], "reject": [["XYZ", "XZY"]], "colour": "blue"}"#,
        );
        let p = s.validate().unwrap();
        assert_eq!(
            p.pre,
            WavePlan { wave: Wave::Pre, file: "a.csv".into(), code_columns: vec!["m".into(), "d".into()] }
        );
        assert_eq!(p.post.code_columns, vec!["code".to_string()]);
        assert_eq!(p.followup.as_ref().map(|f| f.file.as_str()), Some("c.csv"));
        assert_eq!(p.options.max_distance, 1);
        assert_eq!(p.options.accept, vec![("AB1".to_string(), "AB2".to_string())], "pairs are normalised");
        assert_eq!(p.options.reject, vec![("XYZ".to_string(), "XZY".to_string())]);
        assert_eq!(p.waves().count(), 3);
    }

    #[test]
    fn one_list_for_every_wave_and_defaults() {
        let p = read(r#"{"waves": {"post": "b.csv", "pre": "a.csv"}, "code": ["id"]}"#).validate().unwrap();
        assert_eq!(p.pre.code_columns, vec!["id".to_string()]);
        assert_eq!(p.post.code_columns, vec!["id".to_string()]);
        assert_eq!(p.followup, None);
        assert_eq!(p.options, LinkOptions::default());
        assert_eq!(p.options.max_distance, 1);
        let p = read(r#"{"waves": {"pre": "a", "post": "b"}, "code": "id", "max_distance": null}"#).validate().unwrap();
        assert_eq!(p.post.code_columns, vec!["id".to_string()]);
        assert_eq!(p.options.max_distance, 1);
        let p = read(
            r#"{"waves": {"pre": "a", "post": "b"}, "code": {"pre": "id", "post": ["x", "y"]}, "max_distance": 0}"#,
        )
        .validate()
        .unwrap();
        assert_eq!(p.pre.code_columns, vec!["id".to_string()]);
        assert_eq!(p.options.max_distance, 0);
        for (v, want) in [("2", 2), ("2.0", 2), ("\"3\"", 3)] {
            let p = read(&format!(r#"{{"waves": {{"pre": "a", "post": "b"}}, "code": ["c"], "max_distance": {v}}}"#))
                .validate()
                .unwrap();
            assert_eq!(p.options.max_distance, want);
        }
    }

    #[test]
    fn errors_are_named() {
        let err = |json: &str| read(json).validate().unwrap_err();
        use LinkSettingsError as E;
        assert_eq!(
            err(r#"{"waves": {"pre": "a", "post": "b", "pre": "c"}, "code": ["c"]}"#),
            E::WaveNamedTwice(Wave::Pre)
        );
        assert_eq!(
            err(r#"{"waves": {"pre": "a", "post": "a"}, "code": ["c"]}"#),
            E::SameFile { file: "a".into(), first: Wave::Pre, second: Wave::Post }
        );
        assert_eq!(
            err(r#"{"waves": {"pre": "a", "baseline": "b"}, "code": ["c"]}"#),
            E::UnknownWave("baseline".into())
        );
        assert_eq!(err(r#"{"waves": {"pre": "a"}, "code": ["c"]}"#), E::MissingWave(Wave::Post));
        assert_eq!(err(r#"{"waves": {"post": "a"}, "code": ["c"]}"#), E::MissingWave(Wave::Pre));
        assert_eq!(err(r#"{}"#), E::MissingWave(Wave::Pre));
        assert_eq!(err(r#"{"waves": {"pre": "a", "post": " "}, "code": ["c"]}"#), E::NoFileName(Wave::Post));
        assert_eq!(err(r#"{"waves": {"pre": "a", "post": 7}, "code": ["c"]}"#), E::NoFileName(Wave::Post));
        assert_eq!(
            err(r#"{"waves": {"pre": "a", "post": "b"}, "code": {"pre": ["c"]}}"#),
            E::NoCodeColumns(Wave::Post)
        );
        assert_eq!(err(r#"{"waves": {"pre": "a", "post": "b"}, "code": []}"#), E::NoCodeColumns(Wave::Pre));
        assert_eq!(err(r#"{"waves": {"pre": "a", "post": "b"}, "code": ["c", ""]}"#), E::BlankCodeColumn(Wave::Pre));
        let md =
            |v: &str| err(&format!(r#"{{"waves": {{"pre": "a", "post": "b"}}, "code": ["c"], "max_distance": {v}}}"#));
        assert_eq!(md("-1"), E::MaxDistanceNegative("-1".into()));
        assert_eq!(md("1.5"), E::MaxDistanceNotWhole("1.5".into()));
        assert_eq!(md("\"one\""), E::MaxDistanceNotWhole("\"one\"".into()));
        assert_eq!(md("true"), E::MaxDistanceNotWhole("true".into()));
        assert_eq!(md("4"), E::MaxDistanceTooLarge("4".into()));
        assert!(matches!(md("1e300"), E::MaxDistanceTooLarge(_)));
        let pair = |list: &str, v: &str| {
            err(&format!(r#"{{"waves": {{"pre": "a", "post": "b"}}, "code": ["c"], "{list}": {v}}}"#))
        };
        assert_eq!(pair("accept", r#"[["a", "b"], ["a"]]"#), E::BadPair { list: PairList::Accept, index: 1 });
        assert_eq!(pair("reject", r#"[["a", 2]]"#), E::BadPair { list: PairList::Reject, index: 0 });
        assert_eq!(pair("reject", r#"["ab"]"#), E::BadPair { list: PairList::Reject, index: 0 });
        // Every error reads as a sentence.
        assert!(md("-1").to_string().contains("negative"));
    }

    #[test]
    fn settings_round_trip() {
        let s = read(
            r#"{"waves": {"pre": "a", "post": "b"}, "code": {"pre": ["x"], "post": ["y"]}, "max_distance": 1, "accept": [["A12", "A21"]]}"#,
        );
        let back: LinkSettings = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }
}
