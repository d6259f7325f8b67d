//! Why a snapshot could not be read; each error names the file.

use std::path::{Path, PathBuf};

/// A snapshot that could not be read. Every variant names the file (when the snapshot came
/// from one) and says what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// The file or directory could not be read.
    #[error("cannot read the schema snapshot {}", path.display())]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The text is not a snapshot: malformed JSON, or a missing or mistyped key.
    #[error(
        "{}is not a TaskFlow schema snapshot (pull it again with `taskflow schema pull`)",
        at(path)
    )]
    Parse {
        /// The file, when the snapshot came from one.
        path: Option<PathBuf>,
        /// What the JSON parser found.
        #[source]
        source: serde_json::Error,
    },
    /// The snapshot has no `format` key.
    #[error(
        "{}has no `format` key: it is not a TaskFlow schema snapshot",
        at(path)
    )]
    MissingFormat {
        /// The file, when the snapshot came from one.
        path: Option<PathBuf>,
    },
    /// The snapshot is in a format this version does not read.
    #[error(
        "{}is in snapshot format {found}, and this version reads format {}: pull it again with \
         this version's `taskflow schema pull`",
        at(path),
        crate::FORMAT_VERSION
    )]
    UnknownFormat {
        /// The file, when the snapshot came from one.
        path: Option<PathBuf>,
        /// The format it declares.
        found: u64,
    },
    /// Two files of a directory hold the same model.
    #[error("{} and {} both hold model `{model}`: keep one", first.display(), second.display())]
    DuplicateModel {
        /// The model.
        model: String,
        /// The first file holding it.
        first: PathBuf,
        /// The second.
        second: PathBuf,
    },
    /// A directory holds no `*.json` snapshot.
    #[error("{} holds no schema snapshot (*.json): run `taskflow schema pull --out {}` first", dir.display(), dir.display())]
    Empty {
        /// The directory.
        dir: PathBuf,
    },
}

impl SchemaError {
    /// The error, naming `path` as the file it came from.
    pub(crate) fn in_file(self, file: &Path) -> SchemaError {
        let named = Some(file.to_path_buf());
        match self {
            SchemaError::Parse { source, .. } => SchemaError::Parse {
                path: named,
                source,
            },
            SchemaError::MissingFormat { .. } => SchemaError::MissingFormat { path: named },
            SchemaError::UnknownFormat { found, .. } => {
                SchemaError::UnknownFormat { path: named, found }
            }
            other => other,
        }
    }

    /// The file the error is about, when there is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            SchemaError::Read { path, .. } => Some(path),
            SchemaError::Parse { path, .. }
            | SchemaError::MissingFormat { path }
            | SchemaError::UnknownFormat { path, .. } => path.as_deref(),
            SchemaError::DuplicateModel { second, .. } => Some(second),
            SchemaError::Empty { dir } => Some(dir),
        }
    }
}

/// `"path: "`, or nothing for a snapshot that did not come from a file.
fn at(path: &Option<PathBuf>) -> String {
    match path {
        Some(path) => format!("{}: ", path.display()),
        None => "the snapshot ".to_owned(),
    }
}
