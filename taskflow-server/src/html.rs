//! Html field values as the real server stores them: sanitized, and leading text wrapped in a
//! paragraph (transcripts 131-132: `line one\nline <b>two</b> & <script>alert(1)</script>` is
//! stored as `<p>line one\nline <b>two</b> &amp; </p>`).
//!
//! Odoo 17's `html_sanitize` runs lxml's `Cleaner` over libxml2's parse of the value. The
//! sanitizing here is ammonia's, configured close to Odoo's defaults for `fields.Html`
//! (`sanitize_tags`, `sanitize_attributes`, `sanitize_form`, styles kept); the paragraph is
//! libxml2's implied `<p>`, reproduced by [`wrap_leading_text`].

use std::sync::LazyLock;

/// Tags kept: ammonia's defaults (close to lxml's `defs.tags`) and the ones Odoo's editor
/// writes that ammonia leaves out. Other tags are dropped, their content kept.
const EXTRA_TAGS: &[&str] = &["address", "big", "font", "main", "section", "tfoot"];

/// Tags dropped with their content: Odoo's `tags_to_kill` that have content, and the form
/// controls `sanitize_form` kills.
const KILLED_TAGS: &[&str] = &[
    "button", "frame", "iframe", "noscript", "object", "script", "select", "style", "textarea",
    "title",
];

/// Attributes kept on any tag: lxml's `safe_attrs` (less the form ones) and Odoo's `style`.
/// Event handlers (`onclick`, ...) and `id` are not among them.
const ATTRIBUTES: &[&str] = &[
    "abbr",
    "align",
    "alt",
    "axis",
    "border",
    "cellpadding",
    "cellspacing",
    "char",
    "charoff",
    "cite",
    "class",
    "clear",
    "color",
    "cols",
    "colspan",
    "compact",
    "coords",
    "datetime",
    "dir",
    "headers",
    "height",
    "href",
    "hreflang",
    "hspace",
    "lang",
    "longdesc",
    "nohref",
    "noshade",
    "nowrap",
    "rel",
    "rev",
    "rows",
    "rowspan",
    "rules",
    "scope",
    "shape",
    "size",
    "span",
    "src",
    "start",
    "style",
    "summary",
    "tabindex",
    "target",
    "title",
    "type",
    "usemap",
    "valign",
    "vspace",
    "width",
];

/// Attribute prefixes kept on any tag: the `data-oe-*` attributes and mail quote markers Odoo
/// lists in its `safe_attrs`.
const ATTRIBUTE_PREFIXES: &[&str] = &["data-oe-", "data-o-mail-quote"];

/// Tags before which libxml2 closes an open `<p>` (its `htmlStartClose` table): the end of the
/// leading text run [`wrap_leading_text`] wraps.
const CLOSES_PARAGRAPH: &[&str] = &[
    "address",
    "blockquote",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "listing",
    "menu",
    "ol",
    "p",
    "pre",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "tr",
    "ul",
    "xmp",
];

/// Elements without an end tag, as html5ever serializes them.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(EXTRA_TAGS)
        .clean_content_tags(KILLED_TAGS.iter().copied().collect())
        .generic_attributes(ATTRIBUTES.iter().copied().collect())
        .generic_attribute_prefixes(ATTRIBUTE_PREFIXES.iter().copied().collect())
        // lxml's safe_attrs are allowed on every tag: no per-tag lists on top.
        .tag_attributes(Default::default())
        // Odoo does not add `rel="noopener noreferrer"` to links.
        .link_rel(None);
    builder
});

/// The stored form of a value written to an Html field: sanitized, then
/// [`wrap_leading_text`]. Empty (or blank) stays empty.
pub fn sanitize(value: &str) -> String {
    let cleaned = SANITIZER.clean(value).to_string();
    wrap_leading_text(&cleaned)
}

/// Wraps text at the start of an HTML fragment in `<p>...</p>`, as libxml2's parser implies a
/// paragraph for character data outside any element (`htmlCheckParagraph`): the paragraph runs
/// from the text to the first top-level tag that closes a `<p>` (`<div>`, `<p>`, `<ul>`, ...) or
/// to the end. Newlines and spaces inside are kept.
///
/// A fragment starting with a tag gets no paragraph and loses the blank text before that tag
/// (libxml2 ignores it); a blank fragment is empty, as `html_sanitize` answers an empty
/// document. Expects well-formed, serialized HTML (ammonia's output): every `<` starts a tag.
///
/// ```text
/// "a\nb <b>c</b>"        -> "<p>a\nb <b>c</b></p>"
/// "lala<p>yop</p>xxx"    -> "<p>lala</p><p>yop</p>xxx"
/// "  <p>x</p>"           -> "<p>x</p>"
/// ```
pub fn wrap_leading_text(html: &str) -> String {
    let content = html.trim_start();
    if content.is_empty() {
        return String::new();
    }
    if content.starts_with('<') {
        return content.to_owned();
    }
    let end = leading_run_end(html);
    let mut out = String::with_capacity(html.len() + 7);
    out.push_str("<p>");
    out.push_str(&html[..end]);
    out.push_str("</p>");
    out.push_str(&html[end..]);
    out
}

/// Where the leading text run of `html` ends: the offset of the first top-level tag in
/// [`CLOSES_PARAGRAPH`], or the end.
fn leading_run_end(html: &str) -> usize {
    let mut depth = 0usize;
    let mut pos = 0;
    while let Some(found) = html[pos..].find('<') {
        let start = pos + found;
        let Some(len) = html[start..].find('>') else {
            break;
        };
        let tag = &html[start + 1..start + len];
        pos = start + len + 1;
        if tag.starts_with('/') {
            depth = depth.saturating_sub(1);
            continue;
        }
        if tag.starts_with('!') {
            continue; // a comment
        }
        let name = tag
            .split(|c: char| c.is_ascii_whitespace() || c == '/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if depth == 0 && CLOSES_PARAGRAPH.contains(&name.as_str()) {
            return start;
        }
        if !VOID.contains(&name.as_str()) {
            depth += 1;
        }
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_value_is_stored_byte_for_byte() {
        assert_eq!(
            sanitize("line one\nline <b>two</b> & <script>alert(1)</script>"),
            "<p>line one\nline <b>two</b> &amp; </p>"
        );
    }

    #[test]
    fn leading_text_is_wrapped_up_to_the_first_block() {
        assert_eq!(wrap_leading_text("yop"), "<p>yop</p>");
        assert_eq!(
            wrap_leading_text("lala<p>yop</p>xxx"),
            "<p>lala</p><p>yop</p>xxx"
        );
        assert_eq!(
            wrap_leading_text("a <b>b<br>c</b>\n<ul><li>x</li></ul>"),
            "<p>a <b>b<br>c</b>\n</p><ul><li>x</li></ul>"
        );
        // A block inside an inline element does not end the run (libxml2 nests it too).
        assert_eq!(
            wrap_leading_text("a<b><div>c</div></b>d"),
            "<p>a<b><div>c</div></b>d</p>"
        );
        assert_eq!(wrap_leading_text("<p>x</p>"), "<p>x</p>");
        assert_eq!(wrap_leading_text("\n <p>x</p>\n"), "<p>x</p>\n");
        assert_eq!(wrap_leading_text("<b>x</b> y"), "<b>x</b> y");
        assert_eq!(wrap_leading_text(" \n "), "");
        assert_eq!(wrap_leading_text(""), "");
    }

    #[test]
    fn sanitizing_keeps_odoo_tags_and_attributes() {
        assert_eq!(
            sanitize(r#"<p style="color: red" class="lead" onclick="x()" id="n">a</p>"#),
            r#"<p style="color: red" class="lead">a</p>"#
        );
        assert_eq!(
            sanitize(r#"<a href="https://example.com" target="_blank">x</a>"#),
            r#"<a href="https://example.com" target="_blank">x</a>"#
        );
        assert_eq!(
            sanitize(r#"<a href="javascript:alert(1)">x</a>"#),
            "<a>x</a>"
        );
        assert_eq!(
            sanitize("<section><font>f</font></section><iframe src=x>y</iframe>"),
            "<section><font>f</font></section>"
        );
        assert_eq!(
            sanitize("<form><input value=1>t<textarea>u</textarea></form>"),
            "<p>t</p>"
        );
    }
}
