//! Arbitrary bytes into the decoder: `methodResponse` as `Value` and as typed records, and
//! `methodCall` as `Value`s. Decoding may fail, never panic; whatever decodes as `Value` and can
//! be encoded again must decode to the same `Value`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use taskflow_sdk::xmlrpc::{self, DateTimeIso8601, Limits, Response, Value};

/// A record of the shape `read`/`search_read` answer with, nested through `child_ids`.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Record {
    id: i64,
    name: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    partner_id: Option<(i64, String)>,
    tag_ids: Option<Vec<i64>>,
    expected_revenue: Option<f64>,
    active: Option<bool>,
    priority: Option<u8>,
    deadline: Option<DateTimeIso8601>,
    child_ids: Option<Vec<Record>>,
    context: Option<Value>,
}

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(Response::Success(value)) = xmlrpc::decode_response::<Value>(data, &limits) {
        // Some decoded values cannot be written back (NaN, control characters): skip those.
        if let Ok(encoded) = xmlrpc::encode_response(&value) {
            match xmlrpc::decode_response::<Value>(&encoded, &limits) {
                Ok(Response::Success(again)) => assert_eq!(again, value),
                other => panic!("re-encoded value does not decode: {other:?}"),
            }
        }
    }
    let _ = xmlrpc::decode_response::<Vec<Record>>(data, &limits);
    if let Ok(call) = xmlrpc::decode_call::<Vec<Value>>(data, &limits) {
        if let Ok(encoded) = xmlrpc::encode_call(&call.method, &call.params) {
            let again = xmlrpc::decode_call::<Vec<Value>>(&encoded, &limits)
                .expect("re-encoded call decodes");
            assert_eq!(again, call);
        }
    }
});
