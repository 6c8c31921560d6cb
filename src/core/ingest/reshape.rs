//! Long layout → wide: a file with one row per participant *and wave* (an ID column and a
//! wave column such as `redcap_event_name` or `time` = pre/post) becomes one row per
//! participant, with a column per measure and wave (`score_pre`, `score_post`). Columns that
//! never change within a participant (group, age band) stay single. Duplicate ID–wave pairs,
//! blank IDs and participants seen at only one wave are reported.

use crate::core::dataset::{Column, Dataset, Diagnostic, ValueMap};
use crate::core::ingest::values::list_names;
use std::collections::HashMap;
use std::fmt;

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
    if id == wave {
        return Err(ReshapeError::SameColumn);
    }
    let id_col = ds.column(id).ok_or_else(|| ReshapeError::UnknownColumn(id.to_string()))?;
    let wave_col = ds.column(wave).ok_or_else(|| ReshapeError::UnknownColumn(wave.to_string()))?;
    let mut waves: Vec<String> = Vec::new();
    for w in &wave_col.cells {
        let w = w.trim();
        if !ds.is_missing_value(w) && !waves.iter().any(|x| x == w) {
            waves.push(w.to_string());
        }
    }
    if waves.len() < 2 {
        return Err(ReshapeError::OneWave(wave.to_string()));
    }

    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let line = |r: usize| ds.row_lines.get(r).map_or(String::new(), |l| format!(" (line {l} of the file)"));
    // Participants in order of first appearance; for each, the source row of each wave.
    let mut people: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut slots: Vec<Vec<Option<usize>>> = Vec::new();
    for r in 0..ds.n_rows {
        let pid = id_col.cells.get(r).map_or("", |s| s.trim());
        let w = wave_col.cells.get(r).map_or("", |s| s.trim());
        if ds.is_missing_value(pid) || ds.is_missing_value(w) {
            diagnostics.push(Diagnostic {
                row: Some(r + 1),
                column: Some(if ds.is_missing_value(pid) { id } else { wave }.to_string()),
                message: format!(
                    "Row {}{} has no {}, so it is left out of the one-row-per-participant table.",
                    r + 1,
                    line(r),
                    if ds.is_missing_value(pid) { format!("participant code (“{id}”)") } else { format!("wave (“{wave}”)") }
                ),
            });
            continue;
        }
        let p = *index.entry(pid.to_string()).or_insert_with(|| {
            people.push(pid.to_string());
            slots.push(vec![None; waves.len()]);
            people.len() - 1
        });
        let Some(wi) = waves.iter().position(|x| x == w) else { continue };
        let Some(slot) = slots.get_mut(p).and_then(|s| s.get_mut(wi)) else { continue };
        match slot {
            Some(first) => diagnostics.push(Diagnostic {
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

    let incomplete = slots.iter().filter(|s| s.iter().any(Option::is_none)).count();
    let mut notes = ds.notes.clone();
    notes.push(format!(
        "Turned {} rows into one row per participant ({} participants, waves {}), using “{id}” and “{wave}”. {} measured at each wave got one column per wave.",
        ds.n_rows,
        people.len(),
        list_names(&waves),
        if split.is_empty() { "No column was".to_string() } else { format!("{} {}", list_names(&split), if split.len() == 1 { "was" } else { "were" }) },
    ));
    if incomplete > 0 {
        notes.push(format!(
            "{incomplete} {} not seen at every wave; {} cells for the missing waves are blank.",
            if incomplete == 1 { "participant was" } else { "participants were" },
            if incomplete == 1 { "its" } else { "their" },
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::read_csv;

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
}
