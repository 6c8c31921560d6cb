//! Reading a big file in two halves at once: the engine's worker reads the first half while a
//! helper worker reads the second, on the machine's other core.
//!
//! The halves meet at the first line break after the middle of the file ([`split_after`]). The
//! helper does not know whether that line break is inside a quoted cell, nor how the first
//! half ends, so it reads its half as if the line break ended a record, with the layout it
//! recognises from the first bytes of the file, and refuses anything unusual (a never-closed
//! quote, a short, long, dropped or unfinished row, text that is not plain UTF-8). The first
//! half is read as usual; the two are joined only when the first half ends exactly there with
//! no quote left open and both recognised the same layout ([`super::read_joined`]). Then the
//! rows are exactly those of reading the file in one piece; otherwise the caller reads the
//! whole file in one piece. Tests compare the two ways on many files and every split point.

use super::tokenize::{LineEndings, Tokenizer};
use super::{choose_delimiter, decode, is_blank, read_head, IngestOptions, Rows};
use crate::core::dataset::cells::{self, Cells, Encoded};
use std::borrow::Cow;

/// Files at least this big are read in two halves (smaller ones are read faster than a
/// helper can be handed its half).
pub const SPLIT_MIN_BYTES: u64 = 8 * 1024 * 1024;

/// The line break where the halves meet is looked for in this many bytes after the middle.
pub const SPLIT_WINDOW: u64 = 1024 * 1024;

/// Bytes from the start of the file the helper reads to recognise the layout.
pub const HEAD_BYTES: u64 = 1024 * 1024;

/// The first half must be at least this long for its reading decisions to be the whole
/// file's: the encoding is decided on the first 4 KB, the delimiter on the first 64 KB, "is
/// this binary?" on the first million characters (at most 4 bytes each).
pub const MIN_FIRST_HALF: usize = 4_000_000;

/// Where to split a file of `size` bytes, or `None` when it is read in one piece. A little
/// after the middle: the helper also reads the file's first bytes and hands its columns over,
/// and it is a fresh worker for each file (its first pass runs cold), so it is given 45 % (in
/// Chromium on 2 cores, 1M rows: the two halves then end within a few milliseconds of each
/// other instead of the first waiting ≈ 30 ms).
pub fn middle(size: u64) -> Option<u64> {
    (size >= SPLIT_MIN_BYTES).then_some(size / 20 * 11)
}

/// The offset where the second half starts: just after the first `\n` at or after `mid`,
/// looked for in [`SPLIT_WINDOW`] bytes. `bytes` hold the file from offset `from` (≤ `mid`).
pub fn split_after(bytes: &[u8], from: u64, mid: u64) -> Option<u64> {
    let start = usize::try_from(mid.checked_sub(from)?).ok()?;
    let end = start.saturating_add(SPLIT_WINDOW as usize).min(bytes.len());
    let window = bytes.get(start..end)?;
    let at = window.iter().position(|&b| b == b'\n')?;
    Some(mid + at as u64 + 1)
}

/// Says which layout rows were read with: joined only when both halves agree.
pub(super) fn layout_key(delimiter: char, layout: &super::formats::Layout, names: &[String]) -> String {
    format!("{delimiter:?}\u{1}{layout:?}\u{1}{names:?}")
}

/// The second half of a file, read into columns by the helper.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// File offset where the half starts.
    pub start: u64,
    /// Its length in bytes.
    pub bytes: u64,
    pub(super) layout_key: String,
    /// One per column name, each with one cell per row of the half.
    pub(super) columns: Vec<Cells>,
    /// Physical line of each row, counted from the half's first line (1).
    pub(super) row_lines: Vec<usize>,
    pub(super) line_endings: LineEndings,
    /// Blank records before the half's first row, and between its rows (those after its last
    /// row are not "between rows").
    pub(super) lead_blank: usize,
    pub(super) inside_blank: usize,
}

/// Why the helper did not read its half (the caller then reads the file in one piece).
pub type NotSplit = &'static str;

/// Reads the second half of a file. `head`: the file's first bytes ([`HEAD_BYTES`] or all of
/// them); `part`: the file from offset `start` (found by [`split_after`]) to its end.
pub fn read_part(head: &[u8], part: &[u8], start: u64, opts: &IngestOptions) -> Result<Part, NotSplit> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let cut = head.iter().rposition(|&b| b == b'\n').ok_or("no complete line at the start")?;
    let head_text = std::str::from_utf8(head.get(..=cut).unwrap_or_default()).map_err(|_| "the start is not UTF-8")?;
    let text = std::str::from_utf8(part).map_err(|_| "not UTF-8")?;
    if text.contains('\0') || decode::looks_double_encoded(text) {
        return Err("text the reader would note");
    }
    let delimiter = choose_delimiter(opts, head_text);
    let mut head_tok = Tokenizer::new(head_text, delimiter);
    let head = read_head(&mut head_tok, delimiter, opts).map_err(|_| "no header at the start")?;
    let layout_key = layout_key(delimiter, &head.layout, &head.names);
    let per_record = head_tok.position().max(1) as f64 / head.records.len().max(1) as f64;
    let expect = (text.len() as f64 / per_record * 1.05) as usize + 16;
    let mut rows = Rows::new(&head.layout, &head.names, opts.drop_unfinished, expect);

    let mut tok = Tokenizer::new(text, delimiter);
    let mut fields: Vec<Cow<'_, str>> = Vec::new();
    let (mut lead_blank, mut inside_blank, mut pending) = (0usize, 0usize, 0usize);
    while let Some(line) = tok.next_fields(&mut fields) {
        if is_blank(&fields) {
            pending += 1;
            continue;
        }
        if rows.read.row_lines.is_empty() {
            lead_blank = pending;
        } else {
            inside_blank += pending;
        }
        pending = 0;
        if rows.push(&fields, line).is_none() {
            return Err("a row left out");
        }
    }
    if !tok.open_quotes.is_empty()
        || !rows.read.ragged.is_empty()
        || !rows.read.unfinished_rows.is_empty()
        || rows.read.columns.len() != head.names.len()
    {
        return Err("a row the reader would note");
    }
    let super::RowsRead { columns, row_lines, .. } = rows.read;
    Ok(Part {
        start,
        bytes: part.len() as u64,
        layout_key,
        columns: columns.into_iter().map(|b| b.finish()).collect(),
        row_lines,
        line_endings: tok.line_endings,
        lead_blank,
        inside_blank,
    })
}

const MAGIC: &[u8; 4] = b"LNP1";

fn take(input: &mut &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(cells::take(input, 8)?.try_into().ok()?))
}

fn take_usize(input: &mut &[u8]) -> Option<usize> {
    usize::try_from(take(input)?).ok()
}

impl Part {
    /// The half's header: what comes before its columns in [`Part::encode_to`].
    fn header(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(80 + self.layout_key.len());
        out.extend_from_slice(MAGIC);
        for n in [self.start, self.bytes, self.layout_key.len() as u64] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.extend_from_slice(self.layout_key.as_bytes());
        let LineEndings { crlf, lf, cr } = self.line_endings;
        for n in [crlf, lf, cr, self.lead_blank, self.inside_blank, self.row_lines.len(), self.columns.len()] {
            out.extend_from_slice(&(n as u64).to_le_bytes());
        }
        out
    }

    /// Bytes [`Part::encode_to`] writes.
    pub fn encoded_len(&self) -> usize {
        self.header().len() + 4 * self.row_lines.len() + self.columns.iter().map(Cells::encoded_len).sum::<usize>()
    }

    /// Writes the half as plain bytes, in pieces (the helper worker writes them straight into
    /// the buffer it hands over: no per-cell strings, no serde, no second copy of the whole).
    pub fn encode_to(&self, out: &mut dyn FnMut(&[u8])) {
        out(&self.header());
        cells::put_u32s(&self.row_lines, out);
        for c in &self.columns {
            c.encode_to(out);
        }
    }

    /// [`Part::encode_to`] into one buffer.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        self.encode_to(&mut |b| out.extend_from_slice(b));
        out
    }
}

/// A second half as handed over ([`Part::encode_to`]'s bytes), checked and read in place.
#[derive(Debug, Clone, PartialEq)]
pub struct Half<'b> {
    pub start: u64,
    pub bytes: u64,
    pub(super) layout_key: &'b str,
    pub(super) line_endings: LineEndings,
    pub(super) lead_blank: usize,
    pub(super) inside_blank: usize,
    pub(super) rows: usize,
    /// Each row's line, counted from the half's first line (`u32` each).
    row_lines: &'b [u8],
    pub(super) columns: Vec<Encoded<'b>>,
}

impl<'b> Half<'b> {
    /// Reads and checks the bytes; `None` (never a panic) when they are not such a half.
    pub fn decode(bytes: &'b [u8]) -> Option<Half<'b>> {
        let mut input = bytes.strip_prefix(MAGIC)?;
        let (start, len, key_len) = (take(&mut input)?, take(&mut input)?, take_usize(&mut input)?);
        let layout_key = std::str::from_utf8(input.get(..key_len)?).ok()?;
        input = input.get(key_len..)?;
        let mut n = [0usize; 7];
        for v in n.iter_mut() {
            *v = take_usize(&mut input)?;
        }
        let [crlf, lf, cr, lead_blank, inside_blank, rows, n_columns] = n;
        let row_lines = input.get(..rows.checked_mul(4)?)?;
        input = input.get(rows * 4..)?;
        let mut columns = Vec::with_capacity(n_columns.min(input.len()));
        for _ in 0..n_columns {
            columns.push(Encoded::take(&mut input, rows)?);
        }
        input.is_empty().then_some(Half {
            start,
            bytes: len,
            layout_key,
            line_endings: LineEndings { crlf, lf, cr },
            lead_blank,
            inside_blank,
            rows,
            row_lines,
            columns,
        })
    }

    /// Each row's line, counted from the half's first line.
    pub(super) fn row_lines(&self) -> impl Iterator<Item = usize> + '_ {
        cells::u32s(self.row_lines)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{read_table, read_with_options};
    use crate::core::dataset::Dataset;

    /// [`super::super::read_joined`] without its length rule (these files are small).
    fn joined(first: &[u8], name: &str, opts: &IngestOptions, part: &Half<'_>) -> Option<Dataset> {
        super::super::read_joined_small(first, part, name, opts).expect("the first half reads")
    }
    use super::*;
    use crate::core::xorshift64;

    /// A small survey export with the things that make splitting hard, picked at random: quoted
    /// cells holding delimiters, doubled quotes and line breaks, a quote never closed, CRLF / LF
    /// / CR line ends, blank lines, short and long rows, a title line, Qualtrics' three header
    /// rows with previews and unfinished responses, accented text.
    fn survey(seed: u64) -> String {
        let mut r = xorshift64(seed.wrapping_mul(0x9e37_79b9).wrapping_add(17));
        let mut pick = move |n: u64| (r() % n) as usize;
        let odds = [pick(4), pick(4), pick(5), pick(3), pick(4)];
        let end = ["\n", "\r\n", "\r", "\n"][pick(4)];
        let mut s = String::new();
        if pick(6) == 0 {
            s.push_str("Peer program evaluation 2026");
            s.push_str(end);
        }
        let qualtrics = pick(4) == 0;
        if qualtrics {
            for line in [
                "StartDate,Status,Finished,ResponseId,group,q1,q2,comment",
                "Start Date,Response Type,Finished,Response ID,Group,I would talk,I would ask,Comment",
                "{\"ImportId\":\"startDate\"},{\"ImportId\":\"status\"},{\"ImportId\":\"finished\"},{\"ImportId\":\"_recordId\"},{\"ImportId\":\"QID1\"},{\"ImportId\":\"QID2\"},{\"ImportId\":\"QID3\"},{\"ImportId\":\"QID4\"}",
            ] {
                s.push_str(line);
                s.push_str(end);
            }
        } else {
            s.push_str("id,group,q1,q2,pre,post,help,comment");
            s.push_str(end);
        }
        let rows = 120 + pick(200);
        for i in 0..rows {
            if odds[0] == 0 && pick(12) == 0 {
                s.push_str(end);
            }
            let comment = match pick(14) {
                0 if odds[1] == 0 => "\"a, b\"".to_string(),
                1 if odds[1] == 0 => "\"she said \"\"yes\"\"\"".to_string(),
                2 if odds[2] == 0 => format!("\"two{end}lines\""),
                3 if odds[3] == 0 && pick(8) == 0 => "\"never closed".to_string(),
                4 => "café".to_string(),
                5 => String::new(),
                _ => format!("note {}", pick(500)),
            };
            let mut cells: Vec<String> = if qualtrics {
                let status = if pick(30) == 0 { "Survey Preview" } else { "IP Address" };
                let finished = if pick(25) == 0 { "False" } else { "True" };
                vec![
                    format!("2026-03-{:02} 10:00", 1 + i % 28),
                    status.into(),
                    finished.into(),
                    format!("R_{i:05}"),
                    ["peer", "control"][pick(2)].into(),
                    pick(5).to_string(),
                    pick(5).to_string(),
                    comment,
                ]
            } else {
                let pre = 10 + pick(30);
                vec![
                    format!("P{i:04}"),
                    ["peer", "control", "Peer "][pick(3)].into(),
                    pick(5).to_string(),
                    pick(5).to_string(),
                    pre.to_string(),
                    (pre + pick(7) - 3).to_string(),
                    ["yes", "no", ""][pick(3)].into(),
                    comment,
                ]
            };
            if odds[4] == 0 && pick(20) == 0 {
                if pick(2) == 0 {
                    cells.truncate(5);
                } else {
                    cells.push("extra".into());
                }
            }
            s.push_str(&cells.join(","));
            if i + 1 < rows || pick(2) == 0 {
                s.push_str(end);
            }
        }
        s
    }

    fn options(seed: u64) -> IngestOptions {
        let mut opts = IngestOptions::default();
        if !seed.is_multiple_of(3) {
            opts.delimiter = Some(',');
        }
        opts.drop_unfinished = seed.is_multiple_of(5);
        opts
    }

    /// Where two datasets differ (the whole of a dataset is too long for a message).
    fn differ(a: &Dataset, b: &Dataset) -> String {
        let cols = a.columns.iter().zip(&b.columns).position(|(x, y)| x != y);
        let rest = |d: &Dataset| {
            let mut d = d.clone();
            d.columns.clear();
            d.row_lines.clear();
            format!("{d:?}")
        };
        format!("columns differ at {cols:?}, row lines equal {}; {} / {}", a.row_lines == b.row_lines, rest(a), rest(b))
    }

    /// Both halves, as the two workers read them; `Some(joined)` when they were joined.
    fn halves(text: &str, mid: usize, opts: &IngestOptions) -> Option<Dataset> {
        let bytes = text.as_bytes();
        let start = split_after(bytes, 0, mid as u64)?;
        // The helper finds the same place from its own bytes.
        assert_eq!(split_after(&bytes[mid..], mid as u64, mid as u64), Some(start));
        let head = &bytes[..bytes.len().min(HEAD_BYTES as usize)];
        let part = read_part(head, &bytes[start as usize..], start, opts).ok()?;
        // Handed over as bytes.
        let encoded = part.encode();
        assert_eq!(encoded.len(), part.encoded_len());
        let half = Half::decode(&encoded).expect("a half survives encoding");
        joined(&bytes[..start as usize], "survey.csv", opts, &half)
    }

    #[test]
    fn joined_halves_equal_the_file_read_in_one_piece_at_every_split() {
        let (mut joined, mut refused) = (0, 0);
        for seed in 0..40 {
            let text = survey(seed);
            let opts = options(seed);
            let whole = read_table(text.as_bytes(), "survey.csv", &opts).expect("the survey reads");
            for mid in (0..text.len()).step_by(31) {
                match halves(&text, mid, &opts) {
                    Some(ds) => {
                        assert!(ds == whole, "seed {seed}, split after byte {mid}: {}", differ(&ds, &whole));
                        joined += 1;
                    }
                    None => refused += 1,
                }
            }
        }
        // Both ways are taken often (the test would prove nothing if every split were refused).
        assert!(joined > 1_500 && refused > 1_000, "joined {joined}, refused {refused}");
    }

    #[test]
    fn a_first_half_too_short_to_show_the_layout_is_not_joined() {
        // Found by the `halves` fuzz target: read whole, the file's first record above its header
        // looks like a title; its first half alone has one record, read as the header. The
        // helper's head is as short, so both halves agreed on a layout that was not the file's.
        let data: &[u8] = b"\r;J\n[\";J";
        let opts = IngestOptions { delimiter: Some(';'), ..IngestOptions::default() };
        let part = read_part(data, &data[4..], 4, &opts).unwrap();
        assert_eq!(joined(&data[..4], "f.csv", &opts, &Half::decode(&part.encode()).unwrap()), None);
    }

    #[test]
    fn a_line_break_inside_a_quoted_cell_is_never_taken_for_the_end_of_a_row() {
        let mut text = String::from("id,comment,score\n");
        for i in 0..300 {
            text.push_str(&format!("{i},\"first line\nsecond, line\nthird\",{}\n", i % 9));
        }
        let opts = IngestOptions { delimiter: Some(','), ..IngestOptions::default() };
        let whole = read_table(text.as_bytes(), "survey.csv", &opts).unwrap();
        assert_eq!(whole.n_rows, 300);
        let mut joined = 0;
        for mid in (0..text.len()).step_by(5) {
            if let Some(ds) = halves(&text, mid, &opts) {
                assert!(ds == whole, "split after byte {mid}: {}", differ(&ds, &whole));
                joined += 1;
            }
        }
        // Only the line breaks that end rows (one in three) can join.
        assert!(joined > 300, "{joined}");
    }

    #[test]
    fn a_half_that_is_not_the_same_text_is_refused() {
        // A survey whose second half the helper reads (the first seed that has one).
        let (text, opts, start, part) = (0..)
            .find_map(|seed| {
                let (text, opts) = (survey(seed), options(seed));
                let bytes = text.as_bytes();
                let start = split_after(bytes, 0, bytes.len() as u64 / 2)? as usize;
                let part = read_part(bytes, &bytes[start..], start as u64, &opts).ok()?;
                Some((text, opts, start, part))
            })
            .unwrap();
        let bytes = text.as_bytes();
        // Another file's layout.
        let other = "a;b\n1;2\n3;4\n";
        let foreign = read_part(other.as_bytes(), b"5;6\n", start as u64, &IngestOptions::default()).unwrap();
        assert_eq!(joined(&bytes[..start], "s.csv", &opts, &Half::decode(&foreign.encode()).unwrap()), None);
        // Not UTF-8, or text the reader would note, in the second half.
        assert!(read_part(bytes, b"1,peer,\xff\n", start as u64, &opts).is_err());
        assert!(read_part(bytes, b"1,peer,\0\n", start as u64, &opts).is_err());
        // A first half in another encoding.
        let mut latin = b"id,name\n".to_vec();
        latin.extend(std::iter::repeat_n(b"1,caf\xe9\n".as_slice(), 50).flatten());
        let latin_start = latin.len() as u64;
        let tail = read_part(&latin[..8], b"2,x\n", latin_start, &IngestOptions::default());
        if let Ok(tail) = tail {
            assert_eq!(
                joined(&latin, "l.csv", &IngestOptions::default(), &Half::decode(&tail.encode()).unwrap()),
                None
            );
        }
        // read_joined wants the first half to end where the second starts, and to be long enough
        // for the reading decisions (encoding, delimiter) to be the whole file's.
        let enc = part.encode();
        let half = Half::decode(&enc).unwrap();
        assert_eq!(super::super::read_joined(&bytes[..start - 1], &half, "s.csv", &opts).unwrap(), None);
        assert_eq!(
            super::super::read_joined(&bytes[..start], &half, "s.csv", &opts).unwrap(),
            None,
            "first half too short"
        );
        // Truncated or damaged bytes are not a half.
        for cut in 0..enc.len() {
            assert_eq!(Half::decode(&enc[..cut]), None, "cut at {cut}");
        }
        let mut longer = enc.clone();
        longer.push(0);
        assert_eq!(Half::decode(&longer), None);
        assert_eq!((half.start, half.rows), (part.start, part.row_lines.len()));
    }

    #[test]
    fn a_big_file_read_in_halves_equals_it_read_in_one_piece() {
        // Long enough for the first half to decide the encoding, delimiter and "is it text?" as
        // the whole file would; the user's settings applied after joining too.
        let mut text = String::from("\u{FEFF}id,group,q1,q2,pre,post,help\r\n");
        let mut r = xorshift64(99);
        let mut i = 0;
        while text.len() < 2 * MIN_FIRST_HALF + 100_000 {
            let pre = 10 + r() % 30;
            text.push_str(&format!(
                "P{i:07},{},{},{},{pre},{},{}\r\n",
                ["peer", "control"][(r() % 2) as usize],
                r() % 5,
                r() % 5,
                pre + r() % 5,
                ["Yes", "No", "-99"][(r() % 3) as usize]
            ));
            i += 1;
        }
        let bytes = text.as_bytes();
        let opts = IngestOptions { missing_codes: vec!["-99".into()], ..IngestOptions::default() };
        let mid = middle(bytes.len() as u64 * 4).map(|m| m / 4).unwrap();
        let start = split_after(bytes, 0, mid).unwrap() as usize;
        let part = read_part(&bytes[..HEAD_BYTES as usize], &bytes[start..], start as u64, &opts).unwrap();
        let encoded = part.encode();
        let joined =
            super::super::read_joined(&bytes[..start], &Half::decode(&encoded).unwrap(), "big.csv", &opts).unwrap();
        let whole = read_with_options(bytes, "big.csv", &opts).unwrap();
        assert_eq!(joined.as_ref(), Some(&whole));
        assert_eq!(whole.n_rows, i);
        assert!(whole.notes.iter().any(|n| n.contains("byte-order mark")), "{:?}", whole.notes);
    }
}
