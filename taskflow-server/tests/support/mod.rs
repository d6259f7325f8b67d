//! Helpers shared by the server's integration tests: a minimal HTTP/1.1 client over tokio, and
//! an XML-RPC caller built on the SDK's codec (not on the SDK runtime, which the server must not
//! depend on).
#![allow(dead_code)] // each test binary uses a different subset

pub mod json;
pub mod shape;

use std::net::SocketAddr;

use taskflow_sdk::xmlrpc::{self, Limits, RawFault, Response, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// An HTTP response: status, headers (lower-cased names) and body.
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request on a fresh connection (`Connection: close`) and reads the whole answer.
pub async fn http(addr: SocketAddr, method: &str, path: &str, body: &[u8]) -> HttpResponse {
    http_with(
        addr,
        method,
        path,
        &[("Content-Type", "text/xml"), ("Connection", "close")],
        body,
    )
    .await
}

/// Sends one request with the headers `headers` (and `Host` and `Content-Length`), on a fresh
/// connection, and reads the whole answer (the server closes every connection).
pub async fn http_with(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> HttpResponse {
    let mut stream = TcpStream::connect(addr)
        .await
        .expect("connect to the test server");
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if method != "GET" || !body.is_empty() {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .await
        .expect("write request head");
    stream.write_all(body).await.expect("write request body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete HTTP response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect::<Vec<_>>();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    HttpResponse {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
}

/// Decodes a response body into its result or fault.
pub fn decode(body: &[u8]) -> Result<Value, RawFault> {
    match xmlrpc::decode_response::<Value>(body, &Limits::default())
        .expect("a valid methodResponse")
    {
        Response::Success(v) => Ok(v),
        Response::Fault(f) => Err(f),
    }
}

/// Calls `method` on `{path}` (`/xmlrpc/2/common`, ...).
pub async fn call(
    addr: SocketAddr,
    path: &str,
    method: &str,
    params: Vec<Value>,
) -> Result<Value, RawFault> {
    let body = xmlrpc::encode_call(method, &params).expect("encodable params");
    let response = http(addr, "POST", path, &body).await;
    assert_eq!(response.status, 200, "XML-RPC answers are always HTTP 200");
    decode(&response.body)
}

/// A logged-in user of a test server.
#[derive(Clone, Debug)]
pub struct Session {
    pub addr: SocketAddr,
    pub db: String,
    pub uid: i64,
    pub password: String,
}

impl Session {
    pub fn new(server: &taskflow_server::TestServer, admin: bool) -> Session {
        let c = if admin { server.admin() } else { server.demo() };
        Session {
            addr: server.addr(),
            db: server.db().to_owned(),
            uid: c.uid,
            password: c.password,
        }
    }

    /// `execute_kw(db, uid, password, model, method, args, kwargs)`.
    pub async fn execute_kw(
        &self,
        model: &str,
        method: &str,
        args: Vec<Value>,
        kwargs: Vec<(&str, Value)>,
    ) -> Result<Value, RawFault> {
        let kwargs = Value::Struct(kwargs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
        call(
            self.addr,
            "/xmlrpc/2/object",
            "execute_kw",
            vec![
                Value::from(self.db.as_str()),
                Value::Int(self.uid),
                Value::from(self.password.as_str()),
                Value::from(model),
                Value::from(method),
                Value::Array(args),
                kwargs,
            ],
        )
        .await
    }

    /// Like [`Session::execute_kw`], panicking on a fault.
    pub async fn ok(
        &self,
        model: &str,
        method: &str,
        args: Vec<Value>,
        kwargs: Vec<(&str, Value)>,
    ) -> Value {
        match self.execute_kw(model, method, args, kwargs).await {
            Ok(v) => v,
            Err(f) => panic!("{model}.{method} failed: {f}"),
        }
    }
}

/// Shorthand for building values in tests.
pub fn s(v: &str) -> Value {
    Value::from(v)
}

pub fn i(v: i64) -> Value {
    Value::Int(v)
}

pub fn arr(items: Vec<Value>) -> Value {
    Value::Array(items)
}

pub fn st(members: Vec<(&str, Value)>) -> Value {
    Value::Struct(
        members
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

pub fn leaf(field: &str, op: &str, value: Value) -> Value {
    arr(vec![s(field), s(op), value])
}

/// The parameters of a recorded `methodCall` body.
pub fn decode_call(body: &[u8]) -> Vec<Value> {
    xmlrpc::decode_call::<Vec<Value>>(body, &Limits::default())
        .expect("a valid methodCall")
        .params
}
