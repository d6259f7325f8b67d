//! The check of a struct's field types against its schema snapshot, as constants the compiler
//! evaluates where types are resolved (an alias or a path to `Many2one` is still a `Many2one`):
//! each reads the field type's `FieldValue::SHAPE` and panics, at the user's field, with a
//! message composed here, when the snapshot's field does not fit.
//!
//! Also what makes cargo rebuild the crate when the check's inputs change: stable proc macros
//! cannot declare dependencies, so the expansion includes the snapshot file (`include_bytes!`,
//! which rustc's dep-info records) and reads `TASKFLOW_SCHEMA_DIR` with `option_env!` (recorded
//! too, so setting, changing or unsetting it rebuilds), with or without a snapshot.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use taskflow_schema::{FieldSpec, FieldType};

use crate::ir::{Field, Model};
use crate::schema::{ENV, Loaded};

pub(super) fn checks(model: &Model<'_>, loaded: Option<&Loaded>) -> TokenStream {
    let env = quote! {
        const _: ::core::option::Option<&::core::primitive::str> = ::core::option_env!(#ENV);
    };
    let Some(loaded) = loaded else {
        return env;
    };
    let file = loaded.file.to_str().unwrap_or_default();
    // The `id` field's type is the derive's own rule (`Id<Self>`).
    let fields = model
        .fields
        .iter()
        .filter(|f| f.is_read() && !f.is_id())
        .filter_map(|f| {
            let spec = loaded.snapshot.fields.get(&f.server)?;
            Some(field(model, f, spec, &loaded.shown))
        });
    quote! {
        #env
        const _: &[::core::primitive::u8] = ::core::include_bytes!(#file);
        #(#fields)*
    }
}

fn field(model: &Model<'_>, f: &Field<'_>, spec: &FieldSpec, shown: &str) -> TokenStream {
    let ty = f.ty;
    let mut kind = spec.field_type();
    let keys = spec.string_keys();
    if kind == FieldType::Selection && keys.is_none() {
        // Integer or boolean keys (res.users' group selections): no enum stands for them.
        kind = FieldType::Other("selection with non-string keys".into());
    }
    let bit = Ident::new(bit(&kind), Span::call_site());
    let name = format!("{}.{}", model.model, f.server);
    let of = match &spec.relation {
        Some(relation) if kind.is_relational() => format!(" of `{relation}`"),
        _ => String::new(),
    };
    let empty = spec.can_be_empty();
    let wanted = match (&kind, empty) {
        (FieldType::Selection, true) => "`Option<E>` of a #[derive(Selection)] enum `E`".to_owned(),
        (FieldType::Selection, false) => "a #[derive(Selection)] enum".to_owned(),
        (_, true) => format!("`Option<{}>`", kind.rust_type()),
        (_, false) => format!("`{}`", kind.rust_type()),
    };
    let wrong_type = literal(&format!(
        "`{name}` is {} field{of} in the schema snapshot {shown}: this Rust type cannot hold \
         it; declare it as {wanted}",
        article(kind.name())
    ));
    // Every token at the field's type, or rustc reports a failed check at the derive.
    let span = ty.span();
    let mut checks = quote_spanned! {span=>
        if !shape.holds(::taskflow_sdk::__private::Shape::#bit) {
            ::core::panic!(#wrong_type);
        }
    };
    if empty {
        let not_option = literal(&format!(
            "`{name}` can be empty in the schema snapshot {shown} ({} field that is not \
             required, which the server reads as `false`): declare it as {wanted}",
            article(kind.name())
        ));
        checks.extend(quote_spanned! {span=>
            if !shape.holds_empty() {
                ::core::panic!(#not_option);
            }
        });
    }
    if let Some(keys) = keys {
        let listed = keys
            .iter()
            .map(|k| format!("{k:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        let wrong_keys = literal(&format!(
            "the selection keys of `{name}` in the schema snapshot {shown} are {listed}: this \
             enum's keys differ (a key it lacks fails to decode); give it exactly these, with \
             #[taskflow(rename = \"key\")] on variants"
        ));
        checks.extend(quote_spanned! {span=>
            if !shape.has_keys(&[#(#keys),*]) {
                ::core::panic!(#wrong_keys);
            }
        });
    }
    quote_spanned! {span=>
        const _: () = {
            let shape = <#ty as ::taskflow_sdk::__private::FieldValue>::SHAPE;
            #checks
        };
    }
}

/// "a char", "an integer".
fn article(word: &str) -> String {
    let vowel = word.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {word}", if vowel { "an" } else { "a" })
}

/// A message as a format string that prints it as is.
fn literal(message: &str) -> String {
    message.replace('{', "{{").replace('}', "}}")
}

/// The `Shape` constant of a field type.
fn bit(kind: &FieldType) -> &'static str {
    match kind {
        FieldType::Char => "CHAR",
        FieldType::Text => "TEXT",
        FieldType::Html => "HTML",
        FieldType::Integer => "INTEGER",
        FieldType::Float => "FLOAT",
        FieldType::Monetary => "MONETARY",
        FieldType::Boolean => "BOOLEAN",
        FieldType::Date => "DATE",
        FieldType::Datetime => "DATETIME",
        FieldType::Selection => "SELECTION",
        FieldType::Many2one => "MANY2ONE",
        FieldType::One2many => "ONE2MANY",
        FieldType::Many2many => "MANY2MANY",
        FieldType::Binary => "BINARY",
        FieldType::Reference => "REFERENCE",
        FieldType::Many2oneReference => "MANY2ONE_REFERENCE",
        FieldType::Json => "JSON",
        FieldType::Properties => "PROPERTIES",
        FieldType::PropertiesDefinition => "PROPERTIES_DEFINITION",
        _ => "OTHER",
    }
}
