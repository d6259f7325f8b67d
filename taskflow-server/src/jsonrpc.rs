//! The JSON-RPC front end: `POST /jsonrpc` carries `{"jsonrpc": "2.0", "method": "call",
//! "params": {"service", "method", "args"}, "id"}` to the same services as XML-RPC
//! ([`rpc::dispatch`]), and the JSON envelope every `type='json'` route shares (the web client's
//! routes in `web` use it too).
//!
//! As recorded (odoo-17-jsonrpc, "Envelope and transport"): the `id` is echoed (`null` when
//! absent, 113), the envelope's `method` and `jsonrpc` members are ignored (114, 115), unknown
//! `params` members dropped (117); every exception is an `error` with code 200 whose
//! `data.name` is the exception's class (the only place the kind shows); a method returning
//! `None` answers neither `result` nor `error` (093). Bodies that are not JSON, or not an
//! object, are HTTP 400 (120, 121), which the HTTP layer answers.

use taskflow_sdk::xmlrpc::Value;

use crate::fault::Fault;
use crate::json;
use crate::rpc::{self, Shared};

/// A JSON-RPC request: its `id` and its `params` (`Nil` when absent).
#[derive(Debug)]
pub struct Envelope {
    /// Echoed in the answer.
    pub id: Value,
    /// The route's arguments.
    pub params: Value,
}

/// Why a body is refused before any route runs: the text of the HTTP 400 answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// Not JSON (121).
    Json,
    /// JSON, but not an object (120).
    Request,
}

impl Invalid {
    /// The answer's body, as the real server words it.
    pub fn text(self) -> &'static str {
        match self {
            Invalid::Json => "Invalid JSON data",
            Invalid::Request => "Invalid JSON-RPC data",
        }
    }
}

/// Reads the envelope of a JSON request body.
pub fn envelope(body: &[u8]) -> Result<Envelope, Invalid> {
    let Value::Struct(members) = json::parse(body).map_err(|_| Invalid::Json)? else {
        return Err(Invalid::Request);
    };
    let mut envelope = Envelope {
        id: Value::Nil,
        params: Value::Nil,
    };
    for (key, value) in members {
        match key.as_str() {
            "id" => envelope.id = value,
            "params" => envelope.params = value,
            _ => {}
        }
    }
    Ok(envelope)
}

/// The answer body: `result` (omitted for `None`, as Odoo does) or `error`.
pub fn answer(id: &Value, result: &Result<Value, Fault>) -> Vec<u8> {
    let mut members = vec![
        ("jsonrpc".to_owned(), Value::from("2.0")),
        ("id".to_owned(), id.clone()),
    ];
    match result {
        Ok(Value::Nil) => {}
        Ok(value) => members.push(("result".to_owned(), value.clone())),
        Err(fault) => members.push(("error".to_owned(), error(fault))),
    }
    json::to_string(&Value::Struct(members)).into_bytes()
}

/// The answer body of an error whose `error` member is built already (the web client's
/// expired session).
pub fn answer_error(id: &Value, error: Value) -> Vec<u8> {
    json::to_string(&Value::Struct(vec![
        ("jsonrpc".to_owned(), Value::from("2.0")),
        ("id".to_owned(), id.clone()),
        ("error".to_owned(), error),
    ]))
    .into_bytes()
}

/// The `error` member for an exception raised by a route.
pub fn error(fault: &Fault) -> Value {
    server_error(200, "Odoo Server Error", fault.class_name(), fault)
}

/// An `error` member: `code` and `message` (200 `Odoo Server Error` for every exception but a
/// few of the web client's, such as an expired session's 100), and `data` naming the class.
pub fn server_error(code: i64, message: &str, class: String, fault: &Fault) -> Value {
    let text = fault.message();
    Value::Struct(vec![
        ("code".into(), Value::Int(code)),
        ("message".into(), Value::from(message)),
        (
            "data".into(),
            Value::Struct(vec![
                ("name".into(), Value::String(class)),
                ("debug".into(), Value::String(fault.traceback())),
                ("message".into(), Value::String(text.clone())),
                ("arguments".into(), Value::Array(vec![Value::String(text)])),
                ("context".into(), Value::Struct(vec![])),
            ]),
        ),
    ])
}

/// The keyword arguments of a route, from `params`: an object's members; a list goes through
/// `dict(params)` as on the real server (118).
pub fn keyword_arguments(params: Value) -> Result<Vec<(String, Value)>, Fault> {
    match params {
        Value::Nil => Ok(Vec::new()),
        Value::Struct(members) => Ok(members),
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(n, item)| {
                let length = match &item {
                    Value::String(s) => s.chars().count(),
                    Value::Array(pair) => pair.len(),
                    _ => {
                        return Err(Fault::type_error(format!(
                            "cannot convert dictionary update sequence element #{n} to a sequence"
                        )));
                    }
                };
                match item {
                    Value::Array(pair) if length == 2 => {
                        let mut pair = pair.into_iter();
                        let key = pair.next().unwrap_or_default();
                        let value = pair.next().unwrap_or_default();
                        match key {
                            Value::String(key) => Ok((key, value)),
                            _ => Err(Fault::type_error("keywords must be strings")),
                        }
                    }
                    _ => Err(Fault::value(format!(
                        "dictionary update sequence element #{n} has length {length}; 2 is required"
                    ))),
                }
            })
            .collect(),
        other => Err(Fault::type_error(format!(
            "'{}' object is not iterable",
            crate::convert::py_type(&other)
        ))),
    }
}

/// Takes the arguments `names` of the route function `function` from `kwargs`, dropping the
/// others as the real server does (117); a missing one is Python's `TypeError` (116).
pub fn bind(
    function: &str,
    mut kwargs: Vec<(String, Value)>,
    names: &[&str],
    required: usize,
) -> Result<Vec<Option<Value>>, Fault> {
    let values: Vec<Option<Value>> = names
        .iter()
        .map(|name| {
            kwargs
                .iter()
                .position(|(k, _)| k == name)
                .map(|i| kwargs.swap_remove(i).1)
        })
        .collect();
    let missing: Vec<&str> = names[..required]
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| *n)
        .collect();
    if missing.is_empty() {
        Ok(values)
    } else {
        Err(missing_arguments(function, &missing))
    }
}

/// `f() missing 3 required positional arguments: 'a', 'b', and 'c'`, Python's wording.
fn missing_arguments(function: &str, missing: &[&str]) -> Fault {
    let quoted: Vec<String> = missing.iter().map(|n| format!("'{n}'")).collect();
    let list = match quoted.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
        [] => String::new(),
    };
    let plural = if missing.len() == 1 { "" } else { "s" };
    Fault::type_error(format!(
        "{function}() missing {} required positional argument{plural}: {list}",
        missing.len()
    ))
}

/// Serves `/jsonrpc` once the envelope is read: `params` names a service, a method and its
/// positional arguments, dispatched exactly as XML-RPC's.
pub fn serve(shared: &Shared, params: Value) -> Result<Value, Fault> {
    let kwargs = keyword_arguments(params)?;
    let mut values = bind("RPC.jsonrpc", kwargs, &["service", "method", "args"], 3)?
        .into_iter()
        .map(Option::unwrap_or_default);
    let (service, method, args) = (
        values.next().unwrap_or_default(),
        values.next().unwrap_or_default(),
        values.next().unwrap_or_default(),
    );
    let (Value::String(service), Value::String(method)) = (service, method) else {
        return Err(Fault::type_error("service and method must be strings"));
    };
    let args = match args {
        Value::Array(args) => args,
        Value::Nil => Vec::new(),
        other => {
            return Err(Fault::type_error(format!(
                "argument after * must be an iterable, not {}",
                crate::convert::py_type(&other)
            )));
        }
    };
    rpc::dispatch(shared, &service, &method, &args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_takes_id_and_params_only() {
        let e = envelope(br#"{"method": "anything", "params": {"a": 1}, "id": "x"}"#)
            .expect("an object");
        assert_eq!(e.id, Value::from("x"));
        assert_eq!(e.params, Value::Struct(vec![("a".into(), Value::Int(1))]));
        assert_eq!(envelope(b"[1]").unwrap_err(), Invalid::Request);
        assert_eq!(envelope(b"{").unwrap_err(), Invalid::Json);
    }

    #[test]
    fn none_answers_neither_result_nor_error() {
        let body = answer(&Value::Int(93), &Ok(Value::Nil));
        assert_eq!(body, br#"{"jsonrpc": "2.0", "id": 93}"#);
    }

    #[test]
    fn errors_name_the_exception_class() {
        let body = answer(&Value::Int(1), &Err(Fault::AccessDenied));
        let text = String::from_utf8(body).expect("UTF-8");
        assert!(text.starts_with(
            r#"{"jsonrpc": "2.0", "id": 1, "error": {"code": 200, "message": "Odoo Server Error", "data": {"name": "odoo.exceptions.AccessDenied", "debug": "Traceback"#
        ));
        assert!(text.ends_with(
            r#""message": "Access Denied", "arguments": ["Access Denied"], "context": {}}}}"#
        ));
    }

    #[test]
    fn params_bind_like_python_keywords() {
        let missing = serve_params(r#"{"service": "common", "method": "version"}"#);
        assert_eq!(
            missing.message(),
            "RPC.jsonrpc() missing 1 required positional argument: 'args'"
        );
        let none = serve_params("{}");
        assert_eq!(
            none.message(),
            "RPC.jsonrpc() missing 3 required positional arguments: 'service', 'method', and 'args'"
        );
        let list = serve_params(r#"["common", "version", []]"#);
        assert_eq!(
            list,
            Fault::value("dictionary update sequence element #0 has length 6; 2 is required")
        );
    }

    fn serve_params(params: &str) -> Fault {
        let params = json::parse(params.as_bytes()).expect("JSON");
        let kwargs = keyword_arguments(params);
        kwargs
            .and_then(|k| bind("RPC.jsonrpc", k, &["service", "method", "args"], 3))
            .expect_err("refused")
    }
}
