//! Finding every (pre code, later code) pair within `max_distance` (CONTRACT §5, step 4)
//! without comparing all pairs: two 100,000-row waves would be 10¹⁰ comparisons.
//!
//! **Deletion neighbourhoods** (symmetric delete): if OSA(a, b) ≤ k, then deleting at most k
//! characters from `a` and at most k from `b` gives the same string. Each operation of an
//! optimal alignment costs at most one deletion per side: an insertion or deletion deletes the
//! extra character on its side; a substitution deletes the two differing characters; a swap
//! `xy`/`yx` deletes `x` on both sides (leaving `y`). The aligned, unedited characters are
//! equal and in order, so what is left is one common string. (So a swap, although two
//! Levenshtein edits apart, shares a one-deletion variant: `PW280`/`PW208` → `PW20`.)
//!
//! Every code's variants with ≤ k deletions are hashed (a polynomial hash, each variant in
//! O(1) from prefix hashes); the later codes' hashes go into a table, each pre code looks its
//! own up, and every candidate found is verified by the true (banded) OSA distance, so a hash
//! collision costs time, never a wrong pair. Codes with too many variants (long codes with
//! k ≥ 2) are compared directly with every code of a compatible length instead.

use super::osa::Osa;
use rustc_hash::FxHashMap;

/// Largest deletion neighbourhood indexed per code; codes with more variants (for k = 1:
/// codes over 511 characters) are compared one by one with the codes of a close length.
pub const MAX_VARIANTS_PER_CODE: usize = 512;

/// Base of the polynomial hash (odd, large, no structure).
const BASE: u64 = 0x9E37_79B9_7F4A_7C15 | 1;

/// One verified pair: indices into the pre and later code lists and their OSA distance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pair {
    pub pre: usize,
    pub later: usize,
    pub distance: usize,
}

/// Number of deletion variants of a code of `len` characters with at most `k` deletions
/// (Σ C(len, i), i ≤ k), saturating at `cap + 1`.
fn variant_count(len: usize, k: usize, cap: usize) -> usize {
    let mut total: usize = 0;
    let mut c: usize = 1; // C(len, 0)
    for i in 0..=k.min(len) {
        total = total.saturating_add(c);
        if total > cap {
            return cap + 1;
        }
        // C(len, i + 1) = C(len, i) * (len - i) / (i + 1)
        c = c.saturating_mul(len - i) / (i + 1);
    }
    total
}

/// The hashes of every deletion variant (≤ k deletions) of `s`, sorted and deduplicated.
struct Variants {
    prefix: Vec<u64>,
    powers: Vec<u64>,
    out: Vec<u64>,
}

impl Variants {
    fn new() -> Variants {
        Variants { prefix: Vec::new(), powers: vec![1], out: Vec::new() }
    }

    fn value(c: char) -> u64 {
        u64::from(u32::from(c)) + 1
    }

    fn power(&self, e: usize) -> u64 {
        self.powers.get(e).copied().unwrap_or(0)
    }

    /// Hash of `s[p..q]` from the prefix hashes.
    fn segment(&self, p: usize, q: usize) -> u64 {
        let hq = self.prefix.get(q).copied().unwrap_or(0);
        let hp = self.prefix.get(p).copied().unwrap_or(0);
        hq.wrapping_sub(hp.wrapping_mul(self.power(q.saturating_sub(p))))
    }

    fn compute(&mut self, s: &[char], k: usize) -> &[u64] {
        self.prefix.clear();
        self.prefix.push(0);
        let mut h = 0u64;
        for &c in s {
            h = h.wrapping_mul(BASE).wrapping_add(Self::value(c));
            self.prefix.push(h);
        }
        while self.powers.len() <= s.len() {
            let last = self.powers.last().copied().unwrap_or(1);
            self.powers.push(last.wrapping_mul(BASE));
        }
        self.out.clear();
        self.enumerate(s.len(), 0, 0, k, 0);
        self.out.sort_unstable();
        self.out.dedup();
        &self.out
    }

    /// Variants whose kept characters before `start` hash to `h`, with `left` deletions
    /// still allowed at positions ≥ `start` and `deleted` made. Each set of deleted positions
    /// is visited once (positions chosen in increasing order).
    fn enumerate(&mut self, n: usize, start: usize, h: u64, left: usize, deleted: usize) {
        let tail = self.segment(start, n);
        let full = h.wrapping_mul(self.power(n - start)).wrapping_add(tail);
        // The variant's length goes in too: a cheap guard against collisions across lengths.
        let kept_len = n.saturating_sub(deleted) as u64;
        self.out.push(mix(full ^ kept_len.rotate_left(40)));
        if left == 0 {
            return;
        }
        for i in start..n {
            let h2 = h.wrapping_mul(self.power(i - start)).wrapping_add(self.segment(start, i));
            self.enumerate(n, i + 1, h2, left - 1, deleted + 1);
        }
    }
}

/// A final avalanche so the table's buckets are well spread (splitmix64's finaliser).
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Every pair (pre code, later code) with OSA distance ≤ `k` (k ≥ 1) for which `allowed` is
/// true, each exactly once, passed to `emit` (pre codes in order; for each, later codes in
/// increasing index). Codes are given as characters.
pub fn near_pairs(
    pre: &[Vec<char>],
    later: &[Vec<char>],
    k: usize,
    allowed: &dyn Fn(usize, usize) -> bool,
    emit: &mut dyn FnMut(Pair),
) {
    if pre.is_empty() || later.is_empty() {
        return;
    }
    let indexable = |s: &Vec<char>| variant_count(s.len(), k, MAX_VARIANTS_PER_CODE) <= MAX_VARIANTS_PER_CODE;
    let pre_ix: Vec<bool> = pre.iter().map(indexable).collect();
    let later_ix: Vec<bool> = later.iter().map(indexable).collect();

    // Later codes' variant hashes → the later codes holding them (a CSR table).
    let mut variants = Variants::new();
    let mut entries: Vec<(u64, usize)> = Vec::with_capacity(later.len().saturating_mul(9));
    for (j, s) in later.iter().enumerate() {
        if later_ix.get(j).copied().unwrap_or(false) {
            entries.extend(variants.compute(s, k).iter().map(|&h| (h, j)));
        }
    }
    entries.sort_unstable();
    let mut table: FxHashMap<u64, (usize, usize)> = FxHashMap::default();
    table.reserve(entries.len());
    let mut start = 0usize;
    while start < entries.len() {
        let h = entries.get(start).map_or(0, |e| e.0);
        let mut end = start + 1;
        while entries.get(end).is_some_and(|e| e.0 == h) {
            end += 1;
        }
        table.insert(h, (start, end));
        start = end;
    }

    // Codes of every length, for the codes compared one by one (not indexed).
    let mut by_len: Vec<(usize, usize)> = later.iter().enumerate().map(|(j, s)| (s.len(), j)).collect();
    by_len.sort_unstable();
    let mut pre_by_len: Vec<(usize, usize)> = pre
        .iter()
        .enumerate()
        .filter(|(i, _)| pre_ix.get(*i).copied().unwrap_or(false))
        .map(|(i, s)| (s.len(), i))
        .collect();
    pre_by_len.sort_unstable();
    let in_len_range = |list: &[(usize, usize)], len: usize| -> (usize, usize) {
        let lo = list.partition_point(|&(l, _)| l < len.saturating_sub(k));
        let hi = list.partition_point(|&(l, _)| l <= len.saturating_add(k));
        (lo, hi)
    };

    let mut osa = Osa::new();
    let mut found: Vec<usize> = Vec::new();
    // Later codes not indexed, compared with every indexed pre code of a close length (the
    // pre codes not indexed meet every later code below).
    let mut direct_for_pre: FxHashMap<usize, Vec<Pair>> = FxHashMap::default();
    for (j, b) in later.iter().enumerate() {
        if later_ix.get(j).copied().unwrap_or(false) {
            continue;
        }
        let (lo, hi) = in_len_range(&pre_by_len, b.len());
        for &(_, i) in pre_by_len.get(lo..hi).unwrap_or(&[]) {
            if !allowed(i, j) {
                continue;
            }
            if let Some(a) = pre.get(i) {
                if let Some(d) = osa.within(a, b, k) {
                    direct_for_pre.entry(i).or_default().push(Pair { pre: i, later: j, distance: d });
                }
            }
        }
    }

    let mut pairs: Vec<Pair> = Vec::new();
    for (i, a) in pre.iter().enumerate() {
        pairs.clear();
        if pre_ix.get(i).copied().unwrap_or(false) {
            found.clear();
            for h in variants.compute(a, k) {
                if let Some(&(s, e)) = table.get(h) {
                    found.extend(entries.get(s..e).unwrap_or(&[]).iter().map(|e| e.1));
                }
            }
            found.sort_unstable();
            found.dedup();
            for &j in &found {
                if !allowed(i, j) {
                    continue;
                }
                if let Some(b) = later.get(j) {
                    if let Some(d) = osa.within(a, b, k) {
                        pairs.push(Pair { pre: i, later: j, distance: d });
                    }
                }
            }
            if let Some(extra) = direct_for_pre.remove(&i) {
                pairs.extend(extra);
            }
        } else {
            // Not indexed: every later code of a close length.
            let (lo, hi) = in_len_range(&by_len, a.len());
            for &(_, j) in by_len.get(lo..hi).unwrap_or(&[]) {
                if !allowed(i, j) {
                    continue;
                }
                if let Some(b) = later.get(j) {
                    if let Some(d) = osa.within(a, b, k) {
                        pairs.push(Pair { pre: i, later: j, distance: d });
                    }
                }
            }
        }
        pairs.sort_unstable_by_key(|p| p.later);
        for &p in &pairs {
            emit(p);
        }
    }
}

/// [`near_pairs`] by comparing every pair: the reference the index is tested against.
pub fn near_pairs_brute(
    pre: &[Vec<char>],
    later: &[Vec<char>],
    k: usize,
    allowed: &dyn Fn(usize, usize) -> bool,
    emit: &mut dyn FnMut(Pair),
) {
    let mut osa = Osa::new();
    for (i, a) in pre.iter().enumerate() {
        for (j, b) in later.iter().enumerate() {
            if allowed(i, j) {
                if let Some(d) = osa.within(a, b, k) {
                    emit(Pair { pre: i, later: j, distance: d });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::link::osa::osa_distance;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn collect(pre: &[Vec<char>], later: &[Vec<char>], k: usize, brute: bool) -> Vec<Pair> {
        let mut out = Vec::new();
        let all = |_: usize, _: usize| true;
        if brute {
            near_pairs_brute(pre, later, k, &all, &mut |p| out.push(p));
        } else {
            near_pairs(pre, later, k, &all, &mut |p| out.push(p));
        }
        out
    }

    #[test]
    fn variant_counts() {
        assert_eq!(variant_count(8, 1, 512), 9);
        assert_eq!(variant_count(8, 2, 512), 37);
        assert_eq!(variant_count(2, 3, 512), 4);
        assert_eq!(variant_count(600, 1, 512), 513);
        assert_eq!(variant_count(usize::MAX, 3, 512), 513);
    }

    #[test]
    fn a_swap_shares_a_one_deletion_variant() {
        let mut v = Variants::new();
        let a: Vec<u64> = v.compute(&chars("PW280"), 1).to_vec();
        let b: Vec<u64> = v.compute(&chars("PW208"), 1).to_vec();
        assert!(a.iter().any(|h| b.contains(h)));
        // And every kind of single edit is found by the index at k = 1.
        let pre = vec![chars("PW280")];
        for later in ["PW208", "WP280", "PW28", "PW2800", "PX280", "PW280"] {
            let got = collect(&pre, &[chars(later)], 1, false);
            assert_eq!(got.len(), 1, "{later}");
        }
        assert!(collect(&pre, &[chars("WP208")], 1, false).is_empty());
    }

    #[test]
    fn variants_are_the_deleted_strings() {
        // The hash of a variant equals the hash of the string it leaves.
        let mut v = Variants::new();
        let s = chars("ABCAB");
        let all = v.compute(&s, 2).to_vec();
        for i in 0..s.len() {
            for j in i..s.len() {
                let mut t = s.clone();
                t.remove(j);
                if j != i {
                    t.remove(i);
                }
                let whole = v.compute(&t, 0).to_vec();
                assert_eq!(whole.len(), 1);
                assert!(all.contains(&whole[0]), "{t:?}");
            }
        }
        assert_eq!(all.len(), 1 + 5 + 10, "ABCAB: itself, 5 one-deletion and 10 two-deletion variants, all different");
        // Equal variants are kept once: AAB → AAB; AB, AA; B, A.
        assert_eq!(v.compute(&chars("AAB"), 2).len(), 5);
        assert_eq!(v.compute(&chars("AAB"), 9).len(), 6, "and the empty string");
    }

    #[test]
    fn index_equals_brute_force_on_random_codes() {
        let mut next = crate::core::xorshift64(0xC0DE_5EED);
        for round in 0..300 {
            let alphabet: Vec<char> = if round % 3 == 0 { chars("AB1") } else { chars("ABCÉ12") };
            let k = 1 + (round % 3);
            let word = |next: &mut dyn FnMut() -> u64| -> Vec<char> {
                let len = (next() % 7) as usize;
                (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect()
            };
            let pre: Vec<Vec<char>> = (0..(next() % 30)).map(|_| word(&mut next)).collect();
            let mut later: Vec<Vec<char>> = (0..(next() % 30)).map(|_| word(&mut next)).collect();
            // Slipped copies of some pre codes.
            for a in pre.iter().take(5) {
                let mut b = a.clone();
                if b.len() >= 2 {
                    let p = (next() % (b.len() as u64 - 1)) as usize;
                    b.swap(p, p + 1);
                }
                later.push(b);
            }
            let fast = collect(&pre, &later, k, false);
            let brute = collect(&pre, &later, k, true);
            assert_eq!(fast, brute, "round {round}, k {k}");
            for p in &fast {
                assert_eq!(p.distance, osa_distance(&pre[p.pre], &later[p.later]));
            }
        }
    }

    #[test]
    fn long_codes_fall_back_to_direct_comparison() {
        // Long codes (not indexed at k = 2) mixed with short ones; with rejections.
        let long_a: Vec<char> = "XY".repeat(40).chars().collect();
        let mut long_b = long_a.clone();
        long_b.swap(3, 4);
        let mut long_c = long_a.clone();
        long_c.pop();
        let pre = vec![long_a.clone(), chars("ABC12"), long_c.clone()];
        let later = vec![chars("ABC21"), long_b, long_a.clone(), chars("AB")];
        for k in 1..=3 {
            assert_eq!(collect(&pre, &later, k, false), collect(&pre, &later, k, true), "k {k}");
        }
        let not_0_2 = |i: usize, j: usize| !(i == 0 && j == 2);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        near_pairs(&pre, &later, 2, &not_0_2, &mut |p| a.push(p));
        near_pairs_brute(&pre, &later, 2, &not_0_2, &mut |p| b.push(p));
        assert_eq!(a, b);
        assert!(!a.iter().any(|p| p.pre == 0 && p.later == 2));
    }
}
