//! The JSON-RPC codec: calls as `/jsonrpc` request bodies, and responses straight into Rust
//! values under the same conventions as [`xmlrpc`](crate::xmlrpc).
//!
//! Decoding wraps serde_json's tokenizer in a serde `Deserializer` adapter, with no
//! `serde_json::Value` tree in between, so the `Deserialize` impls of the XML-RPC path (derived
//! models, [`Many2one`](crate::Many2one), [`Value`](crate::xmlrpc::Value), tuples, your own serde
//! structs) decode JSON-RPC results too. The server's conventions hold at every depth: `false`
//! (an empty field) decodes to `None` for an `Option<T>` whose `T` is not `bool`, an integral
//! number fits an integer, and a many2one `[id, "name"]` pair fits a tuple or a struct. The
//! [`Limits`] of depth and size apply, and errors are [`DecodeError`]s with a byte offset and a
//! path (`result[3].partner_id`).
//!
//! ```
//! use taskflow_sdk::jsonrpc::{self, Response};
//! use taskflow_sdk::xmlrpc::Limits;
//!
//! let body = jsonrpc::encode_call("object", "execute_kw", &("db", 2, "pw", "res.partner", "read", ([7],)))?;
//! assert!(body.starts_with(br#"{"jsonrpc":"2.0","method":"call","params":{"service":"object""#));
//!
//! let rows: Response<Vec<(i64, Option<(i64, String)>)>> = jsonrpc::decode_response(
//!     br#"{"jsonrpc": "2.0", "id": 1, "result": [[7, false]]}"#,
//!     &Limits::default(),
//! )?;
//! assert_eq!(rows, Response::Success(vec![(7, None)]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod de;
mod envelope;
mod error;
mod path;
mod ser;

use std::marker::PhantomData;

use serde::de::{Deserialize, DeserializeOwned};

use crate::error::Fault;
use crate::xmlrpc::{DecodeError, EncodeError, Limits};

pub(crate) use ser::encode_value_into;
pub use ser::{encode_call, encode_call_into};

/// A decoded JSON-RPC response.
#[derive(Clone, Debug, PartialEq)]
pub enum Response<T> {
    /// `result` held the method's return value.
    Success(T),
    /// Neither `result` nor `error`, or `"result": null`: the method returned `None`.
    /// TaskFlow leaves `result` out then (as Odoo does); the call ran and was committed. It is
    /// what XML-RPC reports as a fault of kind
    /// [`FaultKind::ReturnedNone`](crate::FaultKind::ReturnedNone).
    NoResult,
    /// `error` held the server's error, classified by its exception name.
    Fault(Fault),
}

/// Decodes a JSON-RPC response body into `T`, or the fault it carries.
pub fn decode_response<T: DeserializeOwned>(
    bytes: &[u8],
    limits: &Limits,
) -> Result<Response<T>, DecodeError> {
    decode_response_borrowed(bytes, limits)
}

/// Decodes a JSON-RPC response body into `T`, borrowing strings from `bytes` where `T` allows
/// it (strings without escapes).
pub fn decode_response_borrowed<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
    limits: &Limits,
) -> Result<Response<T>, DecodeError> {
    let text = check_input(bytes, limits)?;
    let visitor = envelope::EnvelopeVisitor::<T> {
        remaining: limits.max_depth.saturating_sub(1),
        target: PhantomData,
    };
    let mut json = serde_json::Deserializer::from_str(text);
    let envelope = serde::Deserializer::deserialize_map(&mut json, visitor)
        .and_then(|envelope| json.end().map(|()| envelope))
        .map_err(|e| error::from_json(&e, bytes))?;
    match envelope {
        envelope::Envelope {
            error: Some(error), ..
        } => Ok(Response::Fault(error.into_fault())),
        envelope::Envelope {
            result: Some(Some(value)),
            ..
        } => Ok(Response::Success(value)),
        envelope::Envelope { .. } => Ok(Response::NoResult),
    }
}

/// Decodes one bare JSON value (a body that is not a JSON-RPC envelope, like a JSON-2 answer)
/// into `T`, under the same conventions and limits.
///
/// ```
/// use taskflow_sdk::jsonrpc;
/// use taskflow_sdk::xmlrpc::Limits;
///
/// let ids: Vec<i64> = jsonrpc::from_slice(b"[1, 2.0, 3]", &Limits::default())?;
/// assert_eq!(ids, [1, 2, 3]);
/// # Ok::<(), taskflow_sdk::xmlrpc::DecodeError>(())
/// ```
pub fn from_slice<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
    limits: &Limits,
) -> Result<T, DecodeError> {
    let text = check_input(bytes, limits)?;
    let mut json = serde_json::Deserializer::from_str(text);
    T::deserialize(de::Adapter {
        de: &mut json,
        remaining: limits.max_depth,
    })
    .and_then(|value| json.end().map(|()| value))
    .map_err(|e| error::from_json(&e, bytes))
}

/// The body as text, within the size limit. Validating UTF-8 once here lets serde_json read
/// strings without checking each one again.
fn check_input<'a>(bytes: &'a [u8], limits: &Limits) -> Result<&'a str, DecodeError> {
    limits.check_size(bytes.len())?;
    std::str::from_utf8(bytes).map_err(|e| error::from_utf8(&e, bytes))
}

/// The error of [`encode_call`] when `args` cannot be written as JSON.
fn encode_error(err: &serde_json::Error) -> EncodeError {
    EncodeError::new(err.to_string())
}

#[cfg(test)]
mod tests;
