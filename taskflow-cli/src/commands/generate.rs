//! `taskflow generate`: Rust modules from a live server or from snapshots.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::cli::ConnectionArgs;
use crate::codegen;
use crate::connect::{Fallback, connect};
use crate::introspect;
use crate::output::Output;

pub async fn run(
    args: &ConnectionArgs,
    out: &Output,
    models: &[String],
    all: bool,
    from: Option<&Path>,
    dir: &Path,
) -> Result<ExitCode> {
    let snapshots = match from {
        Some(from) => {
            let mut snapshots = taskflow_schema::read_dir(from)?;
            out.snapshots(from, &snapshots);
            if !models.is_empty() {
                for name in models {
                    if !snapshots.iter().any(|s| &s.model == name) {
                        bail!("{} holds no snapshot of {name}", from.display());
                    }
                }
                snapshots.retain(|s| models.contains(&s.model));
            }
            snapshots
        }
        None => {
            if models.is_empty() && !all {
                bail!("name the models to generate, or pass --all (or --from DIR for snapshots)");
            }
            let connection = connect(args, Fallback::Embedded, out).await?;
            introspect::pull(&connection, models, all, out).await?
        }
    };
    let files = codegen::render(&snapshots);
    for (model, field) in codegen::unbound_fields(&snapshots) {
        out.notice(format!(
            "left out {model}'s field `{field}`: #[derive(TaskflowModel)] binds field names of \
             ASCII letters, digits and `_` only, not starting with a digit"
        ));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for file in &files {
        let path = dir.join(&file.path);
        std::fs::write(&path, &file.contents)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    out.notice(format!(
        "wrote {} model(s) in {} file(s) to {}",
        snapshots.len(),
        files.len(),
        dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}
