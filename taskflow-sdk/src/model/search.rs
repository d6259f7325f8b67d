//! `search` and `search_read`: a call built with limit, offset, order and context, then awaited.

use std::future::IntoFuture;
use std::marker::PhantomData;

use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};

use crate::domain::Domain;
use crate::fields::Id;
use crate::model::Model;
use crate::{Kwargs, Result, Session};

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
