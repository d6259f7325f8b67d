//! Rust modules from snapshots: `#[derive(TaskflowModel)]` structs and `#[derive(Selection)]`
//! enums.

use std::path::PathBuf;

use taskflow_schema::Snapshot;

/// One file to write, relative to the output directory.
#[derive(Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// `mod.rs`, `crm_lead.rs`...
    pub path: PathBuf,
    /// The formatted source.
    pub contents: String,
}

/// The modules for `snapshots`: a `mod.rs` and one module per model.
pub fn render(snapshots: &[Snapshot]) -> Vec<GeneratedFile> {
    let _ = snapshots;
    Vec::new()
}
