//! Selection fields as Rust enums.
//!
//! `#[derive(Selection)]` maps each unit variant to a server key: the variant's name in
//! snake_case, or the key given with `#[taskflow(rename = "...")]`. An unknown key from the server
//! is an error that names the enum and lists the keys it knows.
//!
//! ```
//! use taskflow_sdk::Selection;
//!
//! #[derive(Selection, Clone, Copy, Debug, PartialEq)]
//! enum Priority {
//!     #[taskflow(rename = "0")]
//!     Low,
//!     #[taskflow(rename = "1")]
//!     Medium,
//!     #[taskflow(rename = "3")]
//!     VeryHigh,
//! }
//!
//! assert_eq!(Priority::VeryHigh.key(), "3");
//! assert_eq!(Priority::from_key("1"), Some(Priority::Medium));
//! let err = taskflow_sdk::xmlrpc::from_value::<Priority>("9".into()).unwrap_err();
//! assert_eq!(
//!     err.message(),
//!     "unknown key `9` for selection Priority: expected one of `0`, `1`, `3`"
//! );
//! ```

/// A Rust enum standing for a selection field. Implemented by `#[derive(Selection)]`.
pub trait Selection: Sized + 'static {
    /// The enum's name, for errors.
    const NAME: &'static str;
    /// Every server key, in variant order.
    const KEYS: &'static [&'static str];

    /// The server key of this variant.
    fn key(&self) -> &'static str;

    /// The variant of a server key.
    fn from_key(key: &str) -> Option<Self>;
}
