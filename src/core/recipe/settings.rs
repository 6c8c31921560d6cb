//! Settings in force, resolved once from a recipe: every default and every accepted range is
//! written here, and both a recipe loaded from a file and an edit made in the page
//! ([`super::edit::RecipeEdit`]) go through these rules.

use super::Recipe;

/// The significance level when the recipe gives none (or one out of range).
pub const ALPHA_DEFAULT: f64 = 0.05;

/// Accepted significance levels: above 0 and below 0.5 (a 50 % "confidence" interval is no
/// interval anyone reports).
pub fn valid_alpha(a: f64) -> bool {
    a.is_finite() && a > 0.0 && a < 0.5
}

/// Lower score = less stigma, unless the recipe's scale says otherwise.
pub const LOWER_IS_BETTER_DEFAULT: bool = true;

/// The most bootstrap resamples the cost interval takes (the page's field and recipe files).
pub const BOOTSTRAP_MAX: u64 = 200_000;

/// The share each cost ingredient may be varied by in the one-way sensitivity.
pub const SENSITIVITY_RANGE: (f64, f64) = (0.01, 0.99);

/// Imputations of the drop-out sensitivity (`results.tipping_point`): at least 50 (issue 20);
/// with 100, the Monte-Carlo error of the pooled estimate is about a twentieth of its standard
/// error when a fifth of the variance is due to the missing scores (√(0.2/100)).
pub const IMPUTATIONS: usize = 100;

/// The seed of the drop-out sensitivity's imputations (fixed, so the same file gives the same
/// table).
pub const IMPUTATION_SEED: u64 = 20_201;

/// Settings every analysis reads, resolved once from the recipe.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Significance level; intervals are 1 − alpha.
    pub alpha: f64,
    /// Lower score = less stigma (the direction readings use).
    pub lower_is_better: bool,
}

impl Settings {
    /// The settings in force for `recipe`: its values where valid, the defaults otherwise.
    pub fn resolve(recipe: &Recipe) -> Settings {
        Settings {
            alpha: recipe.alpha.filter(|a| valid_alpha(*a)).unwrap_or(ALPHA_DEFAULT),
            lower_is_better: recipe.scale.as_ref().and_then(|s| s.lower_is_better).unwrap_or(LOWER_IS_BETTER_DEFAULT),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_ranges() {
        let s = Settings::resolve(&Recipe::default());
        assert_eq!((s.alpha, s.lower_is_better), (0.05, true));
        let r = Recipe::from_json(r#"{"alpha":0.1,"scale":{"lower_is_better":false}}"#).unwrap();
        assert_eq!(Settings::resolve(&r), Settings { alpha: 0.1, lower_is_better: false });
        for bad in ["0", "-0.1", "0.5", "1", "2"] {
            let r = Recipe::from_json(&format!(r#"{{"alpha":{bad}}}"#)).unwrap();
            assert_eq!(Settings::resolve(&r).alpha, ALPHA_DEFAULT, "{bad}");
        }
    }
}
