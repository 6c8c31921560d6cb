//! From answers to one score per participant: reverse-worded items as (min + max) − x (or the
//! key's "c − x"), the minimum-answered rule, then the mean of the answered items or the
//! prorated sum (mean × k, equal to the plain sum when every item is answered).
//! Definitions: `shared/reference/README.md` ("Item scoring").

use crate::core::analyses::scales::spec::{Method, MinAnswered};

/// The minimum number of answered items for k items: a count as given (kept within 1..=k),
/// or a share rounded up (80% of 10 = 8, of 4 = 4, of 7 = 6).
pub fn min_answered_count(m: MinAnswered, k: usize) -> usize {
    let n = match m {
        MinAnswered::Count(c) => c,
        // A small allowance so that 0.8 × 10 (= 8.000000000000002 in some orders) stays 8.
        MinAnswered::Share(s) => (s * k as f64 - 1e-9).ceil().max(0.0) as usize,
    };
    n.clamp(1, k.max(1))
}

/// Reverses the answers of the items in `reverse` in place: x → constant − x.
/// `items[j]` holds item `numbers[j]`'s answers, one per row.
pub fn reverse_items(items: &mut [Vec<Option<f64>>], numbers: &[usize], reverse: &[usize], constant: f64) {
    for (col, n) in items.iter_mut().zip(numbers) {
        if reverse.contains(n) {
            for v in col.iter_mut().flatten() {
                *v = constant - *v;
            }
        }
    }
}

/// One score per row: `None` when fewer than `min_answered` items are answered.
pub fn score_rows(items: &[Vec<Option<f64>>], n_rows: usize, min_answered: usize, method: Method) -> Vec<Option<f64>> {
    let k = items.len();
    (0..n_rows)
        .map(|r| {
            let answered: Vec<f64> = items.iter().filter_map(|col| col.get(r).copied().flatten()).collect();
            if k == 0 || answered.is_empty() || answered.len() < min_answered {
                return None;
            }
            let mean = answered.iter().sum::<f64>() / answered.len() as f64;
            match method {
                Method::Mean => Some(mean),
                Method::Sum if answered.len() == k => Some(answered.iter().sum()),
                Method::Sum => Some(mean * k as f64),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten items for one row: the first `answered` are 4, the rest blank.
    fn row(answered: usize) -> Vec<Vec<Option<f64>>> {
        (0..10).map(|j| vec![(j < answered).then_some(4.0)]).collect()
    }

    #[test]
    fn eighty_percent_rule_scores_8_of_10_not_7() {
        let m = min_answered_count(MinAnswered::Share(0.8), 10);
        assert_eq!(m, 8);
        assert_eq!(score_rows(&row(8), 1, m, Method::Mean), vec![Some(4.0)]);
        assert_eq!(score_rows(&row(7), 1, m, Method::Mean), vec![None]);
        assert_eq!(min_answered_count(MinAnswered::Count(8), 10), 8);
        assert_eq!(min_answered_count(MinAnswered::Share(0.8), 4), 4);
        assert_eq!(min_answered_count(MinAnswered::Share(0.8), 7), 6); // 5.6 → 6
        assert_eq!(min_answered_count(MinAnswered::Count(12), 10), 10);
    }

    #[test]
    fn reversal_is_min_plus_max_minus_x() {
        // 1–5 scale: 6 − x maps 1→5, 2→4, 3→3; 0–3 scale: 3 − x maps 0→3, 1→2.
        let mut items = vec![vec![Some(1.0), Some(2.0), Some(3.0), None], vec![Some(1.0), Some(2.0), Some(3.0), None]];
        reverse_items(&mut items, &[1, 2], &[2], 6.0);
        assert_eq!(items[0], vec![Some(1.0), Some(2.0), Some(3.0), None]);
        assert_eq!(items[1], vec![Some(5.0), Some(4.0), Some(3.0), None]);
        let mut items = vec![vec![Some(0.0), Some(1.0)]];
        reverse_items(&mut items, &[4], &[4], 3.0);
        assert_eq!(items[0], vec![Some(3.0), Some(2.0)]);
    }

    #[test]
    fn sum_is_prorated_when_items_are_missing() {
        // Answers 1, 2, 3 and one blank of k = 4: mean 2, prorated sum 2 × 4 = 8; complete row sums.
        let items = vec![
            vec![Some(1.0), Some(1.0)],
            vec![Some(2.0), Some(1.0)],
            vec![Some(3.0), Some(1.0)],
            vec![None, Some(1.0)],
        ];
        assert_eq!(score_rows(&items, 2, 3, Method::Sum), vec![Some(8.0), Some(4.0)]);
        assert_eq!(score_rows(&items, 2, 3, Method::Mean), vec![Some(2.0), Some(1.0)]);
        assert_eq!(score_rows(&items, 2, 4, Method::Sum), vec![None, Some(4.0)]);
    }
}
