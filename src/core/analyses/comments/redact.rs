//! Redaction of quoted comments: what could identify someone becomes `[removed]`.
//!
//! Scanned by hand (no regular-expression crate), on the original text:
//! - e-mail addresses: `local@domain.tld` (local part of letters, digits and `._%+-`; a domain
//!   of at least two labels, the last of two or more letters);
//! - web addresses: `http://…`, `https://…`, `www.…` up to the next space, and bare domains
//!   (`example.org`, `nhs.uk/help`) whose last label is a common top-level domain (a short
//!   list without English words such as `in`, `it`, `no`, `me`, so `good.It helped` stays);
//!   trailing punctuation stays outside;
//! - phone numbers: `+` and 7–15 digits in groups (`+44 20 7946 0958`, `+1 (555) 123-4567`),
//!   or two or more digit groups with 7–15 digits (`555-123-4567`, `(020) 7946 0958`,
//!   `06 12 34 56 78`), separated by one space, `-` or `.`, with brackets around a group.
//!   Not: dates (`12.03.2023`, `2023-05-01`), year ranges (`2019-2023`), clock times and
//!   ranges of small numbers (`10.30-11.45`), years, ages, scores. A number may follow a `/`
//!   (`07700 900123/07700 900124`);
//! - numbers of five or more digits in a row (`12345`);
//! - the user's words, whole words, case-insensitive (Unicode), with the words and `*` stems of
//!   the codebook rules (an entry of several words is a phrase); `Smith` also removes `Smith's`.
//!
//! Findings that overlap, touch or have only spaces between them are joined, and each joined
//! stretch becomes one `[removed]` (`Jo Bloggs` with the words `Jo` and `Bloggs`, or a phone
//! number and its extension, is one `[removed]`, not `[removed] [removed]`). Several numbers in
//! one run of digit groups are found one by one: each is the longest phone number from its
//! first group, so a too-long run is never passed over whole and left to the five-digit rule
//! group by group.

use crate::core::analyses::comments::matching::CompiledCodebook;

/// What a removed stretch is replaced with.
pub const REMOVED: &str = "[removed]";

/// Top-level domains recognised in bare domains (no `http`/`www`): common ones that are not
/// English words.
pub const BARE_DOMAIN_TLDS: &[&str] = &[
    "com", "org", "net", "edu", "gov", "info", "biz", "io", "uk", "ie", "au", "nz", "ca", "de", "fr", "nl", "es", "eu",
    "ch", "se", "dk", "fi", "pl", "pt", "jp", "cn", "za", "ru", "br", "mx", "app", "dev", "online", "site", "xyz",
    "ly", "gl", "ngo",
];

/// A redactor for one user word list (compile once, redact many quotes).
#[derive(Debug, Clone)]
pub struct Redactor {
    words: CompiledCodebook,
}

impl Redactor {
    /// Compiles the user's words (blank entries and entries without a word are ignored).
    pub fn new<S: AsRef<str>>(extra_words: &[S]) -> Self {
        let entries: Vec<String> =
            extra_words.iter().map(|w| w.as_ref().to_string()).filter(|w| !w.trim().is_empty()).collect();
        Redactor { words: CompiledCodebook::new(&[("words".to_string(), entries)]).with_possessive() }
    }

    /// Byte ranges of `text` to remove, joined where they overlap, ascending.
    pub fn spans(&self, text: &str) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        emails(text, &mut spans);
        web_addresses(text, &mut spans);
        phones(text, &mut spans);
        long_numbers(text, &mut spans);
        spans.extend(self.words.match_spans(text).into_iter().map(|m| (m.start, m.end)));
        spans.retain(|&(a, b)| a < b && text.is_char_boundary(a) && text.is_char_boundary(b));
        spans.sort_unstable();
        let mut joined: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
        for (a, b) in spans {
            // Findings that overlap, touch or have only spaces between them become one.
            let between_blank = |last: (usize, usize)| {
                a >= last.1 && text.get(last.1..a).is_some_and(|s| s.bytes().all(|c| c == b' ' || c == b'\t'))
            };
            match joined.last_mut() {
                Some(last) if a < last.1 || between_blank(*last) => last.1 = last.1.max(b),
                _ => joined.push((a, b)),
            }
        }
        joined
    }

    /// `text` with every finding replaced by `[removed]`.
    pub fn redact(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (a, b) in self.spans(text) {
            out.push_str(text.get(at..a).unwrap_or(""));
            out.push_str(REMOVED);
            at = b;
        }
        out.push_str(text.get(at..).unwrap_or(""));
        out
    }
}

/// `text` with e-mail addresses, phone numbers, web addresses, numbers of 5+ digits and the
/// words in `extra_words` replaced by `[removed]` (see the module documentation).
pub fn redact<S: AsRef<str>>(text: &str, extra_words: &[S]) -> String {
    Redactor::new(extra_words).redact(text)
}

fn is_email_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// Whether `domain` (no trailing dot) has ≥ 2 non-empty labels and a last label of ≥ 2 letters.
fn plausible_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        && labels.last().is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()))
}

fn emails(text: &str, out: &mut Vec<(usize, usize)>) {
    let b = text.as_bytes();
    for (at, _) in b.iter().enumerate().filter(|(_, &c)| c == b'@') {
        let mut start = at;
        while start > 0 && is_email_local(b[start - 1]) {
            start -= 1;
        }
        while start < at && b[start] == b'.' {
            start += 1;
        }
        let mut end = at + 1;
        while end < b.len() && is_domain_byte(b[end]) {
            end += 1;
        }
        while end > at + 1 && matches!(b[end - 1], b'.' | b'-') {
            end -= 1;
        }
        if start < at && text.get(at + 1..end).is_some_and(plausible_domain) {
            out.push((start, end));
        }
    }
}

/// Trailing characters left outside a web address.
fn trim_url_end(b: &[u8], start: usize, mut end: usize) -> usize {
    while end > start
        && matches!(b[end - 1], b'.' | b',' | b';' | b':' | b'!' | b'?' | b')' | b']' | b'}' | b'\'' | b'"')
    {
        end -= 1;
    }
    end
}

/// End of a URL's body from `from`: up to whitespace or `<>"` (any other byte, also non-ASCII).
fn url_body_end(b: &[u8], from: usize) -> usize {
    let mut end = from;
    while end < b.len() && !b[end].is_ascii_whitespace() && !matches!(b[end], b'<' | b'>' | b'"') {
        end += 1;
    }
    end
}

fn starts_with_ignore_case(b: &[u8], at: usize, prefix: &str) -> bool {
    b.get(at..at + prefix.len()).is_some_and(|s| s.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Whether the character ending at byte `i` (exclusive) is a letter or digit (any script).
fn word_before(text: &str, i: usize) -> bool {
    text.get(..i).and_then(|s| s.chars().next_back()).is_some_and(char::is_alphanumeric)
}

fn web_addresses(text: &str, out: &mut Vec<(usize, usize)>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let scheme = ["https://", "http://", "www."].iter().find(|p| starts_with_ignore_case(b, i, p));
        if let Some(p) = scheme {
            if !(word_before(text, i) || i > 0 && matches!(b[i - 1], b'.' | b'@')) {
                let end = trim_url_end(b, i, url_body_end(b, i + p.len()));
                if end > i + p.len() {
                    out.push((i, end));
                    i = end;
                    continue;
                }
            }
        }
        // Bare domain: a run of domain bytes starting here.
        if b[i].is_ascii_alphanumeric()
            && !word_before(text, i)
            && !(i > 0 && matches!(b[i - 1], b'.' | b'@' | b'/' | b'-' | b'_'))
        {
            let mut end = i;
            while end < b.len() && is_domain_byte(b[end]) {
                end += 1;
            }
            let mut dom_end = end;
            while dom_end > i && matches!(b[dom_end - 1], b'.' | b'-') {
                dom_end -= 1;
            }
            let next_is_word = text
                .get(dom_end..)
                .and_then(|s| s.chars().next())
                .is_some_and(|c| c.is_alphanumeric() || c == '@' || c == '_');
            let domain = text.get(i..dom_end).unwrap_or("");
            let tld_ok =
                domain.rsplit('.').next().is_some_and(|t| BARE_DOMAIN_TLDS.iter().any(|k| t.eq_ignore_ascii_case(k)));
            if domain.contains('.')
                && !next_is_word
                && tld_ok
                && plausible_domain(domain)
                && domain.bytes().any(|c| c.is_ascii_alphabetic())
            {
                let mut stop = dom_end;
                if b.get(dom_end) == Some(&b'/') {
                    stop = trim_url_end(b, dom_end, url_body_end(b, dom_end));
                }
                out.push((i, stop));
                i = stop.max(i + 1);
                continue;
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
}

fn digits_at(b: &[u8], from: usize) -> usize {
    b.get(from..).map_or(0, |s| s.iter().take_while(|c| c.is_ascii_digit()).count())
}

/// A run of digit groups from `i`, each maybe in brackets, joined by at most one space, `-` or
/// `.`: each group's byte range (brackets included) and the separators between groups.
struct DigitRun {
    groups: Vec<(usize, usize)>,
    digits: Vec<usize>,
    seps: Vec<u8>,
}

fn digit_run(b: &[u8], i: usize) -> Option<DigitRun> {
    let mut j = i + usize::from(b.get(i) == Some(&b'+'));
    let mut run = DigitRun { groups: Vec::new(), digits: Vec::new(), seps: Vec::new() };
    loop {
        let open = b.get(j) == Some(&b'(');
        let d = digits_at(b, j + usize::from(open));
        let close = open && b.get(j + 1 + d) == Some(&b')');
        if d == 0 || (open && !close) {
            // An unclosed bracket or no digits: the run ended with the previous group.
            run.seps.truncate(run.groups.len().saturating_sub(1));
            break;
        }
        let end = j + usize::from(open) + d + usize::from(close);
        run.groups.push((j, end));
        run.digits.push(d);
        j = end;
        let sep = b.get(j).copied().filter(|c| matches!(c, b' ' | b'-' | b'.'));
        let k = j + usize::from(sep.is_some());
        let next = b.get(k).is_some_and(u8::is_ascii_digit)
            || (b.get(k) == Some(&b'(') && b.get(k + 1).is_some_and(u8::is_ascii_digit));
        if !next {
            break;
        }
        run.seps.push(sep.unwrap_or(b'('));
        j = k;
    }
    (!run.groups.is_empty()).then_some(run)
}

/// Whether groups look like a date, a year range or small numbers joined by `.`/`-`.
fn not_a_phone(groups: &[usize], seps: &[u8], b: &[u8], start: usize) -> bool {
    let small = |g: usize| g <= 2;
    let date = groups.len() == 3
        && ((small(groups[0]) && small(groups[1]) && (groups[2] == 2 || groups[2] == 4))
            || (groups[0] == 4 && small(groups[1]) && small(groups[2])));
    let year_range = groups.len() == 2 && groups[0] == 4 && groups[1] == 4 && {
        let d: Vec<u8> = b[start..].iter().copied().filter(u8::is_ascii_digit).take(8).collect();
        let is_year = |y: &[u8]| y.starts_with(b"19") || y.starts_with(b"20");
        d.len() == 8 && is_year(&d[..4]) && is_year(&d[4..])
    };
    let small_groups = groups.iter().all(|&g| small(g)) && seps.iter().any(|&s| s != b' ');
    date || year_range || small_groups
}

/// Phone numbers in a run of digit groups: from each group the longest run of groups that is a
/// phone number (7–15 digits; a `+` before the first group, or two or more groups that are not
/// a date, a year range or small numbers), then on from the group after it. So two numbers
/// written one after the other (`0113 496 0000 07700 900123`), or a number and an extension,
/// are each found, not rejected together as one number of too many digits.
fn phones_in_run(b: &[u8], from: usize, run: &DigitRun, out: &mut Vec<(usize, usize)>) {
    let plus = b.get(from) == Some(&b'+');
    let n = run.groups.len();
    let mut g = 0;
    while g < n {
        let is_phone = |k: usize| {
            let (Some(digits), Some(seps), Some(&(start, _))) =
                (run.digits.get(g..=k), run.seps.get(g..k), run.groups.get(g))
            else {
                return false;
            };
            (7..=15).contains(&digits.iter().sum::<usize>())
                && ((plus && g == 0) || (k > g && !not_a_phone(digits, seps, b, start)))
        };
        match (g..n).rev().find(|&k| is_phone(k)) {
            Some(k) => {
                let start = if plus && g == 0 { Some(from) } else { run.groups.get(g).map(|r| r.0) };
                if let (Some(start), Some(&(_, end))) = (start, run.groups.get(k)) {
                    out.push((start, end));
                }
                g = k + 1;
            }
            None => g += 1,
        }
    }
}

fn phones(text: &str, out: &mut Vec<(usize, usize)>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let starts = c.is_ascii_digit() || ((c == b'+' || c == b'(') && b.get(i + 1).is_some_and(u8::is_ascii_digit));
        let free = !(word_before(text, i) || i > 0 && matches!(b[i - 1], b'.' | b'+' | b'-' | b',' | b'_'));
        if starts && free {
            if let Some(run) = digit_run(b, i) {
                phones_in_run(b, i, &run, out);
                i = run.groups.last().map_or(i + 1, |&(_, end)| end.max(i + 1));
                continue;
            }
        }
        i += 1;
    }
}

fn long_numbers(text: &str, out: &mut Vec<(usize, usize)>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let d = digits_at(b, i);
        if d >= 5 {
            out.push((i, i + d));
        }
        i += d.max(1);
    }
}
