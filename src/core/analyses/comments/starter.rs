//! The starter codebook: kept with the recipe it fills (`recipe::starter`), re-exported here
//! where the comment analysis reads it.

pub use crate::core::recipe::starter::*;
