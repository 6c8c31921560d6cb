//! Fuzzes reading a file in two halves against reading it in one piece: for arbitrary bytes
//! and a split point taken from them, whenever the helper's half is read and the halves are
//! joined, the dataset must equal the one read from the whole file. Inputs on which the
//! reader's whole-file decisions could differ from the first half's (another encoding than
//! UTF-8) are skipped: the app only joins first halves of at least 4 MB, where they cannot.
//!
//! Run: `cd fuzz && cargo +nightly fuzz run halves -- -max_total_time=600`

#![no_main]

use lantern::core::ingest::decode::decode;
use lantern::core::ingest::split::{read_part, split_after, Half, HEAD_BYTES};
use lantern::core::ingest::{read_joined_small, read_with_options, IngestOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, data)) = data.split_first() else { return };
    let opts = IngestOptions { delimiter: Some([',', ';', '\t'][usize::from(first % 3)]), drop_unfinished: first & 4 != 0, ..IngestOptions::default() };
    if decode(data).map_or(true, |d| d.encoding != "UTF-8" || !d.notes.is_empty()) {
        return;
    }
    let mid = (data.len() * usize::from(first) / 255) as u64;
    let Some(start) = split_after(data, 0, mid) else { return };
    let Ok(whole) = read_with_options(data, "fuzz.csv", &opts) else { return };
    let head = &data[..data.len().min(HEAD_BYTES as usize)];
    let Ok(part) = read_part(head, &data[start as usize..], start, &opts) else { return };
    let bytes = part.encode();
    assert_eq!(bytes.len(), part.encoded_len());
    let half = Half::decode(&bytes).expect("the helper's bytes are a half");
    if let Ok(Some(joined)) = read_joined_small(&data[..start as usize], &half, "fuzz.csv", &opts) {
        assert!(joined == whole, "joined halves differ from the whole file (split at {start})");
    }
});
