//! The one native integration-test binary: reference cases and architecture invariants.

mod invariants;
mod reference;
mod support;
