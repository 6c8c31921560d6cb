//! Optimal string alignment distance (CONTRACT §5, step 4): insertions, deletions,
//! substitutions and swaps of two neighbouring characters, each costing 1, with no substring
//! edited twice. Over Unicode characters (code points), never bytes: "É" vs "E" is one
//! substitution.
//!
//! Not Levenshtein (a swap would cost 2) and not unrestricted Damerau–Levenshtein
//! ("CA" → "ABC" is 3 here, 2 there).

/// The OSA distance of `a` and `b` (full dynamic programme, three rows of `b.len() + 1`).
pub fn osa_distance(a: &[char], b: &[char]) -> usize {
    let m = b.len();
    let mut prev2: Vec<usize> = vec![0; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur: Vec<usize> = vec![0; m + 1];
    for (i, &ca) in a.iter().enumerate() {
        let i1 = i + 1;
        if let Some(c0) = cur.first_mut() {
            *c0 = i1;
        }
        for j1 in 1..=m {
            let cb = b.get(j1 - 1).copied();
            let cost = usize::from(cb != Some(ca));
            let del = prev.get(j1).copied().unwrap_or(usize::MAX).saturating_add(1);
            let ins = cur.get(j1 - 1).copied().unwrap_or(usize::MAX).saturating_add(1);
            let sub = prev.get(j1 - 1).copied().unwrap_or(usize::MAX).saturating_add(cost);
            let mut v = del.min(ins).min(sub);
            if i1 >= 2 && j1 >= 2 && a.get(i1 - 2).copied() == cb && b.get(j1 - 2).copied() == Some(ca) {
                v = v.min(prev2.get(j1 - 2).copied().unwrap_or(usize::MAX).saturating_add(1));
            }
            if let Some(c) = cur.get_mut(j1) {
                *c = v;
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.get(m).copied().unwrap_or(0)
}

/// Reusable rows for [`Osa::within`] (no allocation per comparison once warm).
#[derive(Debug, Default)]
pub struct Osa {
    rows: [Vec<usize>; 3],
}

impl Osa {
    /// Empty rows (they grow to the longest code compared).
    pub fn new() -> Osa {
        Osa::default()
    }

    /// `Some(d)` when the OSA distance of `a` and `b` is `d <= max`, else `None`.
    ///
    /// Only the diagonal band `|i - j| <= max` is computed (values capped at `max + 1`): a cell
    /// whose true distance is at most `max` is reached only through cells of the band, and a
    /// cell outside it is at least `max + 1`, so the answer is exact up to `max`. Cost
    /// O(min(len) · max), whatever the length of the codes; stops early when a whole row
    /// exceeds `max`.
    pub fn within(&mut self, a: &[char], b: &[char], max: usize) -> Option<usize> {
        let (n, m) = (a.len(), b.len());
        if n.abs_diff(m) > max {
            return None;
        }
        if n == 0 || m == 0 {
            // The difference of lengths is the distance (checked above).
            return Some(n.max(m));
        }
        if a == b {
            return Some(0);
        }
        let inf = max.saturating_add(1);
        for r in self.rows.iter_mut() {
            r.clear();
            r.resize(m + 1, inf);
        }
        let [r0, r1, r2] = &mut self.rows;
        let (mut prev2, mut prev, mut cur) = (r0, r1, r2);
        // Row 0: D[0][j] = j inside the band, then one capped cell past it.
        for j in 0..=m.min(max) {
            if let Some(c) = prev.get_mut(j) {
                *c = j;
            }
        }
        let mut prev_min = 0;
        for i1 in 1..=n {
            let lo = i1.saturating_sub(max).max(1);
            let hi = i1.saturating_add(max).min(m);
            // Column 0 (or the capped cell left of the band) for this row.
            let left = if lo == 1 { i1.min(inf) } else { inf };
            if let Some(c) = cur.get_mut(lo - 1) {
                *c = left;
            }
            let ca = a.get(i1 - 1).copied();
            let mut row_min = left;
            for j1 in lo..=hi {
                let cb = b.get(j1 - 1).copied();
                let cost = usize::from(cb != ca);
                let del = prev.get(j1).copied().unwrap_or(inf).saturating_add(1);
                let ins = cur.get(j1 - 1).copied().unwrap_or(inf).saturating_add(1);
                let sub = prev.get(j1 - 1).copied().unwrap_or(inf).saturating_add(cost);
                let mut v = del.min(ins).min(sub);
                if i1 >= 2 && j1 >= 2 && a.get(i1 - 2).copied() == cb && b.get(j1 - 2).copied() == ca {
                    v = v.min(prev2.get(j1 - 2).copied().unwrap_or(inf).saturating_add(1));
                }
                let v = v.min(inf);
                if let Some(c) = cur.get_mut(j1) {
                    *c = v;
                }
                row_min = row_min.min(v);
            }
            // The cell right of the band, read by the next row.
            if let Some(c) = cur.get_mut(hi + 1) {
                *c = inf;
            }
            // A cell is built from its own row, the row above and (a swap) the row two up: once
            // two rows in a row exceed `max`, every later row does too.
            if row_min > max && prev_min > max {
                return None;
            }
            prev_min = row_min;
            std::mem::swap(&mut prev2, &mut prev);
            std::mem::swap(&mut prev, &mut cur);
        }
        let d = prev.get(m).copied().unwrap_or(inf);
        (d <= max).then_some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn d(a: &str, b: &str) -> usize {
        osa_distance(&chars(a), &chars(b))
    }

    #[test]
    fn known_distances() {
        assert_eq!(d("", ""), 0);
        assert_eq!(d("ABC", ""), 3);
        assert_eq!(d("", "AB"), 2);
        assert_eq!(d("ABC", "ABC"), 0);
        assert_eq!(d("ABC", "ABD"), 1, "substitution");
        assert_eq!(d("ABC", "ABCD"), 1, "insertion");
        assert_eq!(d("ABCD", "ACD"), 1, "deletion");
        assert_eq!(d("AB12", "AB21"), 1, "swap of neighbours");
        assert_eq!(d("PW280", "PW208"), 1);
        assert_eq!(d("CA", "ABC"), 3, "OSA, not unrestricted Damerau (2)");
        assert_eq!(d("ABCDEF", "BADCFE"), 3);
        assert_eq!(d("ÉMILE", "EMILE"), 1, "one character, not two bytes");
        assert_eq!(d("日本語", "日語本"), 1);
        assert_eq!(d("KITTEN", "SITTING"), 3);
    }

    /// Memoised recursion straight from the definition (as the reference's cross-check does).
    fn osa_recursive(a: &[char], b: &[char]) -> usize {
        fn go(a: &[char], b: &[char], i: usize, j: usize, memo: &mut Vec<Vec<Option<usize>>>) -> usize {
            if let Some(v) = memo[i][j] {
                return v;
            }
            let v = if i == 0 {
                j
            } else if j == 0 {
                i
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (go(a, b, i - 1, j, memo) + 1)
                    .min(go(a, b, i, j - 1, memo) + 1)
                    .min(go(a, b, i - 1, j - 1, memo) + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(go(a, b, i - 2, j - 2, memo) + 1);
                }
                v
            };
            memo[i][j] = Some(v);
            v
        }
        let mut memo = vec![vec![None; b.len() + 1]; a.len() + 1];
        go(a, b, a.len(), b.len(), &mut memo)
    }

    #[test]
    fn banded_equals_full_on_random_strings() {
        let mut next = crate::core::xorshift64(0x5eed_0511);
        let mut osa = Osa::new();
        let alphabet = ['A', 'B', 'C', 'É', '1'];
        for _ in 0..20_000 {
            let word = |next: &mut dyn FnMut() -> u64| -> Vec<char> {
                let len = (next() % 9) as usize;
                (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect()
            };
            let a = word(&mut next);
            let b = word(&mut next);
            let full = osa_distance(&a, &b);
            assert_eq!(full, osa_recursive(&a, &b), "{a:?} {b:?}");
            assert_eq!(full, osa_distance(&b, &a), "symmetric");
            for max in 0..5 {
                let want = (full <= max).then_some(full);
                assert_eq!(osa.within(&a, &b, max), want, "{a:?} {b:?} max {max}");
            }
        }
    }

    #[test]
    fn long_codes_are_cheap_and_exact() {
        let a: Vec<char> = "AB".repeat(50_000).chars().collect();
        let mut b = a.clone();
        b.swap(70_000, 70_001);
        b.remove(10);
        let mut osa = Osa::new();
        assert_eq!(osa.within(&a, &b, 1), None);
        assert_eq!(osa.within(&a, &b, 2), Some(2));
        assert_eq!(osa.within(&a, &a, 3), Some(0));
        let c: Vec<char> = "Z".repeat(100_000).chars().collect();
        assert_eq!(osa.within(&a, &c, 2), None);
    }
}
