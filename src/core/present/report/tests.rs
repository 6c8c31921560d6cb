use super::*;
use crate::core::analyses::analyse;
use crate::core::analyses::cost::{cost_analysis, parse_cost_csv, BootstrapSettings};
use crate::core::dataset::Dataset;
use crate::core::engine::demo::{demo_csv, demo_recipe, DEMO_FILE_NAME};
use crate::core::ingest::read_csv;

fn demo() -> (Dataset, Recipe) {
    let ds = read_csv(demo_csv().as_bytes(), DEMO_FILE_NAME).unwrap();
    let mut recipe = demo_recipe();
    recipe.suggest_columns(&ds.column_names());
    (ds, recipe)
}

fn ids(r: &Report) -> Vec<&str> {
    r.sections.iter().map(|s| s.id.as_str()).collect()
}

fn keys(r: &Report) -> Vec<&str> {
    r.glossary.iter().map(|g| g.key.as_str()).collect()
}

#[test]
fn demo_report_reads_in_the_right_direction() {
    let (ds, recipe) = demo();
    let a = analyse(&ds, &recipe);
    let rep = report_for_analysis(&a, &ds.summary(), &recipe);
    // One headline estimate first: the baseline-adjusted difference (its interval excludes zero
    // in the demo), then how sure, then each group's own change as supporting detail.
    let first = &rep.summary[0];
    assert!(first.contains("started at the same score") && first.contains("in favour of the program"), "{first}");
    let sure = &rep.summary[1];
    assert!(
        sure.starts_with("How sure")
            && sure.contains("started at the same score")
            && sure.contains("unlikely to be chance"),
        "{sure}"
    );
    // The headline uses people with both scores: the drop-out context and the tipping point follow.
    let dropout = &rep.summary[2];
    assert!(
        dropout.starts_with("These results use the 113 people with scores before and after; 7 more")
            && dropout
                .contains("the conclusion holds unless the people who dropped out of the program group did about"),
        "{dropout}"
    );
    // Beside it, the same for the follow-up score (its own completers and tipping point).
    let dropout_fu = &rep.summary[3];
    assert!(
        dropout_fu.starts_with("The follow-up results use the 94 people with scores before and at follow-up; 26 more have no follow-up score.")
            && dropout_fu.contains("the program's advantage at follow-up is clear (its interval excludes zero)"),
        "{dropout_fu}"
    );
    assert!(
        rep.sections.iter().any(|s| s.id == "paired_followup" && s.sentences.iter().any(|x| x == dropout_fu)),
        "the follow-up section carries it too"
    );
    let program = &rep.summary[4];
    assert!(program.starts_with("Among program participants"), "{program}");
    assert!(program.contains("fell") && program.contains("an improvement"), "{program}");
    assert!(rep.summary[5].starts_with("Among people in the comparison group"), "{:?}", rep.summary);
    // The change-score difference is not a second headline number.
    assert!(!rep.summary.iter().any(|s| s.contains("change in stigma scores")), "{:?}", rep.summary);
    assert!(
        rep.summary.iter().any(|s| s.contains("After the program,") && s.contains("sought help")),
        "{:?}",
        rep.summary
    );
    assert!(!rep.summary.iter().any(|s| s.contains("What it cost")), "no cost table loaded");

    assert_eq!(
        ids(&rep),
        vec!["paired", "paired_followup", "between_groups", "help_seeking", "rci", "subgroups", "process"]
    );
    for s in rep.all_sections() {
        assert!(!s.heading.is_empty() && !s.sentences.is_empty(), "{s:?}");
        if s.id != "data" {
            assert!(s.method.as_ref().is_some_and(|m| !m.is_empty()), "{} has no method", s.id);
        }
    }
    let paired = &rep.sections[0];
    let t = paired.table.as_ref().unwrap();
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[0][0], "Program group");
    assert_eq!(t.rows[0][1], a.results.paired["intervention"].n.to_string());
    assert!(t.columns.iter().any(|c| c == "d_z"));
    assert!(rep.planning.as_ref().unwrap().sentences[0].contains("power"));

    // The data description: rows, complete pairs, missing per role.
    let data = &rep.data;
    assert!(data.sentences[0].contains("“lantern-demo.csv” has 120 rows"), "{:?}", data.sentences);
    let blanks = ds.column("stigma_post").unwrap().cells.iter().filter(|c| c.is_empty()).count();
    let row = data.table.as_ref().unwrap().rows.iter().find(|r| r[0] == "Stigma after").unwrap();
    assert_eq!(row[1], "stigma_post");
    assert_eq!(row[3], blanks.to_string());
    assert_eq!(row[2], (120 - blanks).to_string());
    assert!(data.sentences.iter().any(|s| s.contains("No cells needed cleaning")), "{:?}", data.sentences);

    // Limitations: a control group exists; self-report always; 4 age bands × 2 arms.
    let lim = rep.limitations.join("\n");
    assert!(!lim.contains("no control group"), "{lim}");
    assert!(lim.contains("social-desirability"), "{lim}");
    assert!(lim.contains("chose whether to join"), "{lim}");
    assert!(lim.contains("8 subgroup results"), "{lim}");
    assert!(!lim.contains("no usable score after"), "demo attrition is below 20%: {lim}");

    // The glossary explains exactly the terms used.
    let k = keys(&rep);
    for key in ["d_z", "hedges_g", "confidence_interval", "p_value", "reliable_change", "power"] {
        assert!(k.contains(&key), "{key} missing from {k:?}");
    }
    assert!(!k.contains(&"icer"), "no cost, no ICER");
    let text = rep.to_text();
    assert!(text.contains("Summary") && text.contains("Limitations") && text.contains("What the terms mean"));
    assert!(!text.contains("NaN") && !text.contains("inf"));
    let back: Report = serde_json::from_str(&serde_json::to_string(&rep).unwrap()).unwrap();
    assert_eq!(back, rep);
}

#[test]
fn single_group_file_says_there_is_no_control_group() {
    let (ds, mut recipe) = demo();
    recipe.columns.group = None;
    let a = analyse(&ds, &recipe);
    let rep = report(&a.results, &ds.summary(), &recipe);
    assert!(rep.summary[0].starts_with("Among participants with scores before and after"), "{:?}", rep.summary);
    assert!(rep.summary.iter().any(|s| s.starts_with("How sure we are: the average change")), "{:?}", rep.summary);
    let lim = rep.limitations.join("\n");
    assert!(lim.contains("There was no control group"), "{lim}");
    assert!(!lim.contains("chose whether to join"), "{lim}");
    assert!(!ids(&rep).contains(&"between_groups"));
    // 4 age bands in one group: multiple comparisons, no small-subgroup warning needed for big bands.
    assert!(lim.contains("4 subgroup results"), "{lim}");
    assert!(rep.planning.as_ref().unwrap().method.as_ref().unwrap().contains("paired"));
}

#[test]
fn direction_follows_the_scale() {
    let (ds, mut recipe) = demo();
    recipe.scale.as_mut().unwrap().lower_is_better = Some(false);
    let rep = report(&analyse(&ds, &recipe).results, &ds.summary(), &recipe);
    assert!(rep.summary[0].contains("against the program"), "{}", rep.summary[0]);
    assert!(rep.summary[2].contains("not clear even at δ = 0"), "{}", rep.summary[2]);
    assert!(
        rep.summary[3].contains("Drop-out check: The program's advantage at follow-up is not clear even at δ = 0"),
        "{}",
        rep.summary[3]
    );
    assert!(rep.summary[4].contains("a change for the worse"), "{}", rep.summary[4]);
}

#[test]
fn large_attrition_small_subgroups_and_small_studies_are_limitations() {
    let mut csv = String::from("id,site,pre,post\n");
    for i in 0..20 {
        let site = if i < 16 { "north" } else { "south" };
        let post = if i % 5 < 2 { String::new() } else { format!("{}", 3.0 - (i % 3) as f64 * 0.5) };
        csv.push_str(&format!("{i},{site},{},{post}\n", 3.0 + (i % 4) as f64 * 0.25));
    }
    let ds = read_csv(csv.as_bytes(), "small.csv").unwrap();
    let mut recipe = Recipe::default();
    recipe.suggest_columns(&ds.column_names());
    recipe.columns.subgroup = Some("site".into());
    let a = analyse(&ds, &recipe);
    let rep = report_for_analysis(&a, &ds.summary(), &recipe);
    let lim = rep.limitations.join("\n");
    assert!(lim.contains("8 of 20 people (40%) have no usable score after"), "{lim}");
    assert!(lim.contains("fewer than 10 people with both scores: north, 9; south, 3"), "{lim}");
    assert!(lim.contains("2 subgroup results"), "{lim}");
    assert!(lim.contains("This is a small study (12 people"), "{lim}");
    assert!(lim.contains("There was no control group"), "{lim}");
    assert!(keys(&rep).contains(&"power"));
    // No level is big enough to compare, so there is no "for whom" sentence.
    assert!(!rep.summary.iter().any(|s| s.starts_with("For whom")));
}

#[test]
fn cleaning_is_described_by_column() {
    let ds = read_csv(b"pre,post\n3,2\n4,x\n5,4\n2,??\n3,3\n", "messy.csv").unwrap();
    let mut recipe = Recipe::default();
    recipe.suggest_columns(&ds.column_names());
    let a = analyse(&ds, &recipe);
    assert!(!a.diagnostics.is_empty());
    let rep = report_for_analysis(&a, &ds.summary(), &recipe);
    let s = rep.data.sentences.iter().find(|s| s.contains("problems")).unwrap();
    assert!(s.contains("2 problems in the column “post” (rows 2, 4)"), "{s}");
}

#[test]
fn cost_summary_and_icer_appear_with_costs() {
    let (ds, recipe) = demo();
    let mut a = analyse(&ds, &recipe);
    let costs = parse_cost_csv(
        b"category,arm,amount\nstipends,intervention,5000\ntraining,intervention,1200\nmaterials,control,300\n",
        None,
    )
    .unwrap();
    let boot = BootstrapSettings { replicates: 300, ..BootstrapSettings::default() };
    a.results.cost = Some(cost_analysis(&ds, &recipe, &costs.table, &boot, &mut |_| true));
    let rep = report_for_analysis(&a, &ds.summary(), &recipe);
    let cost = rep.cost.as_ref().unwrap();
    assert_eq!(cost.id, "cost");
    assert!(cost.sentences[0].contains("The program's costs add up to"), "{:?}", cost.sentences);
    let t = cost.table.as_ref().unwrap();
    assert!(t.rows.iter().any(|r| r[0].contains("ICER")));
    assert!(rep.summary.last().unwrap().starts_with("What it cost:"), "{:?}", rep.summary);
    assert!(keys(&rep).contains(&"icer"));
}

#[test]
fn glossary_is_complete_and_plain() {
    let g = glossary();
    for key in ["d_z", "confidence_interval", "p_value", "reliable_change", "icer", "power"] {
        let e = g.iter().find(|e| e.key == key).unwrap_or_else(|| panic!("{key} missing"));
        assert!(!e.term.is_empty() && !e.meaning.is_empty() && !e.example.is_empty(), "{e:?}");
        assert!(!e.meaning.contains('\n') && !e.example.contains('\n'));
        // Examples are in the program's own terms.
        assert!(
            ["stigma", "help", "participant", "program", "evaluation"]
                .iter()
                .any(|w| e.example.to_lowercase().contains(w)),
            "{e:?}"
        );
    }
    let unique: BTreeSet<&str> = g.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(unique.len(), g.len());
}

#[test]
fn empty_results_give_a_short_report_not_a_panic() {
    let rep = report(&Results::default(), &DatasetSummary::default(), &Recipe::default());
    assert!(rep.summary[0].contains("no results"));
    assert!(rep.sections.is_empty() && rep.cost.is_none() && rep.planning.is_none());
    assert!(rep.limitations.is_empty());
    assert!(rep.to_text().contains("Evaluation report"));
}

#[test]
fn process_and_community_sections_read_the_process_results() {
    let csv = "id,group,pre,post,sessions\n1,intervention,30,28,2\n2,intervention,31,27,4\n3,intervention,29,24,6\n4,intervention,30,,1\n5,control,30,29,\n6,control,28,28,\n7,control,31,,\n";
    let ds = read_csv(csv.as_bytes(), "p.csv").unwrap();
    let recipe =
        Recipe::from_json(r#"{"columns":{"group":"group","pre":"pre","post":"post","dose":"sessions"}}"#).unwrap();
    let mut a = analyse(&ds, &recipe);
    a.results.community = Some(
        crate::core::analyses::process::counts_analysis(
            b"period,count,start\n1,10,0\n2,12,0\n3,20,1\n4,22,1\n",
            "calls.csv",
            &recipe,
        )
        .unwrap(),
    );
    let rep = report_for_analysis(&a, &ds.summary(), &recipe);
    let process = rep.sections.iter().find(|s| s.id == "process").expect("process section");
    let t = process.table.as_ref().unwrap();
    // Intervention: 4 enrolled, 3 completed; control: 3 and 2.
    assert_eq!(t.rows[0][..3], ["Program group".to_string(), "4".into(), "3".into()], "{:?}", t.rows);
    assert_eq!(t.rows[1][1..3], ["3".to_string(), "2".into()]);
    assert!(
        process.sentences.iter().any(|s| s.contains("does not by itself show")),
        "the dose reading: {:?}",
        process.sentences
    );
    let c = rep.sections.iter().find(|s| s.id == "community").expect("community section");
    // Rate ratio (20 + 22) / (10 + 12) = 1.909.
    assert!(c.table.as_ref().unwrap().rows[0][3].starts_with("1.909"), "{:?}", c.table);
    assert!(c.method.as_ref().unwrap().contains("poisson.test"));
}
