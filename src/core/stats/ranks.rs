//! Ranking with ties (average ranks, as R's `rank`) and the signed-rank test.

use crate::core::stats::dist::z_two_sided_p;

/// Average ranks (1-based) and the tie-group sizes (in increasing order of the tied value).
pub fn average_ranks(x: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; x.len()];
    let mut ties = Vec::new();
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            ranks[k] = r;
        }
        if j > i {
            ties.push(j - i + 1);
        }
        i = j + 1;
    }
    (ranks, ties)
}

/// Below this many values the comparison sort is used (the radix sort's fixed costs dominate).
const RADIX_MIN: usize = 512;

/// Up to this many values in all, every partial sum of ranks is a multiple of 1/2 below 2^52,
/// so float sums of ranks are exact in any order.
const EXACT_RANK_SUMS: usize = 1 << 25;

/// An unsigned key whose order is [`f64::total_cmp`]'s: negative values have every bit
/// flipped, the others only the sign bit.
fn order_key(v: f64) -> u64 {
    let b = v.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// The value a key was made from (inverse of [`order_key`]).
fn key_value(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// Bits per digit of the radix sort: 6 passes over 64-bit keys, 2048 buckets each (fewer
/// passes than bytes, buckets that still fit in cache).
const DIGIT_BITS: usize = 11;
const DIGITS: usize = 64usize.div_ceil(DIGIT_BITS);
const BUCKETS: usize = 1 << DIGIT_BITS;

/// Sorts [`order_key`]s (= their values in [`f64::total_cmp`] order). Large inputs use a
/// least-significant-digit radix sort ([`DIGIT_BITS`] per pass), skipping the digits every key
/// shares; `scratch` is its second buffer (the two are swapped pass by pass, so the sorted
/// keys may end up in the other allocation).
fn sort_keys(keys: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    let n = keys.len();
    if n < RADIX_MIN {
        keys.sort_unstable();
        return;
    }
    // Digits of the offset from the smallest key (same order): values in a narrow range
    // leave their top digits at 0, and those passes are skipped.
    let (min, max) = keys.iter().fold((u64::MAX, 0), |(lo, hi), &k| (lo.min(k), hi.max(k)));
    if min == max {
        return;
    }
    let mask = (BUCKETS - 1) as u64;
    let mut counts = vec![0usize; DIGITS * BUCKETS];
    for &k in keys.iter() {
        let k = k - min;
        for d in 0..DIGITS {
            if let Some(c) = counts.get_mut(d * BUCKETS + ((k >> (DIGIT_BITS * d)) & mask) as usize) {
                *c += 1;
            }
        }
    }
    scratch.clear();
    scratch.resize(n, 0);
    let mut start = vec![0usize; BUCKETS];
    for (d, c) in counts.chunks_exact(BUCKETS).enumerate() {
        if c.contains(&n) {
            continue;
        }
        let mut acc = 0;
        for (s, &m) in start.iter_mut().zip(c) {
            *s = acc;
            acc += m;
        }
        let shift = DIGIT_BITS * d;
        for &k in keys.iter() {
            if let Some(s) = start.get_mut((((k - min) >> shift) & mask) as usize) {
                if let Some(slot) = scratch.get_mut(*s) {
                    *slot = k;
                }
                *s += 1;
            }
        }
        std::mem::swap(keys, scratch);
    }
}

/// The sum of the average ranks (as R's `rank`) of the values of `a` in the pooled sample
/// `a` ∪ `b`, and the pooled sample's tie-group sizes in increasing order of the tied value:
/// what `average_ranks` of `a` followed by `b` gives, summed over `a`'s positions, without
/// ranking each value. Each sample is sorted on its own and the two are merged; values are
/// ordered by [`f64::total_cmp`] and tied when `==`.
///
/// Ranks are multiples of 1/2, so up to [`EXACT_RANK_SUMS`] values every sum here is exact and
/// equals the row-order sum bit for bit; beyond, the row-order sum is taken.
pub fn rank_sum_of_first(a: &[f64], b: &[f64]) -> (f64, Vec<usize>) {
    let n = a.len() + b.len();
    if n > EXACT_RANK_SUMS {
        let pooled: Vec<f64> = a.iter().chain(b).copied().collect();
        let (ranks, ties) = average_ranks(&pooled);
        return (ranks.iter().take(a.len()).sum::<f64>() + 0.0, ties);
    }
    let keys = |x: &[f64]| x.iter().map(|&v| order_key(v)).collect::<Vec<u64>>();
    rank_sum_of_keys(keys(a), keys(b))
}

/// [`rank_sum_of_first`] of samples the caller hands over: each becomes its list of keys in
/// place (no second allocation).
pub fn rank_sum_of_first_owned(a: Vec<f64>, b: Vec<f64>) -> (f64, Vec<usize>) {
    if a.len() + b.len() > EXACT_RANK_SUMS {
        return rank_sum_of_first(&a, &b);
    }
    let keys = |x: Vec<f64>| x.into_iter().map(order_key).collect::<Vec<u64>>();
    rank_sum_of_keys(keys(a), keys(b))
}

/// [`rank_sum_of_first`] of the samples' [`order_key`]s (at most [`EXACT_RANK_SUMS`] in all).
fn rank_sum_of_keys(mut ka: Vec<u64>, mut kb: Vec<u64>) -> (f64, Vec<usize>) {
    let mut scratch = Vec::new();
    sort_keys(&mut ka, &mut scratch);
    sort_keys(&mut kb, &mut scratch);
    drop(scratch);
    merged_rank_sum(&ka, &kb)
}

/// A sample's values as sorted [`order_key`]s, for callers that rank the same values in
/// several tests (the analysis sorts each arm's change scores once for the signed-rank test
/// and the two-group rank-sum test).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SortedSample {
    keys: Vec<u64>,
}

impl SortedSample {
    pub fn new(values: impl Iterator<Item = f64>) -> SortedSample {
        SortedSample::with_scratch(values, &mut Vec::new())
    }

    /// [`SortedSample::new`] with the caller's sorting buffer (for sorting several samples).
    pub fn with_scratch(values: impl Iterator<Item = f64>, scratch: &mut Vec<u64>) -> SortedSample {
        let mut keys: Vec<u64> = values.map(order_key).collect();
        sort_keys(&mut keys, scratch);
        SortedSample { keys }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// [`rank_sum_of_first`] of two sorted samples; `None` beyond [`EXACT_RANK_SUMS`] values
/// (where the sum must run in row order: rank the values themselves).
pub fn rank_sum_of_sorted(a: &SortedSample, b: &SortedSample) -> Option<(f64, Vec<usize>)> {
    (a.len() + b.len() <= EXACT_RANK_SUMS).then(|| merged_rank_sum(&a.keys, &b.keys))
}

/// The rank sum of `ka`'s values in the pooled sample and the tie sizes, from both samples'
/// sorted keys (merged).
fn merged_rank_sum(ka: &[u64], kb: &[u64]) -> (f64, Vec<usize>) {
    let (mut i, mut j) = (0usize, 0usize);
    let mut sum = 0.0;
    let mut ties = Vec::new();
    // `pos`: values ranked so far.
    let mut pos = 0usize;
    while i < ka.len() || j < kb.len() {
        // The next value in pooled order; equal keys take `a` first (its rows come first).
        let (head, from_a) = match (ka.get(i), kb.get(j)) {
            (Some(&x), Some(&y)) => {
                if x <= y {
                    (x, true)
                } else {
                    (y, false)
                }
            }
            (Some(&x), None) => (x, true),
            (None, Some(&y)) => (y, false),
            (None, None) => break,
        };
        let v = key_value(head);
        let (mut in_a, mut in_b) = if from_a { (1, 0) } else { (0, 1) };
        if from_a {
            i += 1;
        } else {
            j += 1;
        }
        // The rest of the tie group (never for NaN, which equals nothing): values `==` to the
        // head are next in both sorted samples (-0.0 and 0.0 are neighbours in key order).
        while ka.get(i).is_some_and(|&k| key_value(k) == v) {
            i += 1;
            in_a += 1;
        }
        while kb.get(j).is_some_and(|&k| key_value(k) == v) {
            j += 1;
            in_b += 1;
        }
        let size = in_a + in_b;
        let rank = (pos + pos + size - 1) as f64 / 2.0 + 1.0;
        sum += in_a as f64 * rank;
        if size > 1 {
            ties.push(size);
        }
        pos += size;
    }
    (sum, ties)
}

/// R's `sign`: −1, 0 or 1 (unlike `f64::signum`, which gives 1 for 0). The continuity
/// correction 0.5·sign(z) must vanish when the statistic equals its mean.
pub fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// Rounds to 9 decimals (the reference's rule for differences before ranking).
pub fn round9(v: f64) -> f64 {
    round_half_away(v * 1e9) / 1e9
}

/// `x.round()` (halves away from zero, sign kept: -0.3 gives -0.0), without the library call
/// for |x| < 2^52: there `x` minus its truncation is exact, as is the integer result.
fn round_half_away(x: f64) -> f64 {
    if x.abs() < 4_503_599_627_370_496.0 {
        let t = x as i64;
        let f = x - t as f64;
        let r = t + i64::from(f >= 0.5) - i64::from(f <= -0.5);
        (r as f64).copysign(x)
    } else {
        x.round()
    }
}

/// The sum of the average ranks of |d| over the positive differences, and the tie-group sizes
/// in increasing order of |d|, from the keys made by [`signed_rank_of`]: what
/// [`rank_sum_of_first`] of the positive |d| against the others gives.
fn signed_rank_sum(mut keys: Vec<u64>) -> (f64, Vec<usize>) {
    let abs = |k: u64| f64::from_bits(k >> 1);
    let positive = |k: u64| k & 1 == 0;
    if keys.len() > EXACT_RANK_SUMS {
        let (a, b): (Vec<u64>, Vec<u64>) = keys.iter().partition(|&&k| positive(k));
        let pooled: Vec<f64> = a.iter().chain(&b).map(|&k| abs(k)).collect();
        let (ranks, ties) = average_ranks(&pooled);
        return (ranks.iter().take(a.len()).sum::<f64>() + 0.0, ties);
    }
    sort_keys(&mut keys, &mut Vec::new());
    let mut sum = 0.0;
    let mut ties = Vec::new();
    let mut i = 0;
    while let Some(&head) = keys.get(i) {
        // A tie group: the same |d| (never for NaN, which equals nothing; no two different
        // non-negative doubles are `==`).
        let v = abs(head);
        let mut j = i + 1;
        while keys.get(j).is_some_and(|&k| abs(k) == v) {
            j += 1;
        }
        let size = j - i;
        let in_a = keys.get(i..j).map_or(0, |g| g.iter().filter(|&&k| positive(k)).count());
        let rank = (i + j - 1) as f64 / 2.0 + 1.0;
        sum += in_a as f64 * rank;
        if size > 1 {
            ties.push(size);
        }
        i = j;
    }
    (sum, ties)
}

/// Wilcoxon signed-rank test of differences against 0, as R's `wilcox.test(d, mu = 0)`.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedRank {
    pub n_zero: usize,
    pub n_nonzero: usize,
    /// R's V: sum of ranks of positive differences. `None` when all differences are zero.
    pub v: Option<f64>,
    /// Normal approximation, tie-corrected variance, continuity correction.
    pub p_approx: Option<f64>,
    /// Exact p, only where R is exact (n < 50 non-zero, no ties, no zeros).
    pub p_exact: Option<f64>,
    /// What `wilcox.test` returns by default.
    pub p_r_default: Option<f64>,
}

pub fn signed_rank(diffs: &[f64]) -> SignedRank {
    signed_rank_of(diffs.iter().copied())
}

/// [`signed_rank`] of differences given one by one.
pub fn signed_rank_of(diffs: impl Iterator<Item = f64>) -> SignedRank {
    // One key per non-zero rounded difference: the bits of |d| (a non-negative double, so its
    // bits sort as its value and the sign bit is free) shifted up, with the low bit 0 for a
    // positive difference and 1 otherwise. Sorted, equal |d| are together, positive first.
    let mut keys: Vec<u64> = Vec::with_capacity(diffs.size_hint().0);
    let mut n_all = 0usize;
    for d in diffs.inspect(|_| n_all += 1).map(round9).filter(|&d| d != 0.0) {
        let positive = d > 0.0;
        keys.push((d.abs().to_bits() << 1) | u64::from(!positive));
    }
    let n = keys.len();
    let n_zero = n_all - n;
    if n == 0 {
        return signed_rank_test(n_zero, 0, None);
    }
    // V: the ranks of |d| summed over the positive differences.
    signed_rank_test(n_zero, n, Some(signed_rank_sum(keys)))
}

/// [`signed_rank`] of differences already rounded ([`round9`]) and sorted; `None` when one is
/// NaN or beyond [`EXACT_RANK_SUMS`] values (rank the differences themselves then).
///
/// In value order the negative differences come first: read backwards they give |d| in
/// increasing order, as the positive ones do forwards; the two runs are merged (equal |d|
/// positive first, as in [`signed_rank_of`]).
pub fn signed_rank_of_sorted(rounded: &SortedSample) -> Option<SignedRank> {
    let keys = rounded.keys.as_slice();
    let (first, last) = (keys.first().copied().unwrap_or(0), keys.last().copied().unwrap_or(0));
    if keys.len() > EXACT_RANK_SUMS || (!keys.is_empty() && (key_value(first).is_nan() || key_value(last).is_nan())) {
        return None;
    }
    // Negative values, then -0.0 and 0.0, then positive values.
    let negatives = keys.partition_point(|&k| k < order_key(-0.0));
    let positives = keys.partition_point(|&k| k <= order_key(0.0));
    let (neg, pos) = (keys.get(..negatives).unwrap_or_default(), keys.get(positives..).unwrap_or_default());
    let n = neg.len() + pos.len();
    let n_zero = keys.len() - n;
    if n == 0 {
        return Some(signed_rank_test(n_zero, 0, None));
    }
    // |d| as bits (their order is the values' order for non-negative doubles).
    let abs = |k: u64| key_value(k).abs().to_bits();
    let (mut i, mut j) = (0usize, neg.len());
    let mut sum = 0.0;
    let mut ties = Vec::new();
    let mut at = 0usize;
    loop {
        let (p, q) = (pos.get(i).map(|&k| abs(k)), j.checked_sub(1).and_then(|j| neg.get(j)).map(|&k| abs(k)));
        let head = match (p, q) {
            (Some(p), Some(q)) => p.min(q),
            (Some(p), None) => p,
            (None, Some(q)) => q,
            (None, None) => break,
        };
        let mut in_pos = 0usize;
        while pos.get(i).is_some_and(|&k| abs(k) == head) {
            i += 1;
            in_pos += 1;
        }
        let mut size = in_pos;
        while j > 0 && neg.get(j - 1).is_some_and(|&k| abs(k) == head) {
            j -= 1;
            size += 1;
        }
        let rank = (at + at + size - 1) as f64 / 2.0 + 1.0;
        sum += in_pos as f64 * rank;
        if size > 1 {
            ties.push(size);
        }
        at += size;
    }
    Some(signed_rank_test(n_zero, n, Some((sum, ties))))
}

/// The signed-rank test from the counts and (V, tie sizes) of the non-zero differences.
fn signed_rank_test(n_zero: usize, n: usize, v_ties: Option<(f64, Vec<usize>)>) -> SignedRank {
    let mut out = SignedRank { n_zero, n_nonzero: n, v: None, p_approx: None, p_exact: None, p_r_default: None };
    let Some((v, ties)) = v_ties.filter(|_| n > 0) else { return out };
    // `+ 0.0` turns a -0.0 (no positive differences) into 0.
    out.v = Some(v + 0.0);
    let nf = n as f64;
    let tie_sum: f64 = ties.iter().map(|&t| (t as f64).powi(3) - t as f64).sum();
    let sigma = (nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - tie_sum / 48.0).sqrt();
    let z0 = v - nf * (nf + 1.0) / 4.0;
    if sigma > 0.0 {
        let z = (z0 - 0.5 * sign(z0)) / sigma;
        out.p_approx = z_two_sided_p(z);
    }
    if n < 50 && ties.is_empty() && n_zero == 0 {
        out.p_exact = signed_rank_exact_p(v, n);
        out.p_r_default = out.p_exact;
    } else {
        out.p_r_default = out.p_approx;
    }
    out
}

/// Exact two-sided p of the signed-rank statistic (no ties), as R's `psignrank` rule.
fn signed_rank_exact_p(v: f64, n: usize) -> Option<f64> {
    let max = n * (n + 1) / 2;
    // counts[s] = number of subsets of {1..n} with sum s.
    let mut counts = vec![0.0f64; max + 1];
    counts[0] = 1.0;
    for k in 1..=n {
        for s in (k..=max).rev() {
            counts[s] += counts[s - k];
        }
    }
    let total = 2f64.powi(n as i32);
    let cdf = |q: f64| -> f64 {
        if q < 0.0 {
            return 0.0;
        }
        let q = (q.floor() as usize).min(max);
        counts[..=q].iter().sum::<f64>() / total
    };
    let p = if v > (n * (n + 1)) as f64 / 4.0 { 1.0 - cdf(v - 1.0) } else { cdf(v) };
    Some((2.0 * p).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_with_ties() {
        let (r, t) = average_ranks(&[3.0, 1.0, 3.0, 2.0]);
        assert_eq!(r, vec![3.5, 1.0, 3.5, 2.0]);
        assert_eq!(t, vec![2]);
    }

    #[test]
    fn rounding_equals_the_library_round() {
        let mut next = crate::core::xorshift64(0x9e37_79b9_7f4a_7c15u64);
        let edges = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            4_503_599_627_370_495.5,
            -4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
            -1e-300,
            2.5e-9,
            -0.3,
        ];
        let randoms = (0..200_000).map(|i| match i % 4 {
            0 => f64::from_bits(next()),
            1 => (next() % 2_000_001) as f64 / 2.0 - 500_000.0,
            2 => ((next() % 100_000) as f64 / 10_000.0 - 5.0) * 1e9,
            _ => (next() >> 11) as f64 / (1u64 << 40) as f64 - 4096.0,
        });
        for x in edges.into_iter().chain(randoms) {
            assert_eq!(round_half_away(x).to_bits(), x.round().to_bits(), "{x:?}");
        }
    }

    #[test]
    fn signed_rank_equals_ranking_every_difference() {
        // The former computation: average ranks of |d| over the non-zero rounded differences.
        let reference = |diffs: &[f64]| -> (usize, Option<f64>, Vec<usize>) {
            let nonzero: Vec<f64> = diffs.iter().map(|&d| round9(d)).filter(|&d| d != 0.0).collect();
            if nonzero.is_empty() {
                return (diffs.len(), None, Vec::new());
            }
            let abs: Vec<f64> = nonzero.iter().map(|d| d.abs()).collect();
            let (ranks, ties) = average_ranks(&abs);
            let v: f64 = nonzero.iter().zip(&ranks).filter(|(d, _)| **d > 0.0).map(|(_, r)| r).sum();
            (diffs.len() - nonzero.len(), Some(v + 0.0), ties)
        };
        let mut next = crate::core::xorshift64(0x5851_f42d_4c95_7f2du64);
        for (n, kind) in [(0, 0), (1, 0), (7, 1), (300, 1), (600, 0), (5000, 1), (20_000, 0), (20_000, 2)] {
            let diffs: Vec<f64> = (0..n)
                .map(|_| match (kind, next() % 12) {
                    (0, 0) => 0.0,
                    (0, 1) => -0.0,
                    (0, 2) => f64::NAN,
                    (0, 3) => [f64::INFINITY, f64::NEG_INFINITY, 1e-10, -4e-10][(next() % 4) as usize],
                    (0, _) => f64::from_bits(next()) % 100.0,
                    (1, _) => ((next() % 41) as f64 - 20.0) / 4.0,
                    _ => ((next() % 60_001) as f64 - 30_000.0) / 10_000.0 + 0.1 * (next() % 3) as f64,
                })
                .collect();
            let s = signed_rank(&diffs);
            let (n_zero, v, ties) = reference(&diffs);
            assert_eq!(s.n_zero, n_zero, "{n} {kind}");
            assert_eq!(s.v.map(f64::to_bits), v.map(f64::to_bits), "{n} {kind}");
            // The tie sizes drive the variance: compare through it.
            let tie_sum = |t: &[usize]| t.iter().map(|&t| (t as f64).powi(3) - t as f64).sum::<f64>();
            let (_, t_new) = if s.n_nonzero > 0 {
                let keys: Vec<u64> = diffs
                    .iter()
                    .map(|&d| round9(d))
                    .filter(|&d| d != 0.0)
                    .map(|d| (d.abs().to_bits() << 1) | u64::from(d.is_nan() || d < 0.0))
                    .collect();
                signed_rank_sum(keys)
            } else {
                (0.0, Vec::new())
            };
            assert_eq!(t_new, ties, "{n} {kind}");
            assert_eq!(tie_sum(&t_new).to_bits(), tie_sum(&ties).to_bits());
        }
    }

    #[test]
    fn sorted_samples_give_the_same_tests() {
        let mut next = crate::core::xorshift64(0x1234_5678_9abc_def1u64);
        let same = |a: &SignedRank, b: &SignedRank| {
            let bits = |v: Option<f64>| v.map(f64::to_bits);
            (a.n_zero, a.n_nonzero, bits(a.v), bits(a.p_approx), bits(a.p_exact), bits(a.p_r_default))
                == (b.n_zero, b.n_nonzero, bits(b.v), bits(b.p_approx), bits(b.p_exact), bits(b.p_r_default))
        };
        for (n, kind) in [(0, 0), (1, 1), (3, 0), (12, 1), (40, 2), (300, 0), (3000, 1), (20_000, 2), (20_000, 0)] {
            let diffs: Vec<f64> = (0..n)
                .map(|_| match (kind, next() % 10) {
                    (0, 0) => 0.0,
                    (0, 1) => -0.0,
                    (0, 2) => [f64::INFINITY, f64::NEG_INFINITY][(next() % 2) as usize],
                    (0, _) => ((next() % 81) as f64 - 40.0) / 8.0,
                    (1, _) => (next() >> 11) as f64 / (1u64 << 40) as f64 - 4096.0,
                    _ => ((next() % 60_001) as f64 - 30_000.0) / 10_000.0,
                })
                .collect();
            let rounded: Vec<f64> = diffs.iter().map(|&d| round9(d)).collect();
            let sorted = SortedSample::new(rounded.iter().copied());
            let w = signed_rank_of_sorted(&sorted).unwrap();
            assert!(same(&w, &signed_rank(&diffs)), "{n} {kind}: {w:?}");
            // Rank sums between two sorted samples, as from the values.
            let half = n / 3;
            let (a, b) = rounded.split_at(half);
            let (sa, sb) = (SortedSample::new(a.iter().copied()), SortedSample::new(b.iter().copied()));
            let (sum, ties) = rank_sum_of_sorted(&sa, &sb).unwrap();
            let (sum0, ties0) = rank_sum_of_first(a, b);
            assert_eq!((sum.to_bits(), ties), (sum0.to_bits(), ties0), "{n} {kind}");
        }
        // A NaN difference: not from sorted changes (the caller ranks the differences).
        assert!(signed_rank_of_sorted(&SortedSample::new([1.0, f64::NAN, -2.0].into_iter())).is_none());
        assert!(signed_rank_of_sorted(&SortedSample::new([1.0, -f64::NAN].into_iter())).is_none());
    }

    #[test]
    fn merged_rank_sums_equal_summed_ranks() {
        // Ties, -0.0 next to 0.0, NaNs, infinities, subnormals and wide magnitudes.
        let mut next = crate::core::xorshift64(0x2545_f491_4f6c_dd1du64);
        let mut value = || match next() % 10 {
            0 => 0.0,
            1 => -0.0,
            2 => f64::NAN,
            3 => [f64::INFINITY, f64::NEG_INFINITY, f64::MIN_POSITIVE / 4.0, -1e300][(next() % 4) as usize],
            4 | 5 => ((next() % 21) as f64 - 10.0) / 4.0,
            _ => f64::from_bits(next()) % 1e6,
        };
        for (na, nb) in
            [(0, 0), (0, 3), (1, 0), (2, 2), (255, 300), (511, 1), (512, 512), (3000, 700), (20_000, 20_000)]
        {
            let a: Vec<f64> = (0..na).map(|_| value()).collect();
            let b: Vec<f64> = (0..nb).map(|_| value()).collect();
            let pooled: Vec<f64> = a.iter().chain(&b).copied().collect();
            let (ranks, ties0) = average_ranks(&pooled);
            let sum0: f64 = ranks.iter().take(na).sum::<f64>() + 0.0;
            let (sum, ties) = rank_sum_of_first(&a, &b);
            assert_eq!(ties, ties0, "{na} {nb}");
            assert_eq!((sum + 0.0).to_bits(), sum0.to_bits(), "{na} {nb}: {sum} vs {sum0}");
        }
        // Survey-like values (4 decimals in a narrow range: digits shared by every key are
        // skipped) and a constant sample (every digit skipped).
        for (na, nb, spread) in [(5000, 4000, 40_000u64), (3000, 3000, 7), (600, 600, 1)] {
            let mut survey = || ((next() % spread) as f64 + 10_000.0) / 10_000.0;
            let a: Vec<f64> = (0..na).map(|_| survey()).collect();
            let b: Vec<f64> = (0..nb).map(|_| survey()).collect();
            let pooled: Vec<f64> = a.iter().chain(&b).copied().collect();
            let (ranks, ties0) = average_ranks(&pooled);
            let sum0: f64 = ranks.iter().take(na).sum::<f64>();
            let (sum, ties) = rank_sum_of_first(&a, &b);
            assert_eq!(ties, ties0, "{na} {nb} {spread}");
            assert_eq!(sum.to_bits(), sum0.to_bits(), "{na} {nb} {spread}");
        }
    }

    #[test]
    fn exact_signed_rank_matches_r() {
        // R: wilcox.test(c(1.5,-0.5,2.25,3,4.125))$p.value = 0.125 (V = 14)
        let s = signed_rank(&[1.5, -0.5, 2.25, 3.0, 4.125]);
        assert_eq!(s.v, Some(14.0));
        assert!((s.p_exact.unwrap() - 0.125).abs() < 1e-12);
        // V at its mean: R's correction 0.5*sign(0) is 0, so p = 1
        // (R: wilcox.test(c(1,-1,2,-2), exact = FALSE)$p.value = 1; SciPy agrees).
        let mid = signed_rank(&[1.0, -1.0, 2.0, -2.0]);
        assert_eq!(mid.v, Some(5.0));
        assert_eq!(mid.p_approx, Some(1.0));
        assert_eq!(sign(0.0), 0.0);
        // No positive differences: V = 0, exported as 0 rather than -0.
        let neg = signed_rank(&[-1.0, -2.0]);
        assert!(neg.v.is_some_and(|v| v == 0.0 && v.is_sign_positive()));
        let none = signed_rank(&[0.0, 0.0]);
        assert_eq!(none.v, None);
        assert_eq!(none.n_zero, 2);
    }
}
