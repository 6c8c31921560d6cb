//! Long layout → wide: a file with one row per participant *and wave* (an ID column and a
//! wave column such as `redcap_event_name` or `time` = pre/post) becomes one row per
//! participant, with a column per measure and wave (`score_pre`, `score_post`). Columns that
//! never change within a participant (group, age band) stay single. Duplicate ID–wave pairs,
//! blank IDs and participants seen at only one wave are reported.

use crate::core::dataset::{Column, Dataset, Diagnostic, DiagnosticKind, ValueMap};
use crate::core::ingest::values::list_names;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The recipe's `ingest.long`: read a long file as one row per participant.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LongLayout {
    /// The participant code column.
    pub id: String,
    /// The wave column (pre/post, T1/T2, `redcap_event_name`, ...).
    pub wave: String,
    /// The waves to keep, in this order; `None` = every wave, in the order first seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waves: Option<Vec<String>>,
}

/// A file that looks long, for the page to offer the reshape.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LongSuggestion {
    /// The column that looks like the participant code (values repeat, once per wave).
    pub id: String,
    /// The column whose few values look like waves.
    pub wave: String,
    /// The waves found, in time order when their names say it (pre before post, T1 before T2).
    pub waves: Vec<String>,
    /// Participants seen at two waves or more.
    pub repeated: usize,
}

/// Why a reshape was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum ReshapeError {
    /// A chosen column is not in the file.
    UnknownColumn(String),
    /// The ID and wave columns are the same column.
    SameColumn,
    /// The wave column has fewer than two different values.
    OneWave(String),
}

impl fmt::Display for ReshapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReshapeError::UnknownColumn(c) => write!(f, "The column “{c}” is not in this file."),
            ReshapeError::SameColumn => write!(f, "Choose two different columns: one for the participant code and one for the wave."),
            ReshapeError::OneWave(c) => write!(
                f,
                "The wave column “{c}” has fewer than two different values, so the file is already one row per participant."
            ),
        }
    }
}

/// Reshapes a long dataset to wide. Reading rules (value maps, decimal commas, missing codes)
/// follow their columns; what was done is added to the notes.
pub fn long_to_wide(ds: &Dataset, id: &str, wave: &str) -> Result<Dataset, ReshapeError> {
    long_to_wide_with(ds, &LongLayout { id: id.to_string(), wave: wave.to_string(), waves: None })
}

/// [`long_to_wide`] with the recipe's settings: when `waves` is given, only those waves are
/// kept, in that order (matched ignoring case and outer spaces); rows of other waves are left
/// out and counted in a note.
pub fn long_to_wide_with(ds: &Dataset, layout: &LongLayout) -> Result<Dataset, ReshapeError> {
    let (id, wave) = (layout.id.trim(), layout.wave.trim());
    if id == wave {
        return Err(ReshapeError::SameColumn);
    }
    let id_col = ds.column(id).ok_or_else(|| ReshapeError::UnknownColumn(id.to_string()))?;
    let wave_col = ds.column(wave).ok_or_else(|| ReshapeError::UnknownColumn(wave.to_string()))?;
    let mut found: Vec<String> = Vec::new();
    for w in &wave_col.cells {
        let w = w.trim();
        if !ds.is_missing_value(w) && !found.iter().any(|x| x == w) {
            found.push(w.to_string());
        }
    }
    let mut early_notes: Vec<String> = Vec::new();
    let waves = chosen_waves(&found, layout.waves.as_deref(), wave, &mut early_notes)?;
    let others: Vec<String> = found.iter().filter(|f| !waves.contains(f)).cloned().collect();
    if !others.is_empty() {
        let rows = wave_col.cells.strs().filter(|w| others.iter().any(|o| o == w.trim())).count();
        early_notes.push(format!(
            "Left out {rows} {} whose wave ({}) is not among the waves chosen.",
            if rows == 1 { "row" } else { "rows" },
            list_names(&others)
        ));
    }

    let mut diagnostics: Vec<Diagnostic> = ds.diagnostics.clone();
    let line = |r: usize| ds.row_lines.get(r).map_or(String::new(), |l| format!(" (line {l} of the file)"));
    // Rows left out (no code or wave, a repeated code and wave): located, the first ones in full.
    const SHOW: usize = 50;
    let (mut shown, mut more) = (0usize, 0usize);
    let mut left_out = |d: Diagnostic| {
        if shown < SHOW {
            shown += 1;
            diagnostics.push(d);
        } else {
            more += 1;
        }
    };
    // Participants in order of first appearance; for each, the source row of each wave.
    let mut people: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Codes written differently for one person (first spelling, another), for a note.
    let mut respelled: Vec<(String, String)> = Vec::new();
    let mut slots: Vec<Vec<Option<usize>>> = Vec::new();
    for r in 0..ds.n_rows {
        let pid = id_col.cells.str_at(r).map_or("", str::trim);
        let w = wave_col.cells.str_at(r).map_or("", str::trim);
        if ds.is_missing_value(pid) || ds.is_missing_value(w) {
            left_out(Diagnostic {
                kind: DiagnosticKind::RowLeftOut,
                line: None,
                row: Some(r + 1),
                column: Some(if ds.is_missing_value(pid) { id } else { wave }.to_string()),
                message: format!(
                    "Row {}{} has no {}, so it is left out of the one-row-per-participant table.",
                    r + 1,
                    line(r),
                    if ds.is_missing_value(pid) {
                        format!("participant code (“{id}”)")
                    } else {
                        format!("wave (“{wave}”)")
                    }
                ),
            });
            continue;
        }
        // A wave not chosen: counted in a note above.
        let Some(wi) = waves.iter().position(|x| x == w) else { continue };
        let p = *index.entry(code_key(pid)).or_insert_with(|| {
            people.push(pid.to_string());
            slots.push(vec![None; waves.len()]);
            people.len() - 1
        });
        if let Some(first) = people.get(p).filter(|f| f.as_str() != pid) {
            if !respelled.iter().any(|(f, _)| f == first) {
                respelled.push((first.clone(), pid.to_string()));
            }
        }
        let Some(slot) = slots.get_mut(p).and_then(|s| s.get_mut(wi)) else { continue };
        match slot {
            Some(first) => left_out(Diagnostic { kind: DiagnosticKind::RowLeftOut, line: None,
                row: Some(r + 1),
                column: Some(id.to_string()),
                message: format!(
                    "Row {}{} repeats participant “{pid}” at wave “{w}” (first seen in row {}); only the first row is used.",
                    r + 1,
                    line(r),
                    *first + 1
                ),
            }),
            None => *slot = Some(r),
        }
    }
    if more > 0 {
        diagnostics.push(Diagnostic { kind: DiagnosticKind::More, line: None,
            row: None,
            column: Some(id.to_string()),
            message: format!("… and {more} more rows left out of the one-row-per-participant table (no code or wave, or a repeated one)."),
        });
    }

    // Columns that never differ within a participant stay single.
    let others: Vec<&Column> = ds.columns.iter().filter(|c| c.name != id && c.name != wave).collect();
    let constant = |c: &Column| {
        slots.iter().all(|s| {
            let mut seen: Option<&str> = None;
            s.iter().flatten().all(|&r| {
                let v = c.cells.get(r).map_or("", |x| x.trim());
                if ds.is_missing_value(v) {
                    return true;
                }
                match seen {
                    None => {
                        seen = Some(v);
                        true
                    }
                    Some(x) => x == v,
                }
            })
        })
    };
    let pick = |c: &Column, s: &[Option<usize>], wi: Option<usize>| -> String {
        let rows: Vec<usize> = match wi {
            Some(w) => s.get(w).copied().flatten().into_iter().collect(),
            None => s.iter().flatten().copied().collect(),
        };
        rows.iter().filter_map(|&r| c.cells.get(r)).find(|v| !ds.is_missing_value(v)).cloned().unwrap_or_default()
    };

    let mut columns = vec![Column { name: id.to_string(), cells: people.clone().into() }];
    let mut value_maps: Vec<ValueMap> = Vec::new();
    let mut decimal_comma_columns: Vec<String> = Vec::new();
    let mut carry_rules = |from: &str, to: &str| {
        if let Some(m) = ds.value_map(from) {
            value_maps.push(ValueMap { column: to.to_string(), ..m.clone() });
        }
        if ds.decimal_comma_columns.iter().any(|c| c == from) {
            decimal_comma_columns.push(to.to_string());
        }
    };
    let mut split = Vec::new();
    for c in &others {
        if constant(c) {
            carry_rules(&c.name, &c.name);
            columns.push(Column { name: c.name.clone(), cells: slots.iter().map(|s| pick(c, s, None)).collect() });
        } else {
            split.push(c.name.clone());
            for (wi, w) in waves.iter().enumerate() {
                let name = format!("{}_{w}", c.name);
                carry_rules(&c.name, &name);
                columns.push(Column { name, cells: slots.iter().map(|s| pick(c, s, Some(wi))).collect() });
            }
        }
    }

    // New names never clash with a column already there ("score_pre" beside "score" × "pre").
    let mut names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let renamed = super::fix_names(&mut names);
    if !renamed.is_empty() {
        for (c, n) in columns.iter_mut().zip(&names) {
            if c.name != *n {
                for m in value_maps.iter_mut().filter(|m| m.column == c.name) {
                    m.column = n.clone();
                }
                for d in decimal_comma_columns.iter_mut().filter(|d| **d == c.name) {
                    *d = n.clone();
                }
                c.name = n.clone();
            }
        }
        early_notes.push(format!("Some new column names were already taken: {}.", renamed.join("; ")));
    }

    let incomplete: Vec<String> =
        slots.iter().zip(&people).filter(|(s, _)| s.iter().any(Option::is_none)).map(|(_, p)| p.clone()).collect();
    let mut notes = ds.notes.clone();
    notes.extend(early_notes);
    notes.push(format!(
        "Turned {} rows into one row per participant ({} participants, waves {}), using “{id}” and “{wave}”. {} measured at each wave got one column per wave.",
        ds.n_rows,
        people.len(),
        list_names(&waves),
        if split.is_empty() { "No column was".to_string() } else { format!("{} {}", list_names(&split), if split.len() == 1 { "was" } else { "were" }) },
    ));
    if !respelled.is_empty() {
        let n = respelled.len();
        let examples: Vec<String> = respelled.iter().map(|(a, b)| format!("{a} / {b}")).collect();
        notes.push(format!(
            "{n} participant {} written differently at different rows ({}); codes are compared without case, spaces, “-”, “_”, “.” and “/”, so each was taken as one person.",
            if n == 1 { "code was" } else { "codes were" },
            list_names(&examples)
        ));
    }
    if !incomplete.is_empty() {
        let only: Vec<String> = waves
            .iter()
            .enumerate()
            .filter_map(|(wi, w)| {
                let codes: Vec<String> = slots
                    .iter()
                    .zip(&people)
                    .filter(|(s, _)| s.iter().flatten().count() == 1 && s.get(wi).copied().flatten().is_some())
                    .map(|(_, p)| p.clone())
                    .collect();
                (!codes.is_empty()).then(|| format!("only at “{w}”: {}", list_names(&codes)))
            })
            .collect();
        if !only.is_empty() {
            notes.push(format!(
                "Codes seen at one wave only ({}); a code typed differently at two waves shows up here twice, so check these for typing slips.",
                only.join("; ")
            ));
        }
        let n = incomplete.len();
        notes.push(format!(
            "{n} {} not seen at every wave ({}); {} cells for the missing waves are blank.",
            if n == 1 { "participant was" } else { "participants were" },
            list_names(&incomplete),
            if n == 1 { "its" } else { "their" },
        ));
    }
    let n_rows = people.len();
    Ok(Dataset {
        columns,
        n_rows,
        diagnostics,
        notes,
        value_maps,
        decimal_comma_columns,
        // Rows no longer match lines of the file.
        row_lines: Vec::new(),
        unfinished_rows: Vec::new(),
        labels: ds.labels.iter().filter(|(c, _)| c != id && c != wave).cloned().collect(),
        ..ds.clone()
    })
}

/// The waves kept, in order: the recipe's (matched ignoring case and outer spaces; absent ones
/// named in a note) or every wave found; at least two.
fn chosen_waves(
    found: &[String],
    chosen: Option<&[String]>,
    wave: &str,
    early_notes: &mut Vec<String>,
) -> Result<Vec<String>, ReshapeError> {
    let waves: Vec<String> = match chosen {
        Some(chosen) if !chosen.is_empty() => {
            let mut waves: Vec<String> = Vec::new();
            let mut absent: Vec<String> = Vec::new();
            for c in chosen {
                let c = c.trim();
                match found.iter().find(|f| f.eq_ignore_ascii_case(c)) {
                    Some(f) if !waves.contains(f) => waves.push(f.clone()),
                    Some(_) => {}
                    None => absent.push(c.to_string()),
                }
            }
            if !absent.is_empty() {
                early_notes.push(format!(
                    "The {} {} chosen {} not in “{wave}”.",
                    if absent.len() == 1 { "wave" } else { "waves" },
                    list_names(&absent),
                    if absent.len() == 1 { "is" } else { "are" },
                ));
            }
            waves
        }
        _ => found.to_vec(),
    };
    if waves.len() < 2 {
        return Err(ReshapeError::OneWave(wave.to_string()));
    }
    Ok(waves)
}

/// The key a participant code is compared by: CONTRACT §5's normalising (spaces, `-`, `_`, `.`,
/// `/` removed, upper case — `p03`, `P03` and `p-03` are one person), without its minimum length
/// (long files often number people 1, 2, 3); a code that normalises to nothing keeps its text.
fn code_key(pid: &str) -> String {
    let key = crate::core::ingest::link::normalise_text(&[pid]);
    if key.is_empty() {
        pid.to_string()
    } else {
        key
    }
}

/// Where a wave name sits in time, when its words say it: (order of the kind, number). Pre,
/// baseline, before, screening and T0 come first; mid-point next; post, after, endline; then
/// follow-up; numbered waves ("T1", "wave 2", "time 3", "visit 1", "week 4") by number. REDCap
/// event names lose their `_arm_N` ending first. `numbers_too`: a bare number ("1", "2") is a
/// wave (when the column's name says it holds waves).
pub fn wave_rank(value: &str, numbers_too: bool) -> Option<(u8, u32)> {
    let mut v = value.trim().to_lowercase();
    if let Some(cut) = v.find("_arm_") {
        v.truncate(cut);
    }
    let squashed: String = v.chars().filter(|c| c.is_alphanumeric()).collect();
    let word = |list: &[&str]| list.contains(&squashed.as_str());
    if word(&[
        "pre",
        "pretest",
        "preintervention",
        "preprogram",
        "before",
        "baseline",
        "bl",
        "screening",
        "intake",
        "start",
        "t0",
        "time0",
        "wave0",
    ]) {
        return Some((0, 0));
    }
    if word(&["mid", "midline", "midpoint", "midterm", "interim"]) {
        return Some((1, 0));
    }
    if word(&[
        "post",
        "posttest",
        "postintervention",
        "postprogram",
        "after",
        "endline",
        "end",
        "exit",
        "final",
        "outcome",
    ]) {
        return Some((2, 0));
    }
    let follow = ["followup", "follow", "fu"];
    if let Some(rest) = follow.iter().find_map(|f| squashed.strip_prefix(f)) {
        // "followup", "follow-up 2", "FU3m", "follow_up_6_months"
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let tail = rest.get(digits.len()..).unwrap_or_default();
        if rest.is_empty()
            || (!digits.is_empty()
                && ["", "m", "mo", "month", "months", "w", "wk", "week", "weeks", "y", "year", "years"].contains(&tail))
        {
            return Some((3, digits.parse().unwrap_or(0)));
        }
        return None;
    }
    // Numbered waves: a known word (or none, when numbers are allowed) then a number.
    let digits_at = squashed.find(|c: char| c.is_ascii_digit())?;
    let (prefix, number) = squashed.split_at(digits_at);
    if !number.chars().all(|c| c.is_ascii_digit()) || number.len() > 4 {
        return None;
    }
    let n: u32 = number.parse().ok()?;
    let numbered = [
        "t",
        "time",
        "wave",
        "w",
        "visit",
        "v",
        "round",
        "r",
        "occasion",
        "timepoint",
        "tp",
        "session",
        "phase",
        "survey",
        "month",
        "m",
        "week",
        "wk",
        "year",
        "day",
    ];
    if numbered.contains(&prefix) || (prefix.is_empty() && numbers_too) {
        return Some((4, n));
    }
    None
}

/// Words in a column name that say it holds waves (so bare numbers 1, 2, 3 are waves).
const WAVE_NAME_WORDS: &[&str] = &[
    "wave",
    "time",
    "timepoint",
    "visit",
    "occasion",
    "round",
    "event",
    "phase",
    "period",
    "assessment",
    "measurement",
];

/// Words in a column name that say it holds participant codes.
const ID_NAME_WORDS: &[&str] =
    &["id", "code", "participant", "respondent", "record", "pid", "subject", "person", "student", "client", "uuid"];

fn name_words(name: &str) -> Vec<String> {
    name.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// The distinct non-missing values of a column, trimmed, in order of first appearance; `None`
/// when there are more than `max`.
fn few_values(ds: &Dataset, col: &Column, max: usize) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |v: &str| -> bool {
        let v = v.trim();
        if !ds.is_missing_value(v) && !out.iter().any(|o| o == v) {
            out.push(v.to_string());
        }
        out.len() <= max
    };
    let ok = match col.cells.dictionary() {
        Some((values, _)) => values.iter().all(|v| add(v)),
        None => col.cells.strs().all(add),
    };
    ok.then_some(out)
}

/// A likely long layout: a column whose 2 to 8 values all look like waves (pre/post,
/// baseline/follow-up, T1/T2, wave 1/wave 2, REDCap events; bare numbers when the column's name
/// says waves), and a participant-code column whose codes repeat across those waves (each code
/// and wave at most once in nearly every row (9 in 10; 2 repeats in a small file), and at least a third of the codes seen at two
/// waves or more). `None` for a wide file.
pub fn suggest_long(ds: &Dataset) -> Option<LongSuggestion> {
    if ds.n_rows < 4 {
        return None;
    }
    let (wave_col, mut waves) = ds.columns.iter().find_map(|c| {
        let numbers_too = name_words(&c.name).iter().any(|w| WAVE_NAME_WORDS.contains(&w.as_str()));
        let values = few_values(ds, c, 8)?;
        (values.len() >= 2
            && values.len() * 2 <= ds.n_rows
            && values.iter().all(|v| wave_rank(v, numbers_too).is_some()))
        .then_some((c, values))
    })?;
    // Time order when every wave's name says it (the sort is stable: ties keep file order).
    waves.sort_by_key(|w| wave_rank(w, true));

    let id_like =
        |c: &Column| name_words(&c.name).iter().any(|w| ID_NAME_WORDS.contains(&w.as_str()) || w.ends_with("id"));
    // Columns named like codes first, then a few others.
    let candidates = ds
        .columns
        .iter()
        .filter(|c| c.name != wave_col.name && id_like(c))
        .chain(ds.columns.iter().filter(|c| c.name != wave_col.name && !id_like(c)).take(4));
    for c in candidates {
        let mut pairs: HashSet<(&str, &str)> = HashSet::new();
        let mut waves_of: HashMap<&str, usize> = HashMap::new();
        let (mut rows, mut repeats) = (0usize, 0usize);
        for r in 0..ds.n_rows {
            let (Some(pid), Some(w)) = (c.cells.str_at(r).map(str::trim), wave_col.cells.str_at(r).map(str::trim))
            else {
                continue;
            };
            if ds.is_missing_value(pid) || ds.is_missing_value(w) {
                continue;
            }
            rows += 1;
            if pairs.insert((pid, w)) {
                *waves_of.entry(pid).or_insert(0) += 1;
            } else {
                repeats += 1;
                if repeats * 10 > ds.n_rows.max(20) {
                    break; // too many repeated code–wave pairs already: not this column
                }
            }
        }
        let people = waves_of.len();
        let repeated = waves_of.values().filter(|n| **n >= 2).count();
        let looks_long = people >= 2
            && rows > people
            && repeats * 10 <= rows.max(20)
            && repeated * 3 >= people
            && (id_like(c) || people >= 3);
        if looks_long {
            return Some(LongSuggestion { id: c.name.clone(), wave: wave_col.name.clone(), waves, repeated });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::read_csv;

    #[test]
    fn codes_differing_only_by_case_or_dashes_are_one_person() {
        // p03 / P03 and "ab-1" / "AB1" are one person each (CONTRACT §5 normalising); Z9 and z8
        // are seen at one wave only and listed as such.
        let csv = "id,wave,score\np03,pre,4\nP03,post,2\nab-1,pre,5\nAB1,post,3\nZ9,pre,1\nz8,post,2\n";
        let ds = read_csv(csv.as_bytes(), "long.csv").unwrap();
        let w = long_to_wide(&ds, "id", "wave").unwrap();
        assert_eq!(w.n_rows, 4);
        let col = |n: &str| -> Vec<String> { w.text(n).unwrap().into_iter().map(Option::unwrap_or_default).collect() };
        assert_eq!(col("id"), ["p03", "ab-1", "Z9", "z8"]);
        assert_eq!(col("score_pre"), ["4", "5", "1", ""]);
        assert_eq!(col("score_post"), ["2", "3", "", "2"]);
        assert!(
            w.notes
                .iter()
                .any(|n| n.starts_with("2 participant codes were written differently") && n.contains("“p03 / P03”")),
            "{:?}",
            w.notes
        );
        assert!(w.notes.iter().any(|n| n.contains("only at “pre”: “Z9”; only at “post”: “z8”")), "{:?}", w.notes);
    }

    #[test]
    fn long_file_becomes_one_row_per_participant() {
        let text = "id,time,group,score\nA,pre,int,3\nA,post,int,2\nB,pre,ctl,4\nC,post,ctl,1\nC,pre,ctl,5\nB,pre,ctl,9\n,post,ctl,3\n";
        let ds = read_csv(text.as_bytes(), "long.csv").unwrap();
        let w = long_to_wide(&ds, "id", "time").unwrap();
        assert_eq!(w.column_names(), vec!["id", "group", "score_pre", "score_post"]);
        assert_eq!(w.n_rows, 3);
        assert_eq!(w.column("score_pre").unwrap().cells, vec!["3", "4", "5"]);
        assert_eq!(w.column("score_post").unwrap().cells, vec!["2", "", "1"]);
        assert_eq!(w.column("group").unwrap().cells, vec!["int", "ctl", "ctl"]);
        // Duplicate B/pre (row 6) and the blank code (row 7) are located.
        assert_eq!(w.diagnostics.len(), 2);
        assert_eq!(w.diagnostics[0].row, Some(6));
        assert!(w.diagnostics[0].message.contains("line 7 of the file"), "{}", w.diagnostics[0].message);
        assert_eq!(w.diagnostics[1].row, Some(7));
        assert!(w.notes.iter().any(|n| n.contains("1 participant was not seen at every wave")), "{:?}", w.notes);
        assert_eq!(w.numeric("score_post").unwrap().0, vec![Some(2.0), None, Some(1.0)]);
    }

    #[test]
    fn value_maps_follow_their_columns_and_bad_choices_are_refused() {
        let ds = read_csv(b"id,wave,ok\n1,a,Agree\n1,b,Strongly agree\n2,a,Neutral\n", "l.csv").unwrap();
        let w = long_to_wide(&ds, "id", "wave").unwrap();
        assert_eq!(w.numeric("ok_b").unwrap().0, vec![Some(5.0), None]);
        assert_eq!(long_to_wide(&ds, "id", "id"), Err(ReshapeError::SameColumn));
        assert_eq!(long_to_wide(&ds, "id", "nope"), Err(ReshapeError::UnknownColumn("nope".into())));
        let one = read_csv(b"id,wave\n1,a\n2,a\n", "o.csv").unwrap();
        assert_eq!(long_to_wide(&one, "id", "wave"), Err(ReshapeError::OneWave("wave".into())));
    }

    #[test]
    fn wave_names_are_recognised_and_put_in_time_order() {
        for (v, rank) in [
            ("pre", (0, 0)),
            ("Baseline", (0, 0)),
            ("baseline_arm_1", (0, 0)),
            ("Before", (0, 0)),
            ("T0", (0, 0)),
            ("midline", (1, 0)),
            ("POST", (2, 0)),
            ("post-test", (2, 0)),
            ("endline", (2, 0)),
            ("follow-up", (3, 0)),
            ("followup_arm_1", (3, 0)),
            ("FU3m", (3, 3)),
            ("follow up 6 months", (3, 6)),
            ("T1", (4, 1)),
            ("wave 2", (4, 2)),
            ("Time 3", (4, 3)),
            ("visit_1", (4, 1)),
            ("week_4_arm_1", (4, 4)),
        ] {
            assert_eq!(wave_rank(v, false), Some(rank), "{v}");
        }
        for v in ["intervention", "control", "P01", "Agree", "12", "2024-03-04", "female", "fun", "3.5"] {
            assert_eq!(wave_rank(v, false), None, "{v}");
        }
        assert_eq!(wave_rank("2", true), Some((4, 2)), "a bare number when the column says waves");
    }

    #[test]
    fn a_long_layout_is_suggested_only_for_long_files() {
        // Waves in a column named "wave" as bare numbers; codes in a column named "code".
        let long = read_csv(b"code,wave,score\nA,2,3\nA,1,4\nB,1,2\nB,2,2\nC,1,5\nD,1,1\nD,2,2\n", "l.csv").unwrap();
        let s = suggest_long(&long).expect("long");
        assert_eq!(
            (s.id.as_str(), s.wave.as_str(), s.waves.clone(), s.repeated),
            ("code", "wave", vec!["1".to_string(), "2".into()], 3)
        );
        // REDCap events.
        let redcap = read_csv(
            b"record_id,redcap_event_name,score\n1,baseline_arm_1,3\n1,followup_arm_1,2\n2,baseline_arm_1,4\n2,followup_arm_1,4\n",
            "r.csv",
        )
        .unwrap();
        let s = suggest_long(&redcap).expect("REDCap events");
        assert_eq!((s.id.as_str(), s.wave.as_str()), ("record_id", "redcap_event_name"));
        assert_eq!(s.waves, vec!["baseline_arm_1", "followup_arm_1"]);
        // Wide files: codes never repeat; a column of pre/post labels alone is not enough.
        let wide = read_csv(b"id,pre,post\n1,3,2\n2,4,2\n3,5,4\n4,2,2\n", "w.csv").unwrap();
        assert_eq!(suggest_long(&wide), None);
        let labels = read_csv(b"id,when,score\n1,pre,3\n2,post,2\n3,pre,5\n4,post,4\n", "w2.csv").unwrap();
        assert_eq!(suggest_long(&labels), None, "every code once: not long");
        // The same code many times at one wave is not a long layout either.
        let dup = read_csv(
            b"id,time,score\n1,pre,3\n1,pre,2\n1,pre,5\n1,post,4\n2,pre,1\n2,pre,1\n2,pre,1\n2,pre,1\n",
            "d.csv",
        )
        .unwrap();
        assert_eq!(suggest_long(&dup), None);
    }

    #[test]
    fn chosen_waves_are_kept_in_their_order_and_others_left_out() {
        let ds = read_csv(
            b"id,time,score\nA,screening,9\nA,post,2\nA,pre,3\nB,pre,4\nB,screening,9\nB,post,1\nB,followup,0\n",
            "l.csv",
        )
        .unwrap();
        let layout = LongLayout {
            id: "id".into(),
            wave: "time".into(),
            waves: Some(vec!["Pre".into(), "post".into(), "followup".into(), "month 12".into()]),
        };
        let w = long_to_wide_with(&ds, &layout).unwrap();
        assert_eq!(w.column_names(), vec!["id", "score_pre", "score_post", "score_followup"]);
        assert_eq!(w.numeric("score_followup").unwrap().0, vec![None, Some(0.0)]);
        assert!(
            w.notes.iter().any(|n| n == "Left out 2 rows whose wave (“screening”) is not among the waves chosen."),
            "{:?}",
            w.notes
        );
        assert!(w.notes.iter().any(|n| n == "The wave “month 12” chosen is not in “time”."), "{:?}", w.notes);
        assert!(w.notes.iter().any(|n| n.contains("1 participant was not seen at every wave (“A”)")), "{:?}", w.notes);
        let one = LongLayout { waves: Some(vec!["pre".into()]), ..layout };
        assert_eq!(long_to_wide_with(&ds, &one), Err(ReshapeError::OneWave("time".into())));
    }

    #[test]
    fn reading_messages_are_kept_and_new_names_never_clash() {
        let ds = read_csv(b"id,time,score,score_pre\nA,pre,3,x\nA,post,2,x\nB,pre,4,y\nB,post,1,y,extra\n", "l.csv")
            .unwrap();
        assert_eq!(ds.diagnostics.len(), 1, "the long row");
        let w = long_to_wide(&ds, "id", "time").unwrap();
        assert!(w.diagnostics.iter().any(|d| d.message.contains("extra")), "{:?}", w.diagnostics);
        let names = w.column_names();
        let unique: HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        assert!(names.contains(&"score_pre".to_string()) && names.contains(&"score_pre_2".to_string()), "{names:?}");
    }
}
