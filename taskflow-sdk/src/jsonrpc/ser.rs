//! The request envelope, written by serde_json with the SDK's own `Serialize` impls.
//!
//! Those impls were written for XML-RPC, and JSON reads them the same way but for bytes: a
//! [`Value::Base64`](crate::xmlrpc::Value::Base64) (or any `serialize_bytes`) must reach the
//! server as the base64 string a binary field takes, not as serde_json's array of numbers.
//! `None` written as `false` and `Value::Nil` as `null` both mean "empty" to the server
//! (recordings 026 and 100).

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine as _;
use serde::Serialize;
use serde::ser::SerializeStruct;
use serde_json::ser::Formatter;

use super::encode_error;
use crate::xmlrpc::EncodeError;

/// Request ids: the server echoes them back, which makes calls easy to match in logs.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Encodes a call of `method` on `service` (`common`, `object`, `db`) as a `/jsonrpc` request
/// body: `{"jsonrpc":"2.0","method":"call","params":{"service":..,"method":..,"args":..},"id":N}`.
/// `args` must serialize as a sequence or tuple (`()` for none); `N` counts up per process.
pub fn encode_call<A: Serialize + ?Sized>(
    service: &str,
    method: &str,
    args: &A,
) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(256);
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    encode_call_into(&mut out, id, service, method, args)?;
    Ok(out)
}

/// Like [`encode_call`], with the request `id` given, appending to a buffer the caller reuses.
pub fn encode_call_into<A: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    id: u64,
    service: &str,
    method: &str,
    args: &A,
) -> Result<(), EncodeError> {
    // `()`, no arguments, is still a list to the server.
    let no_args = typeid::of::<A>() == typeid::of::<()>();
    let request = Request {
        id,
        params: Params {
            service,
            method,
            args,
            no_args,
        },
    };
    let mut json = serde_json::Serializer::with_formatter(out, Base64Bytes);
    request.serialize(&mut json).map_err(|e| encode_error(&e))
}

/// Writes any value as JSON with the request envelope's rules (bytes as base64), appending to
/// `out`: the body of a JSON-2 call.
pub(crate) fn encode_value_into<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
) -> Result<(), EncodeError> {
    let mut json = serde_json::Serializer::with_formatter(out, Base64Bytes);
    value.serialize(&mut json).map_err(|e| encode_error(&e))
}

struct Request<'a, A: ?Sized> {
    id: u64,
    params: Params<'a, A>,
}

struct Params<'a, A: ?Sized> {
    service: &'a str,
    method: &'a str,
    args: &'a A,
    no_args: bool,
}

impl<A: Serialize + ?Sized> Serialize for Request<'_, A> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Request", 4)?;
        s.serialize_field("jsonrpc", "2.0")?;
        s.serialize_field("method", "call")?;
        s.serialize_field("params", &self.params)?;
        s.serialize_field("id", &self.id)?;
        s.end()
    }
}

impl<A: Serialize + ?Sized> Serialize for Params<'_, A> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Params", 3)?;
        s.serialize_field("service", self.service)?;
        s.serialize_field("method", self.method)?;
        if self.no_args {
            s.serialize_field("args", &[(); 0])?;
        } else {
            s.serialize_field("args", self.args)?;
        }
        s.end()
    }
}

/// serde_json's compact output, with bytes as a base64 string.
struct Base64Bytes;

impl Formatter for Base64Bytes {
    fn write_byte_array<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        value: &[u8],
    ) -> io::Result<()> {
        // Base64 needs no escaping inside a JSON string.
        let text = base64::engine::general_purpose::STANDARD.encode(value);
        writer.write_all(b"\"")?;
        writer.write_all(text.as_bytes())?;
        writer.write_all(b"\"")
    }
}
