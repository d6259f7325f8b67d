//! HTTP/1.1 on hyper: routes `/xmlrpc/2/<service>` (integer fault codes) and the legacy
//! `/xmlrpc/<service>` (string fault codes) to the services, `/jsonrpc` to the JSON-RPC front
//! end, the web client's `/web/...` JSON routes to `web`, and in the 19 mode `/json/2/...` to
//! `json2`. Version discovery, `GET /web/version` (17 and 19) and `/json/version` (19), answers
//! plain JSON.
//!
//! JSON routes are Odoo's `type='json'` routes: a POST whose content type is not JSON, or any
//! other verb, is HTTP 400 with an HTML page (odoo-17-jsonrpc 122, 123); a body that is not
//! JSON, or not an object, a short HTTP 400 text (121, 120); everything else HTTP 200
//! `application/json`, errors included.
//!
//! Like the real server, every XML-RPC answer, faults included, is HTTP 200 `text/xml`; only
//! HTTP-level problems get other statuses (a GET is 405 with an HTML page, transcript 104). The
//! call itself runs on the blocking pool: a 100,000-row `load` must not stall other connections.
//! Every answer closes its connection (`Connection: close`), as the real server's do.
//!
//! Each call borrows two connections of the server's [`Pool`], as a real one does: the HTTP layer
//! one for the whole request (none left: HTTP 500, transcript 134), the method one while it runs
//! (none left: fault 1 `PoolError`, transcript 133). Both refusals come before the method runs.

use crate::traffic::{Endpoint, Traffic};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{ALLOW, CONNECTION, CONTENT_TYPE, COOKIE, HeaderValue, SET_COOKIE};
use hyper::{Method, Request, Response, StatusCode};
use taskflow_sdk::xmlrpc::{self, Limits, Value};

use crate::fault::Fault;
use crate::json2;
use crate::jsonrpc;
use crate::pool::Pool;
use crate::rpc::{self, Shared};
use crate::session::{self, Sessions};
use crate::web;

/// Largest request body accepted (a `load` of 100,000 rows is about 40 MB).
const MAX_BODY: usize = 512 * 1024 * 1024;

const NOT_ALLOWED: &str = "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n\
<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n";

const NOT_FOUND: &str = "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n\
<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL \
manually please check your spelling and try again.</p>\n";

/// The page of an exception in the HTTP layer, byte for byte as the real server sends it
/// (transcript 134).
const INTERNAL_ERROR: &str = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n\
<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to \
complete your request. Either the server is overloaded or there is an error in the application.</p>\n";

fn html(status: StatusCode, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        "text/html; charset=utf-8".parse().expect("a valid header"),
    );
    if status == StatusCode::METHOD_NOT_ALLOWED {
        response
            .headers_mut()
            .insert(ALLOW, "POST, OPTIONS".parse().expect("a valid header"));
    }
    response
}

/// The page a `type='json'` route answers a request that is not JSON (122, 123).
fn not_json_page(path: &str) -> String {
    let path = path
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('\'', "&#39;");
    format!(
        "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n\
         <p>Request inferred type is compatible with [&#39;http&#39;] but &#39;{path}&#39; is \
         type=&#39;json&#39;.</p>\n"
    )
}

fn json(body: Vec<u8>, new_session: Option<&str>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    if let Some(id) = new_session {
        // As Odoo 17 sets it: a week, not readable by scripts.
        let cookie = format!("session_id={id}; Max-Age=604800; HttpOnly; Path=/");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.insert(SET_COOKIE, value);
        }
    }
    response
}

fn xml(body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    response.headers_mut().insert(
        CONTENT_TYPE,
        "text/xml; charset=utf-8".parse().expect("a valid header"),
    );
    response
}

/// Which fault encoding an endpoint uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dialect {
    /// `/xmlrpc/2/*`: integer codes.
    V2,
    /// `/xmlrpc/*`: string codes.
    Legacy,
}

fn route(path: &str) -> Option<(Dialect, &str)> {
    let path = path.trim_end_matches('/');
    if let Some(service) = path.strip_prefix("/xmlrpc/2/") {
        return (!service.is_empty() && !service.contains('/')).then_some((Dialect::V2, service));
    }
    let service = path.strip_prefix("/xmlrpc/")?;
    (!service.is_empty() && service != "2" && !service.contains('/'))
        .then_some((Dialect::Legacy, service))
}

/// What serving requests needs: the services, the connection pool calls borrow from, and how
/// long each stage of a call holds its connection.
#[derive(Debug)]
pub struct Handler {
    /// The services and their database.
    pub shared: Arc<Shared>,
    /// The connections calls borrow.
    pub pool: Arc<Pool>,
    /// How long the HTTP layer holds its connection before the method borrows one, and the
    /// method holds that one before it runs (`ServerBuilder::hold`); zero for none.
    pub hold: Duration,
    /// The web client's sessions.
    pub sessions: Arc<Sessions>,
    /// Requests served, by front end.
    pub traffic: Arc<Traffic>,
    /// Print `METHOD PATH STATUS` to stderr for every request (the standalone `--access-log`).
    pub access_log: bool,
}

/// Serves one HTTP request.
pub async fn handle(
    handler: Arc<Handler>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let endpoint = Endpoint::of(request.uri().path());
    handler.traffic.count(endpoint);
    let line = handler
        .access_log
        .then(|| format!("{} {}", request.method(), request.uri().path()));
    let mut response = respond(&handler, request).await;
    if let Some(line) = line {
        eprintln!("{line} {}", response.status().as_u16());
    }
    // The real server answers one request per connection and says so in every answer (the
    // recorded headers). Without keep-alive (`server::serve`) hyper closes the connection and
    // adds the header for HTTP/1.1; set here, every answer has it, to HTTP/1.0 clients too.
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    Ok(response)
}

async fn respond(handler: &Handler, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let path = request.uri().path().to_owned();
    if let Some((dialect, service)) = route(&path) {
        return respond_xmlrpc(handler, request, dialect, service.to_owned()).await;
    }
    let mode = handler.shared.mode;
    if path == "/json/2" || path.starts_with("/json/2/") {
        // A real 17 has no JSON-2: its plain 404 page.
        if !mode.has_json2() {
            return html(StatusCode::NOT_FOUND, NOT_FOUND);
        }
        return respond_json2(handler, request, path).await;
    }
    if path == "/web/version" || (path == "/json/version" && mode.has_json2()) {
        if let Some(version) = mode.web_version() {
            return json(crate::json::to_string(&version).into_bytes(), None);
        }
    }
    let route = if path.trim_end_matches('/') == "/jsonrpc" {
        JsonRoute::Rpc
    } else if let Some(route) = web::route(&path) {
        JsonRoute::Web(route)
    } else {
        return html(StatusCode::NOT_FOUND, NOT_FOUND);
    };
    respond_json(handler, request, &path, route).await
}

async fn respond_xmlrpc(
    handler: &Handler,
    request: Request<Incoming>,
    dialect: Dialect,
    service: String,
) -> Response<Full<Bytes>> {
    if request.method() != Method::POST {
        return html(StatusCode::METHOD_NOT_ALLOWED, NOT_ALLOWED);
    }
    let Some(body) = read_body(request).await else {
        return html(StatusCode::PAYLOAD_TOO_LARGE, NOT_ALLOWED);
    };
    // The real server borrows before it reads the body; here the body is read first because
    // answering while request bytes are still unread makes the kernel reset the connection,
    // which can destroy the 500 page before the client reads it. No client can tell the order.
    let answer = call(handler, move |shared, _| {
        serve_body(shared, dialect, &service, &body)
    })
    .await;
    match answer {
        Ok(Some(answer)) => xml(answer),
        Ok(None) => xml(xmlrpc::encode_fault(
            &Fault::exception("RuntimeError", "the call failed unexpectedly").to_raw(),
        )),
        Err(Refused::Http) => html(StatusCode::INTERNAL_SERVER_ERROR, INTERNAL_ERROR),
        Err(Refused::Method) => xml(fault_body(dialect, &pool_full())),
    }
}

fn pool_full() -> Fault {
    Fault::exception("psycopg2.pool.PoolError", "The Connection Pool Is Full")
}

/// Which JSON front end a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JsonRoute {
    /// `/jsonrpc`.
    Rpc,
    /// A web client route.
    Web(web::Route),
}

async fn respond_json(
    handler: &Handler,
    request: Request<Incoming>,
    path: &str,
    route: JsonRoute,
) -> Response<Full<Bytes>> {
    let is_json = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|mime| mime == "application/json" || mime == "application/json-rpc");
    if request.method() != Method::POST || !is_json {
        return html(StatusCode::BAD_REQUEST, not_json_page(path));
    }
    let session_id = request
        .headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(session::cookie_id)
        .map(str::to_owned);
    let Some(body) = read_body(request).await else {
        return html(StatusCode::PAYLOAD_TOO_LARGE, NOT_ALLOWED);
    };
    let envelope = match jsonrpc::envelope(&body) {
        Ok(envelope) => envelope,
        Err(invalid) => {
            let mut response = html(StatusCode::BAD_REQUEST, invalid.text());
            response.headers_mut().insert(
                "x-content-type-options",
                HeaderValue::from_static("nosniff"),
            );
            return response;
        }
    };
    let id = envelope.id.clone();
    let answer = call(handler, move |shared, sessions| match route {
        JsonRoute::Rpc => {
            let result = jsonrpc::serve(shared, envelope.params);
            (jsonrpc::answer(&envelope.id, &result), None)
        }
        JsonRoute::Web(route) => {
            let outcome = web::serve(
                shared,
                sessions,
                route,
                envelope.params,
                session_id.as_deref(),
            );
            let body = match &outcome.answer {
                Ok(value) => jsonrpc::answer(&envelope.id, &Ok(value.clone())),
                Err(error) => jsonrpc::answer_error(&envelope.id, error.clone()),
            };
            (body, outcome.new_session)
        }
    })
    .await;
    match answer {
        Ok(Some((body, new_session))) => json(body, new_session.as_deref()),
        Ok(None) => json(
            jsonrpc::answer(
                &id,
                &Err(Fault::exception(
                    "RuntimeError",
                    "the call failed unexpectedly",
                )),
            ),
            None,
        ),
        Err(Refused::Http) => html(StatusCode::INTERNAL_SERVER_ERROR, INTERNAL_ERROR),
        Err(Refused::Method) => json(jsonrpc::answer(&id, &Err(pool_full())), None),
    }
}

async fn respond_json2(
    handler: &Handler,
    request: Request<Incoming>,
    path: String,
) -> Response<Full<Bytes>> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (content_type, authorization, database) = (
        header("content-type"),
        header("authorization"),
        header("x-odoo-database"),
    );
    let post = request.method() == Method::POST;
    let Some(body) = read_body(request).await else {
        return html(StatusCode::PAYLOAD_TOO_LARGE, NOT_ALLOWED);
    };
    let request = json2::Request {
        post,
        path,
        content_type,
        authorization,
        database,
        body: body.to_vec(),
    };
    let answer = call(handler, move |shared, _| json2::serve(shared, &request)).await;
    let answer = match answer {
        Ok(Some(answer)) => answer,
        Ok(None) => json2::fault_answer(&Fault::exception(
            "RuntimeError",
            "the call failed unexpectedly",
        )),
        Err(Refused::Http) => return html(StatusCode::INTERNAL_SERVER_ERROR, INTERNAL_ERROR),
        Err(Refused::Method) => json2::fault_answer(&pool_full()),
    };
    match answer {
        json2::Answer::Value(body) => json(body, None),
        json2::Answer::Error {
            status,
            body,
            bearer,
        } => {
            let mut response = json(body, None);
            *response.status_mut() =
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            if bearer {
                response
                    .headers_mut()
                    .insert("www-authenticate", HeaderValue::from_static("Bearer "));
            }
            response
        }
        json2::Answer::Page { status, body } => html(
            StatusCode::from_u16(status).unwrap_or(StatusCode::NOT_FOUND),
            body,
        ),
    }
}

async fn read_body(request: Request<Incoming>) -> Option<Bytes> {
    Limited::new(request.into_body(), MAX_BODY)
        .collect()
        .await
        .ok()
        .map(|collected| collected.to_bytes())
}

/// Which borrow of a call found the pool full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refused {
    /// The HTTP layer's (transcript 134).
    Http,
    /// The method's (transcript 133).
    Method,
}

/// Borrows a call's two connections, runs `work` on the blocking pool and gives them back
/// once the answer is produced; refused, the call does not run. `None`: `work` panicked.
async fn call<T: Send + 'static>(
    handler: &Handler,
    work: impl FnOnce(&Shared, &Sessions) -> T + Send + 'static,
) -> Result<Option<T>, Refused> {
    let pool = handler.pool.clone();
    let held = if handler.hold.is_zero() {
        // Nothing to wait for between the borrows and the run, so the call borrows on the
        // thread that runs it: a call still queued for a thread or a core holds nothing, like a
        // request a real server has not started. Borrowed before that queue, a burst of quick
        // calls on two cores kept the pool full while they waited, and many were refused.
        None
    } else {
        let call = pool.begin_call().ok_or(Refused::Http)?;
        tokio::time::sleep(handler.hold).await;
        let connection = pool.borrow().ok_or(Refused::Method)?;
        // The method's time in the database, before it runs: like a transaction committed at
        // its end, its changes appear when the hold is over.
        tokio::time::sleep(handler.hold).await;
        Some((call, connection))
    };
    let shared = handler.shared.clone();
    let sessions = handler.sessions.clone();
    let answer = tokio::task::spawn_blocking(move || {
        let held = match held {
            Some(held) => held,
            None => (
                pool.begin_call().ok_or(Refused::Http)?,
                pool.borrow().ok_or(Refused::Method)?,
            ),
        };
        let answer = work(&shared, &sessions);
        // The answer is produced: the call ends here, not when its task is next polled.
        drop(held);
        Ok(answer)
    })
    .await;
    match answer {
        Ok(answer) => answer.map(Some),
        Err(_) => Ok(None),
    }
}

/// Decodes, dispatches and encodes one XML-RPC call; every problem becomes a fault body.
fn serve_body(shared: &Shared, dialect: Dialect, service: &str, body: &[u8]) -> Vec<u8> {
    let result =
        match xmlrpc::decode_call::<Vec<Value>>(body, &Limits::default().max_size(MAX_BODY)) {
            Ok(call) => {
                rpc::dispatch(shared, service, &call.method, &call.params).and_then(|v| match v {
                    // The call ran (and its changes stay), but None cannot be marshalled
                    // (transcript 087).
                    Value::Nil => Err(Fault::type_error(
                        "cannot marshal None unless allow_none is enabled",
                    )),
                    v => Ok(v),
                })
            }
            Err(e) => Err(Fault::exception(
                "xml.parsers.expat.ExpatError",
                e.to_string(),
            )),
        };
    let result = result.and_then(|value| {
        xmlrpc::encode_response(&value)
            .map_err(|e| Fault::type_error(format!("cannot marshal the result: {e}")))
    });
    match result {
        Ok(bytes) => bytes,
        Err(fault) => fault_body(dialect, &fault),
    }
}

/// The `methodResponse` of a fault, in the endpoint's encoding.
fn fault_body(dialect: Dialect, fault: &Fault) -> Vec<u8> {
    xmlrpc::encode_fault(&match dialect {
        Dialect::V2 => fault.to_raw(),
        Dialect::Legacy => fault.to_legacy_raw(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(route("/xmlrpc/2/object"), Some((Dialect::V2, "object")));
        assert_eq!(route("/xmlrpc/object"), Some((Dialect::Legacy, "object")));
        assert_eq!(
            route("/xmlrpc/2/no_such_service"),
            Some((Dialect::V2, "no_such_service"))
        );
        assert_eq!(route("/web/login"), None);
        assert_eq!(route("/xmlrpc/2/"), None);
    }
}
