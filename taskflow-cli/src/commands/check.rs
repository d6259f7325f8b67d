//! `taskflow check --schema DIR`: what changed on the server since the snapshots were pulled.
//!
//! Every change goes to stdout, marked breaking or safe, then a summary line. The exit status
//! is for CI:
//! - 0: nothing breaks code built on the snapshots (there may be safe changes);
//! - 1 ([`crate::EXIT_DRIFT`]): something breaks; this wins over models that could not be checked,
//!   since what was found already breaks the build;
//! - 2 ([`crate::EXIT_ERROR`], through an `Err`): the check could not run (snapshot directory,
//!   connection), or nothing found breaks but some model could not be checked because the user
//!   may not read it. "Nothing breaks" would be a claim about models nobody looked at, and
//!   "drift" a claim that may be false: the honest answer is that the check is incomplete.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use taskflow_schema::Snapshot;

use crate::EXIT_DRIFT;
use crate::cli::ConnectionArgs;
use crate::connect::{Connection, Fallback, connect};
use crate::introspect::{self, Lookup};
use crate::output::{Mark, Output};

pub async fn run(args: &ConnectionArgs, out: &Output, schema: &Path) -> Result<ExitCode> {
    let committed = taskflow_schema::read_dir(schema)?;
    let connection = connect(args, Fallback::Refused("check"), out).await?;
    warn_about_provenance(&committed, &connection, out);

    let login = connection.session.login();
    let mut changes = Vec::new();
    let mut unchecked = Vec::new();
    for snapshot in &committed {
        match introspect::lookup(&connection, &snapshot.model, None).await? {
            Lookup::Found(live) => changes.extend(taskflow_schema::diff(snapshot, Some(&live))),
            Lookup::Missing => changes.extend(taskflow_schema::diff(snapshot, None)),
            Lookup::Refused => {
                out.notice(format!(
                    "cannot check {}: user {login} may not read it",
                    snapshot.model
                ));
                unchecked.push(snapshot.model.as_str());
            }
        }
    }

    for change in &changes {
        let mark = if change.is_breaking() {
            Mark::Breaking
        } else {
            Mark::Safe
        };
        out.change(mark, change);
    }
    let breaking = changes.iter().filter(|c| c.is_breaking()).count();
    out.line(summary(
        committed.len() - unchecked.len(),
        changes.len(),
        breaking,
        unchecked.len(),
    ));

    if breaking > 0 {
        return Ok(ExitCode::from(EXIT_DRIFT));
    }
    if !unchecked.is_empty() {
        bail!(
            "could not check {} ({}): user {login} may not read {}; run the check as a user who \
             may, such as the one who pulled the snapshots",
            count(unchecked.len(), "model"),
            unchecked.join(", "),
            if unchecked.len() == 1 { "it" } else { "them" },
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Notices for snapshots pulled by another user, on another database or from another server
/// version: fields_get shows each user the fields of their groups, so a field may look removed
/// or added only because the check runs as someone else.
fn warn_about_provenance(committed: &[Snapshot], connection: &Connection, out: &Output) {
    let session = &connection.session;
    let mut by_puller: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    let mut by_version: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for snapshot in committed {
        let pulled = &snapshot.pulled_by;
        if pulled.login != session.login() || pulled.database != session.db() {
            by_puller
                .entry((&pulled.login, &pulled.database))
                .or_default()
                .push(&snapshot.model);
        }
        if snapshot.server_version != connection.version.server_version {
            by_version
                .entry(&snapshot.server_version)
                .or_default()
                .push(&snapshot.model);
        }
    }
    for ((login, database), models) in by_puller {
        out.notice(format!(
            "{} pulled by {login} on database {database}, checked as {} on database {}: field \
             visibility depends on the user's groups, so fields may differ for that reason alone",
            models.join(", "),
            session.login(),
            session.db(),
        ));
    }
    for (version, models) in by_version {
        out.notice(format!(
            "{} pulled from server version {version}, the server is now {}",
            models.join(", "),
            connection.version.server_version,
        ));
    }
}

/// `no change in 2 models`, `3 changes in 2 models, 1 breaking`, with the models not checked.
fn summary(checked: usize, changes: usize, breaking: usize, unchecked: usize) -> String {
    let mut line = if changes == 0 {
        format!("no change in {}", count(checked, "model"))
    } else if breaking == 0 {
        format!(
            "{} in {}, none breaking",
            count(changes, "change"),
            count(checked, "model")
        )
    } else {
        format!(
            "{} in {}, {breaking} breaking",
            count(changes, "change"),
            count(checked, "model")
        )
    };
    if unchecked > 0 {
        line.push_str(&format!("; {} not checked", count(unchecked, "model")));
    }
    line
}

/// `1 model`, `2 models`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_read_well() {
        assert_eq!(summary(2, 0, 0, 0), "no change in 2 models");
        assert_eq!(summary(1, 1, 0, 0), "1 change in 1 model, none breaking");
        assert_eq!(summary(2, 3, 1, 0), "3 changes in 2 models, 1 breaking");
        assert_eq!(
            summary(1, 0, 0, 1),
            "no change in 1 model; 1 model not checked"
        );
    }
}
