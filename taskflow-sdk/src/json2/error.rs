//! JSON-2's error answers: an HTTP status and a JSON body `{name, message, arguments, context,
//! debug}`, classified into the same [`FaultKind`]s as the same error on XML-RPC.

use serde::Deserialize;

use crate::error::{Fault, FaultKind};

/// The error body (odoo-19-json2, index.md "Errors"). Without `name`, the exception class,
/// a JSON body is not one (a proxy's page, say) and its status speaks for it.
#[derive(Deserialize)]
struct ErrorBody {
    name: String,
    message: Option<String>,
    debug: Option<String>,
}

/// The fault a JSON-2 error answer carries, or `None` when the body is not an error object
/// (then the status alone is reported, as for any other page).
pub(crate) fn fault(status: u16, body: &[u8]) -> Option<Fault> {
    let body: ErrorBody = serde_json::from_slice(body).ok()?;
    let message = body.message.unwrap_or_default();
    let kind = classify(status, Some(&body.name), &message);
    let exception = Some(Fault::short_exception(&body.name).to_owned());
    Some(Fault::classified(
        kind,
        i64::from(status),
        exception,
        message,
        body.debug,
    ))
}

/// By the exception class first: the same class comes with different statuses, and the same
/// status with different classes. The status only decides when the name tells nothing.
fn classify(status: u16, name: Option<&str>, message: &str) -> FaultKind {
    match name {
        Some("odoo.exceptions.AccessError") => FaultKind::AccessError,
        Some("odoo.exceptions.AccessDenied" | "werkzeug.exceptions.Unauthorized") => {
            FaultKind::AccessDenied
        }
        Some("odoo.exceptions.MissingError") => FaultKind::MissingRecord,
        Some("odoo.exceptions.UserError" | "odoo.exceptions.ValidationError") => {
            FaultKind::UserError
        }
        // An unknown model is fault 2, a user error, on XML-RPC (050); an unknown method an
        // AttributeError (049, 013).
        Some("werkzeug.exceptions.NotFound") if is_unknown_model(message) => FaultKind::UserError,
        // Argument binding (422, a TypeError on XML-RPC), a body that is not JSON (400), and
        // anything else Python raised.
        Some(
            "werkzeug.exceptions.NotFound"
            | "werkzeug.exceptions.UnprocessableEntity"
            | "werkzeug.exceptions.BadRequest",
        ) => FaultKind::ServerError,
        Some(name) if name.starts_with("builtins.") || name.starts_with("psycopg2.") => {
            FaultKind::ServerError
        }
        _ => match status {
            401 => FaultKind::AccessDenied,
            403 => FaultKind::AccessError,
            404 => FaultKind::MissingRecord,
            422 => FaultKind::UserError,
            _ => FaultKind::ServerError,
        },
    }
}

/// `the model 'no.such.model' does not exist` (050).
fn is_unknown_model(message: &str) -> bool {
    message.starts_with("the model '") && message.ends_with("' does not exist")
}
