//! The JSON-2 codec (servers 19 and newer): `POST /json/2/<model>/<method>` with every argument
//! named in a JSON object, an `Authorization: bearer <API key>` header, and the bare result or
//! an error object with an HTTP status as the answer.
//!
//! [`Session::execute_kw`](crate::Session::execute_kw) keeps its positional arguments on every
//! protocol: on JSON-2 each is named from one table of the ORM's signatures as version 19
//! declares them ([`signature`]), so that the typed API and code written against XML-RPC move to
//! JSON-2 unchanged. [`Kwargs`](crate::Kwargs) go by their own names, beside them.
//!
//! ```
//! use taskflow_sdk::json2;
//!
//! assert_eq!(json2::signature("create"), Some(&["vals_list"][..]));
//! assert_eq!(json2::signature("write"), Some(&["ids", "vals"][..]));
//! assert_eq!(
//!     json2::signature("search_read"),
//!     Some(&["domain", "fields", "offset", "limit", "order"][..])
//! );
//! ```
//!
//! A method the table does not know is taken as a method on records: its first positional
//! argument is `ids`, and the others must be named with [`Kwargs::insert`](crate::Kwargs::insert)
//! (the call fails with [`Error::Encode`](crate::Error::Encode) before anything is sent
//! otherwise).
//!
//! Results decode straight from the bytes under the [`jsonrpc`] conventions.
//! Where JSON-2 answers differently from XML-RPC, the SDK gives XML-RPC's meaning:
//! - `create` of one record (a map, not a list) answers a list of one id (odoo-19-json2/021,
//!   023): the call returns the id. Other methods that return records answer their ids as a
//!   list, as JSON-2 sends them (`copy` among them: decode a `Vec`);
//! - `null` (a method that returned `None`) is the fault [`Error::is_returned_none`](crate::Error::is_returned_none)
//!   tells, as on XML-RPC;
//! - an error answer is a [`Fault`] classified by the exception class of its
//!   body (`odoo.exceptions.AccessError`...), with the HTTP status only as a fallback and as
//!   the fault's [`code`](crate::Fault::code): an unknown model (404) is a user error as on
//!   XML-RPC, a refused key (401) is [`FaultKind::AccessDenied`](crate::FaultKind::AccessDenied),
//!   and a 500 with an error body is a server error, not a transient failure.

mod args;
mod error;
mod signature;

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::{self, DeserializeOwned, Deserializer, SeqAccess, Visitor};

use crate::error::Fault;
use crate::jsonrpc;
use crate::kwargs::KwargsPayload;
use crate::transport::Reply;
use crate::xmlrpc::{DecodeError, EncodeError, Limits};

pub(crate) use args::first_is_map;

/// The parameter names of an ORM method, in the order of `execute_kw`'s positional arguments,
/// as the SDK names them on JSON-2; `None` for a method not in the table.
pub fn signature(method: &str) -> Option<&'static [&'static str]> {
    signature::params(method)
}

/// Appends the body of a call of `method` to `out`: `args` named from the table, then
/// `kwargs` and the merged context.
pub(crate) fn encode_call_into<A: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    method: &str,
    args: &A,
    kwargs: KwargsPayload<'_>,
) -> Result<(), EncodeError> {
    jsonrpc::encode_value_into(
        out,
        &args::Body {
            method,
            args,
            kwargs,
        },
    )
}

/// How to read a successful answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    /// As it is.
    Bare,
    /// A list of exactly one item, returned as that item (`create` of one record).
    Single,
}

/// An answer as the call's result, or its fault.
pub(crate) fn decode<R: DeserializeOwned>(
    reply: &Reply,
    limits: &Limits,
    answer: Answer,
) -> Result<Result<R, Fault>, DecodeError> {
    match reply {
        Reply::Ok(bytes) if bytes.trim_ascii() == b"null" => Ok(Err(Fault::returned_none())),
        Reply::Ok(bytes) => match answer {
            Answer::Bare => jsonrpc::from_slice(bytes, limits).map(Ok),
            Answer::Single => {
                jsonrpc::from_slice::<Single<R>>(bytes, limits).map(|single| Ok(single.0))
            }
        },
        Reply::JsonError { status, body } => match error::fault(*status, body) {
            Some(fault) => Ok(Err(fault)),
            // Reported by its status (and retried as one).
            None => Err(DecodeError::new(
                crate::xmlrpc::DecodeErrorKind::Structure,
                format!("HTTP status {status} with a JSON body that is not a JSON-2 error object"),
            )),
        },
    }
}

/// A list of exactly one `R`, read as the `R`.
struct Single<R>(R);

impl<'de, R: de::Deserialize<'de>> de::Deserialize<'de> for Single<R> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SingleVisitor<R>(PhantomData<R>);

        impl<'de, R: de::Deserialize<'de>> Visitor<'de> for SingleVisitor<R> {
            type Value = Single<R>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of one id (JSON-2 create of one record)")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Single<R>, A::Error> {
                let Some(item) = seq.next_element()? else {
                    return Err(de::Error::invalid_length(0, &self));
                };
                let mut extra = 0;
                while seq.next_element::<de::IgnoredAny>()?.is_some() {
                    extra += 1;
                }
                if extra > 0 {
                    return Err(de::Error::invalid_length(extra + 1, &self));
                }
                Ok(Single(item))
            }
        }

        deserializer.deserialize_seq(SingleVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests;
