//! What generated code names, by absolute path (`::taskflow_sdk::__private::...`). Not public API:
//! the derive's runtime support lives here, out of the public modules.

mod record;
pub mod selection;

pub use crate::domain::Domain;
pub use crate::fields::{Field, FieldValue, Id, Shape};
pub use crate::model::{self, Model};
pub use crate::selection::Selection;
pub use crate::values::{WriteValue, WriteValues};
pub use crate::xmlrpc::Value;
pub use crate::{Result, Session};
pub use record::{
    RecordCtx, RecordId, RecordSlots, assert_field, deserialize_record, fill_field, fill_id,
    take_field, write_field,
};
pub use serde;
pub use std::collections::BTreeMap;
pub use std::string::String;
pub use std::vec::Vec;

/// The field handles of a model whose derive failed: a stand-in so that the only errors the user
/// sees are the ones about their attributes and fields.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoFields;
