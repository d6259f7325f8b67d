//! How deep and how large a document the decoder accepts.

use super::error::{DecodeError, DecodeErrorKind};

/// Limits that keep hostile or broken documents from exhausting the stack or memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of structs and arrays accepted (default 128: safe on a 2 MB thread).
    pub max_depth: usize,
    /// Largest document accepted, in bytes (default 512 MiB).
    pub max_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 128,
            max_size: 512 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// Sets [`Limits::max_depth`].
    #[must_use]
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Sets [`Limits::max_size`].
    #[must_use]
    pub fn max_size(mut self, bytes: usize) -> Self {
        self.max_size = bytes;
        self
    }

    /// Refuses a document of `len` bytes if it is over [`Limits::max_size`].
    pub(crate) fn check_size(&self, len: usize) -> Result<(), DecodeError> {
        if len > self.max_size {
            return Err(DecodeError::new(
                DecodeErrorKind::Limit,
                format!(
                    "document of {len} bytes is larger than the limit of {} bytes",
                    self.max_size
                ),
            ));
        }
        Ok(())
    }
}
