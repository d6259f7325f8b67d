//! What the CLI prints, following terminal conventions: results on stdout, everything else
//! (the target, notices, progress) on stderr; colour and progress bars only on a terminal and
//! never with `NO_COLOR` (anstream decides, as clap does), so piped output is plain text.

use std::io::Write;
use taskflow_sdk::Protocol;

use anstyle::{AnsiColor, Style};
use indicatif::{ProgressBar, ProgressStyle};

const BOLD: Style = Style::new().bold();
const NOTICE: Style = AnsiColor::Yellow.on_default();
const REMOVED: Style = AnsiColor::Red.on_default();
const ADDED: Style = AnsiColor::Green.on_default();

/// The CLI's printer.
#[derive(Debug, Default)]
pub struct Output;

/// How a line of a change report is marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Breaks code built on the old schema.
    Breaking,
    /// Safe for such code.
    Safe,
}

impl Output {
    /// The command's target, first thing on stderr: `taskflow: URL, database DB, user LOGIN`.
    pub fn target(&self, url: &str, db: &str, login: &str, over: Protocol, why: Option<&str>) {
        let mut err = anstream::stderr();
        // JSON-2 signs in with a key alone.
        let login = if login.is_empty() {
            "of the API key"
        } else {
            login
        };
        let _ = match why {
            Some(why) => writeln!(
                err,
                "{BOLD}taskflow:{BOLD:#} {url}, database {db}, user {login}, over {over} ({why})"
            ),
            None => writeln!(
                err,
                "{BOLD}taskflow:{BOLD:#} {url}, database {db}, user {login}, over {over}"
            ),
        };
    }

    /// The target of a command that reads snapshots instead of a server: the directory, and
    /// where the snapshots came from.
    pub fn snapshots(&self, dir: &std::path::Path, snapshots: &[taskflow_schema::Snapshot]) {
        let mut sources: Vec<String> = snapshots
            .iter()
            .map(|s| {
                format!(
                    "database {}, user {}, server {}",
                    s.pulled_by.database, s.pulled_by.login, s.server_version
                )
            })
            .collect();
        sources.sort();
        sources.dedup();
        let _ = writeln!(
            anstream::stderr(),
            "{BOLD}taskflow:{BOLD:#} snapshots in {} (pulled from {})",
            dir.display(),
            sources.join("; ")
        );
    }

    /// A notice on stderr: something skipped or limited, not an error.
    pub fn notice(&self, text: impl std::fmt::Display) {
        let _ = writeln!(anstream::stderr(), "{NOTICE}notice:{NOTICE:#} {text}");
    }

    /// A line on stdout.
    pub fn line(&self, text: impl std::fmt::Display) {
        let _ = writeln!(anstream::stdout(), "{text}");
    }

    /// A line of a change report on stdout, coloured by whether it breaks.
    pub fn change(&self, mark: Mark, text: impl std::fmt::Display) {
        let style = match mark {
            Mark::Breaking => REMOVED,
            Mark::Safe => ADDED,
        };
        let tag = match mark {
            Mark::Breaking => "breaking",
            Mark::Safe => "safe    ",
        };
        let _ = writeln!(anstream::stdout(), "{style}{tag}{style:#} {text}");
    }

    /// A table on stdout: a bold header, columns padded to their widest cell.
    pub fn table(&self, header: &[&str], rows: &[Vec<String>]) {
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for row in rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut out = anstream::stdout().lock();
        let render = |cells: &mut dyn Iterator<Item = &str>| {
            let mut line = String::new();
            for (i, (cell, w)) in cells.zip(&widths).enumerate() {
                if i + 1 == widths.len() {
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    line.extend(std::iter::repeat_n(' ', w - cell.chars().count() + 2));
                }
            }
            line
        };
        let head = render(&mut header.iter().copied());
        let _ = writeln!(out, "{BOLD}{}{BOLD:#}", head.trim_end());
        for row in rows {
            let line = render(&mut row.iter().map(String::as_str));
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }

    /// A progress bar on stderr over `len` steps; hidden when stderr is not a terminal.
    pub fn progress(&self, len: u64, what: &'static str) -> ProgressBar {
        let bar = ProgressBar::new(len);
        if std::env::var_os("NO_COLOR").is_some() {
            bar.set_style(
                ProgressStyle::with_template("{pos}/{len} {msg}").expect("a valid template"),
            );
        } else {
            bar.set_style(
                ProgressStyle::with_template("{bar:30.cyan/blue} {pos}/{len} {msg}")
                    .expect("a valid template"),
            );
        }
        bar.set_message(what);
        bar
    }
}
