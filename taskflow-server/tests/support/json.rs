//! JSON-RPC answers compared by shape, with the XML-RPC replay's rules (`shape.rs`).
//!
//! Bodies are parsed into the codec's `Value`, keeping object members in document order, so a
//! result is compared exactly as an XML-RPC one: the same types at every node (`null` is its own
//! type, and `15000.0` a double where `15000` is an int), the same members in the same order,
//! the same array lengths where the request determines them; values are data.
//!
//! The envelope: the same members in the same order (`jsonrpc`, `id`, then `result` or `error`,
//! or neither for a method returning `None`), `jsonrpc` "2.0", the `id` echoed as sent. An
//! error: the same `code` and `message`, `data` with the same members in order, the same
//! exception class in `data.name`, the same message family (`shape::message_family`), a
//! `debug` traceback ending with the same exception type, `arguments` as many strings,
//! `context` an object.

use std::fmt::{self, Write as _};

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use taskflow_sdk::xmlrpc::Value;

use super::shape::{self, Lengths, Mismatch};

/// Parses JSON into a `Value`, members in document order.
pub fn parse(text: &[u8]) -> Result<Value, serde_json::Error> {
    serde_json::from_slice::<Parsed>(text).map(|p| p.0)
}

struct Parsed(Value);

impl<'de> Deserialize<'de> for Parsed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ParsedVisitor).map(Parsed)
    }
}

struct ParsedVisitor;

impl<'de> Visitor<'de> for ParsedVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Double(v as f64), Value::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Double(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Nil)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Parsed(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Vec::new();
        while let Some((key, Parsed(value))) = map.next_entry::<String, Parsed>()? {
            members.push((key, value));
        }
        Ok(Value::Struct(members))
    }
}

/// Writes a `Value` as JSON (for rewritten requests).
pub fn to_json(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Double(d) => {
            let _ = write!(out, "{d:?}");
        }
        Value::String(s) | Value::DateTime(s) => {
            out.push_str(&serde_json::to_string(s).expect("a string serializes"))
        }
        Value::Base64(_) => panic!("no base64 in JSON"),
        Value::Array(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Struct(members) => {
            out.push('{');
            for (n, (key, item)) in members.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                out.push_str(&serde_json::to_string(key).expect("a string serializes"));
                out.push_str(": ");
                write(item, out);
            }
            out.push('}');
        }
    }
}

fn mismatch(path: &str, reason: impl Into<String>) -> Mismatch {
    Mismatch {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

fn names(members: &[(String, Value)]) -> Vec<&str> {
    members.iter().map(|(k, _)| k.as_str()).collect()
}

/// Compares a JSON-RPC answer with the recorded one.
pub fn compare(expected: &Value, actual: &Value, lengths: Lengths) -> Result<(), Mismatch> {
    let (Value::Struct(e), Value::Struct(a)) = (expected, actual) else {
        return Err(mismatch("envelope", "an object expected"));
    };
    if names(e) != names(a) {
        return Err(mismatch(
            "envelope",
            format!("members {:?} expected, got {:?}", names(e), names(a)),
        ));
    }
    for ((key, ev), (_, av)) in e.iter().zip(a) {
        match key.as_str() {
            "jsonrpc" | "id" if ev != av => {
                return Err(mismatch(key, format!("{ev:?} expected, got {av:?}")));
            }
            "result" => shape::compare(ev, av, lengths)?,
            "error" => compare_errors(ev, av)?,
            _ => {}
        }
    }
    Ok(())
}

fn compare_errors(expected: &Value, actual: &Value) -> Result<(), Mismatch> {
    for key in ["code", "message"] {
        if expected.get(key) != actual.get(key) {
            return Err(mismatch(
                &format!("error.{key}"),
                format!(
                    "{:?} expected, got {:?}",
                    expected.get(key),
                    actual.get(key)
                ),
            ));
        }
    }
    let (Some(Value::Struct(e)), Some(Value::Struct(a))) =
        (expected.get("data"), actual.get("data"))
    else {
        return Err(mismatch("error.data", "an object expected"));
    };
    if names(e) != names(a) {
        return Err(mismatch(
            "error.data",
            format!("members {:?} expected, got {:?}", names(e), names(a)),
        ));
    }
    let (e, a) = (&Value::Struct(e.clone()), &Value::Struct(a.clone()));
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).unwrap_or("").to_owned();
    if text(e, "name") != text(a, "name") {
        return Err(mismatch(
            "error.data.name",
            format!("{} expected, got {}", text(e, "name"), text(a, "name")),
        ));
    }
    let (em, am) = (text(e, "message"), text(a, "message"));
    if shape::message_family(&em) != shape::message_family(&am) {
        return Err(mismatch(
            "error.data.message",
            format!(
                "a {:?} message expected, got {am:?}",
                shape::message_family(&em)
            ),
        ));
    }
    // The exception's line follows the last frame (its message may span lines).
    let last_type = |debug: &str| {
        let lines: Vec<&str> = debug.lines().collect();
        let frame = lines.iter().rposition(|l| l.starts_with("  File "))?;
        lines
            .get(frame + 1)
            .and_then(|l| l.split_once(':'))
            .map(|(t, _)| t.to_owned())
    };
    let (ed, ad) = (text(e, "debug"), text(a, "debug"));
    if !ad.starts_with("Traceback (most recent call last):\n") || last_type(&ed) != last_type(&ad) {
        return Err(mismatch(
            "error.data.debug",
            format!("a traceback ending in {:?} expected", last_type(&ed)),
        ));
    }
    match (e.get("arguments"), a.get("arguments")) {
        (Some(Value::Array(ea)), Some(Value::Array(aa)))
            if ea.len() == aa.len() && aa.iter().all(|v| v.as_str().is_some()) => {}
        _ => return Err(mismatch("error.data.arguments", "as many strings expected")),
    }
    if !matches!(a.get("context"), Some(Value::Struct(_))) {
        return Err(mismatch("error.data.context", "an object expected"));
    }
    Ok(())
}

/// Compares a JSON-2 error object (odoo-19-json2: `{name, message, arguments, context,
/// debug}`) with the recorded one: the same members in order, the same class in `name`, the
/// same message family, `arguments` of the same length and types (werkzeug's carry the HTTP
/// code), `context` an object, and a `debug` traceback whose exception line names the same
/// type. Tracebacks themselves (frames, source lines) are data.
pub fn compare_json2_error(expected: &Value, actual: &Value) -> Result<(), Mismatch> {
    let (Value::Struct(e), Value::Struct(a)) = (expected, actual) else {
        return Err(mismatch("$", "an error object expected"));
    };
    if names(e) != names(a) {
        return Err(mismatch(
            "$",
            format!("members {:?} expected, got {:?}", names(e), names(a)),
        ));
    }
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).unwrap_or("").to_owned();
    if text(expected, "name") != text(actual, "name") {
        return Err(mismatch(
            "$.name",
            format!(
                "{} expected, got {}",
                text(expected, "name"),
                text(actual, "name")
            ),
        ));
    }
    let (em, am) = (text(expected, "message"), text(actual, "message"));
    if shape::message_family(&em) != shape::message_family(&am) {
        return Err(mismatch(
            "$.message",
            format!(
                "a {:?} message expected, got {am:?}",
                shape::message_family(&em)
            ),
        ));
    }
    match (expected.get("arguments"), actual.get("arguments")) {
        (Some(Value::Array(ea)), Some(Value::Array(aa)))
            if ea.len() == aa.len()
                && ea
                    .iter()
                    .zip(aa)
                    .all(|(e, a)| e.type_name() == a.type_name()) => {}
        _ => {
            return Err(mismatch(
                "$.arguments",
                "as many arguments of the same types expected",
            ));
        }
    }
    // The HTTP code werkzeug's errors carry is the status: compared as a value.
    if let (Some(Value::Array(ea)), Some(Value::Array(aa))) =
        (expected.get("arguments"), actual.get("arguments"))
    {
        if ea.get(1).is_some() && ea.get(1) != aa.get(1) {
            return Err(mismatch("$.arguments[1]", "the same HTTP code expected"));
        }
    }
    if !matches!(actual.get("context"), Some(Value::Struct(_))) {
        return Err(mismatch("$.context", "an object expected"));
    }
    let (ed, ad) = (text(expected, "debug"), text(actual, "debug"));
    if !ad.starts_with("Traceback (most recent call last):\n")
        || exception_type(&ed) != exception_type(&ad)
    {
        return Err(mismatch(
            "$.debug",
            format!("a traceback ending in {:?} expected", exception_type(&ed)),
        ));
    }
    Ok(())
}

/// The type on a traceback's exception line: the first line after the last frame that is not
/// indented (Python 3.11 prints each frame's source line and carets indented).
pub fn exception_type(debug: &str) -> Option<String> {
    let lines: Vec<&str> = debug.lines().collect();
    let frame = lines.iter().rposition(|l| l.starts_with("  File "))?;
    lines[frame + 1..]
        .iter()
        .find(|l| !l.starts_with(' ') && !l.is_empty())
        .and_then(|l| l.split_once(':'))
        .map(|(t, _)| t.to_owned())
}
