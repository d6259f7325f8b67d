//! Relational field values: many2one (`[id, "name"]`) and x2many (lists of ids).

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeTuple, Serializer};

use super::id::IdVisitor;
use crate::fields::Id;

/// A many2one value: the related record's id and its display name.
///
/// Reads the server's `[id, "name"]` pair (or a bare id, with an empty name); writes its id.
///
/// Two many2one values are equal when they point at the same record: equality (and `Hash`)
/// compare the id alone. The display name is what the server rendered at read time (it changes
/// with the language, and is empty for [`Many2one::new`]), not part of the value, so
/// `Some(Many2one::new(id))` equals what a read returns for that record.
///
/// ```
/// # use taskflow_sdk::{Id, Many2one, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "res.partner")] struct Partner { id: Id<Partner> }
/// let read: Many2one<Partner> = taskflow_sdk::xmlrpc::from_value(vec![
///     taskflow_sdk::xmlrpc::Value::from(7),
///     "Deco Addict".into(),
/// ].into())?;
/// assert_eq!(read, Many2one::new(Id::new(7)));
/// assert_eq!(read.name, "Deco Addict");
/// # Ok::<(), taskflow_sdk::xmlrpc::DecodeError>(())
/// ```
pub struct Many2one<M> {
    /// The related record.
    pub id: Id<M>,
    /// Its display name as the server rendered it (empty when the server sent only the id).
    pub name: String,
}

impl<M> Many2one<M> {
    /// A many2one pointing at `id`, with no display name.
    pub fn new(id: Id<M>) -> Self {
        Many2one {
            id,
            name: String::new(),
        }
    }
}

impl<M> Clone for Many2one<M> {
    fn clone(&self) -> Self {
        Many2one {
            id: self.id,
            name: self.name.clone(),
        }
    }
}
/// By id alone: the display name is not compared (see [`Many2one`]).
impl<M> PartialEq for Many2one<M> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}
impl<M> Eq for Many2one<M> {}
/// By id alone, as equality.
impl<M> Hash for Many2one<M> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}
impl<M> fmt::Debug for Many2one<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Many2one({}, {:?})", self.id.get(), self.name)
    }
}
impl<M> From<Many2one<M>> for Id<M> {
    fn from(value: Many2one<M>) -> Self {
        value.id
    }
}
impl<M> From<&Many2one<M>> for Id<M> {
    fn from(value: &Many2one<M>) -> Self {
        value.id
    }
}

impl<M> Serialize for Many2one<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut pair = serializer.serialize_tuple(2)?;
        pair.serialize_element(&self.id)?;
        pair.serialize_element(&self.name)?;
        pair.end()
    }
}

struct Many2oneVisitor<M>(PhantomData<fn() -> M>);

impl<'de, M> Visitor<'de> for Many2oneVisitor<M> {
    type Value = Many2one<M>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a many2one value: an [id, \"name\"] pair or an id")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Many2one::new(Id::new(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        IdVisitor.visit_u64(v).map(|id| Many2one::new(Id::new(id)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let id: Id<M> = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let name: String = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(1, &self))?;
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(3, &self));
        }
        Ok(Many2one { id, name })
    }
}

impl<'de, M> Deserialize<'de> for Many2one<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Many2oneVisitor(PhantomData))
    }
}

// ---------------------------------------------------------------------------------------------
// One2many / Many2many

macro_rules! x2many {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name<M> {
            ids: Vec<Id<M>>,
        }

        impl<M> $name<M> {
            /// Wraps a list of ids.
            pub fn new(ids: Vec<Id<M>>) -> Self {
                $name { ids }
            }

            /// The related ids, in the server's order.
            pub fn ids(&self) -> &[Id<M>] {
                &self.ids
            }

            /// The ids sorted and without repeats: what equality and `Hash` compare.
            fn id_set(&self) -> Vec<i64> {
                let mut ids: Vec<i64> = self.ids.iter().map(|id| id.get()).collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            }

            /// Takes the ids out.
            pub fn into_ids(self) -> Vec<Id<M>> {
                self.ids
            }
        }

        impl<M> Default for $name<M> {
            fn default() -> Self {
                $name { ids: Vec::new() }
            }
        }
        impl<M> Clone for $name<M> {
            fn clone(&self) -> Self {
                $name { ids: self.ids.clone() }
            }
        }
        /// As sets of ids: order and repeats are ignored.
        impl<M> PartialEq for $name<M> {
            fn eq(&self, other: &Self) -> bool {
                self.ids == other.ids || self.id_set() == other.id_set()
            }
        }
        impl<M> Eq for $name<M> {}
        /// As a set of ids, as equality.
        impl<M> Hash for $name<M> {
            fn hash<H: Hasher>(&self, state: &mut H) {
                self.id_set().hash(state);
            }
        }
        impl<M> fmt::Debug for $name<M> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(stringify!($name))?;
                f.debug_list().entries(self.ids.iter().map(|id| id.get())).finish()
            }
        }
        impl<M> std::ops::Deref for $name<M> {
            type Target = [Id<M>];
            fn deref(&self) -> &[Id<M>] {
                &self.ids
            }
        }
        impl<M> From<Vec<Id<M>>> for $name<M> {
            fn from(ids: Vec<Id<M>>) -> Self {
                $name { ids }
            }
        }
        impl<'a, M> IntoIterator for &'a $name<M> {
            type Item = &'a Id<M>;
            type IntoIter = std::slice::Iter<'a, Id<M>>;
            fn into_iter(self) -> Self::IntoIter {
                self.ids.iter()
            }
        }
        impl<M> Serialize for $name<M> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.ids.serialize(serializer)
            }
        }
        impl<'de, M> Deserialize<'de> for $name<M> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Vec::<Id<M>>::deserialize(deserializer).map(|ids| $name { ids })
            }
        }
    };
}

x2many!(
    /// A one2many value: the ids of the records pointing back at this one. Written with
    /// [`Command`](crate::Command)s.
    ///
    /// Equal (and hashed) as a set of ids: the server's order is kept by [`ids`](Self::ids) but
    /// is not part of the value, as it follows the related model's default order, which a
    /// write or another language can change.
    One2many
);
x2many!(
    /// A many2many value: the ids of the related records. Written with [`Command`](crate::Command)s.
    ///
    /// Equal (and hashed) as a set of ids: the server's order is kept by [`ids`](Self::ids) but
    /// is not part of the value, as it follows the related model's default order, which a
    /// write or another language can change.
    ///
    /// ```
    /// # use taskflow_sdk::{Id, Many2many, TaskflowModel};
    /// # #[derive(TaskflowModel)] #[taskflow(model = "crm.tag")] struct Tag { id: Id<Tag> }
    /// let read: Many2many<Tag> = vec![Id::new(2), Id::new(1)].into();
    /// assert_eq!(read, Many2many::new(vec![Id::new(1), Id::new(2)]));
    /// assert_eq!(read.ids(), [Id::new(2), Id::new(1)]);
    /// ```
    Many2many
);
