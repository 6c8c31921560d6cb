//! probe (temporary)
use lantern::core::ingest::read_csv;
use std::path::PathBuf;

#[test]
#[ignore]
fn probe() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/malformed");
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    for n in names {
        let b = std::fs::read(dir.join(&n)).unwrap();
        match read_csv(&b, &n) {
            Err(e) => println!("== {n}: ERR {e}"),
            Ok(ds) => {
                println!("== {n}: rows {} cols {} names {:?} enc {} delim {:?}", ds.n_rows, ds.columns.len(), ds.column_names().iter().map(|s| s.chars().take(30).collect::<String>()).collect::<Vec<_>>(), ds.encoding, ds.delimiter);
                for d in ds.diagnostics.iter().take(3) { println!("   D row {:?} col {:?}: {}", d.row, d.column, d.message); }
                for x in &ds.notes { println!("   N {x}"); }
                for c in &ds.columns { if let Some((_, d)) = ds.numeric(&c.name) { for d in d.iter().take(2) { println!("   NUM row {:?} col {:?}: {}", d.row, d.column, d.message); } } }
                let s = ds.summary();
                println!("   T {:?}", s.types.iter().map(|t| format!("{}:{:?}", t.column.chars().take(20).collect::<String>(), t.kind)).collect::<Vec<_>>());
                if !s.identifying.is_empty() { println!("   I {:?}", s.identifying.iter().map(|t| format!("{}:{:?}", t.column, t.kind)).collect::<Vec<_>>()); }
            }
        }
    }
}

#[test]
#[ignore]
fn probe_big() {
    let t = std::time::Instant::now();
    let mut s = String::new();
    for r in 0..4 { let row: Vec<String> = (0..10_000).map(|c| if r == 0 { format!("q{c}") } else { format!("{}", (c + r) % 5) }).collect(); s.push_str(&row.join(",")); s.push('\n'); }
    let ds = read_csv(s.as_bytes(), "wide.csv").unwrap();
    println!("wide: {} cols {} rows {:?}", ds.columns.len(), ds.n_rows, t.elapsed());
    let t = std::time::Instant::now(); let sm = ds.summary(); println!("summary {:?} {}", t.elapsed(), sm.types.len());
    let t = std::time::Instant::now();
    let line = "x".repeat(1 << 20);
    let r = read_csv(line.as_bytes(), "cell.csv");
    println!("1MB cell: {:?} {:?}", r.as_ref().map(|d| (d.n_rows, d.columns.len())), t.elapsed());
    let t = std::time::Instant::now();
    let line = "1,".repeat(1 << 19);
    let r = read_csv(line.as_bytes(), "commas.csv");
    println!("1MB commas: {:?} {:?}", r.as_ref().map(|d| (d.n_rows, d.columns.len())), t.elapsed());
    let t = std::time::Instant::now();
    let line = format!("a,b\n{}", "1,".repeat(1 << 19));
    let r = read_csv(line.as_bytes(), "commas2.csv");
    println!("1MB commas data row: {:?} {:?}", r.as_ref().map(|d| (d.n_rows, d.columns.len(), d.diagnostics.len())), t.elapsed());
}
