//! `taskflow`: inspect a TaskFlow server, pull schema snapshots, generate typed models, check
//! drift. `taskflow --help` tells how; the README's tour shows the workflow.

mod cli;
mod codegen;
mod commands;
mod connect;
mod introspect;
mod output;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, SchemaCommand};
use crate::output::Output;

/// Exit status of `taskflow check` when the server broke the committed schema.
pub const EXIT_DRIFT: u8 = 1;
/// Exit status when a command could not do its job (connection, snapshot, file errors).
pub const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let out = Output;
    match runtime.block_on(run(cli, &out)) {
        Ok(code) => code,
        Err(e) => {
            // Every layer once, outermost first (anyhow's alternate form).
            let _ =
                std::io::Write::write_fmt(&mut anstream::stderr(), format_args!("error: {e:#}\n"));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

async fn run(cli: Cli, out: &Output) -> anyhow::Result<ExitCode> {
    let conn = &cli.connection;
    match cli.command {
        Command::Models {
            pattern,
            models,
            schema,
        } => commands::models::run(conn, out, pattern.as_deref(), &models, schema.as_deref()).await,
        Command::Fields { model } => commands::fields::run(conn, out, &model).await,
        Command::Schema(SchemaCommand::Pull {
            models,
            all,
            out: dir,
        }) => commands::pull::run(conn, out, &models, all, &dir).await,
        Command::Generate {
            models,
            all,
            from,
            out: dir,
        } => commands::generate::run(conn, out, &models, all, from.as_deref(), &dir).await,
        Command::Check { schema } => commands::check::run(conn, out, &schema).await,
    }
}
