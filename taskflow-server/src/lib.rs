//! An embedded, in-memory TaskFlow-compatible XML-RPC, JSON-RPC and JSON-2 server, for examples,
//! tests and offline work.
//!
//! It speaks the same APIs as a real TaskFlow (Odoo) server and behaves like one as far as a
//! client can observe: the `/xmlrpc/2/common`, `/xmlrpc/2/object` and `/xmlrpc/2/db` endpoints
//! and the legacy `/xmlrpc/*` ones, `/jsonrpc` (the same services in a JSON-RPC 2.0 envelope,
//! errors naming their exception class), the web client's JSON routes with their session
//! cookie (`/web/session/authenticate`, `/web/dataset/call_kw`, ...), the ORM methods, search
//! domains, x2many commands, `load` with external ids, and faults with the real codes and text
//! shapes. In its version-19 mode ([`Mode::Odoo19`]) it also serves JSON-2
//! (`POST /json/2/<model>/<method>`, authenticated by the API keys of
//! [`TestServer::admin`] and [`TestServer::demo`]) and version discovery (`/web/version`,
//! `/json/version`). The recorded transcripts in `tests/fixtures/odoo-17`,
//! `tests/fixtures/odoo-17-jsonrpc`, `tests/fixtures/odoo-19-xmlrpc` and
//! `tests/fixtures/odoo-19-json2` are the ground truth; conformance tests replay them.
//!
//! Embedded, it binds an ephemeral loopback port and stops when dropped:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! use taskflow_server::{Mode, TestServer};
//!
//! let server = TestServer::start().await?;
//! println!("{} db={} user={:?}", server.url(), server.db(), server.demo());
//!
//! // A server that answers like Odoo 19: no `name_get`.
//! let newer = TestServer::builder().mode(Mode::Odoo19).start().await?;
//! assert_ne!(server.url(), newer.url());
//! # Ok(())
//! # }
//! ```
//!
//! Standalone: `cargo run -p taskflow-server -- --listen 127.0.0.1:8069`.
//!
//! The database is seeded with a small CRM (`seed`): users `admin`/`admin` and `demo`/`demo`,
//! stages, tags, partners and leads whose ids line up with the recorded database.
//!
//! Like a real server it has a pool of 64 database connections ([`ServerBuilder::db_maxconn`]),
//! two per call, and refuses calls beyond it the way a real one does (an HTTP 500 page or a
//! `PoolError` fault); [`ServerBuilder::hold`] makes calls last long enough to overlap, so tests
//! can see that, and [`TestServer::peak_in_flight`] how many calls overlapped.
#![deny(missing_docs)]

mod access;
mod clock;
mod commands;
mod convert;
mod describe;
mod domain;
mod env;
mod fault;
mod group;
mod hash;
mod html;
mod http;
mod json;
mod json2;
mod jsonrpc;
mod load;
mod mode;
mod orm;
mod pool;
mod read;
mod rpc;
mod schema;
mod seed;
mod server;
mod session;
mod signature;
mod store;
mod traffic;
mod web;
mod write;

pub use mode::{Mode, VersionInfo};
pub use server::{Credentials, DEFAULT_DB, ServerBuilder, TestServer};
/// The XML-RPC value type answers and requests are made of (re-exported from the SDK's codec).
pub use taskflow_sdk::xmlrpc::Value;
pub use traffic::{Endpoint, RequestCounts};
