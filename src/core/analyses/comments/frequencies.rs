//! Word and two-word-phrase frequencies of comments, for the page (not a `results` key).
//!
//! Words are the matching rules' words (lower-cased; runs of letters, digits and apostrophes),
//! with apostrophes at either end dropped (`'quoted'` → `quoted`) and words without a letter
//! left out. Stop words are left out of word counts; a two-word phrase is two consecutive
//! words of one comment, neither a stop word. A stop word is checked with `’` read as `'`
//! (`don’t` is `don't`), though the counted words keep their own apostrophe.
//! `count` = occurrences; `comments` = comments holding the term. Sorted by count (then by
//! number of comments, then alphabetically).

use crate::core::analyses::comments::matching::words;
use rustc_hash::{FxHashMap, FxHashSet};

/// The default English stop words (shown in the page, where the user can edit them).
pub const DEFAULT_STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren't",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "can't",
    "cannot",
    "could",
    "couldn't",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "doing",
    "don't",
    "down",
    "during",
    "each",
    "even",
    "few",
    "for",
    "from",
    "further",
    "get",
    "got",
    "had",
    "hadn't",
    "has",
    "hasn't",
    "have",
    "haven't",
    "having",
    "he",
    "he'd",
    "he'll",
    "he's",
    "her",
    "here",
    "here's",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "how's",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "isn't",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "let's",
    "like",
    "me",
    "more",
    "most",
    "much",
    "mustn't",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "really",
    "same",
    "shan't",
    "she",
    "she'd",
    "she'll",
    "she's",
    "should",
    "shouldn't",
    "so",
    "some",
    "such",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they'd",
    "they'll",
    "they're",
    "they've",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "wasn't",
    "we",
    "we'd",
    "we'll",
    "we're",
    "we've",
    "were",
    "weren't",
    "what",
    "what's",
    "when",
    "when's",
    "where",
    "where's",
    "which",
    "while",
    "who",
    "who's",
    "whom",
    "why",
    "why's",
    "will",
    "with",
    "won't",
    "would",
    "wouldn't",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// An editable stop-word list (lower-cased, `’` stored as `'`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopWords(FxHashSet<String>);

fn stop_key(word: &str) -> String {
    word.trim().to_lowercase().replace('\u{2019}', "'")
}

impl Default for StopWords {
    fn default() -> Self {
        StopWords::from_words(DEFAULT_STOP_WORDS)
    }
}

impl StopWords {
    /// A list from the user's words (blank entries ignored).
    pub fn from_words<S: AsRef<str>>(list: &[S]) -> Self {
        StopWords(list.iter().map(|w| stop_key(w.as_ref())).filter(|w| !w.is_empty()).collect())
    }

    /// Whether `word` is a stop word (case-insensitive; `’` read as `'`).
    pub fn contains(&self, word: &str) -> bool {
        self.0.contains(&stop_key(word))
    }

    /// Adds a word.
    pub fn insert(&mut self, word: &str) {
        let k = stop_key(word);
        if !k.is_empty() {
            self.0.insert(k);
        }
    }

    /// Removes a word.
    pub fn remove(&mut self, word: &str) {
        self.0.remove(&stop_key(word));
    }

    /// The words, sorted (for showing and saving the list).
    pub fn to_sorted_vec(&self) -> Vec<String> {
        let mut v: Vec<String> = self.0.iter().cloned().collect();
        v.sort();
        v
    }
}

/// A word or two-word phrase and how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frequency {
    pub term: String,
    /// Occurrences.
    pub count: usize,
    /// Comments holding it.
    pub comments: usize,
}

/// The words of a comment as counted here.
fn counted_words(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .map(|w| w.trim_matches(|c| c == '\'' || c == '\u{2019}').to_string())
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect()
}

fn tally(per_comment: impl Iterator<Item = Vec<String>>, top: usize) -> Vec<Frequency> {
    let mut counts: FxHashMap<String, (usize, usize)> = FxHashMap::default();
    for terms in per_comment {
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        for t in &terms {
            let e = counts.entry(t.clone()).or_insert((0, 0));
            e.0 += 1;
            if seen.insert(t) {
                e.1 += 1;
            }
        }
    }
    let mut out: Vec<Frequency> =
        counts.into_iter().map(|(term, (count, comments))| Frequency { term, count, comments }).collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(b.comments.cmp(&a.comments)).then_with(|| a.term.cmp(&b.term)));
    out.truncate(top);
    out
}

/// The `top` most frequent words that are not stop words.
pub fn word_frequencies<S: AsRef<str>>(comments: &[S], stop: &StopWords, top: usize) -> Vec<Frequency> {
    tally(comments.iter().map(|c| counted_words(c.as_ref()).into_iter().filter(|w| !stop.contains(w)).collect()), top)
}

/// The `top` most frequent two-word phrases (consecutive words, neither a stop word), written
/// with one space.
pub fn pair_frequencies<S: AsRef<str>>(comments: &[S], stop: &StopWords, top: usize) -> Vec<Frequency> {
    tally(
        comments.iter().map(|c| {
            let w = counted_words(c.as_ref());
            w.windows(2)
                .filter(|p| !stop.contains(&p[0]) && !stop.contains(&p[1]))
                .map(|p| format!("{} {}", p[0], p[1]))
                .collect()
        }),
        top,
    )
}
