//! serde_json's errors as the codec's [`DecodeError`]: a kind, a byte offset and a path.

use serde_json::error::Category;

use super::path;
use crate::xmlrpc::{DecodeError, DecodeErrorKind};

/// The adapter's error for nesting over [`Limits::max_depth`](crate::xmlrpc::Limits); serde_json
/// has its own (at 128 levels), recognised by its text too.
pub(super) const TOO_DEEP: &str = "nesting deeper than the depth limit (Limits::max_depth)";
const SERDE_JSON_TOO_DEEP: &str = "recursion limit exceeded";

/// Converts an error serde_json raised (or carried for a visitor) while reading `src`.
///
/// serde_json tells a line and a column; the offset is rebuilt from them, and the path by
/// walking the text up to it. A value that did not fit its type is reported where it starts.
pub(super) fn from_json(err: &serde_json::Error, src: &[u8]) -> DecodeError {
    let message = strip_positions(&err.to_string());
    let kind = if message.contains(TOO_DEEP) || message.contains(SERDE_JSON_TOO_DEEP) {
        DecodeErrorKind::Limit
    } else {
        match err.classify() {
            Category::Data => DecodeErrorKind::Type,
            Category::Syntax | Category::Eof | Category::Io => DecodeErrorKind::Syntax,
        }
    };
    let mut decoded = DecodeError::new(kind, message);
    if err.line() == 0 {
        return decoded;
    }
    // serde_json's column counts bytes from the line's start, one past the next unread byte.
    let line_start = if err.line() == 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', src)
            .nth(err.line() - 2)
            .map_or(src.len(), |i| i + 1)
    };
    let next = (line_start + err.column()).saturating_sub(1).min(src.len());
    let found = path::locate(src, next);
    let offset = match (kind, found.start) {
        (DecodeErrorKind::Type, Some(start)) => start,
        _ => next,
    };
    decoded = decoded.at(offset as u64);
    match found.path {
        Some(path) => decoded.with_path(path),
        None => decoded,
    }
}

/// The error for a body that is not UTF-8, where the first bad byte is.
pub(super) fn from_utf8(err: &std::str::Utf8Error, src: &[u8]) -> DecodeError {
    let offset = err.valid_up_to();
    let decoded = DecodeError::new(
        DecodeErrorKind::Syntax,
        format!("response is not valid UTF-8: {err}"),
    )
    .at(offset as u64);
    match path::locate(src, offset).path {
        Some(path) => decoded.with_path(path),
        None => decoded,
    }
}

/// Removes serde_json's ` at line N column M`, also where a nested error's text was quoted in
/// an outer message (a record's "field `x`: ..."): the offset and path say it once.
fn strip_positions(text: &str) -> String {
    const AT_LINE: &str = " at line ";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(AT_LINE) {
        out.push_str(&rest[..i]);
        let after = &rest[i + AT_LINE.len()..];
        let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
        let line = digits(after);
        let tail = &after[line..];
        match tail.strip_prefix(" column ") {
            Some(col) if line > 0 && digits(col) > 0 => rest = &col[digits(col)..],
            _ => {
                out.push_str(AT_LINE);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod error_tests {
    use super::strip_positions;

    #[test]
    fn positions_are_stripped_wherever_they_were_quoted() {
        assert_eq!(
            strip_positions("a: expected i64 at line 1 column 5 at line 1 column 9"),
            "a: expected i64"
        );
        assert_eq!(strip_positions("sat at line x"), "sat at line x");
    }
}
