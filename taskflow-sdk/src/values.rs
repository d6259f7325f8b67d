//! Values as create and write send them: one [`WriteValue`] a field, gathered in
//! [`WriteValues`], and the untyped x2many commands they may hold.

use std::fmt;
use std::marker::PhantomData;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, SerializeTuple, Serializer};

use crate::xmlrpc::Value;

/// One value to send for a field in create or write.
#[derive(Clone, Debug, PartialEq)]
pub struct WriteValue(pub(crate) WriteRepr);

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum WriteRepr {
    Plain(Value),
    Ref(i64),
    Commands(Vec<RawCommand>),
    Clear,
}

impl WriteValue {
    /// A plain value (string, number, boolean, selection key...).
    pub fn plain(value: Value) -> Self {
        WriteValue(WriteRepr::Plain(value))
    }

    /// A relation written as the related record's id.
    pub fn reference(id: i64) -> Self {
        WriteValue(WriteRepr::Ref(id))
    }

    pub(crate) fn commands(commands: Vec<RawCommand>) -> Self {
        WriteValue(WriteRepr::Commands(commands))
    }

    /// `false`: empties the field.
    pub fn clear() -> Self {
        WriteValue(WriteRepr::Clear)
    }
}

impl Serialize for WriteValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            WriteRepr::Plain(value) => value.serialize(serializer),
            WriteRepr::Ref(id) => serializer.serialize_i64(*id),
            WriteRepr::Commands(commands) => {
                let mut seq = serializer.serialize_seq(Some(commands.len()))?;
                for command in commands {
                    seq.serialize_element(command)?;
                }
                seq.end()
            }
            WriteRepr::Clear => serializer.serialize_bool(false),
        }
    }
}

/// Field values for create or write on model `M`, each a [`WriteValue`]: only the fields that
/// were set are sent.
///
/// The generated values type (`LeadValues`) wraps one with typed setters, and with `raw` for a
/// field the struct does not declare ([`WriteValues::raw`]).
pub struct WriteValues<M> {
    entries: Vec<(String, WriteValue)>,
    model: PhantomData<fn() -> M>,
}

impl<M> WriteValues<M> {
    /// No values.
    pub fn new() -> Self {
        WriteValues {
            entries: Vec::new(),
            model: PhantomData,
        }
    }

    /// Sets `field` to an already encoded value, replacing an earlier one.
    pub fn set(&mut self, field: &str, value: WriteValue) {
        match self.entries.iter_mut().find(|(k, _)| k == field) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((field.to_owned(), value)),
        }
    }

    /// Sets any field to a raw value.
    #[must_use]
    pub fn raw(mut self, field: &str, value: impl Into<Value>) -> Self {
        self.set(field, WriteValue::plain(value.into()));
        self
    }

    /// The value set for `field`.
    pub fn get(&self, field: &str) -> Option<&WriteValue> {
        self.entries
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v)
    }

    /// The names of the fields set, in the order they were first set.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    /// True when no field is set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(crate) fn entries(&self) -> &[(String, WriteValue)] {
        &self.entries
    }

    pub(crate) fn into_entries(self) -> Vec<(String, WriteValue)> {
        self.entries
    }
}

impl<M> Default for WriteValues<M> {
    fn default() -> Self {
        Self::new()
    }
}
impl<M> Clone for WriteValues<M> {
    fn clone(&self) -> Self {
        WriteValues {
            entries: self.entries.clone(),
            model: PhantomData,
        }
    }
}
impl<M> PartialEq for WriteValues<M> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}
impl<M> fmt::Debug for WriteValues<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

impl<M> Serialize for WriteValues<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Entries(&self.entries).serialize(serializer)
    }
}

/// A list of field values serialized as a struct.
pub(crate) struct Entries<'a>(pub(crate) &'a [(String, WriteValue)]);

impl Serialize for Entries<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// The untyped form of a [`Command`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum RawCommand {
    Create(Vec<(String, WriteValue)>),
    Update(i64, Vec<(String, WriteValue)>),
    Delete(i64),
    Unlink(i64),
    Link(i64),
    Clear,
    Set(Vec<i64>),
}

impl Serialize for RawCommand {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut t = serializer.serialize_tuple(3)?;
        match self {
            RawCommand::Create(values) => {
                t.serialize_element(&0)?;
                t.serialize_element(&0)?;
                t.serialize_element(&Entries(values))?;
            }
            RawCommand::Update(id, values) => {
                t.serialize_element(&1)?;
                t.serialize_element(id)?;
                t.serialize_element(&Entries(values))?;
            }
            RawCommand::Delete(id) | RawCommand::Unlink(id) | RawCommand::Link(id) => {
                let code = match self {
                    RawCommand::Delete(_) => 2,
                    RawCommand::Unlink(_) => 3,
                    _ => 4,
                };
                t.serialize_element(&code)?;
                t.serialize_element(id)?;
                t.serialize_element(&0)?;
            }
            RawCommand::Clear => {
                t.serialize_element(&5)?;
                t.serialize_element(&0)?;
                t.serialize_element(&0)?;
            }
            RawCommand::Set(ids) => {
                t.serialize_element(&6)?;
                t.serialize_element(&0)?;
                t.serialize_element(ids)?;
            }
        }
        t.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xmlrpc::to_value;

    struct Tag;

    #[test]
    fn write_values_send_only_what_was_set_and_replace() {
        let mut values = WriteValues::<Tag>::new().raw("name", "a");
        values.set("color", WriteValue::clear());
        values.set("name", WriteValue::plain("b".into()));
        assert_eq!(
            to_value(&values).unwrap(),
            Value::Struct(vec![
                ("name".into(), "b".into()),
                ("color".into(), Value::Bool(false)),
            ])
        );
    }
}
