//! What the page's Comments part shows, made in the worker from the data and the recipe:
//! the columns offered as comment columns, one page of the comment browser (search, filter by
//! arm / code, uncoded only) with keyword-in-context highlights, word and two-word
//! frequencies, the codebook's problems and the starred quotes, redacted.
//!
//! This holds comment text and goes only to the page (never into `results`).

use crate::core::analyses::comments::frequencies::{pair_frequencies, word_frequencies, StopWords, DEFAULT_STOP_WORDS};
use crate::core::analyses::comments::matching::CompiledCodebook;
use crate::core::analyses::comments::redact::Redactor;
use crate::core::analyses::comments::result::{Arm, CodedColumn};
use crate::core::analyses::comments::{analyse_all, comment_arms, wave_of_column, CommentsError};
use crate::core::analyses::Arms;
use crate::core::dataset::{parse_number, Dataset};
use crate::core::recipe::comments::CommentsRecipe;
use crate::core::recipe::Recipe;
use serde::{Deserialize, Serialize};

/// Comments per browser page.
pub const PAGE_SIZE: usize = 20;
/// Words and two-word phrases listed.
pub const TOP_TERMS: usize = 30;
/// Comments whose words are counted (the first ones that pass the filters): counting every
/// word of 10,000 long comments takes about a second, which the page would wait for after
/// every edit.
pub const TERMS_FROM: usize = 2_000;
/// Rows read to score a column as free text.
const SCORE_ROWS: usize = 2_000;

/// What the browser should show (the page's choices; not saved in the recipe).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommentsQuery {
    /// The comment column browsed (`None`: the recipe's first).
    pub column: Option<String>,
    /// A phrase, matched as codebook phrases are (`*` stems allowed).
    pub search: String,
    pub arm: Option<Arm>,
    /// Only comments with this code.
    pub code: Option<String>,
    /// Only comments with no code.
    pub uncoded_only: bool,
    /// Only the comment columns of this wave (`pre`, `post`, `followup`) of a linked table.
    pub wave: Option<String>,
    /// 0-based page.
    pub page: usize,
}

/// A column of the file and how much it looks like free text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateColumn {
    pub name: String,
    /// Non-blank cells (of the first rows read).
    pub filled: usize,
    /// Mean characters of a non-blank cell.
    pub mean_chars: f64,
    /// Distinct texts / non-blank cells.
    pub distinct_share: f64,
    /// Mostly long, mostly distinct text: offered first.
    pub suggested: bool,
}

/// A highlighted byte range of a comment's text: a code's phrase, or (`code: None`) the search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Highlight {
    pub start: usize,
    pub end: usize,
    pub code: Option<usize>,
}

/// One comment in the browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewComment {
    /// 1-based data row.
    pub row: usize,
    pub arm: Option<Arm>,
    /// Indices into [`CommentsView::codes`].
    pub codes: Vec<usize>,
    /// Codes given by hand (`manual`), indices as `codes`.
    pub manual: Vec<usize>,
    pub text: String,
    pub highlights: Vec<Highlight>,
    pub starred: bool,
}

/// A starred quote as the report prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub column: String,
    pub row: usize,
    pub arm: Option<Arm>,
    pub codes: Vec<String>,
    /// Redacted text.
    pub text: String,
}

/// A word or two-word phrase and how often it occurs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    pub term: String,
    pub count: usize,
    pub comments: usize,
}

/// Everything the Comments part shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommentsView {
    /// Text columns of the file (not mostly numbers), in file order.
    pub candidates: Vec<CandidateColumn>,
    /// Problems with the recipe's `comments`, as plain sentences.
    pub problems: Vec<String>,
    /// Waves of the comment columns (linked tables' `pre_` / `post_` / `followup_` columns),
    /// in that order; empty when no column has a wave prefix.
    pub waves: Vec<String>,
    /// The column browsed.
    pub column: Option<String>,
    /// Codes in codebook order (then hand-tag-only codes).
    pub codes: Vec<String>,
    /// Whether rows have arms (a group role with both arms).
    pub with_arms: bool,
    /// Comments in the column browsed.
    pub total: usize,
    /// Comments that pass the filters.
    pub matching: usize,
    pub page: usize,
    pub pages: usize,
    pub comments: Vec<ViewComment>,
    pub words: Vec<Term>,
    pub pairs: Vec<Term>,
    /// Comments the frequencies were counted in (at most [`TERMS_FROM`], the first that pass).
    pub terms_from: usize,
    /// The stop-word list in force, sorted.
    pub stop_words: Vec<String>,
    /// Starred quotes of every comment column, redacted, in the recipe's order.
    pub quotes: Vec<Quote>,
}

/// Scores every column of the file as free text (from its first rows).
pub fn candidates(ds: &Dataset) -> Vec<CandidateColumn> {
    let mut out = Vec::new();
    for col in &ds.columns {
        let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
        let (mut filled, mut chars, mut numbers) = (0usize, 0usize, 0usize);
        for i in 0..ds.n_rows.min(SCORE_ROWS) {
            let Some(text) = col.cells.str_at(i) else { continue };
            if ds.is_missing_value(text) {
                continue;
            }
            filled += 1;
            chars += text.trim().chars().count();
            if parse_number(text).is_some() {
                numbers += 1;
            }
            seen.insert(text.trim());
        }
        let distinct = seen.len();
        if filled == 0 || numbers * 2 >= filled {
            continue;
        }
        let mean_chars = chars as f64 / filled as f64;
        let distinct_share = distinct as f64 / filled as f64;
        let suggested = mean_chars >= 20.0 && distinct_share >= 0.6 && filled >= 3.min(ds.n_rows);
        out.push(CandidateColumn { name: col.name.clone(), filled, mean_chars, distinct_share, suggested });
    }
    out
}

/// The recipe's `comments` reduced to what can be used when it has problems: columns of the
/// file only, and (with any codebook or hand-tag problem) no codebook and no hand tags.
fn usable(recipe: &CommentsRecipe, ds: &Dataset, problems: &[CommentsError]) -> CommentsRecipe {
    let mut r = recipe.clone();
    r.columns.retain(|c| ds.column(c).is_some());
    if problems.iter().any(|p| !matches!(p, CommentsError::ColumnNotFound { .. })) {
        r.codebook = Default::default();
        r.manual = Default::default();
    } else {
        r.manual.0.retain(|(c, _)| ds.column(c).is_some());
    }
    r
}

/// Builds the Comments part's view. `arms` as the analysis made them.
pub fn view(ds: &Dataset, recipe: &Recipe, arms: Option<&Arms>, query: &CommentsQuery) -> CommentsView {
    let mut v = CommentsView { candidates: candidates(ds), ..CommentsView::default() };
    let names = ds.column_names();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let settings = match recipe.comments.validate(&names, ds.n_rows) {
        Ok(s) => s,
        Err(problems) => {
            v.problems = problems.iter().map(ToString::to_string).collect();
            match usable(&recipe.comments, ds, &problems).validate(&names, ds.n_rows) {
                Ok(s) => s,
                Err(_) => return v,
            }
        }
    };
    let arm_of = comment_arms(arms);
    v.with_arms = arm_of.is_some();
    v.codes = settings.codebook.codes().to_vec();
    let (_, coded) = analyse_all(
        &settings,
        |col| ds.column(col).map(|c| c.cells.strs().map(Some).collect()),
        arm_of.as_deref(),
        |cell| ds.is_missing_value(cell),
    );
    let cell =
        |column: &str, row: usize| ds.column(column).and_then(|c| c.cells.str_at(row.wrapping_sub(1))).unwrap_or("");
    // Starred quotes, redacted.
    let redactor = Redactor::new(&recipe.comments.redact);
    for (column, rows) in &recipe.comments.quotes.0 {
        let col = coded.iter().find(|c| &c.column == column);
        for &row in rows {
            let Some(comment) = col.and_then(|c| c.comments.iter().find(|x| x.row == row)) else { continue };
            let codes = comment.codes.iter().filter_map(|&k| v.codes.get(k as usize).cloned()).collect();
            v.quotes.push(Quote {
                column: column.clone(),
                row,
                arm: comment.arm,
                codes,
                text: redactor.redact(cell(column, row)),
            });
        }
    }
    // The column browsed: the one asked for, within the wave asked for (the same question at
    // that wave when the column asked for is of another wave).
    v.waves = ["pre", "post", "followup"]
        .into_iter()
        .filter(|w| coded.iter().any(|c| wave_of_column(&c.column) == Some(*w)))
        .map(String::from)
        .collect();
    let asked = query.column.as_deref().and_then(|q| coded.iter().find(|c| c.column == q));
    let col = match query.wave.as_deref().filter(|w| v.waves.iter().any(|x| x == w)) {
        Some(wave) => {
            let question = asked.map(|c| {
                let name = c.column.as_str();
                wave_of_column(name).and_then(|w| name.get(w.len() + 1..)).unwrap_or(name)
            });
            asked
                .filter(|c| wave_of_column(&c.column) == Some(wave))
                .or_else(|| question.and_then(|q| coded.iter().find(|c| c.column == format!("{wave}_{q}"))))
                .or_else(|| coded.iter().find(|c| wave_of_column(&c.column) == Some(wave)))
        }
        None => asked.or_else(|| coded.first()),
    };
    let Some(col) = col else {
        return v;
    };
    v.column = Some(col.column.clone());
    v.total = col.comments.len();
    browse(&mut v, col, &settings.codebook, query, recipe, |row| cell(&col.column, row));
    v
}

/// Filters, pages, highlights and counts the words of one coded column.
fn browse<'a>(
    v: &mut CommentsView,
    col: &CodedColumn,
    codebook: &CompiledCodebook,
    query: &CommentsQuery,
    recipe: &Recipe,
    cell: impl Fn(usize) -> &'a str,
) {
    let search = (!query.search.trim().is_empty())
        .then(|| CompiledCodebook::new(&[("search".to_string(), vec![query.search.clone()])]));
    let code = query.code.as_deref().and_then(|c| codebook.code_index(c));
    let starred: &[usize] = recipe.comments.quotes.get(&col.column).map_or(&[], Vec::as_slice);
    let manual = recipe.comments.manual.get(&col.column);
    let passing: Vec<_> = col
        .comments
        .iter()
        .filter(|c| query.arm.is_none() || c.arm == query.arm)
        // (A code the codebook no longer has matches nothing.)
        .filter(|c| match (&query.code, code) {
            (None, _) => true,
            (Some(_), Some(k)) => c.codes.contains(&(k as u32)),
            (Some(_), None) => false,
        })
        .filter(|c| !query.uncoded_only || c.codes.is_empty())
        .filter(|c| search.as_ref().is_none_or(|s| !s.code(cell(c.row)).is_empty()))
        .collect();
    v.matching = passing.len();
    v.pages = passing.len().div_ceil(PAGE_SIZE).max(1);
    v.page = query.page.min(v.pages - 1);
    for c in passing.iter().skip(v.page * PAGE_SIZE).take(PAGE_SIZE) {
        let text = cell(c.row);
        let mut highlights: Vec<Highlight> = codebook
            .match_spans(text)
            .into_iter()
            .map(|m| Highlight { start: m.start, end: m.end, code: Some(m.code) })
            .collect();
        if let Some(s) = &search {
            highlights.extend(s.match_spans(text).into_iter().map(|m| Highlight {
                start: m.start,
                end: m.end,
                code: None,
            }));
        }
        highlights.sort_by_key(|h| (h.start, h.end));
        let by_hand: Vec<usize> = manual
            .and_then(|m| m.get(&c.row.to_string()))
            .map(|codes| codes.iter().filter_map(|name| codebook.code_index(name)).collect())
            .unwrap_or_default();
        v.comments.push(ViewComment {
            row: c.row,
            arm: c.arm,
            codes: c.codes.iter().map(|&k| k as usize).collect(),
            manual: by_hand,
            text: text.to_string(),
            highlights,
            starred: starred.contains(&c.row),
        });
    }
    let stop = match &recipe.comments.stop_words {
        Some(list) => StopWords::from_words(list),
        None => StopWords::from_words(DEFAULT_STOP_WORDS),
    };
    v.stop_words = stop.to_sorted_vec();
    let texts: Vec<&str> = passing.iter().take(TERMS_FROM).map(|c| cell(c.row)).collect();
    v.terms_from = texts.len();
    let term = |f: crate::core::analyses::comments::frequencies::Frequency| Term {
        term: f.term,
        count: f.count,
        comments: f.comments,
    };
    v.words = word_frequencies(&texts, &stop, TOP_TERMS).into_iter().map(term).collect();
    v.pairs = pair_frequencies(&texts, &stop, TOP_TERMS).into_iter().map(term).collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analyses::arms;
    use crate::core::ingest::read_csv;

    fn data() -> (Dataset, Recipe) {
        let csv = "id,group,score,comment\n\
            1,intervention,3,\"I understand now, call me on 0412 345 678\"\n\
            2,control,4,\"Nothing much changed for me really\"\n\
            3,intervention,2,\"\"\n\
            4,control,5,\"The peer's story made me understand a lot\"\n";
        let ds = read_csv(csv.as_bytes(), "t.csv").unwrap();
        let recipe = Recipe::from_json(
            r#"{"columns":{"group":"group"},"comments":{"columns":["comment"],"codebook":{"understanding":["understand*"],"contact":["peer*"]},
                "manual":{"comment":{"2":["other"]}},"quotes":{"comment":[1]},"redact":["peer"]}}"#,
        )
        .unwrap();
        (ds, recipe)
    }

    #[test]
    fn view_pages_filters_highlights_and_redacts_quotes() {
        let (ds, recipe) = data();
        let arms = arms(&ds, &recipe, &mut Vec::new());
        let v = view(&ds, &recipe, arms.as_ref(), &CommentsQuery::default());
        assert!(v.problems.is_empty(), "{:?}", v.problems);
        assert_eq!(v.codes, ["understanding", "contact", "other"]);
        assert_eq!((v.total, v.matching, v.pages), (3, 3, 1));
        assert!(v.with_arms);
        let first = &v.comments[0];
        assert_eq!(first.row, 1);
        assert!(first.starred);
        assert_eq!(&first.text[first.highlights[0].start..first.highlights[0].end], "understand");
        assert_eq!(v.comments[1].manual, vec![2]);
        assert_eq!(v.quotes.len(), 1);
        assert_eq!(v.quotes[0].text, "I understand now, call me on [removed]");
        assert!(v.candidates.iter().any(|c| c.name == "comment" && c.suggested));
        assert!(!v.candidates.iter().any(|c| c.name == "score"));
        // Filters.
        let q = CommentsQuery { code: Some("contact".into()), ..Default::default() };
        assert_eq!(view(&ds, &recipe, arms.as_ref(), &q).matching, 1);
        let q = CommentsQuery { uncoded_only: true, ..Default::default() };
        assert_eq!(view(&ds, &recipe, arms.as_ref(), &q).matching, 0);
        let q = CommentsQuery { search: "nothing much".into(), arm: Some(Arm::Control), ..Default::default() };
        let s = view(&ds, &recipe, arms.as_ref(), &q);
        assert_eq!((s.matching, s.comments[0].highlights.len()), (1, 1));
        assert!(s.words.iter().any(|w| w.term == "changed"));
    }

    #[test]
    fn the_wave_filter_browses_the_same_question_at_that_wave() {
        let csv = "link_code,pre_group,pre_feedback,post_feedback,post_note\n\
            AAA1,intervention,I was scared,I understand now,fine\n\
            BBB2,control,,Nothing changed,ok then\n\
            CCC3,control,Peers helped,,\n";
        let ds = read_csv(csv.as_bytes(), "linked.csv").unwrap();
        let recipe = Recipe::from_json(
            r#"{"comments":{"columns":["pre_feedback","post_feedback","post_note"],"codebook":{"fear":["scar*"]}}}"#,
        )
        .unwrap();
        let v = view(&ds, &recipe, None, &CommentsQuery::default());
        assert_eq!(v.waves, ["pre", "post"]);
        assert_eq!((v.column.as_deref(), v.total), (Some("pre_feedback"), 2));
        // After: the same question's after column (2 comments), not post_note.
        let q = CommentsQuery { column: Some("pre_feedback".into()), wave: Some("post".into()), ..Default::default() };
        let v = view(&ds, &recipe, None, &q);
        assert_eq!((v.column.as_deref(), v.total), (Some("post_feedback"), 2));
        assert_eq!(v.comments[0].text, "I understand now");
        // A column of the wave asked for stays.
        let q = CommentsQuery { column: Some("post_note".into()), wave: Some("post".into()), ..Default::default() };
        assert_eq!(view(&ds, &recipe, None, &q).column.as_deref(), Some("post_note"));
        // Before, from post_note (no pre_note): the first before column.
        let q = CommentsQuery { column: Some("post_note".into()), wave: Some("pre".into()), ..Default::default() };
        assert_eq!(view(&ds, &recipe, None, &q).column.as_deref(), Some("pre_feedback"));
        // A wave no column has is ignored.
        let q = CommentsQuery { wave: Some("followup".into()), ..Default::default() };
        assert_eq!(view(&ds, &recipe, None, &q).column.as_deref(), Some("pre_feedback"));
    }

    #[test]
    fn a_bad_codebook_is_a_message_and_the_comments_still_show() {
        let (ds, mut recipe) = data();
        recipe.comments.codebook.0.push(("broken".into(), vec!["*".into()]));
        let v = view(&ds, &recipe, None, &CommentsQuery::default());
        assert_eq!(v.problems.len(), 1);
        assert!(v.problems[0].contains("only a *"), "{:?}", v.problems);
        assert_eq!(v.total, 3);
        assert!(v.codes.is_empty());
        assert_eq!(recipe.comments.codebook.0.len(), 3, "nothing lost");
    }
}
