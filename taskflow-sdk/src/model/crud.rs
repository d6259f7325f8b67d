//! The record operations, one call each: create, write, read, unlink, search_count, fields_get.

use std::collections::BTreeMap;

use crate::domain::Domain;
use crate::fields::Id;
use crate::model::Model;
use crate::values::WriteValues;
use crate::{Kwargs, Result, Session};

pub(super) fn ids_arg<M>(ids: &[Id<M>]) -> Vec<i64> {
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
