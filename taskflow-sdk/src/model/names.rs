//! Display names: `name_get`, falling back to `display_name` where the server dropped it, and
//! `name_search`.

use std::future::IntoFuture;

use futures_util::future::BoxFuture;

use super::crud::ids_arg;
use crate::domain::Domain;
use crate::fields::Id;
use crate::model::Model;
use crate::{FaultKind, Kwargs, Protocol, Result, Session};

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
    // JSON-2 servers (19 and newer) have no name_get (odoo-19-json2/013).
    if session.client().protocol() == Protocol::Json2 {
        return display_names(session, ids).await;
    }
    match session
        .execute_kw(M::MODEL, "name_get", (ids_arg(ids),), Kwargs::new())
        .await
    {
        Err(e) if is_missing_method(&e, M::MODEL, "name_get") => display_names(session, ids).await,
        other => other,
    }
}

/// `display_name`, read: what replaced `name_get` (odoo-19-json2/014).
async fn display_names<M: Model>(session: &Session, ids: &[Id<M>]) -> Result<Vec<(Id<M>, String)>> {
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
            // Positional: the domain's parameter is `args` up to 17 and `domain` in 19, and a
            // keyword of the wrong name is a TypeError. The server's default limit is 100.
            let args = (
                &self.name,
                &self.domain,
                &self.operator,
                self.limit.unwrap_or(100),
            );
            self.session
                .execute_kw(M::MODEL, "name_search", args, Kwargs::new())
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

#[cfg(test)]
mod tests {
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
