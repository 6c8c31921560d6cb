//! The one app state and its actions (Yew `Reducible`). Every change goes through
//! [`Action`]. Work is sent to the engine (a Web Worker) as a request with a sequence
//! number; its reply comes back as [`Action::Reply`] and only the newest one is shown.

use crate::core::analyses::comments::view::{CommentsQuery, CommentsView};
use crate::core::analyses::Analysis;
use crate::core::engine::demo::{demo_csv, demo_recipe, DEMO_FILE_NAME};
use crate::core::engine::service::{CostsSummary, Reply, Request};
use crate::core::ingest::link::settings::{CodeColumns, CodeList};
use crate::core::ingest::link::{LinkSettings, Wave};
use crate::core::ingest::profile::DatasetSummary;
use crate::core::planning::power::link::{from_query, to_fragment};
use crate::core::planning::power::PowerCase;
use crate::core::planning::simulate::{SimResult, SimSettings};
pub use crate::core::recipe::edit::{item_scales, IngestEdit, ItemsEdit, ProcessEdit, Role};
use crate::core::recipe::edit::{CommentsEdit, RecipeEdit};
use crate::core::recipe::Recipe;
use crate::ui::browser::{download, set_fragment, text_blob};
use crate::ui::combine::{Combine, CombineEdit};
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
    /// Combine sites: the sites' results files and their pooled document.
    pub combine: Rc<Combine>,
    /// The Comments part's view (comment browser, frequencies, starred quotes) from the engine.
    pub comments: Option<Rc<CommentsView>>,
    /// What the comment browser shows (search, filters, page).
    pub comments_query: CommentsQuery,
    /// Number of the newest comments-view request (a sequence of its own).
    pub comments_seq: u64,
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
            combine: Rc::new(Combine::default()),
            comments: None,
            comments_query: CommentsQuery::default(),
            comments_seq: 0,
        }
    }
}

pub enum Action {
    /// The engine is running (set once at start-up).
    SetEngine(Rc<Engine>),
    /// Loads the built-in demo dataset.
    LoadDemo,
    /// Something started that will end in another action (file reading).
    Busy,
    /// A data file's contents arrived.
    LoadData {
        name: String,
        file: web_sys::Blob,
    },
    /// Several data files chosen together: the waves of one study (linked by participant code).
    LoadWaves(Vec<(String, web_sys::Blob)>),
    /// One wave file added, or taking the place of the loaded wave file `replace`.
    AddWave {
        name: String,
        file: web_sys::Blob,
        replace: Option<String>,
    },
    /// Which wave a loaded file is (`None`: not set).
    SetWave {
        file: String,
        wave: Option<Wave>,
    },
    /// The code columns of a wave, joined in this order.
    SetCodeColumns {
        wave: Wave,
        columns: Vec<String>,
    },
    /// A (pre code, later code) pair accepted (`true`) or rejected in the review panel.
    ReviewPair {
        pre: String,
        later: String,
        accept: bool,
    },
    /// The largest code difference linked without asking (0 = equal codes only).
    SetMaxDistance(usize),
    /// A cost table's contents arrived.
    LoadCosts {
        name: String,
        file: web_sys::Blob,
    },
    /// A community counts table's contents arrived.
    LoadCounts {
        name: String,
        file: web_sys::Blob,
    },
    /// A recipe file's text arrived.
    LoadRecipe(String),
    SetRole(Role, Option<String>),
    /// Which answer of the group column means the program group / the comparison group
    /// (`None`: let Lantern guess).
    SetGroupLevels {
        intervention: Option<String>,
        control: Option<String>,
    },
    /// The scale's reliability for reliable change (None clears it).
    SetRxx(Option<f64>),
    /// Keep (or again leave out) an identifying column in the cleaned-data export.
    ToggleKeepIdentifying(String),
    /// Confirm that a possibly identifying column identifies people (left out of exports).
    ToggleLeaveOutPossible(String),
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
    /// Ask for the cleaned data's dictionary as CSV (downloaded when it arrives).
    DataDictionary,
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
    /// One change to the combined sites (files added or removed, a site renamed, the model).
    EditCombine(CombineEdit),
    /// One edit of the comment settings (columns, codebook, hand tags, quotes, word lists),
    /// applied to the settings in force; everything is coded again.
    EditComments(CommentsEdit),
    /// What the comment browser shows (search, filters, page): asks the engine for that view.
    CommentsQuery(CommentsQuery),
    /// Download the coded comments as CSV (`true`: the text as written, else redacted).
    CommentsCsv(bool),
}

impl AppState {
    pub fn role(&self, role: Role) -> Option<&str> {
        self.recipe.columns.role(role)
    }

    /// Applies one settings edit (core's `Recipe::apply`) and analyses again.
    fn edit(&mut self, edit: RecipeEdit) {
        self.recipe.apply(edit);
        self.reanalyse();
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

    /// Asks the engine for the Comments part's view (its own sequence: it never makes an
    /// analysis reply stale, nor the status busy).
    fn request_comments(&mut self) {
        self.comments_seq += 1;
        let (seq, query) = (self.comments_seq, self.comments_query.clone());
        if let Some(engine) = &self.engine {
            engine.send(Request::Comments { seq, query }, None);
        }
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
                if self.dataset.is_some() {
                    self.request_comments();
                } else {
                    self.comments = None;
                }
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
                self.comments = None;
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
            Reply::Comments { seq, view } if seq == self.comments_seq => {
                self.comments = Some(Rc::new(*view));
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
                    Ok(file) => s.send(
                        |seq| Request::LoadData { seq, name: DEMO_FILE_NAME.into(), recipe, keep_roles },
                        Some(file),
                    ),
                    Err(e) => s.error = Some(e),
                }
            }
            Action::Busy => s.status = Status::Busy,
            Action::LoadData { name, file } => {
                let mb = file.size() / 1e6;
                s.reading = Some(if mb >= 0.1 {
                    format!("Reading and analysing “{name}” ({mb:.1} MB)")
                } else {
                    format!("Reading and analysing “{name}”")
                });
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
                let last = files.len().saturating_sub(1);
                for (i, (name, file)) in files.into_iter().enumerate() {
                    let recipe = s.recipe.clone();
                    let (fresh, more) = (i == 0, i < last);
                    s.send(|seq| Request::LoadWave { seq, name, recipe, fresh, replace: None, more }, Some(file));
                }
            }
            Action::AddWave { name, file, replace } => {
                s.reading = Some(format!("Reading “{name}” and linking the waves again"));
                let recipe = s.recipe.clone();
                s.error = None;
                s.send(|seq| Request::LoadWave { seq, name, recipe, fresh: false, replace, more: false }, Some(file));
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
                    CodeColumns::All(list) => {
                        Wave::ALL.into_iter().map(|w| (w.name().to_string(), list.clone())).collect()
                    }
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
            // Every edit of the settings is applied by core (`Recipe::apply`), then analysed again.
            Action::SetRole(role, col) => s.edit(RecipeEdit::Role(role, col)),
            Action::SetGroupLevels { intervention, control } => {
                s.edit(RecipeEdit::GroupLevels { intervention, control })
            }
            Action::SetRxx(rxx) => s.edit(RecipeEdit::Rxx(rxx)),
            Action::ToggleKeepIdentifying(col) => s.edit(RecipeEdit::ToggleKeepIdentifying(col)),
            Action::ToggleLeaveOutPossible(col) => s.edit(RecipeEdit::ToggleLeaveOutPossible(col)),
            Action::EditItems(edit) => s.edit(RecipeEdit::Items(edit)),
            Action::EditIngest(edit) => s.edit(RecipeEdit::Ingest(edit)),
            Action::EditProcess(edit) => s.edit(RecipeEdit::Process(edit)),
            Action::SetAlpha(a) => s.edit(RecipeEdit::Alpha(a)),
            Action::SetBootstrapB(b) => s.edit(RecipeEdit::BootstrapB(b)),
            Action::SetSensitivity(share) => s.edit(RecipeEdit::Sensitivity(share)),
            Action::Cancel => {
                if let Some(e) = &s.engine {
                    e.send(Request::Cancel, None);
                }
            }
            Action::CleanCsv => s.send(|seq| Request::CleanCsv { seq }, None),
            Action::DataDictionary => s.send(|seq| Request::DataDictionary { seq }, None),
            Action::ClearAll => {
                let engine = s.engine.take();
                let route = std::mem::take(&mut s.route);
                let seq = s.seq;
                let ready_at = s.ready_at;
                let plan = s.plan.take();
                let comments_seq = s.comments_seq;
                s = AppState { engine, route, seq, ready_at, plan, comments_seq, ..AppState::default() };
                s.send(|seq| Request::Reset { seq }, None);
            }
            Action::EditCombine(edit) => s.combine = Rc::new(s.combine.apply(edit)),
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
            Action::EditComments(edit) => {
                s.recipe.apply(RecipeEdit::Comments(edit));
                s.reanalyse();
            }
            Action::CommentsQuery(query) => {
                s.comments_query = query;
                s.request_comments();
            }
            Action::CommentsCsv(original) => s.send(|seq| Request::CommentsCsv { seq, original }, None),
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
