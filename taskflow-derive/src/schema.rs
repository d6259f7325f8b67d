//! The schema snapshot a model is checked against: `#[taskflow(schema = "dir")]` on the struct,
//! else the `TASKFLOW_SCHEMA_DIR` environment variable; a relative directory is taken from the
//! crate's `CARGO_MANIFEST_DIR`. Without either, nothing is checked.
//!
//! Each snapshot file is parsed once per compiler process (a crate with many models reads it
//! again only when it changed), and its problems are one error naming the file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use proc_macro2::Span;
use taskflow_schema::Snapshot;

use crate::attr::Ctxt;
use crate::ir::Model;
use crate::suggest;

/// The environment variable naming the snapshot directory.
pub(crate) const ENV: &str = "TASKFLOW_SCHEMA_DIR";

/// A model's snapshot, found and read.
pub(crate) struct Loaded {
    /// The snapshot file, absolute: generated code includes it so that cargo rebuilds on edits.
    pub(crate) file: PathBuf,
    /// The file as messages name it: relative to the crate when it is inside it.
    pub(crate) shown: String,
    pub(crate) snapshot: Arc<Snapshot>,
}

/// The snapshot of `model`'s server model, when a directory is configured; errors (an unreadable
/// or unknown-format file, a model the directory lacks) are reported at the model's name.
pub(crate) fn load(model: &Model<'_>, cx: &mut Ctxt) -> Option<Loaded> {
    let (dir, origin, span) = match &model.schema {
        Some(lit) if lit.value().is_empty() => return None, // reported by `attr`
        Some(lit) => (lit.value(), "#[taskflow(schema)]", lit.span()),
        None => match std::env::var(ENV) {
            Ok(dir) if !dir.is_empty() => (dir, ENV, model.model_span),
            _ => return None,
        },
    };
    if model.model.is_empty() {
        return None; // a missing model name was reported already
    }
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let dir = match &manifest {
        Some(root) => root.join(&dir),
        None => PathBuf::from(&dir),
    };
    let file = dir.join(taskflow_schema::snapshot_file_name(&model.model));
    let shown = shown(&file, manifest.as_deref());
    if file.to_str().is_none() {
        cx.error(
            span,
            format!("the schema snapshot path {shown} (from {origin}) is not UTF-8"),
        );
        return None;
    }
    if !file.is_file() {
        unknown_model(model, &dir, manifest.as_deref(), origin, span, cx);
        return None;
    }
    match read(&file) {
        Ok(snapshot) => Some(Loaded {
            file,
            shown,
            snapshot,
        }),
        Err(message) => {
            let message = message.replace(&file.display().to_string(), &shown);
            cx.error(span, format!("{message} (the schema snapshot of {origin})"));
            None
        }
    }
}

/// The model's file is missing: the model is unknown to the snapshot, or the directory is wrong.
fn unknown_model(
    model: &Model<'_>,
    dir: &Path,
    manifest: Option<&Path>,
    origin: &str,
    span: Span,
    cx: &mut Ctxt,
) {
    let shown_dir = shown(dir, manifest);
    let Ok(entries) = std::fs::read_dir(dir) else {
        cx.error(
            span,
            format!(
                "cannot read the schema snapshot directory {shown_dir} (from {origin}): pull one \
                 with `taskflow schema pull {} --out {shown_dir}`, or fix the path",
                model.model
            ),
        );
        return;
    };
    let mut models: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".json").map(str::to_owned)
        })
        .collect();
    models.sort();
    let candidates: Vec<&str> = models.iter().map(String::as_str).collect();
    let hint = match suggest::closest(&model.model, &candidates) {
        Some(close) => format!("did you mean `{close}`? "),
        None => String::new(),
    };
    cx.error(
        span,
        format!(
            "model `{}` is not in the schema snapshot {shown_dir} (from {origin}): {hint}If the \
             server has it, pull it with `taskflow schema pull {} --out {shown_dir}`",
            model.model, model.model
        ),
    );
}

/// `path` relative to the crate's directory when it is inside it, for stable messages.
fn shown(path: &Path, manifest: Option<&Path>) -> String {
    manifest
        .and_then(|root| path.strip_prefix(root).ok())
        .unwrap_or(path)
        .display()
        .to_string()
}

type Cache = HashMap<PathBuf, (Option<SystemTime>, u64, Arc<Snapshot>)>;

/// Reads and parses `file`, or returns the parse of an earlier expansion if the file is unchanged.
fn read(file: &Path) -> Result<Arc<Snapshot>, String> {
    static CACHE: Mutex<Option<Cache>> = Mutex::new(None);
    let meta =
        std::fs::metadata(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let stamp = (meta.modified().ok(), meta.len());
    let mut cache = CACHE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let cache = cache.get_or_insert_with(HashMap::new);
    if let Some((modified, len, snapshot)) = cache.get(file) {
        if (*modified, *len) == stamp && stamp.0.is_some() {
            return Ok(Arc::clone(snapshot));
        }
    }
    let snapshot = Snapshot::read(file).map_err(|e| {
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(cause) = source {
            message.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        message
    })?;
    let snapshot = Arc::new(snapshot);
    cache.insert(
        file.to_path_buf(),
        (stamp.0, stamp.1, Arc::clone(&snapshot)),
    );
    Ok(snapshot)
}
