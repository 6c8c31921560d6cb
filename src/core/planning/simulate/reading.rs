//! Plain-language readings of a teaching-mode simulation (what the share of significant
//! results means next to the planned power). Lives with the simulation: the planning layer
//! sits below `present` and may not call into it.

use super::SimResult;

/// Plain readings of a teaching-mode simulation.
pub fn simulation_reading(r: &SimResult) -> Vec<String> {
    let s = &r.settings;
    let pc = |x: f64| format!("{:.0}%", 100.0 * x);
    let mut out = Vec::new();
    let who = if s.two_groups() {
        format!("{} people per group", s.n_per_arm)
    } else {
        format!("{} people measured before and after", s.n_per_arm)
    };
    if r.cancelled {
        out.push(format!(
            "Stopped after {} of {} simulated studies: the numbers below use those.",
            r.samples_done, r.samples_target
        ));
    }
    if let Some(share) = r.share_significant {
        let planned = match r.planned_power.filter(|_| r.true_effect_d != 0.0) {
            Some(p) => format!(
                " The planned power for this design is {}{}, so about {} were expected.",
                pc(p),
                if r.planned_power_approximate { " (approximate)" } else { "" },
                pc(p)
            ),
            None => String::new(),
        };
        out.push(format!(
            "{} simulated studies of {who}, with a true effect of d = {:.2}: {} found a statistically significant result (p < {}).{planned}",
            r.samples_done,
            r.true_effect_d,
            pc(share),
            s.alpha
        ));
    }
    if r.true_effect_d == 0.0 {
        out.push(format!(
            "The true effect is zero here, so every significant result is a false alarm; about {} are expected by chance.",
            pc(s.alpha)
        ));
    }
    let q = |p: f64| r.estimate_quantiles.iter().find(|x| (x.p - p).abs() < 1e-9).and_then(|x| x.value);
    if let (Some(lo), Some(hi), Some(m)) = (q(0.025), q(0.975), r.estimate_mean) {
        out.push(format!(
            "The estimated effect wandered from study to study: the middle 95% of studies estimated between {lo:.2} and {hi:.2} (average {m:.2}; true value {:.2}). A single study is one draw from this spread.",
            r.true_effect_d
        ));
    }
    if let (Some(x), Some(share)) = (r.exaggeration_ratio, r.share_significant) {
        if x > 1.25 && share < 0.9 {
            out.push(format!(
                "Studies that happened to reach significance overestimated the effect {x:.1}-fold on average: when a study is too small, the ones that “find” the effect tend to exaggerate it."
            ));
        }
    }
    if let Some(w) = r.share_significant_wrong_direction.filter(|w| *w > 0.0 && r.true_effect_d != 0.0) {
        out.push(format!(
            "{:.1}% of the studies were significant in the wrong direction, suggesting harm where the program helps.",
            100.0 * w
        ));
    }
    if s.clustered() {
        let test = if s.analyse_cluster_means {
            "Testing cluster means allows for this."
        } else {
            "The simple t-test treats everyone as independent and ignores this, so it finds “significant” results more often than it should; testing cluster means allows for it."
        };
        out.push(format!(
            "People in the same cluster are alike (ICC = {:.2}, clusters of {}), so each arm is worth only about {:.0} independent people (design effect {:.2}). {test}",
            s.icc, s.cluster_size, r.effective_n_per_arm, r.design_effect
        ));
    }
    if s.attrition > 0.0 {
        if let Some(n) = r.mean_n_analysed_per_arm {
            out.push(format!("With {} drop-out, about {n:.0} people per arm were left to analyse.", pc(s.attrition)));
        }
    }
    if let Some(c) = r.ci_coverage {
        out.push(format!(
            "{} of the {:.0}% confidence intervals contained the true difference.",
            pc(c),
            100.0 * (1.0 - s.alpha)
        ));
    }
    out
}
