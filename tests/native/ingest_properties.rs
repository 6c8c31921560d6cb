//! Property tests of reading files (no extra dependency: a small seeded generator).
//! - Arbitrary bytes never panic: 2,000 byte strings of varied shapes go through the reader,
//!   the summary (types, identifying columns), number reading and the cleaned-data export,
//!   and what comes out is a rectangular table.
//! - Permuting the data rows leaves every column summary unchanged (missing counts, numeric
//!   counts and sums, distinct counts, types, identifying columns, reading rules).

use lantern::core::analyses::analyse;
use lantern::core::dataset::Dataset;
use lantern::core::ingest::read_csv;
use lantern::core::present::clean_csv::safe_csv;
use lantern::core::recipe::Recipe;
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// xorshift64*: deterministic, good enough to vary inputs.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Pieces that make files interesting to a CSV reader.
const PIECES: &[&str] = &[
    ",",
    ";",
    "\t",
    "|",
    "\"",
    "\"\"",
    "\n",
    "\r\n",
    "\r",
    " ",
    "a",
    "Z",
    "1",
    "-2.5",
    "3,5",
    "NA",
    "-99",
    ".",
    "yes",
    "No",
    "Strongly agree",
    "Disagree",
    "é",
    "€",
    "😀",
    "\u{FEFF}",
    "\0",
    "=1+1",
    "@x",
    "#DIV/0!",
    "2024-03-04",
    "a@b.org",
    "10.0.0.1",
    "StartDate",
    "Finished",
    "ImportId",
    "redcap_event_name",
    "___1",
    "Timestamp",
    "_uuid",
    "{",
    "}",
    "Ã©",
];

/// One input of a shape chosen by `kind`.
fn input(g: &mut Gen, kind: usize) -> Vec<u8> {
    let len = match g.below(4) {
        0 => g.below(8),
        1 => g.below(64),
        2 => g.below(600),
        _ => g.below(5_000),
    };
    match kind % 6 {
        // Raw random bytes.
        0 => (0..len).map(|_| g.next() as u8).collect(),
        // Text built from CSV-ish pieces.
        1 | 2 => {
            let mut s = String::new();
            while s.len() < len {
                s.push_str(g.pick::<&str>(PIECES));
            }
            s.into_bytes()
        }
        // A table with a header and ragged rows of random cells.
        3 => {
            let delim = *g.pick(&[",", ";", "\t", "|"]);
            let cols = 1 + g.below(12);
            let rows = g.below(60);
            let mut s = String::new();
            for r in 0..=rows {
                let width = if g.below(5) == 0 { g.below(cols + 3) } else { cols };
                let cells: Vec<String> = (0..width)
                    .map(|c| if r == 0 { format!("c{c}") } else { (*g.pick(PIECES)).replace(['\n', '\r'], "") })
                    .collect();
                s.push_str(&cells.join(delim));
                s.push_str(g.pick::<&str>(&["\n", "\r\n", "\r"]));
            }
            s.into_bytes()
        }
        // CSV-ish text encoded as UTF-16 (either order, with or without a BOM).
        4 => {
            let mut s = String::new();
            while s.len() < len {
                s.push_str(g.pick::<&str>(PIECES));
            }
            let le = g.below(2) == 0;
            let mut out: Vec<u8> = match g.below(2) {
                0 if le => vec![0xFF, 0xFE],
                0 => vec![0xFE, 0xFF],
                _ => Vec::new(),
            };
            for u in s.encode_utf16() {
                out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            out
        }
        // Valid text with a few random bytes flipped (broken UTF-8, stray controls).
        _ => {
            let mut s = String::from("id,pre,post,group\n");
            for i in 0..g.below(40) {
                s.push_str(&format!("{i},{},{},{}\n", g.below(6), g.below(6), g.pick(&["a", "b", "NA", "\"x,y\""])));
            }
            let mut b = s.into_bytes();
            for _ in 0..g.below(6) {
                if !b.is_empty() {
                    let i = g.below(b.len());
                    b[i] = g.next() as u8;
                }
            }
            b
        }
    }
}

/// Everything the page does with a loaded file; checks the table is well formed.
fn exercise(ds: &Dataset) -> Result<(), String> {
    for c in &ds.columns {
        if c.cells.len() != ds.n_rows {
            return Err(format!("column {} has {} cells for {} rows", c.name, c.cells.len(), ds.n_rows));
        }
        ds.numeric(&c.name).ok_or("numeric")?;
        ds.text(&c.name).ok_or("text")?;
    }
    if ds.row_lines.len() != ds.n_rows {
        return Err("row_lines".into());
    }
    let names: HashSet<&str> = ds.columns.iter().map(|c| c.name.as_str()).collect();
    if names.len() != ds.columns.len() || names.contains("") {
        return Err(format!("column names not unique and non-blank: {:?}", ds.column_names()));
    }
    if ds.diagnostics.iter().any(|d| d.row.is_some_and(|r| r == 0 || r > ds.n_rows)) {
        return Err("a diagnostic row outside the table".into());
    }
    let summary = ds.summary();
    if summary.types.len() != ds.columns.len() {
        return Err("types".into());
    }
    serde_json::to_string(&summary).map_err(|e| e.to_string())?;
    let _ = safe_csv(ds);
    let mut recipe = Recipe::default();
    recipe.suggest_columns(&ds.column_names());
    let _ = analyse(ds, &recipe);
    Ok(())
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut g = Gen(0x5eed_1a47_e4a5_0001);
    let mut opened = 0;
    for case in 0..2_000 {
        let bytes = input(&mut g, case);
        let outcome = catch_unwind(AssertUnwindSafe(|| match read_csv(&bytes, "random.csv") {
            Ok(ds) => exercise(&ds).map(|_| true),
            Err(e) => {
                if e.to_string().is_empty() {
                    Err("empty error message".into())
                } else {
                    Ok(false)
                }
            }
        }));
        match outcome {
            Ok(Ok(was_opened)) => opened += usize::from(was_opened),
            Ok(Err(what)) => panic!("case {case}: {what}; input {:?}", String::from_utf8_lossy(&bytes)),
            Err(_) => panic!("case {case} panicked; input bytes {:?}", bytes),
        }
    }
    assert!(opened > 500, "only {opened} of 2000 inputs were opened: the generator should make mostly readable files");
}

/// A random but readable survey table: id, arm, numbers with missing codes, Likert text,
/// yes/no, decimal commas, free text with quotes, e-mail.
fn survey(g: &mut Gen, n: usize) -> (String, Vec<String>) {
    let header = "id;arm;score;likert;helped;hours;comment;email".to_string();
    let rows = (0..n)
        .map(|i| {
            let score = match g.below(10) {
                0 => "NA".to_string(),
                1 => "-99".to_string(),
                2 => String::new(),
                3 => "abc".to_string(),
                _ => format!("{}", g.below(400) as f64 / 8.0),
            };
            let likert = *g.pick(&[
                "Strongly disagree",
                "Disagree",
                "Neither agree nor disagree",
                "Agree",
                "Strongly agree",
                "",
            ]);
            let helped = *g.pick(&["Yes", "No", "NA"]);
            let hours = format!("{},{}", g.below(10), g.below(10));
            let comment = *g.pick(&["fine", "\"said \"\"ok\"\"; then left\"", "", "good", "\"two\nlines\""]);
            format!(
                "P{i:04};{};{score};{likert};{helped};{hours};{comment};p{i}@example.org",
                g.pick(&["intervention", "control"])
            )
        })
        .collect();
    (header, rows)
}

#[test]
fn permuting_rows_leaves_every_column_summary_unchanged() {
    let mut g = Gen(0xfeed_beef_0000_0007);
    for round in 0..40 {
        let n = 2 + g.below(300);
        let (header, mut rows) = survey(&mut g, n);
        let a = read_csv(format!("{header}\n{}\n", rows.join("\n")).as_bytes(), "a.csv").unwrap();
        // Fisher–Yates with the same generator.
        for i in (1..rows.len()).rev() {
            let j = g.below(i + 1);
            rows.swap(i, j);
        }
        let b = read_csv(format!("{header}\n{}\n", rows.join("\n")).as_bytes(), "a.csv").unwrap();
        assert_eq!(a.n_rows, b.n_rows, "round {round}");
        assert_eq!(a.column_names(), b.column_names());
        assert_eq!(a.decimal_comma_columns, b.decimal_comma_columns, "round {round}");
        let maps = |d: &Dataset| {
            let mut m: Vec<(String, Vec<(String, u64)>)> = d
                .value_maps
                .iter()
                .map(|v| (v.column.clone(), v.entries.iter().map(|(l, x)| (l.clone(), x.to_bits())).collect()))
                .collect();
            m.iter_mut().for_each(|(_, e)| e.sort());
            m
        };
        assert_eq!(maps(&a), maps(&b), "round {round}");
        let (sa, sb) = (a.summary(), b.summary());
        assert_eq!(sa.missing, sb.missing, "round {round}");
        for (ta, tb) in sa.types.iter().zip(&sb.types) {
            assert_eq!(
                (&ta.column, ta.kind, ta.n_missing, ta.n_distinct),
                (&tb.column, tb.kind, tb.n_missing, tb.n_distinct),
                "round {round}"
            );
        }
        let ident = |s: &lantern::core::ingest::profile::DatasetSummary| {
            s.identifying.iter().map(|i| (i.column.clone(), i.kind, i.share.to_bits())).collect::<Vec<_>>()
        };
        assert_eq!(ident(&sa), ident(&sb), "round {round}");
        for c in a.column_names() {
            let (va, da) = a.numeric(&c).unwrap();
            let (vb, db) = b.numeric(&c).unwrap();
            let count = |v: &[Option<f64>]| v.iter().flatten().count();
            let sum = |v: &[Option<f64>]| v.iter().flatten().sum::<f64>();
            assert_eq!(count(&va), count(&vb), "round {round}, {c}");
            assert!((sum(&va) - sum(&vb)).abs() <= 1e-9 * (1.0 + sum(&va).abs()), "round {round}, {c}");
            assert_eq!(da.len(), db.len(), "round {round}, {c}: non-number messages");
            let mut ta: Vec<Option<String>> = a.text(&c).unwrap();
            let mut tb: Vec<Option<String>> = b.text(&c).unwrap();
            ta.sort();
            tb.sort();
            assert_eq!(ta, tb, "round {round}, {c}: the same cells");
        }
    }
}
