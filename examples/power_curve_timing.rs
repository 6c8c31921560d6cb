//! Native timing of the planner's power curves (the in-browser figure is on the Plan page's
//! chart, `data-curve-ms`, read by `bench/run`). Run: cargo run --release --example power_curve_timing
use lantern::core::planning::power::explain::curve_family;
use lantern::core::planning::power::{power_curve, solve, Design, PowerCase, SolveFor};
use std::time::Instant;

fn main() {
    let cases = [
        ("paired_t d=0.3", PowerCase::new(Design::PairedT, SolveFor::N).with("d", 0.3).with("power", 0.8)),
        ("two_sample d=0.4", PowerCase::new(Design::TwoSampleTEqualN, SolveFor::N).with("d", 0.4).with("power", 0.8)),
        (
            "ancova d=0.26 r=0.6",
            PowerCase::new(Design::AncovaTwoSample, SolveFor::N)
                .with("d", 0.26)
                .with("r_pre_post", 0.6)
                .with("power", 0.8),
        ),
        (
            "cluster J",
            PowerCase::new(Design::ClusterCra2, SolveFor::J)
                .with("n", 20.0)
                .with("rho", 0.05)
                .with("delta", 0.25)
                .with("power", 0.8),
        ),
    ];
    for (name, case) in cases {
        let out = solve(&case).expect("solvable");
        let (vary, lo, hi) = lantern::core::planning::power::default_curve(&case, &out).expect("curve");
        let t = Instant::now();
        let reps = 20;
        for _ in 0..reps {
            let _ = power_curve(&case, &vary, lo, hi, 200);
        }
        let one = t.elapsed().as_secs_f64() * 1000.0 / reps as f64;
        let t = Instant::now();
        let mut pts = 0;
        for _ in 0..reps {
            pts = curve_family(&case, &out, 200).map(|f| f.curves.iter().map(|c| c.points.len()).sum()).unwrap_or(0);
        }
        let fam = t.elapsed().as_secs_f64() * 1000.0 / reps as f64;
        println!("{name:24} 200-point curve {one:7.2} ms   family ({pts} points) {fam:7.2} ms");
    }
}
