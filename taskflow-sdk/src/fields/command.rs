//! x2many write commands: the server's `(0, 0, values)` ... `(6, 0, ids)` tuples, typed by the
//! related model.

use std::fmt;
use std::marker::PhantomData;

use serde::ser::{Serialize, Serializer};

use crate::fields::Id;
use crate::values::{RawCommand, WriteValues};

/// One x2many write command, typed by the related model `M`.
///
/// Encoded as the server's tuples: `create` `(0, 0, values)`, `update` `(1, id, values)`, `delete`
/// `(2, id, 0)` (deletes the related record), `unlink` `(3, id, 0)` (only removes the link), `link`
/// `(4, id, 0)`, `clear` `(5, 0, 0)`, `set` `(6, 0, ids)` (replaces the whole list).
///
/// ```
/// # use taskflow_sdk::{Command, Id, TaskflowModel};
/// use taskflow_sdk::xmlrpc::Value;
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.tag")] struct Tag { id: Id<Tag>, name: String }
/// let commands: Vec<Command<Tag>> = vec![
///     Command::link(Id::new(1)),
///     Command::create(Tag::values().name("Pilot")),
///     Command::set([Id::new(3), Id::new(4)]),
/// ];
/// let wire = taskflow_sdk::xmlrpc::to_value(&commands)?;
/// let pilot = Value::Struct(vec![("name".into(), "Pilot".into())]);
/// assert_eq!(wire, Value::from(vec![
///     Value::from(vec![4, 1, 0]),
///     Value::from(vec![Value::from(0), 0.into(), pilot]),
///     Value::from(vec![Value::from(6), 0.into(), vec![3, 4].into()]),
/// ]));
/// # Ok::<(), taskflow_sdk::xmlrpc::EncodeError>(())
/// ```
pub struct Command<M> {
    raw: RawCommand,
    model: PhantomData<fn() -> M>,
}

impl<M> Command<M> {
    fn from_raw(raw: RawCommand) -> Self {
        Command {
            raw,
            model: PhantomData,
        }
    }

    #[cfg(test)]
    pub(crate) fn raw(&self) -> &RawCommand {
        &self.raw
    }

    pub(crate) fn into_raw(self) -> RawCommand {
        self.raw
    }

    /// `(0, 0, values)`: creates a related record and links it.
    pub fn create(values: impl Into<WriteValues<M>>) -> Self {
        Self::from_raw(RawCommand::Create(values.into().into_entries()))
    }

    /// `(1, id, values)`: writes `values` to the related record `id`.
    pub fn update(id: impl Into<Id<M>>, values: impl Into<WriteValues<M>>) -> Self {
        Self::from_raw(RawCommand::Update(
            id.into().get(),
            values.into().into_entries(),
        ))
    }

    /// `(2, id, 0)`: removes the link and deletes the related record.
    pub fn delete(id: impl Into<Id<M>>) -> Self {
        Self::from_raw(RawCommand::Delete(id.into().get()))
    }

    /// `(3, id, 0)`: removes the link, keeping the related record.
    pub fn unlink(id: impl Into<Id<M>>) -> Self {
        Self::from_raw(RawCommand::Unlink(id.into().get()))
    }

    /// `(4, id, 0)`: links an existing record.
    pub fn link(id: impl Into<Id<M>>) -> Self {
        Self::from_raw(RawCommand::Link(id.into().get()))
    }

    /// `(5, 0, 0)`: removes every link (deleting nothing).
    pub fn clear() -> Self {
        Self::from_raw(RawCommand::Clear)
    }

    /// `(6, 0, ids)`: replaces the links with exactly `ids`.
    pub fn set(ids: impl IntoIterator<Item = Id<M>>) -> Self {
        Self::from_raw(RawCommand::Set(ids.into_iter().map(Id::get).collect()))
    }
}

impl<M> Clone for Command<M> {
    fn clone(&self) -> Self {
        Self::from_raw(self.raw.clone())
    }
}
impl<M> PartialEq for Command<M> {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}
impl<M> fmt::Debug for Command<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.raw, f)
    }
}

impl<M> Serialize for Command<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}
