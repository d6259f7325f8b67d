//! Faults with the real server's codes and text shapes.
//!
//! The real server maps its Python exceptions to XML-RPC faults in two ways: `/xmlrpc/2/*` answers
//! integer codes (1 any exception with a traceback, 2 user errors, 3 access denied, 4 access
//! errors), the legacy `/xmlrpc/*` answers string codes (`warning -- MissingError\n\n...`). Clients
//! classify faults from these shapes, so the server reproduces them exactly (see
//! `tests/fixtures/odoo-17/index.md`, "Faults").

use taskflow_sdk::xmlrpc::{FaultCode, RawFault};

/// An error raised while serving a call, as the real server's exception classes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Any other exception (`ValueError`, `TypeError`, `KeyError`, ...): code 1 with a traceback.
    Exception {
        /// Python exception type, the last line's prefix (`ValueError`).
        etype: String,
        /// The exception's message.
        message: String,
    },
    /// `UserError`: code 2, plain message.
    User(String),
    /// `ValidationError` (a constraint the database or the ORM refused): code 2 like a
    /// `UserError` over XML-RPC, which cannot tell them apart; JSON-RPC names the class.
    Validation(String),
    /// `MissingError`: code 2, `Record does not exist or has been deleted.` ...
    Missing(String),
    /// `AccessDenied`: code 3, `Access Denied`.
    AccessDenied,
    /// `AccessError`: code 4.
    Access(String),
}

impl Fault {
    /// A code-1 fault of Python type `etype`.
    pub fn exception(etype: &str, message: impl Into<String>) -> Fault {
        Fault::Exception {
            etype: etype.to_owned(),
            message: message.into(),
        }
    }

    /// `ValueError: message`.
    pub fn value(message: impl Into<String>) -> Fault {
        Fault::exception("ValueError", message)
    }

    /// `TypeError: message`.
    pub fn type_error(message: impl Into<String>) -> Fault {
        Fault::exception("TypeError", message)
    }

    /// The `MissingError` for records of `model` that do not exist.
    pub fn missing(model: &str, ids: &[i64], uid: i64) -> Fault {
        Fault::Missing(format!(
            "Record does not exist or has been deleted.\n(Record: {}, User: {uid})",
            recordset(model, ids)
        ))
    }

    /// The `AccessError` for an operation (`access`, `modify`, `create`, `delete`) refused to a
    /// user lacking `group`.
    pub fn access(operation: &str, description: &str, model: &str, group: &str) -> Fault {
        Fault::Access(format!(
            "You are not allowed to {operation} '{description}' ({model}) records.\n\n\
             This operation is allowed for the following groups:\n\t- {group}\n\n\
             Contact your administrator to request access if necessary."
        ))
    }

    /// The XML-RPC fault as `/xmlrpc/2/*` answers it.
    pub fn to_raw(&self) -> RawFault {
        let (code, string) = match self {
            Fault::Exception { etype, message } => (1, traceback(etype, message)),
            Fault::User(m) | Fault::Validation(m) | Fault::Missing(m) => (2, m.clone()),
            Fault::AccessDenied => (3, "Access Denied".to_owned()),
            Fault::Access(m) => (4, m.clone()),
        };
        RawFault {
            code: FaultCode::Int(code),
            string,
        }
    }

    /// The XML-RPC fault as the legacy `/xmlrpc/*` answers it: the code is a string.
    pub fn to_legacy_raw(&self) -> RawFault {
        let (code, string) = match self {
            Fault::Exception { etype, message } => (message.clone(), traceback(etype, message)),
            // A `ValidationError` is a `UserError` to the legacy handler's `isinstance` checks.
            Fault::User(m) | Fault::Validation(m) => {
                (format!("warning -- UserError\n\n{m}"), String::new())
            }
            Fault::Missing(m) => (format!("warning -- MissingError\n\n{m}"), String::new()),
            Fault::AccessDenied => ("AccessDenied".to_owned(), "Access Denied".to_owned()),
            Fault::Access(m) => (format!("warning -- AccessError\n\n{m}"), String::new()),
        };
        RawFault {
            code: FaultCode::String(code),
            string,
        }
    }
}

impl Fault {
    /// The exception's class as `module.Class`, as JSON-RPC errors name it in `data.name`
    /// (odoo-17-jsonrpc, "Errors"): `odoo.exceptions.*` for Odoo's own, `builtins.*` for
    /// Python's, other modules' classes as raised (`psycopg2.OperationalError`).
    pub fn class_name(&self) -> String {
        match self {
            Fault::Exception { etype, .. } if etype.contains('.') => etype.clone(),
            Fault::Exception { etype, .. } => format!("builtins.{etype}"),
            Fault::User(_) => "odoo.exceptions.UserError".to_owned(),
            Fault::Validation(_) => "odoo.exceptions.ValidationError".to_owned(),
            Fault::Missing(_) => "odoo.exceptions.MissingError".to_owned(),
            Fault::AccessDenied => "odoo.exceptions.AccessDenied".to_owned(),
            Fault::Access(_) => "odoo.exceptions.AccessError".to_owned(),
        }
    }

    /// `str(exception)`: the message alone. A `KeyError`'s is its key's repr, as Python prints
    /// it (`'no_such_service'`), but JSON-RPC's `data.message` shows the key itself (119).
    pub fn message(&self) -> String {
        match self {
            Fault::Exception { etype, message } if etype == "KeyError" => {
                let quoted = message.len() >= 2
                    && (message.starts_with('\'') && message.ends_with('\'')
                        || message.starts_with('"') && message.ends_with('"'));
                if quoted {
                    message[1..message.len() - 1].to_owned()
                } else {
                    message.clone()
                }
            }
            Fault::Exception { message, .. }
            | Fault::User(message)
            | Fault::Validation(message)
            | Fault::Missing(message)
            | Fault::Access(message) => message.clone(),
            Fault::AccessDenied => "Access Denied".to_owned(),
        }
    }

    /// The traceback the real server prints for this exception: every JSON-RPC error carries
    /// one, Odoo's own exceptions included (XML-RPC's codes 2-4 send only the message).
    pub fn traceback(&self) -> String {
        let etype = match self {
            Fault::Exception { etype, .. } => etype.clone(),
            other => other.class_name(),
        };
        let message = match self {
            Fault::Exception { message, .. } => message.clone(),
            other => other.message(),
        };
        traceback(&etype, &message)
    }
}

/// Renders `model(1, 2)` like Python's recordset repr (`crm.lead(7,)` for one id).
pub fn recordset(model: &str, ids: &[i64]) -> String {
    let list = ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() == 1 {
        format!("{model}({list},)")
    } else {
        format!("{model}({list})")
    }
}

/// A Python-shaped traceback whose last line is `Type: message`, as code-1 faults carry.
fn traceback(etype: &str, message: &str) -> String {
    format!(
        "Traceback (most recent call last):\n  \
         File \"taskflow-server/src/rpc.rs\", line 1, in dispatch\n  \
         File \"taskflow-server/src/orm.rs\", line 1, in call_kw\n\
         {etype}: {message}\n"
    )
}

/// Quotes a string like Python's `repr` does for simple strings: `'abc'`.
pub fn py_repr(s: &str) -> String {
    if s.contains('\'') && !s.contains('"') {
        format!("\"{s}\"")
    } else {
        format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_one_faults_end_with_type_and_message() {
        let raw = Fault::value("Invalid field 'x' on model 'crm.lead'").to_raw();
        assert_eq!(raw.code, FaultCode::Int(1));
        assert!(
            raw.string
                .starts_with("Traceback (most recent call last):\n")
        );
        assert!(
            raw.string
                .ends_with("\nValueError: Invalid field 'x' on model 'crm.lead'\n")
        );
    }

    #[test]
    fn legacy_codes_are_strings_shaped_like_the_recording() {
        let missing = Fault::missing("crm.lead", &[999999], 2).to_legacy_raw();
        assert_eq!(
            missing.code,
            FaultCode::String(
                "warning -- MissingError\n\nRecord does not exist or has been deleted.\n\
                 (Record: crm.lead(999999,), User: 2)"
                    .into()
            )
        );
        assert_eq!(missing.string, "");
        let denied = Fault::AccessDenied.to_legacy_raw();
        assert_eq!(denied.code, FaultCode::String("AccessDenied".into()));
        assert_eq!(denied.string, "Access Denied");
    }

    #[test]
    fn recordset_repr_matches_python() {
        assert_eq!(recordset("crm.lead", &[7]), "crm.lead(7,)");
        assert_eq!(recordset("crm.lead", &[7, 8]), "crm.lead(7, 8)");
    }
}
