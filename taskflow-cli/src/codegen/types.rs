//! The Rust type of each server field type (the table of the [`codegen`](super) docs), and the
//! names a module imports for them.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Ident, Type, parse_quote};
use taskflow_schema::{FieldSpec, FieldType};

/// What a server type maps to, before relations and selections are resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    String,
    I64,
    F64,
    Bool,
    Date,
    DateTime,
    Binary,
    /// A generated enum, or `String` when the keys give none.
    Selection,
    Many2one,
    One2many,
    Many2many,
    /// `taskflow_sdk::xmlrpc::Value`: structured or unknown data.
    Value,
}

impl Kind {
    /// The kind of a server type; unknown types are untyped data.
    pub(super) fn of(field_type: &FieldType) -> Kind {
        match field_type {
            FieldType::Char | FieldType::Text | FieldType::Html | FieldType::Reference => {
                Kind::String
            }
            FieldType::Integer | FieldType::Many2oneReference => Kind::I64,
            FieldType::Float | FieldType::Monetary => Kind::F64,
            FieldType::Boolean => Kind::Bool,
            FieldType::Date => Kind::Date,
            FieldType::Datetime => Kind::DateTime,
            FieldType::Binary => Kind::Binary,
            FieldType::Selection => Kind::Selection,
            FieldType::Many2one => Kind::Many2one,
            FieldType::One2many => Kind::One2many,
            FieldType::Many2many => Kind::Many2many,
            FieldType::Json
            | FieldType::Properties
            | FieldType::PropertiesDefinition
            | FieldType::Other(_) => Kind::Value,
            // `FieldType` is non-exhaustive: a type added later is untyped until mapped here.
            _ => Kind::Value,
        }
    }

    /// The kind of a field: its type's, except that a selection with keys other than strings
    /// (res.users' group selections list `false` and integer ids) is untyped data, as no enum
    /// or `String` can read it.
    pub(super) fn of_field(spec: &FieldSpec) -> Kind {
        match Kind::of(&spec.field_type()) {
            Kind::Selection if spec.selection.is_some() && spec.string_keys().is_none() => {
                Kind::Value
            }
            kind => kind,
        }
    }

    pub(super) fn is_relational(self) -> bool {
        matches!(self, Kind::Many2one | Kind::One2many | Kind::Many2many)
    }
}

/// A name a generated module imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Import {
    Binary,
    Date,
    DateTime,
    Id,
    Many2many,
    Many2one,
    One2many,
    Selection,
    TaskflowModel,
    /// `taskflow_sdk::model::Untyped`.
    Untyped,
    /// `taskflow_sdk::xmlrpc::Value`.
    Value,
}

/// The names a module uses, so that it imports exactly those (an unused import is a warning).
#[derive(Debug, Default)]
pub(super) struct Imports(BTreeSet<Import>);

impl Imports {
    pub(super) fn add(&mut self, import: Import) {
        self.0.insert(import);
    }

    /// `use taskflow_sdk::{Id, Many2one, TaskflowModel, model::Untyped};`
    pub(super) fn to_tokens(&self) -> TokenStream {
        let items = self.0.iter().map(|import| match import {
            Import::Binary => quote!(Binary),
            Import::Date => quote!(Date),
            Import::DateTime => quote!(DateTime),
            Import::Id => quote!(Id),
            Import::Many2many => quote!(Many2many),
            Import::Many2one => quote!(Many2one),
            Import::One2many => quote!(One2many),
            Import::Selection => quote!(Selection),
            Import::TaskflowModel => quote!(TaskflowModel),
            Import::Untyped => quote!(model::Untyped),
            Import::Value => quote!(xmlrpc::Value),
        });
        quote!(use taskflow_sdk::{#(#items),*};)
    }
}

/// The Rust type of a field of `kind`: `target` is the related struct of relations (`Untyped`
/// included), `selection` the generated enum of a selection (`None`: `String`), `optional`
/// whether the field can read as empty.
pub(super) fn rust_type(
    kind: Kind,
    target: Option<&Type>,
    selection: Option<&Ident>,
    optional: bool,
    imports: &mut Imports,
) -> Type {
    let mut relation = |import: Import| {
        imports.add(import);
        target.cloned().unwrap_or_else(|| {
            imports.add(Import::Untyped);
            parse_quote!(Untyped)
        })
    };
    let ty: Type = match kind {
        Kind::String => parse_quote!(String),
        Kind::I64 => parse_quote!(i64),
        Kind::F64 => parse_quote!(f64),
        Kind::Bool => parse_quote!(bool),
        Kind::Date => {
            imports.add(Import::Date);
            parse_quote!(Date)
        }
        Kind::DateTime => {
            imports.add(Import::DateTime);
            parse_quote!(DateTime)
        }
        Kind::Binary => {
            imports.add(Import::Binary);
            parse_quote!(Binary)
        }
        Kind::Selection => match selection {
            Some(ident) => parse_quote!(#ident),
            None => parse_quote!(String),
        },
        Kind::Many2one => {
            let t = relation(Import::Many2one);
            parse_quote!(Many2one<#t>)
        }
        Kind::One2many => {
            let t = relation(Import::One2many);
            parse_quote!(One2many<#t>)
        }
        Kind::Many2many => {
            let t = relation(Import::Many2many);
            parse_quote!(Many2many<#t>)
        }
        Kind::Value => {
            imports.add(Import::Value);
            parse_quote!(Value)
        }
    };
    if optional {
        parse_quote!(Option<#ty>)
    } else {
        ty
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;
    use taskflow_schema::SelectionKey;

    use super::*;

    /// The type table of the `codegen` docs: (server type, required, not required) per row.
    fn documented_table() -> Vec<(String, String, String)> {
        let source = include_str!("../codegen.rs");
        source
            .lines()
            .filter_map(|line| line.strip_prefix("//! | `"))
            .map(|row| {
                let cells: Vec<String> = format!("`{row}")
                    .split('|')
                    .map(|c| c.trim().trim_matches('`').to_owned())
                    .collect();
                (cells[0].clone(), cells[1].clone(), cells[2].clone())
            })
            .collect()
    }

    fn spec(type_name: &str, required: bool) -> FieldSpec {
        FieldSpec {
            help: None,
            readonly: false,
            relation: Some("res.partner".into()),
            relation_field: None,
            required,
            selection: None,
            string: String::new(),
            type_name: type_name.into(),
        }
    }

    /// The type the generator gives, with `T` as the related struct and `Priority` as the enum.
    fn generated(type_name: &str, required: bool) -> String {
        let spec = spec(type_name, required);
        let target: Type = parse_quote!(T);
        let kind = Kind::of_field(&spec);
        let ty = rust_type(
            kind,
            Some(&target),
            Some(&parse_quote!(Priority)),
            spec.can_be_empty(),
            &mut Imports::default(),
        );
        ty.to_token_stream().to_string()
    }

    fn normalized(cell: &str) -> String {
        syn::parse_str::<Type>(cell)
            .unwrap_or_else(|e| panic!("`{cell}` in the type table is not a type: {e}"))
            .to_token_stream()
            .to_string()
    }

    #[test]
    fn the_documented_table_covers_every_known_type_and_matches_the_generator() {
        let table = documented_table();
        let mut documented: Vec<&str> = table.iter().map(|(t, ..)| t.as_str()).collect();
        let mut known: Vec<&str> = FieldType::KNOWN.iter().map(FieldType::name).collect();
        known.push("any other");
        documented.sort();
        known.sort();
        assert_eq!(
            documented, known,
            "one row per known type, and one for the others"
        );
        for (type_name, required, optional) in &table {
            let name = if type_name == "any other" {
                "geo_point"
            } else {
                type_name
            };
            assert_eq!(
                generated(name, true),
                normalized(required),
                "{type_name}, required"
            );
            assert_eq!(generated(name, false), normalized(optional), "{type_name}");
        }
    }

    #[test]
    fn the_table_agrees_with_the_schema_crate() {
        // `FieldType::rust_type` is what the derive's schema check suggests: the same types,
        // spelt for a reader (`M` for the related model, `xmlrpc::Value`, a sentence for enums).
        for field_type in FieldType::KNOWN {
            let ours = generated(field_type.name(), true)
                .replace("< T >", "< M >")
                .replace(" ", "");
            let theirs = field_type.rust_type().replace("xmlrpc::", "");
            if field_type == FieldType::Selection {
                assert_eq!(ours, "Priority");
                assert!(theirs.contains("Selection"), "{theirs}");
            } else {
                assert_eq!(ours, theirs, "{field_type}");
            }
        }
    }

    #[test]
    fn selections_with_other_keys_than_strings_are_untyped() {
        let mut groups = spec("selection", false);
        groups.selection = Some(vec![
            (SelectionKey::Bool(false), String::new()),
            (SelectionKey::Int(2), "Access Rights".into()),
        ]);
        assert_eq!(Kind::of_field(&groups), Kind::Value);
        groups.selection = Some(vec![("lead".into(), "Lead".into())]);
        assert_eq!(Kind::of_field(&groups), Kind::Selection);
    }

    #[test]
    fn relations_without_a_generated_target_are_untyped_and_imported() {
        let mut imports = Imports::default();
        let ty = rust_type(Kind::Many2one, None, None, true, &mut imports);
        assert_eq!(
            ty.to_token_stream().to_string(),
            "Option < Many2one < Untyped > >"
        );
        assert_eq!(
            imports.to_tokens().to_string(),
            "use taskflow_sdk :: { Many2one , model :: Untyped } ;"
        );
    }

    #[test]
    fn a_selection_without_an_enum_is_a_string() {
        let mut imports = Imports::default();
        let ty = rust_type(Kind::Selection, None, None, false, &mut imports);
        assert_eq!(ty.to_token_stream().to_string(), "String");
        assert_eq!(imports.to_tokens().to_string(), "use taskflow_sdk :: { } ;");
    }
}
