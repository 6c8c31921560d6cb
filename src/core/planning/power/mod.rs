//! The planning engine (issue 6): power, sample size and detectable effect for the designs
//! of `shared/reference/power.json`, driven by name so that the planner UI, the results JSON
//! (`power` section, CONTRACT §2) and shareable planning links (CONTRACT §3) share one entry
//! point: [`solve`].
//!
//! - `t_tests`: paired / two-sample (equal and unequal n) t-tests and the ANCOVA
//!   approximation, as R's `pwr::pwr.t.test` / `pwr.t2n.test` (two-sided power counts both
//!   rejection tails), on the noncentral t of [`crate::core::stats::nct`].
//! - `proportions`: Cohen's h, `pwr::pwr.2p.test` / `pwr.2p2n.test`.
//! - `mcnemar`: Connor (1987).
//! - `cluster`: PowerUp! CRA2_2 (Dong & Maynard 2013).
//! - `inflation`: design effect and attrition, in exact decimal arithmetic.
//! - `link`: planning-link query strings ↔ [`PowerCase`].
//!
//! Solved values use tight roots (Brent, tol 1e-13), not pwr's default `uniroot` tolerance.
//! Invalid inputs give a [`PowerError`] with a plain-language message; nothing panics and no
//! NaN is ever returned.

mod cluster;
pub mod explain;
mod inflation;
pub mod link;
mod mcnemar;
mod proportions;
pub mod root;
mod t_tests;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A study design, named as in power.json and CONTRACT §2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Design {
    #[serde(rename = "paired_t")]
    PairedT,
    #[serde(rename = "two_sample_t_equal_n")]
    TwoSampleTEqualN,
    #[serde(rename = "two_sample_t_unequal_n")]
    TwoSampleTUnequalN,
    #[serde(rename = "two_proportions_equal_n")]
    TwoProportionsEqualN,
    #[serde(rename = "two_proportions_unequal_n")]
    TwoProportionsUnequalN,
    #[serde(rename = "mcnemar_connor")]
    McnemarConnor,
    #[serde(rename = "cluster_cra2")]
    ClusterCra2,
    #[serde(rename = "design_effect")]
    DesignEffect,
    #[serde(rename = "attrition")]
    Attrition,
    #[serde(rename = "design_effect_attrition")]
    DesignEffectAttrition,
    #[serde(rename = "ancova_two_sample")]
    AncovaTwoSample,
}

impl Design {
    pub const ALL: [Design; 11] = [
        Design::PairedT,
        Design::TwoSampleTEqualN,
        Design::TwoSampleTUnequalN,
        Design::TwoProportionsEqualN,
        Design::TwoProportionsUnequalN,
        Design::McnemarConnor,
        Design::ClusterCra2,
        Design::DesignEffect,
        Design::Attrition,
        Design::DesignEffectAttrition,
        Design::AncovaTwoSample,
    ];

    /// The machine name (power.json `design`).
    pub fn as_str(self) -> &'static str {
        match self {
            Design::PairedT => "paired_t",
            Design::TwoSampleTEqualN => "two_sample_t_equal_n",
            Design::TwoSampleTUnequalN => "two_sample_t_unequal_n",
            Design::TwoProportionsEqualN => "two_proportions_equal_n",
            Design::TwoProportionsUnequalN => "two_proportions_unequal_n",
            Design::McnemarConnor => "mcnemar_connor",
            Design::ClusterCra2 => "cluster_cra2",
            Design::DesignEffect => "design_effect",
            Design::Attrition => "attrition",
            Design::DesignEffectAttrition => "design_effect_attrition",
            Design::AncovaTwoSample => "ancova_two_sample",
        }
    }

    pub fn parse(name: &str) -> Option<Design> {
        Design::ALL.into_iter().find(|d| d.as_str() == name.trim())
    }

    /// A plain-language name for the planner.
    pub fn label(self) -> &'static str {
        match self {
            Design::PairedT => "Before and after, same people (paired t-test)",
            Design::TwoSampleTEqualN => "Two groups of equal size (t-test)",
            Design::TwoSampleTUnequalN => "Two groups of different sizes (t-test)",
            Design::TwoProportionsEqualN => "Two groups, yes/no outcome, equal sizes",
            Design::TwoProportionsUnequalN => "Two groups, yes/no outcome, different sizes",
            Design::McnemarConnor => "Before and after, yes/no outcome (McNemar)",
            Design::ClusterCra2 => "Groups randomised as whole sites (cluster trial)",
            Design::DesignEffect => "Allow for clustering (design effect)",
            Design::Attrition => "Allow for drop-out",
            Design::DesignEffectAttrition => "Allow for clustering and drop-out",
            Design::AncovaTwoSample => "Two groups, adjusting for the baseline score (ANCOVA)",
        }
    }

    /// What this design can be solved for (the first is the default).
    pub fn solve_options(self) -> &'static [SolveFor] {
        use SolveFor::*;
        match self {
            Design::PairedT | Design::TwoSampleTEqualN | Design::AncovaTwoSample => &[N, Power, D],
            Design::TwoSampleTUnequalN => &[N2, Power, D],
            Design::TwoProportionsEqualN => &[N, Power, H],
            Design::TwoProportionsUnequalN => &[N2, Power, H],
            Design::McnemarConnor => &[N, Power],
            Design::ClusterCra2 => &[Mdes, Power, J],
            Design::DesignEffect | Design::Attrition | Design::DesignEffectAttrition => &[N],
        }
    }

    /// Every input name this design reads (power.json `inputs`), in a stable order.
    pub fn input_names(self) -> &'static [&'static str] {
        match self {
            Design::PairedT | Design::TwoSampleTEqualN => &["d", "n", "power", "sig_level", "alternative"],
            Design::TwoSampleTUnequalN => &["d", "n1", "n2", "power", "sig_level", "alternative"],
            Design::TwoProportionsEqualN => &["p1", "p2", "h", "n", "power", "sig_level", "alternative"],
            Design::TwoProportionsUnequalN => &["p1", "p2", "h", "n1", "n2", "power", "sig_level", "alternative"],
            Design::McnemarConnor => &["p01", "p10", "n", "power", "sig_level", "alternative"],
            Design::ClusterCra2 => {
                &["J", "n", "P", "rho", "R2_1", "R2_2", "g", "delta", "power", "sig_level", "alternative"]
            }
            Design::DesignEffect => &["n_individual", "m", "icc"],
            Design::Attrition => &["n_required", "attrition"],
            Design::DesignEffectAttrition => &["n_individual", "m", "icc", "attrition"],
            Design::AncovaTwoSample => &["d", "r_pre_post", "n", "power", "sig_level", "alternative"],
        }
    }

    /// The inputs that must be given to solve for `what` (the others are ignored, or have
    /// defaults: sig_level 0.05, alternative two.sided, P 0.5, R2_1 = R2_2 = 0, g = 0; for
    /// proportions, h may replace p1 and p2).
    pub fn required_inputs(self, what: SolveFor) -> &'static [&'static str] {
        use SolveFor::*;
        match (self, what) {
            (Design::PairedT | Design::TwoSampleTEqualN, Power) => &["d", "n"],
            (Design::PairedT | Design::TwoSampleTEqualN, N) => &["d", "power"],
            (Design::PairedT | Design::TwoSampleTEqualN, D) => &["n", "power"],
            (Design::TwoSampleTUnequalN, Power) => &["d", "n1", "n2"],
            (Design::TwoSampleTUnequalN, D) => &["n1", "n2", "power"],
            (Design::TwoSampleTUnequalN, N2) => &["d", "n1", "power"],
            (Design::TwoProportionsEqualN, Power) => &["p1", "p2", "n"],
            (Design::TwoProportionsEqualN, N) => &["p1", "p2", "power"],
            (Design::TwoProportionsEqualN, H) => &["n", "power"],
            (Design::TwoProportionsUnequalN, Power) => &["p1", "p2", "n1", "n2"],
            (Design::TwoProportionsUnequalN, N2) => &["p1", "p2", "n1", "power"],
            (Design::TwoProportionsUnequalN, H) => &["n1", "n2", "power"],
            (Design::McnemarConnor, N) => &["p01", "p10", "power"],
            (Design::McnemarConnor, Power) => &["p01", "p10", "n"],
            (Design::ClusterCra2, Mdes) => &["J", "n", "rho", "power"],
            (Design::ClusterCra2, Power) => &["J", "n", "rho", "delta"],
            (Design::ClusterCra2, J) => &["n", "rho", "delta", "power"],
            (Design::DesignEffect, N) => &["n_individual", "m", "icc"],
            (Design::Attrition, N) => &["n_required", "attrition"],
            (Design::DesignEffectAttrition, N) => &["n_individual", "m", "icc", "attrition"],
            (Design::AncovaTwoSample, Power) => &["d", "r_pre_post", "n"],
            (Design::AncovaTwoSample, N) => &["d", "r_pre_post", "power"],
            (Design::AncovaTwoSample, D) => &["r_pre_post", "n", "power"],
            _ => &[],
        }
    }
}

/// What is solved for (power.json `solve_for`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SolveFor {
    #[serde(rename = "power")]
    Power,
    #[serde(rename = "n")]
    N,
    #[serde(rename = "n2")]
    N2,
    #[serde(rename = "d")]
    D,
    #[serde(rename = "h")]
    H,
    #[serde(rename = "mdes")]
    Mdes,
    /// Number of clusters (CRA2_2): the smallest J reaching the target power.
    #[serde(rename = "J")]
    J,
}

impl SolveFor {
    pub const ALL: [SolveFor; 7] =
        [SolveFor::Power, SolveFor::N, SolveFor::N2, SolveFor::D, SolveFor::H, SolveFor::Mdes, SolveFor::J];

    pub fn as_str(self) -> &'static str {
        match self {
            SolveFor::Power => "power",
            SolveFor::N => "n",
            SolveFor::N2 => "n2",
            SolveFor::D => "d",
            SolveFor::H => "h",
            SolveFor::Mdes => "mdes",
            SolveFor::J => "J",
        }
    }

    pub fn parse(name: &str) -> Option<SolveFor> {
        SolveFor::ALL.into_iter().find(|s| s.as_str() == name.trim())
    }
}

/// One input: a number, or text (a decimal kept exact, e.g. `"0.2"`, or `"two.sided"`).
/// Whole numbers serialise as JSON integers (`20`, not `20.0`), as in power.json.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum InputValue {
    Number(f64),
    Text(String),
}

impl Serialize for InputValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            InputValue::Number(v) if v.fract() == 0.0 && v.abs() < 9.0e15 => serializer.serialize_i64(*v as i64),
            InputValue::Number(v) => serializer.serialize_f64(*v),
            InputValue::Text(t) => serializer.serialize_str(t),
        }
    }
}

impl InputValue {
    /// The value as text, numbers in their shortest round-trip form (0.2 → "0.2").
    pub fn to_text(&self) -> String {
        match self {
            InputValue::Number(v) => format!("{v}"),
            InputValue::Text(s) => s.trim().to_string(),
        }
    }
}

impl From<f64> for InputValue {
    fn from(v: f64) -> Self {
        InputValue::Number(v)
    }
}

impl From<&str> for InputValue {
    fn from(v: &str) -> Self {
        InputValue::Text(v.to_string())
    }
}

/// A planning question: a design, what to solve for, and named inputs (power.json `inputs`).
/// Deserialises straight from a power.json case (other keys are ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PowerCase {
    pub design: Design,
    pub solve_for: SolveFor,
    #[serde(default)]
    pub inputs: BTreeMap<String, InputValue>,
}

impl PowerCase {
    pub fn new(design: Design, solve_for: SolveFor) -> PowerCase {
        PowerCase { design, solve_for, inputs: BTreeMap::new() }
    }

    /// Builder-style setter: `PowerCase::new(..).with("d", 0.3)`.
    pub fn with(mut self, name: &str, value: impl Into<InputValue>) -> PowerCase {
        self.inputs.insert(name.to_string(), value.into());
        self
    }

    pub fn set(&mut self, name: &str, value: impl Into<InputValue>) {
        self.inputs.insert(name.to_string(), value.into());
    }
}

/// Everything a solve produces, named as power.json `expected` (absent = not applicable).
/// Extra keys: `power_at_n_ceiling`, `power_at_n2_ceiling`, `power_at_mdes`.
#[allow(non_snake_case)]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PowerOutput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_real: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_ceiling: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power_at_n_ceiling: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n2_real: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n2_ceiling: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power_at_n2_ceiling: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d_adjusted: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub h: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub h_detectable: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub psi_discordant: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub se_standardized: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiplier_M: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mdes: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power_at_mdes: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ncp: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub design_effect: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clusters: Option<u64>,
}

/// Why a case cannot be solved, in plain language; `field` names the input to fix, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PowerError {
    pub field: Option<String>,
    pub message: String,
}

impl PowerError {
    pub fn new(message: impl Into<String>) -> PowerError {
        PowerError { field: None, message: message.into() }
    }

    pub fn field(field: &str, message: impl Into<String>) -> PowerError {
        PowerError { field: Some(field.to_string()), message: message.into() }
    }
}

impl fmt::Display for PowerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PowerError {}

/// Direction of the test (pwr's `alternative`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alternative {
    TwoSided,
    Greater,
    Less,
}

impl Alternative {
    pub fn as_str(self) -> &'static str {
        match self {
            Alternative::TwoSided => "two.sided",
            Alternative::Greater => "greater",
            Alternative::Less => "less",
        }
    }

    pub fn parse(text: &str) -> Option<Alternative> {
        match text.trim().to_ascii_lowercase().as_str() {
            "two.sided" | "two-sided" | "two_sided" | "two sided" | "both" => Some(Alternative::TwoSided),
            "greater" | "one.sided" | "one-sided" => Some(Alternative::Greater),
            "less" => Some(Alternative::Less),
            _ => None,
        }
    }
}

/// A plain-language name for an input, for messages.
pub fn input_label(name: &str) -> &'static str {
    match name {
        "d" => "the effect size d",
        "n" => "the sample size n",
        "n1" => "the size of group 1 (n1)",
        "n2" => "the size of group 2 (n2)",
        "power" => "the target power",
        "sig_level" => "the significance level",
        "alternative" => "the direction of the test",
        "p1" => "the proportion in group 1 (p1)",
        "p2" => "the proportion in group 2 (p2)",
        "h" => "the effect size h",
        "p01" => "the proportion changing from no to yes (p01)",
        "p10" => "the proportion changing from yes to no (p10)",
        "J" => "the number of clusters J",
        "P" => "the share of clusters treated (P)",
        "rho" => "the intraclass correlation rho",
        "R2_1" => "the variance explained at the individual level (R2_1)",
        "R2_2" => "the variance explained at the cluster level (R2_2)",
        "g" => "the number of cluster-level covariates g",
        "delta" => "the effect size delta",
        "n_individual" => "the sample size without clustering",
        "m" => "the cluster size m",
        "icc" => "the intraclass correlation (ICC)",
        "attrition" => "the expected drop-out rate",
        "n_required" => "the sample size needed at the end",
        "r_pre_post" => "the correlation between baseline and follow-up",
        _ => "this value",
    }
}

/// Parses a number typed by a person: trims, accepts a leading '+', refuses NaN and ±∞.
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() || t.chars().any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E') {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Read access to a case's inputs with plain-language errors.
pub(crate) struct Inputs<'a> {
    map: &'a BTreeMap<String, InputValue>,
}

impl<'a> Inputs<'a> {
    pub(crate) fn new(map: &'a BTreeMap<String, InputValue>) -> Inputs<'a> {
        Inputs { map }
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.map.get(name).is_some_and(|v| !matches!(v, InputValue::Text(s) if s.trim().is_empty()))
    }

    /// A required number.
    pub(crate) fn num(&self, name: &str) -> Result<f64, PowerError> {
        match self.map.get(name) {
            None => Err(PowerError::field(name, format!("Enter {}.", input_label(name)))),
            Some(InputValue::Number(v)) if v.is_finite() => Ok(*v),
            Some(InputValue::Number(_)) => {
                Err(PowerError::field(name, format!("{} must be a finite number.", capitalise(input_label(name)))))
            }
            Some(InputValue::Text(s)) if s.trim().is_empty() => {
                Err(PowerError::field(name, format!("Enter {}.", input_label(name))))
            }
            Some(InputValue::Text(s)) => parse_number(s).ok_or_else(|| {
                PowerError::field(
                    name,
                    format!("{} should be a number, not \"{}\".", capitalise(input_label(name)), shorten(s)),
                )
            }),
        }
    }

    /// An optional number with a default.
    pub(crate) fn num_or(&self, name: &str, default: f64) -> Result<f64, PowerError> {
        if self.has(name) {
            self.num(name)
        } else {
            Ok(default)
        }
    }

    /// The input as exact decimal text (numbers in shortest round-trip form).
    pub(crate) fn text(&self, name: &str) -> Result<String, PowerError> {
        match self.map.get(name) {
            Some(v) if self.has(name) => Ok(v.to_text()),
            _ => Err(PowerError::field(name, format!("Enter {}.", input_label(name)))),
        }
    }

    pub(crate) fn sig_level(&self) -> Result<f64, PowerError> {
        let a = self.num_or("sig_level", 0.05)?;
        if a > 0.0 && a < 1.0 {
            Ok(a)
        } else {
            Err(PowerError::field("sig_level", "The significance level must be between 0 and 1 (usually 0.05)."))
        }
    }

    pub(crate) fn alternative(&self) -> Result<Alternative, PowerError> {
        match self.map.get("alternative") {
            None => Ok(Alternative::TwoSided),
            Some(v) => {
                let t = v.to_text();
                if t.is_empty() {
                    return Ok(Alternative::TwoSided);
                }
                Alternative::parse(&t).ok_or_else(|| {
                    PowerError::field(
                        "alternative",
                        format!(
                            "The direction of the test should be \"two.sided\", \"greater\" or \"less\", not \"{}\".",
                            shorten(&t)
                        ),
                    )
                })
            }
        }
    }

    /// Target power: above the significance level and below 1.
    pub(crate) fn target_power(&self, sig_level: f64) -> Result<f64, PowerError> {
        let p = self.num("power")?;
        if p >= 1.0 {
            return Err(PowerError::field("power", "The target power must be below 1 (for example 0.8 for 80%)."));
        }
        if p <= sig_level {
            return Err(PowerError::field("power", format!("The target power must be higher than the significance level ({}); a test with no real effect already rejects that often.", fmt_num(sig_level))));
        }
        Ok(p)
    }

    /// A number in the open interval (lo, hi).
    pub(crate) fn num_in_open(&self, name: &str, lo: f64, hi: f64) -> Result<f64, PowerError> {
        let v = self.num(name)?;
        if v > lo && v < hi {
            Ok(v)
        } else {
            Err(PowerError::field(
                name,
                format!(
                    "{} must be between {} and {} (not {}).",
                    capitalise(input_label(name)),
                    fmt_num(lo),
                    fmt_num(hi),
                    fmt_num(v)
                ),
            ))
        }
    }

    /// A number at least `min`.
    pub(crate) fn num_at_least(&self, name: &str, min: f64) -> Result<f64, PowerError> {
        let v = self.num(name)?;
        if v >= min {
            Ok(v)
        } else {
            Err(PowerError::field(
                name,
                format!("{} must be at least {} (not {}).", capitalise(input_label(name)), fmt_num(min), fmt_num(v)),
            ))
        }
    }
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn shorten(s: &str) -> String {
    let t: String = s.trim().chars().take(24).collect();
    if s.trim().chars().count() > 24 {
        format!("{t}…")
    } else {
        t
    }
}

/// A number for a message: up to 6 significant digits, no trailing zeros.
pub(crate) fn fmt_num(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let s = format!("{:.6}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Solves one planning case. Every `expected` key of the matching power.json cases is set.
pub fn solve(case: &PowerCase) -> Result<PowerOutput, PowerError> {
    if !case.design.solve_options().contains(&case.solve_for) {
        let options: Vec<&str> = case.design.solve_options().iter().map(|s| s.as_str()).collect();
        return Err(PowerError::field(
            "solve_for",
            format!(
                "\"{}\" cannot be solved for \"{}\"; choose one of: {}.",
                case.design.label(),
                case.solve_for.as_str(),
                options.join(", ")
            ),
        ));
    }
    let inputs = Inputs::new(&case.inputs);
    let out = match case.design {
        Design::PairedT | Design::TwoSampleTEqualN | Design::TwoSampleTUnequalN | Design::AncovaTwoSample => {
            t_tests::solve(case.design, case.solve_for, &inputs)
        }
        Design::TwoProportionsEqualN | Design::TwoProportionsUnequalN => {
            proportions::solve(case.design, case.solve_for, &inputs)
        }
        Design::McnemarConnor => mcnemar::solve(case.solve_for, &inputs),
        Design::ClusterCra2 => cluster::solve(case.solve_for, &inputs),
        Design::DesignEffect | Design::Attrition | Design::DesignEffectAttrition => {
            inflation::solve(case.design, &inputs)
        }
    }?;
    check_finite(out)
}

/// Last guard: a non-finite output is a bug, reported as an error rather than shown.
fn check_finite(out: PowerOutput) -> Result<PowerOutput, PowerError> {
    let vals = [
        out.power,
        out.n_real,
        out.power_at_n_ceiling,
        out.n2_real,
        out.power_at_n2_ceiling,
        out.d,
        out.d_adjusted,
        out.h,
        out.h_detectable,
        out.psi_discordant,
        out.delta,
        out.df,
        out.se_standardized,
        out.multiplier_M,
        out.mdes,
        out.power_at_mdes,
        out.ncp,
        out.design_effect,
    ];
    if vals.iter().flatten().all(|v| v.is_finite()) {
        Ok(out)
    } else {
        Err(PowerError::new("These inputs are outside what the planner can compute reliably."))
    }
}

/// The CONTRACT §2 `power` section: `{design, solve_for, inputs, ...outputs}`.
pub fn report_json(case: &PowerCase, out: &PowerOutput) -> serde_json::Value {
    let mut obj = serde_json::Map::new();
    obj.insert("design".into(), serde_json::Value::from(case.design.as_str()));
    obj.insert("solve_for".into(), serde_json::Value::from(case.solve_for.as_str()));
    obj.insert("inputs".into(), serde_json::to_value(&case.inputs).unwrap_or(serde_json::Value::Null));
    if let Ok(serde_json::Value::Object(o)) = serde_json::to_value(out) {
        obj.extend(o);
    }
    serde_json::Value::Object(obj)
}

/// One point of a power curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CurvePoint {
    pub x: f64,
    pub power: f64,
}

/// Power as `vary` (any numeric input: "n", "n2", "d", "h", "delta", "J", ...) runs from
/// `from` to `to` in `points` equal steps (2 to 1000), the other inputs as in `case`.
/// Points where the power cannot be computed (e.g. n below 2) are left out. The noncentral t
/// runs at plot precision (within 1e-9 of the reported values; see `with_plot_precision`).
pub fn power_curve(
    case: &PowerCase,
    vary: &str,
    from: f64,
    to: f64,
    points: usize,
) -> Result<Vec<CurvePoint>, PowerError> {
    if !case.design.solve_options().contains(&SolveFor::Power) {
        return Err(PowerError::new(format!("\"{}\" has no power to plot.", case.design.label())));
    }
    if !case.design.input_names().contains(&vary) || vary == "alternative" {
        return Err(PowerError::field(vary, format!("\"{}\" is not a number this design uses.", shorten(vary))));
    }
    if !(from.is_finite() && to.is_finite()) {
        return Err(PowerError::new("The range of the curve must be finite numbers."));
    }
    let points = points.clamp(2, 1000);
    let mut c = case.clone();
    c.solve_for = SolveFor::Power;
    if vary == "h" {
        c.inputs.remove("p1");
        c.inputs.remove("p2");
    }
    let mut out = Vec::with_capacity(points);
    let mut first_err = None;
    for i in 0..points {
        let x = from + (to - from) * i as f64 / (points - 1) as f64;
        c.set(vary, x);
        // A curve is drawn, not reported: plot precision (1e-9) is plenty and much faster.
        match crate::core::stats::nct::with_plot_precision(|| solve(&c)) {
            Ok(PowerOutput { power: Some(p), .. }) => out.push(CurvePoint { x, power: p }),
            Ok(_) => {}
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    match (out.is_empty(), first_err) {
        (true, Some(e)) => Err(e),
        _ => Ok(out),
    }
}

/// A sensible default curve for a solved case: power against the sample size (n, n2 or J)
/// from the smallest allowed value to about twice the planned one. `None` for designs
/// without a power (design effect, attrition) or when nothing is known to centre on.
pub fn default_curve(case: &PowerCase, out: &PowerOutput) -> Option<(String, f64, f64)> {
    let inputs = Inputs::new(&case.inputs);
    let (name, min, current) = match case.design {
        Design::PairedT
        | Design::TwoSampleTEqualN
        | Design::AncovaTwoSample
        | Design::TwoProportionsEqualN
        | Design::McnemarConnor => ("n", 2.0, out.n_ceiling.map(|v| v as f64).or_else(|| inputs.num("n").ok())?),
        Design::TwoSampleTUnequalN | Design::TwoProportionsUnequalN => {
            ("n2", 2.0, out.n2_ceiling.map(|v| v as f64).or_else(|| inputs.num("n2").ok())?)
        }
        Design::ClusterCra2 => {
            let g = inputs.num_or("g", 0.0).ok()?;
            ("J", g + 3.0, out.clusters.map(|v| v as f64).or_else(|| inputs.num("J").ok())?)
        }
        Design::DesignEffect | Design::Attrition | Design::DesignEffectAttrition => return None,
    };
    let hi = (2.0 * current).max(min + 10.0);
    Some((name.to_string(), min, hi.ceil()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for d in Design::ALL {
            assert_eq!(Design::parse(d.as_str()), Some(d));
            assert_eq!(serde_json::to_value(d).unwrap(), serde_json::Value::from(d.as_str()));
            for s in d.solve_options() {
                assert!(!d.required_inputs(*s).is_empty(), "{d:?} {s:?}");
                for r in d.required_inputs(*s) {
                    assert!(d.input_names().contains(r), "{d:?} {r}");
                }
            }
        }
        for s in SolveFor::ALL {
            assert_eq!(SolveFor::parse(s.as_str()), Some(s));
        }
        assert_eq!(Design::parse("nonsense"), None);
    }

    #[test]
    fn a_power_json_case_deserialises() {
        let text = r#"{"id": "x", "design": "design_effect", "solve_for": "n",
            "inputs": {"n_individual": 20, "m": 8, "icc": "0.2"}, "expected": {}}"#;
        let case: PowerCase = serde_json::from_str(text).unwrap();
        assert_eq!(case.design, Design::DesignEffect);
        assert_eq!(case.inputs["icc"], InputValue::Text("0.2".into()));
        assert_eq!(case.inputs["m"], InputValue::Number(8.0));
    }

    #[test]
    fn numbers_typed_by_people() {
        assert_eq!(parse_number(" 0.3 "), Some(0.3));
        assert_eq!(parse_number("+2"), Some(2.0));
        assert_eq!(parse_number("1e-3"), Some(0.001));
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("infinity"), None);
        assert_eq!(parse_number("0.3abc"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn solving_for_something_the_design_cannot_is_an_error() {
        let case = PowerCase::new(Design::McnemarConnor, SolveFor::D).with("n", 20.0);
        let e = solve(&case).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("solve_for"));
        assert!(e.message.contains("choose one of"), "{}", e.message);
    }

    #[test]
    fn missing_and_bad_inputs_are_named() {
        let case = PowerCase::new(Design::PairedT, SolveFor::Power).with("n", 20.0);
        let e = solve(&case).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("d"));
        assert_eq!(e.message, "Enter the effect size d.");
        let case = PowerCase::new(Design::PairedT, SolveFor::Power).with("n", 20.0).with("d", "abc");
        assert_eq!(solve(&case).unwrap_err().message, "The effect size d should be a number, not \"abc\".");
        let case = PowerCase::new(Design::PairedT, SolveFor::Power).with("n", 20.0).with("d", f64::NAN);
        assert_eq!(solve(&case).unwrap_err().field.as_deref(), Some("d"));
    }

    #[test]
    fn report_has_the_contract_shape() {
        let case = PowerCase::new(Design::Attrition, SolveFor::N).with("n_required", 90.0).with("attrition", "0.1");
        let out = solve(&case).unwrap();
        let v = report_json(&case, &out);
        assert_eq!(v["design"], "attrition");
        assert_eq!(v["solve_for"], "n");
        assert_eq!(v["inputs"]["attrition"], "0.1");
        assert_eq!(v["n_ceiling"], 100);
        assert!(v.get("power").is_none());
    }

    #[test]
    fn curves_rise_with_n_and_skip_impossible_points() {
        let case = PowerCase::new(Design::PairedT, SolveFor::N).with("d", 0.3).with("power", 0.8);
        let pts = power_curve(&case, "n", 0.0, 200.0, 21).unwrap();
        // n = 0 and n = 10 are fine? n = 0 is below 2 and is left out.
        assert_eq!(pts.len(), 20);
        assert!(pts.windows(2).all(|w| w[1].power > w[0].power));
        // R: pwr.t.test(n = 120, d = 0.3, type = "paired")$power = 0.9031542972664196 (power.json)
        let at120 = pts.iter().find(|p| p.x == 120.0).unwrap();
        assert!((at120.power - 0.9031542972664196).abs() < 1e-4);
        assert!(power_curve(&case, "alternative", 0.0, 1.0, 5).is_err());
        assert!(power_curve(&case, "n", f64::NAN, 1.0, 5).is_err());
        let de = PowerCase::new(Design::DesignEffect, SolveFor::N);
        assert!(power_curve(&de, "m", 1.0, 5.0, 5).is_err());
        let out = solve(&case).unwrap();
        assert_eq!(default_curve(&case, &out), Some(("n".to_string(), 2.0, 180.0)));
    }
}
