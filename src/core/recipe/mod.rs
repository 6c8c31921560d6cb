//! The recipe: what the user chose (column roles and settings), never data.
//! Format: `shared/design/CONTRACT.md` §1. Unknown keys are ignored, so a reference case
//! file loads as a recipe as it is. Every key is optional.

pub mod edit;
pub mod process;
pub mod settings;
pub mod starter;

use serde::{Deserialize, Serialize};

pub mod comments;

/// Column roles: names of columns in the file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Columns {
    pub id: Option<String>,
    pub group: Option<String>,
    pub pre: Option<String>,
    pub post: Option<String>,
    pub followup: Option<String>,
    pub help_pre: Option<String>,
    pub help_post: Option<String>,
    pub subgroup: Option<String>,
    /// Attendance (sessions or hours) for the dose section (`results.process.dose`).
    pub dose: Option<String>,
    /// The cluster people belong to (school, class, site, congregation, ...), for the
    /// intraclass correlation (`results.clustering`) that pre-fills the cluster-trial planner.
    pub cluster: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupLevels {
    pub intervention: Option<String>,
    pub control: Option<String>,
}

/// Cell values meaning yes / no for the help-seeking columns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HelpCoding {
    pub yes: Vec<String>,
    pub no: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scale {
    pub name: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub lower_is_better: Option<bool>,
    pub decimals: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RciInputs {
    pub rxx: Option<f64>,
    /// Normative SD; `None` = the sample SD of pre scores over complete pairs.
    pub sd_pre: Option<f64>,
    pub threshold: Option<f64>,
}

/// How the file is read (what the user changed from the defaults).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IngestSettings {
    /// Cell values read as missing; `None` = the default list.
    pub missing_codes: Option<Vec<String>>,
    /// Leave out responses the survey tool marks as unfinished.
    pub drop_unfinished: Option<bool>,
    /// The user's numbers for text answers, per column: `{ "q1": { "Don't know": null,
    /// "Strongly agree": 5 } }`. Each answer given replaces the number Lantern detected (or is
    /// added); `null` reads the answer as missing in that column.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub value_maps: crate::core::ingest::values::ValueMapOverrides,
    /// Read a long file (one row per participant and wave) as one row per participant:
    /// `{ "id": "participant", "wave": "time", "waves": ["pre", "post", "followup"] }`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub long: Option<crate::core::ingest::reshape::LongLayout>,
}

/// Everything the user chose. Serialises to `lantern-recipe.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Recipe {
    pub columns: Columns,
    pub group_levels: Option<GroupLevels>,
    pub help_coding: Option<HelpCoding>,
    pub scale: Option<Scale>,
    /// Item-level scoring settings (kept as given; interpreted by the scoring module).
    pub items: Option<serde_json::Value>,
    pub rci_inputs: Option<RciInputs>,
    /// Cost settings (kept as given; interpreted by the cost module).
    pub cost_inputs: Option<serde_json::Value>,
    pub alpha: Option<f64>,
    /// Process and community-count settings ([`process::ProcessInputs`]).
    pub process: Option<process::ProcessInputs>,
    /// Reading settings (missing codes, unfinished responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingest: Option<IngestSettings>,
    /// Columns that look identifying (names, e-mail, ...) that the user chose to keep in the
    /// cleaned-data export; every other such column is left out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keep_identifying: Vec<String>,
    /// Columns flagged only as *possibly* identifying (capitalised single words that look like
    /// given names) that the user confirmed as identifying: left out of the cleaned data too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leave_out_possible: Vec<String>,
    /// Free-text answers (CONTRACT §6): comment columns, codebook, hand tags, starred quotes.
    #[serde(default, skip_serializing_if = "comments::CommentsRecipe::is_empty")]
    pub comments: comments::CommentsRecipe,
    /// Separate files per wave linked by participant code (CONTRACT §5): which file is which
    /// wave, the code columns, `max_distance`, and the pairs the user accepted or rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<crate::core::ingest::link::LinkSettings>,
}

/// A single questionnaire item such as `pre_q3` or `item_7`: never a whole score.
fn is_item_column(tokens: &[&str]) -> bool {
    tokens.iter().any(|t| {
        let letters = t.trim_end_matches(|c: char| c.is_ascii_digit());
        letters.len() < t.len() && matches!(letters, "q" | "item" | "i" | "question")
    })
}

/// Item-level files (`pre_q1` … `pre_qK` and `post_q1` … `post_qK`): suggests `items` with the
/// two prefixes and K. Reverse items cannot be guessed; the reliability table flags them.
fn suggest_items(names: &[String]) -> Option<serde_json::Value> {
    let prefix_with = |word: &str| -> Option<(String, usize)> {
        let mut best: Option<(String, usize)> = None;
        for n in names {
            let stem = n.trim_end_matches(|c: char| c.is_ascii_digit());
            if stem.len() == n.len() || !stem.to_lowercase().contains(word) {
                continue;
            }
            let k = (1..=200).take_while(|i| names.iter().any(|m| *m == format!("{stem}{i}"))).count();
            if k >= 3 && best.as_ref().is_none_or(|b| k > b.1) {
                best = Some((stem.to_string(), k));
            }
        }
        best
    };
    let (pre, k1) = prefix_with("pre")?;
    let post = prefix_with("post").filter(|(_, k2)| *k2 == k1).map(|(p, _)| p);
    let mut m = serde_json::Map::new();
    m.insert("pre_prefix".into(), serde_json::Value::from(pre));
    if let Some(p) = post {
        m.insert("post_prefix".into(), serde_json::Value::from(p));
    }
    m.insert("k".into(), serde_json::Value::from(k1));
    Some(serde_json::Value::Object(m))
}

/// Words in a column name that mark the cluster people belong to (matched as whole words).
pub(crate) const CLUSTER_WORDS: &[&str] = &[
    "cluster",
    "school",
    "class",
    "classroom",
    "site",
    "clinic",
    "congregation",
    "church",
    "parish",
    "mosque",
    "temple",
    "synagogue",
    "team",
    "village",
    "campus",
];

/// Whole column names that mark a cluster (lower case).
const CLUSTER_NAMES: &[&str] = &["group_id", "groupid", "group id", "group-id"];

/// Words that make a cluster-looking name something else (`class_size`, `school_type`, ...).
const NOT_CLUSTER_WORDS: &[&str] = &["size", "count", "type", "pre", "post", "score", "total", "help", "followup"];

/// True when a column name looks like a cluster column (`school`, `Class ID`, `site_name`,
/// `group_id`), never the intervention/control `group` column itself.
pub fn looks_like_cluster(name: &str) -> bool {
    let l = name.trim().to_lowercase();
    let toks: Vec<&str> = l.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).collect();
    (CLUSTER_NAMES.contains(&l.as_str()) || toks.iter().any(|t| CLUSTER_WORDS.contains(t)))
        && !toks.iter().any(|t| NOT_CLUSTER_WORDS.contains(t))
}

/// What a column must hold to be proposed for a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RoleKind {
    /// Pre, post, follow-up scores and dose: numbers.
    Score,
    /// Help seeking: yes/no answers.
    YesNo,
    /// The arm: 2 or 3 answers.
    Group,
    /// A few repeated answers (age bands, languages).
    Subgroup,
    /// A participant code.
    Id,
}

/// Why a recipe file was refused (the parser's own words where it has them).
#[derive(Debug, Clone, PartialEq)]
pub enum RecipeError {
    /// The text is not JSON.
    NotJson(String),
    /// JSON, but not an object.
    NotObject,
    /// A known key holds a value of the wrong type.
    WrongType(String),
}

impl std::fmt::Display for RecipeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "This recipe file could not be read: ")?;
        match self {
            RecipeError::NotJson(e) => write!(f, "it is not valid JSON ({e})."),
            RecipeError::NotObject => write!(f, "it should be a JSON object with keys such as “columns”."),
            RecipeError::WrongType(e) => write!(f, "a setting has the wrong type ({e})."),
        }
    }
}

impl Recipe {
    /// Parses a recipe (or a reference case file) from JSON text.
    pub fn from_json(text: &str) -> Result<Recipe, RecipeError> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| RecipeError::NotJson(e.to_string()))?;
        if !v.is_object() {
            return Err(RecipeError::NotObject);
        }
        // Read again straight from the text, not from `v`: a `serde_json::Value` sorts object
        // keys, and the comment codebook's order is the user's (CONTRACT §6).
        serde_json::from_str(text).map_err(|e| RecipeError::WrongType(e.to_string()))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }

    /// The significance level in force ([`settings::Settings::resolve`]).
    pub fn alpha(&self) -> f64 {
        settings::Settings::resolve(self).alpha
    }

    /// Lower score = less stigma, unless the scale says otherwise ([`settings::Settings::resolve`]).
    pub fn lower_is_better(&self) -> bool {
        settings::Settings::resolve(self).lower_is_better
    }

    /// Suggests pre/post roles from column names (`pre`, `post`, `baseline`, `stigma_pre`, ...),
    /// filling only roles that are still empty. Names only: [`Recipe::suggest_columns_from`]
    /// also looks at what the columns hold.
    pub fn suggest_columns(&mut self, names: &[String]) {
        self.suggest_columns_where(names, &|_, _| true);
    }

    /// [`Recipe::suggest_columns`] with `fits(role, column)` deciding whether a column's content
    /// suits a role; a column already given a role is never proposed for another.
    fn suggest_columns_where(&mut self, names: &[String], fits: &dyn Fn(RoleKind, &str) -> bool) {
        let c = &self.columns;
        let mut taken: Vec<String> = [
            &c.id,
            &c.group,
            &c.pre,
            &c.post,
            &c.followup,
            &c.help_pre,
            &c.help_post,
            &c.subgroup,
            &c.dose,
            &c.cluster,
        ]
        .iter()
        .filter_map(|r| (*r).clone())
        .collect();
        let mut find = |kind: RoleKind, keys: &[&str], avoid: &[&str], also: &dyn Fn(&str) -> bool| -> Option<String> {
            let found = names
                .iter()
                .find(|n| {
                    let l = n.to_lowercase();
                    let toks: Vec<&str> =
                        l.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).collect();
                    keys.iter().any(|k| toks.contains(k) || l == *k)
                        && !avoid.iter().any(|a| toks.contains(a))
                        && !is_item_column(&toks)
                        && !taken.contains(n)
                        && also(&l)
                        && fits(kind, n)
                })
                .cloned();
            if let Some(f) = &found {
                taken.push(f.clone());
            }
            found
        };
        if self.items.is_none() {
            self.items = suggest_items(names);
        }
        let any = |_: &str| true;
        let c = &self.columns;
        let (mut pre, mut post, mut followup, mut help_pre, mut help_post) =
            (c.pre.clone(), c.post.clone(), c.followup.clone(), c.help_pre.clone(), c.help_post.clone());
        let (mut group, mut id, mut subgroup, mut dose) =
            (c.group.clone(), c.id.clone(), c.subgroup.clone(), c.dose.clone());
        // Yes/no columns first, so that `help_seeking_pre` is not taken as the pre score.
        if help_pre.is_none() {
            help_pre = find(RoleKind::YesNo, &["help"], &["post"], &|l| l.contains("pre"));
        }
        if help_post.is_none() {
            help_post = find(RoleKind::YesNo, &["help"], &["pre"], &|l| l.contains("post"));
        }
        if pre.is_none() {
            pre = find(
                RoleKind::Score,
                &["pre", "baseline", "before", "t0", "time1"],
                &["help", "helpseeking", "seeking"],
                &any,
            );
        }
        if post.is_none() {
            post = find(
                RoleKind::Score,
                &["post", "after", "endline", "t1", "time2"],
                &["help", "helpseeking", "seeking"],
                &any,
            );
        }
        if followup.is_none() {
            followup = find(RoleKind::Score, &["followup", "fu", "fu3m", "follow"], &["help", "seeking"], &any);
        }
        if subgroup.is_none() {
            subgroup = find(RoleKind::Subgroup, &["age", "band", "language", "subgroup"], &[], &any);
        }
        if group.is_none() {
            // Not `group_id`: that names a cluster (a peer group), not the arm; not an age group.
            group = find(RoleKind::Group, &["group", "arm", "condition"], &["id", "age"], &any);
        }
        if id.is_none() {
            // Not `school_id`, `group_id`, ...: those name the cluster a person belongs to.
            let not_people: Vec<&str> = CLUSTER_WORDS.iter().copied().chain(["group"]).collect();
            id = find(RoleKind::Id, &["id", "participant", "participant_id", "respondent"], &not_people, &any);
        }
        if dose.is_none() {
            dose = find(RoleKind::Score, &["dose", "attendance", "attended", "sessions_attended"], &[], &any);
        }
        let c = &mut self.columns;
        (c.pre, c.post, c.followup, c.help_pre, c.help_post) = (pre, post, followup, help_pre, help_post);
        (c.group, c.id, c.subgroup, c.dose) = (group, id, subgroup, dose);
    }

    /// Empties every column role that names a column not in `names` (after the file was read
    /// differently, e.g. reshaped to one row per participant), so that it can be suggested again.
    pub fn drop_roles_not_in(&mut self, names: &[String]) {
        let c = &mut self.columns;
        for role in [
            &mut c.id,
            &mut c.group,
            &mut c.pre,
            &mut c.post,
            &mut c.followup,
            &mut c.help_pre,
            &mut c.help_post,
            &mut c.subgroup,
            &mut c.dose,
            &mut c.cluster,
        ] {
            if role.as_ref().is_some_and(|r| !names.contains(r)) {
                *role = None;
            }
        }
    }

    /// [`Recipe::suggest_columns`] plus the roles that need the data, not only the names: the
    /// cluster column ([`Recipe::suggest_cluster`]). Use this when a file has been loaded.
    pub fn suggest_columns_from(&mut self, ds: &crate::core::dataset::Dataset) {
        let summary = ds.summary();
        self.suggest_columns_for(ds, &summary);
    }

    /// [`Recipe::suggest_columns_from`] with the file's summary already made: roles are
    /// proposed only for columns whose content suits them — never a date/time, identifier,
    /// free-text or identifying column as a score; a group column has 2 or 3 answers; a
    /// subgroup column a few repeated answers — and never one column for two roles.
    pub fn suggest_columns_for(
        &mut self,
        ds: &crate::core::dataset::Dataset,
        summary: &crate::core::ingest::profile::DatasetSummary,
    ) {
        use crate::core::ingest::types::ValueKind;
        let kind_of = |name: &str| summary.types.iter().find(|t| t.column == name).map(|t| t.kind);
        let identifying = |name: &str| summary.identifying.iter().any(|i| i.column == name);
        let n_levels = |name: &str| summary.levels.get(name).map(Vec::len);
        let fits = |role: RoleKind, name: &str| -> bool {
            if identifying(name) {
                return false;
            }
            let kind = kind_of(name);
            match role {
                RoleKind::Score => matches!(kind, Some(ValueKind::Number) | Some(ValueKind::Empty) | None),
                RoleKind::YesNo => {
                    matches!(kind, Some(ValueKind::YesNo) | Some(ValueKind::Category) | Some(ValueKind::Number) | None)
                }
                RoleKind::Group => n_levels(name).is_some_and(|n| (2..=3).contains(&n)),
                RoleKind::Subgroup => {
                    !matches!(kind, Some(ValueKind::Date) | Some(ValueKind::Identifier) | Some(ValueKind::Text))
                        && n_levels(name).is_some_and(|n| n >= 2)
                }
                RoleKind::Id => !matches!(kind, Some(ValueKind::Date) | Some(ValueKind::Text)),
            }
        };
        self.suggest_columns_where(&ds.column_names(), &fits);
        self.suggest_cluster(ds);
    }

    /// Suggests the cluster column (when still empty): the first column whose name looks like a
    /// cluster ([`looks_like_cluster`]), that has no other role, and whose non-missing cells hold
    /// between 2 and N/2 distinct values (N = non-missing cells), so that people share clusters.
    pub fn suggest_cluster(&mut self, ds: &crate::core::dataset::Dataset) {
        if self.columns.cluster.is_some() {
            return;
        }
        let c = &self.columns;
        let taken: Vec<&str> =
            [&c.id, &c.group, &c.pre, &c.post, &c.followup, &c.help_pre, &c.help_post, &c.subgroup, &c.dose]
                .iter()
                .filter_map(|r| r.as_deref())
                .collect();
        let fits = |name: &str| -> bool {
            let Some(cells) = ds.text(name) else { return false };
            let present: Vec<&str> = cells.iter().filter_map(|c| c.as_deref()).collect();
            let levels: std::collections::BTreeSet<&str> = present.iter().copied().collect();
            levels.len() >= 2 && 2 * levels.len() <= present.len()
        };
        self.columns.cluster =
            ds.column_names().into_iter().find(|n| looks_like_cluster(n) && !taken.contains(&n.as_str()) && fits(n));
    }
}

/// Words that name the program group and the comparison group in survey exports (lower case;
/// matched as whole words or phrases of a group answer).
const PROGRAM_WORDS: &[&str] = &[
    "intervention",
    "program",
    "programme",
    "workshop",
    "treatment",
    "treated",
    "experimental",
    "peer",
    "training",
    "trained",
];
const COMPARISON_WORDS: &[&str] = &[
    "control",
    "comparison",
    "waitlist",
    "wait-list",
    "waiting list",
    "wait list",
    "usual care",
    "delayed",
    "no program",
    "not yet",
];

fn names_word(answer: &str, words: &[&str]) -> bool {
    let a = format!(
        " {} ",
        answer
            .to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() || c == '-' { c } else { ' ' })
            .collect::<String>()
    );
    let a = a.split_whitespace().collect::<Vec<_>>().join(" ");
    let a = format!(" {a} ");
    words.iter().any(|w| a.contains(&format!(" {w} ")))
}

/// A guess of which answers of a group column mean the program group and the comparison group
/// (`Workshop` / `Waitlist`, `Peer workshop` / `Waiting list`, `treatment` / `control`, `1` /
/// `0`…): an answer naming a comparison word is the comparison group, else one naming a
/// program word is the program group; a side is guessed only when exactly one answer fits it.
/// `1` / `0` as the only two answers mean program / comparison.
pub fn guess_group_levels(answers: &[String]) -> GroupLevels {
    let answers: Vec<&str> = answers.iter().map(|a| a.trim()).filter(|a| !a.is_empty()).collect();
    if let [a, b] = answers.as_slice() {
        match (*a, *b) {
            ("1", "0") | ("0", "1") => {
                return GroupLevels { intervention: Some("1".into()), control: Some("0".into()) }
            }
            _ => {}
        }
    }
    let control: Vec<&str> = answers.iter().copied().filter(|a| names_word(a, COMPARISON_WORDS)).collect();
    let program: Vec<&str> =
        answers.iter().copied().filter(|a| !control.contains(a) && names_word(a, PROGRAM_WORDS)).collect();
    let one = |v: &[&str]| if let [x] = v { Some(x.to_string()) } else { None };
    GroupLevels { intervention: one(&program), control: one(&control) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reference_case_loads_as_recipe() {
        let text = r#"{"case_id":"x","columns":{"pre":"stigma_pre","post":"stigma_post","group":null},
            "help_coding":{"yes":["1"],"no":["0"]},"rci_inputs":{"rxx":0.85,"sd_pre":null,"direction":"..."},
            "results":{"paired":{}}}"#;
        let r = Recipe::from_json(text).unwrap();
        assert_eq!(r.columns.pre.as_deref(), Some("stigma_pre"));
        assert_eq!(r.rci_inputs.as_ref().unwrap().rxx, Some(0.85));
        assert_eq!(r.alpha(), 0.05);
    }

    #[test]
    fn bad_recipe_is_a_plain_error() {
        assert!(Recipe::from_json("not json").is_err());
        assert!(Recipe::from_json("[1,2]").is_err());
        assert!(Recipe::from_json(r#"{"columns": 5}"#).is_err());
    }

    #[test]
    fn item_level_files_suggest_items_not_single_items_as_scores() {
        let mut cols: Vec<String> = (1..=10).map(|i| format!("pre_q{i}")).collect();
        cols.extend((1..=10).map(|i| format!("post_q{i}")));
        cols.push("participant_id".into());
        let mut r = Recipe::default();
        r.suggest_columns(&cols);
        assert_eq!(r.columns.pre, None, "pre_q1 is an item, not the pre score");
        assert_eq!(r.columns.post, None);
        let items = r.items.unwrap();
        assert_eq!(items["pre_prefix"], "pre_q");
        assert_eq!(items["post_prefix"], "post_q");
        assert_eq!(items["k"], 10);
        let mut r = Recipe::default();
        r.suggest_columns(&names(&["stigma_pre", "stigma_post"]));
        assert!(r.items.is_none());
    }

    #[test]
    fn cluster_column_needs_a_cluster_name_and_shared_levels() {
        for n in [
            "school",
            "School ID",
            "class",
            "classroom",
            "site_name",
            "Clinic",
            "congregation",
            "church",
            "team",
            "group_id",
            "cluster",
        ] {
            assert!(looks_like_cluster(n), "{n}");
        }
        for n in ["group", "Group", "arm", "class_size", "school_type", "stigma_pre", "participant_id", "classic"] {
            assert!(!looks_like_cluster(n), "{n}");
        }
        let csv = b"id,group,school,team,class_size\n1,intervention,A,t1,20\n2,control,A,t2,20\n3,intervention,B,t3,25\n4,control,B,t4,25\n5,intervention,,t5,25\n";
        let ds = crate::core::ingest::read_csv(csv, "t.csv").unwrap();
        let mut r = Recipe::default();
        r.suggest_columns(&ds.column_names());
        assert_eq!(r.columns.cluster, None, "names alone never set the cluster");
        r.suggest_columns_from(&ds);
        assert_eq!(r.columns.group.as_deref(), Some("group"));
        // school: 2 levels over 4 non-blank cells (= N/2); team has 5 levels for 5 people.
        assert_eq!(r.columns.cluster.as_deref(), Some("school"));
        let ds = crate::core::ingest::read_csv(
            b"group_id,group\ng1,control\ng1,control\ng2,intervention\ng2,intervention\n",
            "t.csv",
        )
        .unwrap();
        let mut r = Recipe::default();
        r.suggest_columns_from(&ds);
        assert_eq!((r.columns.group.as_deref(), r.columns.cluster.as_deref()), (Some("group"), Some("group_id")));
        let mut r = Recipe::default();
        r.suggest_columns(&names(&["school_id", "participant_id", "group"]));
        assert_eq!(r.columns.id.as_deref(), Some("participant_id"), "a school's id is not a person's");
        let ds = crate::core::ingest::read_csv(b"school,pre\nA,1\nA,2\nA,3\n", "t.csv").unwrap();
        let mut r = Recipe::default();
        r.suggest_columns_from(&ds);
        assert_eq!(r.columns.cluster, None, "a single school is no clustering");
        let r = Recipe::from_json(r#"{"columns":{"pre":"a"}}"#).unwrap();
        assert_eq!(r.columns.cluster, None, "older recipes load without the key");
    }

    #[test]
    fn suggests_roles_from_names() {
        let mut r = Recipe::default();
        r.suggest_columns(&names(&[
            "participant_id",
            "group",
            "stigma_pre",
            "stigma_post",
            "stigma_fu3m",
            "help_seeking_pre",
            "help_seeking_post",
            "age_band",
        ]));
        assert_eq!(r.columns.pre.as_deref(), Some("stigma_pre"));
        assert_eq!(r.columns.post.as_deref(), Some("stigma_post"));
        assert_eq!(r.columns.followup.as_deref(), Some("stigma_fu3m"));
        assert_eq!(r.columns.help_pre.as_deref(), Some("help_seeking_pre"));
        assert_eq!(r.columns.help_post.as_deref(), Some("help_seeking_post"));
        assert_eq!(r.columns.group.as_deref(), Some("group"));
        assert_eq!(r.columns.subgroup.as_deref(), Some("age_band"));
        let mut r = Recipe::default();
        r.suggest_columns(&names(&["Baseline score", "Endline score"]));
        assert_eq!(r.columns.pre.as_deref(), Some("Baseline score"));
        assert_eq!(r.columns.post.as_deref(), Some("Endline score"));
    }

    #[test]
    fn reading_settings_with_value_maps_and_long_layout_round_trip() {
        let text = r#"{"ingest":{"missing_codes":["NA"],
            "value_maps":{"q1":{"Don't know":null,"Strongly agree":5}},
            "long":{"id":"participant","wave":"time","waves":["pre","post","followup"]}}}"#;
        let r = Recipe::from_json(text).unwrap();
        let ingest = r.ingest.clone().unwrap();
        let q1 = &ingest.value_maps["q1"];
        assert_eq!(q1.get("Don't know"), Some(&None));
        assert_eq!(q1.get("Strongly agree"), Some(&Some(5.0)));
        let long = ingest.long.clone().unwrap();
        assert_eq!((long.id.as_str(), long.wave.as_str()), ("participant", "time"));
        assert_eq!(long.waves, Some(vec!["pre".to_string(), "post".into(), "followup".into()]));
        assert_eq!(Recipe::from_json(&r.to_json()).unwrap(), r);
        // Older recipes load without the keys, and empty ones are not written.
        let old = Recipe::from_json(r#"{"ingest":{"drop_unfinished":true}}"#).unwrap();
        let ingest = old.ingest.clone().unwrap();
        assert!(ingest.value_maps.is_empty() && ingest.long.is_none());
        assert!(!old.to_json().contains("value_maps") && !old.to_json().contains("\"long\""), "{}", old.to_json());
    }

    #[test]
    fn roles_naming_columns_no_longer_there_are_emptied() {
        let mut r = Recipe::default();
        r.columns.pre = Some("score".into());
        r.columns.id = Some("id".into());
        r.columns.cluster = Some("school".into());
        r.drop_roles_not_in(&names(&["id", "score_pre", "score_post", "school"]));
        assert_eq!(
            (r.columns.pre.as_deref(), r.columns.id.as_deref(), r.columns.cluster.as_deref()),
            (None, Some("id"), Some("school"))
        );
    }

    #[test]
    fn group_levels_are_guessed_from_the_words_of_real_exports() {
        let g = |a: &[&str]| {
            let l = guess_group_levels(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            (l.intervention, l.control)
        };
        let s = |x: &str| Some(x.to_string());
        assert_eq!(g(&["Workshop", "Waitlist"]), (s("Workshop"), s("Waitlist")));
        assert_eq!(g(&["Waiting list", "Peer workshop"]), (s("Peer workshop"), s("Waiting list")));
        assert_eq!(g(&["treatment", "control"]), (s("treatment"), s("control")));
        assert_eq!(g(&["Intervention", "Comparison"]), (s("Intervention"), s("Comparison")));
        assert_eq!(g(&["0", "1"]), (s("1"), s("0")));
        assert_eq!(g(&["program", "waitlist"]), (s("program"), s("waitlist")));
        assert_eq!(g(&["Usual care", "Peer-led program"]), (s("Peer-led program"), s("Usual care")));
        // A comparison word wins over a program word in the same answer.
        assert_eq!(g(&["No program (comparison)", "Program"]), (s("Program"), s("No program (comparison)")));
        // Nothing to go on, or two answers for one side: no guess for that side.
        assert_eq!(g(&["A", "B"]), (None, None));
        assert_eq!(g(&["Workshop 1", "Workshop 2", "Control"]), (None, s("Control")));
        assert_eq!(g(&["Programmer", "Controller"]), (None, None), "whole words only");
    }

    #[test]
    fn role_guesses_respect_what_the_columns_hold() {
        // A long file reshaped to one row per person: the timestamps of each wave are dates,
        // never the scores; an age group is a subgroup, not the arm; e-mail is never a role.
        let mut csv = String::from("Timestamp_Before,Timestamp_After,Email Address,Which age group are you in?,Which group are you in?,stigma_Before,stigma_After,Help_before,Help_after\n");
        for i in 0..24 {
            csv.push_str(&format!(
                "2024-03-{:02} 10:{:02}:00,2024-05-{:02} 11:{:02}:00,p{i}@example.org,{},{},{},{},{},{}\n",
                1 + i % 28,
                i % 60,
                1 + i % 28,
                i % 60,
                ["18-24", "25-34", "35-54", "55+"][i % 4],
                if i % 2 == 0 { "Workshop" } else { "Waitlist" },
                3.0 + (i % 5) as f64 * 0.25,
                2.5 + (i % 7) as f64 * 0.25,
                if i % 3 == 0 { "Yes" } else { "No" },
                if i % 2 == 0 { "Yes" } else { "No" },
            ));
        }
        let ds = crate::core::ingest::read_csv(csv.as_bytes(), "wide.csv").unwrap();
        let mut r = Recipe::default();
        r.suggest_columns_from(&ds);
        let c = &r.columns;
        assert_eq!(c.pre.as_deref(), Some("stigma_Before"), "{c:?}");
        assert_eq!(c.post.as_deref(), Some("stigma_After"), "{c:?}");
        assert_eq!(c.group.as_deref(), Some("Which group are you in?"), "{c:?}");
        assert_eq!(c.subgroup.as_deref(), Some("Which age group are you in?"), "{c:?}");
        let roles = [
            &c.id,
            &c.group,
            &c.pre,
            &c.post,
            &c.followup,
            &c.help_pre,
            &c.help_post,
            &c.subgroup,
            &c.dose,
            &c.cluster,
        ];
        let named: Vec<&str> = roles.iter().filter_map(|r| r.as_deref()).collect();
        let mut unique = named.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), named.len(), "one column, one role: {named:?}");
        assert!(!named.iter().any(|n| n.contains("Timestamp") || n.contains("Email")), "{named:?}");
        // Names alone (no data) would have taken the timestamp as the pre score.
        let mut by_name = Recipe::default();
        by_name.suggest_columns(&ds.column_names());
        assert_eq!(by_name.columns.pre.as_deref(), Some("Timestamp_Before"));
    }
}
