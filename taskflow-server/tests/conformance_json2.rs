//! Conformance of JSON-2 (`/json/2/<model>/<method>`, Odoo 19): every applicable exchange
//! recorded from a real Odoo 19 server (`tests/fixtures/odoo-19-json2`) is replayed, in order,
//! against the embedded server in its 19 mode, and each answer is compared with the recorded
//! one: the HTTP status, the content type (and `WWW-Authenticate`), then the body. A value is
//! compared by shape (`support/shape.rs`, the XML-RPC replay's rules), an error object with
//! `support::json::compare_json2_error`, an HTML page byte for byte.
//!
//! Keys: the recording's `Authorization: bearer <API-KEY>` carries the key of its `auth_user`
//! (admin or demo); the replay sends that user's key on our server.
//!
//! Ids: the recording ran on a database whose earlier runs had used ids (its first probe lead
//! is 55, ours 45). [`REWRITTEN_IDS`] says which answer gives each recorded id, and every later
//! request's `ids` naming it name ours instead.

mod support;

use support::json;
use support::shape::{self, Lengths};
use taskflow_sdk::xmlrpc::Value;
use taskflow_server::{Mode, TestServer};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/odoo-19-json2"
);

/// Recorded exchanges not replayed, with the reason for each.
const SKIPPED: &[(&str, &str)] = &[
    (
        "005-version-module-versions",
        "ir.module.module: the embedded server has no module registry",
    ),
    (
        "020-web_search_read-specification",
        "web_search_read is the web client's reader (a specification of nested fields); out \
         of scope, the ORM methods are what RPC clients call",
    ),
    (
        "041-binary-read-bin_size",
        "the bin_size context (binary fields read as their size) is not implemented",
    ),
    (
        "043-error-UserError",
        "merge_opportunity: the embedded server does not merge leads, as in the JSON-RPC \
         replay (UserErrors are replayed by 010 and 042, 044)",
    ),
];

/// `(file whose answer gives the id, where in it, recorded id)`.
const REWRITTEN_IDS: &[(&str, &[&str], i64)] = &[
    ("021-create-single", &["0"], 55),
    ("022-create-batch", &["0"], 56),
    ("022-create-batch", &["1"], 57),
    ("022-create-batch", &["2"], 58),
    ("023-create-dict-vals_list", &["0"], 59),
    ("036-load-create", &["ids", "0"], 49),
    ("039-binary-create-image", &["0"], 51),
];

/// Seeded records standing in for recorded ones whose data differs in a way the shape shows:
/// `(exchange, recorded id, ours, why)`. The seed lines up with the recorded Odoo 17 database.
const SUBSTITUTED: &[(&str, i64, i64, &str)] = &[(
    "012-read",
    31,
    1,
    "the recorded lead 31 has a customer, ours has none; our lead 1 has one",
)];

/// How many recorded exchanges the replay compares.
const EXPECTED_COMPARED: usize = 56;

/// One recorded exchange.
struct Exchange {
    name: String,
    auth_user: String,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    /// The request body: JSON, or the exact text when it is not JSON.
    body: Option<Value>,
    body_raw: Option<String>,
    status: u16,
    response_headers: Vec<(String, String)>,
    response: Option<Value>,
    response_raw: Option<String>,
}

fn members(value: Option<&Value>) -> Vec<(String, String)> {
    match value {
        Some(Value::Struct(m)) => m
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
            .collect(),
        _ => vec![],
    }
}

fn exchanges() -> Vec<Exchange> {
    let mut files: Vec<String> = std::fs::read_dir(FIXTURES)
        .expect("the fixtures directory")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json") && n.as_bytes()[0].is_ascii_digit())
        .collect();
    files.sort();
    files
        .iter()
        .map(|file| {
            let text = std::fs::read(format!("{FIXTURES}/{file}")).expect("a fixture");
            let v = json::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
            let get = |path: &[&str]| {
                path.iter()
                    .try_fold(&v, |node, step| node.get(step))
                    .filter(|v| !matches!(v, Value::Nil))
                    .cloned()
            };
            let string = |path: &[&str]| {
                get(path)
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            };
            Exchange {
                name: string(&["name"]),
                auth_user: string(&["auth_user"]),
                method: string(&["request", "method"]),
                path: string(&["request", "path"]),
                headers: members(get(&["request", "headers"]).as_ref()),
                body: get(&["request", "body"]),
                body_raw: get(&["request", "body_raw"]).and_then(|v| v.as_str().map(str::to_owned)),
                status: get(&["response", "status"])
                    .and_then(|v| v.as_i64())
                    .expect("a status") as u16,
                response_headers: members(get(&["response", "headers"]).as_ref()),
                response: get(&["response", "body"]),
                response_raw: get(&["response", "body_raw"])
                    .and_then(|v| v.as_str().map(str::to_owned)),
            }
        })
        .collect()
}

fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |node, step| match node {
        Value::Array(items) => items.get(step.parse::<usize>().ok()?),
        Value::Struct(_) => node.get(step),
        _ => None,
    })
}

/// Every int of `value` that `rewrites` maps, mapped.
fn rewrite(value: &mut Value, rewrites: &[(i64, i64)]) {
    match value {
        Value::Int(i) => {
            if let Some((_, ours)) = rewrites.iter().find(|(recorded, _)| recorded == i) {
                *i = *ours;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, rewrites)),
        _ => {}
    }
}

struct Report {
    compared: usize,
    total: usize,
    failures: Vec<String>,
}

async fn replay() -> Report {
    let server = TestServer::builder()
        .database("taskflow19")
        .mode(Mode::Odoo19)
        .start()
        .await
        .expect("start the server");
    let keys = [
        ("admin", server.admin().api_key.expect("an admin key")),
        ("demo", server.demo().api_key.expect("a demo key")),
    ];
    let all = exchanges();
    let mut report = Report {
        compared: 0,
        total: all.len(),
        failures: Vec::new(),
    };
    let mut rewrites: Vec<(i64, i64)> = Vec::new();
    for x in &all {
        if SKIPPED.iter().any(|(name, _)| *name == x.name) {
            continue;
        }
        report.compared += 1;
        let headers: Vec<(String, String)> = x
            .headers
            .iter()
            .map(
                |(name, value)| match keys.iter().find(|(u, _)| *u == x.auth_user) {
                    Some((_, key)) if name == "Authorization" => {
                        (name.clone(), value.replace("<API-KEY>", key))
                    }
                    _ => (name.clone(), value.clone()),
                },
            )
            .collect();
        let body = match (&x.body, &x.body_raw) {
            (Some(body), _) => {
                let mut body = body.clone();
                if let Value::Struct(members) = &mut body {
                    for (key, value) in members.iter_mut() {
                        if key == "ids" {
                            rewrite(value, &rewrites);
                            let substitutes: Vec<(i64, i64)> = SUBSTITUTED
                                .iter()
                                .filter(|(name, ..)| *name == x.name)
                                .map(|&(_, recorded, ours, _)| (recorded, ours))
                                .collect();
                            rewrite(value, &substitutes);
                        }
                    }
                }
                json::to_json(&body).into_bytes()
            }
            (None, Some(raw)) => raw.clone().into_bytes(),
            (None, None) => Vec::new(),
        };
        let header_refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let response =
            support::http_with(server.addr(), &x.method, &x.path, &header_refs, &body).await;
        let fail = |report: &mut Report, message: String| {
            let got: String = String::from_utf8_lossy(&response.body)
                .chars()
                .take(400)
                .collect();
            report
                .failures
                .push(format!("{}: {message}\n    got: {got}", x.name));
        };
        if response.status != x.status {
            fail(
                &mut report,
                format!("HTTP {} expected, got {}", x.status, response.status),
            );
            continue;
        }
        let mut headers_ok = true;
        for (name, expected) in &x.response_headers {
            if !matches!(name.as_str(), "Content-Type" | "WWW-Authenticate") {
                continue; // the session cookie of /web/version: a client ignores it
            }
            let actual = response.header(&name.to_ascii_lowercase()).unwrap_or("");
            if actual != expected.trim() {
                fail(
                    &mut report,
                    format!("{name}: {expected:?} expected, got {actual:?}"),
                );
                headers_ok = false;
            }
        }
        if !headers_ok {
            continue;
        }
        if let Some(raw) = &x.response_raw {
            if response.body != raw.as_bytes() {
                fail(&mut report, format!("the page {raw:?} expected"));
            }
            continue;
        }
        let Some(expected) = &x.response else {
            fail(&mut report, "no recorded body".into());
            continue;
        };
        let actual = match json::parse(&response.body) {
            Ok(actual) => actual,
            Err(e) => {
                fail(&mut report, format!("not JSON ({e})"));
                continue;
            }
        };
        for (name, path, recorded_id) in REWRITTEN_IDS {
            if *name != x.name {
                continue;
            }
            match at(&actual, path) {
                Some(Value::Int(ours)) => rewrites.push((*recorded_id, *ours)),
                other => fail(&mut report, format!("no id at {path:?}: {other:?}")),
            }
        }
        let method = x.path.rsplit('/').next().unwrap_or_default();
        let compared = if x.status == 200 {
            shape::compare(expected, &actual, Lengths::for_method(method))
        } else {
            json::compare_json2_error(expected, &actual)
        };
        if let Err(m) = compared {
            fail(&mut report, m.to_string());
        }
    }
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recorded_exchanges_get_answers_of_the_recorded_shape() {
    let report = replay().await;
    assert!(
        report.failures.is_empty(),
        "{} of {} replayed exchanges differ from the recording:\n{}",
        report.failures.len(),
        report.compared,
        report.failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_compares_every_exchange_but_the_skip_list() {
    let report = replay().await;
    assert_eq!(report.total, 60, "the recording has 60 exchanges");
    assert_eq!(report.compared, EXPECTED_COMPARED);
    assert_eq!(report.compared + SKIPPED.len(), report.total);
    for (name, reason) in SKIPPED {
        assert!(
            std::path::Path::new(&format!("{FIXTURES}/{name}.json")).exists(),
            "skipped exchange {name} does not exist"
        );
        assert!(!reason.is_empty());
    }
}

fn recorded(name: &str) -> Value {
    let x = exchanges()
        .into_iter()
        .find(|x| x.name == name)
        .expect("a recorded exchange");
    x.response.expect("a JSON body")
}

#[test]
fn the_error_comparator_accepts_the_recording_and_rejects_alterations() {
    let error = recorded("049-error-unknown-method");
    json::compare_json2_error(&error, &error).expect("a recording has its own shape");
    let altered = |path: &str, value: Value| {
        let mut v = error.clone();
        if let Value::Struct(members) = &mut v {
            for (k, old) in members.iter_mut() {
                if k == path {
                    *old = value.clone();
                }
            }
        }
        v
    };
    for (member, value) in [
        ("name", Value::from("odoo.exceptions.UserError")),
        (
            "message",
            Value::from("Record does not exist or has been deleted."),
        ),
        (
            "arguments",
            Value::Array(vec![Value::from("The method"), Value::Int(422)]),
        ),
        ("arguments", Value::Array(vec![Value::from("The method")])),
        ("context", Value::Bool(false)),
        (
            "debug",
            Value::from("Traceback (most recent call last):\n  File \"x\"\nValueError: x\n"),
        ),
    ] {
        assert!(
            json::compare_json2_error(&error, &altered(member, value.clone())).is_err(),
            "{member} = {value:?} accepted"
        );
    }
    // Source lines and carets under the frames (Python 3.11) are not the exception line.
    let lang = recorded("010-context-lang-not-installed");
    let debug = lang
        .get("debug")
        .and_then(Value::as_str)
        .unwrap_or_default();
    assert_eq!(
        json::exception_type(debug).as_deref(),
        Some("odoo.exceptions.UserError")
    );
}
