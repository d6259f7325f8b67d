//! `#[derive(TaskflowModel)]` and `#[derive(Selection)]` for the TaskFlow Rust SDK. Use them
//! through `taskflow-sdk`, which re-exports both and documents them.
//!
//! Both derives run in the same phases, one module each: `attr` parses `#[taskflow(...)]`, `ir`
//! builds the validated model or selection, `check` applies the rules across fields or variants,
//! `expand` generates code. Errors are collected in an `attr::Ctxt` and reported together, each
//! at the user's field, variant or attribute, with stub impls so that nothing else fails.

mod attr;
mod check;
mod expand;
mod ir;
mod schema;
mod suggest;

use proc_macro::TokenStream;

/// Binds a struct to a server model: `#[derive(TaskflowModel)]`.
///
/// ```
/// use taskflow_sdk::{Command, Date, DateTime, Id, Many2many, Many2one, Model, Selection, TaskflowModel};
///
/// #[derive(TaskflowModel, Debug)]
/// #[taskflow(model = "res.partner")]
/// pub struct Partner {
///     pub id: Id<Partner>,
///     pub name: String,
/// }
///
/// #[derive(TaskflowModel, Debug)]
/// #[taskflow(model = "crm.tag")]
/// pub struct Tag {
///     pub id: Id<Tag>,
///     pub name: String,
/// }
///
/// #[derive(Selection, Clone, Copy, Debug, PartialEq)]
/// pub enum LeadType {
///     Lead,
///     Opportunity,
/// }
///
/// #[derive(TaskflowModel, Debug)]
/// #[taskflow(model = "crm.lead")]
/// pub struct Lead {
///     pub id: Id<Lead>,
///     pub name: String,
///     pub contact_name: Option<String>,          // the server's `false` reads as None
///     pub partner_id: Option<Many2one<Partner>>, // reads [id, "name"], writes the id
///     pub tag_ids: Many2many<Tag>,               // reads ids, writes commands
///     pub expected_revenue: f64,
///     pub date_deadline: Option<Date>,           // "YYYY-MM-DD"
///     #[taskflow(rename = "type")]
///     pub kind: LeadType,
///     #[taskflow(readonly)]
///     pub create_date: Option<DateTime>,         // "YYYY-MM-DD HH:MM:SS", UTC; never written
/// }
///
/// assert_eq!(Lead::MODEL, "crm.lead");
/// assert_eq!(Lead::FIELDS[7], "type");
///
/// // Only the fields that are set are sent; clearing is explicit.
/// let values = Lead::values()
///     .name("Rust SDK pilot")
///     .partner_id(Id::new(1))
///     .tag_ids([Command::link(Id::new(2)), Command::create(Tag::values().name("Pilot"))])
///     .kind(LeadType::Opportunity)
///     .clear_date_deadline()
///     .raw("active", true); // a field the struct does not declare
/// let map: taskflow_sdk::WriteValues<Lead> = values.into();
/// assert_eq!(
///     map.fields().collect::<Vec<_>>(),
///     ["name", "partner_id", "tag_ids", "type", "date_deadline", "active"]
/// );
///
/// // Typed domains, following the many2one to the partner's name.
/// let f = Lead::fields();
/// let domain = f.expected_revenue.gt(10_000.0) & f.partner_id.related().name.ilike("deco");
/// assert_eq!(
///     domain.to_string(),
///     r#"["&", ["expected_revenue", ">", 10000.0], ["partner_id.name", "ilike", "deco"]]"#
/// );
/// ```
///
/// # What it generates
/// - `impl Model for Lead`: the model name, the field list (reads request exactly these), the
///   record decoding (errors name the model, record id and field).
/// - `LeadValues`, the companion values type, from `Lead::values()`: one setter per writable field
///   and a `clear_<field>()` sending `false`; `id` and `#[taskflow(readonly)]` fields have none.
///   `raw(field, value)` sets any field by its server name, one the struct does not declare
///   included (so no writable field may be called `raw`).
/// - `LeadFields`, from `Lead::fields()`: one domain handle per field.
/// - Inherent shortcuts calling the generic operations of `taskflow_sdk::model`: `create`,
///   `create_many`, `write`, `read`, `unlink`, `search`, `search_read`, `search_count`,
///   `name_get`, `name_search`, `fields_get`, `load`.
///
/// # Attributes
/// - On the struct: `#[taskflow(model = "crm.lead")]` (required); `schema = "dir"`, the schema
///   snapshot directory to check the struct against (below), overriding `TASKFLOW_SCHEMA_DIR`.
/// - On a field: `rename = "type"` (the server's name, when it differs), `readonly` (read, never
///   written), `skip` (neither read nor written; filled with `Default::default()`).
///
/// # Checking against a schema snapshot
/// When `TASKFLOW_SCHEMA_DIR` (or the struct's `schema` attribute) names a directory that
/// `taskflow schema pull` wrote, the struct is checked against its model's snapshot when it
/// compiles; a relative directory is taken from the crate's `CARGO_MANIFEST_DIR`. A model or
/// field the snapshot lacks is an error at its name, with the closest real name; a field type
/// that cannot hold the snapshot's field (`String` for a many2one, `i64` for a float, a plain
/// type for a field that can be empty: not required, and not a number, boolean or x2many) is an
/// error at the type, and so is a selection enum whose keys differ from the field's. Enums are
/// checked where a struct uses them, against that field. Types of your own (not the SDK's, not a
/// `Selection` enum) are not checked. Editing the snapshot or changing the variable rebuilds the
/// crate. Without a directory, nothing is checked.
///
/// The struct needs named fields, no generic parameters, and an `id: Id<Self>` field. Field types
/// must implement `taskflow_sdk::fields::FieldValue`.
///
/// ```no_run
/// # use taskflow_sdk::{Client, Id, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
/// # async fn run() -> taskflow_sdk::Result<()> {
/// let client = Client::new("https://demo.taskflow.co.za")?;
/// let session = client.authenticate("demo.taskflow.co.za", "demo", "demo").await?;
/// let id = Lead::create(&session, Lead::values().name("New Lead")).await?;
/// Lead::write(&session, &[id], Lead::values().name("Lead Edited")).await?;
/// let names = Lead::name_get(&session, &[id]).await?;
/// assert_eq!(names, [(id, "Lead Edited".to_string())]);
/// # Ok(()) }
/// ```
#[proc_macro_derive(TaskflowModel, attributes(taskflow))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    expand::derive_model(input.into()).into()
}

/// Maps an enum of unit variants to a selection field: `#[derive(Selection)]`.
///
/// Each variant's key is its name in snake_case, or `#[taskflow(rename = "key")]`. Reading a key
/// the enum does not know fails with an error naming the enum and listing its keys.
///
/// It implements the `taskflow_sdk::Selection` trait, which carries `key` and `from_key`, and adds
/// no inherent methods, so the enum is free to have its own. `use taskflow_sdk::Selection` brings
/// both the derive and the trait into scope.
///
/// ```
/// use taskflow_sdk::Selection;
///
/// #[derive(Selection, Clone, Copy, Debug, PartialEq)]
/// enum LeadType {
///     Lead,
///     Opportunity,
/// }
///
/// assert_eq!(LeadType::Opportunity.key(), "opportunity");
/// let kind: LeadType = taskflow_sdk::xmlrpc::from_value("lead".into())?;
/// assert_eq!(kind, LeadType::Lead);
/// # Ok::<(), taskflow_sdk::xmlrpc::DecodeError>(())
/// ```
#[proc_macro_derive(Selection, attributes(taskflow))]
pub fn derive_selection(input: TokenStream) -> TokenStream {
    expand::derive_selection(input.into()).into()
}
