//! Shared helpers of the codec's integration tests: the recorded fixtures, and Python's
//! `xmlrpc.client` as an independent peer.
//!
//! Both sides turn a decoded document into the same tagged JSON tree, so that a comparison is
//! structural and exact: ints as decimal text, doubles as their IEEE-754 bits, struct members as
//! ordered `[name, value]` pairs.

#![allow(dead_code)] // Each test crate uses a different part of this module.

pub mod spacing;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{Value as J, json};
use taskflow_sdk::xmlrpc::Value;

/// The recorded Odoo 17 transcripts.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/odoo-17"
    ))
}

/// Every `*.request.xml` and `*.response.xml` fixture, sorted by name, with its bytes.
pub fn fixtures() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(fixtures_dir())
        .expect("the fixtures directory is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "xml"))
        .map(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("fixture names are UTF-8")
                .to_owned();
            let bytes = std::fs::read(&path).expect("fixture is readable");
            (name, bytes)
        })
        .collect();
    files.sort();
    files
}

/// One fixture by its full file name.
pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixtures_dir().join(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// Python source of `tag(v)`: a value loaded by `xmlrpc.client` as a tagged JSON tree. It accepts
/// both the default types (`DateTime`, `Binary`) and the builtin ones (`datetime`, `bytes`).
pub const PY_TAG: &str = r#"
import datetime, json, struct, sys
import xmlrpc.client as xc

def tag(v):
    if v is None:
        return {"t": "nil"}
    if isinstance(v, bool):
        return {"t": "bool", "v": v}
    if isinstance(v, int):
        return {"t": "int", "v": str(v)}
    if isinstance(v, float):
        return {"t": "double", "v": struct.pack(">d", v).hex()}
    if isinstance(v, str):
        return {"t": "str", "v": v}
    if isinstance(v, xc.DateTime):
        return {"t": "datetime", "v": v.value}
    if isinstance(v, datetime.datetime):
        return {"t": "datetime", "v": "%04d%02d%02dT%02d:%02d:%02d" % (
            v.year, v.month, v.day, v.hour, v.minute, v.second)}
    if isinstance(v, xc.Binary):
        return {"t": "base64", "v": v.data.hex()}
    if isinstance(v, (bytes, bytearray)):
        return {"t": "base64", "v": bytes(v).hex()}
    if isinstance(v, dict):
        return {"t": "struct", "v": [[k, tag(w)] for k, w in v.items()]}
    if isinstance(v, (list, tuple)):
        return {"t": "array", "v": [tag(w) for w in v]}
    raise TypeError("unexpected type from xmlrpc.client: %r" % type(v))
"#;

/// Runs `python3 -c script` with `stdin`, returning stdout. Panics (the test fails, it does not
/// skip) when `python3` is missing or the script fails.
pub fn run_python(script: &str, args: &[&str], stdin: &[u8]) -> String {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("python3 is required for the interop tests and could not be started: {e}")
        });
    let mut input = child.stdin.take().expect("stdin is piped");
    let stdin = stdin.to_vec();
    // Write from another thread so a large stdout cannot deadlock against a full stdin pipe.
    let writer = std::thread::spawn(move || input.write_all(&stdin));
    let output = child.wait_with_output().expect("python3 ran");
    writer
        .join()
        .expect("stdin writer did not panic")
        .expect("stdin was written");
    assert!(
        output.status.success(),
        "python3 failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("python3 printed UTF-8")
}

/// The tagged tree of one of our values, in the shape `PY_TAG` prints.
pub fn tree(value: &Value) -> J {
    match value {
        Value::Int(i) => json!({"t": "int", "v": i.to_string()}),
        Value::Bool(b) => json!({"t": "bool", "v": b}),
        Value::String(s) => json!({"t": "str", "v": s}),
        Value::Double(d) => json!({"t": "double", "v": double_bits(*d)}),
        Value::DateTime(s) => json!({"t": "datetime", "v": s}),
        Value::Base64(b) => json!({"t": "base64", "v": hex(b)}),
        Value::Struct(members) => json!({
            "t": "struct",
            "v": members.iter().map(|(k, v)| json!([k, tree(v)])).collect::<Vec<_>>(),
        }),
        Value::Array(items) => {
            json!({"t": "array", "v": items.iter().map(tree).collect::<Vec<_>>()})
        }
        Value::Nil => json!({"t": "nil"}),
    }
}

/// The bits of a double as 16 hex digits (big-endian), as Python's `struct.pack(">d", v).hex()`.
pub fn double_bits(d: f64) -> String {
    format!("{:016x}", d.to_bits())
}

/// Lower-case hex of bytes, as Python's `bytes.hex()`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
