//! The command line, as clap's derive reads it.

use std::path::PathBuf;
use taskflow_sdk::Protocol;

use clap::{Args, Parser, Subcommand};

/// Inspect a TaskFlow server, pull schema snapshots, generate typed models, check drift.
///
/// The server comes from --url/--db/--user or TASKFLOW_URL, TASKFLOW_DB, TASKFLOW_USER. The
/// password never goes on the command line: it comes from TASKFLOW_PASSWORD, from
/// --password-stdin, or from a prompt. Without a server, `models`, `fields` and `generate` use
/// the embedded demo server, and say so.
#[derive(Debug, Parser)]
#[command(name = "taskflow", version, propagate_version = true)]
pub struct Cli {
    /// Where to connect, and as whom.
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The server and user, from flags or the TASKFLOW_* variables.
#[derive(Debug, Args)]
pub struct ConnectionArgs {
    /// The server's base URL (`https://demo.taskflow.co.za`).
    #[arg(long, env = "TASKFLOW_URL", global = true)]
    pub url: Option<String>,
    /// The database.
    #[arg(long, env = "TASKFLOW_DB", global = true)]
    pub db: Option<String>,
    /// The login.
    #[arg(long, env = "TASKFLOW_USER", global = true)]
    pub user: Option<String>,
    /// The protocol: xmlrpc (the default), jsonrpc, json2 (servers 19+, with an API key from
    /// TASKFLOW_API_KEY or --password-stdin; no --user needed) or auto (with an API key: json2
    /// when the server is 19+, else jsonrpc with the key as the password and --user).
    #[arg(
        long,
        env = "TASKFLOW_TRANSPORT",
        global = true,
        default_value = "xmlrpc",
        value_name = "PROTOCOL"
    )]
    pub transport: Protocol,
    /// Read the password (the API key over json2) from the first line of standard input
    /// (instead of TASKFLOW_PASSWORD, TASKFLOW_API_KEY or a prompt).
    #[arg(long, global = true)]
    pub password_stdin: bool,
    /// Allow sending the password or key over plain http:// to a host that is not loopback
    /// (refused by default: use https://).
    #[arg(
        long,
        env = "TASKFLOW_ALLOW_INSECURE_HTTP",
        global = true,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub allow_insecure_http: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the models, with their descriptions (from `ir.model`, which only administrators
    /// may read; for other users, the models named by --model or --schema that they may use).
    Models {
        /// Only models whose name or description contains this text (`*` and `?` are
        /// wildcards: `crm.*`).
        pattern: Option<String>,
        /// For users who may not list models: models to try, beside those of --schema.
        #[arg(long = "model", value_name = "MODEL")]
        models: Vec<String>,
        /// For users who may not list models: try the models of this snapshot directory.
        #[arg(long, value_name = "DIR")]
        schema: Option<PathBuf>,
    },
    /// Show a model's fields: name, type, relation, required, readonly, label.
    Fields {
        /// The model (`crm.lead`).
        model: String,
    },
    /// Schema snapshots (`fields_get` per model), to commit and to check against.
    #[command(subcommand)]
    Schema(SchemaCommand),
    /// Write Rust modules with `#[derive(TaskflowModel)]` structs, from a live server or from
    /// snapshots (--from).
    Generate {
        /// The models to generate (with --from: a subset of the snapshots; all by default).
        #[arg(value_name = "MODEL")]
        models: Vec<String>,
        /// Every model of the server that the user may read.
        #[arg(long, conflicts_with = "models")]
        all: bool,
        /// Generate from this snapshot directory instead of a live server.
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
        /// The directory to write `mod.rs` and one module per model into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Compare a snapshot directory with the live server. Exits 0 when nothing breaks (added
    /// fields, new labels), 1 on breaking changes, 2 when the check could not run or could not
    /// check every model (the user may not read one) and found nothing breaking in the others.
    Check {
        /// The committed snapshot directory.
        #[arg(long, value_name = "DIR")]
        schema: PathBuf,
    },
}

/// `taskflow schema ...`.
#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// Write one JSON snapshot per model into --out: fields_get, the server version, who pulled
    /// it. The output is deterministic, to commit and diff.
    Pull {
        /// The models to pull.
        #[arg(value_name = "MODEL", required_unless_present = "all")]
        models: Vec<String>,
        /// Every model the user may read (needs the right to read `ir.model`); others are skipped
        /// with a notice.
        #[arg(long, conflicts_with = "models")]
        all: bool,
        /// The directory to write the snapshots into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn there_is_no_password_flag() {
        let err = Cli::try_parse_from(["taskflow", "--password", "s3cret", "fields", "crm.lead"])
            .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::UnknownArgument);
    }

    #[test]
    fn pull_needs_models_or_all() {
        let err = Cli::try_parse_from(["taskflow", "schema", "pull", "--out", "s"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::MissingRequiredArgument);
        let err = Cli::try_parse_from([
            "taskflow", "schema", "pull", "crm.lead", "--all", "--out", "s",
        ])
        .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
    }
}
