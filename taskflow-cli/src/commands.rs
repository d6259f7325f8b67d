//! One module per command; each returns the process's exit status.

pub mod check;
pub mod fields;
pub mod generate;
pub mod models;
pub mod pull;
