//! HTTP transport: POSTs XML bodies over a pooled keep-alive reqwest client, enforces the
//! maximum response size while the body streams in, and retries calls that are safe to repeat.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use bytes::Bytes;
use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use tracing::Span;

use crate::error::{CallInfo, Error, Result};

/// Model methods that only read, so repeating them after a transient failure is harmless.
const READ_ONLY_METHODS: &[&str] = &[
    "read",
    "search",
    "search_read",
    "search_count",
    "fields_get",
    "name_get",
    "name_search",
    "default_get",
];

/// When to retry a call after a transient failure (connection failure, timeout, broken
/// connection, HTTP 502/503/504), and how long to wait in between.
///
/// Only calls that are safe to repeat are retried: `version`, `authenticate`, and the read-only
/// model methods `read`, `search`, `search_read`, `search_count`, `fields_get`, `name_get`,
/// `name_search`, `default_get`, plus any added with [`RetryPolicy::idempotent_method`]. `create`,
/// `write`, `unlink` and every other method are sent once: the server may have done the work
/// even when the answer was lost.
///
/// ```
/// use std::time::Duration;
/// use taskflow_sdk::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(4)
///     .backoff(Duration::from_millis(50), Duration::from_secs(2))
///     .idempotent_method("read_group");
/// assert!(policy.is_idempotent("read_group"));
/// assert!(!policy.is_idempotent("write"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    extra_idempotent: Vec<String>,
}

impl Default for RetryPolicy {
    /// Two retries, backing off from 100 ms up to 2 s.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            extra_idempotent: Vec::new(),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn never() -> Self {
        RetryPolicy::default().max_retries(0)
    }

    /// How many times a call may be repeated after the first attempt.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The wait before the first retry, doubling on each retry up to `max` (with jitter: each
    /// wait is between half and all of that).
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Treats a model method as safe to repeat (a custom read-only method, say).
    pub fn idempotent_method(mut self, method: impl Into<String>) -> Self {
        self.extra_idempotent.push(method.into());
        self
    }

    /// Whether `method` (a model method of `execute_kw`) may be retried.
    pub fn is_idempotent(&self, method: &str) -> bool {
        READ_ONLY_METHODS.contains(&method) || self.extra_idempotent.iter().any(|m| m == method)
    }

    /// The configured number of retries.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    fn delay(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32.checked_shl(retry).unwrap_or(u32::MAX))
            .min(self.max_backoff);
        // Full jitter between 50 % and 100 % keeps many clients from retrying in lock step.
        let mut h = RandomState::new().build_hasher();
        h.write_u32(retry);
        let fraction = 0.5 + (h.finish() % 1000) as f64 / 2000.0;
        exp.mul_f64(fraction)
    }
}

/// Settings of the transport, collected by the client builder.
pub(crate) struct TransportConfig {
    pub(crate) max_response_size: u64,
    pub(crate) retry: RetryPolicy,
}

/// POSTs XML-RPC bodies.
#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    max_response_size: u64,
    retry: RetryPolicy,
    /// Request bodies sent and given back, for the next requests to encode into: a bulk load
    /// sends megabyte bodies one after another, and a fresh allocation of that size comes from
    /// the system zeroed and page-faulted in each time (a tenth of a load's client CPU).
    spare_bodies: std::sync::Mutex<Vec<Vec<u8>>>,
}

/// How many request bodies [`Transport`] keeps for reuse, and the largest it keeps: enough for
/// the chunks of a bulk load in flight, without holding on to an outsized one.
const SPARE_BODIES: (usize, usize) = (8, 4 << 20);

/// How much of an error page to keep for the error message.
const EXCERPT_BYTES: usize = 2048;

impl Transport {
    pub(crate) fn new(http: reqwest::Client, config: TransportConfig) -> Self {
        Transport {
            http,
            max_response_size: config.max_response_size,
            retry: config.retry,
            spare_bodies: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// An empty buffer to encode a request body into: one given back by an earlier request if
    /// any, else a new one of `capacity`.
    pub(crate) fn body_buffer(&self, capacity: usize) -> Vec<u8> {
        let spare = self
            .spare_bodies
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop();
        match spare {
            Some(mut body) => {
                body.clear();
                body.reserve(capacity);
                body
            }
            None => Vec::with_capacity(capacity),
        }
    }

    /// Keeps a sent body for reuse, if nothing else holds it and it is not outsized.
    fn give_back(&self, body: Bytes) {
        let Ok(mut body) = body.try_into_mut() else {
            return;
        };
        if body.capacity() > SPARE_BODIES.1 {
            return;
        }
        body.clear();
        let mut spare = self.spare_bodies.lock().unwrap_or_else(|e| e.into_inner());
        if spare.len() < SPARE_BODIES.0 {
            spare.push(Vec::from(body));
        }
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    pub(crate) fn max_response_size(&self) -> u64 {
        self.max_response_size
    }

    /// Sends `body` to `url` and returns the response body, retrying transient failures when
    /// `idempotent`. Records `attempts` and `response_bytes` on `span`.
    pub(crate) async fn post(
        &self,
        url: &Url,
        body: Vec<u8>,
        idempotent: bool,
        call: &CallInfo,
        span: &Span,
    ) -> Result<Vec<u8>> {
        let body = Bytes::from(body);
        let retries = if idempotent {
            self.retry.max_retries
        } else {
            0
        };
        let mut attempt = 0;
        loop {
            let result = self.attempt(url, body.clone(), call).await;
            span.record("attempts", attempt + 1);
            match result {
                Ok(bytes) => {
                    span.record("response_bytes", bytes.len());
                    self.give_back(body);
                    return Ok(bytes);
                }
                Err(e) if attempt < retries && e.is_transient() => {
                    let delay = self.retry.delay(attempt);
                    tracing::debug!(
                        attempt = attempt + 1,
                        delay_ms = delay.as_secs_f64() * 1000.0,
                        error = %e,
                        "transient failure, retrying"
                    );
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn attempt(&self, url: &Url, body: Bytes, call: &CallInfo) -> Result<Vec<u8>> {
        let mut response = self
            .http
            .post(url.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static("text/xml"))
            .body(body)
            .send()
            .await
            .map_err(|e| classify(e, call))?;
        let status = response.status();
        if status != reqwest::StatusCode::OK {
            let mut page = Vec::new();
            // The page is only for the message: read a little, ignore a body that breaks off.
            while page.len() < EXCERPT_BYTES {
                match response.chunk().await {
                    Ok(Some(chunk)) => page.extend_from_slice(&chunk),
                    _ => break,
                }
            }
            return Err(Error::Status {
                status: status.as_u16(),
                excerpt: excerpt(&page),
                call: call.clone(),
            });
        }
        let limit = self.max_response_size;
        let too_large = || Error::ResponseTooLarge {
            limit,
            call: call.clone(),
        };
        let declared = response.content_length();
        if declared.is_some_and(|len| len > limit) {
            return Err(too_large());
        }
        let capacity = declared
            .unwrap_or(8 * 1024)
            .min(limit)
            .min(64 * 1024 * 1024);
        let mut buf = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(|e| classify(e, call))? {
            if (buf.len() + chunk.len()) as u64 > limit {
                return Err(too_large());
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(buf)
    }
}

/// Sorts a reqwest error into timeout, connect, or broken exchange. The URL is dropped from
/// the error: it may carry credentials.
fn classify(e: reqwest::Error, call: &CallInfo) -> Error {
    let call = call.clone();
    if e.is_timeout() {
        Error::Timeout {
            call,
            source: Box::new(e.without_url()),
        }
    } else if e.is_connect() {
        Error::Connect {
            call,
            source: Box::new(e.without_url()),
        }
    } else {
        Error::Transport {
            call,
            source: Box::new(e.without_url()),
        }
    }
}

/// The start of an error page, tags removed and whitespace collapsed.
fn excerpt(page: &[u8]) -> String {
    let text = String::from_utf8_lossy(&page[..page.len().min(EXCERPT_BYTES)]);
    let mut out = String::new();
    let mut in_tag = false;
    let mut space = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                space = true;
            }
            _ if in_tag => {}
            c if c.is_whitespace() => space = true,
            c => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
        if out.chars().count() >= 200 {
            out.push('…');
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport() -> Transport {
        Transport::new(
            reqwest::Client::new(),
            TransportConfig {
                max_response_size: 1 << 20,
                retry: RetryPolicy::default(),
            },
        )
    }

    #[test]
    fn sent_bodies_are_reused_unless_shared_or_outsized() {
        let transport = transport();
        let mut body = Vec::with_capacity(100_000);
        body.extend_from_slice(b"<methodCall/>");
        let at = body.as_ptr();
        transport.give_back(Bytes::from(body));
        let reused = transport.body_buffer(10);
        assert!(reused.is_empty());
        assert_eq!(reused.as_ptr(), at, "the same allocation comes back");
        assert!(reused.capacity() >= 100_000);
        assert!(
            transport.body_buffer(10).capacity() < 100_000,
            "and only once"
        );

        // Still held elsewhere (a request being resent): not taken.
        let shared = Bytes::from(vec![b'x'; 1000]);
        let held = shared.clone();
        transport.give_back(shared);
        assert_eq!(held.len(), 1000);
        // Outsized: let go.
        transport.give_back(Bytes::from(vec![0; SPARE_BODIES.1 + 1]));
        assert!(transport.body_buffer(10).capacity() < 1000);

        // At most a handful kept.
        for _ in 0..SPARE_BODIES.0 + 3 {
            transport.give_back(Bytes::from(vec![1u8]));
        }
        assert_eq!(transport.spare_bodies.lock().unwrap().len(), SPARE_BODIES.0);
    }

    #[test]
    fn excerpt_strips_tags_and_collapses_whitespace() {
        let page = b"<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n\
                     <h1>Method Not Allowed</h1>";
        assert_eq!(excerpt(page), "405 Method Not Allowed Method Not Allowed");
    }

    #[test]
    fn backoff_doubles_within_jitter_and_caps() {
        let p =
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(300));
        for _ in 0..20 {
            let d0 = p.delay(0);
            assert!(
                d0 >= Duration::from_millis(50) && d0 <= Duration::from_millis(100),
                "{d0:?}"
            );
            let d1 = p.delay(1);
            assert!(
                d1 >= Duration::from_millis(100) && d1 <= Duration::from_millis(200),
                "{d1:?}"
            );
            let d9 = p.delay(40);
            assert!(
                d9 >= Duration::from_millis(150) && d9 <= Duration::from_millis(300),
                "{d9:?}"
            );
        }
    }

    #[test]
    fn only_read_methods_are_idempotent_by_default() {
        let p = RetryPolicy::default();
        for m in READ_ONLY_METHODS {
            assert!(p.is_idempotent(m));
        }
        for m in [
            "create",
            "write",
            "unlink",
            "load",
            "action_archive",
            "no_such_method",
        ] {
            assert!(!p.is_idempotent(m), "{m}");
        }
    }
}
