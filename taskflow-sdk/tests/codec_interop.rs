//! Interop with Python's standard `xmlrpc.client`, an independent peer: what this crate encodes,
//! Python loads back to the same values; what Python dumps, this crate decodes to the expected
//! Rust values. The tests fail (they do not skip) when `python3` is missing.

mod codec_common;

use codec_common::{PY_TAG, run_python, tree};
use serde::{Deserialize, Serialize};
use serde_json::{Value as J, json};
use taskflow_sdk::xmlrpc::{
    self, DateTimeIso8601, FaultCode, Limits, MethodCall, RawFault, Response, Value,
};

/// Bytes that serialize as `<base64>` and deserialize from it.
#[derive(Debug, PartialEq)]
struct Bytes(Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BytesVisitor;
        impl serde::de::Visitor<'_> for BytesVisitor {
            type Value = Bytes;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("base64 bytes")
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<Bytes, E> {
                Ok(Bytes(v.to_vec()))
            }
            fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Bytes, E> {
                Ok(Bytes(v))
            }
        }
        deserializer.deserialize_byte_buf(BytesVisitor)
    }
}

/// Strings that exercise escaping and the whole of Unicode that XML 1.0 can carry.
fn tricky_strings() -> Vec<&'static str> {
    vec![
        "",
        "plain ascii",
        "unicode: ünïcødé, 日本語, Ελληνικά, emoji 🦀🎉",
        "escapes: <tag attr=\"x\"> & </tag> ]]> 'apos' &amp; &#60;",
        "carriage\rreturn\r\nand\ttab\nnewline",
        "  leading and trailing spaces  ",
        "\n",
        "\u{7f}\u{80}\u{9f}\u{a0}\u{fffd}\u{10000}\u{10ffff}",
        "<![CDATA[not a cdata]]>",
    ]
}

fn ints() -> Vec<i64> {
    vec![
        0,
        1,
        -1,
        i64::from(i32::MAX),
        i64::from(i32::MIN),
        i64::from(i32::MAX) + 1,
        i64::from(i32::MIN) - 1,
        1 << 53,
        (1 << 53) + 1,
        i64::MAX,
        i64::MIN,
    ]
}

fn doubles() -> Vec<f64> {
    vec![
        0.0,
        -0.0,
        0.1,
        1.5,
        -2.5,
        1e300,
        -1e-300,
        1e16,
        1e22,
        123_456_789.125,
        f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        std::f64::consts::PI,
    ]
}

fn all_bytes() -> Vec<u8> {
    (0..=255).collect()
}

/// One struct that holds a bit of everything, as `Value`.
fn kitchen_sink() -> Value {
    let strings: Vec<Value> = tricky_strings().into_iter().map(Value::from).collect();
    Value::Struct(vec![
        ("id".into(), Value::Int(45)),
        (
            "clé <&> 🦀".into(),
            Value::String("member names are escaped too".into()),
        ),
        ("strings".into(), Value::Array(strings)),
        (
            "ints".into(),
            Value::Array(ints().into_iter().map(Value::Int).collect()),
        ),
        (
            "doubles".into(),
            Value::Array(doubles().into_iter().map(Value::Double).collect()),
        ),
        ("nil".into(), Value::Nil),
        ("yes".into(), Value::Bool(true)),
        ("no".into(), Value::Bool(false)),
        ("bytes".into(), Value::Base64(all_bytes())),
        ("no bytes".into(), Value::Base64(Vec::new())),
        ("when".into(), Value::DateTime("20261130T07:37:41".into())),
        ("empty array".into(), Value::Array(vec![])),
        ("empty struct".into(), Value::Struct(vec![])),
        (
            "nested".into(),
            Value::Array(vec![Value::Struct(vec![(
                "level 2".into(),
                Value::Array(vec![Value::Struct(vec![(
                    "level 4".into(),
                    Value::Array(vec![Value::Int(1), "two".into(), Value::Nil]),
                )])]),
            )])]),
        ),
    ])
}

#[derive(Serialize)]
struct LeadValues<'a> {
    name: &'a str,
    partner_id: i64,
    expected_revenue: f64,
    phone: Option<&'a str>,
    tag_ids: Vec<(i64, i64, Vec<i64>)>,
    attachment: Bytes,
    deadline: DateTimeIso8601,
}

/// Loads each `{"xml": ...}` of stdin with `xmlrpc.client.loads(use_builtin_types=True)`.
const PY_LOAD_EACH: &str = r#"
out = []
for case in json.load(sys.stdin):
    try:
        params, method = xc.loads(case["xml"].encode("utf-8"), use_builtin_types=True)
        if method is None:
            assert len(params) == 1
            out.append({"t": "ok", "v": tag(params[0])})
        else:
            out.append({"t": "call", "method": method, "params": [tag(p) for p in params]})
    except xc.Fault as fault:
        out.append({"t": "fault", "code": tag(fault.faultCode), "string": fault.faultString})
print(json.dumps(out))
"#;

#[test]
fn what_this_crate_encodes_python_loads_back_to_the_same_values() {
    let sink = kitchen_sink();
    let lead = LeadValues {
        name: "Lead <&> ünï 🦀\r\n",
        partner_id: 1,
        expected_revenue: 12500.5,
        phone: None,
        tag_ids: vec![(6, 0, vec![1, 2])],
        attachment: Bytes(b"%PDF-1.7\x00\xff".to_vec()),
        deadline: DateTimeIso8601("20270115T00:00:00".into()),
    };
    let lead_value = Value::Struct(vec![
        ("name".into(), "Lead <&> ünï 🦀\r\n".into()),
        ("partner_id".into(), Value::Int(1)),
        ("expected_revenue".into(), Value::Double(12500.5)),
        ("phone".into(), Value::Nil),
        (
            "tag_ids".into(),
            Value::Array(vec![Value::Array(vec![
                Value::Int(6),
                Value::Int(0),
                Value::Array(vec![Value::Int(1), Value::Int(2)]),
            ])]),
        ),
        (
            "attachment".into(),
            Value::Base64(b"%PDF-1.7\x00\xff".to_vec()),
        ),
        (
            "deadline".into(),
            Value::DateTime("20270115T00:00:00".into()),
        ),
    ]);

    let call = |method: &str, params: &[Value]| json!({"t": "call", "method": method, "params": params.iter().map(tree).collect::<Vec<_>>()});
    let mut cases: Vec<(Vec<u8>, J)> = vec![
        (
            xmlrpc::encode_call("echo", std::slice::from_ref(&sink)).unwrap(),
            call("echo", std::slice::from_ref(&sink)),
        ),
        (
            xmlrpc::encode_response(&sink).unwrap(),
            json!({"t": "ok", "v": tree(&sink)}),
        ),
        (
            xmlrpc::encode_call(
                "execute_kw",
                &("taskflow", 2, "admin", "crm.lead", "create", [&lead]),
            )
            .unwrap(),
            call(
                "execute_kw",
                &[
                    "taskflow".into(),
                    Value::Int(2),
                    "admin".into(),
                    "crm.lead".into(),
                    "create".into(),
                    Value::Array(vec![lead_value]),
                ],
            ),
        ),
        (
            xmlrpc::encode_call("method.with.<&>", &()).unwrap(),
            call("method.with.<&>", &[]),
        ),
        (
            xmlrpc::encode_fault(&RawFault {
                code: FaultCode::Int(2),
                string: "Record <&> does not exist 🦀".into(),
            }),
            json!({"t": "fault", "code": tree(&Value::Int(2)), "string": "Record <&> does not exist 🦀"}),
        ),
        (
            xmlrpc::encode_fault(&RawFault {
                code: FaultCode::String("warning -- AccessError\n\nno".into()),
                string: String::new(),
            }),
            json!({"t": "fault", "code": tree(&"warning -- AccessError\n\nno".into()), "string": ""}),
        ),
    ];
    // Every scalar on its own too, as the single result of a response.
    for s in tricky_strings() {
        cases.push((
            xmlrpc::encode_response(s).unwrap(),
            json!({"t": "ok", "v": tree(&s.into())}),
        ));
    }
    for i in ints() {
        cases.push((
            xmlrpc::encode_response(&i).unwrap(),
            json!({"t": "ok", "v": tree(&Value::Int(i))}),
        ));
    }
    for d in doubles() {
        cases.push((
            xmlrpc::encode_response(&d).unwrap(),
            json!({"t": "ok", "v": tree(&Value::Double(d))}),
        ));
    }

    let input: Vec<J> = cases
        .iter()
        .map(|(xml, _)| json!({"xml": String::from_utf8(xml.clone()).expect("UTF-8 XML")}))
        .collect();
    let stdout = run_python(
        &format!("{PY_TAG}\n{PY_LOAD_EACH}"),
        &[],
        serde_json::to_string(&input).unwrap().as_bytes(),
    );
    let loaded: Vec<J> = serde_json::from_str(&stdout).expect("python printed JSON");
    assert_eq!(loaded.len(), cases.len());
    for ((xml, expected), python) in cases.iter().zip(&loaded) {
        assert_eq!(
            python,
            expected,
            "python loaded this differently:\n{}",
            String::from_utf8_lossy(xml)
        );
    }
    assert_eq!(cases.len(), 6 + 9 + 11 + 14);
}

/// Dumps a fixed list of values with `xmlrpc.client.dumps(allow_none=True)`, one document per
/// line of JSON.
const PY_DUMP: &str = r#"
import datetime
record = {
    "id": 45,
    "name": "Lead ünï <&> 'q' \"qq\" 🦀",
    "partner_id": [1, "YourCompany"],
    "email_from": False,
    "tag_ids": [],
    "context": {},
    "expected_revenue": 12500.5,
    "neg_zero": -0.0,
    "tenth": 0.1,
    "huge": 1e300,
    "tiny": 5e-324,
    "nothing": None,
    "active": True,
    "blob": bytes(range(256)) * 2,
    "when": datetime.datetime(2026, 11, 30, 7, 37, 41),
    "crlf": "a\r\nb\rc",
    "limits": [2**31 - 1, -2**31],
}
docs = [
    xc.dumps((record,), methodresponse=True, allow_none=True),
    xc.dumps(("taskflow", 2, "admin", "crm.lead", "write", [[45], {"name": "x", "phone": None}],
              {"context": {"lang": "fr_FR"}}), "execute_kw", allow_none=True),
    xc.dumps(xc.Fault(2, "Record <&> does not exist"), allow_none=True),
    xc.dumps(xc.Fault("AccessDenied", "Access Denied"), methodresponse=True),
    xc.dumps((), "version", allow_none=True),
    xc.dumps(([[1, "a"], (2, "b")],), methodresponse=True),
]
print(json.dumps(docs))
"#;

#[derive(Debug, Deserialize, PartialEq)]
struct Record {
    id: i64,
    name: String,
    partner_id: (i64, String),
    email_from: Option<String>,
    tag_ids: Vec<i64>,
    expected_revenue: f64,
    neg_zero: f64,
    tenth: f64,
    huge: f64,
    tiny: f64,
    nothing: Option<String>,
    active: bool,
    blob: Bytes,
    when: DateTimeIso8601,
    crlf: String,
    limits: (i32, i32),
}

#[test]
fn what_python_dumps_decodes_to_the_expected_rust_values() {
    let stdout = run_python(&format!("{PY_TAG}\n{PY_DUMP}"), &[], b"");
    let docs: Vec<String> = serde_json::from_str(&stdout).expect("python printed JSON");
    assert_eq!(docs.len(), 6);
    let limits = Limits::default();
    let blob: Vec<u8> = (0..=255).chain(0..=255).collect();

    // The record, as `Value`...
    let Response::Success(value) =
        xmlrpc::decode_response::<Value>(docs[0].as_bytes(), &limits).unwrap()
    else {
        panic!("expected a result");
    };
    let expected = Value::Struct(vec![
        ("id".into(), Value::Int(45)),
        ("name".into(), "Lead ünï <&> 'q' \"qq\" 🦀".into()),
        (
            "partner_id".into(),
            Value::Array(vec![Value::Int(1), "YourCompany".into()]),
        ),
        ("email_from".into(), Value::Bool(false)),
        ("tag_ids".into(), Value::Array(vec![])),
        ("context".into(), Value::Struct(vec![])),
        ("expected_revenue".into(), Value::Double(12500.5)),
        ("neg_zero".into(), Value::Double(-0.0)),
        ("tenth".into(), Value::Double(0.1)),
        ("huge".into(), Value::Double(1e300)),
        ("tiny".into(), Value::Double(5e-324)),
        ("nothing".into(), Value::Nil),
        ("active".into(), Value::Bool(true)),
        ("blob".into(), Value::Base64(blob.clone())),
        ("when".into(), Value::DateTime("20261130T07:37:41".into())),
        // Python writes `\r` raw, and XML parsers (Python's own too) read line ends as `\n`.
        ("crlf".into(), "a\nb\nc".into()),
        (
            "limits".into(),
            Value::Array(vec![
                Value::Int(i32::MAX.into()),
                Value::Int(i32::MIN.into()),
            ]),
        ),
    ]);
    assert_eq!(value, expected);
    // `PartialEq` on f64 cannot tell -0.0 from 0.0: check the sign.
    let Some(Value::Double(neg_zero)) = value.get("neg_zero") else {
        panic!("neg_zero is a double");
    };
    assert!(neg_zero.is_sign_negative());

    // ...and typed.
    let Response::Success(record) =
        xmlrpc::decode_response::<Record>(docs[0].as_bytes(), &limits).unwrap()
    else {
        panic!("expected a result");
    };
    assert_eq!(
        record,
        Record {
            id: 45,
            name: "Lead ünï <&> 'q' \"qq\" 🦀".into(),
            partner_id: (1, "YourCompany".into()),
            email_from: None,
            tag_ids: vec![],
            expected_revenue: 12500.5,
            neg_zero: -0.0,
            tenth: 0.1,
            huge: 1e300,
            tiny: 5e-324,
            nothing: None,
            active: true,
            blob: Bytes(blob),
            when: DateTimeIso8601("20261130T07:37:41".into()),
            crlf: "a\nb\nc".into(),
            limits: (i32::MAX, i32::MIN),
        }
    );
    assert!(record.neg_zero.is_sign_negative());

    // A call, typed as a server would read it.
    type WriteArgs = (
        String,
        i64,
        String,
        String,
        String,
        (Vec<i64>, Value),
        Value,
    );
    let call: MethodCall<WriteArgs> = xmlrpc::decode_call(docs[1].as_bytes(), &limits).unwrap();
    assert_eq!(call.method, "execute_kw");
    let (db, uid, password, model, method, (ids, values), kwargs) = call.params;
    assert_eq!(
        (
            db.as_str(),
            uid,
            password.as_str(),
            model.as_str(),
            method.as_str()
        ),
        ("taskflow", 2, "admin", "crm.lead", "write")
    );
    assert_eq!(ids, [45]);
    assert_eq!(
        values,
        Value::Struct(vec![
            ("name".into(), "x".into()),
            ("phone".into(), Value::Nil)
        ])
    );
    assert_eq!(
        kwargs,
        Value::Struct(vec![(
            "context".into(),
            Value::Struct(vec![("lang".into(), "fr_FR".into())])
        )])
    );

    // Faults, with an int and a string code.
    assert_eq!(
        xmlrpc::decode_response::<Value>(docs[2].as_bytes(), &limits).unwrap(),
        Response::Fault(RawFault {
            code: FaultCode::Int(2),
            string: "Record <&> does not exist".into(),
        })
    );
    assert_eq!(
        xmlrpc::decode_response::<Vec<Record>>(docs[3].as_bytes(), &limits).unwrap(),
        Response::Fault(RawFault {
            code: FaultCode::String("AccessDenied".into()),
            string: "Access Denied".into(),
        })
    );

    // A call without parameters.
    let call: MethodCall<Vec<Value>> = xmlrpc::decode_call(docs[4].as_bytes(), &limits).unwrap();
    assert_eq!((call.method.as_str(), call.params.len()), ("version", 0));
    let call: MethodCall<()> = xmlrpc::decode_call(docs[4].as_bytes(), &limits).unwrap();
    assert_eq!(call.method, "version");

    // Lists and tuples are both arrays: many2one pairs fit tuples.
    assert_eq!(
        xmlrpc::decode_response::<Vec<(i64, String)>>(docs[5].as_bytes(), &limits).unwrap(),
        Response::Success(vec![(1, "a".into()), (2, "b".into())])
    );
}
