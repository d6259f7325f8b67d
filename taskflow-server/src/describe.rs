//! `fields_get` and `default_get`: what clients learn about a model before using it.
//!
//! With an `attributes` filter, `fields_get` answers exactly those attributes (sorted, as the
//! real server's dicts are); without one, the full set the real server reports (transcript 016),
//! synthesized from the field's type.

use std::collections::HashSet;

use taskflow_sdk::xmlrpc::Value;

use crate::env::Env;
use crate::fault::Fault;
use crate::schema::{Field, FieldType, Model};

const DEFAULT_ATTRIBUTES: &[&str] = &[
    "change_default",
    "company_dependent",
    "context",
    "default_export_compatible",
    "depends",
    "domain",
    "exportable",
    "group_operator",
    "manual",
    "name",
    "readonly",
    "relation",
    "relation_field",
    "required",
    "searchable",
    "selection",
    "sortable",
    "store",
    "string",
    "translate",
    "trim",
    "type",
];

/// One attribute of a field as `fields_get` reports it, or `None` where the field has none.
fn attribute(model: &Model, field: &Field, name: &str) -> Option<Value> {
    let text = matches!(
        field.ftype,
        FieldType::Char | FieldType::Text | FieldType::Html
    );
    Some(match name {
        "change_default" | "company_dependent" | "default_export_compatible" | "manual" => {
            Value::Bool(false)
        }
        "context" | "domain" if field.ftype.is_relational() => {
            if name == "context" {
                Value::Struct(vec![])
            } else {
                Value::Array(vec![])
            }
        }
        "depends" => Value::Array(if field.name == "display_name" {
            vec![Value::String(model.rec_name.clone())]
        } else {
            vec![]
        }),
        "exportable" => Value::Bool(true),
        "group_operator"
            if field.ftype.is_numeric()
                && field.stored
                && field.name != "id"
                && field.name != "sequence" =>
        {
            Value::from("sum")
        }
        "name" => Value::String(field.name.clone()),
        "readonly" => Value::Bool(field.readonly),
        "relation" => Value::String(field.relation.clone()?),
        "relation_field" if field.ftype == FieldType::One2many => {
            Value::String(field.inverse.clone()?)
        }
        "required" => Value::Bool(field.required),
        "searchable" | "sortable" | "store" => {
            Value::Bool(field.stored || (name == "searchable" && field.ftype.is_x2many()))
        }
        "selection" => Value::Array(
            field
                .selection
                .as_ref()?
                .iter()
                .map(|(k, label)| Value::Array(vec![k.clone(), Value::String(label.clone())]))
                .collect(),
        ),
        "string" => Value::String(field.string.clone()),
        "translate" if text => Value::Bool(field.translate),
        "trim" if field.ftype == FieldType::Char => Value::Bool(true),
        "type" => Value::String(field.type_name.clone()),
        _ => return None,
    })
}

pub fn fields_get(
    model: &Model,
    allfields: Option<&Value>,
    attributes: Option<&Value>,
) -> Result<Value, Fault> {
    let wanted: Option<HashSet<&str>> = match allfields {
        Some(Value::Array(items)) if !items.is_empty() => {
            Some(items.iter().filter_map(Value::as_str).collect())
        }
        _ => None,
    };
    let attrs: Vec<&str> = match attributes {
        Some(Value::Array(items)) if !items.is_empty() => {
            let mut a: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            a.sort_unstable();
            a.dedup();
            a
        }
        _ => DEFAULT_ATTRIBUTES.to_vec(),
    };
    let out = model
        .fields
        .iter()
        .filter(|f| wanted.as_ref().is_none_or(|w| w.contains(f.name.as_str())))
        .map(|f| {
            if let Some(verbatim) = &f.verbatim {
                return (f.name.clone(), Value::Struct(verbatim.clone()));
            }
            let members = attrs
                .iter()
                .filter_map(|a| attribute(model, f, a).map(|v| ((*a).to_owned(), v)))
                .collect();
            (f.name.clone(), Value::Struct(members))
        })
        .collect();
    Ok(Value::Struct(out))
}

pub fn default_get(env: &Env, model: &Model, fields: Option<&Value>) -> Result<Value, Fault> {
    let names: Vec<&str> = match fields {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let mut out = Vec::new();
    for name in names.into_iter().filter(|n| model.field(n).is_some()) {
        if let Some((_, default)) = model.defaults.iter().find(|(n, _)| n == name) {
            out.push((name.to_owned(), env.resolve(default)));
        }
    }
    Ok(Value::Struct(out))
}
