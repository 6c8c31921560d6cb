//! Guessing how a text table is laid out: which delimiter separates the fields (`,` `;` tab
//! `|`) and which line endings it uses. The delimiter guess reads the first records with the
//! real tokenizer, so delimiters inside quoted cells do not count.

use super::tokenize::{LineEndings, Tokenizer};

/// Delimiters tried, in order of preference when they fit equally well.
pub const CANDIDATES: [char; 4] = [',', ';', '\t', '|'];

/// Records read for the guess.
const SAMPLE_RECORDS: usize = 60;
/// Text read for the guess (a little more if one record is longer).
const SAMPLE_BYTES: usize = 256 * 1024;

/// A prefix of `text` of about `SAMPLE_BYTES`, cut at a line break when possible.
fn sample(text: &str) -> &str {
    if text.len() <= SAMPLE_BYTES {
        return text;
    }
    let mut cut = SAMPLE_BYTES;
    while cut < text.len() && !text.is_char_boundary(cut) {
        cut += 1;
    }
    let head = text.get(..cut).unwrap_or(text);
    match head.rfind('\n') {
        Some(i) if i > 0 => head.get(..i).unwrap_or(head),
        _ => head,
    }
}

/// How well one delimiter splits the sample: (share of records with the most common field
/// count, whether the first record has that count, the count).
fn fit(text: &str, delim: char) -> Option<(f64, bool, usize)> {
    let counts: Vec<usize> =
        Tokenizer::new(text, delim).filter(|r| !r.is_blank()).take(SAMPLE_RECORDS).map(|r| r.fields.len()).collect();
    let first = *counts.first()?;
    let mut freq: Vec<(usize, usize)> = Vec::new();
    for &c in &counts {
        match freq.iter_mut().find(|(k, _)| *k == c) {
            Some(e) => e.1 += 1,
            None => freq.push((c, 1)),
        }
    }
    // Most common count; among equally common ones, the larger.
    let (modal, n) = freq.into_iter().max_by_key(|&(k, n)| (n, k))?;
    if modal < 2 {
        return None;
    }
    Some((n as f64 / counts.len() as f64, first == modal, modal))
}

/// Picks the delimiter that splits the first records most consistently into more than one
/// field. Falls back to a comma (a one-column file).
pub fn sniff_delimiter(text: &str) -> char {
    let s = sample(text);
    let mut best: Option<(char, (f64, bool, usize))> = None;
    for d in CANDIDATES {
        let Some(f) = fit(s, d) else { continue };
        let better = match &best {
            None => true,
            Some((_, b)) => {
                // Consistency first (to 1 %), then a matching header, then more fields.
                let (fs, bs) = ((f.0 * 100.0).round() as i64, (b.0 * 100.0).round() as i64);
                (fs, f.1, f.2) > (bs, b.1, b.2)
            }
        };
        if better {
            best = Some((d, f));
        }
    }
    best.map_or(',', |(d, _)| d)
}

/// The delimiter's name in words.
pub fn delimiter_name(d: char) -> &'static str {
    match d {
        ',' => "comma",
        ';' => "semicolon",
        '\t' => "tab",
        '|' => "vertical bar",
        ' ' => "space",
        _ => "other character",
    }
}

/// The line endings that end records, in words.
pub fn line_endings(e: LineEndings) -> &'static str {
    match (e.crlf > 0, e.lf > 0, e.cr > 0) {
        (true, false, false) => "Windows line endings",
        (false, true, false) => "Unix line endings",
        (false, false, true) => "old Mac line endings",
        (false, false, false) => "a single line",
        _ => "mixed line endings",
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokenize::tokenize;
    use super::*;

    #[test]
    fn picks_each_delimiter() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), ',');
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n4;5;6\n"), ';');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), '\t');
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3\n"), '|');
    }

    #[test]
    fn delimiters_inside_quotes_do_not_count() {
        // Semicolons and commas inside quoted cells; the real delimiter is the comma.
        let t = "id,comment\n1,\"a; b; c; d\"\n2,\"e; f; g\"\n3,\"h;i\"\n";
        assert_eq!(sniff_delimiter(t), ',');
        // Unquoted commas in free text of a semicolon file (a European Excel export).
        let t = "id;name;comment\nP01;Olu;Really helpful, thank you!\nP02;Ann;ok\nP03;Bo;yes, no, maybe\n";
        assert_eq!(sniff_delimiter(t), ';');
    }

    #[test]
    fn one_column_falls_back_to_comma() {
        assert_eq!(sniff_delimiter("score\n1\n2\n"), ',');
        assert_eq!(sniff_delimiter("x"), ',');
    }

    #[test]
    fn line_endings_in_words() {
        let words = |t: &str| line_endings(tokenize(t, ',').line_endings);
        assert_eq!(words("a\r\nb\r\n"), "Windows line endings");
        assert_eq!(words("a\r\n\"b\nc\"\r\n"), "Windows line endings");
        assert_eq!(words("a\nb\n"), "Unix line endings");
        assert_eq!(words("a\rb\r"), "old Mac line endings");
        assert_eq!(words("a\r\nb\n"), "mixed line endings");
        assert_eq!(words("a,b"), "a single line");
    }
}
