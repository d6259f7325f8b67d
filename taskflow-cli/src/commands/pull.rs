//! `taskflow schema pull`: one deterministic JSON snapshot per model.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::ConnectionArgs;
use crate::connect::{Fallback, connect};
use crate::introspect;
use crate::output::Output;

pub async fn run(
    args: &ConnectionArgs,
    out: &Output,
    models: &[String],
    all: bool,
    dir: &Path,
) -> Result<ExitCode> {
    let connection = connect(args, Fallback::Refused("schema pull"), out).await?;
    let snapshots = introspect::pull(&connection, models, all, out).await?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for snapshot in &snapshots {
        let path = dir.join(taskflow_schema::snapshot_file_name(&snapshot.model));
        std::fs::write(&path, snapshot.to_json())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    out.notice(format!(
        "wrote {} snapshot(s) to {}, pulled as {}",
        snapshots.len(),
        dir.display(),
        connection.session.login()
    ));
    Ok(ExitCode::SUCCESS)
}
