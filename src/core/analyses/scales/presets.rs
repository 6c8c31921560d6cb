//! Built-in scoring keys for published instruments. They hold the scoring rules and the
//! source only, never item wording: some instruments' licences forbid copying or changing the
//! questionnaire (`shared/research/domain-and-anchors.md` §B1). Each key must be checked
//! against the licensed manual before use; the `note` says so in plain words.

use crate::core::analyses::scales::spec::{DontKnow, Method};

/// One instrument's scoring key.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    /// Short id used in the recipe (`"preset": "SSOSH"`).
    pub id: &'static str,
    pub name: &'static str,
    /// Items that make up the score.
    pub item_numbers: &'static [usize],
    /// Reverse-worded items (scored min + max − x).
    pub reverse: &'static [usize],
    /// Answer scale.
    pub min: f64,
    pub max: f64,
    pub method: Method,
    pub dont_know: DontKnow,
    /// The published source of the key.
    pub source: &'static str,
    /// What to check, in plain words.
    pub note: &'static str,
}

const CHECK: &str = "Check this scoring key against the licensed manual or the original article before relying on it.";

/// Every built-in key.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "SSOSH",
        name: "Self-Stigma of Seeking Help (SSOSH)",
        item_numbers: &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        reverse: &[2, 4, 5, 7, 9],
        min: 1.0,
        max: 5.0,
        method: Method::Sum,
        dont_know: DontKnow::Missing,
        source: "Vogel, D. L., Wade, N. G., & Haake, S. (2006). Measuring the self-stigma associated with seeking psychological help. Journal of Counseling Psychology, 53(3), 325–337.",
        note: "10 items answered 1–5; items 2, 4, 5, 7 and 9 are reverse-scored (6 − x). Sources differ on whether the total is the sum (10–50) or the mean (1–5): set the method to match the scores you compare with. Check this scoring key against the licensed manual or the original article before relying on it.",
    },
    Preset {
        id: "ATSPPH-SF",
        name: "Attitudes Toward Seeking Professional Psychological Help – Short Form (ATSPPH-SF)",
        item_numbers: &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        reverse: &[2, 4, 8, 9, 10],
        min: 0.0,
        max: 3.0,
        method: Method::Sum,
        dont_know: DontKnow::Missing,
        source: "Fischer, E. H., & Farina, A. (1995). Attitudes toward seeking professional psychological help: A shortened form and considerations for research. Journal of College Student Development, 36(4), 368–373.",
        note: "10 items answered 0–3; items 2, 4, 8, 9 and 10 are reverse-scored (3 − x); the total is the sum, 0–30 (higher = more positive attitudes toward professional help). Check this scoring key against the licensed manual or the original article before relying on it.",
    },
    Preset {
        id: "RIBS",
        name: "Reported and Intended Behaviour Scale (RIBS), intended-behaviour total",
        item_numbers: &[5, 6, 7, 8],
        reverse: &[],
        min: 1.0,
        max: 5.0,
        method: Method::Sum,
        dont_know: DontKnow::Value(3.0),
        source: "Evans-Lacko, S., Rose, D., Little, K., Flach, C., Rhydderch, D., Henderson, C., & Thornicroft, G. (2011). Development and psychometric properties of the Reported and Intended Behaviour Scale (RIBS): a stigma-related behaviour measure. Epidemiology and Psychiatric Sciences, 20(3), 263–271.",
        note: "Items 5–8 answered 1–5 (strongly agree = 5) are summed (4–20); items 1–4 report behaviour and are not scored. “Don't know” is coded 3 (neutral) here; treating it as missing instead changes totals, so say which you used (set dont_know to \"missing\" to exclude it). The questionnaire is licensed by King's College London and must not be modified. Check this scoring key against the licensed manual or the original article before relying on it.",
    },
];

/// Finds a preset by id, ignoring case, spaces, hyphens and underscores (`"atspph_sf"`).
pub fn find_preset(id: &str) -> Option<&'static Preset> {
    let norm = |s: &str| s.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    let want = norm(id);
    PRESETS.iter().find(|p| norm(p.id) == want)
}

/// The reminder every preset carries.
pub fn check_reminder() -> &'static str {
    CHECK
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected keys transcribed from shared/research/domain-and-anchors.md §B1 (sources named there).
    #[test]
    fn keys_match_the_published_sources() {
        let s = find_preset("ssosh").unwrap();
        assert_eq!((s.item_numbers.len(), s.min, s.max), (10, 1.0, 5.0));
        assert_eq!(s.reverse, &[2, 4, 5, 7, 9]);
        let a = find_preset("atspph_sf").unwrap();
        assert_eq!((a.item_numbers.len(), a.min, a.max, a.method), (10, 0.0, 3.0, Method::Sum));
        assert_eq!(a.reverse, &[2, 4, 8, 9, 10]);
        let r = find_preset("R.I.B.S.").unwrap();
        assert_eq!(r.item_numbers, &[5, 6, 7, 8]);
        assert_eq!((r.min, r.max, r.method, r.dont_know), (1.0, 5.0, Method::Sum, DontKnow::Value(3.0)));
        assert!(find_preset("CAMI").is_none());
    }

    #[test]
    fn every_preset_names_its_source_and_asks_for_a_check() {
        for p in PRESETS {
            assert!(p.source.contains("(19") || p.source.contains("(20"), "{} has a dated source", p.id);
            assert!(p.note.contains(check_reminder()), "{} asks for a check against the manual", p.id);
            assert!(p.reverse.iter().all(|r| p.item_numbers.contains(r)));
        }
    }
}
