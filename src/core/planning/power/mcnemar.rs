//! Paired yes/no outcomes (McNemar), Connor (1987):
//! psi = p01 + p10 (discordant probability), delta = p01 - p10,
//! n = (z_a sqrt(psi) + z_b sqrt(psi - delta^2))^2 / delta^2 with z_a = qnorm(1 - alpha/2)
//! (qnorm(1 - alpha) one-sided) and z_b = qnorm(power); the power is the formula inverted,
//! upper tail only: Phi((|delta| sqrt(n) - z_a sqrt(psi)) / sqrt(psi - delta^2)).

use super::root::smallest_sufficient_n;
use super::{Alternative, Inputs, PowerError, PowerOutput, SolveFor};
use crate::core::stats::nct::{pnorm, qnorm};

fn proportion(inputs: &Inputs, name: &str) -> Result<f64, PowerError> {
    let v = inputs.num(name)?;
    if (0.0..1.0).contains(&v) {
        Ok(v)
    } else {
        Err(PowerError::field(
            name,
            format!("{} must be at least 0 and below 1.", super::capitalise(super::input_label(name))),
        ))
    }
}

pub(crate) fn solve(what: SolveFor, inputs: &Inputs) -> Result<PowerOutput, PowerError> {
    let sig = inputs.sig_level()?;
    let alt = inputs.alternative()?;
    let (p01, p10) = (proportion(inputs, "p01")?, proportion(inputs, "p10")?);
    let psi = p01 + p10;
    let delta = p01 - p10;
    if psi > 1.0 {
        return Err(PowerError::field(
            "p10",
            "p01 and p10 together cannot exceed 1 (they are shares of the same pairs).",
        ));
    }
    let spread = psi - delta * delta;
    if !(psi > 0.0 && spread > 0.0) {
        return Err(PowerError::field("p01", "Enter the expected shares of pairs that change from no to yes (p01) and from yes to no (p10); at least one must be above 0."));
    }
    // The effect in the direction tested.
    let effect = match alt {
        Alternative::TwoSided => delta.abs(),
        Alternative::Greater => delta,
        Alternative::Less => -delta,
    };
    let z_a = match alt {
        Alternative::TwoSided => qnorm(sig / 2.0).map(|z| -z),
        _ => qnorm(sig).map(|z| -z),
    }
    .ok_or_else(|| PowerError::field("sig_level", "The significance level must be between 0 and 1."))?;
    let power_at = |n: f64| -> Option<f64> {
        let p = pnorm((effect * n.sqrt() - z_a * psi.sqrt()) / spread.sqrt());
        p.is_finite().then_some(p)
    };
    let mut out = PowerOutput { psi_discordant: Some(psi), delta: Some(delta), ..PowerOutput::default() };
    match what {
        SolveFor::N => {
            if effect <= 0.0 {
                return Err(PowerError::field(
                    "p01",
                    match alt {
                        Alternative::TwoSided => "p01 and p10 are equal, so no number of pairs can show a change.",
                        Alternative::Greater => "A one-sided \"greater\" test needs p01 above p10.",
                        Alternative::Less => "A one-sided \"less\" test needs p01 below p10.",
                    },
                ));
            }
            let target = inputs.target_power(sig)?;
            let z_b =
                qnorm(target).ok_or_else(|| PowerError::field("power", "The target power must be between 0 and 1."))?;
            let root = z_a * psi.sqrt() + z_b * spread.sqrt();
            if root <= 0.0 {
                return Err(PowerError::field(
                    "power",
                    "The target power is too low for this formula; use at least 50%.",
                ));
            }
            let n = root * root / (delta * delta);
            out.n_real = Some(n);
            out.n_ceiling = smallest_sufficient_n(n, 1, target, power_at);
            out.power_at_n_ceiling = out.n_ceiling.and_then(|c| power_at(c as f64));
        }
        SolveFor::Power => {
            let n = inputs.num_at_least("n", 1.0)?;
            out.power =
                Some(power_at(n).ok_or_else(|| PowerError::new("The power could not be computed for these inputs."))?);
        }
        _ => return Err(PowerError::field("solve_for", "This design cannot be solved for that.")),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::{solve as solve_case, Design, PowerCase};
    use super::*;

    #[test]
    fn connor_errors_are_plain() {
        let case =
            PowerCase::new(Design::McnemarConnor, SolveFor::N).with("p01", 0.1).with("p10", 0.1).with("power", 0.8);
        assert!(solve_case(&case).unwrap_err().message.contains("equal"));
        let case =
            PowerCase::new(Design::McnemarConnor, SolveFor::N).with("p01", 0.7).with("p10", 0.6).with("power", 0.8);
        assert!(solve_case(&case).unwrap_err().message.contains("exceed 1"));
        let case =
            PowerCase::new(Design::McnemarConnor, SolveFor::N).with("p01", -0.1).with("p10", 0.2).with("power", 0.8);
        assert_eq!(solve_case(&case).unwrap_err().field.as_deref(), Some("p01"));
        let case = PowerCase::new(Design::McnemarConnor, SolveFor::N)
            .with("p01", 0.06)
            .with("p10", 0.18)
            .with("power", 0.8)
            .with("alternative", "greater");
        assert!(solve_case(&case).unwrap_err().message.contains("p01 above p10"));
    }

    #[test]
    fn power_at_the_solved_n_is_the_target() {
        let n = solve_case(
            &PowerCase::new(Design::McnemarConnor, SolveFor::N).with("p01", 0.18).with("p10", 0.06).with("power", 0.8),
        )
        .unwrap();
        let p = solve_case(
            &PowerCase::new(Design::McnemarConnor, SolveFor::Power)
                .with("p01", 0.18)
                .with("p10", 0.06)
                .with("n", n.n_real.unwrap()),
        )
        .unwrap();
        assert!((p.power.unwrap() - 0.8).abs() < 1e-12);
        assert_eq!(n.n_ceiling, Some(129));
    }
}
