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

mod crud;
mod load;
mod names;
mod search;

use serde::Deserialize;

use crate::fields::Id;

pub use crate::values::{WriteValue, WriteValues};
pub use crud::{FieldInfo, create, create_many, fields_get, read, search_count, unlink, write};
pub(crate) use load::{LoadMessage, LoadTable, load_table, log_warnings, refused_rows};
pub use load::{RowError, load};
pub use names::{NameSearch, name_get, name_search};
pub use search::{Search, search, search_read};

/// A model named at run time, not bound to a struct. No value has this type.
///
/// It is the model parameter of what is not typed by a struct: a [`Loader`](crate::load::Loader)
/// of rows of cells (from [`Session::loader`](crate::Session::loader)), and relations to a model
/// the code does not map, as `taskflow generate` writes them when the related model is not
/// generated too: `Many2one<Untyped>` reads `[id, "name"]` and writes the id like any other.
///
/// ```
/// use taskflow_sdk::{Many2one, model::Untyped, xmlrpc::Value};
///
/// let read = Value::Array(vec![Value::Int(1), Value::from("My Company")]);
/// let company: Many2one<Untyped> = taskflow_sdk::xmlrpc::from_value(read)?;
/// assert_eq!((company.id.get(), company.name.as_str()), (1, "My Company"));
/// # Ok::<(), taskflow_sdk::xmlrpc::DecodeError>(())
/// ```
#[derive(Debug)]
pub enum Untyped {}

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
        Id::new(self.get())
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
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_model_compares_whole_names() {
        assert!(same_model("crm.lead", "crm.lead"));
        assert!(same_model("", ""));
        assert!(!same_model("crm.lead", "crm.leads"));
        assert!(!same_model("crm.lead", "crm.tead"));
        assert!(!same_model("crm.lead", ""));
    }
}
