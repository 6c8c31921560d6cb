//! The one app state and its actions (Yew `Reducible`). Every change goes through
//! [`Action`]. Work is sent to the engine (a Web Worker) as a request with a sequence
//! number; its reply comes back as [`Action::Reply`] and only the newest one is shown.

use crate::core::analyses::Analysis;
use crate::core::dataset::DatasetSummary;
use crate::core::engine::demo::{demo_csv, demo_recipe, DEMO_FILE_NAME};
use crate::core::recipe::Recipe;
use crate::core::engine::service::{CostsSummary, Reply, Request};
use crate::core::ingest::link::settings::{CodeColumns, CodeList};
use crate::core::ingest::link::{LinkSettings, Wave};
use crate::core::planning::power::link::{from_query, to_fragment};
use crate::core::planning::power::PowerCase;
use crate::core::planning::simulate::{SimResult, SimSettings};
use crate::ui::browser::{download, set_fragment, text_blob};
use crate::ui::engine::Engine;
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Idle,
    Busy,
    Ready,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Idle => "idle",
            Status::Busy => "busy",
            Status::Ready => "ready",
            Status::Error => "error",
        }
    }
}

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
    pub const ALL: [Role; 10] =
        [Role::Pre, Role::Post, Role::Followup, Role::Group, Role::HelpPre, Role::HelpPost, Role::Subgroup, Role::Dose, Role::Cluster, Role::Id];

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

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub status: Status,
    pub dataset: Option<Rc<DatasetSummary>>,
    pub costs: Option<Rc<CostsSummary>>,
    pub recipe: Recipe,
    /// True once the user loaded a recipe: its roles are kept for new data, not re-guessed.
    pub recipe_from_user: bool,
    pub analysis: Option<Rc<Analysis>>,
    /// The last error, shown with role="alert".
    pub error: Option<String>,
    /// The current page, from the URL fragment.
    pub route: String,
    /// Long work under way: (share done, what).
    pub progress: Option<(f64, String)>,
    /// A file being read and analysed (its name and size), shown with a progress bar until
    /// the engine answers.
    pub reading: Option<String>,
    pub engine: Option<Rc<Engine>>,
    /// Number of the newest request; older replies are ignored.
    pub seq: u64,
    /// `performance.now()` when the first results were shown (start-up finished).
    pub ready_at: Option<f64>,
    /// The planner's current case (from the page or a planning link).
    pub plan: Option<PowerCase>,
    /// Why the last planning link could not be used.
    pub plan_error: Option<String>,
    /// The last teaching-mode simulation.
    pub sim: Option<Rc<SimResult>>,
    /// Wave files linked by participant code (files, waves, linkage, review panel).
    pub waves: Option<Rc<crate::core::engine::waves::WavesView>>,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            status: Status::Idle,
            dataset: None,
            costs: None,
            recipe: Recipe::default(),
            recipe_from_user: false,
            analysis: None,
            error: None,
            route: String::new(),
            progress: None,
            reading: None,
            engine: None,
            seq: 0,
            ready_at: None,
            plan: None,
            plan_error: None,
            waves: None,
            sim: None,
        }
    }
}

/// One change to the recipe's item-level scales (`items`: one object, or a list of them).
#[derive(Debug, Clone, PartialEq)]
pub enum ItemsEdit {
    /// Set (or with `Null` or `""`, remove) one key of scale `scale`.
    Set { scale: usize, key: String, value: serde_json::Value },
    /// Add or remove one column of a scale's explicit item list (`pre_columns` / `post_columns`).
    ToggleColumn { scale: usize, key: String, column: String },
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

fn apply_items_edit(items: &Option<serde_json::Value>, edit: ItemsEdit) -> Option<serde_json::Value> {
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

pub enum Action {
    /// The engine is running (set once at start-up).
    SetEngine(Rc<Engine>),
    /// Loads the built-in demo dataset.
    LoadDemo,
    /// Something started that will end in another action (file reading).
    Busy,
    /// A data file's contents arrived.
    LoadData { name: String, file: web_sys::Blob },
    /// Several data files chosen together: the waves of one study (linked by participant code).
    LoadWaves(Vec<(String, web_sys::Blob)>),
    /// One wave file added, or taking the place of the loaded wave file `replace`.
    AddWave { name: String, file: web_sys::Blob, replace: Option<String> },
    /// Which wave a loaded file is (`None`: not set).
    SetWave { file: String, wave: Option<Wave> },
    /// The code columns of a wave, joined in this order.
    SetCodeColumns { wave: Wave, columns: Vec<String> },
    /// A (pre code, later code) pair accepted (`true`) or rejected in the review panel.
    ReviewPair { pre: String, later: String, accept: bool },
    /// The largest code difference linked without asking (0 = equal codes only).
    SetMaxDistance(usize),
    /// A cost table's contents arrived.
    LoadCosts { name: String, file: web_sys::Blob },
    /// A community counts table's contents arrived.
    LoadCounts { name: String, file: web_sys::Blob },
    /// A recipe file's text arrived.
    LoadRecipe(String),
    SetRole(Role, Option<String>),
    /// The scale's reliability for reliable change (None clears it).
    SetRxx(Option<f64>),
    /// Keep (or again leave out) an identifying column in the cleaned-data export.
    ToggleKeepIdentifying(String),
    /// One edit of the reading settings, applied to the settings in force when it arrives (so
    /// quick successive edits are all kept); the file is read again.
    EditIngest(IngestEdit),
    /// One edit of the item-level scales, applied to the scales in force when it arrives.
    EditItems(ItemsEdit),
    /// Significance level (confidence level = 1 − alpha) for every test and interval.
    SetAlpha(Option<f64>),
    /// One edit of the process settings (rating columns, the population's composition),
    /// applied to the settings in force when it arrives.
    EditProcess(ProcessEdit),
    /// Number of bootstrap resamples for the cost interval.
    SetBootstrapB(u64),
    /// The share (0–1) each cost ingredient is varied by in the one-way sensitivity.
    SetSensitivity(f64),
    /// Stop the running bootstrap.
    Cancel,
    /// Ask for the cleaned data as CSV (downloaded when it arrives).
    CleanCsv,
    /// Forget every file and setting, here and in the engine.
    ClearAll,
    /// The engine answered.
    Reply(Reply),
    /// Reading something failed before the engine saw it.
    Failed(String),
    Route(String),
    /// The planner's case changed: solve it and mirror it in the URL fragment.
    SetPlan(PowerCase),
    /// Teaching mode: simulate studies in the worker.
    Simulate(SimSettings),
}

impl AppState {
    fn role_mut(&mut self, role: Role) -> &mut Option<String> {
        let c = &mut self.recipe.columns;
        match role {
            Role::Id => &mut c.id,
            Role::Group => &mut c.group,
            Role::Pre => &mut c.pre,
            Role::Post => &mut c.post,
            Role::Followup => &mut c.followup,
            Role::HelpPre => &mut c.help_pre,
            Role::HelpPost => &mut c.help_post,
            Role::Subgroup => &mut c.subgroup,
            Role::Dose => &mut c.dose,
            Role::Cluster => &mut c.cluster,
        }
    }

    pub fn role(&self, role: Role) -> Option<&str> {
        let c = &self.recipe.columns;
        match role {
            Role::Id => c.id.as_deref(),
            Role::Group => c.group.as_deref(),
            Role::Pre => c.pre.as_deref(),
            Role::Post => c.post.as_deref(),
            Role::Followup => c.followup.as_deref(),
            Role::HelpPre => c.help_pre.as_deref(),
            Role::HelpPost => c.help_post.as_deref(),
            Role::Subgroup => c.subgroup.as_deref(),
            Role::Dose => c.dose.as_deref(),
            Role::Cluster => c.cluster.as_deref(),
        }
    }

    /// Sends a request built with the next sequence number; the state is busy until it answers.
    fn send(&mut self, make: impl FnOnce(u64) -> Request, file: Option<web_sys::Blob>) {
        self.seq += 1;
        self.status = Status::Busy;
        match &self.engine {
            Some(engine) => engine.send(make(self.seq), file),
            None => {
                self.status = Status::Error;
                self.error = Some("Lantern's engine has not started; reload the page.".into());
            }
        }
    }

    /// Sets one key of the recipe's `cost_inputs` object (made when absent).
    fn set_cost_input(&mut self, key: &str, value: serde_json::Value) {
        let mut ci = match self.recipe.cost_inputs.take() {
            Some(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        ci.insert(key.into(), value);
        self.recipe.cost_inputs = Some(serde_json::Value::Object(ci));
    }

    fn reanalyse(&mut self) {
        let recipe = self.recipe.clone();
        self.send(|seq| Request::Analyse { seq, recipe }, None);
    }

    fn apply_reply(&mut self, reply: Reply) {
        match reply {
            Reply::Ready => {}
            Reply::Analysed { seq, dataset, costs, recipe, analysis, waves } if seq == self.seq => {
                self.dataset = dataset.map(Rc::new);
                self.costs = costs.map(Rc::new);
                self.recipe = recipe;
                self.analysis = analysis.map(Rc::new);
                self.waves = waves.map(Rc::new);
                self.progress = None;
                self.reading = None;
                self.status = if self.dataset.is_some() { Status::Ready } else { Status::Idle };
                if self.ready_at.is_none() {
                    self.ready_at = web_sys::window().and_then(|w| w.performance()).map(|p| p.now());
                }
            }
            Reply::Progress { seq, fraction, label } if seq == self.seq => {
                self.progress = Some((fraction, label));
                self.status = Status::Busy;
            }
            Reply::Failed { seq, message } if seq == self.seq || seq == 0 => {
                self.progress = None;
                self.reading = None;
                self.status = Status::Error;
                self.error = Some(message);
            }
            Reply::Restarted { message } => {
                // The fresh engine holds nothing: neither does the page (the settings stay).
                self.dataset = None;
                self.costs = None;
                self.analysis = None;
                self.sim = None;
                self.waves = None;
                self.progress = None;
                self.reading = None;
                self.status = Status::Error;
                self.error = Some(message);
            }
            Reply::Simulated { seq, result } if seq == self.seq => {
                self.sim = Some(Rc::new(result));
                self.progress = None;
                self.status = if self.dataset.is_some() { Status::Ready } else { Status::Idle };
            }
            Reply::CleanCsv { seq, name, text } if seq == self.seq => {
                self.status = if self.dataset.is_some() { Status::Ready } else { Status::Idle };
                if let Err(e) = download(&name, "text/csv", &text) {
                    self.status = Status::Error;
                    self.error = Some(e);
                }
            }
            _ => {} // an answer to an older request: a newer one is on its way
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::SetEngine(e) => s.engine = Some(e),
            Action::LoadDemo => {
                let recipe = if s.recipe_from_user { s.recipe.clone() } else { demo_recipe() };
                let keep_roles = s.recipe_from_user;
                s.error = None;
                match text_blob(&demo_csv()) {
                    Ok(file) => s.send(|seq| Request::LoadData { seq, name: DEMO_FILE_NAME.into(), recipe, keep_roles }, Some(file)),
                    Err(e) => s.error = Some(e),
                }
            }
            Action::Busy => s.status = Status::Busy,
            Action::LoadData { name, file } => {
                let mb = file.size() / 1e6;
                s.reading = Some(if mb >= 0.1 { format!("Reading and analysing “{name}” ({mb:.1} MB)") } else { format!("Reading and analysing “{name}”") });
                // Without a recipe from the user, the demo's settings do not describe the new file.
                let recipe = if s.recipe_from_user { s.recipe.clone() } else { Recipe::default() };
                let keep_roles = s.recipe_from_user;
                s.error = None;
                s.send(|seq| Request::LoadData { seq, name, recipe, keep_roles }, Some(file));
            }
            Action::LoadWaves(files) => {
                let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
                s.reading = Some(format!("Reading and linking “{}”", names.join("”, “")));
                // Without a recipe from the user, earlier settings do not describe the new files.
                if !s.recipe_from_user {
                    s.recipe = Recipe::default();
                }
                s.error = None;
                for (i, (name, file)) in files.into_iter().enumerate() {
                    let recipe = s.recipe.clone();
                    s.send(|seq| Request::LoadWave { seq, name, recipe, fresh: i == 0, replace: None }, Some(file));
                }
            }
            Action::AddWave { name, file, replace } => {
                s.reading = Some(format!("Reading “{name}” and linking the waves again"));
                let recipe = s.recipe.clone();
                s.error = None;
                s.send(|seq| Request::LoadWave { seq, name, recipe, fresh: false, replace }, Some(file));
            }
            Action::SetWave { file, wave } => {
                let link = s.recipe.link.get_or_insert_with(LinkSettings::default);
                link.waves.0.retain(|(_, f)| *f != file);
                if let Some(w) = wave {
                    link.waves.0.push((w.name().to_string(), file));
                }
                s.reanalyse();
            }
            Action::SetCodeColumns { wave, columns } => {
                let link = s.recipe.link.get_or_insert_with(LinkSettings::default);
                let mut map = match std::mem::take(&mut link.code) {
                    CodeColumns::PerWave(m) => m,
                    CodeColumns::All(list) => Wave::ALL.into_iter().map(|w| (w.name().to_string(), list.clone())).collect(),
                };
                if columns.is_empty() {
                    map.remove(wave.name());
                } else {
                    map.insert(wave.name().to_string(), CodeList::Many(columns));
                }
                link.code = CodeColumns::PerWave(map);
                s.reanalyse();
            }
            Action::ReviewPair { pre, later, accept } => {
                let link = s.recipe.link.get_or_insert_with(LinkSettings::default);
                let pair = serde_json::json!([pre, later]);
                link.accept.retain(|p| *p != pair);
                link.reject.retain(|p| *p != pair);
                if accept {
                    link.accept.push(pair);
                } else {
                    link.reject.push(pair);
                }
                s.reanalyse();
            }
            Action::SetMaxDistance(k) => {
                let link = s.recipe.link.get_or_insert_with(LinkSettings::default);
                link.max_distance = Some(serde_json::Value::from(k));
                s.reanalyse();
            }
            Action::LoadCosts { name, file } => {
                let recipe = s.recipe.clone();
                s.error = None;
                s.send(|seq| Request::LoadCosts { seq, name, recipe }, Some(file));
            }
            Action::LoadCounts { name, file } => {
                let recipe = s.recipe.clone();
                s.error = None;
                s.send(|seq| Request::LoadCounts { seq, name, recipe }, Some(file));
            }
            Action::LoadRecipe(text) => match Recipe::from_json(&text) {
                Ok(r) => {
                    s.recipe = r;
                    s.recipe_from_user = true;
                    s.error = None;
                    s.reanalyse();
                }
                Err(e) => {
                    s.status = Status::Error;
                    s.error = Some(e.to_string());
                }
            },
            Action::SetRole(role, col) => {
                *s.role_mut(role) = col;
                s.reanalyse();
            }
            Action::SetRxx(rxx) => {
                let mut inputs = s.recipe.rci_inputs.clone().unwrap_or_default();
                inputs.rxx = rxx.filter(|r| (0.0..1.0).contains(r));
                s.recipe.rci_inputs = Some(inputs);
                s.reanalyse();
            }
            Action::ToggleKeepIdentifying(col) => {
                let keep = &mut s.recipe.keep_identifying;
                match keep.iter().position(|c| *c == col) {
                    Some(i) => {
                        keep.remove(i);
                    }
                    None => keep.push(col),
                }
                s.reanalyse();
            }
            Action::EditItems(edit) => {
                s.recipe.items = apply_items_edit(&s.recipe.items, edit);
                if s.recipe.items.is_some() {
                    // Scores come from the items: single item columns guessed as pre/post must go.
                    s.recipe.columns.pre = None;
                    s.recipe.columns.post = None;
                }
                s.reanalyse();
            }
            Action::EditIngest(edit) => {
                let i = s.recipe.ingest.get_or_insert_with(Default::default);
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
                s.reanalyse();
            }
            Action::EditProcess(edit) => {
                let p = s.recipe.process.get_or_insert_with(Default::default);
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
                s.reanalyse();
            }
            Action::SetAlpha(a) => {
                s.recipe.alpha = a.filter(|a| *a > 0.0 && *a < 0.5);
                s.reanalyse();
            }
            Action::SetBootstrapB(b) => {
                s.set_cost_input("bootstrap_B", serde_json::Value::from(b.min(200_000)));
                s.reanalyse();
            }
            Action::SetSensitivity(share) => {
                s.set_cost_input("sensitivity", serde_json::Value::from(share.clamp(0.01, 0.99)));
                s.reanalyse();
            }
            Action::Cancel => {
                if let Some(e) = &s.engine {
                    e.send(Request::Cancel, None);
                }
            }
            Action::CleanCsv => s.send(|seq| Request::CleanCsv { seq }, None),
            Action::ClearAll => {
                let engine = s.engine.take();
                let route = std::mem::take(&mut s.route);
                let seq = s.seq;
                let ready_at = s.ready_at;
                let plan = s.plan.take();
                s = AppState { engine, route, seq, ready_at, plan, ..AppState::default() };
                s.send(|seq| Request::Reset { seq }, None);
            }
            Action::Reply(r) => s.apply_reply(r),
            Action::Failed(msg) => {
                s.reading = None;
                s.status = Status::Error;
                s.error = Some(msg);
            }
            Action::Route(r) => {
                if let Some(q) = r.strip_prefix("/plan?") {
                    match from_query(q) {
                        Ok(case) => {
                            s.plan = Some(case);
                            s.plan_error = None;
                        }
                        Err(e) => s.plan_error = Some(format!("This planning link could not be used: {e}")),
                    }
                }
                s.route = r;
            }
            Action::Simulate(settings) => s.send(|seq| Request::Simulate { seq, settings }, None),
            Action::SetPlan(case) => {
                set_fragment(&to_fragment(&case));
                s.route = to_fragment(&case).trim_start_matches('#').to_string();
                s.plan = Some(case);
                s.plan_error = None;
            }
        }
        Rc::new(s)
    }
}
