//! Errors of the codec, and the fault a server answers with.

use std::fmt;

/// What kind of problem stopped decoding, for code that wants to react to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The bytes are not well-formed XML or JSON (including invalid UTF-8 and truncated
    /// documents).
    Syntax,
    /// Well-formed XML or JSON that is not a valid XML-RPC or JSON-RPC document (unknown or
    /// misplaced tags, a JSON-RPC envelope without `result` or `error`).
    Structure,
    /// A valid value that does not fit the requested Rust type.
    Type,
    /// The document exceeds the configured depth or size limit.
    Limit,
    /// The document uses a feature refused for safety (DOCTYPE, entity declarations).
    Forbidden,
}

/// A response or request that could not be decoded.
///
/// Carries the byte offset where the problem was found and, when known, the path into the document
/// (`params[0][3].partner_id`), and says what was expected and what was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError(Box<Inner>);

/// Boxed so that the decoder's `Result`s stay one word wide on the hot path.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Inner {
    kind: DecodeErrorKind,
    message: String,
    offset: Option<u64>,
    path: Option<String>,
}

impl DecodeError {
    #[cold]
    pub(crate) fn new(kind: DecodeErrorKind, message: impl Into<String>) -> Self {
        DecodeError(Box::new(Inner {
            kind,
            message: message.into(),
            offset: None,
            path: None,
        }))
    }

    /// Sets the offset unless an inner, more precise one is already there.
    pub(crate) fn at(mut self, offset: u64) -> Self {
        self.0.offset.get_or_insert(offset);
        self
    }

    pub(crate) fn with_path(mut self, path: String) -> Self {
        self.0.path = Some(path);
        self
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> DecodeErrorKind {
        self.0.kind
    }

    /// The message without position information.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Byte offset into the document where the problem was found.
    pub fn offset(&self) -> Option<u64> {
        self.0.offset
    }

    /// Path of the value that failed, like `params[0][3].partner_id`.
    pub fn path(&self) -> Option<&str> {
        self.0.path.as_deref()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)?;
        match (&self.0.path, self.0.offset) {
            (Some(path), Some(offset)) => write!(f, " at {path} (byte {offset})"),
            (Some(path), None) => write!(f, " at {path}"),
            (None, Some(offset)) => write!(f, " at byte {offset}"),
            (None, None) => Ok(()),
        }
    }
}

impl std::error::Error for DecodeError {}

impl serde::de::Error for DecodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DecodeError::new(DecodeErrorKind::Type, msg.to_string())
    }

    // serde's own texts ("invalid type: string \"x\", expected i64") lead with what was found;
    // say it the way the rest of the codec does: expected first, then found.
    fn invalid_type(unexp: serde::de::Unexpected<'_>, exp: &dyn serde::de::Expected) -> Self {
        DecodeError::new(
            DecodeErrorKind::Type,
            format!("expected {exp}, found {unexp}"),
        )
    }

    fn invalid_value(unexp: serde::de::Unexpected<'_>, exp: &dyn serde::de::Expected) -> Self {
        DecodeError::new(
            DecodeErrorKind::Type,
            format!("invalid value: expected {exp}, found {unexp}"),
        )
    }
}

/// A Rust value that cannot be written as XML-RPC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeError {
    message: String,
}

impl EncodeError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        EncodeError {
            message: message.into(),
        }
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EncodeError {}

impl serde::ser::Error for EncodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        EncodeError::new(msg.to_string())
    }
}

/// The `faultCode` of a fault: an integer on `/xmlrpc/2/*`, a string on the legacy `/xmlrpc/*`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FaultCode {
    /// Integer code (`/xmlrpc/2/*`).
    Int(i64),
    /// String code (legacy `/xmlrpc/*` endpoints).
    String(String),
}

impl fmt::Display for FaultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultCode::Int(i) => write!(f, "{i}"),
            FaultCode::String(s) => f.write_str(s),
        }
    }
}

/// A `<fault>` exactly as the server sent it: its code and its string.
///
/// The runtime classifies it further (access denied, missing record, ...); the codec only frames it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawFault {
    /// `faultCode`.
    pub code: FaultCode,
    /// `faultString` (for code 1, a whole Python traceback).
    pub string: String,
}

impl fmt::Display for RawFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fault {}: {}", self.code, self.string)
    }
}

impl std::error::Error for RawFault {}
