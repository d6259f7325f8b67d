//! The golden output of `taskflow generate`: each module is exactly what the generator wrote for
//! one case (`taskflow-cli/tests/generate_golden.rs` compares them byte for byte and
//! regenerates them with `TASKFLOW_BLESS=1`). Compiling this crate proves the output builds as
//! a user's library, under the strictest lints a user may set.
//!
//! The modules are `#[rustfmt::skip]`: they are prettyplease's output, not rustfmt's, and must
//! stay byte-identical to what the generator writes.
#![deny(warnings)]
#![deny(missing_docs)]

#[rustfmt::skip]
pub mod embedded;
#[rustfmt::skip]
pub mod names;
#[rustfmt::skip]
pub mod types;
#[rustfmt::skip]
pub mod wide;
