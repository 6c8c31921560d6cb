//! Guesses for a set of wave files loaded without a recipe `link` (CONTRACT §5): which wave a
//! file is from its name, and which columns hold the participant code.
//!
//! - Waves: the file name is split into tokens on every non-alphanumeric character and
//!   lower-cased; a token equal to one of the contract's words (`pre`, `before`, `baseline`,
//!   `t0`, `wave1`, `w1` → pre; `post`, `after`, `t1`, `wave2`, `w2` → post; `follow`, `fu`,
//!   `t2`, `wave3`, `w3`, `3m`, `6m`, `12m` → follow-up) names the wave. Whole tokens only, so
//!   "depression" is not "pre" and "posters" is not "post". A name with words of two waves is
//!   no guess.
//! - Code columns: a column whose name (or question text) has a word such as `code`, `id`,
//!   `participant`, `SGIC`; else the parts of a self-generated code (initial, month, digit…)
//!   in file order; else the first column whose values look like codes (mostly distinct,
//!   3–12 characters, not numbers with decimals).

use super::Wave;
use crate::core::dataset::Dataset;

const PRE_WORDS: &[&str] = &["pre", "before", "baseline", "t0", "wave1", "w1"];
const POST_WORDS: &[&str] = &["post", "after", "t1", "wave2", "w2"];
const FOLLOWUP_WORDS: &[&str] = &["follow", "followup", "fu", "t2", "wave3", "w3", "3m", "6m", "12m"];

/// Lower-cased tokens of a name split on non-alphanumeric characters.
fn tokens(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_lowercase).collect()
}

/// The wave a file name says, if it says exactly one.
pub fn guess_wave(file_name: &str) -> Option<Wave> {
    // The extension is not part of the name.
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let t = tokens(stem);
    let has = |words: &[&str]| t.iter().any(|w| words.contains(&w.as_str()));
    let found: Vec<Wave> = [(Wave::Pre, PRE_WORDS), (Wave::Post, POST_WORDS), (Wave::Followup, FOLLOWUP_WORDS)]
        .into_iter()
        .filter(|(_, words)| has(words))
        .map(|(w, _)| w)
        .collect();
    match found.as_slice() {
        [w] => Some(*w),
        _ => None,
    }
}

/// Waves for files loaded together: each file's own guess; files without one take the waves
/// no file claims, in time order (shown to the user to confirm).
pub fn guess_waves(file_names: &[&str]) -> Vec<Option<Wave>> {
    let mut out: Vec<Option<Wave>> = file_names.iter().map(|n| guess_wave(n)).collect();
    let mut free = Wave::ALL.into_iter().filter(|w| !out.contains(&Some(*w))).collect::<Vec<_>>().into_iter();
    for w in out.iter_mut().filter(|w| w.is_none()) {
        *w = free.next();
    }
    out
}

const CODE_WORDS: &[&str] =
    &["code", "id", "sgic", "participant", "pid", "identifier", "token", "pseudonym", "codigo", "código"];
/// Words of a self-generated code's parts ("first letter of your mother's name", "birth month").
const PART_WORDS: &[&str] = &["initial", "initials", "letter", "month", "day", "digit", "digits"];
/// Words that mark a column as not a person's code even with "id" in it.
const NOT_CODE_WORDS: &[&str] =
    &["group", "school", "class", "site", "session", "cluster", "response", "recipient", "ip", "email"];

/// The code columns suggested for a wave's file, in the order to join them (empty: none found).
pub fn suggest_code_columns(ds: &Dataset) -> Vec<String> {
    let label = |name: &str| ds.labels.iter().find(|(c, _)| c == name).map(|(_, l)| l.as_str()).unwrap_or("");
    let usable = |name: &str| {
        !ds.metadata_columns.iter().any(|m| m == name) && ds.column(name).is_none_or(|c| filled(ds, &c.cells) != 0)
    };
    let words_of = |name: &str| -> Vec<String> {
        let mut t = tokens(name);
        t.extend(tokens(label(name)));
        t
    };
    let names = ds.column_names();
    // A column named as a code.
    let named = names.iter().find(|n| {
        let w = words_of(n);
        usable(n)
            && w.iter().any(|x| CODE_WORDS.contains(&x.as_str()))
            && !w.iter().any(|x| NOT_CODE_WORDS.contains(&x.as_str()))
    });
    if let Some(n) = named {
        return vec![n.clone()];
    }
    // The parts of a self-generated code.
    let parts: Vec<String> = names
        .iter()
        .filter(|n| usable(n) && tokens(n).iter().any(|x| PART_WORDS.contains(&x.as_str())))
        .cloned()
        .collect();
    if parts.len() >= 2 {
        return parts;
    }
    // Values that look like codes.
    names.iter().find(|n| usable(n) && looks_like_codes(ds, n)).map(|n| vec![n.clone()]).unwrap_or_default()
}

fn filled(ds: &Dataset, cells: &crate::core::dataset::Cells) -> usize {
    cells.iter().filter(|c| !ds.is_missing_value(c)).count()
}

/// Mostly distinct values of 3–12 characters with a letter or digit, not decimal numbers or
/// free text (no spaces), filled in most rows.
fn looks_like_codes(ds: &Dataset, name: &str) -> bool {
    let Some(col) = ds.column(name) else { return false };
    let values: Vec<&str> = col.cells.iter().map(String::as_str).filter(|c| !ds.is_missing_value(c)).collect();
    if values.len() < 3 || values.len() * 5 < ds.n_rows * 4 {
        return false;
    }
    let shaped = values
        .iter()
        .filter(|v| {
            let n = v.chars().count();
            (3..=12).contains(&n)
                && !v.contains(' ')
                && v.chars().any(char::is_alphanumeric)
                && !(v.contains('.') && v.parse::<f64>().is_ok())
                && !v.contains(',')
        })
        .count();
    let distinct: std::collections::HashSet<&str> = values.iter().copied().collect();
    shaped * 10 >= values.len() * 9 && distinct.len() * 10 >= values.len() * 9
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::read_csv;

    #[test]
    fn waves_from_whole_tokens_of_file_names() {
        assert_eq!(guess_wave("circle_before.csv"), Some(Wave::Pre));
        assert_eq!(guess_wave("circle_after.csv"), Some(Wave::Post));
        assert_eq!(guess_wave("circle_6m.csv"), Some(Wave::Followup));
        assert_eq!(guess_wave("Stigma survey - before (Responses) - Form responses 1.csv"), Some(Wave::Pre));
        assert_eq!(guess_wave("Stigma survey - after_April 12, 2024_09.14.csv"), Some(Wave::Post));
        assert_eq!(guess_wave("depression.csv"), None, "“pre” inside a word is no wave");
        assert_eq!(guess_wave("posters.csv"), None);
        assert_eq!(guess_wave("survey-T0.csv"), Some(Wave::Pre));
        assert_eq!(guess_wave("Follow-up 12m.csv"), Some(Wave::Followup));
        assert_eq!(guess_wave("pre_and_post.csv"), None, "two waves named: no guess");
        assert_eq!(guess_wave("wave2.csv"), Some(Wave::Post));
        assert_eq!(guess_waves(&["x.csv", "y_post.csv"]), vec![Some(Wave::Pre), Some(Wave::Post)]);
        assert_eq!(
            guess_waves(&["a_pre.csv", "b_pre.csv"]),
            vec![Some(Wave::Pre), Some(Wave::Pre)],
            "a clash is kept for the page to show"
        );
    }

    #[test]
    fn code_columns_by_name_label_parts_or_values() {
        let ds = read_csv(b"Timestamp,Participant ID (on your card),group,score\n1/2/2024,AB-1,x,3\n1/2/2024,AB-2,y,4\n1/3/2024,AB-3,x,5\n", "a.csv").unwrap();
        assert_eq!(suggest_code_columns(&ds), vec!["Participant ID (on your card)".to_string()]);
        let ds = read_csv(
            b"submitted,mother_initial,birth_month,phone_last_digit,score\n1,A,6,8,2.5\n2,B,7,1,3.5\n3,C,1,1,1.5\n",
            "b.csv",
        )
        .unwrap();
        assert_eq!(
            suggest_code_columns(&ds),
            vec!["mother_initial".to_string(), "birth_month".into(), "phone_last_digit".into()]
        );
        let ds = read_csv(b"who,score\nA063,3.8\nS19,1.4\nB101,2.0\nM67,2.2\n", "c.csv").unwrap();
        assert_eq!(suggest_code_columns(&ds), vec!["who".to_string()]);
        let ds = read_csv(b"group_id,score\n1,3.8\n1,1.4\n2,2.0\n", "d.csv").unwrap();
        assert!(suggest_code_columns(&ds).is_empty());
    }
}
