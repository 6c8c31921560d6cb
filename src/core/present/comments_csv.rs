//! The coded-comments CSV (free-text answers, CONTRACT §6): one line per comment with `row`,
//! `column`, `wave`, `arm`, `codes` and `text`. The text is redacted unless the user chooses the original (or leaves it out).
//! Every cell is made safe for spreadsheets with Lantern's `clean_csv::neutralise` (a cell
//! starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, unless it is a plain number)
//! and quoted as CSV where needed. Codes are joined with `; ` in codebook order.

use crate::core::analyses::comments::matching::CompiledCodebook;
use crate::core::analyses::comments::redact::Redactor;
use crate::core::analyses::comments::result::{Arm, CodedColumn};
use crate::core::present::clean_csv::neutralise;

/// What the export writes in the `text` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextInExport {
    /// Redacted (the default).
    #[default]
    Redacted,
    /// As written (the user chose so).
    Original,
    /// Empty.
    Omitted,
}

/// One coded column to export with its cells (`cells[i]` = row `i + 1`) and wave (`None`:
/// taken from a `pre_` / `post_` / `followup_` prefix of the column name, else blank).
#[derive(Debug, Clone, Copy)]
pub struct ExportColumn<'a> {
    pub coded: &'a CodedColumn,
    pub cells: &'a [Option<&'a str>],
    pub wave: Option<&'a str>,
}

pub use crate::core::analyses::comments::wave_of_column;

/// One CSV field: neutralised, then quoted when it holds a comma, quote or line break.
fn field(cell: &str) -> String {
    let safe = neutralise(cell);
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

/// The coded-comments CSV (UTF-8, `\n` line ends, header line first).
pub fn coded_comments_csv(
    columns: &[ExportColumn<'_>],
    codebook: &CompiledCodebook,
    text: TextInExport,
    redactor: &Redactor,
) -> String {
    let mut out = String::from("row,column,wave,arm,codes,text\n");
    for col in columns {
        let wave = col.wave.or_else(|| wave_of_column(&col.coded.column)).unwrap_or("");
        for c in &col.coded.comments {
            let arm = match c.arm {
                Some(Arm::Intervention) => "intervention",
                Some(Arm::Control) => "control",
                None => "",
            };
            let codes: Vec<&str> =
                c.codes.iter().filter_map(|&k| codebook.codes().get(k as usize).map(String::as_str)).collect();
            let raw = col.cells.get(c.row.wrapping_sub(1)).copied().flatten().unwrap_or("");
            let shown = match text {
                TextInExport::Redacted => redactor.redact(raw),
                TextInExport::Original => raw.to_string(),
                TextInExport::Omitted => String::new(),
            };
            let line = [
                c.row.to_string(),
                field(&col.coded.column),
                field(wave),
                arm.to_string(),
                field(&codes.join("; ")),
                field(&shown),
            ];
            out.push_str(&line.join(","));
            out.push('\n');
        }
    }
    out
}
