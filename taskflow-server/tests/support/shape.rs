//! A recursive comparator of XML-RPC answers by shape, for replaying recorded transcripts.
//!
//! Two answers have the same shape when, at every node, the value types agree (`int`, `double`,
//! `boolean`, `string`, `struct`, `array`), structs have the same member names in the same order,
//! and arrays have the same length wherever the request determines it. Values themselves are
//! data and may differ (ids, timestamps, counts).
//!
//! Which array lengths are determined by the request:
//! - tuples (arrays whose elements have different types): a many2one `[id, name]`,
//!   `server_version_info`, a domain leaf, `__domain`: always;
//! - the top-level result of `read`, `name_get`, `create` (a list), `name_create`: the ids asked
//!   for; the `ids` and `messages` of a `load` answer: one per row, one per bad row;
//! - everything else (search results, x2many id lists, selection lists, `read_group` groups) is
//!   data: lengths may differ, and the elements both sides have are compared pairwise.
//!
//! Faults have the same shape when their codes have the same kind (int vs string) and value for
//! int codes, and the same "fault kind": the exception type on the traceback's last line for
//! code 1, the message family for codes 2 and 4 (missing record, unknown model, constraint, user
//! error; access error, private method), the `warning -- X` family for legacy string codes.

use taskflow_sdk::xmlrpc::{FaultCode, RawFault, Value};

/// Which top-level arrays have request-determined lengths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lengths {
    /// The whole answer's top-level array length is fixed by the request (`read`, ...).
    TopFixed,
    /// A `load` answer: `ids` and `messages` are fixed.
    Load,
    /// Only tuples are fixed.
    Data,
}

impl Lengths {
    /// The policy for an `execute_kw` method (or a common/db method).
    pub fn for_method(method: &str) -> Lengths {
        match method {
            "read" | "name_get" | "create" | "name_create" => Lengths::TopFixed,
            "load" => Lengths::Load,
            _ => Lengths::Data,
        }
    }
}

/// Where and why two answers differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub path: String,
    pub reason: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at {}: {}", self.path, self.reason)
    }
}

fn mismatch(path: &str, reason: impl Into<String>) -> Mismatch {
    Mismatch {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

fn is_tuple(items: &[Value]) -> bool {
    items
        .windows(2)
        .any(|w| w[0].type_name() != w[1].type_name())
}

/// Compares a successful answer with the recorded one.
pub fn compare(expected: &Value, actual: &Value, lengths: Lengths) -> Result<(), Mismatch> {
    node(expected, actual, "$", lengths)
}

fn node(expected: &Value, actual: &Value, path: &str, lengths: Lengths) -> Result<(), Mismatch> {
    if expected.type_name() != actual.type_name() {
        return Err(mismatch(
            path,
            format!(
                "expected a {}, got a {}",
                expected.type_name(),
                actual.type_name()
            ),
        ));
    }
    match (expected, actual) {
        (Value::Struct(e), Value::Struct(a)) => {
            let en: Vec<&str> = e.iter().map(|(k, _)| k.as_str()).collect();
            let an: Vec<&str> = a.iter().map(|(k, _)| k.as_str()).collect();
            if en != an {
                return Err(mismatch(
                    path,
                    format!("members {en:?} expected, got {an:?}"),
                ));
            }
            for ((k, ev), (_, av)) in e.iter().zip(a) {
                node(ev, av, &format!("{path}.{k}"), lengths)?;
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            let fixed = is_tuple(e)
                || (path == "$" && lengths == Lengths::TopFixed)
                || (lengths == Lengths::Load && (path == "$.ids" || path == "$.messages"));
            if fixed && e.len() != a.len() {
                return Err(mismatch(
                    path,
                    format!("{} elements expected, got {}", e.len(), a.len()),
                ));
            }
            for (n, (ev, av)) in e.iter().zip(a).enumerate() {
                node(ev, av, &format!("{path}[{n}]"), lengths)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The kind of a fault, as clients can tell it apart.
pub fn fault_kind(fault: &RawFault) -> String {
    let last_line_type = |s: &str| {
        s.trim_end()
            .lines()
            .last()
            .and_then(|l| l.split_once(':'))
            .map(|(t, _)| t.to_owned())
            .unwrap_or_default()
    };
    let family = message_family;
    match &fault.code {
        FaultCode::Int(1) => format!("1 {}", last_line_type(&fault.string)),
        FaultCode::Int(code) => format!("{code} {}", family(&fault.string)),
        FaultCode::String(code) => match code.strip_prefix("warning -- ") {
            Some(rest) => {
                let (class, message) = rest.split_once("\n\n").unwrap_or((rest, ""));
                format!("legacy {class} {}", family(message))
            }
            None if code == "AccessDenied" => "legacy AccessDenied".to_owned(),
            None => format!("legacy exception {}", last_line_type(&fault.string)),
        },
    }
}

/// The family of an Odoo exception's message, which tells faults of one code apart (missing
/// record, unknown model, constraint, access, private method, access denied, other user error).
pub fn message_family(m: &str) -> &'static str {
    if m.starts_with("Record does not exist") {
        "missing"
    } else if m.starts_with("Object ") && m.ends_with("doesn't exist") {
        "unknown model"
    } else if m.starts_with("The operation cannot be completed") {
        "constraint"
    } else if m.starts_with("You are not allowed to") {
        "access"
    } else if m.starts_with("Private methods") {
        "private method"
    } else if m == "Access Denied" {
        "access denied"
    } else {
        "user"
    }
}

/// Compares a fault with the recorded one.
pub fn compare_faults(expected: &RawFault, actual: &RawFault) -> Result<(), Mismatch> {
    let (ek, ak) = (fault_kind(expected), fault_kind(actual));
    if ek != ak {
        return Err(mismatch(
            "fault",
            format!("a {ek:?} fault expected, got {ak:?}"),
        ));
    }
    Ok(())
}

/// Compares two decoded answers (result or fault).
pub fn compare_answers(
    expected: &Result<Value, RawFault>,
    actual: &Result<Value, RawFault>,
    lengths: Lengths,
) -> Result<(), Mismatch> {
    match (expected, actual) {
        (Ok(e), Ok(a)) => compare(e, a, lengths),
        (Err(e), Err(a)) => compare_faults(e, a),
        (Ok(_), Err(a)) => Err(mismatch("$", format!("a result expected, got fault {a}"))),
        (Err(e), Ok(_)) => Err(mismatch(
            "$",
            format!("fault {} expected, got a result", e.code),
        )),
    }
}
