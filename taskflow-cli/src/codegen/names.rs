//! Rust names for server names: snake_case fields and modules, UpperCamelCase structs, enums and
//! variants, never a keyword, never `r#`, and collisions resolved the same way on every run.
//!
//! Every function here is pure: the same server names give the same Rust names, whatever order
//! the caller found them in, as long as it hands them over sorted.

use std::collections::BTreeSet;

/// Every word Rust reserves, in any edition up to 2024: strict, reserved and edition keywords.
/// None of them is ever emitted as an identifier (`type` becomes `type_`, `Self` becomes
/// `Self_`); `r#type` would work for fields but not for every position (`r#self`, `r#crate` do
/// not exist), and reads worse.
pub(super) const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated modules use or could meet unqualified: the std prelude (2024), the
/// primitive-like names a reader expects, and what the modules import from taskflow_sdk. A
/// generated struct or enum with one of these names would shadow it in its module.
pub(super) const RESERVED_TYPES: &[&str] = &[
    // The std prelude, types, traits and variants.
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Hash",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    "Debug",
    // What the generated modules import.
    "Binary",
    "Date",
    "DateTime",
    "Id",
    "Many2many",
    "Many2one",
    "One2many",
    "Selection",
    "TaskflowModel",
    "Untyped",
    "Value",
];

/// Module names that would make `use` paths ambiguous with a crate of the same name.
const RESERVED_MODULES: &[&str] = &["alloc", "core", "proc_macro", "std", "taskflow_sdk", "test"];

pub(super) fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// The words of a name: ASCII letters and digits, split at anything else and at case changes
/// (`x_Studio_Field` -> `x`, `Studio`, `Field`; `HTTPServer` -> `HTTP`, `Server`; `level2Up` ->
/// `level2`, `Up`). Other characters only separate words: generated names are ASCII, so no
/// `non_ascii_idents` or confusable-script lint can fire on them.
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !word.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                words.push(std::mem::take(&mut word));
            }
        }
        word.push(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// `x_Studio_Field` -> `x_studio_field`, `x_foo-bar` -> `x_foo_bar`. May be empty or start with
/// a digit; the callers fix those.
pub(super) fn snake_case(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// `res.partner.category` -> `ResPartnerCategory`, `very_high` -> `VeryHigh`. May be empty or
/// start with a digit; the callers fix those.
pub(super) fn upper_camel_case(name: &str) -> String {
    let mut out = String::new();
    for word in words(name) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    out
}

/// A snake_case identifier for `name`: converted, `field_`/`model_`-prefixed (`prefix`) when it
/// would start with a digit or be empty, `_`-suffixed when it is a keyword.
fn snake_ident(name: &str, prefix: &str) -> String {
    let mut ident = snake_case(name);
    if ident.is_empty() {
        ident = prefix.to_owned();
    } else if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident = format!("{prefix}_{ident}");
    }
    if is_keyword(&ident) {
        ident.push('_');
    }
    ident
}

/// Whether `#[taskflow(rename = "...")]` accepts `server` (the derive's `attr::is_field_name`):
/// ASCII letters, digits and `_`, not starting with a digit. The server's own fields always are
/// (they are Python attributes); a field that is not cannot be bound, and is left out.
pub(super) fn derive_accepts(server: &str) -> bool {
    !server.is_empty()
        && !server.starts_with(|c: char| c.is_ascii_digit())
        && server
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The Rust field name a server field starts from, before collisions: `type` -> `type_`,
/// `x_Studio_Field` -> `x_studio_field`, `2fa` -> `field_2fa`.
pub(super) fn field_ident(server: &str) -> String {
    snake_ident(server, "field")
}

/// The module a model starts from, before collisions: `crm.lead` -> `crm_lead`, `std` -> `std_`.
pub(super) fn module_ident(model: &str) -> String {
    let mut ident = snake_ident(model, "model");
    if RESERVED_MODULES.contains(&ident.as_str()) {
        ident.push('_');
    }
    ident
}

/// The struct a model starts from, before collisions: `res.partner.category` ->
/// `ResPartnerCategory`; `Model`-prefixed when it would start with a digit, `Model`-suffixed
/// when it would shadow a name the modules use (`option` -> `OptionModel`).
pub(super) fn struct_ident(model: &str) -> String {
    let mut ident = upper_camel_case(model);
    if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert_str(0, "Model");
    }
    if is_keyword(&ident) || RESERVED_TYPES.contains(&ident.as_str()) {
        ident.push_str("Model");
    }
    ident
}

/// The enum of a selection field, from its (valid) Rust field name: `priority` -> `Priority`,
/// `Selection`-suffixed when it would shadow a name in scope (`state` -> `State`, but `value` ->
/// `ValueSelection`, and `crm_lead` in `CrmLead` -> `CrmLeadSelection`).
pub(super) fn enum_ident(field: &str, taken: &BTreeSet<String>) -> String {
    let mut ident = upper_camel_case(field);
    if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert_str(0, "Selection");
    }
    if is_keyword(&ident) || RESERVED_TYPES.contains(&ident.as_str()) || taken.contains(&ident) {
        ident.push_str("Selection");
    }
    unique_camel(ident, taken)
}

/// `base`, or `base2`, `base3`... the first one not in `taken` (UpperCamelCase: no underscore,
/// which `non_camel_case_types` would refuse before a digit).
pub(super) fn unique_camel(base: String, taken: &BTreeSet<String>) -> String {
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|c| !taken.contains(c))
        .expect("an unbounded range has a free name")
}

/// `base`, or `base_2`, `base_3`... the first one `free` accepts (`type_` gives `type_2`, not
/// `type__2`, which `non_snake_case` refuses).
pub(super) fn unique_snake(base: &str, mut free: impl FnMut(&str) -> bool) -> String {
    if free(base) {
        return base.to_owned();
    }
    let stem = base.trim_end_matches('_');
    (2..)
        .map(|n| format!("{stem}_{n}"))
        .find(|c| free(c))
        .expect("an unbounded range has a free name")
}

/// How many `clear_` prefixes a name has: `clear_foo` is named after `foo`'s clear method, so
/// `foo` picks its names first and `clear_foo` gives way.
pub(super) fn clear_depth(name: &str) -> usize {
    let mut depth = 0;
    let mut rest = name;
    while let Some(r) = rest.strip_prefix("clear_") {
        depth += 1;
        rest = r;
    }
    depth
}

/// The variant names of a selection, in the server's order: the key in UpperCamelCase, or the
/// label's when the key gives none (`"0"` -> label `Low` -> `Low`), else `Key0` from the key,
/// else `Variant1` from the position; `2`, `3`... appended while a name is taken.
pub(super) fn variant_idents(entries: &[(String, String)]) -> Vec<String> {
    let valid = |s: &str| !s.is_empty() && !s.starts_with(|c: char| c.is_ascii_digit());
    let mut taken = BTreeSet::new();
    let mut out = Vec::with_capacity(entries.len());
    for (i, (key, label)) in entries.iter().enumerate() {
        let from_key = upper_camel_case(key);
        let from_label = upper_camel_case(label);
        let fallback = if from_key.is_empty() {
            format!("Variant{}", i + 1)
        } else {
            format!("Key{from_key}")
        };
        let fix = |mut ident: String| {
            if is_keyword(&ident) {
                ident.push('_');
            }
            ident
        };
        let candidates = [from_key.clone(), from_label]
            .into_iter()
            .filter(|c| valid(c))
            .map(fix)
            .chain([fallback]);
        let mut chosen = None;
        let mut last = String::new();
        for candidate in candidates {
            if !taken.contains(&candidate) {
                chosen = Some(candidate);
                break;
            }
            last = candidate;
        }
        let ident = chosen.unwrap_or_else(|| unique_camel(last, &taken));
        taken.insert(ident.clone());
        out.push(ident);
    }
    out
}

/// The Rust names of a model's fields, given as `(server name, writable)` sorted by server name,
/// in the same order. Besides `id`, every name is unique, and so is every method of the values
/// builder: a writable `foo` has `foo()` and `clear_foo()`, `raw()` is the builder's own. A
/// writable `raw` is `raw_`. When names collide, `clear_foo` gives way to `foo`, then the field
/// whose server name is the name keeps it, then the one that only took a keyword's `_` (`self`
/// before `Self`); the others take `_2`, `_3`... in server-name order.
pub(super) fn field_idents(fields: &[(&str, bool)]) -> Vec<String> {
    let bases: Vec<String> = fields
        .iter()
        .map(|&(server, writable)| match field_ident(server) {
            base if writable && base == "raw" => "raw_".to_owned(),
            base => base,
        })
        .collect();
    // Closest to its server name first: the name itself, then only a keyword's `_` added.
    let rank = |i: usize| {
        let (base, server) = (&bases[i], fields[i].0);
        match base.strip_suffix('_') {
            _ if base == server => 0,
            Some(stem) if stem == server => 1,
            _ => 2,
        }
    };
    let mut order: Vec<usize> = (0..fields.len()).collect();
    order.sort_by_key(|&i| (clear_depth(&bases[i]), rank(i), fields[i].0));
    let mut idents: BTreeSet<String> = BTreeSet::from(["id".to_owned()]);
    let mut methods: BTreeSet<String> = BTreeSet::from(["raw".to_owned()]);
    let mut out = vec![String::new(); fields.len()];
    for i in order {
        let writable = fields[i].1;
        let ident = unique_snake(&bases[i], |c| {
            !idents.contains(c)
                && (!writable || !(methods.contains(c) || methods.contains(&format!("clear_{c}"))))
        });
        if writable {
            methods.insert(format!("clear_{ident}"));
            methods.insert(ident.clone());
        }
        idents.insert(ident.clone());
        out[i] = ident;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_get_an_underscore() {
        for keyword in [
            "type", "ref", "self", "super", "crate", "async", "gen", "try", "fn",
        ] {
            assert_eq!(field_ident(keyword), format!("{keyword}_"));
        }
        // `Self` is snake_cased first: the field is `self_`.
        assert_eq!(field_ident("Self"), "self_");
        assert_eq!(module_ident("mod"), "mod_");
        assert_eq!(module_ident("std"), "std_");
        assert_eq!(struct_ident("self"), "SelfModel");
        assert_eq!(variant_idents(&[("self".into(), "Me".into())]), ["Self_"]);
    }

    #[test]
    fn every_keyword_is_refused_by_syn_or_reserved_by_an_edition() {
        // syn knows the strict and reserved keywords; `gen` (reserved in 2024) is newer.
        for keyword in KEYWORDS {
            let refused = syn::parse_str::<syn::Ident>(keyword).is_err();
            assert!(refused || *keyword == "gen", "{keyword}");
        }
    }

    #[test]
    fn non_snake_names_are_converted() {
        assert_eq!(field_ident("x_Studio_Field"), "x_studio_field");
        assert_eq!(field_ident("x_foo-bar"), "x_foo_bar");
        assert_eq!(field_ident("xStudioField"), "x_studio_field");
        assert_eq!(field_ident("HTTPServer"), "http_server");
        assert_eq!(field_ident("__last_update"), "last_update");
        assert_eq!(field_ident("a__b"), "a_b");
        assert_eq!(field_ident("x_caf\u{e9}"), "x_caf");
        assert_eq!(field_ident("partner_id"), "partner_id");
    }

    #[test]
    fn the_derive_binds_only_identifier_like_server_names() {
        assert!(derive_accepts("x_Studio_Field"));
        assert!(derive_accepts("__last_update"));
        assert!(!derive_accepts("x_foo-bar"));
        assert!(!derive_accepts("2fa_method"));
        assert!(!derive_accepts(""));
    }

    #[test]
    fn digit_starts_and_empty_names_get_a_prefix() {
        assert_eq!(field_ident("2fa_enabled"), "field_2fa_enabled");
        assert_eq!(field_ident("-"), "field");
        assert_eq!(module_ident("3d.print"), "model_3d_print");
        assert_eq!(struct_ident("3d.print"), "Model3dPrint");
    }

    #[test]
    fn struct_names_are_upper_camel_and_never_shadow_what_modules_use() {
        assert_eq!(struct_ident("res.partner.category"), "ResPartnerCategory");
        assert_eq!(struct_ident("crm.lead"), "CrmLead");
        assert_eq!(struct_ident("x_my_model"), "XMyModel");
        assert_eq!(struct_ident("option"), "OptionModel");
        assert_eq!(struct_ident("id"), "IdModel");
        assert_eq!(struct_ident("many2one"), "Many2oneModel");
    }

    #[test]
    fn collisions_take_the_next_free_suffix() {
        let taken: BTreeSet<String> = ["x_foo".into(), "x_foo_2".into()].into();
        assert_eq!(unique_snake("x_foo", |c| !taken.contains(c)), "x_foo_3");
        assert_eq!(unique_snake("type_", |c| c != "type_"), "type_2");
        let taken: BTreeSet<String> = ["CrmLead".into()].into();
        assert_eq!(unique_camel("CrmLead".into(), &taken), "CrmLead2");
        assert_eq!(clear_depth("clear_clear_x"), 2);
        assert_eq!(clear_depth("x_clear"), 0);
    }

    #[test]
    fn field_collisions_are_resolved_the_same_way_every_time() {
        // Two server names for one Rust name: the exact one keeps it.
        assert_eq!(
            field_idents(&[("x_Foo", true), ("x_foo", true)]),
            ["x_foo_2", "x_foo"]
        );
        // `type_` is already a Rust name; `type` takes the next one.
        assert_eq!(
            field_idents(&[("type", true), ("type_", true)]),
            ["type_2", "type_"]
        );
        // The builder's own `raw`, and `foo`'s `clear_foo`: only writable fields have setters.
        assert_eq!(field_idents(&[("raw", true)]), ["raw_"]);
        assert_eq!(field_idents(&[("raw", false)]), ["raw"]);
        assert_eq!(
            field_idents(&[("clear_foo", true), ("foo", true)]),
            ["clear_foo_2", "foo"]
        );
        assert_eq!(
            field_idents(&[("clear_foo", false), ("foo", true)]),
            ["clear_foo", "foo"]
        );
        assert_eq!(
            field_idents(&[("clear_clear_x", true), ("clear_x", true), ("x", true)]),
            ["clear_clear_x", "clear_x_2", "x"]
        );
        // A keyword's `_` beats a conversion.
        assert_eq!(
            field_idents(&[("Self", true), ("self", true)]),
            ["self_2", "self_"]
        );
        // `id` is the record id's.
        assert_eq!(field_idents(&[("ID", false)]), ["id_2"]);
    }

    #[test]
    fn enum_names_avoid_the_prelude_imports_and_the_struct() {
        let taken: BTreeSet<String> =
            ["CrmLead".into(), "CrmLeadValues".into(), "Priority".into()].into();
        assert_eq!(enum_ident("state", &taken), "State");
        for (field, expected) in [
            ("option", "OptionSelection"),
            ("string", "StringSelection"),
            ("result", "ResultSelection"),
            ("id", "IdSelection"),
            ("many2one", "Many2oneSelection"),
            ("value", "ValueSelection"),
            ("selection", "SelectionSelection"),
            ("self_", "SelfSelection"),
            ("crm_lead", "CrmLeadSelection"),
            ("crm_lead_values", "CrmLeadValuesSelection"),
            ("priority", "PrioritySelection"),
        ] {
            assert_eq!(enum_ident(field, &taken), expected, "{field}");
        }
        let taken: BTreeSet<String> = ["Priority".into(), "PrioritySelection".into()].into();
        assert_eq!(enum_ident("priority", &taken), "PrioritySelection2");
    }

    #[test]
    fn variants_come_from_keys_then_labels_then_a_fallback() {
        let entries = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, l)| (k.to_string(), l.to_string()))
                .collect()
        };
        let priority = entries(&[
            ("0", "Low"),
            ("1", "Medium"),
            ("2", "High"),
            ("3", "Very High"),
        ]);
        assert_eq!(
            variant_idents(&priority),
            ["Low", "Medium", "High", "VeryHigh"]
        );
        let state = entries(&[("draft", "Draft"), ("in_progress", "In Progress")]);
        assert_eq!(variant_idents(&state), ["Draft", "InProgress"]);
        // Labels that give no name, or the same one twice: the key is kept as `Key...`.
        let odd = entries(&[("0", "1st"), ("1", "High"), ("2", "High"), ("", "")]);
        assert_eq!(variant_idents(&odd), ["Key0", "High", "Key2", "Variant4"]);
        // Two keys with the same UpperCamelCase.
        // Two keys with the same UpperCamelCase: the label, else `Key...`, else a number.
        let twins = entries(&[
            ("a_b", "Same"),
            ("a-b", "Same"),
            ("AB", "Same"),
            ("ab", "Same"),
        ]);
        assert_eq!(variant_idents(&twins), ["AB", "Same", "Ab", "KeyAb"]);
        let triplets = entries(&[("a", "A"), ("A", "A"), ("a_", "A")]);
        assert_eq!(variant_idents(&triplets), ["A", "KeyA", "KeyA2"]);
    }
}
