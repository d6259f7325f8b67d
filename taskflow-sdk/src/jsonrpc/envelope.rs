//! The JSON-RPC response envelope: `{"jsonrpc": "2.0", "id": .., "result": ..}` or
//! `{.., "error": {"code": .., "message": .., "data": {"name": .., "message": .., "debug": ..}}}`.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

use super::de::Adapter;
use crate::error::Fault;

/// What the envelope held, before it becomes a [`Response`](super::Response).
pub(super) struct Envelope<T> {
    /// `Some(None)` for `"result": null`, `None` when there was no `result` member.
    pub(super) result: Option<Option<T>>,
    pub(super) error: Option<ErrorObject>,
}

/// Reads the envelope's members in any order; the result goes straight into `T`.
pub(super) struct EnvelopeVisitor<T> {
    /// Nesting left for the result, the envelope itself taken.
    pub(super) remaining: usize,
    pub(super) target: PhantomData<fn() -> T>,
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum Member {
    Result,
    Error,
    #[serde(other)]
    Other,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for EnvelopeVisitor<T> {
    type Value = Envelope<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-RPC response (an object with `result` or `error`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope<T>, A::Error> {
        let mut envelope = Envelope {
            result: None,
            error: None,
        };
        while let Some(member) = map.next_key::<Member>()? {
            match member {
                Member::Result if envelope.result.is_some() => {
                    return Err(de::Error::duplicate_field("result"));
                }
                Member::Result => {
                    envelope.result = Some(map.next_value_seed(ResultSeed::<T> {
                        remaining: self.remaining,
                        target: PhantomData,
                    })?);
                }
                Member::Error if envelope.error.is_some() => {
                    return Err(de::Error::duplicate_field("error"));
                }
                Member::Error => {
                    envelope.error = Some(map.next_value_seed(ErrorSeed {
                        remaining: self.remaining,
                    })?);
                }
                Member::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(envelope)
    }
}

/// `result`: `null` is told apart; any other value is decoded under the conventions.
struct ResultSeed<T> {
    remaining: usize,
    target: PhantomData<fn() -> T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for ResultSeed<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Option<T>, D::Error> {
        // serde_json's own `deserialize_option`: only `null` is None here, `false` is a result.
        de.deserialize_option(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ResultSeed<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the call's result")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Option<T>, D::Error> {
        T::deserialize(Adapter {
            de,
            remaining: self.remaining,
        })
        .map(Some)
    }
}

/// The `error` member, as TaskFlow (and Odoo) fill it.
#[derive(Deserialize)]
pub(super) struct ErrorObject {
    code: Option<i64>,
    message: Option<String>,
    data: Option<ErrorData>,
}

#[derive(Deserialize)]
struct ErrorData {
    /// The exception's qualified name, `odoo.exceptions.AccessError`.
    name: Option<String>,
    message: Option<String>,
    /// The traceback.
    debug: Option<String>,
}

struct ErrorSeed {
    remaining: usize,
}

impl<'de> DeserializeSeed<'de> for ErrorSeed {
    type Value = ErrorObject;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<ErrorObject, D::Error> {
        ErrorObject::deserialize(Adapter {
            de,
            remaining: self.remaining,
        })
    }
}

impl ErrorObject {
    /// The fault, classified by `data.name`.
    pub(super) fn into_fault(self) -> Fault {
        let (name, data_message, debug) = match self.data {
            Some(data) => (data.name, data.message, data.debug),
            None => (None, None, None),
        };
        let message = data_message.or(self.message).unwrap_or_default();
        Fault::from_jsonrpc(self.code.unwrap_or(0), name.as_deref(), message, debug)
    }
}
