//! Record decoding for the derive's generated `Deserialize` impls: slots filled member by member,
//! with errors that name the model, record and field.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::fields::{FieldValue, Id};
use crate::values::WriteValue;

/// Where a record being decoded stands: its model and, once read, its id. Names both in errors.
#[derive(Debug)]
pub struct RecordCtx {
    model: &'static str,
    id: Option<i64>,
}

impl fmt::Display for RecordCtx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.id {
            Some(id) => write!(f, "{} record {id}", self.model),
            None => write!(f, "{} record (id not read yet)", self.model),
        }
    }
}

/// The generated per-struct decoding state: one `Option` slot per field.
pub trait RecordSlots: Default {
    /// The record type built.
    type Record;
    /// The model name, for errors.
    const MODEL: &'static str;
    /// The slot of a server field name.
    fn slot(name: &str) -> Option<usize>;
    /// Reads the next map value into slot `slot`.
    fn fill<'de, A: MapAccess<'de>>(
        &mut self,
        slot: usize,
        map: &mut A,
        ctx: &mut RecordCtx,
    ) -> Result<(), A::Error>;
    /// Builds the record once every member was read.
    fn finish<E: de::Error>(self, ctx: &RecordCtx) -> Result<Self::Record, E>;
}

pub fn deserialize_record<'de, S: RecordSlots, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<S::Record, D::Error> {
    deserializer.deserialize_map(RecordVisitor::<S>(PhantomData))
}

struct RecordVisitor<S>(PhantomData<S>);

impl<'de, S: RecordSlots> Visitor<'de> for RecordVisitor<S> {
    type Value = S::Record;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} record (a struct)", S::MODEL)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<S::Record, A::Error> {
        let mut slots = S::default();
        let mut ctx = RecordCtx {
            model: S::MODEL,
            id: None,
        };
        // Keys are matched to slots as they are read, without allocating a String per member.
        while let Some(slot) = map.next_key_seed(SlotSeed::<S>(PhantomData))? {
            match slot {
                Some(slot) => slots.fill(slot, &mut map, &mut ctx)?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        slots.finish(&ctx)
    }
}

/// Reads a member name as the slot it fills (`None` for members the struct does not declare).
struct SlotSeed<S>(PhantomData<S>);

impl<'de, S: RecordSlots> de::DeserializeSeed<'de> for SlotSeed<S> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<S: RecordSlots> Visitor<'_> for SlotSeed<S> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(S::slot(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Option<usize>, E> {
        Ok(std::str::from_utf8(v).ok().and_then(S::slot))
    }
}

/// Reads one field into its slot, naming the model, record and field when the value does not fit.
pub fn fill_field<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    ctx: &RecordCtx,
    field: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::custom(format_args!(
            "{ctx}: field `{field}` appears twice"
        )));
    }
    match map.next_value::<T>() {
        Ok(value) => {
            *slot = Some(value);
            Ok(())
        }
        Err(e) => Err(de::Error::custom(format_args!(
            "{ctx}, field `{field}`: {e}"
        ))),
    }
}

/// The type of a model's `id` field: `Id<M>` and nothing else.
#[diagnostic::on_unimplemented(
    message = "the `id` field of `{M}` must be `Id<{M}>`, found `{Self}`",
    label = "expected `Id<{M}>`"
)]
pub trait RecordId<M>: Copy {
    /// The id.
    fn record_id(self) -> Id<M>;
}

impl<M> RecordId<M> for Id<M> {
    fn record_id(self) -> Id<M> {
        self
    }
}

/// Reads the `id` slot and remembers it for later errors.
pub fn fill_id<'de, M, T: RecordId<M> + Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    ctx: &mut RecordCtx,
) -> Result<(), A::Error> {
    fill_field(slot, map, ctx, "id")?;
    ctx.id = slot.map(|id| id.record_id().get());
    Ok(())
}

/// Takes a filled slot; a field the server did not send is `None` for an `Option`, else an error.
pub fn take_field<T: for<'de> Deserialize<'de>, E: de::Error>(
    slot: Option<T>,
    ctx: &RecordCtx,
    field: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(MissingField).map_err(|_: de::value::Error| {
            E::custom(format_args!(
                "{ctx}: field `{field}` is missing from the server's answer"
            ))
        }),
    }
}

/// Names `T` as a field type: fails to compile, at the user's field, when `T` is not supported.
pub fn assert_field<T: FieldValue>() {}

/// Encodes a setter's argument for field type `T`. Generated setters call this rather than
/// `T::write_value`, so that an unsupported `T` is one error at the field's type, not two.
pub fn write_field<T: FieldValue>(value: impl Into<T::Write>) -> WriteValue {
    T::write_value(value.into())
}

/// Deserializes `None` for an `Option` and fails for anything else.
struct MissingField;

impl<'de> Deserializer<'de> for MissingField {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("missing field"))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}
