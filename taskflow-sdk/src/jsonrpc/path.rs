//! The path of a failing value (`result[3].partner_id`), rebuilt for a decode error.

/// One open array or object on the way to the failing value.
enum Frame {
    Array {
        index: usize,
        start: Option<usize>,
    },
    Object {
        key: Option<String>,
        start: Option<usize>,
    },
}

/// Where the failing value is: its path and the offset its text starts at.
pub(super) struct Located {
    pub(super) path: Option<String>,
    pub(super) start: Option<usize>,
}

/// Walks the JSON text before `end` again, straight from the bytes, to find the innermost value
/// open there: its path (`result[3].partner_id`) and where it starts. Only runs when decoding
/// failed, so the hot path pays nothing.
pub(super) fn locate(bytes: &[u8], end: usize) -> Located {
    let end = end.min(bytes.len());
    let mut frames: Vec<Frame> = Vec::new();
    // A value starts at the next byte that is not whitespace (after `[`, `,` in an array, `:`).
    let mut awaiting_value = false;
    let mut at = 0;
    while at < end {
        let b = bytes[at];
        if awaiting_value && !b.is_ascii_whitespace() && b != b']' {
            awaiting_value = false;
            match frames.last_mut() {
                Some(Frame::Array { start, .. } | Frame::Object { start, .. }) => {
                    *start = Some(at);
                }
                None => {}
            }
        }
        match b {
            b'"' => {
                let close = string_end(bytes, at);
                if let Some(Frame::Object {
                    key: key @ None, ..
                }) = frames.last_mut()
                {
                    *key = Some(decode_key(&bytes[at..close.min(bytes.len())]));
                }
                at = close;
                continue;
            }
            b'[' => {
                frames.push(Frame::Array {
                    index: 0,
                    start: None,
                });
                awaiting_value = true;
            }
            b'{' => frames.push(Frame::Object {
                key: None,
                start: None,
            }),
            b']' | b'}' => {
                frames.pop();
            }
            b',' => match frames.last_mut() {
                Some(Frame::Array { index, start }) => {
                    *index += 1;
                    *start = None;
                    awaiting_value = true;
                }
                Some(Frame::Object { key, start }) => {
                    *key = None;
                    *start = None;
                }
                None => {}
            },
            b':' => awaiting_value = true,
            _ => {}
        }
        at += 1;
    }
    let mut path = String::new();
    let mut start = None;
    for frame in &frames {
        match frame {
            Frame::Array { index, start: s } => {
                path.push_str(&format!("[{index}]"));
                start = s.or(start);
            }
            Frame::Object {
                key: Some(key),
                start: s,
            } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                start = s.or(start);
            }
            Frame::Object { key: None, .. } => {}
        }
    }
    Located {
        path: (!path.is_empty()).then_some(path),
        start,
    }
}

/// The offset just past the string that opens at `open` (or the end of the input).
fn string_end(bytes: &[u8], open: usize) -> usize {
    let mut at = open + 1;
    while let Some(i) = memchr::memchr2(b'"', b'\\', &bytes[at.min(bytes.len())..]) {
        let hit = at + i;
        if bytes[hit] == b'"' {
            return hit + 1;
        }
        at = hit + 2;
    }
    bytes.len()
}

/// A member name, its escapes resolved (as written when they are invalid).
fn decode_key(quoted: &[u8]) -> String {
    if quoted.contains(&b'\\') {
        if let Ok(key) = serde_json::from_slice::<String>(quoted) {
            return key;
        }
    }
    let inner = quoted.strip_prefix(b"\"").unwrap_or(quoted);
    let inner = inner.strip_suffix(b"\"").unwrap_or(inner);
    String::from_utf8_lossy(inner).into_owned()
}

#[cfg(test)]
mod path_tests {
    use super::locate;

    #[test]
    fn paths_name_indices_and_keys_with_escapes_resolved() {
        let doc = br#"{"id": 1, "result": [{"a": 1}, 2, {"k\"ey": [true, "x,]}", 7.5]}]}"#;
        let at = doc.windows(3).position(|w| w == b"7.5").unwrap();
        let found = locate(doc, at + 3);
        assert_eq!(found.path.as_deref(), Some("result[2].k\"ey[2]"));
        assert_eq!(found.start, Some(at));
        let found = locate(doc, 1);
        assert_eq!(found.path, None);
        // After a record closes, the path is the record's, and it starts at its brace.
        let rec = doc.windows(4).position(|w| w == b"{\"a\"").unwrap();
        let first = doc.iter().position(|&b| b == b'}').unwrap();
        let found = locate(doc, first + 1);
        assert_eq!(found.path.as_deref(), Some("result[0]"));
        assert_eq!(found.start, Some(rec));
    }
}
