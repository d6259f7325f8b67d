//! The XML-RPC codec: Rust values to `methodCall` XML, and `methodResponse` XML straight into
//! Rust values.
//!
//! Encoding is a serde `Serializer` writing into a byte buffer; decoding is a serde `Deserializer`
//! pulling quick-xml events, with no intermediate tree. [`Value`] is the dynamic form, for untyped
//! use and for servers.
//!
//! The server's conventions are understood on the way in: `false` (an empty field) decodes to
//! `None` for an `Option<T>` whose `T` is not `bool`, an integral `<double>` fits an integer, and a
//! many2one `[id, "name"]` pair fits a tuple or a struct.
//!
//! ```
//! use taskflow_sdk::xmlrpc::{self, Limits, Response};
//!
//! let body = xmlrpc::encode_call("version", &())?;
//! assert!(body.starts_with(b"<?xml version=\"1.0\"?>\n<methodCall>"));
//!
//! let xml = b"<methodResponse><params><param><value><array><data>\
//!             <value><int>7</int></value><value><string>Agrolait</string></value>\
//!             </data></array></value></param></params></methodResponse>";
//! let partner: Response<(i64, String)> = xmlrpc::decode_response(xml, &Limits::default())?;
//! assert_eq!(partner, Response::Success((7, "Agrolait".to_string())));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod de;
mod error;
mod limits;
mod path;
mod scan;
mod ser;
mod value;
mod value_de;
mod value_ser;

use serde::Serialize;
use serde::de::{Deserialize, DeserializeOwned};

pub(crate) use de::{Expecting, empty_field_message, integral};
pub use error::{DecodeError, DecodeErrorKind, EncodeError, FaultCode, RawFault};
pub use limits::Limits;
pub use value::{DateTimeIso8601, Value};
pub use value_de::from_value;
pub use value_ser::to_value;

use scan::{Parser, Tag, Tok};

/// A decoded `methodResponse`: the single result, or the fault the server answered with.
#[derive(Clone, Debug, PartialEq)]
pub enum Response<T> {
    /// `<params><param>` held the result.
    Success(T),
    /// `<fault>` held the server's error.
    Fault(RawFault),
}

/// A decoded `methodCall`, as a server sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct MethodCall<P> {
    /// `<methodName>`.
    pub method: String,
    /// The parameters, decoded as a sequence (a `Vec<Value>`, a tuple, ...).
    pub params: P,
}

const XML_DECL: &[u8] = b"<?xml version=\"1.0\"?>\n";

/// Encodes a `methodCall`. `params` must serialize as a sequence or tuple (`()` for none); each
/// element becomes one `<param>`. Strings go bare (`<value>text</value>`, a string by the
/// XML-RPC specification, which TaskFlow and Python's `xmlrpc` read as such): a bulk `load` is
/// mostly short strings, and the `<string>` tags would be a third of its bytes.
pub fn encode_call<P: Serialize + ?Sized>(
    method: &str,
    params: &P,
) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(256);
    encode_call_into(&mut out, method, params)?;
    Ok(out)
}

/// Like [`encode_call`], appending to a buffer the caller reuses.
pub fn encode_call_into<P: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    method: &str,
    params: &P,
) -> Result<(), EncodeError> {
    out.extend_from_slice(XML_DECL);
    out.extend_from_slice(b"<methodCall><methodName>");
    ser::write_escaped(out, method)?;
    out.extend_from_slice(b"</methodName><params>");
    params.serialize(ser::ParamsSerializer {
        out,
        strings: ser::Strings::Bare,
    })?;
    out.extend_from_slice(b"</params></methodCall>\n");
    Ok(())
}

/// Encodes a successful `methodResponse` carrying `result`.
pub fn encode_response<T: Serialize + ?Sized>(result: &T) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(XML_DECL);
    out.extend_from_slice(b"<methodResponse><params><param>");
    result.serialize(ser::ValueSerializer::new(&mut out, ser::Strings::Typed))?;
    out.extend_from_slice(b"</param></params></methodResponse>\n");
    Ok(out)
}

/// Encodes a fault `methodResponse`.
pub fn encode_fault(fault: &RawFault) -> Vec<u8> {
    let code = match &fault.code {
        FaultCode::Int(i) => Value::Int(*i),
        FaultCode::String(s) => Value::String(s.clone()),
    };
    let body = Value::Struct(vec![
        ("faultCode".to_owned(), code),
        (
            "faultString".to_owned(),
            Value::String(fault.string.clone()),
        ),
    ]);
    let mut out = Vec::with_capacity(128 + fault.string.len());
    out.extend_from_slice(XML_DECL);
    out.extend_from_slice(b"<methodResponse><fault>");
    if body
        .serialize(ser::ValueSerializer::new(&mut out, ser::Strings::Typed))
        .is_err()
    {
        // Only control characters in the message can fail: drop them rather than lose the fault.
        let cleaned: String = fault
            .string
            .chars()
            .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
            .collect();
        return encode_fault(&RawFault {
            code: fault.code.clone(),
            string: cleaned,
        });
    }
    out.extend_from_slice(b"</fault></methodResponse>\n");
    out
}

fn check_input<'a>(bytes: &'a [u8], limits: &Limits) -> Result<&'a str, DecodeError> {
    limits.check_size(bytes.len())?;
    std::str::from_utf8(bytes).map_err(|e| {
        DecodeError::new(
            DecodeErrorKind::Syntax,
            format!("document is not valid UTF-8: {e}"),
        )
        .at(e.valid_up_to() as u64)
    })
}

fn with_path(src: &str, err: DecodeError) -> DecodeError {
    match (err.offset(), err.path()) {
        (Some(offset), None) => match path::path_at(src, offset) {
            Some(path) => err.with_path(path),
            None => err,
        },
        _ => err,
    }
}

/// Decodes a `methodResponse` into `T`, or the fault it carries.
pub fn decode_response<T: DeserializeOwned>(
    bytes: &[u8],
    limits: &Limits,
) -> Result<Response<T>, DecodeError> {
    let src = check_input(bytes, limits)?;
    let mut parser = Parser::new(src, limits);
    decode_response_inner(&mut parser).map_err(|e| with_path(src, e))
}

/// Decodes a `methodResponse` into `T`, borrowing strings from `bytes` where `T` allows it.
pub fn decode_response_borrowed<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
    limits: &Limits,
) -> Result<Response<T>, DecodeError> {
    let src = check_input(bytes, limits)?;
    let mut parser = Parser::new(src, limits);
    decode_response_inner(&mut parser).map_err(|e| with_path(src, e))
}

fn decode_response_inner<'de, T: Deserialize<'de>>(
    parser: &mut Parser<'de>,
) -> Result<Response<T>, DecodeError> {
    parser.expect_start(Tag::MethodResponse)?;
    let response = match parser.next_tag()? {
        Tok::Start(Tag::Params) => {
            let position = parser.position();
            match parser.next_tag()? {
                Tok::Start(Tag::Param) => {}
                Tok::End(Tag::Params) => {
                    return Err(DecodeError::new(
                        DecodeErrorKind::Structure,
                        "response has no <param>: expected exactly one result",
                    )
                    .at(position));
                }
                other => {
                    return Err(scan::unexpected("<param>", &other).at(parser.position()));
                }
            }
            let value = T::deserialize(&mut *parser)?;
            parser.expect_end(Tag::Param)?;
            parser.expect_end(Tag::Params)?;
            Response::Success(value)
        }
        Tok::Start(Tag::Fault) => {
            let at = parser.position();
            let value = Value::deserialize(&mut *parser)?;
            parser.expect_end(Tag::Fault)?;
            Response::Fault(fault_from_value(value).map_err(|e| e.at(at))?)
        }
        other => {
            return Err(scan::unexpected("<params> or <fault>", &other).at(parser.position()));
        }
    };
    parser.expect_end(Tag::MethodResponse)?;
    parser.expect_eof()?;
    Ok(response)
}

fn fault_from_value(value: Value) -> Result<RawFault, DecodeError> {
    let bad = |what: &str| {
        DecodeError::new(
            DecodeErrorKind::Structure,
            format!("a fault must be a struct with faultCode and faultString: {what}"),
        )
    };
    let Value::Struct(members) = value else {
        return Err(bad(&format!("found {}", value.type_name())));
    };
    let mut code = None;
    let mut string = None;
    for (key, value) in members {
        match (key.as_str(), value) {
            ("faultCode", Value::Int(i)) => code = Some(FaultCode::Int(i)),
            ("faultCode", Value::String(s)) => code = Some(FaultCode::String(s)),
            ("faultString", Value::String(s)) => string = Some(s),
            ("faultCode" | "faultString", other) => {
                return Err(bad(&format!("{key} is a {}", other.type_name())));
            }
            _ => {}
        }
    }
    match (code, string) {
        (Some(code), Some(string)) => Ok(RawFault { code, string }),
        (None, _) => Err(bad("faultCode is missing")),
        (_, None) => Err(bad("faultString is missing")),
    }
}

/// Decodes a `methodCall`: its method name and its parameters as `P` (a sequence: `Vec<Value>`,
/// a tuple, ...).
pub fn decode_call<P: DeserializeOwned>(
    bytes: &[u8],
    limits: &Limits,
) -> Result<MethodCall<P>, DecodeError> {
    let src = check_input(bytes, limits)?;
    let mut parser = Parser::new(src, limits);
    decode_call_inner(&mut parser).map_err(|e| with_path(src, e))
}

fn decode_call_inner<'de, P: Deserialize<'de>>(
    parser: &mut Parser<'de>,
) -> Result<MethodCall<P>, DecodeError> {
    parser.expect_start(Tag::MethodCall)?;
    parser.expect_start(Tag::MethodName)?;
    let method = parser.read_text(Tag::MethodName)?.trim().to_owned();
    let params = match parser.next_tag()? {
        Tok::Start(Tag::Params) => {
            let params = P::deserialize(de::ParamsDeserializer {
                de: &mut *parser,
                empty: false,
            })?;
            parser.expect_end(Tag::MethodCall)?;
            params
        }
        Tok::Empty(Tag::Params) => {
            let params = P::deserialize(de::ParamsDeserializer {
                de: &mut *parser,
                empty: true,
            })?;
            parser.expect_end(Tag::MethodCall)?;
            params
        }
        // `<params>` may be left out when there are none.
        Tok::End(Tag::MethodCall) => P::deserialize(de::ParamsDeserializer {
            de: &mut *parser,
            empty: true,
        })?,
        other => {
            return Err(scan::unexpected("<params>", &other).at(parser.position()));
        }
    };
    parser.expect_eof()?;
    Ok(MethodCall { method, params })
}

#[cfg(test)]
mod tests;
