//! Fuzzes wave linking (CONTRACT §5): arbitrary bytes become the code cells of a pre, a post and
//! (sometimes) a follow-up wave, a `max_distance` and accept/reject pairs; `link` must not panic,
//! must give the same answer twice, and its links must keep the contract's rules: each row is
//! linked at most once and both directions agree, exact links join equal codes, near links join
//! different codes within `max_distance` (their recorded distance is the OSA distance), a
//! rejected pair is never linked, and the counts add up to the links.
//!
//! Run: `cd fuzz && cargo +nightly fuzz run link -- -max_total_time=600`

#![no_main]

use lantern::core::ingest::link::osa::osa_distance;
use lantern::core::ingest::link::{link, LinkKind, LinkOptions, Wave, WaveCodes, WaveLink};
use libfuzzer_sys::fuzz_target;

fn check(w: &WaveLink, pre: &WaveCodes, later: &WaveCodes, o: &LinkOptions) {
    assert_eq!(w.later_of_pre.len(), pre.codes.len());
    assert_eq!(w.pre_of_later.len(), later.codes.len());
    for l in &w.links {
        assert_eq!(w.later_of_pre[l.pre_row], Some(l.later_row));
        assert_eq!(w.pre_of_later[l.later_row], Some(l.pre_row));
        let (a, b) = (pre.codes[l.pre_row].as_deref().unwrap(), later.codes[l.later_row].as_deref().unwrap());
        assert!(!o.reject.iter().any(|(p, q)| p == a && q == b), "a rejected pair was linked");
        let d = osa_distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>());
        match l.kind {
            LinkKind::Exact => assert_eq!(a, b),
            LinkKind::Near => {
                assert!(d >= 1 && d <= o.max_distance, "near link at distance {d}");
                assert_eq!(l.distance, Some(d));
            }
            _ => {}
        }
    }
    assert_eq!(w.later_of_pre.iter().flatten().count(), w.links.len());
    assert_eq!(w.pre_of_later.iter().flatten().count(), w.links.len());
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, data)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{0}');
    let cells = |s: Option<&str>| -> Vec<Vec<String>> {
        s.unwrap_or("").split('\n').map(|line| line.split('|').map(str::to_string).collect()).collect()
    };
    let pre = WaveCodes::from_parts(Wave::Pre, "pre.csv", &cells(parts.next()));
    let post = WaveCodes::from_parts(Wave::Post, "post.csv", &cells(parts.next()));
    let follow = (first & 8 != 0).then(|| WaveCodes::from_parts(Wave::Followup, "f.csv", &cells(parts.next())));
    let pick = |w: &WaveCodes, k: usize| w.codes.iter().flatten().nth(k).cloned();
    let mut options = LinkOptions { max_distance: usize::from(first % 3), accept: vec![], reject: vec![] };
    if let (Some(a), Some(b)) = (pick(&pre, usize::from(first >> 4) % 4), pick(&post, usize::from(first >> 6))) {
        if first & 16 != 0 {
            options.accept.push((a, b));
        } else {
            options.reject.push((a, b));
        }
    }
    let once = link(&pre, &post, follow.as_ref(), &options);
    let again = link(&pre, &post, follow.as_ref(), &options);
    assert!(once == again, "linking is not deterministic");
    check(&once.post, &pre, &post, &options);
    if let (Some(f), Some(w)) = (&follow, &once.followup) {
        check(w, &pre, f, &options);
    }
});
