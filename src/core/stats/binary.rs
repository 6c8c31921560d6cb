//! Yes/no outcomes (help-seeking): Wilson score intervals, McNemar's test for paired pre/post
//! answers, and the between-group comparison (risk difference with Newcombe's hybrid score
//! interval, risk and odds ratios with log-scale Wald intervals, Fisher's exact test and the
//! Yates-corrected chi-square). Definitions: `shared/reference/README.md`.

use crate::core::stats::describe::finite;
use crate::core::stats::dist::{z_quantile, z_two_sided_p};
use crate::core::stats::exact::{binom_test_two_sided, fisher_exact_two_sided};
use serde::{Deserialize, Serialize};

/// Upper-tail p of a chi-square statistic with 1 df (= 2·Φ(−√x), exact identity).
fn chisq1_p(x: f64) -> Option<f64> {
    if x.is_nan() || x < 0.0 {
        return None;
    }
    z_two_sided_p(x.sqrt())
}

/// Wilson score interval without continuity correction for `x` of `n`, as R's
/// `prop.test(x, n, correct = FALSE)$conf.int`: (p + z²/2n ± z√(p(1−p)/n + z²/4n²)) / (1 + z²/n),
/// with R's exact 0 / 1 limits at p = 0 / p = 1. `None` when `n == 0`.
pub fn wilson(x: usize, n: usize, alpha: f64) -> Option<(f64, f64)> {
    if n == 0 || x > n {
        return None;
    }
    let z = z_quantile(1.0 - alpha / 2.0)?;
    let nf = n as f64;
    let p = x as f64 / nf;
    let z22n = z * z / (2.0 * nf);
    let half = z * (p * (1.0 - p) / nf + z22n / (2.0 * nf)).sqrt();
    let low = if p <= 0.0 { 0.0 } else { (p + z22n - half) / (1.0 + 2.0 * z22n) };
    let high = if p >= 1.0 { 1.0 } else { (p + z22n + half) / (1.0 + 2.0 * z22n) };
    Some((finite(low)?, finite(high)?))
}

/// Paired yes/no (pre, post) within one arm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HelpPairedStats {
    pub n: usize,
    pub n_yes_pre: usize,
    pub n_yes_post: usize,
    pub prop_pre: Option<f64>,
    pub prop_pre_ci_low: Option<f64>,
    pub prop_pre_ci_high: Option<f64>,
    pub prop_post: Option<f64>,
    pub prop_post_ci_low: Option<f64>,
    pub prop_post_ci_high: Option<f64>,
    /// Pre no → post yes.
    pub b_no_to_yes: usize,
    /// Pre yes → post no.
    pub c_yes_to_no: usize,
    pub mcnemar_chisq: Option<f64>,
    pub mcnemar_p: Option<f64>,
    pub mcnemar_exact_p: Option<f64>,
    pub conf_level: f64,
}

/// McNemar statistic as R's `mcnemar.test(tab, correct = TRUE)`: (|b−c| − 1)²/(b+c), except
/// b == c, where R applies no correction and gives 0. `None` when b + c = 0.
pub fn mcnemar_chisq(b: usize, c: usize) -> Option<f64> {
    if b + c == 0 {
        return None;
    }
    if b == c {
        return Some(0.0);
    }
    let diff = (b as f64 - c as f64).abs() - 1.0;
    finite(diff * diff / (b + c) as f64)
}

/// Paired proportions with Wilson CIs, McNemar (R: `mcnemar.test`, `pchisq(.., 1, lower = FALSE)`)
/// and the exact McNemar p (R: `binom.test(b, b + c, 0.5)`). `pairs` holds (pre yes?, post yes?).
pub fn help_paired(pairs: &[(bool, bool)], alpha: f64) -> HelpPairedStats {
    let n = pairs.len();
    let n_yes_pre = pairs.iter().filter(|p| p.0).count();
    let n_yes_post = pairs.iter().filter(|p| p.1).count();
    let b = pairs.iter().filter(|p| !p.0 && p.1).count();
    let c = pairs.iter().filter(|p| p.0 && !p.1).count();
    let prop = |x: usize| (n > 0).then(|| x as f64 / n as f64);
    let (pre_ci, post_ci) = (wilson(n_yes_pre, n, alpha), wilson(n_yes_post, n, alpha));
    let chisq = mcnemar_chisq(b, c);
    HelpPairedStats {
        n,
        n_yes_pre,
        n_yes_post,
        prop_pre: prop(n_yes_pre),
        prop_pre_ci_low: pre_ci.map(|c| c.0),
        prop_pre_ci_high: pre_ci.map(|c| c.1),
        prop_post: prop(n_yes_post),
        prop_post_ci_low: post_ci.map(|c| c.0),
        prop_post_ci_high: post_ci.map(|c| c.1),
        b_no_to_yes: b,
        c_yes_to_no: c,
        mcnemar_chisq: chisq,
        mcnemar_p: chisq.and_then(chisq1_p),
        mcnemar_exact_p: binom_test_two_sided(b as u64, (b + c) as u64, 0.5),
        conf_level: 1.0 - alpha,
    }
}

/// Yes/no at post, intervention vs control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HelpBetweenStats {
    pub n_int: usize,
    pub yes_int: usize,
    pub n_ctrl: usize,
    pub yes_ctrl: usize,
    pub p_int: Option<f64>,
    pub p_int_ci_low: Option<f64>,
    pub p_int_ci_high: Option<f64>,
    pub p_ctrl: Option<f64>,
    pub p_ctrl_ci_low: Option<f64>,
    pub p_ctrl_ci_high: Option<f64>,
    pub rd: Option<f64>,
    pub rd_ci_low: Option<f64>,
    pub rd_ci_high: Option<f64>,
    pub rr: Option<f64>,
    pub rr_ci_low: Option<f64>,
    pub rr_ci_high: Option<f64>,
    pub or: Option<f64>,
    pub or_ci_low: Option<f64>,
    pub or_ci_high: Option<f64>,
    pub fisher_p: Option<f64>,
    pub chisq_yates: Option<f64>,
    pub chisq_yates_p: Option<f64>,
    pub conf_level: f64,
}

/// Yates-corrected chi-square of a 2×2 table, as R's `chisq.test(tab, correct = TRUE)`:
/// Σ(|O−E| − min(0.5, |O−E|))²/E. `None` when an expected count is 0.
pub fn chisq_yates(table: [[f64; 2]; 2]) -> Option<f64> {
    let rows = [table[0][0] + table[0][1], table[1][0] + table[1][1]];
    let cols = [table[0][0] + table[1][0], table[0][1] + table[1][1]];
    let total = rows[0] + rows[1];
    if total <= 0.0 {
        return None;
    }
    let mut dev = [[0.0f64; 2]; 2];
    let mut expected = [[0.0f64; 2]; 2];
    for (i, row) in table.iter().enumerate() {
        for (j, &o) in row.iter().enumerate() {
            let e = rows[i] * cols[j] / total;
            if e.is_nan() || e <= 0.0 {
                return None;
            }
            expected[i][j] = e;
            dev[i][j] = (o - e).abs();
        }
    }
    // R: YATES <- min(0.5, abs(x - E)) over the whole table.
    let yates = dev.iter().flatten().copied().fold(0.5f64, f64::min);
    let stat: f64 = (0..2)
        .flat_map(|i| (0..2).map(move |j| (i, j)))
        .map(|(i, j)| (dev[i][j] - yates).powi(2) / expected[i][j])
        .sum();
    finite(stat)
}

/// Between-group comparison of yes/no at post (`yes_int` of `n_int` vs `yes_ctrl` of `n_ctrl`).
///
/// - Proportions with Wilson CIs (R `prop.test(correct = FALSE)`).
/// - RD = p₁ − p₂ with Newcombe's hybrid score CI (method 10):
///   L = RD − √((p₁−l₁)² + (u₂−p₂)²), U = RD + √((u₁−p₁)² + (p₂−l₂)²).
/// - RR = p₁/p₂, CI exp(log RR ± z√(1/a − 1/n₁ + 1/c − 1/n₂)); OR = ad/(bc), CI
///   exp(log OR ± z√(1/a + 1/b + 1/c + 1/d)); both `None` when any cell is 0 (no correction).
/// - Fisher p as R `fisher.test`; Yates chi-square and p as R `chisq.test(correct = TRUE)`.
pub fn help_between(yes_int: usize, n_int: usize, yes_ctrl: usize, n_ctrl: usize, alpha: f64) -> HelpBetweenStats {
    let prop = |x: usize, n: usize| (n > 0 && x <= n).then(|| x as f64 / n as f64);
    let (p1, p2) = (prop(yes_int, n_int), prop(yes_ctrl, n_ctrl));
    let (w1, w2) = (wilson(yes_int, n_int, alpha), wilson(yes_ctrl, n_ctrl, alpha));
    let rd = match (p1, p2) {
        (Some(a), Some(b)) => Some(a - b),
        _ => None,
    };
    let (rd_ci_low, rd_ci_high) = match (p1, p2, w1, w2, rd) {
        (Some(p1), Some(p2), Some((l1, u1)), Some((l2, u2)), Some(d)) => (
            finite(d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt()),
            finite(d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt()),
        ),
        _ => (None, None),
    };
    let valid = p1.is_some() && p2.is_some();
    let (a, b) = (yes_int as f64, n_int.saturating_sub(yes_int) as f64);
    let (c, d) = (yes_ctrl as f64, n_ctrl.saturating_sub(yes_ctrl) as f64);
    let no_zero_cell = valid && a > 0.0 && b > 0.0 && c > 0.0 && d > 0.0;
    let z = z_quantile(1.0 - alpha / 2.0);
    let log_ci = |est: f64, se: f64| -> (Option<f64>, Option<f64>) {
        match z {
            Some(z) => (finite((est.ln() - z * se).exp()), finite((est.ln() + z * se).exp())),
            None => (None, None),
        }
    };
    let (mut rr, mut rr_ci, mut or, mut or_ci) = (None, (None, None), None, (None, None));
    if no_zero_cell {
        let (n1, n2) = (n_int as f64, n_ctrl as f64);
        let rr_est = (a / n1) / (c / n2);
        rr = finite(rr_est);
        rr_ci = log_ci(rr_est, (1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n2).sqrt());
        let or_est = (a * d) / (b * c);
        or = finite(or_est);
        or_ci = log_ci(or_est, (1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d).sqrt());
    }
    let fisher_p = if valid {
        fisher_exact_two_sided(yes_int as u64, (n_int - yes_int) as u64, yes_ctrl as u64, (n_ctrl - yes_ctrl) as u64)
    } else {
        None
    };
    let chisq = if valid { chisq_yates([[a, b], [c, d]]) } else { None };
    HelpBetweenStats {
        n_int,
        yes_int,
        n_ctrl,
        yes_ctrl,
        p_int: p1,
        p_int_ci_low: w1.map(|w| w.0),
        p_int_ci_high: w1.map(|w| w.1),
        p_ctrl: p2,
        p_ctrl_ci_low: w2.map(|w| w.0),
        p_ctrl_ci_high: w2.map(|w| w.1),
        rd,
        rd_ci_low,
        rd_ci_high,
        rr,
        rr_ci_low: rr_ci.0,
        rr_ci_high: rr_ci.1,
        or,
        or_ci_low: or_ci.0,
        or_ci_high: or_ci.1,
        fisher_p,
        chisq_yates: chisq,
        chisq_yates_p: chisq.and_then(chisq1_p),
        conf_level: 1.0 - alpha,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() <= 1e-9 + 1e-7 * b.abs())
    }

    #[test]
    fn wilson_matches_r() {
        // R: prop.test(2, 8, correct = FALSE)$conf.int = 0.07147921 0.59072457
        let (l, u) = wilson(2, 8, 0.05).unwrap();
        assert!(close(Some(l), 0.07147921275210903) && close(Some(u), 0.590724569689831));
        // p = 0: lower limit exactly 0 (R).
        let (l, u) = wilson(0, 15, 0.05).unwrap();
        assert_eq!(l, 0.0);
        assert!(close(Some(u), 0.20388330103584854));
        assert_eq!(wilson(0, 0, 0.05), None);
    }

    #[test]
    fn mcnemar_follows_r() {
        // R: mcnemar.test(matrix(c(5,0,4,1),2)): b = 0, c = 4 -> 2.25, p = 0.1336144
        assert_eq!(mcnemar_chisq(0, 4), Some(2.25));
        // b == c: R applies no correction (statistic 0, p = 1).
        assert_eq!(mcnemar_chisq(3, 3), Some(0.0));
        assert_eq!(mcnemar_chisq(0, 0), None);
        let s = help_paired(&[(false, true), (true, false), (true, true)], 0.05);
        assert_eq!((s.b_no_to_yes, s.c_yes_to_no), (1, 1));
        assert_eq!(s.mcnemar_p, Some(1.0));
        assert_eq!(s.mcnemar_exact_p, Some(1.0));
        let p = help_paired(&[(true, false), (true, false), (true, false), (true, false), (false, false)], 0.05);
        assert!(close(p.mcnemar_p, 0.13361440253771517));
        assert!(close(p.mcnemar_exact_p, 0.125));
    }

    #[test]
    fn empty_and_concordant_pairs_are_not_computable() {
        let e = help_paired(&[], 0.05);
        assert_eq!((e.prop_pre, e.prop_pre_ci_low, e.mcnemar_chisq, e.mcnemar_exact_p), (None, None, None, None));
        let c = help_paired(&[(true, true), (false, false)], 0.05);
        assert_eq!((c.mcnemar_chisq, c.mcnemar_p, c.mcnemar_exact_p), (None, None, None));
    }

    #[test]
    fn between_groups_match_reference_p11() {
        // shared/reference p11 (R): 4/10 vs 1/10.
        let s = help_between(4, 10, 1, 10, 0.05);
        assert!(close(s.rd_ci_low, -0.08242332347106335));
        assert!(close(s.rd_ci_high, 0.5988321919985742));
        assert!(close(s.rr_ci_high, 29.804512445201837));
        assert!(close(s.or_ci_low, 0.5321548004963279));
        assert!(close(s.fisher_p, 0.30340557275541785));
        assert!(close(s.chisq_yates, 1.0666666666666667));
        assert!(close(s.chisq_yates_p, 0.30169958247834794));
    }

    #[test]
    fn zero_cells_give_null_ratios_not_nan() {
        // shared/reference p10 (R): 6/15 vs 0/15.
        let s = help_between(6, 15, 0, 15, 0.05);
        assert_eq!((s.rr, s.rr_ci_low, s.or, s.or_ci_high), (None, None, None, None));
        assert!(close(s.rd_ci_low, 0.11316643146878974));
        assert!(close(s.chisq_yates, 5.208333333333334));
        // Nobody said yes anywhere: expected counts 0 -> chi-square undefined, Fisher p = 1.
        let z = help_between(0, 5, 0, 5, 0.05);
        assert_eq!(z.chisq_yates, None);
        assert_eq!(z.fisher_p, Some(1.0));
        // An empty arm: nothing comparative is computable.
        let e = help_between(0, 0, 2, 5, 0.05);
        assert_eq!((e.p_int, e.rd, e.rd_ci_low, e.rr, e.fisher_p, e.chisq_yates), (None, None, None, None, None, None));
        let json = serde_json::to_string(&e).unwrap();
        assert!(!json.contains("NaN"));
    }
}
