//! A loopback HTTP/1.1 server for the runtime tests: raw tokio TCP, answering each request as a
//! test script says (recorded fixtures, error pages, broken connections), and counting requests.
//!
//! Included by the `runtime_*` tests and `error_chain` with `mod runtime_support;`: a module
//! directory, so that cargo does not build it as a test crate of its own.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use taskflow_sdk::xmlrpc::{self, Limits, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The recorded transcripts of a real server.
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/odoo-17");

/// The response body recorded as `NNN-name.response.xml`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(FIXTURES).join(format!("{name}.response.xml"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The password every test session uses: no output may contain it.
pub const PASSWORD: &str = "s3cr3t-Pa55w0rd-never-printed";

/// One request the server saw.
#[derive(Clone, Debug)]
pub struct Seen {
    /// The request path, like `/xmlrpc/2/object`.
    pub path: String,
    /// The HTTP method.
    pub http_method: String,
    /// Request headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
    /// `<methodName>`.
    pub method: String,
    /// The decoded parameters.
    pub params: Vec<Value>,
}

impl Seen {
    /// For `execute_kw`: the model method (params[4]).
    pub fn model_method(&self) -> Option<&str> {
        self.params.get(4).and_then(Value::as_str)
    }

    /// A header value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How to answer one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// 200, `text/xml`, with `Content-Length`, connection kept alive.
    Xml(Vec<u8>),
    /// Any status with an HTML body.
    Status(u16, &'static str),
    /// Any status, headers and body, with `Content-Length` (redirects, JSON-2 answers).
    Raw(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// `Content-Length` says more than is sent, then the connection closes.
    Truncated(Vec<u8>),
    /// No `Content-Length`, `Connection: close`; the body is sent as is and the connection
    /// closed (a document cut short when the body is cut).
    CloseDelimited(Vec<u8>),
    /// Headers and half of the body, then a TCP reset.
    ResetMidBody(Vec<u8>),
    /// Chunked transfer encoding (no declared length).
    Chunked(Vec<u8>),
    /// Never answers (the connection stays open).
    Hang,
    /// Waits, then answers.
    Delayed(Duration, Box<Reply>),
}

type Handler = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

/// A running loopback server that answers each request with what its script (a handler) returns;
/// not the embedded TaskFlow server (`taskflow_server::TestServer`): it knows no models.
pub struct ScriptedServer {
    addr: std::net::SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    count: Arc<AtomicUsize>,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ScriptedServer {
    /// Starts a server answering with `handler(request, index)`; `index` counts requests from 0.
    pub async fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let count = Arc::new(AtomicUsize::new(0));
        let connections = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let task = {
            let (seen, count, connections) = (seen.clone(), count.clone(), connections.clone());
            tokio::spawn(async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    connections.fetch_add(1, Ordering::SeqCst);
                    let (seen, count, handler) = (seen.clone(), count.clone(), handler.clone());
                    tokio::spawn(async move {
                        let _ = serve(stream, seen, count, handler).await;
                    });
                }
            })
        };
        ScriptedServer {
            addr,
            seen,
            count,
            connections,
            task,
        }
    }

    /// Always answers with the same reply.
    pub async fn always(reply: Reply) -> Self {
        ScriptedServer::start(move |_, _| reply.clone()).await
    }

    /// `http://127.0.0.1:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many requests arrived (complete with their body).
    pub fn requests(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// How many TCP connections were accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Every request seen, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The last request seen.
    pub fn last(&self) -> Seen {
        self.seen().pop().expect("no request seen")
    }
}

async fn serve(
    mut stream: TcpStream,
    seen: Arc<Mutex<Vec<Seen>>>,
    count: Arc<AtomicUsize>,
    handler: Arc<Handler>,
) -> std::io::Result<()> {
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::with_capacity(8192);
    loop {
        // Headers.
        let header_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i;
            }
            let mut chunk = [0u8; 8192];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or_default().to_owned();
        let mut parts = request_line.split(' ');
        let http_method = parts.next().unwrap_or_default().to_owned();
        let path = parts.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let length: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let body_start = header_end + 4;
        while buf.len() < body_start + length {
            let mut chunk = [0u8; 65536];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let body = buf[body_start..body_start + length].to_vec();
        buf.drain(..body_start + length);
        let (method, params) = match xmlrpc::decode_call::<Vec<Value>>(&body, &Limits::default()) {
            Ok(call) => (call.method, call.params),
            Err(_) => (String::new(), Vec::new()),
        };
        let request = Seen {
            path,
            http_method,
            headers,
            body,
            method,
            params,
        };
        let index = count.fetch_add(1, Ordering::SeqCst);
        seen.lock().unwrap().push(request.clone());
        let mut reply = handler(&request, index);
        while let Reply::Delayed(delay, inner) = reply {
            tokio::time::sleep(delay).await;
            reply = *inner;
        }
        match reply {
            Reply::Xml(body) => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(&body).await?;
            }
            Reply::Status(status, page) => {
                let head = format!(
                    "HTTP/1.1 {status} Whatever\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
                    page.len()
                );
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(page.as_bytes()).await?;
            }
            Reply::Raw(status, headers, body) => {
                let mut head = format!("HTTP/1.1 {status} Whatever\r\n");
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(&body).await?;
            }
            Reply::Truncated(body) => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
                    body.len() * 2
                );
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(&body).await?;
                stream.shutdown().await?;
                return Ok(());
            }
            Reply::CloseDelimited(body) => {
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nConnection: close\r\n\r\n";
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(&body).await?;
                stream.shutdown().await?;
                return Ok(());
            }
            Reply::ResetMidBody(body) => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(&body[..body.len() / 2]).await?;
                stream.flush().await?;
                // Let the client read what was sent, then reset instead of closing cleanly.
                tokio::time::sleep(Duration::from_millis(5)).await;
                // SO_LINGER 0 then close sends a TCP RST. Deprecated in tokio because the close
                // may block; harmless here.
                #[allow(deprecated)]
                stream.set_linger(Some(Duration::ZERO))?;
                drop(stream);
                return Ok(());
            }
            Reply::Chunked(body) => {
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n";
                stream.write_all(head.as_bytes()).await?;
                for chunk in body.chunks(16 * 1024) {
                    stream
                        .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                        .await?;
                    stream.write_all(chunk).await?;
                    stream.write_all(b"\r\n").await?;
                }
                stream.write_all(b"0\r\n\r\n").await?;
            }
            Reply::Hang => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return Ok(());
            }
            Reply::Delayed(..) => unreachable!(),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Answers `version`, `authenticate` (uid 2) and each `execute_kw` with `object(request)`.
pub fn odoo(
    object: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static,
) -> impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static {
    move |req, index| match req.method.as_str() {
        "version" => Reply::Xml(fixture("001-common-version")),
        "authenticate" => Reply::Xml(fixture("002-common-authenticate-admin")),
        _ => object(req, index),
    }
}
