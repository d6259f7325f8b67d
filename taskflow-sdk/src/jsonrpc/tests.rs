//! Unit tests of the JSON-RPC codec: each convention, the limits, errors with offsets and paths,
//! the recorded responses of `tests/fixtures/odoo-17-jsonrpc/`, and the request envelope.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::*;
use crate::fields::Many2one;
use crate::xmlrpc::{DecodeErrorKind, Value};
use crate::{FaultKind, Kwargs, WriteValue, WriteValues};

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            "../../../tests/fixtures/odoo-17-jsonrpc/",
            $name,
            ".json"
        ))
        .as_slice()
    };
}

fn value<'de, T: Deserialize<'de>>(json: &'de str) -> Result<T, DecodeError> {
    from_slice(json.as_bytes(), &Limits::default())
}

fn ok<T: DeserializeOwned + std::fmt::Debug>(json: &str) -> T {
    value(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn result<T: DeserializeOwned>(json: &str) -> Result<Response<T>, DecodeError> {
    decode_response(json.as_bytes(), &Limits::default())
}

fn success<T: DeserializeOwned + std::fmt::Debug>(json: &[u8]) -> T {
    match decode_response(json, &Limits::default()) {
        Ok(Response::Success(v)) => v,
        other => panic!("expected a result, got {other:?}"),
    }
}

fn fault(json: &[u8]) -> Fault {
    match decode_response::<Value>(json, &Limits::default()) {
        Ok(Response::Fault(f)) => f,
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[derive(Debug, PartialEq, Deserialize)]
struct Named {
    id: i64,
    name: String,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Partner;

#[test]
fn false_is_none_for_an_option_of_anything_but_bool() {
    assert_eq!(ok::<Option<String>>("false"), None);
    assert_eq!(ok::<Option<i64>>("false"), None);
    assert_eq!(ok::<Option<f64>>("false"), None);
    assert_eq!(ok::<Option<(i64, String)>>("false"), None);
    assert_eq!(ok::<Option<Many2one<Partner>>>("false"), None);
    assert_eq!(ok::<Option<Vec<i64>>>("false"), None);
    assert_eq!(ok::<Option<String>>("null"), None);
    assert_eq!(ok::<Option<String>>(r#""x""#), Some("x".to_owned()));
    assert_eq!(ok::<Option<String>>(r#""a\nb""#), Some("a\nb".to_owned()));
}

#[test]
fn option_bool_keeps_its_false_as_the_xmlrpc_decoder_does() {
    assert_eq!(ok::<Option<bool>>("false"), Some(false));
    assert_eq!(ok::<Option<bool>>("true"), Some(true));
    assert_eq!(ok::<Option<bool>>("null"), None);
    assert!(!ok::<bool>("false"));
    // `deserialize_any` targets see the bool itself.
    assert_eq!(ok::<Value>("false"), Value::Bool(false));
}

#[test]
fn false_for_a_typed_target_says_to_use_option() {
    let err = value::<Vec<Named>>(r#"[{"id": 1, "name": false}]"#).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Type);
    assert!(
        err.message().contains("declare the field as Option<_>"),
        "{err}"
    );
    assert_eq!(err.path(), Some("[0].name"));
    assert_eq!(err.offset(), Some(19));
    assert!(value::<i64>("false").is_err());
    assert!(value::<(i64, String)>("false").is_err());
}

#[test]
fn id_name_pairs_fit_many2one_tuples_and_structs() {
    let pair = r#"[7, "Agrolait"]"#;
    let m2o = ok::<Many2one<Partner>>(pair);
    assert_eq!((m2o.id.get(), m2o.name.as_str()), (7, "Agrolait"));
    assert_eq!(ok::<(i64, String)>(pair), (7, "Agrolait".to_owned()));
    assert_eq!(
        ok::<Named>(pair),
        Named {
            id: 7,
            name: "Agrolait".into()
        }
    );
    assert_eq!(ok::<Option<Named>>(pair).map(|n| n.id), Some(7));
    assert_eq!(ok::<Many2one<Partner>>("7").id.get(), 7);
}

#[test]
fn integral_floats_fit_integers_and_others_do_not() {
    assert_eq!(ok::<i64>("3.0"), 3);
    assert_eq!(ok::<i64>("1e3"), 1000);
    assert_eq!(ok::<u32>("-0.0"), 0);
    assert_eq!(ok::<Vec<i64>>("[1, 2.0, 3]"), [1, 2, 3]);
    assert_eq!(ok::<Option<i64>>("4294967296.0"), Some(4_294_967_296));
    assert_eq!(ok::<(i64, String)>(r#"[5.0, "x"]"#).0, 5);
    assert_eq!(ok::<f64>("3"), 3.0);
    let err = value::<i64>("1.5").unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Type);
    assert!(err.message().contains("1.5"), "{err}");
    assert!(value::<Option<i64>>("1.5").is_err());
    assert!(value::<i64>("1e300").is_err());
}

#[test]
fn conventions_hold_at_every_depth() {
    /// A many2one, read as a pair or `false`.
    type Pair = Option<(i64, String)>;
    #[derive(Debug, Deserialize)]
    struct Deep {
        rows: Vec<BTreeMap<String, Vec<Pair>>>,
        count: Option<Box<Option<i64>>>,
        flag: Option<bool>,
    }
    let deep: Deep = ok(
        r#"{"rows": [{"a": [false, [1.0, "x"], null]}], "count": 2.0,
                            "flag": false}"#,
    );
    assert_eq!(deep.rows[0]["a"], [None, Some((1, "x".to_owned())), None]);
    assert_eq!(deep.count.as_deref(), Some(&Some(2)));
    assert_eq!(deep.flag, Some(false));
    // Enums: a string key, or a one-member object.
    #[derive(Debug, PartialEq, Deserialize)]
    enum E {
        A,
        B(Option<String>),
        C { n: i64 },
    }
    assert_eq!(
        ok::<Vec<E>>(r#"["A", {"B": false}, {"C": {"n": 2.0}}]"#),
        [E::A, E::B(None), E::C { n: 2 }]
    );
}

#[test]
fn value_keeps_every_json_type() {
    assert_eq!(
        ok::<Value>(r#"{"i": 1, "d": 2.5, "s": "x", "b": true, "n": null, "a": [], "o": {}}"#),
        Value::Struct(vec![
            ("i".into(), Value::Int(1)),
            ("d".into(), Value::Double(2.5)),
            ("s".into(), Value::String("x".into())),
            ("b".into(), Value::Bool(true)),
            ("n".into(), Value::Nil),
            ("a".into(), Value::Array(vec![])),
            ("o".into(), Value::Struct(vec![])),
        ])
    );
    assert_eq!(
        ok::<Value>("-9007199254740993"),
        Value::Int(-9007199254740993)
    );
    assert!(value::<Value>("18446744073709551615").is_err());
}

#[test]
fn nesting_over_the_limit_is_an_error_not_a_stack_overflow() {
    let deep = "[".repeat(100_000);
    let err = value::<Value>(&deep).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit, "{err}");
    let limits = Limits::default().max_depth(3);
    assert_eq!(
        from_slice::<Value>(b"[[[1]]]", &limits).unwrap(),
        Value::Array(vec![Value::Array(vec![Value::Array(vec![Value::Int(1)])])])
    );
    let err = from_slice::<Value>(b"[[[[1]]]]", &limits).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit);
    assert_eq!(err.path(), Some("[0][0][0]"));
    let err = from_slice::<Vec<Option<Vec<Vec<i64>>>>>(b"[[[[1]]]]", &limits).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit);
    // The envelope counts as one level.
    let body = br#"{"result": [[1]]}"#;
    assert!(decode_response::<Value>(body, &Limits::default().max_depth(3)).is_ok());
    let err = decode_response::<Value>(body, &Limits::default().max_depth(2)).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit);
    // Skipped values are skipped without recursion, however deep.
    let skipped = format!(
        r#"{{"other": {}1{}, "result": 1}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_eq!(result::<i64>(&skipped).unwrap(), Response::Success(1));
}

#[test]
fn oversized_input_is_refused_before_reading() {
    let err =
        decode_response::<Value>(br#"{"result": 1}"#, &Limits::default().max_size(5)).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit);
    assert!(err.message().contains("larger than the limit of 5 bytes"));
}

#[test]
fn malformed_json_reports_offset_and_path() {
    let body = r#"{"jsonrpc": "2.0", "result": [1, 2, }"#;
    let err = result::<Vec<i64>>(body).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Syntax);
    assert_eq!(err.offset(), Some(body.find('}').unwrap() as u64));
    assert_eq!(err.path(), Some("result[2]"));
    assert!(!err.to_string().contains("line"), "{err}");

    let body = "{\"result\": [{\"id\": 1},\n {\"id\": 2, \"partner_id\": 1.5}]}";
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Rec {
        id: i64,
        partner_id: Option<i64>,
    }
    let err = result::<Vec<Rec>>(body).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Type);
    assert_eq!(err.path(), Some("result[1].partner_id"));
    assert_eq!(err.offset(), Some(body.find("1.5").unwrap() as u64));
    assert!(err.to_string().ends_with(&format!(
        "at result[1].partner_id (byte {})",
        body.find("1.5").unwrap()
    )));

    for bad in [
        "",
        "{",
        r#"{"result": 1} x"#,
        "[1]",
        r#"{"result": "\u00"}"#,
        "\u{feff}{}",
    ] {
        assert!(result::<Value>(bad).is_err(), "{bad:?}");
    }
    let err = decode_response::<String>(b"{\"result\": \"\xff\"}", &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Syntax);
    assert_eq!(err.offset(), Some(12), "{err}");
}

#[test]
fn a_body_that_is_not_utf8_says_where() {
    let body = b"{\"result\": [{\"name\": \"ok\"}, {\"name\": \"caf\xe9\"}]}";
    for err in [
        decode_response::<Value>(body, &Limits::default()).unwrap_err(),
        from_slice::<Value>(&body[11..body.len() - 1], &Limits::default()).unwrap_err(),
    ] {
        assert_eq!(err.kind(), DecodeErrorKind::Syntax);
        assert!(err.to_string().contains("not valid UTF-8"), "{err}");
    }
    let err = decode_response::<Value>(body, &Limits::default()).unwrap_err();
    assert_eq!(err.offset(), Some(41), "{err}");
    assert_eq!(err.path(), Some("result[1].name"), "{err}");
}

#[test]
fn the_envelope_takes_its_members_in_any_order() {
    assert_eq!(
        result::<i64>(r#"{"result": 66, "id": 21, "jsonrpc": "2.0"}"#).unwrap(),
        Response::Success(66)
    );
    assert_eq!(
        result::<i64>(r#"{"id": {"x": [1]}, "extra": null, "result": 66}"#).unwrap(),
        Response::Success(66)
    );
    // `false` is a result (a refused `authenticate`), `null` and no result are not.
    assert_eq!(
        result::<Value>(r#"{"result": false}"#).unwrap(),
        Response::Success(Value::Bool(false))
    );
    assert_eq!(
        result::<Option<i64>>(r#"{"result": null}"#).unwrap(),
        Response::NoResult
    );
    assert_eq!(
        result::<i64>(r#"{"jsonrpc": "2.0", "id": 93}"#).unwrap(),
        Response::NoResult
    );
    assert!(result::<i64>(r#"{"result": 1, "result": 2}"#).is_err());
    assert!(result::<i64>(r#"{"result": "x"}"#).is_err());
}

#[test]
fn borrowed_decoding_borrows_unescaped_strings() {
    let body = br#"{"result": ["plain", "esc\"aped"]}"#;
    let Response::Success((plain, escaped)) =
        decode_response_borrowed::<(&str, std::borrow::Cow<str>)>(body, &Limits::default())
            .unwrap()
    else {
        panic!("no result");
    };
    assert_eq!((plain, escaped.as_ref()), ("plain", "esc\"aped"));
}

/// The lead of recordings 023 and 024, as a typed search_read target.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Lead {
    id: i64,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    partner_id: Option<Many2one<Partner>>,
    user_id: Option<(i64, String)>,
    stage_id: Named,
    tag_ids: Vec<i64>,
    email_from: Option<String>,
    expected_revenue: f64,
    probability: f64,
    date_deadline: Option<crate::fields::Date>,
    create_date: crate::fields::DateTime,
    date_closed: Option<crate::fields::DateTime>,
    active: bool,
    description: Option<String>,
    contact_name: Option<String>,
    country_id: Option<(i64, String)>,
}

#[test]
fn recorded_reads_decode_into_typed_records() {
    let leads: Vec<Lead> = success(fixture!("023-crm-lead-read.response"));
    let lead = &leads[0];
    assert_eq!(
        lead.partner_id.as_ref().map(|p| p.name.as_str()),
        Some("YourCompany")
    );
    assert_eq!(lead.stage_id.name, "New");
    assert_eq!(lead.tag_ids, [1, 2]);
    assert_eq!(lead.expected_revenue, 12500.5);
    assert_eq!(
        lead.date_deadline.map(|d| d.to_string()).as_deref(),
        Some("2026-12-31")
    );
    assert_eq!(lead.contact_name, None);

    let batch: Vec<Lead> = success(fixture!("024-crm-lead-read-batch-empty-values.response"));
    assert_eq!(batch.len(), 2);
    assert!(
        batch
            .iter()
            .all(|l| l.partner_id.is_none() && l.email_from.is_none())
    );
    assert_eq!(batch[0].contact_name.as_deref(), Some("Ann Example"));
    assert_eq!(batch[1].expected_revenue, 99.0);

    #[derive(Debug, Deserialize)]
    struct Group {
        stage_id: (i64, String),
        __count: i64,
        expected_revenue: f64,
        __domain: Value,
    }
    let groups: Vec<Group> = success(fixture!("039-crm-lead-read-group.response"));
    assert_eq!(groups.len(), 4);
    assert_eq!((groups[0].stage_id.0, groups[0].__count), (1, 12));
    assert_eq!(groups[1].expected_revenue, 117300.0);
    assert_eq!(groups[0].__domain.as_array().map(<[Value]>::len), Some(3));

    #[derive(Debug, Deserialize)]
    struct Image {
        image_128: Option<crate::Binary>,
        date: Option<crate::fields::Date>,
        partner_latitude: f64,
    }
    let images: Vec<Image> = success(fixture!("057-res-partner-read-binary.response"));
    assert!(
        images[0]
            .image_128
            .as_ref()
            .is_some_and(|b| b.as_bytes().starts_with(b"\x89PNG"))
    );
    assert_eq!((images[0].date, images[0].partner_latitude), (None, 0.0));

    let created: (i64, String) = success(fixture!("111-crm-lead-name-create.response"));
    assert_eq!(created.0, 82);

    #[derive(Debug, Deserialize)]
    struct Contact {
        contact_name: String,
    }
    let unicode: Vec<Contact> = success(fixture!("108-crm-lead-read-unicode.response"));
    assert_eq!(unicode[0].contact_name, "Zoë Ünïcødé 日本 <&> \"q\" \\ \t");

    #[derive(Debug, Deserialize)]
    struct Version {
        server_version: String,
        server_version_info: (u32, u32, u32, String, u32, String),
        protocol_version: i64,
    }
    let version: Version = success(fixture!("001-common-version.response"));
    assert_eq!(version.server_version, "17.0-20240709");
    assert_eq!(version.server_version_info.3, "final");
    assert_eq!(version.protocol_version, 1);

    let values: Value = success(fixture!("032-crm-lead-search-read.response"));
    assert_eq!(values.as_array().map(<[Value]>::len), Some(3));
    assert_eq!(
        decode_response::<Value>(
            fixture!("093-crm-lead-action-archive-returns-none.response"),
            &Limits::default()
        )
        .unwrap(),
        Response::NoResult
    );
}

#[test]
fn recorded_errors_become_classified_faults() {
    let cases: [(&[u8], FaultKind, &str); 9] = [
        (
            fixture!("069-err-write-missing-id.response"),
            FaultKind::MissingRecord,
            "MissingError",
        ),
        (
            fixture!("071-err-wrong-password.response"),
            FaultKind::AccessDenied,
            "AccessDenied",
        ),
        (
            fixture!("078-err-private-method.response"),
            FaultKind::AccessError,
            "AccessError",
        ),
        (
            fixture!("076-err-unknown-model.response"),
            FaultKind::UserError,
            "UserError",
        ),
        (
            fixture!("080-err-user-error.response"),
            FaultKind::UserError,
            "UserError",
        ),
        (
            fixture!("081-err-create-missing-required.response"),
            FaultKind::UserError,
            "ValidationError",
        ),
        (
            fixture!("077-err-unknown-method.response"),
            FaultKind::ServerError,
            "AttributeError",
        ),
        (
            fixture!("075-err-unknown-db.response"),
            FaultKind::ServerError,
            "psycopg2.OperationalError",
        ),
        (
            fixture!("069-err-write-missing-id.response"),
            FaultKind::MissingRecord,
            "MissingError",
        ),
    ];
    for (body, kind, exception) in cases {
        let f = fault(body);
        assert_eq!((f.kind(), f.exception()), (kind, Some(exception)), "{f}");
        let json: serde_json::Value = serde_json::from_slice(body).unwrap();
        let data = &json["error"]["data"];
        assert_eq!(f.message(), data["message"].as_str().unwrap());
        assert_eq!(f.traceback(), data["debug"].as_str());
        assert!(
            f.traceback()
                .unwrap()
                .starts_with("Traceback (most recent call last):")
        );
        assert_eq!(f.code(), &crate::xmlrpc::FaultCode::Int(200));
    }
    let f = fault(fixture!("069-err-write-missing-id.response"));
    assert!(
        f.message()
            .starts_with("Record does not exist or has been deleted.")
    );
    // A fault wins over a typed result it could not be: decoded into any `T`.
    assert!(matches!(
        decode_response::<Vec<Lead>>(fixture!("080-err-user-error.response"), &Limits::default()),
        Ok(Response::Fault(_))
    ));
    // A bare error object from another server still becomes a fault.
    let f = fault(br#"{"error": {"code": -32601, "message": "Method not found"}}"#);
    assert_eq!(
        (f.kind(), f.message(), f.exception()),
        (FaultKind::ServerError, "Method not found", None)
    );
}

/// The `params` of a recorded request, and of ours for the same call.
fn same_params(recorded: &[u8], ours: &[u8]) {
    let recorded: serde_json::Value = serde_json::from_slice(recorded).unwrap();
    let ours: serde_json::Value = serde_json::from_slice(ours).unwrap();
    assert_eq!(ours["params"], recorded["params"]);
    assert_eq!(
        (&ours["jsonrpc"], &ours["method"]),
        (&recorded["jsonrpc"], &recorded["method"])
    );
    assert!(ours["id"].is_u64());
}

#[test]
fn calls_encode_as_the_recorded_requests() {
    let mut values = WriteValues::<()>::new();
    values.set(
        "tag_ids",
        WriteValue::commands(vec![crate::values::RawCommand::Set(vec![3, 4, 5])]),
    );
    let body = encode_call(
        "object",
        "execute_kw",
        &("taskflow", 2, "admin", "crm.lead", "write", ([66], &values)),
    )
    .unwrap();
    same_params(fixture!("041-crm-lead-write-m2m-6-replace.request"), &body);

    let kwargs = Kwargs::new()
        .fields(["name"])
        .insert("limit", Value::Nil)
        .insert("order", Value::Nil)
        .insert("offset", Value::Nil);
    let domain = crate::Domain::<()>::leaf("id", "=", 66);
    let body = encode_call(
        "object",
        "execute_kw",
        &(
            "taskflow",
            2,
            "admin",
            "crm.lead",
            "search_read",
            (domain,),
            kwargs,
        ),
    )
    .unwrap();
    same_params(fixture!("099-req-null-in-kwargs.request"), &body);

    let kwargs = Kwargs::new()
        .fields([
            "name",
            "partner_id",
            "stage_id",
            "expected_revenue",
            "tag_ids",
            "date_deadline",
            "user_id",
        ])
        .limit(5)
        .order("id desc");
    let domain = crate::Domain::<()>::leaf("name", "ilike", "JSON transcript");
    let body = encode_call(
        "object",
        "execute_kw",
        &(
            "taskflow",
            2,
            "admin",
            "crm.lead",
            "search_read",
            (domain,),
            kwargs,
        ),
    )
    .unwrap();
    same_params(fixture!("032-crm-lead-search-read.request"), &body);

    let mut out = Vec::new();
    encode_call_into(&mut out, 7, "common", "version", &()).unwrap();
    assert_eq!(
        out,
        br#"{"jsonrpc":"2.0","method":"call","params":{"service":"common","method":"version","args":[]},"id":7}"#
    );
}

#[test]
fn bytes_and_empty_values_encode_as_the_server_reads_them() {
    let mut out = Vec::new();
    let args = (
        Value::Base64(b"hi".to_vec()),
        WriteValue::clear(),
        Value::Nil,
    );
    encode_call_into(&mut out, 1, "object", "x", &args).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        json["params"]["args"],
        serde_json::json!(["aGk=", false, null])
    );
    assert!(encode_call("object", "x", &(f64::NAN,)).is_ok_and(|b| b.ends_with(b"}")));
    let bad = Kwargs::new().insert("k", std::collections::HashMap::from([((1, 2), 3)]));
    assert!(encode_call("object", "x", &(bad,)).is_err());
}

mod roundtrip {
    use proptest::prelude::*;

    use super::*;

    /// Values that JSON carries as they are (no date-times or bytes, which become strings).
    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            any::<i64>().prop_map(Value::Int),
            any::<bool>().prop_map(Value::Bool),
            "\\PC{0,12}".prop_map(Value::String),
            (-1e12f64..1e12).prop_map(Value::Double),
            Just(Value::Nil),
        ];
        leaf.prop_recursive(4, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("[a-z_]{1,8}", inner, 0..6)
                    .prop_map(|m| Value::Struct(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn values_roundtrip_through_a_call_and_a_response(v in json_value()) {
            let mut out = Vec::new();
            encode_call_into(&mut out, 1, "object", "x", &(&v,)).unwrap();
            let call: serde_json::Value = serde_json::from_slice(&out).unwrap();
            let body = serde_json::json!({"jsonrpc": "2.0", "id": 1, "result": call["params"]["args"][0]});
            let body = serde_json::to_vec(&body).unwrap();
            let back = decode_response::<Value>(&body, &Limits::default()).unwrap();
            match (&v, back) {
                (Value::Nil, Response::NoResult) => {}
                (_, Response::Success(back)) => prop_assert_eq!(back, v),
                (_, other) => prop_assert!(false, "{:?}", other),
            }
        }
    }
}
