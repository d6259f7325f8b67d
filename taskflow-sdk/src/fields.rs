//! Field types of TaskFlow models: typed ids, relations, x2many commands, dates and binaries.
//!
//! Each type follows the server's wire conventions: a many2one reads as `[id, "name"]` and writes as
//! its id, an x2many reads as a list of ids and writes as a list of [`Command`]s, a date is
//! `"YYYY-MM-DD"`, a date-time `"YYYY-MM-DD HH:MM:SS"` in UTC, a binary a base64 string, and `false`
//! is the empty value (declare the field as `Option<_>` to accept it).
//!
//! ```
//! use taskflow_sdk::fields::{Date, DateTime};
//!
//! let day: Date = "2026-11-30".parse()?;
//! assert_eq!((day.year(), day.month(), day.day()), (2026, 11, 30));
//! let at: DateTime = "2026-11-30 07:37:41".parse()?;
//! assert_eq!(at.to_string(), "2026-11-30 07:37:41");
//! # Ok::<(), taskflow_sdk::fields::ParseError>(())
//! ```

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::str::FromStr;

use base64::Engine as _;
use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeTuple, Serializer};

use crate::model::{Model, WriteValue, WriteValues};
use crate::xmlrpc::Value;

// ---------------------------------------------------------------------------------------------
// Id

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

impl<M: Model> Id<M> {
    /// The same record's id, typed by `N`, another struct bound to the same server model: two
    /// views of `crm.lead` (a full `Lead` and a `LeadSummary` that reads fewer fields) name the
    /// same records.
    ///
    /// The models are compared when the program is built: a cast between structs of different
    /// models (`M::MODEL` and `N::MODEL` differ) fails to compile, with "`Id::cast` between
    /// structs of different models". The check runs where code is generated (`cargo build`,
    /// `cargo test`, `cargo run`), not under `cargo check`, so an editor relying on `cargo check`
    /// shows it only after a build; every cast that can run has been checked.
    ///
    /// ```
    /// use taskflow_sdk::{Id, TaskflowModel};
    ///
    /// #[derive(TaskflowModel)]
    /// #[taskflow(model = "crm.lead")]
    /// struct Lead { id: Id<Lead>, name: String, expected_revenue: f64 }
    ///
    /// #[derive(TaskflowModel)]
    /// #[taskflow(model = "crm.lead")]
    /// struct LeadSummary { id: Id<LeadSummary>, name: String }
    ///
    /// let summary: Id<LeadSummary> = Id::new(45);
    /// let lead: Id<Lead> = summary.cast();
    /// assert_eq!(lead.get(), 45);
    /// ```
    pub const fn cast<N: Model>(self) -> Id<N> {
        const {
            assert!(
                same_model(M::MODEL, N::MODEL),
                "`Id::cast` between structs of different models: their `Model::MODEL` differ, \
                 so an id of one names no record of the other"
            )
        };
        Id::new(self.id)
    }
}

/// `a == b`, at compile time (`str` equality is not a `const fn`).
const fn same_model(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
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

struct IdVisitor;

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

// ---------------------------------------------------------------------------------------------
// Many2one

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
        write!(f, "Many2one({}, {:?})", self.id.id, self.name)
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
                let mut ids: Vec<i64> = self.ids.iter().map(|id| id.id).collect();
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
                f.debug_list().entries(self.ids.iter().map(|id| id.id)).finish()
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
    /// [`Command`]s.
    ///
    /// Equal (and hashed) as a set of ids: the server's order is kept by [`ids`](Self::ids) but
    /// is not part of the value, as it follows the related model's default order, which a
    /// write or another language can change.
    One2many
);
x2many!(
    /// A many2many value: the ids of the related records. Written with [`Command`]s.
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

// ---------------------------------------------------------------------------------------------
// Command

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

impl Serialize for RawCommand {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut t = serializer.serialize_tuple(3)?;
        match self {
            RawCommand::Create(values) => {
                t.serialize_element(&0)?;
                t.serialize_element(&0)?;
                t.serialize_element(&crate::model::Entries(values))?;
            }
            RawCommand::Update(id, values) => {
                t.serialize_element(&1)?;
                t.serialize_element(id)?;
                t.serialize_element(&crate::model::Entries(values))?;
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

impl<M> Serialize for Command<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

// ---------------------------------------------------------------------------------------------
// Date, DateTime, Binary

/// Why a date, a date-time or base64 binary content was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    message: String,
}

impl ParseError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ParseError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// A calendar date, `"YYYY-MM-DD"` on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    /// A date, or `None` if it does not exist in the proleptic Gregorian calendar (years 1 to 9999).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }
}

fn digits(s: &str, what: &str, full: &str) -> Result<u16, ParseError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::new(format!(
            "invalid {what} in `{full}`: expected digits"
        )));
    }
    s.parse()
        .map_err(|_| ParseError::new(format!("invalid {what} in `{full}`")))
}

impl FromStr for Date {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        let bad = || ParseError::new(format!("invalid date `{s}`: expected YYYY-MM-DD"));
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let year = digits(&s[0..4], "year", s)?;
        let month = digits(&s[5..7], "month", s)? as u8;
        let day = digits(&s[8..10], "day", s)? as u8;
        Date::new(year, month, day)
            .ok_or_else(|| ParseError::new(format!("invalid date `{s}`: no such day")))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A point in time in UTC, `"YYYY-MM-DD HH:MM:SS"` on the wire (the server always sends UTC, whatever
/// the context's time zone).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    date: Date,
    hour: u8,
    minute: u8,
    second: u8,
}

impl DateTime {
    /// A date-time in UTC, or `None` if a component is out of range.
    pub fn new(date: Date, hour: u8, minute: u8, second: u8) -> Option<Self> {
        (hour < 24 && minute < 60 && second < 60).then_some(DateTime {
            date,
            hour,
            minute,
            second,
        })
    }

    /// The date-time `seconds` after 1970-01-01 00:00:00 UTC, or `None` outside years 1 to 9999.
    ///
    /// ```
    /// use taskflow_sdk::DateTime;
    ///
    /// let at = DateTime::from_unix_seconds(1_796_024_261).unwrap();
    /// assert_eq!(at.to_string(), "2026-11-30 07:37:41");
    /// assert_eq!(at.unix_seconds(), 1_796_024_261);
    /// let now = DateTime::from_unix_seconds(
    ///     std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64,
    /// );
    /// assert!(now.is_some());
    /// ```
    pub fn from_unix_seconds(seconds: i64) -> Option<Self> {
        let days = seconds.div_euclid(86_400);
        let secs = seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let date = Date::new(u16::try_from(year).ok()?, month, day)?;
        DateTime::new(
            date,
            (secs / 3600) as u8,
            (secs / 60 % 60) as u8,
            (secs % 60) as u8,
        )
    }

    /// Seconds since 1970-01-01 00:00:00 UTC.
    pub fn unix_seconds(self) -> i64 {
        let days = days_from_civil(i64::from(self.date.year), self.date.month, self.date.day);
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// The date part.
    pub fn date(self) -> Date {
        self.date
    }

    /// Hour, minute and second.
    pub fn time(self) -> (u8, u8, u8) {
        (self.hour, self.minute, self.second)
    }
}

// Howard Hinnant's days <-> civil date algorithms (proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl FromStr for DateTime {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        let bad = || {
            ParseError::new(format!(
                "invalid date-time `{s}`: expected YYYY-MM-DD HH:MM:SS (UTC)"
            ))
        };
        let b = s.as_bytes();
        if b.len() != 19 || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
            return Err(bad());
        }
        let date: Date = s[..10].parse()?;
        let hour = digits(&s[11..13], "hour", s)? as u8;
        let minute = digits(&s[14..16], "minute", s)? as u8;
        let second = digits(&s[17..19], "second", s)? as u8;
        DateTime::new(date, hour, minute, second).ok_or_else(bad)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:02}:{:02}:{:02}",
            self.date, self.hour, self.minute, self.second
        )
    }
}

/// Binary content (attachments, images), a base64 string on the wire.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Binary(pub Vec<u8>);

impl Binary {
    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The base64 text the server exchanges.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.0)
    }

    /// Decodes base64 text (line breaks allowed).
    pub fn from_base64(text: &str) -> Result<Self, ParseError> {
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact.as_bytes())
            .map(Binary)
            .map_err(|e| ParseError::new(format!("invalid base64 in a binary field: {e}")))
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binary({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary(bytes)
    }
}

macro_rules! string_wire {
    ($ty:ty, $expecting:literal, $to:expr, $from:expr) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #[allow(clippy::redundant_closure_call)]
                serializer.serialize_str(&($to)(self))
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        #[allow(clippy::redundant_closure_call)]
                        ($from)(v).map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(V)
            }
        }
    };
}

string_wire!(
    Date,
    "a date string \"YYYY-MM-DD\"",
    Date::to_string,
    str::parse::<Date>
);
string_wire!(
    DateTime,
    "a date-time string \"YYYY-MM-DD HH:MM:SS\"",
    DateTime::to_string,
    str::parse::<DateTime>
);
string_wire!(
    Binary,
    "a base64 string",
    Binary::to_base64,
    Binary::from_base64
);

// ---------------------------------------------------------------------------------------------
// FieldValue: what a model field may be

/// A type that can be a field of a `#[derive(TaskflowModel)]` struct.
///
/// Says how the field reads (through `Deserialize`), which value its setter in the companion values
/// type takes ([`FieldValue::Write`]), and which value a domain compares it with
/// ([`FieldValue::Operand`]). Implemented for the server's field types; `#[derive(Selection)]`
/// implements it for enums.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a supported TaskFlow field type",
    label = "unsupported field type",
    note = "supported: String, bool, i32, i64, f64, Id<M>, Many2one<M>, One2many<M>, Many2many<M>, \
            Date, DateTime, Binary, xmlrpc::Value, #[derive(Selection)] enums, and Option<_> of these"
)]
pub trait FieldValue: for<'de> Deserialize<'de> {
    /// What the values setter takes.
    type Write;
    /// What a domain leaf on this field compares with.
    type Operand;

    /// Encodes a value for create/write.
    fn write_value(value: Self::Write) -> WriteValue;

    /// Encodes a domain operand.
    fn operand_value(value: Self::Operand) -> Value;
}

macro_rules! plain_field {
    ($($ty:ty => $variant:ident as $conv:ty),* $(,)?) => {$(
        impl FieldValue for $ty {
            type Write = $ty;
            type Operand = $ty;
            fn write_value(value: $ty) -> WriteValue {
                WriteValue::plain(Value::$variant(<$conv>::from(value)))
            }
            fn operand_value(value: $ty) -> Value {
                Value::$variant(<$conv>::from(value))
            }
        }
    )*};
}

plain_field! {
    String => String as String,
    bool => Bool as bool,
    i32 => Int as i64,
    i64 => Int as i64,
    f64 => Double as f64,
}

impl FieldValue for Value {
    type Write = Value;
    type Operand = Value;
    fn write_value(value: Value) -> WriteValue {
        WriteValue::plain(value)
    }
    fn operand_value(value: Value) -> Value {
        value
    }
}

macro_rules! string_field {
    ($($ty:ty => $to:expr),* $(,)?) => {$(
        impl FieldValue for $ty {
            type Write = $ty;
            type Operand = $ty;
            fn write_value(value: $ty) -> WriteValue {
                #[allow(clippy::redundant_closure_call)]
                WriteValue::plain(Value::String(($to)(&value)))
            }
            fn operand_value(value: $ty) -> Value {
                #[allow(clippy::redundant_closure_call)]
                Value::String(($to)(&value))
            }
        }
    )*};
}

string_field! {
    Date => Date::to_string,
    DateTime => DateTime::to_string,
    Binary => Binary::to_base64,
}

impl<T: FieldValue> FieldValue for Option<T> {
    type Write = T::Write;
    type Operand = T::Operand;
    fn write_value(value: T::Write) -> WriteValue {
        T::write_value(value)
    }
    fn operand_value(value: T::Operand) -> Value {
        T::operand_value(value)
    }
}

impl<M> FieldValue for Id<M> {
    type Write = Id<M>;
    type Operand = Id<M>;
    fn write_value(value: Id<M>) -> WriteValue {
        WriteValue::reference(value.get())
    }
    fn operand_value(value: Id<M>) -> Value {
        Value::Int(value.get())
    }
}

impl<M> FieldValue for Many2one<M> {
    type Write = Id<M>;
    type Operand = Id<M>;
    fn write_value(value: Id<M>) -> WriteValue {
        WriteValue::reference(value.get())
    }
    fn operand_value(value: Id<M>) -> Value {
        Value::Int(value.get())
    }
}

macro_rules! x2many_field {
    ($($ty:ident),*) => {$(
        impl<M> FieldValue for $ty<M> {
            type Write = Vec<Command<M>>;
            type Operand = Id<M>;
            fn write_value(value: Vec<Command<M>>) -> WriteValue {
                WriteValue::commands(value.into_iter().map(|c| c.raw).collect())
            }
            fn operand_value(value: Id<M>) -> Value {
                Value::Int(value.get())
            }
        }
    )*};
}

x2many_field!(One2many, Many2many);

// ---------------------------------------------------------------------------------------------
// Field handles, for domains

mod handle;

pub use handle::Field;

/// Field types that `like`, `ilike`, `not_like` and `not_ilike` apply to (text, and many2one
/// relations, matched on their display name).
pub trait TextField {}
impl TextField for String {}
impl<M> TextField for Many2one<M> {}
impl<T: TextField> TextField for Option<T> {}

/// Field types that point at another model, so a domain can follow them (`partner_id.name`).
pub trait Relational {
    /// The related model.
    type Target: Model;
}
impl<M: Model> Relational for Many2one<M> {
    type Target = M;
}
impl<M: Model> Relational for One2many<M> {
    type Target = M;
}
impl<M: Model> Relational for Many2many<M> {
    type Target = M;
}
impl<T: Relational> Relational for Option<T> {
    type Target = T::Target;
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::collections::hash_map::RandomState;
    use std::hash::BuildHasher;

    use super::*;
    use crate::xmlrpc::{from_value, to_value};

    struct Tag;

    #[test]
    fn id_reads_integers_doubles_and_numeric_strings() {
        assert_eq!(from_value::<Id<Tag>>(Value::Int(7)).unwrap(), 7);
        assert_eq!(from_value::<Id<Tag>>(Value::Double(7.0)).unwrap(), 7);
        assert_eq!(from_value::<Id<Tag>>("78".into()).unwrap(), 78);
        let err = from_value::<Id<Tag>>("seventy".into()).unwrap_err();
        assert!(err.to_string().contains("record id"), "{err}");
        assert!(from_value::<Id<Tag>>(Value::Double(7.5)).is_err());
    }

    #[test]
    fn same_model_compares_whole_names() {
        assert!(same_model("crm.lead", "crm.lead"));
        assert!(same_model("", ""));
        assert!(!same_model("crm.lead", "crm.leads"));
        assert!(!same_model("crm.lead", "crm.tead"));
        assert!(!same_model("crm.lead", ""));
    }

    #[test]
    fn many2one_reads_pairs_and_bare_ids_and_writes_the_id() {
        let pair = Value::Array(vec![Value::Int(1), "YourCompany".into()]);
        let m: Many2one<Tag> = from_value(pair).unwrap();
        assert_eq!((m.id.get(), m.name.as_str()), (1, "YourCompany"));
        let bare: Many2one<Tag> = from_value(Value::Int(2)).unwrap();
        assert_eq!((bare.id.get(), bare.name.as_str()), (2, ""));
        let none: Option<Many2one<Tag>> = from_value(Value::Bool(false)).unwrap();
        assert!(none.is_none());
        assert_eq!(
            <Many2one<Tag> as FieldValue>::write_value(Id::new(5)),
            WriteValue::reference(5)
        );
        let triple = Value::Array(vec![Value::Int(1), "a".into(), "b".into()]);
        assert!(from_value::<Many2one<Tag>>(triple).is_err());
    }

    #[test]
    fn many2one_equality_is_by_id_alone() {
        let read: Many2one<Tag> =
            from_value(Value::Array(vec![Value::Int(1), "YourCompany".into()])).unwrap();
        let new = Many2one::new(Id::new(1));
        assert_eq!(read, new);
        assert_eq!(Some(new.clone()), Some(read.clone()));
        assert_ne!(read, Many2one::new(Id::new(2)));
        let state = RandomState::new();
        assert_eq!(state.hash_one(&read), state.hash_one(&new));
        let set: HashSet<Many2one<Tag>> = [read, new].into_iter().collect();
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn x2many_equality_is_as_sets_of_ids() {
        let ids = |raw: &[i64]| raw.iter().copied().map(Id::new).collect::<Vec<Id<Tag>>>();
        let a = Many2many::new(ids(&[3, 1, 2]));
        let b = Many2many::new(ids(&[1, 2, 3]));
        assert_eq!(a, b);
        assert_eq!(a, Many2many::new(ids(&[1, 2, 3, 1])));
        assert_ne!(a, Many2many::new(ids(&[1, 2])));
        assert_ne!(a, Many2many::new(ids(&[1, 2, 4])));
        assert_eq!(Many2many::<Tag>::default(), Many2many::new(Vec::new()));
        // The server's order is still what the value shows.
        assert_eq!(a.ids(), ids(&[3, 1, 2]).as_slice());
        let state = RandomState::new();
        assert_eq!(state.hash_one(&a), state.hash_one(&b));
        let c = One2many::new(ids(&[5, 4]));
        assert_eq!(c, One2many::new(ids(&[4, 5])));
        assert_eq!(
            state.hash_one(&c),
            state.hash_one(One2many::new(ids(&[4, 5, 4])))
        );
    }

    #[test]
    fn commands_encode_as_the_server_tuples() {
        let commands: Vec<Command<Tag>> = vec![
            Command::update(Id::new(1), WriteValues::new().raw("name", "x")),
            Command::delete(Id::new(2)),
            Command::unlink(Id::new(3)),
            Command::link(Id::new(4)),
            Command::clear(),
            Command::set([Id::new(5), Id::new(6)]),
        ];
        let wire = to_value(&commands).unwrap();
        assert_eq!(
            crate::Domain::<Tag>::raw(wire).to_string(),
            r#"[[1, 1, {"name": "x"}], [2, 2, 0], [3, 3, 0], [4, 4, 0], [5, 0, 0], [6, 0, [5, 6]]]"#
        );
    }

    #[test]
    fn dates_parse_validate_and_print() {
        let d: Date = "2024-02-29".parse().unwrap();
        assert_eq!(d.to_string(), "2024-02-29");
        assert!("2023-02-29".parse::<Date>().is_err());
        assert!("2023-13-01".parse::<Date>().is_err());
        assert!("2023-1-01".parse::<Date>().is_err());
        assert!("2023-01-0a".parse::<Date>().is_err());
        assert!("+023-01-01".parse::<Date>().is_err());
        let t: DateTime = "2026-11-30 07:37:41".parse().unwrap();
        assert_eq!(t.time(), (7, 37, 41));
        assert_eq!(t.date(), Date::new(2026, 11, 30).unwrap());
        assert!("2026-11-30T07:37:41".parse::<DateTime>().is_err());
        assert!("2026-11-30 24:00:00".parse::<DateTime>().is_err());
        assert_eq!(from_value::<Date>("2026-01-05".into()).unwrap().day(), 5);
        assert!(
            from_value::<Option<Date>>(Value::Bool(false))
                .unwrap()
                .is_none()
        );
        let err = from_value::<Date>("05/01/2026".into()).unwrap_err();
        assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");
    }

    #[test]
    fn unix_seconds_roundtrip_across_leap_days_and_centuries() {
        for (secs, text) in [
            (0, "1970-01-01 00:00:00"),
            (951_782_400, "2000-02-29 00:00:00"),
            (1_709_164_799, "2024-02-28 23:59:59"),
            (-62_135_596_800, "0001-01-01 00:00:00"),
            (253_402_300_799, "9999-12-31 23:59:59"),
        ] {
            let at = DateTime::from_unix_seconds(secs).unwrap();
            assert_eq!(at.to_string(), text);
            assert_eq!(at.unix_seconds(), secs);
        }
        assert!(DateTime::from_unix_seconds(253_402_300_800).is_none());
        assert!(DateTime::from_unix_seconds(-62_135_596_801).is_none());
    }

    #[test]
    fn binary_roundtrips_base64() {
        let b = Binary(vec![0, 1, 2, 255]);
        assert_eq!(b.to_base64(), "AAEC/w==");
        assert_eq!(from_value::<Binary>("AAEC\n/w==".into()).unwrap(), b);
        assert!(from_value::<Binary>("***".into()).is_err());
        assert_eq!(to_value(&b).unwrap(), Value::String("AAEC/w==".into()));
    }
}
