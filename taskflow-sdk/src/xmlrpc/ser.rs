//! A serde `Serializer` writing XML-RPC `<value>` elements straight into a byte buffer.

use std::io::Write as _;

use base64::Engine as _;
use serde::ser::{self, Impossible, Serialize};

use super::error::EncodeError;
use super::value::DATETIME_TOKEN;

type Result<T> = std::result::Result<T, EncodeError>;

/// Writes `s` as XML character data: `<`, `>` and `&` become entities, `\r` a character reference
/// (a raw one would be normalised away by the reader); everything else, non-ASCII included, is
/// copied as raw UTF-8. Control characters that XML 1.0 cannot carry at all are an error.
pub(crate) fn write_escaped(out: &mut Vec<u8>, s: &str) -> Result<()> {
    let bytes = s.as_bytes();
    // Most text needs nothing: one check, then one copy.
    if !needs_escaping(bytes) {
        out.extend_from_slice(bytes);
        return Ok(());
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let replacement: &[u8] = match b {
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'&' => b"&amp;",
            b'\r' => b"&#13;",
            b'\t' | b'\n' => continue,
            0..=0x1f => {
                return Err(EncodeError::new(format!(
                    "string contains the control character U+{b:04X}, which XML 1.0 cannot carry; \
                     remove it or send the data as bytes (<base64>)"
                )));
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(replacement);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    Ok(())
}

/// Whether `bytes` holds `<`, `>`, `&` or a control character. Long text takes a branch-free
/// pass the compiler vectorises; short text (most cells: names, phone numbers, codes) is checked
/// eight bytes at a time in a `u64`, which costs less than the vector loop's set-up.
#[inline]
fn needs_escaping(bytes: &[u8]) -> bool {
    if bytes.len() >= 64 {
        return bytes.iter().fold(false, |special, &b| {
            special | (b < 0x20) | (b == b'<') | (b == b'>') | (b == b'&')
        });
    }
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // A high bit per byte of `word` that is zero (exact for the lowest one, enough for "any").
    let has_zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS;
    let special = |word: u64| {
        // Bytes below 0x20, where bytes of 0x80 and up (UTF-8) never count.
        let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
        control
            | has_zero(word ^ (ONES * u64::from(b'<')))
            | has_zero(word ^ (ONES * u64::from(b'>')))
            | has_zero(word ^ (ONES * u64::from(b'&')))
            != 0
    };
    let word_at = |at: usize| {
        let mut word = [0; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        u64::from_ne_bytes(word)
    };
    if bytes.len() < 8 {
        return bytes
            .iter()
            .any(|&b| b < 0x20 || b == b'<' || b == b'>' || b == b'&');
    }
    // Whole words, then the last eight bytes (overlapping the last word): no copy of a tail.
    (0..bytes.len() / 8).any(|i| special(word_at(i * 8))) || special(word_at(bytes.len() - 8))
}

/// How strings are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Strings {
    /// `<value><string>text</string></value>`, as the TaskFlow server and Python answer.
    Typed,
    /// `<value>text</value>`: a value without a type is a string (XML-RPC specification), and
    /// a third fewer bytes for a bulk `load` to send, encode and have parsed.
    Bare,
}

/// Serializes one value as `<value>...</value>`.
pub(crate) struct ValueSerializer<'a> {
    pub(crate) out: &'a mut Vec<u8>,
    pub(crate) strings: Strings,
}

impl<'a> ValueSerializer<'a> {
    pub(crate) fn new(out: &'a mut Vec<u8>, strings: Strings) -> Self {
        ValueSerializer { out, strings }
    }

    fn int(self, v: i64) -> Result<()> {
        let mut text = itoa::Buffer::new();
        let (open, close): (&[u8], &[u8]) = if i32::try_from(v).is_ok() {
            (b"<value><int>", b"</int></value>")
        } else {
            // Beyond 32 bits only `<i8>` is understood (the server accepts it, see transcript 098).
            (b"<value><i8>", b"</i8></value>")
        };
        self.out.extend_from_slice(open);
        self.out.extend_from_slice(text.format(v).as_bytes());
        self.out.extend_from_slice(close);
        Ok(())
    }

    fn string(self, v: &str) -> Result<()> {
        match self.strings {
            Strings::Typed => {
                self.out.extend_from_slice(b"<value><string>");
                write_escaped(self.out, v)?;
                self.out.extend_from_slice(b"</string></value>");
            }
            Strings::Bare => {
                self.out.extend_from_slice(b"<value>");
                write_escaped(self.out, v)?;
                self.out.extend_from_slice(b"</value>");
            }
        }
        Ok(())
    }
}

impl<'a> ser::Serializer for ValueSerializer<'a> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = ArraySerializer<'a>;
    type SerializeTuple = ArraySerializer<'a>;
    type SerializeTupleStruct = ArraySerializer<'a>;
    type SerializeTupleVariant = VariantSerializer<ArraySerializer<'a>>;
    type SerializeMap = StructSerializer<'a>;
    type SerializeStruct = StructSerializer<'a>;
    type SerializeStructVariant = VariantSerializer<StructSerializer<'a>>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.out.extend_from_slice(if v {
            b"<value><boolean>1</boolean></value>"
        } else {
            b"<value><boolean>0</boolean></value>"
        });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.int(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        let v = i64::try_from(v).map_err(|_| {
            EncodeError::new(format!("integer {v} does not fit XML-RPC's 64-bit <i8>"))
        })?;
        self.int(v)
    }
    fn serialize_i128(self, v: i128) -> Result<()> {
        let v = i64::try_from(v).map_err(|_| {
            EncodeError::new(format!("integer {v} does not fit XML-RPC's 64-bit <i8>"))
        })?;
        self.int(v)
    }
    fn serialize_u128(self, v: u128) -> Result<()> {
        let v = i64::try_from(v).map_err(|_| {
            EncodeError::new(format!("integer {v} does not fit XML-RPC's 64-bit <i8>"))
        })?;
        self.int(v)
    }

    fn serialize_f32(self, v: f32) -> Result<()> {
        self.serialize_f64(v.into())
    }

    fn serialize_f64(self, v: f64) -> Result<()> {
        if !v.is_finite() {
            return Err(EncodeError::new(format!(
                "the double {v} has no XML-RPC representation; send a finite number"
            )));
        }
        // `Display` for f64 is the shortest text that reads back to the same value, and never
        // uses an exponent, as the XML-RPC spec asks.
        let _ = write!(self.out, "<value><double>{v}</double></value>");
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<()> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<()> {
        self.string(v)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        self.out.extend_from_slice(b"<value><base64>");
        let start = self.out.len();
        self.out
            .resize(start + base64::encoded_len(v.len(), true).unwrap_or(0), 0);
        let written = base64::engine::general_purpose::STANDARD
            .encode_slice(v, &mut self.out[start..])
            .map_err(|e| EncodeError::new(format!("base64 encoding failed: {e}")))?;
        self.out.truncate(start + written);
        self.out.extend_from_slice(b"</base64></value>");
        Ok(())
    }

    fn serialize_none(self) -> Result<()> {
        self.serialize_unit()
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<()> {
        self.out.extend_from_slice(b"<value><nil/></value>");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.string(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        if name == DATETIME_TOKEN {
            self.out.extend_from_slice(b"<value><dateTime.iso8601>");
            value.serialize(RawTextSerializer { out: self.out })?;
            self.out.extend_from_slice(b"</dateTime.iso8601></value>");
            return Ok(());
        }
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        self.out.extend_from_slice(b"<value><struct><member><name>");
        write_escaped(self.out, variant)?;
        self.out.extend_from_slice(b"</name>");
        value.serialize(ValueSerializer {
            out: self.out,
            strings: self.strings,
        })?;
        self.out.extend_from_slice(b"</member></struct></value>");
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<ArraySerializer<'a>> {
        self.out.extend_from_slice(b"<value><array><data>");
        Ok(ArraySerializer {
            out: self.out,
            strings: self.strings,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<ArraySerializer<'a>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<ArraySerializer<'a>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        self.out.extend_from_slice(b"<value><struct><member><name>");
        write_escaped(self.out, variant)?;
        self.out.extend_from_slice(b"</name>");
        let inner = ValueSerializer {
            out: self.out,
            strings: self.strings,
        }
        .serialize_seq(Some(len))?;
        Ok(VariantSerializer { inner })
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<StructSerializer<'a>> {
        self.out.extend_from_slice(b"<value><struct>");
        Ok(StructSerializer {
            out: self.out,
            strings: self.strings,
        })
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<StructSerializer<'a>> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        self.out.extend_from_slice(b"<value><struct><member><name>");
        write_escaped(self.out, variant)?;
        self.out.extend_from_slice(b"</name>");
        let inner = ValueSerializer {
            out: self.out,
            strings: self.strings,
        }
        .serialize_map(Some(len))?;
        Ok(VariantSerializer { inner })
    }
}

/// Writes the elements of an `<array>`.
pub(crate) struct ArraySerializer<'a> {
    out: &'a mut Vec<u8>,
    strings: Strings,
}

impl ser::SerializeSeq for ArraySerializer<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        value.serialize(ValueSerializer {
            out: self.out,
            strings: self.strings,
        })
    }

    fn end(self) -> Result<()> {
        self.out.extend_from_slice(b"</data></array></value>");
        Ok(())
    }
}

impl ser::SerializeTuple for ArraySerializer<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<()> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for ArraySerializer<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<()> {
        ser::SerializeSeq::end(self)
    }
}

/// Writes the members of a `<struct>`.
pub(crate) struct StructSerializer<'a> {
    out: &'a mut Vec<u8>,
    strings: Strings,
}

impl ser::SerializeMap for StructSerializer<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        self.out.extend_from_slice(b"<member><name>");
        key.serialize(KeySerializer { out: self.out })?;
        self.out.extend_from_slice(b"</name>");
        Ok(())
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        value.serialize(ValueSerializer {
            out: self.out,
            strings: self.strings,
        })?;
        self.out.extend_from_slice(b"</member>");
        Ok(())
    }

    fn end(self) -> Result<()> {
        self.out.extend_from_slice(b"</struct></value>");
        Ok(())
    }
}

impl ser::SerializeStruct for StructSerializer<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.out.extend_from_slice(b"<member><name>");
        write_escaped(self.out, key)?;
        self.out.extend_from_slice(b"</name>");
        value.serialize(ValueSerializer {
            out: self.out,
            strings: self.strings,
        })?;
        self.out.extend_from_slice(b"</member>");
        Ok(())
    }

    fn end(self) -> Result<()> {
        ser::SerializeMap::end(self)
    }
}

/// Wraps an enum variant's content in a one-member struct named after the variant.
pub(crate) struct VariantSerializer<S> {
    inner: S,
}

impl<'a> ser::SerializeTupleVariant for VariantSerializer<ArraySerializer<'a>> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }

    fn end(self) -> Result<()> {
        let out = self.inner.out;
        out.extend_from_slice(b"</data></array></value></member></struct></value>");
        Ok(())
    }
}

impl<'a> ser::SerializeStructVariant for VariantSerializer<StructSerializer<'a>> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }

    fn end(self) -> Result<()> {
        let out = self.inner.out;
        out.extend_from_slice(b"</struct></value></member></struct></value>");
        Ok(())
    }
}

fn key_error() -> EncodeError {
    EncodeError::new("XML-RPC struct member names must be strings (or integers, written as text)")
}

/// Writes a map key as a member name: strings, chars and integers (as their decimal text).
struct KeySerializer<'a> {
    out: &'a mut Vec<u8>,
}

impl KeySerializer<'_> {
    fn int(self, v: impl std::fmt::Display) -> Result<()> {
        let _ = write!(self.out, "{v}");
        Ok(())
    }
}

impl ser::Serializer for KeySerializer<'_> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = Impossible<(), EncodeError>;
    type SerializeTuple = Impossible<(), EncodeError>;
    type SerializeTupleStruct = Impossible<(), EncodeError>;
    type SerializeTupleVariant = Impossible<(), EncodeError>;
    type SerializeMap = Impossible<(), EncodeError>;
    type SerializeStruct = Impossible<(), EncodeError>;
    type SerializeStructVariant = Impossible<(), EncodeError>;

    fn serialize_str(self, v: &str) -> Result<()> {
        write_escaped(self.out, v)
    }
    fn serialize_char(self, v: char) -> Result<()> {
        write_escaped(self.out, v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.int(v)
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.int(v)
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.int(v)
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.int(v)
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.int(v)
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.int(v)
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.int(v)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        write_escaped(self.out, variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<()> {
        Err(key_error())
    }
    fn serialize_f32(self, _: f32) -> Result<()> {
        Err(key_error())
    }
    fn serialize_f64(self, _: f64) -> Result<()> {
        Err(key_error())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<()> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<()> {
        Err(key_error())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<()> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<()> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        Err(key_error())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<()> {
        Err(key_error())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(key_error())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(key_error())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(key_error())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(key_error())
    }
}

/// Writes the text of a `<dateTime.iso8601>` element: only a string is accepted.
struct RawTextSerializer<'a> {
    out: &'a mut Vec<u8>,
}

fn datetime_error() -> EncodeError {
    EncodeError::new("a <dateTime.iso8601> value must be given as text, like 20261130T07:37:41")
}

impl ser::Serializer for RawTextSerializer<'_> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = Impossible<(), EncodeError>;
    type SerializeTuple = Impossible<(), EncodeError>;
    type SerializeTupleStruct = Impossible<(), EncodeError>;
    type SerializeTupleVariant = Impossible<(), EncodeError>;
    type SerializeMap = Impossible<(), EncodeError>;
    type SerializeStruct = Impossible<(), EncodeError>;
    type SerializeStructVariant = Impossible<(), EncodeError>;

    fn serialize_str(self, v: &str) -> Result<()> {
        write_escaped(self.out, v)
    }
    fn serialize_bool(self, _: bool) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_i8(self, _: i8) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_i16(self, _: i16) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_i32(self, _: i32) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_i64(self, _: i64) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_u8(self, _: u8) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_u16(self, _: u16) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_u32(self, _: u32) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_u64(self, _: u64) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_f32(self, _: f32) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_f64(self, _: f64) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_char(self, _: char) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_none(self) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_unit(self) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<()> {
        Err(datetime_error())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(datetime_error())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(datetime_error())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(datetime_error())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(datetime_error())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(datetime_error())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(datetime_error())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(datetime_error())
    }
}

/// Serializes the parameters of a call: a sequence or tuple whose elements each become a
/// `<param>`. Anything else is an error, since XML-RPC parameters are positional.
pub(crate) struct ParamsSerializer<'a> {
    pub(crate) out: &'a mut Vec<u8>,
    pub(crate) strings: Strings,
}

fn params_error() -> EncodeError {
    EncodeError::new(
        "call parameters must be a tuple, array or Vec (XML-RPC parameters are positional)",
    )
}

/// Writes each element as `<param><value>..</value></param>`.
pub(crate) struct ParamsSeq<'a> {
    out: &'a mut Vec<u8>,
    strings: Strings,
}

impl ser::SerializeSeq for ParamsSeq<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.out.extend_from_slice(b"<param>");
        value.serialize(ValueSerializer {
            out: self.out,
            strings: self.strings,
        })?;
        self.out.extend_from_slice(b"</param>");
        Ok(())
    }

    fn end(self) -> Result<()> {
        Ok(())
    }
}

impl ser::SerializeTuple for ParamsSeq<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<()> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for ParamsSeq<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<()> {
        Ok(())
    }
}

impl<'a> ser::Serializer for ParamsSerializer<'a> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = ParamsSeq<'a>;
    type SerializeTuple = ParamsSeq<'a>;
    type SerializeTupleStruct = ParamsSeq<'a>;
    type SerializeTupleVariant = Impossible<(), EncodeError>;
    type SerializeMap = Impossible<(), EncodeError>;
    type SerializeStruct = Impossible<(), EncodeError>;
    type SerializeStructVariant = Impossible<(), EncodeError>;

    fn serialize_seq(self, _: Option<usize>) -> Result<ParamsSeq<'a>> {
        Ok(ParamsSeq {
            out: self.out,
            strings: self.strings,
        })
    }
    fn serialize_tuple(self, _: usize) -> Result<ParamsSeq<'a>> {
        Ok(ParamsSeq {
            out: self.out,
            strings: self.strings,
        })
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<ParamsSeq<'a>> {
        Ok(ParamsSeq {
            out: self.out,
            strings: self.strings,
        })
    }
    fn serialize_unit(self) -> Result<()> {
        // `()` is the empty parameter list, as in `version()`.
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<()> {
        Err(params_error())
    }
    fn serialize_i8(self, _: i8) -> Result<()> {
        Err(params_error())
    }
    fn serialize_i16(self, _: i16) -> Result<()> {
        Err(params_error())
    }
    fn serialize_i32(self, _: i32) -> Result<()> {
        Err(params_error())
    }
    fn serialize_i64(self, _: i64) -> Result<()> {
        Err(params_error())
    }
    fn serialize_u8(self, _: u8) -> Result<()> {
        Err(params_error())
    }
    fn serialize_u16(self, _: u16) -> Result<()> {
        Err(params_error())
    }
    fn serialize_u32(self, _: u32) -> Result<()> {
        Err(params_error())
    }
    fn serialize_u64(self, _: u64) -> Result<()> {
        Err(params_error())
    }
    fn serialize_f32(self, _: f32) -> Result<()> {
        Err(params_error())
    }
    fn serialize_f64(self, _: f64) -> Result<()> {
        Err(params_error())
    }
    fn serialize_char(self, _: char) -> Result<()> {
        Err(params_error())
    }
    fn serialize_str(self, _: &str) -> Result<()> {
        Err(params_error())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<()> {
        Err(params_error())
    }
    fn serialize_none(self) -> Result<()> {
        Err(params_error())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<()> {
        Err(params_error())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<()> {
        Err(params_error())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(params_error())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(params_error())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(params_error())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(params_error())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn needs_escaping_finds_every_special_byte_at_every_position() {
        for len in 0..80 {
            let clean = "é".repeat(len / 2) + &"x".repeat(len % 2);
            assert!(!super::needs_escaping(clean.as_bytes()), "{len}");
            for at in 0..clean.len() {
                for special in [b'<', b'>', b'&', b'\n', 0x00, 0x1f] {
                    let mut bytes = clean.clone().into_bytes();
                    bytes[at] = special;
                    assert!(super::needs_escaping(&bytes), "{len} {at} {special}");
                }
            }
        }
        for b in 0x20..=0xffu8 {
            let expected = matches!(b, b'<' | b'>' | b'&');
            assert_eq!(super::needs_escaping(&[b; 9]), expected, "{b:#x}");
            assert_eq!(super::needs_escaping(&[b; 3]), expected, "{b:#x}");
        }
    }
}
