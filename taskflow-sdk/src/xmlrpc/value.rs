//! The dynamic XML-RPC value, for untyped calls and for servers.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// Newtype-struct name that carries a `<dateTime.iso8601>` through serde.
///
/// The serializer writes a newtype struct with this name as `<dateTime.iso8601>`; the deserializer
/// hands a `<dateTime.iso8601>` to `deserialize_any` as a one-entry map keyed by this name, so that
/// [`Value`] keeps date-times apart from strings (the same trick the `toml` crate uses).
pub(crate) const DATETIME_TOKEN: &str = "$__xmlrpc_private_dateTime.iso8601";

/// Any XML-RPC value.
///
/// Structs keep their members in document order, as servers send records with `id` first and the
/// requested fields in order.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    /// `<int>`, `<i4>` or `<i8>`.
    Int(i64),
    /// `<boolean>`.
    Bool(bool),
    /// `<string>` or an untyped `<value>text</value>`.
    String(String),
    /// `<double>`.
    Double(f64),
    /// `<dateTime.iso8601>`, kept as the text the peer sent (for example `20261130T07:37:41`).
    DateTime(String),
    /// `<base64>`, decoded.
    Base64(Vec<u8>),
    /// `<struct>`: members in document order.
    Struct(Vec<(String, Value)>),
    /// `<array>`.
    Array(Vec<Value>),
    /// `<nil/>` (an extension many servers accept).
    #[default]
    Nil,
}

impl Value {
    /// The member `key` of a struct, or `None` for other values and missing members.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Struct(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The integer, if this is an `<int>` (see [`as_f64`](Value::as_f64) for doubles).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The number as a double: a `<double>`, or an `<int>` converted (exactly up to 2^53, rounded
    /// to the nearest double beyond), just as the codec decodes either into an `f64` field. A
    /// Python server marshals a number by its runtime type, so a whole value can come as `<int>`.
    ///
    /// The converse does not hold: [`as_i64`](Value::as_i64) reads `<int>` only, since a double
    /// need not be whole; decode with [`from_value`](super::from_value) to accept the integral
    /// doubles the codec fits into integers.
    ///
    /// ```
    /// use taskflow_sdk::xmlrpc::Value;
    ///
    /// assert_eq!(Value::Double(2.5).as_f64(), Some(2.5));
    /// assert_eq!(Value::Int(3).as_f64(), Some(3.0));
    /// assert_eq!(Value::from("3").as_f64(), None);
    /// assert_eq!(Value::Double(3.0).as_i64(), None);
    /// ```
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Double(d) => Some(*d),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members, if this is a struct.
    pub fn as_struct(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Struct(members) => Some(members),
            _ => None,
        }
    }

    /// The XML-RPC type name of this value, as it appears on the wire (`int`, `struct`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Int(_) => "int",
            Value::Bool(_) => "boolean",
            Value::String(_) => "string",
            Value::Double(_) => "double",
            Value::DateTime(_) => "dateTime.iso8601",
            Value::Base64(_) => "base64",
            Value::Struct(_) => "struct",
            Value::Array(_) => "array",
            Value::Nil => "nil",
        }
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self {
                Value::Int(i64::from(v))
            }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32);

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Double(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::String(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::String(v)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::Array(v.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    /// `None` becomes `false`, the server's empty value.
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Bool(false), Into::into)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Int(i) => serializer.serialize_i64(*i),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::String(s) => serializer.serialize_str(s),
            Value::Double(d) => serializer.serialize_f64(*d),
            Value::DateTime(s) => serializer.serialize_newtype_struct(DATETIME_TOKEN, s),
            Value::Base64(b) => serializer.serialize_bytes(b),
            Value::Struct(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for v in items {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Value::Nil => serializer.serialize_unit(),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any XML-RPC value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        i64::try_from(v)
            .map(Value::Int)
            .map_err(|_| E::custom(format!("integer {v} is larger than XML-RPC's 64-bit <i8>")))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Double(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Base64(v.to_vec()))
    }

    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Value, E> {
        Ok(Value::Base64(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Nil)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Nil)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if members.is_empty() && key == DATETIME_TOKEN {
                return Ok(Value::DateTime(map.next_value()?));
            }
            let value = map.next_value()?;
            members.push((key, value));
        }
        Ok(Value::Struct(members))
    }
}

/// A `<dateTime.iso8601>` value for typed code: serializes as that element (not as a string) and
/// deserializes from it, keeping the text the peer sent.
///
/// TaskFlow itself sends and expects dates as strings; this type exists for other XML-RPC peers.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DateTimeIso8601(pub String);

impl Serialize for DateTimeIso8601 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(DATETIME_TOKEN, &self.0)
    }
}

impl<'de> Deserialize<'de> for DateTimeIso8601 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::DateTime(s) => Ok(DateTimeIso8601(s)),
            other => Err(de::Error::invalid_type(
                de::Unexpected::Other(other.type_name()),
                &"a <dateTime.iso8601> value",
            )),
        }
    }
}
