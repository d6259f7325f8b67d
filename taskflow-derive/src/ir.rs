//! The validated model: what the struct means once its attributes are read.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, Type, Visibility};

use crate::attr::{self, Ctxt};

/// A struct bound to a server model.
pub(crate) struct Model<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) vis: &'a Visibility,
    /// The server model name (`crm.lead`); empty when it was missing (already reported).
    pub(crate) model: String,
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
        fields,
    })
}
