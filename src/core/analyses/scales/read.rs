//! Finding a scale's item columns in a file and reading the answers: "don't know" codes,
//! missing codes, non-numbers and out-of-range answers (the last two become located
//! [`Diagnostic`]s and count as unanswered). Also settles the answer scale (min..max) when the
//! key does not give it.

use crate::core::analyses::scales::spec::{DontKnow, ItemSource, ItemSpec};
use crate::core::dataset::{parse_comma_number, parse_number, shorten, Dataset, Diagnostic, DiagnosticKind};

/// One cell of an item column, before the answer scale is known.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Blank,
    DontKnow,
    Number(f64),
    /// Text that is neither a number, a missing code nor a "don't know" code.
    Text(String),
}

/// Lower-case, trimmed, curly apostrophes made straight.
fn norm(s: &str) -> String {
    s.trim().replace(['’', '‘', '`'], "'").to_lowercase()
}

/// The item number in `name` after `prefix` (`pre_q7`, `PRE_Q07`, `pre_q_7`, `pre_q 7`), if any.
fn number_after(name: &str, prefix: &str) -> Option<usize> {
    let (n, p) = (norm(name), norm(prefix));
    let rest = n.strip_prefix(&p)?;
    let rest = rest.trim_start_matches(['_', '.', ' ', '-', '#']);
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok()
}

/// The column holding item `n` for a prefix: the exact name `prefix + n` first, then lenient forms.
pub fn find_prefixed(ds: &Dataset, prefix: &str, n: usize) -> Option<String> {
    let exact = format!("{prefix}{n}");
    if ds.column(&exact).is_some() {
        return Some(exact);
    }
    ds.columns.iter().find(|c| number_after(&c.name, prefix) == Some(n)).map(|c| c.name.clone())
}

/// Item numbers present in the file for a prefix, ascending.
pub fn numbers_in_file(ds: &Dataset, prefix: &str) -> Vec<usize> {
    let mut v: Vec<usize> = ds.columns.iter().filter_map(|c| number_after(&c.name, prefix)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The item numbers making up the score: given numbers, else 1..=k, else the length of an
/// explicit column list, else the numbers found in the file for the prefixes.
pub fn item_numbers(ds: &Dataset, spec: &ItemSpec) -> Vec<usize> {
    if let Some(n) = &spec.item_numbers {
        return n.clone();
    }
    if let Some(k) = spec.k {
        return (1..=k).collect();
    }
    for src in [&spec.pre, &spec.post] {
        if let ItemSource::Columns(c) = src {
            return (1..=c.len()).collect();
        }
    }
    let mut found = Vec::new();
    for src in [&spec.pre, &spec.post] {
        if let ItemSource::Prefix(p) = src {
            found.extend(numbers_in_file(ds, p));
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// The column of each item at one time point (`None` = not in the file), plus notes.
pub fn locate(
    ds: &Dataset,
    src: &ItemSource,
    numbers: &[usize],
    time: &str,
    who: &str,
    notes: &mut Vec<String>,
) -> Option<Vec<Option<String>>> {
    let cols: Vec<Option<String>> = match src {
        ItemSource::None => return None,
        ItemSource::Prefix(p) => numbers.iter().map(|&n| find_prefixed(ds, p, n)).collect(),
        ItemSource::Columns(list) => {
            if list.len() != numbers.len() {
                notes.push(format!(
                    "{who}: {} {time} item columns are listed for {} items; they are matched in order.",
                    list.len(),
                    numbers.len()
                ));
            }
            numbers.iter().enumerate().map(|(i, _)| list.get(i).filter(|c| ds.column(c).is_some()).cloned()).collect()
        }
    };
    let absent: Vec<String> = numbers
        .iter()
        .enumerate()
        .filter(|(i, _)| cols[*i].is_none())
        .map(|(i, n)| match src {
            ItemSource::Prefix(p) => format!("{p}{n}"),
            ItemSource::Columns(list) => list.get(i).cloned().unwrap_or_else(|| format!("item {n}")),
            ItemSource::None => format!("item {n}"),
        })
        .collect();
    if absent.len() == numbers.len() && !numbers.is_empty() {
        notes.push(format!(
            "{who}: none of the {time} item columns ({}) is in this file, so there are no {time} scores.",
            absent.join(", ")
        ));
    } else if !absent.is_empty() {
        notes.push(format!(
            "{who}: the {time} item column(s) {} are not in this file; those items count as unanswered.",
            absent.join(", ")
        ));
    }
    Some(cols)
}

/// Reads one item column's cells (`None` column = all blank) with the file's own reading rules,
/// as [`Dataset::numeric`] does: its missing codes, the column's value map (answer wording such
/// as "Strongly agree" in Qualtrics, SurveyMonkey and Google Forms exports) and decimal commas.
/// "Don't know" codes are recognised first, so they are never read as a mapped number.
pub fn cells(ds: &Dataset, column: Option<&str>, dont_know_codes: &[String]) -> Vec<Cell> {
    let Some(col) = column.and_then(|c| ds.column(c)) else { return vec![Cell::Blank; ds.n_rows] };
    let codes: Vec<String> = dont_know_codes.iter().map(|c| norm(c)).collect();
    let map = ds.value_map(&col.name);
    let comma = ds.decimal_comma_columns.contains(&col.name);
    col.cells
        .iter()
        .map(|cell| {
            if codes.contains(&norm(cell)) {
                Cell::DontKnow
            } else if ds.is_missing_value(cell) || map.is_some_and(|m| m.is_missing_answer(cell)) {
                Cell::Blank
            } else {
                map.and_then(|m| m.lookup(cell))
                    .or_else(|| if comma { parse_comma_number(cell) } else { parse_number(cell) })
                    .map_or_else(|| Cell::Text(cell.clone()), Cell::Number)
            }
        })
        .collect()
}

/// The answer scale in force and, when it was not given in full, a sentence saying how it was set.
/// Rules: given min and max win. With a reverse rule "c − x", the scale is 1..c−1 or 0..c,
/// whichever holds every answer (1..c−1 if both). Otherwise 1..5, unless every answer is a whole
/// number in a common Likert range beyond it (0..3, 1..7, 0..10, ...), which is then used.
pub fn answer_range(spec: &ItemSpec, observed: &[f64], who: &str) -> (f64, f64, Option<String>) {
    let whole = !observed.is_empty() && observed.iter().all(|v| v.fract() == 0.0);
    let lo = observed.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = observed.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let holds = |a: f64, b: f64| observed.iter().all(|v| *v >= a && *v <= b);
    let c = spec.reverse_constant;
    let (min, max, how) = match (spec.min, spec.max) {
        (Some(a), Some(b)) => (a, b, None),
        (Some(a), None) => match c {
            Some(c) => (a, c - a, Some("from its minimum and the reverse rule")),
            None if whole && hi > a && hi <= 10.0 => {
                (a, hi.max(a + 1.0), Some("from its minimum and the highest answer in the file"))
            }
            None => (a, 5.0_f64.max(a + 1.0), Some("from its minimum (the maximum defaults to 5)")),
        },
        (None, Some(b)) => match c {
            Some(c) => (c - b, b, Some("from its maximum and the reverse rule")),
            None if holds(0.0, b) && !holds(1.0, b) => (0.0, b, Some("from its maximum and the answers in the file")),
            None => (1.0_f64.min(b - 1.0), b, Some("from its maximum (the minimum defaults to 1)")),
        },
        (None, None) => match c {
            Some(c) if !holds(1.0, c - 1.0) && holds(0.0, c) => {
                (0.0, c, Some("from the reverse rule and the answers in the file"))
            }
            Some(c) => (1.0, c - 1.0, Some("from the reverse rule")),
            None if holds(1.0, 5.0) => (1.0, 5.0, Some("as the default 1–5")),
            None if whole && (lo == 0.0 || lo == 1.0) && (2.0..=10.0).contains(&hi) => {
                (lo, hi, Some("from the lowest and highest answers in the file"))
            }
            None => (1.0, 5.0, Some("as the default 1–5")),
        },
    };
    if min.partial_cmp(&max) != Some(std::cmp::Ordering::Less) {
        return (
            1.0,
            5.0,
            Some(format!(
                "{who}: the answer scale {} to {} is empty, so 1–5 is used; set items.min and items.max.",
                fmt(min),
                fmt(max)
            )),
        );
    }
    let note = match how {
        // p06-style keys ("6 − x" on a 1–5 file) need no note; say so only when it was guessed.
        Some("from the reverse rule") | None => None,
        Some(how) => Some(format!(
            "{who}: answers are taken to run from {} to {} ({how}); set items.min and items.max if that is wrong.",
            fmt(min),
            fmt(max)
        )),
    };
    (min, max, note)
}

/// A number for a sentence: whole numbers without decimals.
pub fn fmt(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Counts of cells that were not usable answers.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CellCounts {
    pub dont_know: usize,
    pub out_of_range: usize,
    pub not_number: usize,
}

/// Turns cells into answers on min..max: "don't know" as chosen, non-numbers and out-of-range
/// answers as unanswered, each with a located diagnostic (1-based data row, column name).
pub fn answers(
    cells: &[Cell],
    column: Option<&str>,
    min: f64,
    max: f64,
    dk: DontKnow,
    counts: &mut CellCounts,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Option<f64>> {
    cells
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            Cell::Blank => None,
            Cell::DontKnow => {
                counts.dont_know += 1;
                match dk {
                    DontKnow::Missing => None,
                    DontKnow::Value(v) => Some(v),
                }
            }
            Cell::Text(cell) => {
                counts.not_number += 1;
                let name = column.unwrap_or("?");
                let text = shorten(cell);
                diags.push(Diagnostic { kind: DiagnosticKind::NotANumber, line: None,
                    row: Some(i + 1),
                    column: Some(name.to_string()),
                    message: format!("“{text}” in row {} of “{name}” is not a number, so this item counts as unanswered there.", i + 1),
                });
                None
            }
            Cell::Number(v) if *v < min || *v > max => {
                counts.out_of_range += 1;
                let name = column.unwrap_or("?");
                diags.push(Diagnostic { kind: DiagnosticKind::OutOfRange, line: None,
                    row: Some(i + 1),
                    column: Some(name.to_string()),
                    message: format!(
                        "{} in row {} of “{name}” is outside the answer scale {} to {}, so this item counts as unanswered there.",
                        fmt(*v),
                        i + 1,
                        fmt(min),
                        fmt(max)
                    ),
                });
                None
            }
            Cell::Number(v) => Some(*v),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::dataset::Column;

    fn ds(cols: &[(&str, &[&str])]) -> Dataset {
        Dataset {
            file: "t.csv".into(),
            n_rows: cols.first().map_or(0, |c| c.1.len()),
            columns: cols
                .iter()
                .map(|(n, c)| Column { name: n.to_string(), cells: c.iter().map(|s| s.to_string()).collect() })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn prefix_finds_exact_then_lenient_names() {
        let d = ds(&[
            ("pre_q1", &["1"]),
            ("PRE_Q02", &["1"]),
            ("pre_q_3", &["1"]),
            ("pre_q10", &["1"]),
            ("pre_q1_text", &["x"]),
        ]);
        assert_eq!(find_prefixed(&d, "pre_q", 1).as_deref(), Some("pre_q1"));
        assert_eq!(find_prefixed(&d, "pre_q", 2).as_deref(), Some("PRE_Q02"));
        assert_eq!(find_prefixed(&d, "pre_q", 3).as_deref(), Some("pre_q_3"));
        assert_eq!(find_prefixed(&d, "pre_q", 4), None);
        assert_eq!(numbers_in_file(&d, "pre_q"), vec![1, 2, 3, 10]);
    }

    #[test]
    fn out_of_range_and_text_are_located() {
        let d = ds(&[("q1", &["3", "7", "Don’t know", "abc", "", "0"])]);
        let c = cells(&d, Some("q1"), &["don't know".to_string()]);
        assert_eq!(c[2], Cell::DontKnow);
        let mut counts = CellCounts::default();
        let mut diags = Vec::new();
        let v = answers(&c, Some("q1"), 1.0, 5.0, DontKnow::Value(3.0), &mut counts, &mut diags);
        assert_eq!(v, vec![Some(3.0), None, Some(3.0), None, None, None]);
        assert_eq!(counts, CellCounts { dont_know: 1, out_of_range: 2, not_number: 1 });
        let located: Vec<(Option<usize>, Option<&str>)> = diags.iter().map(|d| (d.row, d.column.as_deref())).collect();
        assert_eq!(located, vec![(Some(2), Some("q1")), (Some(4), Some("q1")), (Some(6), Some("q1"))]);
        assert!(diags[0].message.contains("outside the answer scale 1 to 5"));
    }

    #[test]
    fn cells_follow_the_file_s_value_maps_missing_codes_and_decimal_commas() {
        use crate::core::dataset::ValueMap;
        let mut d = ds(&[
            ("q1", &["Strongly agree", " agree ", "Don't know", "999", "", "2", "Maybe"]),
            ("q2", &["2,5", "3", "x", "1", "1", "1", "1"]),
        ]);
        d.value_maps = vec![ValueMap {
            column: "q1".into(),
            description: "agree scale".into(),
            // A map that (wrongly) gives "Don't know" a number: the "don't know" code wins.
            entries: vec![("Strongly agree".into(), 5.0), ("Agree".into(), 4.0), ("Don't know".into(), 3.0)],
            missing: Vec::new(),
        }];
        d.missing_codes = vec!["".into(), "999".into()];
        d.decimal_comma_columns = vec!["q2".into()];
        let dk = vec!["don't know".to_string()];
        let c = cells(&d, Some("q1"), &dk);
        assert_eq!(
            c,
            vec![
                Cell::Number(5.0),
                Cell::Number(4.0),
                Cell::DontKnow,
                Cell::Blank,
                Cell::Blank,
                Cell::Number(2.0),
                Cell::Text("Maybe".into())
            ]
        );
        let c = cells(&d, Some("q2"), &dk);
        assert_eq!(c[..3], [Cell::Number(2.5), Cell::Number(3.0), Cell::Text("x".into())]);
        // "-99" is not among this file's missing codes, so it is a number (then out of range).
        d.columns[1].cells = ["-99", "1", "1", "1", "1", "1", "1"].into_iter().collect();
        assert_eq!(cells(&d, Some("q2"), &dk)[0], Cell::Number(-99.0));
    }

    #[test]
    fn answer_scale_is_given_or_inferred() {
        let key = |min: Option<f64>, max: Option<f64>, c: Option<f64>| ItemSpec {
            min,
            max,
            reverse_constant: c,
            ..ItemSpec::default()
        };
        // p06: "6 - x" on 1..5 answers, no note.
        assert_eq!(answer_range(&key(None, None, Some(6.0)), &[1.0, 5.0, 3.0], "s"), (1.0, 5.0, None));
        // "3 - x" with answers 0..3: the scale is 0..3.
        assert_eq!(answer_range(&key(None, None, Some(3.0)), &[0.0, 3.0], "s").0, 0.0);
        // No key: 0..3 answers are taken as 0..3 with a note; 1..4 answers stay 1..5.
        let (a, b, note) = answer_range(&key(None, None, None), &[0.0, 1.0, 3.0], "s");
        assert_eq!((a, b), (0.0, 3.0));
        assert!(note.is_some());
        let (a, b, _) = answer_range(&key(None, None, None), &[1.0, 4.0], "s");
        assert_eq!((a, b), (1.0, 5.0));
        // A typo (55) on a 1–5 scale is not taken as the scale's maximum.
        assert_eq!(answer_range(&key(None, None, None), &[1.0, 55.0], "s").1, 5.0);
        assert_eq!(answer_range(&key(Some(1.0), Some(7.0), None), &[9.0], "s"), (1.0, 7.0, None));
        assert_eq!(answer_range(&key(Some(0.0), None, Some(4.0)), &[], "s").1, 4.0);
        assert_eq!(answer_range(&key(Some(5.0), Some(1.0), None), &[], "s").0, 1.0);
    }
}
