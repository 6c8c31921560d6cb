//! Validation of the recipe key `comments` (CONTRACT §6; the data types are in
//! `core::recipe::comments`). Validation never changes the recipe: it returns typed settings or every problem found, each
//! an enum value with a plain sentence ([`CommentsError`]'s `Display`).
//!
//! Readings: a `manual` code that is not in the codebook is a hand-tag-only code (listed after
//! the codebook's codes); `manual` entries for a column that is in the file but not among
//! `columns` are ignored; a column listed twice is analysed once.

use crate::core::analyses::comments::matching::{parse_phrase, CompiledCodebook, PhraseProblem};
pub use crate::core::recipe::comments::{CommentsRecipe, OrderedMap};
use rustc_hash::FxHashMap;
use std::fmt;

/// A problem with the `comments` settings, said as a plain sentence by `Display`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentsError {
    /// A code with an empty or blank name.
    EmptyCodeName,
    /// The same code name twice in the codebook.
    DuplicateCode { code: String },
    /// A phrase with no word (empty, spaces or punctuation only).
    EmptyPhrase { code: String },
    /// A phrase of only `*`: it would match every comment.
    StarOnlyPhrase { code: String, phrase: String },
    /// A `*` that does not end a word.
    MisplacedStar { code: String, phrase: String },
    /// A column named in `columns` or `manual` that the data file does not have.
    ColumnNotFound { column: String },
    /// A `manual` row key that is not a whole number from 1.
    BadManualRow { column: String, row: String },
    /// A `manual` row past the end of the table.
    ManualRowOutOfRange { column: String, row: usize, rows: usize },
    /// A blank code name in `manual`.
    EmptyManualCode { column: String, row: String },
}

impl fmt::Display for CommentsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommentsError::EmptyCodeName => write!(f, "A code in the codebook has no name. Give every code a name."),
            CommentsError::DuplicateCode { code } => {
                write!(f, "The codebook has two codes named \"{code}\". Give each code its own name, or join their phrases.")
            }
            CommentsError::EmptyPhrase { code } => {
                write!(f, "Code \"{code}\" has an empty phrase. Write at least one word, or remove the phrase.")
            }
            CommentsError::StarOnlyPhrase { code, phrase } => write!(
                f,
                "Code \"{code}\" has the phrase \"{phrase}\", which is only a *: it would match every comment. Put the * after the start of a word, as in understand*."
            ),
            CommentsError::MisplacedStar { code, phrase } => write!(
                f,
                "Code \"{code}\" has the phrase \"{phrase}\" with a * that does not end a word. A * goes right after the start of a word, as in understand*."
            ),
            CommentsError::ColumnNotFound { column } => {
                write!(f, "The comment column \"{column}\" is not in the data file. Choose one of the file's columns.")
            }
            CommentsError::BadManualRow { column, row } => write!(
                f,
                "A hand-coded row of \"{column}\" is \"{row}\", which is not a row number. Rows are counted from 1 (the first data row)."
            ),
            CommentsError::ManualRowOutOfRange { column, row, rows } => {
                write!(f, "A hand-coded row of \"{column}\" is row {row}, but the table has {rows} rows.")
            }
            CommentsError::EmptyManualCode { column, row } => {
                write!(f, "Row {row} of \"{column}\" is hand-coded with a code that has no name.")
            }
        }
    }
}

impl std::error::Error for CommentsError {}

/// One column to analyse and its hand tags: 1-based row → code indices (ascending, unique).
#[derive(Debug, Clone, Default)]
pub struct ColumnPlan {
    pub name: String,
    pub manual: FxHashMap<usize, Vec<u32>>,
}

/// Validated settings: the columns with their hand tags and the compiled codebook (codebook
/// codes in file order, then hand-tag-only codes in order of first appearance).
#[derive(Debug, Clone, Default)]
pub struct CommentsSettings {
    pub columns: Vec<ColumnPlan>,
    pub codebook: CompiledCodebook,
}

impl CommentsRecipe {
    /// Problems of the codebook alone (names, duplicates, phrases), in file order.
    pub fn codebook_problems(&self) -> Vec<CommentsError> {
        let mut problems = Vec::new();
        for (i, (code, phrases)) in self.codebook.0.iter().enumerate() {
            if code.trim().is_empty() {
                problems.push(CommentsError::EmptyCodeName);
            } else if self.codebook.0[..i].iter().filter(|(c, _)| c == code).count() == 1 {
                // Named once, at its second occurrence.
                problems.push(CommentsError::DuplicateCode { code: code.clone() });
            }
            for phrase in phrases {
                match parse_phrase(phrase) {
                    Ok(_) => {}
                    Err(PhraseProblem::Empty) => problems.push(CommentsError::EmptyPhrase { code: code.clone() }),
                    Err(PhraseProblem::StarOnly) => {
                        problems.push(CommentsError::StarOnlyPhrase { code: code.clone(), phrase: phrase.clone() })
                    }
                    Err(PhraseProblem::MisplacedStar) => {
                        problems.push(CommentsError::MisplacedStar { code: code.clone(), phrase: phrase.clone() })
                    }
                }
            }
        }
        problems
    }

    /// Checks the settings against the table (its column names and number of data rows) and
    /// compiles them. Returns every problem found, in order; the recipe itself is untouched.
    pub fn validate(&self, file_columns: &[&str], n_rows: usize) -> Result<CommentsSettings, Vec<CommentsError>> {
        let mut problems = self.codebook_problems();
        let mut names: Vec<&str> = Vec::new();
        for c in &self.columns {
            if !file_columns.contains(&c.as_str()) {
                problems.push(CommentsError::ColumnNotFound { column: c.clone() });
            } else if !names.contains(&c.as_str()) {
                names.push(c);
            }
        }
        let mut codebook = CompiledCodebook::new(&self.codebook.0);
        let mut columns: Vec<ColumnPlan> =
            names.iter().map(|n| ColumnPlan { name: n.to_string(), manual: FxHashMap::default() }).collect();
        for (column, rows) in &self.manual.0 {
            if !file_columns.contains(&column.as_str()) {
                if !self.columns.contains(column) {
                    problems.push(CommentsError::ColumnNotFound { column: column.clone() });
                }
                continue;
            }
            let plan_index = columns.iter().position(|p| &p.name == column);
            for (row_key, codes) in &rows.0 {
                let row = match row_key.trim().parse::<usize>() {
                    Ok(r) if r >= 1 => r,
                    _ => {
                        problems.push(CommentsError::BadManualRow { column: column.clone(), row: row_key.clone() });
                        continue;
                    }
                };
                if row > n_rows {
                    problems.push(CommentsError::ManualRowOutOfRange { column: column.clone(), row, rows: n_rows });
                    continue;
                }
                let mut ids = Vec::with_capacity(codes.len());
                for code in codes {
                    if code.trim().is_empty() {
                        problems.push(CommentsError::EmptyManualCode { column: column.clone(), row: row_key.clone() });
                        continue;
                    }
                    ids.push(codebook.push_manual_code(code) as u32);
                }
                if let Some(plan) = plan_index.and_then(|i| columns.get_mut(i)) {
                    let entry = plan.manual.entry(row).or_default();
                    entry.extend(ids);
                    entry.sort_unstable();
                    entry.dedup();
                }
            }
        }
        if problems.is_empty() {
            Ok(CommentsSettings { columns, codebook })
        } else {
            Err(problems)
        }
    }
}
