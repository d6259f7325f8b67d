//! The web client's JSON routes, which clients such as odooly use when given a bare URL:
//! `/web/webclient/version_info`, `/web/session/authenticate` (opens a session, answered with
//! a `session_id` cookie), `/web/session/get_session_info`, `/web/session/destroy`,
//! `/web/database/list`, `/web/dataset/call_kw[/<model>/<method>]` and `call_button`.
//!
//! None of them is in the recordings (odoo-17-jsonrpc holds `/jsonrpc` only), so they follow
//! Odoo 17's controllers (`addons/web/controllers/{webclient,session,dataset,database}.py`):
//! each is a `type='json'` route with the `/jsonrpc` envelope; `call_kw` runs the same model
//! methods as `execute_kw`, as the session's user; without a valid session it is Odoo's
//! `SessionExpiredException`, code 100 `Odoo Session Expired`.

use taskflow_sdk::xmlrpc::Value;

use crate::fault::Fault;
use crate::jsonrpc;
use crate::rpc::{self, Caller, Shared};
use crate::session::{Session, Sessions};

/// A web client route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/web/webclient/version_info`.
    VersionInfo,
    /// `/web/session/authenticate`.
    Authenticate,
    /// `/web/session/get_session_info`.
    SessionInfo,
    /// `/web/session/destroy`.
    Destroy,
    /// `/web/database/list`.
    DatabaseList,
    /// `/web/dataset/call_kw`, with or without `/<model>/<method>` (a label for logs only in
    /// Odoo 17: the body names the model and method).
    CallKw,
    /// `/web/dataset/call_button`: `call_kw` whose answer is an action or `false`.
    CallButton,
}

/// The route serving `path`, if any.
pub fn route(path: &str) -> Option<Route> {
    let path = path.trim_end_matches('/');
    Some(match path {
        "/web/webclient/version_info" => Route::VersionInfo,
        "/web/session/authenticate" => Route::Authenticate,
        "/web/session/get_session_info" => Route::SessionInfo,
        "/web/session/destroy" => Route::Destroy,
        "/web/database/list" => Route::DatabaseList,
        "/web/dataset/call_kw" => Route::CallKw,
        "/web/dataset/call_button" => Route::CallButton,
        _ if path.starts_with("/web/dataset/call_kw/") => Route::CallKw,
        _ => return None,
    })
}

/// What a route answers: the `result` (or the `error` member) and a session cookie to set.
#[derive(Debug)]
pub struct Outcome {
    /// The result, or the whole `error` member.
    pub answer: Result<Value, Value>,
    /// A new session's id, for `Set-Cookie: session_id=...`.
    pub new_session: Option<String>,
}

impl From<Result<Value, Fault>> for Outcome {
    fn from(result: Result<Value, Fault>) -> Self {
        Outcome {
            answer: result.map_err(|f| jsonrpc::error(&f)),
            new_session: None,
        }
    }
}

/// Serves `route` with the envelope's `params`, for the session the request's cookie names.
pub fn serve(
    shared: &Shared,
    sessions: &Sessions,
    route: Route,
    params: Value,
    session_id: Option<&str>,
) -> Outcome {
    let session = session_id.and_then(|id| sessions.get(id));
    match route {
        Route::VersionInfo => Ok(shared.mode.version_info().to_value()).into(),
        Route::DatabaseList => rpc::dispatch(shared, "db", "list", &[]).into(),
        Route::Authenticate => authenticate(shared, sessions, params),
        Route::SessionInfo => match session {
            Some(session) => session_info(shared, &session).into(),
            None => expired(),
        },
        Route::Destroy => {
            if let Some(id) = session_id {
                sessions.close(id);
            }
            Ok(Value::Nil).into()
        }
        Route::CallKw | Route::CallButton => match session {
            Some(session) => {
                let result = call_kw(shared, &session, params);
                match (route, result) {
                    // `call_button` answers an action dictionary, anything else is `false`.
                    (Route::CallButton, Ok(Value::Struct(action))) => {
                        Ok(Value::Struct(action)).into()
                    }
                    (Route::CallButton, Ok(_)) => Ok(Value::Bool(false)).into(),
                    (_, result) => result.into(),
                }
            }
            None => expired(),
        },
    }
}

/// `authenticate(db, login, password)`: a wrong login or password is `AccessDenied` here (the
/// session's `authenticate` raises it), not `false` as `common.authenticate` answers.
fn authenticate(shared: &Shared, sessions: &Sessions, params: Value) -> Outcome {
    match open_session(shared, sessions, params) {
        Ok((id, info)) => Outcome {
            answer: Ok(info),
            new_session: Some(id),
        },
        Err(fault) => Err(fault).into(),
    }
}

/// Checks the login and opens a session: its id and its `session_info`.
fn open_session(
    shared: &Shared,
    sessions: &Sessions,
    params: Value,
) -> Result<(String, Value), Fault> {
    let kwargs = jsonrpc::keyword_arguments(params)?;
    let values = jsonrpc::bind(
        "Session.authenticate",
        kwargs,
        &["db", "login", "password", "base_location"],
        3,
    )?;
    let [db, login, password, _] = <[Option<Value>; 4]>::try_from(values)
        .map_err(|_| Fault::type_error("four parameters"))?
        .map(Option::unwrap_or_default);
    if db.as_str() != Some(shared.db_name().as_str()) {
        // `http.db_filter` refuses a database the server does not serve.
        return Err(Fault::Access("Database not found.".to_owned()));
    }
    let uid = match rpc::dispatch(
        shared,
        "common",
        "login",
        &[db.clone(), login.clone(), password],
    )? {
        Value::Int(uid) => uid,
        _ => return Err(Fault::AccessDenied),
    };
    let session = Session {
        db: db.as_str().unwrap_or_default().to_owned(),
        uid,
        login: login.as_str().unwrap_or_default().to_owned(),
    };
    let info = session_info(shared, &session)?;
    Ok((sessions.open(session), info))
}

/// What Odoo 17's `ir.http.session_info()` answers, its members a client needs: who is
/// logged in, where, and the user's context.
fn session_info(shared: &Shared, session: &Session) -> Result<Value, Fault> {
    let caller = Caller {
        db: &session.db,
        uid: session.uid,
        password: None,
    };
    let ids = Value::Array(vec![Value::Int(session.uid)]);
    let fields = Value::Array(vec![Value::from("name"), Value::from("partner_id")]);
    let user = rpc::execute(shared, caller, "res.users", "read", &[ids, fields], &[])?;
    let user = match user {
        Value::Array(mut rows) if !rows.is_empty() => rows.swap_remove(0),
        _ => return Err(Fault::missing("res.users", &[session.uid], session.uid)),
    };
    let context = rpc::execute(shared, caller, "res.users", "context_get", &[], &[])?;
    let partner = user
        .get("partner_id")
        .cloned()
        .unwrap_or(Value::Bool(false));
    let (partner_id, partner_name) = match &partner {
        Value::Array(pair) if pair.len() == 2 => (pair[0].clone(), pair[1].clone()),
        _ => (Value::Bool(false), Value::Bool(false)),
    };
    let is_admin = session.uid == crate::seed::ADMIN_UID;
    let version = shared.mode.version_info();
    Ok(Value::Struct(vec![
        ("uid".into(), Value::Int(session.uid)),
        ("is_system".into(), Value::Bool(is_admin)),
        ("is_admin".into(), Value::Bool(is_admin)),
        ("user_context".into(), context),
        ("db".into(), Value::String(session.db.clone())),
        (
            "server_version".into(),
            Value::String(version.server_version),
        ),
        (
            "server_version_info".into(),
            Value::Array(version.server_version_info),
        ),
        (
            "name".into(),
            user.get("name").cloned().unwrap_or(Value::Bool(false)),
        ),
        ("username".into(), Value::String(session.login.clone())),
        ("partner_display_name".into(), partner_name),
        ("partner_id".into(), partner_id),
    ]))
}

/// `call_kw(model, method, args, kwargs)` as the session's user.
fn call_kw(shared: &Shared, session: &Session, params: Value) -> Result<Value, Fault> {
    let kwargs = jsonrpc::keyword_arguments(params)?;
    let values = jsonrpc::bind(
        "DataSet.call_kw",
        kwargs,
        &["model", "method", "args", "kwargs"],
        4,
    )?;
    let [model, method, args, kwargs] = <[Option<Value>; 4]>::try_from(values)
        .map_err(|_| Fault::type_error("four parameters"))?
        .map(Option::unwrap_or_default);
    let (Value::String(model), Value::String(method)) = (model, method) else {
        return Err(Fault::type_error("model and method must be strings"));
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
    let kwargs = match kwargs {
        Value::Struct(kwargs) => kwargs,
        Value::Nil => Vec::new(),
        other => {
            return Err(Fault::type_error(format!(
                "argument after ** must be a mapping, not {}",
                crate::convert::py_type(&other)
            )));
        }
    };
    let caller = Caller {
        db: &session.db,
        uid: session.uid,
        password: None,
    };
    rpc::execute(shared, caller, &model, &method, &args, &kwargs)
}

/// Odoo's answer to a route needing a session without one (`odoo.http.SessionExpiredException`,
/// JSON-RPC code 100).
fn expired() -> Outcome {
    let fault = Fault::exception("odoo.http.SessionExpiredException", "Session expired");
    Outcome {
        answer: Err(jsonrpc::server_error(
            100,
            "Odoo Session Expired",
            fault.class_name(),
            &fault,
        )),
        new_session: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(route("/web/dataset/call_kw"), Some(Route::CallKw));
        assert_eq!(
            route("/web/dataset/call_kw/crm.lead/search_read"),
            Some(Route::CallKw)
        );
        assert_eq!(
            route("/web/session/authenticate"),
            Some(Route::Authenticate)
        );
        assert_eq!(route("/web/login"), None);
    }
}
