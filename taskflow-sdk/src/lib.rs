//! Typed async Rust SDK for TaskFlow's XML-RPC API.
#![deny(missing_docs)]

pub mod xmlrpc;
