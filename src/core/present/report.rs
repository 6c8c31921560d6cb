//! The printable report for community advisory boards (issue 10), as structured content: the
//! UI lays it out (and draws each section's chart by its `id`); [`Report::to_text`] gives a
//! plain-text version that reads aloud.
//!
//! Order on the page: title, plain-language summary (what changed, for whom, how sure, what it
//! cost), one section per result (sentences, a small table of key numbers, the method named in
//! plain words), cost, planning the next evaluation, data description (n, missing per role,
//! what was cleaned), limitations, glossary (only the terms the report uses).
//!
//! Sentences come from [`crate::core::present::explain`]; nothing here computes a statistic except the
//! planning sentence, which asks Lantern's planner ([`crate::core::planning::power`]).

use crate::core::analyses::change::SUBGROUP_MIN_PAIRS;
use crate::core::analyses::cost::ratio::money;
use crate::core::analyses::cost::{CeClass, CostResult};
use crate::core::analyses::Analysis;
use crate::core::dataset::Diagnostic;
use crate::core::ingest::profile::DatasetSummary;
use crate::core::planning::power::{solve, Design, PowerCase, SolveFor};
use crate::core::present::explain;
use crate::core::present::explain::{arm_title, num, pval};
use crate::core::recipe::Recipe;
use crate::core::results::Results;
use crate::core::stats::paired::PairedStats;
use crate::core::stats::two_group::TwoGroupStats;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Attrition from this share of rows up is called large.
pub const LARGE_ATTRITION: f64 = 0.2;
/// Fewer complete pairs per group than this: the study is called small.
pub const SMALL_STUDY: usize = 30;
/// The planning sentence's effect size: small-to-moderate, typical of anti-stigma programs
/// (Griffiths et al. 2014: d = 0.28; Mehta et al. 2015: SMD −0.26 for attitudes).
pub const PLANNING_D: f64 = 0.3;

/// One glossary term: what it means, and an example in the program's own terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlossaryEntry {
    /// Stable key: `d_z`, `confidence_interval`, `p_value`, `reliable_change`, `icer`, `power`, ...
    pub key: String,
    pub term: String,
    /// One line in plain words.
    pub meaning: String,
    pub example: String,
}

/// A small table of key numbers, already formatted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportTable {
    pub caption: String,
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub rows: Vec<Vec<String>>,
}

/// One part of the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportSection {
    /// The results key it reads (`paired`, `paired_followup`, `between_groups`, `help_seeking`,
    /// `rci`, `subgroups`, `items`, `process`, `community`, `cost`, `planning`, `data`), so the
    /// UI can add the chart.
    pub id: String,
    pub heading: String,
    #[serde(default)]
    pub sentences: Vec<String>,
    pub table: Option<ReportTable>,
    /// The method, named in plain words.
    pub method: Option<String>,
    /// Glossary keys this section uses.
    #[serde(default)]
    pub terms: Vec<String>,
}

/// The report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub title: String,
    /// Where the numbers come from (file, tool and version).
    pub subtitle: String,
    /// Plain-language summary, read first.
    #[serde(default)]
    pub summary: Vec<String>,
    /// One section per result.
    #[serde(default)]
    pub sections: Vec<ReportSection>,
    pub cost: Option<ReportSection>,
    /// How big the next evaluation should be.
    pub planning: Option<ReportSection>,
    pub data: ReportSection,
    #[serde(default)]
    pub limitations: Vec<String>,
    /// The terms this report uses, explained.
    #[serde(default)]
    pub glossary: Vec<GlossaryEntry>,
}

impl Report {
    /// Every section in page order (results, cost, planning, data).
    pub fn all_sections(&self) -> Vec<&ReportSection> {
        self.sections
            .iter()
            .chain(self.cost.as_ref())
            .chain(self.planning.as_ref())
            .chain(std::iter::once(&self.data))
            .collect()
    }

    /// The report as plain text (headings, sentences, tables as lines), for reading aloud,
    /// copying, and tests.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n{}\n\nSummary\n", self.title, self.subtitle);
        for s in &self.summary {
            out.push_str(&format!("- {s}\n"));
        }
        for sec in self.all_sections() {
            out.push_str(&format!("\n{}\n", sec.heading));
            for s in &sec.sentences {
                out.push_str(&format!("{s}\n"));
            }
            if let Some(t) = &sec.table {
                out.push_str(&format!("{}\n{}\n", t.caption, t.columns.join(" | ")));
                for r in &t.rows {
                    out.push_str(&format!("{}\n", r.join(" | ")));
                }
            }
            if let Some(m) = &sec.method {
                out.push_str(&format!("Method: {m}\n"));
            }
        }
        out.push_str("\nLimitations\n");
        for l in &self.limitations {
            out.push_str(&format!("- {l}\n"));
        }
        out.push_str("\nWhat the terms mean\n");
        for g in &self.glossary {
            out.push_str(&format!("{}: {} Example: {}\n", g.term, g.meaning, g.example));
        }
        out
    }
}

fn entry(key: &str, term: &str, meaning: &str, example: &str) -> GlossaryEntry {
    GlossaryEntry { key: key.into(), term: term.into(), meaning: meaning.into(), example: example.into() }
}

/// Every term Lantern explains, each with a one-line meaning and an example about a peer-led
/// anti-stigma program.
pub fn glossary() -> Vec<GlossaryEntry> {
    vec![
        entry(
            "d_z",
            "d_z (standardised change)",
            "The average change divided by how much people's changes differ from one another, so that changes on different questionnaires can be compared. As a rough guide, 0.2 is small, 0.5 medium and 0.8 large.",
            "d_z = −0.60 for stigma means the average participant's score fell by 0.6 times the typical spread of individual changes: a medium-sized improvement, since lower stigma is better.",
        ),
        entry(
            "hedges_g",
            "Hedges' g (standardised difference between groups)",
            "The difference between the program group and the comparison group divided by the usual spread of scores, slightly corrected for small groups. The same rough guide applies: 0.2 small, 0.5 medium, 0.8 large.",
            "g = −0.50 on change scores means program participants' stigma fell by half a typical spread more than the comparison group's.",
        ),
        entry(
            "confidence_interval",
            "Confidence interval (CI)",
            "A range of plausible values for the true effect, given the data; a 95% interval is built so that 95 of 100 studies like this one would capture the true value. A wide interval means we are unsure.",
            "A change of −0.40 points (95% CI −0.55 to −0.25) means the true average change in stigma is probably between −0.55 and −0.25 points; since the whole range is below zero, stigma very likely fell.",
        ),
        entry(
            "p_value",
            "p-value",
            "How surprising the results would be if the program made no difference at all; below 0.05 is called “statistically significant”. It is not the chance that the program works, and it says nothing about how big the change is.",
            "p = 0.003 for the change in stigma means a change at least this large would turn up by chance in only about 3 of 1,000 studies if the program did nothing.",
        ),
        entry(
            "reliable_change",
            "Reliable change",
            "A change in one person's score bigger than the questionnaire's own measurement error could produce (the Jacobson–Truax reliable change index). It counts people rather than averaging them.",
            "“18 of 60 participants improved reliably” means 18 people's stigma scores fell by more than the usual wobble between two sittings of the same questionnaire.",
        ),
        entry(
            "icer",
            "ICER (incremental cost-effectiveness ratio)",
            "The extra cost of the program compared with the comparison condition, divided by the extra outcome it produced. Lantern shows it only when costs and effects clearly move together.",
            "An ICER of $250 per additional help-seeker means that, compared with the comparison group, each extra person who sought help cost the program about $250.",
        ),
        entry(
            "power",
            "Power",
            "The chance that a study of a given size finds a statistically significant result if the program truly has an effect of a given size; 80% is the usual target.",
            "With 64 people per group and a true effect of d = 0.5, power is 80%: 4 of 5 such evaluations would detect the effect and 1 in 5 would miss it. Anti-stigma effects are often nearer d = 0.3, which needs about 176 people per group.",
        ),
        entry(
            "cronbach_alpha",
            "Cronbach's alpha",
            "How consistently the items of a questionnaire measure the same thing, from 0 to 1; 0.7 or more is usually acceptable.",
            "α = 0.85 for the stigma items means people who agreed with one stigmatising statement tended to agree with the others too.",
        ),
        entry(
            "icc",
            "ICC (intraclass correlation)",
            "How alike people in the same group (a class, a workshop, a village) are, from 0 (no more alike than strangers) to 1 (identical).",
            "ICC = 0.05 for stigma among workshop groups means 5% of the differences in stigma lie between workshops rather than between people.",
        ),
        entry(
            "design_effect",
            "Design effect",
            "How much clustering inflates the uncertainty: 1 + (cluster size − 1) × ICC. Dividing the number of people by it gives what they are worth as independent participants.",
            "Workshops of 11 people with an ICC of 0.1 give a design effect of 2: 66 participants count like 33 independent people.",
        ),
        entry(
            "attrition",
            "Attrition (drop-out)",
            "People who started the evaluation but have no score at the end. If they differ from those who stayed, the results can be biased.",
            "If 30 of 120 participants skipped the final questionnaire, attrition is 25%.",
        ),
    ]
}

/// Arm names for people.
/// Arm names inside a sentence.
fn arm_who(arm: &str) -> &str {
    match arm {
        "all" => "participants",
        "intervention" => "program participants",
        "control" => "people in the comparison group",
        other => other,
    }
}

fn ci_text(lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (Some(l), Some(h)) => format!("{l:.2} to {h:.2}"),
        _ => "not computable".into(),
    }
}

fn level_text(level: f64) -> String {
    format!("{:.0}%", level * 100.0)
}

fn pct(p: Option<f64>) -> String {
    p.map(|p| format!("{:.0}%", p * 100.0)).unwrap_or_else(|| "not computable".into())
}

fn terms(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

/// Arms in reading order: intervention, control, then anything else (`all`).
fn arms_in_order<T>(map: &BTreeMap<String, T>) -> Vec<(&String, &T)> {
    let rank = |k: &str| match k {
        "intervention" => 0,
        "control" => 1,
        _ => 2,
    };
    let mut v: Vec<(&String, &T)> = map.iter().collect();
    v.sort_by_key(|(k, _)| rank(k));
    v
}

fn paired_section(
    id: &str,
    heading: &str,
    after: &str,
    map: &BTreeMap<String, PairedStats>,
    lower_is_better: bool,
) -> Option<ReportSection> {
    if map.is_empty() {
        return None;
    }
    let mut sentences = Vec::new();
    let mut rows = Vec::new();
    let mut level = 0.95;
    for (arm, s) in arms_in_order(map) {
        level = s.conf_level;
        let reading = explain::paired_reading(s, lower_is_better);
        sentences.push(if map.len() > 1 { format!("{}: {reading}", arm_title(arm)) } else { reading });
        rows.push(vec![
            arm_title(arm).to_string(),
            s.n.to_string(),
            num(s.mean_pre, 2),
            num(s.mean_post, 2),
            num(s.mean_diff, 2),
            ci_text(s.ci_low, s.ci_high),
            pval(s.p),
            num(s.dz, 2),
        ]);
    }
    Some(ReportSection {
        id: id.into(),
        heading: heading.into(),
        sentences,
        table: Some(ReportTable {
            caption: format!("Stigma scores before and {after}, people with both scores"),
            columns: vec![
                "Group".into(),
                "People".into(),
                "Before (mean)".into(),
                format!("{} (mean)", capitalise(after)),
                "Change".into(),
                format!("{} CI of the change", level_text(level)),
                "p-value".into(),
                "d_z".into(),
            ],
            rows,
        }),
        method: Some(
            "Paired t-test: compares each person's score afterwards with their own score before, so everyone is their own comparison. Checked with the Wilcoxon signed-rank test, which does not assume bell-shaped scores."
                .into(),
        ),
        terms: terms(&["d_z", "confidence_interval", "p_value"]),
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn two_group_row(label: &str, s: &TwoGroupStats) -> Vec<String> {
    vec![
        label.into(),
        format!("{} / {}", s.n_int, s.n_ctrl),
        num(s.mean_diff, 2),
        ci_text(s.welch_ci_low, s.welch_ci_high),
        pval(s.welch_p),
        num(s.hedges_g, 2),
    ]
}

fn between_section(r: &Results, lower_is_better: bool) -> Option<ReportSection> {
    if r.two_group_change.is_none() && r.two_group_post.is_none() && r.ancova.is_none() {
        return None;
    }
    let mut sentences = Vec::new();
    let mut rows = Vec::new();
    let mut level = 0.95;
    if let Some(s) = &r.two_group_change {
        level = s.conf_level;
        sentences.push(explain::two_group_reading(s, "the change in stigma scores", lower_is_better));
        rows.push(two_group_row("Change from before to after", s));
    }
    if let Some(s) = &r.two_group_post {
        level = s.conf_level;
        sentences.push(explain::two_group_reading(s, "stigma scores after the program", lower_is_better));
        rows.push(two_group_row("Scores after the program", s));
    }
    if let Some(a) = &r.ancova {
        level = a.conf_level;
        sentences.push(explain::ancova_reading(a, lower_is_better));
        sentences.extend(r.tipping_point.as_ref().and_then(crate::core::present::dropout::report_dropout_context));
        rows.push(vec![
            "After, for people with the same starting score".into(),
            a.n.to_string(),
            num(a.coef_group, 2),
            ci_text(a.ci_low, a.ci_high),
            pval(a.p_group),
            "—".into(),
        ]);
    }
    Some(ReportSection {
        id: "between_groups".into(),
        heading: "Program group compared with the comparison group".into(),
        sentences,
        table: Some(ReportTable {
            caption: "Differences are program minus comparison group, in scale points".into(),
            columns: vec![
                "Compared on".into(),
                "People (program / comparison)".into(),
                "Difference".into(),
                format!("{} CI", level_text(level)),
                "p-value".into(),
                "Hedges' g".into(),
            ],
            rows,
        }),
        method: Some(
            "Welch's t-test: compares the two groups' averages without assuming they vary equally. The adjusted comparison (analysis of covariance, ANCOVA) compares people who started at the same score, so a difference at the start does not distort the result."
                .into(),
        ),
        terms: terms(&["hedges_g", "confidence_interval", "p_value"]),
    })
}

fn help_section(r: &Results) -> Option<ReportSection> {
    if r.help_paired.is_empty() && r.help_between_post.is_none() {
        return None;
    }
    let mut sentences = Vec::new();
    let mut rows = Vec::new();
    for (arm, s) in arms_in_order(&r.help_paired) {
        let reading = explain::help_paired_reading(s);
        sentences.push(if r.help_paired.len() > 1 { format!("{}: {reading}", arm_title(arm)) } else { reading });
        rows.push(vec![
            arm_title(arm).to_string(),
            s.n.to_string(),
            pct(s.prop_pre),
            pct(s.prop_post),
            s.b_no_to_yes.to_string(),
            s.c_yes_to_no.to_string(),
            pval(s.mcnemar_exact_p),
        ]);
    }
    if let Some(b) = &r.help_between_post {
        sentences.push(explain::help_between_reading(b));
    }
    let mut method = Vec::new();
    if !r.help_paired.is_empty() {
        method.push("McNemar's exact test: looks only at the people whose answer changed, and asks whether clearly more started than stopped seeking help.");
    }
    if r.help_between_post.is_some() {
        method.push(
            "Fisher's exact test: compares the share who sought help in the two groups, exact even for small groups.",
        );
    }
    Some(ReportSection {
        id: "help_seeking".into(),
        heading: "Help seeking".into(),
        sentences,
        table: (!rows.is_empty()).then(|| ReportTable {
            caption: "Sought help (yes/no), people who answered before and after".into(),
            columns: vec![
                "Group".into(),
                "People".into(),
                "Before".into(),
                "After".into(),
                "Started".into(),
                "Stopped".into(),
                "p-value".into(),
            ],
            rows,
        }),
        method: Some(method.join(" ")),
        terms: terms(&["confidence_interval", "p_value"]),
    })
}

fn rci_section(r: &Results) -> Option<ReportSection> {
    let rci = r.rci.as_ref()?;
    let mut sentences = Vec::new();
    let mut rows = Vec::new();
    for (arm, c) in arms_in_order(&rci.groups) {
        if rci.groups.len() > 1 && arm == "all" {
            continue;
        }
        let reading = explain::rci_reading(c);
        sentences.push(if rci.groups.len() > 1 { format!("{}: {reading}", arm_title(arm)) } else { reading });
        let opt = |v: Option<usize>| v.map(|v| v.to_string()).unwrap_or_else(|| "not computable".into());
        rows.push(vec![
            arm_title(arm).to_string(),
            c.n.to_string(),
            opt(c.improved),
            opt(c.unchanged),
            opt(c.deteriorated),
        ]);
    }
    Some(ReportSection {
        id: "rci".into(),
        heading: "Who changed reliably".into(),
        sentences,
        table: Some(ReportTable {
            caption: format!("Reliable change (scale reliability {:.2}, cut-off {:.2})", rci.rxx, rci.threshold),
            columns: vec!["Group".into(), "People".into(), "Reliably better".into(), "Too little change to tell".into(), "Reliably worse".into()],
            rows,
        }),
        method: Some(
            "Reliable change index (Jacobson and Truax): a person's change counts as real only when it is bigger than the questionnaire's measurement error, worked out from its reliability and the spread of starting scores."
                .into(),
        ),
        terms: terms(&["reliable_change"]),
    })
}

/// Who stayed, how much of the program they got, what they thought, whom it reached.
fn process_section(r: &Results) -> Option<ReportSection> {
    let ret = r.process.as_ref().and_then(|p| p.retention.as_ref());
    if ret.is_none() && r.dose.is_none() && r.satisfaction.is_empty() && r.reach.is_none() {
        return None;
    }
    let pct = |v: Option<f64>| v.map(|v| format!("{:.0}%", v * 100.0)).unwrap_or_else(|| "not computable".into());
    let mut sentences = Vec::new();
    if let Some(all) = ret.and_then(|ret| ret.arms.get("all")).filter(|a| a.enrolled > 0) {
        sentences.push(format!(
            "Of the {} people who took part, {} answered after the program ({} did not: {}).",
            all.enrolled,
            all.completed,
            all.dropped,
            pct(all.attrition_rate)
        ));
    }
    sentences.extend(r.process.iter().flat_map(|p| p.warnings.iter().cloned()));
    // Differences in drop-out the test does not confirm: said as a note, not as an alarm.
    if let Some(ret) = ret {
        let tests = [&ret.between_arms, &ret.between_arms_followup, &ret.between_subgroups];
        sentences.extend(tests.into_iter().flatten().filter_map(|t| t.note.clone()));
    }
    let mut rows = Vec::new();
    if let Some(ret) = ret {
        for (name, g) in arms_in_order(&ret.arms).into_iter().filter(|(k, _)| ret.arms.len() == 1 || *k != "all") {
            rows.push(vec![
                arm_title(name).to_string(),
                g.enrolled.to_string(),
                g.completed.to_string(),
                match (g.attrition_ci_low, g.attrition_ci_high) {
                    (Some(lo), Some(hi)) => {
                        format!("{} ({} to {})", pct(g.attrition_rate), pct(Some(lo)), pct(Some(hi)))
                    }
                    _ => pct(g.attrition_rate),
                },
            ]);
        }
    }
    if let Some(d) = &r.dose {
        sentences.push(d.reading.clone());
    }
    for s in &r.satisfaction {
        sentences.push(format!("{}: {}", s.column, s.reading));
    }
    if let Some(reach) = &r.reach {
        sentences.push(reach.reading.clone());
    }
    Some(ReportSection {
        id: "process".into(),
        heading: "Who took part and who stayed".into(),
        sentences,
        table: (!rows.is_empty()).then(|| ReportTable {
            caption: "Enrolled, completed (an after score) and drop-out with its 95% interval".into(),
            columns: vec!["Group".into(), "Enrolled".into(), "Completed".into(), "Drop-out".into()],
            rows,
        }),
        method: Some("Drop-out shares with Wilson intervals; differences between groups by Fisher's exact test; dose and change by least squares.".into()),
        terms: terms(&["attrition"]),
    })
}

/// Community counts before and after the program start.
fn community_section(r: &Results) -> Option<ReportSection> {
    let c = r.community.as_ref()?;
    let mut sentences = vec![c.reading.clone()];
    sentences.extend(c.warnings.iter().cloned());
    let table = c.before_after.as_ref().map(|b| {
        let n = |v: Option<f64>| v.map(|v| format!("{v:.3}")).unwrap_or_else(|| "not computable".into());
        ReportTable {
            caption: format!("Rates ({}) before and after the program start", c.rate_label),
            columns: vec![
                "Periods before / after".into(),
                "Rate before".into(),
                "Rate after".into(),
                "Rate ratio (95% exact CI)".into(),
            ],
            rows: vec![vec![
                format!("{} / {}", b.periods_before, b.periods_after),
                n(b.rate_before),
                n(b.rate_after),
                format!("{} ({} to {})", n(b.rate_ratio), n(b.exact_ci_low), n(b.exact_ci_high)),
            ]],
        }
    });
    Some(ReportSection {
        id: "community".into(),
        heading: format!("Community counts over time (“{}”)", c.file),
        sentences,
        table,
        method: Some(
            "Rate ratio with an exact interval (as R's poisson.test); an interrupted time series: Poisson regression of the counts on time, a step and a change of slope at the program start, with the exposure as offset (as R's glm). Other changes at the same time, and seasons, would show up the same way."
                .into(),
        ),
        terms: terms(&["confidence_interval"]),
    })
}

/// Subgroup levels of one arm with at least [`SUBGROUP_MIN_PAIRS`] pairs: (label, change, n).
/// "For whom": the subgroup test first (the arm × subgroup interaction for two arms, the
/// ANOVA between levels for one group), then the levels as description, with Holm-adjusted p.
fn for_whom(r: &Results, recipe: &Recipe, lower_is_better: bool) -> Option<String> {
    let arm = if r.subgroups.contains_key("intervention") { "intervention" } else { "all" };
    let tests = r.subgroup_tests.as_ref();
    let test = match arm {
        "intervention" => tests
            .and_then(|t| t.interaction.as_ref())
            .and_then(|t| t.p)
            .map(|p| ("test of whether the program's effect differs between subgroups", p)),
        _ => tests
            .and_then(|t| t.all.as_ref())
            .and_then(|t| t.p)
            .map(|p| ("test of whether the change differs between subgroups", p)),
    };
    let adjusted = r.multiplicity.as_ref().and_then(|m| m.adjusted.get(arm));
    let levels: Vec<explain::LevelChange> = comparable_levels(r)
        .into_iter()
        .map(|(label, change, people)| {
            let holm_p = adjusted.and_then(|a| a.get(&label)).and_then(|a| a.holm);
            explain::LevelChange { label, change, people, holm_p }
        })
        .collect();
    explain::report_for_whom_tested(test, &levels, recipe.alpha(), lower_is_better)
}

fn comparable_levels(r: &Results) -> Vec<(String, f64, usize)> {
    let arm = if r.subgroups.contains_key("intervention") { "intervention" } else { "all" };
    r.subgroups
        .get(arm)
        .map(|levels| {
            levels
                .iter()
                .filter(|(_, s)| s.stats.n >= SUBGROUP_MIN_PAIRS)
                .filter_map(|(l, s)| Some((l.clone(), s.stats.mean_diff?, s.stats.n)))
                .collect()
        })
        .unwrap_or_default()
}

fn subgroup_section(r: &Results, recipe: &Recipe, lower_is_better: bool) -> Option<ReportSection> {
    if r.subgroups.is_empty() {
        return None;
    }
    let mut rows = Vec::new();
    for (arm, levels) in arms_in_order(&r.subgroups) {
        for (level, s) in levels {
            rows.push(vec![
                arm_title(arm).to_string(),
                level.clone(),
                s.stats.n.to_string(),
                num(s.stats.mean_diff, 2),
                ci_text(s.stats.ci_low, s.stats.ci_high),
                if s.small_n_warning.is_some() {
                    format!("fewer than {SUBGROUP_MIN_PAIRS} people: rough description only")
                } else {
                    String::new()
                },
            ]);
        }
    }
    let mut sentences = Vec::new();
    if let Some(s) = for_whom(r, recipe, lower_is_better) {
        sentences.push(s);
    }
    sentences.push(format!(
        "Subgroups with fewer than {SUBGROUP_MIN_PAIRS} people with both scores are listed but not compared: their averages can swing widely by chance."
    ));
    let by = recipe.columns.subgroup.clone().unwrap_or_else(|| "subgroup".into());
    Some(ReportSection {
        id: "subgroups".into(),
        heading: format!("Change by subgroup (“{by}”)"),
        sentences,
        table: Some(ReportTable {
            caption: "Change in stigma scores within each subgroup, people with both scores".into(),
            columns: vec![
                "Group".into(),
                "Subgroup".into(),
                "People".into(),
                "Change".into(),
                "CI of the change".into(),
                "Note".into(),
            ],
            rows,
        }),
        method: Some("Paired t-test within each subgroup, as for the whole group.".into()),
        terms: terms(&["confidence_interval"]),
    })
}

fn items_section(r: &Results) -> Option<ReportSection> {
    let it = r.items.as_ref()?;
    let mut sentences = Vec::new();
    let name = it.name.clone().unwrap_or_else(|| "the stigma scale".into());
    match it.alpha_pre {
        Some(a) => sentences.push(format!(
            "The {} items of {name} hang together {} before the program (Cronbach's alpha {a:.2}, from {} people who answered every item).",
            it.k,
            if a >= 0.7 { "well enough" } else { "less well than usual" },
            it.alpha_pre_n_complete
        )),
        None => sentences.push(format!("Cronbach's alpha for {name} could not be computed.")),
    }
    if !it.reverse.is_empty() {
        sentences.push(format!(
            "{} reverse-scored before adding up.",
            crate::core::dataset::count_of(it.reverse.len(), "item was", "items were")
        ));
    }
    sentences.extend(it.notes.iter().cloned());
    Some(ReportSection {
        id: "items".into(),
        heading: "How the scores were made".into(),
        sentences,
        table: Some(ReportTable {
            caption: "Scale quality".into(),
            columns: vec!["Measurement".into(), "People scored".into(), "Cronbach's alpha".into(), "CI".into()],
            rows: vec![
                vec!["Before".into(), it.n_pre_scored.to_string(), num(it.alpha_pre, 2), ci_text(it.alpha_pre_ci_low, it.alpha_pre_ci_high)],
                vec!["After".into(), it.n_post_scored.to_string(), num(it.alpha_post, 2), ci_text(it.alpha_post_ci_low, it.alpha_post_ci_high)],
            ],
        }),
        method: Some("Each person's score combines their answers to the scale's items, with reverse-worded items turned around first.".into()),
        terms: terms(&["cronbach_alpha"]),
    })
}

fn cost_section(c: &CostResult) -> ReportSection {
    let m = |v: Option<f64>| v.map(|x| money(x, &c.currency)).unwrap_or_else(|| "not computable".into());
    let mut rows = vec![
        vec!["Program cost per participant enrolled".into(), m(c.cost_per_enrolled)],
        vec!["Program cost per participant with a score afterwards".into(), m(c.cost_per_completer)],
        vec!["Program cost per participant who improved reliably".into(), m(c.cost_per_reliably_improved)],
    ];
    let two_arms = c.total_control.is_some();
    if two_arms {
        rows.push(vec!["Comparison condition cost per participant".into(), m(c.cost_per_participant_control)]);
        rows.push(vec![
            "Extra share seeking help (program − comparison)".into(),
            c.delta_effect
                .map(|d| format!("{} percentage points", crate::core::analyses::cost::ratio::points(d)))
                .unwrap_or_else(|| "not computable".into()),
        ]);
        let icer = match (c.classification, c.icer_reported) {
            (CeClass::RatioMeaningful, Some(v)) => {
                let ci = match (c.boot_ci_low, c.boot_ci_high) {
                    (Some(lo), Some(hi)) => format!(
                        " ({} CI {} to {})",
                        level_text(c.ci_level),
                        money(lo, &c.currency),
                        money(hi, &c.currency)
                    ),
                    _ => String::new(),
                };
                format!("{}{ci}", money(v, &c.currency))
            }
            (CeClass::Dominant, _) => "not needed: the program cost no more and more people sought help".into(),
            (CeClass::Dominated, _) => "not shown: the program cost no less and fewer people sought help".into(),
            _ => "not shown: see the sentence above".into(),
        };
        rows.push(vec!["Extra cost per additional person seeking help (ICER)".into(), icer]);
    }
    let mut sentences = vec![c.summary.clone()];
    if two_arms && !c.summary.contains(&c.classification_sentence) {
        sentences.push(c.classification_sentence.clone());
    }
    ReportSection {
        id: "cost".into(),
        heading: "What it cost".into(),
        sentences,
        table: Some(ReportTable {
            caption: format!("Costs ({})", if c.currency.is_empty() { "currency not given" } else { &c.currency }),
            columns: vec!["".into(), "Amount".into()],
            rows,
        }),
        method: Some(if two_arms {
            "Cost per outcome = the program's total cost ÷ the number of people. The ICER = the difference in cost per participant ÷ the difference in the share who sought help; its uncertainty comes from a bootstrap (re-drawing the participants thousands of times and recomputing).".into()
        } else {
            "Cost per outcome = the program's total cost ÷ the number of people.".into()
        }),
        terms: if two_arms { terms(&["icer", "confidence_interval"]) } else { Vec::new() },
    }
}

/// Complete pairs per arm (intervention/control, or all).
fn pairs_per_arm(r: &Results) -> Vec<(String, usize)> {
    arms_in_order(&r.paired).into_iter().map(|(a, s)| (a.clone(), s.n)).collect()
}

fn planning_section(r: &Results, alpha: f64) -> Option<ReportSection> {
    let pairs = pairs_per_arm(r);
    let two = pairs.len() == 2;
    let n = pairs.iter().map(|p| p.1).min()?;
    if n < 2 {
        return None;
    }
    let design = if two { Design::TwoSampleTEqualN } else { Design::PairedT };
    let power = solve(
        &PowerCase::new(design, SolveFor::Power).with("d", PLANNING_D).with("n", n as f64).with("sig_level", alpha),
    )
    .ok()?
    .power?;
    let needed =
        solve(&PowerCase::new(design, SolveFor::N).with("d", PLANNING_D).with("power", 0.8).with("sig_level", alpha))
            .ok()?
            .n_ceiling?;
    let who = if two {
        format!("about {n} people per group with both scores")
    } else {
        format!("{n} people with both scores")
    };
    let unit = if two { " per group" } else { "" };
    let mut sentences = vec![format!(
        "With {who}, a study like this one has about {:.0}% power to detect a small-to-moderate effect (d = {PLANNING_D}, typical of anti-stigma programs): {}.",
        power * 100.0,
        if power >= 0.8 { "a good chance of seeing such an effect if it is there" } else { "a real effect of that size could easily be missed" }
    )];
    sentences.push(format!("For 80% power, the next evaluation needs about {needed} people with both scores{unit}, plus extra to allow for drop-out."));
    Some(ReportSection {
        id: "planning".into(),
        heading: "Planning the next evaluation".into(),
        sentences,
        table: None,
        method: Some(if two {
            "Power of the two-group t-test (as R's pwr package), computed by Lantern's planner.".into()
        } else {
            "Power of the paired t-test (as R's pwr package; the effect is d_z), computed by Lantern's planner.".into()
        }),
        terms: terms(&["power"]),
    })
}

/// Role name → column, in display order.
fn roles(recipe: &Recipe) -> Vec<(&'static str, &str)> {
    let c = &recipe.columns;
    [
        ("Participant id", &c.id),
        ("Group", &c.group),
        ("Stigma before", &c.pre),
        ("Stigma after", &c.post),
        ("Stigma at follow-up", &c.followup),
        ("Sought help before", &c.help_pre),
        ("Sought help after", &c.help_post),
        ("Subgroup", &c.subgroup),
    ]
    .into_iter()
    .filter_map(|(role, col)| Some((role, col.as_deref()?)))
    .collect()
}

/// Diagnostics grouped by column, as sentences.
fn cleaning_sentences(diags: &[&Diagnostic]) -> Vec<String> {
    let mut by_col: BTreeMap<Option<&str>, (usize, BTreeSet<usize>, &str)> = BTreeMap::new();
    for d in diags {
        let e = by_col.entry(d.column.as_deref()).or_insert((0, BTreeSet::new(), d.message.as_str()));
        e.0 += 1;
        if let Some(r) = d.row {
            e.1.insert(r);
        }
    }
    by_col
        .into_iter()
        .map(|(col, (k, rows, first))| {
            let rows: Vec<String> = rows.iter().take(8).map(|r| r.to_string()).collect();
            let rows = if rows.is_empty() {
                String::new()
            } else {
                format!(" (rows {}{})", rows.join(", "), if k > 8 { ", …" } else { "" })
            };
            let what = match col {
                Some(c) => format!("in the column “{c}”"),
                None => "about the file".into(),
            };
            format!(
                "Lantern noted {} {what}{rows}; for example: {first}",
                crate::core::dataset::count_of(k, "problem", "problems")
            )
        })
        .collect()
}

/// How separate wave files were linked by participant code (counts only, never codes).
fn linkage_section(r: &Results) -> Option<ReportSection> {
    let l = r.linkage.as_ref()?;
    let mut rows = vec![vec![
        "before (pre)".to_string(),
        l.waves.pre.rows.to_string(),
        l.waves.pre.with_code.to_string(),
        l.waves.pre.duplicate_rows.to_string(),
        "–".into(),
        "–".into(),
        "–".into(),
        "–".into(),
        "–".into(),
    ]];
    let mut later = vec![("after (post)", &l.waves.post, l.post)];
    if let (Some(w), Some(c)) = (l.waves.followup.as_ref(), l.followup) {
        later.push(("follow-up", w, c));
    }
    for (name, w, c) in later {
        rows.push(vec![
            name.to_string(),
            w.rows.to_string(),
            w.with_code.to_string(),
            w.duplicate_rows.to_string(),
            c.exact.to_string(),
            c.near.to_string(),
            c.confirmed.to_string(),
            format!("{} / {}", c.ambiguous_pre, c.ambiguous_later),
            format!("{} / {}", c.unmatched_pre, c.unmatched_later),
        ]);
    }
    Some(ReportSection {
        id: "linkage".into(),
        heading: "How the survey files were linked".into(),
        sentences: crate::core::present::explain::linkage_reading(l),
        table: Some(ReportTable {
            caption: "Rows of each wave file, and how the later waves were linked to the before file (ambiguous and unmatched: before / later)".into(),
            columns: ["wave", "rows", "with a code", "sharing a code", "same code", "one slip", "confirmed", "ambiguous", "unmatched"].iter().map(|s| s.to_string()).collect(),
            rows,
        }),
        method: Some(
            "Participant codes were normalised (spaces, hyphens, underscores, dots and slashes removed; upper case) and linked on this device: equal codes first, then a code a few typing slips from exactly one other code (optimal string alignment distance, at most 1 unless changed), as Lantern's method (CONTRACT §5) describes. The codes themselves are not in this report."
                .into(),
        ),
        terms: Vec::new(),
    })
}

fn data_section(
    r: &Results,
    ds: &DatasetSummary,
    recipe: &Recipe,
    extra_diags: &[Diagnostic],
    notes: &[String],
) -> ReportSection {
    let mut sentences = vec![format!(
        "The file “{}” has {} (one per participant) and {}. Lantern read it on this device; the data were not sent anywhere.",
        ds.file,
        crate::core::dataset::count_of(ds.n_rows, "row", "rows"),
        crate::core::dataset::count_of(ds.columns.len(), "column", "columns")
    )];
    let pairs = pairs_per_arm(r);
    if !pairs.is_empty() {
        let total: usize = pairs.iter().map(|p| p.1).sum();
        let parts = if pairs.len() > 1 {
            format!(
                " ({})",
                pairs
                    .iter()
                    .map(|(a, n)| format!("{}: {n}", arm_title(a).to_lowercase()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            String::new()
        };
        sentences.push(format!("{total} people have both a before and an after stigma score{parts}; each result uses everyone with the answers it needs."));
    }
    for n in &ds.notes {
        sentences.push(format!("While reading the file: {n}"));
    }
    let diags: Vec<&Diagnostic> = ds.diagnostics.iter().chain(extra_diags).collect();
    if diags.is_empty() {
        sentences.push("No cells needed cleaning: every value in the chosen columns could be read.".into());
    } else {
        sentences.extend(cleaning_sentences(&diags));
    }
    sentences.extend(notes.iter().cloned());
    let rows: Vec<Vec<String>> = roles(recipe)
        .into_iter()
        .map(|(role, col)| {
            let missing = ds.missing.get(col).copied();
            let present = ds.columns.iter().any(|c| c == col);
            vec![
                role.to_string(),
                col.to_string(),
                if !present {
                    "not in the file".into()
                } else {
                    missing.map(|m| ds.n_rows.saturating_sub(m).to_string()).unwrap_or_else(|| "—".into())
                },
                if present { missing.map(|m| m.to_string()).unwrap_or_else(|| "—".into()) } else { "—".into() },
            ]
        })
        .collect();
    ReportSection {
        id: "data".into(),
        heading: "The data".into(),
        sentences,
        table: (!rows.is_empty()).then(|| ReportTable {
            caption: "Columns used, with the number of rows that have a value and that are blank or coded missing"
                .into(),
            columns: vec!["Role".into(), "Column".into(), "With a value".into(), "Missing".into()],
            rows,
        }),
        method: None,
        terms: Vec::new(),
    }
}

/// People with no post score, and rows, when known.
fn attrition(r: &Results, ds: &DatasetSummary, recipe: &Recipe) -> Option<(usize, usize)> {
    if ds.n_rows == 0 {
        return None;
    }
    if let Some(m) = recipe.columns.post.as_deref().and_then(|c| ds.missing.get(c)) {
        return Some((*m, ds.n_rows));
    }
    if r.paired.is_empty() {
        return None;
    }
    let pairs: usize = r.paired.values().map(|s| s.n).sum();
    Some((ds.n_rows.saturating_sub(pairs), ds.n_rows))
}

fn limitations(r: &Results, ds: &DatasetSummary, recipe: &Recipe) -> Vec<String> {
    let mut out = Vec::new();
    let two_arms = r.paired.contains_key("intervention") || r.two_group_post.is_some() || r.two_group_change.is_some();
    let has_results = !r.paired.is_empty() || r.help_paired.values().any(|h| h.n > 0) || r.two_group_post.is_some();
    if has_results && !two_arms {
        out.push(explain::limitation_no_control_group());
    }
    if two_arms {
        out.push(explain::limitation_group_assignment());
    }
    if has_results {
        out.push(explain::limitation_self_report());
    }
    if let Some((missing, total)) = attrition(r, ds, recipe) {
        if total > 0 && missing as f64 / total as f64 >= LARGE_ATTRITION {
            out.push(explain::limitation_attrition(missing, total));
        }
    }
    let smallest = r.paired.values().map(|s| s.n).min();
    if let Some(n) = smallest.filter(|n| *n < SMALL_STUDY) {
        out.push(explain::limitation_small_study(n, two_arms));
    }
    let mut small = Vec::new();
    let mut k = 0;
    for (arm, levels) in arms_in_order(&r.subgroups) {
        for (level, s) in levels {
            k += 1;
            if s.small_n_warning.is_some() {
                small.push(if r.subgroups.len() > 1 {
                    format!("{level} in the {}, {}", arm_title(arm).to_lowercase(), s.stats.n)
                } else {
                    format!("{level}, {}", s.stats.n)
                });
            }
        }
    }
    if !small.is_empty() {
        out.push(explain::limitation_small_subgroups(&small, SUBGROUP_MIN_PAIRS));
    }
    let levels: BTreeSet<&String> = r.subgroups.values().flat_map(|l| l.keys()).collect();
    if levels.len() > 1 {
        out.push(explain::limitation_multiple_comparisons(k));
    }
    out
}

/// The summary ("In short"): one headline estimate first — the baseline-adjusted difference
/// between the groups for two arms (ANCOVA), the paired change for one group — with how sure it
/// is, then each group's change as supporting detail, for whom, help seeking and cost.
fn summary(r: &Results, recipe: &Recipe, lower_is_better: bool) -> Vec<String> {
    let mut out = Vec::new();
    let two_arms = r.paired.contains_key("intervention");
    let adjusted =
        r.ancova.as_ref().and_then(|a| Some((a.coef_group?, a.ci_low?, a.ci_high?, a.conf_level, a.p_group)));
    if let (true, Some((b, lo, hi, level, p))) = (two_arms, adjusted) {
        out.push(explain::report_adjusted_headline(b, lo, hi, lower_is_better));
        out.push(explain::report_certainty(
            "difference between the groups for people who started at the same score",
            b,
            lo,
            hi,
            level,
            p,
        ));
    } else if let Some(t) = r.two_group_change.as_ref().filter(|_| two_arms) {
        out.extend(explain::report_between_headline(t, "change in stigma scores", lower_is_better));
        if let Some((d, (lo, hi))) = t.mean_diff.zip(t.welch_ci_low.zip(t.welch_ci_high)) {
            out.push(explain::report_certainty(
                "difference between the groups in how much stigma scores changed",
                d,
                lo,
                hi,
                t.conf_level,
                t.welch_p,
            ));
        }
    } else if let Some(s) = r.paired.get("all") {
        out.extend(explain::report_change_headline(s, arm_who("all"), lower_is_better));
        if let Some((d, (lo, hi))) = s.mean_diff.zip(s.ci_low.zip(s.ci_high)) {
            out.push(explain::report_certainty("average change", d, lo, hi, s.conf_level, s.p));
        }
    }
    // The headline uses only people with both scores: the drop-out context and tipping point
    // (and, beside it, those of the follow-up score).
    if !out.is_empty() {
        out.extend(r.tipping_point.as_ref().and_then(crate::core::present::dropout::report_dropout_context));
        out.extend(r.tipping_point_followup.as_ref().and_then(crate::core::present::dropout::report_dropout_context));
    }
    // Each group's own change, as supporting detail.
    if two_arms {
        for (arm, s) in arms_in_order(&r.paired) {
            if let Some(h) = explain::report_change_headline(s, arm_who(arm), lower_is_better) {
                out.push(h);
            }
        }
    }
    // For whom.
    if let Some(s) = for_whom(r, recipe, lower_is_better) {
        out.push(s);
    }
    if let Some(b) = &r.help_between_post {
        out.push(explain::help_between_reading(b));
    } else if let Some(h) = r.help_paired.get("all").filter(|h| h.n > 0) {
        out.push(explain::help_paired_reading(h));
    }
    // What it cost.
    if let Some(c) = &r.cost {
        out.push(format!("What it cost: {}", c.summary));
    }
    if out.is_empty() {
        out.push("There are no results to report yet: choose the columns with the stigma scores before and after the program.".into());
    }
    out
}

/// The report for these results. `dataset` gives the file description, its notes and
/// diagnostics (pass a summary whose diagnostics include the analysis's, or use
/// [`report_for_analysis`]); `recipe` gives the roles and the scale direction.
pub fn report(results: &Results, dataset: &DatasetSummary, recipe: &Recipe) -> Report {
    build(results, dataset, recipe, &[], &[])
}

/// The report for an analysis run: as [`report`], with the analysis's diagnostics (cells that
/// were not numbers or not yes/no) and notes added to the data description.
pub fn report_for_analysis(analysis: &Analysis, dataset: &DatasetSummary, recipe: &Recipe) -> Report {
    build(&analysis.results, dataset, recipe, &analysis.diagnostics, &analysis.notes)
}

fn build(r: &Results, ds: &DatasetSummary, recipe: &Recipe, extra_diags: &[Diagnostic], notes: &[String]) -> Report {
    let lower_is_better = recipe.lower_is_better();
    let sections: Vec<ReportSection> = [
        linkage_section(r),
        paired_section("paired", "Change from before to after", "after", &r.paired, lower_is_better),
        paired_section(
            "paired_followup",
            "Change from before to the follow-up",
            "at follow-up",
            &r.paired_followup,
            lower_is_better,
        )
        .map(|mut s| {
            // Completers at follow-up: their drop-out context and tipping point.
            s.sentences.extend(
                r.tipping_point_followup.as_ref().and_then(crate::core::present::dropout::report_dropout_context),
            );
            s
        }),
        between_section(r, lower_is_better),
        help_section(r),
        rci_section(r),
        subgroup_section(r, recipe, lower_is_better),
        items_section(r),
        process_section(r),
        community_section(r),
        crate::core::present::comments::comments_section(r, recipe.alpha()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let cost = r.cost.as_ref().map(cost_section);
    let planning = planning_section(r, recipe.alpha());
    let data = data_section(r, ds, recipe, extra_diags, notes);
    let limitations = limitations(r, ds, recipe);
    let summary = summary(r, recipe, lower_is_better);

    // The glossary: terms the sections use, and any glossary term the text mentions.
    let mut report = Report {
        title: "Evaluation report".into(),
        subtitle: format!(
            "Results for “{}”, computed with Lantern {} on this device.",
            ds.file,
            env!("CARGO_PKG_VERSION")
        ),
        summary,
        sections,
        cost,
        planning,
        data,
        limitations,
        glossary: Vec::new(),
    };
    let mut used: BTreeSet<String> = report.all_sections().iter().flat_map(|s| s.terms.iter().cloned()).collect();
    let text = report.to_text().to_lowercase();
    for (key, needle) in [
        ("d_z", "d_z"),
        ("hedges_g", "hedges' g"),
        ("confidence_interval", "confidence interval"),
        ("confidence_interval", " ci "),
        ("p_value", "p-value"),
        ("p_value", "p = "),
        ("p_value", "p < "),
        ("reliable_change", "reliable change"),
        ("reliable_change", "reliably"),
        ("icer", "icer"),
        ("power", "power"),
        ("cronbach_alpha", "cronbach"),
        ("attrition", "drop-out"),
        ("icc", "icc"),
        ("design_effect", "design effect"),
    ] {
        if text.contains(needle) {
            used.insert(key.to_string());
        }
    }
    report.glossary = glossary().into_iter().filter(|g| used.contains(&g.key)).collect();
    report
}

#[cfg(test)]
mod tests;
