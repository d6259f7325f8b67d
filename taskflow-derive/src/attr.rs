//! Parsing of `#[taskflow(...)]` attributes: a closed set of keys per position, duplicates refused,
//! every problem collected in a [`Ctxt`] with the span of what the user wrote.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitStr, Token};

use crate::suggest;

/// Collects errors so that all of them are reported at once.
#[derive(Default)]
pub(crate) struct Ctxt {
    errors: Option<syn::Error>,
}

impl Ctxt {
    pub(crate) fn error(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    pub(crate) fn error_spanned(
        &mut self,
        tokens: impl quote::ToTokens,
        message: impl std::fmt::Display,
    ) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// How many errors were collected so far.
    pub(crate) fn count(&self) -> usize {
        self.errors
            .as_ref()
            .map_or(0, |e| e.clone().into_iter().count())
    }

    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.errors {
            Some(errors) => errors.combine(error),
            None => self.errors = Some(error),
        }
    }

    pub(crate) fn finish(self) -> Result<(), syn::Error> {
        match self.errors {
            Some(errors) => Err(errors),
            None => Ok(()),
        }
    }
}

const CONTAINER_KEYS: &[&str] = &["model", "schema"];
const FIELD_KEYS: &[&str] = &["rename", "readonly", "skip"];
const VARIANT_KEYS: &[&str] = &["rename"];
/// A selection's keys are all on its variants.
const SELECTION_KEYS: &[&str] = &[];
const ON_VARIANTS: &str = "put `#[taskflow(rename = \"key\")]` on variants";

/// Where an attribute sits, for the keys it accepts and the wording of errors.
#[derive(Clone, Copy)]
enum Position {
    Struct,
    Field,
    Variant,
    Selection,
}

impl Position {
    fn keys(self) -> &'static [&'static str] {
        match self {
            Position::Struct => CONTAINER_KEYS,
            Position::Field => FIELD_KEYS,
            Position::Variant => VARIANT_KEYS,
            Position::Selection => SELECTION_KEYS,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Position::Struct => "on the struct",
            Position::Field => "on a field",
            Position::Variant => "on a selection variant",
            Position::Selection => "on a selection enum",
        }
    }

    /// Where else `key` would be accepted: for a selection, only its variants are relevant.
    fn home_of(self, key: &str) -> Option<Position> {
        let candidates: &[Position] = match self {
            Position::Variant | Position::Selection => &[Position::Variant],
            Position::Struct | Position::Field => &[Position::Struct, Position::Field],
        };
        candidates.iter().copied().find(|p| p.keys().contains(&key))
    }

    /// What the attribute accepts, for errors.
    fn expected(self) -> String {
        match self {
            Position::Selection => {
                format!("#[derive(Selection)] takes no keys on the enum; {ON_VARIANTS}")
            }
            _ => format!("expected one of {}", list(self.keys())),
        }
    }
}

/// `#[taskflow(...)]` on the struct.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    pub(crate) model: Option<LitStr>,
    /// The schema snapshot directory to check the struct against.
    pub(crate) schema: Option<LitStr>,
}

/// `#[taskflow(...)]` on a field.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub(crate) rename: Option<LitStr>,
    pub(crate) readonly: Option<Span>,
    pub(crate) skip: Option<Span>,
}

/// `#[taskflow(...)]` on an enum variant of a selection.
#[derive(Default)]
pub(crate) struct VariantAttrs {
    pub(crate) rename: Option<LitStr>,
}

pub(crate) fn container(attrs: &[Attribute], cx: &mut Ctxt) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    each_key(attrs, Position::Struct, cx, |key, meta, cx| {
        if key == "model" {
            if let Some(lit) = string_value(meta, "model", "\"crm.lead\"", cx)? {
                if !is_model_name(&lit.value()) {
                    cx.error_spanned(
                        &lit,
                        format!(
                            "invalid model name {:?}: expected a server model name like \"crm.lead\" \
                             (lowercase letters, digits, `_` and `.`)",
                            lit.value()
                        ),
                    );
                }
                set_once(&mut out.model, lit, meta, cx);
            }
        } else if key == "schema" {
            if let Some(lit) = string_value(meta, "schema", "\"schema\"", cx)? {
                if lit.value().is_empty() {
                    cx.error_spanned(
                        &lit,
                        "an empty schema directory: name the directory `taskflow schema pull` \
                         wrote, like `schema = \"schema\"` (relative to the crate's Cargo.toml)",
                    );
                }
                set_once(&mut out.schema, lit, meta, cx);
            }
        }
        Ok(())
    });
    out
}

pub(crate) fn field(attrs: &[Attribute], cx: &mut Ctxt) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    each_key(attrs, Position::Field, cx, |key, meta, cx| {
        match key {
            "rename" => {
                if let Some(lit) = string_value(meta, "rename", "\"type\"", cx)? {
                    if !is_field_name(&lit.value()) {
                        cx.error_spanned(
                            &lit,
                            format!(
                                "invalid server field name {:?}: expected letters, digits and `_`, \
                                 like \"type\"",
                                lit.value()
                            ),
                        );
                    }
                    set_once(&mut out.rename, lit, meta, cx);
                }
            }
            "readonly" | "skip" => {
                let present = flag(meta, key, cx)?;
                let span = meta.path.require_ident()?.span();
                let slot = if key == "readonly" {
                    &mut out.readonly
                } else {
                    &mut out.skip
                };
                if present {
                    set_once(slot, span, meta, cx);
                }
            }
            _ => {}
        }
        Ok(())
    });
    out
}

pub(crate) fn variant(attrs: &[Attribute], cx: &mut Ctxt) -> VariantAttrs {
    let mut out = VariantAttrs::default();
    each_key(attrs, Position::Variant, cx, |key, meta, cx| {
        if key == "rename" {
            if let Some(lit) = string_value(meta, "rename", "\"opportunity\"", cx)? {
                if lit.value().is_empty() {
                    cx.error_spanned(&lit, "a selection key cannot be empty");
                }
                set_once(&mut out.rename, lit, meta, cx);
            }
        }
        Ok(())
    });
    out
}

/// `#[taskflow(...)]` on a selection enum, which takes no keys: each is reported.
pub(crate) fn selection(attrs: &[Attribute], cx: &mut Ctxt) {
    each_key(attrs, Position::Selection, cx, |_, _, _| Ok(()));
}

/// Walks every key of every `#[taskflow(...)]`, reporting unknown keys and handing known ones to
/// `f`. A malformed attribute is reported and the rest of it skipped.
fn each_key(
    attrs: &[Attribute],
    position: Position,
    cx: &mut Ctxt,
    mut f: impl FnMut(&str, &ParseNestedMeta<'_>, &mut Ctxt) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("taskflow")) {
        if let syn::Meta::Path(path) = &attr.meta {
            let message = match position {
                Position::Selection => position.expected(),
                _ => format!(
                    "expected `#[taskflow(...)]` with keys: {}",
                    list(position.keys())
                ),
            };
            cx.error_spanned(path, message);
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            let Some(ident) = meta.path.get_ident() else {
                cx.error_spanned(&meta.path, position.expected());
                return skip_value(&meta);
            };
            let key = ident.to_string();
            if position.keys().contains(&key.as_str()) {
                return f(&key, &meta, cx);
            }
            cx.error(ident.span(), unknown_key(&key, position));
            skip_value(&meta)
        });
        if let Err(e) = result {
            cx.push(e);
        }
    }
}

fn unknown_key(key: &str, position: Position) -> String {
    let place = position.describe();
    if let Position::Selection = position {
        let hint = match (position.home_of(key), suggest::closest(key, VARIANT_KEYS)) {
            (Some(home), _) => format!("`{key}` goes {}", home.describe()),
            (None, Some(close)) => {
                format!(
                    "did you mean `{close}`? It goes {}",
                    Position::Variant.describe()
                )
            }
            (None, None) => ON_VARIANTS.to_owned(),
        };
        return format!(
            "unknown key `{key}` {place}: #[derive(Selection)] takes no keys on the enum; {hint}"
        );
    }
    let mut message = format!(
        "unknown key `{key}` {place}: expected one of {}",
        list(position.keys())
    );
    if let Some(home) = position.home_of(key) {
        message.push_str(&format!("; `{key}` goes {}", home.describe()));
    } else if let Some(close) = suggest::closest(key, position.keys()) {
        message.push_str(&format!("; did you mean `{close}`?"));
    }
    message
}

/// Consumes `= value` or `(...)` after an unknown key so parsing can go on.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        value_tokens(meta.value()?)?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
    }
    Ok(())
}

/// Reads `key = "..."`; a missing or non-string value is reported and skipped.
fn string_value(
    meta: &ParseNestedMeta<'_>,
    key: &str,
    example: &str,
    cx: &mut Ctxt,
) -> syn::Result<Option<LitStr>> {
    if !meta.input.peek(Token![=]) {
        cx.error_spanned(&meta.path, format!("expected `{key} = {example}`"));
        skip_value(meta)?;
        return Ok(None);
    }
    let tokens = value_tokens(meta.value()?)?;
    match syn::parse2::<LitStr>(tokens.clone()) {
        Ok(lit) => Ok(Some(lit)),
        Err(_) => {
            cx.error_spanned(
                tokens,
                format!("expected a string literal: `{key} = {example}`"),
            );
            Ok(None)
        }
    }
}

/// The tokens of a value, up to the next `,`. Taken as tokens rather than parsed as an
/// expression, which would need syn's `full` feature for anything but the simplest.
fn value_tokens(input: syn::parse::ParseStream<'_>) -> syn::Result<proc_macro2::TokenStream> {
    let mut tokens = proc_macro2::TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        tokens.extend([input.parse::<proc_macro2::TokenTree>()?]);
    }
    Ok(tokens)
}

/// Reads a flag key (`readonly`); a value is reported and skipped.
fn flag(meta: &ParseNestedMeta<'_>, key: &str, cx: &mut Ctxt) -> syn::Result<bool> {
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        cx.error_spanned(
            &meta.path,
            format!("`{key}` takes no value: write `#[taskflow({key})]`"),
        );
        skip_value(meta)?;
        return Ok(false);
    }
    Ok(true)
}

fn set_once<T>(slot: &mut Option<T>, value: T, meta: &ParseNestedMeta<'_>, cx: &mut Ctxt) {
    if slot.is_some() {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        cx.error_spanned(&meta.path, format!("duplicate key `{key}`: set it once"));
    } else {
        *slot = Some(value);
    }
}

fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_model_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.ends_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
}

pub(crate) fn is_field_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_errors(tokens: proc_macro2::TokenStream) -> Vec<String> {
        let attr: Attribute = syn::parse_quote!(#[taskflow(#tokens)]);
        let mut cx = Ctxt::default();
        field(&[attr], &mut cx);
        match cx.finish() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn reports_every_bad_key_of_one_attribute() {
        let errors = field_errors(quote::quote!(
            renme = "x",
            readonly = true,
            model = "a",
            readonly,
            readonly
        ));
        assert_eq!(
            errors,
            [
                "unknown key `renme` on a field: expected one of `rename`, `readonly`, `skip`; did you mean `rename`?",
                "`readonly` takes no value: write `#[taskflow(readonly)]`",
                "unknown key `model` on a field: expected one of `rename`, `readonly`, `skip`; `model` goes on the struct",
                "duplicate key `readonly`: set it once",
            ]
        );
    }

    #[test]
    fn validates_names() {
        assert!(is_model_name("crm.lead") && !is_model_name("CRM Lead") && !is_model_name(""));
        assert!(is_field_name("type") && !is_field_name("partner id") && !is_field_name("1x"));
        assert_eq!(
            field_errors(quote::quote!(rename = "partner id")),
            [
                "invalid server field name \"partner id\": expected letters, digits and `_`, like \"type\""
            ]
        );
        assert_eq!(
            field_errors(quote::quote!(rename)),
            ["expected `rename = \"type\"`"]
        );
        assert_eq!(
            field_errors(quote::quote!(rename = 3)),
            ["expected a string literal: `rename = \"type\"`"]
        );
        // Values are taken as tokens up to the next `,`, whatever they are.
        assert_eq!(
            field_errors(quote::quote!(rename = "a" "b", rename = |x| [x; 2], readonly)),
            [
                "expected a string literal: `rename = \"type\"`",
                "expected a string literal: `rename = \"type\"`",
            ]
        );
        assert_eq!(
            field_errors(quote::quote!(
                colour = match x {
                    _ => 1,
                },
                readonly
            )),
            ["unknown key `colour` on a field: expected one of `rename`, `readonly`, `skip`"]
        );
    }

    #[test]
    fn a_selection_enum_takes_no_keys() {
        let attr: Attribute =
            syn::parse_quote!(#[taskflow(rename = "x", renme = "y", model = "crm.lead")]);
        let mut cx = Ctxt::default();
        selection(&[attr], &mut cx);
        let errors: Vec<String> = cx
            .finish()
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            errors,
            [
                "unknown key `rename` on a selection enum: #[derive(Selection)] takes no keys on the enum; `rename` goes on a selection variant",
                "unknown key `renme` on a selection enum: #[derive(Selection)] takes no keys on the enum; did you mean `rename`? It goes on a selection variant",
                "unknown key `model` on a selection enum: #[derive(Selection)] takes no keys on the enum; put `#[taskflow(rename = \"key\")]` on variants",
            ]
        );
    }
}
