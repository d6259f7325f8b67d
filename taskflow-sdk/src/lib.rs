//! Typed async Rust SDK for TaskFlow's external API, over XML-RPC, JSON-RPC or JSON-2.
//!
//! TaskFlow (of the Odoo lineage) speaks XML-RPC: `/xmlrpc/2/common` for `version` and
//! `authenticate`, `/xmlrpc/2/object` for `execute_kw` on any model; the same services as
//! JSON-RPC at `/jsonrpc`; and from version 19, JSON-2 at `/json/2/<model>/<method>` with an
//! API key ([`Protocol`], chosen on the [`ClientBuilder`]; [`ClientBuilder::json2`] for JSON-2).
//! Credentials never go over plain HTTP to a host that is not loopback, nor along a redirect to
//! another origin. This crate gives you:
//!
//! - [`Client`] and [`Session`]: connect, authenticate, and call any method with
//!   [`Session::execute_kw`], typed by serde (`args: Serialize`, result `DeserializeOwned`) or
//!   untyped ([`xmlrpc::Value`]). Timeouts, pooling, TLS (rustls), retries of read-only calls,
//!   `tracing` spans, and one [`Error`] type, its variants named by [`ErrorKind`] and its
//!   server faults classified ([`FaultKind`]).
//! - [`#[derive(TaskflowModel)]`](TaskflowModel): a plain struct becomes a typed model with
//!   `create`, `write`, `read`, `search_read`, `name_get`, `load`... (see [`model`]), a values
//!   builder for writes, x2many [`Command`]s, and typed [`Domain`]s from field handles.
//! - [`load`]: bulk import with external ids, chunked and concurrent, with per-row errors; and
//!   [`stream`]: whole tables as an async stream of records, paged by id.
//! - [`xmlrpc`]: the codec underneath: a serde serializer and a streaming deserializer over
//!   quick-xml that decodes responses straight into your types; [`jsonrpc`], its JSON-RPC
//!   counterpart, under the same conventions; and [`json2`], which names `execute_kw`'s
//!   positional arguments for JSON-2.
//!
//! ```no_run
//! use taskflow_sdk::{Client, Id, Many2one, TaskflowModel};
//!
//! #[derive(TaskflowModel, Debug)]
//! #[taskflow(model = "res.partner")]
//! struct Partner {
//!     id: Id<Partner>,
//!     name: String,
//! }
//!
//! #[derive(TaskflowModel, Debug)]
//! #[taskflow(model = "crm.lead")]
//! struct Lead {
//!     id: Id<Lead>,
//!     name: String,
//!     partner_id: Option<Many2one<Partner>>,
//!     expected_revenue: f64,
//! }
//!
//! # async fn run() -> taskflow_sdk::Result<()> {
//! let client = Client::new("https://demo.taskflow.co.za")?;
//! println!("{}", client.version().await?.server_version);
//! let session = client.authenticate("demo.taskflow.co.za", "demo", "demo").await?;
//!
//! let id = Lead::create(&session, Lead::values().name("New Lead")).await?;
//! Lead::write(&session, &[id], Lead::values().name("Lead Edited")).await?;
//! assert_eq!(Lead::name_get(&session, &[id]).await?, [(id, "Lead Edited".to_owned())]);
//!
//! let f = Lead::fields();
//! let big: Vec<Lead> = Lead::search_read(&session, f.expected_revenue.gt(10_000.0))
//!     .order("expected_revenue desc")
//!     .limit(50)
//!     .await?;
//! # let _ = big;
//! # Ok(()) }
//! ```
//!
//! The workspace's `taskflow-server` crate is an embedded TaskFlow-compatible server: the examples
//! and tests run against it when no real server is configured.
//!
//! # Cargo features
//!
//! - `chrono`, `time`, `jiff` (off by default): conversions between [`fields::Date`] /
//!   [`fields::DateTime`] and that crate's date, naive date-time and UTC instant, documented in the
//!   module of the same name under `fields` (`fields::chrono`, `fields::time`, `fields::jiff`).
#![deny(missing_docs)]

pub mod domain;
pub mod fields;
pub mod json2;
pub mod jsonrpc;
pub mod load;
pub mod model;
pub mod selection;
pub mod stream;
pub mod transport;
pub mod xmlrpc;

#[doc(hidden)]
#[path = "private/mod.rs"]
pub mod __private;

mod client;
mod error;
mod kwargs;
mod origin;
mod protocol;
mod secret;
mod session;
mod values;
mod version;

pub use client::{Client, ClientBuilder};
pub use error::{CallInfo, Error, ErrorKind, Fault, FaultKind, Result, RetryCause};
pub use kwargs::Kwargs;
pub use protocol::{Protocol, UnknownProtocol};
pub use secret::Secret;
pub use session::Session;
pub use transport::RetryPolicy;
pub use version::ServerVersion;

pub use domain::Domain;
pub use fields::{Binary, Command, Date, DateTime, Id, Many2many, Many2one, One2many};
pub use model::Model;
pub use selection::Selection;
pub use taskflow_derive::{Selection, TaskflowModel};
pub use values::{WriteValue, WriteValues};
