//! The engine behind the page: holds the loaded data and cost table, answers requests with
//! results. Runs inside the Web Worker (`src/worker`), or in the page when a worker cannot
//! start. Only small JSON messages cross to the page; a file comes in as a [`FileSource`].
//! The bootstrap runs in steps so that progress can be shown and Cancel honoured.

use crate::core::analyses::comments::code_dataset;
use crate::core::analyses::comments::redact::Redactor;
use crate::core::analyses::comments::view::{view as comments_view, CommentsQuery, CommentsView};
use crate::core::analyses::cost::{parse_cost_csv, BootstrapSettings, CostRun, ParsedCosts};
use crate::core::analyses::process::{counts_analysis, CountsResult};
use crate::core::analyses::{analyse, Analysis};
use crate::core::dataset::{Dataset, Diagnostic};
use crate::core::engine::waves::{
    code_columns, fill_link, link_waves, suggest_linked_roles, WaveFile, WavesView, MAX_WAVE_FILES,
};
use crate::core::ingest::profile::DatasetSummary;
use crate::core::ingest::split::{self, Half};
use crate::core::ingest::{
    join_halves, read_first_half, read_with_options, too_large_message, FirstPass, IngestError, IngestOptions,
};
use crate::core::planning::simulate::{SimResult, SimRun, SimSettings};
use crate::core::present::clean_csv::{dictionary_csv_without, safe_csv_without};
use crate::core::present::comments_csv::{coded_comments_csv, ExportColumn, TextInExport};
use crate::core::recipe::{IngestSettings, Recipe};
use serde::{Deserialize, Serialize};

/// A request from the page. File bytes travel beside the JSON, not inside it. Requests and
/// replies are externally tagged (`{"analysed": {...}}`): an internally tagged enum makes
/// serde buffer the whole message and compile every results type's decoder a second time
/// (≈ 100 KB of wasm in each of the page and the worker).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// New data file. `keep_roles`: the recipe's column roles were chosen by the user (or a
    /// loaded recipe) and are kept; otherwise they are guessed from the column names.
    LoadData { seq: u64, name: String, recipe: Recipe, keep_roles: bool },
    /// A wave file of a study whose waves are separate files (CONTRACT §5): kept beside the
    /// others (up to three), linked with them when the waves and code columns are known.
    /// `fresh`: the first of files chosen together (the wave files loaded before are let go);
    /// `replace`: the loaded wave file this one takes the place of (its wave is kept);
    /// `more`: other files chosen with it follow, so it is only read and kept (no reply) and
    /// the last one links and analyses them all.
    LoadWave {
        seq: u64,
        name: String,
        recipe: Recipe,
        fresh: bool,
        replace: Option<String>,
        #[serde(default)]
        more: bool,
    },
    /// New cost table (category, arm, amount).
    LoadCosts { seq: u64, name: String, recipe: Recipe },
    /// New community counts table (period, count, exposure, program start).
    LoadCounts { seq: u64, name: String, recipe: Recipe },
    /// Recompute with these settings.
    Analyse { seq: u64, recipe: Recipe },
    /// The loaded data as analysis-ready, formula-safe CSV (`present::clean_csv`).
    CleanCsv { seq: u64 },
    /// The data dictionary of that CSV (answered as [`Reply::CleanCsv`], `…-dictionary.csv`).
    DataDictionary { seq: u64 },
    /// Stop the running bootstrap (its point estimates are kept, without an interval).
    Cancel,
    /// Forget everything loaded (data, cost table, settings).
    Reset { seq: u64 },
    /// Teaching mode: draw many simulated studies (in steps, with progress and Cancel).
    Simulate { seq: u64, settings: SimSettings },
    /// The Comments part's view (browser page, frequencies, starred quotes) with the recipe
    /// in force. Its own sequence (`seq` counts these requests only): asking for a view never
    /// makes an analysis reply stale.
    Comments { seq: u64, query: CommentsQuery },
    /// The coded comments as formula-safe CSV (answered as [`Reply::CleanCsv`]); the text is
    /// redacted unless `original`.
    CommentsCsv { seq: u64, original: bool },
}

impl Request {
    /// The request's sequence number (0 for Cancel, which has none).
    pub fn seq(&self) -> u64 {
        match self {
            Request::LoadData { seq, .. }
            | Request::LoadWave { seq, .. }
            | Request::LoadCosts { seq, .. }
            | Request::LoadCounts { seq, .. }
            | Request::Analyse { seq, .. }
            | Request::CleanCsv { seq }
            | Request::DataDictionary { seq }
            | Request::Reset { seq }
            | Request::Simulate { seq, .. }
            | Request::Comments { seq, .. }
            | Request::CommentsCsv { seq, .. } => *seq,
            Request::Cancel => 0,
        }
    }
}

/// Summary of the loaded cost table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostsSummary {
    pub file: String,
    pub items: usize,
    pub currency: String,
    pub notes: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// An answer to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// The worker has started and takes requests.
    Ready,
    /// Everything is up to date for `seq`.
    Analysed {
        seq: u64,
        dataset: Option<DatasetSummary>,
        costs: Option<CostsSummary>,
        recipe: Recipe,
        analysis: Option<Analysis>,
        /// Wave files linked by participant code, when the data are wave files.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        waves: Option<WavesView>,
    },
    /// Long work in progress (0..1).
    Progress {
        seq: u64,
        fraction: f64,
        label: String,
    },
    /// The request failed; what was loaded before is still there.
    Failed {
        seq: u64,
        message: String,
    },
    /// The engine stopped and a fresh one took its place, with nothing loaded (sent by the
    /// page's engine handle, never by the engine itself).
    Restarted {
        message: String,
    },
    CleanCsv {
        seq: u64,
        name: String,
        text: String,
    },
    /// Teaching mode finished (or was cancelled: the studies drawn so far).
    Simulated {
        seq: u64,
        result: SimResult,
    },
    /// The Comments part's view for [`Request::Comments`] `seq`.
    Comments {
        seq: u64,
        view: Box<CommentsView>,
    },
}

/// A file held in memory up to this size is kept to be read again with new reading settings
/// (a browser file handle is always kept: it holds no bytes).
const KEEP_FOR_REREAD: usize = 64 * 1024 * 1024;

/// Where a loaded file's bytes come from. In the worker this is the browser's `File` (a handle:
/// its bytes are read when needed and let go after reading, so a big file is not held in
/// memory beside its columns); in tests and in the page's fallback, the bytes themselves.
pub trait FileSource {
    /// Size in bytes.
    fn size(&self) -> u64;
    /// The whole file.
    fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, String>;
    /// Memory held while this source is kept.
    fn held(&self) -> usize;
    /// Bytes `from..to` (clamped to the file).
    fn range(&self, from: u64, to: u64) -> Result<std::borrow::Cow<'_, [u8]>, String> {
        Ok(match self.bytes()? {
            std::borrow::Cow::Borrowed(b) => std::borrow::Cow::Borrowed(clamp(b, from, to)),
            std::borrow::Cow::Owned(b) => std::borrow::Cow::Owned(clamp(&b, from, to).to_vec()),
        })
    }
}

fn clamp(b: &[u8], from: u64, to: u64) -> &[u8] {
    let to = usize::try_from(to).unwrap_or(usize::MAX).min(b.len());
    let from = usize::try_from(from).unwrap_or(usize::MAX).min(to);
    b.get(from..to).unwrap_or_default()
}

impl FileSource for Vec<u8> {
    fn size(&self) -> u64 {
        self.len() as u64
    }
    fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, String> {
        Ok(std::borrow::Cow::Borrowed(self))
    }
    fn held(&self) -> usize {
        self.len()
    }
}

/// Bootstrap work between two progress messages.
const STEP: usize = 2_000;

struct Pending {
    seq: u64,
    analysis: Analysis,
    run: CostRun,
    cancelled: bool,
}

/// The engine's state.
#[derive(Default)]
pub struct Service {
    dataset: Option<Dataset>,
    /// The page's view of `dataset`, worked out once per file (types, identifying columns).
    summary: Option<DatasetSummary>,
    /// The data file as loaded, to read it again when the reading settings change.
    data_file: Option<(String, Box<dyn FileSource>)>,
    /// The reading settings the dataset was read with.
    read_with: Option<IngestSettings>,
    costs: Option<(String, ParsedCosts)>,
    counts: Option<(String, Vec<u8>)>,
    recipe: Recipe,
    pending: Option<Pending>,
    sim: Option<(u64, SimRun, bool)>,
    /// A big file has been read; its analysis runs on the next [`Service::work`] step, so the
    /// page hears that reading is done (a progress message) before the analysis starts.
    deferred: Option<(u64, Recipe)>,
    /// A big data file whose first half has been read here, waiting for its second half.
    halves: Option<Halves>,
    /// Wave files (CONTRACT §5): when any is loaded, `dataset` is their linked table.
    waves: Vec<WaveFile>,
    /// Each wave file's source, to read it again with new reading settings.
    wave_sources: Vec<Option<Box<dyn FileSource>>>,
    /// What the page is shown about the wave files.
    waves_view: Option<WavesView>,
    /// The linking the linked dataset was built from, and the reading settings then.
    linked_with: Option<(Option<crate::core::ingest::link::LinkSettings>, Option<IngestSettings>, u64)>,
    /// Counts changes of the wave files (a new or replaced file is linked again).
    waves_generation: u64,
    /// Wave files of the set that could not be read (plain messages naming the file), shown
    /// with the others' linking until a fresh set is chosen.
    wave_failures: Vec<String>,
}

/// A data file being read in two halves (see [`Service::first_half`]).
struct Halves {
    job: u64,
    /// The `LoadData` request.
    req: Request,
    source: Box<dyn FileSource>,
    first: FirstPass,
}

/// Files with at least this many rows are analysed in a second step after reading, with a
/// progress message between (smaller files answer at once).
pub const DEFER_ANALYSIS_ROWS: usize = 50_000;

impl Service {
    pub fn new() -> Service {
        Service::default()
    }

    /// Handles one request. When a bootstrap is needed the answer comes from [`Service::work`].
    pub fn handle(&mut self, req: Request, bytes: Option<&[u8]>) -> Option<Reply> {
        match req {
            Request::Cancel => {
                if let Some(p) = self.pending.as_mut() {
                    p.cancelled = true;
                }
                if let Some(sim) = self.sim.as_mut() {
                    sim.2 = true;
                }
                None
            }
            Request::Simulate { seq, settings } => match SimRun::new(&settings) {
                Ok(run) => {
                    self.sim = Some((seq, run, false));
                    self.work()
                }
                Err(e) => Some(Reply::Failed { seq, message: e.to_string() }),
            },
            Request::LoadData { seq, name, recipe, keep_roles } => {
                let bytes = bytes.unwrap_or_default();
                // (Refused before the bytes are copied; read as the worker reads a file.)
                if let Some(message) = too_large_message(bytes.len() as u64) {
                    return Some(Reply::Failed { seq, message: format!("“{name}” was not read. {message}") });
                }
                self.handle_source(Request::LoadData { seq, name, recipe, keep_roles }, Some(Box::new(bytes.to_vec())))
            }
            Request::LoadWave { .. } => {
                let bytes = bytes.unwrap_or_default();
                self.handle_source(req, Some(Box::new(bytes.to_vec())))
            }
            Request::LoadCosts { seq, name, recipe } => {
                let levels = recipe.group_levels.clone();
                match parse_cost_csv(bytes.unwrap_or_default(), levels.as_ref()) {
                    Ok(parsed) => {
                        self.costs = Some((name, parsed));
                        self.start(seq, recipe)
                    }
                    Err(e) => Some(Reply::Failed {
                        seq,
                        message: format!("The cost table “{name}” could not be read: {e}"),
                    }),
                }
            }
            Request::LoadCounts { seq, name, recipe } => {
                let bytes = bytes.unwrap_or_default().to_vec();
                match counts_analysis(&bytes, &name, &recipe) {
                    Ok(_) => {
                        self.counts = Some((name, bytes));
                        self.start(seq, recipe)
                    }
                    Err(e) => Some(Reply::Failed {
                        seq,
                        message: format!("The counts table “{name}” could not be read: {e}"),
                    }),
                }
            }
            Request::Analyse { seq, recipe } => self.start(seq, recipe),
            Request::Reset { seq } => {
                *self = Service::new();
                Some(self.analysed(seq, None))
            }
            Request::Comments { seq, query } => {
                Some(Reply::Comments { seq, view: Box::new(self.comments_view(&query)) })
            }
            Request::CommentsCsv { seq, original } => Some(match self.comments_csv(original) {
                Ok((name, text)) => Reply::CleanCsv { seq, name, text },
                Err(message) => Reply::Failed { seq, message },
            }),
            Request::CleanCsv { seq } => Some(self.clean_export(seq, false)),
            Request::DataDictionary { seq } => Some(self.clean_export(seq, true)),
        }
    }

    /// The cleaned data (or its data dictionary) as a download: identifying columns (names,
    /// e-mail, ...) and, for linked wave files, the code columns stay out unless the recipe keeps them.
    fn clean_export(&self, seq: u64, dictionary: bool) -> Reply {
        let Some(ds) = &self.dataset else {
            return Reply::Failed { seq, message: "Load a data file first.".into() };
        };
        let stem = if self.waves.is_empty() {
            ds.file.rsplit_once('.').map_or(ds.file.as_str(), |(s, _)| s)
        } else {
            "linked"
        };
        let mut drop = crate::core::ingest::identify::columns_to_leave_out_confirmed(
            ds,
            &self.recipe.keep_identifying,
            &self.recipe.leave_out_possible,
        );
        if !self.waves.is_empty() {
            drop.extend(
                code_columns(&self.recipe, ds).into_iter().filter(|c| !self.recipe.keep_identifying.contains(c)),
            );
        }
        if dictionary {
            Reply::CleanCsv { seq, name: format!("{stem}-dictionary.csv"), text: dictionary_csv_without(ds, &drop) }
        } else {
            Reply::CleanCsv { seq, name: format!("{stem}-clean.csv"), text: safe_csv_without(ds, &drop) }
        }
    }

    /// Like [`Service::handle`], owning the file's bytes (tests; see [`Service::handle_source`]).
    pub fn handle_owned(&mut self, req: Request, bytes: Option<Vec<u8>>) -> Option<Reply> {
        self.handle_source(req, bytes.map(|b| Box::new(b) as Box<dyn FileSource>))
    }

    /// Like [`Service::handle`], with the file as a [`FileSource`] (the worker's path): a data
    /// file's bytes are let go as soon as it has been read, so the bytes and the analysis'
    /// working memory are not held at once; the source is kept to read it again.
    pub fn handle_source(&mut self, req: Request, source: Option<Box<dyn FileSource>>) -> Option<Reply> {
        let Some(source) = source else { return self.handle(req, None) };
        if !matches!(
            req,
            Request::LoadData { .. }
                | Request::LoadWave { .. }
                | Request::LoadCosts { .. }
                | Request::LoadCounts { .. }
        ) {
            return self.handle(req, None);
        }
        let seq = req.seq();
        let unreadable = |message: String| Some(Reply::Failed { seq, message });
        match req {
            Request::LoadData { seq, name, recipe, keep_roles } => {
                if let Some(message) = too_large_message(source.size()) {
                    return unreadable(format!("“{name}” was not read. {message}"));
                }
                let read = match source.bytes() {
                    Ok(bytes) => read_with_options(&bytes, &name, &ingest_options(recipe.ingest.as_ref())),
                    Err(e) => return unreadable(format!("“{name}” could not be read. {e}")),
                };
                // Kept to be read again if the reading settings change (bytes in memory: small files only).
                let keep = (source.held() <= KEEP_FOR_REREAD).then_some(source);
                self.loaded(seq, name, recipe, keep_roles, read, keep)
            }
            Request::LoadWave { seq, name, recipe, fresh, replace, more } => {
                self.load_wave(seq, name, recipe, (fresh, more), replace, source)
            }
            other => match source.bytes() {
                Ok(bytes) => self.handle(other, Some(&bytes)),
                Err(e) => unreadable(format!("The file could not be read. {e}")),
            },
        }
    }

    /// Starts reading a big data file in two halves (`LoadData` with a file of at least
    /// [`split::SPLIT_MIN_BYTES`]; anything else is handled as by [`Service::handle_source`]):
    /// reads the first half here while a helper reads the second (job `job`, from
    /// [`split::middle`]), whose columns come back through [`Service::second_half`].
    pub fn first_half(&mut self, job: u64, req: Request, source: Box<dyn FileSource>) -> Option<Reply> {
        self.halves = None;
        let first = match &req {
            Request::LoadData { name, recipe, .. } => {
                first_half_of(source.as_ref(), name, &ingest_options(recipe.ingest.as_ref()))
            }
            _ => None,
        };
        // (Too small or too big, no line break after the middle, or the first half does not
        // read: in one piece.)
        let Some(first) = first else { return self.handle_source(req, Some(source)) };
        let seq = req.seq();
        self.halves = Some(Halves { job, req, source, first });
        Some(Reply::Progress { seq, fraction: 0.3, label: "Reading the file (two halves at once)".into() })
    }

    /// The helper's half for `job` ([`split::Part::encode_to`]'s bytes; `None` when it could not read
    /// it): joined to the first, or, when they cannot be joined, the whole file is read here.
    /// Ignored when another file was loaded since.
    pub fn second_half(&mut self, job: u64, part: Option<&[u8]>) -> Option<Reply> {
        if self.halves.as_ref().is_none_or(|h| h.job != job) {
            return None;
        }
        let Halves { req, source, first, .. } = self.halves.take()?;
        let joined = part.and_then(Half::decode).and_then(|part| join_halves(first, &part));
        match (joined, req) {
            (Some(ds), Request::LoadData { seq, name, recipe, keep_roles }) => {
                let keep = (source.held() <= KEEP_FOR_REREAD).then_some(source);
                self.loaded(seq, name, recipe, keep_roles, Ok(ds), keep)
            }
            (_, req) => self.handle_source(req, Some(source)),
        }
    }

    /// A data file has been read (or could not be): keep it and analyse.
    fn loaded(
        &mut self,
        seq: u64,
        name: String,
        mut recipe: Recipe,
        keep_roles: bool,
        read: Result<Dataset, IngestError>,
        keep: Option<Box<dyn FileSource>>,
    ) -> Option<Reply> {
        // (A file read in halves and not finished yet is forgotten: this one came later.)
        self.halves = None;
        match read {
            Ok(ds) => {
                // A single file is not a wave set: the wave files go.
                self.clear_waves();
                let summary = ds.summary();
                if !keep_roles {
                    recipe.columns = Default::default();
                    recipe.suggest_columns_for(&ds, &summary);
                }
                self.summary = Some(summary);
                self.dataset = Some(ds);
                self.data_file = keep.map(|b| (name, b));
                self.read_with = recipe.ingest.clone();
                if self.dataset.as_ref().is_some_and(|d| d.n_rows >= DEFER_ANALYSIS_ROWS) {
                    self.pending = None;
                    self.deferred = Some((seq, recipe));
                    return Some(Reply::Progress { seq, fraction: 0.5, label: "File read; analysing".into() });
                }
                self.start(seq, recipe)
            }
            Err(e) => Some(Reply::Failed { seq, message: format!("“{name}” could not be opened. {e}") }),
        }
    }

    /// True while a bootstrap is running: call [`Service::work`] until it answers.
    pub fn busy(&self) -> bool {
        self.pending.is_some() || self.sim.is_some() || self.deferred.is_some()
    }

    /// Does one step of the running bootstrap: a progress message, or the final answer.
    pub fn work(&mut self) -> Option<Reply> {
        if let Some((seq, recipe)) = self.deferred.take() {
            return self.start(seq, recipe);
        }
        if let Some((seq, run, cancelled)) = self.sim.as_mut() {
            if !*cancelled && !run.is_done() {
                let n = run.suggested_step();
                run.step(n);
                if !run.is_done() {
                    return Some(Reply::Progress {
                        seq: *seq,
                        fraction: run.fraction_done(),
                        label: "Simulating studies".into(),
                    });
                }
            }
            let (seq, run, _) = self.sim.take()?;
            return Some(Reply::Simulated { seq, result: run.finish() });
        }
        let p = self.pending.as_mut()?;
        if !p.cancelled && !p.run.is_done() {
            p.run.step(STEP);
            if !p.run.is_done() {
                return Some(Reply::Progress {
                    seq: p.seq,
                    fraction: p.run.fraction_done(),
                    label: "Bootstrap resampling".into(),
                });
            }
        }
        let Pending { seq, mut analysis, run, .. } = self.pending.take()?;
        let result = run.finish();
        for note in &result.notes {
            if !analysis.notes.contains(note) {
                analysis.notes.push(note.clone());
            }
        }
        analysis.results.cost = Some(result);
        Some(self.analysed(seq, Some(analysis)))
    }

    /// `results.community` for the loaded counts table, with the recipe in force.
    fn counts_result(&self) -> Option<CountsResult> {
        let (name, bytes) = self.counts.as_ref()?;
        counts_analysis(bytes, name, &self.recipe).ok()
    }

    fn start(&mut self, seq: u64, recipe: Recipe) -> Option<Reply> {
        self.recipe = recipe;
        self.pending = None;
        self.deferred = None;
        if !self.waves.is_empty() {
            if let Some(reply) = self.relink(seq) {
                return Some(reply);
            }
        } else if self.recipe.ingest != self.read_with && self.dataset.is_some() {
            // The reading settings changed: read the file again with them.
            match &self.data_file {
                Some((name, source)) => {
                    let bytes = match source.bytes() {
                        Ok(b) => b,
                        Err(e) => return Some(Reply::Failed { seq, message: format!("“{name}” could not be read again ({e}): load it again to read it with the new settings.") }),
                    };
                    let read = read_with_options(&bytes, name, &ingest_options(self.recipe.ingest.as_ref()));
                    drop(bytes);
                    if let Ok(ds) = read {
                        let long = |s: &Option<IngestSettings>| s.as_ref().and_then(|s| s.long.clone());
                        if long(&self.recipe.ingest) != long(&self.read_with) {
                            // Reshaped (or back to long): the columns are new, so are the roles.
                            let names = ds.column_names();
                            self.recipe.drop_roles_not_in(&names);
                            let summary = ds.summary();
                            self.recipe.suggest_columns_for(&ds, &summary);
                            self.summary = Some(summary);
                        } else {
                            self.summary = Some(ds.summary());
                        }
                        self.dataset = Some(ds);
                    }
                    self.read_with = self.recipe.ingest.clone();
                }
                None => return Some(Reply::Failed {
                    seq,
                    message:
                        "This file is too large to keep a second copy: load it again to read it with the new settings."
                            .into(),
                }),
            }
        }
        let counts = self.counts_result();
        let Some(ds) = &self.dataset else {
            let analysis = counts.map(|c| {
                let mut a = Analysis::default();
                a.results.community = Some(c);
                a
            });
            return Some(self.analysed(seq, analysis));
        };
        let mut analysis = analyse(ds, &self.recipe);
        analysis.results.community = counts;
        if !self.waves.is_empty() {
            analysis.results.linkage = self.waves_view.as_ref().and_then(|v| v.linkage.clone());
        }
        match &self.costs {
            Some((_, parsed)) => {
                let settings = BootstrapSettings::from_recipe(&self.recipe);
                let run = CostRun::new(ds, &self.recipe, &parsed.table, &settings);
                self.pending = Some(Pending { seq, analysis, run, cancelled: false });
                self.work()
            }
            None => Some(self.analysed(seq, Some(analysis))),
        }
    }

    /// The Comments part's view of the loaded data with the recipe in force (empty without data).
    fn comments_view(&self, query: &CommentsQuery) -> CommentsView {
        let Some(ds) = &self.dataset else { return CommentsView::default() };
        let arms = crate::core::analyses::arms(ds, &self.recipe, &mut Vec::new());
        comments_view(ds, &self.recipe, arms.as_ref(), query)
    }

    /// The coded-comments CSV: (file name, text), or why there is none.
    fn comments_csv(&self, original: bool) -> Result<(String, String), String> {
        let ds = self.dataset.as_ref().ok_or("Load a data file first.")?;
        let arms = crate::core::analyses::arms(ds, &self.recipe, &mut Vec::new());
        let (settings, _, coded) = code_dataset(ds, &self.recipe, arms.as_ref()).map_err(|p| {
            format!(
                "The comments could not be coded: {}",
                p.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")
            )
        })?;
        if coded.is_empty() {
            return Err("Choose a comment column first.".into());
        }
        let cells: Vec<Vec<Option<&str>>> = coded
            .iter()
            .map(|c| ds.column(&c.column).map(|col| col.cells.strs().map(Some).collect()).unwrap_or_default())
            .collect();
        let columns: Vec<ExportColumn<'_>> =
            coded.iter().zip(&cells).map(|(coded, cells)| ExportColumn { coded, cells, wave: None }).collect();
        let text = if original { TextInExport::Original } else { TextInExport::Redacted };
        let csv = coded_comments_csv(&columns, &settings.codebook, text, &Redactor::new(&self.recipe.comments.redact));
        let stem = ds.file.rsplit_once('.').map_or(ds.file.as_str(), |(s, _)| s);
        Ok((format!("{stem}-comments.csv"), csv))
    }

    fn analysed(&self, seq: u64, analysis: Option<Analysis>) -> Reply {
        Reply::Analysed {
            seq,
            dataset: self.summary.clone(),
            costs: self.costs.as_ref().map(|(file, p)| CostsSummary {
                file: file.clone(),
                items: p.table.items.len(),
                currency: p.table.currency.clone(),
                notes: p.notes.clone(),
                diagnostics: p.diagnostics.clone(),
            }),
            recipe: self.recipe.clone(),
            analysis,
            waves: self.waves_view.clone(),
        }
    }

    /// Forgets the wave files (a single data file was loaded, or a fresh set comes).
    fn clear_waves(&mut self) {
        self.waves.clear();
        self.wave_sources.clear();
        self.waves_view = None;
        self.linked_with = None;
        self.wave_failures.clear();
        self.waves_generation += 1;
    }

    /// A wave file has come: read it with the full ingest and keep it beside the others.
    fn load_wave(
        &mut self,
        seq: u64,
        name: String,
        mut recipe: Recipe,
        (fresh, more): (bool, bool),
        replace: Option<String>,
        source: Box<dyn FileSource>,
    ) -> Option<Reply> {
        self.halves = None;
        if fresh {
            self.clear_waves();
        }
        let read = match too_large_message(source.size()) {
            Some(message) => Err(format!("“{name}” was not read. {message}")),
            None => match source.bytes() {
                Ok(bytes) => read_with_options(&bytes, &name, &ingest_options(recipe.ingest.as_ref()))
                    .map_err(|e| format!("“{name}” could not be opened. {e}")),
                Err(e) => Err(format!("“{name}” could not be read. {e}")),
            },
        };
        let ds = match read {
            Ok(ds) => ds,
            Err(message) => {
                let message = if self.waves.is_empty() {
                    message
                } else {
                    format!("{message} The other wave files stay loaded.")
                };
                self.wave_failures.retain(|m| !m.starts_with(&format!("“{name}”")));
                self.wave_failures.push(message.clone());
                self.waves_generation += 1;
                return Some(Reply::Failed { seq, message });
            }
        };
        self.wave_failures.retain(|m| !m.starts_with(&format!("“{name}”")));
        if self.waves.is_empty() {
            // The single data file loaded before is not one of the waves.
            self.dataset = None;
            self.summary = None;
            self.data_file = None;
        }
        let keep = (source.held() <= KEEP_FOR_REREAD).then_some(source);
        let file = WaveFile { name: name.clone(), dataset: ds };
        let at = replace
            .as_deref()
            .and_then(|r| self.waves.iter().position(|w| w.name == r))
            .or_else(|| self.waves.iter().position(|w| w.name == name));
        match at {
            Some(i) => {
                let old = std::mem::replace(&mut self.waves[i], file);
                self.wave_sources[i] = keep;
                // The replaced file's wave goes to the new file.
                if let Some(link) = recipe.link.as_mut() {
                    for (_, f) in link.waves.0.iter_mut() {
                        if *f == old.name {
                            *f = name.clone();
                        }
                    }
                }
            }
            None if self.waves.len() >= MAX_WAVE_FILES => {
                return Some(Reply::Failed {
                    seq,
                    message: format!("“{name}” was not added: {MAX_WAVE_FILES} wave files (before, after, follow-up) are loaded already. Replace one of them instead."),
                })
            }
            None => {
                self.waves.push(file);
                self.wave_sources.push(keep);
            }
        }
        self.waves_generation += 1;
        self.read_with = recipe.ingest.clone();
        if more {
            // The files chosen with it follow; the last links and analyses them all.
            return None;
        }
        self.start(seq, recipe)
    }

    /// Reads the wave files again when the reading settings changed, fills in the guesses,
    /// and links them when the linking or the files changed. `Some` only for a failure.
    fn relink(&mut self, seq: u64) -> Option<Reply> {
        if self.recipe.ingest != self.read_with {
            let opts = ingest_options(self.recipe.ingest.as_ref());
            for (w, src) in self.waves.iter_mut().zip(&self.wave_sources) {
                let Some(src) = src else {
                    return Some(Reply::Failed {
                        seq,
                        message: format!(
                            "“{}” is too large to keep a second copy: load it again to read it with the new settings.",
                            w.name
                        ),
                    });
                };
                let bytes = match src.bytes() {
                    Ok(b) => b,
                    Err(e) => {
                        return Some(Reply::Failed {
                            seq,
                            message: format!(
                                "“{}” could not be read again ({e}): load it again to read it with the new settings.",
                                w.name
                            ),
                        })
                    }
                };
                if let Ok(ds) = read_with_options(&bytes, &w.name, &opts) {
                    w.dataset = ds;
                }
            }
            self.read_with = self.recipe.ingest.clone();
            self.waves_generation += 1;
        }
        fill_link(&mut self.recipe, &self.waves);
        let key = (self.recipe.link.clone(), self.recipe.ingest.clone(), self.waves_generation);
        if self.linked_with.as_ref() == Some(&key) {
            return None;
        }
        let mut linked = link_waves(&self.recipe, &self.waves);
        linked.view.problems.splice(0..0, self.wave_failures.iter().cloned());
        self.waves_view = Some(linked.view);
        self.linked_with = Some(key);
        match linked.dataset {
            Some(ds) => {
                let codes = code_columns(&self.recipe, &ds);
                suggest_linked_roles(&mut self.recipe, &ds, &codes);
                let mut summary = ds.summary();
                // The codes are identifying-adjacent: flagged, and left out of the cleaned data unless kept.
                summary.identifying.retain(|c| !codes.contains(&c.column));
                for c in &codes {
                    summary.identifying.push(crate::core::ingest::identify::IdentifyingColumn {
                        column: c.clone(),
                        kind: crate::core::ingest::identify::IdentifyingKind::ParticipantCode,
                        share: 1.0,
                        reason: format!("“{c}” holds the participant codes the wave files were linked by."),
                        possible: false,
                    });
                }
                // The preview hides them too.
                summary.preview = ds.preview(crate::core::ingest::profile::PREVIEW_ROWS, &summary.identifying);
                self.summary = Some(summary);
                self.dataset = Some(ds);
            }
            None => {
                self.summary = None;
                self.dataset = None;
            }
        }
        None
    }
}

/// The first half of a file big enough to be read in two halves (see [`Service::first_half`]).
fn first_half_of(source: &dyn FileSource, name: &str, opts: &IngestOptions) -> Option<FirstPass> {
    let size = source.size();
    let mid = split::middle(size).filter(|_| too_large_message(size).is_none())?;
    let bytes = source.range(0, mid + split::SPLIT_WINDOW).ok()?;
    let start = usize::try_from(split::split_after(&bytes, 0, mid)?).ok()?;
    read_first_half(bytes.get(..start)?, name, opts, size).ok()
}

/// The reader's options from the recipe's reading settings.
pub fn ingest_options(settings: Option<&IngestSettings>) -> IngestOptions {
    let mut o = IngestOptions::default();
    if let Some(s) = settings {
        if let Some(codes) = &s.missing_codes {
            o.missing_codes = codes.iter().map(|c| c.trim().to_string()).collect();
        }
        o.drop_unfinished = s.drop_unfinished.unwrap_or(false);
        o.value_maps = s.value_maps.clone();
        o.long = s.long.clone().filter(|l| !l.id.trim().is_empty() && !l.wave.trim().is_empty());
    }
    o
}

/// Runs a request to its final answer in one go (tests, and hosts without a worker loop).
pub fn handle_to_end(service: &mut Service, req: Request, bytes: Option<&[u8]>) -> Vec<Reply> {
    let mut out: Vec<Reply> = service.handle(req, bytes).into_iter().collect();
    while service.busy() {
        out.extend(service.work());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last_analysis(replies: &[Reply]) -> (Option<DatasetSummary>, Recipe, Option<Analysis>) {
        match replies.last() {
            Some(Reply::Analysed { dataset, recipe, analysis, .. }) => {
                (dataset.clone(), recipe.clone(), analysis.clone())
            }
            other => panic!("expected an analysis, got {other:?}"),
        }
    }

    /// Runs `reply` and then every step until the service is idle.
    fn to_end(s: &mut Service, reply: Option<Reply>) -> Vec<Reply> {
        let mut out: Vec<Reply> = reply.into_iter().collect();
        while s.busy() {
            out.extend(s.work());
        }
        out
    }

    #[test]
    fn comments_view_and_csv_come_from_the_engine() {
        let mut s = Service::new();
        let csv = "id,group,note\n1,intervention,\"=I understand now, mail me at a@b.org\"\n2,control,\"nothing changed here at all\"\n";
        let recipe = Recipe::from_json(r#"{"columns":{"group":"group"},"comments":{"columns":["note"],"codebook":{"understanding":["understand*"]},"quotes":{"note":[1]}}}"#).unwrap();
        let first = s
            .handle(Request::LoadData { seq: 1, name: "c.csv".into(), recipe, keep_roles: true }, Some(csv.as_bytes()));
        to_end(&mut s, first);
        let Some(Reply::Comments { seq: 7, view }) =
            s.handle(Request::Comments { seq: 7, query: CommentsQuery::default() }, None)
        else {
            panic!()
        };
        assert_eq!((view.total, view.codes.len()), (2, 1));
        assert_eq!(view.quotes[0].text, "=I understand now, mail me at [removed]");
        let Some(Reply::CleanCsv { name, text, .. }) = s.handle(Request::CommentsCsv { seq: 8, original: false }, None)
        else {
            panic!()
        };
        assert_eq!(name, "c-comments.csv");
        assert!(text.contains("\"'=I understand now, mail me at [removed]\""), "{text}");
        assert!(text.contains("1,note,,intervention,understanding,"), "{text}");
    }

    #[test]
    fn a_big_file_read_in_halves_gives_what_reading_it_in_one_piece_gives() {
        // Just over the size that is read in halves (200k rows): two groups, pre/post, help.
        let mut csv = String::from("id,group,pre,post,help_pre,help_post\n");
        let mut r = crate::core::xorshift64(5);
        let mut i = 0;
        while (csv.len() as u64) < split::SPLIT_MIN_BYTES + 1000 {
            let pre = 20 + r() % 20;
            let yes = |x: u64| if x.is_multiple_of(3) { "yes" } else { "no" };
            csv.push_str(&format!(
                "{i},{},{pre},{},{},{}\n",
                ["peer", "control"][(r() % 2) as usize],
                pre - r() % 6,
                yes(r()),
                yes(r())
            ));
            i += 1;
        }
        let bytes = csv.into_bytes();
        let load =
            || Request::LoadData { seq: 3, name: "big.csv".into(), recipe: Recipe::default(), keep_roles: false };
        let whole = handle_to_end(&mut Service::new(), load(), Some(&bytes));
        let analysed = whole.last().cloned();
        assert!(
            matches!(analysed, Some(Reply::Analysed { dataset: Some(ref d), .. }) if d.n_rows == i),
            "{:?}",
            whole.last().map(|_| ())
        );
        // What the helper worker does with its half.
        let mid = split::middle(bytes.len() as u64).unwrap();
        let start = split::split_after(&bytes[mid as usize..], mid, mid).unwrap();
        let opts = ingest_options(None);
        let head = &bytes[..split::HEAD_BYTES as usize];
        let part = split::read_part(head, &bytes[start as usize..], start, &opts).unwrap().encode();

        let handle = |reads: &std::rc::Rc<std::cell::Cell<usize>>| {
            Box::new(Handle { bytes: bytes.clone(), reads: reads.clone(), fail: false })
        };
        let reads = std::rc::Rc::new(std::cell::Cell::new(0));
        let mut s = Service::new();
        let started = s.first_half(7, load(), handle(&reads));
        assert!(matches!(started, Some(Reply::Progress { seq: 3, .. })) && s.halves.is_some());
        // An answer for another job (an earlier file) changes nothing.
        assert_eq!(s.second_half(6, Some(&part)), None);
        assert!(s.halves.is_some());
        let reply = s.second_half(7, Some(&part));
        let replies = to_end(&mut s, reply);
        assert_eq!(replies.last(), analysed.as_ref());
        assert_eq!(reads.get(), 1, "joined: only the first half was read here");
        assert!(s.data_file.is_some(), "kept to be read again with other settings");

        // The helper could not read its half, or sent bytes that are not a half: the whole file
        // is read here, with the same result.
        for broken in [None, Some(&part[..part.len() / 2])] {
            let reads = std::rc::Rc::new(std::cell::Cell::new(0));
            let mut s = Service::new();
            s.first_half(8, load(), handle(&reads));
            let reply = s.second_half(8, broken);
            let replies = to_end(&mut s, reply);
            assert_eq!(replies.last(), analysed.as_ref());
            assert_eq!(reads.get(), 2, "not joined: read again in one piece");
        }
        // A small file is not split (read at once).
        let mut s = Service::new();
        let small = b"pre,post\n3,2\n4,3\n5,4\n".to_vec();
        let reply = s.first_half(9, load(), Box::new(small));
        assert!(matches!(reply, Some(Reply::Analysed { .. })) && s.halves.is_none());
    }

    #[test]
    fn cleaned_data_leaves_out_identifying_columns_unless_kept() {
        let mut s = Service::new();
        let csv = b"id,email,pre,post\n1,a@example.org,3,2\n2,b@example.org,4,2\n3,c@example.org,5,4\n";
        let r = handle_to_end(
            &mut s,
            Request::LoadData { seq: 1, name: "a.csv".into(), recipe: Recipe::default(), keep_roles: false },
            Some(csv),
        );
        let (ds, recipe, _) = last_analysis(&r);
        assert_eq!(ds.unwrap().identifying.iter().map(|i| i.column.as_str()).collect::<Vec<_>>(), vec!["email"]);
        let r = handle_to_end(&mut s, Request::CleanCsv { seq: 2 }, None);
        assert!(matches!(&r[0], Reply::CleanCsv { text, .. } if text.starts_with("id,pre,post\n1,3,2\n")), "{r:?}");
        let keep = Recipe { keep_identifying: vec!["email".into()], ..recipe };
        handle_to_end(&mut s, Request::Analyse { seq: 3, recipe: keep }, None);
        let r = handle_to_end(&mut s, Request::CleanCsv { seq: 4 }, None);
        assert!(matches!(&r[0], Reply::CleanCsv { text, .. } if text.starts_with("id,email,pre,post\n")), "{r:?}");
    }

    #[test]
    fn a_possible_names_column_is_kept_until_the_user_confirms_it() {
        let mut s = Service::new();
        let csv = b"id,Q7,pre,post\nP01,Ana,3,2\nP02,Beno\xc3\xaet,4,2\nP03,Chlo\xc3\xa9,5,4\nP04,Dev,4,4\nP05,Fatima,3,3\nP06,Grace,5,2\n";
        let r = handle_to_end(
            &mut s,
            Request::LoadData { seq: 1, name: "a.csv".into(), recipe: Recipe::default(), keep_roles: false },
            Some(csv),
        );
        let (ds, recipe, _) = last_analysis(&r);
        assert!(ds.unwrap().identifying.iter().any(|i| i.column == "Q7" && i.possible));
        let r = handle_to_end(&mut s, Request::CleanCsv { seq: 2 }, None);
        assert!(matches!(&r[0], Reply::CleanCsv { text, .. } if text.starts_with("id,Q7,pre,post\n")), "{r:?}");
        let mut confirmed = recipe;
        confirmed.apply(crate::core::recipe::edit::RecipeEdit::ToggleLeaveOutPossible("Q7".into()));
        handle_to_end(&mut s, Request::Analyse { seq: 3, recipe: confirmed }, None);
        let r = handle_to_end(&mut s, Request::CleanCsv { seq: 4 }, None);
        assert!(matches!(&r[0], Reply::CleanCsv { text, .. } if text.starts_with("id,pre,post\nP01,3,2\n")), "{r:?}");
    }

    #[test]
    fn load_guesses_roles_and_analyses() {
        let mut s = Service::new();
        let csv = b"id,pre,post\n1,3,2\n2,4,2\n3,5,4\n";
        let r = handle_to_end(
            &mut s,
            Request::LoadData { seq: 1, name: "a.csv".into(), recipe: Recipe::default(), keep_roles: false },
            Some(csv),
        );
        let (ds, recipe, a) = last_analysis(&r);
        assert_eq!(ds.unwrap().n_rows, 3);
        assert_eq!(recipe.columns.pre.as_deref(), Some("pre"));
        assert_eq!(a.unwrap().results.paired["all"].n, 3);
    }

    #[test]
    fn kept_roles_are_not_guessed_and_bad_files_keep_the_old_data() {
        let mut s = Service::new();
        let mut recipe = Recipe::default();
        recipe.columns.pre = Some("post".into());
        recipe.columns.post = Some("pre".into());
        let r = handle_to_end(
            &mut s,
            Request::LoadData { seq: 1, name: "a.csv".into(), recipe, keep_roles: true },
            Some(b"pre,post\n1,2\n2,4\n4,5\n"),
        );
        let (_, _, a) = last_analysis(&r);
        assert!(a.unwrap().results.paired["all"].mean_diff.unwrap() < 0.0, "roles swapped as the recipe said");
        let r = handle_to_end(
            &mut s,
            Request::LoadData { seq: 2, name: "b.bin".into(), recipe: Recipe::default(), keep_roles: false },
            Some(b"\x00\x01PK\x03"),
        );
        assert!(matches!(&r[0], Reply::Failed { seq: 2, message } if message.contains("could not be opened")));
        let r = handle_to_end(&mut s, Request::CleanCsv { seq: 3 }, None);
        assert!(matches!(&r[0], Reply::CleanCsv { name, .. } if name == "a-clean.csv"));
        let r = handle_to_end(&mut s, Request::Reset { seq: 4 }, None);
        assert!(matches!(&r[0], Reply::Analysed { dataset: None, analysis: None, costs: None, .. }));
        let r = handle_to_end(&mut s, Request::CleanCsv { seq: 5 }, None);
        assert!(matches!(&r[0], Reply::Failed { .. }), "nothing is kept after a reset");
    }

    #[test]
    fn a_counts_table_is_analysed_with_or_without_participant_data() {
        let mut s = Service::new();
        let table = b"month,calls,program_start\n1,20,0\n2,22,0\n3,19,0\n4,21,0\n5,30,1\n6,33,1\n7,31,1\n8,35,1\n";
        let r = handle_to_end(
            &mut s,
            Request::LoadCounts { seq: 1, name: "calls.csv".into(), recipe: Recipe::default() },
            Some(table),
        );
        let (_, _, a) = last_analysis(&r);
        let c = a.and_then(|a| a.results.community).expect("counts result");
        assert_eq!(c.n_periods, 8);
        assert_eq!((c.n_before, c.n_after), (4, 4));
        // After / before: (30+33+31+35)/(20+22+19+21) = 129/82 with equal exposure.
        let rr = c.before_after.as_ref().and_then(|b| b.rate_ratio).expect("rate ratio");
        assert!((rr - 129.0 / 82.0).abs() < 1e-9, "{rr}");
        let r = handle_to_end(
            &mut s,
            Request::LoadData { seq: 2, name: "a.csv".into(), recipe: Recipe::default(), keep_roles: false },
            Some(b"pre,post\n1,2\n2,2\n3,5\n"),
        );
        let (_, _, a) = last_analysis(&r);
        assert!(a.and_then(|a| a.results.community).is_some(), "counts stay with new participant data");
        let r = handle_to_end(
            &mut s,
            Request::LoadCounts { seq: 3, name: "junk.csv".into(), recipe: Recipe::default() },
            Some(b"\x00\x01"),
        );
        assert!(matches!(&r[0], Reply::Failed { seq: 3, .. }));
    }

    #[test]
    fn changing_the_missing_codes_reads_the_file_again() {
        let mut s = Service::new();
        let csv = b"pre,post\n3,2\n4,-99\n5,4\n2,1\n";
        let r = handle_to_end(
            &mut s,
            Request::LoadData { seq: 1, name: "a.csv".into(), recipe: Recipe::default(), keep_roles: false },
            Some(csv),
        );
        let (_, mut recipe, a) = last_analysis(&r);
        assert_eq!(a.unwrap().results.paired["all"].n, 3, "-99 is missing by default");
        recipe.ingest = Some(IngestSettings {
            missing_codes: Some(vec!["NA".into()]),
            drop_unfinished: None,
            ..Default::default()
        });
        let r = handle_to_end(&mut s, Request::Analyse { seq: 2, recipe }, None);
        let (_, _, a) = last_analysis(&r);
        assert_eq!(a.unwrap().results.paired["all"].n, 4, "with only NA as a code, -99 is a number");
    }

    #[test]
    fn simulation_runs_in_steps_and_is_reproducible() {
        let settings = SimSettings { samples: 400, ..SimSettings::default() };
        let run =
            |s: &mut Service| match handle_to_end(s, Request::Simulate { seq: 1, settings: settings.clone() }, None)
                .pop()
            {
                Some(Reply::Simulated { result, .. }) => result,
                other => panic!("{other:?}"),
            };
        let mut s = Service::new();
        let a = run(&mut s);
        assert_eq!(a.samples_done, 400);
        assert_eq!(a, run(&mut Service::new()), "same seed, same result");
        let bad = handle_to_end(
            &mut s,
            Request::Simulate { seq: 2, settings: SimSettings { n_per_arm: 0, ..SimSettings::default() } },
            None,
        );
        assert!(matches!(&bad[0], Reply::Failed { seq: 2, .. }));
    }

    #[test]
    fn bootstrap_reports_progress_and_can_be_cancelled() {
        let mut data = String::from("id,group,pre,post,help_pre,help_post\n");
        for i in 0..60 {
            let g = if i % 2 == 0 { "intervention" } else { "control" };
            let yes = if (i % 2 == 0 && i % 3 != 0) || i % 7 == 0 { "1" } else { "0" };
            data.push_str(&format!("{i},{g},{},{},0,{yes}\n", 20 + i % 9, 18 + i % 11));
        }
        let recipe = Recipe {
            cost_inputs: Some(serde_json::json!({"bootstrap_B": 10000, "bootstrap_seed": 7})),
            ..Default::default()
        };
        let mut s = Service::new();
        let r = handle_to_end(
            &mut s,
            Request::LoadData { seq: 1, name: "d.csv".into(), recipe, keep_roles: false },
            Some(data.as_bytes()),
        );
        let (_, mut recipe, _) = last_analysis(&r);
        recipe.columns.help_post = Some("help_post".into());
        let costs = b"category,arm,amount\nstipends,intervention,5000\nmaterials,control,300\n";
        let first = s.handle(Request::LoadCosts { seq: 2, name: "c.csv".into(), recipe }, Some(costs));
        assert!(matches!(first, Some(Reply::Progress { seq: 2, .. })), "{first:?}");
        assert!(s.busy());
        s.handle(Request::Cancel, None);
        let done = s.work();
        let Some(Reply::Analysed { analysis: Some(a), costs: Some(c), .. }) = done else { panic!("{done:?}") };
        assert_eq!(c.items, 2);
        let cost = a.results.cost.unwrap();
        assert!(cost.cost_per_participant_intervention.is_some(), "point estimates kept");
        assert!(cost.incremental_cost_per_additional_help_seeker.is_some(), "{:?}", cost.classification_sentence);
        assert!(cost.boot_ci_low.is_none(), "no interval after cancel");
        assert!(!s.busy());
    }

    #[test]
    fn a_file_over_the_size_limit_is_refused_before_reading() {
        let mut s = Service::new();
        handle_to_end(
            &mut s,
            Request::LoadData { seq: 1, name: "a.csv".into(), recipe: Recipe::default(), keep_roles: false },
            Some(b"pre,post\n1,2\n2,2\n3,5\n"),
        );
        // Zeroed memory is not touched: nothing reads it when the size is refused.
        let big = vec![0u8; crate::core::ingest::MAX_FILE_BYTES as usize + 1];
        let r = handle_to_end(
            &mut s,
            Request::LoadData { seq: 2, name: "huge.csv".into(), recipe: Recipe::default(), keep_roles: false },
            Some(&big),
        );
        assert!(
            matches!(&r[0], Reply::Failed { seq: 2, message } if message == "“huge.csv” was not read. This file is 200 MB; Lantern reads files up to 200 MB in the browser. Split it, or keep only the columns you need."
                || message.starts_with("“huge.csv” was not read. This file is 200.0 MB;")),
            "{r:?}"
        );
        let r = s.handle_owned(
            Request::LoadData { seq: 3, name: "huge.csv".into(), recipe: Recipe::default(), keep_roles: false },
            Some(big),
        );
        assert!(
            matches!(&r, Some(Reply::Failed { seq: 3, message }) if message.contains("Lantern reads files up to 200 MB")),
            "{r:?}"
        );
        let r = handle_to_end(&mut s, Request::CleanCsv { seq: 4 }, None);
        assert!(matches!(&r[0], Reply::CleanCsv { name, .. } if name == "a-clean.csv"), "the data loaded before stays");
    }

    #[test]
    fn a_long_file_is_reshaped_from_the_page_and_roles_follow() {
        let mut s = Service::new();
        let csv = b"participant,time,group,score\nP1,pre,intervention,20\nP1,post,intervention,15\nP2,pre,control,22\nP2,post,control,21\nP3,post,intervention,12\nP3,pre,intervention,18\nP3,pre,intervention,30\n";
        let r = handle_to_end(
            &mut s,
            Request::LoadData { seq: 1, name: "long.csv".into(), recipe: Recipe::default(), keep_roles: false },
            Some(csv),
        );
        let (ds, mut recipe, _) = last_analysis(&r);
        let ds = ds.unwrap();
        let hint = ds.long_layout.clone().expect("the page is told the file looks long");
        assert_eq!(
            (hint.id.as_str(), hint.wave.as_str(), hint.waves.clone()),
            ("participant", "time", vec!["pre".to_string(), "post".into()])
        );
        assert_eq!(recipe.columns.pre, None, "no pre column in a long file");
        recipe.ingest = Some(IngestSettings {
            long: Some(crate::core::ingest::reshape::LongLayout {
                id: hint.id,
                wave: hint.wave,
                waves: Some(hint.waves),
            }),
            ..Default::default()
        });
        let r = handle_to_end(&mut s, Request::Analyse { seq: 2, recipe }, None);
        let (ds, recipe, a) = last_analysis(&r);
        let ds = ds.unwrap();
        assert_eq!(ds.columns, vec!["participant", "group", "score_pre", "score_post"]);
        assert_eq!(ds.n_rows, 3);
        assert!(ds.long_layout.is_none());
        assert!(
            ds.diagnostics.iter().any(|d| d.row == Some(7) && d.message.contains("repeats participant “P3”")),
            "{:?}",
            ds.diagnostics
        );
        // Roles are suggested for the new columns.
        assert_eq!(
            (recipe.columns.pre.as_deref(), recipe.columns.post.as_deref()),
            (Some("score_pre"), Some("score_post"))
        );
        assert_eq!(recipe.columns.group.as_deref(), Some("group"));
        let paired = &a.unwrap().results.paired["intervention"];
        assert_eq!(paired.n, 2);
        // (15 − 20 + 12 − 18) / 2: P3's first pre row is used, the repeated one is not.
        assert!((paired.mean_diff.unwrap() - (-5.5)).abs() < 1e-12, "{:?}", paired.mean_diff);
        // Back to the file as it is: the roles naming reshaped columns go.
        let mut back = recipe.clone();
        back.ingest = Some(IngestSettings::default());
        let r = handle_to_end(&mut s, Request::Analyse { seq: 3, recipe: back }, None);
        let (ds, recipe, _) = last_analysis(&r);
        assert_eq!(ds.unwrap().n_rows, 7);
        assert_eq!(recipe.columns.pre, None);
    }

    #[test]
    fn edited_answer_numbers_read_the_file_again() {
        let mut s = Service::new();
        let csv = b"id,pre,post\n1,Agree,Disagree\n2,Strongly agree,Neutral\n3,Neutral,Strongly disagree\n";
        let r = handle_to_end(
            &mut s,
            Request::LoadData { seq: 1, name: "l.csv".into(), recipe: Recipe::default(), keep_roles: false },
            Some(csv),
        );
        let (ds, mut recipe, a) = last_analysis(&r);
        let maps = ds.unwrap().value_maps;
        assert_eq!(
            maps.iter().map(|m| m.column.as_str()).collect::<Vec<_>>(),
            vec!["pre", "post"],
            "the page sees the detected maps"
        );
        assert_eq!(maps[0].lookup("Strongly agree"), Some(5.0));
        assert_eq!(a.unwrap().results.paired["all"].n, 3);
        let mut settings = IngestSettings::default();
        settings.value_maps.insert("post".into(), [("Neutral".to_string(), None)].into_iter().collect());
        recipe.ingest = Some(settings);
        let r = handle_to_end(&mut s, Request::Analyse { seq: 2, recipe: recipe.clone() }, None);
        let (ds, after, a) = last_analysis(&r);
        let ds = ds.unwrap();
        assert_eq!(a.unwrap().results.paired["all"].n, 2, "“Neutral” is missing in post now");
        assert_eq!(ds.value_maps[1].missing, vec!["Neutral".to_string()]);
        assert_eq!(after.columns, recipe.columns, "roles are kept when only the numbers change");
        // Reset: the override removed, the detected map is back.
        recipe.ingest = Some(IngestSettings::default());
        let r = handle_to_end(&mut s, Request::Analyse { seq: 3, recipe }, None);
        let (ds, _, a) = last_analysis(&r);
        assert!(ds.unwrap().value_maps[1].missing.is_empty());
        assert_eq!(a.unwrap().results.paired["all"].n, 3);
    }

    /// A file handle like the worker's: holds no bytes, reads them on each use (counted), and
    /// can be made to fail (the browser could not read the file).
    struct Handle {
        bytes: Vec<u8>,
        reads: std::rc::Rc<std::cell::Cell<usize>>,
        fail: bool,
    }

    impl FileSource for Handle {
        fn size(&self) -> u64 {
            self.bytes.len() as u64
        }
        fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, String> {
            self.reads.set(self.reads.get() + 1);
            if self.fail {
                return Err("NotReadableError".into());
            }
            Ok(std::borrow::Cow::Owned(self.bytes.clone()))
        }
        fn held(&self) -> usize {
            0
        }
    }

    #[test]
    fn messages_are_externally_tagged_json_and_round_trip() {
        // The worker's loader posts this literal when the worker cannot start (engine.rs).
        let r: Reply = serde_json::from_str(r#"{"failed":{"seq":0,"message":"worker: boom"}}"#).unwrap();
        assert_eq!(r, Reply::Failed { seq: 0, message: "worker: boom".into() });
        assert_eq!(serde_json::to_string(&Reply::Ready).unwrap(), r#""ready""#);
        for req in
            [Request::Cancel, Request::Analyse { seq: 3, recipe: Recipe::default() }, Request::CleanCsv { seq: 4 }]
        {
            let json = serde_json::to_string(&req).unwrap();
            assert_eq!(serde_json::from_str::<Request>(&json).unwrap(), req, "{json}");
        }
    }

    #[test]
    fn a_file_handle_is_read_once_per_reading_and_kept_to_read_again() {
        let reads = std::rc::Rc::new(std::cell::Cell::new(0));
        let handle = |bytes: &[u8], fail: bool| -> Option<Box<dyn FileSource>> {
            Some(Box::new(Handle { bytes: bytes.to_vec(), reads: reads.clone(), fail }))
        };
        let mut s = Service::new();
        let load = |seq| Request::LoadData { seq, name: "h.csv".into(), recipe: Recipe::default(), keep_roles: false };
        let r =
            s.handle_source(load(1), handle(b"id,pre,post\n1,Agree,Disagree\n2,Neutral,Agree\n3,Agree,Agree\n", false));
        let (_, mut recipe, a) = last_analysis(&[r.expect("an answer")]);
        assert_eq!(reads.get(), 1);
        assert_eq!(a.unwrap().results.paired["all"].n, 3);
        // New reading settings: the same handle is read again (it holds no bytes, so it is kept
        // whatever the file's size).
        let mut settings = IngestSettings::default();
        settings.value_maps.insert("pre".into(), [("Neutral".to_string(), None)].into_iter().collect());
        recipe.ingest = Some(settings);
        let r = handle_to_end(&mut s, Request::Analyse { seq: 2, recipe }, None);
        let (_, _, a) = last_analysis(&r);
        assert_eq!(reads.get(), 2);
        assert_eq!(a.unwrap().results.paired["all"].n, 2, "“Neutral” is missing in pre now");
        // A file the browser cannot read: a plain message, and the data loaded before stays.
        let r = s.handle_source(load(3), handle(b"x\n1\n", true));
        assert!(
            matches!(&r, Some(Reply::Failed { seq: 3, message }) if message == "“h.csv” could not be read. NotReadableError"),
            "{r:?}"
        );
        let r = handle_to_end(&mut s, Request::CleanCsv { seq: 4 }, None);
        assert!(matches!(&r[0], Reply::CleanCsv { text, .. } if text.starts_with("id,pre,post")), "{r:?}");
        // A cost table the browser cannot read fails the same way.
        let r = s.handle_source(
            Request::LoadCosts { seq: 5, name: "c.csv".into(), recipe: Recipe::default() },
            handle(b"x", true),
        );
        assert!(matches!(&r, Some(Reply::Failed { seq: 5, message }) if message.contains("NotReadableError")), "{r:?}");
        assert_eq!(Request::Cancel.seq(), 0);
        assert_eq!(Request::Reset { seq: 9 }.seq(), 9);
    }

    #[test]
    fn a_big_file_is_analysed_in_a_second_step_after_a_progress_message() {
        let mut csv = String::from("id,group,pre,post\n");
        for i in 0..DEFER_ANALYSIS_ROWS {
            csv.push_str(&format!(
                "{i},{},{},{}\n",
                if i % 2 == 0 { "intervention" } else { "control" },
                30 + i % 7,
                28 + i % 5
            ));
        }
        let mut s = Service::new();
        let first = s.handle(
            Request::LoadData { seq: 1, name: "big.csv".into(), recipe: Recipe::default(), keep_roles: false },
            Some(csv.as_bytes()),
        );
        assert!(matches!(&first, Some(Reply::Progress { seq: 1, fraction, .. }) if *fraction == 0.5), "{first:?}");
        assert!(s.busy());
        let Some(Reply::Analysed { seq: 1, analysis: Some(a), .. }) = s.work() else { panic!("the analysis follows") };
        assert_eq!(a.results.paired["intervention"].n, DEFER_ANALYSIS_ROWS / 2);
        assert!(!s.busy());
        // A newer request before the step replaces it: one answer, for the newer request.
        let _ = s.handle(
            Request::LoadData { seq: 2, name: "big.csv".into(), recipe: Recipe::default(), keep_roles: false },
            Some(csv.as_bytes()),
        );
        let recipe = s.recipe.clone();
        let r = handle_to_end(&mut s, Request::Analyse { seq: 3, recipe }, None);
        assert!(matches!(r.as_slice(), [Reply::Analysed { seq: 3, .. }]), "{r:?}");
        assert!(!s.busy());
    }
}
