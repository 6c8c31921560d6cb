//! Combining sites without sharing data (`shared/design/CONTRACT.md` §8): several sites'
//! `lantern-results.json` files in, the `lantern-pooled.json` structure out.
//!
//! Each file is checked first (a Lantern results file, a format this version reads, not a second
//! copy of a file already given); then, for each measure of §8, every site's `yi` and `sei` are
//! read from its `results` (table of §8; `log_rr_help` from the log risk ratio and its Wald
//! interval) and pooled by [`meta_analyse`] (fixed effect, DerSimonian–Laird, REML with prediction
//! interval, REML with Knapp–Hartung, Cochran's Q and I²; metafor's `rma`). A site without a
//! measure (absent, `null`, not a number, `sei ≤ 0`) is left out of that measure only and named; a
//! measure with fewer than two sites is absent. When the sites' `recipe.scale` differs (min, max or
//! direction) the raw-score measures (`ancova`, `change_*`) are absent with a note; the
//! standardised ones (`g_change`, `log_rr_help`) are still pooled.
//!
//! Pure: no I/O, no panics; the order of the files never changes a number.

use crate::core::results::RESULTS_FORMAT;
use crate::core::stats::meta::{meta_analyse, weights_percent, MetaAnalysis, Study, Z_975};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The newest `lantern.results_format` this version reads: the one it writes.
const SUPPORTED_RESULTS_FORMAT: u64 = RESULTS_FORMAT as u64;

/// Format number written in `lantern.pooled_format` of `lantern-pooled.json`.
pub const POOLED_FORMAT: u32 = 1;

/// A measure pooled across sites (§8), in the order they are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Ancova,
    GChange,
    ChangeIntervention,
    ChangeControl,
    ChangeAll,
    LogRrHelp,
}

impl Measure {
    /// All measures of §8.
    pub const ALL: [Measure; 6] = [
        Measure::Ancova,
        Measure::GChange,
        Measure::ChangeIntervention,
        Measure::ChangeControl,
        Measure::ChangeAll,
        Measure::LogRrHelp,
    ];

    /// The key under `pooled` (e.g. `"g_change"`).
    pub fn key(self) -> &'static str {
        match self {
            Measure::Ancova => "ancova",
            Measure::GChange => "g_change",
            Measure::ChangeIntervention => "change_intervention",
            Measure::ChangeControl => "change_control",
            Measure::ChangeAll => "change_all",
            Measure::LogRrHelp => "log_rr_help",
        }
    }

    /// A short plain name for messages.
    pub fn label(self) -> &'static str {
        match self {
            Measure::Ancova => "the adjusted group difference (ANCOVA)",
            Measure::GChange => "the standardised difference in change (Hedges' g)",
            Measure::ChangeIntervention => "the change in the intervention group",
            Measure::ChangeControl => "the change in the control group",
            Measure::ChangeAll => "the change (single group)",
            Measure::LogRrHelp => "the help-seeking risk ratio",
        }
    }

    /// True for measures in the scale's own units (pooled only when every site uses the same scale).
    pub fn is_raw_score(self) -> bool {
        !matches!(self, Measure::GChange | Measure::LogRrHelp)
    }
}

/// Why a file was not used at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PoolError {
    /// The text is not JSON.
    NotJson,
    /// No `lantern.results_format`: not a Lantern results file.
    NotLanternResults,
    /// A combined file (`lantern-pooled.json`) given as a site.
    PooledFile,
    /// `lantern.results_format` is not a positive whole number.
    UnreadableFormat,
    /// Written by a newer Lantern than this one.
    NewerFormat { format: u64, supported: u64 },
    /// No `results` section with anything in it.
    NoResults,
    /// The same file given twice (identical content).
    DuplicateFile { same_as: String },
    /// A different file with the same results as another (the same site exported twice).
    DuplicateResults { same_as: String },
}

impl PoolError {
    /// A plain-language sentence for the user.
    pub fn message(&self, file: &str) -> String {
        match self {
            PoolError::NotJson => format!("{file} could not be read: it is not a JSON file. Choose the lantern-results.json file a site downloaded."),
            PoolError::NotLanternResults => format!("{file} is not a Lantern results file (it has no results format number). Choose the lantern-results.json file a site downloaded."),
            PoolError::PooledFile => format!("{file} is already a combined file (lantern-pooled.json). Choose the sites' own lantern-results.json files instead."),
            PoolError::UnreadableFormat => format!("{file} has a results format number Lantern cannot read, so it was not used."),
            PoolError::NewerFormat { format, supported } => format!("{file} was saved by a newer version of Lantern (results format {format}; this version reads up to {supported}). Open it with the newer version, or ask the site to export it again."),
            PoolError::NoResults => format!("{file} has no analysis results to combine."),
            PoolError::DuplicateFile { same_as } => format!("{file} is a second copy of {same_as}; it was counted once."),
            PoolError::DuplicateResults { same_as } => format!("{file} has exactly the same results as {same_as}, so it looks like the same site exported twice; it was counted once."),
        }
    }
}

/// Why a site was left out of one measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftOutReason {
    /// The section or key is not in the file (e.g. a single-group site for a two-group measure).
    NotReported,
    /// `null`: the site's analysis could not compute it (e.g. a zero cell for the risk ratio).
    NotComputable,
    /// A value that is not a number.
    NotANumber,
    /// A standard error that is not a positive finite number.
    InvalidStandardError,
    /// A risk ratio or interval limit that is not positive, or an interval that is not increasing.
    InvalidRatio,
}

impl LeftOutReason {
    /// Plain-language reason.
    pub fn phrase(self) -> &'static str {
        match self {
            LeftOutReason::NotReported => "the site's results do not include it",
            LeftOutReason::NotComputable => "it could not be computed from the site's data",
            LeftOutReason::NotANumber => "the value in the file is not a number",
            LeftOutReason::InvalidStandardError => "its standard error is zero or not a number",
            LeftOutReason::InvalidRatio => "its risk ratio or interval is not a positive number",
        }
    }
}

/// A site's scale as compared for the raw-score measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteScale {
    pub file: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub lower_is_better: bool,
}

/// Something the user should know; the files concerned were still used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PoolWarning {
    /// Fewer than two usable files: nothing can be combined.
    TooFewFiles { usable: usize },
    /// Two different files with the same name.
    SameFileName { file: String },
    /// No `dataset.rows`: the site's `n` is unknown.
    MissingRows { file: String },
    /// The sites' scales differ: raw-score measures are not pooled.
    ScalesDiffer { scales: Vec<SiteScale>, measures: Vec<Measure> },
    /// A site left out of one measure.
    LeftOut { measure: Measure, file: String, reason: LeftOutReason },
    /// Fewer than two sites report a measure: it is absent.
    TooFewSites { measure: Measure, k: usize },
    /// At least two sites, but the numbers could not be combined (e.g. standard errors so far apart
    /// that the weights overflow).
    NotComputable { measure: Measure },
}

impl PoolWarning {
    /// A plain-language sentence for the user.
    pub fn message(&self) -> String {
        match self {
            PoolWarning::TooFewFiles { usable } => {
                format!(
                    "Combining needs results files from at least two sites; {} given.",
                    crate::core::dataset::count_of(*usable, "usable file was", "usable files were")
                )
            }
            PoolWarning::SameFileName { file } => {
                format!("Two different files are both named {file}; rename one so the sites can be told apart.")
            }
            PoolWarning::MissingRows { file } => {
                format!("{file} does not say how many rows its data had, so its n is shown as unknown.")
            }
            PoolWarning::ScalesDiffer { scales, .. } => {
                let list: Vec<String> = scales
                    .iter()
                    .map(|s| {
                        let num = |v: Option<f64>| v.map_or_else(|| "?".to_string(), |x| x.to_string());
                        let dir = if s.lower_is_better { "lower is better" } else { "higher is better" };
                        format!("{} ({} to {}, {dir})", s.file, num(s.min), num(s.max))
                    })
                    .collect();
                format!("The sites do not all use the same scale ({}), so score changes and the adjusted difference are not combined; the standardised difference (Hedges' g) and the help-seeking risk ratio still are.", list.join("; "))
            }
            PoolWarning::LeftOut { measure, file, reason } => {
                format!("{file} is left out of {}: {}.", measure.label(), reason.phrase())
            }
            PoolWarning::TooFewSites { measure, k } => {
                format!(
                    "Only {} {}, so it is not combined (at least two are needed).",
                    crate::core::dataset::count_of(*k, "site reports", "sites report"),
                    measure.label()
                )
            }
            PoolWarning::NotComputable { measure } => format!(
                "{} could not be combined: the sites' standard errors are too far apart to weigh.",
                first_upper(measure.label())
            ),
        }
    }
}

fn first_upper(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// A rejected file and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejected {
    pub file: String,
    pub error: PoolError,
    pub message: String,
}

/// A warning with its sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub warning: PoolWarning,
    pub message: String,
}

/// `lantern` block of `lantern-pooled.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PooledHeader {
    pub version: String,
    pub pooled_format: u32,
}

/// One combined site: `{file, n}` (§8), plus its data file's name when given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PooledSite {
    pub file: String,
    /// The site's `dataset.rows` (`null` if the file does not say).
    pub n: Option<u64>,
    /// The site's `dataset.file` (extra key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset_file: Option<String>,
    /// The measures of §8 this site's file has a usable value for (extra key).
    #[serde(default)]
    pub measures: Vec<Measure>,
}

/// One site's row for the forest plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyRow {
    pub file: String,
    pub yi: f64,
    pub sei: f64,
    /// `yi ± qnorm(0.975)·sei`.
    pub ci_low: f64,
    pub ci_high: f64,
    /// Percentage weight in the fixed-effect fit.
    pub weight_fixed: f64,
    /// Percentage weight in the REML fit.
    pub weight_reml: f64,
}

/// I² band (Higgins et al. 2003: 25% low, 50% moderate, 75% high).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum I2Band {
    /// I² = 0: no variation beyond chance.
    None,
    /// 0 < I² < 50%.
    Low,
    /// 50% ≤ I² < 75%.
    Moderate,
    /// I² ≥ 75%.
    High,
}

/// Sign of an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sign {
    Negative,
    Zero,
    Positive,
}

/// Facts for the plain-language reading of one pooled measure (data, not sentences). "Zero" is
/// no effect on the measure's scale (log scale for `log_rr_help`, i.e. a risk ratio of 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub i2_band: I2Band,
    /// REML τ² is exactly 0 (the optimum is at the boundary).
    pub tau2_zero: bool,
    /// Cochran's Q p below alpha.
    pub q_significant: bool,
    /// Sign of the REML estimate.
    pub direction: Sign,
    /// REML 95% confidence interval excludes 0.
    pub ci_excludes_zero: bool,
    /// Knapp–Hartung 95% interval excludes 0.
    pub hk_ci_excludes_zero: bool,
    /// REML and Knapp–Hartung intervals agree on whether 0 is excluded.
    pub hk_agrees: bool,
    /// The 95% prediction interval excludes 0 (a new site would very likely show the same direction).
    pub pi_excludes_zero: bool,
    /// Fixed-effect and REML estimates differ in sign.
    pub fixed_reml_differ_in_sign: bool,
}

fn sign(x: f64) -> Sign {
    if x > 0.0 {
        Sign::Positive
    } else if x < 0.0 {
        Sign::Negative
    } else {
        Sign::Zero
    }
}

fn excludes_zero(lo: f64, hi: f64) -> bool {
    lo > 0.0 || hi < 0.0
}

/// The reading facts of a fit at significance level `alpha` (for Q; intervals are 95%).
pub fn reading(fit: &MetaAnalysis, alpha: f64) -> Reading {
    let i2 = fit.heterogeneity.i2;
    let i2_band = if i2 <= 0.0 {
        I2Band::None
    } else if i2 < 0.5 {
        I2Band::Low
    } else if i2 < 0.75 {
        I2Band::Moderate
    } else {
        I2Band::High
    };
    let ci = excludes_zero(fit.reml.ci_low, fit.reml.ci_high);
    let hk = excludes_zero(fit.reml_hk.ci_low, fit.reml_hk.ci_high);
    let (fs, rs) = (sign(fit.fixed.estimate), sign(fit.reml.estimate));
    Reading {
        i2_band,
        tau2_zero: fit.reml.tau2 == 0.0,
        q_significant: fit.heterogeneity.q_p < alpha,
        direction: rs,
        ci_excludes_zero: ci,
        hk_ci_excludes_zero: hk,
        hk_agrees: ci == hk,
        pi_excludes_zero: excludes_zero(fit.reml.pi_low, fit.reml.pi_high),
        fixed_reml_differ_in_sign: fs != rs && fs != Sign::Zero && rs != Sign::Zero,
    }
}

/// `pooled.<measure>`: §8's keys (`k`, `fixed`, `dl`, `reml`, `reml_hk`, `q`, `q_df`, `q_p`,
/// `i2`; `rr*` for `log_rr_help`) and extra keys (`sites`, `left_out`, `studies`, `reading`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PooledMeasure {
    #[serde(flatten)]
    pub fit: MetaAnalysis,
    /// `exp` of the REML estimate (only for `log_rr_help`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rr: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rr_ci_low: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rr_ci_high: Option<f64>,
    /// Files pooled, in the order given.
    pub sites: Vec<String>,
    /// Files left out of this measure (reasons in `notes`).
    pub left_out: Vec<String>,
    /// Per-site rows for the forest plot, in the order given.
    pub studies: Vec<StudyRow>,
    pub reading: Reading,
}

/// `pooled`: one entry per measure that at least two sites report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PooledMeasures {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ancova: Option<PooledMeasure>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub g_change: Option<PooledMeasure>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub change_intervention: Option<PooledMeasure>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub change_control: Option<PooledMeasure>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub change_all: Option<PooledMeasure>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub log_rr_help: Option<PooledMeasure>,
}

impl PooledMeasures {
    /// The entry for `m`.
    pub fn get(&self, m: Measure) -> Option<&PooledMeasure> {
        match m {
            Measure::Ancova => self.ancova.as_ref(),
            Measure::GChange => self.g_change.as_ref(),
            Measure::ChangeIntervention => self.change_intervention.as_ref(),
            Measure::ChangeControl => self.change_control.as_ref(),
            Measure::ChangeAll => self.change_all.as_ref(),
            Measure::LogRrHelp => self.log_rr_help.as_ref(),
        }
    }

    fn slot(&mut self, m: Measure) -> &mut Option<PooledMeasure> {
        match m {
            Measure::Ancova => &mut self.ancova,
            Measure::GChange => &mut self.g_change,
            Measure::ChangeIntervention => &mut self.change_intervention,
            Measure::ChangeControl => &mut self.change_control,
            Measure::ChangeAll => &mut self.change_all,
            Measure::LogRrHelp => &mut self.log_rr_help,
        }
    }
}

/// The whole `lantern-pooled.json`: `{"lantern", "sites", "pooled"}` of §8, plus
/// `measures_absent`, `left_out` (measure → files, for pooled measures), `rejected` and `notes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PooledDocument {
    pub lantern: PooledHeader,
    pub sites: Vec<PooledSite>,
    pub pooled: PooledMeasures,
    /// Measures not pooled (fewer than two sites, different scales, not computable).
    pub measures_absent: Vec<Measure>,
    /// For each pooled measure with a site left out: the files left out.
    pub left_out: BTreeMap<Measure, Vec<String>>,
    /// Files not used at all, with the reason.
    pub rejected: Vec<Rejected>,
    /// Warnings (files still used).
    pub notes: Vec<Note>,
}

/// Parses a file's text; a [`PoolError::NotJson`] when it is not JSON.
pub fn parse_site_text(text: &str) -> Result<Value, PoolError> {
    serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|_| PoolError::NotJson)
}

/// Checks that `doc` is a Lantern results file this version reads and has results.
pub fn check_site(doc: &Value) -> Result<(), PoolError> {
    let Some(obj) = doc.as_object() else {
        return Err(PoolError::NotLanternResults);
    };
    let format = obj.get("lantern").and_then(|l| l.get("results_format"));
    let Some(format) = format.filter(|f| !f.is_null()) else {
        if obj.contains_key("pooled") {
            return Err(PoolError::PooledFile);
        }
        return Err(PoolError::NotLanternResults);
    };
    let n = match format.as_u64() {
        Some(n) => n,
        None => match format.as_f64() {
            Some(x) if x.is_finite() && x >= 1.0 && x.fract() == 0.0 && x < 1e15 => x as u64,
            Some(x) if x.is_finite() && x > SUPPORTED_RESULTS_FORMAT as f64 => {
                return Err(PoolError::NewerFormat {
                    format: x.ceil().min(u64::MAX as f64) as u64,
                    supported: SUPPORTED_RESULTS_FORMAT,
                })
            }
            _ => return Err(PoolError::UnreadableFormat),
        },
    };
    if n == 0 {
        return Err(PoolError::UnreadableFormat);
    }
    if n > SUPPORTED_RESULTS_FORMAT {
        return Err(PoolError::NewerFormat { format: n, supported: SUPPORTED_RESULTS_FORMAT });
    }
    match obj.get("results").and_then(Value::as_object) {
        Some(r) if !r.is_empty() => Ok(()),
        _ => Err(PoolError::NoResults),
    }
}

/// A number at `path` under `results`: `Err` with the reason when absent, null or not a number.
fn number(results: &Value, path: &[&str]) -> Result<f64, LeftOutReason> {
    let mut v = results;
    for key in path {
        v = match v.get(key) {
            None => return Err(LeftOutReason::NotReported),
            Some(Value::Null) => return Err(LeftOutReason::NotComputable),
            Some(x) => x,
        };
    }
    v.as_f64().filter(|x| x.is_finite()).ok_or(LeftOutReason::NotANumber)
}

/// The site's `(yi, sei)` for `measure` (table of §8), or why it has none.
pub fn site_effect(results: &Value, measure: Measure) -> Result<Study, LeftOutReason> {
    let (yi, sei) = match measure {
        Measure::Ancova => (number(results, &["ancova", "coef_group"])?, number(results, &["ancova", "se_group"])?),
        Measure::GChange => {
            (number(results, &["two_group_change", "hedges_g"])?, number(results, &["two_group_change", "se_g"])?)
        }
        Measure::ChangeIntervention | Measure::ChangeControl | Measure::ChangeAll => {
            let arm = match measure {
                Measure::ChangeIntervention => "intervention",
                Measure::ChangeControl => "control",
                _ => "all",
            };
            (number(results, &["paired", arm, "mean_diff"])?, number(results, &["paired", arm, "se_diff"])?)
        }
        Measure::LogRrHelp => {
            let rr = number(results, &["help_between_post", "rr"])?;
            let lo = number(results, &["help_between_post", "rr_ci_low"])?;
            let hi = number(results, &["help_between_post", "rr_ci_high"])?;
            if !(rr > 0.0 && lo > 0.0 && hi > lo) {
                return Err(LeftOutReason::InvalidRatio);
            }
            (rr.ln(), (hi.ln() - lo.ln()) / (2.0 * Z_975))
        }
    };
    if !(sei.is_finite() && sei > 0.0) {
        return Err(LeftOutReason::InvalidStandardError);
    }
    if !yi.is_finite() {
        return Err(LeftOutReason::NotANumber);
    }
    Ok(Study { yi, sei })
}

fn site_scale(file: &str, doc: &Value) -> SiteScale {
    let scale = doc.get("recipe").and_then(|r| r.get("scale"));
    let num = |k: &str| scale.and_then(|s| s.get(k)).and_then(Value::as_f64);
    SiteScale {
        file: file.to_string(),
        min: num("min"),
        max: num("max"),
        lower_is_better: scale.and_then(|s| s.get("lower_is_better")).and_then(Value::as_bool).unwrap_or(true),
    }
}

struct Accepted<'a> {
    file: &'a str,
    doc: &'a Value,
}

/// Pools files given as text (what the page reads): a file that is not JSON is rejected
/// ([`PoolError::NotJson`]) and the others are pooled by [`pool_sites`] as usual.
pub fn pool_texts(files: &[(String, String)]) -> PooledDocument {
    let mut parsed = Vec::new();
    let mut unreadable = Vec::new();
    for (file, text) in files {
        match parse_site_text(text) {
            Ok(v) => parsed.push((file.clone(), v)),
            Err(error) => unreadable.push(Rejected { file: file.clone(), message: error.message(file), error }),
        }
    }
    let mut doc = pool_sites(&parsed);
    if !unreadable.is_empty() {
        unreadable.append(&mut doc.rejected);
        doc.rejected = unreadable;
    }
    doc
}

/// `lantern-pooled.json`'s text: the document, with `label` added to each site the user renamed
/// (`labels`: file → name given).
pub fn export_pooled(doc: &PooledDocument, labels: &BTreeMap<String, String>) -> String {
    let mut v = match serde_json::to_value(doc) {
        Ok(v) => v,
        Err(e) => return serde_json::json!({"error": e.to_string()}).to_string(),
    };
    if let Some(sites) = v.get_mut("sites").and_then(Value::as_array_mut) {
        for s in sites {
            let file = s.get("file").and_then(Value::as_str).map(str::to_string);
            if let (Some(label), Some(obj)) = (file.and_then(|f| labels.get(&f)), s.as_object_mut()) {
                obj.insert("label".into(), Value::String(label.clone()));
            }
        }
    }
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// Pools the sites' results files (`(file name, parsed JSON)`, in the order the user gave them)
/// into the `lantern-pooled.json` structure of §8. Never fails: problems are in `rejected` and
/// `notes`, and a measure that cannot be pooled is absent. The order of `files` changes no number.
pub fn pool_sites(files: &[(String, Value)]) -> PooledDocument {
    let mut rejected: Vec<Option<Rejected>> = vec![None; files.len()];
    // Duplicates are decided in a canonical order (file name, then content) so that which copy is
    // kept does not depend on the order the files were given in.
    let mut canon: Vec<usize> = (0..files.len()).collect();
    let texts: Vec<String> = files.iter().map(|(_, v)| v.to_string()).collect();
    canon.sort_by(|&a, &b| files[a].0.cmp(&files[b].0).then_with(|| texts[a].cmp(&texts[b])).then(a.cmp(&b)));
    let mut kept: Vec<usize> = Vec::new();
    for &i in &canon {
        let (file, doc) = (&files[i].0, &files[i].1);
        let err = match check_site(doc) {
            Err(e) => Some(e),
            Ok(()) => kept.iter().find_map(|&j| {
                let other = &files[j];
                if other.1 == *doc {
                    Some(PoolError::DuplicateFile { same_as: other.0.clone() })
                } else if other.1.get("results") == doc.get("results") {
                    Some(PoolError::DuplicateResults { same_as: other.0.clone() })
                } else {
                    None
                }
            }),
        };
        match err {
            Some(error) => rejected[i] = Some(Rejected { file: file.clone(), message: error.message(file), error }),
            None => kept.push(i),
        }
    }
    kept.sort_unstable();
    let accepted: Vec<Accepted> = kept.iter().map(|&i| Accepted { file: &files[i].0, doc: &files[i].1 }).collect();

    let mut warnings: Vec<PoolWarning> = Vec::new();
    if accepted.len() < 2 {
        warnings.push(PoolWarning::TooFewFiles { usable: accepted.len() });
    }
    let mut seen_names: Vec<&str> = Vec::new();
    for a in &accepted {
        if seen_names.contains(&a.file) {
            if !warnings.iter().any(|w| matches!(w, PoolWarning::SameFileName { file } if file == a.file)) {
                warnings.push(PoolWarning::SameFileName { file: a.file.to_string() });
            }
        } else {
            seen_names.push(a.file);
        }
    }
    let sites: Vec<PooledSite> = accepted
        .iter()
        .map(|a| {
            let ds = a.doc.get("dataset");
            let n = ds.and_then(|d| d.get("rows")).and_then(|r| {
                r.as_u64()
                    .or_else(|| r.as_f64().filter(|x| *x >= 0.0 && x.fract() == 0.0 && *x < 1e15).map(|x| x as u64))
            });
            if n.is_none() {
                warnings.push(PoolWarning::MissingRows { file: a.file.to_string() });
            }
            let dataset_file = ds.and_then(|d| d.get("file")).and_then(Value::as_str).map(str::to_string);
            let results = a.doc.get("results").unwrap_or(&Value::Null);
            let measures = Measure::ALL.into_iter().filter(|m| site_effect(results, *m).is_ok()).collect();
            PooledSite { file: a.file.to_string(), n, dataset_file, measures }
        })
        .collect();

    let scales: Vec<SiteScale> = accepted.iter().map(|a| site_scale(a.file, a.doc)).collect();
    let scales_differ = scales
        .windows(2)
        .any(|w| (w[0].min, w[0].max, w[0].lower_is_better) != (w[1].min, w[1].max, w[1].lower_is_better));
    if scales_differ {
        warnings.push(PoolWarning::ScalesDiffer {
            scales: scales.clone(),
            measures: Measure::ALL.iter().copied().filter(|m| m.is_raw_score()).collect(),
        });
    }

    let mut pooled = PooledMeasures::default();
    let mut measures_absent = Vec::new();
    let mut left_out_map = BTreeMap::new();
    for m in Measure::ALL {
        if scales_differ && m.is_raw_score() {
            measures_absent.push(m);
            continue;
        }
        let mut studies: Vec<(&str, Study)> = Vec::new();
        let mut left: Vec<(String, LeftOutReason)> = Vec::new();
        for a in &accepted {
            let results = a.doc.get("results").unwrap_or(&Value::Null);
            match site_effect(results, m) {
                Ok(s) => studies.push((a.file, s)),
                Err(reason) => left.push((a.file.to_string(), reason)),
            }
        }
        if studies.len() < 2 {
            measures_absent.push(m);
            if !studies.is_empty() {
                warnings.push(PoolWarning::TooFewSites { measure: m, k: studies.len() });
            }
            continue;
        }
        let only: Vec<Study> = studies.iter().map(|(_, s)| *s).collect();
        let Some(fit) = meta_analyse(&only) else {
            measures_absent.push(m);
            warnings.push(PoolWarning::NotComputable { measure: m });
            continue;
        };
        let wf = weights_percent(&only, 0.0).unwrap_or_default();
        let wr = weights_percent(&only, fit.reml.tau2).unwrap_or_default();
        let rows: Vec<StudyRow> = studies
            .iter()
            .enumerate()
            .map(|(i, (file, s))| StudyRow {
                file: file.to_string(),
                yi: s.yi,
                sei: s.sei,
                ci_low: s.yi - Z_975 * s.sei,
                ci_high: s.yi + Z_975 * s.sei,
                weight_fixed: wf.get(i).copied().unwrap_or(0.0),
                weight_reml: wr.get(i).copied().unwrap_or(0.0),
            })
            .collect();
        let exp = |x: f64| Some(x.exp()).filter(|e| e.is_finite());
        let is_rr = m == Measure::LogRrHelp;
        for (file, reason) in &left {
            warnings.push(PoolWarning::LeftOut { measure: m, file: file.clone(), reason: *reason });
        }
        let left_files: Vec<String> = left.into_iter().map(|(f, _)| f).collect();
        if !left_files.is_empty() {
            left_out_map.insert(m, left_files.clone());
        }
        *pooled.slot(m) = Some(PooledMeasure {
            rr: if is_rr { exp(fit.reml.estimate) } else { None },
            rr_ci_low: if is_rr { exp(fit.reml.ci_low) } else { None },
            rr_ci_high: if is_rr { exp(fit.reml.ci_high) } else { None },
            sites: studies.iter().map(|(f, _)| f.to_string()).collect(),
            left_out: left_files,
            studies: rows,
            reading: reading(&fit, 0.05),
            fit,
        });
    }

    PooledDocument {
        lantern: PooledHeader { version: env!("CARGO_PKG_VERSION").to_string(), pooled_format: POOLED_FORMAT },
        sites,
        pooled,
        measures_absent,
        left_out: left_out_map,
        rejected: rejected.into_iter().flatten().collect(),
        notes: warnings.into_iter().map(|w| Note { message: w.message(), warning: w }).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn site(rows: u64, g: (f64, f64), anc: Option<(f64, f64)>, scale_max: f64) -> Value {
        let mut results = json!({
            "two_group_change": {"hedges_g": g.0, "se_g": g.1},
            "paired": {"intervention": {"mean_diff": g.0 / 2.0, "se_diff": g.1 / 2.0},
                       "control": {"mean_diff": g.0 / 5.0, "se_diff": g.1 / 3.0}},
            "help_between_post": {"rr": 1.5, "rr_ci_low": 0.9, "rr_ci_high": 2.5 + g.0},
        });
        if let Some((c, s)) = anc {
            results["ancova"] = json!({"coef_group": c, "se_group": s});
        }
        json!({
            "lantern": {"version": "0.1.0", "results_format": 1},
            "recipe": {"scale": {"min": 1, "max": scale_max, "lower_is_better": true}},
            "dataset": {"file": "x.csv", "rows": rows},
            "results": results,
        })
    }

    fn three() -> Vec<(String, Value)> {
        vec![
            ("a.json".to_string(), site(50, (-0.4, 0.2), Some((-0.3, 0.12)), 5.0)),
            ("b.json".to_string(), site(60, (-0.1, 0.25), None, 5.0)),
            ("c.json".to_string(), site(70, (-0.6, 0.3), Some((-0.5, 0.2)), 5.0)),
        ]
    }

    #[test]
    fn text_files_that_are_not_json_are_rejected_and_the_rest_pooled() {
        let mut files: Vec<(String, String)> = three().into_iter().map(|(f, v)| (f, v.to_string())).collect();
        files.insert(1, ("notes.txt".to_string(), "hello, world".to_string()));
        let doc = pool_texts(&files);
        assert_eq!(doc.sites.len(), 3);
        assert_eq!(doc.rejected.len(), 1);
        assert_eq!(doc.rejected[0].error, PoolError::NotJson);
        assert!(doc.rejected[0].message.starts_with("notes.txt"));
        let labels: BTreeMap<String, String> = [("b.json".to_string(), "Town B".to_string())].into();
        let out: Value = serde_json::from_str(&export_pooled(&doc, &labels)).unwrap();
        assert_eq!(out["sites"][1]["label"], json!("Town B"));
        assert!(out["sites"][0].get("label").is_none());
        assert!(out["pooled"]["g_change"]["reml"]["estimate"].is_number());
    }

    #[test]
    fn pools_and_names_left_out_sites() {
        let doc = pool_sites(&three());
        assert_eq!(doc.sites.len(), 3);
        assert_eq!(doc.sites[1].n, Some(60));
        let anc = doc.pooled.ancova.as_ref().unwrap();
        assert_eq!(anc.fit.k, 2);
        assert_eq!(anc.left_out, vec!["b.json".to_string()]);
        assert_eq!(doc.left_out.get(&Measure::Ancova), Some(&vec!["b.json".to_string()]));
        assert!(doc.notes.iter().any(|n| matches!(&n.warning, PoolWarning::LeftOut { measure: Measure::Ancova, file, reason: LeftOutReason::NotReported } if file == "b.json")));
        assert_eq!(doc.pooled.g_change.as_ref().unwrap().fit.k, 3);
        assert!(doc.pooled.change_all.is_none());
        assert!(doc.measures_absent.contains(&Measure::ChangeAll));
        let rr = doc.pooled.log_rr_help.as_ref().unwrap();
        assert!((rr.rr.unwrap() - rr.fit.reml.estimate.exp()).abs() < 1e-15);
        assert!(doc.pooled.g_change.as_ref().unwrap().rr.is_none());
        let text = serde_json::to_string(&doc).unwrap();
        assert!(!text.contains("NaN"));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["pooled"]["ancova"]["k"], json!(2));
        assert!(back["pooled"]["ancova"]["reml"]["pi_low"].is_number());
        assert!(back["pooled"]["ancova"]["q_df"].is_number());
        assert!(back["pooled"]["g_change"].get("rr").is_none());
    }

    #[test]
    fn order_of_files_changes_no_number() {
        let files = three();
        let a = pool_sites(&files);
        for perm in [[2, 0, 1], [1, 2, 0], [2, 1, 0], [0, 2, 1]] {
            let f: Vec<(String, Value)> = perm.iter().map(|&i| files[i].clone()).collect();
            let b = pool_sites(&f);
            for m in Measure::ALL {
                assert_eq!(a.pooled.get(m).map(|p| p.fit), b.pooled.get(m).map(|p| p.fit), "{m:?}");
            }
        }
    }

    #[test]
    fn null_values_leave_a_site_out() {
        let mut files = three();
        files[0].1["results"]["help_between_post"]["rr"] = Value::Null;
        files[1].1["results"]["two_group_change"]["se_g"] = json!(0.0);
        let doc = pool_sites(&files);
        assert_eq!(doc.pooled.log_rr_help.as_ref().unwrap().left_out, vec!["a.json".to_string()]);
        assert_eq!(doc.pooled.g_change.as_ref().unwrap().left_out, vec!["b.json".to_string()]);
        assert!(doc
            .notes
            .iter()
            .any(|n| matches!(&n.warning, PoolWarning::LeftOut { reason: LeftOutReason::NotComputable, .. })));
        assert!(doc
            .notes
            .iter()
            .any(|n| matches!(&n.warning, PoolWarning::LeftOut { reason: LeftOutReason::InvalidStandardError, .. })));
    }

    #[test]
    fn different_scales_keep_only_standardised_measures() {
        let mut files = three();
        files[2].1 = site(70, (-0.6, 0.3), Some((-0.5, 0.2)), 7.0);
        let doc = pool_sites(&files);
        assert!(
            doc.pooled.ancova.is_none()
                && doc.pooled.change_intervention.is_none()
                && doc.pooled.change_control.is_none()
        );
        assert!(doc.pooled.g_change.is_some() && doc.pooled.log_rr_help.is_some());
        assert!(doc.notes.iter().any(|n| matches!(n.warning, PoolWarning::ScalesDiffer { .. })));
        // Direction differs.
        let mut files = three();
        files[1].1["recipe"]["scale"]["lower_is_better"] = json!(false);
        assert!(pool_sites(&files).pooled.ancova.is_none());
        // 5 and 5.0 are the same scale.
        let mut files = three();
        files[1].1["recipe"]["scale"]["max"] = json!(5.0);
        assert!(pool_sites(&files).pooled.ancova.is_some());
    }

    #[test]
    fn bad_files_are_rejected_with_a_reason() {
        let mut files = three();
        files.push(("recipe.json".to_string(), json!({"columns": {}})));
        files.push(("newer.json".to_string(), json!({"lantern": {"results_format": 2}, "results": {"ancova": {}}})));
        files.push(("pooled.json".to_string(), json!({"lantern": {"version": "0.1.0"}, "sites": [], "pooled": {}})));
        files.push(("zero.json".to_string(), json!({"lantern": {"results_format": 0}, "results": {"x": 1}})));
        files.push(("empty.json".to_string(), json!({"lantern": {"results_format": 1}, "results": {}})));
        files.push(("array.json".to_string(), json!([1, 2])));
        files.push(("copy-of-a.json".to_string(), files[0].1.clone()));
        let mut rerun = files[1].1.clone();
        rerun["recipe"]["scale"]["name"] = json!("renamed");
        files.push(("b-again.json".to_string(), rerun));
        let doc = pool_sites(&files);
        let err = |f: &str| doc.rejected.iter().find(|r| r.file == f).map(|r| r.error.clone());
        assert_eq!(err("recipe.json"), Some(PoolError::NotLanternResults));
        assert_eq!(err("newer.json"), Some(PoolError::NewerFormat { format: 2, supported: 1 }));
        assert_eq!(err("pooled.json"), Some(PoolError::PooledFile));
        assert_eq!(err("zero.json"), Some(PoolError::UnreadableFormat));
        assert_eq!(err("empty.json"), Some(PoolError::NoResults));
        assert_eq!(err("array.json"), Some(PoolError::NotLanternResults));
        // "a.json" sorts before "copy-of-a.json": the copy is the one dropped.
        assert_eq!(err("copy-of-a.json"), Some(PoolError::DuplicateFile { same_as: "a.json".to_string() }));
        assert_eq!(err("b-again.json"), None);
        assert_eq!(err("b.json"), Some(PoolError::DuplicateResults { same_as: "b-again.json".to_string() }));
        assert_eq!(doc.sites.len(), 3);
        assert!(doc.rejected.iter().all(|r| !r.message.is_empty()));
        assert_eq!(parse_site_text("not json"), Err(PoolError::NotJson));
        assert!(parse_site_text("\u{feff}{\"a\": 1}").is_ok());
    }

    #[test]
    fn one_file_pools_nothing() {
        let doc = pool_sites(&three()[..1]);
        assert!(Measure::ALL.iter().all(|&m| doc.pooled.get(m).is_none()));
        assert_eq!(doc.measures_absent.len(), 6);
        assert!(doc.notes.iter().any(|n| n.warning == PoolWarning::TooFewFiles { usable: 1 }));
        let doc = pool_sites(&[]);
        assert!(doc.sites.is_empty() && doc.notes.iter().any(|n| n.warning == PoolWarning::TooFewFiles { usable: 0 }));
    }

    #[test]
    fn reading_facts() {
        let doc = pool_sites(&three());
        let r = doc.pooled.g_change.as_ref().unwrap().reading;
        assert_eq!(r.direction, Sign::Negative);
        let fit = doc.pooled.g_change.as_ref().unwrap().fit;
        assert_eq!(r.tau2_zero, fit.reml.tau2 == 0.0);
        assert_eq!(r.i2_band == I2Band::None, fit.heterogeneity.i2 == 0.0);
    }
}
