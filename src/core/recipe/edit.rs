//! Typed edits of the recipe ([`RecipeEdit`]): every change the page makes to the settings,
//! applied here by [`Recipe::apply`] (natively tested), so that a click in the page and a
//! recipe loaded from a file end in the same recipe through the same code. Ranges and caps
//! are those of [`super::settings`], written once.

use super::settings::{valid_alpha, BOOTSTRAP_MAX, SENSITIVITY_RANGE};
use super::{GroupLevels, Recipe};

/// Which column role a picker sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Id,
    Group,
    Pre,
    Post,
    Followup,
    HelpPre,
    HelpPost,
    Subgroup,
    Dose,
    Cluster,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Pre,
        Role::Post,
        Role::Followup,
        Role::Group,
        Role::HelpPre,
        Role::HelpPost,
        Role::Subgroup,
        Role::Dose,
        Role::Cluster,
        Role::Id,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Role::Id => "Participant ID",
            Role::Group => "Group (intervention / control)",
            Role::Pre => "Stigma score before (pre)",
            Role::Post => "Stigma score after (post)",
            Role::Followup => "Stigma score at follow-up",
            Role::HelpPre => "Sought help before (yes/no)",
            Role::HelpPost => "Sought help after (yes/no)",
            Role::Subgroup => "Subgroup (e.g. age band)",
            Role::Dose => "Sessions or hours attended (dose)",
            Role::Cluster => "Cluster (school, class, site) for the ICC",
        }
    }
}

/// One change to the recipe's item-level scales (`items`: one object, or a list of them).
#[derive(Debug, Clone, PartialEq)]
pub enum ItemsEdit {
    /// Set (or with `Null` or `""`, remove) one key of scale `scale`.
    Set {
        scale: usize,
        key: String,
        value: serde_json::Value,
    },
    /// Add or remove one column of a scale's explicit item list (`pre_columns` / `post_columns`).
    ToggleColumn {
        scale: usize,
        key: String,
        column: String,
    },
    /// Another scale or subscale from the same file.
    AddScale,
    RemoveScale(usize),
}

/// The recipe's `items` as a list of scale objects (one object, a list, or `{"scales": [...]}`).
pub fn item_scales(items: &Option<serde_json::Value>) -> Vec<serde_json::Map<String, serde_json::Value>> {
    use serde_json::Value;
    let list: Vec<Value> = match items {
        Some(Value::Array(a)) => a.clone(),
        Some(Value::Object(m)) => match m.get("scales") {
            Some(Value::Array(a)) => a.clone(),
            _ => vec![Value::Object(m.clone())],
        },
        _ => Vec::new(),
    };
    list.into_iter().filter_map(|v| if let Value::Object(m) = v { Some(m) } else { None }).collect()
}

pub fn apply_items_edit(items: &Option<serde_json::Value>, edit: ItemsEdit) -> Option<serde_json::Value> {
    use serde_json::Value;
    let mut scales = item_scales(items);
    if scales.is_empty() {
        scales.push(serde_json::Map::new());
    }
    match edit {
        ItemsEdit::Set { scale, key, value } => {
            if let Some(m) = scales.get_mut(scale) {
                if value.is_null() || value == Value::String(String::new()) || value == Value::Array(Vec::new()) {
                    m.remove(&key);
                } else {
                    m.insert(key, value);
                }
            }
        }
        ItemsEdit::ToggleColumn { scale, key, column } => {
            if let Some(m) = scales.get_mut(scale) {
                let mut cols: Vec<Value> = m.get(&key).and_then(|v| v.as_array().cloned()).unwrap_or_default();
                match cols.iter().position(|c| c.as_str() == Some(column.as_str())) {
                    Some(i) => {
                        cols.remove(i);
                    }
                    None => cols.push(Value::String(column)),
                }
                if cols.is_empty() {
                    m.remove(&key);
                } else {
                    m.insert(key, Value::Array(cols));
                }
            }
        }
        ItemsEdit::AddScale => {
            let mut m = serde_json::Map::new();
            let n = scales.iter().filter(|m| !m.is_empty()).count() + 1;
            m.insert("name".into(), Value::String(format!("Scale {n}")));
            scales.push(m);
        }
        ItemsEdit::RemoveScale(i) => {
            if i < scales.len() {
                scales.remove(i);
            }
        }
    }
    let scales: Vec<serde_json::Map<String, Value>> = scales.into_iter().filter(|m| !m.is_empty()).collect();
    match scales.len() {
        0 => None,
        1 => scales.into_iter().next().map(Value::Object),
        _ => Some(Value::Array(scales.into_iter().map(Value::Object).collect())),
    }
}

/// One change to the recipe's `process` settings.
#[derive(Debug, Clone, PartialEq)]
pub enum ProcessEdit {
    /// Add or remove a rating (satisfaction) column.
    ToggleRating(String),
    /// The top of a numeric rating scale (e.g. 5 or 10); `None` = read from the data.
    RatingMax(Option<f64>),
    /// The target population's share (or percentage, or count) of one subgroup level.
    Population(String, Option<f64>),
    /// What one unit of dose is ("session", "hour").
    DoseUnit(String),
}

/// One change to the recipe's reading settings (`ingest`); the file is read again with them.
#[derive(Debug, Clone, PartialEq)]
pub enum IngestEdit {
    /// The missing-value codes (blank cells always count).
    MissingCodes(Vec<String>),
    /// Leave out (or keep) responses the survey tool marks as unfinished.
    DropUnfinished(bool),
    /// The number of one answer of one column (`None` = read that answer as missing there).
    Answer { column: String, answer: String, value: Option<f64> },
    /// Forget the user's numbers for a column: the detected map is used again.
    ResetAnswers(String),
    /// Read a long file as one row per participant (`None` = as the file is).
    Long(Option<crate::core::ingest::reshape::LongLayout>),
}

/// One change to the recipe's `comments` settings, applied to the settings in force.
#[derive(Debug, Clone, PartialEq)]
pub enum CommentsEdit {
    /// Add or remove a comment column.
    ToggleColumn(String),
    /// A new code with its phrases (a free name is made when `name` is blank or taken).
    AddCode {
        name: String,
        phrases: Vec<String>,
    },
    /// Rename a code (its hand tags, description and quotes follow).
    RenameCode {
        from: String,
        to: String,
    },
    /// A code's phrases (`*` ends a stem).
    SetPhrases {
        code: String,
        phrases: Vec<String>,
    },
    SetDescription {
        code: String,
        description: String,
    },
    RemoveCode(String),
    /// Add the starter codebook's codes that are not there yet.
    AddStarter,
    /// Add or remove a hand-given code on one comment (1-based row).
    ToggleManual {
        column: String,
        row: usize,
        code: String,
    },
    /// Star (or unstar) a comment as a quote for the report.
    ToggleQuote {
        column: String,
        row: usize,
    },
    /// Words removed from quotes and exports (names of staff, places).
    RedactWords(Vec<String>),
    /// The stop-word list of the frequencies (`None` = the default list).
    StopWords(Option<Vec<String>>),
}

/// Applies one edit to the recipe's `comments`.
pub fn apply_comments_edit(c: &mut super::comments::CommentsRecipe, edit: CommentsEdit) {
    use super::starter::STARTER_CODEBOOK;
    match edit {
        CommentsEdit::ToggleColumn(col) => toggle(&mut c.columns, col),
        CommentsEdit::AddCode { name, phrases } => {
            let taken = |n: &str| c.codebook.0.iter().any(|(k, _)| k == n);
            let mut name = name.trim().to_string();
            if name.is_empty() || taken(&name) {
                let base = if name.is_empty() { "code".to_string() } else { name.clone() };
                let mut i = 1;
                while taken(&format!("{base} {i}")) {
                    i += 1;
                }
                name = format!("{base} {i}");
            }
            c.codebook
                .0
                .push((name, phrases.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()));
        }
        CommentsEdit::RenameCode { from, to } => {
            let to = to.trim().to_string();
            for (k, _) in c.codebook.0.iter_mut().filter(|(k, _)| *k == from) {
                *k = to.clone();
            }
            for (k, _) in c.descriptions.0.iter_mut().filter(|(k, _)| *k == from) {
                *k = to.clone();
            }
            for (_, rows) in c.manual.0.iter_mut() {
                for (_, codes) in rows.0.iter_mut() {
                    for code in codes.iter_mut().filter(|x| **x == from) {
                        *code = to.clone();
                    }
                }
            }
        }
        CommentsEdit::SetPhrases { code, phrases } => {
            *c.codebook.entry(&code) =
                phrases.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
        }
        CommentsEdit::SetDescription { code, description } => {
            if description.trim().is_empty() {
                c.descriptions.remove(&code);
            } else {
                *c.descriptions.entry(&code) = description.trim().to_string();
            }
        }
        CommentsEdit::RemoveCode(code) => {
            c.codebook.remove(&code);
            c.descriptions.remove(&code);
            for (_, rows) in c.manual.0.iter_mut() {
                for (_, codes) in rows.0.iter_mut() {
                    codes.retain(|x| *x != code);
                }
                rows.0.retain(|(_, codes)| !codes.is_empty());
            }
            c.manual.0.retain(|(_, rows)| !rows.is_empty());
        }
        CommentsEdit::AddStarter => {
            for s in STARTER_CODEBOOK {
                if c.codebook.get(s.code).is_none() {
                    c.codebook.0.push((s.code.to_string(), s.phrases.iter().map(|p| p.to_string()).collect()));
                    *c.descriptions.entry(s.code) = s.description.to_string();
                }
            }
        }
        CommentsEdit::ToggleManual { column, row, code } => {
            let rows = c.manual.entry(&column);
            toggle(rows.entry(&row.to_string()), code);
            rows.0.retain(|(_, codes)| !codes.is_empty());
            c.manual.0.retain(|(_, rows)| !rows.is_empty());
        }
        CommentsEdit::ToggleQuote { column, row } => {
            toggle(c.quotes.entry(&column), row);
            c.quotes.0.retain(|(_, rows)| !rows.is_empty());
        }
        CommentsEdit::RedactWords(words) => {
            c.redact = words.into_iter().map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect()
        }
        CommentsEdit::StopWords(words) => c.stop_words = words,
    }
}

/// One change to the recipe, as the page makes it.
#[derive(Debug, Clone, PartialEq)]
pub enum RecipeEdit {
    /// A column role (`None` clears it). Choosing another group column forgets the answers
    /// chosen for the old one.
    Role(Role, Option<String>),
    /// Which answer of the group column means the program / the comparison group (`None`:
    /// let Lantern guess).
    GroupLevels {
        intervention: Option<String>,
        control: Option<String>,
    },
    /// The scale's reliability for reliable change (`None` or out of (0, 1) clears it).
    Rxx(Option<f64>),
    /// Keep (or again leave out) an identifying column in the cleaned-data export.
    ToggleKeepIdentifying(String),
    /// Confirm (or take back) that a *possibly* identifying column identifies people: it is
    /// then left out of the cleaned-data export.
    ToggleLeaveOutPossible(String),
    Items(ItemsEdit),
    Ingest(IngestEdit),
    Process(ProcessEdit),
    /// Significance level (`None` or out of range: the default).
    Alpha(Option<f64>),
    /// Bootstrap resamples for the cost interval (capped at [`BOOTSTRAP_MAX`]).
    BootstrapB(u64),
    /// The share each cost ingredient is varied by in the one-way sensitivity.
    Sensitivity(f64),
    /// The comment columns, codebook, hand tags, quotes and word lists (CONTRACT §6).
    Comments(CommentsEdit),
}

impl super::Columns {
    /// The column of a role.
    pub fn role(&self, role: Role) -> Option<&str> {
        match role {
            Role::Id => self.id.as_deref(),
            Role::Group => self.group.as_deref(),
            Role::Pre => self.pre.as_deref(),
            Role::Post => self.post.as_deref(),
            Role::Followup => self.followup.as_deref(),
            Role::HelpPre => self.help_pre.as_deref(),
            Role::HelpPost => self.help_post.as_deref(),
            Role::Subgroup => self.subgroup.as_deref(),
            Role::Dose => self.dose.as_deref(),
            Role::Cluster => self.cluster.as_deref(),
        }
    }

    fn role_mut(&mut self, role: Role) -> &mut Option<String> {
        match role {
            Role::Id => &mut self.id,
            Role::Group => &mut self.group,
            Role::Pre => &mut self.pre,
            Role::Post => &mut self.post,
            Role::Followup => &mut self.followup,
            Role::HelpPre => &mut self.help_pre,
            Role::HelpPost => &mut self.help_post,
            Role::Subgroup => &mut self.subgroup,
            Role::Dose => &mut self.dose,
            Role::Cluster => &mut self.cluster,
        }
    }
}

impl Recipe {
    /// Applies one edit made in the page.
    pub fn apply(&mut self, edit: RecipeEdit) {
        match edit {
            RecipeEdit::Role(role, col) => {
                if role == Role::Group && self.columns.role(Role::Group) != col.as_deref() {
                    // Another group column: its answers are not the old column's.
                    self.group_levels = None;
                }
                *self.columns.role_mut(role) = col;
            }
            RecipeEdit::GroupLevels { intervention, control } => {
                self.group_levels =
                    (intervention.is_some() || control.is_some()).then_some(GroupLevels { intervention, control });
            }
            RecipeEdit::Rxx(rxx) => {
                let mut inputs = self.rci_inputs.clone().unwrap_or_default();
                inputs.rxx = rxx.filter(|r| *r > 0.0 && *r < 1.0);
                self.rci_inputs = Some(inputs);
            }
            RecipeEdit::ToggleKeepIdentifying(col) => toggle(&mut self.keep_identifying, col),
            RecipeEdit::ToggleLeaveOutPossible(col) => toggle(&mut self.leave_out_possible, col),
            RecipeEdit::Items(edit) => {
                self.items = apply_items_edit(&self.items, edit);
                if self.items.is_some() {
                    // Scores come from the items: single item columns guessed as pre/post must go.
                    self.columns.pre = None;
                    self.columns.post = None;
                }
            }
            RecipeEdit::Ingest(edit) => {
                let i = self.ingest.get_or_insert_with(Default::default);
                match edit {
                    IngestEdit::MissingCodes(codes) => i.missing_codes = Some(codes),
                    IngestEdit::DropUnfinished(on) => i.drop_unfinished = Some(on),
                    IngestEdit::Answer { column, answer, value } => {
                        i.value_maps.entry(column).or_default().insert(answer, value.filter(|v| v.is_finite()));
                    }
                    IngestEdit::ResetAnswers(column) => {
                        i.value_maps.remove(&column);
                    }
                    IngestEdit::Long(long) => i.long = long,
                }
            }
            RecipeEdit::Process(edit) => {
                let p = self.process.get_or_insert_with(Default::default);
                match edit {
                    ProcessEdit::ToggleRating(col) => match p.satisfaction.iter().position(|c| *c == col) {
                        Some(i) => {
                            p.satisfaction.remove(i);
                        }
                        None => p.satisfaction.push(col),
                    },
                    ProcessEdit::RatingMax(v) => p.satisfaction_max = v.filter(|v| v.is_finite() && *v > 0.0),
                    ProcessEdit::Population(level, v) => match v.filter(|v| v.is_finite() && *v > 0.0) {
                        Some(v) => {
                            p.population.insert(level, v);
                        }
                        None => {
                            p.population.remove(&level);
                        }
                    },
                    ProcessEdit::DoseUnit(u) => p.dose_unit = Some(u).filter(|u| !u.trim().is_empty()),
                }
            }
            RecipeEdit::Alpha(a) => self.alpha = a.filter(|a| valid_alpha(*a)),
            RecipeEdit::BootstrapB(b) => {
                self.set_cost_input("bootstrap_B", serde_json::Value::from(b.min(BOOTSTRAP_MAX)))
            }
            RecipeEdit::Sensitivity(share) => self.set_cost_input(
                "sensitivity",
                serde_json::Value::from(share.clamp(SENSITIVITY_RANGE.0, SENSITIVITY_RANGE.1)),
            ),
            RecipeEdit::Comments(edit) => apply_comments_edit(&mut self.comments, edit),
        }
    }

    /// Sets one key of the recipe's `cost_inputs` object (made when absent).
    fn set_cost_input(&mut self, key: &str, value: serde_json::Value) {
        let mut ci = match self.cost_inputs.take() {
            Some(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        ci.insert(key.into(), value);
        self.cost_inputs = Some(serde_json::Value::Object(ci));
    }
}

/// Adds `item` to `list`, or removes it when it is there.
fn toggle<T: PartialEq>(list: &mut Vec<T>, item: T) {
    match list.iter().position(|c| *c == item) {
        Some(i) => {
            list.remove(i);
        }
        None => list.push(item),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_edits_keep_tags_quotes_and_names_consistent() {
        use CommentsEdit::*;
        let mut r = Recipe::default();
        let edit = |r: &mut Recipe, e: CommentsEdit| r.apply(RecipeEdit::Comments(e));
        edit(&mut r, ToggleColumn("why".into()));
        edit(&mut r, AddCode { name: "help".into(), phrases: vec![" help* ".into(), "".into()] });
        edit(&mut r, AddCode { name: "help".into(), phrases: vec!["support".into()] });
        edit(&mut r, AddCode { name: " ".into(), phrases: vec![] });
        let names: Vec<&str> = r.comments.codebook.0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["help", "help 1", "code 1"]);
        assert_eq!(r.comments.codebook.get("help"), Some(&vec!["help*".to_string()]));
        edit(&mut r, ToggleManual { column: "why".into(), row: 3, code: "help".into() });
        edit(&mut r, ToggleQuote { column: "why".into(), row: 3 });
        edit(&mut r, RenameCode { from: "help".into(), to: " seeking help ".into() });
        assert!(r.comments.codebook.get("seeking help").is_some() && r.comments.codebook.get("help").is_none());
        assert_eq!(r.comments.manual.0[0].1 .0[0].1, vec!["seeking help".to_string()]);
        edit(&mut r, RemoveCode("seeking help".into()));
        assert!(r.comments.manual.0.is_empty(), "a removed code leaves no empty hand tags");
        assert_eq!(r.comments.quotes.0[0].1, vec![3], "quotes are not codes: they stay");
        edit(&mut r, ToggleQuote { column: "why".into(), row: 3 });
        assert!(r.comments.quotes.0.is_empty());
        edit(&mut r, AddStarter);
        let n = r.comments.codebook.0.len();
        edit(&mut r, AddStarter);
        assert_eq!(r.comments.codebook.0.len(), n, "the starter codes are added once");
        assert_eq!(n, 2 + super::super::starter::STARTER_CODEBOOK.len());
        edit(&mut r, ToggleColumn("why".into()));
        assert!(r.comments.columns.is_empty());
    }

    #[test]
    fn a_click_and_a_recipe_file_give_the_same_recipe() {
        let mut r = Recipe::default();
        r.apply(RecipeEdit::Role(Role::Group, Some("arm".into())));
        r.apply(RecipeEdit::GroupLevels { intervention: Some("Workshop".into()), control: Some("Waitlist".into()) });
        r.apply(RecipeEdit::Role(Role::Pre, Some("s_pre".into())));
        r.apply(RecipeEdit::Alpha(Some(0.1)));
        r.apply(RecipeEdit::Rxx(Some(0.8)));
        let file = Recipe::from_json(
            r#"{"columns":{"group":"arm","pre":"s_pre"},"group_levels":{"intervention":"Workshop","control":"Waitlist"},"alpha":0.1,"rci_inputs":{"rxx":0.8}}"#,
        )
        .unwrap();
        assert_eq!(r, file);
    }

    #[test]
    fn edits_keep_to_the_ranges_written_once() {
        let mut r = Recipe::default();
        r.apply(RecipeEdit::Alpha(Some(0.7)));
        assert_eq!((r.alpha, r.alpha()), (None, 0.05), "alpha above the range is refused, as from a file");
        assert_eq!(Recipe::from_json(r#"{"alpha":0.7}"#).unwrap().alpha(), 0.05);
        r.apply(RecipeEdit::BootstrapB(10_000_000));
        assert_eq!(r.cost_inputs.as_ref().unwrap()["bootstrap_B"], BOOTSTRAP_MAX);
        r.apply(RecipeEdit::Rxx(Some(1.0)));
        assert_eq!(r.rci_inputs.as_ref().unwrap().rxx, None);
        // Another group column forgets the old column's answers.
        r.apply(RecipeEdit::Role(Role::Group, Some("a".into())));
        r.apply(RecipeEdit::GroupLevels { intervention: Some("x".into()), control: None });
        r.apply(RecipeEdit::Role(Role::Group, Some("b".into())));
        assert_eq!(r.group_levels, None);
        // Items replace single pre/post columns; toggling a column twice leaves nothing.
        r.apply(RecipeEdit::Role(Role::Pre, Some("q_pre".into())));
        r.apply(RecipeEdit::Items(ItemsEdit::ToggleColumn {
            scale: 0,
            key: "pre_columns".into(),
            column: "q1".into(),
        }));
        assert_eq!(r.columns.pre, None);
        r.apply(RecipeEdit::Items(ItemsEdit::ToggleColumn {
            scale: 0,
            key: "pre_columns".into(),
            column: "q1".into(),
        }));
        assert_eq!(r.items, None);
        r.apply(RecipeEdit::ToggleKeepIdentifying("email".into()));
        r.apply(RecipeEdit::ToggleKeepIdentifying("email".into()));
        assert!(r.keep_identifying.is_empty());
    }
}
