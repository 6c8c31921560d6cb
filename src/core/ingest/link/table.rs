//! The linked table (CONTRACT §5, "The linked table"): what every analysis and the cleaned
//! CSV use once the waves are linked. One row per pre row, then one row per later-wave row
//! not linked to a pre row (pre cells blank; post before follow-up, each in file order).
//! Columns: `link_code` (the normalised code: the pre row's, else the later row's), then
//! every column of each file prefixed with its wave and an underscore (`pre_stigma`,
//! `post_Q2`, `followup_help`).
//!
//! Any table can be linked through [`WaveTable`] (implemented here for rows of text and for
//! Lantern's columns); [`linked_columns`] builds Lantern's [`Column`]s directly.

use super::{link, normalise_code, LinkPlan, Linkage, LinkedRow, Wave, WaveCodes};
use crate::core::dataset::{CellsBuilder, Column};
use std::fmt;

/// Name of the linked table's first column.
pub const LINK_CODE_COLUMN: &str = "link_code";

/// A wave's table: column names and the text of each cell (export header rows removed).
pub trait WaveTable {
    /// Number of columns.
    fn n_columns(&self) -> usize;
    /// Name of column `column` ("" past the end).
    fn column_name(&self, column: usize) -> &str;
    /// Data rows.
    fn n_rows(&self) -> usize;
    /// The text of a cell ("" past the end of a row or of the table).
    fn cell(&self, column: usize, row: usize) -> &str;
}

/// A table as rows of text (for example straight from a CSV reader); short rows read as blank.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowTable {
    pub names: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl WaveTable for RowTable {
    fn n_columns(&self) -> usize {
        self.names.len()
    }
    fn column_name(&self, column: usize) -> &str {
        self.names.get(column).map_or("", String::as_str)
    }
    fn n_rows(&self) -> usize {
        self.rows.len()
    }
    fn cell(&self, column: usize, row: usize) -> &str {
        self.rows.get(row).and_then(|r| r.get(column)).map_or("", String::as_str)
    }
}

/// Lantern's columns (`&dataset.columns`): rows = the longest column.
impl WaveTable for Vec<Column> {
    fn n_columns(&self) -> usize {
        self.len()
    }
    fn column_name(&self, column: usize) -> &str {
        self.get(column).map_or("", |c| c.name.as_str())
    }
    fn n_rows(&self) -> usize {
        self.iter().map(|c| c.cells.len()).max().unwrap_or(0)
    }
    fn cell(&self, column: usize, row: usize) -> &str {
        self.get(column).and_then(|c| c.cells.str_at(row)).unwrap_or("")
    }
}

/// Why linked data could not be made from the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkDataError {
    /// A code column of the recipe is not in the wave's file.
    MissingCodeColumn { wave: Wave, column: String },
    /// The recipe names a follow-up file but no follow-up table was given.
    MissingWaveTable(Wave),
}

impl fmt::Display for LinkDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkDataError::MissingCodeColumn { wave, column } => {
                write!(f, "The {} file has no column “{column}” for the participant code.", wave.name())
            }
            LinkDataError::MissingWaveTable(wave) => {
                write!(f, "The {} file named in the recipe is not loaded.", wave.name())
            }
        }
    }
}

impl std::error::Error for LinkDataError {}

/// Index of the column named `name` (exact name first, then ignoring surrounding spaces).
fn find_column(table: &dyn WaveTable, name: &str) -> Option<usize> {
    let n = table.n_columns();
    (0..n)
        .find(|&c| table.column_name(c) == name)
        .or_else(|| (0..n).find(|&c| table.column_name(c).trim() == name.trim()))
}

/// Each row's normalised code from the code columns (joined in the order given).
pub fn wave_codes(
    wave: Wave,
    file: &str,
    table: &dyn WaveTable,
    code_columns: &[String],
) -> Result<WaveCodes, LinkDataError> {
    let cols: Vec<usize> = code_columns
        .iter()
        .map(|name| {
            find_column(table, name).ok_or_else(|| LinkDataError::MissingCodeColumn { wave, column: name.clone() })
        })
        .collect::<Result<_, _>>()?;
    let mut parts: Vec<&str> = Vec::with_capacity(cols.len());
    let codes = (0..table.n_rows())
        .map(|row| {
            parts.clear();
            parts.extend(cols.iter().map(|&c| table.cell(c, row)));
            normalise_code(&parts)
        })
        .collect();
    Ok(WaveCodes { wave, file: file.to_string(), codes })
}

/// Reads the codes of each wave's table as the checked recipe says and links them.
/// A follow-up table given without a follow-up wave in the recipe is not used.
pub fn link_tables(
    plan: &LinkPlan,
    pre: &dyn WaveTable,
    post: &dyn WaveTable,
    followup: Option<&dyn WaveTable>,
) -> Result<Linkage, LinkDataError> {
    let pre_codes = wave_codes(Wave::Pre, &plan.pre.file, pre, &plan.pre.code_columns)?;
    let post_codes = wave_codes(Wave::Post, &plan.post.file, post, &plan.post.code_columns)?;
    let fu_codes = match (&plan.followup, followup) {
        (Some(p), Some(t)) => Some(wave_codes(Wave::Followup, &p.file, t, &p.code_columns)?),
        (Some(_), None) => return Err(LinkDataError::MissingWaveTable(Wave::Followup)),
        (None, _) => None,
    };
    Ok(link(&pre_codes, &post_codes, fu_codes.as_ref(), &plan.options))
}

/// The linked table's column names: `link_code`, then `<wave>_<column>` for every column of
/// each file (pre, post, follow-up).
pub fn linked_column_names(pre: &dyn WaveTable, post: &dyn WaveTable, followup: Option<&dyn WaveTable>) -> Vec<String> {
    let mut names = vec![LINK_CODE_COLUMN.to_string()];
    for (wave, t) in waves(pre, post, followup) {
        names.extend((0..t.n_columns()).map(|c| format!("{}_{}", wave.name(), t.column_name(c))));
    }
    names
}

fn waves<'a>(
    pre: &'a dyn WaveTable,
    post: &'a dyn WaveTable,
    followup: Option<&'a dyn WaveTable>,
) -> Vec<(Wave, &'a dyn WaveTable)> {
    let mut v = vec![(Wave::Pre, pre), (Wave::Post, post)];
    if let Some(f) = followup {
        v.push((Wave::Followup, f));
    }
    v
}

/// The data row of `wave` a linked row takes its cells from.
fn source(row: &LinkedRow, wave: Wave) -> Option<usize> {
    match wave {
        Wave::Pre => row.pre,
        Wave::Post => row.post,
        Wave::Followup => row.followup,
    }
}

/// The linked table as column names and columns of text (column-major: `columns[c][r]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkedTable {
    pub names: Vec<String>,
    pub columns: Vec<Vec<String>>,
}

impl LinkedTable {
    /// Rows of the table (= [`Linkage::participants`]).
    pub fn n_rows(&self) -> usize {
        self.columns.first().map_or(0, Vec::len)
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&[String]> {
        let i = self.names.iter().position(|n| n == name)?;
        self.columns.get(i).map(Vec::as_slice)
    }
}

/// Calls `push(column, cell)` for every cell of the linked table, column by column.
fn for_each_cell(
    linkage: &Linkage,
    pre: &dyn WaveTable,
    post: &dyn WaveTable,
    followup: Option<&dyn WaveTable>,
    push: &mut dyn FnMut(usize, &str),
) {
    for r in &linkage.rows {
        push(0, r.code.as_deref().unwrap_or(""));
    }
    let mut col = 1;
    for (wave, t) in waves(pre, post, followup) {
        for c in 0..t.n_columns() {
            for r in &linkage.rows {
                push(col, source(r, wave).map_or("", |row| t.cell(c, row)));
            }
            col += 1;
        }
    }
}

/// The linked table (§5) from the linking and the tables it was made from.
pub fn linked_table(
    linkage: &Linkage,
    pre: &dyn WaveTable,
    post: &dyn WaveTable,
    followup: Option<&dyn WaveTable>,
) -> LinkedTable {
    let names = linked_column_names(pre, post, followup);
    let n = linkage.rows.len();
    let mut columns: Vec<Vec<String>> = (0..names.len()).map(|_| Vec::with_capacity(n)).collect();
    for_each_cell(linkage, pre, post, followup, &mut |c, cell| {
        if let Some(col) = columns.get_mut(c) {
            col.push(cell.to_string());
        }
    });
    LinkedTable { names, columns }
}

/// The linked table as Lantern's columns (compact [`crate::core::dataset::Cells`]), ready for
/// a `Dataset { columns, n_rows: linkage.participants(), .. }`.
pub fn linked_columns(
    linkage: &Linkage,
    pre: &dyn WaveTable,
    post: &dyn WaveTable,
    followup: Option<&dyn WaveTable>,
) -> Vec<Column> {
    let names = linked_column_names(pre, post, followup);
    let n = linkage.rows.len();
    let mut builders: Vec<CellsBuilder> = (0..names.len()).map(|_| CellsBuilder::new(n)).collect();
    for_each_cell(linkage, pre, post, followup, &mut |c, cell| {
        if let Some(b) = builders.get_mut(c) {
            b.push(cell);
        }
    });
    names.into_iter().zip(builders).map(|(name, b)| Column { name, cells: b.finish() }).collect()
}
