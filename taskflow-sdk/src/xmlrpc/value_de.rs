//! `from_value`: a [`Value`] into any `Deserialize` type, with the same conventions as the XML
//! decoder (`false` is `None` for options, integral doubles fit integers).

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use super::error::{DecodeError, DecodeErrorKind};
use super::value::{DATETIME_TOKEN, Value};

type Result<T> = std::result::Result<T, DecodeError>;

/// Converts a [`Value`] into `T`, following the server's conventions like the XML decoder does.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T> {
    T::deserialize(value)
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Int(i) => de::Unexpected::Signed(*i),
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Double(d) => de::Unexpected::Float(*d),
        Value::DateTime(_) => de::Unexpected::Other("dateTime.iso8601"),
        Value::Base64(b) => de::Unexpected::Bytes(b),
        Value::Struct(_) => de::Unexpected::Map,
        Value::Array(_) => de::Unexpected::Seq,
        Value::Nil => de::Unexpected::Unit,
    }
}

impl Value {
    fn refuse_empty<'de, V: Visitor<'de>>(self, visitor: &V) -> Result<Value> {
        if self == Value::Bool(false) {
            return Err(DecodeError::new(
                DecodeErrorKind::Type,
                format!(
                    "found `false`, the server's empty value, but expected {}; declare the \
                     field as Option<_> to accept empty values",
                    super::value_de::Expecting(visitor)
                ),
            ));
        }
        Ok(self)
    }
}

pub(crate) struct Expecting<'a, V>(pub(crate) &'a V);

impl<'de, V: Visitor<'de>> std::fmt::Display for Expecting<'_, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.expecting(f)
    }
}

impl IntoDeserializer<'_, DecodeError> for Value {
    type Deserializer = Value;
    fn into_deserializer(self) -> Value {
        self
    }
}

macro_rules! typed {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.refuse_empty(&visitor)?.deserialize_any(visitor)
        }
    )*};
}

macro_rules! integer {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            match self.refuse_empty(&visitor)? {
                Value::Double(d) if d.fract() == 0.0 && d.abs() < 9.2e18 => {
                    visitor.visit_i64(d as i64)
                }
                other => other.deserialize_any(visitor),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Value::Int(i) => visitor.visit_i64(i),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::String(s) => visitor.visit_string(s),
            Value::Double(d) => visitor.visit_f64(d),
            Value::DateTime(s) => visitor.visit_map(de::value::MapDeserializer::new(
                std::iter::once((DATETIME_TOKEN, s)),
            )),
            Value::Base64(b) => visitor.visit_byte_buf(b),
            Value::Struct(members) => {
                let mut map = de::value::MapDeserializer::new(members.into_iter());
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
            Value::Array(items) => {
                let mut seq = de::value::SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Value::Nil => visitor.visit_unit(),
        }
    }

    integer! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
    }

    typed! {
        deserialize_f32 deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf
        deserialize_seq deserialize_map deserialize_unit deserialize_identifier
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_any(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.refuse_empty(&visitor)? {
            Value::DateTime(s) => visitor.visit_string(s),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Value::Nil => visitor.visit_none(),
            Value::Bool(false) if typeid::of::<V::Value>() != typeid::of::<Option<bool>>() => {
                visitor.visit_none()
            }
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.refuse_empty(&visitor)?.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self {
            Value::String(s) => visitor.visit_enum(s.into_deserializer()),
            Value::Struct(mut members) if members.len() == 1 => {
                let (variant, content) = members.remove(0);
                visitor.visit_enum(de::value::MapAccessDeserializer::new(
                    de::value::MapDeserializer::new(std::iter::once((variant, content))),
                ))
            }
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }
}
