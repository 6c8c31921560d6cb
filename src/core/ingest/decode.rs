//! Bytes → text. UTF-8 with or without a byte-order mark (BOM); UTF-16 LE/BE with a BOM (or
//! without one, when every other byte is zero); Windows-1252 when the bytes are not valid
//! UTF-8 (what Excel's plain "CSV" writes in Western locales). Binary files (workbooks, PDFs,
//! random bytes) are refused with a plain message.
//!
//! The three decoders are written here rather than taken from `encoding_rs`: its `Encoding`
//! dispatches over every WHATWG encoding, so its CJK tables (≈ 200 KB) were linked into both
//! wasm modules although only these three are read. They follow the WHATWG Encoding Standard
//! (replacement of malformed sequences included), and the tests check them byte for byte
//! against `encoding_rs` (a dev-dependency) on every byte value and on random bytes.

use super::IngestError;
use std::borrow::Cow;

/// A text encoding Lantern reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    /// The encoding's name as users see it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "Windows-1252",
        }
    }

    /// The encoding a byte-order mark names, and the mark's length.
    pub fn for_bom(bytes: &[u8]) -> Option<(Encoding, usize)> {
        if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            Some((Encoding::Utf8, 3))
        } else if bytes.starts_with(&[0xFF, 0xFE]) {
            Some((Encoding::Utf16Le, 2))
        } else if bytes.starts_with(&[0xFE, 0xFF]) {
            Some((Encoding::Utf16Be, 2))
        } else {
            None
        }
    }

    /// Decodes `bytes` (no byte-order mark) with U+FFFD for malformed sequences; true when
    /// there were any.
    pub fn decode_without_bom_handling(self, bytes: &[u8]) -> (Cow<'_, str>, bool) {
        match self {
            Encoding::Utf8 => {
                let text = String::from_utf8_lossy(bytes);
                let replaced = matches!(text, Cow::Owned(_));
                (text, replaced)
            }
            Encoding::Utf16Le => decode_utf16(bytes, u16::from_le_bytes),
            Encoding::Utf16Be => decode_utf16(bytes, u16::from_be_bytes),
            Encoding::Windows1252 => (decode_windows_1252(bytes), false),
        }
    }
}

/// UTF-16 code units → text; unpaired surrogates and an odd last byte become U+FFFD.
fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> (Cow<'static, str>, bool) {
    let mut out = String::with_capacity(bytes.len() / 2);
    let mut replaced = false;
    let units = bytes.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    for c in char::decode_utf16(units) {
        out.push(c.unwrap_or_else(|_| {
            replaced = true;
            '\u{FFFD}'
        }));
    }
    // An odd last byte is one more error, unless it follows an unpaired high surrogate at the
    // end: WHATWG reports the two as one error (one U+FFFD, already written).
    let last_unit = bytes.len().checked_sub(3).and_then(|i| bytes.get(i..i + 2)).map(|p| unit([p[0], p[1]]));
    if bytes.len() % 2 == 1 && !last_unit.is_some_and(|u| (0xD800..0xDC00).contains(&u)) {
        out.push('\u{FFFD}');
        replaced = true;
    }
    (Cow::Owned(out), replaced)
}

/// What bytes 0x80–0x9F mean in Windows-1252 (WHATWG index; the five unassigned bytes keep
/// their C1 code points, as browsers do). Every other byte is its own code point.
const WINDOWS_1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{2C6}', '\u{2030}',
    '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}', '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}',
    '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}',
    '\u{17E}', '\u{178}',
];

/// Windows-1252 bytes → text (every byte is a character; nothing is malformed).
pub fn decode_windows_1252(bytes: &[u8]) -> Cow<'static, str> {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut rest = bytes;
    while !rest.is_empty() {
        // ASCII runs are copied as they are (they are the same in UTF-8).
        let ascii = rest.iter().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        let (run, tail) = rest.split_at(ascii);
        out.push_str(std::str::from_utf8(run).unwrap_or_default());
        let Some((&b, tail)) = tail.split_first() else { break };
        out.push(match b {
            0x80..=0x9F => WINDOWS_1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        });
        rest = tail;
    }
    Cow::Owned(out)
}

/// Text from the bytes of a small table (the cost and counts tables): UTF-8 with or without a
/// BOM, UTF-16 with a BOM, else Windows-1252; malformed sequences become U+FFFD.
pub fn decode_lossy(bytes: &[u8]) -> String {
    match Encoding::for_bom(bytes) {
        Some((enc, bom)) => enc.decode_without_bom_handling(bytes.get(bom..).unwrap_or_default()).0.into_owned(),
        None => match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => decode_windows_1252(bytes).into_owned(),
        },
    }
}

/// Decoded text and how it was decoded. UTF-8 text (with or without a BOM) is borrowed from
/// the bytes, not copied.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// "UTF-8", "UTF-16LE", "UTF-16BE" or "Windows-1252".
    pub encoding: &'static str,
    pub bom: bool,
    /// Plain sentences about decoding problems worth telling the user.
    pub notes: Vec<String>,
}

/// Signatures of binary files a user might pick by mistake: Excel workbooks (.xlsx is a zip,
/// .xls an OLE file) and PDFs.
fn has_binary_signature(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) || bytes.starts_with(b"%PDF")
}

/// True when the bytes look like UTF-16 without a BOM: in ASCII-heavy text every other byte is 0.
fn utf16_without_bom(bytes: &[u8]) -> Option<Encoding> {
    let sample = bytes.get(..bytes.len().min(4096))?;
    if sample.len() < 8 || sample.len() % 2 != 0 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zero_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let zero_odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if zero_odd * 10 >= pairs * 9 && zero_even == 0 {
        Some(Encoding::Utf16Le)
    } else if zero_even * 10 >= pairs * 9 && zero_odd == 0 {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// Share of characters that never occur in a text table (control characters other than tab
/// and line breaks, NUL, C1 controls): more than 2 % means the file is not text.
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut odd = 0usize;
    for c in text.chars().take(1_000_000) {
        total += 1;
        let cp = c as u32;
        if (cp < 0x20 && c != '\t' && c != '\n' && c != '\r') || (0x7F..0xA0).contains(&cp) {
            odd += 1;
        }
    }
    total > 0 && odd * 50 > total
}

/// Signs of text that was converted to UTF-8 twice ("cafÃ©" for "café").
pub(crate) fn looks_double_encoded(text: &str) -> bool {
    // Every sign starts with “Ã” or “â”: most files have neither, and one scan each says so.
    if !text.contains('Ã') && !text.contains('â') {
        return false;
    }
    ["Ã©", "Ã¨", "Ã¶", "Ã¼", "Ã¤", "Ã±", "â€™", "â€œ", "Ã§"].iter().any(|m| text.contains(m))
}

/// Decodes the bytes of a text table. Refuses binary files and empty ones.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, IngestError> {
    if has_binary_signature(bytes) {
        return Err(IngestError::NotText);
    }
    let mut notes = Vec::new();
    let (text, encoding, bom): (Cow<'_, str>, &'static str, bool) = if let Some((enc, bom_len)) =
        Encoding::for_bom(bytes)
    {
        let body = bytes.get(bom_len..).unwrap_or_default();
        let (cow, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors {
            notes.push(format!("Some characters are not valid {} and are shown as “\u{FFFD}”.", enc.name()));
        }
        (cow, enc.name(), true)
    } else if let Some(enc) = utf16_without_bom(bytes) {
        let (cow, _) = enc.decode_without_bom_handling(bytes);
        (cow, enc.name(), false)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => (Cow::Borrowed(s), "UTF-8", false),
            Err(_) => {
                let cow = decode_windows_1252(bytes);
                notes.push(
                    "The file is not UTF-8, so it was read as Windows-1252 (what Excel’s plain “CSV” uses in \
                     Western Europe and the Americas). If accented letters look wrong, save the file as “CSV UTF-8” and open it again."
                        .to_string(),
                );
                (cow, "Windows-1252", false)
            }
        }
    };
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    if looks_binary(&text) {
        return Err(IngestError::NotText);
    }
    let text = if text.contains('\0') {
        notes.push("The file contains empty (NUL) characters; they were removed.".to_string());
        Cow::Owned(text.replace('\0', ""))
    } else {
        text
    };
    if looks_double_encoded(&text) {
        notes.push(
            "Some text looks garbled (for example “Ã©” where “é” was meant): the file may have been converted \
             between encodings twice. The values are kept as they are."
                .to_string(),
        );
    }
    Ok(Decoded { text, encoding, bom, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
        }
        for u in s.encode_utf16() {
            let b = if le { u.to_le_bytes() } else { u.to_be_bytes() };
            out.extend_from_slice(&b);
        }
        out
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("a,b\nZoë,2\n".as_bytes()).unwrap();
        assert_eq!((d.encoding, d.bom), ("UTF-8", false));
        let d = decode(b"\xEF\xBB\xBFa,b\nZo\xC3\xAB,2\n").unwrap();
        assert_eq!((d.encoding, d.bom), ("UTF-8", true));
        assert_eq!(d.text, "a,b\nZoë,2\n");
    }

    #[test]
    fn utf16_both_byte_orders() {
        let text = "name,score\nZoë €,3\n";
        for le in [true, false] {
            let bytes = utf16(text, le, true);
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, text);
            assert_eq!(d.encoding, if le { "UTF-16LE" } else { "UTF-16BE" });
            assert!(d.bom);
            let bytes = utf16(text, le, false);
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, text);
            assert!(!d.bom);
        }
    }

    #[test]
    fn windows_1252_fallback_reads_euro_and_curly_quotes() {
        // 0x80 = €, 0x92 = ’, 0x93/0x94 = “ ”, 0x96 = –, 0xE9 = é (not Latin-1 control characters).
        let d = decode(b"c\n\x80 5 \x93caf\xE9\x94 \x96 it\x92s\n").unwrap();
        assert_eq!(d.encoding, "Windows-1252");
        assert_eq!(d.text, "c\n€ 5 “café” – it’s\n");
        assert!(!d.notes.is_empty());
    }

    #[test]
    fn binary_files_are_refused() {
        assert_eq!(decode(b"PK\x03\x04\x14\x00\x06\x00"), Err(IngestError::NotText));
        assert_eq!(decode(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1]), Err(IngestError::NotText));
        assert_eq!(decode(b"%PDF-1.7\n"), Err(IngestError::NotText));
        let junk: Vec<u8> = (0..4000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
        assert_eq!(decode(&junk), Err(IngestError::NotText));
        assert_eq!(decode(b"\xEF\xBB\xBF  \r\n"), Err(IngestError::Empty));
    }

    /// Random bytes: mostly ASCII, with UTF-8 lead and continuation bytes and UTF-16 surrogate-range bytes mixed in.
    fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
        let mut next =
            crate::core::xorshift64(seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407));
        (0..len)
            .map(|_| {
                let x = next();
                // Mostly ASCII, then UTF-8 lead/continuation bytes and surrogate-range values.
                match x % 8 {
                    0..=3 => (x >> 8) as u8 & 0x7F,
                    4 => 0x80 | ((x >> 8) as u8 & 0x3F),
                    5 => 0xC0 | ((x >> 8) as u8 & 0x3F),
                    6 => 0xD8 | ((x >> 8) as u8 & 0x07),
                    _ => (x >> 8) as u8,
                }
            })
            .collect()
    }

    #[test]
    fn decoders_equal_encoding_rs_on_every_byte_and_random_bytes() {
        let ours = [Encoding::Utf8, Encoding::Utf16Le, Encoding::Utf16Be, Encoding::Windows1252];
        let theirs = [encoding_rs::UTF_8, encoding_rs::UTF_16LE, encoding_rs::UTF_16BE, encoding_rs::WINDOWS_1252];
        let mut inputs: Vec<Vec<u8>> = (0..=255u8).map(|b| vec![b]).collect();
        inputs.extend((0..=255u8).map(|b| vec![b'a', b, b'z']));
        inputs.extend((0..2000u64).map(|seed| random_bytes(seed, (seed % 97) as usize)));
        inputs.push(utf16("Zoë € 𝄞 ok", true, false));
        inputs.push(utf16("Zoë € 𝄞 ok", false, false));
        for bytes in &inputs {
            for (o, t) in ours.iter().zip(&theirs) {
                let (a, a_err) = o.decode_without_bom_handling(bytes);
                let (b, b_err) = t.decode_without_bom_handling(bytes);
                assert_eq!(a, b, "{} on {bytes:?}", o.name());
                assert_eq!(a_err, b_err && *o != Encoding::Windows1252, "{} errors on {bytes:?}", o.name());
                assert!(o.name().eq_ignore_ascii_case(t.name()));
            }
            assert_eq!(decode_lossy(bytes), {
                let (text, _, _) = match Encoding::for_bom(bytes) {
                    Some(_) => encoding_rs::UTF_8.decode(bytes),
                    None => match std::str::from_utf8(bytes) {
                        Ok(_) => encoding_rs::UTF_8.decode(bytes),
                        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes),
                    },
                };
                text.into_owned()
            });
        }
        for bom in [&[0xEF, 0xBB, 0xBF][..], &[0xFF, 0xFE], &[0xFE, 0xFF]] {
            assert_eq!(
                Encoding::for_bom(bom).map(|(e, n)| (e.name(), n)),
                encoding_rs::Encoding::for_bom(bom).map(|(e, n)| (e.name(), n))
            );
        }
    }

    #[test]
    fn double_encoding_is_mentioned() {
        let d = decode("a\ncafÃ©\n".as_bytes()).unwrap();
        assert!(d.notes.iter().any(|n| n.contains("garbled")));
    }
}
