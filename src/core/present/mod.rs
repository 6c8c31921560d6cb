//! Layer `present`: what people read and take away, made from results (no statistics are
//! computed here): plain-language readings (`explain`), the advisory-board report (`report`),
//! chart geometry drawn by the UI as SVG (`chart`) and the formula-safe cleaned CSV
//! (`clean_csv`: the analysis-ready cleaned data and its data dictionary).

pub mod chart;
pub mod clean_csv;
pub mod combine;
pub mod comments;
pub mod comments_csv;
pub mod dropout;
pub mod explain;
pub mod report;
