//! The same XML spelled so that the decoder's byte scanners do not match it, to compare its two
//! paths. Shared by the scanner tests and the fuzz target (`#[path]`), which are separate crates.

/// `doc` with a space before the `>` of every start and end tag (not of self-closed tags, or in
/// the declaration, comments or CDATA): the same XML, read by quick-xml's events only. `None`
/// when a tag holds a quote (an attribute value may hold a `>`, and the spacing would not be
/// exact).
pub fn spaced(doc: &str) -> Option<String> {
    let mut out = String::with_capacity(doc.len() + doc.len() / 8);
    let mut rest = doc;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let verbatim_end = [("<![CDATA[", "]]>"), ("<!--", "-->"), ("<?", "?>")]
            .iter()
            .find(|(open, _)| rest.starts_with(open))
            .map(|(_, close)| rest.find(close).map_or(rest.len(), |at| at + close.len()));
        let end = match verbatim_end {
            Some(end) => end,
            None => match rest.find('>') {
                Some(gt) if rest[..gt].contains(['"', '\'']) => return None,
                Some(gt) if !rest[..gt].ends_with('/') => {
                    out.push_str(&rest[..gt]);
                    out.push(' ');
                    rest = &rest[gt..];
                    1
                }
                Some(gt) => gt + 1,
                None => rest.len(),
            },
        };
        out.push_str(&rest[..end]);
        rest = &rest[end..];
    }
    out.push_str(rest);
    Some(out)
}
