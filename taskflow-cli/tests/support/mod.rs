//! Runs the real `taskflow` binary against an embedded server started by the test, with a clean
//! environment: only what the test passes (and PATH), so the developer's TASKFLOW_* variables
//! never leak in.

#![allow(dead_code)] // each test crate uses a part

use std::io::Write;
use std::process::{Command, Stdio};

use taskflow_server::TestServer;

/// An embedded server on its own runtime, alive as long as the value.
pub struct Server {
    pub server: TestServer,
    _runtime: tokio::runtime::Runtime,
}

impl Server {
    pub fn start() -> Server {
        Server::start_in(taskflow_server::Mode::TaskFlow)
    }

    /// A server answering as `mode` (version 19 for JSON-2).
    pub fn start_in(mode: taskflow_server::Mode) -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime
            .block_on(TestServer::builder().mode(mode).start())
            .unwrap();
        Server {
            server,
            _runtime: runtime,
        }
    }

    /// The TASKFLOW_* variables naming this server, as `login`/`password`.
    pub fn env(&self, login: &str, password: &str) -> Vec<(String, String)> {
        vec![
            ("TASKFLOW_URL".into(), self.server.url()),
            ("TASKFLOW_DB".into(), self.server.db().into()),
            ("TASKFLOW_USER".into(), login.into()),
            ("TASKFLOW_PASSWORD".into(), password.into()),
        ]
    }

    pub fn admin(&self) -> Vec<(String, String)> {
        self.env("admin", "admin")
    }

    pub fn demo(&self) -> Vec<(String, String)> {
        self.env("demo", "demo")
    }
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `taskflow args...` with exactly `env` (plus PATH), standard input from `stdin` (or
/// closed), and waits for it.
pub fn taskflow(args: &[&str], env: &[(String, String)], stdin: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_taskflow"));
    command
        .args(args)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    let mut child = command.spawn().expect("the taskflow binary runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// A fresh directory under the system's temp dir, removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("taskflow-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
