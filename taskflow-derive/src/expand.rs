//! Code generation. Everything is named through `::taskflow_sdk::__private`; the logic (decoding,
//! value encoding, requests) lives in taskflow-sdk, and this module only wires the type to it.
//!
//! Each derive runs the same phases: parse the item, build its IR (`ir`, reading the attributes
//! through `attr`), check the rules (`check`), then generate (`model`, `selection`). When any
//! phase reported an error, the output is the errors plus stub impls.

mod model;
mod selection;
mod shape;

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::attr::Ctxt;
use crate::check;
use crate::ir;
use crate::schema;

/// `#[derive(TaskflowModel)]` on tokens: the expansion, or the errors plus stub impls.
pub(crate) fn derive_model(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let mut cx = Ctxt::default();
    let model = ir::model(&input, &mut cx);
    // What the snapshot refuses leaves the struct well-formed: the full expansion goes out with
    // those errors, so code using the model sees no stand-in and no error of its own.
    let mut drift = Ctxt::default();
    let mut loaded = None;
    if let Some(model) = &model {
        check::model(model, &mut cx);
        loaded = schema::load(model, &mut drift);
        if let Some(loaded) = &loaded {
            check::against_snapshot(model, loaded, &mut drift);
        }
    }
    match (cx.finish(), model) {
        (Ok(()), Some(model)) => {
            let mut out = match drift.finish() {
                Ok(()) => TokenStream::new(),
                Err(errors) => errors.to_compile_error(),
            };
            out.extend(model::model_impl(&model));
            out.extend(shape::checks(&model, loaded.as_ref()));
            out
        }
        (Err(mut errors), _) => {
            if let Err(more) = drift.finish() {
                errors.combine(more);
            }
            let mut out = errors.to_compile_error();
            out.extend(model::model_fallback(&input));
            out
        }
        // `ir::model` only gives up after reporting why.
        (Ok(()), None) => TokenStream::new(),
    }
}

/// `#[derive(Selection)]` on tokens: the expansion, or the errors plus stub impls.
pub(crate) fn derive_selection(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let mut cx = Ctxt::default();
    let selection = ir::selection(&input, &mut cx);
    if let Some(selection) = &selection {
        check::selection(selection, &mut cx);
    }
    match (cx.finish(), selection) {
        (Ok(()), Some(selection)) => selection::selection_impl(&selection),
        (Err(errors), _) => {
            let mut out = errors.to_compile_error();
            out.extend(selection::selection_fallback(&input));
            out
        }
        // `ir::selection` only gives up after reporting why.
        (Ok(()), None) => TokenStream::new(),
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn errors(tokens: TokenStream) -> Vec<String> {
        let out = derive_model(tokens).to_string();
        out.split("compile_error !")
            .skip(1)
            .map(|s| {
                let start = s.find('"').unwrap_or(0) + 1;
                let end = s[start..].find("\" }").map_or(s.len(), |e| start + e);
                s[start..end].to_owned()
            })
            .collect()
    }

    #[test]
    fn all_errors_are_reported_together_with_a_fallback() {
        let input = quote! {
            #[taskflow(modle = "crm.lead")]
            struct Lead {
                #[taskflow(readonly = true)]
                name: String,
                #[taskflow(rename = "name")]
                title: String,
                r: &'static str,
            }
        };
        let found = errors(input.clone());
        assert_eq!(found.len(), 5, "{found:#?}");
        // The misspelt `model` key is reported once, not again as a missing model.
        assert!(found[0].starts_with("unknown key `modle`"), "{found:#?}");
        assert!(found[0].ends_with("did you mean `model`?"), "{found:#?}");
        assert!(
            found[1].starts_with("`readonly` takes no value"),
            "{found:#?}"
        );
        assert!(
            found[2].starts_with("duplicate server field `name`"),
            "{found:#?}"
        );
        assert!(found[3].starts_with("missing `id` field"), "{found:#?}");
        assert!(
            found[4].starts_with("unsupported field type `& 'static str`"),
            "{found:#?}"
        );
        let out = derive_model(input).to_string();
        assert!(out.contains("impl :: taskflow_sdk :: __private :: Model for Lead"));
    }

    #[test]
    fn expansion_names_everything_by_absolute_path() {
        let out = derive_model(quote! {
            #[taskflow(model = "crm.tag")]
            pub struct Tag {
                pub id: Id<Tag>,
                #[taskflow(rename = "name")]
                pub title: std::string::String,
                #[taskflow(readonly)]
                pub color: core::option::Option<i64>,
                #[taskflow(skip)]
                pub local: u32,
            }
        });
        let text = out.to_string();
        assert!(!text.contains("compile_error"), "{text}");
        assert!(text.contains(r#"const FIELDS : & 'static [& 'static :: core :: primitive :: str] = & ["id" , "name" , "color"]"#));
        assert!(text.contains("pub fn title (mut self"));
        assert!(text.contains("pub fn clear_title"));
        // Readonly, skipped and id fields get no setter.
        assert!(!text.contains("fn color (mut self"));
        assert!(!text.contains("fn local (mut self"));
        assert!(!text.contains("fn id (mut self"));
        // Nothing refers to the prelude by a bare name.
        for bare in [" Option <", " Result <", " Vec <", " String ", " Box <"] {
            for (i, _) in text.match_indices(bare) {
                let before = &text[..i];
                let context = &text[i.saturating_sub(80)..(i + 40).min(text.len())];
                assert!(before.ends_with("::"), "bare `{bare}` in ...{context}...");
            }
        }
    }

    #[test]
    fn selection_errors_are_reported_together_with_a_fallback() {
        let out = derive_selection(quote! {
            enum Kind { Lead, #[taskflow(rename = "lead")] Other, Data(u8) }
        })
        .to_string();
        assert!(
            out.contains("duplicate selection key `lead`: variant `Lead` already uses it"),
            "{out}"
        );
        assert!(out.contains("selection variant `Data` has fields"), "{out}");
        assert!(
            out.contains("impl :: taskflow_sdk :: __private :: Selection for Kind"),
            "{out}"
        );
    }

    /// The expansion as a reader would write it: parsed as a file and pretty-printed.
    fn pretty(tokens: TokenStream) -> String {
        match syn::parse_file(&tokens.to_string()) {
            Ok(file) => prettyplease::unparse(&file),
            Err(e) => panic!("the expansion does not parse as a file: {e}\n{tokens}"),
        }
    }

    #[test]
    fn model_expansion() {
        let out = derive_model(quote! {
            #[taskflow(model = "crm.lead")]
            pub struct Lead {
                pub id: Id<Lead>,
                pub name: String,
                pub contact_name: Option<String>,
                pub partner_id: Option<Many2one<Partner>>,
                pub order_line: One2many<OrderLine>,
                pub tag_ids: Many2many<Tag>,
                #[taskflow(rename = "type")]
                pub kind: LeadType,
                #[taskflow(readonly)]
                pub create_date: Option<DateTime>,
                #[taskflow(skip)]
                pub note: String,
            }
        });
        insta::assert_snapshot!(pretty(out));
    }

    /// The checks against a snapshot (`tests/schema`, by the attribute, relative to this crate):
    /// one constant per field read, the snapshot file included, the variable read.
    #[test]
    fn checked_model_expansion() {
        let out = derive_model(quote! {
            #[taskflow(model = "crm.lead", schema = "tests/schema")]
            pub struct Lead {
                pub id: Id<Lead>,
                pub name: String,
                pub partner_id: Option<Many2one<Partner>>,
                pub tag_ids: Many2many<Tag>,
                pub priority: Option<Priority>,
                #[taskflow(skip)]
                pub note: String,
            }
        });
        let text = pretty(out).replace(env!("CARGO_MANIFEST_DIR"), "$CARGO_MANIFEST_DIR");
        let checks = &text[text.find("option_env!").expect("the variable is read")..];
        insta::assert_snapshot!(checks);
    }

    #[test]
    fn selection_expansion() {
        let out = derive_selection(quote! {
            pub enum LeadType {
                Lead,
                #[taskflow(rename = "opportunity")]
                Opp,
                VeryHigh,
            }
        });
        insta::assert_snapshot!(pretty(out));
    }

    #[test]
    fn selection_fallback_expansion() {
        let out = derive_selection(quote! {
            enum LeadType {
                Lead,
                #[taskflow(rename = "lead")]
                Opportunity,
            }
        });
        insta::assert_snapshot!(pretty(out));
    }
}
