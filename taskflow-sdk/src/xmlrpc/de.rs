//! A serde `Deserializer` that pulls XML-RPC values from the scanner's tokens.
//!
//! No tree is built: each `<value>` is read when the target type asks for it, strings are borrowed
//! from the input unless they contain references (`&amp;`) or CDATA, and unwanted values are
//! skipped without allocating. Reading the markup is the scanner's part (`scan`).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::error::{DecodeError, DecodeErrorKind};
use super::scan::{
    Opened, Parser, Tag, Tok, decode_base64, parse_bool, parse_double, parse_int, unexpected,
};
use super::value::DATETIME_TOKEN;

type Result<T> = std::result::Result<T, DecodeError>;

/// Shows what a visitor expects, for error messages.
pub(crate) struct Expecting<'a, V>(pub(crate) &'a V);

impl<'de, V: Visitor<'de>> fmt::Display for Expecting<'_, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }
}

/// The error text for `false` given to a target that is neither a bool nor an `Option` (shared
/// with the JSON-RPC decoder, which applies the same conventions).
pub(crate) fn empty_field_message(expected: impl fmt::Display) -> String {
    format!(
        "found `false`, the server's empty value, but expected {expected}; declare the field \
         as Option<_> to accept empty values"
    )
}

/// The integer an integral double stands for: servers send integers beyond 32 bits as doubles.
pub(crate) fn integral(d: f64) -> Option<i64> {
    (d.fract() == 0.0 && d.abs() < 9.2e18).then_some(d as i64)
}

fn empty_field_error<'de, V: Visitor<'de>>(visitor: &V) -> DecodeError {
    DecodeError::new(
        DecodeErrorKind::Type,
        empty_field_message(Expecting(visitor)),
    )
}

impl<'de> Parser<'de> {
    /// Hands a fully read scalar to the visitor.
    fn visit_scalar<V: Visitor<'de>>(
        tag: Tag,
        text: Cow<'de, str>,
        visitor: V,
    ) -> Result<V::Value> {
        match tag {
            Tag::Int | Tag::I4 | Tag::I8 => visitor.visit_i64(parse_int(&text)?),
            Tag::Boolean => visitor.visit_bool(parse_bool(&text)?),
            Tag::Double => visitor.visit_f64(parse_double(&text)?),
            Tag::Base64 => visitor.visit_byte_buf(decode_base64(&text)?),
            Tag::DateTime => visitor.visit_map(DateTimeAccess { text: Some(text) }),
            _ => match text {
                Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
                Cow::Owned(s) => visitor.visit_string(s),
            },
        }
    }

    fn visit_opened<V: Visitor<'de>>(
        &mut self,
        opened: Opened<'de>,
        visitor: V,
    ) -> Result<V::Value> {
        match opened {
            Opened::Scalar(tag, text) => Self::visit_scalar(tag, text, visitor),
            Opened::Nil => visitor.visit_unit(),
            Opened::Struct { empty } => {
                let mut access = StructAccess {
                    de: self,
                    done: empty,
                };
                let value = visitor.visit_map(&mut access)?;
                if !access.done {
                    // The visitor stopped early: skip the members it did not ask for.
                    while de::MapAccess::next_key::<de::IgnoredAny>(&mut access)?.is_some() {
                        de::MapAccess::next_value::<de::IgnoredAny>(&mut access)?;
                    }
                }
                self.close_compound()?;
                Ok(value)
            }
            Opened::Array { empty } => {
                let mut access = ArrayAccess {
                    de: self,
                    done: empty,
                };
                let value = visitor.visit_seq(&mut access)?;
                if !access.done {
                    while de::SeqAccess::next_element::<de::IgnoredAny>(&mut access)?.is_some() {}
                }
                self.close_compound()?;
                Ok(value)
            }
        }
    }

    /// Opens a value for a typed (non-bool, non-option) target, refusing the `false` empty value
    /// with an error that says how to accept it.
    fn open_typed<V: Visitor<'de>>(&mut self, visitor: &V) -> Result<(Opened<'de>, u64)> {
        let (opened, start) = self.open()?;
        if let Opened::Scalar(Tag::Boolean, text) = &opened {
            if text.trim() == "0" {
                return Err(empty_field_error(visitor).at(start));
            }
        }
        Ok((opened, start))
    }

    fn deserialize_integer<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let (opened, start) = self.open_typed(&visitor)?;
        let result = match opened {
            // Servers send integers beyond 32 bits as doubles: accept integral ones.
            Opened::Scalar(Tag::Double, text) => {
                let d = parse_double(&text).map_err(|e| e.at(start))?;
                match integral(d) {
                    Some(i) => visitor.visit_i64(i),
                    None => Err(de::Error::invalid_type(de::Unexpected::Float(d), &visitor)),
                }
            }
            opened => self.visit_opened(opened, visitor),
        };
        result.map_err(|e| e.at(start))
    }

    fn deserialize_typed<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let (opened, start) = self.open_typed(&visitor)?;
        self.visit_opened(opened, visitor).map_err(|e| e.at(start))
    }
}

macro_rules! integer_hints {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.deserialize_integer(visitor)
        }
    )*};
}

macro_rules! typed_hints {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.deserialize_typed(visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Parser<'de> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (opened, start) = self.open()?;
        self.visit_opened(opened, visitor).map_err(|e| e.at(start))
    }

    integer_hints! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
    }

    typed_hints! {
        deserialize_f32 deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf
        deserialize_seq deserialize_map deserialize_unit
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_any(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (opened, start) = self.open_typed(&visitor)?;
        let result = match opened {
            // A string target takes the text of a date-time as it is.
            Opened::Scalar(Tag::DateTime, text) => Parser::visit_scalar(Tag::String, text, visitor),
            opened => self.visit_opened(opened, visitor),
        };
        result.map_err(|e| e.at(start))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (opened, start) = self.open()?;
        let result = match opened {
            Opened::Nil => visitor.visit_none(),
            // `false` is the server's empty value, except for a target that is itself a bool.
            Opened::Scalar(Tag::Boolean, text)
                if text.trim() == "0"
                    && typeid::of::<V::Value>() != typeid::of::<Option<bool>>() =>
            {
                visitor.visit_none()
            }
            opened => visitor.visit_some(PreOpened {
                de: self,
                opened: Some(opened),
            }),
        };
        result.map_err(|e| e.at(start))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_typed(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_typed(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_typed(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_typed(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let (opened, start) = self.open_typed(&visitor)?;
        let result = match opened {
            Opened::Scalar(Tag::String, Cow::Borrowed(s)) => {
                visitor.visit_enum(de::value::BorrowedStrDeserializer::new(s))
            }
            Opened::Scalar(Tag::String, Cow::Owned(s)) => visitor.visit_enum(s.into_deserializer()),
            Opened::Struct { empty: false } => {
                let value = visitor.visit_enum(VariantStruct { de: &mut *self })?;
                self.close_compound()?;
                Ok(value)
            }
            opened => {
                let found = match &opened {
                    Opened::Scalar(tag, _) => tag.name(),
                    Opened::Nil => "nil",
                    Opened::Struct { .. } => "empty struct",
                    Opened::Array { .. } => "array",
                };
                Err(DecodeError::new(
                    DecodeErrorKind::Type,
                    format!(
                        "expected {} (a string key or a one-member struct), found {found}",
                        Expecting(&visitor)
                    ),
                ))
            }
        };
        result.map_err(|e| e.at(start))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        // A skipped compound is walked like a decoded one (scanners, depth limit, end tags
        // checked), with nothing kept.
        let (opened, _) = self.open()?;
        self.visit_opened(opened, de::IgnoredAny)?;
        visitor.visit_unit()
    }
}

/// A deserializer for a value whose opening has already been read (by `deserialize_option`).
struct PreOpened<'a, 'de> {
    de: &'a mut Parser<'de>,
    opened: Option<Opened<'de>>,
}

impl<'de> PreOpened<'_, 'de> {
    fn take(&mut self) -> Opened<'de> {
        self.opened.take().unwrap_or(Opened::Nil)
    }

    fn typed<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        let opened = self.take();
        if let Opened::Scalar(Tag::Boolean, text) = &opened {
            if text.trim() == "0" {
                return Err(empty_field_error(&visitor));
            }
        }
        self.de.visit_opened(opened, visitor)
    }
}

macro_rules! preopened_typed {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.typed(visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for PreOpened<'_, 'de> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        let opened = self.take();
        self.de.visit_opened(opened, visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_any(visitor)
    }

    preopened_typed! {
        deserialize_f32 deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf
        deserialize_seq deserialize_map deserialize_unit deserialize_identifier
    }

    fn deserialize_i64<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        match self.take() {
            Opened::Scalar(Tag::Double, text) => {
                let d = parse_double(&text)?;
                match integral(d) {
                    Some(i) => visitor.visit_i64(i),
                    None => Err(de::Error::invalid_type(de::Unexpected::Float(d), &visitor)),
                }
            }
            opened => {
                self.opened = Some(opened);
                self.typed(visitor)
            }
        }
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        match self.take() {
            Opened::Scalar(Tag::DateTime, text) => Parser::visit_scalar(Tag::String, text, visitor),
            opened => {
                self.opened = Some(opened);
                self.typed(visitor)
            }
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.typed(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value> {
        self.typed(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.typed(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.typed(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.take() {
            Opened::Scalar(Tag::String, Cow::Borrowed(s)) => {
                visitor.visit_enum(de::value::BorrowedStrDeserializer::new(s))
            }
            Opened::Scalar(Tag::String, Cow::Owned(s)) => visitor.visit_enum(s.into_deserializer()),
            Opened::Struct { empty: false } => {
                let value = visitor.visit_enum(VariantStruct { de: &mut *self.de })?;
                self.de.close_compound()?;
                Ok(value)
            }
            _ => Err(DecodeError::new(
                DecodeErrorKind::Type,
                format!(
                    "expected {} (a string key or a one-member struct)",
                    Expecting(&visitor)
                ),
            )),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        let opened = self.take();
        self.de.visit_opened(opened, de::IgnoredAny)?;
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! { i128 u128 }
}

/// Members of a `<struct>`.
struct StructAccess<'a, 'de> {
    de: &'a mut Parser<'de>,
    done: bool,
}

impl<'de> de::MapAccess<'de> for StructAccess<'_, 'de> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.done {
            return Ok(None);
        }
        if self.de.scan_tags(&[b"<member>"]) {
            let name = self.de.read_member_name()?;
            let at = self.de.position();
            return seed
                .deserialize(KeyDeserializer { key: name })
                .map(Some)
                .map_err(|e| e.at(at));
        }
        if self.de.scan_tags(&[b"</struct>"]) {
            self.done = true;
            return Ok(None);
        }
        match self.de.next_tag()? {
            Tok::End(Tag::Struct) => {
                self.done = true;
                Ok(None)
            }
            Tok::Start(Tag::Member) => {
                let name = self.de.read_member_name()?;
                let at = self.de.position();
                seed.deserialize(KeyDeserializer { key: name })
                    .map(Some)
                    .map_err(|e| e.at(at))
            }
            other => Err(unexpected("<member> or </struct>", &other).at(self.de.position())),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value> {
        let value = seed.deserialize(&mut *self.de)?;
        if !self.de.scan_tags(&[b"</member>"]) {
            self.de.expect_end(Tag::Member)?;
        }
        Ok(value)
    }
}

/// Elements of an `<array>`.
struct ArrayAccess<'a, 'de> {
    de: &'a mut Parser<'de>,
    done: bool,
}

impl<'de> de::SeqAccess<'de> for ArrayAccess<'_, 'de> {
    type Error = DecodeError;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>> {
        if self.done {
            return Ok(None);
        }
        // A plainly written element is opened here, since looking for `</data>` would read its
        // `<value>`; `open` takes it from the parser.
        if self.de.scan_element()? {
            return seed.deserialize(&mut *self.de).map(Some);
        }
        if self.de.scan_tags(&[b"</data>", b"</array>"]) {
            self.done = true;
            return Ok(None);
        }
        if let Tok::End(Tag::Data) = self.de.peek_tag()? {
            self.de.next_tag()?;
            self.de.expect_end(Tag::Array)?;
            self.done = true;
            return Ok(None);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }
}

/// Struct member names; borrowed when the name had no references.
struct KeyDeserializer<'de> {
    key: Cow<'de, str>,
}

impl<'de> de::Deserializer<'de> for KeyDeserializer<'de> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.key {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Presents a `<dateTime.iso8601>` to `deserialize_any` as a one-entry map (see `DATETIME_TOKEN`).
struct DateTimeAccess<'de> {
    text: Option<Cow<'de, str>>,
}

impl<'de> de::MapAccess<'de> for DateTimeAccess<'de> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.text.is_none() {
            return Ok(None);
        }
        seed.deserialize(de::value::BorrowedStrDeserializer::new(DATETIME_TOKEN))
            .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value> {
        match self.text.take() {
            Some(Cow::Borrowed(s)) => seed.deserialize(de::value::BorrowedStrDeserializer::new(s)),
            Some(Cow::Owned(s)) => seed.deserialize(de::value::StringDeserializer::new(s)),
            None => Err(de::Error::custom("date-time value read twice")),
        }
    }
}

/// An enum written as a one-member struct `{variant: content}`.
struct VariantStruct<'a, 'de> {
    de: &'a mut Parser<'de>,
}

impl<'de> de::EnumAccess<'de> for VariantStruct<'_, 'de> {
    type Error = DecodeError;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self)> {
        self.de.expect_start(Tag::Member)?;
        self.de.expect_start(Tag::Name)?;
        let name = self.de.read_text(Tag::Name)?;
        let variant = seed.deserialize(KeyDeserializer { key: name })?;
        Ok((variant, self))
    }
}

impl<'de> VariantStruct<'_, 'de> {
    fn finish(self) -> Result<()> {
        self.de.expect_end(Tag::Member)?;
        self.de.expect_end(Tag::Struct)
    }
}

impl<'de> de::VariantAccess<'de> for VariantStruct<'_, 'de> {
    type Error = DecodeError;

    fn unit_variant(self) -> Result<()> {
        de::Deserializer::deserialize_ignored_any(&mut *self.de, de::IgnoredAny)?;
        self.finish()
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value> {
        let value = seed.deserialize(&mut *self.de)?;
        self.finish()?;
        Ok(value)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        let value = de::Deserializer::deserialize_seq(&mut *self.de, visitor)?;
        self.finish()?;
        Ok(value)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let value = de::Deserializer::deserialize_map(&mut *self.de, visitor)?;
        self.finish()?;
        Ok(value)
    }
}

/// The `<param>` elements of a call or response, as a sequence.
pub(super) struct ParamsDeserializer<'a, 'de> {
    pub(super) de: &'a mut Parser<'de>,
    /// No `<param>` follows (`<params/>`, or no `<params>` at all).
    pub(super) empty: bool,
}

impl<'de> de::Deserializer<'de> for ParamsDeserializer<'_, 'de> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mut access = ParamsAccess {
            de: self.de,
            done: self.empty,
        };
        let value = visitor.visit_seq(&mut access)?;
        if !access.done {
            while de::SeqAccess::next_element::<de::IgnoredAny>(&mut access)?.is_some() {}
        }
        Ok(value)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.empty {
            return visitor.visit_unit();
        }
        match self.de.peek_tag()? {
            Tok::End(Tag::Params) => {
                self.de.next_tag()?;
                visitor.visit_unit()
            }
            _ => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct ParamsAccess<'a, 'de> {
    de: &'a mut Parser<'de>,
    done: bool,
}

impl<'de> de::SeqAccess<'de> for ParamsAccess<'_, 'de> {
    type Error = DecodeError;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>> {
        if self.done {
            return Ok(None);
        }
        match self.de.next_tag()? {
            Tok::End(Tag::Params) => {
                self.done = true;
                Ok(None)
            }
            Tok::Start(Tag::Param) => {
                let value = seed.deserialize(&mut *self.de)?;
                self.de.expect_end(Tag::Param)?;
                Ok(Some(value))
            }
            other => Err(unexpected("<param> or </params>", &other).at(self.de.position())),
        }
    }
}
