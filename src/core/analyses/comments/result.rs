//! `results.comments.<column>` (CONTRACT §6): counts per code with Wilson 95 % intervals and,
//! with a group role, counts by arm and Fisher's exact test.
//!
//! - A comment is a cell that is not blank after trimming and not a missing-value code;
//!   `blank` counts the other rows, so `n + blank` = rows.
//! - A comment's codes are the codebook's matches joined with its row's `manual` codes (a set).
//!   Rows are 1-based data rows: cell `i` of the column is row `i + 1`. Hand tags on a row
//!   without a comment are not counted (listed in [`CodedColumn::manual_on_blank`]).
//! - `share` = count / n; `ci_low`/`ci_high` = R `prop.test(count, n, correct = FALSE)$conf.int`
//!   (Lantern's [`wilson`]); all three `null` when n = 0.
//! - `by_arm` (only with a group role): comments on rows whose group names an arm; a blank
//!   group cell counts in `n` and in no arm; an arm's `share` is `null` when it has no comment.
//! - `arm_p`: R `fisher.test` two-sided on the code (yes/no) × arm table (Lantern's
//!   [`fisher_exact_two_sided`]), `null` when a row or column total is zero.
//! - `uncoded`: comments with no code. Extra key `co_occurrence`: comments with both codes.

use crate::core::analyses::comments::matching::{CompiledCodebook, Scratch};
use crate::core::analyses::comments::settings::CommentsSettings;
use crate::core::recipe::comments::OrderedMap;
use crate::core::stats::binary::wilson;
use crate::core::stats::exact::fisher_exact_two_sided;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// The two arms of a two-group file (values of the group column named by `group_levels`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arm {
    Intervention,
    Control,
}

/// A count and its share of the column's comments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountShare {
    pub count: usize,
    /// count / n; `null` when n = 0.
    pub share: Option<f64>,
}

/// One arm's count of a code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmCount {
    pub count: usize,
    /// Comments in this arm.
    pub n: usize,
    /// count / n; `null` when this arm has no comment.
    pub share: Option<f64>,
}

/// A code by arm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ByArm {
    pub intervention: ArmCount,
    pub control: ArmCount,
}

/// The by-arm part of a code's result (present only with a group role).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmComparison {
    pub by_arm: ByArm,
    /// Fisher's exact two-sided p of code × arm; `null` when a margin is zero.
    pub arm_p: Option<f64>,
}

/// One code's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeResult {
    pub count: usize,
    pub share: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    #[serde(flatten)]
    pub arms: Option<ArmComparison>,
}

/// `results.comments.<column>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnResult {
    pub n: usize,
    pub blank: usize,
    /// In codebook order (then hand-tag-only codes).
    pub codes: OrderedMap<CodeResult>,
    pub uncoded: CountShare,
    /// Extra: `co_occurrence.<a>.<b>` = comments coded both `a` and `b` (`<a>.<a>` = count).
    pub co_occurrence: OrderedMap<OrderedMap<usize>>,
}

/// One comment and its codes (for the page and the CSV export; never in the results file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedComment {
    /// 1-based data row.
    pub row: usize,
    pub arm: Option<Arm>,
    /// Code indices into [`CompiledCodebook::codes`], ascending.
    pub codes: Vec<u32>,
    /// Codes the codebook found (before the hand tags were added).
    pub matched: Vec<u32>,
}

/// A coded column: the result and the coded comments behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedColumn {
    pub column: String,
    pub result: ColumnResult,
    pub comments: Vec<CodedComment>,
    /// Rows with hand tags but no comment (not counted).
    pub manual_on_blank: Vec<usize>,
}

impl CodedColumn {
    /// Rows (1-based) coded with code `code`, ascending.
    pub fn rows_with(&self, code: usize) -> Vec<usize> {
        self.comments.iter().filter(|c| c.codes.contains(&(code as u32))).map(|c| c.row).collect()
    }

    /// Rows (1-based) of comments with no code.
    pub fn uncoded_rows(&self) -> Vec<usize> {
        self.comments.iter().filter(|c| c.codes.is_empty()).map(|c| c.row).collect()
    }
}

/// `results.comments`: column → result, in the order of the recipe's `columns`.
pub type CommentsResults = OrderedMap<ColumnResult>;

fn share(count: usize, n: usize) -> Option<f64> {
    (n > 0).then(|| count as f64 / n as f64)
}

/// Codes one column and computes its result.
///
/// `cells[i]` is row `i + 1`'s cell (`None` = empty). `arms` is `Some` only with a group role:
/// `arms[i]` is row `i + 1`'s arm (`None` for a blank or other group value; missing entries
/// count as `None`). `manual` maps 1-based rows to code indices. `is_missing` says whether a
/// cell is a missing-value code (e.g. Lantern's `dataset::is_missing`); blank cells after
/// trimming are never comments.
pub fn analyse_column(
    column: &str,
    cells: &[Option<&str>],
    arms: Option<&[Option<Arm>]>,
    codebook: &CompiledCodebook,
    manual: &FxHashMap<usize, Vec<u32>>,
    is_missing: impl Fn(&str) -> bool,
) -> CodedColumn {
    let n_codes = codebook.codes().len();
    let mut scratch = Scratch::default();
    let mut comments = Vec::new();
    let mut manual_on_blank = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let row = i + 1;
        let text = cell.unwrap_or("");
        if text.trim().is_empty() || is_missing(text.trim()) {
            if manual.contains_key(&row) {
                manual_on_blank.push(row);
            }
            continue;
        }
        let matched = codebook.code_with(text, &mut scratch);
        let codes = match manual.get(&row) {
            Some(extra) => {
                let mut codes = matched.clone();
                codes.extend(extra.iter().copied().filter(|&c| (c as usize) < n_codes));
                codes.sort_unstable();
                codes.dedup();
                codes
            }
            None => matched.clone(),
        };
        let arm = arms.and_then(|a| a.get(i).copied().flatten());
        comments.push(CodedComment { row, arm, codes, matched });
    }
    manual_on_blank.sort_unstable();
    let result = summarise(codebook, &comments, cells.len(), arms.is_some());
    CodedColumn { column: column.to_string(), result, comments, manual_on_blank }
}

/// The counts and statistics of coded comments (`rows` = the table's data rows).
fn summarise(codebook: &CompiledCodebook, comments: &[CodedComment], rows: usize, with_arms: bool) -> ColumnResult {
    let n_codes = codebook.codes().len();
    let n = comments.len();
    let n_arm = |arm: Arm| comments.iter().filter(|c| c.arm == Some(arm)).count();
    let (n_int, n_ctrl) = (n_arm(Arm::Intervention), n_arm(Arm::Control));
    let mut count = vec![0usize; n_codes];
    let mut count_int = vec![0usize; n_codes];
    let mut count_ctrl = vec![0usize; n_codes];
    let mut pairs = vec![0usize; n_codes * n_codes];
    for c in comments {
        for &k in &c.codes {
            let k = k as usize;
            if k >= n_codes {
                continue;
            }
            count[k] += 1;
            match c.arm {
                Some(Arm::Intervention) => count_int[k] += 1,
                Some(Arm::Control) => count_ctrl[k] += 1,
                None => {}
            }
            for &j in &c.codes {
                if let Some(slot) = pairs.get_mut(k * n_codes + j as usize) {
                    *slot += 1;
                }
            }
        }
    }
    let mut codes = OrderedMap::default();
    for (k, name) in codebook.codes().iter().enumerate() {
        let ci = wilson(count[k], n, 0.05);
        let arms = with_arms.then(|| {
            let (a, b) = (count_int[k], count_ctrl[k]);
            let (c, d) = (n_int - a, n_ctrl - b);
            let zero_margin = a + b == 0 || c + d == 0 || n_int == 0 || n_ctrl == 0;
            let arm_p = if zero_margin { None } else { fisher_exact_two_sided(a as u64, b as u64, c as u64, d as u64) };
            ArmComparison {
                by_arm: ByArm {
                    intervention: ArmCount { count: a, n: n_int, share: share(a, n_int) },
                    control: ArmCount { count: b, n: n_ctrl, share: share(b, n_ctrl) },
                },
                arm_p,
            }
        });
        codes.0.push((
            name.clone(),
            CodeResult {
                count: count[k],
                share: share(count[k], n),
                ci_low: ci.map(|c| c.0),
                ci_high: ci.map(|c| c.1),
                arms,
            },
        ));
    }
    let uncoded = comments.iter().filter(|c| c.codes.is_empty()).count();
    let co_occurrence = OrderedMap(
        codebook
            .codes()
            .iter()
            .enumerate()
            .map(|(k, a)| {
                let row = codebook
                    .codes()
                    .iter()
                    .enumerate()
                    .map(|(j, b)| (b.clone(), pairs.get(k * n_codes + j).copied().unwrap_or(0)))
                    .collect();
                (a.clone(), OrderedMap(row))
            })
            .collect(),
    );
    ColumnResult {
        n,
        blank: rows.saturating_sub(n),
        codes,
        uncoded: CountShare { count: uncoded, share: share(uncoded, n) },
        co_occurrence,
    }
}

/// Codes every column of the settings. `cells_of(column)` gives a column's cells (`None` when
/// the table has no such column: it is then left out); `arms` and `is_missing` as in
/// [`analyse_column`]. Returns `results.comments` and the coded columns, in settings order.
pub fn analyse_all<'a>(
    settings: &CommentsSettings,
    mut cells_of: impl FnMut(&str) -> Option<Vec<Option<&'a str>>>,
    arms: Option<&[Option<Arm>]>,
    is_missing: impl Fn(&str) -> bool,
) -> (CommentsResults, Vec<CodedColumn>) {
    let mut results = OrderedMap::default();
    let mut coded = Vec::new();
    for plan in &settings.columns {
        let Some(cells) = cells_of(&plan.name) else { continue };
        let col = analyse_column(&plan.name, &cells, arms, &settings.codebook, &plan.manual, &is_missing);
        results.0.push((plan.name.clone(), col.result.clone()));
        coded.push(col);
    }
    (results, coded)
}
