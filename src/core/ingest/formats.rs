//! Recognising the survey tool that wrote a file, from its first records, and what that means
//! for reading it: how many rows are headers, how column names are formed, which columns are
//! the tool's own metadata, and which rows are not participants (Qualtrics previews).
//!
//! - Qualtrics: row 1 names (`StartDate`, `Q4_1`), row 2 question text, row 3 `{"ImportId":…}`
//!   (the legacy export has only the first two); `Status` = "Survey Preview" rows are tests;
//!   `Finished` = False rows are unfinished.
//! - SurveyMonkey: row 1 question text, written once above a matrix question's first column;
//!   row 2 "Response", "Open-Ended Response" or the matrix statement. Names are
//!   "question | row 2" with the question carried across its blank cells.
//! - Google Forms: first column `Timestamp`; grid questions as `Question [row]`.
//! - KoboToolbox: `_uuid`, `_submission_time`, … and `group/field` names, usually `;`.
//! - REDCap: `record_id`, `redcap_event_name`, `redcap_repeat_instrument`, `field___code`
//!   checkbox columns and `form_complete` status columns.

use super::tokenize::Record;
use super::values::list_names;
use crate::core::dataset::ExportFormat;

/// How to read the header and rows of a recognised export.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub format: ExportFormat,
    /// Records at the top that are not data.
    pub header_rows: usize,
    /// Column names (before blank and duplicate names are fixed).
    pub names: Vec<String>,
    /// Question text per column index, when the export has it.
    pub labels: Vec<(usize, String)>,
    /// Indexes of the tool's metadata columns.
    pub metadata: Vec<usize>,
    /// Index of the Qualtrics `Status` column (previews are dropped).
    pub status_column: Option<usize>,
    /// Index of the Qualtrics `Finished` column (unfinished responses).
    pub finished_column: Option<usize>,
    /// What was recognised, in words.
    pub notes: Vec<String>,
}

const QUALTRICS_META: &[&str] = &[
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
    "Q_RecaptchaScore",
    "Q_RelevantIDDuplicate",
    "Q_RelevantIDDuplicateScore",
    "Q_RelevantIDFraudScore",
    "Q_RelevantIDLastStartDate",
    "ResponseID",
    "ResponseSet",
    "Name",
    "EmailAddress",
    "IPAddress",
    "ExternalDataReference",
];

const SURVEYMONKEY_META: &[&str] = &[
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
];

const GOOGLE_TIMESTAMP: &[&str] = &[
    "timestamp",
    "marca temporal",
    "horodateur",
    "zeitstempel",
    "carimbo de data/hora",
    "informazioni cronologiche",
    "tijdstempel",
];
const GOOGLE_META: &[&str] = &["timestamp", "email address", "score", "e-mail address"];

const KOBO_META: &[&str] = &[
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "simserial",
    "subscriberid",
    "phonenumber",
    "audit",
    "__version__",
    "meta/instanceID",
    "meta/rootUuid",
    "meta/deprecatedID",
    "formhub/uuid",
];

const REDCAP_META: &[&str] = &[
    "redcap_event_name",
    "redcap_repeat_instrument",
    "redcap_repeat_instance",
    "redcap_data_access_group",
    "redcap_survey_identifier",
    "redcap_record_metadata",
];

fn cell(r: Option<&Record>, i: usize) -> &str {
    r.and_then(|r| r.fields.get(i)).map_or("", |s| s.trim())
}

fn position(names: &[String], want: &str) -> Option<usize> {
    names.iter().position(|n| n.trim().eq_ignore_ascii_case(want))
}

fn has(names: &[String], want: &str) -> bool {
    position(names, want).is_some()
}

/// A header marker as compared between versions of an export: letters and digits only, in
/// lower case ("Respondent ID", "RespondentID" and "respondent_id" are one marker).
pub fn marker_key(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// [`position`] with the names compared as markers ([`marker_key`]).
fn marker_position(names: &[String], want: &str) -> Option<usize> {
    let want = marker_key(want);
    names.iter().position(|n| marker_key(n) == want)
}

fn has_marker(names: &[String], want: &str) -> bool {
    marker_position(names, want).is_some()
}

/// True when `name` is one of the markers in `list`, compared as markers.
fn is_marker(name: &str, list: &[&str]) -> bool {
    let k = marker_key(name);
    !k.is_empty() && list.iter().any(|m| marker_key(m) == k)
}

/// Names taken from one record, trimmed.
fn names_of(r: Option<&Record>) -> Vec<String> {
    r.map(|r| r.fields.iter().map(|f| f.trim().to_string()).collect()).unwrap_or_default()
}

/// Column names from several header rows: each row's text is carried right across blank
/// cells (a question written once above its sub-columns) unless the rows below are blank
/// too, then the non-blank parts are joined with " | ". A row with a single non-blank cell
/// is a title, not carried.
pub fn combine_header_rows(rows: &[&Record]) -> Vec<String> {
    let width = rows.iter().map(|r| r.fields.len()).max().unwrap_or(0);
    let mut filled: Vec<Vec<String>> = Vec::new();
    for (k, r) in rows.iter().enumerate() {
        let is_title = r.fields.iter().filter(|f| !f.trim().is_empty()).count() <= 1;
        let is_last = k + 1 == rows.len() || is_title;
        let mut carry = String::new();
        let mut row = Vec::with_capacity(width);
        for i in 0..width {
            let own = r.fields.get(i).map_or("", |s| s.trim());
            if !own.is_empty() {
                carry = own.to_string();
                row.push(carry.clone());
            } else if !is_last && rows.iter().skip(k + 1).any(|below| !cell(Some(below), i).is_empty()) {
                // A blank above a sub-column: the question continues.
                row.push(carry.clone());
            } else {
                carry.clear();
                row.push(String::new());
            }
        }
        filled.push(row);
    }
    (0..width)
        .map(|i| {
            let parts: Vec<&str> =
                filled.iter().filter_map(|row| row.get(i)).map(String::as_str).filter(|s| !s.is_empty()).collect();
            parts.join(" | ")
        })
        .collect()
}

fn meta_indexes(names: &[String], list: &[&str]) -> Vec<usize> {
    names.iter().enumerate().filter(|(_, n)| is_marker(n, list)).map(|(i, _)| i).collect()
}

fn metadata_note(format: ExportFormat, names: &[String], meta: &[usize]) -> Option<String> {
    if meta.is_empty() {
        return None;
    }
    let list: Vec<String> = meta.iter().filter_map(|&i| names.get(i).cloned()).collect();
    Some(format!(
        "{} {} added by {} itself, not answered by participants ({}){}.",
        list.len(),
        if list.len() == 1 { "column was" } else { "columns were" },
        format.name(),
        list_names(&list),
        if list.iter().any(|n| {
            let l = n.to_lowercase();
            l.contains("ip") && l.contains("address")
                || l.contains("email")
                || l.contains("latitude")
                || l.contains("longitude")
                || l.contains("name")
        }) {
            "; some may identify people"
        } else {
            ""
        }
    ))
}

fn is_qualtrics(r0: &[String], r1: Option<&Record>, r2: Option<&Record>) -> bool {
    let import_id =
        |r: Option<&Record>| r.is_some_and(|r| r.fields.iter().any(|f| f.trim_start().starts_with("{\"ImportId\"")));
    (has_marker(r0, "StartDate")
        && has_marker(r0, "EndDate")
        && ["Status", "Progress", "IPAddress", "ResponseId", "Finished"].iter().any(|n| has_marker(r0, n)))
        || import_id(r1)
        || import_id(r2)
}

/// `V1`, `V2`, … (the metadata columns of the legacy Qualtrics export).
fn is_v_name(name: &str) -> bool {
    name.trim()
        .strip_prefix('V')
        .is_some_and(|d| !d.is_empty() && d.len() <= 3 && d.bytes().all(|b| b.is_ascii_digit()))
}

/// The legacy Qualtrics export: row 1 `V1…V10` then `Q1, Q2, …`; row 2 the metadata names
/// (`ResponseID`, `ResponseSet`, `Name`, `ExternalDataReference`, `EmailAddress`, `IPAddress`,
/// `Status`, `StartDate`, `EndDate`, `Finished`) and then the question texts.
fn is_qualtrics_legacy(r0: &[String], r1: Option<&Record>) -> bool {
    let row2 = names_of(r1);
    r0.iter().filter(|n| is_v_name(n)).count() >= 3
        && has_marker(&row2, "ResponseID")
        && (has_marker(&row2, "StartDate") || has_marker(&row2, "EndDate"))
}

fn qualtrics_legacy(records: &[Record], override_rows: Option<usize>) -> Layout {
    let r0 = names_of(records.first());
    let r1 = names_of(records.get(1));
    let header_rows = override_rows.unwrap_or(2);
    let (names, labels): (Vec<String>, Vec<(usize, String)>) = if header_rows >= 2 {
        let mut labels = Vec::new();
        let names = r0
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let below = r1.get(i).map_or("", String::as_str);
                if is_v_name(n) && !below.is_empty() {
                    // A metadata column: its real name is on row 2.
                    below.to_string()
                } else {
                    if !below.is_empty() {
                        labels.push((i, below.to_string()));
                    }
                    n.clone()
                }
            })
            .collect();
        (names, labels)
    } else {
        (r0.clone(), Vec::new())
    };
    let note = if header_rows >= 2 {
        "Recognised a Qualtrics export (legacy layout): row 1 gives the column names (“V1”, “V2”, … for Qualtrics’ own \
         columns, named from row 2) and row 2 the question text."
            .to_string()
    } else {
        format!(
            "Recognised a Qualtrics export (legacy layout) with {}.",
            crate::core::dataset::count_of(header_rows, "header row", "header rows")
        )
    };
    qualtrics_layout(names, header_rows, labels, note)
}

fn qualtrics(records: &[Record], override_rows: Option<usize>) -> Layout {
    let (r0, r1, r2) = (records.first(), records.get(1), records.get(2));
    let names = names_of(r0);
    let import_id =
        |r: Option<&Record>| r.is_some_and(|r| r.fields.iter().any(|f| f.trim_start().starts_with("{\"ImportId\"")));
    // Row 2 is question text when row 3 holds import IDs, or when it does not look like data
    // (its StartDate cell does not start with a digit).
    let start_col = marker_position(&names, "StartDate").unwrap_or(0);
    let row2_is_labels = import_id(r2)
        || (r1.is_some() && !cell(r1, start_col).starts_with(|c: char| c.is_ascii_digit()) && !import_id(r1));
    let auto_rows = if import_id(r2) {
        3
    } else if import_id(r1) || row2_is_labels {
        2
    } else {
        1
    };
    let header_rows = override_rows.unwrap_or(auto_rows);
    let labels: Vec<(usize, String)> = if header_rows >= 2 && !import_id(r1) {
        names_of(r1).into_iter().enumerate().filter(|(_, l)| !l.is_empty()).collect()
    } else {
        Vec::new()
    };
    let note = match header_rows {
        3 => "Recognised a Qualtrics export: row 1 gives the column names, row 2 the question text, and row 3 (import IDs) was skipped.".to_string(),
        2 if labels.is_empty() => "Recognised a Qualtrics export: row 1 gives the column names and row 2 (import IDs) was skipped.".to_string(),
        2 => "Recognised a Qualtrics export (older layout): row 1 gives the column names and row 2 the question text.".to_string(),
        n => format!("Recognised a Qualtrics export with {}.", crate::core::dataset::count_of(n, "header row", "header rows")),
    };
    qualtrics_layout(names, header_rows, labels, note)
}

/// A Qualtrics layout (current or legacy) from its column names, header rows, question texts
/// and the note on how it was read: the metadata columns, their note, Status and Finished.
fn qualtrics_layout(names: Vec<String>, header_rows: usize, labels: Vec<(usize, String)>, note: String) -> Layout {
    let metadata = meta_indexes(&names, QUALTRICS_META);
    let mut notes = vec![note];
    notes.extend(metadata_note(ExportFormat::Qualtrics, &names, &metadata));
    Layout {
        format: ExportFormat::Qualtrics,
        header_rows,
        status_column: marker_position(&names, "Status"),
        finished_column: marker_position(&names, "Finished"),
        names,
        labels,
        metadata,
        notes,
    }
}

/// A cell of SurveyMonkey's second header row under a question with one answer column.
fn is_response_cell(cell: &str) -> bool {
    matches!(marker_key(cell).as_str(), "response" | "openendedresponse")
}

/// SurveyMonkey's second header row, by its shape: blank under the metadata columns (and under
/// the first column), "Response" or "Open-Ended Response" under single-answer questions, and
/// no numbers (it holds answer labels, not answers).
fn is_surveymonkey_second_row(r0: &[String], r1: Option<&Record>) -> bool {
    let Some(r1) = r1 else { return false };
    let meta = meta_indexes(r0, SURVEYMONKEY_META);
    let blank_under_meta = meta.iter().chain(std::iter::once(&0)).all(|&i| cell(Some(r1), i).is_empty());
    let responses = r1.fields.iter().filter(|f| is_response_cell(f)).count();
    let numbers = r1.fields.iter().filter(|f| crate::core::dataset::parse_number(f).is_some()).count();
    blank_under_meta && responses >= 1 && numbers == 0 && !r0.first().is_some_and(|f| f.is_empty())
}

fn is_surveymonkey(r0: &[String], r1: Option<&Record>) -> bool {
    (has_marker(r0, "Respondent ID") && (has_marker(r0, "Collector ID") || has_marker(r0, "Start Date")))
        || is_surveymonkey_second_row(r0, r1)
}

fn surveymonkey(records: &[Record], override_rows: Option<usize>) -> Layout {
    let r0 = names_of(records.first());
    let id_col = marker_position(&r0, "Respondent ID")
        .or_else(|| meta_indexes(&r0, SURVEYMONKEY_META).first().copied())
        .unwrap_or(0);
    let r1 = records.get(1);
    // The second header row has no respondent ID (data rows always do).
    let auto_rows = if r1.is_some() && cell(r1, id_col).is_empty() { 2 } else { 1 };
    let header_rows = override_rows.unwrap_or(auto_rows);
    let head: Vec<&Record> = records.iter().take(header_rows.max(1)).collect();
    let names = if header_rows >= 2 { combine_header_rows(&head) } else { r0.clone() };
    let metadata: Vec<usize> = r0
        .iter()
        .enumerate()
        // "Custom Data" columns are the survey owner's (often the group), so not metadata.
        .filter(|(_, n)| is_marker(n, SURVEYMONKEY_META))
        .map(|(i, _)| i)
        .collect();
    let labels: Vec<(usize, String)> = if header_rows >= 2 {
        let mut carry = String::new();
        r0.iter()
            .enumerate()
            .filter_map(|(i, q)| {
                if !q.is_empty() {
                    carry = q.clone();
                }
                let sub = cell(r1, i);
                (!carry.is_empty() && !sub.is_empty()).then(|| (i, carry.clone()))
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut notes = vec![if header_rows >= 2 {
        "Recognised a SurveyMonkey export with two header rows: each column name is the question (carried across the \
         columns of a matrix question) joined with the second row, as “question | answer”."
            .to_string()
    } else {
        "Recognised a SurveyMonkey export with one header row.".to_string()
    }];
    notes.extend(metadata_note(ExportFormat::SurveyMonkey, &r0, &metadata));
    Layout {
        format: ExportFormat::SurveyMonkey,
        header_rows,
        names,
        labels,
        metadata,
        status_column: None,
        finished_column: None,
        notes,
    }
}

/// `Question [row]` → ("Question", "row").
fn grid_parts(name: &str) -> Option<(&str, &str)> {
    let inner = name.trim().strip_suffix(']')?;
    let open = inner.rfind(" [")?;
    Some((inner.get(..open)?.trim(), inner.get(open + 2..)?))
}

fn grid_note(names: &[String]) -> Option<String> {
    let mut questions: Vec<(String, usize)> = Vec::new();
    for n in names {
        if let Some((q, _)) = grid_parts(n) {
            match questions.iter_mut().find(|(k, _)| k == q) {
                Some(e) => e.1 += 1,
                None => questions.push((q.to_string(), 1)),
            }
        }
    }
    questions.retain(|(_, n)| *n >= 2);
    if questions.is_empty() {
        return None;
    }
    let cols: usize = questions.iter().map(|(_, n)| n).sum();
    Some(format!(
        "{} grid {} ({}) {} one column per row, named “Question [row]” ({cols} columns).",
        questions.len(),
        if questions.len() == 1 { "question" } else { "questions" },
        list_names(&questions.iter().map(|(q, _)| q.clone()).collect::<Vec<_>>()),
        if questions.len() == 1 { "has" } else { "have" },
    ))
}

fn single_header(
    format: ExportFormat,
    records: &[Record],
    override_rows: Option<usize>,
    meta: &dyn Fn(&str) -> bool,
) -> Layout {
    let header_rows = override_rows.unwrap_or(1);
    let head: Vec<&Record> = records.iter().take(header_rows.max(1)).collect();
    let names = if header_rows >= 2 { combine_header_rows(&head) } else { names_of(records.first()) };
    let metadata: Vec<usize> = names.iter().enumerate().filter(|(_, n)| meta(n)).map(|(i, _)| i).collect();
    let mut notes = Vec::new();
    match format {
        ExportFormat::GoogleForms => {
            notes.push(format!(
                "Recognised a Google Forms responses file (first column “{}”).",
                names.first().map_or("Timestamp", String::as_str)
            ));
            notes.extend(grid_note(&names));
        }
        ExportFormat::KoboToolbox => {
            let grouped = names
                .iter()
                .filter(|n| n.contains('/') && !n.starts_with("meta/") && !n.starts_with("formhub/"))
                .count();
            notes.push(format!(
                "Recognised a KoboToolbox export{}.",
                if grouped > 0 {
                    format!("; {grouped} column names start with their group (“group/question”)")
                } else {
                    String::new()
                }
            ));
        }
        ExportFormat::Redcap => {
            let data = records.get(header_rows..).unwrap_or_default();
            notes.extend(redcap_notes(&names, &|c| distinct_in(data, c)));
        }
        ExportFormat::Plain | ExportFormat::Qualtrics | ExportFormat::SurveyMonkey => {}
    }
    notes.extend(metadata_note(format, &names, &metadata));
    Layout {
        format,
        header_rows,
        names,
        labels: Vec::new(),
        metadata,
        status_column: None,
        finished_column: None,
        notes,
    }
}

/// `field___code` → ("field", "code").
pub fn checkbox_parts(name: &str) -> Option<(&str, &str)> {
    let (field, code) = name.split_once("___")?;
    (!field.is_empty() && !code.is_empty()).then_some((field, code))
}

/// The distinct non-blank values of column `c` over `data`, in order of first appearance.
fn distinct_in(data: &[Record], c: usize) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for r in data {
        let x = cell(Some(r), c);
        if !x.is_empty() && !v.iter().any(|e| e == x) {
            v.push(x.to_string());
        }
    }
    v
}

/// The notes of a REDCap layout; `distinct(c)` gives the distinct non-blank values of data
/// column `c` in order of first appearance. (The reader calls this again once every data row
/// has been read, since [`recognise`] sees only the first records of a file.)
pub fn redcap_layout_notes(
    names: &[String],
    metadata: &[usize],
    distinct: &dyn Fn(usize) -> Vec<String>,
) -> Vec<String> {
    let mut notes = redcap_notes(names, distinct);
    notes.extend(metadata_note(ExportFormat::Redcap, names, metadata));
    notes
}

fn redcap_notes(names: &[String], distinct_of: &dyn Fn(usize) -> Vec<String>) -> Vec<String> {
    let mut notes = vec!["Recognised a REDCap export.".to_string()];
    let mut boxes: Vec<(String, usize)> = Vec::new();
    for n in names {
        if let Some((f, _)) = checkbox_parts(n) {
            match boxes.iter_mut().find(|(k, _)| k == f) {
                Some(e) => e.1 += 1,
                None => boxes.push((f.to_string(), 1)),
            }
        }
    }
    if !boxes.is_empty() {
        notes.push(format!(
            "{} checkbox {} ({}) {} one column per option (“field___code”: 1 = ticked, 0 = not).",
            boxes.len(),
            if boxes.len() == 1 { "question" } else { "questions" },
            list_names(&boxes.iter().map(|(b, _)| b.clone()).collect::<Vec<_>>()),
            if boxes.len() == 1 { "has" } else { "have" },
        ));
    }
    let distinct = |col: Option<usize>| -> Vec<String> { col.map(distinct_of).unwrap_or_default() };
    let events = distinct(position(names, "redcap_event_name"));
    if events.len() > 1 {
        notes.push(format!(
            "Each record has one row per event ({}): to compare before and after, turn the rows into one row per \
             participant with the record ID and “redcap_event_name”.",
            list_names(&events)
        ));
    }
    let repeats = distinct(position(names, "redcap_repeat_instrument"));
    if !repeats.is_empty() {
        notes.push(format!(
            "Some rows are repeated forms ({}), marked by “redcap_repeat_instrument” and “redcap_repeat_instance”; \
             they are kept as separate rows.",
            list_names(&repeats)
        ));
    }
    notes
}

/// Recognises the export and its header layout. `override_rows` is the user's header-row
/// count (0 = the file has no header row).
pub fn recognise(records: &[Record], delimiter: char, override_rows: Option<usize>) -> Layout {
    let r0 = names_of(records.first());
    if override_rows == Some(0) {
        let width = records.iter().take(100).map(|r| r.fields.len()).max().unwrap_or(0);
        return Layout {
            format: ExportFormat::Plain,
            header_rows: 0,
            names: (1..=width).map(|i| format!("column_{i}")).collect(),
            labels: Vec::new(),
            metadata: Vec::new(),
            status_column: None,
            finished_column: None,
            notes: vec![
                "The file was read without a header row, as you chose: columns are named column_1, column_2, …".into(),
            ],
        };
    }
    // SurveyMonkey first: its full export has "Start Date", "End Date" and "IP Address" too.
    if is_surveymonkey(&r0, records.get(1)) {
        return surveymonkey(records, override_rows);
    }
    if is_qualtrics_legacy(&r0, records.get(1)) {
        return qualtrics_legacy(records, override_rows);
    }
    if is_qualtrics(&r0, records.get(1), records.get(2)) {
        return qualtrics(records, override_rows);
    }
    if r0.first().is_some_and(|f| is_marker(f, GOOGLE_TIMESTAMP)) {
        return single_header(ExportFormat::GoogleForms, records, override_rows, &|n| {
            is_marker(n, GOOGLE_META) || is_marker(n, GOOGLE_TIMESTAMP)
        });
    }
    let kobo_marks = [
        "_uuid",
        "_submission_time",
        "_index",
        "_validation_status",
        "_submitted_by",
        "__version__",
        "meta/instanceID",
        "formhub/uuid",
    ];
    let group_paths = r0.iter().filter(|n| is_group_path(n)).count();
    if kobo_marks.iter().any(|m| has(&r0, m)) || (delimiter == ';' && group_paths >= 2) {
        return single_header(ExportFormat::KoboToolbox, records, override_rows, &|n| {
            KOBO_META.iter().any(|m| m.eq_ignore_ascii_case(n)) || (n.starts_with('_') && !n.starts_with("__"))
        });
    }
    let redcap = REDCAP_META.iter().any(|m| has(&r0, m))
        || (r0.first().is_some_and(|f| f.eq_ignore_ascii_case("record_id"))
            && r0.iter().any(|n| checkbox_parts(n).is_some() || n.ends_with("_complete")));
    if redcap {
        return single_header(ExportFormat::Redcap, records, override_rows, &|n| {
            REDCAP_META.iter().any(|m| m.eq_ignore_ascii_case(n))
                || n.ends_with("_complete")
                || n.ends_with("_timestamp")
        });
    }
    single_header(ExportFormat::Plain, records, override_rows, &|_| false)
}

/// `group/field` (a KoboToolbox group path): word characters around a slash, no spaces.
fn is_group_path(name: &str) -> bool {
    let parts: Vec<&str> = name.split('/').collect();
    parts.len() >= 2
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-'))
}

impl Layout {
    /// Why a data row is not a participant's response (a Qualtrics preview, test or spam).
    pub fn drop_reason<S: AsRef<str>>(&self, fields: &[S]) -> Option<String> {
        let status = fields.get(self.status_column?)?.as_ref().trim();
        match status {
            "Survey Preview" | "1" => Some("a Qualtrics “Survey Preview” (a test run, not a participant)".into()),
            "Survey Test" | "2" => Some("a Qualtrics “Survey Test” (generated test data, not a participant)".into()),
            "Spam" | "Preview Spam" | "8" | "9" => Some("marked by Qualtrics as spam".into()),
            _ => None,
        }
    }

    /// True when Qualtrics marks the response as unfinished.
    pub fn is_unfinished<S: AsRef<str>>(&self, fields: &[S]) -> bool {
        self.finished_column
            .and_then(|c| fields.get(c))
            .is_some_and(|f| matches!(f.as_ref().trim().to_lowercase().as_str(), "false" | "0"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokenize::tokenize;
    use super::*;

    fn layout(text: &str, d: char) -> Layout {
        let t = tokenize(text, d);
        let recs: Vec<Record> = t.records.into_iter().filter(|r| !r.is_blank()).collect();
        recognise(&recs, d, None)
    }

    #[test]
    fn qualtrics_three_and_two_header_rows() {
        let l = layout(
            "StartDate,EndDate,Status,Finished,Q1\nStart Date,End Date,Response Type,Finished,How old?\n\"{\"\"ImportId\"\":\"\"startDate\"\"}\",x,y,z,\"{\"\"ImportId\"\":\"\"QID1\"\"}\"\n2024-01-01,2024-01-01,IP Address,True,4\n",
            ',',
        );
        assert_eq!(l.format, ExportFormat::Qualtrics);
        assert_eq!(l.header_rows, 3);
        assert_eq!(l.names, vec!["StartDate", "EndDate", "Status", "Finished", "Q1"]);
        assert!(l.labels.contains(&(4, "How old?".to_string())));
        assert_eq!(l.metadata, vec![0, 1, 2, 3]);
        let legacy = layout(
            "StartDate,EndDate,Status,Q1\nStart Date,End Date,Response Type,How old?\n2024-01-01,2024-01-01,0,4\n",
            ',',
        );
        assert_eq!(legacy.header_rows, 2);
        let one = layout("StartDate,EndDate,Status,Q1\n2024-01-01,2024-01-01,0,4\n", ',');
        assert_eq!(one.header_rows, 1);
    }

    #[test]
    fn qualtrics_previews_and_unfinished() {
        let l = layout("StartDate,EndDate,Status,Finished\n1,1,IP Address,True\n", ',');
        let row = |s: &str, f: &str| vec!["x".to_string(), "x".into(), s.to_string(), f.to_string()];
        assert!(l.drop_reason(&row("Survey Preview", "True")).is_some());
        assert!(l.drop_reason(&row("IP Address", "True")).is_none());
        assert!(l.is_unfinished(&row("IP Address", "False")));
        assert!(l.is_unfinished(&row("0", "0")));
        assert!(!l.is_unfinished(&row("0", "1")));
    }

    #[test]
    fn surveymonkey_question_text_is_carried_and_joined() {
        let l = layout(
            "Respondent ID,Collector ID,First Name,Matrix?,,Sex\n,,,Row A,Row B,Response\n1,2,Ann,Agree,Disagree,F\n",
            ',',
        );
        assert_eq!(l.format, ExportFormat::SurveyMonkey);
        assert_eq!(l.header_rows, 2);
        assert_eq!(
            l.names,
            vec!["Respondent ID", "Collector ID", "First Name", "Matrix? | Row A", "Matrix? | Row B", "Sex | Response"]
        );
        assert_eq!(l.metadata, vec![0, 1, 2]);
    }

    #[test]
    fn markers_compare_without_spaces_punctuation_or_case() {
        assert_eq!(marker_key("Respondent ID"), "respondentid");
        assert_eq!(marker_key("respondent_id"), marker_key("RespondentID"));
        assert_eq!(marker_key("Duration (in seconds)"), "durationinseconds");
        // The older SurveyMonkey spelling: no spaces.
        let l = layout(
            "RespondentID,CollectorID,StartDate,EndDate,IP Address,Email Address,First Name,LastName,Custom Data,How was it?\n\
             ,,,,,,,,,Response\n101,202,2013-01-01,2013-01-01,10.0.0.1,,,,grp A,Good\n",
            ',',
        );
        assert_eq!(l.format, ExportFormat::SurveyMonkey, "{:?}", l.notes);
        assert_eq!(l.header_rows, 2);
        assert_eq!(l.metadata, vec![0, 1, 2, 3, 4, 5, 6, 7], "Custom Data is the survey owner's, not metadata");
        assert_eq!(l.names.last().map(String::as_str), Some("How was it? | Response"));
    }

    #[test]
    fn surveymonkey_second_row_by_its_shape_with_one_metadata_column_left() {
        // An anonymised, trimmed copy: only the ID column is left of SurveyMonkey's own.
        let l = layout(
            "Respondent ID,Rate the sessions,,Did you seek help?,Anything else?\n\
             ,Useful,Enjoyable,Response,Open-Ended Response\n\
             1001,Agree,Disagree,Yes,fine\n1002,Agree,Agree,No,\n",
            ',',
        );
        assert_eq!(l.format, ExportFormat::SurveyMonkey);
        assert_eq!(l.header_rows, 2);
        assert_eq!(
            l.names,
            vec![
                "Respondent ID",
                "Rate the sessions | Useful",
                "Rate the sessions | Enjoyable",
                "Did you seek help? | Response",
                "Anything else? | Open-Ended Response"
            ]
        );
        assert_eq!(l.metadata, vec![0]);
        assert!(l.labels.contains(&(3, "Did you seek help?".to_string())));
        // The ID column renamed too: the second row's shape is enough.
        let l = layout("id,Did you seek help?\n,Response\n1,Yes\n2,No\n", ',');
        assert_eq!((l.format, l.header_rows), (ExportFormat::SurveyMonkey, 2));
        // A second row of data is not a header row.
        let p = layout("id,answer\n,Response\n1,2\n", ',');
        assert_eq!(p.format, ExportFormat::SurveyMonkey);
        let p = layout("id,answer\n,3\n1,2\n", ',');
        assert_eq!(p.format, ExportFormat::Plain);
    }

    #[test]
    fn legacy_qualtrics_v_columns_named_from_row_two() {
        let l = layout(
            "V1,V2,V3,V4,V5,V6,V7,V8,V9,V10,Q1,Q2_1\n\
             ResponseID,ResponseSet,Name,ExternalDataReference,EmailAddress,IPAddress,Status,StartDate,EndDate,Finished,How old are you?,I felt welcome\n\
             R_1,Default Response Set,Anonymous,,,10.0.0.1,0,2014-03-01 10:00:00,2014-03-01 10:05:00,1,34,4\n",
            ',',
        );
        assert_eq!(l.format, ExportFormat::Qualtrics);
        assert_eq!(l.header_rows, 2);
        assert_eq!(l.names.get(..3), Some(&["ResponseID".to_string(), "ResponseSet".into(), "Name".into()][..]));
        assert_eq!(l.names.get(10..), Some(&["Q1".to_string(), "Q2_1".into()][..]));
        assert_eq!(l.metadata, (0..10).collect::<Vec<_>>());
        assert_eq!(l.labels, vec![(10, "How old are you?".to_string()), (11, "I felt welcome".to_string())]);
        assert_eq!(l.status_column, Some(6));
        assert_eq!(l.finished_column, Some(9));
    }

    #[test]
    fn google_forms_kobo_redcap_and_plain() {
        let g = layout("Timestamp,Rate [A],Rate [B],Age\n3/4/2024 11:39:15,1,2,3\n", ',');
        assert_eq!(g.format, ExportFormat::GoogleForms);
        assert_eq!(g.metadata, vec![0]);
        assert!(g.notes.iter().any(|n| n.contains("1 grid question") && n.contains("2 columns")), "{:?}", g.notes);
        let k = layout("start;end;intro/age;intro/sex;_uuid;_index\n1;2;3;4;5;6\n", ';');
        assert_eq!(k.format, ExportFormat::KoboToolbox);
        assert_eq!(k.metadata, vec![0, 1, 4, 5]);
        let k2 = layout("grp/a;grp/b;c\n1;2;3\n", ';');
        assert_eq!(k2.format, ExportFormat::KoboToolbox);
        let r = layout(
            "record_id,redcap_event_name,race___1,race___2,score,baseline_complete\n1,baseline_arm_1,1,0,3,2\n1,followup_arm_1,1,0,2,2\n",
            ',',
        );
        assert_eq!(r.format, ExportFormat::Redcap);
        assert_eq!(r.metadata, vec![1, 5]);
        assert!(r.notes.iter().any(|n| n.contains("“race”")), "{:?}", r.notes);
        assert!(r.notes.iter().any(|n| n.contains("baseline_arm_1")), "{:?}", r.notes);
        let p = layout("id,pre,post\n1,2,3\n", ',');
        assert_eq!(p.format, ExportFormat::Plain);
        assert_eq!(p.header_rows, 1);
    }

    #[test]
    fn combining_header_rows() {
        let t = tokenize("Q,,,Other\nA,B,,\n", ',');
        let rows: Vec<&Record> = t.records.iter().collect();
        assert_eq!(combine_header_rows(&rows), vec!["Q | A", "Q | B", "", "Other"]);
    }
}
