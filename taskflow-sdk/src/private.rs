//! What generated code names, by absolute path (`::taskflow_sdk::__private::...`). Not public API.

pub use crate::domain::Domain;
pub use crate::fields::{Field, FieldValue, Id};
pub use crate::model::{
    self, Model, RecordCtx, RecordId, RecordSlots, WriteValue, WriteValues, assert_field,
    deserialize_record, fill_field, fill_id, take_field, write_field,
};
pub use crate::selection::{self, Selection};
pub use crate::xmlrpc::Value;
pub use crate::{Result, Session};
pub use serde;
pub use std::collections::BTreeMap;
pub use std::string::String;
pub use std::vec::Vec;

/// The field handles of a model whose derive failed: a stand-in so that the only errors the user
/// sees are the ones about their attributes and fields.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoFields;
