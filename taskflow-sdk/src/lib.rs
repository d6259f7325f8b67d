//! Typed async Rust SDK for TaskFlow's XML-RPC API.
#![deny(missing_docs)]

pub mod load;
pub mod stream;
pub mod xmlrpc;

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
