//! Selection fields as Rust enums.
//!
//! `#[derive(Selection)]` maps each unit variant to a server key: the variant's name in
//! snake_case, or the key given with `#[taskflow(rename = "...")]`. An unknown key from the server
//! is an error that names the enum and lists the keys it knows.
//!
//! ```
//! use taskflow_sdk::Selection;
//!
//! #[derive(Selection, Clone, Copy, Debug, PartialEq)]
//! enum Priority {
//!     #[taskflow(rename = "0")]
//!     Low,
//!     #[taskflow(rename = "1")]
//!     Medium,
//!     #[taskflow(rename = "3")]
//!     VeryHigh,
//! }
//!
//! assert_eq!(Priority::VeryHigh.key(), "3");
//! assert_eq!(Priority::from_key("1"), Some(Priority::Medium));
//! let err = taskflow_sdk::xmlrpc::from_value::<Priority>("9".into()).unwrap_err();
//! assert_eq!(
//!     err.message(),
//!     "unknown key `9` for selection Priority: expected one of `0`, `1`, `3`"
//! );
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;

use crate::model::WriteValue;
use crate::xmlrpc::Value;

/// A Rust enum standing for a selection field. Implemented by `#[derive(Selection)]`.
pub trait Selection: Sized + 'static {
    /// The enum's name, for errors.
    const NAME: &'static str;
    /// Every server key, in variant order.
    const KEYS: &'static [&'static str];

    /// The server key of this variant.
    fn key(&self) -> &'static str;

    /// The variant of a server key.
    fn from_key(key: &str) -> Option<Self>;
}

#[doc(hidden)]
pub fn serialize<S: Selection, Ser: Serializer>(
    value: &S,
    serializer: Ser,
) -> Result<Ser::Ok, Ser::Error> {
    serializer.serialize_str(value.key())
}

#[doc(hidden)]
pub fn deserialize<'de, S: Selection, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<S, D::Error> {
    deserializer.deserialize_str(KeyVisitor::<S>(PhantomData))
}

#[doc(hidden)]
pub fn write_value<S: Selection>(value: S) -> WriteValue {
    WriteValue::plain(Value::String(value.key().to_owned()))
}

#[doc(hidden)]
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
