//! Schema snapshots of a TaskFlow server: what `fields_get` said about each model, who asked, and
//! which server answered, as one deterministic JSON file per model.
//!
//! `taskflow schema pull` writes them, `taskflow generate --from` and `taskflow check` read them
//! ([`diff`] tells what changed since, and what of it breaks code built on the snapshot),
//! and so does `#[derive(TaskflowModel)]` when it checks a struct against a snapshot. This crate
//! holds only the format and the rules every reader shares (which field types can be empty), so
//! the proc-macro crate can read snapshots without the SDK's runtime.
//!
//! ```
//! use taskflow_schema::{FieldSpec, FieldType, Snapshot};
//!
//! let json = r#"{
//!   "fields": {
//!     "name": {"readonly": false, "required": true, "string": "Tag Name", "type": "char"},
//!     "color": {"readonly": false, "required": false, "string": "Color", "type": "integer"}
//!   },
//!   "format": 1,
//!   "model": "crm.tag",
//!   "pulled_by": {"database": "demo", "login": "admin", "uid": 2},
//!   "server_version": "17.0"
//! }"#;
//! let snapshot = Snapshot::from_json(json.as_bytes())?;
//! let name = &snapshot.fields["name"];
//! assert_eq!(name.field_type(), FieldType::Char);
//! assert!(!name.can_be_empty()); // required
//! assert!(!snapshot.fields["color"].can_be_empty()); // numbers read as 0
//! # Ok::<(), taskflow_schema::SchemaError>(())
//! ```
#![deny(missing_docs)]

mod dir;
mod drift;
mod error;
mod field_type;
mod selection;
mod snapshot;

pub use dir::{read_dir, snapshot_file_name};
pub use drift::{Change, ChangeKind, diff};
pub use error::SchemaError;
pub use field_type::FieldType;
pub use selection::{SelectionKey, variant_key};
pub use snapshot::{FORMAT_VERSION, FieldSpec, PulledBy, Snapshot};
