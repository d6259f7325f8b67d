//! Property tests: any `Value` survives `Value -> XML -> Value`, as a response and as call
//! parameters, exactly (doubles to the bit).

mod codec_common;

use codec_common::tree;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use taskflow_sdk::xmlrpc::{self, Limits, MethodCall, Response, Value};

/// Characters XML 1.0 can carry (`Char` production of the spec): all of Unicode but the C0
/// controls other than tab, line feed and carriage return, and U+FFFE/U+FFFF (Rust strings
/// already exclude surrogates).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Strings from all of Unicode that XML 1.0 can carry, with extra weight on markup characters,
/// line ends and spaces.
fn xml_string() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<char>(), 0..24)
            .prop_map(|chars| chars.into_iter().filter(|&c| xml_char(c)).collect()),
        "[<>&;'\"\\]\\[!#\r\n\t a-z0-9é🦀-]{0,16}",
        Just(String::new()),
    ]
}

fn datetime_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            0u32..10_000,
            1u32..13,
            1u32..29,
            0u32..24,
            0u32..60,
            0u32..60
        )
            .prop_map(|(y, mo, d, h, mi, s)| format!("{y:04}{mo:02}{d:02}T{h:02}:{mi:02}:{s:02}")),
        xml_string(),
    ]
}

fn finite_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("XML-RPC has no NaN or infinity", |d| d.is_finite()),
        Just(0.0),
        Just(-0.0),
        Just(0.1),
        Just(1e300),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        Just(5e-324),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::Int),
        prop_oneof![
            Just(i64::MIN),
            Just(i64::MAX),
            Just(1 << 31),
            Just(-(1 << 31) - 1)
        ]
        .prop_map(Value::Int),
        any::<bool>().prop_map(Value::Bool),
        xml_string().prop_map(Value::String),
        finite_f64().prop_map(Value::Double),
        datetime_text().prop_map(Value::DateTime),
        prop::collection::vec(any::<u8>(), 0..48).prop_map(Value::Base64),
        Just(Value::Nil),
    ]
}

/// Nested structs and arrays, at most 5 levels deep.
fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(5, 96, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((xml_string(), inner), 0..6).prop_map(Value::Struct),
        ]
    })
}

fn method_name() -> impl Strategy<Value = String> {
    "[A-Za-z_][A-Za-z0-9_.:/]{0,24}"
}

proptest! {
    #[test]
    fn value_survives_encode_response_and_decode_response(value in value()) {
        let xml = xmlrpc::encode_response(&value).unwrap();
        let decoded = xmlrpc::decode_response::<Value>(&xml, &Limits::default());
        let Ok(Response::Success(decoded)) = decoded else {
            panic!("{decoded:?} from {}", String::from_utf8_lossy(&xml));
        };
        // The tagged trees compare doubles by their bits: -0.0 is not 0.0.
        prop_assert_eq!(tree(&decoded), tree(&value));
    }

    #[test]
    fn params_survive_encode_call_and_decode_call(
        method in method_name(),
        params in prop::collection::vec(value(), 0..5),
    ) {
        let xml = xmlrpc::encode_call(&method, &params).unwrap();
        let call: MethodCall<Vec<Value>> =
            xmlrpc::decode_call(&xml, &Limits::default()).unwrap();
        prop_assert_eq!(&call.method, &method);
        prop_assert_eq!(
            call.params.iter().map(tree).collect::<Vec<_>>(),
            params.iter().map(tree).collect::<Vec<_>>()
        );
    }

    #[test]
    fn typed_records_survive_encode_call_and_decode_call(
        records in prop::collection::vec(record(), 0..4),
    ) {
        let xml = xmlrpc::encode_call("load", &("crm.lead", &records)).unwrap();
        let call: MethodCall<(String, Vec<Record>)> =
            xmlrpc::decode_call(&xml, &Limits::default()).unwrap();
        prop_assert_eq!(call.params.0, "crm.lead");
        prop_assert_eq!(call.params.1, records);
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Record {
    id: i64,
    name: String,
    partner_id: Option<(i64, String)>,
    tag_ids: Vec<i64>,
    revenue: Option<f64>,
    active: bool,
}

fn record() -> impl Strategy<Value = Record> {
    (
        any::<i64>(),
        xml_string(),
        prop::option::of((any::<i64>(), xml_string())),
        prop::collection::vec(any::<i64>(), 0..4),
        prop::option::of(finite_f64()),
        any::<bool>(),
    )
        .prop_map(|(id, name, partner_id, tag_ids, revenue, active)| Record {
            id,
            name,
            partner_id,
            tag_ids,
            revenue,
            active,
        })
}
