//! Rules across fields and variants. A model: one `id`, unique server names, field types the
//! server can carry, setter names free (of the builder's `raw` and of each other's `clear_`).
//! A selection: no generics, at least one variant, unit variants, unique keys.

use syn::ext::IdentExt;
use syn::{Fields, Type};

use crate::attr::Ctxt;
use crate::ir::{Field, Model, Selection};
use crate::schema::Loaded;
use crate::suggest;

pub(crate) fn model(model: &Model<'_>, cx: &mut Ctxt) {
    unique_server_names(model, cx);
    id_field(model, cx);
    for field in &model.fields {
        if let (Some(skip), Some(_)) = (field.skip, field.readonly) {
            cx.error(
                skip,
                "`skip` and `readonly` conflict: a skipped field is never read nor written",
            );
        }
        field_type(field.ty, cx);
        setter_name(field, cx);
    }
    clear_names(model, cx);
}

/// Every field the struct reads must be in the model's snapshot; a misspelt one gets the closest
/// real name. Whether its type fits is checked by the generated code, where types are resolved.
pub(crate) fn against_snapshot(model: &Model<'_>, loaded: &Loaded, cx: &mut Ctxt) {
    let names: Vec<&str> = loaded.snapshot.fields.keys().map(String::as_str).collect();
    for field in model.fields.iter().filter(|f| f.is_read()) {
        if loaded.snapshot.fields.contains_key(&field.server) {
            continue;
        }
        let hint = match suggest::closest(&field.server, &names) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!(
                "`taskflow fields {}` lists the server's fields; if the server added it, pull \
                 the snapshot again",
                model.model
            ),
        };
        cx.error(
            field.server_span,
            format!(
                "no field `{}` on `{}` in the schema snapshot {}: {hint}",
                field.server, model.model, loaded.shown
            ),
        );
    }
}

/// Each writable field `foo` gets a `clear_foo` method on the values builder: a writable field
/// named `clear_foo` beside it would get a setter of the same name.
fn clear_names(model: &Model<'_>, cx: &mut Ctxt) {
    let writable: Vec<String> = model
        .fields
        .iter()
        .filter(|f| f.is_writable())
        .map(|f| f.ident.unraw().to_string())
        .collect();
    for field in model.fields.iter().filter(|f| f.is_writable()) {
        let name = field.ident.unraw().to_string();
        let Some(cleared) = name.strip_prefix("clear_") else {
            continue;
        };
        if writable.iter().any(|w| w == cleared) {
            cx.error(
                field.ident.span(),
                format!(
                    "the setter of writable field `{name}` would clash with `{name}()`, which \
                     empties field `{cleared}`; name the Rust field differently and keep the \
                     server's name with `#[taskflow(rename = \"{name}\")]`"
                ),
            );
        }
    }
}

/// The values builder has a `raw` method of its own, for fields the struct does not declare: a
/// field's setter cannot take that name.
fn setter_name(field: &Field<'_>, cx: &mut Ctxt) {
    if field.is_writable() && field.ident.unraw() == "raw" {
        cx.error(
            field.ident.span(),
            "a writable field cannot be named `raw`: its setter would clash with the values \
             builder's `raw` method; name the Rust field differently and keep the server's name \
             with `#[taskflow(rename = \"raw\")]`",
        );
    }
}

fn unique_server_names(model: &Model<'_>, cx: &mut Ctxt) {
    for (i, field) in model.fields.iter().enumerate() {
        if field.skip.is_some() {
            continue;
        }
        let earlier = model.fields[..i]
            .iter()
            .find(|f| f.skip.is_none() && f.server == field.server);
        if let Some(earlier) = earlier {
            cx.error(
                field.server_span,
                format!(
                    "duplicate server field `{}`: field `{}` already reads it",
                    field.server, earlier.ident
                ),
            );
        }
    }
}

fn id_field(model: &Model<'_>, cx: &mut Ctxt) {
    if let Some(field) = model.fields.iter().find(|f| f.server == "id") {
        if let Some(skip) = field.skip {
            cx.error(
                skip,
                "the `id` field cannot be skipped: every record is read with its id",
            );
        }
        return;
    }
    cx.error(
        model.ident.span(),
        format!(
            "missing `id` field: a TaskflowModel struct needs `id: Id<{}>` to know its records",
            model.ident
        ),
    );
}

/// Refuses types that can never hold a server value. Whether a named type is supported is left to
/// the `FieldValue` trait bound, whose error lands on the field's type.
fn field_type(ty: &Type, cx: &mut Ctxt) {
    let problem = match ty {
        Type::Reference(_) => "a borrowed type; use an owned one like `String`",
        Type::Ptr(_) => "a raw pointer",
        Type::BareFn(_) => "a function pointer",
        Type::ImplTrait(_) | Type::TraitObject(_) => "a trait object",
        Type::Never(_) => "the never type",
        Type::Infer(_) => "`_`; write the type out",
        Type::Tuple(_) => "a tuple; use Many2one<M> for an `[id, name]` pair",
        Type::Slice(_) | Type::Array(_) => "an array; use One2many<M> or Many2many<M> for id lists",
        Type::Paren(inner) => return field_type(&inner.elem, cx),
        Type::Group(inner) => return field_type(&inner.elem, cx),
        _ => return,
    };
    cx.error_spanned(
        ty,
        format!(
            "unsupported field type `{}`: {problem}",
            quote::ToTokens::to_token_stream(ty)
        ),
    );
}

pub(crate) fn selection(selection: &Selection<'_>, cx: &mut Ctxt) {
    let generics = selection.generics;
    let message = "generic selections are not supported: a selection is a plain enum of keys";
    // `Generics` prints its parameters only: a lone `where` clause needs its own span.
    match &generics.where_clause {
        Some(clause) if generics.lt_token.is_none() => cx.error_spanned(clause, message),
        _ if generics.lt_token.is_some() => cx.error_spanned(generics, message),
        _ => {}
    }
    if selection.variants.is_empty() {
        cx.error(
            selection.ident.span(),
            "a selection needs at least one variant, one per server key",
        );
    }
    for (i, variant) in selection.variants.iter().enumerate() {
        if !matches!(variant.fields, Fields::Unit) {
            cx.error_spanned(
                variant.fields,
                format!(
                    "selection variant `{}` has fields: a selection variant stands for one key \
                     and carries no data",
                    variant.ident
                ),
            );
        }
        let earlier = selection.variants[..i]
            .iter()
            .find(|v| v.key == variant.key);
        if let Some(earlier) = earlier {
            cx.error(
                variant.key_span,
                format!(
                    "duplicate selection key `{}`: variant `{}` already uses it",
                    variant.key, earlier.ident
                ),
            );
        }
    }
}
