//! The client of a server's external API (XML-RPC, JSON-RPC or JSON-2): configuration,
//! `version`, `authenticate`, and the one exchange every request goes through.

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

use reqwest::header::HeaderMap;

use crate::error::{CallInfo, Error, Fault, Result};
use crate::jsonrpc;
use crate::origin;
use crate::protocol::Protocol;
use crate::secret::Secret;
use crate::session::Session;
use crate::transport::{self, Method, Reply, Request, RetryPolicy, Transport, TransportConfig};
use crate::version::ServerVersion;
use crate::xmlrpc::{self, DecodeError, DecodeErrorKind, EncodeError, Limits, Response, Value};

mod json2_calls;

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
    transport: Arc<Transport>,
    protocol: Protocol,
    /// The server root, for the JSON-2 paths.
    base: Url,
    /// The API key of [`ClientBuilder::api_key`], for [`Client::session`].
    api_key: Option<Secret>,
    /// The host credentials must not be sent to (plain HTTP, not loopback), unless allowed.
    insecure_host: Option<String>,
    /// The id of the next JSON-RPC request (the server echoes it; nothing here relies on it).
    next_id: AtomicU64,
    limits: Limits,
    common: Endpoint,
    object: Endpoint,
    /// JSON-2's `/json/2/` (displayed; each call adds `<model>/<method>`), its `/json/version`,
    /// and `/web/version`, which servers since 17 answer.
    json2: Endpoint,
    json_version: Endpoint,
    web_version: Endpoint,
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

    /// The URL of model calls without credentials (`/xmlrpc/2/object`, `/jsonrpc`, `/json/2/`).
    pub(crate) fn object_display(&self) -> String {
        match self.inner.protocol {
            Protocol::Json2 => self.inner.json2.display.clone(),
            Protocol::XmlRpc | Protocol::JsonRpc | Protocol::Auto => {
                self.inner.object.display.clone()
            }
        }
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
    ///
    /// On JSON-2, `GET /json/version` (no credentials), in the same shape.
    pub async fn version(&self) -> Result<ServerVersion> {
        if self.inner.protocol == Protocol::Json2 {
            return self
                .web_version(&self.inner.json_version)
                .await
                .map(ServerVersion::from_web);
        }
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
    ///
    /// On JSON-2 there is no login: `password` is the user's API key, and the uid is the one
    /// the server answers for it (`res.users.context_get`); a refused key gives
    /// [`Error::LoginRefused`] too. `login` is kept as [`Session::login`] but not checked: the
    /// key alone decides the user. [`Client::session`] does the same with the builder's key.
    pub async fn authenticate(&self, db: &str, login: &str, password: &str) -> Result<Session> {
        let password = Secret::new(password);
        if self.inner.protocol == Protocol::Json2 {
            return self.key_session(db, login, password).await;
        }
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

    /// A copy of this client speaking `protocol`, sharing its connections and bound.
    fn with_protocol(&self, protocol: Protocol) -> Result<Client> {
        let inner = &*self.inner;
        Ok(Client {
            inner: Arc::new(ClientInner::new(
                Arc::clone(&inner.transport),
                protocol,
                inner.base.clone(),
                inner.api_key.clone(),
                inner.insecure_host.clone(),
                inner.limits,
                inner.timeout,
            )?),
        })
    }

    /// Refuses to send credentials over plain HTTP to a host that is not loopback.
    fn check_secure(&self, call: &CallInfo) -> Result<()> {
        match &self.inner.insecure_host {
            Some(host) => Err(Error::Insecure {
                host: host.clone(),
                call: call.clone(),
            }),
            None => Ok(()),
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
        let call = CallInfo::new(endpoint.display.clone(), model, method);
        if !matches!(service, Service::Common) || method != "version" {
            self.check_secure(&call)?;
        }
        let protocol = self.inner.protocol;
        let request = Request {
            method: Method::Post,
            url: &endpoint.url,
            content_type: content_type(protocol),
            headers: HeaderMap::new(),
            json_errors: false,
        };
        let encode = |body: &mut Vec<u8>| match protocol {
            Protocol::XmlRpc => xmlrpc::encode_call_into(body, xml_method, params),
            Protocol::JsonRpc => {
                let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
                jsonrpc::encode_call_into(body, id, service.name(), xml_method, params)
            }
            Protocol::Json2 | Protocol::Auto => Err(EncodeError::new(format!(
                "{protocol} has no {} service",
                service.name()
            ))),
        };
        let limits = &self.inner.limits;
        self.exchange(&request, call, idempotent, encode, |reply| match reply {
            Reply::Ok(bytes) => decode_rpc(protocol, bytes, limits),
            // Not asked for (`json_errors` is false): reported by its status.
            Reply::JsonError { .. } => Err(not_an_answer()),
        })
        .await
    }

    /// Encodes, sends and decodes one request, with retries per the policy, in a tracing span
    /// with the endpoint, model, method, sizes, attempts, duration and outcome (never the
    /// arguments). `decode` gives the result, the call's fault, or what could not be decoded.
    async fn exchange<R>(
        &self,
        request: &Request<'_>,
        call: CallInfo,
        idempotent: bool,
        encode: impl FnOnce(&mut Vec<u8>) -> std::result::Result<(), EncodeError>,
        decode: impl Fn(&Reply) -> std::result::Result<std::result::Result<R, Fault>, DecodeError>,
    ) -> Result<R> {
        let span = tracing::debug_span!(
            "taskflow.call",
            endpoint = %call.endpoint(),
            model = call.model().unwrap_or(""),
            method = call.method(),
            request_bytes = Empty,
            response_bytes = Empty,
            attempts = Empty,
            queued_ms = Empty,
            duration_ms = Empty,
            outcome = Empty,
        );
        let started = Instant::now();
        let result = async {
            let hint = &self.inner.body_hint;
            let mut body = self
                .inner
                .transport
                .body_buffer(hint.load(Ordering::Relaxed).clamp(BODY_HINT.0, BODY_HINT.1));
            encode(&mut body).map_err(|source| Error::Encode {
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
                    .send(request, body.clone(), &call, &mut queued)
                    .await
                {
                    Ok(reply) => {
                        let len = match &reply {
                            Reply::Ok(bytes) | Reply::JsonError { body: bytes, .. } => bytes.len(),
                        };
                        span.record("response_bytes", len);
                        let decoded = decode(&reply);
                        let result = match (decoded, &reply) {
                            (Ok(Ok(value)), _) => Ok(value),
                            (Ok(Err(fault)), _) => Err(Error::from_fault(fault, call.clone())),
                            // A JSON body that is no error object (a proxy's 502): the status
                            // speaks, and the retry table applies to it.
                            (Err(_), Reply::JsonError { status, body }) => Err(Error::Status {
                                status: *status,
                                excerpt: transport::excerpt(body),
                                call: call.clone(),
                            }),
                            (Err(source), Reply::Ok(_)) => Err(Error::Decode {
                                source,
                                call: call.clone(),
                            }),
                        };
                        transport.recycle_reply(reply);
                        result
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

/// The decode error of a reply that is not the protocol's answer; the exchange reports such a
/// reply by its HTTP status.
pub(crate) fn not_an_answer() -> DecodeError {
    DecodeError::new(DecodeErrorKind::Structure, "not an answer of the protocol")
}

/// An XML-RPC or JSON-RPC response body as the call's result, or its fault.
fn decode_rpc<R: DeserializeOwned>(
    protocol: Protocol,
    bytes: &[u8],
    limits: &Limits,
) -> std::result::Result<std::result::Result<R, Fault>, DecodeError> {
    match protocol {
        Protocol::JsonRpc => jsonrpc::decode_response::<R>(bytes, limits).map(|r| match r {
            jsonrpc::Response::Success(value) => Ok(value),
            jsonrpc::Response::NoResult => Err(Fault::returned_none()),
            jsonrpc::Response::Fault(fault) => Err(fault),
        }),
        // JSON-2 decodes in `json2`; a built client never speaks Auto.
        Protocol::Json2 | Protocol::Auto => Err(not_an_answer()),
        Protocol::XmlRpc => xmlrpc::decode_response::<R>(bytes, limits).map(|r| match r {
            Response::Success(value) => Ok(value),
            Response::Fault(raw) => Err(Fault::from_raw(raw)),
        }),
    }
}

/// The `Content-Type` of a request body: a real server refuses JSON-RPC sent as anything but
/// `application/json` (odoo-17-jsonrpc/122).
fn content_type(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::XmlRpc => "text/xml",
        Protocol::JsonRpc | Protocol::Json2 | Protocol::Auto => "application/json",
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
            Error::Redirect { .. } => "redirect",
            Error::Insecure { .. } => "insecure",
            _ => "error",
        },
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
    api_key: Option<Secret>,
    allow_insecure_http: bool,
    resolve: Vec<(String, std::net::SocketAddr)>,
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
            api_key: None,
            allow_insecure_http: false,
            resolve: Vec::new(),
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
            .field("api_key", &self.api_key)
            .field("allow_insecure_http", &self.allow_insecure_http)
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

    /// Speaks JSON-2 (servers 19 and newer) with `api_key`, the user's API key: every call
    /// sends it as `Authorization: bearer <key>`, and [`Client::session`] signs in with it
    /// alone. The one line that moves an application from XML-RPC to JSON-2.
    ///
    /// ```no_run
    /// # async fn run() -> taskflow_sdk::Result<()> {
    /// use taskflow_sdk::Client;
    ///
    /// let client = Client::builder()
    ///     .url("https://erp.example.com")
    ///     .json2(std::env::var("TASKFLOW_API_KEY").unwrap_or_default())
    ///     .build()?;
    /// let session = client.session("erp").await?;
    /// # Ok(()) }
    /// ```
    pub fn json2(mut self, api_key: impl Into<Secret>) -> Self {
        self.protocol = Protocol::Json2;
        self.api_key = Some(api_key.into());
        self
    }

    /// The user's API key, for [`Client::session`] on JSON-2 and for
    /// [`Protocol::Auto`](crate::Protocol::Auto), which picks JSON-2 when the server is 19 or
    /// newer. Over XML-RPC and JSON-RPC a key is the password of
    /// [`Client::authenticate`] (servers since 14 accept it there).
    pub fn api_key(mut self, api_key: impl Into<Secret>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// Allows sending credentials over plain `http://` to a host that is not loopback
    /// (default false: such calls fail with [`Error::Insecure`] before anything is sent).
    /// `localhost`, 127.0.0.0/8 and `::1` are always allowed.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Connects to `addr` for `host` instead of resolving it (reqwest's `resolve`): a server
    /// behind a name that DNS does not know yet, or a test.
    pub fn resolve(mut self, host: &str, addr: std::net::SocketAddr) -> Self {
        self.resolve.push((host.to_owned(), addr));
        self
    }

    /// Builds the client, then resolves [`Protocol::Auto`](crate::Protocol::Auto) by asking
    /// the server its version (`GET /web/version`): JSON-2 when an API key is set and the
    /// server is 19 or newer, JSON-RPC otherwise (the key, if any, is then the password of
    /// [`Client::authenticate`], which needs the login). Any other protocol is built as is.
    ///
    /// ```no_run
    /// # async fn run() -> taskflow_sdk::Result<()> {
    /// use taskflow_sdk::{Client, Protocol};
    ///
    /// let client = Client::builder()
    ///     .url("https://erp.example.com")
    ///     .protocol(Protocol::Auto)
    ///     .api_key("0123456789abcdef")
    ///     .connect()
    ///     .await?;
    /// println!("speaking {}", client.protocol());
    /// # Ok(()) }
    /// ```
    pub async fn connect(self) -> Result<Client> {
        let client = self.build_any()?;
        if client.inner.protocol != Protocol::Auto {
            return Ok(client);
        }
        let protocol = if client.inner.api_key.is_none() {
            Protocol::JsonRpc
        } else {
            let probe = client.web_version(&client.inner.web_version).await;
            match probe.map(ServerVersion::from_web) {
                Ok(version) if version.major().is_some_and(|m| m >= 19) => Protocol::Json2,
                Ok(_) => Protocol::JsonRpc,
                // Servers before 17 have no /web/version.
                Err(Error::Status { status: 404, .. }) => Protocol::JsonRpc,
                Err(e) => return Err(e),
            }
        };
        tracing::debug!(%protocol, "transport chosen");
        client.with_protocol(protocol)
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
    /// [`Protocol::Auto`](crate::Protocol::Auto) needs [`ClientBuilder::connect`] instead.
    pub fn build(self) -> Result<Client> {
        if self.protocol == Protocol::Auto {
            return Err(Error::builder(
                "Protocol::Auto asks the server its version first: build with \
                 ClientBuilder::connect().await",
                None,
            ));
        }
        self.build_any()
    }

    fn build_any(self) -> Result<Client> {
        if self.protocol == Protocol::Json2 && self.api_key.is_none() {
            return Err(Error::builder(
                "JSON-2 authenticates with an API key: use ClientBuilder::json2(key)",
                None,
            ));
        }
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
        let insecure_host =
            origin::insecure_host(&base, &self.resolve).filter(|_| !self.allow_insecure_http);
        // Plain HTTP to loopback would reach an environment proxy in clear: such a base is
        // never sent through one (unless plain HTTP anywhere was allowed).
        let proxy_off = self.no_proxy
            || (base.scheme() == "http" && !self.allow_insecure_http && insecure_host.is_none());

        let mut http = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(self.built_in_roots)
            .user_agent(self.user_agent)
            .tcp_nodelay(true)
            .redirect(origin::redirect_policy())
            .pool_idle_timeout(self.pool_idle_timeout);
        for (host, addr) in &self.resolve {
            http = http.resolve(host, *addr);
        }
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
        if proxy_off {
            http = http.no_proxy();
        }
        let http = http
            .build()
            .map_err(|e| Error::builder("cannot set up the HTTP client", Some(Box::new(e))))?;

        let limits = Limits::default()
            .max_depth(self.max_depth)
            .max_size(usize::try_from(self.max_response_size).unwrap_or(usize::MAX));
        let transport = Transport::new(
            http,
            TransportConfig {
                max_response_size: self.max_response_size,
                retry: self.retry,
                max_in_flight: self.max_in_flight,
            },
        );
        Ok(Client {
            inner: Arc::new(ClientInner::new(
                Arc::new(transport),
                self.protocol,
                base,
                self.api_key,
                insecure_host,
                limits,
                self.timeout,
            )?),
        })
    }
}

impl ClientInner {
    /// A client of `base` over `protocol`: its endpoints, and fresh counters.
    fn new(
        transport: Arc<Transport>,
        protocol: Protocol,
        base: Url,
        api_key: Option<Secret>,
        insecure_host: Option<String>,
        limits: Limits,
        timeout: Option<Duration>,
    ) -> Result<ClientInner> {
        let (common, object) = rpc_endpoints(&base, protocol)?;
        Ok(ClientInner {
            transport,
            protocol,
            json2: endpoint(&base, "json/2/")?,
            json_version: endpoint(&base, "json/version")?,
            web_version: endpoint(&base, "web/version")?,
            api_key,
            insecure_host,
            next_id: AtomicU64::new(1),
            limits,
            common,
            object,
            display: redact_url(base.as_str()),
            base,
            timeout,
            body_hint: AtomicUsize::new(BODY_HINT.0),
        })
    }
}

/// `path` under the server root.
fn endpoint(base: &Url, path: &str) -> Result<Endpoint> {
    let url = base
        .join(path)
        .map_err(|e| Error::builder(format!("cannot build the {path} URL"), Some(Box::new(e))))?;
    Ok(Endpoint {
        display: redact_url(url.as_str()),
        url,
    })
}

/// The `common` and `object` endpoints of XML-RPC and JSON-RPC (JSON-2 uses neither).
fn rpc_endpoints(base: &Url, protocol: Protocol) -> Result<(Endpoint, Endpoint)> {
    Ok(match protocol {
        Protocol::XmlRpc => (
            endpoint(base, "xmlrpc/2/common")?,
            endpoint(base, "xmlrpc/2/object")?,
        ),
        // JSON-2 has no services; Auto's probing client speaks none. Neither calls these.
        Protocol::JsonRpc | Protocol::Json2 | Protocol::Auto => {
            (endpoint(base, "jsonrpc")?, endpoint(base, "jsonrpc")?)
        }
    })
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
mod tests;
