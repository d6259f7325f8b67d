//! Cargo rebuilds a checked crate when its schema snapshot changes or `TASKFLOW_SCHEMA_DIR`
//! does, though no source file changed: the expansion includes the snapshot file and reads the
//! variable with `option_env!`, which rustc records as dependencies (stable proc macros cannot
//! declare them).
//!
//! A small crate in `target/tests/schema-rebuild` is built by a child cargo, with its own target
//! directory there: the first run compiles the SDK's dependencies once, later runs are
//! incremental.

use std::path::{Path, PathBuf};
use std::process::Command;

const MAIN: &str = r#"
use taskflow_sdk::{Id, TaskflowModel};

#[derive(TaskflowModel, Debug)]
#[taskflow(model = "crm.lead")]
pub struct Lead {
    pub id: Id<Lead>,
    pub name: String,
    pub contact_name: Option<String>,
}

fn main() {
    let _ = Lead::values().name("x").contact_name("y");
}
"#;

struct Project {
    dir: PathBuf,
}

impl Project {
    fn new() -> Project {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let workspace = manifest.parent().unwrap();
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace.join("target"));
        let dir = target.join("tests").join("schema-rebuild");
        std::fs::create_dir_all(dir.join("src")).unwrap();
        let sdk = workspace.join("taskflow-sdk");
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"schema-rebuild\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
                 publish = false\n\n[dependencies]\ntaskflow-sdk = {{ path = {:?} }}\n\n\
                 [workspace]\n",
                sdk.display().to_string()
            ),
        )
        .unwrap();
        std::fs::write(dir.join("src/main.rs"), MAIN).unwrap();
        let project = Project { dir };
        project.snapshot("schema", |_| {});
        project
    }

    /// Writes crm.lead's snapshot into `dir` (relative to the project), edited by `edit`.
    fn snapshot(&self, dir: &str, edit: impl FnOnce(&mut String)) {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schema/crm.lead.json");
        let mut text = std::fs::read_to_string(source).unwrap();
        edit(&mut text);
        std::fs::create_dir_all(self.dir.join(dir)).unwrap();
        std::fs::write(self.dir.join(dir).join("crm.lead.json"), text).unwrap();
    }

    /// `cargo build` with `TASKFLOW_SCHEMA_DIR` set to `schema_dir` (or unset): its stderr, and
    /// whether it succeeded.
    fn build(&self, schema_dir: Option<&str>) -> (bool, String) {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .arg("build")
            .arg("--quiet")
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .env_remove("TASKFLOW_SCHEMA_DIR")
            .env_remove("RUSTFLAGS");
        if let Some(dir) = schema_dir {
            command.env("TASKFLOW_SCHEMA_DIR", dir);
        }
        let output = command.output().expect("cargo runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }
}

#[test]
fn editing_the_snapshot_or_the_variable_rebuilds() {
    let project = Project::new();
    let (ok, stderr) = project.build(Some("schema"));
    assert!(ok, "the model fits the recorded snapshot: {stderr}");

    // The server renamed the field: only the snapshot changes.
    project.snapshot("schema", |text| {
        *text = text.replace("\"contact_name\": {", "\"contact_full_name\": {");
    });
    let (ok, stderr) = project.build(Some("schema"));
    assert!(!ok, "an edited snapshot rebuilds the crate");
    assert!(
        stderr.contains("no field `contact_name` on `crm.lead` in the schema snapshot"),
        "{stderr}"
    );

    project.snapshot("schema", |_| {});
    let (ok, stderr) = project.build(Some("schema"));
    assert!(ok, "the restored snapshot rebuilds it again: {stderr}");

    // Another directory, where `name` is an integer: only the variable changes.
    project.snapshot("other-schema", |text| {
        *text = text.replace(
            "\"string\": \"Opportunity\",\n      \"type\": \"char\"",
            "\"string\": \"Opportunity\",\n      \"type\": \"integer\"",
        );
    });
    let (ok, stderr) = project.build(Some("other-schema"));
    assert!(!ok, "a changed TASKFLOW_SCHEMA_DIR rebuilds the crate");
    assert!(
        stderr.contains("`crm.lead.name` is an integer field"),
        "{stderr}"
    );

    // Unset: nothing is checked.
    let (ok, stderr) = project.build(None);
    assert!(ok, "without the variable nothing is checked: {stderr}");
    // And setting it where it was unset rebuilds too.
    let (ok, stderr) = project.build(Some("other-schema"));
    assert!(!ok, "setting TASKFLOW_SCHEMA_DIR rebuilds the crate");
    assert!(
        stderr.contains("`crm.lead.name` is an integer field"),
        "{stderr}"
    );
}
