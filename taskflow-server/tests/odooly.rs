//! Interop with odooly, an independent Python client of Odoo's JSON APIs: its own requests,
//! against the embedded server, over `/jsonrpc` and over the web client's routes
//! (`tests/odooly_interop.py` says what it checks).
//!
//! odooly is a test requirement like python3 itself (CI installs it, `.ci/run`): without it
//! these tests fail and say how to install it, rather than pass without checking anything.

use std::path::Path;
use std::process::Command;

use taskflow_server::{Mode, TestServer};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/odooly_interop.py");

fn require_odooly() {
    let probe = Command::new("python3")
        .args(["-c", "import odooly"])
        .output();
    match probe {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "odooly is not importable by python3: `python3 -m pip install odooly` (or \
             `pip install odooly`) to run the interop tests\n{}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => {
            panic!("python3 is needed for the odooly interop tests ({e}); then pip install odooly")
        }
    }
}

/// Runs the script against `url`, off the runtime's threads (the server answers on them).
async fn run_script(url: String, db: String) {
    assert!(Path::new(SCRIPT).exists(), "{SCRIPT} is missing");
    let out = tokio::task::spawn_blocking(move || {
        Command::new("python3")
            .arg(SCRIPT)
            .arg(&url)
            .arg(&db)
            // The script talks to the embedded server only: no proxy in between.
            .env("NO_PROXY", "127.0.0.1")
            .env("no_proxy", "127.0.0.1")
            .output()
            .expect("run python3")
    })
    .await
    .expect("the script's thread");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "odooly interop failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    assert!(stdout.contains("odooly interop passed"), "{stdout}");
}

async fn server() -> TestServer {
    TestServer::builder()
        .mode(Mode::Odoo17)
        .start()
        .await
        .expect("start the server")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odooly_over_jsonrpc() {
    require_odooly();
    let server = server().await;
    run_script(format!("{}/jsonrpc", server.url()), server.db().to_owned()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odooly_over_the_web_client_routes() {
    require_odooly();
    let server = server().await;
    run_script(server.url(), server.db().to_owned()).await;
}
