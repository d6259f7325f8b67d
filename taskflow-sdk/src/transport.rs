//! HTTP transport: sends XML-RPC, JSON-RPC or JSON-2 requests over a pooled reqwest client, bounds the requests a client
//! has in flight, enforces the maximum response size while the body streams in, and decides which
//! failed calls are sent again.
//!
//! # The retry table
//!
//! A failed call is sent again only when the failure shows what the server did with it. Each
//! cause is retried with backoff until the policy's deadline ([`RetryPolicy::deadline`], 10 s
//! by default: long enough for a read to ride out a server restart of a few seconds).
//!
//! | Cause ([`RetryCause`]) | Failures | Retried for |
//! |---|---|---|
//! | [`NeverRan`](RetryCause::NeverRan): the method never ran | the pool fault `psycopg2.pool.PoolError: The Connection Pool Is Full` (odoo-17/133, raised while borrowing a connection); a database refusing a new connection (`OperationalError` saying "remaining connection slots are reserved" or "too many clients"); no connection could be made (refused, unreachable: the request was never sent) | every method, `create` included |
//! | [`RolledBack`](RetryCause::RolledBack): the server rolled the call back | a concurrency failure left after the server's own retries (`SerializationFailure`, `DeadlockDetected`, `LockNotAvailable`, `TransactionRollbackError`) | every method: the transaction was rolled back, so nothing of the call stays, and the server itself retries these on every method |
//! | [`MayHaveRun`](RetryCause::MayHaveRun): the answer was lost | HTTP 500 (a real server answers faults with HTTP 200; its 500 is a generic page, 134, also produced by a crash after the method ran); HTTP 502, 503, 504; a timeout; a connection reset or closed mid-exchange | read-only methods (`read`, `search`, `search_read`, `search_count`, `fields_get`, `name_get`, `name_search`, `default_get`, those added with [`RetryPolicy::idempotent_method`]) and `version`/`authenticate`; and the bulk loader's chunks whose rows all carry an external id, since loading them again updates the same records |
//!
//! Everything else is not retried: a TLS handshake that refused the server's certificate,
//! faults (access, missing records, user and server errors),
//! an unknown database (also an `OperationalError`, saying "does not exist": 006, 071), bodies
//! that do not decode, and responses over the size limit.
//!
//! # Requests in flight
//!
//! A client sends at most [`ClientBuilder::max_in_flight`](crate::ClientBuilder::max_in_flight)
//! requests at once (16 by default), across all of its sessions, loaders and streams: a real
//! server refuses work beyond its connection pool (64 connections, two per call), so a burst of
//! 200 calls must queue in the client rather than fail on the server. Callers beyond the bound
//! wait; the wait shows in the call's span as `queued_ms`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use tokio::sync::Semaphore;
use tracing::Span;

pub use crate::error::RetryCause;
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

/// When to send a failed call again, and how long to keep trying: the
/// [retry table](self#the-retry-table) and a time budget.
///
/// Retries wait with exponential backoff and jitter, and none starts after the deadline,
/// counted from the call's first attempt.
///
/// ```
/// use std::time::Duration;
/// use taskflow_sdk::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .deadline(Duration::from_secs(30))
///     .backoff(Duration::from_millis(50), Duration::from_secs(2))
///     .idempotent_method("read_group");
/// assert!(policy.is_idempotent("read_group"));
/// assert!(!policy.is_idempotent("write"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct RetryPolicy {
    deadline: Duration,
    max_retries: Option<u32>,
    initial_backoff: Duration,
    max_backoff: Duration,
    extra_idempotent: Vec<String>,
}

impl Default for RetryPolicy {
    /// Retries until 10 s after the first attempt, backing off from 100 ms up to 2 s.
    fn default() -> Self {
        RetryPolicy {
            deadline: Duration::from_secs(10),
            max_retries: None,
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

    /// The time budget of a call's retries, from its first attempt: no retry starts after it
    /// (default 10 s).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// At most this many retries of a call, within the deadline (default: no count, only the
    /// deadline).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
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

    /// Whether `method` (a model method of `execute_kw`) may be repeated when its answer was
    /// lost ([`RetryCause::MayHaveRun`]).
    pub fn is_idempotent(&self, method: &str) -> bool {
        READ_ONLY_METHODS.contains(&method) || self.extra_idempotent.iter().any(|m| m == method)
    }

    /// The configured time budget.
    pub fn budget(&self) -> Duration {
        self.deadline
    }

    /// How long to wait before sending a call again after `error`, or `None` to give up: the
    /// call failed `retry + 1` times, the first attempt started `elapsed` ago, and
    /// `idempotent` says whether the call may be repeated when its answer was lost.
    pub fn next_retry(
        &self,
        error: &Error,
        idempotent: bool,
        retry: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        let allowed = match error.retry_cause()? {
            RetryCause::NeverRan | RetryCause::RolledBack => true,
            RetryCause::MayHaveRun => idempotent,
        };
        if !allowed || self.max_retries.is_some_and(|max| retry >= max) {
            return None;
        }
        let delay = self.delay(retry);
        (elapsed.saturating_add(delay) <= self.deadline).then_some(delay)
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
    pub(crate) max_in_flight: usize,
}

/// Sends the protocols' requests over one pooled HTTP client.
#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    max_response_size: u64,
    retry: RetryPolicy,
    /// One permit per request in flight, shared by everything the client sends.
    in_flight: Arc<Semaphore>,
    max_in_flight: usize,
    /// Request bodies sent and response bodies decoded, given back for the next exchanges to
    /// encode or read into: a bulk load sends, and a stream reads, megabyte bodies one after
    /// another, and a fresh allocation of that size comes from the system zeroed and
    /// page-faulted in each time (a tenth of a load's client CPU).
    spare_bodies: std::sync::Mutex<Vec<Vec<u8>>>,
}

/// How many bodies [`Transport`] keeps for reuse, and the largest it keeps: enough for the
/// chunks of a bulk load or the pages of a stream in flight, without holding on to an outsized
/// one.
const SPARE_BODIES: (usize, usize) = (8, 4 << 20);

/// How much of an error page to keep for the error message.
const EXCERPT_BYTES: usize = 2048;

impl Transport {
    pub(crate) fn new(http: reqwest::Client, config: TransportConfig) -> Self {
        Transport {
            http,
            max_response_size: config.max_response_size,
            retry: config.retry,
            in_flight: Arc::new(Semaphore::new(config.max_in_flight)),
            max_in_flight: config.max_in_flight,
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
        if let Ok(body) = body.try_into_mut() {
            self.keep(Vec::from(body));
        }
    }

    /// Keeps a decoded response's body for reuse.
    pub(crate) fn recycle_reply(&self, reply: Reply) {
        match reply {
            Reply::Ok(body) | Reply::JsonError { body, .. } => self.keep(body),
        }
    }

    fn keep(&self, mut body: Vec<u8>) {
        if body.capacity() > SPARE_BODIES.1 || body.capacity() == 0 {
            return;
        }
        body.clear();
        let mut spare = self.spare_bodies.lock().unwrap_or_else(|e| e.into_inner());
        if spare.len() < SPARE_BODIES.0 {
            spare.push(body);
        }
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    pub(crate) fn max_response_size(&self) -> u64 {
        self.max_response_size
    }

    pub(crate) fn max_in_flight(&self) -> usize {
        self.max_in_flight
    }

    /// Sends `request` once, within the in-flight bound, and returns the response body.
    /// Adds the time spent waiting for the bound to `queued`.
    pub(crate) async fn send(
        &self,
        request: &Request<'_>,
        body: Bytes,
        call: &CallInfo,
        queued: &mut Duration,
    ) -> Result<Reply> {
        let waiting = Instant::now();
        // The semaphore is never closed, so acquiring only waits.
        let _permit = self.in_flight.acquire().await.ok();
        *queued += waiting.elapsed();
        self.attempt(request, body, call).await
    }

    /// Keeps a body whose call is over for the next requests to encode into.
    pub(crate) fn recycle(&self, body: Bytes) {
        self.give_back(body);
    }

    /// Records the attempts and the time queued on a call's span.
    pub(crate) fn record(span: &Span, attempts: u32, queued: Duration) {
        span.record("attempts", attempts);
        span.record("queued_ms", queued.as_secs_f64() * 1000.0);
    }

    async fn attempt(&self, request: &Request<'_>, body: Bytes, call: &CallInfo) -> Result<Reply> {
        let builder = match request.method {
            Method::Get => self.http.get(request.url.clone()),
            Method::Post => self
                .http
                .post(request.url.clone())
                .header(CONTENT_TYPE, HeaderValue::from_static(request.content_type))
                .body(body),
        };
        let mut response = builder
            .headers(request.headers.clone())
            .send()
            .await
            .map_err(|e| classify(e, call))?;
        let status = response.status();
        let json_error = request.json_errors
            && status != reqwest::StatusCode::OK
            && response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/json"));
        if status != reqwest::StatusCode::OK && !json_error {
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
        let mut buf = self.body_buffer(usize::try_from(capacity).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(|e| classify(e, call))? {
            if (buf.len() + chunk.len()) as u64 > limit {
                return Err(too_large());
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(if json_error {
            Reply::JsonError {
                status: status.as_u16(),
                body: buf,
            }
        } else {
            Reply::Ok(buf)
        })
    }
}

/// The HTTP method of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
}

/// Where and how one request goes: the protocol's part of the exchange, which the transport
/// does not interpret.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    pub(crate) method: Method,
    pub(crate) url: &'a Url,
    pub(crate) content_type: &'static str,
    /// Extra headers (JSON-2's `Authorization`, marked sensitive, and `X-Odoo-Database`).
    pub(crate) headers: HeaderMap,
    /// Whether a status other than 200 with a JSON body is the protocol's error answer (JSON-2)
    /// rather than a transport error.
    pub(crate) json_errors: bool,
}

/// A response the protocol decodes.
#[derive(Debug)]
pub(crate) enum Reply {
    /// HTTP 200 and its body.
    Ok(Vec<u8>),
    /// Another status with a JSON body, when the request asked for them ([`Request::json_errors`]).
    JsonError { status: u16, body: Vec<u8> },
}

/// Sorts a reqwest error into timeout, connect, or broken exchange. The URL is dropped from
/// the error: it may carry credentials.
fn classify(e: reqwest::Error, call: &CallInfo) -> Error {
    let call = call.clone();
    if e.is_redirect() {
        Error::Redirect {
            call,
            source: Box::new(e.without_url()),
        }
    } else if e.is_timeout() {
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
pub(crate) fn excerpt(page: &[u8]) -> String {
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
                max_in_flight: 16,
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
    fn decoded_response_bodies_are_reused_unless_outsized() {
        let transport = transport();
        let mut body = Vec::with_capacity(200_000);
        body.extend_from_slice(b"[1, 2, 3]");
        let at = body.as_ptr();
        transport.recycle_reply(Reply::Ok(body));
        let reused = transport.body_buffer(10);
        assert!(reused.is_empty());
        assert_eq!(reused.as_ptr(), at, "the response's allocation comes back");
        transport.recycle_reply(Reply::JsonError {
            status: 500,
            body: vec![0; SPARE_BODIES.1 + 1],
        });
        assert!(transport.spare_bodies.lock().unwrap().is_empty());
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

    fn fault(code: i64, string: &str) -> Error {
        Error::from_fault(
            crate::Fault::from_raw(crate::xmlrpc::RawFault {
                code: crate::xmlrpc::FaultCode::Int(code),
                string: string.to_owned(),
            }),
            CallInfo::new(
                "http://127.0.0.1/xmlrpc/2/object",
                Some("crm.lead"),
                "create",
            ),
        )
    }

    fn traceback(last_line: &str) -> String {
        format!(
            "Traceback (most recent call last):\n  File \"odoo/sql_db.py\", line 1\n{last_line}\n"
        )
    }

    fn status(code: u16) -> Error {
        Error::Status {
            status: code,
            excerpt: String::new(),
            call: CallInfo::new("http://127.0.0.1/xmlrpc/2/object", Some("crm.lead"), "read"),
        }
    }

    #[test]
    fn the_retry_table_sorts_failures_by_cause() {
        use RetryCause::*;
        let cases: Vec<(Error, Option<RetryCause>)> = vec![
            (
                fault(
                    1,
                    &traceback("psycopg2.pool.PoolError: The Connection Pool Is Full"),
                ),
                Some(NeverRan),
            ),
            (
                fault(
                    1,
                    &traceback(
                        "psycopg2.OperationalError: connection to server failed: FATAL:  \
                         remaining connection slots are reserved for non-replication superuser \
                         connections",
                    ),
                ),
                Some(NeverRan),
            ),
            (
                fault(
                    1,
                    &traceback(
                        "psycopg2.OperationalError: FATAL:  sorry, too many clients already",
                    ),
                ),
                Some(NeverRan),
            ),
            (
                // An unknown database is the same type, and never worth another try (071).
                fault(
                    1,
                    &traceback(
                        "psycopg2.OperationalError: connection to server on socket \
                         \"/var/run/postgresql/.s.PGSQL.5432\" failed: FATAL:  database \
                         \"nope\" does not exist",
                    ),
                ),
                None,
            ),
            (
                fault(
                    1,
                    &traceback(
                        "psycopg2.errors.SerializationFailure: could not serialize access due to \
                         concurrent update",
                    ),
                ),
                Some(RolledBack),
            ),
            (
                fault(
                    1,
                    &traceback("psycopg2.errors.DeadlockDetected: deadlock detected"),
                ),
                Some(RolledBack),
            ),
            (fault(1, &traceback("ValueError: Invalid field 'x'")), None),
            (fault(2, "Record does not exist or has been deleted."), None),
            (fault(3, "Access Denied"), None),
            (fault(4, "You are not allowed to access 'Model Data'"), None),
            (status(500), Some(MayHaveRun)),
            (status(502), Some(MayHaveRun)),
            (status(503), Some(MayHaveRun)),
            (status(504), Some(MayHaveRun)),
            (status(404), None),
            (status(405), None),
        ];
        for (error, cause) in cases {
            assert_eq!(error.retry_cause(), cause, "{error}");
            assert_eq!(error.is_transient(), cause.is_some(), "{error}");
        }
    }

    #[test]
    fn causes_decide_which_methods_retry_until_the_deadline() {
        let policy = RetryPolicy::default()
            .backoff(Duration::from_millis(100), Duration::from_millis(100))
            .deadline(Duration::from_secs(1));
        let pool = fault(
            1,
            &traceback("psycopg2.pool.PoolError: The Connection Pool Is Full"),
        );
        let lost = status(502);
        let zero = Duration::ZERO;
        // Never ran: any method. May have run: only idempotent ones.
        assert!(policy.next_retry(&pool, false, 0, zero).is_some());
        assert!(policy.next_retry(&lost, true, 0, zero).is_some());
        assert!(policy.next_retry(&lost, false, 0, zero).is_none());
        // No retry starts after the deadline, however many came before.
        assert!(
            policy
                .next_retry(&lost, true, 40, Duration::from_millis(850))
                .is_some()
        );
        assert!(
            policy
                .next_retry(&lost, true, 0, Duration::from_millis(960))
                .is_none()
        );
        // A count, when set, stops earlier.
        let counted = policy.clone().max_retries(2);
        assert!(counted.next_retry(&lost, true, 1, zero).is_some());
        assert!(counted.next_retry(&lost, true, 2, zero).is_none());
        assert!(
            RetryPolicy::never()
                .next_retry(&pool, true, 0, zero)
                .is_none()
        );
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
