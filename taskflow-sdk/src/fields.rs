//! Field types of TaskFlow models: typed ids, relations, x2many commands, dates and binaries.
//!
//! Each type follows the server's wire conventions: a many2one reads as `[id, "name"]` and writes as
//! its id, an x2many reads as a list of ids and writes as a list of [`Command`]s, a date is
//! `"YYYY-MM-DD"`, a date-time `"YYYY-MM-DD HH:MM:SS"` in UTC, a binary a base64 string, and `false`
//! is the empty value (declare the field as `Option<_>` to accept it).
//!
//! ```
//! use taskflow_sdk::fields::{Date, DateTime};
//!
//! let day: Date = "2026-11-30".parse()?;
//! assert_eq!((day.year(), day.month(), day.day()), (2026, 11, 30));
//! let at: DateTime = "2026-11-30 07:37:41".parse()?;
//! assert_eq!(at.to_string(), "2026-11-30 07:37:41");
//! # Ok::<(), taskflow_sdk::fields::ParseError>(())
//! ```

mod command;
mod handle;
mod id;
mod relation;
mod scalar;
mod shape;
mod value;

#[cfg(feature = "chrono")]
pub mod chrono;
#[cfg(feature = "jiff")]
pub mod jiff;
#[cfg(feature = "time")]
pub mod time;

pub use command::Command;
pub use handle::{Field, Relational, TextField};
pub use id::Id;
pub use relation::{Many2many, Many2one, One2many};
pub use scalar::{Binary, Date, DateTime, ParseError};
#[doc(hidden)]
pub use shape::Shape;
pub use value::FieldValue;

#[cfg(test)]
mod tests;
