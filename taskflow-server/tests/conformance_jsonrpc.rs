//! Conformance of `/jsonrpc`: every applicable request recorded from a real Odoo 17 server
//! (`tests/fixtures/odoo-17-jsonrpc`) is replayed, in order, against the embedded server, and
//! each answer is compared with the recorded one by shape (`support/json.rs`, which follows the
//! XML-RPC replay's rules), its HTTP status and content type too.
//!
//! Ids: the recording ran after the XML-RPC one on the same database, so the records it creates
//! have later ids than ours do on a freshly seeded server (its lead 66 is our 45). The requests
//! that name them are rewritten: [`REWRITTEN_IDS`] says which answer gives each recorded id,
//! and every later request's `args` naming it name ours instead.

mod support;

use serde::Deserialize;
use support::json;
use support::shape::Lengths;
use taskflow_sdk::xmlrpc::Value;
use taskflow_server::{Mode, TestServer};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/odoo-17-jsonrpc"
);

/// Recorded files not replayed, with the reason for each.
const SKIPPED: &[(&str, &str)] = &[
    (
        "011-db-list-disabled",
        "recorded with list_db = False; the embedded server lists its database (clients such \
         as odooly ask /web/database/list), as the XML-RPC replay's db.list does",
    ),
    (
        "014-db-list-countries-wrong-master",
        "the embedded server has no master password and no database manager methods",
    ),
    (
        "025-crm-lead-read-all-fields",
        "as in the XML-RPC replay: values computed by modules that do not exist here (mail, \
         activities, phone_validation, iap enrichment)",
    ),
    (
        "080-err-user-error",
        "merge_opportunity: the embedded server does not merge leads (the UserError classes \
         are tested by 076, unknown model, and the ValidationErrors 081-083)",
    ),
    (
        "106-req-record-id-as-string",
        "a record id sent as a string: Odoo's read drops it (its SQL compares text with ids), \
         the embedded ORM refuses it with a TypeError, over XML-RPC as well",
    ),
    (
        "124-err-unknown-path",
        "the 404 page of Odoo's website module, 6 kB of HTML and cookies; ours is the plain \
         404 page the XML-RPC endpoints answer (the status is tested in jsonrpc.rs)",
    ),
];

/// `(file whose answer gives the id, where in its result, recorded id)`.
const REWRITTEN_IDS: &[(&str, &[&str], i64)] = &[
    ("021-crm-lead-create", &[], 66),
    ("022-crm-lead-create-batch", &["0"], 67),
    ("022-crm-lead-create-batch", &["1"], 68),
    ("051-res-partner-create-o2m-0", &[], 46),
    ("052-res-partner-read-o2m", &["0", "child_ids", "0"], 47),
    ("052-res-partner-read-o2m", &["0", "child_ids", "1"], 48),
];

/// The one deliberate difference, as in the XML-RPC replay: TaskFlow's `crm.lead` has two char
/// fields the recorded Odoo lacks. They are removed from our `fields_get` answer, only there.
const TASKFLOW_ADDITIONS: (&str, &[&str]) =
    ("015-crm-lead-fields-get", &["contact_surname", "fax"]);

/// How many recorded files the replay compares.
const EXPECTED_COMPARED: usize = 119;

#[derive(Deserialize)]
struct Entry {
    file: String,
    path: String,
    http_method: String,
    http_status: u16,
    request_headers: Vec<(String, String)>,
}

struct Report {
    compared: usize,
    total: usize,
    failures: Vec<String>,
}

fn read_fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

fn entries() -> Vec<Entry> {
    serde_json::from_slice(&read_fixture("index.json")).expect("index.json")
}

fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |node, step| match node {
        Value::Array(items) => items.get(step.parse::<usize>().ok()?),
        Value::Struct(_) => node.get(step),
        _ => None,
    })
}

fn at_mut<'a>(value: &'a mut Value, path: &[&str]) -> &'a mut Value {
    path.iter().fold(value, |node, step| match node {
        Value::Array(items) => &mut items[step.parse::<usize>().expect("an index")],
        Value::Struct(members) => {
            &mut members
                .iter_mut()
                .find(|(k, _)| k == step)
                .expect("a member")
                .1
        }
        other => panic!("cannot step into {other:?}"),
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
        Value::Struct(members) => members.iter_mut().for_each(|(_, v)| rewrite(v, rewrites)),
        _ => {}
    }
}

/// The model method a request calls (`execute_kw`'s), else its service method.
fn answer_method(request: &Value) -> String {
    let params = request.get("params");
    let method = params.and_then(|p| p.get("method")).and_then(Value::as_str);
    let args = params.and_then(|p| p.get("args"));
    match (method, args) {
        (Some("execute_kw" | "execute"), Some(args)) => at(args, &["4"])
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        (Some(method), _) => method.to_owned(),
        _ => String::new(),
    }
}

async fn replay() -> Report {
    let server = TestServer::builder()
        .database("taskflow")
        .mode(Mode::Odoo17)
        .start()
        .await
        .expect("start the server");
    let index = entries();
    let mut rewrites: Vec<(i64, i64)> = Vec::new();
    let mut report = Report {
        compared: 0,
        total: index.len(),
        failures: Vec::new(),
    };
    for entry in &index {
        if SKIPPED.iter().any(|(f, _)| *f == entry.file) {
            continue;
        }
        report.compared += 1;
        let mut body = read_fixture(&format!("{}.request.json", entry.file));
        let request = json::parse(&body).ok();
        let method = request.as_ref().map(answer_method).unwrap_or_default();
        if let Some(mut request) = request.filter(|_| !rewrites.is_empty()) {
            if let Some(args) = request.get("params").and_then(|p| p.get("args")).cloned() {
                let mut args = args;
                rewrite(&mut args, &rewrites);
                *at_mut(&mut request, &["params", "args"]) = args;
                body = json::to_json(&request).into_bytes();
            }
        }
        let headers: Vec<(&str, &str)> = entry
            .request_headers
            .iter()
            .filter(|(n, _)| n != "Host" && n != "Content-Length")
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let response = support::http_with(
            server.addr(),
            &entry.http_method,
            &entry.path,
            &headers,
            &body,
        )
        .await;
        let recorded = read_fixture(&format!("{}.response.json", entry.file));
        if response.status != entry.http_status {
            report.failures.push(format!(
                "{}: HTTP {} expected, got {}",
                entry.file, entry.http_status, response.status
            ));
            continue;
        }
        if response.header("connection") != Some("close") {
            report
                .failures
                .push(format!("{}: no `Connection: close`", entry.file));
        }
        if entry.http_status != 200 {
            // Refused before any route: the real server's short text or HTML page, which ours
            // reproduces byte for byte.
            if response.body != recorded
                || !response
                    .header("content-type")
                    .is_some_and(|c| c.starts_with("text/html"))
            {
                report.failures.push(format!(
                    "{}: the page {:?} expected, got {:?}",
                    entry.file,
                    String::from_utf8_lossy(&recorded),
                    String::from_utf8_lossy(&response.body)
                ));
            }
            continue;
        }
        if response.header("content-type") != Some("application/json; charset=utf-8")
            || response.header("x-content-type-options") != Some("nosniff")
        {
            report
                .failures
                .push(format!("{}: headers {:?}", entry.file, response.headers));
            continue;
        }
        let expected = json::parse(&recorded).expect("a recorded JSON answer");
        let mut actual = match json::parse(&response.body) {
            Ok(actual) => actual,
            Err(e) => {
                report
                    .failures
                    .push(format!("{}: not JSON ({e})", entry.file));
                continue;
            }
        };
        if entry.file == TASKFLOW_ADDITIONS.0 {
            if let Value::Struct(fields) = at_mut(&mut actual, &["result"]) {
                let before = fields.len();
                fields.retain(|(k, _)| !TASKFLOW_ADDITIONS.1.contains(&k.as_str()));
                assert_eq!(before - fields.len(), 2, "crm.lead has the TaskFlow fields");
            }
        }
        for (file, path, recorded_id) in REWRITTEN_IDS {
            if *file != entry.file {
                continue;
            }
            match actual.get("result").and_then(|r| at(r, path)) {
                Some(Value::Int(ours)) => rewrites.push((*recorded_id, *ours)),
                other => report
                    .failures
                    .push(format!("{}: no id at {path:?}: {other:?}", entry.file)),
            }
        }
        if let Err(m) = json::compare(&expected, &actual, Lengths::for_method(&method)) {
            let got: String = String::from_utf8_lossy(&response.body)
                .chars()
                .take(400)
                .collect();
            report
                .failures
                .push(format!("{}: {m}\n    got: {got}", entry.file));
        }
    }
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recorded_requests_get_answers_of_the_recorded_shape() {
    let report = replay().await;
    assert!(
        report.failures.is_empty(),
        "{} of {} replayed files differ from the recording:\n{}",
        report.failures.len(),
        report.compared,
        report.failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_compares_every_file_but_the_skip_list() {
    let report = replay().await;
    assert_eq!(report.total, 125, "the recording has 125 calls");
    assert_eq!(report.compared, EXPECTED_COMPARED);
    assert_eq!(report.compared + SKIPPED.len(), report.total);
    for (file, reason) in SKIPPED {
        assert!(
            std::path::Path::new(&format!("{FIXTURES}/{file}.request.json")).exists(),
            "skipped file {file} does not exist"
        );
        assert!(!reason.is_empty());
    }
}

fn recorded(file: &str) -> Value {
    json::parse(&read_fixture(&format!("{file}.response.json"))).expect("recorded JSON")
}

#[test]
fn comparator_accepts_the_recording_itself_and_other_data() {
    for (file, lengths) in [
        ("023-crm-lead-read", Lengths::TopFixed),
        ("060-crm-lead-load-error-rows", Lengths::Load),
        ("039-crm-lead-read-group", Lengths::Data),
        ("095-err-demo-read-config-parameter", Lengths::Data),
        ("093-crm-lead-action-archive-returns-none", Lengths::Data),
    ] {
        let r = recorded(file);
        json::compare(&r, &r, lengths).expect("a recording has its own shape");
    }
    let read = recorded("023-crm-lead-read");
    let mut other = read.clone();
    *at_mut(&mut other, &["result", "0", "name"]) = Value::from("another name");
    *at_mut(&mut other, &["result", "0", "id"]) = Value::Int(45);
    json::compare(&read, &other, Lengths::TopFixed).expect("values are data");
    let error = recorded("095-err-demo-read-config-parameter");
    let mut other = error.clone();
    *at_mut(&mut other, &["error", "data", "debug"]) = Value::from(
        "Traceback (most recent call last):\n  File \"x\", line 1, in f\n\
         odoo.exceptions.AccessError: You are not allowed to access 'X' (x) records.\n",
    );
    json::compare(&error, &other, Lengths::Data).expect("tracebacks are data");
}

#[test]
fn comparator_rejects_deliberately_altered_responses() {
    let read = recorded("023-crm-lead-read");
    let rejected = |expected: &Value, altered: &Value| {
        json::compare(expected, altered, Lengths::TopFixed).is_err()
    };
    let altered = |original: &Value, path: &[&str], value: Value| {
        let mut v = original.clone();
        *at_mut(&mut v, path) = value;
        v
    };
    // A string where the server sends an int, an int where it sends a double.
    assert!(rejected(
        &read,
        &altered(&read, &["result", "0", "id"], Value::from("66"))
    ));
    assert!(rejected(
        &read,
        &altered(
            &read,
            &["result", "0", "expected_revenue"],
            Value::Int(12500)
        )
    ));
    // `null` or `false` where the recording has a value.
    assert!(rejected(
        &read,
        &altered(&read, &["result", "0", "email_from"], Value::Nil)
    ));
    assert!(rejected(
        &read,
        &altered(&read, &["result", "0", "partner_id"], Value::Bool(false))
    ));
    // Another id echoed, another protocol version, records missing.
    assert!(rejected(&read, &altered(&read, &["id"], Value::Int(24))));
    assert!(rejected(&read, &altered(&read, &["id"], Value::from("23"))));
    assert!(rejected(
        &read,
        &altered(&read, &["jsonrpc"], Value::from("1.0"))
    ));
    assert!(rejected(
        &read,
        &altered(&read, &["result"], Value::Array(vec![]))
    ));
    // Members out of order, or one missing.
    let mut v = read.clone();
    if let Value::Struct(m) = at_mut(&mut v, &["result", "0"]) {
        m.swap(1, 2);
    }
    assert!(rejected(&read, &v));
    let mut v = read.clone();
    if let Value::Struct(m) = at_mut(&mut v, &["result", "0"]) {
        m.retain(|(k, _)| k != "priority");
    }
    assert!(rejected(&read, &v));

    // A method returning None: `"result": null` is not the recorded answer (093).
    let none = recorded("093-crm-lead-action-archive-returns-none");
    let mut with_null = none.clone();
    if let Value::Struct(m) = &mut with_null {
        m.push(("result".into(), Value::Nil));
    }
    assert!(rejected(&none, &with_null));

    // Errors: another class, code, message, message family, traceback type, or a result.
    let error = recorded("095-err-demo-read-config-parameter");
    for (path, value) in [
        (
            &["error", "data", "name"][..],
            Value::from("odoo.exceptions.UserError"),
        ),
        (&["error", "code"][..], Value::Int(100)),
        (
            &["error", "message"][..],
            Value::from("Odoo Session Expired"),
        ),
        (
            &["error", "data", "message"][..],
            Value::from("Record does not exist or has been deleted."),
        ),
        (
            &["error", "data", "debug"][..],
            Value::from("Traceback (most recent call last):\nValueError: x\n"),
        ),
        (&["error", "data", "arguments"][..], Value::Array(vec![])),
        (&["error", "data", "context"][..], Value::Bool(false)),
    ] {
        assert!(
            rejected(&error, &altered(&error, path, value.clone())),
            "{path:?} = {value:?} accepted"
        );
    }
    let mut as_result = error.clone();
    if let Value::Struct(m) = &mut as_result {
        m.retain(|(k, _)| k != "error");
        m.push(("result".into(), Value::Bool(true)));
    }
    assert!(rejected(&error, &as_result));
    // Validation and user errors are told apart by class.
    let validation = recorded("082-err-create-partner-no-name");
    assert!(rejected(
        &validation,
        &altered(
            &validation,
            &["error", "data", "name"],
            Value::from("odoo.exceptions.UserError")
        )
    ));
}
