//! Inflating a sample size for clustering and drop-out, in exact decimal arithmetic:
//! DE = 1 + (m - 1) ICC; n = n_individual DE; n_enrol = n / (1 - attrition); one ceiling at
//! the end; clusters = ceiling(n / m). Binary floating point turns 84/(1 - 0.3) into
//! 120.00000000000001 (a naive ceiling says 121), so the inputs are read as the decimals the
//! user typed (numbers via their shortest round-trip text: 0.2 → "0.2") and computed as exact
//! fractions; if a fraction would overflow, plain floats with `ceil(x - 1e-9)` take over.

use super::root::ceil_count;
use super::{Design, Inputs, PowerError, PowerOutput};

/// An exact fraction num/den, den > 0, in lowest terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ratio {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

impl Ratio {
    fn new(num: i128, den: i128) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den).max(1);
        let (mut num, mut den) = (num / g, den / g);
        if den < 0 {
            num = num.checked_neg()?;
            den = den.checked_neg()?;
        }
        Some(Ratio { num, den })
    }

    fn int(v: i128) -> Ratio {
        Ratio { num: v, den: 1 }
    }

    /// Parses a decimal such as "0.2", "-1.5", "12", "2.5e-3" exactly.
    pub(crate) fn parse(text: &str) -> Option<Ratio> {
        let t = text.trim();
        let (mantissa, exp) = match t.find(['e', 'E']) {
            Some(i) => (&t[..i], t[i + 1..].parse::<i32>().ok()?),
            None => (t, 0),
        };
        let (neg, digits) = match mantissa.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, mantissa.strip_prefix('+').unwrap_or(mantissa)),
        };
        let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        if !int_part.chars().chain(frac_part.chars()).all(|c| c.is_ascii_digit())
            || int_part.len() + frac_part.len() > 30
            || exp.abs() > 30
        {
            return None;
        }
        let mut num: i128 = 0;
        for c in int_part.chars().chain(frac_part.chars()) {
            num = num.checked_mul(10)?.checked_add(i128::from(c.to_digit(10)?))?;
        }
        let scale = exp - frac_part.len() as i32;
        let pow = 10i128.checked_pow(scale.unsigned_abs())?;
        let r = if scale >= 0 { Ratio::new(num.checked_mul(pow)?, 1)? } else { Ratio::new(num, pow)? };
        if neg {
            Ratio::new(r.num.checked_neg()?, r.den)
        } else {
            Some(r)
        }
    }

    fn add(self, o: Ratio) -> Option<Ratio> {
        Ratio::new(
            self.num.checked_mul(o.den)?.checked_add(o.num.checked_mul(self.den)?)?,
            self.den.checked_mul(o.den)?,
        )
    }

    fn sub(self, o: Ratio) -> Option<Ratio> {
        self.add(Ratio { num: o.num.checked_neg()?, den: o.den })
    }

    fn mul(self, o: Ratio) -> Option<Ratio> {
        Ratio::new(self.num.checked_mul(o.num)?, self.den.checked_mul(o.den)?)
    }

    fn div(self, o: Ratio) -> Option<Ratio> {
        Ratio::new(self.num.checked_mul(o.den)?, self.den.checked_mul(o.num)?)
    }

    /// Exact ceiling of a non-negative fraction.
    fn ceil(self) -> Option<u64> {
        if self.num < 0 {
            return None;
        }
        let q = self.num / self.den + i128::from(self.num % self.den != 0);
        u64::try_from(q).ok()
    }

    fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

/// The inputs as exact fractions (with their float values, already validated).
struct Exact {
    n: Ratio,
    m: Option<Ratio>,
    icc: Option<Ratio>,
    attrition: Option<Ratio>,
}

fn exact(inputs: &Inputs, design: Design) -> Option<Exact> {
    let get = |name: &str| inputs.text(name).ok().and_then(|t| Ratio::parse(&t));
    let uses_de = design != Design::Attrition;
    let uses_attr = design != Design::DesignEffect;
    Some(Exact {
        n: get(if design == Design::Attrition { "n_required" } else { "n_individual" })?,
        m: if uses_de { Some(get("m")?) } else { None },
        icc: if uses_de { Some(get("icc")?) } else { None },
        attrition: if uses_attr { Some(get("attrition")?) } else { None },
    })
}

/// (design effect, n, clusters) exactly; `None` on overflow.
fn compute_exact(e: &Exact) -> Option<(Option<Ratio>, Ratio, Option<u64>)> {
    let one = Ratio::int(1);
    let de = match (e.m, e.icc) {
        (Some(m), Some(icc)) => Some(one.add(m.sub(one)?.mul(icc)?)?),
        _ => None,
    };
    let mut n = match de {
        Some(de) => e.n.mul(de)?,
        None => e.n,
    };
    if let Some(a) = e.attrition {
        n = n.div(one.sub(a)?)?;
    }
    let clusters = match e.m {
        Some(m) => Some(n.div(m)?.ceil()?),
        None => None,
    };
    Some((de, n, clusters))
}

pub(crate) fn solve(design: Design, inputs: &Inputs) -> Result<PowerOutput, PowerError> {
    // Validate as floats first (plain-language errors), then compute exactly.
    let n_name = if design == Design::Attrition { "n_required" } else { "n_individual" };
    let n = inputs.num(n_name)?;
    if n <= 0.0 {
        return Err(PowerError::field(
            n_name,
            format!("{} must be above 0.", super::capitalise(super::input_label(n_name))),
        ));
    }
    let (m, icc) = if design != Design::Attrition {
        let m = inputs.num_at_least("m", 1.0)?;
        let icc = inputs.num("icc")?;
        if !(0.0..1.0).contains(&icc) {
            return Err(PowerError::field(
                "icc",
                "The intraclass correlation (ICC) must be at least 0 and below 1 (typically 0.01 to 0.2).",
            ));
        }
        (Some(m), Some(icc))
    } else {
        (None, None)
    };
    let attrition = if design != Design::DesignEffect {
        let a = inputs.num("attrition")?;
        if !(0.0..1.0).contains(&a) {
            return Err(PowerError::field(
                "attrition",
                "The drop-out rate must be at least 0 and below 1 (for example 0.2 for 20%).",
            ));
        }
        Some(a)
    } else {
        None
    };
    let mut out = PowerOutput::default();
    if let Some((de, n_exact, clusters)) = exact(inputs, design).as_ref().and_then(compute_exact) {
        out.design_effect = de.map(Ratio::to_f64);
        out.n_real = Some(n_exact.to_f64());
        out.n_ceiling = n_exact.ceil();
        out.clusters = clusters;
    } else {
        // Float fallback (inputs too long for exact fractions).
        let de = m.zip(icc).map(|(m, icc)| 1.0 + (m - 1.0) * icc);
        let n_real = n * de.unwrap_or(1.0) / (1.0 - attrition.unwrap_or(0.0));
        out.design_effect = de;
        out.n_real = Some(n_real);
        out.n_ceiling = ceil_count(n_real);
        out.clusters = m.and_then(|m| ceil_count(n_real / m));
    }
    if out.n_ceiling.is_none() {
        return Err(PowerError::new("The sample size is too large to compute."));
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::excessive_precision)]
mod tests {
    use super::super::{solve as solve_case, PowerCase, SolveFor};
    use super::*;

    #[test]
    fn decimals_parse_exactly() {
        assert_eq!(Ratio::parse("0.2"), Ratio::new(1, 5));
        assert_eq!(Ratio::parse(" 12 "), Some(Ratio::int(12)));
        assert_eq!(Ratio::parse("-1.50"), Ratio::new(-3, 2));
        assert_eq!(Ratio::parse("2.5e-3"), Ratio::new(1, 400));
        assert_eq!(Ratio::parse(".5"), Ratio::new(1, 2));
        assert_eq!(Ratio::parse("1e2"), Some(Ratio::int(100)));
        assert_eq!(Ratio::parse("abc"), None);
        assert_eq!(Ratio::parse("."), None);
        assert_eq!(Ratio::parse("1.2.3"), None);
        assert_eq!(Ratio::parse("1e999"), None);
    }

    #[test]
    fn the_float_traps_give_the_exact_ceiling() {
        // README: 84/(1-0.3) and 25*(1+19*0.2) are 120.00000000000001 in floats; exact: 120.
        let a =
            solve_case(&PowerCase::new(Design::Attrition, SolveFor::N).with("n_required", 84.0).with("attrition", 0.3))
                .unwrap();
        assert_eq!((a.n_real, a.n_ceiling), (Some(120.0), Some(120)));
        let d = solve_case(
            &PowerCase::new(Design::DesignEffect, SolveFor::N)
                .with("n_individual", 25.0)
                .with("m", 20.0)
                .with("icc", 0.2),
        )
        .unwrap();
        assert_eq!((d.n_real, d.n_ceiling, d.clusters), (Some(120.0), Some(120), Some(6)));
    }

    #[test]
    fn long_decimals_fall_back_to_floats() {
        let case = PowerCase::new(Design::DesignEffectAttrition, SolveFor::N)
            .with("n_individual", "80.123456789012345678901234567")
            .with("m", "12.000000000000000000000000001")
            .with("icc", "0.0600000000000000000000000001")
            .with("attrition", "0.2");
        let out = solve_case(&case).unwrap();
        assert!((out.n_real.unwrap() - 80.123456789012345678901234567 * 1.66 / 0.8).abs() < 1e-9);
        assert_eq!(out.n_ceiling, Some(167));
    }

    #[test]
    fn bad_rates_are_plain_errors() {
        let e =
            solve_case(&PowerCase::new(Design::Attrition, SolveFor::N).with("n_required", 84.0).with("attrition", 1.0))
                .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("attrition"));
        let e = solve_case(
            &PowerCase::new(Design::DesignEffect, SolveFor::N)
                .with("n_individual", 20.0)
                .with("m", 8.0)
                .with("icc", -0.1),
        )
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("icc"));
        let e = solve_case(
            &PowerCase::new(Design::DesignEffect, SolveFor::N)
                .with("n_individual", 20.0)
                .with("m", 0.5)
                .with("icc", 0.1),
        )
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("m"));
    }
}
