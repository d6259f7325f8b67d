//! A directory of snapshots, one `<model>.json` per model.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::SchemaError;
use crate::snapshot::Snapshot;

/// The file a model's snapshot goes in: `crm.lead.json`.
pub fn snapshot_file_name(model: &str) -> String {
    format!("{model}.json")
}

/// Reads every `*.json` snapshot of `dir`, sorted by model name.
///
/// Fails on the first file that is not a snapshot of this format, naming it, on two files
/// holding the same model, and on a directory with no snapshot at all (an empty or mistyped
/// `--schema` path is a mistake, not a schema without models).
pub fn read_dir(dir: &Path) -> Result<Vec<Snapshot>, SchemaError> {
    let read_err = |source| SchemaError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_err)? {
        let path = entry.map_err(read_err)?.path();
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    let mut by_model: BTreeMap<String, (PathBuf, Snapshot)> = BTreeMap::new();
    for path in files {
        let snapshot = Snapshot::read(&path)?;
        if let Some((first, _)) = by_model.get(&snapshot.model) {
            return Err(SchemaError::DuplicateModel {
                model: snapshot.model,
                first: first.clone(),
                second: path,
            });
        }
        by_model.insert(snapshot.model.clone(), (path, snapshot));
    }
    if by_model.is_empty() {
        return Err(SchemaError::Empty {
            dir: dir.to_path_buf(),
        });
    }
    Ok(by_model.into_values().map(|(_, s)| s).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system's temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let dir =
                std::env::temp_dir().join(format!("taskflow-schema-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn snapshot(model: &str) -> String {
        format!(
            r#"{{"fields": {{}}, "format": 1, "model": "{model}",
               "pulled_by": {{"database": "d", "login": "admin", "uid": 2}}, "server_version": "17.0"}}"#
        )
    }

    #[test]
    fn reads_every_snapshot_sorted_by_model_and_ignores_other_files() {
        let dir = TempDir::new("sorted");
        std::fs::write(dir.0.join("b.json"), snapshot("res.partner")).unwrap();
        std::fs::write(dir.0.join("a.json"), snapshot("crm.lead")).unwrap();
        std::fs::write(dir.0.join("README.md"), "not a snapshot").unwrap();
        let models: Vec<String> = read_dir(&dir.0)
            .unwrap()
            .into_iter()
            .map(|s| s.model)
            .collect();
        assert_eq!(models, ["crm.lead", "res.partner"]);
    }

    #[test]
    fn errors_name_the_file() {
        let dir = TempDir::new("errors");
        std::fs::write(dir.0.join("crm.lead.json"), snapshot("crm.lead")).unwrap();
        std::fs::write(dir.0.join("bad.json"), "{\"format\": 2}").unwrap();
        let err = read_dir(&dir.0).unwrap_err();
        assert!(
            matches!(err, SchemaError::UnknownFormat { found: 2, .. }),
            "{err:?}"
        );
        assert_eq!(err.path(), Some(dir.0.join("bad.json").as_path()));
        assert!(
            err.to_string()
                .starts_with(&dir.0.join("bad.json").display().to_string()),
            "{err}"
        );

        std::fs::write(dir.0.join("bad.json"), snapshot("crm.lead")).unwrap();
        let err = read_dir(&dir.0).unwrap_err();
        assert!(matches!(err, SchemaError::DuplicateModel { .. }), "{err:?}");
    }

    #[test]
    fn an_empty_or_missing_directory_is_an_error() {
        let dir = TempDir::new("empty");
        let err = read_dir(&dir.0).unwrap_err();
        assert!(matches!(err, SchemaError::Empty { .. }), "{err:?}");
        assert!(err.to_string().contains("taskflow schema pull"), "{err}");
        let err = read_dir(&dir.0.join("missing")).unwrap_err();
        assert!(matches!(err, SchemaError::Read { .. }), "{err:?}");
    }
}
