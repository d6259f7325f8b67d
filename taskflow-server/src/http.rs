//! HTTP/1.1 on hyper: routes `/xmlrpc/2/<service>` (integer fault codes) and the legacy
//! `/xmlrpc/<service>` (string fault codes) to the services.
//!
//! Like the real server, every XML-RPC answer, faults included, is HTTP 200 `text/xml`; only
//! HTTP-level problems get other statuses (a GET is 405 with an HTML page, transcript 104). The
//! call itself runs on the blocking pool: a 100,000-row `load` must not stall other connections.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{ALLOW, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use taskflow_sdk::xmlrpc::{self, Limits, Value};

use crate::fault::Fault;
use crate::rpc::{self, Shared};

/// Largest request body accepted (a `load` of 100,000 rows is about 40 MB).
const MAX_BODY: usize = 512 * 1024 * 1024;

const NOT_ALLOWED: &str = "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n\
<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n";

const NOT_FOUND: &str = "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n\
<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL \
manually please check your spelling and try again.</p>\n";

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

/// Serves one HTTP request.
pub async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let Some((dialect, service)) = route(request.uri().path()) else {
        return Ok(html(StatusCode::NOT_FOUND, NOT_FOUND));
    };
    let service = service.to_owned();
    if request.method() != Method::POST {
        return Ok(html(StatusCode::METHOD_NOT_ALLOWED, NOT_ALLOWED));
    }
    let body = match Limited::new(request.into_body(), MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(html(StatusCode::PAYLOAD_TOO_LARGE, NOT_ALLOWED)),
    };
    let answer =
        tokio::task::spawn_blocking(move || serve_body(&shared, dialect, &service, &body)).await;
    Ok(xml(answer.unwrap_or_else(|_| {
        xmlrpc::encode_fault(
            &Fault::exception("RuntimeError", "the call failed unexpectedly").to_raw(),
        )
    })))
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
        Err(fault) => xmlrpc::encode_fault(&match dialect {
            Dialect::V2 => fault.to_raw(),
            Dialect::Legacy => fault.to_legacy_raw(),
        }),
    }
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
