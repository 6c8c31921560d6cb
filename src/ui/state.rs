//! The one app state and its actions (Yew `Reducible`). Every change goes through
//! [`Action`]; the reducer calls the pure core and stores its results.

use crate::core::analysis::{analyse, Analysis};
use crate::core::dataset::Dataset;
use crate::core::demo::{demo_csv, demo_recipe, DEMO_FILE_NAME};
use crate::core::ingest::read_csv;
use crate::core::recipe::Recipe;
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
}

impl Role {
    pub const ALL: [Role; 8] =
        [Role::Pre, Role::Post, Role::Followup, Role::Group, Role::HelpPre, Role::HelpPost, Role::Subgroup, Role::Id];

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
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub status: Status,
    pub dataset: Option<Rc<Dataset>>,
    pub recipe: Recipe,
    /// True once the user loaded a recipe: its roles are kept for new data, not re-guessed.
    pub recipe_from_user: bool,
    pub analysis: Option<Rc<Analysis>>,
    /// The last error, shown with role="alert".
    pub error: Option<String>,
    /// The current page, from the URL fragment.
    pub route: String,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            status: Status::Idle,
            dataset: None,
            recipe: Recipe::default(),
            recipe_from_user: false,
            analysis: None,
            error: None,
            route: String::new(),
        }
    }
}

pub enum Action {
    /// Loads the built-in demo dataset.
    LoadDemo,
    /// Something started that will end in another action (file reading).
    Busy,
    /// A data file's bytes arrived.
    LoadData { name: String, bytes: Vec<u8> },
    /// A recipe file's text arrived.
    LoadRecipe(String),
    SetRole(Role, Option<String>),
    /// The scale's reliability for reliable change (None clears it).
    SetRxx(Option<f64>),
    /// Reading something failed before the core saw it.
    Failed(String),
    Route(String),
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
        }
    }

    fn load_data(&mut self, name: &str, bytes: &[u8]) {
        match read_csv(bytes, name) {
            Ok(ds) => {
                if !self.recipe_from_user {
                    self.recipe.columns = Default::default();
                    self.recipe.suggest_columns(&ds.column_names());
                }
                self.dataset = Some(Rc::new(ds));
                self.error = None;
                self.rerun();
            }
            Err(e) => {
                self.status = Status::Error;
                self.error = Some(format!("“{name}” could not be opened. {e}"));
            }
        }
    }

    /// Recomputes every result from the dataset and recipe in force.
    fn rerun(&mut self) {
        match &self.dataset {
            Some(ds) => {
                self.analysis = Some(Rc::new(analyse(ds, &self.recipe)));
                self.status = Status::Ready;
            }
            None => {
                self.analysis = None;
                self.status = Status::Idle;
            }
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::LoadDemo => {
                if !s.recipe_from_user {
                    s.recipe = demo_recipe();
                }
                s.load_data(DEMO_FILE_NAME, demo_csv().as_bytes())
            }
            Action::Busy => s.status = Status::Busy,
            Action::LoadData { name, bytes } => {
                if !s.recipe_from_user {
                    // The demo's settings (scale, reliability) do not describe the user's file.
                    s.recipe = Recipe::default();
                }
                s.load_data(&name, &bytes)
            }
            Action::LoadRecipe(text) => match Recipe::from_json(&text) {
                Ok(r) => {
                    s.recipe = r;
                    s.recipe_from_user = true;
                    s.error = None;
                    s.rerun();
                }
                Err(e) => {
                    s.status = Status::Error;
                    s.error = Some(e.to_string());
                }
            },
            Action::SetRole(role, col) => {
                *s.role_mut(role) = col;
                s.rerun();
            }
            Action::SetRxx(rxx) => {
                let mut inputs = s.recipe.rci_inputs.clone().unwrap_or_default();
                inputs.rxx = rxx.filter(|r| (0.0..1.0).contains(r));
                s.recipe.rci_inputs = Some(inputs);
                s.rerun();
            }
            Action::Failed(msg) => {
                s.status = Status::Error;
                s.error = Some(msg);
            }
            Action::Route(r) => s.route = r,
        }
        Rc::new(s)
    }
}
