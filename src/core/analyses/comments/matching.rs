//! Matching comments against a codebook, exactly as CONTRACT §6 says:
//!
//! - a comment and a phrase are lower-cased (Unicode, `str::to_lowercase`, so a final `Σ`
//!   becomes `ς` in both) and split into words = maximal runs of letters, digits and the
//!   apostrophes `'` (U+0027) and `’` (U+2019); the two apostrophes stay different characters,
//!   accents are not folded (`naïve` ≠ `naive`), `G.P.` is the two words `g`, `p`;
//! - a phrase matches when its words occur consecutively in the comment (anywhere, across
//!   punctuation and line breaks: `self-stigma` = `self stigma`);
//! - a phrase word ending in `*` matches any word starting with the part before the `*`
//!   (`understand*` matches `understanding`, not `understood` or `misunderstand`);
//! - a code applies when any of its phrases matches.
//!
//! "Letter" and "digit" are Rust's `char::is_alphabetic` and `char::is_numeric` (Unicode
//! Alphabetic and Numeric properties). They agree with the general categories L* and Nd on
//! ordinary text in every script written with precomposed letters; they differ only on rare
//! characters (Indic combining vowel signs, Roman-numeral letters, superscript digits, vulgar
//! fractions), which count as word characters here.
//!
//! Speed: each comment is lower-cased and split once (ASCII in bulk); a word whose first two
//! bytes start no codebook word or stem is dismissed by a bitmap test, the others are looked
//! up in a hash of exact words and of stems (only the stem lengths that exist for those two
//! bytes); phrases are checked only where their first word matched. 10,000 comments of 500
//! characters: about 300 million instructions (≈ 40 ms on a busy 2-core machine).

use rustc_hash::FxHashMap;

/// True for a character that belongs to a word: a letter, a digit, `'` or `’`.
#[inline]
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '\u{2019}'
}

/// ASCII word characters: letters, digits and `'`.
const ASCII_WORD: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric() || b == b'\'' as usize;
        b += 1;
    }
    t
};

/// Lower-cases `text` into `lowered` (Unicode, as `str::to_lowercase`) and puts the byte
/// ranges of its words into `ranges`. ASCII stretches are copied and lower-cased in bulk,
/// other characters one by one with `char::to_lowercase`; a text with a capital sigma goes
/// through `str::to_lowercase` (its final-sigma rule needs the context). Every other character
/// lower-cases the same alone as within `str::to_lowercase`. Words are then found in the
/// lower-cased text.
pub(crate) fn lower_and_split(text: &str, lowered: &mut String, ranges: &mut Vec<(usize, usize)>) {
    lowered.clear();
    ranges.clear();
    if text.contains('\u{3a3}') {
        lowered.push_str(&text.to_lowercase());
    } else {
        lowered.reserve(text.len());
        let mut rest = text;
        while !rest.is_empty() {
            let ascii = rest.bytes().position(|b| b >= 0x80).unwrap_or(rest.len());
            let (head, tail) = rest.split_at(ascii);
            let from = lowered.len();
            lowered.push_str(head);
            if let Some(chunk) = lowered.get_mut(from..) {
                chunk.make_ascii_lowercase();
            }
            let mut chars = tail.chars();
            if let Some(c) = chars.next() {
                lowered.extend(c.to_lowercase());
            }
            rest = chars.as_str();
        }
    }
    // Word boundaries: tight loops over runs of ASCII word / non-word bytes; a non-ASCII
    // character is decoded and judged on its own.
    let bytes = lowered.as_bytes();
    let n = bytes.len();
    let is_word_at = |i: usize| -> (bool, usize) {
        match lowered.get(i..).and_then(|s| s.chars().next()) {
            Some(c) => (is_word_char(c), c.len_utf8()),
            None => (false, 1),
        }
    };
    let mut i = 0;
    while i < n {
        while i < n && bytes[i] < 0x80 && !ASCII_WORD[usize::from(bytes[i])] {
            i += 1;
        }
        if i >= n {
            break;
        }
        if bytes[i] >= 0x80 {
            let (word, len) = is_word_at(i);
            if !word {
                i += len;
                continue;
            }
        }
        let start = i;
        loop {
            while i < n && bytes[i] < 0x80 && ASCII_WORD[usize::from(bytes[i])] {
                i += 1;
            }
            if i < n && bytes[i] >= 0x80 {
                let (word, len) = is_word_at(i);
                if word {
                    i += len;
                    continue;
                }
            }
            break;
        }
        ranges.push((start, i));
    }
}

/// The words of `text` after lower-casing (CONTRACT §6), as owned strings.
pub fn words(text: &str) -> Vec<String> {
    let (mut lowered, mut ranges) = (String::new(), Vec::new());
    lower_and_split(text, &mut lowered, &mut ranges);
    ranges.iter().filter_map(|&(a, b)| lowered.get(a..b).map(str::to_string)).collect()
}

/// One word of a phrase: the text (lower-cased) and whether it is a `stem*` prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseWord {
    pub text: String,
    pub stem: bool,
}

/// Why a phrase cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhraseProblem {
    /// No word at all (empty, spaces or punctuation only).
    Empty,
    /// Only `*` (and spaces or punctuation): it would match every comment.
    StarOnly,
    /// A `*` that does not end a word (`* help`, `seek *`).
    MisplacedStar,
}

/// Splits a phrase into words as a comment is split; a `*` right after a word makes that word
/// a prefix (extra `*`s after it are ignored).
pub fn parse_phrase(phrase: &str) -> Result<Vec<PhraseWord>, PhraseProblem> {
    let lowered = phrase.to_lowercase();
    let mut out: Vec<PhraseWord> = Vec::new();
    let mut current = String::new();
    let (mut any_star, mut stray_star, mut after_stem) = (false, false, false);
    for c in lowered.chars() {
        if is_word_char(c) {
            current.push(c);
            after_stem = false;
        } else if c == '*' {
            any_star = true;
            if !current.is_empty() {
                out.push(PhraseWord { text: std::mem::take(&mut current), stem: true });
                after_stem = true;
            } else if !after_stem {
                stray_star = true;
            }
        } else {
            if !current.is_empty() {
                out.push(PhraseWord { text: std::mem::take(&mut current), stem: false });
            }
            after_stem = false;
        }
    }
    if !current.is_empty() {
        out.push(PhraseWord { text: current, stem: false });
    }
    match (out.is_empty(), any_star, stray_star) {
        (true, true, _) => Err(PhraseProblem::StarOnly),
        (true, false, _) => Err(PhraseProblem::Empty),
        (false, _, true) => Err(PhraseProblem::MisplacedStar),
        _ => Ok(out),
    }
}

/// A compiled phrase: its code and the pattern ids of its words.
#[derive(Debug, Clone)]
struct CompiledPhrase {
    code: u32,
    patterns: Vec<u32>,
}

/// Where a phrase matched in the original text: byte range from the start of its first word
/// to the end of its last word (for highlighting; keyword in context).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchSpan {
    /// Index of the code (order of [`CompiledCodebook::codes`]).
    pub code: usize,
    /// Index of the phrase within that code's phrases.
    pub phrase: usize,
    pub start: usize,
    pub end: usize,
}

/// Reusable buffers for coding many comments without allocating per comment.
#[derive(Debug, Default)]
pub struct Scratch {
    lowered: String,
    ranges: Vec<(usize, usize)>,
    patterns: Vec<u32>,
    offsets: Vec<usize>,
    applied: Vec<bool>,
}

/// A codebook ready for matching: codes in order, each with its phrases compiled.
#[derive(Debug, Clone, Default)]
pub struct CompiledCodebook {
    codes: Vec<String>,
    /// Per code, the phrases as given (for the page).
    phrases_by_code: Vec<Vec<String>>,
    phrases: Vec<CompiledPhrase>,
    /// Per compiled phrase: its index within its code's phrases.
    phrase_index: Vec<usize>,
    exact: FxHashMap<Vec<u8>, u32>,
    stems: FxHashMap<Vec<u8>, u32>,
    /// Distinct byte lengths (≥ 63) of long stems, ascending.
    long_stem_lengths: Vec<usize>,
    /// Stems of one byte, by that byte.
    stem_one_byte: Vec<Option<u32>>,
    /// Bitmap over the first two bytes (see [`prefix_key`]) of exact words and of stems of
    /// two bytes or more: most words of a comment stop here, without hashing.
    prefix_bits: Vec<u64>,
    /// Set bits of `prefix_bits` before each of its 64-bit words (rank of a prefix).
    prefix_rank: Vec<u32>,
    /// Per set prefix, by rank: (exact-word lengths, stem lengths), bit `min(len, 63)` each.
    prefix_lengths: Vec<(u64, u64)>,
    /// Pattern id → phrases whose first word it is.
    starts: Vec<Vec<u32>>,
    /// Also try a word without a trailing `'s` / `’s` (redaction's word list: `Smith's`).
    possessive: bool,
}

impl CompiledCodebook {
    /// Compiles `codes` (name, phrases) in order. Phrases that cannot be used (see
    /// [`parse_phrase`]) are skipped here; settings validation reports them before this.
    pub fn new(codes: &[(String, Vec<String>)]) -> Self {
        let mut cb =
            CompiledCodebook { stem_one_byte: vec![None; 256], prefix_bits: vec![0; 1024], ..Default::default() };
        let mut n_patterns: u32 = 0;
        for (ci, (name, phrases)) in codes.iter().enumerate() {
            cb.codes.push(name.clone());
            cb.phrases_by_code.push(phrases.clone());
            for (pi, phrase) in phrases.iter().enumerate() {
                let Ok(words) = parse_phrase(phrase) else { continue };
                let mut patterns = Vec::with_capacity(words.len());
                for w in words {
                    let map = if w.stem { &mut cb.stems } else { &mut cb.exact };
                    let id = *map.entry(w.text.into_bytes()).or_insert_with(|| {
                        n_patterns += 1;
                        n_patterns - 1
                    });
                    patterns.push(id);
                }
                cb.phrases.push(CompiledPhrase { code: ci as u32, patterns });
                cb.phrase_index.push(pi);
            }
        }
        cb.starts = vec![Vec::new(); n_patterns as usize];
        for (i, p) in cb.phrases.iter().enumerate() {
            if let Some(slot) = p.patterns.first().and_then(|&f| cb.starts.get_mut(f as usize)) {
                slot.push(i as u32);
            }
        }
        let mut lengths: FxHashMap<usize, (u64, u64)> = FxHashMap::default();
        for word in cb.exact.keys() {
            lengths.entry(prefix_key(word)).or_default().0 |= 1u64 << word.len().min(63);
        }
        for (stem, &id) in &cb.stems {
            match stem.len() {
                0 => {}
                1 => cb.stem_one_byte[usize::from(stem[0])] = Some(id),
                n => {
                    lengths.entry(prefix_key(stem)).or_default().1 |= 1u64 << n.min(63);
                    if n >= 63 && !cb.long_stem_lengths.contains(&n) {
                        cb.long_stem_lengths.push(n);
                    }
                }
            }
        }
        let mut keys: Vec<usize> = lengths.keys().copied().collect();
        keys.sort_unstable();
        for &key in &keys {
            cb.prefix_bits[key >> 6] |= 1u64 << (key & 63);
        }
        let mut total = 0u32;
        cb.prefix_rank = cb
            .prefix_bits
            .iter()
            .map(|w| {
                let before = total;
                total += w.count_ones();
                before
            })
            .collect();
        cb.prefix_lengths = keys.iter().map(|k| lengths.get(k).copied().unwrap_or_default()).collect();
        cb.long_stem_lengths.sort_unstable();
        cb
    }

    /// The same codebook, also matching a listed word followed by `'s` or `’s`.
    pub(crate) fn with_possessive(mut self) -> Self {
        self.possessive = true;
        self
    }

    /// Code names, in codebook order.
    pub fn codes(&self) -> &[String] {
        &self.codes
    }

    /// The phrases of code `code` as given.
    pub fn phrases_of(&self, code: usize) -> &[String] {
        self.phrases_by_code.get(code).map_or(&[], Vec::as_slice)
    }

    /// Index of a code by name.
    pub fn code_index(&self, name: &str) -> Option<usize> {
        self.codes.iter().position(|c| c == name)
    }

    /// Adds a code with no phrases (a hand-tag-only code); returns its index.
    pub(crate) fn push_manual_code(&mut self, name: &str) -> usize {
        if let Some(i) = self.code_index(name) {
            return i;
        }
        self.codes.push(name.to_string());
        self.phrases_by_code.push(Vec::new());
        self.codes.len() - 1
    }

    /// Pattern ids the (lower-cased) word `w` matches, pushed onto `out`.
    fn word_patterns(&self, w: &[u8], out: &mut Vec<u32>) {
        if let Some(&Some(p)) = w.first().and_then(|&f| self.stem_one_byte.get(usize::from(f))) {
            out.push(p);
        }
        if self.possessive {
            for suffix in ["'s", "\u{2019}s"] {
                if let Some(&p) = w.strip_suffix(suffix.as_bytes()).and_then(|base| self.exact.get(base)) {
                    out.push(p);
                }
            }
        }
        let key = prefix_key(w);
        let Some(&bits) = self.prefix_bits.get(key >> 6) else { return };
        if bits >> (key & 63) & 1 == 0 {
            return;
        }
        // Rank of this prefix among the set ones: its slot in `prefix_lengths`.
        let below = bits & ((1u64 << (key & 63)) - 1);
        let rank = self.prefix_rank.get(key >> 6).map_or(0, |&r| r as usize) + below.count_ones() as usize;
        let Some(&(exact_lengths, stem_lengths)) = self.prefix_lengths.get(rank) else { return };
        if exact_lengths >> w.len().min(63) & 1 == 1 {
            if let Some(&p) = self.exact.get(w) {
                out.push(p);
            }
        }
        // Stems of lengths up to the word's; a stem is whole characters, so a byte prefix
        // equal to it ends on a character boundary.
        let up_to = if w.len() >= 63 { u64::MAX } else { (1u64 << (w.len() + 1)) - 1 };
        let mut lengths = stem_lengths & up_to;
        while lengths != 0 {
            let len = lengths.trailing_zeros() as usize;
            lengths &= lengths - 1;
            if len < 63 {
                if let Some(&p) = w.get(..len).and_then(|prefix| self.stems.get(prefix)) {
                    out.push(p);
                }
            } else {
                for &long in self.long_stem_lengths.iter().filter(|&&l| l <= w.len()) {
                    if let Some(&p) = w.get(..long).and_then(|prefix| self.stems.get(prefix)) {
                        out.push(p);
                    }
                }
            }
        }
    }

    /// Lower-cases and splits `text` into `s` and finds each word's patterns.
    fn prepare(&self, text: &str, s: &mut Scratch) {
        lower_and_split(text, &mut s.lowered, &mut s.ranges);
        s.patterns.clear();
        s.offsets.clear();
        s.offsets.push(0);
        for &(a, b) in &s.ranges {
            if let Some(w) = s.lowered.as_bytes().get(a..b) {
                self.word_patterns(w, &mut s.patterns);
            }
            s.offsets.push(s.patterns.len());
        }
    }

    /// Whether compiled phrase `p` matches at word `i` of the prepared comment.
    fn phrase_at(&self, p: &CompiledPhrase, i: usize, s: &Scratch) -> bool {
        p.patterns.iter().enumerate().all(|(j, pat)| match (s.offsets.get(i + j), s.offsets.get(i + j + 1)) {
            (Some(&a), Some(&b)) => s.patterns.get(a..b).is_some_and(|ps| ps.contains(pat)),
            _ => false,
        })
    }

    /// Calls `found(phrase id, first word)` for every phrase occurrence of the prepared comment;
    /// `found` returns false to skip the remaining phrases of that code.
    fn scan(&self, s: &Scratch, mut found: impl FnMut(usize, usize) -> bool) {
        for i in 0..s.ranges.len() {
            let (a, b) = (s.offsets[i], s.offsets[i + 1]);
            for k in a..b {
                let Some(starts) = s.patterns.get(k).and_then(|&p| self.starts.get(p as usize)) else { continue };
                for &ph in starts {
                    let Some(p) = self.phrases.get(ph as usize) else { continue };
                    if self.phrase_at(p, i, s) {
                        found(ph as usize, i);
                    }
                }
            }
        }
    }

    /// The codes (indices, ascending) whose phrases match `text`. Reuses `s`.
    pub fn code_with(&self, text: &str, s: &mut Scratch) -> Vec<u32> {
        self.prepare(text, s);
        s.applied.clear();
        s.applied.resize(self.codes.len(), false);
        let mut applied = std::mem::take(&mut s.applied);
        self.scan(s, |ph, _| {
            if let Some(slot) = self.phrases.get(ph).and_then(|p| applied.get_mut(p.code as usize)) {
                *slot = true;
            }
            true
        });
        let codes = applied.iter().enumerate().filter(|(_, &a)| a).map(|(i, _)| i as u32).collect();
        s.applied = applied;
        codes
    }

    /// The codes (indices, ascending) whose phrases match `text`.
    pub fn code(&self, text: &str) -> Vec<u32> {
        self.code_with(text, &mut Scratch::default())
    }

    /// Every phrase occurrence in `text`, as byte ranges of the original text (from the start
    /// of the first matched word to the end of the last), ordered by start.
    pub fn match_spans(&self, text: &str) -> Vec<MatchSpan> {
        let mut s = Scratch::default();
        self.prepare(text, &mut s);
        let map = OffsetMap::new(text, s.lowered.as_bytes());
        let mut spans = Vec::new();
        self.scan(&s, |ph, i| {
            let Some(p) = self.phrases.get(ph) else { return true };
            let last = i + p.patterns.len().saturating_sub(1);
            if let (Some(&(a, _)), Some(&(_, b))) = (s.ranges.get(i), s.ranges.get(last)) {
                let phrase = self.phrase_index.get(ph).copied().unwrap_or(0);
                spans.push(MatchSpan { code: p.code as usize, phrase, start: map.start(a), end: map.end(b) });
            }
            true
        });
        spans.sort_by_key(|m| (m.start, m.end, m.code, m.phrase));
        spans.dedup();
        spans
    }
}

/// Bitmap index of a word's first two bytes (one byte: that byte and 0).
fn prefix_key(w: &[u8]) -> usize {
    usize::from(w.first().copied().unwrap_or(0)) << 8 | usize::from(w.get(1).copied().unwrap_or(0))
}

/// Maps byte offsets of the lower-cased text back to the original (lower-casing can change a
/// character's length: `İ` → `i̇`, `ẞ` → `ß`). Offsets inside one original character's
/// lower-case form round outwards to that character's bounds.
struct OffsetMap {
    identity: bool,
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl OffsetMap {
    fn new(original: &str, lowered: &[u8]) -> Self {
        if original.is_ascii() {
            return OffsetMap { identity: true, starts: Vec::new(), ends: Vec::new() };
        }
        let mut starts = vec![0; lowered.len() + 1];
        let mut ends = vec![0; lowered.len() + 1];
        let mut l = 0usize;
        for (o, c) in original.char_indices() {
            let o_end = o + c.len_utf8();
            let len: usize = c.to_lowercase().map(char::len_utf8).sum();
            for k in l..l + len {
                if let Some(v) = starts.get_mut(k) {
                    *v = o;
                }
                if let Some(v) = ends.get_mut(k + 1) {
                    *v = o_end;
                }
            }
            l += len;
        }
        if let Some(v) = starts.get_mut(l) {
            *v = original.len();
        }
        OffsetMap { identity: false, starts, ends }
    }

    fn start(&self, l: usize) -> usize {
        if self.identity {
            l
        } else {
            self.starts.get(l).copied().unwrap_or(0)
        }
    }

    fn end(&self, l: usize) -> usize {
        if self.identity {
            l
        } else {
            self.ends.get(l).copied().unwrap_or(0)
        }
    }
}
