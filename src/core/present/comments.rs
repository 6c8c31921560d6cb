//! Free-text answers in words and pictures: a plain reading per code that never overstates
//! ("about 1 in 4 comments mention understanding; more often in the program group" only when
//! Fisher's test says so at the chosen level, else "no clear difference between the groups"),
//! the report's section (counts only; the page adds the starred quotes, redacted) and the
//! chart of code shares by group.

use crate::core::analyses::comments::result::{CodeResult, ColumnResult};
use crate::core::present::chart::{interval_chart, IntervalChart};
use crate::core::present::comments_csv::wave_of_column;
use crate::core::present::explain::pval;
use crate::core::present::report::{ReportSection, ReportTable};
use crate::core::results::Results;
use crate::core::stats::binary::wilson;

/// A share as a whole percentage.
fn pct(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_string(), |s| format!("{:.0}%", s * 100.0))
}

/// "about 1 in 4 comments (24%)", "about half of the comments (52%)", "most comments (81%)".
fn how_many(share: f64) -> String {
    let p = format!("{:.0}%", share * 100.0);
    if share <= 0.0 {
        return "no comment".into();
    }
    if share >= 0.95 {
        return format!("nearly every comment ({p})");
    }
    if share >= 0.6 {
        return format!("most comments ({p})");
    }
    if share >= 0.4 {
        return format!("about half of the comments ({p})");
    }
    let one_in = (1.0 / share).round().max(2.0);
    if one_in > 20.0 {
        return format!("a few comments ({p})");
    }
    format!("about 1 in {one_in:.0} comments ({p})")
}

/// The plain reading of one code: how many comments mention it and, with two arms, whether it
/// came up more often in one group (only when Fisher's p is below `alpha`).
pub fn code_reading(code: &str, r: &CodeResult, n: usize, alpha: f64) -> String {
    let Some(share) = r.share.filter(|_| n > 0) else { return format!("No comments to count for “{code}”.") };
    let verb = if r.count == 1 { "mentions" } else { "mention" };
    let mut s = format!("{} {verb} {code}", capitalise(&how_many(share)));
    if r.count == 0 {
        s = format!("No comment mentions {code}");
    }
    if let Some(arms) = &r.arms {
        let (i, c) = (&arms.by_arm.intervention, &arms.by_arm.control);
        match (arms.arm_p, i.share, c.share) {
            (Some(p), Some(si), Some(sc)) if p < alpha && si != sc => {
                let group = if si > sc { "the program group" } else { "the comparison group" };
                s.push_str(&format!("; more often in {group} ({} against {}, Fisher's p {})", pct(Some(si.max(sc))), pct(Some(si.min(sc))), pval(Some(p))));
            }
            (Some(p), _, _) => s.push_str(&format!("; no clear difference between the groups ({} in the program group, {} in the comparison group, Fisher's p {})", pct(i.share), pct(c.share), pval(Some(p)))),
            _ => {}
        }
    }
    s.push('.');
    s
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().collect::<String>() + c.as_str())
}

/// The readings of one comment column: one sentence per code, then the uncoded comments.
pub fn column_readings(column: &str, r: &ColumnResult, alpha: f64) -> Vec<String> {
    let mut out = vec![format!("“{column}”: {} comments ({} rows left blank).", r.n, r.blank)];
    out.extend(r.codes.0.iter().map(|(code, c)| code_reading(code, c, r.n, alpha)));
    if r.n > 0 {
        out.push(format!("{} comments ({}) have no code.", r.uncoded.count, pct(r.uncoded.share)));
    }
    out
}

/// The report's section on comments (counts and readings; quotes are added by the page).
pub fn comments_section(r: &Results, alpha: f64) -> Option<ReportSection> {
    if r.comments.is_empty() {
        return None;
    }
    let with_arms = r.comments.0.iter().any(|(_, c)| c.codes.0.iter().any(|(_, k)| k.arms.is_some()));
    let mut columns = vec!["Comment column".to_string(), "Code".into(), "Comments".into(), "Share (95% CI)".into()];
    if with_arms {
        columns.extend(["Program group".to_string(), "Comparison group".into(), "Fisher's p".into()]);
    }
    let mut rows = Vec::new();
    let mut sentences = Vec::new();
    for (column, c) in &r.comments.0 {
        sentences.extend(column_readings(column, c, alpha));
        for (code, k) in &c.codes.0 {
            let mut row = vec![
                column.clone(),
                code.clone(),
                k.count.to_string(),
                format!("{} ({} to {})", pct(k.share), pct(k.ci_low), pct(k.ci_high)),
            ];
            if with_arms {
                match &k.arms {
                    Some(a) => row.extend([
                        format!(
                            "{} of {} ({})",
                            a.by_arm.intervention.count,
                            a.by_arm.intervention.n,
                            pct(a.by_arm.intervention.share)
                        ),
                        format!(
                            "{} of {} ({})",
                            a.by_arm.control.count,
                            a.by_arm.control.n,
                            pct(a.by_arm.control.share)
                        ),
                        pval(a.arm_p),
                    ]),
                    None => row.extend(["—".to_string(), "—".into(), "—".into()]),
                }
            }
            rows.push(row);
        }
        let mut row = vec![column.clone(), "(no code)".into(), c.uncoded.count.to_string(), pct(c.uncoded.share)];
        if with_arms {
            row.extend(["".to_string(), "".into(), "".into()]);
        }
        rows.push(row);
    }
    Some(ReportSection {
        id: "comments".into(),
        heading: "What participants wrote".into(),
        sentences,
        table: Some(ReportTable { caption: "Comments mentioning each code".into(), columns, rows }),
        method: Some(
            "Comments were coded on this device with the codebook's words and phrases (a * ends a word stem) and any codes given by hand. \
             Shares have Wilson 95% intervals; groups are compared with Fisher's exact test. A comment can have several codes. \
             Quotes are shown with e-mail addresses, phone numbers, web addresses, long numbers and listed words removed."
                .into(),
        ),
        terms: vec!["confidence_interval".into(), "p_value".into()],
    })
}

/// Code shares of one column, by group when there are two (Wilson 95% intervals).
pub fn comments_chart(r: &ColumnResult) -> Option<IntervalChart> {
    let ci = |count: usize, n: usize| wilson(count, n, 0.05).map_or((None, None), |c| (Some(c.0), Some(c.1)));
    let mut rows = Vec::new();
    for (code, k) in &r.codes.0 {
        match &k.arms {
            Some(a) => {
                for (label, arm) in [("program", &a.by_arm.intervention), ("comparison", &a.by_arm.control)] {
                    let (lo, hi) = ci(arm.count, arm.n);
                    rows.push((format!("{code}: {label}"), arm.share, lo, hi));
                }
            }
            None => rows.push((code.clone(), k.share, k.ci_low, k.ci_high)),
        }
    }
    if rows.is_empty() {
        return None;
    }
    interval_chart(&rows, true, "Share of comments mentioning the code (95% Wilson interval)")
}

/// Codes that come up together in one column: the table (first column the code, then one
/// column per code; a cell = comments with both codes, the diagonal = the code's count) and
/// readings of the pairs met most often (up to three, most first). `None` with fewer than two
/// codes.
pub fn co_occurrence(r: &ColumnResult) -> Option<CoOccurrence> {
    let codes: Vec<&str> = r.co_occurrence.0.iter().map(|(c, _)| c.as_str()).collect();
    if codes.len() < 2 {
        return None;
    }
    let mut columns = vec!["Code".to_string()];
    columns.extend(codes.iter().map(|c| c.to_string()));
    let rows = r
        .co_occurrence
        .0
        .iter()
        .map(|(a, row)| {
            let mut cells = vec![a.clone()];
            cells.extend(row.0.iter().map(|(_, n)| n.to_string()));
            cells
        })
        .collect();
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (i, (_, row)) in r.co_occurrence.0.iter().enumerate() {
        for (j, (_, n)) in row.0.iter().enumerate().skip(i + 1) {
            if *n > 0 {
                pairs.push((*n, i, j));
            }
        }
    }
    // Most often first; ties in codebook order.
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut readings: Vec<String> = pairs
        .iter()
        .take(3)
        .filter_map(|&(n, i, j)| {
            let (a, b) = (codes.get(i)?, codes.get(j)?);
            let of = r.n.max(1);
            Some(format!(
                "“{a}” and “{b}” come up together in {} ({:.0}% of the comments).",
                if n == 1 { "1 comment".to_string() } else { format!("{n} comments") },
                n as f64 * 100.0 / of as f64
            ))
        })
        .collect();
    if pairs.is_empty() {
        readings.push("No comment has two of these codes.".into());
    }
    Some(CoOccurrence { columns, rows, readings })
}

/// The co-occurrence table of one comment column and its readings.
#[derive(Debug, Clone, PartialEq)]
pub struct CoOccurrence {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub readings: Vec<String>,
}

/// The comment columns of a linked table that are one question asked at several waves
/// (`pre_feedback`, `post_feedback`: the same name after the CONTRACT §5 prefix).
#[derive(Debug, Clone, PartialEq)]
pub struct ByWave {
    /// The question's name without the wave prefix.
    pub question: String,
    /// The waves present, in the order pre, post, follow-up: (wave, column).
    pub waves: Vec<(&'static str, String)>,
    /// Table columns: "Code", then one per wave.
    pub columns: Vec<String>,
    /// Per code (then "(no code)"): the code, then per wave "count of n (share, CI)".
    pub rows: Vec<Vec<String>>,
}

/// The results of comment columns asked at more than one wave, side by side. The waves are
/// mostly the same people, so the shares are shown with their own intervals and not tested
/// against each other.
pub fn by_wave(r: &Results) -> Vec<ByWave> {
    let mut out: Vec<ByWave> = Vec::new();
    for (column, _) in &r.comments.0 {
        let Some(wave) = wave_of_column(column) else { continue };
        let question = column.get(wave.len() + 1..).unwrap_or("").to_string();
        if out.iter().any(|b| b.question == question) {
            continue;
        }
        let waves: Vec<(&'static str, String)> = ["pre", "post", "followup"]
            .into_iter()
            .map(|w| (w, format!("{w}_{question}")))
            .filter(|(_, c)| r.comments.get(c).is_some())
            .collect();
        if waves.len() < 2 {
            continue;
        }
        let results: Vec<&ColumnResult> = waves.iter().filter_map(|(_, c)| r.comments.get(c)).collect();
        let mut codes: Vec<&str> = Vec::new();
        for res in &results {
            for (code, _) in &res.codes.0 {
                if !codes.contains(&code.as_str()) {
                    codes.push(code);
                }
            }
        }
        let cell = |count: usize, n: usize| {
            let (lo, hi) = wilson(count, n, 0.05).map_or((None, None), |c| (Some(c.0), Some(c.1)));
            let share = (n > 0).then(|| count as f64 / n as f64);
            format!("{count} of {n} ({}; {} to {})", pct(share), pct(lo), pct(hi))
        };
        let mut rows: Vec<Vec<String>> = codes
            .iter()
            .map(|code| {
                let mut row = vec![code.to_string()];
                row.extend(
                    results
                        .iter()
                        .map(|res| res.codes.get(code).map_or_else(|| "—".to_string(), |k| cell(k.count, res.n))),
                );
                row
            })
            .collect();
        let mut uncoded = vec!["(no code)".to_string()];
        uncoded.extend(results.iter().map(|res| cell(res.uncoded.count, res.n)));
        rows.push(uncoded);
        let mut columns = vec!["Code".to_string()];
        columns.extend(waves.iter().map(|(w, _)| wave_label(w).to_string()));
        out.push(ByWave { question, waves, columns, rows });
    }
    out
}

/// "Before", "After", "Follow-up".
pub fn wave_label(wave: &str) -> &'static str {
    match wave {
        "pre" => "Before",
        "post" => "After",
        _ => "Follow-up",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analyses::comments::result::{ArmComparison, ArmCount, ByArm};

    fn code(count: usize, n: usize, arms: Option<(usize, usize, usize, usize, Option<f64>)>) -> CodeResult {
        CodeResult {
            count,
            share: Some(count as f64 / n as f64),
            ci_low: None,
            ci_high: None,
            arms: arms.map(|(a, na, b, nb, p)| ArmComparison {
                by_arm: ByArm {
                    intervention: ArmCount { count: a, n: na, share: Some(a as f64 / na as f64) },
                    control: ArmCount { count: b, n: nb, share: Some(b as f64 / nb as f64) },
                },
                arm_p: p,
            }),
        }
    }

    #[test]
    fn readings_never_overstate() {
        let r = code_reading("understanding", &code(21, 88, Some((15, 45, 6, 43, Some(0.04)))), 88, 0.05);
        assert!(
            r.starts_with(
                "About 1 in 4 comments (24%) mention understanding; more often in the program group (33% against 14%"
            ),
            "{r}"
        );
        let r = code_reading("fear", &code(10, 88, Some((6, 45, 4, 43, Some(0.74)))), 88, 0.05);
        assert!(r.contains("no clear difference between the groups") && !r.contains("more often"), "{r}");
        // Significant only at 0.05, not at 0.01.
        let r = code_reading("understanding", &code(21, 88, Some((15, 45, 6, 43, Some(0.04)))), 88, 0.01);
        assert!(r.contains("no clear difference"), "{r}");
        let r = code_reading("harm", &code(0, 88, Some((0, 45, 0, 43, None))), 88, 0.05);
        assert_eq!(r, "No comment mentions harm.");
        let r = code_reading("contact", &code(10, 88, Some((1, 45, 9, 43, Some(0.007)))), 88, 0.05);
        assert!(r.contains("more often in the comparison group (21% against 2%"), "{r}");
        assert!(
            code_reading("x", &code(45, 88, None), 88, 0.05).starts_with("About half of the comments (51%) mention x.")
        );
    }

    fn coded(column: &str, cells: &[&str]) -> ColumnResult {
        use crate::core::analyses::comments::matching::CompiledCodebook;
        let book = CompiledCodebook::new(&[
            ("understanding".to_string(), vec!["understand*".to_string()]),
            ("contact".to_string(), vec!["peer*".to_string()]),
            ("fear".to_string(), vec!["scar*".to_string()]),
        ]);
        let cells: Vec<Option<&str>> = cells.iter().map(|c| Some(*c)).collect();
        let manual = rustc_hash::FxHashMap::default();
        crate::core::analyses::comments::analyse_column(column, &cells, None, &book, &manual, |_| false).result
    }

    fn two_waves() -> Results {
        let mut r = Results::default();
        // pre: 4 comments, 1 blank. understanding 1, contact 2, fear 1; 1 uncoded; u & c once.
        let pre = coded("pre_feedback", &["I understand the peer", "peers are great", "scary", " ", "nothing"]);
        // post: 5 comments. understanding 2, contact 2, fear 1; "ok" and "understood" uncoded
        // ("understood" does not start with "understand"); u & c once, c & f once.
        let post = coded("post_feedback", &["understand", "understanding peers", "scared peer", "ok", "understood"]);
        r.comments.0.push(("pre_feedback".into(), pre));
        r.comments.0.push(("post_feedback".into(), post));
        r.comments.0.push(("pre_other".into(), coded("pre_other", &["x"])));
        r
    }

    #[test]
    fn co_occurring_codes_table_and_readings() {
        let r = two_waves();
        let post = r.comments.get("post_feedback").unwrap();
        let CoOccurrence { columns, rows, readings } = co_occurrence(post).unwrap();
        assert_eq!(columns, ["Code", "understanding", "contact", "fear"]);
        assert_eq!(rows[0], ["understanding", "2", "1", "0"]);
        assert_eq!(rows[1], ["contact", "1", "2", "1"]);
        assert_eq!(rows[2], ["fear", "0", "1", "1"]);
        // Ties in codebook order; 1 of 5 comments = 20%.
        assert_eq!(
            readings,
            [
                "“understanding” and “contact” come up together in 1 comment (20% of the comments).",
                "“contact” and “fear” come up together in 1 comment (20% of the comments).",
            ]
        );
        let none = coded("c", &["scary", "peer"]);
        assert_eq!(co_occurrence(&none).unwrap().readings, ["No comment has two of these codes."]);
    }

    #[test]
    fn one_question_at_two_waves_side_by_side() {
        let got = by_wave(&two_waves());
        // pre_other has no post column: not a by-wave table.
        assert_eq!(got.len(), 1);
        let b = &got[0];
        assert_eq!(b.question, "feedback");
        assert_eq!(b.columns, ["Code", "Before", "After"]);
        // Wilson intervals from R: prop.test(1, 4, correct = FALSE) 0.0456–0.6994;
        // (2, 4) 0.1500–0.8500; (2, 5) 0.1176–0.7693; (1, 5) 0.0362–0.6245.
        assert_eq!(b.rows[0], ["understanding", "1 of 4 (25%; 5% to 70%)", "2 of 5 (40%; 12% to 77%)"]);
        assert_eq!(b.rows[1], ["contact", "2 of 4 (50%; 15% to 85%)", "2 of 5 (40%; 12% to 77%)"]);
        assert_eq!(b.rows[2], ["fear", "1 of 4 (25%; 5% to 70%)", "1 of 5 (20%; 4% to 62%)"]);
        assert_eq!(b.rows[3], ["(no code)", "1 of 4 (25%; 5% to 70%)", "2 of 5 (40%; 12% to 77%)"]);
    }
}
