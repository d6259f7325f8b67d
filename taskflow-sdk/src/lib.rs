//! Typed async Rust SDK for TaskFlow's XML-RPC API.
#![deny(missing_docs)]

pub mod domain;
pub mod fields;
pub mod load;
pub mod model;
pub mod selection;
pub mod stream;
pub mod xmlrpc;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

mod client;
mod error;
mod kwargs;
mod secret;
mod session;
mod transport;

pub use client::{Client, ClientBuilder, ServerVersion};
pub use error::{CallInfo, Error, Fault, FaultKind, Result};
pub use kwargs::Kwargs;
pub use secret::Secret;
pub use session::Session;
pub use transport::RetryPolicy;

pub use domain::Domain;
pub use fields::{Binary, Command, Date, DateTime, Id, Many2many, Many2one, One2many};
pub use model::Model;
pub use selection::Selection;
pub use taskflow_derive::{Selection, TaskflowModel};
