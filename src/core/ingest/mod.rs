//! File bytes → [`Dataset`]. Reading never fails as a whole: problems become located
//! [`Diagnostic`]s, and only a file with no usable header is an error.

use crate::core::dataset::{Column, Dataset, Diagnostic};
use std::fmt;

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
            IngestError::NoHeader => write!(f, "The first line of the file has no column names."),
        }
    }
}

/// Decodes bytes to text: UTF-8 (BOM removed). Returns the text and the encoding's name.
fn decode(bytes: &[u8]) -> Result<(String, &'static str), IngestError> {
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(bytes);
    if body.contains(&0) {
        return Err(IngestError::NotText);
    }
    match std::str::from_utf8(body) {
        Ok(s) => Ok((s.to_string(), "UTF-8")),
        // Not valid UTF-8: read as Windows-1252 (byte → char, the Excel "ANSI" default in the West).
        Err(_) => Ok((body.iter().map(|&b| cp1252(b)).collect(), "Windows-1252")),
    }
}

/// Windows-1252 byte to char (0x80–0x9F differ from Latin-1).
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
        '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    if (0x80..0xA0).contains(&b) {
        HIGH[(b - 0x80) as usize]
    } else {
        b as char
    }
}

/// Picks the delimiter that splits the first lines most consistently into more than one field.
fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let mut best = (b',', 0usize);
    for &d in &[b',', b';', b'\t', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| l.bytes().filter(|&b| b == d).count()).collect();
        let Some(&first) = counts.first() else { continue };
        if first == 0 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == first).count();
        let score = consistent * 1000 + first;
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

fn delimiter_name(d: u8) -> &'static str {
    match d {
        b';' => "semicolon",
        b'\t' => "tab",
        b'|' => "vertical bar",
        _ => "comma",
    }
}

/// Reads a delimited text file into a rectangular dataset.
pub fn read_csv(bytes: &[u8], file_name: &str) -> Result<Dataset, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty);
    }
    let (text, encoding) = decode(bytes)?;
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());

    let mut diagnostics = Vec::new();
    let mut header: Option<Vec<String>> = None;
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                diagnostics.push(Diagnostic {
                    row: if i == 0 { None } else { Some(i) },
                    column: None,
                    message: format!("A line could not be read and was skipped ({e})."),
                });
                continue;
            }
        };
        let fields: Vec<String> = rec.iter().map(|f| f.trim().to_string()).collect();
        if fields.iter().all(|f| f.is_empty()) {
            continue; // blank line
        }
        match header {
            None => header = Some(fields),
            Some(_) => rows.push(fields),
        }
    }
    let mut names = header.ok_or(IngestError::NoHeader)?;
    if names.iter().all(|n| n.is_empty()) {
        return Err(IngestError::NoHeader);
    }
    // Unique, non-empty names.
    for i in 0..names.len() {
        if names[i].is_empty() {
            names[i] = format!("column_{}", i + 1);
        }
        let base = names[i].clone();
        let mut k = 2;
        while names[..i].contains(&names[i]) {
            names[i] = format!("{base}_{k}");
            k += 1;
        }
    }
    let width = names.len();
    let mut cells: Vec<Vec<String>> = vec![Vec::with_capacity(rows.len()); width];
    for (r, mut row) in rows.into_iter().enumerate() {
        if row.len() != width {
            diagnostics.push(Diagnostic {
                row: Some(r + 1),
                column: None,
                message: format!(
                    "Row {} has {} cells but the header has {}; {}.",
                    r + 1,
                    row.len(),
                    width,
                    if row.len() < width { "the missing cells are read as blank" } else { "the extra cells are ignored" }
                ),
            });
            row.resize(width, String::new());
        }
        for (c, v) in row.into_iter().enumerate() {
            cells[c].push(v);
        }
    }
    let n_rows = cells.first().map_or(0, Vec::len);
    let columns = names.into_iter().zip(cells).map(|(name, cells)| Column { name, cells }).collect();
    Ok(Dataset {
        file: file_name.to_string(),
        columns,
        n_rows,
        diagnostics,
        notes: vec![format!("Read as {encoding}, {}-separated.", delimiter_name(delimiter))],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_simple_csv_with_bom_and_crlf() {
        let ds = read_csv(b"\xEF\xBB\xBFid,pre,post\r\n1,3,2\r\n2,4,\r\n", "a.csv").unwrap();
        assert_eq!(ds.column_names(), vec!["id", "pre", "post"]);
        assert_eq!(ds.n_rows, 2);
        assert_eq!(ds.column("post").unwrap().cells, vec!["2", ""]);
    }

    #[test]
    fn semicolons_and_ragged_rows_are_reported_not_fatal() {
        let ds = read_csv(b"a;b;c\n1;2\n4;5;6;7\n", "b.csv").unwrap();
        assert_eq!(ds.n_rows, 2);
        assert_eq!(ds.diagnostics.len(), 2);
        assert_eq!(ds.diagnostics[0].row, Some(1));
        assert_eq!(ds.column("c").unwrap().cells, vec!["", "6"]);
    }

    #[test]
    fn junk_gives_a_plain_error() {
        assert_eq!(read_csv(b"", "e.csv"), Err(IngestError::Empty));
        assert_eq!(read_csv(b"\x00\x01\x02PK", "x.xlsx"), Err(IngestError::NotText));
        // Invalid UTF-8 falls back to Windows-1252 instead of failing.
        let ds = read_csv(b"name,score\nJos\xe9,3\n", "w.csv").unwrap();
        assert_eq!(ds.column("name").unwrap().cells[0], "José");
    }

    #[test]
    fn duplicate_and_blank_headers_get_unique_names() {
        let ds = read_csv(b"x,x,\n1,2,3\n", "d.csv").unwrap();
        assert_eq!(ds.column_names(), vec!["x", "x_2", "column_3"]);
    }
}
