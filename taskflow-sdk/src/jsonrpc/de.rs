//! A serde `Deserializer` adapter that gives serde_json's tokenizer the codec's conventions.
//!
//! serde_json reads the bytes (borrowing strings where it can, skipping unwanted values without
//! allocating); the adapter stands between it and the target type, at every depth: each visitor,
//! seed, sequence, map and enum serde_json hands out is wrapped so that
//! - `false`, the server's empty value, is `None` for an `Option<T>` whose `T` is not `bool`, and
//!   an error that says so for any other typed target;
//! - an integral float fits an integer (the server sends integers beyond 32 bits as doubles);
//! - nesting deeper than [`Limits::max_depth`](crate::xmlrpc::Limits) is an error.
//!
//! `[id, "name"]` pairs need nothing here: serde's tuples and structs take sequences already.

use std::fmt;

use serde::de::value::{
    BorrowedStrDeserializer, MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer,
    StringDeserializer,
};
use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

use crate::xmlrpc::{Expecting, empty_field_message, integral};

/// How a wrapped visitor treats the values it is given.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `deserialize_any`, `bool`: every value as it is.
    Any,
    /// A typed target (string, number, struct...): `false` is refused with advice.
    Typed,
    /// An integer target: like `Typed`, and integral floats fit.
    Integer,
}

/// Wraps a deserializer of the value at `remaining` levels of nesting left.
pub(super) struct Adapter<D> {
    pub(super) de: D,
    pub(super) remaining: usize,
}

impl<D> Adapter<D> {
    fn conv<V>(&self, visitor: V, mode: Mode) -> Conv<V> {
        Conv {
            visitor,
            remaining: self.remaining,
            mode,
        }
    }
}

macro_rules! via_any {
    ($mode:ident: $($method:ident)*) => {$(
        #[inline]
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            let conv = self.conv(visitor, Mode::$mode);
            self.de.deserialize_any(conv)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Adapter<D> {
    type Error = D::Error;

    via_any! { Any: deserialize_any }
    via_any! { Integer:
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
    }
    // serde_json's own hints for these parse nothing differently from `deserialize_any`; going
    // through it lets the wrapper see `false` and give its advice.
    via_any! { Typed:
        deserialize_f32 deserialize_f64 deserialize_char deserialize_str deserialize_string
        deserialize_unit deserialize_seq deserialize_map
    }

    #[inline]
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let conv = self.conv(visitor, Mode::Any);
        self.de.deserialize_bool(conv)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let conv = self.conv(visitor, Mode::Integer);
        self.de.deserialize_i128(conv)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let conv = self.conv(visitor, Mode::Integer);
        self.de.deserialize_u128(conv)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let conv = self.conv(visitor, Mode::Typed);
        self.de.deserialize_bytes(conv)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let conv = self.conv(visitor, Mode::Typed);
        self.de.deserialize_byte_buf(conv)
    }

    #[inline]
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.de.deserialize_any(OptionConv {
            visitor,
            remaining: self.remaining,
        })
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let conv = self.conv(visitor, Mode::Typed);
        self.de.deserialize_any(conv)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let conv = self.conv(visitor, Mode::Any);
        self.de.deserialize_newtype_struct(name, conv)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let conv = self.conv(visitor, Mode::Typed);
        self.de.deserialize_any(conv)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let conv = self.conv(visitor, Mode::Typed);
        self.de.deserialize_any(conv)
    }

    #[inline]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let conv = self.conv(visitor, Mode::Typed);
        self.de.deserialize_any(conv)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let conv = self.conv(visitor, Mode::Typed);
        self.de.deserialize_enum(name, variants, conv)
    }

    #[inline]
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let conv = self.conv(visitor, Mode::Any);
        self.de.deserialize_identifier(conv)
    }

    #[inline]
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        // Skipping needs no conventions: serde_json skips without building or recursing.
        self.de.deserialize_ignored_any(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

fn too_deep<E: de::Error>() -> E {
    E::custom("nesting deeper than the depth limit (Limits::max_depth)")
}

/// A visitor of the target, seen through the conventions.
struct Conv<V> {
    visitor: V,
    remaining: usize,
    mode: Mode,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Conv<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    #[inline]
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        if !v && self.mode != Mode::Any {
            return Err(E::custom(empty_field_message(Expecting(&self.visitor))));
        }
        self.visitor.visit_bool(v)
    }

    #[inline]
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.visitor.visit_i64(v)
    }

    #[inline]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.visitor.visit_u64(v)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<V::Value, E> {
        self.visitor.visit_i128(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<V::Value, E> {
        self.visitor.visit_u128(v)
    }

    #[inline]
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        if self.mode == Mode::Integer {
            return match integral(v) {
                Some(i) => self.visitor.visit_i64(i),
                None => Err(E::invalid_type(de::Unexpected::Float(v), &self.visitor)),
            };
        }
        self.visitor.visit_f64(v)
    }

    #[inline]
    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.visitor.visit_str(v)
    }

    #[inline]
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.visitor.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.visitor.visit_string(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.visitor.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.visitor.visit_borrowed_bytes(v)
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        self.visitor.visit_byte_buf(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(Adapter {
            de,
            remaining: self.remaining,
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(Adapter {
            de,
            remaining: self.remaining,
        })
    }

    #[inline]
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let remaining = self.remaining.checked_sub(1).ok_or_else(too_deep)?;
        self.visitor.visit_seq(Seq { seq, remaining })
    }

    #[inline]
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let remaining = self.remaining.checked_sub(1).ok_or_else(too_deep)?;
        self.visitor.visit_map(Map { map, remaining })
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_enum(Enum {
            data,
            remaining: self.remaining,
        })
    }
}

/// The visitor of an `Option<T>`, fed by `deserialize_any`: `null` and (unless `T` is `bool`)
/// `false` are `None`; anything else is handed on as `Some`, still under the conventions.
struct OptionConv<V> {
    visitor: V,
    remaining: usize,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for OptionConv<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    #[inline]
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        // Exactly the XML-RPC deserializer's rule: only `Option<bool>` keeps its `false`.
        if !v && typeid::of::<V::Value>() != typeid::of::<Option<bool>>() {
            return self.visitor.visit_none();
        }
        self.visitor.visit_some(Scalar::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.visitor.visit_some(Scalar::I64(v))
    }

    #[inline]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.visitor.visit_some(Scalar::U64(v))
    }

    #[inline]
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.visitor.visit_some(Scalar::F64(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.visitor.visit_some(Scalar::Str(v))
    }

    #[inline]
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.visitor.visit_some(Scalar::BorrowedStr(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.visitor.visit_some(Scalar::String(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.visitor.visit_some(Scalar::Bytes(v))
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.visitor.visit_some(Scalar::BorrowedBytes(v))
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(Adapter {
            de,
            remaining: self.remaining,
        })
    }

    #[inline]
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let remaining = self.remaining.checked_sub(1).ok_or_else(too_deep)?;
        self.visitor
            .visit_some(SeqAccessDeserializer::new(Seq { seq, remaining }))
    }

    #[inline]
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let remaining = self.remaining.checked_sub(1).ok_or_else(too_deep)?;
        self.visitor
            .visit_some(MapAccessDeserializer::new(Map { map, remaining }))
    }
}

/// A scalar already read (by `OptionConv`), handed on inside `Some` under the conventions.
enum Scalar<'a, 'de, E> {
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(&'a str),
    BorrowedStr(&'de str),
    String(String),
    Bytes(&'a [u8]),
    BorrowedBytes(&'de [u8]),
    #[allow(dead_code)]
    Never(std::marker::PhantomData<E>),
}

impl<'de, E: de::Error> Scalar<'_, 'de, E> {
    fn typed<V: Visitor<'de>>(self, visitor: V, mode: Mode) -> Result<V::Value, E> {
        match self {
            Scalar::Bool(false) => Err(E::custom(empty_field_message(Expecting(&visitor)))),
            Scalar::F64(v) if mode == Mode::Integer => match integral(v) {
                Some(i) => visitor.visit_i64(i),
                None => Err(E::invalid_type(de::Unexpected::Float(v), &visitor)),
            },
            scalar => de::Deserializer::deserialize_any(scalar, visitor),
        }
    }
}

macro_rules! scalar_hints {
    ($mode:ident: $($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
            self.typed(visitor, Mode::$mode)
        }
    )*};
}

impl<'de, E: de::Error> Deserializer<'de> for Scalar<'_, 'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self {
            Scalar::Bool(v) => visitor.visit_bool(v),
            Scalar::I64(v) => visitor.visit_i64(v),
            Scalar::U64(v) => visitor.visit_u64(v),
            Scalar::F64(v) => visitor.visit_f64(v),
            Scalar::Str(v) => visitor.visit_str(v),
            Scalar::BorrowedStr(v) => visitor.visit_borrowed_str(v),
            Scalar::String(v) => visitor.visit_string(v),
            Scalar::Bytes(v) => visitor.visit_bytes(v),
            Scalar::BorrowedBytes(v) => visitor.visit_borrowed_bytes(v),
            Scalar::Never(_) => unreachable!("never built"),
        }
    }

    scalar_hints! { Integer:
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
    }

    scalar_hints! { Typed:
        deserialize_f32 deserialize_f64 deserialize_char deserialize_str deserialize_string
        deserialize_bytes deserialize_byte_buf deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        match self {
            Scalar::Str(v) => StrDeserializer::new(v).deserialize_enum(name, variants, visitor),
            Scalar::BorrowedStr(v) => {
                BorrowedStrDeserializer::new(v).deserialize_enum(name, variants, visitor)
            }
            Scalar::String(v) => {
                StringDeserializer::new(v).deserialize_enum(name, variants, visitor)
            }
            scalar => scalar.typed(visitor, Mode::Typed),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        self.typed(visitor, Mode::Typed)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, E> {
        self.typed(visitor, Mode::Typed)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, E> {
        self.typed(visitor, Mode::Typed)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        self.typed(visitor, Mode::Typed)
    }

    serde::forward_to_deserialize_any! { bool ignored_any }
}

/// A seed whose value is read through the adapter.
struct Seed<S> {
    seed: S,
    remaining: usize,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Adapter {
            de,
            remaining: self.remaining,
        })
    }
}

struct Seq<A> {
    seq: A,
    remaining: usize,
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for Seq<A> {
    type Error = A::Error;

    #[inline]
    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        self.seq.next_element_seed(Seed {
            seed,
            remaining: self.remaining,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

struct Map<A> {
    map: A,
    remaining: usize,
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Map<A> {
    type Error = A::Error;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.map.next_key_seed(Seed {
            seed,
            remaining: self.remaining,
        })
    }

    #[inline]
    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.map.next_value_seed(Seed {
            seed,
            remaining: self.remaining,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

struct Enum<A> {
    data: A,
    remaining: usize,
}

impl<'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for Enum<A> {
    type Error = A::Error;
    type Variant = Enum<A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), A::Error> {
        let remaining = self.remaining;
        let (value, data) = self.data.variant_seed(Seed { seed, remaining })?;
        Ok((value, Enum { data, remaining }))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Enum<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.data.unit_variant()
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, A::Error> {
        self.data.newtype_variant_seed(Seed {
            seed,
            remaining: self.remaining,
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        let conv = Conv {
            visitor,
            remaining: self.remaining,
            mode: Mode::Typed,
        };
        self.data.tuple_variant(len, conv)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        let conv = Conv {
            visitor,
            remaining: self.remaining,
            mode: Mode::Typed,
        };
        self.data.struct_variant(fields, conv)
    }
}
