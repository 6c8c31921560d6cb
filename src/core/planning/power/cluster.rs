//! Cluster-randomised trial, treatment at level 2 (PowerUp! CRA2_2; Dong & Maynard 2013):
//!
//! ```text
//! df  = J - g - 2
//! v   = rho (1 - R2_2) / (P (1 - P) J) + (1 - rho)(1 - R2_1) / (P (1 - P) J n)
//! M   = qt(1 - alpha/2, df) + qt(power, df)      (qt(1 - alpha, df) one-sided)
//! MDES = M sqrt(v);  power at delta: ncp = delta / sqrt(v), both rejection tails
//! ```
//!
//! Solving for J gives the smallest whole number of clusters reaching the target power.

use super::t_tests::t_power;
use super::{fmt_num, Alternative, Inputs, PowerError, PowerOutput, SolveFor};
use crate::core::stats::nct::{qt, qt_upper};

struct Cluster {
    n: f64,
    p: f64,
    rho: f64,
    r2_1: f64,
    r2_2: f64,
    g: f64,
}

impl Cluster {
    fn df(&self, j: f64) -> f64 {
        j - self.g - 2.0
    }

    fn se(&self, j: f64) -> f64 {
        let pq = self.p * (1.0 - self.p);
        (self.rho * (1.0 - self.r2_2) / (pq * j) + (1.0 - self.rho) * (1.0 - self.r2_1) / (pq * j * self.n)).sqrt()
    }

    fn power(&self, j: f64, delta: f64, sig: f64, alt: Alternative) -> Option<f64> {
        t_power(delta, 1.0 / self.se(j), self.df(j), sig, alt)
    }
}

fn in_unit(inputs: &Inputs, name: &str, default: f64) -> Result<f64, PowerError> {
    let v = inputs.num_or(name, default)?;
    if (0.0..1.0).contains(&v) {
        Ok(v)
    } else {
        Err(PowerError::field(
            name,
            format!("{} must be at least 0 and below 1.", super::capitalise(super::input_label(name))),
        ))
    }
}

fn check_j(c: &Cluster, j: f64) -> Result<f64, PowerError> {
    if c.df(j) >= 1.0 {
        Ok(j)
    } else {
        Err(PowerError::field(
            "J",
            format!(
                "With {} cluster-level covariates you need at least {} clusters (J).",
                fmt_num(c.g),
                fmt_num(c.g + 3.0)
            ),
        ))
    }
}

pub(crate) fn solve(what: SolveFor, inputs: &Inputs) -> Result<PowerOutput, PowerError> {
    let sig = inputs.sig_level()?;
    let alt = inputs.alternative()?;
    let c = Cluster {
        n: inputs.num_at_least("n", 1.0)?,
        p: inputs.num_or("P", 0.5).and_then(|p| {
            if p > 0.0 && p < 1.0 {
                Ok(p)
            } else {
                Err(PowerError::field("P", "The share of clusters treated (P) must be between 0 and 1."))
            }
        })?,
        rho: in_unit(inputs, "rho", 0.0)?,
        r2_1: in_unit(inputs, "R2_1", 0.0)?,
        r2_2: in_unit(inputs, "R2_2", 0.0)?,
        g: {
            let g = inputs.num_or("g", 0.0)?;
            if g >= 0.0 {
                g
            } else {
                return Err(PowerError::field("g", "The number of cluster-level covariates cannot be negative."));
            }
        },
    };
    let mut out = PowerOutput::default();
    match what {
        SolveFor::Mdes => {
            let j = check_j(&c, inputs.num("J")?)?;
            let target = inputs.target_power(sig)?;
            let df = c.df(j);
            let crit = match alt {
                Alternative::TwoSided => qt_upper(sig / 2.0, df),
                _ => qt_upper(sig, df),
            };
            let m = crit
                .zip(qt(target, df))
                .map(|(a, b)| a + b)
                .ok_or_else(|| PowerError::new("The multiplier could not be computed for these inputs."))?;
            let se = c.se(j);
            let mdes = m * se;
            out.df = Some(df);
            out.se_standardized = Some(se);
            out.multiplier_M = Some(m);
            out.mdes = Some(match alt {
                Alternative::Less => -mdes,
                _ => mdes,
            });
            out.power_at_mdes = out.mdes.and_then(|d| c.power(j, d, sig, alt));
        }
        SolveFor::Power => {
            let j = check_j(&c, inputs.num("J")?)?;
            let delta = inputs.num("delta")?;
            let se = c.se(j);
            out.df = Some(c.df(j));
            out.se_standardized = Some(se);
            out.ncp = Some(delta / se);
            out.power = Some(
                c.power(j, delta, sig, alt)
                    .ok_or_else(|| PowerError::new("The power could not be computed for these inputs."))?,
            );
        }
        SolveFor::J => {
            let delta = inputs.num("delta")?;
            let target = inputs.target_power(sig)?;
            let wrong_way = match alt {
                Alternative::TwoSided => delta == 0.0,
                Alternative::Greater => delta <= 0.0,
                Alternative::Less => delta >= 0.0,
            };
            if wrong_way {
                return Err(PowerError::field(
                    "delta",
                    "Enter a non-zero effect size delta (positive for \"greater\", negative for \"less\").",
                ));
            }
            let ok = |j: f64| c.power(j, delta, sig, alt).is_some_and(|p| p >= target);
            let j_min = (c.g + 3.0).ceil();
            let (mut lo, mut hi) = (j_min, j_min);
            if !ok(lo) {
                // Double until reached, then bisect on whole numbers: lo fails, hi succeeds.
                loop {
                    lo = hi;
                    hi = (hi * 2.0).max(hi + 1.0);
                    if hi > 1e7 {
                        return Err(PowerError::field(
                            "delta",
                            "More than 10,000,000 clusters would be needed; the effect is too small to detect.",
                        ));
                    }
                    if ok(hi) {
                        break;
                    }
                }
                while hi - lo > 1.0 {
                    let mid = ((lo + hi) / 2.0).floor();
                    if ok(mid) {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
            }
            let j = hi;
            let se = c.se(j);
            out.clusters = Some(j as u64);
            out.df = Some(c.df(j));
            out.se_standardized = Some(se);
            out.ncp = Some(delta / se);
            out.power = c.power(j, delta, sig, alt);
        }
        _ => return Err(PowerError::field("solve_for", "This design cannot be solved for that.")),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::{solve as solve_case, Design, PowerCase};
    use super::*;

    fn base(what: SolveFor) -> PowerCase {
        PowerCase::new(Design::ClusterCra2, what)
            .with("n", 20.0)
            .with("P", 0.5)
            .with("rho", 0.1)
            .with("R2_1", 0.0)
            .with("R2_2", 0.0)
            .with("g", 0.0)
    }

    #[test]
    fn clusters_needed_is_the_smallest_j_reaching_the_power() {
        // power.json: J = 16 gives 0.4985 and J = 40 gives 0.8992 at delta = 0.4.
        let out = solve_case(&base(SolveFor::J).with("delta", 0.4).with("power", 0.8)).unwrap();
        let j = out.clusters.unwrap();
        assert!(j > 16 && j <= 40, "{j}");
        assert!(out.power.unwrap() >= 0.8);
        let below = solve_case(&base(SolveFor::Power).with("delta", 0.4).with("J", (j - 1) as f64)).unwrap();
        assert!(below.power.unwrap() < 0.8);
    }

    #[test]
    fn cluster_errors_are_plain() {
        let e = solve_case(&base(SolveFor::Power).with("delta", 0.4).with("J", 2.0)).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("J"));
        let e = solve_case(&base(SolveFor::Power).with("delta", 0.4).with("J", 20.0).with("rho", 1.0)).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("rho"));
        let e = solve_case(&base(SolveFor::J).with("delta", 0.0).with("power", 0.8)).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("delta"));
    }
}
