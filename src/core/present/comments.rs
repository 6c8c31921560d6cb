//! Free-text answers in words and pictures: a plain reading per code that never overstates
//! ("about 1 in 4 comments mention understanding; more often in the program group" only when
//! Fisher's test says so at the chosen level, else "no clear difference between the groups"),
//! the report's section (counts only; the page adds the starred quotes, redacted) and the
//! chart of code shares by group.

use crate::core::analyses::comments::result::{CodeResult, ColumnResult};
use crate::core::present::chart::{interval_chart, IntervalChart};
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
}
