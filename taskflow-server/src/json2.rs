//! JSON-2, Odoo 19's RPC API: `POST /json/2/<model>/<method>` with a JSON object of named
//! arguments, authenticated by an API key (`Authorization: bearer <key>`), answering the bare
//! return value (odoo-19-json2, "Observations").
//!
//! The arguments bind to the 19 method signatures ([`signature::method`]), `ids` and `context`
//! being reserved; the call then takes the path every front end's model calls take
//! ([`rpc::execute`]). Errors are a JSON object `{name, message, arguments, context, debug}`
//! whose HTTP status says the kind: 401 no or a wrong key, 403 access, 404 missing record or
//! unknown model or method, 422 user errors and binding problems, 500 anything else; a
//! database the server does not serve and a body that is not JSON are HTML pages (057, 059).

use taskflow_sdk::xmlrpc::Value;

use crate::fault::Fault;
use crate::json;
use crate::rpc::{self, Caller, Shared};
use crate::signature;

/// The parts of an HTTP request JSON-2 reads.
#[derive(Debug)]
pub struct Request {
    /// Whether the verb is POST (every other one is answered 404, 060).
    pub post: bool,
    /// The path, `/json/2/res.partner/search`.
    pub path: String,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// `Authorization`.
    pub authorization: Option<String>,
    /// `X-Odoo-Database`.
    pub database: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

/// A JSON-2 answer, for the HTTP layer to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// HTTP 200 with the JSON text of the method's return value.
    Value(Vec<u8>),
    /// An error object (`application/json`) with its HTTP status; `bearer` asks for
    /// `WWW-Authenticate: Bearer ` (401).
    Error {
        /// The HTTP status.
        status: u16,
        /// The JSON error object.
        body: Vec<u8>,
        /// Whether to send `WWW-Authenticate`.
        bearer: bool,
    },
    /// An HTML page (`text/html`) with its HTTP status.
    Page {
        /// The HTTP status.
        status: u16,
        /// The page.
        body: &'static str,
    },
}

/// No database selected: the server-wide 404 page (057).
const NO_DATABASE: &str = "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n\
<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>\n\
<p>Please verify the hostname, <a href=/web/login>login</a> and try again.</p>\n\n\
<!-- Alternatively, use the X-Odoo-Database header. -->\n";

/// A body that is not JSON (059).
const NOT_JSON: &str = "<!doctype html>\n<html lang=en>\n<title>415 Unsupported Media Type</title>\n\
<h1>Unsupported Media Type</h1>\n<p>Request inferred type is compatible with [&#39;http&#39;] but \
&#39;/json/2/&lt;__model__&gt;/&lt;__method__&gt;&#39; is type=&#39;json2&#39;.<br><br>Please \
verify the Content-Type request header and try again.</p>\n";

/// A werkzeug HTTP exception raised by the JSON-2 controller or the dispatcher.
#[derive(Clone, Debug, PartialEq, Eq)]
struct HttpError {
    status: u16,
    message: String,
}

impl HttpError {
    fn new(status: u16, message: impl Into<String>) -> HttpError {
        HttpError {
            status,
            message: message.into(),
        }
    }

    /// werkzeug's class and reason phrase.
    fn class(&self) -> (&'static str, &'static str) {
        match self.status {
            400 => ("BadRequest", "Bad Request"),
            401 => ("Unauthorized", "Unauthorized"),
            404 => ("NotFound", "Not Found"),
            422 => ("UnprocessableEntity", "Unprocessable Entity"),
            _ => ("InternalServerError", "Internal Server Error"),
        }
    }

    fn answer(&self) -> Answer {
        let (class, reason) = self.class();
        let debug = format!(
            "Traceback (most recent call last):\n  File \"addons/rpc/controllers/json2.py\", \
             line 1, in web_json_2_rpc\nwerkzeug.exceptions.{class}: {} {reason}: {}\n",
            self.status, self.message
        );
        Answer::Error {
            status: self.status,
            body: error_body(
                &format!("werkzeug.exceptions.{class}"),
                &self.message,
                vec![
                    Value::String(self.message.clone()),
                    Value::Int(self.status.into()),
                ],
                debug,
            ),
            bearer: self.status == 401,
        }
    }
}

fn error_body(name: &str, message: &str, arguments: Vec<Value>, debug: String) -> Vec<u8> {
    json::to_string(&Value::Struct(vec![
        ("name".into(), Value::from(name)),
        ("message".into(), Value::from(message)),
        ("arguments".into(), Value::Array(arguments)),
        ("context".into(), Value::Struct(vec![])),
        ("debug".into(), Value::String(debug)),
    ]))
    .into_bytes()
}

/// The answer to an exception raised by the method: its status by kind (odoo-19-json2,
/// "HTTP status mapping").
pub fn fault_answer(fault: &Fault) -> Answer {
    let status = match fault {
        Fault::AccessDenied | Fault::Access(_) => 403,
        Fault::Missing(_) => 404,
        Fault::User(_) | Fault::Validation(_) => 422,
        Fault::Exception { .. } => 500,
    };
    let message = fault.message();
    Answer::Error {
        status,
        body: error_body(
            &fault.class_name(),
            &message,
            vec![Value::String(message.clone())],
            fault.traceback(),
        ),
        bearer: false,
    }
}

/// The model and method a path names, `None` for any other path under `/json/2`.
fn target(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/json/2/")?;
    let (model, method) = rest.split_once('/')?;
    (!model.is_empty() && !method.is_empty() && !method.contains('/')).then_some((model, method))
}

/// Python's `json.loads` error text for a body serde_json refuses:
/// `Expecting value: line 1 column 13 (char 12)`.
fn json_error(body: &[u8], error: &json::ParseError) -> String {
    let text = error.to_string();
    let what = text.split(" at line ").next().unwrap_or(&text).to_owned();
    let what = match what.as_str() {
        "expected value" | "EOF while parsing a value" => "Expecting value".to_owned(),
        other => {
            let mut chars = other.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_uppercase().collect::<String>() + chars.as_str()
            })
        }
    };
    let (line, column) = (error.line(), error.column().max(1));
    let char = String::from_utf8_lossy(body)
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(|l| l.chars().count())
        .sum::<usize>()
        + column
        - 1;
    format!("could not parse the body as json: {what}: line {line} column {column} (char {char})")
}

/// Serves one JSON-2 request.
pub fn serve(shared: &Shared, request: &Request) -> Answer {
    match dispatch(shared, request) {
        Ok(Ok(value)) => Answer::Value(json::to_string(&value).into_bytes()),
        Ok(Err(fault)) => fault_answer(&fault),
        Err(Refusal::Http(error)) => error.answer(),
        Err(Refusal::Page(status, body)) => Answer::Page { status, body },
    }
}

/// Why a request got no further than the controller.
enum Refusal {
    Http(HttpError),
    Page(u16, &'static str),
}

impl From<HttpError> for Refusal {
    fn from(error: HttpError) -> Self {
        Refusal::Http(error)
    }
}

/// The checks, in the real server's order, then the call.
fn dispatch(shared: &Shared, request: &Request) -> Result<Result<Value, Fault>, Refusal> {
    let db_name = shared.db_name();
    // A database the server does not serve is no database: the server-wide routes only (057).
    // Without the header, the one database is used (monodb, 008).
    if request.database.as_deref().is_some_and(|db| db != db_name) {
        return Err(Refusal::Page(404, NO_DATABASE));
    }
    let Some((model_name, method)) = target(&request.path).filter(|_| request.post) else {
        return Err(HttpError::new(404, "Did you mean POST /json/2/<model>/<method>?").into());
    };
    let mime = request.content_type.as_deref().map(|c| {
        c.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    });
    let is_json = match mime.as_deref() {
        Some(mime) => mime == "application/json",
        None => request.body.is_empty(),
    };
    if !is_json {
        return Err(Refusal::Page(415, NOT_JSON));
    }
    let uid = authenticate(shared, request.authorization.as_deref())?;
    let params = if request.body.iter().all(u8::is_ascii_whitespace) {
        Value::Struct(vec![])
    } else {
        json::parse(&request.body)
            .map_err(|e| HttpError::new(400, json_error(&request.body, &e)))?
    };
    let Value::Struct(mut params) = params else {
        return Err(
            HttpError::new(400, "could not parse the body, expecting a json object").into(),
        );
    };
    let take = |params: &mut Vec<(String, Value)>, key: &str| {
        params
            .iter()
            .position(|(k, _)| k == key)
            .map(|i| params.remove(i).1)
    };
    let ids = take(&mut params, "ids");
    let context = take(&mut params, "context");

    if !shared.has_model(model_name) {
        return Err(HttpError::new(404, format!("the model '{model_name}' does not exist")).into());
    }
    if shared.mode.is_private(method) {
        return Ok(Err(shared.mode.private_method(model_name, method)));
    }
    let Some(spec) = signature::method(model_name, method, shared.mode) else {
        return Err(HttpError::new(
            404,
            format!("The method '{model_name}.{method}' does not exist"),
        )
        .into());
    };
    let has_ids = match &ids {
        None | Some(Value::Nil) | Some(Value::Bool(false)) => false,
        Some(Value::Array(items)) => !items.is_empty(),
        Some(_) => true,
    };
    if has_ids && !spec.records {
        return Err(
            HttpError::new(422, format!("cannot call {model_name}.{method} with ids")).into(),
        );
    }
    spec.signature
        .bind_named(&params)
        .map_err(|message| HttpError::new(422, message))?;

    // `create` takes a list of dicts, or one dict (model_create_multi), and answers a list.
    if method == "create" {
        if let Some((_, vals)) = params.iter_mut().find(|(k, _)| k == "vals_list") {
            if matches!(vals, Value::Struct(_)) {
                *vals = Value::Array(vec![std::mem::take(vals)]);
            }
        }
    }
    if let Some(context) = context {
        params.push(("context".to_owned(), context));
    }
    let args: Vec<Value> = if spec.records {
        vec![ids.unwrap_or(Value::Array(vec![]))]
    } else {
        vec![]
    };
    let caller = Caller {
        db: &db_name,
        uid,
        password: None,
    };
    Ok(rpc::execute(
        shared, caller, model_name, method, &args, &params,
    ))
}

/// The user an `Authorization: bearer <key>` header names (the scheme in any case, 055, 056).
fn authenticate(shared: &Shared, header: Option<&str>) -> Result<i64, HttpError> {
    let key = header.and_then(|h| {
        let (scheme, key) = h.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| key.trim())
    });
    let Some(key) = key else {
        return Err(HttpError::new(
            401,
            "User not authenticated, use an API Key with a Bearer Authorization header.",
        ));
    };
    shared
        .api_key_user(key)
        .ok_or_else(|| HttpError::new(401, "Invalid apikey"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mode::Mode;
    use crate::schema::Registry;
    use crate::store::Database;

    fn server() -> std::sync::Arc<Shared> {
        let mut db = Database::new("db19", Registry::builtin());
        crate::seed::seed_with(&mut db, 5);
        db.api_keys.insert("admin-key".into(), 2);
        rpc::shared(db, Mode::Odoo19)
    }

    fn post(path: &str, key: Option<&str>, body: &str) -> Request {
        Request {
            post: true,
            path: path.into(),
            content_type: Some("application/json".into()),
            authorization: key.map(|k| format!("Bearer {k}")),
            database: Some("db19".into()),
            body: body.as_bytes().to_vec(),
        }
    }

    fn error(answer: &Answer) -> (u16, Value) {
        match answer {
            Answer::Error { status, body, .. } => (*status, json::parse(body).expect("JSON")),
            other => panic!("not an error: {other:?}"),
        }
    }

    #[test]
    fn calls_answer_bare_values() {
        let shared = server();
        let answer = serve(
            &shared,
            &post(
                "/json/2/crm.lead/search_count",
                Some("admin-key"),
                r#"{"domain": []}"#,
            ),
        );
        let Answer::Value(body) = answer else {
            panic!("{answer:?}")
        };
        assert!(json::parse(&body).expect("JSON").as_i64().is_some());
        let created = serve(
            &shared,
            &post(
                "/json/2/crm.tag/create",
                Some("admin-key"),
                r#"{"vals_list": {"name": "x"}}"#,
            ),
        );
        let Answer::Value(body) = created else {
            panic!("{created:?}")
        };
        assert!(matches!(json::parse(&body), Ok(Value::Array(ids)) if ids.len() == 1));
    }

    #[test]
    fn refusals_carry_the_recorded_status_and_message() {
        let shared = server();
        let cases = [
            (
                "/json/2/crm.lead/search",
                None,
                "{}",
                401,
                "User not authenticated",
            ),
            (
                "/json/2/crm.lead/search",
                Some("nope"),
                "{}",
                401,
                "Invalid apikey",
            ),
            (
                "/json/2/crm.lead/search",
                Some("admin-key"),
                "{",
                400,
                "could not parse",
            ),
            (
                "/json/2/crm.lead/search",
                Some("admin-key"),
                "[1]",
                400,
                "could not parse the body, expecting",
            ),
            (
                "/json/2/no.model/search",
                Some("admin-key"),
                "{}",
                404,
                "the model 'no.model'",
            ),
            (
                "/json/2/crm.lead/name_get",
                Some("admin-key"),
                "{}",
                404,
                "The method",
            ),
            (
                "/json/2/crm.lead/_read",
                Some("admin-key"),
                "{}",
                403,
                "Private methods",
            ),
            (
                "/json/2/crm.lead/check_access",
                Some("admin-key"),
                "{}",
                403,
                "Private",
            ),
            (
                "/json/2/crm.lead/search",
                Some("admin-key"),
                r#"{"ids": [1], "domain": []}"#,
                422,
                "cannot call crm.lead.search with ids",
            ),
            (
                "/json/2/crm.lead/search",
                Some("admin-key"),
                r#"{"domain": [], "x": 1}"#,
                422,
                "got an unexpected keyword argument 'x'",
            ),
            (
                "/json/2/crm.lead/create",
                Some("admin-key"),
                r#"{"vals": {}}"#,
                422,
                "missing a required argument: 'vals_list'",
            ),
            (
                "/json/2/crm.lead/write",
                Some("admin-key"),
                r#"{"ids": [999999], "vals": {}}"#,
                404,
                "Record does not exist",
            ),
            (
                "/json/2/crm.lead/search",
                Some("admin-key"),
                r#"{"domain": [["nope", "=", 1]]}"#,
                500,
                "Invalid field",
            ),
            (
                "/json/2/crm.stage/search_read",
                Some("admin-key"),
                r#"{"context": {"lang": "fr_FR"}}"#,
                422,
                "Invalid language code: fr_FR",
            ),
        ];
        for (path, key, body, status, message) in cases {
            let (got, value) = error(&serve(&shared, &post(path, key, body)));
            let text = value
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default();
            assert_eq!(got, status, "{path} {body}: {text}");
            assert!(text.starts_with(message), "{path} {body}: {text}");
        }
    }

    #[test]
    fn wrong_verbs_types_and_databases_are_refused_before_the_key() {
        let shared = server();
        let mut get = post("/json/2/crm.lead/search", None, "");
        get.post = false;
        let (status, value) = error(&serve(&shared, &get));
        assert_eq!(status, 404);
        assert_eq!(
            value.get("arguments"),
            Some(&Value::Array(vec![
                Value::from("Did you mean POST /json/2/<model>/<method>?"),
                Value::Int(404)
            ]))
        );
        let mut text = post("/json/2/crm.lead/search", None, "{}");
        text.content_type = Some("text/plain".into());
        assert_eq!(
            serve(&shared, &text),
            Answer::Page {
                status: 415,
                body: NOT_JSON
            }
        );
        let mut other_db = post("/json/2/crm.lead/search", None, "{}");
        other_db.database = Some("nosuchdb".into());
        assert_eq!(
            serve(&shared, &other_db),
            Answer::Page {
                status: 404,
                body: NO_DATABASE
            }
        );
    }

    #[test]
    fn python_json_errors_name_line_column_and_char() {
        let body = br#"{"domain": [}"#;
        let err = json::parse(body).unwrap_err();
        assert_eq!(
            json_error(body, &err),
            "could not parse the body as json: Expecting value: line 1 column 13 (char 12)"
        );
    }
}
