//! `taskflow models [PATTERN]`: the models and their descriptions.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::ConnectionArgs;
use crate::connect::{Fallback, connect};
use crate::introspect::{self, ModelInfo};
use crate::output::Output;

pub async fn run(
    args: &ConnectionArgs,
    out: &Output,
    pattern: Option<&str>,
    candidates: &[String],
    schema: Option<&Path>,
) -> Result<ExitCode> {
    let connection = connect(args, Fallback::Embedded, out).await?;
    let session = &connection.session;
    let matcher = pattern.map(Pattern::new);
    let matches = |m: &ModelInfo| {
        matcher
            .as_ref()
            .is_none_or(|p| p.matches(&m.model) || p.matches(&m.name))
    };
    match introspect::list_models(session).await? {
        Ok(models) => {
            let rows: Vec<Vec<String>> = models
                .iter()
                .filter(|m| matches(m))
                .map(|m| vec![m.model.clone(), m.name.clone()])
                .collect();
            out.table(&["MODEL", "DESCRIPTION"], &rows);
            Ok(ExitCode::SUCCESS)
        }
        Err(_) => {
            // A normal user: list what can still be learned, from the names we were given.
            let mut names: BTreeSet<String> = candidates.iter().cloned().collect();
            let mut descriptions = std::collections::BTreeMap::new();
            if let Some(dir) = schema {
                for snapshot in taskflow_schema::read_dir(dir)? {
                    if let Some(d) = &snapshot.description {
                        descriptions.insert(snapshot.model.clone(), d.clone());
                    }
                    names.insert(snapshot.model);
                }
            }
            if let Some(p) = pattern.filter(|p| !p.contains(['*', '?'])) {
                if p.contains('.') {
                    names.insert(p.to_owned());
                }
            }
            out.notice(format!(
                "user {} may not read ir.model (the model list is for administrators only)",
                session.login()
            ));
            if names.is_empty() {
                out.notice(
                    "name models to try with --model MODEL or --schema DIR: those whose fields_get \
                     you may call are listed",
                );
                return Ok(ExitCode::SUCCESS);
            }
            out.notice("listing the models named by --model, --schema or the pattern that this user may read");
            let mut rows = Vec::new();
            for name in names {
                let info = ModelInfo {
                    model: name.clone(),
                    name: descriptions.get(&name).cloned().unwrap_or_default(),
                };
                let named_exactly = pattern == Some(name.as_str());
                if !named_exactly && !matches(&info) {
                    continue;
                }
                match introspect::can_read(session, &name).await {
                    Ok(true) => rows.push(vec![info.model, info.name]),
                    Ok(false) => out.notice(format!("{name}: this user may not read it")),
                    Err(e) => out.notice(format!("{name}: {e:#}")),
                }
            }
            out.table(&["MODEL", "DESCRIPTION"], &rows);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A case-insensitive substring, or a glob when it holds `*` or `?`.
struct Pattern {
    text: String,
    glob: bool,
}

impl Pattern {
    fn new(text: &str) -> Pattern {
        Pattern {
            text: text.to_lowercase(),
            glob: text.contains(['*', '?']),
        }
    }

    fn matches(&self, candidate: &str) -> bool {
        let candidate = candidate.to_lowercase();
        if self.glob {
            glob(self.text.as_bytes(), candidate.as_bytes())
        } else {
            candidate.contains(&self.text)
        }
    }
}

/// Whether `text` matches the whole of `pattern` (`*` any run, `?` any one character).
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|i| glob(rest, &text[i..])),
        Some((b'?', rest)) => !text.is_empty() && glob(rest, &text[1..]),
        Some((c, rest)) => text.first() == Some(c) && glob(rest, &text[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_substrings_or_globs() {
        assert!(Pattern::new("LEAD").matches("crm.lead"));
        assert!(!Pattern::new("lead").matches("res.partner"));
        assert!(Pattern::new("crm.*").matches("crm.lost.reason"));
        assert!(!Pattern::new("crm.*").matches("res.crm"));
        assert!(Pattern::new("res.?????").matches("res.users"));
        assert!(!Pattern::new("res.????").matches("res.users"));
    }
}
