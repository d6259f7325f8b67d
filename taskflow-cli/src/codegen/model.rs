//! One model's module: its `#[derive(TaskflowModel)]` struct, the enums of its selections, and
//! exactly the imports they use.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Ident, Type, parse_quote};
use taskflow_schema::{FieldSpec, Snapshot};

use super::layout::{Layout, Place};
use super::selection::SelectionEnum;
use super::types::{self, Import, Imports, Kind};
use super::{docs, names};

/// The module of `snapshot`, placed at `place` among the models of `layout`.
pub(super) fn module(snapshot: &Snapshot, place: &Place, layout: &Layout) -> TokenStream {
    let ident = format_ident!("{}", place.ident);
    let model = &snapshot.model;
    let mut imports = Imports::default();
    imports.add(Import::Id);
    imports.add(Import::TaskflowModel);

    let fields: Vec<(&str, &FieldSpec)> = snapshot
        .fields
        .iter()
        .filter(|(name, _)| name.as_str() != "id" && names::derive_accepts(name))
        .map(|(name, spec)| (name.as_str(), spec))
        .collect();
    let writable: Vec<(&str, bool)> = fields.iter().map(|(n, s)| (*n, !s.readonly)).collect();
    let idents = names::field_idents(&writable);

    // The enums' names must leave the struct's, its companions' and each other's alone.
    let mut taken: BTreeSet<String> = ["", "Values", "Fields"]
        .iter()
        .map(|suffix| format!("{}{suffix}", place.ident))
        .collect();
    let mut enums = Vec::new();
    let mut struct_fields = Vec::new();
    for ((server, spec), rust) in fields.iter().zip(&idents) {
        let kind = Kind::of_field(spec);
        let selection = match (kind, &spec.selection) {
            (Kind::Selection, Some(entries)) => {
                let entries: Vec<(String, String)> = entries
                    .iter()
                    .filter_map(|(key, label)| Some((key.as_str()?.to_owned(), label.clone())))
                    .collect();
                SelectionEnum::new(&names::enum_ident(rust, &taken), &entries)
            }
            _ => None,
        };
        if let Some(selection) = &selection {
            taken.insert(selection.ident.to_string());
            imports.add(Import::Selection);
        }
        let target = kind
            .is_relational()
            .then(|| relation_target(spec, layout, place))
            .flatten();
        let ty = types::rust_type(
            kind,
            target.as_ref(),
            selection.as_ref().map(|s| &s.ident),
            spec.can_be_empty(),
            &mut imports,
        );
        struct_fields.push(field(server, spec, rust, &ty));
        if let Some(selection) = selection {
            let label = docs::inline(label(server, spec));
            enums.push(selection.to_tokens(&format!(
                "{label}: the keys of `{model}`'s selection `{server}`."
            )));
        }
    }

    let module_doc = format!(" The [`{ident}`] model: `{model}`.");
    let description = docs::text(snapshot.description.as_deref().unwrap_or(model));
    let left_out = unbound(snapshot);
    let note = if left_out.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = left_out.iter().map(|name| format!("`{name}`")).collect();
        format!(
            "Not mapped: {}; `#[derive(TaskflowModel)]` binds field names of ASCII letters, \
             digits and `_` only, not starting with a digit.",
            list.join(", ")
        )
    };
    let struct_doc = docs::markdown(&[description, note]);
    let id_doc = docs::attrs(&[snapshot
        .fields
        .get("id")
        .map(|spec| label("id", spec))
        .unwrap_or("ID")]);
    let imports = imports.to_tokens();
    quote! {
        #![doc = #module_doc]

        #imports

        #struct_doc
        #[derive(TaskflowModel, Debug, Clone, PartialEq)]
        #[taskflow(model = #model)]
        pub struct #ident {
            #id_doc
            pub id: Id<#ident>,
            #(#struct_fields,)*
        }

        #(#enums)*
    }
}

/// The fields of `snapshot` the derive cannot bind (see [`names::derive_accepts`]), left out of
/// the struct.
pub(super) fn unbound(snapshot: &Snapshot) -> Vec<&str> {
    snapshot
        .fields
        .keys()
        .map(String::as_str)
        .filter(|name| !names::derive_accepts(name))
        .collect()
}

/// The related struct of a relational field: itself, a sibling module's (`super::res_partner::
/// ResPartner`), or `None` (`Untyped`) when the related model is not generated.
fn relation_target(spec: &FieldSpec, layout: &Layout, place: &Place) -> Option<Type> {
    let target = layout.get(spec.relation.as_deref()?)?;
    let ident = format_ident!("{}", target.ident);
    if target == place {
        return Some(parse_quote!(#ident));
    }
    let module = format_ident!("{}", target.module);
    Some(parse_quote!(super::#module::#ident))
}

/// The label, or the server name when the label is empty.
fn label<'a>(server: &'a str, spec: &'a FieldSpec) -> &'a str {
    match spec.string.trim() {
        "" => server,
        label => label,
    }
}

/// One struct field: its doc (label, then help), `rename` when the Rust name differs from the
/// server's, `readonly` when the server says so.
fn field(server: &str, spec: &FieldSpec, rust: &str, ty: &Type) -> TokenStream {
    let ident = Ident::new(rust, proc_macro2::Span::call_site());
    let doc = docs::attrs(&[label(server, spec), spec.help.as_deref().unwrap_or("")]);
    let mut keys = Vec::new();
    if rust != server {
        keys.push(quote!(rename = #server));
    }
    if spec.readonly {
        keys.push(quote!(readonly));
    }
    let attr = (!keys.is_empty()).then(|| quote!(#[taskflow(#(#keys),*)]));
    quote! {
        #doc
        #attr
        pub #ident: #ty
    }
}
