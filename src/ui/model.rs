//! The app's one state, its actions and its transition, as plain data and one pure function:
//! [`step`]`(&state, action) → (state, effects)`. Nothing here touches the browser: files and
//! the engine are opaque handles chosen by a [`Host`] (`web_sys::Blob` and the worker handle in
//! the page, plain values in the native tests), so every transition is tested natively
//! (`model/tests.rs`). What the transition wants done outside the state — post a request to
//! the engine, offer a download, write the URL fragment — it returns as [`Effect`]s, and
//! `ui::state` (the Yew `Reducible`) performs them right after the step, in order.
//!
//! Work is sent to the engine as a request with a sequence number; its reply comes back as
//! [`Action::Reply`] and only the newest one is shown.

pub mod combine;
#[cfg(test)]
mod tests;

use crate::core::analyses::comments::view::{CommentsQuery, CommentsView};
use crate::core::analyses::Analysis;
use crate::core::engine::demo::{demo_csv, demo_recipe, DEMO_FILE_NAME};
use crate::core::engine::service::{CostsSummary, Reply, Request};
use crate::core::engine::waves::WavesView;
use crate::core::ingest::link::settings::{CodeColumns, CodeList};
use crate::core::ingest::link::{LinkSettings, Wave};
use crate::core::ingest::profile::DatasetSummary;
use crate::core::planning::power::link::{from_query, to_fragment};
use crate::core::planning::power::PowerCase;
use crate::core::planning::simulate::{SimResult, SimSettings};
pub use crate::core::recipe::edit::{item_scales, IngestEdit, ItemsEdit, ProcessEdit, Role};
use crate::core::recipe::edit::{CommentsEdit, RecipeEdit};
use crate::core::recipe::Recipe;
use combine::{Combine, CombineEdit};
use std::fmt::Debug;
use std::rc::Rc;

/// The handles the state carries without looking inside them.
pub trait Host: Clone + PartialEq + Debug {
    /// A file chosen by the user (or text made in the page), read by the engine.
    type File: Clone + PartialEq + Debug;
    /// The running engine (requests are posted to it).
    type Engine: Clone + PartialEq + Debug;
    /// A file's size in bytes (for the progress label).
    fn size(file: &Self::File) -> f64;
}

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
pub struct AppState<H: Host> {
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
    pub engine: Option<H::Engine>,
    /// Number of the newest request; older replies are ignored.
    pub seq: u64,
    /// True once the first results were shown (start-up finished; the page marks the time).
    pub results_shown: bool,
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
    pub waves: Option<Rc<WavesView>>,
}

impl<H: Host> Default for AppState<H> {
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
            results_shown: false,
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

impl<H: Host> AppState<H> {
    pub fn role(&self, role: Role) -> Option<&str> {
        self.recipe.columns.role(role)
    }
}

pub enum Action<H: Host> {
    /// The engine is running (set once at start-up).
    SetEngine(H::Engine),
    /// Loads the built-in demo dataset.
    LoadDemo,
    /// Something started that will end in another action (file reading).
    Busy,
    /// A data file's contents arrived.
    LoadData {
        name: String,
        file: H::File,
    },
    /// Several data files chosen together: the waves of one study (linked by participant code).
    LoadWaves(Vec<(String, H::File)>),
    /// One wave file added, or taking the place of the loaded wave file `replace`.
    AddWave {
        name: String,
        file: H::File,
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
        file: H::File,
    },
    /// A community counts table's contents arrived.
    LoadCounts {
        name: String,
        file: H::File,
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

impl<H: Host> Action<H> {
    /// The settings edit an action is (applied by core's `Recipe::apply`, then analysed
    /// again), or the action itself when it is something else (boxed: a reply is large).
    fn into_recipe_edit(self) -> Result<RecipeEdit, Box<Self>> {
        Ok(match self {
            Action::SetRole(role, col) => RecipeEdit::Role(role, col),
            Action::SetGroupLevels { intervention, control } => RecipeEdit::GroupLevels { intervention, control },
            Action::SetRxx(rxx) => RecipeEdit::Rxx(rxx),
            Action::ToggleKeepIdentifying(col) => RecipeEdit::ToggleKeepIdentifying(col),
            Action::ToggleLeaveOutPossible(col) => RecipeEdit::ToggleLeaveOutPossible(col),
            Action::EditItems(edit) => RecipeEdit::Items(edit),
            Action::EditIngest(edit) => RecipeEdit::Ingest(edit),
            Action::EditProcess(edit) => RecipeEdit::Process(edit),
            Action::SetAlpha(a) => RecipeEdit::Alpha(a),
            Action::SetBootstrapB(b) => RecipeEdit::BootstrapB(b),
            Action::SetSensitivity(share) => RecipeEdit::Sensitivity(share),
            Action::EditComments(edit) => RecipeEdit::Comments(edit),
            other => return Err(Box::new(other)),
        })
    }
}

/// What a transition asks the page to do; performed in order, right after the step.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect<H: Host> {
    /// Post a request to the engine, with the file it reads.
    Post(Request, Option<Attachment<H::File>>),
    /// Offer text as a file download.
    Download { name: String, mime: &'static str, text: String },
    /// Replace the URL fragment (no reload, no history entry, no request).
    SetUrl(String),
}

/// The file a request reads: one the user chose, or text made in the page (the demo data).
#[derive(Debug, Clone, PartialEq)]
pub enum Attachment<F> {
    File(F),
    Text(String),
}

/// The transition: the state after `action`, and what the page is to do for it. Pure.
pub fn step<H: Host>(state: &AppState<H>, action: Action<H>) -> (AppState<H>, Vec<Effect<H>>) {
    let mut t = Transition { s: state.clone(), effects: Vec::new() };
    match action.into_recipe_edit() {
        Ok(edit) => t.edit(edit),
        Err(action) => t.apply(*action),
    }
    (t.s, t.effects)
}

/// A state being changed and the effects collected on the way.
struct Transition<H: Host> {
    s: AppState<H>,
    effects: Vec<Effect<H>>,
}

impl<H: Host> Transition<H> {
    fn apply(&mut self, action: Action<H>) {
        let s = &mut self.s;
        match action {
            Action::SetEngine(e) => s.engine = Some(e),
            Action::LoadDemo => self.load_demo(),
            Action::Busy => s.status = Status::Busy,
            Action::LoadData { name, file } => self.load_data(name, file),
            Action::LoadWaves(files) => self.load_waves(files),
            Action::AddWave { name, file, replace } => self.add_wave(name, file, replace),
            Action::SetWave { file, wave } => self.edit_link(|link| {
                link.waves.0.retain(|(_, f)| *f != file);
                if let Some(w) = wave {
                    link.waves.0.push((w.name().to_string(), file));
                }
            }),
            Action::SetCodeColumns { wave, columns } => self.edit_link(|link| set_code_columns(link, wave, columns)),
            Action::ReviewPair { pre, later, accept } => self.edit_link(|link| {
                let pair = serde_json::json!([pre, later]);
                link.accept.retain(|p| *p != pair);
                link.reject.retain(|p| *p != pair);
                let list = if accept { &mut link.accept } else { &mut link.reject };
                list.push(pair);
            }),
            Action::SetMaxDistance(k) => self.edit_link(|link| link.max_distance = Some(serde_json::Value::from(k))),
            Action::LoadCosts { name, file } => {
                self.load_table(|seq, recipe| Request::LoadCosts { seq, name, recipe }, file)
            }
            Action::LoadCounts { name, file } => {
                self.load_table(|seq, recipe| Request::LoadCounts { seq, name, recipe }, file)
            }
            Action::LoadRecipe(text) => self.load_recipe(&text),
            Action::Cancel => self.post(Request::Cancel),
            Action::CleanCsv => self.send(|seq| Request::CleanCsv { seq }, None),
            Action::DataDictionary => self.send(|seq| Request::DataDictionary { seq }, None),
            Action::ClearAll => self.clear_all(),
            Action::EditCombine(edit) => s.combine = Rc::new(s.combine.apply(edit)),
            Action::Reply(r) => self.reply(r),
            Action::Failed(msg) => {
                s.reading = None;
                s.status = Status::Error;
                s.error = Some(msg);
            }
            Action::Route(r) => self.route(r),
            Action::Simulate(settings) => self.send(|seq| Request::Simulate { seq, settings }, None),
            Action::CommentsQuery(query) => {
                s.comments_query = query;
                self.request_comments();
            }
            Action::CommentsCsv(original) => self.send(|seq| Request::CommentsCsv { seq, original }, None),
            Action::SetPlan(case) => {
                let fragment = to_fragment(&case);
                s.route = fragment.trim_start_matches('#').to_string();
                s.plan = Some(case);
                s.plan_error = None;
                self.effects.push(Effect::SetUrl(fragment));
            }
            // (Settings edits are taken by `step` before this match.)
            Action::SetRole(..)
            | Action::SetGroupLevels { .. }
            | Action::SetRxx(_)
            | Action::ToggleKeepIdentifying(_)
            | Action::ToggleLeaveOutPossible(_)
            | Action::EditIngest(_)
            | Action::EditItems(_)
            | Action::SetAlpha(_)
            | Action::EditProcess(_)
            | Action::SetBootstrapB(_)
            | Action::SetSensitivity(_)
            | Action::EditComments(_) => {}
        }
    }

    /// Applies one settings edit (core's `Recipe::apply`) and analyses again.
    fn edit(&mut self, edit: RecipeEdit) {
        self.s.recipe.apply(edit);
        self.reanalyse();
    }

    /// Changes the wave-linking settings and analyses again.
    fn edit_link(&mut self, change: impl FnOnce(&mut LinkSettings)) {
        change(self.s.recipe.link.get_or_insert_with(LinkSettings::default));
        self.reanalyse();
    }

    fn reanalyse(&mut self) {
        let recipe = self.s.recipe.clone();
        self.send(|seq| Request::Analyse { seq, recipe }, None);
    }

    /// Sends a request built with the next sequence number; the state is busy until it answers.
    fn send(&mut self, make: impl FnOnce(u64) -> Request, file: Option<Attachment<H::File>>) {
        let s = &mut self.s;
        s.seq += 1;
        s.status = Status::Busy;
        if s.engine.is_some() {
            self.effects.push(Effect::Post(make(s.seq), file));
        } else {
            s.status = Status::Error;
            s.error = Some("Lantern's engine has not started; reload the page.".into());
        }
    }

    /// Posts a request outside the sequence (no reply makes it stale), if the engine runs.
    fn post(&mut self, request: Request) {
        if self.s.engine.is_some() {
            self.effects.push(Effect::Post(request, None));
        }
    }

    /// Asks the engine for the Comments part's view (its own sequence: it never makes an
    /// analysis reply stale, nor the status busy).
    fn request_comments(&mut self) {
        self.s.comments_seq += 1;
        let (seq, query) = (self.s.comments_seq, self.s.comments_query.clone());
        self.post(Request::Comments { seq, query });
    }

    fn load_demo(&mut self) {
        let s = &mut self.s;
        let recipe = if s.recipe_from_user { s.recipe.clone() } else { demo_recipe() };
        let keep_roles = s.recipe_from_user;
        s.error = None;
        let request = |seq| Request::LoadData { seq, name: DEMO_FILE_NAME.into(), recipe, keep_roles };
        self.send(request, Some(Attachment::Text(demo_csv())));
    }

    fn load_data(&mut self, name: String, file: H::File) {
        let s = &mut self.s;
        let mb = H::size(&file) / 1e6;
        s.reading = Some(if mb >= 0.1 {
            format!("Reading and analysing “{name}” ({mb:.1} MB)")
        } else {
            format!("Reading and analysing “{name}”")
        });
        // Without a recipe from the user, the demo's settings do not describe the new file.
        let recipe = if s.recipe_from_user { s.recipe.clone() } else { Recipe::default() };
        let keep_roles = s.recipe_from_user;
        s.error = None;
        self.send(|seq| Request::LoadData { seq, name, recipe, keep_roles }, Some(Attachment::File(file)));
    }

    /// Wave files chosen together: one request each, every one but the last only read and
    /// kept (`more`), so the engine links and analyses once.
    fn load_waves(&mut self, files: Vec<(String, H::File)>) {
        let s = &mut self.s;
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        s.reading = Some(format!("Reading and linking “{}”", names.join("”, “")));
        // Without a recipe from the user, earlier settings do not describe the new files.
        if !s.recipe_from_user {
            s.recipe = Recipe::default();
        }
        s.error = None;
        let last = files.len().saturating_sub(1);
        for (i, (name, file)) in files.into_iter().enumerate() {
            let recipe = self.s.recipe.clone();
            let (fresh, more) = (i == 0, i < last);
            let request = |seq| Request::LoadWave { seq, name, recipe, fresh, replace: None, more };
            self.send(request, Some(Attachment::File(file)));
        }
    }

    /// One wave file added, or taking the place of the loaded wave file `replace`: linked
    /// with the others again.
    fn add_wave(&mut self, name: String, file: H::File, replace: Option<String>) {
        self.s.reading = Some(format!("Reading “{name}” and linking the waves again"));
        let recipe = self.s.recipe.clone();
        self.s.error = None;
        let request = |seq| Request::LoadWave { seq, name, recipe, fresh: false, replace, more: false };
        self.send(request, Some(Attachment::File(file)));
    }

    /// A cost or counts table, read with the settings in force.
    fn load_table(&mut self, make: impl FnOnce(u64, Recipe) -> Request, file: H::File) {
        let recipe = self.s.recipe.clone();
        self.s.error = None;
        self.send(|seq| make(seq, recipe), Some(Attachment::File(file)));
    }

    fn load_recipe(&mut self, text: &str) {
        match Recipe::from_json(text) {
            Ok(r) => {
                self.s.recipe = r;
                self.s.recipe_from_user = true;
                self.s.error = None;
                self.reanalyse();
            }
            Err(e) => {
                self.s.status = Status::Error;
                self.s.error = Some(e.to_string());
            }
        }
    }

    /// Forgets every file and setting (keeping the engine, the page, the planner's case and
    /// the sequence numbers) and tells the engine to forget too.
    fn clear_all(&mut self) {
        let s = std::mem::take(&mut self.s);
        let AppState { engine, route, seq, results_shown, plan, comments_seq, .. } = s;
        self.s = AppState { engine, route, seq, results_shown, plan, comments_seq, ..AppState::default() };
        self.send(|seq| Request::Reset { seq }, None);
    }

    fn route(&mut self, route: String) {
        let s = &mut self.s;
        if let Some(q) = route.strip_prefix("/plan?") {
            match from_query(q) {
                Ok(case) => {
                    s.plan = Some(case);
                    s.plan_error = None;
                }
                Err(e) => s.plan_error = Some(format!("This planning link could not be used: {e}")),
            }
        }
        s.route = route;
    }

    /// The status once work is done: ready with data, idle without.
    fn settled(&self) -> Status {
        if self.s.dataset.is_some() {
            Status::Ready
        } else {
            Status::Idle
        }
    }

    fn reply(&mut self, reply: Reply) {
        let (seq, comments_seq, settled) = (self.s.seq, self.s.comments_seq, self.settled());
        let s = &mut self.s;
        match reply {
            Reply::Analysed { seq: n, dataset, costs, recipe, analysis, waves } if n == seq => {
                s.dataset = dataset.map(Rc::new);
                s.costs = costs.map(Rc::new);
                s.recipe = recipe;
                s.analysis = analysis.map(Rc::new);
                s.waves = waves.map(Rc::new);
                self.analysed();
            }
            Reply::Progress { seq: n, fraction, label } if n == seq => {
                s.progress = Some((fraction, label));
                s.status = Status::Busy;
            }
            Reply::Failed { seq: n, message } if n == seq || n == 0 => {
                s.progress = None;
                s.reading = None;
                s.status = Status::Error;
                s.error = Some(message);
            }
            Reply::Restarted { message } => self.restarted(message),
            Reply::Simulated { seq: n, result } if n == seq => {
                s.sim = Some(Rc::new(result));
                s.progress = None;
                s.status = settled;
            }
            Reply::Comments { seq: n, view } if n == comments_seq => s.comments = Some(Rc::new(*view)),
            Reply::CleanCsv { seq: n, name, text } if n == seq => {
                s.status = settled;
                self.effects.push(Effect::Download { name, mime: "text/csv", text });
            }
            _ => {} // Ready, or an answer to an older request: a newer one is on its way
        }
    }

    /// The newest analysis is in the state: the work is done; the comments view follows.
    fn analysed(&mut self) {
        self.s.progress = None;
        self.s.reading = None;
        self.s.status = self.settled();
        if self.s.dataset.is_some() {
            self.request_comments();
        } else {
            self.s.comments = None;
        }
        self.s.results_shown = true;
    }

    /// The engine was restarted and holds nothing: neither does the page (the settings stay).
    fn restarted(&mut self, message: String) {
        let s = &mut self.s;
        s.dataset = None;
        s.costs = None;
        s.analysis = None;
        s.sim = None;
        s.comments = None;
        s.waves = None;
        s.progress = None;
        s.reading = None;
        s.status = Status::Error;
        s.error = Some(message);
    }
}

/// Sets the code columns of one wave (none: that wave's entry is removed); a list for all
/// waves becomes one list per wave first.
fn set_code_columns(link: &mut LinkSettings, wave: Wave, columns: Vec<String>) {
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
}
