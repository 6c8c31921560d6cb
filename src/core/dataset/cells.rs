//! The cells of one column, stored compactly and built straight from the file's text.
//!
//! Two layouts, chosen per column while it is read:
//! - **dictionary**: each distinct text once, plus a one-byte code per row. Survey answers
//!   (groups, Likert items, yes/no, waves) have few distinct values, so a million-row column
//!   takes a megabyte and per-value work (number parsing, missing codes, value maps) is done
//!   once per distinct value instead of once per row.
//! - **text**: one buffer with every cell's text back to back, plus where each cell ends. A
//!   column switches to it when it has more than [`MAX_DISTINCT`] distinct values (ids, scores).
//!
//! The fast accessors ([`Cells::str_at`], [`Cells::strs`], [`Cells::dictionary`]) never
//! allocate. For code written against the former `Vec<String>` field, [`Cells::iter`],
//! [`Cells::get`], indexing and `&cells` iteration still give `&String`: free for a dictionary
//! column, and for a text column from one `Vec<String>` made on first such use and kept.

use std::fmt;
use std::ops::Index;
use std::sync::OnceLock;

/// Distinct values a dictionary column may hold (one-byte codes).
pub const MAX_DISTINCT: usize = 256;

/// What `Index` and `iter` give for a code that has no value (never happens by construction).
static EMPTY: String = String::new();

#[derive(Clone)]
enum Repr {
    /// Distinct values in order of first appearance; one code (an index into `values`) per row.
    Dict { values: Vec<String>, codes: Vec<u8> },
    /// All cells back to back in `buf`; cell `i` ends at `ends[i]` and starts where `i - 1` ends.
    Text { buf: String, ends: Vec<usize> },
}

impl Repr {
    /// Number of cells (rows).
    fn len(&self) -> usize {
        match self {
            Repr::Dict { codes, .. } => codes.len(),
            Repr::Text { ends, .. } => ends.len(),
        }
    }
}

/// A column's cells (trimmed text as read; blank cells are empty).
pub struct Cells {
    repr: Repr,
    /// One `String` per cell of a text column, made on first use of a `Vec<String>`-style accessor.
    owned: OnceLock<Vec<String>>,
}

impl Default for Cells {
    fn default() -> Self {
        Cells::from_repr(Repr::Dict { values: Vec::new(), codes: Vec::new() })
    }
}

impl Clone for Cells {
    fn clone(&self) -> Self {
        Cells::from_repr(self.repr.clone())
    }
}

impl Cells {
    fn from_repr(repr: Repr) -> Cells {
        Cells { repr, owned: OnceLock::new() }
    }

    pub fn new() -> Cells {
        Cells::default()
    }

    /// Number of cells (rows).
    pub fn len(&self) -> usize {
        self.repr.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text of cell `i` (no allocation).
    pub fn str_at(&self, i: usize) -> Option<&str> {
        match &self.repr {
            Repr::Dict { values, codes } => codes.get(i).and_then(|&c| values.get(usize::from(c))).map(String::as_str),
            Repr::Text { buf, ends } => {
                let end = *ends.get(i)?;
                let start = if i == 0 { 0 } else { ends.get(i - 1).copied().unwrap_or(0) };
                buf.get(start..end)
            }
        }
    }

    /// Every cell's text in row order (no allocation).
    pub fn strs(&self) -> Strs<'_> {
        match &self.repr {
            Repr::Dict { values, codes } => Strs::Dict { values, codes: codes.iter() },
            Repr::Text { buf, ends } => Strs::Text { buf, ends: ends.iter(), start: 0 },
        }
    }

    /// For a dictionary column: its distinct values (in order of first appearance) and the code
    /// of each row. `None` for a text column.
    pub fn dictionary(&self) -> Option<(&[String], &[u8])> {
        match &self.repr {
            Repr::Dict { values, codes } => Some((values, codes)),
            Repr::Text { .. } => None,
        }
    }

    /// True when some cell contains `c` (one scan of the column's text).
    pub fn any_contains(&self, c: char) -> bool {
        match &self.repr {
            Repr::Dict { values, .. } => values.iter().any(|v| v.contains(c)),
            Repr::Text { buf, .. } => buf.contains(c),
        }
    }

    /// The cells as `String`s, made once for a text column.
    fn owned(&self) -> &[String] {
        self.owned.get_or_init(|| self.strs().map(str::to_string).collect())
    }

    /// Cell `i` as a `&String` (see the module notes on cost).
    pub fn get(&self, i: usize) -> Option<&String> {
        match &self.repr {
            Repr::Dict { values, codes } => codes.get(i).and_then(|&c| values.get(usize::from(c))),
            Repr::Text { .. } => self.owned().get(i),
        }
    }

    /// Every cell as a `&String`, in row order (see the module notes on cost).
    pub fn iter(&self) -> Iter<'_> {
        match &self.repr {
            Repr::Dict { values, codes } => Iter::Dict { values, codes: codes.iter() },
            Repr::Text { .. } => Iter::Owned(self.owned().iter()),
        }
    }

    /// Builds cells from text, one cell per item.
    pub fn from_strs<'s>(cells: impl IntoIterator<Item = &'s str>) -> Cells {
        let mut b = CellsBuilder::new(0);
        for c in cells {
            b.push(c);
        }
        b.finish()
    }
}

/// Little-endian `u32`s and byte strings, for [`Cells::encode_to`] and [`Encoded`].
fn u32_bytes(n: usize) -> [u8; 4] {
    u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes()
}

pub(crate) fn take<'b>(input: &mut &'b [u8], n: usize) -> Option<&'b [u8]> {
    let (head, rest) = (input.get(..n)?, input.get(n..)?);
    *input = rest;
    Some(head)
}

/// Writes `values` as little-endian `u32`s to `out`, a few thousand at a time.
pub(crate) fn put_u32s(values: &[usize], out: &mut dyn FnMut(&[u8])) {
    let mut piece: Vec<u8> = Vec::with_capacity(4 * 16_384);
    for chunk in values.chunks(16_384) {
        piece.clear();
        chunk.iter().for_each(|&v| piece.extend_from_slice(&u32_bytes(v)));
        out(&piece);
    }
}

fn take_u32(input: &mut &[u8]) -> Option<usize> {
    let b = take(input, 4)?;
    Some(u32::from_le_bytes(b.try_into().ok()?) as usize)
}

/// The `u32`s of `b`, little-endian, as `usize`.
pub(crate) fn u32s(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    b.chunks_exact(4).map(|c| c.try_into().map_or(0, u32::from_le_bytes) as usize)
}

/// Cells in the compact binary form of [`Cells::encode_to`], checked, read in place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Encoded<'b> {
    /// Values (each: length, bytes), then one code byte per row.
    Dict { values: &'b [u8], n_values: usize, codes: &'b [u8] },
    /// All cells' text, then where each ends (`u32` per row).
    Text { buf: &'b str, ends: &'b [u8] },
}

impl<'b> Encoded<'b> {
    /// Reads one column of `rows` cells from the front of `input`, checking everything a
    /// reader relies on (valid UTF-8, codes within the values, ends in order and on character
    /// boundaries); `None`, never a panic, when the bytes are not such cells.
    pub fn take(input: &mut &'b [u8], rows: usize) -> Option<Encoded<'b>> {
        match *take(input, 1)?.first()? {
            0 => {
                let n_values = take_u32(input)?;
                if n_values > MAX_DISTINCT {
                    return None;
                }
                let before = *input;
                for _ in 0..n_values {
                    let len = take_u32(input)?;
                    std::str::from_utf8(take(input, len)?).ok()?;
                }
                let values = before.get(..before.len() - input.len())?;
                if take_u32(input)? != rows {
                    return None;
                }
                let codes = take(input, rows)?;
                codes.iter().all(|&c| usize::from(c) < n_values).then_some(Encoded::Dict { values, n_values, codes })
            }
            1 => {
                let len = take_u32(input)?;
                let buf = std::str::from_utf8(take(input, len)?).ok()?;
                if take_u32(input)? != rows {
                    return None;
                }
                let ends = take(input, rows.checked_mul(4)?)?;
                let mut last = 0;
                for e in u32s(ends) {
                    if e < last || !buf.is_char_boundary(e) {
                        return None;
                    }
                    last = e;
                }
                (rows == 0 || last == buf.len()).then_some(Encoded::Text { buf, ends })
            }
            _ => None,
        }
    }

    /// A dictionary column's values, in order.
    fn values(values: &'b [u8]) -> impl Iterator<Item = &'b str> {
        let mut input = values;
        std::iter::from_fn(move || {
            let len = take_u32(&mut input)?;
            std::str::from_utf8(take(&mut input, len)?).ok()
        })
    }
}

impl Cells {
    /// Writes the cells in a compact binary form, in pieces, to `out` (how a helper worker
    /// hands its half of a file over: plain bytes, no per-cell strings, no serde). A column is
    /// far below 4 GB.
    pub fn encode_to(&self, out: &mut dyn FnMut(&[u8])) {
        match &self.repr {
            Repr::Dict { values, codes } => {
                out(&[0]);
                out(&u32_bytes(values.len()));
                for v in values {
                    out(&u32_bytes(v.len()));
                    out(v.as_bytes());
                }
                out(&u32_bytes(codes.len()));
                out(codes);
            }
            Repr::Text { buf, ends } => {
                out(&[1]);
                out(&u32_bytes(buf.len()));
                out(buf.as_bytes());
                out(&u32_bytes(ends.len()));
                put_u32s(ends, out);
            }
        }
    }

    /// Bytes [`Cells::encode_to`] writes.
    pub fn encoded_len(&self) -> usize {
        match &self.repr {
            Repr::Dict { values, codes } => 1 + 4 + values.iter().map(|v| 4 + v.len()).sum::<usize>() + 4 + codes.len(),
            Repr::Text { buf, ends } => 1 + 4 + buf.len() + 4 + 4 * ends.len(),
        }
    }
}

/// Iterator over a column's cells as `&str`.
pub enum Strs<'a> {
    Dict { values: &'a [String], codes: std::slice::Iter<'a, u8> },
    Text { buf: &'a str, ends: std::slice::Iter<'a, usize>, start: usize },
}

impl<'a> Iterator for Strs<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Strs::Dict { values, codes } => {
                codes.next().map(|&c| values.get(usize::from(c)).map_or("", String::as_str))
            }
            Strs::Text { buf, ends, start } => {
                let end = *ends.next()?;
                let cell = buf.get(*start..end).unwrap_or_default();
                *start = end;
                Some(cell)
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Strs::Dict { codes, .. } => codes.size_hint(),
            Strs::Text { ends, .. } => ends.size_hint(),
        }
    }
}

impl ExactSizeIterator for Strs<'_> {}

/// Iterator over a column's cells as `&String`.
pub enum Iter<'a> {
    Dict { values: &'a [String], codes: std::slice::Iter<'a, u8> },
    Owned(std::slice::Iter<'a, String>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a String;

    fn next(&mut self) -> Option<&'a String> {
        match self {
            Iter::Dict { values, codes } => codes.next().map(|&c| values.get(usize::from(c)).unwrap_or(&EMPTY)),
            Iter::Owned(it) => it.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::Dict { codes, .. } => codes.size_hint(),
            Iter::Owned(it) => it.size_hint(),
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Cells {
    type Item = &'a String;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl Index<usize> for Cells {
    type Output = String;

    /// Cell `i`; an empty text past the end (never a panic).
    fn index(&self, i: usize) -> &String {
        self.get(i).unwrap_or(&EMPTY)
    }
}

impl fmt::Debug for Cells {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.strs()).finish()
    }
}

impl PartialEq for Cells {
    /// Equal when every cell's text is (whatever the layouts).
    fn eq(&self, other: &Cells) -> bool {
        self.len() == other.len() && self.strs().eq(other.strs())
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for Cells {
    fn eq(&self, other: &Vec<S>) -> bool {
        self.len() == other.len() && self.strs().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl<S: AsRef<str>> PartialEq<[S]> for Cells {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.strs().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl FromIterator<String> for Cells {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Cells {
        let mut b = CellsBuilder::new(0);
        for c in iter {
            b.push(&c);
        }
        b.finish()
    }
}

impl<'s> FromIterator<&'s str> for Cells {
    fn from_iter<I: IntoIterator<Item = &'s str>>(iter: I) -> Cells {
        Cells::from_strs(iter)
    }
}

impl From<Vec<String>> for Cells {
    fn from(v: Vec<String>) -> Cells {
        v.into_iter().collect()
    }
}

impl From<Vec<&str>> for Cells {
    fn from(v: Vec<&str>) -> Cells {
        Cells::from_strs(v)
    }
}

/// Hash slots of the builder's dictionary index (a power of two, 4 × [`MAX_DISTINCT`]).
const SLOTS: usize = 4 * MAX_DISTINCT;
const SLOT_BITS: u32 = SLOTS.trailing_zeros();

/// The first eight bytes of a text, packed: with the length, it tells short texts apart
/// without a call to compare memory (most survey cells are one to eight bytes long).
fn key_of(s: &str) -> u64 {
    s.as_bytes().iter().take(8).enumerate().fold(0u64, |k, (i, &b)| k | (u64::from(b) << (8 * i)))
}

fn slot_of(key: u64, len: usize) -> usize {
    ((key ^ (len as u64).rotate_right(8)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - SLOT_BITS)) as usize
}

/// Builds a column cell by cell: a dictionary while it has few distinct values, text after.
pub struct CellsBuilder {
    repr: Repr,
    /// (key, length) of each dictionary value (see [`key_of`]).
    keys: Vec<(u64, usize)>,
    /// Open-addressing index of the dictionary (value index + 1; 0 = empty). Even with two or
    /// five values, one hashed probe beats comparing them in turn (no unpredictable branches).
    slots: Vec<u16>,
    /// Expected number of cells (capacity hint).
    expect: usize,
}

impl CellsBuilder {
    /// A builder expecting about `expect` cells.
    pub fn new(expect: usize) -> CellsBuilder {
        CellsBuilder {
            repr: Repr::Dict { values: Vec::new(), codes: Vec::with_capacity(expect) },
            keys: Vec::new(),
            slots: vec![0; SLOTS],
            expect,
        }
    }

    pub fn len(&self) -> usize {
        self.repr.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The dictionary code of `cell`, adding it when new; `None` when the dictionary is full.
    fn code(values: &mut Vec<String>, keys: &mut Vec<(u64, usize)>, slots: &mut [u16], cell: &str) -> Option<u8> {
        let (key, len) = (key_of(cell), cell.len());
        let same =
            |i: usize| len <= 8 || values.get(i).is_some_and(|v| v.as_bytes().get(8..) == cell.as_bytes().get(8..));
        let mut s = slot_of(key, len);
        loop {
            match slots.get(s).copied() {
                Some(0) | None => break,
                Some(k) => {
                    let i = usize::from(k) - 1;
                    if keys.get(i) == Some(&(key, len)) && same(i) {
                        return u8::try_from(i).ok();
                    }
                }
            }
            s = (s + 1) & (SLOTS - 1);
        }
        if values.len() >= MAX_DISTINCT {
            return None;
        }
        // `s` is the free slot the probe ended on.
        let i = values.len();
        values.push(cell.to_string());
        keys.push((key, len));
        if let Some(slot) = slots.get_mut(s) {
            *slot = u16::try_from(i + 1).unwrap_or(0);
        }
        u8::try_from(i).ok()
    }

    /// Appends one cell.
    pub fn push(&mut self, cell: &str) {
        if let Repr::Dict { values, codes } = &mut self.repr {
            match Self::code(values, &mut self.keys, &mut self.slots, cell) {
                Some(c) => {
                    codes.push(c);
                    return;
                }
                None => self.switch_to_text(),
            }
        }
        if let Repr::Text { buf, ends } = &mut self.repr {
            buf.push_str(cell);
            ends.push(buf.len());
        }
    }

    /// Appends `n` blank cells.
    pub fn push_blanks(&mut self, n: usize) {
        for _ in 0..n {
            self.push("");
        }
    }

    /// Switches a full dictionary to the text layout.
    fn switch_to_text(&mut self) {
        let Repr::Dict { values, codes } = &self.repr else { return };
        let cap = self.expect.max(codes.len());
        let avg = (values.iter().map(String::len).sum::<usize>() / values.len().max(1)).max(1);
        let mut buf = String::with_capacity(cap.saturating_mul(avg + 1));
        let mut ends = Vec::with_capacity(cap);
        for &c in codes {
            buf.push_str(values.get(usize::from(c)).map_or("", String::as_str));
            ends.push(buf.len());
        }
        self.repr = Repr::Text { buf, ends };
        self.slots = Vec::new();
        self.keys = Vec::new();
    }

    /// Appends encoded cells ([`Encoded::take`]), as if each had been pushed in turn, straight
    /// from the bytes (no copy of the column in between).
    pub fn append_encoded(&mut self, other: Encoded<'_>) {
        match other {
            Encoded::Dict { values: other_values, n_values, codes: other_codes } => {
                let mut map: Vec<u8> = Vec::with_capacity(n_values);
                if let Repr::Dict { values, codes } = &mut self.repr {
                    for v in Encoded::values(other_values) {
                        match Self::code(values, &mut self.keys, &mut self.slots, v) {
                            Some(c) => map.push(c),
                            None => break,
                        }
                    }
                    if map.len() == n_values {
                        codes.reserve(other_codes.len());
                        codes.extend(other_codes.iter().map(|&c| map.get(usize::from(c)).copied().unwrap_or(0)));
                        return;
                    }
                }
                let texts: Vec<&str> = Encoded::values(other_values).collect();
                for &c in other_codes {
                    self.push(texts.get(usize::from(c)).copied().unwrap_or(""));
                }
            }
            Encoded::Text { buf: other_buf, ends: other_ends } => {
                if let Repr::Text { buf, ends } = &mut self.repr {
                    let at = buf.len();
                    buf.push_str(other_buf);
                    ends.extend(u32s(other_ends).map(|e| e + at));
                    return;
                }
                let mut start = 0;
                for end in u32s(other_ends) {
                    self.push(other_buf.get(start..end).unwrap_or(""));
                    start = end;
                }
            }
        }
    }

    pub fn finish(self) -> Cells {
        let repr = match self.repr {
            Repr::Dict { values, mut codes } => {
                codes.shrink_to_fit();
                Repr::Dict { values, codes }
            }
            Repr::Text { mut buf, mut ends } => {
                buf.shrink_to_fit();
                ends.shrink_to_fit();
                Repr::Text { buf, ends }
            }
        };
        Cells::from_repr(repr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionary_then_text_with_the_same_cells() {
        let few: Vec<String> = (0..1000).map(|i| ["yes", "no", ""][i % 3].to_string()).collect();
        let c: Cells = few.iter().cloned().collect();
        assert!(c.dictionary().is_some());
        assert_eq!(c, few);
        assert_eq!(c.len(), 1000);
        assert_eq!(c[4], "no");
        assert_eq!(c.get(1000), None);
        assert_eq!(c[1000], "");
        let many: Vec<String> = (0..1000).map(|i| format!("{}", i % 300)).collect();
        let m: Cells = many.iter().map(String::as_str).collect();
        assert!(m.dictionary().is_none(), "more than {MAX_DISTINCT} distinct values");
        assert_eq!(m, many);
        assert_eq!(m.str_at(299), Some("299"));
        assert_eq!(m.get(301).map(String::as_str), Some("1"));
        assert_eq!(m.iter().filter(|s| *s == "7").count(), 4);
        assert_eq!((&m).into_iter().count(), 1000);
        assert!(m.any_contains('9') && !m.any_contains(','));
        assert_eq!(m.clone(), m);
        assert_eq!(format!("{:?}", Cells::from(vec!["a", ""])), "[\"a\", \"\"]");
    }

    /// Cells from `n` rows: `distinct` values cycling, with a blank every seventh row.
    fn column(n: usize, distinct: usize, offset: usize) -> Vec<String> {
        (0..n).map(|i| if i % 7 == 3 { String::new() } else { format!("v{}", (i + offset) % distinct) }).collect()
    }

    fn encode(c: &Cells) -> Vec<u8> {
        let mut out = Vec::new();
        c.encode_to(&mut |b| out.extend_from_slice(b));
        assert_eq!(out.len(), c.encoded_len());
        out
    }

    #[test]
    fn appending_encoded_cells_equals_pushing_them_one_by_one() {
        // Dictionary + dictionary (shared and new values), dictionary overflowing into text,
        // text + dictionary, dictionary + text, text + text, and empty halves.
        let cases = [
            (40, 30, 5, 9),
            (300, 300, 200, 100),
            (500, 300, 400, 20),
            (300, 500, 20, 400),
            (0, 100, 3, 3),
            (100, 0, 3, 300),
            (120, 90, 300, 300),
            (250, 100, 250, 1000),
        ];
        for (k, &(n1, n2, d1, d2)) in cases.iter().enumerate() {
            // The second half starts where the first stopped (new values, or the same ones again).
            let (a, b) = (column(n1, d1.max(1), 0), column(n2, d2.max(1), n1));
            let mut one_by_one = CellsBuilder::new(0);
            a.iter().chain(&b).for_each(|s| one_by_one.push(s));
            let one_by_one = one_by_one.finish();
            let mut appended = CellsBuilder::new(0);
            a.iter().for_each(|s| appended.push(s));
            let bytes = encode(&Cells::from_strs(b.iter().map(String::as_str)));
            let mut input = bytes.as_slice();
            appended.append_encoded(Encoded::take(&mut input, n2).unwrap());
            assert!(input.is_empty());
            let appended = appended.finish();
            assert_eq!(appended, one_by_one, "case {k}");
            assert_eq!(appended.len(), n1 + n2, "case {k}");
            // Same layout and the same dictionary order as reading the rows in turn.
            assert_eq!(appended.dictionary(), one_by_one.dictionary(), "case {k}");
        }
    }

    #[test]
    fn encoded_cells_are_checked_and_bad_bytes_refused() {
        let dict = Cells::from_strs(["yes", "", "no", "ja, “doch”", "yes"]);
        let text = Cells::from_strs(column(600, 401, 0).iter().map(String::as_str));
        assert!(dict.dictionary().is_some() && text.dictionary().is_none());
        let mut bytes = encode(&dict);
        bytes.extend(encode(&text));
        bytes.extend(encode(&Cells::new()));
        let mut input = bytes.as_slice();
        let back = [Encoded::take(&mut input, 5), Encoded::take(&mut input, 600), Encoded::take(&mut input, 0)];
        assert!(input.is_empty());
        for (b, want) in back.into_iter().zip([&dict, &text, &Cells::new()]) {
            let mut builder = CellsBuilder::new(0);
            builder.append_encoded(b.unwrap());
            assert_eq!(&builder.finish(), want);
        }
        // Every truncation, the wrong number of rows, and a code past the dictionary are
        // refused, not a panic.
        let one = encode(&dict);
        for cut in 0..one.len() {
            assert!(Encoded::take(&mut &one[..cut], 5).is_none(), "cut at {cut}");
        }
        assert!(Encoded::take(&mut one.as_slice(), 4).is_none());
        let mut bad = one.clone();
        let last = bad.len() - 1;
        bad[last] = 9;
        assert!(Encoded::take(&mut bad.as_slice(), 5).is_none());
        // An end that goes backwards, and text that is not UTF-8.
        let mut t = encode(&Cells::from_strs(column(300, 300, 0).iter().map(String::as_str)));
        let n = t.len();
        t[n - 8..n - 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(Encoded::take(&mut t.as_slice(), 300).is_none());
        let mut t = encode(&Cells::from_strs(column(300, 300, 0).iter().map(String::as_str)));
        t[6] = 0xff;
        assert!(Encoded::take(&mut t.as_slice(), 300).is_none());
    }

    #[test]
    fn hashed_dictionary_finds_every_value() {
        let vals: Vec<String> = (0..MAX_DISTINCT).map(|i| format!("v{i}")).collect();
        let rows: Vec<&str> = (0..5000).map(|i| vals[(i * 7) % MAX_DISTINCT].as_str()).collect();
        let c = Cells::from_strs(rows.iter().copied());
        let (values, codes) = c.dictionary().unwrap();
        assert_eq!(values.len(), MAX_DISTINCT);
        assert_eq!(codes.len(), 5000);
        assert!(c.strs().zip(&rows).all(|(a, b)| a == *b));
    }
}
