//! Conversion between wire values and stored values, field type by field type.
//!
//! Writes accept what the real server accepts (`false` and `<nil/>` clear a field, an int fits a
//! float, a datetime string fits a date) and refuse the rest with the same exception types
//! (`could not convert string to float`, `Wrong value for crm.lead.priority`, a
//! `<dateTime.iso8601>` is `not subscriptable`); Html values are sanitized (`html`). Reads render the stored form as the real server
//! does: `false` for empty, `[id, name]` for a many2one, `0`/`0.0` for empty numbers.

use taskflow_sdk::xmlrpc::Value;

use crate::clock;
use crate::domain::py_value;
use crate::fault::{Fault, py_repr};
use crate::html;
use crate::schema::{Field, FieldType, Model};
use crate::store::Database;

/// Converts a written value of a non-x2many field to its stored form (`None` clears).
pub fn to_stored(
    db: &Database,
    model: &Model,
    field: &Field,
    value: &Value,
) -> Result<Option<Value>, Fault> {
    if matches!(value, Value::Nil) {
        return Ok(None);
    }
    if let Value::DateTime(_) = value {
        if matches!(field.ftype, FieldType::Date | FieldType::Datetime) {
            return Err(Fault::type_error("'DateTime' object is not subscriptable"));
        }
    }
    match field.ftype {
        FieldType::Boolean => Ok(Some(Value::Bool(truthy(value)))),
        _ if matches!(value, Value::Bool(false)) => Ok(None),
        FieldType::Char | FieldType::Text | FieldType::Html => {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Int(i) => i.to_string(),
                Value::Double(d) => format!("{d:?}"),
                Value::Bool(true) => "True".to_owned(),
                other => {
                    return Err(Fault::type_error(format!(
                        "expected string or bytes-like object, got {}",
                        py_type(other)
                    )));
                }
            };
            Ok(Some(Value::String(if field.ftype == FieldType::Html {
                html::sanitize(&text)
            } else {
                text
            })))
        }
        FieldType::Integer => match value {
            Value::Int(i) => Ok(Some(Value::Int(*i))),
            Value::Double(d) => Ok(Some(Value::Int(d.trunc() as i64))),
            Value::Bool(true) => Ok(Some(Value::Int(1))),
            Value::String(s) => s.trim().parse().map(|i| Some(Value::Int(i))).map_err(|_| {
                Fault::value(format!(
                    "invalid literal for int() with base 10: {}",
                    py_repr(s)
                ))
            }),
            other => Err(Fault::type_error(format!(
                "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                py_type(other)
            ))),
        },
        FieldType::Float | FieldType::Monetary => match value {
            Value::Int(i) => Ok(Some(Value::Double(*i as f64))),
            Value::Double(d) => Ok(Some(Value::Double(*d))),
            Value::Bool(true) => Ok(Some(Value::Double(1.0))),
            Value::String(s) => s
                .trim()
                .parse()
                .map(|d| Some(Value::Double(d)))
                .map_err(|_| {
                    Fault::value(format!("could not convert string to float: {}", py_repr(s)))
                }),
            other => Err(Fault::type_error(format!(
                "float() argument must be a string or a real number, not '{}'",
                py_type(other)
            ))),
        },
        FieldType::Selection => {
            let allowed = field
                .selection
                .as_ref()
                .is_none_or(|sel| sel.iter().any(|(k, _)| k == value));
            if allowed {
                Ok(Some(value.clone()))
            } else {
                Err(Fault::value(format!(
                    "Wrong value for {}.{}: {}",
                    model.name,
                    field.name,
                    py_value(value)
                )))
            }
        }
        FieldType::Date => match value {
            Value::String(s) => clock::normalize_date(s)
                .map(|d| Some(Value::String(d)))
                .ok_or_else(|| {
                    Fault::value(format!(
                        "time data {} does not match format '%Y-%m-%d'",
                        py_repr(s)
                    ))
                }),
            other => Err(Fault::type_error(format!(
                "'{}' object is not subscriptable",
                py_type(other)
            ))),
        },
        FieldType::Datetime => match value {
            // `strptime(value, '%Y-%m-%d %H:%M:%S')`: no ISO `T` or zone suffix (odoo-17-jsonrpc
            // 102), unlike a Date field, which reads only the first 10 characters (101).
            Value::String(s) => Some(s)
                .filter(|s| s.len() == 10 || (s.len() == 19 && s.as_bytes()[10] == b' '))
                .and_then(|s| clock::normalize_datetime(s))
                .map(|d| Some(Value::String(d)))
                .ok_or_else(|| {
                    Fault::value(format!(
                        "time data {} does not match format '%Y-%m-%d %H:%M:%S'",
                        py_repr(s)
                    ))
                }),
            other => Err(Fault::type_error(format!(
                "'{}' object is not subscriptable",
                py_type(other)
            ))),
        },
        FieldType::Binary => match value {
            Value::String(s) => Ok(Some(Value::String(s.clone()))),
            Value::Base64(bytes) => Ok(Some(Value::String(base64_encode(bytes)))),
            other => Err(Fault::type_error(format!(
                "a bytes-like object is required, not '{}'",
                py_type(other)
            ))),
        },
        FieldType::Many2one => {
            let id = match value {
                Value::Int(i) => *i,
                // A [id, name] pair, as read returns it, is accepted like the real server does.
                Value::Array(pair) if pair.first().and_then(Value::as_i64).is_some() => {
                    pair[0].as_i64().unwrap_or_default()
                }
                other => {
                    return Err(Fault::value(format!(
                        "Wrong value for {}.{}: {}",
                        model.name,
                        field.name,
                        py_value(other)
                    )));
                }
            };
            let relation = field.relation.as_deref().unwrap_or_default();
            // Only models that exist here are checked; links into absent modules are kept.
            if db.table(relation).is_some() && !db.exists(relation, id) {
                return Err(foreign_key(model, field));
            }
            Ok(Some(Value::Int(id)))
        }
        FieldType::Many2oneReference => match value {
            Value::Int(i) => Ok(Some(Value::Int(*i))),
            other => Err(Fault::type_error(format!(
                "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                py_type(other)
            ))),
        },
        FieldType::Json | FieldType::Properties | FieldType::Other => Ok(Some(value.clone())),
        FieldType::One2many | FieldType::Many2many => Ok(None),
    }
}

/// Like [`to_stored`], taking the value: strings and numbers that need no conversion are moved,
/// not copied (`load` converts millions of cells).
pub fn to_stored_owned(
    db: &Database,
    model: &Model,
    field: &Field,
    value: Value,
) -> Result<Option<Value>, Fault> {
    match (field.ftype, value) {
        (FieldType::Char | FieldType::Text | FieldType::Binary, Value::String(s)) => {
            Ok(Some(Value::String(s)))
        }
        (FieldType::Html, Value::String(s)) => Ok(Some(Value::String(html::sanitize(&s)))),
        (FieldType::Float | FieldType::Monetary, Value::Double(d)) => Ok(Some(Value::Double(d))),
        (FieldType::Integer, Value::Int(i)) => Ok(Some(Value::Int(i))),
        (_, value) => to_stored(db, model, field, &value),
    }
}

/// The `ValidationError` a foreign-key violation becomes (transcript 077).
pub fn foreign_key(model: &Model, field: &Field) -> Fault {
    Fault::Validation(format!(
        "The operation cannot be completed: another model requires the record being deleted. \
         If possible, archive it instead.\n\nModel: {} ({})\nConstraint: {}_{}_fkey\n",
        model.description,
        model.name,
        model.name.replace('.', "_"),
        field.name
    ))
}

/// The `ValidationError` a NOT NULL violation becomes (transcript 075).
pub fn not_null(model: &Model, field: &Field) -> Fault {
    Fault::Validation(format!(
        "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n\
         - Delete: another model requires the record being deleted. If possible, archive it \
         instead.\n\nModel: {} ({})\nField: {} ({})\n",
        model.description, model.name, field.string, field.name
    ))
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Double(d) => *d != 0.0,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Struct(m) => !m.is_empty(),
        Value::Nil => false,
        Value::DateTime(_) | Value::Base64(_) => true,
    }
}

/// Python's type name of a value, for messages.
pub fn py_type(v: &Value) -> &'static str {
    match v {
        Value::Int(_) => "int",
        Value::Bool(_) => "bool",
        Value::String(_) => "str",
        Value::Double(_) => "float",
        Value::DateTime(_) => "DateTime",
        Value::Base64(_) => "Binary",
        Value::Struct(_) => "dict",
        Value::Array(_) => "list",
        Value::Nil => "NoneType",
    }
}

fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Renders a stored value (or a computed one) for `read`.
pub fn to_read(db: &Database, field: &Field, stored: Option<Value>) -> Value {
    match (field.ftype, stored) {
        (FieldType::Many2one, Some(Value::Int(id))) => {
            let relation = field.relation.as_deref().unwrap_or_default();
            match db.display_name(relation, id) {
                Some(name) => Value::Array(vec![Value::Int(id), Value::String(name)]),
                // A deleted target, or a model that does not exist here: nothing to show.
                None => Value::Bool(false),
            }
        }
        (FieldType::One2many | FieldType::Many2many, None) => Value::Array(vec![]),
        (FieldType::Properties, None) => Value::Array(vec![]),
        (FieldType::Integer | FieldType::Many2oneReference, None) => Value::Int(0),
        (FieldType::Float | FieldType::Monetary, None) => Value::Double(0.0),
        (FieldType::Boolean, None) => Value::Bool(false),
        (_, Some(v)) => v,
        (_, None) => Value::Bool(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64_encode(b""), "");
        assert_eq!(base64_encode(b"f"), "Zg==");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_encode(b"foo"), "Zm9v");
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
    }
}
