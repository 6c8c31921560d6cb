//! The Combine sites part of the app state: the sites' results files, their names in the
//! report, the model drawn, and the pooled document (`core::results::pooling`). Pure, so the
//! state's transitions can be tested natively (`crate::ui::model`).

use crate::core::present::combine::Model;
use crate::core::results::pooling::{pool_texts, PooledDocument};
use std::collections::BTreeMap;
use std::rc::Rc;

/// The sites' files and what the page made of them (part of the app state).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Combine {
    /// Every file given, in order: (file name, its text).
    pub files: Vec<(String, String)>,
    /// Names the user gave sites for the report: file → name.
    pub labels: BTreeMap<String, String>,
    /// The model drawn as the diamond.
    pub model: Model,
    /// The pooled document of `files` (`None` without files).
    pub doc: Option<Rc<PooledDocument>>,
}

/// One change to the combined sites.
#[derive(Debug, Clone, PartialEq)]
pub enum CombineEdit {
    /// Files read (name, text), added to those already given.
    Add(Vec<(String, String)>),
    /// Remove one given file: the first with this name (`last`: the last one, e.g. a second copy).
    Remove {
        file: String,
        last: bool,
    },
    Clear,
    /// The name of a site in the report (empty: its file name).
    Rename {
        file: String,
        label: String,
    },
    Model(Model),
}

impl Combine {
    /// Applies an edit and pools the files again (a few small JSON files: instant).
    pub fn apply(&self, edit: CombineEdit) -> Combine {
        let mut c = self.clone();
        match edit {
            CombineEdit::Add(files) => c.files.extend(files),
            CombineEdit::Remove { file, last } => {
                let at = if last {
                    c.files.iter().rposition(|(f, _)| *f == file)
                } else {
                    c.files.iter().position(|(f, _)| *f == file)
                };
                if let Some(i) = at {
                    c.files.remove(i);
                }
            }
            CombineEdit::Clear => c = Combine { model: c.model, ..Combine::default() },
            CombineEdit::Rename { file, label } => {
                let label = label.trim().to_string();
                if label.is_empty() || label == file {
                    c.labels.remove(&file);
                } else {
                    c.labels.insert(file, label);
                }
                return c;
            }
            CombineEdit::Model(m) => {
                c.model = m;
                return c;
            }
        }
        c.doc = (!c.files.is_empty()).then(|| Rc::new(pool_texts(&c.files)));
        c
    }

    /// The name a site is shown with.
    pub fn label(&self, file: &str) -> String {
        self.labels.get(file).cloned().unwrap_or_else(|| file.to_string())
    }
}
