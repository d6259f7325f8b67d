//! The client of a server's external API (XML-RPC or JSON-RPC): configuration, `version`,
//! `authenticate`, and the one `call` every request goes through.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::Url;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use tracing::field::Empty;

use crate::error::{CallInfo, Error, Fault, Result};
use crate::jsonrpc;
use crate::protocol::Protocol;
use crate::secret::Secret;
use crate::session::Session;
use crate::transport::{RetryPolicy, Transport, TransportConfig};
use crate::xmlrpc::{self, DecodeError, DecodeErrorKind, Limits, Response, Value};

/// Default maximum response size: 128 MiB.
const DEFAULT_MAX_RESPONSE_SIZE: u64 = 128 * 1024 * 1024;

/// Requests a client has in flight at most, unless told otherwise: a real server's default pool
/// (64 connections, two per call) serves this many with room for other clients.
const DEFAULT_MAX_IN_FLIGHT: usize = 16;

/// A client of one server: a pool of keep-alive connections and its settings.
///
/// Cheap to clone (clones share the pool). Start here: [`Client::new`] or [`Client::builder`],
/// then [`Client::authenticate`] for a [`Session`].
///
/// ```no_run
/// # async fn run() -> taskflow_sdk::Result<()> {
/// use taskflow_sdk::Client;
///
/// let client = Client::new("https://demo.taskflow.co.za")?;
/// println!("{}", client.version().await?.server_version);
/// let session = client.authenticate("demo", "demo", "demo").await?;
/// println!("uid {}", session.uid());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    transport: Transport,
    protocol: Protocol,
    /// The id of the next JSON-RPC request (the server echoes it; nothing here relies on it).
    next_id: AtomicU64,
    limits: Limits,
    common: Endpoint,
    object: Endpoint,
    /// The base URL without credentials.
    display: String,
    timeout: Option<Duration>,
    /// A capacity for the next request body: the recent large ones, slowly forgotten, so that a
    /// bulk import encodes each chunk into one allocation instead of doubling its way there.
    body_hint: AtomicUsize,
}

/// Bounds of [`ClientInner::body_hint`].
const BODY_HINT: (usize, usize) = (512, 64 << 20);

/// One endpoint: the URL requests go to, and how it prints (without credentials). On JSON-RPC
/// both services share `/jsonrpc`, and the body names the service.
pub(crate) struct Endpoint {
    pub(crate) url: Url,
    pub(crate) display: String,
}

/// Which service a call goes to.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Service {
    Common,
    Object,
}

impl Service {
    /// The service's name in a JSON-RPC body.
    fn name(self) -> &'static str {
        match self {
            Service::Common => "common",
            Service::Object => "object",
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("url", &self.inner.display)
            .field("protocol", &self.inner.protocol)
            .field("timeout", &self.inner.timeout)
            .field(
                "max_response_size",
                &self.inner.transport.max_response_size(),
            )
            .field("retry", self.inner.transport.retry_policy())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client of the server at `url` (its root, like `https://example.com`), with default
    /// settings. Plain `http://` works too (loopback, development).
    pub fn new(url: &str) -> Result<Client> {
        Client::builder().url(url).build()
    }

    /// A builder to configure timeouts, the pool, TLS, retries and limits.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The server's base URL, without credentials.
    pub fn url(&self) -> &str {
        &self.inner.display
    }

    /// The wire protocol the client speaks ([`ClientBuilder::protocol`]).
    pub fn protocol(&self) -> Protocol {
        self.inner.protocol
    }

    /// The `/xmlrpc/2/object` URL without credentials.
    pub(crate) fn object_display(&self) -> String {
        self.inner.object.display.clone()
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        self.inner.transport.retry_policy()
    }

    /// The most requests this client has in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.inner.transport.max_in_flight()
    }

    /// `common.version()`: the server's version. Retried on transient failures.
    ///
    /// ```no_run
    /// # async fn run(client: taskflow_sdk::Client) -> taskflow_sdk::Result<()> {
    /// let version = client.version().await?;
    /// // The embedded taskflow-server answers "9.0" (major 9); an Odoo 17, "17.0-20240709".
    /// println!("server {} (major {:?})", version.server_version, version.major());
    /// # Ok(()) }
    /// ```
    pub async fn version(&self) -> Result<ServerVersion> {
        self.call(Service::Common, None, "version", "version", &(), true)
            .await
    }

    /// `common.authenticate(db, login, password, {})`: logs in and returns a [`Session`]
    /// holding the database, the uid and the password (or API key).
    ///
    /// A server answering `false` (wrong password, unknown login) gives
    /// [`Error::LoginRefused`]. Retried on transient failures.
    ///
    /// ```no_run
    /// # async fn run(client: taskflow_sdk::Client) -> taskflow_sdk::Result<()> {
    /// match client.authenticate("taskflow", "admin", "wrong").await {
    ///     Err(e) if e.is_login_refused() => eprintln!("{e}"),
    ///     other => { other?; }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn authenticate(&self, db: &str, login: &str, password: &str) -> Result<Session> {
        let password = Secret::new(password);
        // The fourth argument is the user-agent environment; the server only stores it.
        let user_agent_env: BTreeMap<String, Value> = BTreeMap::new();
        let answer: Value = self
            .call(
                Service::Common,
                None,
                "authenticate",
                "authenticate",
                &(db, login, password.expose(), &user_agent_env),
                true,
            )
            .await?;
        match answer {
            Value::Int(uid) if uid > 0 => Ok(Session::new(
                self.clone(),
                db.to_owned(),
                uid,
                login.to_owned(),
                password,
            )),
            Value::Bool(false) | Value::Int(_) => Err(Error::LoginRefused {
                db: db.to_owned(),
                login: login.to_owned(),
                endpoint: self.inner.common.display.clone(),
            }),
            other => Err(Error::Decode {
                source: DecodeError::new(
                    DecodeErrorKind::Type,
                    format!(
                        "authenticate answered a {}: expected a uid (int) or false",
                        other.type_name()
                    ),
                ),
                call: CallInfo::new(self.inner.common.display.clone(), None, "authenticate"),
            }),
        }
    }

    /// Sends one call and decodes its result straight into `R`, in a tracing span with the
    /// endpoint, model, method, sizes, attempts, duration and outcome (never the arguments).
    pub(crate) async fn call<P, R>(
        &self,
        service: Service,
        model: Option<&str>,
        method: &str,
        xml_method: &str,
        params: &P,
        idempotent: bool,
    ) -> Result<R>
    where
        P: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        let endpoint = match service {
            Service::Common => &self.inner.common,
            Service::Object => &self.inner.object,
        };
        let span = tracing::debug_span!(
            "taskflow.call",
            endpoint = %endpoint.display,
            model = model.unwrap_or(""),
            method,
            request_bytes = Empty,
            response_bytes = Empty,
            attempts = Empty,
            queued_ms = Empty,
            duration_ms = Empty,
            outcome = Empty,
        );
        let call = CallInfo::new(endpoint.display.clone(), model, method);
        let started = Instant::now();
        let result = async {
            let hint = &self.inner.body_hint;
            let mut body = self
                .inner
                .transport
                .body_buffer(hint.load(Ordering::Relaxed).clamp(BODY_HINT.0, BODY_HINT.1));
            match self.inner.protocol {
                Protocol::XmlRpc => xmlrpc::encode_call_into(&mut body, xml_method, params),
                Protocol::JsonRpc => {
                    let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
                    jsonrpc::encode_call_into(&mut body, id, service.name(), xml_method, params)
                }
            }
            .map_err(|source| Error::Encode {
                source,
                call: call.clone(),
            })?;
            let recent = hint.load(Ordering::Relaxed);
            hint.store(
                (recent - recent / 8).max(body.len() + body.len() / 16),
                Ordering::Relaxed,
            );
            span.record("request_bytes", body.len());
            let body = Bytes::from(body);
            let transport = &self.inner.transport;
            let policy = transport.retry_policy();
            let mut queued = Duration::ZERO;
            let mut retry = 0;
            loop {
                let result = match transport
                    .send(
                        &endpoint.url,
                        content_type(self.inner.protocol),
                        body.clone(),
                        &call,
                        &mut queued,
                    )
                    .await
                {
                    Ok(bytes) => {
                        span.record("response_bytes", bytes.len());
                        self.decode::<R>(&bytes, &call)
                    }
                    Err(e) => Err(e),
                };
                Transport::record(&span, retry + 1, queued);
                let Err(e) = result else {
                    transport.recycle(body);
                    return result;
                };
                let Some(delay) = policy.next_retry(&e, idempotent, retry, started.elapsed())
                else {
                    return Err(e);
                };
                tracing::debug!(
                    retry = retry + 1,
                    delay_ms = delay.as_secs_f64() * 1000.0,
                    cause = ?e.retry_cause(),
                    error = &e as &dyn std::error::Error,
                    "sending the call again"
                );
                tokio::time::sleep(delay).await;
                retry += 1;
            }
        }
        .instrument(span.clone())
        .await;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        span.record("duration_ms", elapsed);
        let outcome = outcome(&result);
        span.record("outcome", outcome);
        span.in_scope(|| match &result {
            Ok(_) => tracing::debug!(outcome, duration_ms = elapsed, "call finished"),
            // As an error, so that subscribers record its sources too (each prints itself only).
            Err(e) => tracing::debug!(
                outcome,
                duration_ms = elapsed,
                error = e as &dyn std::error::Error,
                "call failed"
            ),
        });
        result
    }
}

impl Client {
    /// A response body as the call's result, or its fault as an error.
    fn decode<R: DeserializeOwned>(&self, bytes: &[u8], call: &CallInfo) -> Result<R> {
        let decoded = match self.inner.protocol {
            Protocol::XmlRpc => {
                xmlrpc::decode_response::<R>(bytes, &self.inner.limits).map(|r| match r {
                    Response::Success(value) => Ok(value),
                    Response::Fault(raw) => Err(Fault::from_raw(raw)),
                })
            }
            Protocol::JsonRpc => {
                jsonrpc::decode_response::<R>(bytes, &self.inner.limits).map(|r| match r {
                    jsonrpc::Response::Success(value) => Ok(value),
                    jsonrpc::Response::NoResult => Err(Fault::returned_none()),
                    jsonrpc::Response::Fault(fault) => Err(fault),
                })
            }
        };
        match decoded {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(fault)) => Err(Error::from_fault(fault, call.clone())),
            Err(source) => Err(Error::Decode {
                source,
                call: call.clone(),
            }),
        }
    }
}

/// The `Content-Type` of a request body: a real server refuses JSON-RPC sent as anything but
/// `application/json` (odoo-17-jsonrpc/122).
fn content_type(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::XmlRpc => "text/xml",
        Protocol::JsonRpc => "application/json",
    }
}

fn outcome<R>(result: &Result<R>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(e) => match e {
            Error::Fault { fault, .. } => match fault.kind() {
                crate::FaultKind::AccessDenied => "fault:access_denied",
                crate::FaultKind::AccessError => "fault:access_error",
                crate::FaultKind::MissingRecord => "fault:missing_record",
                crate::FaultKind::UserError => "fault:user_error",
                crate::FaultKind::ReturnedNone => "fault:returned_none",
                _ => "fault:server_error",
            },
            Error::Status { .. } => "http_status",
            Error::Timeout { .. } => "timeout",
            Error::Connect { .. } => "connect",
            Error::Transport { .. } => "transport",
            Error::ResponseTooLarge { .. } => "too_large",
            Error::Decode { .. } => "decode",
            Error::Encode { .. } => "encode",
            _ => "error",
        },
    }
}

/// What `common.version()` answers.
///
/// Tolerant of missing members and of extra or missing trailing items in
/// `server_version_info`, whose first item is `17` on a release and `"saas~17"` on SaaS builds.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ServerVersion {
    /// Like `17.0-20240709`.
    pub server_version: String,
    /// Like `[17, 0, 0, "final", 0, ""]`.
    pub server_version_info: Vec<Value>,
    /// Like `17.0`.
    pub server_serie: String,
    /// The XML-RPC protocol version (1).
    pub protocol_version: i64,
}

impl ServerVersion {
    /// The major version (`17`), from `server_version_info` or else `server_serie`.
    pub fn major(&self) -> Option<u32> {
        self.info_number(0).or_else(|| {
            let serie = self.server_serie.trim_start_matches("saas~");
            serie.split('.').next()?.parse().ok()
        })
    }

    /// The minor version (`0`), from `server_version_info` or else `server_serie`.
    pub fn minor(&self) -> Option<u32> {
        self.info_number(1)
            .or_else(|| self.server_serie.split('.').nth(1)?.parse().ok())
    }

    /// The release level (`final`, `alpha`...), when the server tells it.
    pub fn release_level(&self) -> Option<&str> {
        self.server_version_info.get(3)?.as_str()
    }

    fn info_number(&self, index: usize) -> Option<u32> {
        match self.server_version_info.get(index)? {
            Value::Int(i) => u32::try_from(*i).ok(),
            Value::String(s) => s.trim_start_matches("saas~").parse().ok(),
            _ => None,
        }
    }
}

/// Configures a [`Client`]. Errors (a bad URL, an unreadable certificate) are kept until
/// [`ClientBuilder::build`].
///
/// ```no_run
/// # fn run() -> taskflow_sdk::Result<()> {
/// use std::time::Duration;
/// use taskflow_sdk::{Client, RetryPolicy};
///
/// let client = Client::builder()
///     .url("https://erp.example.com")
///     .timeout(Duration::from_secs(30))
///     .connect_timeout(Duration::from_secs(5))
///     .pool_max_idle_per_host(16)
///     .max_response_size(64 * 1024 * 1024)
///     .add_root_certificate_pem(&std::fs::read("corp-ca.pem").unwrap_or_default())
///     .retry_policy(RetryPolicy::default().max_retries(3))
///     .build()?;
/// # Ok(()) }
/// ```
#[must_use]
pub struct ClientBuilder {
    url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    pool_max_idle_per_host: Option<usize>,
    pool_idle_timeout: Option<Duration>,
    user_agent: String,
    max_response_size: u64,
    max_depth: usize,
    retry: RetryPolicy,
    max_in_flight: usize,
    root_certificates: Vec<Result<Vec<reqwest::Certificate>>>,
    built_in_roots: bool,
    no_proxy: bool,
    protocol: Protocol,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            url: None,
            timeout: Some(Duration::from_secs(120)),
            connect_timeout: Some(Duration::from_secs(10)),
            pool_max_idle_per_host: None,
            pool_idle_timeout: Some(Duration::from_secs(30)),
            user_agent: concat!("taskflow-sdk/", env!("CARGO_PKG_VERSION")).to_owned(),
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            max_depth: Limits::default().max_depth,
            retry: RetryPolicy::default(),
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            root_certificates: Vec::new(),
            built_in_roots: true,
            no_proxy: false,
            protocol: Protocol::default(),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("url", &self.url.as_deref().map(redact_url))
            .field("protocol", &self.protocol)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_size", &self.max_response_size)
            .field("retry", &self.retry)
            .field("max_in_flight", &self.max_in_flight)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The server's root URL, like `https://example.com` or `http://127.0.0.1:8069`.
    pub fn url(mut self, url: &str) -> Self {
        self.url = Some(url.to_owned());
        self
    }

    /// The wire protocol (default [`Protocol::XmlRpc`]). Everything typed works the same over
    /// each; [`Protocol`] lists where the protocols differ and what the SDK makes of it.
    ///
    /// ```no_run
    /// # fn run() -> taskflow_sdk::Result<()> {
    /// use taskflow_sdk::{Client, Protocol};
    ///
    /// let client = Client::builder()
    ///     .url("https://erp.example.com")
    ///     .protocol(Protocol::JsonRpc)
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// Time limit of a whole call: connecting, sending, and reading the response (default
    /// 120 s). Each retry gets its own.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No time limit for calls (long imports); the connect timeout still applies.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// Time limit for establishing a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Maximum idle keep-alive connections kept per host (default: unbounded).
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = Some(max);
        self
    }

    /// How long an idle connection stays in the pool (default 30 s).
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default `taskflow-sdk/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Largest response body accepted, in bytes (default 128 MiB); checked while the body
    /// streams in, so a bigger one is never held in memory.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Deepest nesting of arrays and structs accepted in a response (default 128).
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// When to send failed calls again, and for how long (see the
    /// [retry table](crate::transport#the-retry-table)).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The most requests the client has in flight at once, across all its sessions, loaders
    /// and streams (default 16, at least 1). Callers beyond it wait for a request to finish.
    ///
    /// A real server serves a call with two of its database connections (64 by default) and
    /// refuses calls beyond them: keep the sum over all clients of a server below half its
    /// `db_maxconn`.
    pub fn max_in_flight(mut self, requests: usize) -> Self {
        self.max_in_flight = requests;
        self
    }

    /// Trusts extra root certificates (PEM, one or a bundle), for a private CA. Certificates
    /// are always verified.
    pub fn add_root_certificate_pem(mut self, pem: &[u8]) -> Self {
        let certs = match reqwest::Certificate::from_pem_bundle(pem) {
            Ok(certs) if !certs.is_empty() => Ok(certs),
            Ok(_) => Err(Error::builder(
                "no certificate in the PEM root certificate data (expected -----BEGIN CERTIFICATE-----)",
                None,
            )),
            Err(e) => Err(Error::builder(
                "unreadable PEM root certificate",
                Some(Box::new(e)),
            )),
        };
        self.root_certificates.push(certs);
        self
    }

    /// Trusts an extra root certificate (DER).
    pub fn add_root_certificate_der(mut self, der: &[u8]) -> Self {
        self.root_certificates.push(
            reqwest::Certificate::from_der(der)
                .map(|c| vec![c])
                .map_err(|e| Error::builder("unreadable DER root certificate", Some(Box::new(e)))),
        );
        self
    }

    /// Whether to trust the built-in (Mozilla) roots as well as the added ones (default true).
    pub fn tls_built_in_root_certs(mut self, enable: bool) -> Self {
        self.built_in_roots = enable;
        self
    }

    /// Ignores the `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` environment variables, which are
    /// honoured by default.
    pub fn no_proxy(mut self) -> Self {
        self.no_proxy = true;
        self
    }

    /// Builds the client, reporting the first configuration error.
    pub fn build(self) -> Result<Client> {
        if self.max_in_flight == 0 {
            return Err(Error::builder(
                "max_in_flight is 0: allow at least one request in flight",
                None,
            ));
        }
        let raw = self
            .url
            .as_deref()
            .ok_or_else(|| Error::builder("no URL set: call ClientBuilder::url", None))?;
        let mut base = Url::parse(raw.trim()).map_err(|e| {
            Error::builder(
                format!("{:?} is not a valid URL", redact_url(raw)),
                Some(Box::new(e)),
            )
        })?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(Error::builder(
                format!(
                    "unsupported scheme {:?}: use http:// or https://",
                    base.scheme()
                ),
                None,
            ));
        }
        if base.cannot_be_a_base() || base.host().is_none() {
            return Err(Error::builder(
                format!("{:?} has no host", redact_url(raw)),
                None,
            ));
        }
        base.set_query(None);
        base.set_fragment(None);
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let endpoint = |path: &str| -> Result<Endpoint> {
            let url = base.join(path).map_err(|e| {
                Error::builder(format!("cannot build the {path} URL"), Some(Box::new(e)))
            })?;
            Ok(Endpoint {
                display: redact_url(url.as_str()),
                url,
            })
        };
        let (common, object) = match self.protocol {
            Protocol::XmlRpc => (endpoint("xmlrpc/2/common")?, endpoint("xmlrpc/2/object")?),
            Protocol::JsonRpc => (endpoint("jsonrpc")?, endpoint("jsonrpc")?),
        };

        let mut http = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(self.built_in_roots)
            .user_agent(self.user_agent)
            .tcp_nodelay(true)
            .pool_idle_timeout(self.pool_idle_timeout);
        for certs in self.root_certificates {
            for cert in certs? {
                http = http.add_root_certificate(cert);
            }
        }
        if let Some(timeout) = self.timeout {
            http = http.timeout(timeout);
        }
        if let Some(timeout) = self.connect_timeout {
            http = http.connect_timeout(timeout);
        }
        if let Some(max) = self.pool_max_idle_per_host {
            http = http.pool_max_idle_per_host(max);
        }
        if self.no_proxy {
            http = http.no_proxy();
        }
        let http = http
            .build()
            .map_err(|e| Error::builder("cannot set up the HTTP client", Some(Box::new(e))))?;

        let limits = Limits::default()
            .max_depth(self.max_depth)
            .max_size(usize::try_from(self.max_response_size).unwrap_or(usize::MAX));
        Ok(Client {
            inner: Arc::new(ClientInner {
                transport: Transport::new(
                    http,
                    TransportConfig {
                        max_response_size: self.max_response_size,
                        retry: self.retry,
                        max_in_flight: self.max_in_flight,
                    },
                ),
                protocol: self.protocol,
                next_id: AtomicU64::new(1),
                limits,
                common,
                object,
                display: redact_url(base.as_str()),
                timeout: self.timeout,
                body_hint: AtomicUsize::new(BODY_HINT.0),
            }),
        })
    }
}

/// The URL without user name and password, for messages and logs.
fn redact_url(raw: &str) -> String {
    match Url::parse(raw) {
        Ok(mut url) => {
            if !url.username().is_empty() || url.password().is_some() {
                let _ = url.set_username("");
                let _ = url.set_password(None);
            }
            url.to_string()
        }
        // Not a URL: keep only what cannot be a credential.
        Err(_) => match raw.rsplit_once('@') {
            Some((_, host)) => format!("…@{host}"),
            None => raw.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_keep_a_base_path_and_drop_credentials() {
        let client = Client::new("https://bob:hunter2@erp.example.com/odoo?x=1").unwrap();
        assert_eq!(
            client.inner.object.display,
            "https://erp.example.com/odoo/xmlrpc/2/object"
        );
        assert_eq!(client.inner.object.url.password(), Some("hunter2"));
        assert!(!format!("{client:?}").contains("hunter2"));
    }

    #[test]
    fn builder_errors_wait_for_build() {
        let err = Client::builder()
            .add_root_certificate_pem(b"not a certificate")
            .url("http://127.0.0.1:1")
            .build()
            .unwrap_err();
        assert!(err.is_builder(), "{err}");
        assert!(Client::new("ftp://x").unwrap_err().is_builder());
        assert!(Client::new("not a url").unwrap_err().is_builder());
        assert!(Client::builder().build().unwrap_err().is_builder());
    }

    /// A self-signed CA made for this test (`openssl req -x509 -newkey ec ...`).
    const TEST_CA: &str = "-----BEGIN CERTIFICATE-----\n\
                           MIIBjjCCATOgAwIBAgIUZZFOENIH5ijqi1+1W8W3q47cni4wCgYIKoZIzj0EAwIw\n\
                           GzEZMBcGA1UEAwwQdGFza2Zsb3cgdGVzdCBDQTAgFw0yNjExMzAwOTA1NDhaGA8y\n\
                           MTI2MTEwNjA5MDU0OFowGzEZMBcGA1UEAwwQdGFza2Zsb3cgdGVzdCBDQTBZMBMG\n\
                           ByqGSM49AgEGCCqGSM49AwEHA0IABOrld3Qk1ywpYAq0i4JOCtKkeIk1maU6iyia\n\
                           JP1whSLiQ43QMaiyPAR8PZ8d7UJcn3/7yA+dQ62j82b1PVyvawKjUzBRMB0GA1Ud\n\
                           DgQWBBSSBNmaGY6pc/COTNI5k5bHz1ZsujAfBgNVHSMEGDAWgBSSBNmaGY6pc/CO\n\
                           TNI5k5bHz1ZsujAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQDu\n\
                           r1Vrmodz12Vzg8PBLel4F4srJHF/C5g9II1/lrRM1AIhAOjEKJ5MiovrXyVZ38zn\n\
                           ZY33Rf9GNKeJdJlKw5HfGAeG\n\
                           -----END CERTIFICATE-----\n";

    #[test]
    fn extra_root_certificates_load_as_pem_or_der() {
        use base64::Engine;
        let client = Client::builder()
            .url("https://erp.example.com")
            .add_root_certificate_pem(TEST_CA.as_bytes())
            .tls_built_in_root_certs(false)
            .build();
        assert!(client.is_ok(), "{client:?}");
        let b64: String = TEST_CA
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        let client = Client::builder()
            .url("https://erp.example.com")
            .add_root_certificate_der(&der)
            .build();
        assert!(client.is_ok(), "{client:?}");
        let err = Client::builder()
            .url("https://erp.example.com")
            .add_root_certificate_der(&der[..der.len() / 2])
            .build()
            .unwrap_err();
        assert!(err.is_builder(), "{err}");
    }

    #[test]
    fn client_is_send_sync_and_cheap_to_clone() {
        fn check<T: Send + Sync + Clone + 'static>() {}
        check::<Client>();
    }

    #[test]
    fn server_version_tolerates_saas_and_short_info() {
        let v = ServerVersion {
            server_version_info: vec![Value::from("saas~17"), Value::Int(2)],
            ..ServerVersion::default()
        };
        assert_eq!(
            (v.major(), v.minor(), v.release_level()),
            (Some(17), Some(2), None)
        );
        let v = ServerVersion {
            server_serie: "16.0".into(),
            ..ServerVersion::default()
        };
        assert_eq!((v.major(), v.minor()), (Some(16), Some(0)));
    }
}
