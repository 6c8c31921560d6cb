//! Separate files per wave, linked by participant code (CONTRACT §5).
//!
//! Programs run a *before* and an *after* survey (and a follow-up) as separate forms, so
//! each wave is its own export; people are linked by a code they were given or made up
//! themselves, and do not always type it the same way twice. This module:
//! - normalises each row's code ([`normalise`]);
//! - links each later wave (post, then follow-up) to pre **on its own**, in the contract's
//!   order: duplicates within a wave take no part; `accept` pairs (*confirmed*); equal codes
//!   (*exact*); then, if `max_distance` ≥ 1, one pass of the mutual-unique nearest rule over
//!   the optimal string alignment distance ([`osa`]) of the codes left (*near*), every other
//!   code with a candidate within `max_distance` being *ambiguous* and the rest *unmatched*.
//!   Rejected pairs are never linked and are no candidates. The search for candidates uses a
//!   deletion-neighbourhood index ([`index`]): two 100,000-row waves link in milliseconds;
//! - builds the linked table ([`table`]): one row per pre row, then the later rows not linked
//!   to a pre row (post before follow-up, each in file order), `link_code` then every column
//!   of each file prefixed `<wave>_`;
//! - reads and checks the recipe key `link` ([`settings`]);
//! - guesses waves from file names and code columns from a file ([`guess`]).
//!
//! `results.linkage` holds counts only ([`LinkageResults`]); the codes themselves (ambiguous
//! codes with their candidates, duplicates) are in [`Linkage`] for the page's review panel and
//! never go into the results.

pub mod guess;
pub mod index;
pub mod linked;
pub mod normalise;
pub mod osa;
pub mod settings;
pub mod table;

pub use guess::{guess_wave, guess_waves, suggest_code_columns};
pub use linked::{linked_dataset, prefixed};
pub use normalise::{normalise_code, normalise_one, normalise_text, MIN_CODE_CHARS};
pub use settings::{LinkPlan, LinkSettings, LinkSettingsError, WavePlan};
pub use table::{
    link_tables, linked_column_names, linked_columns, linked_table, LinkDataError, LinkedTable, RowTable, WaveTable,
    LINK_CODE_COLUMN,
};

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

/// `max_distance` when the recipe does not say.
pub const DEFAULT_MAX_DISTANCE: usize = 1;

/// Candidates listed per ambiguous code for the review panel (the closest first); the total
/// is in [`AmbiguousCode::n_candidates`].
pub const MAX_LISTED_CANDIDATES: usize = 50;

/// A wave of the study.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Wave {
    Pre,
    Post,
    Followup,
}

impl Wave {
    /// The three waves in time order.
    pub const ALL: [Wave; 3] = [Wave::Pre, Wave::Post, Wave::Followup];

    /// The name used in recipes, results and column prefixes: `pre`, `post`, `followup`.
    pub fn name(self) -> &'static str {
        match self {
            Wave::Pre => "pre",
            Wave::Post => "post",
            Wave::Followup => "followup",
        }
    }

    /// The wave a recipe name stands for (exact names only).
    pub fn from_name(name: &str) -> Option<Wave> {
        Wave::ALL.into_iter().find(|w| w.name() == name)
    }
}

/// How codes are linked: the recipe's `max_distance`, `accept` and `reject`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkOptions {
    /// Largest OSA distance of a near link; 0 = exact only.
    pub max_distance: usize,
    /// (pre code, later code) pairs the user confirmed (normalised codes).
    pub accept: Vec<(String, String)>,
    /// (pre code, later code) pairs the user refused: never linked, no candidate.
    pub reject: Vec<(String, String)>,
}

impl Default for LinkOptions {
    fn default() -> LinkOptions {
        LinkOptions { max_distance: DEFAULT_MAX_DISTANCE, accept: Vec::new(), reject: Vec::new() }
    }
}

/// One wave's file name and each data row's normalised code (`None`: no code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaveCodes {
    pub wave: Wave,
    pub file: String,
    pub codes: Vec<Option<String>>,
}

impl WaveCodes {
    /// Codes from each row's code parts (the cells of the code columns, in order).
    pub fn from_parts<S: AsRef<str>>(wave: Wave, file: &str, rows: &[Vec<S>]) -> WaveCodes {
        WaveCodes { wave, file: file.to_string(), codes: rows.iter().map(|parts| normalise_code(parts)).collect() }
    }
}

/// `results.linkage.waves.<wave>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveSummary {
    pub file: String,
    /// Data rows of the file (export header rows not counted).
    pub rows: usize,
    /// Rows whose normalised code has at least three characters.
    pub with_code: usize,
    /// Rows whose code another row of the same file also holds.
    pub duplicate_rows: usize,
}

/// `results.linkage.waves`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveSummaries {
    pub pre: WaveSummary,
    pub post: WaveSummary,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followup: Option<WaveSummary>,
}

/// `results.linkage.post` / `.followup`: rows of pre and of the later wave by outcome.
/// For each side, the counts add up to `with_code - duplicate_rows`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCounts {
    pub confirmed: usize,
    pub exact: usize,
    pub near: usize,
    pub ambiguous_pre: usize,
    pub ambiguous_later: usize,
    pub unmatched_pre: usize,
    pub unmatched_later: usize,
}

/// `results.linkage`: counts only, never codes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkageResults {
    pub waves: WaveSummaries,
    pub post: LinkCounts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followup: Option<LinkCounts>,
    /// Rows of the linked table.
    pub participants: usize,
}

/// How a link was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// An `accept` pair of the recipe.
    Confirmed,
    /// Equal codes.
    Exact,
    /// The mutual-unique nearest code within `max_distance`.
    Near,
}

/// One pre row linked to one row of a later wave (0-based data rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub pre_row: usize,
    pub later_row: usize,
    pub kind: LinkKind,
    /// OSA distance of the codes: 0 for exact, 1..=max for near, `None` for confirmed (not
    /// computed: the user decided).
    pub distance: Option<usize>,
}

/// Which side of a pre ↔ later linking a code is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Pre,
    Later,
}

/// A code of the other side within `max_distance` of an ambiguous code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// 0-based data row of the candidate in its file.
    pub row: usize,
    pub code: String,
    pub distance: usize,
    /// The candidate was linked near to another code in the same step.
    pub linked_near: bool,
}

/// A code not linked because its nearest codes do not single it out (for the review panel:
/// the user can accept or reject a pair).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmbiguousCode {
    /// The later wave being linked to pre.
    pub wave: Wave,
    pub side: Side,
    /// 0-based data row of the code in its file.
    pub row: usize,
    pub code: String,
    /// The closest candidates first (distance, then file order), at most
    /// [`MAX_LISTED_CANDIDATES`].
    pub candidates: Vec<Candidate>,
    /// Every candidate within `max_distance`.
    pub n_candidates: usize,
}

/// A code held by more than one row of a file: none of these rows is linked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateCode {
    pub wave: Wave,
    pub code: String,
    /// 0-based data rows, in file order.
    pub rows: Vec<usize>,
}

/// One later wave linked to pre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaveLink {
    pub wave: Wave,
    pub counts: LinkCounts,
    /// Every link, in the later file's row order.
    pub links: Vec<Link>,
    /// Ambiguous pre codes (pre file order), then ambiguous later codes (later file order).
    pub ambiguous: Vec<AmbiguousCode>,
    /// Per pre row: the later row it is linked to.
    pub later_of_pre: Vec<Option<usize>>,
    /// Per later row: the pre row it is linked to.
    pub pre_of_later: Vec<Option<usize>>,
}

/// One row of the linked table: the data row of each file it takes its cells from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedRow {
    /// `link_code`: the pre row's normalised code, else the later row's (`None`: blank).
    pub code: Option<String>,
    pub pre: Option<usize>,
    pub post: Option<usize>,
    pub followup: Option<usize>,
}

/// Everything linking found: the counts for the results, and the codes for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linkage {
    pub waves: WaveSummaries,
    pub post: WaveLink,
    pub followup: Option<WaveLink>,
    /// Duplicate codes of every wave (pre, post, follow-up; each in order of first row).
    pub duplicates: Vec<DuplicateCode>,
    /// The linked table's rows, in order.
    pub rows: Vec<LinkedRow>,
}

impl Linkage {
    /// Rows of the linked table.
    pub fn participants(&self) -> usize {
        self.rows.len()
    }

    /// `results.linkage` (counts only).
    pub fn results(&self) -> LinkageResults {
        LinkageResults {
            waves: self.waves.clone(),
            post: self.post.counts,
            followup: self.followup.as_ref().map(|f| f.counts),
            participants: self.participants(),
        }
    }

    /// Ambiguous codes of every later wave (post first).
    pub fn ambiguous(&self) -> impl Iterator<Item = &AmbiguousCode> {
        self.post.ambiguous.iter().chain(self.followup.iter().flat_map(|f| f.ambiguous.iter()))
    }
}

/// One wave's codes, indexed: which rows hold a code no other row holds.
struct WaveIndex<'a> {
    codes: &'a [Option<String>],
    /// Code → (first row holding it, rows holding it).
    held: FxHashMap<&'a str, (usize, usize)>,
    /// Per row: has a code and it is unique in the file (takes part in linking).
    usable: Vec<bool>,
    summary: WaveSummary,
    duplicates: Vec<DuplicateCode>,
}

impl<'a> WaveIndex<'a> {
    fn new(w: &'a WaveCodes) -> WaveIndex<'a> {
        let mut first: FxHashMap<&'a str, (usize, usize)> = FxHashMap::default();
        first.reserve(w.codes.len());
        let mut with_code = 0;
        for (row, code) in w.codes.iter().enumerate() {
            if let Some(c) = code {
                with_code += 1;
                first.entry(c.as_str()).and_modify(|e| e.1 += 1).or_insert((row, 1));
            }
        }
        let mut usable = vec![false; w.codes.len()];
        let mut dup_rows: FxHashMap<&'a str, Vec<usize>> = FxHashMap::default();
        let mut duplicate_rows = 0;
        for (row, code) in w.codes.iter().enumerate() {
            let Some(c) = code else { continue };
            match first.get(c.as_str()) {
                Some(&(_, 1)) => {
                    if let Some(u) = usable.get_mut(row) {
                        *u = true;
                    }
                }
                Some(_) => {
                    duplicate_rows += 1;
                    dup_rows.entry(c.as_str()).or_default().push(row);
                }
                None => {}
            }
        }
        let mut duplicates: Vec<DuplicateCode> = dup_rows
            .into_iter()
            .map(|(code, rows)| DuplicateCode { wave: w.wave, code: code.to_string(), rows })
            .collect();
        duplicates.sort_by_key(|d| d.rows.first().copied().unwrap_or(0));
        WaveIndex {
            codes: &w.codes,
            held: first,
            usable,
            summary: WaveSummary { file: w.file.clone(), rows: w.codes.len(), with_code, duplicate_rows },
            duplicates,
        }
    }

    /// The row holding `code`, when exactly one row does.
    fn unique(&self, code: &str) -> Option<usize> {
        self.held.get(code).filter(|e| e.1 == 1).map(|e| e.0)
    }

    fn code(&self, row: usize) -> &'a str {
        self.codes.get(row).and_then(|c| c.as_deref()).unwrap_or("")
    }
}

/// Links `post` (and `followup`, each on its own) to `pre` as §5 says, and lays out the
/// linked table's rows. Never fails: rows without a code simply stay unlinked.
pub fn link(pre: &WaveCodes, post: &WaveCodes, followup: Option<&WaveCodes>, options: &LinkOptions) -> Linkage {
    let pre_ix = WaveIndex::new(pre);
    let post_ix = WaveIndex::new(post);
    let fu_ix = followup.map(WaveIndex::new);
    let post_link = link_indexed(&pre_ix, &post_ix, post.wave, options);
    let fu_link = fu_ix.as_ref().zip(followup).map(|(ix, w)| link_indexed(&pre_ix, ix, w.wave, options));

    let mut rows: Vec<LinkedRow> = Vec::with_capacity(pre.codes.len() + post.codes.len());
    for (r, code) in pre.codes.iter().enumerate() {
        rows.push(LinkedRow {
            code: code.clone(),
            pre: Some(r),
            post: post_link.later_of_pre.get(r).copied().flatten(),
            followup: fu_link.as_ref().and_then(|f| f.later_of_pre.get(r).copied().flatten()),
        });
    }
    for (r, code) in post.codes.iter().enumerate() {
        if post_link.pre_of_later.get(r).copied().flatten().is_none() {
            rows.push(LinkedRow { code: code.clone(), pre: None, post: Some(r), followup: None });
        }
    }
    if let (Some(f), Some(fl)) = (followup, fu_link.as_ref()) {
        for (r, code) in f.codes.iter().enumerate() {
            if fl.pre_of_later.get(r).copied().flatten().is_none() {
                rows.push(LinkedRow { code: code.clone(), pre: None, post: None, followup: Some(r) });
            }
        }
    }

    let mut duplicates = pre_ix.duplicates.clone();
    duplicates.extend(post_ix.duplicates.iter().cloned());
    if let Some(ix) = &fu_ix {
        duplicates.extend(ix.duplicates.iter().cloned());
    }
    Linkage {
        waves: WaveSummaries {
            pre: pre_ix.summary.clone(),
            post: post_ix.summary.clone(),
            followup: fu_ix.as_ref().map(|ix| ix.summary.clone()),
        },
        post: post_link,
        followup: fu_link,
        duplicates,
        rows,
    }
}

/// Links one later wave to pre on its own (§5 steps 1–5).
pub fn link_wave(pre: &WaveCodes, later: &WaveCodes, options: &LinkOptions) -> WaveLink {
    link_indexed(&WaveIndex::new(pre), &WaveIndex::new(later), later.wave, options)
}

/// Best distance seen for a code, how many candidates are at it, and the last one found.
#[derive(Clone, Copy)]
struct Best {
    distance: usize,
    count: usize,
    other: usize,
    total: usize,
}

impl Best {
    const NONE: Best = Best { distance: usize::MAX, count: 0, other: usize::MAX, total: 0 };

    fn see(&mut self, distance: usize, other: usize) {
        self.total += 1;
        if distance < self.distance {
            *self = Best { distance, count: 1, other, total: self.total };
        } else if distance == self.distance {
            self.count += 1;
        }
    }
}

/// Candidates kept for listing: (distance, index on the other side), the closest kept.
fn keep_candidate(list: &mut Vec<(usize, usize)>, distance: usize, other: usize) {
    list.push((distance, other));
    if list.len() >= 2 * MAX_LISTED_CANDIDATES {
        list.sort_unstable();
        list.truncate(MAX_LISTED_CANDIDATES);
    }
}

fn link_indexed(pre: &WaveIndex<'_>, later: &WaveIndex<'_>, wave: Wave, options: &LinkOptions) -> WaveLink {
    let mut counts = LinkCounts::default();
    let mut links: Vec<Link> = Vec::new();
    let mut later_of_pre: Vec<Option<usize>> = vec![None; pre.codes.len()];
    let mut pre_of_later: Vec<Option<usize>> = vec![None; later.codes.len()];
    let set =
        |links: &mut Vec<Link>, later_of_pre: &mut [Option<usize>], pre_of_later: &mut [Option<usize>], link: Link| {
            if let Some(x) = later_of_pre.get_mut(link.pre_row) {
                *x = Some(link.later_row);
            }
            if let Some(x) = pre_of_later.get_mut(link.later_row) {
                *x = Some(link.pre_row);
            }
            links.push(link);
        };

    // Rejected pairs, as (pre row, later row) of codes that take part (the others can never meet).
    let rejected: FxHashSet<(usize, usize)> = options
        .reject
        .iter()
        .filter_map(|(a, b)| {
            let (a, b) = (normalise_text(&[a]), normalise_text(&[b]));
            Some((pre.unique(&a)?, later.unique(&b)?))
        })
        .collect();

    // Step 2: accept pairs (confirmed), when both codes exist and neither is linked yet.
    for (a, b) in &options.accept {
        let (a, b) = (normalise_text(&[a]), normalise_text(&[b]));
        let (Some(pr), Some(lr)) = (pre.unique(&a), later.unique(&b)) else { continue };
        let free =
            later_of_pre.get(pr).is_some_and(Option::is_none) && pre_of_later.get(lr).is_some_and(Option::is_none);
        if free && !rejected.contains(&(pr, lr)) {
            counts.confirmed += 1;
            set(
                &mut links,
                &mut later_of_pre,
                &mut pre_of_later,
                Link { pre_row: pr, later_row: lr, kind: LinkKind::Confirmed, distance: None },
            );
        }
    }

    // Step 3: equal codes (exact).
    for (lr, &ok) in later.usable.iter().enumerate() {
        if !ok || pre_of_later.get(lr).is_some_and(Option::is_some) {
            continue;
        }
        let Some(pr) = pre.unique(later.code(lr)) else { continue };
        if later_of_pre.get(pr).is_some_and(Option::is_none) && !rejected.contains(&(pr, lr)) {
            counts.exact += 1;
            set(
                &mut links,
                &mut later_of_pre,
                &mut pre_of_later,
                Link { pre_row: pr, later_row: lr, kind: LinkKind::Exact, distance: Some(0) },
            );
        }
    }

    // Step 4: the codes left on both sides.
    let left_pre: Vec<usize> = (0..pre.codes.len())
        .filter(|&r| pre.usable.get(r).copied().unwrap_or(false) && later_of_pre.get(r).is_some_and(Option::is_none))
        .collect();
    let left_later: Vec<usize> = (0..later.codes.len())
        .filter(|&r| later.usable.get(r).copied().unwrap_or(false) && pre_of_later.get(r).is_some_and(Option::is_none))
        .collect();
    let mut best_pre = vec![Best::NONE; left_pre.len()];
    let mut best_later = vec![Best::NONE; left_later.len()];
    let mut list_pre: Vec<Vec<(usize, usize)>> = vec![Vec::new(); left_pre.len()];
    let mut list_later: Vec<Vec<(usize, usize)>> = vec![Vec::new(); left_later.len()];
    if options.max_distance >= 1 && !left_pre.is_empty() && !left_later.is_empty() {
        let pre_chars: Vec<Vec<char>> = left_pre.iter().map(|&r| pre.code(r).chars().collect()).collect();
        let later_chars: Vec<Vec<char>> = left_later.iter().map(|&r| later.code(r).chars().collect()).collect();
        let allowed = |i: usize, j: usize| -> bool {
            rejected.is_empty()
                || match (left_pre.get(i), left_later.get(j)) {
                    (Some(&pr), Some(&lr)) => !rejected.contains(&(pr, lr)),
                    _ => false,
                }
        };
        index::near_pairs(&pre_chars, &later_chars, options.max_distance, &allowed, &mut |p| {
            if let Some(b) = best_pre.get_mut(p.pre) {
                b.see(p.distance, p.later);
            }
            if let Some(b) = best_later.get_mut(p.later) {
                b.see(p.distance, p.pre);
            }
            if let Some(l) = list_pre.get_mut(p.pre) {
                keep_candidate(l, p.distance, p.later);
            }
            if let Some(l) = list_later.get_mut(p.later) {
                keep_candidate(l, p.distance, p.pre);
            }
        });
        // The mutual-unique rule, one pass over what steps 2–3 left.
        let mut near: Vec<Link> = Vec::new();
        for (i, b) in best_pre.iter().enumerate() {
            if b.count != 1 {
                continue;
            }
            let j = b.other;
            let Some(bl) = best_later.get(j) else { continue };
            if bl.count == 1 && bl.other == i && bl.distance == b.distance {
                if let (Some(&pr), Some(&lr)) = (left_pre.get(i), left_later.get(j)) {
                    near.push(Link { pre_row: pr, later_row: lr, kind: LinkKind::Near, distance: Some(b.distance) });
                }
            }
        }
        counts.near = near.len();
        for l in near {
            set(&mut links, &mut later_of_pre, &mut pre_of_later, l);
        }
    }

    // Ambiguous (a candidate within max_distance, not linked) and unmatched (none).
    let mut ambiguous: Vec<AmbiguousCode> = Vec::new();
    // The listed candidates of one code, closest first, then in file order.
    let list = |other_rows: &[usize],
                other: &WaveIndex<'_>,
                other_linked: &dyn Fn(usize) -> bool,
                mine: &mut Vec<(usize, usize)>| {
        mine.sort_unstable_by_key(|&(d, o)| (d, other_rows.get(o).copied().unwrap_or(usize::MAX)));
        mine.truncate(MAX_LISTED_CANDIDATES);
        mine.iter()
            .filter_map(|&(d, o)| {
                let row = *other_rows.get(o)?;
                Some(Candidate { row, code: other.code(row).to_string(), distance: d, linked_near: other_linked(row) })
            })
            .collect::<Vec<_>>()
    };
    let later_near = |lr: usize| pre_of_later.get(lr).copied().flatten().is_some();
    let pre_near = |pr: usize| later_of_pre.get(pr).copied().flatten().is_some();
    for (i, &pr) in left_pre.iter().enumerate() {
        if pre_near(pr) {
            continue;
        }
        let total = best_pre.get(i).map_or(0, |b| b.total);
        if total == 0 {
            counts.unmatched_pre += 1;
            continue;
        }
        counts.ambiguous_pre += 1;
        let mut mine = list_pre.get_mut(i).map(std::mem::take).unwrap_or_default();
        let candidates = list(&left_later, later, &later_near, &mut mine);
        ambiguous.push(AmbiguousCode {
            wave,
            side: Side::Pre,
            row: pr,
            code: pre.code(pr).to_string(),
            candidates,
            n_candidates: total,
        });
    }
    for (j, &lr) in left_later.iter().enumerate() {
        if later_near(lr) {
            continue;
        }
        let total = best_later.get(j).map_or(0, |b| b.total);
        if total == 0 {
            counts.unmatched_later += 1;
            continue;
        }
        counts.ambiguous_later += 1;
        let mut mine = list_later.get_mut(j).map(std::mem::take).unwrap_or_default();
        let candidates = list(&left_pre, pre, &pre_near, &mut mine);
        ambiguous.push(AmbiguousCode {
            wave,
            side: Side::Later,
            row: lr,
            code: later.code(lr).to_string(),
            candidates,
            n_candidates: total,
        });
    }

    links.sort_by_key(|l| l.later_row);
    WaveLink { wave, counts, links, ambiguous, later_of_pre, pre_of_later }
}

#[cfg(test)]
mod tests;
