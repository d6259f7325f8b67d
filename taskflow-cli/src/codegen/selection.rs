//! The `#[derive(Selection)]` enum of a selection field: one variant per key, in the server's
//! order, the label as the variant's doc.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use super::{docs, names};

/// A generated enum.
#[derive(Debug)]
pub(super) struct SelectionEnum {
    pub(super) ident: Ident,
    /// `(variant, server key, label)`.
    variants: Vec<(Ident, String, String)>,
}

impl SelectionEnum {
    /// The enum for `entries`, or `None` when they give none: an empty list (a dynamic selection
    /// the server lists no keys for) or a key listed twice. The field is then a `String`.
    pub(super) fn new(ident: &str, entries: &[(String, String)]) -> Option<SelectionEnum> {
        let mut keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        if entries.is_empty() || keys.len() != before {
            return None;
        }
        let variants = names::variant_idents(entries)
            .into_iter()
            .zip(entries)
            .map(|(v, (key, label))| (format_ident!("{v}"), key.clone(), label.clone()))
            .collect();
        Some(SelectionEnum {
            ident: format_ident!("{ident}"),
            variants,
        })
    }

    /// `doc` is the enum's doc comment, in Markdown.
    pub(super) fn to_tokens(&self, doc: &str) -> TokenStream {
        let ident = &self.ident;
        let doc = docs::markdown(&[doc]);
        let variants = self.variants.iter().map(|(variant, key, label)| {
            let doc = docs::attrs(&[if label.is_empty() { key } else { label }]);
            // The derive's key is the variant in snake_case: rename whenever that is not the key.
            let rename = (taskflow_schema::variant_key(&variant.to_string()) != *key)
                .then(|| quote!(#[taskflow(rename = #key)]));
            quote! {
                #doc
                #rename
                #variant
            }
        });
        quote! {
            #doc
            #[derive(Selection, Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum #ident {
                #(#variants,)*
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, l)| (k.to_string(), l.to_string()))
            .collect()
    }

    #[test]
    fn numeric_keys_are_renamed_and_keys_the_derive_would_give_are_not() {
        let priority =
            SelectionEnum::new("Priority", &entries(&[("0", "Low"), ("3", "Very High")])).unwrap();
        let tokens = priority.to_tokens("Priority").to_string();
        assert!(
            tokens.contains(r#"# [taskflow (rename = "0")] Low"#),
            "{tokens}"
        );
        assert!(
            tokens.contains(r#"# [taskflow (rename = "3")] VeryHigh"#),
            "{tokens}"
        );
        let state = SelectionEnum::new(
            "State",
            &entries(&[("draft", "Draft"), ("in_progress", "")]),
        )
        .unwrap();
        let tokens = state.to_tokens("State").to_string();
        assert!(!tokens.contains("rename"), "{tokens}");
        assert!(
            tokens.contains(r#"# [doc = " in_progress"] InProgress"#),
            "{tokens}"
        );
    }

    #[test]
    fn empty_lists_and_repeated_keys_give_no_enum() {
        assert!(SelectionEnum::new("State", &[]).is_none());
        assert!(SelectionEnum::new("State", &entries(&[("a", "A"), ("a", "B")])).is_none());
    }
}
