//! The validated items: what a model struct or a selection enum means once its attributes are
//! read.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Type, Visibility};

use crate::attr::{self, Ctxt};

/// A struct bound to a server model.
pub(crate) struct Model<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) vis: &'a Visibility,
    /// The server model name (`crm.lead`); empty when it was missing (already reported).
    pub(crate) model: String,
    /// Where the model name was written (the struct's name when it was missing).
    pub(crate) model_span: Span,
    /// `#[taskflow(schema = "...")]`: the snapshot directory to check against.
    pub(crate) schema: Option<syn::LitStr>,
    pub(crate) fields: Vec<Field<'a>>,
}

/// One struct field.
pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    /// The server's name for it (the Rust name without `r#`, or `rename`).
    pub(crate) server: String,
    /// Where the server name comes from, for errors about it.
    pub(crate) server_span: Span,
    pub(crate) readonly: Option<Span>,
    pub(crate) skip: Option<Span>,
}

impl Field<'_> {
    /// The record's `id`, read but never written.
    pub(crate) fn is_id(&self) -> bool {
        self.server == "id" && self.skip.is_none()
    }

    /// Sent by create and write.
    pub(crate) fn is_writable(&self) -> bool {
        !self.is_id() && self.readonly.is_none() && self.skip.is_none()
    }

    /// Read from the server.
    pub(crate) fn is_read(&self) -> bool {
        self.skip.is_none()
    }
}

/// An enum mapped to a selection field.
pub(crate) struct Selection<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) generics: &'a Generics,
    pub(crate) variants: Vec<Variant<'a>>,
}

/// One variant of a selection.
pub(crate) struct Variant<'a> {
    pub(crate) ident: &'a Ident,
    /// Expected to be unit: checked in `check`.
    pub(crate) fields: &'a Fields,
    /// The server key (the variant name in snake_case, or `rename`).
    pub(crate) key: String,
    /// Where the key comes from, for errors about it.
    pub(crate) key_span: Span,
}

/// Reads the struct, reporting what does not fit the shape of a model. `None` when the shape is
/// wrong (an enum, a tuple struct...), so there is nothing further to check.
pub(crate) fn model<'a>(input: &'a DeriveInput, cx: &mut Ctxt) -> Option<Model<'a>> {
    let before = cx.count();
    let attrs = attr::container(&input.attrs, cx);
    // A misspelt or malformed `model` key was reported already; "missing" would only repeat it.
    let container_reported = cx.count() > before;
    if input.generics.lt_token.is_some() || input.generics.where_clause.is_some() {
        cx.error_spanned(
            &input.generics,
            "generic models are not supported: a TaskflowModel struct maps to one server model \
             and its fields to concrete field types; remove the parameters",
        );
    }
    let named = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => Some(named),
            Fields::Unnamed(fields) => {
                cx.error(
                    fields.span(),
                    "expected a struct with named fields: a tuple struct has no field names to \
                     map to the server's",
                );
                None
            }
            Fields::Unit => {
                cx.error(
                    input.ident.span(),
                    "expected a struct with named fields, found a unit struct: a model needs at \
                     least `id: Id<Self>`",
                );
                None
            }
        },
        Data::Enum(data) => {
            cx.error(
                data.enum_token.span,
                "#[derive(TaskflowModel)] expects a struct with named fields, found an enum; \
                 for a selection field use #[derive(Selection)]",
            );
            None
        }
        Data::Union(data) => {
            cx.error(
                data.union_token.span,
                "#[derive(TaskflowModel)] expects a struct with named fields, found a union",
            );
            None
        }
    };
    let model_span = attrs
        .model
        .as_ref()
        .map_or(input.ident.span(), |l| l.span());
    let model = match attrs.model {
        Some(lit) => lit.value(),
        None if container_reported => String::new(),
        None => {
            cx.error(
                input.ident.span(),
                "missing `#[taskflow(model = \"...\")]` on the struct: name the server model, \
                 like `#[taskflow(model = \"crm.lead\")]`",
            );
            String::new()
        }
    };
    let named = named?;
    let fields = named
        .named
        .iter()
        .filter_map(|f| {
            let ident = f.ident.as_ref()?;
            let attrs = attr::field(&f.attrs, cx);
            let (server, server_span) = match &attrs.rename {
                Some(lit) => (lit.value(), lit.span()),
                None => (ident.unraw().to_string(), ident.span()),
            };
            Some(Field {
                ident,
                ty: &f.ty,
                server,
                server_span,
                readonly: attrs.readonly,
                skip: attrs.skip,
            })
        })
        .collect();
    Some(Model {
        ident: &input.ident,
        vis: &input.vis,
        model,
        model_span,
        schema: attrs.schema,
        fields,
    })
}

/// Reads the enum and its variants' attributes. `None` when it is not an enum, so there is nothing
/// further to check.
pub(crate) fn selection<'a>(input: &'a DeriveInput, cx: &mut Ctxt) -> Option<Selection<'a>> {
    attr::selection(&input.attrs, cx);
    let data = match &input.data {
        Data::Enum(data) => data,
        Data::Struct(data) => {
            cx.error(
                data.struct_token.span,
                "#[derive(Selection)] expects an enum of unit variants, found a struct",
            );
            return None;
        }
        Data::Union(data) => {
            cx.error(
                data.union_token.span,
                "#[derive(Selection)] expects an enum of unit variants, found a union",
            );
            return None;
        }
    };
    let variants = data
        .variants
        .iter()
        .map(|variant| {
            let attrs = attr::variant(&variant.attrs, cx);
            let (key, key_span) = match &attrs.rename {
                Some(lit) => (lit.value(), lit.span()),
                None => (
                    taskflow_schema::variant_key(&variant.ident.unraw().to_string()),
                    variant.ident.span(),
                ),
            };
            Variant {
                ident: &variant.ident,
                fields: &variant.fields,
                key,
                key_span,
            }
        })
        .collect();
    Some(Selection {
        ident: &input.ident,
        generics: &input.generics,
        variants,
    })
}
