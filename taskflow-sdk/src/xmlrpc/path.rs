//! The path of a failing value (`params[0][3].partner_id`), rebuilt for a decode error.

use super::scan::{Parser, Tag};

/// A segment of a value's path.
enum Seg {
    Param(usize),
    Fault,
    Index(Option<usize>),
    Key(String),
}

/// Rebuilds the path (`params[0][3].partner_id`) of the value that starts at `offset`, by
/// walking the tags of the document again, straight from the bytes. Only runs when decoding
/// failed, so the hot path pays nothing; the walk is a fraction of a decode (a document cut
/// short is a common failure, and the walk is paid for every one).
pub(super) fn path_at(src: &str, offset: u64) -> Option<String> {
    let bytes = src.as_bytes();
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let mut open: Vec<Tag> = Vec::new();
    let mut segs: Vec<Seg> = Vec::new();
    let mut params_seen = 0usize;
    let mut at = 0;
    while at <= offset && at < bytes.len() {
        let lt = memchr::memchr(b'<', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        if lt > at && open.last() == Some(&Tag::Name) {
            push_key_text(&mut segs, &src[at..lt]);
        }
        if lt > offset || lt >= bytes.len() {
            break;
        }
        let rest = &src[lt..];
        // Comments, processing instructions and CDATA (text of a name) are passed over whole.
        let passed = match bytes.get(lt + 1) {
            Some(b'!' | b'?') => [("<!--", "-->"), ("<?", "?>"), ("<![CDATA[", "]]>")]
                .into_iter()
                .find(|(opening, _)| rest.starts_with(opening)),
            _ => None,
        };
        if let Some((opening, closing)) = passed {
            let Some(len) = rest.find(closing) else {
                break;
            };
            if opening == "<![CDATA[" && open.last() == Some(&Tag::Name) {
                if let Some(Seg::Key(key)) = segs.last_mut() {
                    key.push_str(&rest[opening.len()..len]);
                }
            }
            at = lt + len + closing.len();
            continue;
        }
        // Tags are short: a plain search beats a vectorised one here.
        let Some(gt) = rest.bytes().position(|b| b == b'>') else {
            break;
        };
        let inner = &rest[1..gt];
        at = lt + gt + 1;
        if let Some(_end) = inner.strip_prefix('/') {
            if let Some(tag) = open.pop() {
                if matches!(tag, Tag::Param | Tag::Fault | Tag::Data | Tag::Member) {
                    segs.pop();
                }
            }
            continue;
        }
        let empty = inner.ends_with('/');
        let name = inner
            .trim_end_matches('/')
            .split(|c: char| c.is_ascii_whitespace())
            .next()
            .unwrap_or_default();
        // An unknown element (or a DOCTYPE) is where decoding failed: the path so far is its path.
        let Some(tag) = Tag::from_name(name) else {
            break;
        };
        if empty {
            if (open.last(), tag) == (Some(&Tag::Data), Tag::Value) {
                next_index(&mut segs);
            }
            continue;
        }
        match (open.last(), tag) {
            (_, Tag::Param) => {
                segs.push(Seg::Param(params_seen));
                params_seen += 1;
            }
            (_, Tag::Fault) => segs.push(Seg::Fault),
            (_, Tag::Data) => segs.push(Seg::Index(None)),
            (_, Tag::Member) => segs.push(Seg::Key(String::new())),
            (Some(Tag::Data), Tag::Value) => next_index(&mut segs),
            _ => {}
        }
        open.push(tag);
    }
    if segs.is_empty() {
        return None;
    }
    let mut path = String::new();
    for seg in &segs {
        match seg {
            Seg::Param(i) => path.push_str(&format!("params[{i}]")),
            Seg::Fault => path.push_str("fault"),
            Seg::Index(Some(i)) => path.push_str(&format!("[{i}]")),
            Seg::Index(None) => path.push_str("[]"),
            Seg::Key(k) => {
                path.push('.');
                path.push_str(k);
            }
        }
    }
    Some(path)
}

/// Counts one more element of the innermost array.
fn next_index(segs: &mut [Seg]) {
    if let Some(Seg::Index(i)) = segs.last_mut() {
        *i = Some(i.map_or(0, |i| i + 1));
    }
}

/// Appends text of a `<name>`, with its references resolved, to the innermost member's key.
fn push_key_text(segs: &mut [Seg], text: &str) {
    let Some(Seg::Key(key)) = segs.last_mut() else {
        return;
    };
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        key.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match after.find(';') {
            Some(semi) => {
                if let Ok(c) = Parser::resolve_ref(&after[..semi], 0) {
                    key.push(c);
                }
                rest = &after[semi + 1..];
            }
            None => {
                rest = after;
            }
        }
    }
    key.push_str(rest);
}

#[cfg(test)]
mod path_tests {
    use super::path_at;

    #[test]
    fn paths_name_params_indices_and_keys_with_references_resolved() {
        let doc = "<?xml version='1.0'?><methodResponse><params><param><value><array><data>\
                   <value><int>1</int></value><value/>\
                   <value><struct><member><name>a&amp;<![CDATA[b]]></name><!-- c -->\
                   <value><int>X</int></value></member></struct></value>\
                   </data></array></value></param></params></methodResponse>";
        let at = doc.find("<value><int>X").unwrap() as u64;
        assert_eq!(path_at(doc, at).as_deref(), Some("params[0][2].a&b"));
        let first = doc.find("<value><int>1").unwrap() as u64;
        assert_eq!(path_at(doc, first).as_deref(), Some("params[0][0]"));
        // Cut short, the path so far still names where the document stopped.
        let cut = &doc[..at as usize + 9];
        assert_eq!(path_at(cut, at).as_deref(), Some("params[0][2].a&b"));
        assert_eq!(path_at("<methodResponse>", 3), None);
    }
}
