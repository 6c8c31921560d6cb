//! Property tests of the planner: power rises with n and with the effect, solving for n then
//! computing power reaches the target, and two-sided power is symmetric in the effect's sign.

use lantern::core::planning::power::{solve, Design, PowerCase, SolveFor};

fn power(design: Design, d: f64, n: f64) -> f64 {
    let case = PowerCase::new(design, SolveFor::Power)
        .with("d", d)
        .with("n", n)
        .with("sig_level", 0.05)
        .with("alternative", "two.sided");
    solve(&case).unwrap().power.unwrap()
}

#[test]
fn power_rises_with_n_and_with_the_effect() {
    for design in [Design::PairedT, Design::TwoSampleTEqualN] {
        for &d in &[0.1, 0.3, 0.6] {
            let mut last = 0.0;
            for n in [5.0, 10.0, 20.0, 40.0, 80.0, 160.0, 320.0] {
                let p = power(design, d, n);
                assert!(p > last, "{design:?} d={d} n={n}: {p} after {last}");
                last = p;
            }
        }
        let mut last = 0.0;
        for d in [0.05, 0.1, 0.2, 0.4, 0.8] {
            let p = power(design, d, 50.0);
            assert!(p > last, "{design:?} d={d}");
            last = p;
        }
    }
}

#[test]
fn solving_for_n_then_computing_power_reaches_the_target() {
    for design in [Design::PairedT, Design::TwoSampleTEqualN] {
        for &d in &[0.15, 0.3, 0.5, 1.2] {
            for &target in &[0.7, 0.8, 0.9] {
                let case =
                    PowerCase::new(design, SolveFor::N).with("d", d).with("power", target).with("sig_level", 0.05);
                let out = solve(&case).unwrap();
                let n = out.n_ceiling.unwrap() as f64;
                assert!(power(design, d, n) >= target - 1e-12, "{design:?} d={d} target={target} n={n}");
                if n > 3.0 {
                    assert!(power(design, d, n - 1.0) < target, "the ceiling is the smallest n: {design:?} d={d}");
                }
            }
        }
    }
}

#[test]
fn two_sided_power_is_symmetric_in_the_sign_of_the_effect() {
    for design in [Design::PairedT, Design::TwoSampleTEqualN] {
        for &d in &[0.1, 0.35, 0.9] {
            for n in [8.0, 30.0, 120.0] {
                let (a, b) = (power(design, d, n), power(design, -d, n));
                assert!((a - b).abs() < 1e-12, "{design:?} d={d} n={n}: {a} vs {b}");
            }
        }
    }
}
