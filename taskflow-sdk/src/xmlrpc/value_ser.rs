//! `to_value`: any `Serialize` type into a [`Value`], with the same mapping as the XML encoder.

use serde::ser::{self, Serialize};

use super::error::EncodeError;
use super::value::{DATETIME_TOKEN, Value};

type Result<T> = std::result::Result<T, EncodeError>;

/// Converts `value` into a [`Value`], mapping types exactly as [`encode_call`](super::encode_call)
/// writes them (structs and maps to `Struct`, sequences to `Array`, `None` to `Nil`, bytes to
/// `Base64`).
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value> {
    value.serialize(ValueBuilder)
}

struct ValueBuilder;

fn int(v: impl TryInto<i64> + Copy + std::fmt::Display) -> Result<Value> {
    v.try_into()
        .map(Value::Int)
        .map_err(|_| EncodeError::new(format!("integer {v} does not fit XML-RPC's 64-bit <i8>")))
}

impl ser::Serializer for ValueBuilder {
    type Ok = Value;
    type Error = EncodeError;
    type SerializeSeq = ArrayBuilder;
    type SerializeTuple = ArrayBuilder;
    type SerializeTupleStruct = ArrayBuilder;
    type SerializeTupleVariant = VariantBuilder<ArrayBuilder>;
    type SerializeMap = StructBuilder;
    type SerializeStruct = StructBuilder;
    type SerializeStructVariant = VariantBuilder<StructBuilder>;

    fn serialize_bool(self, v: bool) -> Result<Value> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Value> {
        Ok(Value::Int(v))
    }
    fn serialize_i128(self, v: i128) -> Result<Value> {
        int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Value> {
        int(v)
    }
    fn serialize_u128(self, v: u128) -> Result<Value> {
        int(v)
    }
    fn serialize_f32(self, v: f32) -> Result<Value> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<Value> {
        if v.is_finite() {
            Ok(Value::Double(v))
        } else {
            Err(EncodeError::new(format!(
                "the double {v} has no XML-RPC representation; send a finite number"
            )))
        }
    }
    fn serialize_char(self, v: char) -> Result<Value> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value> {
        Ok(Value::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value> {
        Ok(Value::Base64(v.to_vec()))
    }
    fn serialize_none(self) -> Result<Value> {
        Ok(Value::Nil)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Value> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value> {
        Ok(Value::Nil)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value> {
        Ok(Value::Nil)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value> {
        Ok(Value::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Value> {
        if name == DATETIME_TOKEN {
            return match value.serialize(self)? {
                Value::String(s) => Ok(Value::DateTime(s)),
                other => Err(EncodeError::new(format!(
                    "a <dateTime.iso8601> value must be text, not {}",
                    other.type_name()
                ))),
            };
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value> {
        Ok(Value::Struct(vec![(
            variant.to_owned(),
            value.serialize(ValueBuilder)?,
        )]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<ArrayBuilder> {
        Ok(ArrayBuilder {
            items: Vec::with_capacity(len.unwrap_or(0).min(1024)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<ArrayBuilder> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<ArrayBuilder> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Ok(VariantBuilder {
            variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<StructBuilder> {
        Ok(StructBuilder {
            members: Vec::with_capacity(len.unwrap_or(0).min(1024)),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<StructBuilder> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Ok(VariantBuilder {
            variant,
            inner: self.serialize_map(Some(len))?,
        })
    }
}

struct ArrayBuilder {
    items: Vec<Value>,
}

impl ser::SerializeSeq for ArrayBuilder {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.items.push(value.serialize(ValueBuilder)?);
        Ok(())
    }
    fn end(self) -> Result<Value> {
        Ok(Value::Array(self.items))
    }
}

impl ser::SerializeTuple for ArrayBuilder {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for ArrayBuilder {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value> {
        ser::SerializeSeq::end(self)
    }
}

struct StructBuilder {
    members: Vec<(String, Value)>,
    key: Option<String>,
}

impl ser::SerializeMap for StructBuilder {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        self.key = Some(match key.serialize(ValueBuilder)? {
            Value::String(s) => s,
            Value::Int(i) => i.to_string(),
            other => {
                return Err(EncodeError::new(format!(
                    "XML-RPC struct member names must be strings, not {}",
                    other.type_name()
                )));
            }
        });
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        let key = self.key.take().unwrap_or_default();
        self.members.push((key, value.serialize(ValueBuilder)?));
        Ok(())
    }
    fn end(self) -> Result<Value> {
        Ok(Value::Struct(self.members))
    }
}

impl ser::SerializeStruct for StructBuilder {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.members
            .push((key.to_owned(), value.serialize(ValueBuilder)?));
        Ok(())
    }
    fn end(self) -> Result<Value> {
        Ok(Value::Struct(self.members))
    }
}

struct VariantBuilder<B> {
    variant: &'static str,
    inner: B,
}

impl ser::SerializeTupleVariant for VariantBuilder<ArrayBuilder> {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }
    fn end(self) -> Result<Value> {
        Ok(Value::Struct(vec![(
            self.variant.to_owned(),
            Value::Array(self.inner.items),
        )]))
    }
}

impl ser::SerializeStructVariant for VariantBuilder<StructBuilder> {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<Value> {
        Ok(Value::Struct(vec![(
            self.variant.to_owned(),
            Value::Struct(self.inner.members),
        )]))
    }
}
