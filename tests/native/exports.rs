//! Exports written like the layouts real files come in (issue #23): Qualtrics' tab-separated
//! UTF-16 export, the legacy Qualtrics layout, a full SurveyMonkey export and an Excel `;` file
//! with decimal commas and thousands separators. The files are in `tests/data/exports/` (its
//! README says which documentation each follows); every expected value below is read off the
//! file by hand.

use lantern::core::dataset::{Dataset, ExportFormat};
use lantern::core::ingest::read_csv;
use lantern::core::ingest::types::ValueKind;
use std::path::PathBuf;

fn read(file: &str) -> Dataset {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/exports").join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read_csv(&bytes, file).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn kind(ds: &Dataset, column: &str) -> ValueKind {
    let s = ds.summary();
    s.types.iter().find(|t| t.column == column).unwrap_or_else(|| panic!("no type for {column}")).kind
}

fn numbers(ds: &Dataset, column: &str) -> Vec<Option<f64>> {
    let (v, d) = ds.numeric(column).unwrap_or_else(|| panic!("no column {column}"));
    assert!(d.is_empty(), "{column}: {d:?}");
    v
}

fn label<'a>(ds: &'a Dataset, column: &str) -> Option<&'a str> {
    ds.labels.iter().find(|(c, _)| c == column).map(|(_, l)| l.as_str())
}

#[test]
fn qualtrics_tab_separated_utf16() {
    let ds = read("qualtrics_tab_utf16.tsv");
    assert_eq!((ds.encoding.as_str(), ds.had_bom, ds.delimiter), ("UTF-16LE", true, '\t'));
    assert_eq!((ds.format, ds.header_rows), (ExportFormat::Qualtrics, 3));
    assert_eq!(ds.n_rows, 6, "the preview is left out: {:?}", ds.dropped_rows);
    assert_eq!(ds.dropped_rows.len(), 1);
    assert_eq!(ds.dropped_rows[0].line, 4);
    assert_eq!(
        ds.column_names(),
        vec![
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
            "Q1",
            "Q2",
            "Q3_1",
            "Q3_2",
            "Q4",
            "Q5"
        ]
    );
    assert_eq!(label(&ds, "Q2"), Some("What is your first name?"));
    assert_eq!(label(&ds, "Q3_1"), Some("How much do you agree? - I felt welcome"));
    assert_eq!(ds.column("Q2").unwrap().cells, vec!["Ana", "Benoît", "Chloé", "Dev", "Fatima", "Grace"]);
    assert_eq!(ds.column("Q5").unwrap().cells[2], "Müde – aber zufrieden mit dem Kurs");
    // 5-point agreement wording → 1 (strongly disagree) … 5 (strongly agree).
    assert_eq!(numbers(&ds, "Q3_1"), [5.0, 4.0, 1.0, 4.0, 3.0, 5.0].map(Some));
    assert_eq!(numbers(&ds, "Q3_2"), [4.0, 3.0, 2.0, 5.0, 4.0, 5.0].map(Some));
    assert_eq!(numbers(&ds, "Q4"), [1.0, 0.0, 0.0, 1.0, 0.0, 1.0].map(Some));
    assert_eq!(numbers(&ds, "Duration (in seconds)"), [312.0, 520.0, 185.0, 450.0, 299.0, 400.0].map(Some));
    for (c, k) in [
        ("StartDate", ValueKind::Date),
        ("Q1", ValueKind::Identifier),
        ("Q3_1", ValueKind::Number),
        ("Q4", ValueKind::YesNo),
        ("Q5", ValueKind::Text),
        ("RecipientEmail", ValueKind::Empty),
    ] {
        assert_eq!(kind(&ds, c), k, "{c}");
    }
    for m in ["StartDate", "IPAddress", "ResponseId", "LocationLatitude", "UserLanguage"] {
        assert!(ds.metadata_columns.iter().any(|c| c == m), "{m} is metadata");
    }
    // Qualtrics' own identifying columns are flagged when they hold anything (the recipient
    // columns are blank in an anonymous distribution).
    let found: Vec<String> = ds.summary().identifying.into_iter().map(|i| i.column).collect();
    for c in ["IPAddress", "LocationLatitude", "LocationLongitude"] {
        assert!(found.iter().any(|f| f == c), "{c} is flagged: {found:?}");
    }
    for c in ["RecipientEmail", "RecipientFirstName", "ExternalReference", "Q1", "Q3_1", "Q5"] {
        assert!(!found.iter().any(|f| f == c), "{c} is not flagged: {found:?}");
    }
}

#[test]
fn legacy_qualtrics_layout() {
    let ds = read("qualtrics_legacy.csv");
    assert_eq!((ds.format, ds.header_rows, ds.delimiter), (ExportFormat::Qualtrics, 2, ','));
    assert_eq!(ds.n_rows, 4, "the preview (Status 1) is left out");
    assert_eq!(ds.dropped_rows.len(), 1);
    assert_eq!(ds.dropped_rows[0].line, 3);
    assert_eq!(
        ds.column_names(),
        vec![
            "ResponseID",
            "ResponseSet",
            "Name",
            "ExternalDataReference",
            "EmailAddress",
            "IPAddress",
            "Status",
            "StartDate",
            "EndDate",
            "Finished",
            "Q1",
            "Q2_1",
            "Q2_2",
            "Q3",
            "Q4"
        ]
    );
    assert_eq!(ds.metadata_columns.len(), 10);
    assert_eq!(label(&ds, "Q4"), Some("How old are you?"));
    assert_eq!(ds.unfinished_rows, vec![4], "Finished = 0 on the last response");
    assert_eq!(ds.column("Q1").unwrap().cells, vec!["S01", "S02", "S03", "S04"]);
    assert_eq!(numbers(&ds, "Q2_1"), [4.0, 2.0, 5.0, 3.0].map(Some));
    assert_eq!(numbers(&ds, "Q2_2"), vec![Some(5.0), Some(3.0), Some(4.0), None]);
    assert_eq!(numbers(&ds, "Q3"), [1.0, 0.0, 0.0, 1.0].map(Some));
    assert_eq!(numbers(&ds, "Q4"), vec![Some(34.0), Some(27.0), Some(45.0), None]);
    for (c, k) in [
        ("StartDate", ValueKind::Date),
        ("Q1", ValueKind::Identifier),
        ("Q2_1", ValueKind::Number),
        ("Q3", ValueKind::YesNo),
        ("Q4", ValueKind::Number),
    ] {
        assert_eq!(kind(&ds, c), k, "{c}");
    }
}

#[test]
fn surveymonkey_full_export() {
    let ds = read("surveymonkey_full.csv");
    assert_eq!((ds.format, ds.header_rows), (ExportFormat::SurveyMonkey, 2));
    assert_eq!(ds.n_rows, 5);
    assert!(ds.dropped_rows.is_empty());
    let q = "How much do you agree with each statement?";
    assert_eq!(
        ds.column_names(),
        vec![
            "Respondent ID".to_string(),
            "Collector ID".into(),
            "Start Date".into(),
            "End Date".into(),
            "IP Address".into(),
            "Email Address".into(),
            "First Name".into(),
            "Last Name".into(),
            "Custom Data 1".into(),
            "Which group were you in? | Response".into(),
            format!("{q} | I felt welcome"),
            format!("{q} | I would recommend the group"),
            format!("{q} | I learnt something new"),
            "Did you seek help in the last month? | Response".into(),
            "Anything else you would like to tell us? | Open-Ended Response".into(),
        ]
    );
    assert_eq!(
        ds.metadata_columns,
        vec![
            "Respondent ID",
            "Collector ID",
            "Start Date",
            "End Date",
            "IP Address",
            "Email Address",
            "First Name",
            "Last Name"
        ]
    );
    assert_eq!(label(&ds, &format!("{q} | I felt welcome")), Some(q));
    // 5-point agreement wording (Agree, not "Somewhat agree") → 1 … 5.
    assert_eq!(numbers(&ds, &format!("{q} | I felt welcome")), [5.0, 2.0, 4.0, 3.0, 5.0].map(Some));
    assert_eq!(numbers(&ds, "Did you seek help in the last month? | Response"), [1.0, 0.0, 1.0, 0.0, 1.0].map(Some));
    for (c, k) in [
        ("Respondent ID", ValueKind::Identifier),
        ("Which group were you in? | Response", ValueKind::Category),
        ("Did you seek help in the last month? | Response", ValueKind::YesNo),
        ("Custom Data 1", ValueKind::Category),
    ] {
        assert_eq!(kind(&ds, c), k, "{c}");
    }
    let found: Vec<String> = ds.summary().identifying.into_iter().map(|i| i.column).collect();
    for c in ["IP Address", "Email Address", "First Name", "Last Name"] {
        assert!(found.iter().any(|f| f == c), "{c} is flagged: {found:?}");
    }
}

#[test]
fn excel_semicolons_decimal_commas_and_thousands_separators() {
    let ds = read("excel_semicolon_thousands.csv");
    assert_eq!((ds.encoding.as_str(), ds.had_bom, ds.delimiter), ("Windows-1252", false, ';'));
    assert_eq!((ds.format, ds.header_rows, ds.n_rows), (ExportFormat::Plain, 1, 5));
    assert_eq!(ds.column_names(), vec!["id", "gruppe", "alter", "einkommen", "stunden", "kosten", "kommentar"]);
    assert_eq!(ds.decimal_comma_columns, vec!["einkommen", "stunden", "kosten"]);
    assert_eq!(numbers(&ds, "einkommen"), [1234.5, 980.0, 12500.75, 2100.0, -1500.0].map(Some));
    assert_eq!(numbers(&ds, "stunden"), [1.5, 2.0, 0.5, 3.25, 1.0].map(Some));
    assert_eq!(numbers(&ds, "kosten"), [12345.0, 8900.5, 1050.25, 980.0, 2_000_000.0].map(Some));
    assert_eq!(
        ds.column("kommentar").unwrap().cells,
        vec![
            "schön und sehr hilfreich gewesen",
            "zu kurz, leider nur zwei Treffen",
            "",
            "gut gemacht, danke an alle",
            "Grüße an die ganze Gruppe"
        ]
    );
    for (c, k) in [
        ("id", ValueKind::Identifier),
        ("gruppe", ValueKind::Category),
        ("alter", ValueKind::Number),
        ("einkommen", ValueKind::Number),
        ("kosten", ValueKind::Number),
        ("kommentar", ValueKind::Text),
    ] {
        assert_eq!(kind(&ds, c), k, "{c}");
    }
}

#[test]
fn surveymonkey_older_spelling_and_a_trimmed_anonymised_copy() {
    // Older exports: no spaces in the metadata names.
    let older = "RespondentID,CollectorID,StartDate,EndDate,IP Address,Email Address,First Name,LastName,Custom Data,\
                 Did you seek help?,Rate the group,\r\n\
                 ,,,,,,,,,Response,Welcoming,Useful\r\n\
                 2401,77,01/02/2013,01/02/2013,,,,,,Yes,Agree,Agree\r\n\
                 2402,77,01/02/2013,01/02/2013,,,,,,No,Disagree,Agree\r\n\
                 2403,77,01/03/2013,01/03/2013,,,,,,Yes,Strongly agree,Disagree\r\n";
    // Shared after anonymising: only the ID column is left of SurveyMonkey's own.
    let trimmed = "Respondent ID,Did you seek help?,Rate the group,\r\n\
                   ,Response,Welcoming,Useful\r\n\
                   2401,Yes,Agree,Agree\r\n\
                   2402,No,Disagree,Agree\r\n\
                   2403,Yes,Strongly agree,Disagree\r\n";
    for (text, first) in [(older, "RespondentID"), (trimmed, "Respondent ID")] {
        let ds = read_csv(text.as_bytes(), "sm.csv").unwrap();
        assert_eq!((ds.format, ds.header_rows, ds.n_rows), (ExportFormat::SurveyMonkey, 2, 3), "{first}");
        let names = ds.column_names();
        assert_eq!(names.first().map(String::as_str), Some(first));
        let tail: Vec<&str> = names.iter().skip(names.len() - 3).map(String::as_str).collect();
        assert_eq!(
            tail,
            vec!["Did you seek help? | Response", "Rate the group | Welcoming", "Rate the group | Useful"]
        );
        assert_eq!(kind(&ds, "Did you seek help? | Response"), ValueKind::YesNo, "{first}");
        assert_eq!(numbers(&ds, "Did you seek help? | Response"), [1.0, 0.0, 1.0].map(Some));
        assert!(ds.metadata_columns.iter().any(|m| m == first));
    }
}

#[test]
fn whole_numbers_with_thousands_points_in_a_decimal_comma_file() {
    // Excel in a decimal-comma language writes whole numbers as 2.500 (no comma at all): in a
    // file whose other numbers have decimal commas, that is two thousand five hundred.
    let text = "id;stunden;teilnehmer;kosten\n1;1,5;2.500;1.250.000\n2;2;75;980\n3;0,5;1.200;\n";
    let ds = read_csv(text.as_bytes(), "kosten.csv").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ds.decimal_comma_columns, vec!["stunden", "teilnehmer", "kosten"]);
    assert_eq!(numbers(&ds, "teilnehmer"), [2500.0, 75.0, 1200.0].map(Some));
    assert_eq!(numbers(&ds, "kosten"), [Some(1_250_000.0), Some(980.0), None]);
    // The same column in a file with decimal points stays 2.5.
    let point = read_csv(b"id;stunden;x\n1;1.5;2.500\n2;2;1.250\n", "p.csv").unwrap_or_else(|e| panic!("{e}"));
    assert!(point.decimal_comma_columns.is_empty());
    assert_eq!(numbers(&point, "x"), [2.5, 1.25].map(Some));
}
