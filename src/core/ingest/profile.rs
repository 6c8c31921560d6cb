//! A loaded file described for the page: rows and columns, each column's type and missing
//! count, columns that look identifying, a preview with those hidden, the value maps in force
//! and whether the file looks long. Built by ingest (it uses the type, identifying-data and
//! reshape rules), as methods of [`Dataset`] so callers write `ds.summary()`.

use super::{identify, reshape, types};
use crate::core::dataset::{Dataset, Diagnostic, ValueMap};
use serde::{Deserialize, Serialize};

/// What the page needs to know about a loaded file (the rows stay where they were parsed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DatasetSummary {
    pub file: String,
    pub n_rows: usize,
    pub columns: Vec<String>,
    pub notes: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Missing cells (blank or a missing code) per column, for the report's data description.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub missing: std::collections::BTreeMap<String, usize>,
    /// Columns that look like they identify people (names, e-mail, phone, IP, date of birth,
    /// coordinates): the page warns, and the cleaned-data export leaves them out.
    #[serde(default)]
    pub identifying: Vec<identify::IdentifyingColumn>,
    /// The first rows as read ([`PREVIEW_ROWS`]), identifying columns hidden.
    #[serde(default)]
    pub preview: Vec<Vec<String>>,
    /// The detected type of every column, with missing and distinct counts, for the preview.
    #[serde(default)]
    pub types: Vec<types::ColumnType>,
    /// The text → number map in force for each column that has one (detected from the answers,
    /// with the user's changes from the recipe's `ingest.value_maps`), for the page to show and edit.
    #[serde(default)]
    pub value_maps: Vec<ValueMap>,
    /// The file looks long (one row per participant and wave): the columns to reshape it by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long_layout: Option<reshape::LongSuggestion>,
    /// The distinct answers (trimmed, missing codes left out, sorted) of each column with at
    /// most [`LEVELS_MAX`] of them: what the page offers for "which answer means the program
    /// group?".
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub levels: std::collections::BTreeMap<String, Vec<String>>,
}

/// Columns with more distinct answers than this have no `levels` in the summary.
pub const LEVELS_MAX: usize = 12;

/// Rows shown in the page's preview of a file.
pub const PREVIEW_ROWS: usize = 5;

impl Dataset {
    /// The summary sent to the page.
    pub fn summary(&self) -> DatasetSummary {
        // Each column's values are read once, for the identifying-data guard, the types and the
        // missing counts alike.
        let samples: Vec<_> = self.columns.iter().map(|c| types::sample(self, c)).collect();
        let identifying: Vec<_> =
            self.columns.iter().zip(&samples).filter_map(|(c, s)| identify::identify_sampled(self, c, s)).collect();
        // An example value of a column that looks identifying is not shown either.
        let types: Vec<_> = self
            .columns
            .iter()
            .zip(&samples)
            .map(|(c, s)| types::column_type(self, c, s))
            .map(|mut t| {
                if identifying.iter().any(|x| x.column == t.column) {
                    t.example = "(hidden)".into();
                }
                t
            })
            .collect();
        DatasetSummary {
            file: self.file.clone(),
            n_rows: self.n_rows,
            columns: self.column_names(),
            notes: self.notes.clone(),
            diagnostics: self.diagnostics.clone(),
            missing: self.columns.iter().zip(&samples).map(|(c, s)| (c.name.clone(), s.n_missing)).collect(),
            preview: self.preview(PREVIEW_ROWS, &identifying),
            // (Never the answers of a column that looks identifying.)
            levels: self
                .columns
                .iter()
                .filter(|c| !identifying.iter().any(|x| x.column == c.name))
                .filter_map(|c| Some((c.name.clone(), self.levels_of(c)?)))
                .collect(),
            identifying,
            types,
            value_maps: self.value_maps.clone(),
            long_layout: reshape::suggest_long(self),
        }
    }

    /// The first `rows` rows as read (cells shortened to 40 characters), with the cells of
    /// columns that look identifying replaced by "(hidden)": the preview never shows them.
    pub fn preview(&self, rows: usize, identifying: &[identify::IdentifyingColumn]) -> Vec<Vec<String>> {
        (0..rows.min(self.n_rows))
            .map(|i| {
                self.columns
                    .iter()
                    .map(|c| {
                        if identifying.iter().any(|x| x.column == c.name) {
                            return "(hidden)".to_string();
                        }
                        let t = c.cells.str_at(i).unwrap_or("");
                        if t.chars().count() > 40 {
                            format!("{}…", t.chars().take(39).collect::<String>())
                        } else {
                            t.to_string()
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// The distinct answers of a dictionary column (a few distinct texts), if at most
    /// [`LEVELS_MAX`]; read from the dictionary, not the rows.
    fn levels_of(&self, c: &crate::core::dataset::Column) -> Option<Vec<String>> {
        let (values, _) = c.cells.dictionary()?;
        let mut levels: Vec<String> =
            values.iter().map(|v| v.trim()).filter(|v| !self.is_missing_value(v)).map(str::to_string).collect();
        levels.sort();
        levels.dedup();
        (!levels.is_empty() && levels.len() <= LEVELS_MAX).then_some(levels)
    }
}
