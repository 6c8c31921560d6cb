//! The random numbers of teaching mode: seeded PCG-64 (`rand_pcg`) with uniforms on the open
//! interval (0, 1) and standard normals by Box–Muller (both values of each pair are used).
//! The same seed gives the same numbers on every platform.

use rand_pcg::rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// The generator, as named in the results.
pub const SIM_RNG_NAME: &str = "PCG-64 (rand_pcg, seed_from_u64) with Box–Muller normals";

/// A seeded source of uniforms and standard normals.
#[derive(Debug, Clone)]
pub struct Normals {
    rng: Pcg64,
    spare: Option<f64>,
}

impl Normals {
    pub fn new(seed: u64) -> Normals {
        Normals { rng: Pcg64::seed_from_u64(seed), spare: None }
    }

    /// Uniform on (0, 1): 53 random bits, centred in their cell, so never 0 or 1.
    pub fn uniform(&mut self) -> f64 {
        ((self.rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller; the second value of a pair is kept for the next call).
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        let (u, v) = (self.uniform(), self.uniform());
        let r = (-2.0 * u.ln()).sqrt();
        let a = 2.0 * std::f64::consts::PI * v;
        self.spare = Some(r * a.sin());
        r * a.cos()
    }

    /// A pair of standard normals with correlation `rho` (|rho| ≤ 1).
    pub fn correlated_pair(&mut self, rho: f64) -> (f64, f64) {
        let z1 = self.normal();
        let z2 = self.normal();
        (z1, rho * z1 + (1.0 - rho * rho).max(0.0).sqrt() * z2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normals_have_mean_zero_sd_one_and_repeat_with_the_seed() {
        let mut g = Normals::new(11);
        let x: Vec<f64> = (0..200_000).map(|_| g.normal()).collect();
        let m = x.iter().sum::<f64>() / x.len() as f64;
        let v = x.iter().map(|z| (z - m) * (z - m)).sum::<f64>() / (x.len() - 1) as f64;
        assert!(m.abs() < 0.01, "{m}");
        assert!((v - 1.0).abs() < 0.01, "{v}");
        // Share beyond ±1.96 is about 5%.
        let tail = x.iter().filter(|z| z.abs() > 1.959964).count() as f64 / x.len() as f64;
        assert!((tail - 0.05).abs() < 0.002, "{tail}");
        let mut a = Normals::new(5);
        let mut b = Normals::new(5);
        assert!((0..100).all(|_| a.normal() == b.normal()));
        let mut c = Normals::new(6);
        assert_ne!(Normals::new(5).normal(), c.normal());
    }

    #[test]
    fn correlated_pairs_have_the_asked_correlation() {
        let mut g = Normals::new(3);
        let pairs: Vec<(f64, f64)> = (0..100_000).map(|_| g.correlated_pair(0.6)).collect();
        let x: Vec<f64> = pairs.iter().map(|p| p.0).collect();
        let y: Vec<f64> = pairs.iter().map(|p| p.1).collect();
        let r = crate::core::stats::describe::correlation(&x, &y).unwrap();
        assert!((r - 0.6).abs() < 0.01, "{r}");
    }
}
