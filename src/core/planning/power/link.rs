//! Shareable planning links (CONTRACT §3): the planner state as a URL query,
//! `design=paired_t&solve_for=n&d=0.3&power=0.8&sig_level=0.05&alternative=two.sided`,
//! with the parameter names of power.json `inputs`. Parsing accepts a bare query, a fragment
//! (`#/plan?...`) or a whole URL, and is robust to junk: unknown keys, empty or over-long
//! values and broken percent-escapes are dropped or kept literally, never a panic.

use super::{parse_number, Design, InputValue, PowerCase, PowerError, SolveFor};

/// Inputs kept as typed text, so their decimals stay exact (see `inflation`).
const EXACT_DECIMAL_INPUTS: [&str; 5] = ["n_individual", "m", "icc", "attrition", "n_required"];

/// Longest link accepted, and longest value.
const MAX_LINK: usize = 4096;
const MAX_VALUE: usize = 64;

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The query part of a planning link (no leading `?`): design, solve_for, then the design's
/// inputs in a stable order. Keys the design does not use are left out.
pub fn to_query(case: &PowerCase) -> String {
    let mut parts =
        vec![format!("design={}", case.design.as_str()), format!("solve_for={}", encode(case.solve_for.as_str()))];
    for name in case.design.input_names() {
        if let Some(v) = case.inputs.get(*name) {
            let text = v.to_text();
            if !text.is_empty() {
                parts.push(format!("{}={}", encode(name), encode(&text)));
            }
        }
    }
    parts.join("&")
}

/// The URL fragment of a planning link: `#/plan?` + [`to_query`].
pub fn to_fragment(case: &PowerCase) -> String {
    format!("#/plan?{}", to_query(case))
}

/// Reads a planning link (bare query, `#/plan?...` fragment or full URL) into a case.
/// `design` is required; a missing `solve_for` means the design's default. Numbers are
/// parsed (kept as text when they are not numbers, so that solving explains the problem);
/// the clustering and drop-out inputs stay as exact decimal text.
pub fn from_query(link: &str) -> Result<PowerCase, PowerError> {
    if link.len() > MAX_LINK {
        return Err(PowerError::new("This planning link is too long to be a Lantern link."));
    }
    let query = match link.rfind('?') {
        Some(i) => &link[i + 1..],
        None => link.trim_start_matches('#'),
    };
    let mut design_name = None;
    let mut solve_name = None;
    let mut raw: Vec<(String, String)> = Vec::new();
    for pair in query.split(['&', ';']) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k).trim().to_string(), decode(v).trim().to_string());
        if k.is_empty() || v.chars().count() > MAX_VALUE {
            continue;
        }
        match k.as_str() {
            "design" => design_name = Some(v),
            "solve_for" => solve_name = Some(v),
            _ => raw.push((k, v)),
        }
    }
    let design_name = design_name
        .filter(|d| !d.is_empty())
        .ok_or_else(|| PowerError::field("design", "This planning link does not say which study design it is for."))?;
    let design = Design::parse(&design_name).ok_or_else(|| {
        let shown: String = design_name.chars().take(32).collect();
        PowerError::field(
            "design",
            format!("This planning link names a study design Lantern does not know (\"{shown}\")."),
        )
    })?;
    let solve_for = match solve_name.filter(|s| !s.is_empty()) {
        None => design.solve_options()[0],
        Some(s) => SolveFor::parse(&s).filter(|s| design.solve_options().contains(s)).ok_or_else(|| {
            let shown: String = s.chars().take(32).collect();
            PowerError::field(
                "solve_for",
                format!("This planning link asks to solve for \"{shown}\", which this design does not offer."),
            )
        })?,
    };
    let mut case = PowerCase::new(design, solve_for);
    for (k, v) in raw {
        let Some(name) = design.input_names().iter().find(|n| **n == k) else { continue };
        if v.is_empty() {
            case.inputs.remove(*name);
            continue;
        }
        let value = if *name == "alternative" || EXACT_DECIMAL_INPUTS.contains(name) {
            InputValue::Text(v)
        } else {
            match parse_number(&v) {
                Some(x) => InputValue::Number(x),
                None => InputValue::Text(v),
            }
        };
        case.inputs.insert(name.to_string(), value);
    }
    Ok(case)
}

#[cfg(test)]
mod tests {
    use super::super::solve;
    use super::*;

    #[test]
    fn the_contract_example_parses_and_solves() {
        let case =
            from_query("#/plan?design=paired_t&solve_for=n&d=0.3&power=0.8&sig_level=0.05&alternative=two.sided")
                .unwrap();
        assert_eq!(case.design, Design::PairedT);
        assert_eq!(case.solve_for, SolveFor::N);
        assert_eq!(case.inputs["d"], InputValue::Number(0.3));
        assert_eq!(case.inputs["alternative"], InputValue::Text("two.sided".into()));
        // power.json P-paired-n-d0.3-two.sided: n_real 89.14936435360336, n_ceiling 90.
        let out = solve(&case).unwrap();
        assert_eq!(out.n_ceiling, Some(90));
        assert_eq!(to_query(&case), "design=paired_t&solve_for=n&d=0.3&power=0.8&sig_level=0.05&alternative=two.sided");
    }

    #[test]
    fn round_trips() {
        let case = PowerCase::new(Design::DesignEffectAttrition, SolveFor::N)
            .with("n_individual", 80.0)
            .with("m", 12.0)
            .with("icc", "0.06")
            .with("attrition", "0.2");
        let q = to_query(&case);
        assert_eq!(q, "design=design_effect_attrition&solve_for=n&n_individual=80&m=12&icc=0.06&attrition=0.2");
        let back = from_query(&q).unwrap();
        assert_eq!(back.inputs["icc"], InputValue::Text("0.06".into()));
        assert_eq!(solve(&back).unwrap().n_ceiling, Some(166));
        let cra = PowerCase::new(Design::ClusterCra2, SolveFor::Mdes)
            .with("J", 16.0)
            .with("R2_1", 0.4)
            .with("rho", 0.1)
            .with("n", 20.0)
            .with("power", 0.8);
        let back = from_query(&format!("https://example.org/lantern/{}", to_fragment(&cra))).unwrap();
        assert_eq!(back, cra);
    }

    #[test]
    fn junk_is_dropped_or_explained() {
        // Unknown keys, empty keys, stray separators, broken escapes, '+' for space.
        let case = from_query(
            "?&&=x&design=paired_t&foo=bar&d=0%2E3&n=2%&power=0.8&alternative=two%2Esided&solve_for=power&n=+20+",
        )
        .unwrap();
        assert_eq!(case.solve_for, SolveFor::Power);
        assert_eq!(case.inputs.get("foo"), None);
        assert_eq!(case.inputs["d"], InputValue::Number(0.3));
        assert_eq!(case.inputs["n"], InputValue::Number(20.0));
        // A value that is not a number is kept, and solving says what is wrong.
        let case = from_query("design=paired_t&solve_for=power&d=lots&n=20").unwrap();
        assert!(solve(&case).unwrap_err().message.contains("should be a number"));
        assert_eq!(from_query("solve_for=n&d=0.3").unwrap_err().field.as_deref(), Some("design"));
        assert_eq!(from_query("design=warp_drive").unwrap_err().field.as_deref(), Some("design"));
        assert_eq!(from_query("design=attrition&solve_for=power").unwrap_err().field.as_deref(), Some("solve_for"));
        assert_eq!(from_query("design=mcnemar_connor").unwrap().solve_for, SolveFor::N);
        assert!(from_query(&"a".repeat(5000)).is_err());
        for junk in [
            "",
            "?",
            "#",
            "=",
            "%",
            "%%%",
            "design=%ZZ",
            "design=%E2%82",
            "\u{1F600}=\u{1F600}",
            "design=paired_t&d=%FF%FE",
        ] {
            let _ = from_query(junk);
        }
        assert_eq!(decode("a%2"), "a%2");
        assert_eq!(decode("%41%"), "A%");
        assert_eq!(encode("two.sided"), "two.sided");
        assert_eq!(encode("a b&c"), "a%20b%26c");
    }
}
