//! HTTP/1.1 on hyper: routes `/xmlrpc/2/<service>` (integer fault codes) and the legacy
//! `/xmlrpc/<service>` (string fault codes) to the services.
//!
//! Like the real server, every XML-RPC answer, faults included, is HTTP 200 `text/xml`; only
//! HTTP-level problems get other statuses (a GET is 405 with an HTML page, transcript 104). The
//! call itself runs on the blocking pool: a 100,000-row `load` must not stall other connections.
//! Every answer closes its connection (`Connection: close`), as the real server's do.
//!
//! Each call borrows two connections of the server's [`Pool`], as a real one does: the HTTP layer
//! one for the whole request (none left: HTTP 500, transcript 134), the method one while it runs
//! (none left: fault 1 `PoolError`, transcript 133). Both refusals come before the method runs.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{ALLOW, CONNECTION, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use taskflow_sdk::xmlrpc::{self, Limits, Value};

use crate::fault::Fault;
use crate::pool::Pool;
use crate::rpc::{self, Shared};

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

fn html(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
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
}

/// Serves one HTTP request.
pub async fn handle(
    handler: Arc<Handler>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let mut response = respond(&handler, request).await;
    // The real server answers one request per connection and says so in every answer (the
    // recorded headers). Without keep-alive (`server::serve`) hyper closes the connection and
    // adds the header for HTTP/1.1; set here, every answer has it, to HTTP/1.0 clients too.
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    Ok(response)
}

async fn respond(handler: &Handler, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let Some((dialect, service)) = route(request.uri().path()) else {
        return html(StatusCode::NOT_FOUND, NOT_FOUND);
    };
    let service = service.to_owned();
    if request.method() != Method::POST {
        return html(StatusCode::METHOD_NOT_ALLOWED, NOT_ALLOWED);
    }
    let body = match Limited::new(request.into_body(), MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return html(StatusCode::PAYLOAD_TOO_LARGE, NOT_ALLOWED),
    };
    // The real server borrows before it reads the body; here the body is read first because
    // answering while request bytes are still unread makes the kernel reset the connection,
    // which can destroy the 500 page before the client reads it. No client can tell the order.
    match call(handler, dialect, service, body).await {
        Ok(answer) => xml(answer),
        Err(Refused::Http) => html(StatusCode::INTERNAL_SERVER_ERROR, INTERNAL_ERROR),
        Err(Refused::Method) => xml(fault_body(
            dialect,
            &Fault::exception("psycopg2.pool.PoolError", "The Connection Pool Is Full"),
        )),
    }
}

/// Which borrow of a call found the pool full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refused {
    /// The HTTP layer's (transcript 134).
    Http,
    /// The method's (transcript 133).
    Method,
}

/// Borrows a call's two connections, runs it on the blocking pool and gives them back once the
/// answer is produced; refused, the call does not run.
async fn call(
    handler: &Handler,
    dialect: Dialect,
    service: String,
    body: Bytes,
) -> Result<Vec<u8>, Refused> {
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
    let answer = tokio::task::spawn_blocking(move || {
        let held = match held {
            Some(held) => held,
            None => (
                pool.begin_call().ok_or(Refused::Http)?,
                pool.borrow().ok_or(Refused::Method)?,
            ),
        };
        let answer = serve_body(&shared, dialect, &service, &body);
        // The answer is produced: the call ends here, not when its task is next polled.
        drop(held);
        Ok(answer)
    })
    .await;
    answer.unwrap_or_else(|_| {
        Ok(xmlrpc::encode_fault(
            &Fault::exception("RuntimeError", "the call failed unexpectedly").to_raw(),
        ))
    })
}

/// Decodes, dispatches and encodes one XML-RPC call; every problem becomes a fault body.
fn serve_body(shared: &Shared, dialect: Dialect, service: &str, body: &[u8]) -> Vec<u8> {
    let result =
        match xmlrpc::decode_call::<Vec<Value>>(body, &Limits::default().max_size(MAX_BODY)) {
            Ok(call) => rpc::dispatch(shared, service, &call.method, &call.params),
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
