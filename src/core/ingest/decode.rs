//! Bytes → text. UTF-8 with or without a byte-order mark (BOM); UTF-16 LE/BE with a BOM (or
//! without one, when every other byte is zero); Windows-1252 when the bytes are not valid
//! UTF-8 (what Excel's plain "CSV" writes in Western locales). Binary files (workbooks, PDFs,
//! random bytes) are refused with a plain message.

use super::IngestError;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::borrow::Cow;

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
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = bytes.get(..bytes.len().min(4096))?;
    if sample.len() < 8 || sample.len() % 2 != 0 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zero_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let zero_odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if zero_odd * 10 >= pairs * 9 && zero_even == 0 {
        Some(UTF_16LE)
    } else if zero_even * 10 >= pairs * 9 && zero_odd == 0 {
        Some(UTF_16BE)
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
fn looks_double_encoded(text: &str) -> bool {
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
    let (text, encoding, bom): (Cow<'_, str>, &'static str, bool) = if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        let (cow, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors {
            notes.push(format!(
                "Some characters are not valid {} and are shown as “\u{FFFD}”.",
                enc.name()
            ));
        }
        (cow, enc.name(), true)
    } else if let Some(enc) = utf16_without_bom(bytes) {
        let (cow, _) = enc.decode_without_bom_handling(bytes);
        (cow, enc.name(), false)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => (Cow::Borrowed(s), "UTF-8", false),
            Err(_) => {
                let (cow, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
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

    #[test]
    fn double_encoding_is_mentioned() {
        let d = decode("a\ncafÃ©\n".as_bytes()).unwrap();
        assert!(d.notes.iter().any(|n| n.contains("garbled")));
    }
}
