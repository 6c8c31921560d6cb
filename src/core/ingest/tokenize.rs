//! Text → records (RFC 4180, leniently). Quoted fields may hold the delimiter, doubled quotes
//! (`""` = `"`) and line breaks; records end in CRLF, LF or CR. Every record remembers the
//! physical line it starts on, so messages can say "row 12 (line 15)". A quote that is never
//! closed does not swallow the rest of the file: it is read as an ordinary character and
//! reported.
//!
//! [`Tokenizer::next_fields`] gives each field as a slice of the text when it can (unquoted
//! fields, and quoted ones without doubled quotes or line breaks), so reading a big file makes
//! no string per cell; [`tokenize`] and the `Iterator` give owned [`Record`]s.

use std::borrow::Cow;

/// One record: its fields (line breaks inside cells normalised to `\n`) and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub fields: Vec<String>,
    /// 1-based physical line where the record starts.
    pub line: usize,
}

impl Record {
    /// True when every field is blank (an empty line, or a line of delimiters only).
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// An opening quote that was never closed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OpenQuote {
    /// Byte offset of the quote in the text.
    pub offset: usize,
    /// 1-based physical line of the quote.
    pub line: usize,
    /// 0-based index of the record (among all records, blank ones included).
    pub record: usize,
    /// 0-based index of the field within its record.
    pub field: usize,
}

/// How many records ended with each kind of line break (breaks inside quoted cells are
/// not counted).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LineEndings {
    pub crlf: usize,
    pub lf: usize,
    pub cr: usize,
}

/// All records of a text, plus the quotes that had to be read as ordinary characters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tokenized {
    pub records: Vec<Record>,
    pub open_quotes: Vec<OpenQuote>,
    pub line_endings: LineEndings,
}

enum End {
    Delimiter,
    Line,
    Eof,
}

/// Streaming record reader over a text.
pub struct Tokenizer<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    delim: u8,
    /// Start of the last run of consecutive quotes with an odd length: a quote can only be
    /// closed by such a run (even runs are escaped quotes), so this decides in O(1) whether
    /// an opening quote is ever closed, without scanning to the end of the file each time.
    /// Found on the first quote (`None` until then), so a file without quotes is never scanned for it.
    last_odd_run: Option<Option<usize>>,
    record_index: usize,
    /// Quotes that opened a cell but were never closed (read as ordinary characters).
    pub open_quotes: Vec<OpenQuote>,
    /// Line breaks that ended records.
    pub line_endings: LineEndings,
}

/// Start offset of the last maximal run of `"` whose length is odd.
fn last_odd_quote_run(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut last = None;
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) == Some(&b'"') {
            let start = i;
            while bytes.get(i) == Some(&b'"') {
                i += 1;
            }
            if (i - start) % 2 == 1 {
                last = Some(start);
            }
        } else {
            i += 1;
        }
    }
    last
}

impl<'a> Tokenizer<'a> {
    pub fn new(text: &'a str, delimiter: char) -> Self {
        let delim = if delimiter.is_ascii() { delimiter as u8 } else { b',' };
        Tokenizer {
            text,
            pos: 0,
            line: 1,
            delim,
            last_odd_run: None,
            record_index: 0,
            open_quotes: Vec::new(),
            line_endings: LineEndings::default(),
        }
    }

    /// 1-based physical line of the next unread character.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Byte offset of the next unread character.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// True when the quote opening at `at` is closed somewhere after it.
    fn is_closed(&mut self, at: usize) -> bool {
        let bytes = self.text.as_bytes();
        let mut end = at + 1;
        while bytes.get(end) == Some(&b'"') {
            end += 1;
        }
        // Quotes right after the opening one: an odd count closes it within the run.
        if (end - at - 1) % 2 == 1 {
            return true;
        }
        let text = self.text;
        let last = *self.last_odd_run.get_or_insert_with(|| last_odd_quote_run(text));
        last.is_some_and(|s| s >= end)
    }

    fn peek(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    /// Consumes a line ending at `pos` (CRLF, LF or CR) if there is one.
    fn eat_newline(&mut self) -> bool {
        match self.peek(self.pos) {
            Some(b'\r') => {
                if self.peek(self.pos + 1) == Some(b'\n') {
                    self.pos += 2;
                    self.line_endings.crlf += 1;
                } else {
                    self.pos += 1;
                    self.line_endings.cr += 1;
                }
                self.line += 1;
                true
            }
            Some(b'\n') => {
                self.pos += 1;
                self.line += 1;
                self.line_endings.lf += 1;
                true
            }
            _ => false,
        }
    }

    /// What ends the field at `pos`, consuming it.
    fn field_end(&mut self) -> End {
        match self.peek(self.pos) {
            None => End::Eof,
            Some(b) if b == self.delim => {
                self.pos += 1;
                End::Delimiter
            }
            _ => {
                self.eat_newline();
                End::Line
            }
        }
    }

    /// Text from `pos` up to the next delimiter or line break (unquoted content), consumed.
    fn unquoted_run(&mut self) -> &'a str {
        let text = self.text;
        let bytes = text.as_bytes();
        let start = self.pos;
        let delim = self.delim;
        let len = bytes.get(start..).unwrap_or_default().iter().position(|&b| b == delim || b == b'\n' || b == b'\r');
        let i = len.map_or(bytes.len(), |l| start + l);
        self.pos = i;
        // Safe slicing: the delimiter and line breaks are ASCII, so `i` is a char boundary.
        text.get(start..i).unwrap_or_default()
    }

    /// Reads a quoted field whose opening quote is at `quote_at`. `None` when the quote is
    /// never closed (then nothing is consumed).
    fn quoted(&mut self, quote_at: usize) -> Option<Cow<'a, str>> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = quote_at + 1;
        let mut line = self.line;
        // Made only when the content differs from the text between the quotes.
        let mut owned: Option<String> = None;
        let mut run_start = i;
        loop {
            match bytes.get(i) {
                None => return None,
                Some(b'"') => {
                    if bytes.get(i + 1) == Some(&b'"') {
                        let buf = owned.get_or_insert_with(String::new);
                        buf.push_str(text.get(run_start..i).unwrap_or_default());
                        buf.push('"');
                        i += 2;
                        run_start = i;
                    } else {
                        break;
                    }
                }
                Some(&b) if b == b'\r' || b == b'\n' => {
                    let buf = owned.get_or_insert_with(String::new);
                    buf.push_str(text.get(run_start..i).unwrap_or_default());
                    buf.push('\n');
                    i += if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                    line += 1;
                    run_start = i;
                }
                Some(_) => i += 1,
            }
        }
        let last_run = text.get(run_start..i).unwrap_or_default();
        self.pos = i + 1;
        self.line = line;
        // Text after the closing quote (`"a" b,`) is kept, as spreadsheet programs do.
        let after = self.unquoted_run();
        Some(match owned {
            None if after.is_empty() => Cow::Borrowed(last_run),
            None => Cow::Owned(format!("{last_run}{after}")),
            Some(mut buf) => {
                buf.push_str(last_run);
                buf.push_str(after);
                Cow::Owned(buf)
            }
        })
    }

    /// Reads one field; returns its text and what ended it.
    fn field(&mut self, field_index: usize) -> (Cow<'a, str>, End) {
        let bytes = self.text.as_bytes();
        // A quote opens a quoted field when only spaces precede it in the field.
        let mut j = self.pos;
        while bytes.get(j) == Some(&b' ') && self.delim != b' ' {
            j += 1;
        }
        if bytes.get(j) == Some(&b'"') {
            if self.is_closed(j) {
                if let Some(f) = self.quoted(j) {
                    return (f, self.field_end());
                }
            }
            self.open_quotes.push(OpenQuote {
                offset: j,
                line: self.line,
                record: self.record_index,
                field: field_index,
            });
        }
        let f = self.unquoted_run();
        (Cow::Borrowed(f), self.field_end())
    }

    /// Reads the next record's fields into `fields` (cleared first); returns the physical line
    /// it starts on, or `None` at the end of the text.
    pub fn next_fields(&mut self, fields: &mut Vec<Cow<'a, str>>) -> Option<usize> {
        fields.clear();
        if self.pos >= self.text.len() {
            return None;
        }
        let line = self.line;
        loop {
            let (f, end) = self.field(fields.len());
            fields.push(f);
            match end {
                End::Delimiter => {
                    if self.pos >= self.text.len() {
                        // A delimiter at the very end of the file: one last empty field.
                        fields.push(Cow::Borrowed(""));
                        break;
                    }
                }
                End::Line | End::Eof => break,
            }
        }
        self.record_index += 1;
        Some(line)
    }
}

impl Iterator for Tokenizer<'_> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        let mut fields = Vec::new();
        let line = self.next_fields(&mut fields)?;
        Some(Record { fields: fields.into_iter().map(Cow::into_owned).collect(), line })
    }
}

/// Splits the whole text into records.
pub fn tokenize(text: &str, delimiter: char) -> Tokenized {
    let mut t = Tokenizer::new(text, delimiter);
    let records: Vec<Record> = t.by_ref().collect();
    Tokenized { records, open_quotes: t.open_quotes, line_endings: t.line_endings }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str, d: char) -> Vec<Vec<String>> {
        tokenize(text, d).records.into_iter().map(|r| r.fields).collect()
    }

    #[test]
    fn quoted_fields_with_delimiters_quotes_and_line_breaks() {
        let t = tokenize("id,comment\r\n1,\"a, b\"\r\n2,\"she said \"\"hi\"\"\"\r\n3,\"two\r\nlines\"\r\n4,x\r\n", ',');
        let got: Vec<Vec<String>> = t.records.iter().map(|r| r.fields.clone()).collect();
        assert_eq!(got[1], vec!["1", "a, b"]);
        assert_eq!(got[2], vec!["2", "she said \"hi\""]);
        assert_eq!(got[3], vec!["3", "two\nlines"]);
        assert_eq!(got[4], vec!["4", "x"]);
        // Line numbers are physical lines: record 5 starts on line 6 because of the break.
        let lines: Vec<usize> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 4, 6]);
        assert!(t.open_quotes.is_empty());
        // The break inside the quoted cell is not a record ending.
        assert_eq!(t.line_endings, LineEndings { crlf: 5, lf: 0, cr: 0 });
    }

    #[test]
    fn crlf_lf_and_cr_line_endings() {
        let want = vec![vec!["a", "b"], vec!["1", "2"], vec!["3", "4"]];
        assert_eq!(fields("a,b\r\n1,2\r\n3,4\r\n", ','), want);
        assert_eq!(fields("a,b\n1,2\n3,4", ','), want);
        assert_eq!(fields("a,b\r1,2\r3,4\r", ','), want);
        assert_eq!(fields("a,b\n1,2\r\n3,4\r", ','), want);
    }

    #[test]
    fn trailing_empty_lines_are_blank_records() {
        let t = tokenize("a\n1\n\n\n", ',');
        assert_eq!(t.records.len(), 4);
        assert!(t.records[2].is_blank() && t.records[3].is_blank());
    }

    #[test]
    fn unterminated_quote_is_reported_and_does_not_swallow_the_file() {
        let t = tokenize("a,b\n1,\"oops\n2,3\n4,5\n", ',');
        assert_eq!(t.open_quotes.len(), 1);
        let q = t.open_quotes[0];
        assert_eq!((q.line, q.record, q.field), (2, 1, 1));
        let got: Vec<Vec<String>> = t.records.iter().map(|r| r.fields.clone()).collect();
        assert_eq!(got, vec![vec!["a", "b"], vec!["1", "\"oops"], vec!["2", "3"], vec!["4", "5"]]);
    }

    #[test]
    fn text_after_a_closing_quote_and_spaces_before_an_opening_quote() {
        assert_eq!(fields("\"a\"b,  \"c,d\"\n", ','), vec![vec!["ab", "c,d"]]);
        assert_eq!(fields("5\" screen,x\n", ','), vec![vec!["5\" screen", "x"]]);
    }

    #[test]
    fn other_delimiters_and_multibyte_text() {
        assert_eq!(fields("é;ü|x\n€;\"a;b\"\n", ';'), vec![vec!["é", "ü|x"], vec!["€", "a;b"]]);
        assert_eq!(fields("a\tb\n1\t2\n", '\t'), vec![vec!["a", "b"], vec!["1", "2"]]);
        assert_eq!(fields("a,", ','), vec![vec!["a", ""]]);
    }

    #[test]
    fn an_unclosed_quote_is_found_without_rescanning_the_file() {
        let text = format!("\"a\n{}", "1,2\n".repeat(50_000));
        let t = tokenize(&text, ',');
        assert_eq!(t.records.len(), 50_001);
        assert_eq!(t.open_quotes.len(), 1);
        assert_eq!(t.records[0].fields, vec!["\"a"]);
        assert_eq!(t.records[50_000].fields, vec!["1", "2"]);
        // A quote closed much later (a long multi-line cell) is still a quoted cell.
        let t = tokenize("a\n\"x\n\"\"\ny\"\n", ',');
        assert_eq!(t.records[1].fields, vec!["x\n\"\ny"]);
        assert!(t.open_quotes.is_empty());
    }
}
