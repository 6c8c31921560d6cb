//! Layer `engine`: the top of the core. Holds the loaded data and answers the page's requests
//! (`service`: the Request/Reply protocol, the jobs that run in steps, the file source), and
//! the built-in demo (`demo`), and wave files linked by participant code (`waves`).

pub mod demo;
pub mod service;
pub mod waves;
