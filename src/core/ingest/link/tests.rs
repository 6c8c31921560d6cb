//! The rules of CONTRACT §5, one by one, and the properties of linking.

use super::osa::osa_distance;
use super::*;
use std::collections::{BTreeMap, BTreeSet};

fn codes(wave: Wave, raw: &[&str]) -> WaveCodes {
    WaveCodes { wave, file: format!("{}.csv", wave.name()), codes: raw.iter().map(|r| normalise_one(r)).collect() }
}

fn opts(k: usize) -> LinkOptions {
    LinkOptions { max_distance: k, ..LinkOptions::default() }
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

/// Links as (pre code, later code, kind).
fn named(w: &WaveLink, pre: &WaveCodes, later: &WaveCodes) -> BTreeSet<(String, String, String)> {
    w.links
        .iter()
        .map(|l| {
            let a = pre.codes[l.pre_row].clone().unwrap_or_default();
            let b = later.codes[l.later_row].clone().unwrap_or_default();
            (a, b, format!("{:?}", l.kind))
        })
        .collect()
}

fn counts(c: [usize; 7]) -> LinkCounts {
    let [confirmed, exact, near, ambiguous_pre, ambiguous_later, unmatched_pre, unmatched_later] = c;
    LinkCounts { confirmed, exact, near, ambiguous_pre, ambiguous_later, unmatched_pre, unmatched_later }
}

/// Each side's outcomes add up to the rows with a unique code (the reference's identity).
fn check_identity(l: &Linkage) {
    let pre = &l.waves.pre;
    for (w, s) in [(Some(&l.post), Some(&l.waves.post)), (l.followup.as_ref(), l.waves.followup.as_ref())] {
        let (Some(w), Some(s)) = (w, s) else { continue };
        let c = w.counts;
        assert_eq!(
            c.confirmed + c.exact + c.near + c.ambiguous_pre + c.unmatched_pre,
            pre.with_code - pre.duplicate_rows
        );
        assert_eq!(
            c.confirmed + c.exact + c.near + c.ambiguous_later + c.unmatched_later,
            s.with_code - s.duplicate_rows
        );
        assert_eq!(w.links.len(), c.confirmed + c.exact + c.near);
    }
}

#[test]
fn rows_with_code_and_duplicates_are_counted() {
    let pre = codes(Wave::Pre, &["AB-123", "ab 123", "CD456", "", "x1", "EF789", "ef.789", "EF/789"]);
    let post = codes(Wave::Post, &["GH111", "gh-111", "CD456"]);
    let l = link(&pre, &post, None, &opts(1));
    assert_eq!(l.waves.pre, WaveSummary { file: "pre.csv".into(), rows: 8, with_code: 6, duplicate_rows: 5 });
    assert_eq!(l.waves.post, WaveSummary { file: "post.csv".into(), rows: 3, with_code: 3, duplicate_rows: 2 });
    assert_eq!(l.post.counts, counts([0, 1, 0, 0, 0, 0, 0]));
    let dups: Vec<(Wave, &str, Vec<usize>)> =
        l.duplicates.iter().map(|d| (d.wave, d.code.as_str(), d.rows.clone())).collect();
    assert_eq!(
        dups,
        vec![(Wave::Pre, "AB123", vec![0, 1]), (Wave::Pre, "EF789", vec![5, 6, 7]), (Wave::Post, "GH111", vec![0, 1])]
    );
    check_identity(&l);
}

#[test]
fn duplicate_rows_take_no_further_part() {
    // AAA1 is held twice before: its after row is not linked, and AAA1's one-slip neighbour
    // AAA2 after has no candidate (unmatched, not ambiguous).
    let pre = codes(Wave::Pre, &["AAA1", "AAA1", "BBB2"]);
    let post = codes(Wave::Post, &["AAA1", "AAA2", "BBB2", "CCC3", "CCC3"]);
    let l = link(&pre, &post, None, &opts(1));
    assert_eq!(l.post.counts, counts([0, 1, 0, 0, 0, 0, 2]));
    assert!(l.post.ambiguous.is_empty());
    assert_eq!(l.waves.post.duplicate_rows, 2);
    // Accept cannot link a duplicate either.
    let o = LinkOptions { accept: vec![pair("AAA1", "AAA2"), pair("BBB2", "CCC3")], ..opts(1) };
    let l = link(&pre, &post, None, &o);
    assert_eq!(l.post.counts.confirmed, 0);
    check_identity(&l);
}

#[test]
fn accept_pairs_are_confirmed_when_both_codes_exist() {
    let pre = codes(Wave::Pre, &["ABC123", "DEF456", "GHI789"]);
    let post = codes(Wave::Post, &["XYZ999", "DEF456", "GHI788", "ABC123"]);
    // Given as typed (normalised here), one pair with a code nobody has.
    let o = LinkOptions { accept: vec![pair("abc-123", "xyz 999"), pair("NOP000", "GHI788")], ..opts(1) };
    let l = link(&pre, &post, None, &o);
    assert_eq!(l.post.counts, counts([1, 1, 1, 0, 0, 0, 1]));
    let n = named(&l.post, &pre, &post);
    assert!(n.contains(&("ABC123".into(), "XYZ999".into(), "Confirmed".into())));
    assert!(n.contains(&("GHI789".into(), "GHI788".into(), "Near".into())));
    // The later ABC123 finds its pre code taken: unmatched (the taken code is no candidate).
    assert_eq!(l.post.pre_of_later[3], None);
    assert_eq!(l.post.links.iter().find(|x| x.kind == LinkKind::Confirmed).map(|x| x.distance), Some(None));
    // A code in two accept pairs is linked by the first only.
    let o = LinkOptions { accept: vec![pair("ABC123", "XYZ999"), pair("ABC123", "GHI788")], ..opts(0) };
    let l = link(&pre, &post, None, &o);
    assert_eq!(l.post.counts.confirmed, 1);
    check_identity(&l);
}

#[test]
fn rejected_pairs_are_never_linked_and_no_candidate() {
    let pre = codes(Wave::Pre, &["ABC123", "KLM555", "PQR777"]);
    let post = codes(Wave::Post, &["ABC123", "KLM556", "PQR777"]);
    let o = LinkOptions { reject: vec![pair("abc123", "ABC-123"), pair("KLM555", "KLM556")], ..opts(1) };
    let l = link(&pre, &post, None, &o);
    // Not exact, not near, not ambiguous: unmatched on both sides.
    assert_eq!(l.post.counts, counts([0, 1, 0, 0, 0, 2, 2]));
    // Rejection wins over acceptance.
    let o = LinkOptions { accept: vec![pair("KLM555", "KLM556")], reject: vec![pair("KLM555", "KLM556")], ..opts(1) };
    assert_eq!(link(&pre, &post, None, &o).post.counts, counts([0, 2, 0, 0, 0, 1, 1]));
    // A rejected pair does not make its codes ambiguous: with it gone, the other is unique.
    let pre = codes(Wave::Pre, &["AB1234", "AB1235"]);
    let post = codes(Wave::Post, &["AB1236"]);
    assert_eq!(link(&pre, &post, None, &opts(1)).post.counts, counts([0, 0, 0, 2, 1, 0, 0]));
    let o = LinkOptions { reject: vec![pair("AB1234", "AB1236")], ..opts(1) };
    let l = link(&pre, &post, None, &o);
    assert_eq!(l.post.counts, counts([0, 0, 1, 0, 0, 1, 0]));
    assert!(named(&l.post, &pre, &post).contains(&("AB1235".into(), "AB1236".into(), "Near".into())));
}

#[test]
fn equal_codes_are_exact_after_normalising() {
    let pre = codes(Wave::Pre, &["pw-280", "Émile 7", "straße1"]);
    let post = codes(Wave::Post, &["PW 280", "ÉMILE7", "STRASSE-1"]);
    let l = link(&pre, &post, None, &opts(0));
    assert_eq!(l.post.counts, counts([0, 3, 0, 0, 0, 0, 0]));
    assert!(l.post.links.iter().all(|x| x.distance == Some(0)));
}

#[test]
fn near_links_every_kind_of_slip() {
    let pre = codes(Wave::Pre, &["PW2801", "FD5142", "BV7643", "JT4364", "ÉA1234"]);
    // Swap, substitution, insertion, deletion, one accented letter.
    let post = codes(Wave::Post, &["PW2081", "FD5152", "BV76403", "JT464", "EA1234"]);
    let l = link(&pre, &post, None, &opts(1));
    assert_eq!(l.post.counts, counts([0, 0, 5, 0, 0, 0, 0]));
    assert!(l.post.links.iter().all(|x| x.kind == LinkKind::Near && x.distance == Some(1)));
    // max_distance 0: exact only, nothing is a candidate.
    let l = link(&pre, &post, None, &opts(0));
    assert_eq!(l.post.counts, counts([0, 0, 0, 0, 0, 5, 5]));
    // Two slips: only within max_distance 2.
    let pre = codes(Wave::Pre, &["QRS123"]);
    let post = codes(Wave::Post, &["QSR124"]);
    assert_eq!(link(&pre, &post, None, &opts(1)).post.counts, counts([0, 0, 0, 0, 0, 1, 1]));
    let l = link(&pre, &post, None, &opts(2));
    assert_eq!(l.post.counts, counts([0, 0, 1, 0, 0, 0, 0]));
    assert_eq!(l.post.links[0].distance, Some(2));
}

#[test]
fn the_nearest_code_must_be_unique_on_both_sides() {
    // One after code one slip from two before codes: all three ambiguous.
    let pre = codes(Wave::Pre, &["AB1234", "AB1235", "ZZZ999"]);
    let post = codes(Wave::Post, &["AB1236", "QQQ111"]);
    let l = link(&pre, &post, None, &opts(1));
    assert_eq!(l.post.counts, counts([0, 0, 0, 2, 1, 1, 1]));
    type Listed<'a> = (Side, usize, &'a str, Vec<(usize, &'a str, usize)>);
    let a: Vec<Listed> = l
        .post
        .ambiguous
        .iter()
        .map(|a| {
            (
                a.side,
                a.row,
                a.code.as_str(),
                a.candidates.iter().map(|c| (c.row, c.code.as_str(), c.distance)).collect(),
            )
        })
        .collect();
    assert_eq!(
        a,
        vec![
            (Side::Pre, 0, "AB1234", vec![(0, "AB1236", 1)]),
            (Side::Pre, 1, "AB1235", vec![(0, "AB1236", 1)]),
            (Side::Later, 0, "AB1236", vec![(0, "AB1234", 1), (1, "AB1235", 1)]),
        ]
    );
    assert!(l.post.ambiguous.iter().all(|a| a.wave == Wave::Post && a.n_candidates == a.candidates.len()));
    // A closer code wins: the smallest distance decides, not the count within max_distance.
    let pre = codes(Wave::Pre, &["AB1234", "AB1299"]);
    let post = codes(Wave::Post, &["AB1235"]);
    let l = link(&pre, &post, None, &opts(2));
    assert_eq!(
        l.post.counts,
        counts([0, 0, 1, 1, 0, 0, 0]),
        "AB1299 has a candidate (linked near to another): ambiguous"
    );
    check_identity(&l);
}

#[test]
fn a_candidate_just_linked_near_to_another_code_still_makes_ambiguous() {
    // ABCD12 ↔ ABCD13 are each other's only nearest (1). ABCE14 (after) is 2 from ABCD12:
    // a candidate within max_distance 2, linked near to another code in the same pass, so
    // ABCE14 is ambiguous (one pass; not "unmatched" as re-judging the rest would say).
    let pre = codes(Wave::Pre, &["ABCD12"]);
    let post = codes(Wave::Post, &["ABCD13", "ABCE14"]);
    let l = link(&pre, &post, None, &opts(2));
    assert_eq!(l.post.counts, counts([0, 0, 1, 0, 1, 0, 0]));
    let amb = &l.post.ambiguous[0];
    assert_eq!((amb.side, amb.row), (Side::Later, 1));
    assert_eq!(amb.candidates, vec![Candidate { row: 0, code: "ABCD12".into(), distance: 2, linked_near: true }]);
    // One pass: ABXD14 ↔ YBXD54 would be mutual-unique (2) once ABCD12 ↔ ABCD13 (1) is
    // linked, but ABXD14's smallest distance is shared by ABCD13 and YBXD54 in the pass: both
    // ambiguous (repeating the rule would link them).
    let pre = codes(Wave::Pre, &["ABCD12", "ABXD14"]);
    let post = codes(Wave::Post, &["ABCD13", "YBXD54"]);
    let l = link(&pre, &post, None, &opts(2));
    assert_eq!(l.post.counts, counts([0, 0, 1, 1, 1, 0, 0]));
    let flags: Vec<(usize, bool)> = l.post.ambiguous[0].candidates.iter().map(|c| (c.row, c.linked_near)).collect();
    assert_eq!(flags, vec![(0, true), (1, false)]);
    check_identity(&l);
}

#[test]
fn each_later_wave_is_linked_to_pre_on_its_own() {
    let pre = codes(Wave::Pre, &["AAA111", "BBB222", "CCC333"]);
    let post = codes(Wave::Post, &["AAA111", "BBB223", "ZZZ999"]);
    let fu = codes(Wave::Followup, &["AAA111", "BBB222", "ZZZ999", "CCC334"]);
    let l = link(&pre, &post, Some(&fu), &opts(1));
    assert_eq!(l.post.counts, counts([0, 1, 1, 0, 0, 1, 1]));
    let f = l.followup.as_ref().unwrap();
    assert_eq!(f.counts, counts([0, 2, 1, 0, 0, 0, 1]));
    // The same pre row has a post and a follow-up partner; the post-only and follow-up-only
    // ZZZ999 rows are not linked to each other (two rows of the linked table).
    assert_eq!(l.rows.len(), 3 + 1 + 1);
    assert_eq!(l.rows[0], LinkedRow { code: Some("AAA111".into()), pre: Some(0), post: Some(0), followup: Some(0) });
    assert_eq!(l.rows[1], LinkedRow { code: Some("BBB222".into()), pre: Some(1), post: Some(1), followup: Some(1) });
    assert_eq!(l.rows[2], LinkedRow { code: Some("CCC333".into()), pre: Some(2), post: None, followup: Some(3) });
    assert_eq!(l.rows[3], LinkedRow { code: Some("ZZZ999".into()), pre: None, post: Some(2), followup: None });
    assert_eq!(l.rows[4], LinkedRow { code: Some("ZZZ999".into()), pre: None, post: None, followup: Some(2) });
    // Follow-up alone gives the same follow-up result (post plays no part).
    assert_eq!(&link_wave(&pre, &fu, &opts(1)), f);
    check_identity(&l);
    // Results JSON: counts only, the contract's keys.
    let json = serde_json::to_value(l.results()).unwrap();
    assert_eq!(json["participants"], 5);
    assert_eq!(json["waves"]["followup"]["rows"], 4);
    assert_eq!(json["followup"]["near"], 1);
    let keys: Vec<&String> = json["post"].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["ambiguous_later", "ambiguous_pre", "confirmed", "exact", "near", "unmatched_later", "unmatched_pre"]
    );
    assert!(!json.to_string().contains("AAA"), "no code in the results");
    let no_fu = serde_json::to_value(link(&pre, &post, None, &opts(1)).results()).unwrap();
    assert!(no_fu.get("followup").is_none() && no_fu["waves"].get("followup").is_none());
}

#[test]
fn the_linked_table_rows_and_columns() {
    let pre = RowTable {
        names: vec!["id".into(), "group".into(), "stigma".into()],
        rows: vec![
            vec!["a-101".into(), "Peer".into(), "10".into()],
            vec!["".into(), "Wait".into(), "12".into()],
            vec!["b-202".into(), "Wait".into(), "14".into()],
            vec!["b-202".into(), "Peer".into()],
        ],
    };
    let post = RowTable {
        names: vec!["Q2".into(), "SC0".into()],
        rows: vec![vec!["C303".into(), "9".into()], vec!["A101".into(), "8".into()], vec!["B202".into(), "7".into()]],
    };
    let fu = RowTable {
        names: vec!["Code".into(), "help".into()],
        rows: vec![vec!["a101".into(), "yes".into()], vec!["c-303".into(), "no".into()]],
    };
    let plan = LinkSettings {
        waves: settings::WaveFiles(vec![
            ("pre".into(), "pre.csv".into()),
            ("post".into(), "post.csv".into()),
            ("followup".into(), "fu.csv".into()),
        ]),
        code: settings::CodeColumns::PerWave(
            [("pre", "id"), ("post", "Q2"), ("followup", "Code")]
                .into_iter()
                .map(|(w, c)| (w.to_string(), settings::CodeList::One(c.to_string())))
                .collect(),
        ),
        ..LinkSettings::default()
    }
    .validate()
    .unwrap();
    let l = link_tables(&plan, &pre, &post, Some(&fu)).unwrap();
    let t = linked_table(&l, &pre, &post, Some(&fu));
    assert_eq!(
        t.names,
        ["link_code", "pre_id", "pre_group", "pre_stigma", "post_Q2", "post_SC0", "followup_Code", "followup_help"]
    );
    let rows: Vec<Vec<&str>> = (0..t.n_rows()).map(|r| t.columns.iter().map(|c| c[r].as_str()).collect()).collect();
    assert_eq!(
        rows,
        vec![
            vec!["A101", "a-101", "Peer", "10", "A101", "8", "a101", "yes"],
            vec!["", "", "Wait", "12", "", "", "", ""],
            vec!["B202", "b-202", "Wait", "14", "", "", "", ""],
            vec!["B202", "b-202", "Peer", "", "", "", "", ""],
            vec!["C303", "", "", "", "C303", "9", "", ""],
            vec!["B202", "", "", "", "B202", "7", "", ""],
            vec!["C303", "", "", "", "", "", "c-303", "no"],
        ]
    );
    assert_eq!(t.n_rows(), l.participants());
    assert_eq!(t.column("post_SC0").map(|c| c.len()), Some(7));
    // Lantern's columns hold the same cells.
    let cols = linked_columns(&l, &pre, &post, Some(&fu));
    assert_eq!(cols.len(), t.names.len());
    for (c, (name, cells)) in cols.iter().zip(t.names.iter().zip(&t.columns)) {
        assert_eq!(&c.name, name);
        assert_eq!(c.cells, *cells);
    }
    // And Lantern's columns can be linked in turn (WaveTable for [Column]).
    let again = link_tables(&plan, &cols, &post, Some(&fu));
    assert!(matches!(again, Err(LinkDataError::MissingCodeColumn { wave: Wave::Pre, .. })));
    // A missing code column or follow-up table is an error, not a panic.
    assert_eq!(link_tables(&plan, &pre, &post, None), Err(LinkDataError::MissingWaveTable(Wave::Followup)));
}

#[test]
fn never_panics_on_odd_input() {
    let empty = codes(Wave::Pre, &[]);
    let blank = codes(Wave::Post, &["", " ", "--", "a", "ab"]);
    for k in 0..=3 {
        let l = link(&empty, &blank, Some(&codes(Wave::Followup, &[])), &opts(k));
        assert_eq!(l.post.counts, LinkCounts::default());
        assert_eq!(l.participants(), 5);
        assert!(l.rows.iter().all(|r| r.code.is_none()));
        let l = link(&blank, &empty, None, &opts(k));
        assert_eq!(l.participants(), 5);
    }
    let huge = "Ωß-".repeat(50_000);
    let huge2 = huge.replacen('Ω', "ω", 1) + "x";
    let pre = codes(Wave::Pre, &[huge.as_str(), "日本語テキスト", "🙂🙃🙂"]);
    let post = codes(Wave::Post, &[huge2.as_str(), "日本語テキト", "🙃🙂🙂"]);
    for k in 0..=3 {
        let l = link(&pre, &post, None, &opts(k));
        check_identity(&l);
        assert_eq!(l.post.counts.near, if k >= 1 { 3 } else { 0 }, "k {k}");
    }
    // An absurd max_distance (not allowed by the settings) still does not panic.
    let pre = codes(Wave::Pre, &["日本語テキスト", "🙂🙃🙂", "ABC"]);
    let post = codes(Wave::Post, &["日本語テキト", "🙃🙂🙂", "XYZ"]);
    let l = link(&pre, &post, None, &opts(usize::MAX));
    check_identity(&l);
    assert_eq!(l.post.counts, counts([0, 0, 2, 1, 1, 0, 0]), "everything is within reach of everything");
}

// ---------------------------------------------------------------------------------------
// Properties, on seeded random waves.

/// A random code as typed: a few letters and digits, sometimes lower case, a hyphen, blank.
fn random_raw(next: &mut dyn FnMut() -> u64, alphabet: &[char], max_len: u64) -> String {
    if next().is_multiple_of(12) {
        return String::new();
    }
    let len = 2 + next() % max_len;
    let mut s = String::new();
    for i in 0..len {
        let c = alphabet[(next() % alphabet.len() as u64) as usize];
        s.push(if next().is_multiple_of(5) { c.to_ascii_lowercase() } else { c });
        if i == 1 && next().is_multiple_of(4) {
            s.push('-');
        }
    }
    s
}

/// A later wave made from a pre wave: some codes kept, some slipped, some new, shuffled a bit.
fn later_from(next: &mut dyn FnMut() -> u64, pre: &[String], alphabet: &[char], max_len: u64) -> Vec<String> {
    let mut out = Vec::new();
    for p in pre {
        match next() % 6 {
            0 => {}
            1 | 2 => {
                let mut c: Vec<char> = p.chars().collect();
                if c.len() >= 2 {
                    let i = (next() % (c.len() as u64 - 1)) as usize;
                    match next() % 4 {
                        0 => c.swap(i, i + 1),
                        1 => c[i] = alphabet[(next() % alphabet.len() as u64) as usize],
                        2 => {
                            c.remove(i);
                        }
                        _ => c.insert(i, alphabet[(next() % alphabet.len() as u64) as usize]),
                    }
                }
                out.push(c.into_iter().collect());
            }
            _ => out.push(p.clone()),
        }
    }
    for _ in 0..(next() % 5) {
        out.push(random_raw(next, alphabet, max_len));
    }
    out
}

fn shuffle<T>(next: &mut dyn FnMut() -> u64, v: &mut [T]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    for i in (1..v.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        v.swap(i, j);
        order.swap(i, j);
    }
    order
}

fn wave_from(wave: Wave, raw: &[String]) -> WaveCodes {
    WaveCodes { wave, file: String::new(), codes: raw.iter().map(|r| normalise_one(r)).collect() }
}

/// The contract read literally, comparing every pair (no index): the reference for `link_wave`.
/// Returns the counts, the links as (pre row, later row, kind, distance) and the ambiguous
/// rows per side with their candidate rows.
#[allow(clippy::type_complexity)]
fn brute(
    pre: &WaveCodes,
    later: &WaveCodes,
    o: &LinkOptions,
) -> (LinkCounts, BTreeSet<(usize, usize, LinkKind, Option<usize>)>, BTreeMap<(u8, usize), BTreeSet<(usize, usize)>>) {
    let held = |w: &WaveCodes| {
        let mut m: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (r, c) in w.codes.iter().enumerate() {
            if let Some(c) = c {
                m.entry(c.clone()).or_default().push(r);
            }
        }
        m
    };
    let (hp, hl) = (held(pre), held(later));
    let unique = |h: &BTreeMap<String, Vec<usize>>, c: &str| h.get(c).filter(|v| v.len() == 1).map(|v| v[0]);
    let rejected = |pr: usize, lr: usize| {
        o.reject.iter().any(|(a, b)| {
            pre.codes[pr].as_deref() == Some(normalise_text(&[a]).as_str())
                && later.codes[lr].as_deref() == Some(normalise_text(&[b]).as_str())
        })
    };
    let mut lp: BTreeMap<usize, usize> = BTreeMap::new();
    let mut ll: BTreeMap<usize, usize> = BTreeMap::new();
    let mut links = BTreeSet::new();
    let mut c = LinkCounts::default();
    for (a, b) in &o.accept {
        if let (Some(pr), Some(lr)) = (unique(&hp, &normalise_text(&[a])), unique(&hl, &normalise_text(&[b]))) {
            if !lp.contains_key(&pr) && !ll.contains_key(&lr) && !rejected(pr, lr) {
                lp.insert(pr, lr);
                ll.insert(lr, pr);
                links.insert((pr, lr, LinkKind::Confirmed, None));
                c.confirmed += 1;
            }
        }
    }
    for (lr, code) in later.codes.iter().enumerate() {
        let Some(code) = code else { continue };
        if unique(&hl, code).is_none() || ll.contains_key(&lr) {
            continue;
        }
        if let Some(pr) = unique(&hp, code) {
            if !lp.contains_key(&pr) && !rejected(pr, lr) {
                lp.insert(pr, lr);
                ll.insert(lr, pr);
                links.insert((pr, lr, LinkKind::Exact, Some(0)));
                c.exact += 1;
            }
        }
    }
    let left = |w: &WaveCodes, h: &BTreeMap<String, Vec<usize>>, linked: &BTreeMap<usize, usize>| -> Vec<usize> {
        (0..w.codes.len())
            .filter(|r| w.codes[*r].as_deref().is_some_and(|c| unique(h, c).is_some()) && !linked.contains_key(r))
            .collect()
    };
    let (left_p, left_l) = (left(pre, &hp, &lp), left(later, &hl, &ll));
    let chars = |s: &Option<String>| -> Vec<char> { s.as_deref().unwrap_or("").chars().collect() };
    let mut cand: BTreeMap<(u8, usize), BTreeSet<(usize, usize)>> = BTreeMap::new();
    let mut dist: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    if o.max_distance >= 1 {
        for &pr in &left_p {
            for &lr in &left_l {
                let d = osa_distance(&chars(&pre.codes[pr]), &chars(&later.codes[lr]));
                if d <= o.max_distance && !rejected(pr, lr) {
                    dist.insert((pr, lr), d);
                    cand.entry((0, pr)).or_default().insert((d, lr));
                    cand.entry((1, lr)).or_default().insert((d, pr));
                }
            }
        }
    }
    let nearest = |key: (u8, usize)| -> Option<(usize, usize)> {
        let s = cand.get(&key)?;
        let &(d, first) = s.iter().next()?;
        (s.iter().filter(|x| x.0 == d).count() == 1).then_some((d, first))
    };
    let mut near = BTreeSet::new();
    for (&(pr, lr), &d) in &dist {
        if nearest((0, pr)) == Some((d, lr)) && nearest((1, lr)) == Some((d, pr)) {
            near.insert((pr, lr));
            links.insert((pr, lr, LinkKind::Near, Some(d)));
            c.near += 1;
        }
    }
    let mut amb = BTreeMap::new();
    for &pr in &left_p {
        if near.iter().any(|x| x.0 == pr) {
            continue;
        }
        match cand.get(&(0, pr)) {
            Some(s) => {
                c.ambiguous_pre += 1;
                amb.insert((0, pr), s.clone());
            }
            None => c.unmatched_pre += 1,
        }
    }
    for &lr in &left_l {
        if near.iter().any(|x| x.1 == lr) {
            continue;
        }
        match cand.get(&(1, lr)) {
            Some(s) => {
                c.ambiguous_later += 1;
                amb.insert((1, lr), s.clone());
            }
            None => c.unmatched_later += 1,
        }
    }
    (c, links, amb)
}

#[test]
fn linking_equals_the_contract_read_pair_by_pair() {
    let mut next = crate::core::xorshift64(0x11AC_0005);
    let mut checked_near = 0;
    let mut checked_amb = 0;
    for round in 0..400 {
        let alphabet: Vec<char> =
            if round % 2 == 0 { "AB12".chars().collect() } else { "ABCDÉ1234".chars().collect() };
        let max_len = 2 + round as u64 % 5;
        let pre_raw: Vec<String> = (0..(next() % 25)).map(|_| random_raw(&mut next, &alphabet, max_len)).collect();
        let later_raw = later_from(&mut next, &pre_raw, &alphabet, max_len);
        let (pre, later) = (wave_from(Wave::Pre, &pre_raw), wave_from(Wave::Post, &later_raw));
        let some_code = |w: &WaveCodes, next: &mut dyn FnMut() -> u64| -> String {
            if w.codes.is_empty() {
                return "ZZZ".into();
            }
            w.codes[(next() % w.codes.len() as u64) as usize].clone().unwrap_or_default()
        };
        let mut o = opts((round % 4) as usize);
        for _ in 0..(next() % 3) {
            o.accept.push((some_code(&pre, &mut next), some_code(&later, &mut next)));
        }
        for _ in 0..(next() % 3) {
            o.reject.push((some_code(&pre, &mut next), some_code(&later, &mut next)));
        }
        let got = link_wave(&pre, &later, &o);
        let (c, links, amb) = brute(&pre, &later, &o);
        assert_eq!(got.counts, c, "round {round}: {pre_raw:?} {later_raw:?} {o:?}");
        let got_links: BTreeSet<_> = got.links.iter().map(|l| (l.pre_row, l.later_row, l.kind, l.distance)).collect();
        assert_eq!(got_links, links, "round {round}");
        let got_amb: BTreeMap<(u8, usize), BTreeSet<(usize, usize)>> = got
            .ambiguous
            .iter()
            .map(|a| {
                ((u8::from(a.side == Side::Later), a.row), a.candidates.iter().map(|x| (x.distance, x.row)).collect())
            })
            .collect();
        assert_eq!(got_amb, amb, "round {round}");
        checked_near += c.near;
        checked_amb += c.ambiguous_pre + c.ambiguous_later;
    }
    assert!(
        checked_near > 100 && checked_amb > 100,
        "the random waves exercise the rule ({checked_near} near, {checked_amb} ambiguous)"
    );
}

#[test]
fn shuffling_rows_changes_no_link() {
    let mut next = crate::core::xorshift64(0x5A0F_F1E5);
    for round in 0..200 {
        let alphabet: Vec<char> = "ABC123".chars().collect();
        let mut pre_raw: Vec<String> = (0..(next() % 30)).map(|_| random_raw(&mut next, &alphabet, 5)).collect();
        let mut post_raw = later_from(&mut next, &pre_raw, &alphabet, 5);
        let mut fu_raw = later_from(&mut next, &pre_raw, &alphabet, 5);
        let o = opts(1 + round % 2);
        let before = |pre_raw: &[String], post_raw: &[String], fu_raw: &[String]| {
            let (p, q, f) =
                (wave_from(Wave::Pre, pre_raw), wave_from(Wave::Post, post_raw), wave_from(Wave::Followup, fu_raw));
            let l = link(&p, &q, Some(&f), &o);
            let fl = l.followup.clone().unwrap();
            let amb: BTreeSet<(Side, String, Wave)> = l.ambiguous().map(|a| (a.side, a.code.clone(), a.wave)).collect();
            (l.results(), named(&l.post, &p, &q), named(&fl, &p, &f), amb)
        };
        let want = before(&pre_raw, &post_raw, &fu_raw);
        shuffle(&mut next, &mut pre_raw);
        shuffle(&mut next, &mut post_raw);
        shuffle(&mut next, &mut fu_raw);
        assert_eq!(before(&pre_raw, &post_raw, &fu_raw), want, "round {round}");
    }
}

#[test]
fn a_code_is_linked_once_and_exact_links_are_never_near() {
    let mut next = crate::core::xorshift64(0xE8AC_7001);
    for round in 0..200 {
        let alphabet: Vec<char> = "AB12".chars().collect();
        let pre_raw: Vec<String> = (0..(next() % 30)).map(|_| random_raw(&mut next, &alphabet, 4)).collect();
        let later_raw = later_from(&mut next, &pre_raw, &alphabet, 4);
        let (pre, later) = (wave_from(Wave::Pre, &pre_raw), wave_from(Wave::Post, &later_raw));
        let w = link_wave(&pre, &later, &opts(1 + round % 3));
        let mut seen_pre = BTreeSet::new();
        let mut seen_later = BTreeSet::new();
        for l in &w.links {
            assert!(seen_pre.insert(l.pre_row) && seen_later.insert(l.later_row), "one link per row");
            let (a, b) = (pre.codes[l.pre_row].as_deref(), later.codes[l.later_row].as_deref());
            match l.kind {
                LinkKind::Exact => assert_eq!(a, b),
                LinkKind::Near => assert_ne!(a, b, "an equal pair is exact, never near"),
                LinkKind::Confirmed => {}
            }
        }
        // A code linked exactly has no near partner (and is not ambiguous).
        let exact: BTreeSet<usize> = w.links.iter().filter(|l| l.kind == LinkKind::Exact).map(|l| l.pre_row).collect();
        assert!(w.ambiguous.iter().all(|a| a.side == Side::Later || !exact.contains(&a.row)));
        // A candidate flagged "linked near" is linked near in this wave.
        let near_pre: BTreeSet<usize> =
            w.links.iter().filter(|l| l.kind == LinkKind::Near).map(|l| l.pre_row).collect();
        let near_later: BTreeSet<usize> =
            w.links.iter().filter(|l| l.kind == LinkKind::Near).map(|l| l.later_row).collect();
        for a in &w.ambiguous {
            for c in &a.candidates {
                let linked = if a.side == Side::Pre { near_later.contains(&c.row) } else { near_pre.contains(&c.row) };
                assert_eq!(c.linked_near, linked);
            }
        }
    }
}
