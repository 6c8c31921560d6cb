//! Layer `planning`: the next evaluation — power, sample size and detectable effect for the
//! planner's designs (`power`), and teaching-mode simulation of many studies (`simulate`).

pub mod power;
pub mod simulate;
