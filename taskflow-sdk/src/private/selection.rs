//! Serde and write-value glue for `#[derive(Selection)]` enums: a variant travels as its key.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;

use crate::selection::Selection;
use crate::values::WriteValue;
use crate::xmlrpc::Value;

pub fn serialize<S: Selection, Ser: Serializer>(
    value: &S,
    serializer: Ser,
) -> Result<Ser::Ok, Ser::Error> {
    serializer.serialize_str(value.key())
}

pub fn deserialize<'de, S: Selection, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<S, D::Error> {
    deserializer.deserialize_str(KeyVisitor::<S>(PhantomData))
}

pub fn write_value<S: Selection>(value: S) -> WriteValue {
    WriteValue::plain(Value::String(value.key().to_owned()))
}

pub fn operand_value<S: Selection>(value: S) -> Value {
    Value::String(value.key().to_owned())
}

struct KeyVisitor<S>(PhantomData<S>);

impl<S: Selection> Visitor<'_> for KeyVisitor<S> {
    type Value = S;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a key of selection {}", S::NAME)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<S, E> {
        S::from_key(v).ok_or_else(|| {
            let keys: Vec<String> = S::KEYS.iter().map(|k| format!("`{k}`")).collect();
            E::custom(format_args!(
                "unknown key `{v}` for selection {}: expected one of {}",
                S::NAME,
                keys.join(", ")
            ))
        })
    }
}
