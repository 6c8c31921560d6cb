//! Reading rules for cell values, decided once per column and kept beside the cells (see
//! [`Dataset`](crate::core::dataset::Dataset)): missing codes, Likert wording → numbers
//! (common 4-, 5- and 7-point agree/disagree and likely/unlikely scales), yes/no and
//! true/false → 1/0, and decimal commas. Each rule is reported in words.

use crate::core::dataset::{normalise_answer, parse_decimal_comma, parse_number, Column, ValueMap};

/// Which decimal mark numbers use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DecimalMark {
    /// Decide per column: a decimal comma where the delimiter is not a comma, or where a
    /// column's values can only be decimal commas.
    #[default]
    Auto,
    /// Numbers use a point ("2.5"); "2,5" is not a number.
    Point,
    /// Numbers use a comma ("2,5" = 2.5).
    Comma,
}

#[derive(Clone, Copy, PartialEq)]
enum Family {
    Agree,
    Likely,
}

/// A Likert scale: the accepted wordings of each point, lowest first (compared normalised).
struct Scale {
    name: &'static str,
    family: Family,
    points: &'static [&'static [&'static str]],
}

const NEUTRAL_AGREE: &[&str] = &[
    "neither agree nor disagree",
    "neither agree or disagree",
    "neither disagree nor agree",
    "neutral",
    "undecided",
    "neither",
];
const NEUTRAL_LIKELY: &[&str] =
    &["neither likely nor unlikely", "neither likely or unlikely", "neither unlikely nor likely", "neutral", "neither"];

/// The scales recognised, smaller first (a column fitting several gets the smallest).
const SCALES: &[Scale] = &[
    Scale {
        name: "4-point agree–disagree scale",
        family: Family::Agree,
        points: &[
            &["strongly disagree"],
            &["disagree", "somewhat disagree", "tend to disagree", "slightly disagree", "mostly disagree"],
            &["agree", "somewhat agree", "tend to agree", "slightly agree", "mostly agree"],
            &["strongly agree"],
        ],
    },
    Scale {
        name: "5-point agree–disagree scale",
        family: Family::Agree,
        points: &[
            &["strongly disagree"],
            &["disagree", "somewhat disagree", "tend to disagree", "slightly disagree", "mostly disagree"],
            NEUTRAL_AGREE,
            &["agree", "somewhat agree", "tend to agree", "slightly agree", "mostly agree"],
            &["strongly agree"],
        ],
    },
    Scale {
        name: "7-point agree–disagree scale",
        family: Family::Agree,
        points: &[
            &["strongly disagree"],
            &["disagree", "moderately disagree"],
            &["somewhat disagree", "slightly disagree", "mildly disagree"],
            NEUTRAL_AGREE,
            &["somewhat agree", "slightly agree", "mildly agree"],
            &["agree", "moderately agree"],
            &["strongly agree"],
        ],
    },
    Scale {
        name: "4-point likely–unlikely scale",
        family: Family::Likely,
        points: &[
            &["very unlikely", "extremely unlikely"],
            &["unlikely", "somewhat unlikely"],
            &["likely", "somewhat likely"],
            &["very likely", "extremely likely"],
        ],
    },
    Scale {
        name: "5-point likely–unlikely scale",
        family: Family::Likely,
        points: &[
            &["very unlikely", "extremely unlikely"],
            &["unlikely", "somewhat unlikely"],
            NEUTRAL_LIKELY,
            &["likely", "somewhat likely"],
            &["very likely", "extremely likely"],
        ],
    },
    Scale {
        name: "7-point likely–unlikely scale",
        family: Family::Likely,
        points: &[
            &["extremely unlikely"],
            &["very unlikely", "moderately unlikely", "unlikely"],
            &["somewhat unlikely", "slightly unlikely"],
            NEUTRAL_LIKELY,
            &["somewhat likely", "slightly likely"],
            &["very likely", "moderately likely", "likely"],
            &["extremely likely"],
        ],
    },
];

/// The distinct non-missing answers of a column, each as first written in the file.
fn distinct_answers(col: &Column, is_missing: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut seen: Vec<(String, String)> = Vec::new();
    // A dictionary column's distinct texts, in order of first appearance, give the same answers
    // as every cell in row order (a repeated cell never adds one).
    let cells: Box<dyn Iterator<Item = &str>> = match col.cells.dictionary() {
        Some((values, _)) => Box::new(values.iter().map(String::as_str)),
        None => Box::new(col.cells.strs()),
    };
    for cell in cells {
        // Fast path: the same text as an answer already seen.
        if seen.iter().any(|(_, raw)| raw == cell.trim()) || is_missing(cell) {
            continue;
        }
        let key = normalise_answer(cell);
        if !seen.iter().any(|(k, _)| *k == key) {
            seen.push((key, cell.trim().to_string()));
            if seen.len() > 12 {
                break; // more distinct answers than any scale has
            }
        }
    }
    seen.into_iter().map(|(_, v)| v).collect()
}

/// Point (1-based) of each answer on a scale, if every answer is on it and no two distinct
/// answers share a point.
fn fit(scale: &Scale, answers: &[String]) -> Option<Vec<usize>> {
    let mut used: Vec<usize> = Vec::new();
    for a in answers {
        let key = normalise_answer(a);
        let p = scale.points.iter().position(|words| words.contains(&key.as_str()))? + 1;
        if used.contains(&p) {
            return None;
        }
        used.push(p);
    }
    Some(used)
}

/// A number written in the answer itself: "1 - Strongly disagree", "5 = Strongly agree",
/// "Strongly agree (5)".
fn embedded_number(answer: &str) -> Option<f64> {
    let t = answer.trim();
    let lead: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !lead.is_empty() {
        let rest = t.get(lead.len()..)?.trim_start();
        let sep = rest.chars().next()?;
        if ['-', '=', ':', '.', ')', '–'].contains(&sep) && rest.chars().skip(1).any(char::is_alphabetic) {
            return lead.parse::<f64>().ok().filter(|v| v.is_finite());
        }
        return None;
    }
    let inner = t.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let num = inner.get(open + 1..)?;
    let before = inner.get(..open)?;
    if before.chars().any(char::is_alphabetic) && !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) {
        return num.parse::<f64>().ok().filter(|v| v.is_finite());
    }
    None
}

fn two_level(answers: &[String], yes: &str, no: &str) -> bool {
    !answers.is_empty()
        && answers.iter().all(|a| {
            let k = normalise_answer(a);
            k == yes || k == no
        })
}

/// What a column's answers are: a two-level answer, numbers written in the answers, or a
/// point on a Likert scale for each answer.
enum Kind {
    Map(ValueMap),
    Scale(&'static Scale, Vec<usize>),
}

/// Recognises one column's answers, if they follow a known pattern.
fn kind_of(column: &str, answers: &[String], preferred: &[&'static Scale]) -> Option<Kind> {
    if answers.is_empty() || answers.iter().all(|a| parse_number(a).is_some() || parse_decimal_comma(a).is_some()) {
        return None;
    }
    for (yes, no, what) in [("yes", "no", "yes/no answers"), ("true", "false", "true/false answers")] {
        if two_level(answers, yes, no) {
            let mut entries: Vec<(String, f64)> =
                answers.iter().map(|a| (a.clone(), if normalise_answer(a) == yes { 1.0 } else { 0.0 })).collect();
            // Both answers are listed even when the file has only one of them.
            for (word, v) in [(yes, 1.0), (no, 0.0)] {
                if !entries.iter().any(|(a, _)| normalise_answer(a) == word) {
                    entries.push((capitalised(word), v));
                }
            }
            return Some(Kind::Map(sorted(ValueMap {
                column: column.to_string(),
                description: what.to_string(),
                entries,
                missing: Vec::new(),
            })));
        }
    }
    if answers.iter().all(|a| embedded_number(a).is_some()) {
        let entries = answers.iter().filter_map(|a| Some((a.clone(), embedded_number(a)?))).collect();
        return Some(Kind::Map(sorted(ValueMap {
            column: column.to_string(),
            description: "numbers written in the answers".into(),
            entries,
            missing: Vec::new(),
        })));
    }
    let scale: &'static Scale = preferred
        .iter()
        .copied()
        .find(|s| fit(s, answers).is_some())
        .or_else(|| SCALES.iter().find(|s| fit(s, answers).is_some()))?;
    Some(Kind::Scale(scale, fit(scale, answers)?))
}

fn sorted(mut m: ValueMap) -> ValueMap {
    m.entries.sort_by(|a, b| a.1.total_cmp(&b.1));
    m
}

/// "strongly agree" → "Strongly agree".
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// Finds the text → number map of every column (except those in `skip`) whose answers are
/// Likert wording, yes/no or true/false. Columns of one file that use the same kind of scale
/// share the scale that fits all of them (so a 5-point item nobody answered "neutral" on is
/// not read as 4-point), and each map lists the whole scale, spelled as in the file.
pub fn detect_value_maps(columns: &[Column], is_missing: &dyn Fn(&str) -> bool, skip: &[String]) -> Vec<ValueMap> {
    let answers: Vec<Vec<String>> = columns
        .iter()
        .map(|c| if skip.contains(&c.name) { Vec::new() } else { distinct_answers(c, is_missing) })
        .collect();
    // Per family, the smallest scale fitting the union of all columns that fit that family.
    let mut preferred: Vec<&'static Scale> = Vec::new();
    for family in [Family::Agree, Family::Likely] {
        let family_scales: Vec<&'static Scale> = SCALES.iter().filter(|s| s.family == family).collect();
        let mut union: Vec<String> = Vec::new();
        for a in &answers {
            if family_scales.iter().any(|s| fit(s, a).is_some()) {
                for x in a {
                    if !union.iter().any(|u| normalise_answer(u) == normalise_answer(x)) {
                        union.push(x.clone());
                    }
                }
            }
        }
        if let Some(s) = family_scales.into_iter().find(|s| !union.is_empty() && fit(s, &union).is_some()) {
            preferred.push(s);
        }
    }
    let kinds: Vec<Option<Kind>> = columns.iter().zip(&answers).map(|(c, a)| kind_of(&c.name, a, &preferred)).collect();
    // The file's spelling of each point of each scale (first seen).
    let mut spelled: Vec<(&'static str, usize, String)> = Vec::new();
    for (k, a) in kinds.iter().zip(&answers) {
        if let Some(Kind::Scale(scale, points)) = k {
            for (label, &p) in a.iter().zip(points) {
                if !spelled.iter().any(|(n, q, _)| *n == scale.name && *q == p) {
                    spelled.push((scale.name, p, label.clone()));
                }
            }
        }
    }
    columns
        .iter()
        .zip(kinds)
        .zip(&answers)
        .filter_map(|((c, k), a)| match k? {
            Kind::Map(m) => Some(m),
            Kind::Scale(scale, points) => {
                let entries = scale
                    .points
                    .iter()
                    .enumerate()
                    .map(|(i, words)| {
                        let p = i + 1;
                        // The column's own wording of the point, else the file's, else the scale's.
                        let own = a.iter().zip(&points).find(|(_, q)| **q == p).map(|(l, _)| l.clone());
                        let label = own
                            .or_else(|| {
                                spelled.iter().find(|(n, q, _)| *n == scale.name && *q == p).map(|(_, _, l)| l.clone())
                            })
                            .unwrap_or_else(|| capitalised(words.first().copied().unwrap_or_default()));
                        (label, p as f64)
                    })
                    .collect();
                Some(ValueMap {
                    column: c.name.clone(),
                    description: scale.name.to_string(),
                    entries,
                    missing: Vec::new(),
                })
            }
        })
        .collect()
}

/// Columns whose numbers are written with a decimal comma. Under `Auto`, a column qualifies
/// when every non-missing value is a number, at least one has a comma, and either the
/// delimiter is not a comma or some comma is not followed by exactly three digits (which
/// would be a thousands separator).
///
/// In a file written with decimal commas (some column qualifies, or the mark is `Comma`), a
/// column without any comma whose numbers with a point all have the point between groups of
/// three digits ("2.500", "1.250.000") is written with thousands separators, as a spreadsheet
/// in a decimal-comma language writes whole numbers: it qualifies too (2.500 is 2500, not 2.5).
pub fn detect_decimal_comma(
    columns: &[Column],
    delimiter: char,
    mark: DecimalMark,
    is_missing: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    if mark == DecimalMark::Point {
        return Vec::new();
    }
    let mut out = Vec::new();
    for col in columns {
        // Without a comma in any cell there is no decimal comma (one scan of the column's text).
        if !col.cells.any_contains(',') {
            continue;
        }
        let mut with_comma = 0usize;
        let mut not_thousands = false;
        let mut all_numbers = true;
        // The rule holds for every cell exactly when it holds for every distinct text.
        let cells: Box<dyn Iterator<Item = &str>> = match col.cells.dictionary() {
            Some((values, _)) => Box::new(values.iter().map(String::as_str)),
            None => Box::new(col.cells.strs()),
        };
        for cell in cells.filter(|c| !is_missing(c)) {
            if parse_decimal_comma(cell).is_some() {
                with_comma += 1;
                let frac = cell.trim().rsplit(',').next().unwrap_or_default();
                not_thousands |= frac.len() != 3;
            } else if parse_number(cell).is_none() {
                all_numbers = false;
                break;
            }
        }
        let qualifies =
            all_numbers && with_comma > 0 && (mark == DecimalMark::Comma || delimiter != ',' || not_thousands);
        if qualifies {
            out.push(col.name.clone());
        }
    }
    if mark == DecimalMark::Comma || !out.is_empty() {
        for col in columns {
            if !out.contains(&col.name) && thousands_only(col, is_missing) {
                out.push(col.name.clone());
            }
        }
        // In the columns' order, as the first pass gives them.
        out.sort_by_key(|n| columns.iter().position(|c| &c.name == n));
    }
    out
}

/// Every non-missing cell a whole number, at least one written with points between groups of
/// three digits and none with another point ("2.500", "-1.250.000", "75").
fn thousands_only(col: &Column, is_missing: &dyn Fn(&str) -> bool) -> bool {
    if !col.cells.any_contains('.') || col.cells.any_contains(',') {
        return false;
    }
    let cells: Box<dyn Iterator<Item = &str>> = match col.cells.dictionary() {
        Some((values, _)) => Box::new(values.iter().map(String::as_str)),
        None => Box::new(col.cells.strs()),
    };
    let mut grouped = 0usize;
    for cell in cells.filter(|c| !is_missing(c)) {
        let t = cell.trim();
        let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
        if digits.contains('.') {
            if crate::core::dataset::grouped_thousands(digits).is_none() {
                return false;
            }
            grouped += 1;
        } else if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    grouped > 0
}

/// How often each non-blank missing code occurs in cells as the reader stores them
/// (trimmed): (code, count), most frequent first.
pub fn missing_code_counts(columns: &[Column], codes: &[String]) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> =
        codes.iter().filter(|c| !c.trim().is_empty()).map(|c| (c.trim().to_string(), 0)).collect();
    let longest = counts.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    let mut count = |t: &str, n: usize| {
        // Length first: it needs no look at the text, which is most of the cost on big files.
        if t.len() > longest {
            return;
        }
        if let Some(e) = counts.iter_mut().find(|(c, _)| c == t) {
            e.1 += n;
        }
    };
    for col in columns {
        match col.cells.dictionary() {
            // Each distinct text once, with how many rows hold it.
            Some((values, rows)) => {
                let mut per_value = vec![0usize; values.len()];
                for &r in rows {
                    if let Some(n) = per_value.get_mut(usize::from(r)) {
                        *n += 1;
                    }
                }
                for (v, n) in values.iter().zip(per_value) {
                    count(v, n);
                }
            }
            None => col.cells.strs().for_each(|t| count(t, 1)),
        }
    }
    counts.retain(|(_, n)| *n > 0);
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts
}

/// A list of names in words, shortened after a few ("a, b, c and 7 more").
pub fn list_names(names: &[String]) -> String {
    const SHOW: usize = 4;
    let quoted: Vec<String> = names.iter().take(SHOW).map(|n| format!("“{n}”")).collect();
    match names.len() {
        0 => String::new(),
        1 => quoted.join(""),
        n if n <= SHOW => {
            let (last, rest) = quoted.split_last().map_or((String::new(), &[][..]), |(l, r)| (l.clone(), r));
            format!("{} and {last}", rest.join(", "))
        }
        n => format!("{} and {} more", quoted.join(", "), n - SHOW),
    }
}

/// The user's numbers for answers, per column: column → answer text → number, or `None` to
/// read that answer as missing (recipe `ingest.value_maps`).
pub type ValueMapOverrides = std::collections::BTreeMap<String, std::collections::BTreeMap<String, Option<f64>>>;

/// Words added to the description of a map the user changed.
pub const EDITED: &str = ", with your changes";

/// Applies the user's numbers to the maps of the columns in `columns` that `overrides` names:
/// each answer given replaces the detected number of the same answer (matched ignoring case and
/// extra spaces) or is added; `None` reads the answer as missing in that column. A column without
/// a detected map gets one made of the user's answers. Returns the overridden columns found.
pub fn apply_value_map_overrides(
    maps: &mut Vec<ValueMap>,
    columns: &[Column],
    overrides: &ValueMapOverrides,
) -> Vec<String> {
    let mut used = Vec::new();
    for (column, answers) in overrides {
        if !columns.iter().any(|c| c.name == *column) {
            continue;
        }
        used.push(column.clone());
        let i = match maps.iter().position(|m| m.column == *column) {
            Some(i) => i,
            None => {
                maps.push(ValueMap {
                    column: column.clone(),
                    description: "answers numbered by you".into(),
                    entries: Vec::new(),
                    missing: Vec::new(),
                });
                maps.len() - 1
            }
        };
        let Some(map) = maps.get_mut(i) else { continue };
        let mut changed = false;
        for (answer, value) in answers {
            let answer = answer.trim();
            if answer.is_empty() {
                continue;
            }
            let key = normalise_answer(answer);
            // The file's spelling of the answer, when the detected map has it.
            let label = map
                .entries
                .iter()
                .map(|(l, _)| l)
                .chain(map.missing.iter())
                .find(|l| normalise_answer(l) == key)
                .cloned()
                .unwrap_or_else(|| answer.to_string());
            let before_number = map.entries.iter().find(|(l, _)| normalise_answer(l) == key).map(|(_, v)| *v);
            let before_missing = map.missing.iter().any(|l| normalise_answer(l) == key);
            map.entries.retain(|(l, _)| normalise_answer(l) != key);
            map.missing.retain(|l| normalise_answer(l) != key);
            match value.filter(|v| v.is_finite()) {
                Some(v) => {
                    changed |= before_number != Some(v);
                    map.entries.push((label, v));
                }
                None => {
                    changed |= !before_missing;
                    map.missing.push(label);
                }
            }
        }
        map.entries.sort_by(|a, b| a.1.total_cmp(&b.1));
        if changed && !map.description.ends_with(EDITED) && map.description != "answers numbered by you" {
            map.description.push_str(EDITED);
        }
    }
    used
}

/// One sentence per distinct value map, naming its columns.
pub fn describe_value_maps(maps: &[ValueMap]) -> Vec<String> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for m in maps {
        let mapping = m
            .entries
            .iter()
            .map(|(l, v)| format!("“{l}” = {v}"))
            .chain(m.missing.iter().map(|l| format!("“{l}” = missing")))
            .collect::<Vec<_>>()
            .join(", ");
        let key = format!("{} ({mapping})", m.description);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some(g) => g.1.push(m.column.clone()),
            None => groups.push((key, vec![m.column.clone()])),
        }
    }
    groups
        .into_iter()
        .map(|(what, cols)| {
            format!(
                "Text answers were read as numbers in {} {}: {what}. You can change this mapping.",
                if cols.len() == 1 { "column" } else { "columns" },
                list_names(&cols)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::dataset::is_missing;

    fn col(name: &str, cells: &[&str]) -> Column {
        Column { name: name.into(), cells: cells.iter().copied().collect() }
    }

    fn entries(m: &ValueMap) -> Vec<(String, f64)> {
        m.entries.clone()
    }

    #[test]
    fn five_point_agree_with_case_and_spaces() {
        let maps = detect_value_maps(
            &[col("q", &["strongly  Disagree", "Disagree", "NEUTRAL", "agree", " Strongly agree", ""])],
            &is_missing,
            &[],
        );
        assert_eq!(maps.len(), 1);
        assert_eq!(maps[0].description, "5-point agree–disagree scale");
        assert_eq!(maps[0].lookup("STRONGLY DISAGREE"), Some(1.0));
        assert_eq!(maps[0].lookup("neutral"), Some(3.0));
        assert_eq!(maps[0].lookup("strongly agree"), Some(5.0));
    }

    #[test]
    fn qualtrics_somewhat_wording_is_five_point_but_seven_point_when_both_appear() {
        let five = detect_value_maps(
            &[col(
                "q",
                &[
                    "Strongly disagree",
                    "Somewhat disagree",
                    "Neither agree nor disagree",
                    "Somewhat agree",
                    "Strongly agree",
                ],
            )],
            &is_missing,
            &[],
        );
        assert_eq!(five[0].lookup("Somewhat agree"), Some(4.0));
        let seven = detect_value_maps(
            &[col(
                "q",
                &[
                    "Strongly disagree",
                    "Disagree",
                    "Somewhat disagree",
                    "Neither agree nor disagree",
                    "Somewhat agree",
                    "Agree",
                    "Strongly agree",
                ],
            )],
            &is_missing,
            &[],
        );
        assert_eq!(seven[0].description, "7-point agree–disagree scale");
        assert_eq!(seven[0].lookup("Somewhat agree"), Some(5.0));
        assert_eq!(seven[0].lookup("Agree"), Some(6.0));
        assert_eq!(seven[0].lookup("Strongly agree"), Some(7.0));
    }

    #[test]
    fn four_point_only_when_no_column_has_a_middle_option() {
        let four = detect_value_maps(
            &[col("q", &["Strongly disagree", "Disagree", "Agree", "Strongly agree"])],
            &is_missing,
            &[],
        );
        assert_eq!(four[0].description, "4-point agree–disagree scale");
        assert_eq!(four[0].lookup("Strongly agree"), Some(4.0));
        // Another item of the same file has "Neutral": the file's scale is 5-point.
        let both = detect_value_maps(
            &[col("q1", &["Strongly disagree", "Agree", "Strongly agree"]), col("q2", &["Neutral", "Disagree"])],
            &is_missing,
            &[],
        );
        assert_eq!(both[0].description, "5-point agree–disagree scale");
        assert_eq!(both[0].lookup("Strongly agree"), Some(5.0));
        assert_eq!(both[1].lookup("Neutral"), Some(3.0));
        // Each map lists the whole scale, spelled as in the file where the file has the word.
        let labels: Vec<&str> = both[0].entries.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels, vec!["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]);
        assert_eq!(both[0].entries, both[1].entries.iter().map(|(l, v)| (l.clone(), *v)).collect::<Vec<_>>());
    }

    #[test]
    fn skipped_columns_get_no_map() {
        let m = detect_value_maps(
            &[col("Finished", &["True", "False"]), col("q", &["Yes"])],
            &is_missing,
            &["Finished".to_string()],
        );
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].entries, vec![("No".to_string(), 0.0), ("Yes".to_string(), 1.0)]);
    }

    #[test]
    fn likely_scales() {
        let m = detect_value_maps(
            &[col("w", &["Very unlikely", "Unlikely", "Neither likely nor unlikely", "Likely", "Very likely"])],
            &is_missing,
            &[],
        );
        assert_eq!(m[0].description, "5-point likely–unlikely scale");
        assert_eq!(m[0].lookup("very likely"), Some(5.0));
        let m = detect_value_maps(
            &[col("w", &["Extremely unlikely", "Somewhat unlikely", "Neutral", "Very likely", "Extremely likely"])],
            &is_missing,
            &[],
        );
        assert_eq!(m[0].description, "7-point likely–unlikely scale");
        assert_eq!(m[0].lookup("very likely"), Some(6.0));
    }

    #[test]
    fn yes_no_true_false_and_written_numbers() {
        let m =
            detect_value_maps(&[col("h", &["Yes", "no", "NA", "YES"]), col("f", &["True", "False"])], &is_missing, &[]);
        assert_eq!(entries(&m[0]), vec![("no".to_string(), 0.0), ("Yes".to_string(), 1.0)]);
        assert_eq!(m[0].lookup("yes"), Some(1.0));
        assert_eq!(m[1].lookup("FALSE"), Some(0.0));
        let m = detect_value_maps(
            &[col("s", &["1 - Not at all", "3 = Somewhat", "5: A lot", "Never (0)"])],
            &is_missing,
            &[],
        );
        assert_eq!(m[0].lookup("5: a lot"), Some(5.0));
        assert_eq!(m[0].lookup("Never (0)"), Some(0.0));
    }

    #[test]
    fn free_text_numbers_and_mixed_columns_get_no_map() {
        let m = detect_value_maps(
            &[
                col("c", &["Agree", "I agree a lot"]),
                col("n", &["1", "2,5", ""]),
                col("g", &["intervention", "control"]),
                col("e", &["", "NA"]),
            ],
            &is_missing,
            &[],
        );
        assert!(m.is_empty(), "{m:?}");
    }

    #[test]
    fn decimal_comma_rules() {
        let cols = [
            col("h", &["2,5", "3", ""]),
            col("t", &["1,5", "hello"]),
            col("k", &["1,500", "2,000"]),
            col("p", &["2.5", "3"]),
        ];
        assert_eq!(detect_decimal_comma(&cols, ';', DecimalMark::Auto, &is_missing), vec!["h", "k"]);
        // With a comma delimiter, "1,500" (quoted) is more likely a thousands separator.
        assert_eq!(detect_decimal_comma(&cols, ',', DecimalMark::Auto, &is_missing), vec!["h"]);
        assert_eq!(detect_decimal_comma(&cols, ',', DecimalMark::Comma, &is_missing), vec!["h", "k"]);
        assert!(detect_decimal_comma(&cols, ';', DecimalMark::Point, &is_missing).is_empty());
    }

    #[test]
    fn thousands_only_columns_in_a_decimal_comma_file() {
        let cols = [
            col("cost", &["2.500", "1.250.000", "75", "", "NA"]),
            col("score", &["2,5", "3"]),
            col("p", &["2.5", "3"]),
            col("odd", &["2.500", "2.50"]),
            col("words", &["2.500", "many"]),
        ];
        // The file writes decimal commas (score), so 2.500 there is two thousand five hundred.
        assert_eq!(detect_decimal_comma(&cols, ';', DecimalMark::Auto, &is_missing), vec!["cost", "score"]);
        // Without a decimal-comma column, points stay decimal points.
        let point_file = [col("cost", &["2.500", "1.250"]), col("p", &["2.5", "3"])];
        assert!(detect_decimal_comma(&point_file, ';', DecimalMark::Auto, &is_missing).is_empty());
        // Told the file writes decimal commas.
        assert_eq!(detect_decimal_comma(&point_file, ';', DecimalMark::Comma, &is_missing), vec!["cost"]);
        assert_eq!(crate::core::dataset::parse_comma_number("1.250.000"), Some(1_250_000.0));
    }

    #[test]
    fn missing_codes_are_counted() {
        let codes: Vec<String> = ["", "NA", "-99", "."].iter().map(|s| s.to_string()).collect();
        let counts = missing_code_counts(&[col("a", &["NA", "-99", "NA", "", "1"]), col("b", &["NA"])], &codes);
        assert_eq!(counts, vec![("NA".to_string(), 3), ("-99".to_string(), 1)]);
    }

    #[test]
    fn names_in_words() {
        let n = |v: &[&str]| list_names(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(n(&["a"]), "“a”");
        assert_eq!(n(&["a", "b", "c"]), "“a”, “b” and “c”");
        assert_eq!(n(&["a", "b", "c", "d", "e", "f"]), "“a”, “b”, “c”, “d” and 2 more");
    }
}
