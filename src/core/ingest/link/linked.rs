//! The linked table as a Lantern [`Dataset`] (CONTRACT §5): the columns of
//! [`super::linked_columns`], and each wave file's reading rules carried over under the
//! prefixed names (value maps, decimal-comma columns, question texts, metadata columns), so
//! that every analysis reads `post_SC0` or `followup_Stigma (mean)` exactly as it read the
//! column in its own file.

use super::table::{linked_columns, WaveTable, LINK_CODE_COLUMN};
use super::{Linkage, Wave};
use crate::core::dataset::{Dataset, Diagnostic, ValueMap};

/// A wave file's dataset is a table of its columns.
impl WaveTable for Dataset {
    fn n_columns(&self) -> usize {
        self.columns.len()
    }
    fn column_name(&self, column: usize) -> &str {
        self.columns.get(column).map_or("", |c| c.name.as_str())
    }
    fn n_rows(&self) -> usize {
        self.n_rows
    }
    fn cell(&self, column: usize, row: usize) -> &str {
        self.columns.get(column).and_then(|c| c.cells.str_at(row)).unwrap_or("")
    }
}

/// `<wave>_<column>`.
pub fn prefixed(wave: Wave, column: &str) -> String {
    format!("{}_{column}", wave.name())
}

/// The linked dataset from the linking and the wave files it was made from (pre, post,
/// follow-up). Its `file` names the files; `code_columns` (per wave, the columns the codes
/// came from) are reported as identifying-adjacent in the notes.
pub fn linked_dataset(linkage: &Linkage, pre: &Dataset, post: &Dataset, followup: Option<&Dataset>) -> Dataset {
    let columns = linked_columns(linkage, pre, post, followup.map(|f| f as &dyn WaveTable));
    let n_rows = linkage.participants();
    let mut waves: Vec<(Wave, &Dataset)> = vec![(Wave::Pre, pre), (Wave::Post, post)];
    if let Some(f) = followup {
        waves.push((Wave::Followup, f));
    }
    let mut ds = Dataset {
        file: waves.iter().map(|(_, d)| d.file.as_str()).collect::<Vec<_>>().join(" + "),
        columns,
        n_rows,
        encoding: pre.encoding.clone(),
        had_bom: pre.had_bom,
        delimiter: pre.delimiter,
        format: pre.format,
        header_rows: pre.header_rows,
        missing_codes: Vec::new(),
        ..Dataset::default()
    };
    for (wave, d) in &waves {
        let p = |c: &str| prefixed(*wave, c);
        for code in &d.missing_codes {
            if !ds.missing_codes.contains(code) {
                ds.missing_codes.push(code.clone());
            }
        }
        ds.value_maps.extend(d.value_maps.iter().map(|m| ValueMap { column: p(&m.column), ..m.clone() }));
        ds.decimal_comma_columns.extend(d.decimal_comma_columns.iter().map(|c| p(c)));
        ds.labels.extend(d.labels.iter().map(|(c, l)| (p(c), l.clone())));
        ds.source_headers.extend(d.columns.iter().map(|c| (p(&c.name), d.source_header(&c.name).to_string())));
        ds.metadata_columns.extend(d.metadata_columns.iter().map(|c| p(c)));
        ds.notes.extend(d.notes.iter().map(|n| format!("{} file “{}”: {n}", wave.name(), d.file)));
        ds.diagnostics.extend(d.diagnostics.iter().map(|g| Diagnostic {
            row: None,
            // The wave file's own line and kind stay; its row is not a row of the linked table.
            line: g.line,
            kind: g.kind,
            column: g.column.as_deref().map(p),
            message: format!("{} file “{}”: {}", wave.name(), d.file, g.message),
        }));
    }
    ds.notes.push(format!(
        "The {} wave files were linked by participant code into one row per person ({n_rows} rows); the first column, “{LINK_CODE_COLUMN}”, holds the code and is left out of the cleaned data unless kept.",
        waves.len()
    ));
    ds
}
