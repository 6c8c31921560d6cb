//! Time of the mixed model (`results.mixed`) and the drop-out sensitivity of the post and the
//! follow-up score (`results.tipping_point`, `results.tipping_point_followup`) for 100,000
//! people × 3 waves, with a fifth of the post and a third of the follow-up scores missing. Run: `cargo run --release --example mixed_timing` (prints the times; native, one
//! thread — the worker runs the same code compiled to wasm, typically 1.5–3× slower).

use lantern::core::analyses::tipping::{tipping_point_of, Outcome, TippingSettings};
use lantern::core::analyses::waves::{mixed_results, Arm, PersonWaves};
use std::time::Instant;

fn main() {
    let n = 100_000;
    let mut state = 42u64;
    let mut unif = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let rows: Vec<PersonWaves> = (0..n)
        .map(|i| {
            let arm = if i % 2 == 0 { Arm::Intervention } else { Arm::Control };
            let person = unif() - 0.5;
            let pre = 3.0 + person + 0.5 * (unif() - 0.5);
            let eff = if arm == Arm::Intervention { -0.3 } else { 0.0 };
            let post = (unif() > 0.2).then(|| pre + eff + 0.5 * (unif() - 0.5));
            let followup = (unif() > 0.35).then(|| pre + eff * 0.7 + 0.5 * (unif() - 0.5));
            PersonWaves { arm: Some(arm), pre: Some(pre), post, followup, level: None }
        })
        .collect();
    let t0 = Instant::now();
    let m = mixed_results(&rows, true, 0.05);
    let t_mixed = t0.elapsed();
    println!(
        "mixed model: {} people, {} scores, {:.0} ms (post:arm = {:?})",
        m.n_people,
        m.n_obs,
        t_mixed.as_secs_f64() * 1e3,
        m.terms.get("post:arm").and_then(|e| e.estimate)
    );
    let s = TippingSettings {
        two_arm: true,
        lower_is_better: true,
        alpha: 0.05,
        imputations: 100,
        seed: 1,
        scale: Some((1.0, 5.0)),
    };
    for outcome in [Outcome::Post, Outcome::Followup] {
        let t1 = Instant::now();
        let t = tipping_point_of(&rows, outcome, s);
        println!(
            "tipping point ({}): 100 imputations of {} scores, {} δ rows, {:.0} ms (tipping δ {:?})",
            outcome.words(),
            t.as_ref().map_or(0, |t| t.imputed.values().sum::<usize>()),
            t.as_ref().map_or(0, |t| t.rows.len()),
            t1.elapsed().as_secs_f64() * 1e3,
            t.and_then(|t| t.tipping_delta)
        );
    }
}
