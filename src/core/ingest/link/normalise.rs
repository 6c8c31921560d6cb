//! Normalising a participant code (CONTRACT §5, "Normalising a code"): join the parts in the
//! order given, remove every whitespace character and every `-`, `_`, `.`, `/`, upper-case
//! (Unicode, full mapping: `ß` → `SS`). A code with fewer than [`MIN_CODE_CHARS`] characters
//! left is no code.
//!
//! People type the same code differently ("ab-12", "AB 12", "ab_12."): this makes those one
//! code before any comparison, so exact links do not depend on typing habits.

/// A normalised code needs at least this many characters (Unicode scalar values).
pub const MIN_CODE_CHARS: usize = 3;

/// True for the characters §5 removes: every whitespace character and `-`, `_`, `.`, `/`.
///
/// Whitespace is Unicode `White_Space` plus the four information separators U+001C–U+001F,
/// which Python's `str.isspace` (and so the reference implementation's `\s`) also counts:
/// the two readings then agree on every character.
pub fn is_removed(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '_' | '.' | '/' | '\u{1C}'..='\u{1F}')
}

/// The normalised text of one code, whatever its length (no minimum applied): the parts
/// joined in order, removed characters dropped, upper-cased.
pub fn normalise_text<S: AsRef<str>>(parts: &[S]) -> String {
    let mut kept = String::with_capacity(parts.iter().map(|p| p.as_ref().len()).sum());
    for part in parts {
        kept.extend(part.as_ref().chars().filter(|&c| !is_removed(c)));
    }
    let upper = kept.to_uppercase();
    // Upper-casing never yields a removed character for today's Unicode tables; the filter
    // keeps the result a fixed point of this function whatever the tables say.
    if upper.chars().any(is_removed) {
        upper.chars().filter(|&c| !is_removed(c)).collect()
    } else {
        upper
    }
}

/// The participant code of one row from its parts (§5): `None` when fewer than
/// [`MIN_CODE_CHARS`] characters are left after normalising ("no code").
pub fn normalise_code<S: AsRef<str>>(parts: &[S]) -> Option<String> {
    let code = normalise_text(parts);
    if code.chars().nth(MIN_CODE_CHARS - 1).is_some() {
        Some(code)
    } else {
        None
    }
}

/// [`normalise_code`] of a single text (an `accept` / `reject` pair's code, one code column).
pub fn normalise_one(code: &str) -> Option<String> {
    normalise_code(&[code])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_joined_in_order_and_upper_cased() {
        assert_eq!(normalise_code(&["j", "7", "3"]).as_deref(), Some("J73"));
        assert_eq!(normalise_code(&["3", "7", "j"]).as_deref(), Some("37J"));
        assert_eq!(normalise_code(&["Julia", "07", "3"]).as_deref(), Some("JULIA073"));
        assert_eq!(normalise_code(&["ab", "", "c"]).as_deref(), Some("ABC"));
        let none: [&str; 0] = [];
        assert_eq!(normalise_code(&none), None);
    }

    #[test]
    fn every_removed_character_is_removed() {
        // ASCII whitespace, the four punctuation marks, and Unicode whitespace (no-break space,
        // em space, ideographic space, line separator, next line).
        let raw = " a\tb\nc\rd\u{0B}e\u{0C}f-g_h.i/j\u{A0}k\u{2003}l\u{3000}m\u{2028}n\u{85}o\u{1C}p\u{1F}q ";
        assert_eq!(normalise_code(&[raw]).as_deref(), Some("ABCDEFGHIJKLMNOPQ"));
        assert_eq!(normalise_code(&["PW-280"]).as_deref(), Some("PW280"));
        assert_eq!(normalise_code(&["pw 280"]).as_deref(), Some("PW280"));
        assert_eq!(normalise_code(&["p.w/2_8-0"]).as_deref(), Some("PW280"));
        // Other punctuation stays.
        assert_eq!(normalise_code(&["a+b,c'd"]).as_deref(), Some("A+B,C'D"));
        assert_eq!(normalise_code(&["a\u{2010}b"]).as_deref(), Some("A\u{2010}B"), "a Unicode hyphen is not `-`");
    }

    #[test]
    fn upper_case_is_unicode() {
        assert_eq!(normalise_code(&["émile"]).as_deref(), Some("ÉMILE"));
        assert_eq!(normalise_code(&["straße"]).as_deref(), Some("STRASSE"));
        assert_eq!(normalise_code(&["ßx"]).as_deref(), Some("SSX"), "ß upper-cases to two characters");
        assert_eq!(normalise_code(&["ǆa1"]).as_deref(), Some("ǄA1"));
        assert_eq!(normalise_code(&["άλφα"]).as_deref(), Some("ΆΛΦΑ"));
        assert_eq!(normalise_code(&["юля7"]).as_deref(), Some("ЮЛЯ7"));
    }

    #[test]
    fn fewer_than_three_characters_is_no_code() {
        assert_eq!(normalise_code(&[""]), None);
        assert_eq!(normalise_code(&["   "]), None);
        assert_eq!(normalise_code(&["a-b"]), None);
        assert_eq!(normalise_code(&["--_./ "]), None);
        assert_eq!(normalise_code(&["NA"]), None);
        assert_eq!(normalise_code(&["-99"]), None);
        assert_eq!(normalise_code(&["abc"]).as_deref(), Some("ABC"));
        // Characters, not bytes: three two-byte letters are a code, two three-byte ones not.
        assert_eq!(normalise_code(&["éèê"]).as_deref(), Some("ÉÈÊ"));
        assert_eq!(normalise_code(&["日本"]), None);
        // ß counts as the two characters it upper-cases to.
        assert_eq!(normalise_code(&["ßa"]).as_deref(), Some("SSA"));
    }

    #[test]
    fn normalising_is_idempotent_and_handles_huge_codes() {
        for raw in ["ab-12", "Ünïcödé 7", "ßß", "x/y.z", "ǅ1"] {
            let once = normalise_text(&[raw]);
            assert_eq!(normalise_text(&[once.as_str()]), once);
        }
        let huge = "ab-".repeat(100_000);
        assert_eq!(normalise_code(&[huge.as_str()]).map(|c| c.len()), Some(200_000));
    }
}
