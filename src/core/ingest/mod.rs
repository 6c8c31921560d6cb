//! File bytes → [`Dataset`]. Reading never fails as a whole: problems become located
//! [`Diagnostic`]s ("row 12 (line 15 of the file), column “q3”"), and only a file that is
//! empty, not text, or without column names is an error.
//!
//! The steps, one file each:
//! - [`decode`]: bytes → text (UTF-8 with/without BOM, UTF-16 LE/BE, Windows-1252).
//! - [`sniff`]: which delimiter (`,` `;` tab `|`), which line endings.
//! - [`tokenize`]: text → records (quotes, doubled quotes, line breaks in cells, CRLF/LF/CR).
//! - [`formats`]: which survey tool wrote the file (Qualtrics, SurveyMonkey, Google Forms,
//!   KoboToolbox, REDCap, plain): header rows, column names, metadata columns, preview rows.
//! - [`values`]: reading rules per column (missing codes, Likert text, yes/no, decimal comma).
//! - [`reshape`]: long layout (one row per participant and wave) → wide.
//! - [`types`]: column type inference for the preview (number, category, text, date, ...).
//! - [`identify`]: the identifying-data guard (names, e-mail, phone, IP, date of birth, GPS).
//! - [`link`]: separate files per wave linked by participant code (CONTRACT §5).

pub mod decode;
pub mod formats;
pub mod identify;
pub mod link;
pub mod profile;
pub mod reshape;
pub mod sniff;
pub mod split;
pub mod tokenize;
pub mod types;
pub mod values;

pub use values::DecimalMark;

use crate::core::dataset::{
    shorten, CellsBuilder, Column, Dataset, Diagnostic, DiagnosticKind, DroppedRow, ExportFormat, DEFAULT_MISSING_CODES,
};
use formats::Layout;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use tokenize::Record;
use values::list_names;

/// Why a file could not be read at all (everything smaller is a diagnostic).
#[derive(Debug, Clone, PartialEq)]
pub enum IngestError {
    Empty,
    NotText,
    NoHeader,
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IngestError::Empty => write!(f, "The file is empty: there is nothing to analyse."),
            IngestError::NotText => write!(
                f,
                "This file does not look like a text table (CSV). If it is an Excel workbook, save it as “CSV UTF-8” first."
            ),
            IngestError::NoHeader => write!(
                f,
                "The file has no column names: its first line is empty or holds only separators. Add a first line with a name for each column."
            ),
        }
    }
}

/// Reading settings the user can change (shown beside the preview).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IngestOptions {
    /// Cell values read as missing (compared after trimming; blank cells always are).
    pub missing_codes: Vec<String>,
    /// Leave out responses the survey tool marks as unfinished (Qualtrics `Finished` = False).
    pub drop_unfinished: bool,
    /// Rows at the top that are headers (0 = the file has no header row); `None` = recognise.
    pub header_rows: Option<usize>,
    /// Decimal mark of numbers; `Auto` decides per column.
    pub decimal_mark: DecimalMark,
    /// Field separator; `None` = guess from the file.
    pub delimiter: Option<char>,
    /// The user's numbers for text answers, per column (see [`values::apply_value_map_overrides`]).
    pub value_maps: values::ValueMapOverrides,
    /// Read a long file (one row per participant and wave) as one row per participant.
    pub long: Option<reshape::LongLayout>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            missing_codes: DEFAULT_MISSING_CODES.iter().map(|c| c.to_string()).collect(),
            drop_unfinished: false,
            header_rows: None,
            decimal_mark: DecimalMark::Auto,
            delimiter: None,
            value_maps: Default::default(),
            long: None,
        }
    }
}

/// The largest file read in the browser (200 MB): a bigger one would not fit in a tab's memory
/// once read into columns.
pub const MAX_FILE_BYTES: u64 = 200_000_000;

/// A plain message when a file of `bytes` bytes is too large to read (checked before reading).
pub fn too_large_message(bytes: u64) -> Option<String> {
    if bytes <= MAX_FILE_BYTES {
        return None;
    }
    let mb = bytes as f64 / 1e6;
    let limit = MAX_FILE_BYTES as f64 / 1e6;
    // Whole megabytes, unless rounding would make the size look like the limit.
    let size = if mb.round() > limit { format!("{mb:.0}") } else { format!("{mb:.1}") };
    Some(format!(
        "This file is {size} MB; Lantern reads files up to {limit:.0} MB in the browser. Split it, or keep only the columns you need."
    ))
}

/// Row-level messages of one kind shown before they are summarised.
const MAX_ROW_MESSAGES: usize = 50;

/// Reads a delimited text file into a rectangular dataset with the default settings.
pub fn read_csv(bytes: &[u8], file_name: &str) -> Result<Dataset, IngestError> {
    read_with_options(bytes, file_name, &IngestOptions::default())
}

/// "row 3 (line 5 of the file)".
fn where_row(row: usize, line: usize) -> String {
    format!("Row {row} (line {line} of the file)")
}

/// Collects row-level diagnostics of one kind, summarising past [`MAX_ROW_MESSAGES`].
struct Capped {
    shown: usize,
    more: usize,
    what: &'static str,
}

impl Capped {
    fn new(what: &'static str) -> Self {
        Capped { shown: 0, more: 0, what }
    }
    /// True when one more message of this kind is shown (else it is only counted).
    fn admit(&mut self) -> bool {
        if self.shown < MAX_ROW_MESSAGES {
            self.shown += 1;
            true
        } else {
            self.more += 1;
            false
        }
    }
    fn finish(self, out: &mut Vec<Diagnostic>) {
        if self.more > 0 {
            out.push(Diagnostic {
                kind: DiagnosticKind::More,
                line: None,
                row: None,
                column: None,
                message: format!("… and {} more rows {}.", self.more, self.what),
            });
        }
    }
}

/// Makes every name non-blank and unique; returns the renamings made.
fn fix_names(names: &mut [String]) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::new();
    // Per repeated name, the next suffix to try: a header of thousands of equal names (a
    // one-line file of "1,1,1,…") is renamed in linear time, not quadratic.
    let mut next_suffix: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut renamed = Vec::new();
    for (i, n) in names.iter_mut().enumerate() {
        let original = n.trim().to_string();
        let base = if original.is_empty() { format!("column_{}", i + 1) } else { original.clone() };
        let mut candidate = base.clone();
        if used.contains(&candidate) {
            // Suffixes below the stored one were all found taken before (names only get added).
            let mut k = next_suffix.get(&base).copied().unwrap_or(2);
            loop {
                candidate = format!("{base}_{k}");
                k += 1;
                if !used.contains(&candidate) {
                    break;
                }
            }
            next_suffix.insert(base.clone(), k);
        }
        if candidate != original {
            renamed.push(if original.is_empty() {
                format!("column {} had no name and is called “{candidate}”", i + 1)
            } else {
                format!("a second “{original}” is called “{candidate}”")
            });
        }
        used.insert(candidate.clone());
        *n = candidate;
    }
    renamed
}

/// Groups dropped rows by reason, one sentence each.
fn dropped_notes(dropped: &[DroppedRow]) -> Vec<String> {
    let mut by_reason: Vec<(String, Vec<usize>)> = Vec::new();
    for d in dropped {
        match by_reason.iter_mut().find(|(r, _)| *r == d.reason) {
            Some(e) => e.1.push(d.line),
            None => by_reason.push((d.reason.clone(), vec![d.line])),
        }
    }
    by_reason
        .into_iter()
        .map(|(reason, lines)| {
            let ls: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            format!(
                "Left out {} {} {reason}: {} {} of the file.",
                lines.len(),
                if lines.len() == 1 { "row," } else { "rows, each" },
                if lines.len() == 1 { "line" } else { "lines" },
                list_names(&ls).replace(['“', '”'], "")
            )
        })
        .collect()
}

/// Non-blank records read before the export is recognised; the rest are read as a stream.
const HEAD_RECORDS: usize = 100;

/// Title lines looked for above the header ("Survey results — March 2025" alone on row 1).
const MAX_TITLE_LINES: usize = 3;

/// How many of the first records are titles, not the header: records with a single non-blank
/// cell (at most [`MAX_TITLE_LINES`]) followed by a record that looks like column names (two or
/// more non-blank cells, mostly not numbers), itself followed by rows that mostly have two or
/// more non-blank cells too. 0 when the first record is the header.
fn title_lines(head: &[Record]) -> usize {
    let filled = |r: &Record| r.fields.iter().filter(|f| !f.trim().is_empty()).count();
    let t = head.iter().take(MAX_TITLE_LINES + 1).take_while(|r| filled(r) <= 1).count();
    if t == 0 || t > MAX_TITLE_LINES {
        return 0;
    }
    let Some(header) = head.get(t) else { return 0 };
    let width = filled(header);
    let numbers = header.fields.iter().filter(|f| crate::core::dataset::parse_number(f).is_some()).count();
    if width < 2 || numbers * 2 > width {
        return 0;
    }
    let below: Vec<usize> = head.iter().skip(t + 1).take(20).map(filled).collect();
    let wide = below.iter().filter(|&&n| n >= 2).count();
    if below.len() == 1 || wide * 5 < below.len() * 4 {
        return 0;
    }
    t
}

/// Where a never-closed quote was, once its record has been placed.
#[derive(Debug, Clone, Copy)]
enum QuotePlace {
    /// In a blank record.
    Blank,
    /// In the `k`-th non-blank record, before the header rows are known.
    Kept(usize),
    Header,
    Row(usize),
    /// In a row left out (a preview, an unfinished response).
    Dropped,
}

/// A ragged-row message: ready, or waiting for the names of the widened table.
enum Ragged {
    Ready(Diagnostic),
    Long { row: usize, line: usize, used: usize, extra: Vec<String> },
}

/// Data records → columns, one record at a time.
struct Rows<'l> {
    layout: &'l Layout,
    /// Column names from the header (blank and repeated ones fixed).
    names: &'l [String],
    drop_unfinished: bool,
    /// Rows expected (capacity hint for new columns).
    expect: usize,
    read: RowsRead,
    /// The trimmed fields of the record being read (its allocation reused from record to record).
    scratch: Vec<&'static str>,
}

/// What the data records became: the columns, each row's line, and what was noted on the way.
struct RowsRead {
    columns: Vec<CellsBuilder>,
    row_lines: Vec<usize>,
    dropped_rows: Vec<DroppedRow>,
    unfinished_rows: Vec<usize>,
    ragged: Vec<Ragged>,
    short: Capped,
    long: Capped,
}

/// An emptied vector of text slices, with its allocation, for slices that live elsewhere.
fn recycle<'b>(mut v: Vec<&str>) -> Vec<&'b str> {
    v.clear();
    v.into_iter().map(|_| "").collect()
}

/// `s.trim()`, at once when `s` starts and ends with a visible ASCII character (most cells).
fn trim_cell(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

impl<'l> Rows<'l> {
    fn new(layout: &'l Layout, names: &'l [String], drop_unfinished: bool, expect: usize) -> Self {
        Rows {
            layout,
            names,
            drop_unfinished,
            expect,
            read: RowsRead {
                columns: (0..names.len()).map(|_| CellsBuilder::new(expect)).collect(),
                row_lines: Vec::with_capacity(expect),
                dropped_rows: Vec::new(),
                unfinished_rows: Vec::new(),
                ragged: Vec::new(),
                short: Capped::new("with fewer cells than columns"),
                long: Capped::new("with more cells than column names"),
            },
            scratch: Vec::new(),
        }
    }

    /// Takes one non-blank data record; returns its data row number, or `None` when it is left out.
    /// Short rows are padded with blanks; extra non-blank cells widen the table.
    fn push<S: AsRef<str>>(&mut self, fields: &[S], line: usize) -> Option<usize> {
        let mut trimmed = recycle(std::mem::take(&mut self.scratch));
        trimmed.extend(fields.iter().map(|f| trim_cell(f.as_ref())));
        let row = self.push_trimmed(&trimmed, line);
        self.scratch = recycle(trimmed);
        row
    }

    fn push_trimmed(&mut self, fields: &[&str], line: usize) -> Option<usize> {
        if let Some(reason) = self.layout.drop_reason(fields) {
            self.read.dropped_rows.push(DroppedRow { line, reason });
            return None;
        }
        if self.layout.is_unfinished(fields) {
            if self.drop_unfinished {
                self.read.dropped_rows.push(DroppedRow {
                    line,
                    reason: format!(
                        "an unfinished response ({} = False), as you chose",
                        self.layout.finished_column.and_then(|c| self.names.get(c)).map_or("Finished", String::as_str)
                    ),
                });
                return None;
            }
            self.read.unfinished_rows.push(self.read.row_lines.len() + 1);
        }
        self.read.row_lines.push(line);
        let row = self.read.row_lines.len();
        let n = fields.len();
        let width_names = self.names.len();
        let used = fields.iter().rposition(|c| !c.is_empty()).map_or(0, |p| p + 1);
        if n < width_names {
            if self.read.short.admit() {
                let missing: Vec<String> = self.names.get(n..width_names).unwrap_or_default().to_vec();
                self.read.ragged.push(Ragged::Ready(Diagnostic { kind: DiagnosticKind::ShortRow, line: Some(line),
                    row: Some(row),
                    column: missing.first().cloned(),
                    message: format!(
                        "{} has {n} {} but there are {width_names} column names, so {} {} read as blank. Check this row in the file: a cell may be missing or two cells merged.",
                        where_row(row, line),
                        if n == 1 { "cell" } else { "cells" },
                        list_names(&missing),
                        if missing.len() == 1 { "is" } else { "are" },
                    ),
                }));
            }
        } else if used > width_names && self.read.long.admit() {
            let extra: Vec<String> = fields
                .get(width_names..)
                .unwrap_or_default()
                .iter()
                .filter(|c| !c.is_empty())
                .map(|c| shorten(c))
                .collect();
            self.read.ragged.push(Ragged::Long { row, line, used, extra });
        }
        while self.read.columns.len() < used {
            let mut col = CellsBuilder::new(self.expect);
            col.push_blanks(row - 1);
            self.read.columns.push(col);
        }
        for (c, col) in self.read.columns.iter_mut().enumerate() {
            col.push(fields.get(c).copied().unwrap_or(""));
        }
        Some(row)
    }
}

/// The distinct non-blank cells of column `c`, in order of first appearance.
fn distinct_cells(columns: &[Column], c: usize) -> Vec<String> {
    let Some(col) = columns.get(c) else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    let mut add = |x: &str| {
        let x = x.trim();
        if !x.is_empty() && !out.iter().any(|e| e == x) {
            out.push(x.to_string());
        }
    };
    match col.cells.dictionary() {
        Some((values, _)) => values.iter().for_each(|v| add(v)),
        None => col.cells.strs().for_each(add),
    }
    out
}

/// Reads a delimited text file with the user's settings: the table as in the file
/// ([`read_table`]), then, when `opts.long` is set, one row per participant
/// ([`reshape::long_to_wide_with`]; if that cannot be done, the long table is kept and the reason
/// given as a diagnostic), with the user's numbers for answers applied to the new columns too.
pub fn read_with_options(bytes: &[u8], file_name: &str, opts: &IngestOptions) -> Result<Dataset, IngestError> {
    Ok(with_options(read_table(bytes, file_name, opts)?, opts))
}

/// The table as in the file → one row per participant when asked, the user's numbers applied.
fn with_options(ds: Dataset, opts: &IngestOptions) -> Dataset {
    if opts.long.is_none() && opts.value_maps.is_empty() {
        return ds;
    }
    // The reading step applied the user's numbers to the columns of the file as laid out.
    let read_names = ds.column_names();
    let mut ds = match &opts.long {
        Some(long) => match reshape::long_to_wide_with(&ds, long) {
            Ok(wide) => wide,
            Err(e) => {
                let mut ds = ds;
                ds.diagnostics.insert(
                    0,
                    Diagnostic {
                        kind: DiagnosticKind::ReshapeFailed,
                        line: None,
                        row: None,
                        column: None,
                        message: format!("The file could not be turned into one row per participant: {e}"),
                    },
                );
                ds
            }
        },
        None => ds,
    };
    // The user's numbers for columns made by the reshape ("score_pre"), and for no column at all.
    let later: values::ValueMapOverrides =
        opts.value_maps.iter().filter(|(c, _)| !read_names.contains(c)).map(|(c, a)| (c.clone(), a.clone())).collect();
    let used = values::apply_value_map_overrides(&mut ds.value_maps, &ds.columns, &later);
    if !used.is_empty() {
        ds.notes.push(format!(
            "You changed the numbers of the answers in {} {}.",
            if used.len() == 1 { "column" } else { "columns" },
            list_names(&used)
        ));
    }
    let unknown: Vec<String> = later.keys().filter(|c| !used.contains(c)).cloned().collect();
    if !unknown.is_empty() {
        ds.notes.push(format!(
            "The numbers you set for the answers of {} were not used: the file has no such {}.",
            list_names(&unknown),
            if unknown.len() == 1 { "column" } else { "columns" }
        ));
    }
    ds
}

/// The first records of a text, read and recognised: the export's layout and column names.
struct Head {
    /// The first records (titles above the header removed).
    records: Vec<Record>,
    /// Blank lines just before each of the first records.
    head_blanks: Vec<usize>,
    /// One place per quote of `tok.open_quotes` so far.
    places: Vec<QuotePlace>,
    blank_inside: usize,
    pending_blank: usize,
    title_note: Option<String>,
    empty_first_lines: bool,
    layout: Layout,
    /// Column names, blank and repeated ones fixed.
    names: Vec<String>,
    /// What [`fix_names`] renamed, in words.
    renamed: Vec<String>,
    /// True when all the first records the layout is recognised from were there (a text that
    /// ends sooner, such as a file's first half, may not have shown the whole file's layout).
    full: bool,
}

/// True when every field is blank (an empty line, or a line of delimiters only).
fn is_blank(fields: &[Cow<'_, str>]) -> bool {
    fields.iter().all(|f| f.trim().is_empty())
}

/// Reads the first records: enough to recognise the export, its title and header rows.
fn read_head(tok: &mut tokenize::Tokenizer<'_>, delimiter: char, opts: &IngestOptions) -> Result<Head, IngestError> {
    let mut fields: Vec<Cow<'_, str>> = Vec::new();
    // One place per entry of `tok.open_quotes`.
    let mut places: Vec<QuotePlace> = Vec::new();
    // Blank records (empty lines, lines of separators) are not rows.
    let mut kept = 0usize;
    let mut blank_inside = 0usize;
    let mut pending_blank = 0usize;

    // 1. The first records: enough to recognise the export and its header rows.
    let head_len = opts.header_rows.unwrap_or(0).saturating_add(3).max(HEAD_RECORDS);
    let mut head: Vec<Record> = Vec::new();
    // Blank lines just before each of the first records.
    let mut head_blanks: Vec<usize> = Vec::new();
    while head.len() < head_len {
        let Some(line) = tok.next_fields(&mut fields) else { break };
        if is_blank(&fields) {
            places.resize(tok.open_quotes.len(), QuotePlace::Blank);
            pending_blank += 1;
            continue;
        }
        places.resize(tok.open_quotes.len(), QuotePlace::Kept(kept));
        if kept > 0 {
            blank_inside += pending_blank;
        }
        head_blanks.push(pending_blank);
        pending_blank = 0;
        kept += 1;
        head.push(Record { fields: fields.drain(..).map(Cow::into_owned).collect(), line });
    }
    if head.is_empty() {
        return Err(IngestError::NoHeader);
    }
    let full = head.len() >= head_len;

    // A title above the header (only when the header rows are recognised, not set by the user).
    let titles = if opts.header_rows.is_none() { title_lines(&head) } else { 0 };
    let mut title_note: Option<String> = None;
    if titles > 0 {
        let removed: Vec<Record> = head.drain(..titles).collect();
        // Blank lines among the titles and before the header are not "between rows".
        blank_inside -= head_blanks.iter().skip(1).take(titles).sum::<usize>().min(blank_inside);
        for p in places.iter_mut() {
            if let QuotePlace::Kept(k) = *p {
                *p = if k < titles { QuotePlace::Dropped } else { QuotePlace::Kept(k - titles) };
            }
        }
        let lines: Vec<String> = removed.iter().map(|r| r.line.to_string()).collect();
        let texts: Vec<String> = removed
            .iter()
            .map(|r| shorten(r.fields.iter().map(|f| f.trim()).find(|f| !f.is_empty()).unwrap_or_default()))
            .collect();
        title_note = Some(if removed.len() == 1 {
            format!(
                "Row {} looked like a title and was skipped (“{}”); the column names are on row {}.",
                lines.join(""),
                texts.join(""),
                head.first().map_or(0, |r| r.line)
            )
        } else {
            format!(
                "Rows {} looked like a title and were skipped ({}); the column names are on row {}.",
                list_names(&lines).replace(['“', '”'], ""),
                list_names(&texts),
                head.first().map_or(0, |r| r.line)
            )
        });
    }
    let empty_first_lines = head.first().map_or(0, |r| r.line.saturating_sub(1)) > 0
        && titles == 0
        && head_blanks.first().copied().unwrap_or(0) > 0;

    let layout = formats::recognise(&head, delimiter, opts.header_rows);
    if layout.header_rows > 0 && layout.names.iter().all(|n| n.trim().is_empty()) {
        return Err(IngestError::NoHeader);
    }
    let mut names = layout.names.clone();
    let renamed = fix_names(&mut names);
    Ok(Head {
        records: head,
        head_blanks,
        places,
        blank_inside,
        pending_blank,
        title_note,
        empty_first_lines,
        layout,
        names,
        renamed,
        full,
    })
}

/// Reads a delimited text file with the user's settings, as laid out in the file. The text is
/// read once, as a stream: the first records decide the layout, then every record goes straight
/// into the columns.
pub fn read_table(bytes: &[u8], file_name: &str, opts: &IngestOptions) -> Result<Dataset, IngestError> {
    Ok(finish(read_first(bytes, file_name, opts, bytes.len())?))
}

/// The file's first half (from its start to `part.start`) read as [`read_with_options`] reads a
/// whole file, joined with its second half read by [`split::read_part`]: the same dataset as
/// reading the whole file, or `Ok(None)` when the halves cannot be joined (the caller then
/// reads the whole file).
pub fn read_joined(
    first: &[u8],
    part: &split::Half<'_>,
    file_name: &str,
    opts: &IngestOptions,
) -> Result<Option<Dataset>, IngestError> {
    Ok(join_halves(read_first_half(first, file_name, opts, first.len() as u64 + part.bytes)?, part))
}

/// [`read_joined`] for small inputs (the `halves` fuzz target): the first half may be shorter
/// than [`split::MIN_FIRST_HALF`], so the caller must check that the reader's decisions on it
/// (encoding, delimiter) are the whole file's.
#[doc(hidden)]
pub fn read_joined_small(
    first: &[u8],
    part: &split::Half<'_>,
    file_name: &str,
    opts: &IngestOptions,
) -> Result<Option<Dataset>, IngestError> {
    Ok(join_at_least(read_first_half(first, file_name, opts, first.len() as u64 + part.bytes)?, part, 0))
}

/// Reads the first half of a file of `total` bytes (see [`split`]); the text can be let go
/// while the second half is read elsewhere, then [`join_halves`].
pub fn read_first_half(
    first: &[u8],
    file_name: &str,
    opts: &IngestOptions,
    total: u64,
) -> Result<FirstPass, IngestError> {
    read_first(first, file_name, opts, usize::try_from(total).unwrap_or(usize::MAX))
}

/// The whole file's dataset from its two halves, as [`read_with_options`] would read it; `None`
/// when they cannot be joined (the caller then reads the whole file).
pub fn join_halves(first: FirstPass, part: &split::Half<'_>) -> Option<Dataset> {
    join_at_least(first, part, split::MIN_FIRST_HALF)
}

/// [`join_halves`] with a first half of at least `min_first` bytes.
fn join_at_least(mut first: FirstPass, part: &split::Half<'_>, min_first: usize) -> Option<Dataset> {
    if first.bytes < min_first || first.bytes as u64 != part.start || !first.join(part) {
        return None;
    }
    let opts = first.opts.clone();
    Some(with_options(finish(first), &opts))
}

/// The delimiter: the user's, or the one that fits the start of the text best.
fn choose_delimiter(opts: &IngestOptions, text: &str) -> char {
    match opts.delimiter {
        Some(d) if d.is_ascii() && !matches!(d, '"' | '\r' | '\n') => d,
        _ => sniff::sniff_delimiter(text),
    }
}

/// Reads a text into columns ([`read_table`] up to the reading rules): a whole file, or the
/// first half of one (`total`: the whole file's length, for the rows to expect).
fn read_first(bytes: &[u8], file_name: &str, opts: &IngestOptions, total: usize) -> Result<FirstPass, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty);
    }
    let decoded = decode::decode(bytes)?;
    let text: &str = &decoded.text;
    let delimiter = choose_delimiter(opts, text);
    let mut tok = tokenize::Tokenizer::new(text, delimiter);
    let Head {
        records: head,
        head_blanks,
        mut places,
        mut blank_inside,
        mut pending_blank,
        title_note,
        empty_first_lines,
        layout,
        names,
        renamed,
        full,
    } = read_head(&mut tok, delimiter, opts)?;
    let mut fields: Vec<Cow<'_, str>> = Vec::new();

    // Rows to expect, from the bytes the first records took.
    let consumed = tok.position().max(1);
    let total = total.max(text.len());
    let expect = if consumed >= total {
        head.len()
    } else {
        (total as f64 / consumed as f64 * head.len() as f64 * 1.05) as usize + 16
    };
    let mut rows = Rows::new(&layout, &names, opts.drop_unfinished, expect);

    // 2. The data rows among the first records.
    let mut head_places = Vec::with_capacity(head.len());
    for (k, r) in head.iter().enumerate() {
        head_places.push(if k < layout.header_rows {
            QuotePlace::Header
        } else {
            rows.push(&r.fields, r.line).map_or(QuotePlace::Dropped, QuotePlace::Row)
        });
    }
    for p in places.iter_mut() {
        if let QuotePlace::Kept(k) = *p {
            *p = head_places.get(k).copied().unwrap_or(QuotePlace::Dropped);
        }
    }
    drop(head);

    // 3. Every other record, straight into the columns.
    while let Some(line) = tok.next_fields(&mut fields) {
        if is_blank(&fields) {
            places.resize(tok.open_quotes.len(), QuotePlace::Blank);
            pending_blank += 1;
            continue;
        }
        blank_inside += pending_blank;
        pending_blank = 0;
        let place = rows.push(&fields, line).map_or(QuotePlace::Dropped, QuotePlace::Row);
        places.resize(tok.open_quotes.len(), place);
    }

    let rows = rows.read;
    let (end_line, to_the_end) = (tok.line(), tok.position() == text.len());
    Ok(FirstPass {
        bytes: bytes.len(),
        file_name: file_name.to_string(),
        opts: opts.clone(),
        encoding: decoded.encoding,
        bom: decoded.bom,
        decode_notes: decoded.notes,
        delimiter,
        layout,
        names,
        renamed,
        first_blanks: head_blanks.first().copied().unwrap_or(0),
        title_note,
        empty_first_lines,
        places,
        open_quotes: tok.open_quotes,
        line_endings: tok.line_endings,
        end_line,
        to_the_end,
        head_full: full,
        blank_inside,
        pending_blank,
        rows,
    })
}

/// A text read into columns, before the reading rules are worked out (see [`read_first`]):
/// everything owned, so the text can be let go while the file's second half is still being
/// read elsewhere.
pub struct FirstPass {
    /// Bytes read.
    bytes: usize,
    file_name: String,
    opts: IngestOptions,
    encoding: &'static str,
    bom: bool,
    decode_notes: Vec<String>,
    delimiter: char,
    layout: Layout,
    names: Vec<String>,
    renamed: Vec<String>,
    /// Blank lines before the first record.
    first_blanks: usize,
    title_note: Option<String>,
    empty_first_lines: bool,
    places: Vec<QuotePlace>,
    open_quotes: Vec<tokenize::OpenQuote>,
    line_endings: tokenize::LineEndings,
    /// Physical line after the last one read.
    end_line: usize,
    /// True when the text was read to its end (and nothing joined since).
    to_the_end: bool,
    /// True when the layout was recognised from all the first records it is recognised from
    /// (so a first half's layout is the whole file's).
    head_full: bool,
    blank_inside: usize,
    pending_blank: usize,
    rows: RowsRead,
}

impl FirstPass {
    // The second half, read by a helper: joined when this half ends where it starts (no quote
    // left open) and both read rows with the same layout (see `split`).
    /// Joins the file's second half; false (and nothing changed) when it cannot be joined.
    fn join(&mut self, part: &split::Half<'_>) -> bool {
        let same_layout = part.layout_key == split::layout_key(self.delimiter, &self.layout, &self.names);
        if self.encoding != "UTF-8"
            || !self.decode_notes.is_empty()
            || !self.open_quotes.is_empty()
            || !same_layout
            || !self.to_the_end
            || !self.head_full
        {
            return false;
        }
        let line_offset = self.end_line - 1;
        if part.columns.len() > self.rows.columns.len() {
            return false;
        }
        for (builder, cells) in self.rows.columns.iter_mut().zip(&part.columns) {
            builder.append_encoded(*cells);
        }
        self.rows.row_lines.extend(part.row_lines().map(|l| l + line_offset));
        self.line_endings.crlf += part.line_endings.crlf;
        self.line_endings.lf += part.line_endings.lf;
        self.line_endings.cr += part.line_endings.cr;
        // Blank lines at the end of the file are not "between rows".
        if part.rows > 0 {
            self.blank_inside += self.pending_blank + part.lead_blank + part.inside_blank;
            self.pending_blank = 0;
        }
        self.to_the_end = false;
        true
    }
}

/// The reading rules and notes, once every row is in: the dataset.
fn finish(first: FirstPass) -> Dataset {
    let FirstPass {
        file_name,
        opts,
        encoding,
        bom,
        decode_notes,
        delimiter,
        mut layout,
        mut names,
        renamed,
        first_blanks,
        title_note,
        empty_first_lines,
        places,
        open_quotes,
        line_endings,
        blank_inside,
        rows,
        ..
    } = first;
    let RowsRead { columns: builders, row_lines, dropped_rows, unfinished_rows, ragged, short, long } = rows;
    let opts = &opts;
    let width_names = names.len();
    // Quotes never closed.
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for (q, place) in open_quotes.iter().zip(&places) {
        let column = names.get(q.field).cloned();
        let col_words = column.as_ref().map_or(String::new(), |c| format!(", column “{c}”"));
        let (row, place) = match *place {
            QuotePlace::Header => (None, format!("The column names (line {}{col_words})", q.line)),
            QuotePlace::Row(row) => (Some(row), format!("{}{col_words}", where_row(row, q.line))),
            QuotePlace::Kept(_) | QuotePlace::Dropped => (None, format!("Line {} of the file{col_words}", q.line)),
            QuotePlace::Blank => (None, format!("Line {} of the file", q.line)),
        };
        diagnostics.push(Diagnostic {
            kind: DiagnosticKind::UnclosedQuote,
            line: Some(q.line),
            row,
            column,
            message: format!(
                "{place}: a quotation mark opens a cell but is never closed. It was read as an ordinary character; \
                 if the cell should continue on the next lines, add the closing quotation mark in the file."
            ),
        });
    }

    // Ragged rows: short rows were padded; rows with extra non-blank cells widened the table.
    let width = builders.len();
    if width > width_names {
        let mut extra: Vec<String> = (width_names + 1..=width).map(|i| format!("column_{i}")).collect();
        let mut all = names.clone();
        all.append(&mut extra);
        fix_names(&mut all);
        names = all;
    }
    for r in ragged {
        diagnostics.push(match r {
            Ragged::Ready(d) => d,
            Ragged::Long { row, line, used, extra } => Diagnostic { kind: DiagnosticKind::LongRow, line: Some(line),
                row: Some(row),
                column: names.get(width_names).cloned(),
                message: format!(
                    "{} has {used} cells but only {width_names} column names; the extra {} ({}) {} kept in new columns. \
                     A cell may contain a {} that is not inside quotation marks.",
                    where_row(row, line),
                    if extra.len() == 1 { "cell" } else { "cells" },
                    list_names(&extra),
                    if extra.len() == 1 { "is" } else { "are" },
                    sniff::delimiter_name(delimiter),
                ),
            },
        });
    }
    short.finish(&mut diagnostics);
    long.finish(&mut diagnostics);

    let n_rows = row_lines.len();
    let columns: Vec<Column> = names
        .iter()
        .cloned()
        .zip(builders)
        .map(|(name, mut b)| {
            b.push_blanks(n_rows.saturating_sub(b.len()));
            Column { name, cells: b.finish() }
        })
        .collect();
    if layout.format == ExportFormat::Redcap {
        // Events and repeated forms, from every data row (recognising saw only the first ones).
        layout.notes = formats::redcap_layout_notes(&layout.names, &layout.metadata, &|c| distinct_cells(&columns, c));
    }

    // Reading rules.
    let missing_codes: Vec<String> = opts.missing_codes.iter().map(|c| c.trim().to_string()).collect();
    let is_missing = |c: &str| {
        let t = c.trim();
        t.is_empty() || missing_codes.iter().any(|m| m == t)
    };
    let metadata_columns: Vec<String> = layout.metadata.iter().filter_map(|&i| names.get(i).cloned()).collect();
    let mut value_maps = values::detect_value_maps(&columns, &is_missing, &metadata_columns);
    let edited_maps = values::apply_value_map_overrides(&mut value_maps, &columns, &opts.value_maps);
    let decimal_comma_columns = values::detect_decimal_comma(&columns, delimiter, opts.decimal_mark, &is_missing);

    // Notes: what the reader did, in words.
    let mut notes = vec![format!(
        "Read as {}{}, {}-separated, {}.",
        encoding,
        if bom { " (with a byte-order mark)" } else { "" },
        sniff::delimiter_name(delimiter),
        sniff::line_endings(line_endings)
    )];
    notes.extend(decode_notes);
    notes.extend(title_note);
    if empty_first_lines {
        let n = first_blanks;
        notes.push(format!(
            "The first {} of the file {} empty and {} skipped; the column names are on the line after.",
            if n == 1 { "line".to_string() } else { format!("{n} lines") },
            if n == 1 { "was" } else { "were" },
            if n == 1 { "was" } else { "were" },
        ));
    }
    notes.extend(layout.notes.iter().cloned());
    if !renamed.is_empty() {
        // At most a few renamings are spelled out (a wide file may have thousands).
        const SHOW_RENAMED: usize = 10;
        let more = renamed.len().saturating_sub(SHOW_RENAMED);
        let shown = renamed.get(..renamed.len().min(SHOW_RENAMED)).unwrap_or_default().join("; ");
        notes.push(if more > 0 {
            format!("Some column names were blank or repeated: {shown}; and {more} more.")
        } else {
            format!("Some column names were blank or repeated: {shown}.")
        });
    }
    if blank_inside > 0 {
        notes.push(format!(
            "Skipped {blank_inside} empty {} between rows.",
            if blank_inside == 1 { "line" } else { "lines" }
        ));
    }
    notes.extend(dropped_notes(&dropped_rows));
    if !unfinished_rows.is_empty() {
        let rs: Vec<String> = unfinished_rows.iter().map(|r| r.to_string()).collect();
        notes.push(format!(
            "{} {} marked unfinished by the survey tool ({} {}). {} kept; choose “leave out unfinished responses” to drop {}.",
            unfinished_rows.len(),
            if unfinished_rows.len() == 1 { "response is" } else { "responses are" },
            if unfinished_rows.len() == 1 { "row" } else { "rows" },
            list_names(&rs).replace(['“', '”'], ""),
            if unfinished_rows.len() == 1 { "It is" } else { "They are" },
            if unfinished_rows.len() == 1 { "it" } else { "them" },
        ));
    }
    notes.extend(values::describe_value_maps(&value_maps));
    if !edited_maps.is_empty() {
        notes.push(format!(
            "You changed the numbers of the answers in {} {}.",
            if edited_maps.len() == 1 { "column" } else { "columns" },
            list_names(&edited_maps)
        ));
    }
    if !decimal_comma_columns.is_empty() {
        notes.push(format!("Numbers with a decimal comma (“2,5” = 2.5) in {}.", list_names(&decimal_comma_columns)));
    }
    let counts = values::missing_code_counts(&columns, &missing_codes);
    if !counts.is_empty() {
        let parts: Vec<String> =
            counts.iter().map(|(c, n)| format!("{c}” ({n} {})", if *n == 1 { "cell" } else { "cells" })).collect();
        notes.push(format!(
            "Read as missing: “{}; blank cells are missing too. You can change this list.",
            parts.join(", “")
        ));
    }
    if n_rows == 0 {
        diagnostics.push(Diagnostic {
            kind: DiagnosticKind::NoRows,
            line: None,
            row: None,
            column: None,
            message: "The file has column names but no rows of answers below them.".into(),
        });
    } else if width == 1 {
        diagnostics.push(Diagnostic { kind: DiagnosticKind::OneColumn, line: None,
            row: None,
            column: names.first().cloned(),
            message: format!(
                "Only one column (“{}”) was found. If the file should have several columns, choose its separator by hand.",
                shorten(names.first().map_or("", String::as_str))
            ),
        });
    }

    let labels = layout.labels.iter().filter_map(|(i, l)| Some((names.get(*i)?.clone(), l.clone()))).collect();
    let source_headers = names
        .iter()
        .zip(&layout.names)
        .filter(|(n, h)| n.as_str() != h.trim())
        .map(|(n, h)| (n.clone(), h.trim().to_string()))
        .collect();
    Dataset {
        file: file_name,
        columns,
        n_rows,
        diagnostics,
        notes,
        encoding: encoding.to_string(),
        had_bom: bom,
        delimiter,
        format: layout.format,
        header_rows: layout.header_rows,
        labels,
        source_headers,
        metadata_columns,
        missing_codes,
        value_maps,
        decimal_comma_columns,
        dropped_rows,
        unfinished_rows,
        row_lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::dataset::ExportFormat;

    #[test]
    fn reads_simple_csv_with_bom_and_crlf() {
        let ds = read_csv(b"\xEF\xBB\xBFid,pre,post\r\n1,3,2\r\n2,4,\r\n", "a.csv").unwrap();
        assert_eq!(ds.column_names(), vec!["id", "pre", "post"]);
        assert_eq!(ds.n_rows, 2);
        assert_eq!(ds.column("post").unwrap().cells, vec!["2", ""]);
        assert!(ds.had_bom);
        assert_eq!(ds.encoding, "UTF-8");
        assert_eq!(ds.row_lines, vec![2, 3]);
    }

    #[test]
    fn semicolons_and_ragged_rows_are_reported_not_fatal() {
        let ds = read_csv(b"a;b;c\n1;2\n4;5;6;7\n", "b.csv").unwrap();
        assert_eq!(ds.delimiter, ';');
        assert_eq!(ds.n_rows, 2);
        assert_eq!(ds.diagnostics.len(), 2);
        assert_eq!(ds.diagnostics[0].row, Some(1));
        assert_eq!(ds.diagnostics[0].column.as_deref(), Some("c"));
        assert!(ds.diagnostics[0].message.starts_with("Row 1 (line 2 of the file)"), "{}", ds.diagnostics[0].message);
        assert_eq!(ds.diagnostics[1].row, Some(2));
        assert!(ds.diagnostics[1].message.contains("“7”"), "{}", ds.diagnostics[1].message);
        assert_eq!(ds.column("c").unwrap().cells, vec!["", "6"]);
        // The extra cell is kept, not lost.
        assert_eq!(ds.column("column_4").unwrap().cells, vec!["", "7"]);
    }

    #[test]
    fn trailing_empty_cells_are_not_ragged() {
        let ds = read_csv(b"a,b\n1,2,,\n3,4\n", "t.csv").unwrap();
        assert!(ds.diagnostics.is_empty(), "{:?}", ds.diagnostics);
        assert_eq!(ds.column_names(), vec!["a", "b"]);
    }

    #[test]
    fn junk_gives_a_plain_error() {
        assert_eq!(read_csv(b"", "e.csv"), Err(IngestError::Empty));
        assert_eq!(read_csv(b"\x00\x01\x02PK", "x.xlsx"), Err(IngestError::NotText));
        assert_eq!(read_csv(b",,,\n , ,\n", "n.csv"), Err(IngestError::NoHeader));
        // Invalid UTF-8 falls back to Windows-1252 instead of failing.
        let ds = read_csv(b"name,score\nJos\xe9,3\n", "w.csv").unwrap();
        assert_eq!(ds.column("name").unwrap().cells[0], "José");
        assert_eq!(ds.encoding, "Windows-1252");
    }

    #[test]
    fn duplicate_and_blank_headers_get_unique_names() {
        let ds = read_csv(b"x,x,\n1,2,3\n", "d.csv").unwrap();
        assert_eq!(ds.column_names(), vec!["x", "x_2", "column_3"]);
        assert!(ds.notes.iter().any(|n| n.contains("“x_2”")));
    }

    #[test]
    fn options_override_delimiter_header_rows_and_decimal_mark() {
        let bytes = b"title line\nid|score\n1|2,5\n";
        let opts = IngestOptions { delimiter: Some('|'), header_rows: Some(2), ..Default::default() };
        let ds = read_with_options(bytes, "o.csv", &opts).unwrap();
        assert_eq!(ds.column_names(), vec!["title line | id", "score"]);
        assert_eq!(ds.numeric("score").unwrap().0, vec![Some(2.5)]);
        let opts = IngestOptions {
            delimiter: Some('|'),
            header_rows: Some(2),
            decimal_mark: DecimalMark::Point,
            ..Default::default()
        };
        let ds = read_with_options(bytes, "o.csv", &opts).unwrap();
        assert_eq!(ds.numeric("score").unwrap().0, vec![None]);
        let none = IngestOptions { header_rows: Some(0), ..Default::default() };
        let ds = read_with_options(b"1,2\n3,4\n", "n.csv", &none).unwrap();
        assert_eq!(ds.column_names(), vec!["column_1", "column_2"]);
        assert_eq!(ds.n_rows, 2);
    }

    #[test]
    fn missing_codes_are_editable() {
        let bytes = b"x\n1\n-99\nNA\nskip\n";
        let ds = read_csv(bytes, "m.csv").unwrap();
        assert_eq!(ds.numeric("x").unwrap().0, vec![Some(1.0), None, None, None]);
        assert!(
            ds.notes.iter().any(|n| n.contains("Read as missing") && n.contains("“-99” (1 cell)")),
            "{:?}",
            ds.notes
        );
        let opts = IngestOptions { missing_codes: vec!["skip".into()], ..Default::default() };
        let ds = read_with_options(bytes, "m.csv", &opts).unwrap();
        let (v, d) = ds.numeric("x").unwrap();
        assert_eq!(v, vec![Some(1.0), Some(-99.0), None, None]);
        assert_eq!(d.len(), 1, "NA is now text, reported");
        assert_eq!(d[0].row, Some(3));
    }

    #[test]
    fn qualtrics_unfinished_rows_are_offered_then_dropped_on_request() {
        let text = "StartDate,EndDate,Status,Finished,Q1\n\
                    Start Date,End Date,Response Type,Finished,Score\n\
                    \"{\"\"ImportId\"\":\"\"startDate\"\"}\",x,x,x,x\n\
                    2024-01-01,2024-01-01,IP Address,True,4\n\
                    2024-01-01,2024-01-01,Survey Preview,True,9\n\
                    2024-01-02,2024-01-02,IP Address,False,2\n";
        let ds = read_csv(text.as_bytes(), "q.csv").unwrap();
        assert_eq!(ds.format, ExportFormat::Qualtrics);
        assert_eq!(ds.n_rows, 2);
        assert_eq!(ds.dropped_rows, vec![DroppedRow { line: 5, reason: ds.dropped_rows[0].reason.clone() }]);
        assert_eq!(ds.unfinished_rows, vec![2]);
        assert!(ds.notes.iter().any(|n| n.contains("Survey Preview") && n.contains("line 5")), "{:?}", ds.notes);
        assert!(ds.notes.iter().any(|n| n.contains("unfinished")));
        let opts = IngestOptions { drop_unfinished: true, ..Default::default() };
        let ds = read_with_options(text.as_bytes(), "q.csv", &opts).unwrap();
        assert_eq!(ds.n_rows, 1);
        assert_eq!(ds.column("Q1").unwrap().cells, vec!["4"]);
        assert_eq!(ds.dropped_rows.len(), 2);
        assert_eq!(ds.labels.iter().find(|(c, _)| c == "Q1").map(|(_, l)| l.as_str()), Some("Score"));
    }

    #[test]
    fn kobotoolbox_export_end_to_end() {
        let text =
            "start;end;respondent/code;respondent/arm;attitudes/q1;attitudes/hours;_id;_uuid;_submission_time\r\n\
                    2024-03-04;2024-03-04;P01;intervention;Agree;2,5;1;ab;2024-03-04\r\n\
                    2024-03-04;2024-03-04;P02;control;neutral;0,5;2;cd;2024-03-04\r\n";
        let ds = read_csv(text.as_bytes(), "kobo.csv").unwrap();
        assert_eq!(ds.format, ExportFormat::KoboToolbox);
        assert_eq!(ds.delimiter, ';');
        assert_eq!(ds.metadata_columns, vec!["start", "end", "_id", "_uuid", "_submission_time"]);
        assert_eq!(ds.numeric("attitudes/hours").unwrap().0, vec![Some(2.5), Some(0.5)]);
        assert_eq!(ds.numeric("attitudes/q1").unwrap().0, vec![Some(4.0), Some(3.0)]);
        assert!(
            ds.notes.iter().any(|n| n.contains("KoboToolbox") && n.contains("4 column names start with their group")),
            "{:?}",
            ds.notes
        );
    }

    #[test]
    fn redcap_export_end_to_end() {
        let text = "record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,help___1,help___2,score,survey_complete\n\
                    1,baseline_arm_1,,,1,0,3,2\n\
                    1,followup_arm_1,,,0,1,2,2\n\
                    1,followup_arm_1,contacts,1,,,,\n";
        let ds = read_csv(text.as_bytes(), "redcap.csv").unwrap();
        assert_eq!(ds.format, ExportFormat::Redcap);
        assert_eq!(ds.n_rows, 3);
        assert_eq!(
            ds.metadata_columns,
            vec!["redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance", "survey_complete"]
        );
        assert!(ds.notes.iter().any(|n| n.contains("checkbox question (“help”)")), "{:?}", ds.notes);
        assert!(ds.notes.iter().any(|n| n.contains("“baseline_arm_1” and “followup_arm_1”")), "{:?}", ds.notes);
        assert!(ds.notes.iter().any(|n| n.contains("“contacts”")), "{:?}", ds.notes);
        // The long layout can then be made one row per participant.
        let wide = reshape::long_to_wide(&ds, "record_id", "redcap_event_name").unwrap();
        assert_eq!(wide.n_rows, 1);
        assert_eq!(wide.numeric("score_baseline_arm_1").unwrap().0, vec![Some(3.0)]);
        assert_eq!(wide.numeric("score_followup_arm_1").unwrap().0, vec![Some(2.0)]);
    }

    #[test]
    fn google_forms_in_another_language() {
        let ds = read_csv("Marca temporal,Código,Edad\n3/4/2024 11:39:15,P01,30\n".as_bytes(), "g.csv").unwrap();
        assert_eq!(ds.format, ExportFormat::GoogleForms);
        assert_eq!(ds.metadata_columns, vec!["Marca temporal"]);
    }

    #[test]
    fn unterminated_quote_is_located() {
        let ds = read_csv(b"id,comment\n1,\"oops\n2,fine\n", "q.csv").unwrap();
        assert_eq!(ds.n_rows, 2);
        let d = &ds.diagnostics[0];
        assert_eq!(d.row, Some(1));
        assert_eq!(d.column.as_deref(), Some("comment"));
        assert!(d.message.starts_with("Row 1 (line 2 of the file), column “comment”"), "{}", d.message);
        assert_eq!(ds.column("comment").unwrap().cells, vec!["\"oops", "fine"]);
    }

    #[test]
    fn rows_after_the_first_records_are_read_like_the_first() {
        // Past the records read to recognise the layout: blank lines, a short row, a long row,
        // a quoted cell with a line break and an unclosed quote are all located as before.
        let mut text = String::from("id,group,score\n");
        for i in 1..=150 {
            text.push_str(&format!("{i},{},{}\n", if i % 2 == 0 { "a" } else { "b" }, i % 7));
        }
        text.push_str("\n\n151,a\n152,b,3,extra\n153,\"two\nlines\",4\n154,\"open,5\n");
        let ds = read_csv(text.as_bytes(), "s.csv").unwrap();
        assert_eq!(ds.n_rows, 154);
        assert_eq!(ds.column_names(), vec!["id", "group", "score", "column_4"]);
        assert_eq!(ds.column("column_4").unwrap().cells.str_at(151), Some("extra"));
        assert_eq!(ds.column("column_4").unwrap().cells.str_at(0), Some(""));
        assert_eq!(ds.column("group").unwrap().cells.str_at(152), Some("two\nlines"));
        assert_eq!(ds.row_lines[150..], [154, 155, 156, 158]);
        assert!(ds.notes.iter().any(|n| n.contains("Skipped 2 empty lines")), "{:?}", ds.notes);
        let rows: Vec<Option<usize>> = ds.diagnostics.iter().map(|d| d.row).collect();
        assert_eq!(rows, vec![Some(154), Some(151), Some(152)], "{:?}", ds.diagnostics);
        assert!(
            ds.diagnostics[0].message.starts_with("Row 154 (line 158 of the file), column “group”"),
            "{}",
            ds.diagnostics[0].message
        );
        assert!(
            ds.diagnostics[1].message.contains("has 2 cells but there are 3 column names"),
            "{}",
            ds.diagnostics[1].message
        );
        assert_eq!(ds.diagnostics[2].column.as_deref(), Some("column_4"));
        assert!(ds.diagnostics[2].message.contains("(“extra”)"), "{}", ds.diagnostics[2].message);
        assert_eq!(ds.numeric("score").unwrap().0[152], Some(4.0));
        assert_eq!(ds.numeric("score").unwrap().0[153], Some(5.0), "the unclosed quote is an ordinary character");
        assert_eq!(ds.column("group").unwrap().cells.str_at(153), Some("\"open"));
        // Few distinct values make dictionary columns (see `dataset::cells` for the text layout).
        assert_eq!(ds.column("group").unwrap().cells.dictionary().map(|(v, _)| v.len()), Some(4));
    }

    #[test]
    fn redcap_events_are_found_in_every_row() {
        let mut text = String::from("record_id,redcap_event_name,score,survey_complete\n");
        for i in 1..=150 {
            text.push_str(&format!("{i},{},{},2\n", if i <= 140 { "baseline_arm_1" } else { "followup_arm_1" }, i % 5));
        }
        let ds = read_csv(text.as_bytes(), "r.csv").unwrap();
        assert_eq!(ds.format, ExportFormat::Redcap);
        assert!(ds.notes.iter().any(|n| n.contains("“baseline_arm_1” and “followup_arm_1”")), "{:?}", ds.notes);
        assert!(ds.notes.iter().any(|n| n.contains("survey_complete")), "{:?}", ds.notes);
    }

    #[test]
    fn a_title_line_above_the_header_is_skipped_and_said() {
        // An Excel export: the title alone in the first cell of row 1, then the real header.
        let text = "Survey results — March 2025,,,\nid,group,pre,post\n1,a,3,2\n2,b,4,2\n3,a,5,4\n";
        let ds = read_csv(text.as_bytes(), "t.csv").unwrap();
        assert_eq!(ds.column_names(), vec!["id", "group", "pre", "post"]);
        assert_eq!(ds.n_rows, 3);
        assert_eq!(ds.row_lines, vec![3, 4, 5]);
        assert!(ds.diagnostics.is_empty(), "{:?}", ds.diagnostics);
        assert_eq!(ds.numeric("pre").unwrap().0, vec![Some(3.0), Some(4.0), Some(5.0)]);
        let note = ds.notes.iter().find(|n| n.contains("looked like a title")).expect("a note");
        assert_eq!(
            note,
            "Row 1 looked like a title and was skipped (“Survey results — March 2025”); the column names are on row 2."
        );
        // Two title lines and a blank line before the header: none of it is "between rows".
        let text = "Lantern pilot\nExported 2025-03-04\n\nid;score;group\nP1;3;a\nP2;4;b\n";
        let ds = read_csv(text.as_bytes(), "t2.csv").unwrap();
        assert_eq!(ds.column_names(), vec!["id", "score", "group"]);
        assert_eq!(ds.row_lines, vec![5, 6]);
        assert!(
            ds.notes.iter().any(|n| n.starts_with("Rows 1 and 2 looked like a title and were skipped")),
            "{:?}",
            ds.notes
        );
        assert!(!ds.notes.iter().any(|n| n.contains("empty line")), "{:?}", ds.notes);
        // A blank first row, then the header: read as before, and said.
        let ds = read_csv(b"\nid,score\n1,2\n2,3\n", "b.csv").unwrap();
        assert_eq!((ds.column_names(), ds.n_rows), (vec!["id".to_string(), "score".to_string()], 2));
        assert!(ds.notes.iter().any(|n| n.contains("The first line of the file was empty")), "{:?}", ds.notes);
    }

    #[test]
    fn files_without_a_title_read_as_before() {
        // One column: every line has one cell.
        let ds = read_csv(b"score\n1\n2\n", "one.csv").unwrap();
        assert_eq!((ds.column_names(), ds.n_rows), (vec!["score".to_string()], 2));
        // A header with one name above rows of numbers: the numbers are data, not names.
        let ds = read_csv(b"q,,,\n1,2,3,4\n5,6,7,8\n", "q.csv").unwrap();
        assert_eq!(ds.column_names()[0], "q");
        assert_eq!(ds.n_rows, 2);
        // A one-column file of comments where some comments hold a comma.
        let ds = read_csv(b"comment\nI liked it, thanks\nGood\nFine\nGreat, really\n", "c.csv").unwrap();
        assert_eq!(ds.column_names()[0], "comment");
        assert_eq!(ds.n_rows, 4);
        // Header rows set by the user: nothing is guessed.
        let opts = IngestOptions { header_rows: Some(1), ..Default::default() };
        let ds = read_with_options(b"Title\nid,score\n1,2\n", "u.csv", &opts).unwrap();
        assert_eq!(ds.column_names()[0], "Title");
        assert!(!ds.notes.iter().any(|n| n.contains("title")), "{:?}", ds.notes);
    }

    #[test]
    fn files_over_200_mb_get_a_plain_message_before_reading() {
        assert_eq!(too_large_message(0), None);
        assert_eq!(too_large_message(MAX_FILE_BYTES), None);
        assert_eq!(
            too_large_message(312_000_000).as_deref(),
            Some("This file is 312 MB; Lantern reads files up to 200 MB in the browser. Split it, or keep only the columns you need.")
        );
        // Just over the limit: a size that does not look like the limit itself.
        assert!(too_large_message(200_400_000).is_some_and(|m| m.starts_with("This file is 200.4 MB;")));
        assert!(too_large_message(5_000_000_000).is_some_and(|m| m.starts_with("This file is 5000 MB;")));
    }

    #[test]
    fn the_users_numbers_for_answers_override_the_detected_map() {
        let text = "id,q1,q2,mood\n1,Agree,Strongly agree,Great\n2,Neither agree nor disagree,Disagree,Bad\n3,Strongly disagree,Neutral,Great\n";
        let ds = read_csv(text.as_bytes(), "v.csv").unwrap();
        assert_eq!(ds.numeric("q1").unwrap().0, vec![Some(4.0), Some(3.0), Some(1.0)]);
        let detected = ds.value_map("q1").unwrap().clone();
        assert_eq!(detected.description, "5-point agree–disagree scale");
        let mut overrides = values::ValueMapOverrides::new();
        // "Neither …" read as missing (as some teams do), "Strongly agree" = 10.
        overrides.insert(
            "q1".into(),
            [("neither AGREE nor disagree".to_string(), None), ("strongly agree".to_string(), Some(10.0))]
                .into_iter()
                .collect(),
        );
        overrides.insert(
            "mood".into(),
            [("Great".to_string(), Some(1.0)), ("Bad".to_string(), Some(0.0))].into_iter().collect(),
        );
        overrides.insert("nope".into(), [("x".to_string(), Some(1.0))].into_iter().collect());
        let opts = IngestOptions { value_maps: overrides, ..Default::default() };
        let ds = read_with_options(text.as_bytes(), "v.csv", &opts).unwrap();
        let (q1, d) = ds.numeric("q1").unwrap();
        assert_eq!(q1, vec![Some(4.0), None, Some(1.0)]);
        assert!(d.is_empty(), "the answer is missing in q1, not a non-number: {d:?}");
        let m = ds.value_map("q1").unwrap();
        assert_eq!(m.description, "5-point agree–disagree scale, with your changes");
        assert_eq!(m.lookup("Strongly agree"), Some(10.0));
        assert_eq!(m.lookup("Disagree"), Some(2.0), "answers not given keep the detected number");
        assert_eq!(m.lookup("Neither agree nor disagree"), None);
        assert_eq!(m.missing, vec!["Neither agree nor disagree".to_string()], "spelled as in the file");
        // In q2, the same answer is still a number: the change is for q1 only.
        assert_eq!(ds.value_map("q2").unwrap().lookup("Neutral"), Some(3.0));
        // Only q1 changed: q2 keeps the detected scale.
        assert_eq!(ds.numeric("q2").unwrap().0, vec![Some(5.0), Some(2.0), Some(3.0)]);
        // A column without a detected map gets the user's.
        assert_eq!(ds.numeric("mood").unwrap().0, vec![Some(1.0), Some(0.0), Some(1.0)]);
        assert!(
            ds.notes.iter().any(|n| n.contains("You changed the numbers of the answers in columns “mood” and “q1”")),
            "{:?}",
            ds.notes
        );
        assert!(ds.notes.iter().any(|n| n.contains("“nope” were not used")), "{:?}", ds.notes);
        assert!(ds.notes.iter().any(|n| n.contains("“Neither agree nor disagree” = missing")), "{:?}", ds.notes);
        // The page sees every map in force, with its answers and numbers.
        let summary = ds.summary();
        let q1 = summary.value_maps.iter().find(|m| m.column == "q1").unwrap();
        assert_eq!(q1.entries.len(), 4);
        assert_eq!(q1.missing.len(), 1);
        assert_eq!(summary.missing.get("q1"), Some(&1));
        assert_eq!(summary.value_maps.iter().map(|m| m.column.as_str()).collect::<Vec<_>>(), vec!["q1", "q2", "mood"]);
    }

    #[test]
    fn a_long_file_is_read_as_one_row_per_participant_when_asked() {
        let text = "participant,time,group,q\nP1,post,int,Agree\nP1,pre,int,Disagree\nP2,pre,ctl,Neutral\nP2,post,ctl,Agree\nP3,pre,int,Strongly agree\nP3,pre,int,Agree\n";
        let ds = read_csv(text.as_bytes(), "long.csv").unwrap();
        let hint = ds.summary().long_layout.expect("looks long");
        assert_eq!((hint.id.as_str(), hint.wave.as_str()), ("participant", "time"));
        assert_eq!(hint.waves, vec!["pre", "post"], "time order, not file order");
        let mut overrides = values::ValueMapOverrides::new();
        // One for a column of the file (carried to both waves), one for a column made by the reshape.
        overrides.insert("q".into(), [("Agree".to_string(), Some(40.0))].into_iter().collect());
        overrides.insert("q_post".into(), [("Neutral".to_string(), None)].into_iter().collect());
        let long = reshape::LongLayout {
            id: "participant".into(),
            wave: "time".into(),
            waves: Some(vec!["pre".into(), "post".into()]),
        };
        let opts = IngestOptions { long: Some(long), value_maps: overrides, ..Default::default() };
        let ds = read_with_options(text.as_bytes(), "long.csv", &opts).unwrap();
        assert_eq!(ds.column_names(), vec!["participant", "group", "q_pre", "q_post"]);
        assert_eq!(ds.n_rows, 3);
        assert_eq!(ds.numeric("q_pre").unwrap().0, vec![Some(2.0), Some(3.0), Some(5.0)]);
        assert_eq!(ds.numeric("q_post").unwrap().0, vec![Some(40.0), Some(40.0), None]);
        // The repeated P3/pre row is located; P3 has no post row.
        assert!(
            ds.diagnostics
                .iter()
                .any(|d| d.row == Some(6) && d.message.contains("repeats participant “P3” at wave “pre”")),
            "{:?}",
            ds.diagnostics
        );
        assert!(
            ds.notes.iter().any(|n| n.contains("1 participant was not seen at every wave (“P3”)")),
            "{:?}",
            ds.notes
        );
        assert!(ds.summary().long_layout.is_none(), "wide now");
        // A reshape that cannot be done keeps the file as it is, and says why.
        let bad = IngestOptions {
            long: Some(reshape::LongLayout { id: "participant".into(), wave: "nope".into(), waves: None }),
            ..Default::default()
        };
        let ds = read_with_options(text.as_bytes(), "long.csv", &bad).unwrap();
        assert_eq!(ds.n_rows, 6);
        assert!(ds.diagnostics[0].message.contains("The column “nope” is not in this file."), "{:?}", ds.diagnostics);
    }
}
