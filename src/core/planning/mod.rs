//! Layer `planning`: the next evaluation — power, sample size and detectable effect for the
//! planner's designs (`power`), teaching-mode simulation of many studies (`simulate`), and
//! inputs observed in the loaded data (`observed`: the drop-out of linked wave files).

pub mod observed;
pub mod power;
pub mod simulate;
