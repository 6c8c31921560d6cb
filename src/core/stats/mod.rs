//! Statistics: descriptive helpers, distributions and tests. Every function returns `None`
//! ("not computable") rather than a NaN or a wrong number.

pub mod describe;
pub mod dist;
pub mod paired;
pub mod ranks;
