//! The built-in demo dataset: synthetic, deterministic, realistic for a peer-led anti-stigma
//! program (120 participants, intervention vs control, stigma on a 1–5 mean scale at pre,
//! post and 3-month follow-up, help-seeking yes/no pre and post, age band, some blanks).
//! No real person's data.

pub const DEMO_FILE_NAME: &str = "lantern-demo.csv";

/// Small deterministic generator (SplitMix64) so the demo is identical everywhere.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

fn score(v: f64) -> String {
    format!("{:.1}", v.clamp(1.0, 5.0))
}

/// The recipe that goes with the demo: roles from the column names, a 1–5 mean scale, and a
/// reliability of 0.80 for reliable change (a typical value for such scales; the user can change it).
pub fn demo_recipe() -> crate::core::recipe::Recipe {
    use crate::core::recipe::{RciInputs, Recipe, Scale};
    Recipe {
        scale: Some(Scale {
            name: Some("stigma, mean of items 1–5".into()),
            min: Some(1.0),
            max: Some(5.0),
            lower_is_better: Some(true),
            decimals: Some(1),
        }),
        rci_inputs: Some(RciInputs { rxx: Some(0.8), sd_pre: None, threshold: Some(1.96) }),
        ..Recipe::default()
    }
}

/// The demo CSV text.
pub fn demo_csv() -> String {
    let mut rng = Rng(20261126);
    let bands = ["18-24", "25-34", "35-54", "55+"];
    let mut out = String::from(
        "participant_id,group,age_band,stigma_pre,stigma_post,stigma_fu3m,help_seeking_pre,help_seeking_post\n",
    );
    for i in 0..120 {
        let intervention = i % 2 == 0;
        let band = bands[(rng.uniform() * 4.0) as usize % 4];
        let person = rng.normal() * 0.6;
        let pre = 3.2 + person + rng.normal() * 0.35;
        let effect = if intervention { -0.45 } else { -0.05 };
        let post = pre + effect + rng.normal() * 0.4;
        let fu = post + if intervention { 0.12 } else { 0.0 } + rng.normal() * 0.35;
        let help_pre = rng.uniform() < 0.25;
        let help_post = help_pre || rng.uniform() < if intervention { 0.30 } else { 0.10 };
        let yn = |b: bool| if b { "Yes" } else { "No" };
        // Realistic gaps: some lost at post, more at follow-up, a few unanswered items.
        let lost_post = rng.uniform() < 0.08;
        let lost_fu = lost_post || rng.uniform() < 0.15;
        let blank_band = rng.uniform() < 0.03;
        out.push_str(&format!(
            "P{:03},{},{},{},{},{},{},{}\n",
            i + 1,
            if intervention { "intervention" } else { "control" },
            if blank_band { "" } else { band },
            score(pre),
            if lost_post { String::new() } else { score(post) },
            if lost_fu { String::new() } else { score(fu) },
            yn(help_pre),
            if lost_post { "" } else { yn(help_post) },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analyses::analyse;
    use crate::core::ingest::read_csv;
    use crate::core::recipe::Recipe;

    #[test]
    fn demo_is_realistic_and_analysable() {
        let text = demo_csv();
        assert_eq!(text, demo_csv(), "deterministic");
        let ds = read_csv(text.as_bytes(), DEMO_FILE_NAME).unwrap();
        assert_eq!(ds.n_rows, 120);
        assert!(ds.diagnostics.is_empty());
        let blanks = ds.column("stigma_post").unwrap().cells.iter().filter(|c| c.is_empty()).count();
        assert!((3..=20).contains(&blanks), "{blanks} blank post cells");
        let mut r = Recipe::default();
        r.suggest_columns(&ds.column_names());
        let a = analyse(&ds, &r);
        let int = &a.results.paired["intervention"];
        let ctl = &a.results.paired["control"];
        assert!(int.mean_diff.unwrap() < ctl.mean_diff.unwrap(), "the program helps in the demo");
        assert!(int.ci_high.unwrap() < 0.0);
    }
}
