//! t-test designs as R's `pwr`: `pwr.t.test(type = "paired")`, `pwr.t.test(type =
//! "two.sample")`, `pwr.t2n.test`, and the ANCOVA approximation (d_adj = d / sqrt(1 - r^2),
//! then the two-sample test).
//!
//! Power (pwr's definition): two-sided counts both rejection tails,
//! `pt(qu, df, ncp, lower = FALSE) + pt(-qu, df, ncp)` with `qu = qt(alpha/2, df, lower =
//! FALSE)`; "greater" is the upper tail at `qt(alpha, df, lower = FALSE)`; "less" the lower
//! tail at `qt(alpha, df)`. ncp = d sqrt(n) (paired, df = n - 1), d sqrt(n/2) (two-sample,
//! df = 2n - 2), d / sqrt(1/n1 + 1/n2) (unequal, df = n1 + n2 - 2). Solved n, n2 and d are
//! tight roots (Brent, tol 1e-13) of this power function on pwr's own search intervals.

use super::root::{brent, smallest_sufficient_n, solve_increasing, SizeSearch};
use super::{fmt_num, Alternative, Design, Inputs, PowerError, PowerOutput, SolveFor};
use crate::core::stats::nct::{nct_tails, qt_upper};

/// Smallest n pwr searches from, and the largest.
const N_MIN: f64 = 2.0 + 1e-10;
const N_MAX: f64 = 1e9;
const ROOT_TOL: f64 = 1e-13;

/// pwr's t-test power for a given noncentrality `d * scale` and df.
pub(crate) fn t_power(d: f64, scale: f64, df: f64, sig: f64, alt: Alternative) -> Option<f64> {
    let p = match alt {
        Alternative::TwoSided => {
            let ncp = d.abs() * scale;
            let qu = qt_upper(sig / 2.0, df)?;
            nct_tails(qu, df, ncp)?.1 + nct_tails(-qu, df, ncp)?.0
        }
        Alternative::Greater => nct_tails(qt_upper(sig, df)?, df, d * scale)?.1,
        Alternative::Less => nct_tails(-qt_upper(sig, df)?, df, d * scale)?.0,
    };
    p.is_finite().then_some(p.clamp(0.0, 1.0))
}

/// Which t-test, and its group sizes.
#[derive(Clone, Copy)]
enum Sizes {
    Paired(f64),
    Equal(f64),
    Unequal(f64, f64),
}

impl Sizes {
    fn df_scale(self) -> (f64, f64) {
        match self {
            Sizes::Paired(n) => (n - 1.0, n.sqrt()),
            Sizes::Equal(n) => (2.0 * (n - 1.0), (n / 2.0).sqrt()),
            Sizes::Unequal(n1, n2) => (n1 + n2 - 2.0, 1.0 / (1.0 / n1 + 1.0 / n2).sqrt()),
        }
    }

    fn power(self, d: f64, sig: f64, alt: Alternative) -> Option<f64> {
        let (df, scale) = self.df_scale();
        t_power(d, scale, df, sig, alt)
    }
}

fn percent(p: f64) -> String {
    format!("{}%", fmt_num((p * 1000.0).round() / 10.0))
}

/// The effect must point the way of a one-sided test, and be non-zero.
fn check_direction(d: f64, alt: Alternative, name: &str) -> Result<(), PowerError> {
    let msg = match alt {
        _ if d == 0.0 => Some(format!(
            "With an effect of 0 no sample size gives more power than the significance level; enter a non-zero {name}."
        )),
        Alternative::Greater if d < 0.0 => Some(format!("A one-sided \"greater\" test needs a positive {name}.")),
        Alternative::Less if d > 0.0 => Some(format!("A one-sided \"less\" test needs a negative {name}.")),
        _ => None,
    };
    match msg {
        Some(m) => Err(PowerError::field(name, m)),
        None => Ok(()),
    }
}

/// Real n (or n2) at which `power_at(n)` equals the target, searched on [2 + 1e-10, 1e9].
fn solve_size(power_at: &dyn Fn(f64) -> Option<f64>, target: f64, what: &str) -> Result<f64, PowerError> {
    match solve_increasing(power_at, target, N_MIN, N_MAX, ROOT_TOL) {
        SizeSearch::Root(n) => Ok(n),
        SizeSearch::AlreadyAtMin(p) => Err(PowerError::field(
            what,
            format!("Even the smallest possible sample (2) already gives {} power, above the {} target: any sample size will do.", percent(p), percent(target)),
        )),
        SizeSearch::Unreachable => {
            let extra = if what == "n2" { " with this first group; enlarge n1 or the effect" } else { "; the effect is too small to detect" };
            Err(PowerError::field(what, format!("No sample size up to 1,000,000,000 reaches {} power{}.", percent(target), extra)))
        }
        SizeSearch::Failed => Err(PowerError::new("The power could not be computed for these inputs.")),
    }
}

/// Effect size at which the power equals the target, on pwr's interval for `alt`.
fn solve_effect(power_at: &dyn Fn(f64) -> Option<f64>, target: f64, alt: Alternative) -> Result<f64, PowerError> {
    let (lo, hi) = match alt {
        Alternative::TwoSided => (1e-7, 10.0),
        Alternative::Greater => (-5.0, 10.0),
        Alternative::Less => (-10.0, 5.0),
    };
    let f = |d: f64| power_at(d).map_or(f64::NAN, |p| p - target);
    let (flo, fhi) = (f(lo), f(hi));
    let reachable = match alt {
        Alternative::Less => flo >= 0.0,
        _ => fhi >= 0.0,
    };
    if !reachable {
        return Err(PowerError::field(
            "power",
            format!("No effect size up to 10 standard deviations reaches {} power with this sample.", percent(target)),
        ));
    }
    let already = match alt {
        Alternative::Less => fhi >= 0.0,
        _ => flo >= 0.0,
    };
    if already {
        return Err(PowerError::field(
            "power",
            format!("This sample already has {} power for a negligible effect.", percent(target)),
        ));
    }
    brent(f, lo, hi, ROOT_TOL).ok_or_else(|| PowerError::new("The effect size search did not converge."))
}

pub(crate) fn solve(design: Design, what: SolveFor, inputs: &Inputs) -> Result<PowerOutput, PowerError> {
    let sig = inputs.sig_level()?;
    let alt = inputs.alternative()?;
    let mut out = PowerOutput::default();
    // ANCOVA: the test runs on d_adj = d / sqrt(1 - r^2); `factor` = 1/sqrt(1 - r^2).
    let factor = if design == Design::AncovaTwoSample {
        let r = inputs.num("r_pre_post")?;
        if !(r > -1.0 && r < 1.0) {
            return Err(PowerError::field(
                "r_pre_post",
                "The correlation between baseline and follow-up must be between -1 and 1.",
            ));
        }
        1.0 / (1.0 - r * r).sqrt()
    } else {
        1.0
    };
    let sizes = |n: f64| -> Sizes {
        match design {
            Design::PairedT => Sizes::Paired(n),
            _ => Sizes::Equal(n),
        }
    };
    let n_at_least_2 = |name: &str| -> Result<f64, PowerError> {
        let n = inputs.num(name)?;
        if n >= 2.0 {
            Ok(n)
        } else {
            Err(PowerError::field(
                name,
                format!("{} must be at least 2 (not {}).", super::capitalise(super::input_label(name)), fmt_num(n)),
            ))
        }
    };
    match (design, what) {
        (Design::TwoSampleTUnequalN, SolveFor::Power) => {
            let (d, n1, n2) = (inputs.num("d")?, n_at_least_2("n1")?, n_at_least_2("n2")?);
            out.power = Sizes::Unequal(n1, n2).power(d, sig, alt);
        }
        (Design::TwoSampleTUnequalN, SolveFor::D) => {
            let (n1, n2) = (n_at_least_2("n1")?, n_at_least_2("n2")?);
            let target = inputs.target_power(sig)?;
            out.d = Some(solve_effect(&|d| Sizes::Unequal(n1, n2).power(d, sig, alt), target, alt)?);
        }
        (Design::TwoSampleTUnequalN, SolveFor::N2) => {
            let (d, n1) = (inputs.num("d")?, n_at_least_2("n1")?);
            check_direction(d, alt, "d")?;
            let target = inputs.target_power(sig)?;
            let power_at = |n2: f64| Sizes::Unequal(n1, n2).power(d, sig, alt);
            let n2 = solve_size(&power_at, target, "n2")?;
            out.n2_real = Some(n2);
            out.n2_ceiling = smallest_sufficient_n(n2, 2, target, power_at);
            out.power_at_n2_ceiling = out.n2_ceiling.and_then(|c| power_at(c as f64));
        }
        (_, SolveFor::Power) => {
            let (d, n) = (inputs.num("d")?, n_at_least_2("n")?);
            out.power = sizes(n).power(d * factor, sig, alt);
        }
        (_, SolveFor::N) => {
            let d = inputs.num("d")?;
            check_direction(d, alt, "d")?;
            let target = inputs.target_power(sig)?;
            let power_at = |n: f64| sizes(n).power(d * factor, sig, alt);
            let n = solve_size(&power_at, target, "n")?;
            out.n_real = Some(n);
            out.n_ceiling = smallest_sufficient_n(n, 2, target, power_at);
            out.power_at_n_ceiling = out.n_ceiling.and_then(|c| power_at(c as f64));
        }
        (_, SolveFor::D) => {
            let n = n_at_least_2("n")?;
            let target = inputs.target_power(sig)?;
            let d_adj = solve_effect(&|d| sizes(n).power(d, sig, alt), target, alt)?;
            out.d = Some(d_adj / factor);
        }
        _ => return Err(PowerError::field("solve_for", "This design cannot be solved for that.")),
    }
    if design == Design::AncovaTwoSample {
        out.d_adjusted = match what {
            SolveFor::D => out.d.map(|d| d * factor),
            _ => Some(inputs.num("d")? * factor),
        };
    }
    if what == SolveFor::Power && out.power.is_none() {
        return Err(PowerError::new("The power could not be computed for these inputs."));
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::excessive_precision)]
mod tests {
    use super::super::{solve as solve_case, PowerCase};
    use super::*;

    #[test]
    fn two_sided_power_counts_both_tails() {
        // README trap: at d = 0.2, n = 12 (paired) the far tail adds 0.0047. R 4.2.2, with
        // qu <- qt(0.975, 11) and ncp <- sqrt(12)*0.2:
        //   pt(-qu, 11, ncp) = 0.0047072677201109858
        //   pt(qu, 11, ncp, lower.tail = FALSE) + pt(-qu, 11, ncp) = 0.097198783421051815
        let (df, ncp) = (11.0, 12f64.sqrt() * 0.2);
        let qu = qt_upper(0.025, df).unwrap();
        let far = nct_tails(-qu, df, ncp).unwrap().0;
        assert!((far - 0.0047072677201109858).abs() < 1e-12, "{far}");
        let p = t_power(0.2, 12f64.sqrt(), df, 0.05, Alternative::TwoSided).unwrap();
        assert!((p - 0.097198783421051815).abs() < 1e-12, "{p}");
        // The sign of d does not matter two-sided.
        assert_eq!(t_power(-0.2, 12f64.sqrt(), df, 0.05, Alternative::TwoSided), Some(p));
    }

    #[test]
    fn invalid_inputs_are_plain_errors() {
        let base = PowerCase::new(Design::PairedT, SolveFor::N).with("d", 0.3);
        let e = solve_case(&base.clone().with("power", 0.03)).unwrap_err();
        assert!(e.message.contains("higher than the significance level"), "{}", e.message);
        let e = solve_case(&base.clone().with("power", 1.0)).unwrap_err();
        assert!(e.message.contains("below 1"), "{}", e.message);
        let e = solve_case(&base.clone().with("power", 0.8).with("sig_level", 0.0)).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("sig_level"));
        let e = solve_case(&base.clone().with("power", 0.8).with("alternative", "sideways")).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("alternative"));
        let e =
            solve_case(&PowerCase::new(Design::PairedT, SolveFor::Power).with("d", 0.3).with("n", 1.5)).unwrap_err();
        assert!(e.message.contains("at least 2"), "{}", e.message);
        let e =
            solve_case(&PowerCase::new(Design::PairedT, SolveFor::N).with("d", 0.0).with("power", 0.8)).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("d"));
        let e = solve_case(
            &PowerCase::new(Design::PairedT, SolveFor::N)
                .with("d", -0.3)
                .with("power", 0.8)
                .with("alternative", "greater"),
        )
        .unwrap_err();
        assert!(e.message.contains("positive"), "{}", e.message);
        let e =
            solve_case(&PowerCase::new(Design::PairedT, SolveFor::N).with("d", 30.0).with("power", 0.8)).unwrap_err();
        assert!(e.message.contains("any sample size will do"), "{}", e.message);
        let e = solve_case(
            &PowerCase::new(Design::TwoSampleTUnequalN, SolveFor::N2)
                .with("d", 0.2)
                .with("n1", 10.0)
                .with("power", 0.8),
        )
        .unwrap_err();
        assert!(e.message.contains("enlarge n1"), "{}", e.message);
        let e = solve_case(
            &PowerCase::new(Design::AncovaTwoSample, SolveFor::Power)
                .with("d", 0.3)
                .with("n", 20.0)
                .with("r_pre_post", 1.0),
        )
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("r_pre_post"));
    }

    #[test]
    fn less_mirrors_greater() {
        let g = PowerCase::new(Design::PairedT, SolveFor::N)
            .with("d", 0.3)
            .with("power", 0.8)
            .with("alternative", "greater");
        let l =
            PowerCase::new(Design::PairedT, SolveFor::N).with("d", -0.3).with("power", 0.8).with("alternative", "less");
        let (g, l) = (solve_case(&g).unwrap(), solve_case(&l).unwrap());
        // power.json: pwr.t.test(d = 0.3, power = 0.8, type = "paired", alternative = "greater")$n = 70.0679...
        assert!((g.n_real.unwrap() - 70.06790520005808).abs() < 1e-6);
        assert!((l.n_real.unwrap() - g.n_real.unwrap()).abs() < 1e-8);
        assert_eq!(l.n_ceiling, Some(71));
    }
}
