//! A loopback HTTP/1.1 proxy that can swallow the reply to a chosen request after the server has
//! handled it: the failure that makes resending a non-idempotent call dangerous.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Counters of what went through the proxy.
#[derive(Default)]
pub struct Stats {
    /// Requests whose body matched the proxy's pattern.
    pub matched: AtomicUsize,
    /// Replies swallowed (connection closed instead).
    pub dropped: AtomicUsize,
}

/// What a request body calling `method` holds, in the protocol the tests speak
/// ([`super::protocol`]): `>load</` in XML-RPC's `<string>load</string>`, `"load"` in JSON-RPC's
/// arguments.
pub fn method(method: &'static str) -> &'static str {
    let pattern = match super::protocol() {
        taskflow_sdk::Protocol::JsonRpc => format!("\"{method}\""),
        // JSON-2 names the method in the request line: `POST /json/2/crm.lead/load HTTP/1.1`.
        taskflow_sdk::Protocol::Json2 | taskflow_sdk::Protocol::Auto => {
            format!("/{method} HTTP/1.1")
        }
        _ => format!(">{method}</"),
    };
    // A test's few patterns live as long as it does.
    Box::leak(pattern.into_boxed_str())
}

/// Proxy in front of `upstream` (host:port) that, for the first `drop_count` requests whose body
/// contains `pattern`, forwards the request, waits for the full reply, then closes the client
/// connection without sending it.
pub async fn start(
    upstream: String,
    pattern: &'static str,
    drop_count: usize,
) -> (String, Arc<Stats>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy binds");
    let url = format!("http://{}", listener.local_addr().expect("proxy address"));
    let stats = Arc::new(Stats::default());
    let shared = Arc::clone(&stats);
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let upstream = upstream.clone();
            let stats = Arc::clone(&shared);
            tokio::spawn(async move {
                let _ = serve(client, upstream, pattern, drop_count, stats).await;
            });
        }
    });
    (url, stats)
}

/// Reads one HTTP/1.1 message with a Content-Length body; None at a clean end of stream.
async fn read_message(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<Vec<u8>>> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            let total = end + 4 + length;
            while buf.len() < total {
                let mut chunk = [0u8; 65536];
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let message = buf[..total].to_vec();
            buf.drain(..total);
            return Ok(Some(message));
        }
        let mut chunk = [0u8; 65536];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn serve(
    mut client: TcpStream,
    upstream: String,
    pattern: &'static str,
    drop_count: usize,
    stats: Arc<Stats>,
) -> std::io::Result<()> {
    let mut client_buf = Vec::new();
    while let Some(request) = read_message(&mut client, &mut client_buf).await? {
        let matched = request
            .windows(pattern.len())
            .any(|w| w == pattern.as_bytes());
        let drop_reply = matched && stats.matched.fetch_add(1, Ordering::SeqCst) < drop_count;
        // One upstream connection per request keeps the proxy simple.
        let mut server = TcpStream::connect(&upstream).await?;
        server.write_all(&request).await?;
        let mut server_buf = Vec::new();
        let reply = read_message(&mut server, &mut server_buf)
            .await?
            .ok_or(std::io::ErrorKind::UnexpectedEof)?;
        if drop_reply {
            stats.dropped.fetch_add(1, Ordering::SeqCst);
            return Ok(()); // the server did the work; the client never hears of it
        }
        client.write_all(&reply).await?;
    }
    Ok(())
}
