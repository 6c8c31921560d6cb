//! Native timing of linking wave files (CONTRACT §5, issue 19's benchmark), same code and
//! profile as the worker: `cargo run --profile worker-release --example link_timing`.
//!
//! For 10,000 and 100,000 rows per wave it generates a before and an after file with
//! self-generated-looking codes (2–3 letters + 4–5 digits, typed with hyphens, spaces or lower
//! case now and then; 10 % drop out, 5 % of the later codes with one slip, newcomers after)
//! and times, median of 5 runs each:
//! - `link`: the codes of both files normalised and linked (`max_distance` 1 and 2);
//! - `table`: the linked dataset built from the two read files;
//! - `engine`: the worker's whole path for the second file through the engine (read it,
//!   link, build the linked dataset, every analysis), as `Request::LoadWave`.

use lantern::core::engine::service::{handle_to_end, Reply, Request, Service};
use lantern::core::ingest::link::{link_tables, linked_dataset, LinkSettings};
use lantern::core::ingest::read_csv;
use lantern::core::recipe::Recipe;
use std::time::Instant;

fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut s = seed;
    move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    }
}

fn code(next: &mut dyn FnMut() -> u64) -> String {
    let mut s = String::new();
    for _ in 0..2 + next() % 2 {
        s.push(char::from(b'A' + (next() % 26) as u8));
    }
    for _ in 0..4 + next() % 2 {
        s.push(char::from(b'0' + (next() % 10) as u8));
    }
    s
}

fn typed(next: &mut dyn FnMut() -> u64, c: &str) -> String {
    match next() % 10 {
        0 => c.to_lowercase(),
        1 => format!("{}-{}", &c[..2], &c[2..]),
        2 => format!(" {c} "),
        _ => c.to_string(),
    }
}

fn slip(next: &mut dyn FnMut() -> u64, c: &str) -> String {
    let mut v: Vec<char> = c.chars().collect();
    let i = (next() % (v.len() as u64 - 1)) as usize;
    match next() % 4 {
        0 => v.swap(i, i + 1),
        1 => v[i] = char::from(b'0' + (next() % 10) as u8),
        2 => {
            v.remove(i);
        }
        _ => v.insert(i, char::from(b'0' + (next() % 10) as u8)),
    }
    v.into_iter().collect()
}

/// Two CSV files: `code,group,stigma` before and after.
fn files(n: usize) -> (String, String) {
    let mut next = xorshift(0x1234_5678 ^ n as u64);
    let pre: Vec<String> = (0..n).map(|_| code(&mut next)).collect();
    let mut post: Vec<String> = Vec::with_capacity(n);
    for c in &pre {
        if next().is_multiple_of(10) {
            continue;
        }
        post.push(if next().is_multiple_of(20) { slip(&mut next, c) } else { c.clone() });
    }
    while post.len() < n {
        post.push(code(&mut next));
    }
    for i in (1..post.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        post.swap(i, j);
    }
    let mut csv = |codes: &[String]| {
        let mut s = String::from("code,group,stigma\n");
        for c in codes {
            s.push_str(&format!(
                "{},{},{}\n",
                typed(&mut next, c),
                if next().is_multiple_of(2) { "peer" } else { "control" },
                10 + next() % 30
            ));
        }
        s
    };
    (csv(&pre), csv(&post))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    for n in [10_000usize, 100_000] {
        let (pre_csv, post_csv) = files(n);
        let pre = read_csv(pre_csv.as_bytes(), "survey_before.csv").expect("pre");
        let post = read_csv(post_csv.as_bytes(), "survey_after.csv").expect("post");
        for k in [1, 2] {
            let settings: LinkSettings = serde_json::from_value(serde_json::json!({
                "waves": {"pre": "survey_before.csv", "post": "survey_after.csv"}, "code": ["code"], "max_distance": k
            }))
            .expect("settings");
            let plan = settings.validate().expect("plan");
            let (mut link_ms, mut table_ms) = (Vec::new(), Vec::new());
            let mut last = None;
            for _ in 0..5 {
                let t0 = Instant::now();
                let l = link_tables(&plan, &pre, &post, None).expect("link");
                let t1 = Instant::now();
                let ds = linked_dataset(&l, &pre, &post, None);
                let t2 = Instant::now();
                link_ms.push((t1 - t0).as_secs_f64() * 1e3);
                table_ms.push((t2 - t1).as_secs_f64() * 1e3);
                last = Some((l.results(), ds.n_rows));
            }
            let mut engine_ms = Vec::new();
            for _ in 0..5 {
                let mut s = Service::new();
                let recipe = Recipe { link: Some(settings.clone()), ..Recipe::default() };
                handle_to_end(
                    &mut s,
                    Request::LoadWave {
                        seq: 1,
                        name: "survey_before.csv".into(),
                        recipe: recipe.clone(),
                        fresh: true,
                        replace: None,
                        more: false,
                    },
                    Some(pre_csv.as_bytes()),
                );
                let t = Instant::now();
                let r = handle_to_end(
                    &mut s,
                    Request::LoadWave {
                        seq: 2,
                        name: "survey_after.csv".into(),
                        recipe,
                        fresh: false,
                        replace: None,
                        more: false,
                    },
                    Some(post_csv.as_bytes()),
                );
                engine_ms.push(t.elapsed().as_secs_f64() * 1e3);
                assert!(
                    matches!(r.last(), Some(Reply::Analysed { analysis: Some(a), .. }) if a.results.linkage.is_some())
                );
            }
            let Some((r, rows)) = last else { return };
            println!(
                "{n:>7} rows per wave, max_distance {k}: link {:7.1} ms | linked dataset {:6.1} ms | engine (read after file + link + analyse) {:7.1} ms | exact {} near {} ambiguous {}/{} unmatched {}/{} participants {rows}",
                median(link_ms),
                median(table_ms),
                median(engine_ms),
                r.post.exact,
                r.post.near,
                r.post.ambiguous_pre,
                r.post.ambiguous_later,
                r.post.unmatched_pre,
                r.post.unmatched_later,
            );
        }
    }
}
