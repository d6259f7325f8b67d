//! Interop with an independent JSON-2 client: `tests/json2_interop.py`, written with Python's
//! standard library from the odoo-19-json2 recordings, against the embedded server's 19 mode
//! (create, search_read, x2many commands, load, fields_get, unlink, and the error statuses).

use std::process::Command;

use taskflow_server::{Mode, TestServer};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/json2_interop.py");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stdlib_python_client_speaks_json2_with_the_19_mode() {
    let server = TestServer::builder()
        .mode(Mode::Odoo19)
        .start()
        .await
        .expect("start the server");
    let (url, db) = (server.url(), server.db().to_owned());
    let admin = server.admin().api_key.expect("19 has API keys");
    let demo = server.demo().api_key.expect("19 has API keys");
    let out = tokio::task::spawn_blocking(move || {
        Command::new("python3")
            .arg(SCRIPT)
            .arg(&url)
            .arg(&db)
            // Keys in the environment, never on a command line.
            .env("TASKFLOW_ADMIN_API_KEY", admin)
            .env("TASKFLOW_DEMO_API_KEY", demo)
            .env("NO_PROXY", "127.0.0.1")
            .env("no_proxy", "127.0.0.1")
            .output()
            .expect("python3 runs")
    })
    .await
    .expect("the script's thread");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "json2 interop failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    assert!(stdout.contains("json2 interop passed"), "{stdout}");
    let seen = server.requests();
    assert!(
        seen.json2 >= 20 && seen.xmlrpc + seen.jsonrpc == 0,
        "{seen}"
    );
}
