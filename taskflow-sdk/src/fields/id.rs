//! Record ids typed by their model.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// The id of a record of model `M`.
///
/// Typed by its model, so a partner id cannot be passed where a lead id is expected. Reads an
/// integer, an integral double, or a numeric string such as `"78"` (some servers send ids that way).
///
/// ```
/// # use taskflow_sdk::{Id, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.tag")] struct Tag { id: Id<Tag> }
/// let id: Id<Tag> = Id::new(78);
/// assert_eq!(id.get(), 78);
/// let parsed: Id<Tag> = taskflow_sdk::xmlrpc::from_value("78".into())?;
/// assert_eq!(parsed, id);
/// # Ok::<(), taskflow_sdk::xmlrpc::DecodeError>(())
/// ```
pub struct Id<M> {
    id: i64,
    model: PhantomData<fn() -> M>,
}

impl<M> Id<M> {
    /// Wraps a raw id.
    pub const fn new(id: i64) -> Self {
        Id {
            id,
            model: PhantomData,
        }
    }

    /// The raw id.
    pub const fn get(self) -> i64 {
        self.id
    }
}

impl<M> Clone for Id<M> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M> Copy for Id<M> {}
impl<M> PartialEq for Id<M> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}
impl<M> Eq for Id<M> {}
impl<M> PartialOrd for Id<M> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<M> Ord for Id<M> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.id.cmp(&other.id)
    }
}
impl<M> Hash for Id<M> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}
impl<M> fmt::Debug for Id<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.id)
    }
}
impl<M> fmt::Display for Id<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.id, f)
    }
}
impl<M> PartialEq<i64> for Id<M> {
    fn eq(&self, other: &i64) -> bool {
        self.id == *other
    }
}

impl<M> Serialize for Id<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.id)
    }
}

pub(super) struct IdVisitor;

impl Visitor<'_> for IdVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record id (an integer or a numeric string)")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if v.fract() == 0.0 && v.abs() < 9.2e18 {
            Ok(v as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

impl<'de, M> Deserialize<'de> for Id<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IdVisitor).map(Id::new)
    }
}
