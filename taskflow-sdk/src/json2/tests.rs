//! The codec against the JSON-2 recordings (`tests/fixtures/odoo-19-json2`).

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::*;
use crate::FaultKind;
use crate::kwargs::Kwargs;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/odoo-19-json2"
);

/// Every recorded exchange: (file name, the parsed recording).
fn recordings() -> Vec<(String, Json)> {
    let mut files: Vec<_> = std::fs::read_dir(FIXTURES)
        .expect("the JSON-2 fixtures")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect()
}

fn method_of(recording: &Json) -> Option<&str> {
    let path = recording["request"]["path"].as_str()?;
    path.strip_prefix("/json/2/")?.split('/').nth(1)
}

fn encode(method: &str, args: &impl Serialize, kwargs: &Kwargs) -> Result<Json, EncodeError> {
    let mut out = Vec::new();
    encode_call_into(&mut out, method, args, kwargs.with_session_context(&[]))?;
    Ok(serde_json::from_slice(&out).unwrap())
}

#[test]
fn every_recorded_argument_name_is_in_the_table() {
    let mut checked = 0;
    for (file, recording) in recordings() {
        let (Some(method), Some(body)) = (
            method_of(&recording),
            recording["request"]["body"].as_object(),
        ) else {
            continue;
        };
        let status = recording["response"]["status"].as_u64();
        // 024, 051-054 send wrong names on purpose; the table does not know private methods.
        if status == Some(422) || method.starts_with('_') || method == "check_access" {
            continue;
        }
        let Some(names) = signature(method) else {
            assert_eq!(
                method, "does_not_exist",
                "{file}: {method} is not in the table"
            );
            continue;
        };
        for key in body.keys().filter(|k| *k != "context") {
            assert!(
                names.contains(&key.as_str()),
                "{file}: {method} names {key:?}, which the table does not have ({names:?})"
            );
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} recordings checked");
}

/// The recorded body, rebuilt from positional arguments (the longest run of the table's names
/// the body has) and keyword arguments (the rest), as `execute_kw` callers write it.
#[test]
fn positional_arguments_encode_as_the_recorded_bodies() {
    let mut positional_seen = 0;
    for (file, recording) in recordings() {
        let (Some(method), Some(body)) = (
            method_of(&recording),
            recording["request"]["body"].as_object(),
        ) else {
            continue;
        };
        let Some(names) = signature(method) else {
            continue;
        };
        let mut args = Vec::new();
        for name in names {
            match body.get(*name) {
                Some(value) => args.push(value.clone()),
                None => break,
            }
        }
        let mut kwargs = Kwargs::new();
        for (key, value) in body {
            if key == "context" {
                for (k, v) in value.as_object().unwrap() {
                    kwargs = kwargs.context(k, v);
                }
            } else if !names[..args.len()].contains(&key.as_str()) {
                kwargs = kwargs.insert(key, value);
            }
        }
        positional_seen += args.len();
        let encoded = encode(method, &args, &kwargs).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(&encoded, &recording["request"]["body"], "{file}");
    }
    assert!(
        positional_seen >= 60,
        "{positional_seen} positional arguments"
    );
}

#[test]
fn the_typed_calls_arguments_take_19s_names() {
    let vals = BTreeMap::from([("name", "Lead")]);
    assert_eq!(
        encode("create", &(&vals,), &Kwargs::new()).unwrap(),
        serde_json::json!({"vals_list": {"name": "Lead"}})
    );
    assert_eq!(
        encode(
            "write",
            &(vec![7], &vals),
            &Kwargs::new().context("lang", "en_US")
        )
        .unwrap(),
        serde_json::json!({"ids": [7], "vals": {"name": "Lead"}, "context": {"lang": "en_US"}})
    );
    assert_eq!(
        encode(
            "search_read",
            &([("type", "=", "lead")],),
            &Kwargs::new().fields(["name"]).limit(5)
        )
        .unwrap(),
        serde_json::json!({"domain": [["type", "=", "lead"]], "fields": ["name"], "limit": 5})
    );
    assert_eq!(
        encode("context_get", &(), &Kwargs::new()).unwrap(),
        serde_json::json!({})
    );
    // Bytes travel as base64, as binary fields take them.
    assert_eq!(
        encode(
            "write",
            &(
                vec![1],
                BTreeMap::from([("image_1920", crate::Binary::from(vec![1u8, 2, 3]))])
            ),
            &Kwargs::new()
        )
        .unwrap()["vals"]["image_1920"],
        "AQID"
    );
}

#[test]
fn arguments_json_2_cannot_name_fail_before_sending() {
    let err = encode("write", &(vec![1], 2, 3), &Kwargs::new()).unwrap_err();
    assert!(
        err.to_string()
            .contains("write takes 2 positional arguments"),
        "{err}"
    );
    let err = encode("search", &([(); 0],), &Kwargs::new().domain([(); 0])).unwrap_err();
    assert!(
        err.to_string()
            .contains("search got domain both as a positional argument and in Kwargs"),
        "{err}"
    );
    let err = encode("action_custom", &(vec![1], "x"), &Kwargs::new()).unwrap_err();
    assert!(
        err.to_string().contains("signature of action_custom"),
        "{err}"
    );
    let err = encode("read", &7, &Kwargs::new()).unwrap_err();
    assert!(
        err.to_string().contains("must be a tuple or a list"),
        "{err}"
    );
    // An unknown method on records: the first argument is the ids, the rest named.
    assert_eq!(
        encode(
            "action_custom",
            &(vec![1],),
            &Kwargs::new().insert("reason", "x")
        )
        .unwrap(),
        serde_json::json!({"ids": [1], "reason": "x"})
    );
}

#[test]
fn create_of_one_record_is_told_from_a_batch() {
    let one = BTreeMap::from([("name", "x")]);
    assert!(first_is_map(&(&one,)));
    assert!(first_is_map(&[&one]));
    assert!(!first_is_map(&(vec![&one],)));
    assert!(!first_is_map(&()));
    assert!(!first_is_map(&(7,)));
    #[derive(Serialize)]
    struct Vals {
        name: &'static str,
    }
    assert!(first_is_map(&(Vals { name: "x" },)));
    assert!(first_is_map(&(Some(Vals { name: "x" }),)));
}

fn ok(body: &str) -> Reply {
    Reply::Ok(body.as_bytes().to_vec())
}

#[test]
fn a_single_create_answers_its_id() {
    let limits = Limits::default();
    // 021: `[55]`.
    let id: Result<i64, Fault> = decode(&ok("[55]"), &limits, Answer::Single).unwrap();
    assert_eq!(id, Ok(55));
    let ids: Result<Vec<i64>, Fault> = decode(&ok("[55, 56]"), &limits, Answer::Bare).unwrap();
    assert_eq!(ids, Ok(vec![55, 56]));
    for bad in ["[55, 56]", "[]", "55"] {
        let err = decode::<i64>(&ok(bad), &limits, Answer::Single).unwrap_err();
        assert!(err.message().contains("a list of one id"), "{bad}: {err}");
    }
    let none = decode::<Option<i64>>(&ok(" null\n"), &limits, Answer::Bare).unwrap();
    assert_eq!(none.unwrap_err().kind(), FaultKind::ReturnedNone);
}

/// The fault of each recorded error, and its kind: the one the same error has on XML-RPC.
#[test]
fn recorded_errors_classify_as_on_xml_rpc() {
    use FaultKind::*;
    let expected: &[(&str, FaultKind, &str)] = &[
        ("010", UserError, "UserError"),
        ("013", ServerError, "werkzeug.exceptions.NotFound"),
        (
            "024",
            ServerError,
            "werkzeug.exceptions.UnprocessableEntity",
        ),
        ("035", MissingRecord, "MissingError"),
        ("042", UserError, "ValidationError"),
        ("043", UserError, "UserError"),
        ("044", UserError, "ValidationError"),
        ("045", AccessError, "AccessError"),
        ("046", AccessError, "AccessError"),
        ("047", ServerError, "ValueError"),
        ("048", ServerError, "ValueError"),
        ("049", ServerError, "werkzeug.exceptions.NotFound"),
        // An unknown model: fault 2 on XML-RPC.
        ("050", UserError, "werkzeug.exceptions.NotFound"),
        ("051", AccessError, "AccessError"),
        ("052", AccessError, "AccessError"),
        (
            "053",
            ServerError,
            "werkzeug.exceptions.UnprocessableEntity",
        ),
        (
            "054",
            ServerError,
            "werkzeug.exceptions.UnprocessableEntity",
        ),
        // A refused key: a wrong password on XML-RPC (odoo-17/069).
        ("055", AccessDenied, "werkzeug.exceptions.Unauthorized"),
        ("056", AccessDenied, "werkzeug.exceptions.Unauthorized"),
        ("058", ServerError, "werkzeug.exceptions.BadRequest"),
        ("060", ServerError, "werkzeug.exceptions.NotFound"),
    ];
    let recordings = recordings();
    for (prefix, kind, exception) in expected {
        let (_, recording) = recordings
            .iter()
            .find(|(f, _)| f.starts_with(prefix))
            .unwrap();
        let response = &recording["response"];
        let status = response["status"].as_u64().unwrap() as u16;
        let body = serde_json::to_vec(&response["body"]).unwrap();
        let fault: Result<(), Fault> = decode(
            &Reply::JsonError { status, body },
            &Limits::default(),
            Answer::Bare,
        )
        .unwrap();
        let fault = fault.unwrap_err();
        assert_eq!(fault.kind(), *kind, "{prefix}: {fault:?}");
        assert_eq!(fault.exception(), Some(*exception), "{prefix}");
        assert_eq!(
            fault.code(),
            &crate::xmlrpc::FaultCode::Int(i64::from(status))
        );
        assert_eq!(
            fault.message(),
            response["body"]["message"].as_str().unwrap()
        );
        assert!(
            fault.traceback().is_some_and(|t| t.contains("Traceback")),
            "{prefix}"
        );
    }
    // 057 and 059 answer HTML: the transport reports their status; they never reach here.
    for prefix in ["057", "059"] {
        let (_, recording) = recordings
            .iter()
            .find(|(f, _)| f.starts_with(prefix))
            .unwrap();
        assert!(
            recording["response"]["body_raw"]
                .as_str()
                .unwrap()
                .contains("<"),
            "{prefix}"
        );
    }
}

#[test]
fn error_bodies_without_a_known_name_fall_back_on_the_status() {
    let kind = |status: u16, body: &str| {
        let reply = Reply::JsonError {
            status,
            body: body.as_bytes().to_vec(),
        };
        decode::<()>(&reply, &Limits::default(), Answer::Bare).map(|r| r.unwrap_err().kind())
    };
    let custom = r#"{"name": "x.Custom", "message": "gone"}"#;
    assert_eq!(kind(401, custom).unwrap(), FaultKind::AccessDenied);
    assert_eq!(kind(403, custom).unwrap(), FaultKind::AccessError);
    assert_eq!(kind(404, custom).unwrap(), FaultKind::MissingRecord);
    assert_eq!(kind(422, custom).unwrap(), FaultKind::UserError);
    // Without the exception class, a JSON body is no error object: its status speaks.
    assert!(kind(404, r#"{"message": "gone"}"#).is_err());
    assert!(kind(502, r#"{"message": "Bad Gateway"}"#).is_err());
    assert!(kind(401, "{}").is_err());
    assert_eq!(
        kind(409, r#"{"name": "odoo.exceptions.LockError"}"#).unwrap(),
        FaultKind::ServerError
    );
    // The name wins over the status.
    assert_eq!(
        kind(500, r#"{"name": "odoo.exceptions.UserError"}"#).unwrap(),
        FaultKind::UserError
    );
    assert!(kind(500, "[1, 2]").is_err());
    assert!(kind(500, "not json").is_err());
}
