//! Doc comments from server text (descriptions, labels, help texts), made safe for rustdoc.
//!
//! The text is the server's, and rustdoc reads doc comments as Markdown: an indented line would
//! become a doctest that `cargo test` compiles, `[Deprecated]` a broken intra-doc link, `<b>` an
//! unclosed HTML tag, a bare `https://` link a `rustdoc::bare_urls` warning. Each line is
//! trimmed and those characters are escaped, so the generated docs build under `-D warnings`.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for `paragraphs` of server text, one per line, an empty line
/// between paragraphs. Empty paragraphs are left out.
pub(super) fn attrs<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    let escaped: Vec<String> = paragraphs.iter().map(|p| text(p.as_ref())).collect();
    markdown(&escaped)
}

/// Server text as a Markdown paragraph: each line escaped.
pub(super) fn text(text: &str) -> String {
    text.lines().map(escape).collect::<Vec<_>>().join("\n")
}

/// Server text to put inside Markdown the generator writes: one line, escaped.
pub(super) fn inline(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(escape)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `#[doc = "..."]` attributes for `paragraphs` of Markdown, as [`attrs`] lays them out.
pub(super) fn markdown<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    let mut lines: Vec<&str> = Vec::new();
    for paragraph in paragraphs {
        let text: Vec<&str> = paragraph
            .as_ref()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if text.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push("");
        }
        lines.extend(text);
    }
    let lines = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// A line with the Markdown that rustdoc warns about or compiles escaped (links, HTML, code,
/// block markers at the start), and bare links in angle brackets. Emphasis is left alone.
fn escape(line: &str) -> String {
    let line = line.trim();
    let mut out = String::with_capacity(line.len());
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let is_link = (word.starts_with("http://") || word.starts_with("https://"))
            && !word.contains(['<', '>', '`']);
        if is_link {
            out.push('<');
            out.push_str(word);
            out.push('>');
            continue;
        }
        for (j, c) in word.char_indices() {
            let at_start = i == 0 && j == 0;
            let active = matches!(c, '\\' | '`' | '[' | ']' | '<' | '>')
                || (at_start && matches!(c, '#' | '~' | '-' | '+' | '='));
            if active {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_become_doc_lines_separated_by_an_empty_one() {
        let docs = attrs(&["Customer", "", "The partner.\n  Second line."]).to_string();
        assert_eq!(
            docs,
            r#"# [doc = " Customer"] # [doc = ""] # [doc = " The partner."] # [doc = " Second line."]"#
        );
        assert!(attrs(&["", "  \n"]).is_empty());
    }

    #[test]
    fn markdown_and_html_are_escaped_and_links_bracketed() {
        assert_eq!(
            escape("[Deprecated] use <b>x</b>"),
            r"\[Deprecated\] use \<b\>x\</b\>"
        );
        assert_eq!(
            escape("see https://example.com/a_b"),
            "see <https://example.com/a_b>"
        );
        assert_eq!(escape("```rust"), r"\`\`\`rust");
        assert_eq!(escape("# Title"), r"\# Title");
        assert_eq!(escape("- item"), r"\- item");
        // Emphasis only renders differently: left as written, readable in the source.
        assert_eq!(escape("x_studio * 2"), "x_studio * 2");
    }
}
