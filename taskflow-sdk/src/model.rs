//! The [`Model`] trait that `#[derive(TaskflowModel)]` implements, and the typed operations on it.
//!
//! The operations are ordinary generic functions, so application code can be generic over models
//! (`fn sync<M: Model>(...)`); the derive adds inherent shortcuts (`Lead::create(...)`) that call
//! them.
//!
//! # Calls the operations make on their own
//!
//! Each operation is the one call it names, with one exception: [`name_get`] on a server without
//! `name_get` (Odoo 18 and later answer it as a missing method) reads `display_name` instead,
//! which needs the same right, reading the model, and is bound by the same record rules.
//! [`load`] is one `load` call; the bulk [`Loader`](crate::load::Loader) lists its own.
//!
//! ```no_run
//! use taskflow_sdk::{Domain, Id, Model, Session, model};
//!
//! /// Copies every record's display name, whatever the model.
//! async fn names<M: Model>(session: &Session) -> taskflow_sdk::Result<Vec<(Id<M>, String)>> {
//!     let ids = model::search::<M>(session, Domain::all()).limit(100).await?;
//!     model::name_get::<M>(session, &ids).await
//! }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::domain::Domain;
use crate::fields::{FieldValue, Id, RawCommand};
use crate::xmlrpc::Value;
use crate::{FaultKind, Kwargs, Result, Session};

/// A server model bound to a Rust struct. Implemented by `#[derive(TaskflowModel)]`.
///
/// ```
/// use taskflow_sdk::{Id, Model, TaskflowModel};
///
/// #[derive(TaskflowModel, Debug)]
/// #[taskflow(model = "crm.tag")]
/// struct Tag {
///     id: Id<Tag>,
///     name: String,
///     color: Option<i64>,
/// }
///
/// assert_eq!(Tag::MODEL, "crm.tag");
/// assert_eq!(Tag::FIELDS, ["id", "name", "color"]);
/// ```
pub trait Model: for<'de> Deserialize<'de> + Sized + 'static {
    /// The server's model name, like `crm.lead`.
    const MODEL: &'static str;
    /// The server field names the struct reads, in declaration order (reads request exactly these).
    const FIELDS: &'static [&'static str];
    /// The companion values type used by create and write (`LeadValues` for `Lead`).
    type Values: Into<WriteValues<Self>> + Default;
    /// The field handles for domains (`LeadFields<R>` for `Lead`), rooted at model `R`.
    type Fields<R>;

    /// Field handles whose paths start with `prefix` (`"partner_id."`): how domains follow
    /// many2one paths. `""` gives the model's own handles.
    fn fields_at<R>(prefix: &str) -> Self::Fields<R>;

    /// The record's id.
    fn id(&self) -> Id<Self>;
}

// ---------------------------------------------------------------------------------------------
// Values sent by create and write

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

    /// Sets `field` the way a struct field of type `T` is written.
    pub fn set_typed<T: FieldValue>(&mut self, field: &str, value: T::Write) {
        self.set(field, T::write_value(value));
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

// ---------------------------------------------------------------------------------------------
// Record decoding (called by generated `Deserialize` impls)

/// Where a record being decoded stands: its model and, once read, its id. Names both in errors.
#[doc(hidden)]
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
#[doc(hidden)]
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

#[doc(hidden)]
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
#[doc(hidden)]
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
#[doc(hidden)]
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
#[doc(hidden)]
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
#[doc(hidden)]
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
#[doc(hidden)]
pub fn assert_field<T: FieldValue>() {}

/// Encodes a setter's argument for field type `T`. Generated setters call this rather than
/// `T::write_value`, so that an unsupported `T` is one error at the field's type, not two.
#[doc(hidden)]
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

// ---------------------------------------------------------------------------------------------
// Operations

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

fn ids_arg<M>(ids: &[Id<M>]) -> Vec<i64> {
    ids.iter().map(|id| id.get()).collect()
}

/// Creates one record and returns its id.
///
/// ```no_run
/// # use taskflow_sdk::{Id, Session, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
/// # async fn f(session: &Session) -> taskflow_sdk::Result<()> {
/// let id = Lead::create(session, Lead::values().name("New Lead")).await?;
/// # Ok(()) }
/// ```
pub async fn create<M: Model>(
    session: &Session,
    values: impl Into<WriteValues<M>>,
) -> Result<Id<M>> {
    let values = values.into();
    session
        .execute_kw(M::MODEL, "create", (values,), Kwargs::new())
        .await
}

/// Creates several records in one call and returns their ids, in order.
///
/// ```no_run
/// # use taskflow_sdk::{Id, Session, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
/// # async fn f(session: &Session) -> taskflow_sdk::Result<()> {
/// let ids = Lead::create_many(session, [Lead::values().name("A"), Lead::values().name("B")]).await?;
/// assert_eq!(ids.len(), 2);
/// # Ok(()) }
/// ```
pub async fn create_many<M: Model, V: Into<WriteValues<M>>>(
    session: &Session,
    values: impl IntoIterator<Item = V>,
) -> Result<Vec<Id<M>>> {
    let values: Vec<WriteValues<M>> = values.into_iter().map(Into::into).collect();
    if values.is_empty() {
        return Ok(Vec::new());
    }
    session
        .execute_kw(M::MODEL, "create", (values,), Kwargs::new())
        .await
}

/// Writes the same values to every record in `ids`.
///
/// ```no_run
/// # use taskflow_sdk::{Id, Session, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
/// # async fn f(session: &Session, id: Id<Lead>) -> taskflow_sdk::Result<()> {
/// Lead::write(session, &[id], Lead::values().name("Lead Edited")).await?;
/// # Ok(()) }
/// ```
pub async fn write<M: Model>(
    session: &Session,
    ids: &[Id<M>],
    values: impl Into<WriteValues<M>>,
) -> Result<()> {
    let values = values.into();
    let _: bool = session
        .execute_kw(M::MODEL, "write", (ids_arg(ids), values), Kwargs::new())
        .await?;
    Ok(())
}

/// Reads the records in `ids` (exactly the struct's fields). Ids that no longer exist are left out,
/// as the server does.
///
/// ```no_run
/// # use taskflow_sdk::{Id, Session, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
/// # async fn f(session: &Session, id: Id<Lead>) -> taskflow_sdk::Result<()> {
/// let leads: Vec<Lead> = Lead::read(session, &[id]).await?;
/// println!("{}", leads[0].name);
/// # Ok(()) }
/// ```
pub async fn read<M: Model>(session: &Session, ids: &[Id<M>]) -> Result<Vec<M>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    session
        .execute_kw(
            M::MODEL,
            "read",
            (ids_arg(ids),),
            Kwargs::new().fields(M::FIELDS.iter().copied()),
        )
        .await
}

/// Deletes the records in `ids`.
///
/// ```no_run
/// # use taskflow_sdk::{Id, Session, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
/// # async fn f(session: &Session, id: Id<Lead>) -> taskflow_sdk::Result<()> {
/// Lead::unlink(session, &[id]).await?;
/// # Ok(()) }
/// ```
pub async fn unlink<M: Model>(session: &Session, ids: &[Id<M>]) -> Result<()> {
    let _: bool = session
        .execute_kw(M::MODEL, "unlink", (ids_arg(ids),), Kwargs::new())
        .await?;
    Ok(())
}

/// Counts the records matching `domain`.
///
/// ```no_run
/// # use taskflow_sdk::{Id, Session, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
/// # async fn f(session: &Session) -> taskflow_sdk::Result<()> {
/// let n = Lead::search_count(session, Lead::fields().name.ilike("desk")).await?;
/// # Ok(()) }
/// ```
pub async fn search_count<M: Model>(session: &Session, domain: Domain<M>) -> Result<u64> {
    session
        .execute_kw(M::MODEL, "search_count", (domain,), Kwargs::new())
        .await
}

/// The records' display names. Uses `name_get`, and on servers that dropped it (the method does
/// not exist) reads `display_name` instead.
///
/// ```no_run
/// # use taskflow_sdk::{Id, Session, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
/// # async fn f(session: &Session, id: Id<Lead>) -> taskflow_sdk::Result<()> {
/// let names = Lead::name_get(session, &[id]).await?;
/// assert_eq!(names[0].0, id);
/// # Ok(()) }
/// ```
pub async fn name_get<M: Model>(session: &Session, ids: &[Id<M>]) -> Result<Vec<(Id<M>, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    match session
        .execute_kw(M::MODEL, "name_get", (ids_arg(ids),), Kwargs::new())
        .await
    {
        Err(e) if is_missing_method(&e, M::MODEL, "name_get") => {
            #[derive(serde::Deserialize)]
            #[serde(crate = "serde")]
            struct DisplayName<M> {
                id: Id<M>,
                display_name: Option<String>,
            }
            let rows: Vec<DisplayName<M>> = session
                .execute_kw(
                    M::MODEL,
                    "read",
                    (ids_arg(ids),),
                    Kwargs::new().fields(["display_name"]),
                )
                .await?;
            Ok(rows
                .into_iter()
                .map(|r| (r.id, r.display_name.unwrap_or_default()))
                .collect())
        }
        other => other,
    }
}

/// True for the fault a server gives when `model` has no method `method`, in the words of
/// each version: `The method 'name_get' does not exist on the model 'crm.lead'` (17) and
/// `The method 'crm.lead.name_get' does not exist` (19, odoo-19-xmlrpc/004).
fn is_missing_method(error: &crate::Error, model: &str, method: &str) -> bool {
    error.fault().is_some_and(|fault| {
        let message = fault.message();
        fault.kind() == FaultKind::ServerError
            && fault.exception().is_none_or(|e| e == "AttributeError")
            && (message == format!("The method '{method}' does not exist on the model '{model}'")
                || message == format!("The method '{model}.{method}' does not exist"))
    })
}

#[cfg(test)]
mod missing_method_tests {
    use super::*;
    use crate::xmlrpc::{FaultCode, RawFault};

    fn fault(last_line: &str) -> crate::Error {
        crate::Error::from_fault(
            crate::Fault::from_raw(RawFault {
                code: FaultCode::Int(1),
                string: format!(
                    "Traceback (most recent call last):\n  File \"odoo/service/model.py\", \
                 line 59, in get_public_method\n{last_line}\n"
                ),
            }),
            crate::error::CallInfo::new("/xmlrpc/2/object", Some("crm.lead"), "name_get"),
        )
    }

    #[test]
    fn both_versions_wordings_are_a_missing_method() {
        let v17 =
            fault("AttributeError: The method 'name_get' does not exist on the model 'crm.lead'");
        let v19 = fault("AttributeError: The method 'crm.lead.name_get' does not exist");
        assert!(is_missing_method(&v17, "crm.lead", "name_get"));
        assert!(is_missing_method(&v19, "crm.lead", "name_get"));
        assert!(!is_missing_method(&v19, "crm.tag", "name_get"));
        assert!(!is_missing_method(&v19, "crm.lead", "name_search"));
        let other = fault("ValueError: The method 'crm.lead.name_get' does not exist");
        assert!(!is_missing_method(&other, "crm.lead", "name_get"));
    }
}

/// Describes one field as `fields_get` reports it.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct FieldInfo {
    /// The label.
    #[serde(default)]
    pub string: String,
    /// The server's field type (`char`, `many2one`, `selection`...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Whether the field must be set.
    #[serde(default)]
    pub required: bool,
    /// Whether the field is read-only.
    #[serde(default)]
    pub readonly: bool,
    /// The related model of a relational field.
    #[serde(default)]
    pub relation: Option<String>,
    /// The keys and labels of a selection field.
    #[serde(default)]
    pub selection: Option<Vec<(String, String)>>,
}

/// Describes the model's fields (type, label, required, read-only, relation, selection).
///
/// ```no_run
/// # use taskflow_sdk::{Id, Session, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
/// # async fn f(session: &Session) -> taskflow_sdk::Result<()> {
/// let fields = Lead::fields_get(session).await?;
/// assert_eq!(fields["partner_id"].relation.as_deref(), Some("res.partner"));
/// # Ok(()) }
/// ```
pub async fn fields_get<M: Model>(session: &Session) -> Result<BTreeMap<String, FieldInfo>> {
    session
        .execute_kw(
            M::MODEL,
            "fields_get",
            (),
            Kwargs::new().insert(
                "attributes",
                [
                    "string",
                    "type",
                    "required",
                    "readonly",
                    "relation",
                    "selection",
                ],
            ),
        )
        .await
}

/// A `search` or `search_read` call being built: set `limit`, `offset`, `order` or context keys,
/// then `.await` it.
#[must_use = "a search does nothing until awaited"]
pub struct Search<'s, M, R> {
    session: &'s Session,
    method: &'static str,
    domain: Domain<M>,
    kwargs: Kwargs,
    output: PhantomData<fn() -> R>,
}

impl<M, R> Search<'_, M, R> {
    /// At most `limit` records.
    pub fn limit(mut self, limit: u32) -> Self {
        self.kwargs = self.kwargs.limit(limit);
        self
    }

    /// Skips the first `offset` records.
    pub fn offset(mut self, offset: u32) -> Self {
        self.kwargs = self.kwargs.offset(offset);
        self
    }

    /// Sort order, like `"expected_revenue desc, id"`.
    pub fn order(mut self, order: impl Into<String>) -> Self {
        self.kwargs = self.kwargs.order(order);
        self
    }

    /// Sets a context key for this call (`active_test`, `lang`...).
    pub fn context(mut self, key: impl Into<String>, value: impl Serialize) -> Self {
        self.kwargs = self.kwargs.context(key, value);
        self
    }
}

impl<'s, M: Model, R: for<'de> Deserialize<'de> + Send + 's> IntoFuture for Search<'s, M, R> {
    type Output = Result<R>;
    type IntoFuture = BoxFuture<'s, Result<R>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            self.session
                .execute_kw(M::MODEL, self.method, (self.domain,), self.kwargs)
                .await
        })
    }
}

/// Searches ids matching `domain`; set `limit`, `offset`, `order` on the result, then `.await`.
///
/// ```no_run
/// # use taskflow_sdk::{Id, Session, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
/// # async fn f(session: &Session) -> taskflow_sdk::Result<()> {
/// let ids: Vec<Id<Lead>> = Lead::search(session, Lead::fields().name.ilike("desk"))
///     .order("id desc")
///     .limit(5)
///     .await?;
/// # Ok(()) }
/// ```
pub fn search<M: Model>(session: &Session, domain: Domain<M>) -> Search<'_, M, Vec<Id<M>>> {
    Search {
        session,
        method: "search",
        domain,
        kwargs: Kwargs::new(),
        output: PhantomData,
    }
}

/// Reads the records matching `domain` (exactly the struct's fields); set `limit`, `offset`,
/// `order` on the result, then `.await`.
///
/// ```no_run
/// # use taskflow_sdk::{Id, Session, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")]
/// # struct Lead { id: Id<Lead>, name: String, expected_revenue: f64 }
/// # async fn f(session: &Session) -> taskflow_sdk::Result<()> {
/// let f = Lead::fields();
/// let big: Vec<Lead> = Lead::search_read(session, f.expected_revenue.gt(10_000.0) & f.name.ilike("desk"))
///     .order("expected_revenue desc")
///     .limit(50)
///     .await?;
/// # Ok(()) }
/// ```
pub fn search_read<M: Model>(session: &Session, domain: Domain<M>) -> Search<'_, M, Vec<M>> {
    Search {
        session,
        method: "search_read",
        domain,
        kwargs: Kwargs::new().fields(M::FIELDS.iter().copied()),
        output: PhantomData,
    }
}

/// A `name_search` call being built: set `domain`, `operator`, `limit`, then `.await` it.
#[must_use = "a name search does nothing until awaited"]
pub struct NameSearch<'s, M> {
    session: &'s Session,
    name: String,
    domain: Domain<M>,
    operator: String,
    limit: Option<u32>,
}

impl<M> NameSearch<'_, M> {
    /// Restricts the candidates to `domain`.
    pub fn domain(mut self, domain: Domain<M>) -> Self {
        self.domain = domain;
        self
    }

    /// How the name is matched (default `ilike`).
    pub fn operator(mut self, operator: impl Into<String>) -> Self {
        self.operator = operator.into();
        self
    }

    /// At most `limit` results (the server's default is 100).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }
}

impl<'s, M: Model> IntoFuture for NameSearch<'s, M> {
    type Output = Result<Vec<(Id<M>, String)>>;
    type IntoFuture = BoxFuture<'s, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let mut kwargs = Kwargs::new()
                .insert("name", &self.name)
                .insert("args", &self.domain)
                .insert("operator", &self.operator);
            if let Some(limit) = self.limit {
                kwargs = kwargs.limit(limit);
            }
            self.session
                .execute_kw(M::MODEL, "name_search", (), kwargs)
                .await
        })
    }
}

/// Finds records by display name; returns `(id, display name)` pairs.
///
/// ```no_run
/// # use taskflow_sdk::{Id, Session, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
/// # async fn f(session: &Session) -> taskflow_sdk::Result<()> {
/// let found = Lead::name_search(session, "Transcript").limit(5).await?;
/// # Ok(()) }
/// ```
pub fn name_search<M: Model>(session: &Session, name: impl Into<String>) -> NameSearch<'_, M> {
    NameSearch {
        session,
        name: name.into(),
        domain: Domain::all(),
        operator: "ilike".to_owned(),
        limit: None,
    }
}

// ---------------------------------------------------------------------------------------------
// load

/// One row that did not land: refused by the server, refused before sending (a value `load`
/// cannot carry), or not delivered. [`load`] and the bulk [`Loader`](crate::load::Loader) both
/// report refused rows this way.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RowError {
    /// Index of the row in the input, from 0.
    pub row: usize,
    /// Its external id, when the rows have them.
    pub external_id: Option<String>,
    /// The server name of the field the server blamed, when it said.
    pub field: Option<String>,
    /// Why the row did not land, in the server's words when it gave them.
    pub message: String,
}

impl RowError {
    /// Row `row`, refused by `message` (or by a refusal that gave none).
    pub(crate) fn refused(
        row: usize,
        external_id: Option<String>,
        message: Option<&LoadMessage>,
    ) -> RowError {
        RowError {
            row,
            external_id,
            field: message.and_then(|m| m.field.clone()),
            message: match message {
                Some(m) if !m.message.is_empty() => m.message.clone(),
                _ => "rejected by the server".to_owned(),
            },
        }
    }
}

/// `row 3 (crm_sync.lead_3), field type: Wrong value for type: 'x'`.
impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.row)?;
        if let Some(xid) = &self.external_id {
            write!(f, " ({xid})")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for RowError {}

/// One message of `load`'s answer, as the server sends it. Errors become [`RowError`]s;
/// warnings, next to ids, refuse nothing and are logged.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub(crate) struct LoadMessage {
    /// `error` or `warning`.
    #[serde(rename = "type", default)]
    pub(crate) kind: String,
    /// The server's text.
    #[serde(default)]
    pub(crate) message: String,
    /// The row index (from 0) in the batch.
    #[serde(default)]
    pub(crate) record: Option<u64>,
    /// The rows (from 0) the message covers, when the server gives a range.
    #[serde(default)]
    pub(crate) rows: Option<LoadRows>,
    /// The server name of the field concerned.
    #[serde(default)]
    pub(crate) field: Option<String>,
}

/// The `rows` range of a `load` message: `{'from': i, 'to': j}`, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
pub(crate) struct LoadRows {
    pub(crate) from: u64,
    pub(crate) to: u64,
}

impl LoadMessage {
    /// Whether the message rejects its rows (warnings do not).
    pub(crate) fn is_error(&self) -> bool {
        self.kind.is_empty() || self.kind == "error"
    }

    /// The rows (from 0, within the batch) the message is about: its range, else its record.
    pub(crate) fn covered_rows(&self) -> std::ops::RangeInclusive<u64> {
        match (self.rows, self.record) {
            (Some(rows), _) => rows.from..=rows.to.max(rows.from),
            (None, Some(record)) => record..=record,
            #[allow(clippy::reversed_empty_ranges)]
            (None, None) => 1..=0,
        }
    }
}

/// The rows of a refused batch of `len` rows, each with the first error message naming it. A
/// refusal that names no row refuses every row, with its first message if it has one.
pub(crate) fn refused_rows(
    messages: &[LoadMessage],
    len: usize,
) -> BTreeMap<usize, Option<&LoadMessage>> {
    let mut refused = BTreeMap::new();
    for message in messages.iter().filter(|m| m.is_error()) {
        for row in message.covered_rows() {
            match usize::try_from(row) {
                Ok(row) if row < len => {
                    refused.entry(row).or_insert(Some(message));
                }
                _ => break,
            }
        }
    }
    if refused.is_empty() {
        let why = messages.iter().find(|m| m.is_error()).or(messages.first());
        refused.extend((0..len).map(|row| (row, why)));
    }
    refused
}

/// Logs the warnings of a batch the server accepted (they refuse nothing); `row` maps a row of
/// the batch to the input's.
pub(crate) fn log_warnings(
    model: &str,
    messages: &[LoadMessage],
    row: impl Fn(usize) -> Option<usize>,
) {
    for message in messages.iter().filter(|m| !m.is_error()) {
        let local = message.rows.map(|rows| rows.from).or(message.record);
        tracing::warn!(
            model,
            row = local.and_then(|r| usize::try_from(r).ok()).and_then(&row),
            field = message.field.as_deref(),
            kind = %message.kind,
            "load: {}",
            message.message
        );
    }
}

#[derive(serde::Deserialize)]
#[serde(crate = "serde")]
struct RawLoad<M> {
    ids: Option<Vec<Id<M>>>,
    #[serde(default)]
    messages: Vec<LoadMessage>,
}

/// Imports rows keyed by external id (`module.name`; without a module, the server files it under
/// `__import__`) in one `load` call: a known external id updates its record, a new one creates
/// one.
///
/// As the server's `load`, all or nothing: the ids of every row, in row order, or the rows that
/// were refused and why (and then nothing changed). The outer `Result` is the call's: it fails
/// when the call does (a transport error, a fault for the whole batch, like an unknown field).
/// For imports larger than one call, with per-row errors that do not stop the good rows, use
/// the bulk [`Loader`](crate::load::Loader).
///
/// Relations are sent by database id (`partner_id/.id`). x2many fields take [`Command::link`],
/// [`Command::set`] and [`Command::clear`] only, since an import cannot create, update or delete
/// related records. A row's commands are folded into one list of ids, which replaces the
/// field's links: `link` adds to that list, not to the record's current links. An empty list (a
/// lone `clear`) is an empty cell, which empties the field of an existing record and leaves a new
/// record's default.
///
/// [`Command::link`]: crate::Command::link
/// [`Command::set`]: crate::Command::set
/// [`Command::clear`]: crate::Command::clear
///
/// ```no_run
/// # use taskflow_sdk::{Id, Session, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
/// # async fn f(session: &Session) -> taskflow_sdk::Result<()> {
/// let loaded = Lead::load(session, [
///     ("__import__.lead_1", Lead::values().name("Imported lead 1")),
///     ("__import__.lead_2", Lead::values().name("Imported lead 2")),
/// ]).await?;
/// match loaded {
///     Ok(ids) => println!("loaded {ids:?}"),
///     Err(refused) => refused.iter().for_each(|row| eprintln!("{row}")),
/// }
/// # Ok(()) }
/// ```
pub async fn load<M: Model, X: Into<String>, V: Into<WriteValues<M>>>(
    session: &Session,
    rows: impl IntoIterator<Item = (X, V)>,
) -> Result<std::result::Result<Vec<Id<M>>, Vec<RowError>>> {
    let rows: Vec<(String, WriteValues<M>)> = rows
        .into_iter()
        .map(|(xid, values)| (xid.into(), values.into()))
        .collect();
    let table = match load_table(&rows) {
        Ok(table) => table,
        Err(refused) => return Ok(Err(refused)),
    };
    if table.rows.is_empty() {
        return Ok(Ok(Vec::new()));
    }
    let raw: RawLoad<M> = session
        .execute_kw(M::MODEL, "load", (table.columns, table.rows), Kwargs::new())
        .await?;
    match raw.ids {
        Some(ids) => {
            log_warnings(M::MODEL, &raw.messages, Some);
            Ok(Ok(ids))
        }
        None => Ok(Err(refused_rows(&raw.messages, rows.len())
            .into_iter()
            .map(|(row, message)| {
                RowError::refused(row, rows.get(row).map(|(xid, _)| xid.clone()), message)
            })
            .collect())),
    }
}

/// `load`'s header and string cells, built from typed rows.
#[derive(Debug)]
pub(crate) struct LoadTable {
    pub(crate) columns: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

/// Turns typed rows into `load`'s string table, or the errors of the rows that cannot be
/// imported.
pub(crate) fn load_table<M>(
    rows: &[(String, WriteValues<M>)],
) -> std::result::Result<LoadTable, Vec<RowError>> {
    let mut fields: Vec<(&str, bool)> = Vec::new(); // (name, by database id)
    for (_, values) in rows {
        for (name, value) in &values.entries {
            let by_id = matches!(value.0, WriteRepr::Ref(_) | WriteRepr::Commands(_));
            match fields.iter_mut().find(|(n, _)| n == name) {
                Some(entry) => entry.1 |= by_id,
                None => fields.push((name, by_id)),
            }
        }
    }
    let mut refused = Vec::new();
    let mut table = Vec::with_capacity(rows.len());
    for (index, (xid, values)) in rows.iter().enumerate() {
        let mut row = Vec::with_capacity(fields.len() + 1);
        row.push(xid.clone());
        for (name, _) in &fields {
            let cell = match values.get(name) {
                None => Ok(String::new()),
                Some(value) => load_cell(value),
            };
            match cell {
                Ok(cell) => row.push(cell),
                // One error per row, as the server gives: its first bad cell.
                Err(_) if refused.last().is_some_and(|e: &RowError| e.row == index) => {}
                Err(problem) => refused.push(RowError {
                    row: index,
                    external_id: Some(xid.clone()),
                    field: Some((*name).to_owned()),
                    message: problem,
                }),
            }
        }
        table.push(row);
    }
    if !refused.is_empty() {
        return Err(refused);
    }
    let mut columns = vec!["id".to_owned()];
    columns.extend(fields.iter().map(|(name, by_id)| {
        if *by_id {
            format!("{name}/.id")
        } else {
            (*name).to_owned()
        }
    }));
    Ok(LoadTable {
        columns,
        rows: table,
    })
}

fn load_cell(value: &WriteValue) -> std::result::Result<String, String> {
    match &value.0 {
        WriteRepr::Plain(Value::String(s)) => Ok(s.clone()),
        WriteRepr::Plain(Value::Int(i)) => Ok(i.to_string()),
        WriteRepr::Plain(Value::Double(d)) => Ok(d.to_string()),
        WriteRepr::Plain(Value::Bool(b)) => Ok(if *b { "1" } else { "0" }.to_owned()),
        WriteRepr::Plain(Value::Nil) | WriteRepr::Clear => Ok(String::new()),
        WriteRepr::Plain(other) => Err(format!(
            "a {} value cannot be imported with load",
            other.type_name()
        )),
        WriteRepr::Ref(id) => Ok(id.to_string()),
        WriteRepr::Commands(commands) => {
            let mut ids = Vec::new();
            for command in commands {
                match command {
                    RawCommand::Link(id) => ids.push(*id),
                    RawCommand::Set(set) => {
                        ids.clear();
                        ids.extend(set);
                    }
                    RawCommand::Clear => ids.clear(),
                    _ => {
                        return Err(
                            "load only takes link, set and clear commands for x2many fields"
                                .to_owned(),
                        );
                    }
                }
            }
            Ok(ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Command;
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

    #[test]
    fn load_table_uses_database_id_columns_for_relations() {
        let mut a = WriteValues::<Tag>::new()
            .raw("name", "A")
            .raw("probability", 1.5);
        a.set("partner_id", WriteValue::reference(7));
        a.set(
            "tag_ids",
            WriteValue::commands(vec![
                Command::<Tag>::link(Id::new(1)).raw().clone(),
                Command::<Tag>::link(Id::new(2)).raw().clone(),
            ]),
        );
        let b = WriteValues::<Tag>::new()
            .raw("name", "B")
            .raw("active", false);
        let table = load_table(&[("x.a".to_owned(), a), ("x.b".to_owned(), b)]).unwrap();
        assert_eq!(
            table.columns,
            [
                "id",
                "name",
                "probability",
                "partner_id/.id",
                "tag_ids/.id",
                "active"
            ]
        );
        assert_eq!(table.rows[0], ["x.a", "A", "1.5", "7", "1,2", ""]);
        assert_eq!(table.rows[1], ["x.b", "B", "", "", "", "0"]);
    }

    fn message(kind: &str, record: Option<u64>, rows: Option<(u64, u64)>) -> LoadMessage {
        LoadMessage {
            kind: kind.to_owned(),
            message: format!("{kind} {record:?} {rows:?}"),
            record,
            rows: rows.map(|(from, to)| LoadRows { from, to }),
            field: Some("type".to_owned()),
        }
    }

    #[test]
    fn refused_rows_take_the_first_error_naming_them() {
        let messages = [
            message("warning", Some(0), None),
            message("error", Some(1), Some((1, 2))),
            message("error", Some(2), None),
            // Past the batch: ignored.
            message("error", Some(9), Some((9, 9))),
        ];
        let refused = refused_rows(&messages, 4);
        let rows: Vec<(usize, &str)> = refused
            .iter()
            .map(|(&row, m)| (row, m.unwrap().message.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                (1, "error Some(1) Some((1, 2))"),
                (2, "error Some(1) Some((1, 2))")
            ]
        );
        let error = RowError::refused(1, Some("x.b".to_owned()), refused[&1]);
        assert_eq!(
            error.to_string(),
            "row 1 (x.b), field type: error Some(1) Some((1, 2))"
        );
    }

    #[test]
    fn a_refusal_naming_no_row_refuses_every_row() {
        let messages = [message("warning", None, None), message("error", None, None)];
        let refused = refused_rows(&messages, 3);
        assert_eq!(refused.keys().copied().collect::<Vec<_>>(), [0, 1, 2]);
        assert!(refused.values().all(|m| m.unwrap().kind == "error"));
        let refused = refused_rows(&[], 2);
        assert_eq!(refused.len(), 2);
        let error = RowError::refused(0, None, refused[&0]);
        assert_eq!(error.to_string(), "row 0: rejected by the server");
    }

    #[test]
    fn load_table_refuses_commands_an_import_cannot_express() {
        let mut a = WriteValues::<Tag>::new();
        a.set(
            "tag_ids",
            WriteValue::commands(vec![Command::<Tag>::delete(Id::new(1)).raw().clone()]),
        );
        // A second bad cell in the same row: still one error for the row.
        a.set(
            "partner_ids",
            WriteValue::commands(vec![Command::<Tag>::delete(Id::new(2)).raw().clone()]),
        );
        let refused = load_table(&[("x.a".to_owned(), a)]).unwrap_err();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].row, 0);
        assert_eq!(refused[0].external_id.as_deref(), Some("x.a"));
        assert_eq!(refused[0].field.as_deref(), Some("tag_ids"));
        assert!(refused[0].to_string().contains("link, set and clear"));
    }
}
