//! Statistics: descriptive helpers, distributions and tests. Every function returns `None`
//! ("not computable") rather than a NaN or a wrong number.

pub mod ancova;
pub mod anova;
pub mod binary;
pub mod describe;
pub mod dist;
pub mod exact;
pub mod icc;
pub mod impute;
pub mod meta;
pub mod mixed;
pub mod multiplicity;
pub mod nct;
pub mod paired;
pub mod rank_sum;
pub mod ranks;
pub mod rci;
pub mod two_group;
