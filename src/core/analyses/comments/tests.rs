//! Tests: the matching rules one by one, the public reference case (shared/reference/comments),
//! redaction, the CSV export, bad settings, robustness and speed.

use super::frequencies::{pair_frequencies, word_frequencies, StopWords};
use super::matching::{parse_phrase, words, CompiledCodebook, PhraseProblem};
use super::starter::{starter_codebook, STARTER_CODEBOOK};
use super::*;
use crate::core::dataset::is_missing;
use crate::core::present::comments_csv::{coded_comments_csv, wave_of_column, ExportColumn, TextInExport};
use rustc_hash::FxHashMap;
use serde_json::Value;

fn book(codes: &[(&str, &[&str])]) -> CompiledCodebook {
    let v: Vec<(String, Vec<String>)> =
        codes.iter().map(|(c, p)| (c.to_string(), p.iter().map(|s| s.to_string()).collect())).collect();
    CompiledCodebook::new(&v)
}

fn matches(phrase: &str, text: &str) -> bool {
    !book(&[("c", &[phrase])]).code(text).is_empty()
}

#[test]
fn words_are_runs_of_letters_digits_and_apostrophes() {
    assert_eq!(
        words("G.P. said: it’s OK, don't worry (2x)!"),
        ["g", "p", "said", "it’s", "ok", "don't", "worry", "2x"]
    );
    assert_eq!(words("self-stigma\nline"), ["self", "stigma", "line"]);
    assert_eq!(words(""), Vec::<String>::new());
}

#[test]
fn straight_and_curly_apostrophes_differ() {
    assert!(matches("didn't help", "It didn't help at all"));
    assert!(!matches("didn't help", "It didn’t help at all"));
    assert!(matches("didn’t help", "It didn’t help at all"));
    // An apostrophe is inside a word: peer’s is not peer.
    assert!(!matches("peer", "Hearing the peer’s story"));
    assert!(!matches("peer", "the peer's story"));
    assert!(matches("peer*", "the peer’s story"));
}

#[test]
fn case_is_folded_in_every_script_accents_are_not() {
    assert!(matches("École", "ÉCOLE and more"));
    assert!(matches("naïve", "So NAÏVE of me"));
    assert!(!matches("naive", "So naïve of me"));
    assert!(!matches("naïve", "So naive of me"));
    assert!(matches("страх", "СТРАХ прошёл"));
    // Final sigma: both sides lower-cased as strings (ς at the end of a word).
    assert!(matches("κόσμος", "ΚΌΣΜΟΣ"));
    assert!(matches("ΚΌΣΜΟΣ", "κόσμος"));
    // Decomposed accents are not folded into precomposed ones (no normalisation).
    assert!(!matches("café", "cafe\u{301}"));
}

#[test]
fn stems_are_word_prefixes() {
    assert!(matches("understand*", "Understanding at last"));
    assert!(matches("understand*", "I understand"));
    assert!(!matches("understand*", "I understood"));
    assert!(!matches("understand*", "a misunderstanding"));
    assert!(matches("seek* help", "Seeking help now"));
    assert!(!matches("seek* help", "seeking professional help"));
    assert!(matches("ü*", "Übel"));
    assert!(matches("a*", "an apple"));
    assert!(matches("über*", "ÜBERALL"));
}

#[test]
fn phrases_are_consecutive_words_across_punctuation() {
    assert!(matches("self-stigma", "my self stigma"));
    assert!(matches("self stigma", "my self-stigma"));
    assert!(matches("lived experience", "their lived-experience – less"));
    assert!(matches("makes sense", "It makes\nsense"));
    assert!(!matches("makes sense", "makes no sense"));
    // G.P. is two words: g p, not gp.
    assert!(matches("G.P.", "saw my g p"));
    assert!(matches("my gp", "I saw my GP"));
    assert!(!matches("my gp", "I saw my G.P."));
    assert!(matches("my g.p.", "I saw my G.P. today"));
    // A phrase at the very end and a repeated first word.
    assert!(matches("too long", "too too long"));
}

#[test]
fn a_code_applies_when_any_phrase_matches() {
    let cb = book(&[("a", &["x y", "z*"]), ("b", &["q"])]);
    assert_eq!(cb.code("zebra"), vec![0]);
    assert_eq!(cb.code("x y q"), vec![0, 1]);
    assert_eq!(cb.code("y x"), Vec::<u32>::new());
}

#[test]
fn phrase_parsing() {
    assert_eq!(parse_phrase("").unwrap_err(), PhraseProblem::Empty);
    assert_eq!(parse_phrase("  ,. ").unwrap_err(), PhraseProblem::Empty);
    assert_eq!(parse_phrase("*").unwrap_err(), PhraseProblem::StarOnly);
    assert_eq!(parse_phrase(" * * ").unwrap_err(), PhraseProblem::StarOnly);
    assert_eq!(parse_phrase("seek *").unwrap_err(), PhraseProblem::MisplacedStar);
    assert_eq!(parse_phrase("*help").unwrap_err(), PhraseProblem::MisplacedStar);
    let w = parse_phrase("Seek** help").unwrap();
    assert_eq!((w[0].text.as_str(), w[0].stem, w[1].text.as_str(), w[1].stem), ("seek", true, "help", false));
}

#[test]
fn blank_and_missing_cells_are_no_comment_and_manual_is_a_set() {
    let cb = book(&[("fear", &["scared"]), ("other", &["zzz"])]);
    let cells =
        [Some("scared"), None, Some("   "), Some("NA"), Some(" -99 "), Some("N/A"), Some("Nothing really"), Some("ok")];
    let mut manual = FxHashMap::default();
    manual.insert(1, vec![0]); // already found: counts once
    manual.insert(7, vec![1]);
    manual.insert(2, vec![1]); // a blank row: not counted
    let col = analyse_column("c", &cells, None, &cb, &manual, is_missing);
    let r = &col.result;
    assert_eq!((r.n, r.blank), (3, 5));
    assert_eq!(r.codes.0[0].1.count, 1);
    assert_eq!(r.codes.0[1].1.count, 1);
    assert_eq!(r.uncoded.count, 1);
    assert_eq!(col.manual_on_blank, vec![2]);
    assert_eq!(col.uncoded_rows(), vec![8]);
    // Without a group role there is no by_arm and no arm_p.
    let json = serde_json::to_value(r).unwrap();
    assert!(json["codes"]["fear"].get("by_arm").is_none() && json["codes"]["fear"].get("arm_p").is_none());
}

#[test]
fn arms_zero_margins_and_empty_columns() {
    let cb = book(&[("a", &["yes"]), ("b", &["no"])]);
    let cells = [Some("yes"), Some("yes"), Some("no"), Some("yes"), Some("yes")];
    let arms =
        [Some(Arm::Intervention), Some(Arm::Intervention), Some(Arm::Intervention), None, Some(Arm::Intervention)];
    let col = analyse_column("c", &cells, Some(&arms), &cb, &FxHashMap::default(), is_missing);
    let json = serde_json::to_value(&col.result).unwrap();
    let a = &json["codes"]["a"];
    assert_eq!(a["count"], 4); // the blank-group row counts in n
    assert_eq!(a["by_arm"]["intervention"]["n"], 4);
    assert_eq!(a["by_arm"]["control"]["n"], 0);
    assert!(a["by_arm"]["control"]["share"].is_null());
    assert!(a["arm_p"].is_null());
    // An empty column: everything that divides by n is null.
    let empty = analyse_column("c", &[None, Some("")], Some(&[None, None]), &cb, &FxHashMap::default(), is_missing);
    let json = serde_json::to_value(&empty.result).unwrap();
    assert_eq!((json["n"].as_u64(), json["blank"].as_u64()), (Some(0), Some(2)));
    assert!(
        json["codes"]["a"]["share"].is_null()
            && json["codes"]["a"]["ci_low"].is_null()
            && json["uncoded"]["share"].is_null()
    );
}

// ---- The public reference case -------------------------------------------------------------

/// A small RFC 4180 reader for the test files (quotes, doubled quotes, line breaks in quotes).
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn check(actual: &Value, expected: &Value, path: &str, failures: &mut Vec<String>) {
    if let Some(obj) = expected.as_object() {
        if obj.contains_key("value") && obj.contains_key("atol") {
            let ev = &obj["value"];
            let (atol, rtol) = (obj["atol"].as_f64().unwrap(), obj["rtol"].as_f64().unwrap());
            match (ev.as_f64(), actual.as_f64()) {
                (None, _) if ev.is_null() => {
                    if !actual.is_null() {
                        failures.push(format!("{path}: expected null, got {actual}"));
                    }
                }
                (Some(e), Some(a)) => {
                    if (a - e).abs() > atol + rtol * e.abs() {
                        failures.push(format!("{path}: expected {e}, got {a}"));
                    }
                }
                _ => failures.push(format!("{path}: expected {ev}, got {actual}")),
            }
            return;
        }
        for (k, v) in obj {
            match actual.get(k) {
                Some(a) => check(a, v, &format!("{path}.{k}"), failures),
                None => failures.push(format!("{path}.{k}: missing")),
            }
        }
    }
}

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/comments");

/// Runs a reference case: the JSON's `comments` as the recipe, `columns.group` as the group
/// role (values named intervention / control, any case). `None` when the files are absent.
fn run_reference_case(case: &str) -> Option<(Value, CommentsResults, Vec<CodedColumn>)> {
    let json_text = std::fs::read_to_string(format!("{REFERENCE}/{case}.json")).ok()?;
    let case_json: Value = serde_json::from_str(&json_text).unwrap();
    let csv_text = std::fs::read_to_string(format!("{REFERENCE}/{}", case_json["csv"].as_str().unwrap())).unwrap();
    let table = read_csv(csv_text.trim_start_matches('\u{feff}'));
    let (header, data) = table.split_first().unwrap();
    // Straight from the text: a `serde_json::Value` (no `preserve_order`) would sort the codes.
    #[derive(serde::Deserialize)]
    struct CaseRecipe {
        comments: CommentsRecipe,
    }
    let recipe = serde_json::from_str::<CaseRecipe>(&json_text).unwrap().comments;
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let settings = recipe.validate(&names, data.len()).unwrap();
    let group = case_json["columns"]["group"].as_str().and_then(|g| names.iter().position(|n| *n == g));
    let arms: Option<Vec<Option<Arm>>> = group.map(|gi| {
        data.iter()
            .map(|r| match r.get(gi).map(|s| s.trim().to_lowercase()).as_deref() {
                Some("intervention") => Some(Arm::Intervention),
                Some("control") => Some(Arm::Control),
                _ => None,
            })
            .collect()
    });
    let (results, coded) = analyse_all(
        &settings,
        |col| {
            names.iter().position(|n| *n == col).map(|ci| data.iter().map(|r| r.get(ci).map(String::as_str)).collect())
        },
        arms.as_deref(),
        is_missing,
    );
    Some((case_json, results, coded))
}

#[test]
fn public_case_pc1_matches_every_key() {
    let Some((case_json, results, coded)) = run_reference_case("pc1_trial_comments_n80") else {
        eprintln!("reference files not found; skipped");
        return;
    };
    let actual = serde_json::json!({ "comments": serde_json::to_value(&results).unwrap() });
    let mut failures = Vec::new();
    check(&actual, &case_json["results"], "results", &mut failures);
    // Every code and the uncoded comments on the reference's rows.
    for col in &coded {
        let expected = &case_json["info"]["rows_by_code"][&col.column];
        for (k, code) in col.result.codes.0.iter().enumerate() {
            let rows: Vec<u64> = col.rows_with(k).iter().map(|&r| r as u64).collect();
            let want: Vec<u64> = expected[&code.0].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
            if rows != want {
                failures.push(format!("rows of {}: {rows:?} vs {want:?}", code.0));
            }
        }
        let un: Vec<u64> = col.uncoded_rows().iter().map(|&r| r as u64).collect();
        let want: Vec<u64> = expected["uncoded"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        if un != want {
            failures.push(format!("uncoded rows: {un:?} vs {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Same keys as the contract (plus co_occurrence), codes in codebook order.
    let col = &actual["comments"]["What, if anything, changed for you?"];
    let keys: Vec<&String> = col.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 5);
    let text = serde_json::to_string(&results).unwrap();
    let order: Vec<usize> = ["understanding", "contact", "help_seeking", "fear", "criticism", "harm"]
        .iter()
        .map(|c| text.find(&format!("\"{c}\"")).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

// ---- Settings ------------------------------------------------------------------------------

#[test]
fn recipe_keeps_codebook_order_and_round_trips() {
    let r: CommentsRecipe = serde_json::from_str(
        r#"{"columns": ["c"], "codebook": {"zeta": ["z"], "alpha": ["a*"]}, "manual": {"c": {"2": ["alpha"]}}}"#,
    )
    .unwrap();
    assert_eq!(r.codebook.0[0].0, "zeta");
    let back: CommentsRecipe = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);
    let empty: CommentsRecipe = serde_json::from_str(r#"{"codebook": null, "manual": null, "columns": null}"#).unwrap();
    assert_eq!(empty, CommentsRecipe::default());
    // Unknown keys are ignored (a reference case file loads as a recipe).
    let _: CommentsRecipe = serde_json::from_str(r#"{"columns": [], "other": 1}"#).unwrap();
}

#[test]
fn bad_settings_are_plain_messages_and_nothing_is_lost() {
    let r: CommentsRecipe = serde_json::from_str(
        r#"{"columns": ["c", "nope"],
            "codebook": {"a": ["ok", ""], "b": ["*"], "a": ["x"], "": ["y"], "d": ["seek *"]},
            "manual": {"c": {"0": ["a"], "x": ["a"], "9": ["a"], "1": [" "]}, "gone": {"1": ["a"]}}}"#,
    )
    .unwrap();
    let copy = r.clone();
    let errors = r.validate(&["c"], 3).unwrap_err();
    assert_eq!(
        errors,
        vec![
            CommentsError::EmptyPhrase { code: "a".into() },
            CommentsError::StarOnlyPhrase { code: "b".into(), phrase: "*".into() },
            CommentsError::DuplicateCode { code: "a".into() },
            CommentsError::EmptyCodeName,
            CommentsError::MisplacedStar { code: "d".into(), phrase: "seek *".into() },
            CommentsError::ColumnNotFound { column: "nope".into() },
            CommentsError::BadManualRow { column: "c".into(), row: "0".into() },
            CommentsError::BadManualRow { column: "c".into(), row: "x".into() },
            CommentsError::ManualRowOutOfRange { column: "c".into(), row: 9, rows: 3 },
            CommentsError::EmptyManualCode { column: "c".into(), row: "1".into() },
            CommentsError::ColumnNotFound { column: "gone".into() },
        ]
    );
    for e in &errors {
        let s = e.to_string();
        assert!(s.ends_with('.') && s.chars().next().is_some_and(char::is_uppercase), "{s}");
    }
    assert_eq!(r, copy);
}

#[test]
fn manual_only_codes_are_listed_after_the_codebook() {
    let r: CommentsRecipe = serde_json::from_str(
        r#"{"columns": ["c"], "codebook": {"a": ["x"]}, "manual": {"c": {"2": ["hand", "a", "hand"]}}}"#,
    )
    .unwrap();
    let s = r.validate(&["c"], 2).unwrap();
    assert_eq!(s.codebook.codes(), ["a", "hand"]);
    assert_eq!(s.columns[0].manual[&2], vec![0, 1]);
    let (res, _) = analyse_all(&s, |_| Some(vec![Some("x"), Some("y")]), None, is_missing);
    assert_eq!(res.0[0].1.codes.0[0].1.count, 2);
    assert_eq!(res.0[0].1.codes.0[1].1.count, 1);
    assert_eq!(res.0[0].1.co_occurrence.0[0].1 .0[1].1, 1);
}

// ---- Page helpers --------------------------------------------------------------------------

#[test]
fn spans_are_byte_ranges_of_the_original_text() {
    let cb = book(&[("a", &["seek* help"]), ("b", &["i̇stanbul", "istanbul"])]);
    let text = "I'm SEEKING   help. İSTANBUL!";
    let spans = cb.match_spans(text);
    assert_eq!(&text[spans[0].start..spans[0].end], "SEEKING   help");
    // `İ` lower-cases to `i` + U+0307 (not a word character): the words are "i" and "stanbul",
    // in the comment and in the phrase alike, so `i̇stanbul` matches and `istanbul` does not.
    assert_eq!(spans.len(), 2);
    assert_eq!((spans[1].code, spans[1].phrase), (1, 0));
    assert_eq!(&text[spans[1].start..spans[1].end], "İSTANBUL");
    let cb = book(&[("b", &["stanbul"]), ("c", &["ẞtraße"])]);
    let text = "İSTANBUL, ẞTRASSE, ẞTRAẞE";
    let spans = cb.match_spans(text);
    assert_eq!(spans.len(), 2);
    assert_eq!(&text[spans[0].start..spans[0].end], "STANBUL");
    assert_eq!(&text[spans[1].start..spans[1].end], "ẞTRAẞE");
}

#[test]
fn frequencies_leave_out_stop_words() {
    let comments = ["The peers were great, the peers!", "Great peers. 'Lived experience' matters", "lived experience"];
    let stop = StopWords::default();
    let w = word_frequencies(&comments, &stop, 3);
    assert_eq!((w[0].term.as_str(), w[0].count, w[0].comments), ("peers", 3, 2));
    let p = pair_frequencies(&comments, &stop, 2);
    assert_eq!((p[0].term.as_str(), p[0].count), ("lived experience", 2));
    let mut edited = StopWords::from_words(&["peers"]);
    edited.insert("Great");
    assert!(edited.contains("GREAT") && edited.contains("peers"));
    assert!(stop.contains("don’t"));
    // Ties: by comments, then alphabetically.
    assert_eq!(word_frequencies(&comments, &edited, 1)[0].term, "experience");
}

#[test]
fn redaction_table() {
    let list = ["Smith", "Jo Bloggs", "Okafor*", "Jo", "Leeds"];
    let cases: &[(&str, &str)] = &[
        // Must not change.
        ("I'm 19", "I'm 19"),
        ("in 2023", "in 2023"),
        ("scored 4 out of 5", "scored 4 out of 5"),
        ("between 2019-2023 and 10.30-11.45", "between 2019-2023 and 10.30-11.45"),
        ("on 12.03.2023 or 2023-05-01 or 12/03/2023", "on 12.03.2023 or 2023-05-01 or 12/03/2023"),
        ("10,000 people, 3.5 hours, 1-2 times", "10,000 people, 3.5 hours, 1-2 times"),
        ("It was good.It helped. e.g. the G.P. said", "It was good.It helped. e.g. the G.P. said"),
        ("Smithson and blacksmith", "Smithson and blacksmith"),
        ("call 911", "call 911"),
        ("report.pdf and node.js", "report.pdf and node.js"),
        // Must change.
        ("call 555-123-4567", "call [removed]"),
        ("ring +44 20 7946 0958 now", "ring [removed] now"),
        ("+1 (555) 123-4567.", "[removed]."),
        ("(020) 7946 0958", "[removed]"),
        ("06 12 34 56 78", "[removed]"),
        ("555.123.4567", "[removed]"),
        ("mail me at a.b@c.org.", "mail me at [removed]."),
        ("see www.x.com", "see [removed]"),
        ("see https://example.org/a?b=1, ok", "see [removed], ok"),
        ("visit example.org/help!", "visit [removed]!"),
        ("nhs.uk", "[removed]"),
        ("my id 123456", "my id [removed]"),
        ("Dr. Smith said", "Dr. [removed] said"),
        ("SMITH's and smith’s", "[removed] and [removed]"),
        ("with Jo  Bloggs today", "with [removed] today"),
        ("Mrs Okafor-Jones", "Mrs [removed]-Jones"),
        // One finding, one `[removed]`: two listed words side by side, a number and what
        // follows it, several numbers in one run of digit groups (each found, none left).
        ("with Jo Smith today", "with [removed] today"),
        ("Leeds, Smith", "[removed], [removed]"),
        ("07700 900123 12345", "[removed]"),
        ("call 0113 496 0000 ext. 12345", "call [removed] ext. [removed]"),
        ("(0113) 496 0000 (07700) 900123", "[removed]"),
        ("0113-496-0000-12345", "[removed]-[removed]"),
        ("07700 900123/07700 900124", "[removed]/[removed]"),
        ("+44 7700 900123 +44 7700 900124", "[removed]"),
        ("me: jo@example.org or 07700 900123", "me: [removed] or [removed]"),
        ("on 12/03/2023 at 10.30-11.45", "on 12/03/2023 at 10.30-11.45"),
    ];
    let r = Redactor::new(&list);
    let mut failures = Vec::new();
    for (input, want) in cases {
        let got = r.redact(input);
        if got != *want {
            failures.push(format!("{input:?} → {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(redact("a@b.co", &[] as &[&str]), "[removed]");
}

#[test]
fn coded_comments_csv_is_formula_safe_and_redacted_by_default() {
    let cb = book(&[("fear", &["scared"]), ("=evil", &["x"])]);
    let cells = [Some("=HYPERLINK(\"x\") scared"), None, Some("-so scared, call 555-123-4567"), Some("@x")];
    let arms = [Some(Arm::Intervention), None, Some(Arm::Control), None];
    let col = analyse_column("post_comment", &cells, Some(&arms), &cb, &FxHashMap::default(), is_missing);
    let r = Redactor::new(&[] as &[&str]);
    let parts = [ExportColumn { coded: &col, cells: &cells, wave: None }];
    let csv = coded_comments_csv(&parts, &cb, TextInExport::default(), &r);
    assert_eq!(
        csv,
        "row,column,wave,arm,codes,text\n\
         1,post_comment,post,intervention,fear; =evil,\"'=HYPERLINK(\"\"x\"\") scared\"\n\
         3,post_comment,post,control,fear,\"'-so scared, call [removed]\"\n\
         4,post_comment,post,,'=evil,'@x\n"
    );
    let original = coded_comments_csv(&parts, &cb, TextInExport::Original, &r);
    assert!(original.contains("555-123-4567"));
    assert!(coded_comments_csv(&parts, &cb, TextInExport::Omitted, &r).lines().nth(1).unwrap().ends_with(','));
    assert_eq!(wave_of_column("followup_q3"), Some("followup"));
    assert_eq!(wave_of_column("postcode"), None);
}

#[test]
fn starter_codebook_is_valid() {
    let r = CommentsRecipe { codebook: starter_codebook(), ..Default::default() };
    assert!(r.codebook_problems().is_empty());
    assert_eq!(STARTER_CODEBOOK.len(), 5);
    let cb = CompiledCodebook::new(&starter_codebook().0);
    assert_eq!(cb.code("I understood nothing, it was boring and too long"), vec![4]);
    assert_eq!(cb.code("Talking to someone with lived experience made me want to seek help"), vec![1, 2]);
}

// ---- Robustness and speed ------------------------------------------------------------------

#[test]
fn never_panics_on_odd_text() {
    let cb = CompiledCodebook::new(&starter_codebook().0);
    let r = Redactor::new(&["Ω*", "ﬁ", "İ"]);
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let pool: Vec<char> =
        "aZ'’*.-+@()/ 0123456789éÉİıßẞΣσς\u{301}\u{307}\u{200d}👍🏽🇬🇧ﬁǅ\n\t\r<>\"wwwhttp:com".chars().collect();
    for _ in 0..3000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = (state % 40) as usize;
        let s: String = (0..len).map(|k| pool[((state >> (k % 50)) as usize + k * 7) % pool.len()]).collect();
        let _ = cb.code(&s);
        let _ = cb.match_spans(&s);
        let _ = r.redact(&s);
        let _ = words(&s);
    }
    let big = "mental health 😀 understand\u{301} ".repeat(4000);
    assert!(big.chars().count() > 100_000);
    assert!(!cb.code(&big).is_empty());
    let red = r.redact(&big);
    assert!(red.len() >= big.len() / 2);
    let _ = word_frequencies(&[big.as_str()], &StopWords::default(), 10);
}

#[test]
fn timing_10k_comments_of_500_chars() {
    let Ok(csv_text) = std::fs::read_to_string(format!("{REFERENCE}/pc1_trial_comments_n80.csv")) else { return };
    let table = read_csv(&csv_text);
    let pieces: Vec<&str> =
        table.iter().skip(1).filter_map(|r| r.get(4).map(String::as_str)).filter(|s| s.len() > 10).collect();
    let comments: Vec<String> = (0..10_000)
        .map(|i| {
            let mut s = String::new();
            let mut k = i;
            while s.chars().count() < 500 {
                s.push_str(pieces[k % pieces.len()]);
                s.push(' ');
                k = (k * 7 + 3) % 1_000_003;
            }
            s.chars().take(500).collect()
        })
        .collect();
    let cells: Vec<Option<&str>> = comments.iter().map(|s| Some(s.as_str())).collect();
    let arms: Vec<Option<Arm>> =
        (0..cells.len()).map(|i| Some(if i % 2 == 0 { Arm::Intervention } else { Arm::Control })).collect();
    let cb = CompiledCodebook::new(&starter_codebook().0);
    // This thread's CPU time (Linux), so that other processes on a shared machine do not count.
    let cpu_ns = || -> Option<u64> {
        std::fs::read_to_string("/proc/thread-self/schedstat").ok()?.split_whitespace().next()?.parse().ok()
    };
    let (mut best, mut best_wall) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..7 {
        let (t, c0) = (std::time::Instant::now(), cpu_ns());
        let col = analyse_column("c", &cells, Some(&arms), &cb, &FxHashMap::default(), is_missing);
        let wall = t.elapsed().as_secs_f64() * 1e3;
        best_wall = best_wall.min(wall);
        best = best.min(match (c0, cpu_ns()) {
            (Some(a), Some(b)) => (b - a) as f64 / 1e6,
            _ => wall,
        });
        assert_eq!(col.result.n, 10_000);
    }
    eprintln!("10,000 comments x 500 chars coded in {best:.1} ms CPU ({best_wall:.1} ms wall), best of 7");
    // Target ≤ 50 ms natively (200 ms in the browser worker); the bound leaves room for a
    // busy machine. Debug builds are not timed.
    if !cfg!(debug_assertions) {
        assert!(best < 100.0, "{best} ms");
    }
}

/// A plain second implementation of the matching rules (words of the comment, every position,
/// every phrase) against the compiled matcher with its prefilters, on random texts.
#[test]
fn compiled_matcher_agrees_with_a_naive_one() {
    let phrases: &[&str] = &[
        "a",
        "a*",
        "ab",
        "ab*",
        "abc d",
        "b* c*",
        "é*",
        "éa",
        "it’s",
        "it's*",
        "x y z",
        "yy*",
        "zz",
        "c",
        "ca*",
        "d d",
        "dé*",
        "averyveryveryveryveryveryveryveryveryveryveryveryverylongstemmmmmmm*",
    ];
    let codes: Vec<(String, Vec<String>)> =
        phrases.iter().enumerate().map(|(i, p)| (format!("c{i}"), vec![p.to_string()])).collect();
    let cb = CompiledCodebook::new(&codes);
    let naive = |text: &str| -> Vec<u32> {
        let w = words(text);
        let mut out = Vec::new();
        for (i, p) in phrases.iter().enumerate() {
            let pw = parse_phrase(p).unwrap();
            let hit = (0..w.len()).any(|s| {
                pw.iter().enumerate().all(|(j, q)| {
                    w.get(s + j).is_some_and(|t| if q.stem { t.starts_with(&q.text) } else { *t == q.text })
                })
            });
            if hit {
                out.push(i as u32);
            }
        }
        out
    };
    let pool: Vec<&str> = vec![
        "a",
        "A",
        "ab",
        "AB",
        "abc",
        "d",
        "D",
        "b",
        "bc",
        "c",
        "ca",
        "cab",
        "é",
        "É",
        "éa",
        "ÉA",
        "it’s",
        "it's",
        "IT'S",
        "x",
        "y",
        "z",
        "yy",
        "yyy",
        "zz",
        "dé",
        "DÉJÀ",
        " ",
        " ",
        ", ",
        "-",
        ".",
        "\n",
        "’",
        "'",
        "averyveryveryveryveryveryveryveryveryveryveryveryverylongstemmmmmmmX",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..20_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let n = (state % 12) as usize;
        let text: String = (0..n).map(|k| pool[((state >> (5 * k % 60)) as usize) % pool.len()]).collect();
        assert_eq!(cb.code(&text), naive(&text), "{text:?}");
    }
}

/// Values from R 4.2 (`fisher.test`, `prop.test(correct = FALSE)`), on tables not in pc1.
#[test]
fn arm_tests_and_intervals_match_r() {
    let close =
        |a: Option<f64>, e: f64, atol: f64, rtol: f64| a.is_some_and(|a| (a - e).abs() <= atol + rtol * e.abs());
    let cb = book(&[("y", &["yes"])]);
    let column = |int_yes: usize, int_no: usize, ctrl_yes: usize, ctrl_no: usize| {
        let mut cells = Vec::new();
        let mut arms = Vec::new();
        for (n, text, arm) in [
            (int_yes, "yes", Arm::Intervention),
            (int_no, "no", Arm::Intervention),
            (ctrl_yes, "yes", Arm::Control),
            (ctrl_no, "no", Arm::Control),
        ] {
            for _ in 0..n {
                cells.push(Some(text));
                arms.push(Some(arm));
            }
        }
        let col = analyse_column("c", &cells, Some(&arms), &cb, &FxHashMap::default(), is_missing);
        col.result.codes.0[0].1.clone()
    };
    // R: fisher.test(matrix(c(3, 5, 0, 10), 2))$p.value = 0.068627450980392135
    assert!(close(column(3, 5, 0, 10).arms.unwrap().arm_p, 0.068627450980392135, 1e-6, 1e-4));
    // R: fisher.test(matrix(c(12, 3, 4, 11), 2))$p.value = 0.0092205703133985285
    assert!(close(column(12, 3, 4, 11).arms.unwrap().arm_p, 0.0092205703133985285, 1e-6, 1e-4));
    // Everyone coded: the "code no" margin is zero → null (R would say 1).
    let all = column(3, 0, 4, 0);
    assert_eq!(all.arms.unwrap().arm_p, None);
    // R: prop.test(7, 7, correct = FALSE)$conf.int = 0.64566956493331262 1
    assert!(close(all.ci_low, 0.64566956493331262, 1e-9, 1e-6) && all.ci_high == Some(1.0));
    // R: prop.test(1, 3, correct = FALSE)$conf.int = 0.061491944720396291 0.79234039919795229
    let one = column(1, 2, 0, 0);
    assert!(close(one.ci_low, 0.061491944720396291, 1e-9, 1e-6) && close(one.ci_high, 0.79234039919795229, 1e-9, 1e-6));
    assert_eq!(one.arms.unwrap().by_arm.control.share, None);
}
