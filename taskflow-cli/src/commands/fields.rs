//! `taskflow fields MODEL`: a table of a model's fields.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::ConnectionArgs;
use crate::connect::{Fallback, connect};
use crate::introspect;
use crate::output::Output;

pub async fn run(args: &ConnectionArgs, out: &Output, model: &str) -> Result<ExitCode> {
    let connection = connect(args, Fallback::Embedded, out).await?;
    let fields = introspect::fields(&connection.session, model).await?;
    let yes = |b: bool| if b { "yes" } else { "" }.to_owned();
    let rows: Vec<Vec<String>> = fields
        .iter()
        .map(|(name, f)| {
            vec![
                name.clone(),
                f.type_name.clone(),
                f.relation.clone().unwrap_or_default(),
                yes(f.required),
                yes(f.readonly),
                f.string.clone(),
            ]
        })
        .collect();
    out.table(
        &["FIELD", "TYPE", "RELATION", "REQUIRED", "READONLY", "LABEL"],
        &rows,
    );
    Ok(ExitCode::SUCCESS)
}
