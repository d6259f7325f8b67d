//! JSON text to and from the server's [`Value`], for the JSON front ends.
//!
//! Parsing keeps object members in document order (a `Value::Struct` is a list, and `create`
//! values or a context are read in the order sent). Writing follows how Odoo serialises its
//! answers, `json.dumps(obj, ensure_ascii=False)` (odoo-17-jsonrpc, "Envelope and transport"):
//! `", "` and `": "` separators, non-ASCII as raw UTF-8, only `"`, `\` and control characters
//! escaped, floats as Python's `repr` (`15000.0`, `1e-05`).

use std::fmt::{self, Write as _};

use base64::Engine as _;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use taskflow_sdk::xmlrpc::Value;

/// Why a body is not JSON.
pub type ParseError = serde_json::Error;

/// Parses JSON text into a [`Value`]: `null` is `Nil`, integers `Int` (above `i64` a `Double`),
/// other numbers `Double`, objects `Struct` in document order.
pub fn parse(text: &[u8]) -> Result<Value, ParseError> {
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

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Nil)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Nil)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(Parsed(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members: Vec<(String, Value)> = Vec::new();
        while let Some((key, Parsed(value))) = map.next_entry::<String, Parsed>()? {
            // A repeated key keeps its last value, in its first place, as a Python dict does.
            match members.iter_mut().find(|(k, _)| *k == key) {
                Some(member) => member.1 = value,
                None => members.push((key, value)),
            }
        }
        Ok(Value::Struct(members))
    }
}

/// Writes `value` as `json.dumps(value, ensure_ascii=False)` would.
pub fn write(value: &Value, out: &mut String) {
    match value {
        Value::Nil => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Double(d) => write_float(*d, out),
        Value::String(s) | Value::DateTime(s) => write_str(s, out),
        Value::Base64(bytes) => write_str(
            &base64::engine::general_purpose::STANDARD.encode(bytes),
            out,
        ),
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
                write_str(key, out);
                out.push_str(": ");
                write(item, out);
            }
            out.push('}');
        }
    }
}

/// `value` as JSON text.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

/// A JSON string literal, escaping as Python's `json` does without `ensure_ascii`.
pub fn write_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A float as Python's `float.__repr__`: always a fraction or an exponent, exponents signed
/// and of two digits at least (`1e+16`, `1e-05`); non-finite values as Python's `json` writes
/// them (`NaN`, `Infinity`).
fn write_float(d: f64, out: &mut String) {
    if d.is_nan() {
        out.push_str("NaN");
        return;
    }
    if d.is_infinite() {
        out.push_str(if d > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    let abs = d.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        // Rust's `{:e}` is the shortest round-trip digits, like `repr`: only the exponent's
        // spelling differs.
        let text = format!("{d:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let (sign, digits) = match exponent.strip_prefix('-') {
            Some(digits) => ('-', digits),
            None => ('+', exponent),
        };
        let _ = write!(out, "{mantissa}e{sign}{digits:0>2}");
    } else {
        let _ = write!(out, "{d:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_like_python_json_dumps() {
        let value = Value::Struct(vec![
            ("id".into(), Value::Int(66)),
            (
                "name".into(),
                Value::from("Zoë Ünïcødé 日本 <&> \"q\" \\ \t"),
            ),
            (
                "tags".into(),
                Value::Array(vec![Value::Int(1), Value::Bool(false)]),
            ),
            ("none".into(), Value::Nil),
        ]);
        assert_eq!(
            to_string(&value),
            r#"{"id": 66, "name": "Zoë Ünïcødé 日本 <&> \"q\" \\ \t", "tags": [1, false], "none": null}"#
        );
    }

    #[test]
    fn floats_read_as_python_repr() {
        for (d, text) in [
            (15000.0, "15000.0"),
            (95.28, "95.28"),
            (0.0, "0.0"),
            (-2.5, "-2.5"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (1e300, "1e+300"),
        ] {
            assert_eq!(to_string(&Value::Double(d)), text);
        }
    }

    #[test]
    fn parses_in_document_order() {
        let value =
            parse(br#"{"b": 1, "a": [null, 2.5, "x\u00eb", true], "big": 18446744073709551615}"#)
                .expect("valid JSON");
        assert_eq!(
            value,
            Value::Struct(vec![
                ("b".into(), Value::Int(1)),
                (
                    "a".into(),
                    Value::Array(vec![
                        Value::Nil,
                        Value::Double(2.5),
                        Value::from("xë"),
                        Value::Bool(true)
                    ])
                ),
                ("big".into(), Value::Double(18446744073709551615.0)),
            ])
        );
        assert!(parse(b"{\"a\": ").is_err());
    }
}
