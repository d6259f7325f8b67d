//! `taskflow schema pull` and `taskflow check`, run as the real binary against an embedded server
//! (issue 15). Each case pulls nothing itself: it copies one snapshot pulled as admin, edits it to
//! look like an older schema, and checks the exit status and the line the change prints.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use taskflow_schema::{FieldSpec, Snapshot};
use taskflow_server::{Credentials, TestServer};

/// The embedded server, on a runtime of its own that lives as long as the test process: the
/// binary under test talks to it over loopback while the test thread waits for the child.
struct Server {
    _runtime: tokio::runtime::Runtime,
    server: TestServer,
}

fn server() -> &'static TestServer {
    static SERVER: OnceLock<Server> = OnceLock::new();
    &SERVER
        .get_or_init(|| {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("a tokio runtime");
            let server = runtime
                .block_on(TestServer::start())
                .expect("the embedded server starts");
            Server {
                _runtime: runtime,
                server,
            }
        })
        .server
}

/// What a run of the binary left.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Panics, showing the whole run, unless stdout has exactly this line.
    fn has_line(&self, line: &str) -> &Run {
        assert!(
            self.stdout.lines().any(|l| l == line),
            "no line {line:?} on stdout:\n{self:#?}"
        );
        self
    }

    fn exited(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "{self:#?}");
        self
    }
}

/// `taskflow ARGS` with only PATH and HOME of this environment, connecting as `user` when
/// given (no TASKFLOW_* variable at all otherwise).
fn taskflow(user: Option<&Credentials>, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_taskflow"));
    command.args(args).env_clear().env("NO_COLOR", "1");
    for keep in ["PATH", "HOME"] {
        if let Some(value) = std::env::var_os(keep) {
            command.env(keep, value);
        }
    }
    if let Some(user) = user {
        let server = server();
        command
            .env("TASKFLOW_URL", server.url())
            .env("TASKFLOW_DB", server.db())
            .env("TASKFLOW_USER", &user.login)
            .env("TASKFLOW_PASSWORD", &user.password);
    }
    let output = command.output().expect("the taskflow binary runs");
    Run {
        code: output.status.code().expect("taskflow exits, not killed"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    }
}

fn admin() -> Credentials {
    server().admin()
}

fn demo() -> Credentials {
    server().demo()
}

/// A fresh directory under the system's temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "taskflow-cli-check-{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn arg(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temp dir")
    }

    fn file(&self, model: &str) -> PathBuf {
        self.0.join(taskflow_schema::snapshot_file_name(model))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const MODELS: [&str; 2] = ["crm.lead", "crm.tag"];

/// `schema pull crm.lead crm.tag --out DIR` as `user`, which must succeed.
fn pull(user: &Credentials, dir: &TempDir) {
    let mut args = vec!["schema", "pull"];
    args.extend(MODELS);
    args.extend(["--out", dir.arg()]);
    taskflow(Some(user), &args).exited(0);
}

/// The snapshots of crm.lead and crm.tag as admin pulled them, once for all tests.
fn pulled() -> &'static [(String, Vec<u8>)] {
    static PULLED: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    PULLED.get_or_init(|| {
        let dir = TempDir::new("pulled");
        pull(&admin(), &dir);
        MODELS
            .iter()
            .map(|m| (m.to_string(), std::fs::read(dir.file(m)).unwrap()))
            .collect()
    })
}

/// A snapshot directory as admin pulled it.
fn snapshots(name: &str) -> TempDir {
    let dir = TempDir::new(name);
    for (model, bytes) in pulled() {
        std::fs::write(dir.file(model), bytes).unwrap();
    }
    dir
}

/// Edits the snapshot of `model` in `dir`: the schema as it was when it was pulled.
fn edit(dir: &TempDir, model: &str, change: impl FnOnce(&mut Snapshot)) {
    let path = dir.file(model);
    let mut snapshot = Snapshot::from_json(&std::fs::read(&path).unwrap()).unwrap();
    change(&mut snapshot);
    std::fs::write(&path, snapshot.to_json()).unwrap();
}

fn field<'a>(snapshot: &'a mut Snapshot, name: &str) -> &'a mut FieldSpec {
    snapshot
        .fields
        .get_mut(name)
        .unwrap_or_else(|| panic!("{} has no field {name}", snapshot.model))
}

/// `check --schema DIR` as admin, after editing `model`'s snapshot with `change`.
fn check_after(name: &str, model: &str, change: impl FnOnce(&mut Snapshot)) -> Run {
    let dir = snapshots(name);
    edit(&dir, model, change);
    taskflow(Some(&admin()), &["check", "--schema", dir.arg()])
}

// --- schema pull -------------------------------------------------------------------------

#[test]
fn pull_writes_one_deterministic_file_per_model_with_who_pulled_it() {
    let first = TempDir::new("pull-1");
    let second = TempDir::new("pull-2");
    pull(&admin(), &first);
    pull(&admin(), &second);
    for model in MODELS {
        let bytes = std::fs::read(first.file(model)).unwrap();
        assert_eq!(
            bytes,
            std::fs::read(second.file(model)).unwrap(),
            "{model}: two pulls differ"
        );
        let snapshot = Snapshot::from_json(&bytes).unwrap();
        assert_eq!(snapshot.model, model);
        // The canonical form (sorted keys at every level) is what was written.
        assert_eq!(
            snapshot.to_json().as_bytes(),
            bytes,
            "{model}: keys not sorted"
        );
        let text = String::from_utf8(bytes).unwrap();
        let positions: Vec<usize> = ["\"fields\"", "\"format\"", "\"model\"", "\"pulled_by\""]
            .iter()
            .map(|key| {
                text.find(key)
                    .unwrap_or_else(|| panic!("{model}: no {key}"))
            })
            .collect();
        assert!(positions.is_sorted(), "{model}: {positions:?}");
        let names: Vec<&String> = snapshot.fields.keys().collect();
        assert!(names.is_sorted());
        assert!(snapshot.fields.len() > 1, "{model}: {names:?}");

        assert_eq!(snapshot.pulled_by.login, "admin");
        assert_eq!(snapshot.pulled_by.database, server().db());
        assert_eq!(snapshot.pulled_by.uid, admin().uid);
    }
}

#[test]
fn pull_all_as_demo_says_it_needs_ir_model() {
    let dir = TempDir::new("pull-all-demo");
    let run = taskflow(
        Some(&demo()),
        &["schema", "pull", "--all", "--out", dir.arg()],
    );
    run.exited(2);
    assert!(
        run.stderr.contains("--all needs the model list") && run.stderr.contains("ir.model"),
        "{run:#?}"
    );
    assert!(!dir.file("crm.lead").exists());
}

#[test]
fn pull_all_as_admin_writes_one_file_per_model() {
    let dir = TempDir::new("pull-all-admin");
    taskflow(
        Some(&admin()),
        &["schema", "pull", "--all", "--out", dir.arg()],
    )
    .exited(0);

    // The models `taskflow models` lists: the table's first column, below its header.
    let listed = taskflow(Some(&admin()), &["models"]);
    listed.exited(0);
    let mut models: Vec<String> = listed
        .stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    models.sort();
    assert!(models.len() > 2, "{listed:#?}");

    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let mut expected: Vec<String> = models
        .iter()
        .map(|m| taskflow_schema::snapshot_file_name(m))
        .collect();
    expected.sort();
    assert_eq!(files, expected);
    for model in &models {
        let snapshot = Snapshot::from_json(&std::fs::read(dir.file(model)).unwrap()).unwrap();
        assert_eq!(&snapshot.model, model);
    }
    // Every model reads back as it was written, res.users' group selections included.
    taskflow(Some(&admin()), &["check", "--schema", dir.arg()])
        .exited(0)
        .has_line(&format!("no change in {} models", models.len()));
}

// --- check: what changed -----------------------------------------------------------------

#[test]
fn no_change_exits_0() {
    let dir = snapshots("no-change");
    let run = taskflow(Some(&admin()), &["check", "--schema", dir.arg()]);
    run.exited(0).has_line("no change in 2 models");
    assert_eq!(run.stdout.lines().count(), 1, "{run:#?}");
    assert!(!run.stderr.contains("notice"), "{run:#?}");
}

#[test]
fn an_added_field_is_safe() {
    check_after("added-field", "crm.lead", |s| {
        s.fields.remove("email_from");
    })
    .exited(0)
    .has_line("safe     crm.lead.email_from: field added (char)")
    .has_line("1 change in 2 models, none breaking");
}

#[test]
fn a_removed_field_breaks() {
    check_after("removed-field", "crm.lead", |s| {
        let bogus = FieldSpec {
            type_name: "char".into(),
            ..s.fields["email_from"].clone()
        };
        s.fields.insert("x_bogus".into(), bogus);
    })
    .exited(1)
    .has_line("breaking crm.lead.x_bogus: field removed (was char)")
    .has_line("1 change in 2 models, 1 breaking");
}

#[test]
fn a_removed_model_breaks() {
    check_after("removed-model", "crm.tag", |s| s.model = "crm.gone".into())
        .exited(1)
        .has_line("breaking crm.gone: model removed");
}

#[test]
fn a_changed_type_breaks() {
    check_after("changed-type", "crm.lead", |s| {
        field(s, "email_from").type_name = "text".into();
    })
    .exited(1)
    .has_line("breaking crm.lead.email_from: type text -> char");
}

#[test]
fn a_changed_relation_breaks() {
    check_after("changed-relation", "crm.lead", |s| {
        field(s, "partner_id").relation = Some("res.users".into());
    })
    .exited(1)
    .has_line("breaking crm.lead.partner_id: relation res.users -> res.partner");
}

#[test]
fn a_field_that_became_required_breaks() {
    check_after("became-required", "crm.lead", |s| {
        let name = field(s, "name");
        assert!(name.required, "crm.lead.name is required on the server");
        name.required = false;
    })
    .exited(1)
    .has_line("breaking crm.lead.name: became required");
}

#[test]
fn a_field_no_longer_required_is_safe() {
    check_after("no-longer-required", "crm.lead", |s| {
        field(s, "email_from").required = true;
    })
    .exited(0)
    .has_line("safe     crm.lead.email_from: no longer required");
}

#[test]
fn an_added_selection_key_breaks() {
    check_after("selection-added", "crm.lead", |s| {
        let keys = field(s, "priority").selection.as_mut().unwrap();
        let at = keys
            .iter()
            .position(|(k, _)| k.as_str() == Some("3"))
            .expect("priority 3");
        keys.remove(at);
    })
    .exited(1)
    .has_line(r#"breaking crm.lead.priority: selection key "3" added"#);
}

#[test]
fn a_removed_selection_key_breaks() {
    check_after("selection-removed", "crm.lead", |s| {
        let keys = field(s, "priority").selection.as_mut().unwrap();
        keys.push(("4".into(), "Top".into()));
    })
    .exited(1)
    .has_line(r#"breaking crm.lead.priority: selection key "4" removed"#);
}

#[test]
fn a_label_change_is_safe() {
    check_after("label", "crm.lead", |s| {
        field(s, "partner_id").string = "Client".into();
    })
    .exited(0)
    .has_line(r#"safe     crm.lead.partner_id: label "Client" -> "Customer""#);
}

// --- check: when it cannot run, and who is checking -------------------------------------

#[test]
fn check_without_a_server_says_to_pass_url() {
    let dir = snapshots("no-server");
    let run = taskflow(None, &["check", "--schema", dir.arg()]);
    run.exited(2);
    assert!(
        run.stderr
            .contains("`taskflow check` needs a server: pass --url"),
        "{run:#?}"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn a_snapshot_of_an_unknown_format_fails_naming_the_file() {
    let dir = snapshots("unknown-format");
    let text = String::from_utf8(pulled()[0].1.clone()).unwrap();
    let newer = text.replacen("\"format\": 1,", "\"format\": 99,", 1);
    assert_ne!(newer, text);
    let path = dir.path().join("newer.json");
    std::fs::write(&path, newer).unwrap();
    let run = taskflow(Some(&admin()), &["check", "--schema", dir.arg()]);
    run.exited(2);
    assert!(
        run.stderr.contains(&path.display().to_string()) && run.stderr.contains("format 99"),
        "{run:#?}"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn checking_as_another_user_than_the_puller_says_so() {
    let dir = snapshots("other-user");
    let run = taskflow(Some(&demo()), &["check", "--schema", dir.arg()]);
    let notice = format!(
        "notice: crm.lead, crm.tag pulled by admin on database {db}, checked as demo on database {db}",
        db = server().db()
    );
    assert!(run.stderr.contains(&notice), "{run:#?}");
    assert!(
        run.stderr
            .contains("field visibility depends on the user's groups")
    );
    // The same schema pulled as demo has no such notice.
    let own = TempDir::new("own-user");
    pull(&demo(), &own);
    let run = taskflow(Some(&demo()), &["check", "--schema", own.arg()]);
    run.exited(0).has_line("no change in 2 models");
    assert!(!run.stderr.contains("pulled by"), "{run:#?}");
}

#[test]
fn a_model_the_user_may_not_read_cannot_be_checked() {
    // ir.model is for administrators only: pulled by admin, demo cannot check it.
    let dir = snapshots("refused");
    taskflow(
        Some(&admin()),
        &["schema", "pull", "ir.model", "--out", dir.arg()],
    )
    .exited(0);
    let run = taskflow(Some(&demo()), &["check", "--schema", dir.arg()]);
    // Nothing found breaks, but one model went unchecked: not a pass.
    run.exited(2)
        .has_line("no change in 2 models; 1 model not checked");
    assert!(
        run.stderr
            .contains("notice: cannot check ir.model: user demo may not read it")
            && run
                .stderr
                .contains("error: could not check 1 model (ir.model): user demo may not read it"),
        "{run:#?}"
    );

    // A breaking change found elsewhere is the answer: the build is broken either way.
    edit(&dir, "crm.tag", |s| s.model = "crm.gone".into());
    let run = taskflow(Some(&demo()), &["check", "--schema", dir.arg()]);
    run.exited(1)
        .has_line("breaking crm.gone: model removed")
        .has_line("1 change in 2 models, 1 breaking; 1 model not checked");
}
