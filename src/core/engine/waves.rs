//! Wave files in the engine (CONTRACT §5): up to three files, each read with the full ingest,
//! linked by participant code into the one dataset every analysis uses.
//!
//! The recipe's `link` is the source of truth for which file is which wave and which columns
//! hold the code; what it does not say is guessed ([`fill_link`]: waves from file names, code
//! columns per file) and written back into it, so the page shows the guesses and the user
//! changes them there. [`link_waves`] checks the set (each file a wave of its own, code
//! columns present, codes that overlap) and, when it can, links and builds the linked
//! dataset; every problem is a plain message naming the file. [`WavesView`] is what the page
//! shows: files and waves, the linkage counts and reading, and the review panel (ambiguous
//! codes with their candidates, duplicates). Codes go to the page only (never into results).

use crate::core::dataset::Dataset;
use crate::core::ingest::link::settings::{CodeColumns, CodeList, WaveFiles};
use crate::core::ingest::link::{
    guess_wave, link_tables, linked_dataset, prefixed, suggest_code_columns, LinkPlan, LinkSettings, LinkSettingsError,
    Linkage, LinkageResults, Side, Wave, WaveTable, LINK_CODE_COLUMN,
};
use crate::core::recipe::Recipe;
use serde::{Deserialize, Serialize};

/// Most wave files held at once.
pub const MAX_WAVE_FILES: usize = 3;

/// Ambiguous codes listed in the review panel (the counts say how many there are).
pub const MAX_REVIEW_ITEMS: usize = 200;
/// Candidates listed per ambiguous code in the review panel.
pub const MAX_REVIEW_CANDIDATES: usize = 8;

/// One loaded wave file, as the page sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WaveFileView {
    pub name: String,
    /// The wave set in the recipe (or guessed); `None` = not set.
    pub wave: Option<Wave>,
    pub columns: Vec<String>,
    /// The code columns in force for this file's wave.
    pub code_columns: Vec<String>,
    pub rows: usize,
    /// "Qualtrics", "Google Forms", "plain table", ...
    pub format: String,
}

/// A candidate of an ambiguous code, with the cell that helps decide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewCandidate {
    pub code: String,
    pub distance: usize,
    /// The group cell of the candidate's row, when the file has the group column.
    pub group: Option<String>,
    /// Linked near to another code in the same step.
    pub linked_near: bool,
}

/// A code that could not be linked by itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// The later wave being linked to pre.
    pub wave: Wave,
    /// Whether the code is the pre file's (its candidates are the later file's) or the later's.
    pub side: Side,
    pub code: String,
    pub group: Option<String>,
    pub candidates: Vec<ReviewCandidate>,
    pub n_candidates: usize,
}

/// A code held by several rows of one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateView {
    pub wave: Wave,
    pub file: String,
    pub code: String,
    pub rows: usize,
}

/// The wave files for the page: files, problems, linkage, review.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WavesView {
    pub files: Vec<WaveFileView>,
    /// What stops linking or needs the user's eye, each naming the file (shown as an alert).
    pub problems: Vec<String>,
    /// What is still needed (one file loaded, ...), shown as a status.
    pub waiting: Option<String>,
    /// `results.linkage` of the linking in force.
    pub linkage: Option<LinkageResults>,
    /// Plain reading of the counts.
    pub reading: Vec<String>,
    pub review: Vec<ReviewItem>,
    pub duplicates: Vec<DuplicateView>,
    pub max_distance: usize,
}

/// A loaded wave file.
pub struct WaveFile {
    pub name: String,
    pub dataset: Dataset,
}

/// Writes into `recipe.link` what it does not say yet: the wave of each loaded file (from its
/// name, else the first wave no file has) and each wave's code columns (suggested from the
/// file). Entries for files not loaded are kept (a recipe may come before its files).
pub fn fill_link(recipe: &mut Recipe, files: &[WaveFile]) {
    let mut settings = recipe.link.clone().unwrap_or_default();
    for f in files {
        if settings.waves.0.iter().any(|(_, file)| file == &f.name) {
            continue;
        }
        let taken = |w: Wave, s: &LinkSettings| {
            s.waves.0.iter().any(|(name, file)| name == w.name() && files.iter().any(|g| &g.name == file))
        };
        let wave = guess_wave(&f.name)
            .filter(|w| !taken(*w, &settings))
            .or_else(|| Wave::ALL.into_iter().find(|w| !taken(*w, &settings)));
        let Some(wave) = wave else { continue };
        // A file of the recipe for this wave that is not loaded gives way to the loaded one.
        settings.waves.0.retain(|(name, _)| name != wave.name());
        settings.waves.0.push((wave.name().to_string(), f.name.clone()));
    }
    // Keep the waves in time order (as the recipe's example writes them).
    settings.waves.0.sort_by_key(|(name, _)| Wave::from_name(name).map_or(9, |w| w as usize));
    if let CodeColumns::PerWave(map) = &mut settings.code {
        for (name, file) in &settings.waves.0 {
            if map.contains_key(name) {
                continue;
            }
            let Some(f) = files.iter().find(|f| &f.name == file) else { continue };
            let suggested = suggest_code_columns(&f.dataset);
            if !suggested.is_empty() {
                map.insert(name.clone(), CodeList::Many(suggested));
            }
        }
    }
    recipe.link = Some(settings);
}

/// The wave a file is set to in the settings.
fn wave_of(settings: &WaveFiles, file: &str) -> Option<Wave> {
    settings.0.iter().find(|(_, f)| f == file).and_then(|(name, _)| Wave::from_name(name))
}

fn code_columns_of(settings: &LinkSettings, wave: Wave) -> Vec<String> {
    match &settings.code {
        CodeColumns::All(CodeList::Many(v)) => v.clone(),
        CodeColumns::All(CodeList::One(s)) => vec![s.clone()],
        CodeColumns::PerWave(map) => match map.get(wave.name()) {
            Some(CodeList::Many(v)) => v.clone(),
            Some(CodeList::One(s)) => vec![s.clone()],
            None => Vec::new(),
        },
    }
}

/// What linking the loaded files gave: the linked dataset (when it could be built) and the view.
pub struct Linked {
    pub dataset: Option<Dataset>,
    pub linkage: Option<Linkage>,
    pub view: WavesView,
}

fn wave_words(w: Wave) -> &'static str {
    match w {
        Wave::Pre => "before (pre)",
        Wave::Post => "after (post)",
        Wave::Followup => "follow-up",
    }
}

/// Checks the wave files against `recipe.link` and links them when it can.
pub fn link_waves(recipe: &Recipe, files: &[WaveFile]) -> Linked {
    let settings = recipe.link.clone().unwrap_or_default();
    let mut view = WavesView::default();
    for f in files {
        let wave = wave_of(&settings.waves, &f.name);
        view.files.push(WaveFileView {
            name: f.name.clone(),
            wave,
            columns: f.dataset.column_names(),
            code_columns: wave.map(|w| code_columns_of(&settings, w)).unwrap_or_default(),
            rows: f.dataset.n_rows,
            format: f.dataset.format.name().to_string(),
        });
    }
    let fail = |view: WavesView| Linked { dataset: None, linkage: None, view };
    // Each file a wave of its own.
    for f in &view.files {
        if f.wave.is_none() {
            let message =
                format!("“{}” has no wave: choose whether it is the before, after or follow-up file.", f.name);
            view.problems.push(message);
        }
    }
    for w in Wave::ALL {
        let same: Vec<&str> = view.files.iter().filter(|f| f.wave == Some(w)).map(|f| f.name.as_str()).collect();
        if same.len() > 1 {
            view.problems.push(format!(
                "“{}” and “{}” are both set as the {} file: set one of them to another wave.",
                same[0],
                same[1],
                wave_words(w)
            ));
        }
    }
    // Code columns: chosen and present.
    for f in &view.files {
        let Some(w) = f.wave else { continue };
        if f.code_columns.is_empty() {
            view.problems.push(format!("“{}” has no column that looks like a participant code: choose the column (or the parts of the code) that identify people in this file.", f.name));
        }
        for c in &f.code_columns {
            if !f.columns.contains(c) && !f.columns.iter().any(|n| n.trim() == c.trim()) {
                view.problems.push(format!(
                    "“{}” (the {} file) has no column “{c}” for the participant code: choose its code column.",
                    f.name,
                    wave_words(w)
                ));
            }
        }
    }
    if !view.problems.is_empty() {
        return fail(view);
    }
    let plan: LinkPlan = match settings.validate() {
        Ok(p) => p,
        Err(LinkSettingsError::MissingWave(w)) => {
            view.waiting = Some(match view.files.as_slice() {
                [one] => format!(
                    "“{}” is loaded as the {} file. Add the {} file to link people by their code.",
                    one.name,
                    wave_words(one.wave.unwrap_or(Wave::Pre)),
                    wave_words(w)
                ),
                _ => format!("No {} file is set: set the wave of each file.", wave_words(w)),
            });
            return fail(view);
        }
        Err(e) => {
            view.problems.push(e.to_string());
            return fail(view);
        }
    };
    view.max_distance = plan.options.max_distance;
    let find = |file: &str| files.iter().find(|f| f.name == file).map(|f| &f.dataset);
    let not_loaded: Vec<&str> = plan.waves().filter(|w| find(&w.file).is_none()).map(|w| w.file.as_str()).collect();
    if !not_loaded.is_empty() {
        view.waiting = Some(format!(
            "The recipe links “{}”: load {} to link the waves.",
            not_loaded.join("” and “"),
            if not_loaded.len() == 1 { "it" } else { "them" }
        ));
        return fail(view);
    }
    let (Some(pre), Some(post)) = (find(&plan.pre.file), find(&plan.post.file)) else { return fail(view) };
    let fu = plan.followup.as_ref().and_then(|p| find(&p.file));
    let linkage = match link_tables(&plan, pre, post, fu.map(|f| f as &dyn WaveTable)) {
        Ok(l) => l,
        Err(e) => {
            view.problems.push(e.to_string());
            return fail(view);
        }
    };
    // Codes that do not overlap at all: most likely the wrong column.
    for (wl, wp) in [(Some(&linkage.post), Some(&plan.post)), (linkage.followup.as_ref(), plan.followup.as_ref())] {
        let (Some(wl), Some(wp)) = (wl, wp) else { continue };
        let c = wl.counts;
        if c.confirmed + c.exact + c.near + c.ambiguous_later == 0 {
            view.problems.push(format!(
                "No participant code of “{}” matches a code of “{}”: check that the code columns chosen for both files hold the same codes.",
                wp.file, plan.pre.file
            ));
        }
    }
    let ds = linked_dataset(&linkage, pre, post, fu);
    view.linkage = Some(linkage.results());
    view.reading = crate::core::present::explain::linkage_reading(&linkage.results());
    // The review panel: the cells that help decide (the group column's, when each file has it).
    let group_col = recipe.columns.group.as_deref().and_then(|g| g.strip_prefix("pre_")).map(str::to_string);
    let wave_ds = |w: Wave| match w {
        Wave::Pre => Some(pre),
        Wave::Post => Some(post),
        Wave::Followup => fu,
    };
    let group = |w: Wave, row: usize| -> Option<String> {
        let d = wave_ds(w)?;
        let col = d.column(group_col.as_deref()?)?;
        col.cells.str_at(row).filter(|s| !s.is_empty()).map(str::to_string)
    };
    for a in linkage.ambiguous().take(MAX_REVIEW_ITEMS) {
        let (mine, theirs) = match a.side {
            Side::Pre => (Wave::Pre, a.wave),
            Side::Later => (a.wave, Wave::Pre),
        };
        view.review.push(ReviewItem {
            wave: a.wave,
            side: a.side,
            code: a.code.clone(),
            group: group(mine, a.row),
            candidates: a
                .candidates
                .iter()
                .take(MAX_REVIEW_CANDIDATES)
                .map(|c| ReviewCandidate {
                    code: c.code.clone(),
                    distance: c.distance,
                    group: group(theirs, c.row),
                    linked_near: c.linked_near,
                })
                .collect(),
            n_candidates: a.n_candidates,
        });
    }
    for d in linkage.duplicates.iter().take(MAX_REVIEW_ITEMS) {
        let file = plan.waves().find(|w| w.wave == d.wave).map(|w| w.file.clone()).unwrap_or_default();
        view.duplicates.push(DuplicateView { wave: d.wave, file, code: d.code.clone(), rows: d.rows.len() });
    }
    Linked { dataset: Some(ds), linkage: Some(linkage), view }
}

/// The linked dataset's columns that hold codes: `link_code` and each wave's code columns,
/// prefixed (left out of the cleaned data unless kept).
pub fn code_columns(recipe: &Recipe, ds: &Dataset) -> Vec<String> {
    let mut out = vec![LINK_CODE_COLUMN.to_string()];
    if let Some(Ok(plan)) = recipe.link.as_ref().map(LinkSettings::validate) {
        for w in plan.waves() {
            out.extend(w.code_columns.iter().map(|c| prefixed(w.wave, c)).filter(|c| ds.column(c).is_some()));
        }
    }
    out
}

/// Roles for a linked table: the pre/post (and follow-up) pair is a `pre_X` whose `post_X`
/// exists (a score-like name first), the arm the pre file's group column; the other roles as
/// for any file. Roles the recipe already gives and that exist are kept.
pub fn suggest_linked_roles(recipe: &mut Recipe, ds: &Dataset, codes: &[String]) {
    let names = ds.column_names();
    recipe.drop_roles_not_in(&names);
    let c = &mut recipe.columns;
    let numeric = |n: &str| -> bool {
        ds.numeric(n).is_some_and(|(v, _)| {
            let k = v.iter().filter(|x| x.is_some()).count();
            k >= 3
        })
    };
    let score_like = |n: &str| {
        let l = n.to_lowercase();
        ["stigma", "score", "total", "mean", "sum", "scale"].iter().any(|w| l.contains(w))
    };
    if c.pre.is_none() && c.post.is_none() {
        let stems: Vec<&str> = names
            .iter()
            .filter_map(|n| n.strip_prefix("pre_"))
            .filter(|s| !codes.contains(&format!("pre_{s}")))
            .collect();
        // The same question in another wave: its name without case, spaces or punctuation
        // ("stigma_mean" in one form, "Stigma (mean)" in another); the same spelling first.
        let key = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
        let same_in = |prefix: &str, s: &str| -> Option<String> {
            let exact = format!("{prefix}{s}");
            if names.contains(&exact) && numeric(&exact) {
                return Some(exact);
            }
            let k = key(s);
            names
                .iter()
                .filter(|n| n.strip_prefix(prefix).is_some_and(|t| key(t) == k) && !codes.contains(*n) && numeric(n))
                .min()
                .cloned()
        };
        let pairs: Vec<(&str, String)> = stems
            .iter()
            .copied()
            .filter(|s| numeric(&format!("pre_{s}")))
            .filter_map(|s| Some((s, same_in("post_", s)?)))
            .collect();
        let pair = pairs.iter().find(|(s, _)| score_like(s)).or(pairs.first());
        if let Some((s, post)) = pair {
            c.pre = Some(format!("pre_{s}"));
            c.post = Some(post.clone());
            if c.followup.is_none() {
                c.followup = same_in("followup_", s);
            }
        } else {
            // One score-like number per wave.
            let first = |prefix: &str| {
                names
                    .iter()
                    .find(|n| {
                        n.starts_with(prefix)
                            && !codes.contains(*n)
                            && (score_like(n) || ds.labels.iter().any(|(col, l)| col == *n && score_like(l)))
                            && numeric(n)
                    })
                    .cloned()
            };
            c.pre = first("pre_");
            c.post = first("post_");
            if c.followup.is_none() {
                c.followup = first("followup_");
            }
        }
    }
    // The other roles from the names, without taking a wave's column as pre/post/follow-up by
    // its prefix or a code column as the person's id.
    let (pre, post, fu) = (c.pre.take(), c.post.take(), c.followup.take());
    c.pre = Some(String::new());
    c.post = Some(String::new());
    c.followup = Some(String::new());
    if c.id.is_none() {
        c.id = Some(LINK_CODE_COLUMN.to_string());
    }
    let others: Vec<String> = names.iter().filter(|n| !codes.contains(n)).cloned().collect();
    if c.group.is_none() {
        c.group = others
            .iter()
            .find(|n| {
                n.starts_with("pre_") && {
                    let l = n.to_lowercase();
                    ["group", "arm", "condition"].iter().any(|w| l.contains(w))
                }
            })
            .cloned();
    }
    recipe.suggest_columns(&others);
    recipe.suggest_cluster(ds);
    let c = &mut recipe.columns;
    c.pre = pre;
    c.post = post;
    c.followup = fu;
}
