//! Arbitrary bytes into the decoder: `methodResponse` as `Value` and as typed records, and
//! `methodCall` as `Value`s. Decoding may fail, never panic; whatever decodes as `Value` and can
//! be encoded again must decode to the same `Value`. And the decoder's two paths agree: the same
//! document with a space before each tag's `>` (which no byte scanner matches) decodes the same.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use taskflow_sdk::xmlrpc::{self, DateTimeIso8601, Limits, Response, Value};

#[path = "../../taskflow-sdk/tests/codec_common/spacing.rs"]
mod spacing;
use spacing::spaced;

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
    if let Some(spaced) = std::str::from_utf8(data).ok().and_then(spaced) {
        let scanned = xmlrpc::decode_response::<Value>(data, &limits);
        let evented = xmlrpc::decode_response::<Value>(spaced.as_bytes(), &limits);
        match (&scanned, &evented) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(_), Err(_)) => {}
            _ => panic!("the two paths disagree: {scanned:?} / {evented:?}"),
        }
    }
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
