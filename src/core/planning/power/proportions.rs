//! Two proportions with Cohen's h, as R's `pwr::pwr.2p.test` (equal n per group) and
//! `pwr::pwr.2p2n.test` (n1, n2): h = 2 asin(sqrt(p1)) - 2 asin(sqrt(p2)) (`pwr::ES.h`), and
//! the normal power with both rejection tails for two-sided tests:
//! `pnorm(h s - z) + pnorm(-z - h s)`, z = qnorm(1 - alpha/2), s = sqrt(n/2) or
//! sqrt(n1 n2 / (n1 + n2)). Solved n, n2 and h are tight roots (Brent, tol 1e-13).

use super::root::{brent, smallest_sufficient_n, solve_increasing, SizeSearch};
use super::{fmt_num, Alternative, Design, Inputs, PowerError, PowerOutput, SolveFor};
use crate::core::stats::nct::{pnorm, qnorm};
use std::f64::consts::PI;

const N_MIN: f64 = 2.0 + 1e-10;
const N_MAX: f64 = 1e9;
const ROOT_TOL: f64 = 1e-13;

/// Cohen's h (R: `pwr::ES.h(p1, p2)`).
pub fn cohens_h(p1: f64, p2: f64) -> f64 {
    2.0 * p1.sqrt().asin() - 2.0 * p2.sqrt().asin()
}

/// pwr's normal power for effect h and scale s (h s is the mean of the z statistic).
pub(crate) fn normal_power(h: f64, s: f64, sig: f64, alt: Alternative) -> Option<f64> {
    let p = match alt {
        Alternative::TwoSided => {
            let z = -qnorm(sig / 2.0)?;
            let hs = h.abs() * s;
            pnorm(hs - z) + pnorm(-z - hs)
        }
        Alternative::Greater => pnorm(h * s + qnorm(sig)?),
        Alternative::Less => pnorm(qnorm(sig)? - h * s),
    };
    p.is_finite().then_some(p.clamp(0.0, 1.0))
}

fn scale_equal(n: f64) -> f64 {
    (n / 2.0).sqrt()
}

fn scale_unequal(n1: f64, n2: f64) -> f64 {
    (n1 * n2 / (n1 + n2)).sqrt()
}

fn percent(p: f64) -> String {
    format!("{}%", fmt_num((p * 1000.0).round() / 10.0))
}

/// h from p1 and p2, or given directly.
fn effect(inputs: &Inputs) -> Result<f64, PowerError> {
    if inputs.has("p1") || inputs.has("p2") || !inputs.has("h") {
        let p1 = inputs.num_in_open("p1", 0.0, 1.0)?;
        let p2 = inputs.num_in_open("p2", 0.0, 1.0)?;
        Ok(cohens_h(p1, p2))
    } else {
        let h = inputs.num("h")?;
        if h.abs() <= PI {
            Ok(h)
        } else {
            Err(PowerError::field(
                "h",
                "The effect size h lies between -3.14 and 3.14 (it is a difference of two angles).",
            ))
        }
    }
}

fn at_least_2(inputs: &Inputs, name: &str) -> Result<f64, PowerError> {
    inputs.num_at_least(name, 2.0)
}

fn check_direction(h: f64, alt: Alternative) -> Result<(), PowerError> {
    let msg = match alt {
        _ if h == 0.0 => Some("The two proportions are equal, so no sample size can show a difference."),
        Alternative::Greater if h < 0.0 => Some("A one-sided \"greater\" test needs p1 above p2."),
        Alternative::Less if h > 0.0 => Some("A one-sided \"less\" test needs p1 below p2."),
        _ => None,
    };
    match msg {
        Some(m) => Err(PowerError::field("p1", m)),
        None => Ok(()),
    }
}

fn solve_size(power_at: &dyn Fn(f64) -> Option<f64>, target: f64, what: &str) -> Result<f64, PowerError> {
    match solve_increasing(power_at, target, N_MIN, N_MAX, ROOT_TOL) {
        SizeSearch::Root(n) => Ok(n),
        SizeSearch::AlreadyAtMin(p) => Err(PowerError::field(
            what,
            format!(
                "Even 2 per group already give {} power, above the {} target: any sample size will do.",
                percent(p),
                percent(target)
            ),
        )),
        SizeSearch::Unreachable => {
            let extra = if what == "n2" { " with this first group; enlarge n1" } else { "" };
            Err(PowerError::field(
                what,
                format!("No sample size up to 1,000,000,000 reaches {} power{}.", percent(target), extra),
            ))
        }
        SizeSearch::Failed => Err(PowerError::new("The power could not be computed for these inputs.")),
    }
}

fn solve_h(power_at: &dyn Fn(f64) -> Option<f64>, target: f64, alt: Alternative) -> Result<f64, PowerError> {
    let (lo, hi) = match alt {
        Alternative::TwoSided => (1e-10, PI),
        Alternative::Greater | Alternative::Less => (-PI, PI),
    };
    let f = |h: f64| power_at(h).map_or(f64::NAN, |p| p - target);
    let (flo, fhi) = (f(lo), f(hi));
    if (flo > 0.0) == (fhi > 0.0) {
        return Err(PowerError::field(
            "power",
            if flo > 0.0 {
                format!("This sample already has {} power for a negligible difference.", percent(target))
            } else {
                format!("No difference between two proportions reaches {} power with this sample.", percent(target))
            },
        ));
    }
    brent(f, lo, hi, ROOT_TOL).ok_or_else(|| PowerError::new("The effect size search did not converge."))
}

pub(crate) fn solve(design: Design, what: SolveFor, inputs: &Inputs) -> Result<PowerOutput, PowerError> {
    let sig = inputs.sig_level()?;
    let alt = inputs.alternative()?;
    let mut out = PowerOutput::default();
    let equal = design == Design::TwoProportionsEqualN;
    match what {
        SolveFor::Power => {
            let h = effect(inputs)?;
            let s = if equal {
                scale_equal(at_least_2(inputs, "n")?)
            } else {
                scale_unequal(at_least_2(inputs, "n1")?, at_least_2(inputs, "n2")?)
            };
            out.h = Some(h);
            out.power = Some(
                normal_power(h, s, sig, alt)
                    .ok_or_else(|| PowerError::new("The power could not be computed for these inputs."))?,
            );
        }
        SolveFor::N if equal => {
            let h = effect(inputs)?;
            check_direction(h, alt)?;
            let target = inputs.target_power(sig)?;
            let power_at = |n: f64| normal_power(h, scale_equal(n), sig, alt);
            let n = solve_size(&power_at, target, "n")?;
            out.h = Some(h);
            out.n_real = Some(n);
            out.n_ceiling = smallest_sufficient_n(n, 2, target, power_at);
            out.power_at_n_ceiling = out.n_ceiling.and_then(|c| power_at(c as f64));
        }
        SolveFor::N2 if !equal => {
            let h = effect(inputs)?;
            check_direction(h, alt)?;
            let n1 = at_least_2(inputs, "n1")?;
            let target = inputs.target_power(sig)?;
            let power_at = |n2: f64| normal_power(h, scale_unequal(n1, n2), sig, alt);
            let n2 = solve_size(&power_at, target, "n2")?;
            out.h = Some(h);
            out.n2_real = Some(n2);
            out.n2_ceiling = smallest_sufficient_n(n2, 2, target, power_at);
            out.power_at_n2_ceiling = out.n2_ceiling.and_then(|c| power_at(c as f64));
        }
        SolveFor::H => {
            let s = if equal {
                scale_equal(at_least_2(inputs, "n")?)
            } else {
                scale_unequal(at_least_2(inputs, "n1")?, at_least_2(inputs, "n2")?)
            };
            let target = inputs.target_power(sig)?;
            out.h_detectable = Some(solve_h(&|h| normal_power(h, s, sig, alt), target, alt)?);
        }
        _ => return Err(PowerError::field("solve_for", "This design cannot be solved for that.")),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::{solve as solve_case, PowerCase};
    use super::*;

    #[test]
    fn cohens_h_matches_pwr() {
        // power.json: pwr::ES.h(0.4, 0.25) = 0.32224085480796805
        assert!((cohens_h(0.4, 0.25) - 0.32224085480796805).abs() < 1e-15);
    }

    #[test]
    fn invalid_proportions_are_plain_errors() {
        let case = PowerCase::new(Design::TwoProportionsEqualN, SolveFor::Power)
            .with("p1", 1.2)
            .with("p2", 0.3)
            .with("n", 50.0);
        let e = solve_case(&case).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("p1"));
        assert!(e.message.contains("between 0 and 1"), "{}", e.message);
        let case = PowerCase::new(Design::TwoProportionsEqualN, SolveFor::N)
            .with("p1", 0.3)
            .with("p2", 0.3)
            .with("power", 0.8);
        assert!(solve_case(&case).unwrap_err().message.contains("equal"));
        let case = PowerCase::new(Design::TwoProportionsEqualN, SolveFor::Power).with("h", 4.0).with("n", 50.0);
        assert_eq!(solve_case(&case).unwrap_err().field.as_deref(), Some("h"));
    }

    #[test]
    fn h_can_replace_the_proportions() {
        let by_p = PowerCase::new(Design::TwoProportionsEqualN, SolveFor::Power)
            .with("p1", 0.4)
            .with("p2", 0.25)
            .with("n", 120.0);
        let by_h = PowerCase::new(Design::TwoProportionsEqualN, SolveFor::Power)
            .with("h", cohens_h(0.4, 0.25))
            .with("n", 120.0);
        // power.json: pwr.2p.test(h = ES.h(0.4, 0.25), n = 120)$power = 0.7040604716695242
        let (a, b) = (solve_case(&by_p).unwrap().power.unwrap(), solve_case(&by_h).unwrap().power.unwrap());
        assert!((a - 0.7040604716695242).abs() < 1e-12 && a == b);
    }
}
