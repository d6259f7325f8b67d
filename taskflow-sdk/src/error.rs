//! The one error type of the runtime, and the typed [`Fault`] a server answers with.
//!
//! Faults are classified the way the server sends them (see
//! `tests/fixtures/odoo-17/index.md`, "Faults"): on `/xmlrpc/2/*` the `faultCode` is an integer
//! (1 any exception, with a Python traceback; 2 the UserError family; 3 AccessDenied; 4
//! AccessError); on the legacy `/xmlrpc/*` it is a string (`AccessDenied`,
//! `warning -- MissingError\n\n<message>`, or the exception message itself).

use std::error::Error as StdError;
use std::fmt;

use crate::xmlrpc::{DecodeError, EncodeError, FaultCode, RawFault};

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// `Result` with the runtime's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which call failed: the endpoint, and the model and method when the call was an `execute_kw`.
///
/// Cheap to clone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallInfo {
    inner: std::sync::Arc<CallInner>,
}

#[derive(Debug, PartialEq, Eq)]
struct CallInner {
    endpoint: String,
    model: Option<String>,
    method: String,
}

impl CallInfo {
    /// A call of `method` on `endpoint` (a URL without credentials), on `model` if it is an
    /// `execute_kw`.
    pub fn new(
        endpoint: impl Into<String>,
        model: Option<&str>,
        method: impl Into<String>,
    ) -> Self {
        CallInfo {
            inner: std::sync::Arc::new(CallInner {
                endpoint: endpoint.into(),
                model: model.map(str::to_owned),
                method: method.into(),
            }),
        }
    }

    /// The endpoint URL (credentials removed), like `https://example.com/xmlrpc/2/object`.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The model, like `crm.lead`, for `execute_kw` calls.
    pub fn model(&self) -> Option<&str> {
        self.inner.model.as_deref()
    }

    /// The method: the model's method (`write`) for `execute_kw`, else the service's (`version`).
    pub fn method(&self) -> &str {
        &self.inner.method
    }
}

impl fmt::Display for CallInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.model() {
            Some(model) => write!(f, "{model}.{} on {}", self.method(), self.endpoint()),
            None => write!(f, "{} on {}", self.method(), self.endpoint()),
        }
    }
}

/// What kind of fault the server answered with, as far as the wire can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaultKind {
    /// Wrong database, login or password on an authenticated call (code 3, legacy
    /// `AccessDenied`).
    AccessDenied,
    /// The user lacks the rights for this model, record or method (code 4, legacy
    /// `warning -- AccessError`), including calls of private methods.
    AccessError,
    /// The records do not exist or were deleted (code 2 with "Record does not exist or has been
    /// deleted.", legacy `warning -- MissingError`).
    MissingRecord,
    /// A business rule refused the operation (code 2: `UserError` or `ValidationError`, which
    /// the wire cannot tell apart; also unknown models and constraint violations).
    UserError,
    /// The method ran but returned `None`, which XML-RPC cannot carry (fault 1 `TypeError:
    /// cannot marshal None`). The server did the work and committed it.
    ReturnedNone,
    /// Any other exception on the server (code 1, legacy string codes): a bug, a bad argument,
    /// an unknown method or field. [`Fault::exception`] names the exception type.
    ServerError,
}

impl FaultKind {
    fn describe(self) -> &'static str {
        match self {
            FaultKind::AccessDenied => "access denied",
            FaultKind::AccessError => "access error",
            FaultKind::MissingRecord => "missing record",
            FaultKind::UserError => "user error",
            FaultKind::ReturnedNone => "method returned None",
            FaultKind::ServerError => "server error",
        }
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// A fault answered by the server, classified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    kind: FaultKind,
    code: FaultCode,
    exception: Option<String>,
    message: String,
    traceback: Option<String>,
}

const TRACEBACK_HEAD: &str = "Traceback (most recent call last):";
const MISSING_RECORD: &str = "Record does not exist or has been deleted";

impl Fault {
    /// Classifies a fault as the codec framed it.
    ///
    /// ```
    /// use taskflow_sdk::xmlrpc::{FaultCode, RawFault};
    /// use taskflow_sdk::{Fault, FaultKind};
    ///
    /// let fault = Fault::from_raw(RawFault {
    ///     code: FaultCode::Int(1),
    ///     string: "Traceback (most recent call last):\n  File \"x.py\", line 1, in f\n\
    ///              ValueError: Invalid field 'x' on model 'crm.lead'\n".into(),
    /// });
    /// assert_eq!(fault.kind(), FaultKind::ServerError);
    /// assert_eq!(fault.exception(), Some("ValueError"));
    /// assert_eq!(fault.message(), "Invalid field 'x' on model 'crm.lead'");
    /// ```
    pub fn from_raw(raw: RawFault) -> Fault {
        match raw.code {
            FaultCode::Int(code) => Self::from_int(code, raw.string),
            FaultCode::String(code) => Self::from_string(code, raw.string),
        }
    }

    fn from_int(code: i64, string: String) -> Fault {
        let (kind, exception, message, traceback) = match code {
            2 if string.contains(MISSING_RECORD) => (FaultKind::MissingRecord, None, string, None),
            2 => (FaultKind::UserError, None, string, None),
            3 => (FaultKind::AccessDenied, None, string, None),
            4 => (FaultKind::AccessError, None, string, None),
            _ => match parse_traceback(&string) {
                Some((exception, message)) => {
                    let kind = returned_none_or(&exception, &message, FaultKind::ServerError);
                    (kind, Some(exception), message, Some(string))
                }
                None => (FaultKind::ServerError, None, string, None),
            },
        };
        Fault {
            kind,
            code: FaultCode::Int(code),
            exception,
            message,
            traceback,
        }
    }

    fn from_string(code: String, string: String) -> Fault {
        // `odoo.service.wsgi_server.xmlrpc_handle_exception_string`: `warning -- <Type>\n\n<msg>`
        // for UserError-family exceptions, `AccessDenied` for access denied, and the message
        // itself (traceback in faultString) for anything else.
        let (kind, exception, message, traceback) = if code == "AccessDenied" {
            (FaultKind::AccessDenied, None, string.clone(), None)
        } else if let Some(rest) = code.strip_prefix("warning -- ") {
            let (exception, message) = match rest.split_once("\n\n") {
                Some((exception, message)) => (exception.trim().to_owned(), message.to_owned()),
                None => (String::new(), rest.to_owned()),
            };
            let message = if message.is_empty() {
                string.clone()
            } else {
                message
            };
            let kind = match exception.as_str() {
                "MissingError" => FaultKind::MissingRecord,
                "AccessError" => FaultKind::AccessError,
                "AccessDenied" => FaultKind::AccessDenied,
                _ if message.contains(MISSING_RECORD) => FaultKind::MissingRecord,
                _ => FaultKind::UserError,
            };
            let exception = (!exception.is_empty()).then_some(exception);
            (kind, exception, message, None)
        } else {
            match parse_traceback(&string) {
                Some((exception, message)) => {
                    let kind = returned_none_or(&exception, &message, FaultKind::ServerError);
                    (kind, Some(exception), message, Some(string.clone()))
                }
                None => {
                    let message = if string.is_empty() {
                        code.clone()
                    } else {
                        string.clone()
                    };
                    (FaultKind::ServerError, None, message, None)
                }
            }
        };
        Fault {
            kind,
            code: FaultCode::String(code),
            exception,
            message,
            traceback,
        }
    }

    /// A JSON-RPC success without `result`: the method returned `None`, which the SDK reports
    /// as XML-RPC does (fault 1 `TypeError: cannot marshal None`), so that the typed API means
    /// one thing on both protocols (see [`Protocol`](crate::Protocol)).
    pub(crate) fn returned_none() -> Fault {
        Fault {
            kind: FaultKind::ReturnedNone,
            code: FaultCode::Int(0),
            exception: None,
            message: "the method returned None (a JSON-RPC response without result)".to_owned(),
            traceback: None,
        }
    }

    /// A fault a protocol module classified itself (JSON-2's error bodies).
    pub(crate) fn classified(
        kind: FaultKind,
        code: i64,
        exception: Option<String>,
        message: String,
        traceback: Option<String>,
    ) -> Fault {
        Fault {
            kind,
            code: FaultCode::Int(code),
            exception,
            message,
            traceback,
        }
    }

    /// The exception's qualified name as the faults of every protocol show it: without
    /// `builtins.` and `odoo.exceptions.` (`ValueError`, `MissingError`).
    pub(crate) fn short_exception(name: &str) -> &str {
        name.strip_prefix("builtins.")
            .or_else(|| name.strip_prefix("odoo.exceptions."))
            .unwrap_or(name)
    }

    /// Classifies a JSON-RPC error object (`{"code": 200, "message": "Odoo Server Error",
    /// "data": {"name": ..., "message": ..., "debug": ...}}`) by the exception's qualified
    /// `name`. `message` is `data.message` (else the error's own message) and `debug` the
    /// traceback. The name is kept as [`Fault::exception`], shortened the way the XML-RPC faults
    /// name it (`ValueError` for `builtins.ValueError`, `MissingError` for
    /// `odoo.exceptions.MissingError`).
    pub(crate) fn from_jsonrpc(
        code: i64,
        name: Option<&str>,
        message: String,
        debug: Option<String>,
    ) -> Fault {
        let short = name.map(Fault::short_exception);
        let kind = match name {
            Some("odoo.exceptions.AccessError") => FaultKind::AccessError,
            Some("odoo.exceptions.AccessDenied") => FaultKind::AccessDenied,
            Some("odoo.exceptions.MissingError") => FaultKind::MissingRecord,
            Some("odoo.exceptions.UserError" | "odoo.exceptions.ValidationError") => {
                FaultKind::UserError
            }
            _ => FaultKind::ServerError,
        };
        Fault {
            kind,
            code: FaultCode::Int(code),
            exception: short.map(str::to_owned),
            message,
            traceback: debug,
        }
    }

    /// The kind of fault.
    pub fn kind(&self) -> FaultKind {
        self.kind
    }

    /// The `faultCode` as sent (a JSON-RPC error's `code`, 200 from TaskFlow, as an integer).
    pub fn code(&self) -> &FaultCode {
        &self.code
    }

    /// The server's exception type when the fault tells it, like `ValueError` or
    /// `psycopg2.OperationalError` (from the traceback) or `MissingError` (legacy endpoint).
    pub fn exception(&self) -> Option<&str> {
        self.exception.as_deref()
    }

    /// The server's message: for a traceback, the exception's message; else the `faultString`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The faults that say the call never ran or was rolled back (see
    /// [`Error::retry_cause`]).
    fn retry_cause(&self) -> Option<RetryCause> {
        let exception = self.exception.as_deref()?;
        let message = self.message.as_str();
        match exception {
            // Raised while borrowing a database connection, before the method (133).
            "psycopg2.pool.PoolError" => Some(RetryCause::NeverRan),
            // The database refused a new connection; an unknown database is the same type.
            "psycopg2.OperationalError"
                if (message.contains("remaining connection slots are reserved")
                    || message.contains("too many clients"))
                    && !message.contains("does not exist") =>
            {
                Some(RetryCause::NeverRan)
            }
            // Concurrency failures the server gave up retrying: its transaction is rolled back.
            "psycopg2.errors.SerializationFailure"
            | "psycopg2.errors.DeadlockDetected"
            | "psycopg2.errors.LockNotAvailable"
            | "psycopg2.extensions.TransactionRollbackError" => Some(RetryCause::RolledBack),
            _ => None,
        }
    }

    /// The full Python traceback, when the server sent one.
    pub fn traceback(&self) -> Option<&str> {
        self.traceback.as_deref()
    }

    fn advice(&self) -> Option<&'static str> {
        match self.kind {
            FaultKind::AccessDenied => {
                Some("check the database name, login and password (or API key) of the session")
            }
            FaultKind::AccessError => {
                Some("the user needs the groups named above, or call as a user who has them")
            }
            FaultKind::MissingRecord => Some("the ids may be stale: search again before writing"),
            FaultKind::ReturnedNone => Some(
                "the server did the work and committed it; treat this as success \
                 (Error::is_returned_none)",
            ),
            FaultKind::UserError | FaultKind::ServerError => None,
        }
    }
}

fn returned_none_or(exception: &str, message: &str, otherwise: FaultKind) -> FaultKind {
    if exception == "TypeError" && message.starts_with("cannot marshal None") {
        FaultKind::ReturnedNone
    } else {
        otherwise
    }
}

/// Splits a Python traceback into its exception type and message: the block after the last
/// indented (frame) line, `Type: message`, possibly spanning several lines.
fn parse_traceback(s: &str) -> Option<(String, String)> {
    if !s.trim_start().starts_with(TRACEBACK_HEAD) {
        return None;
    }
    let lines: Vec<&str> = s.trim_end().lines().collect();
    let start = lines
        .iter()
        .rposition(|line| {
            line.starts_with(' ') || line.starts_with('\t') || *line == TRACEBACK_HEAD
        })
        .map_or(0, |i| i + 1);
    let block = lines.get(start..)?.join("\n");
    let block = block.trim();
    if block.is_empty() {
        return None;
    }
    match block.split_once(':') {
        Some((exception, message)) if is_exception_name(exception) => {
            Some((exception.to_owned(), message.trim().to_owned()))
        }
        _ if is_exception_name(block) => Some((block.to_owned(), String::new())),
        _ => None,
    }
}

fn is_exception_name(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|part| {
            let mut chars = part.chars();
            chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                && chars.all(|c| c.is_alphanumeric() || c == '_')
        })
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (fault {}", self.kind, short_code(&self.code))?;
        if let Some(exception) = &self.exception {
            write!(f, ", {exception}")?;
        }
        write!(f, "): {}", self.message.trim_end())?;
        if let Some(advice) = self.advice() {
            write!(f, "; {advice}")?;
        }
        Ok(())
    }
}

fn short_code(code: &FaultCode) -> String {
    match code {
        FaultCode::Int(i) => i.to_string(),
        FaultCode::String(s) => {
            let first = s.lines().next().unwrap_or("");
            let mut short: String = first.chars().take(40).collect();
            if short.len() < s.len() {
                short.push('…');
            }
            format!("{short:?}")
        }
    }
}

impl StdError for Fault {}

/// Everything that can go wrong in the runtime.
///
/// Each variant's `Display` says what happened, which call it was (model, method, endpoint) and,
/// where it helps, what to do. It prints that layer only: the underlying error (the connection's,
/// the codec's) is its [`source`](StdError::source), so a report that walks the chain, like
/// anyhow's `{:#}`, shows every message once. A server's [`Fault`] is part of the error's own
/// message, not a source.
///
/// [`Error::kind`] tells the variants apart in one `match`; the predicates
/// ([`Error::is_timeout`], [`Error::is_fault`], ...) answer for one kind.
///
/// ```
/// # async fn run(session: taskflow_sdk::Session) -> taskflow_sdk::Result<()> {
/// use std::collections::HashMap;
/// use taskflow_sdk::{FaultKind, Kwargs};
///
/// match session
///     .execute_kw::<bool>("crm.lead", "write", ([999_999], HashMap::from([("name", "x")])), Kwargs::new())
///     .await
/// {
///     Err(e) if e.fault_kind() == Some(FaultKind::MissingRecord) => {}
///     other => { other?; }
/// }
/// # Ok(()) }
/// ```
///
/// Printing the whole chain:
///
/// ```
/// use std::error::Error as _;
/// use taskflow_sdk::{Client, ErrorKind};
///
/// let err = Client::new("http://[::1").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Builder);
/// let mut report = err.to_string();
/// let mut source = err.source();
/// while let Some(cause) = source {
///     report = format!("{report}: {cause}");
///     source = cause.source();
/// }
/// assert_eq!(
///     report,
///     "invalid client configuration: \"http://[::1\" is not a valid URL: invalid IPv6 address"
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be configured: bad URL, unreadable certificate, TLS setup.
    #[non_exhaustive]
    #[error("invalid client configuration: {message}")]
    Builder {
        /// What was wrong.
        message: String,
        /// The underlying error, if any.
        #[allow(missing_docs)]
        #[source]
        source: Option<BoxError>,
    },
    /// The server answered with a fault.
    #[non_exhaustive]
    #[error("{call} failed: {fault}")]
    Fault {
        /// The classified fault. Its message is part of this error's own, so it is not a
        /// source.
        fault: Box<Fault>,
        /// The call that failed.
        call: CallInfo,
    },
    /// `authenticate` answered `false`: wrong password, unknown login, or inactive user.
    ///
    /// A call whose credentials are refused is a fault instead ([`Error::is_access_denied`]).
    #[non_exhaustive]
    #[error(
        "authenticate as {login:?} on database {db:?} at {endpoint} was refused: the server \
         answered false (wrong password or API key, unknown login, or inactive user); check the \
         credentials"
    )]
    LoginRefused {
        /// The database.
        db: String,
        /// The login (never the password).
        login: String,
        /// The endpoint.
        endpoint: String,
    },
    /// The server answered with an HTTP status other than 200.
    #[non_exhaustive]
    #[error("{call} failed: HTTP status {status}{}", status_detail(*.status, .excerpt))]
    Status {
        /// The HTTP status code.
        status: u16,
        /// The start of the body, whitespace collapsed.
        excerpt: String,
        /// The call that failed.
        call: CallInfo,
    },
    /// The request or the response did not complete in time.
    #[non_exhaustive]
    #[error(
        "{call} timed out; the server may be overloaded, or raise the client's timeout (a call \
         that changes data is never retried and may still have taken effect)"
    )]
    Timeout {
        /// The call that failed.
        call: CallInfo,
        /// The underlying error.
        #[source]
        source: BoxError,
    },
    /// No connection could be made to the server.
    #[non_exhaustive]
    #[error("{call} failed: could not connect; check the URL and that the server is up")]
    Connect {
        /// The call that failed.
        call: CallInfo,
        /// The underlying error.
        #[source]
        source: BoxError,
    },
    /// The connection broke while sending the request or reading the response.
    #[non_exhaustive]
    #[error(
        "{call} failed: the connection broke during the exchange; a call that changes data is \
         never retried and may have taken effect: check before repeating it"
    )]
    Transport {
        /// The call that failed.
        call: CallInfo,
        /// The underlying error.
        #[source]
        source: BoxError,
    },
    /// The response body is larger than the client's maximum response size.
    #[non_exhaustive]
    #[error(
        "{call} failed: the response is larger than the limit of {limit} bytes; ask for fewer \
         records or fields (limit, fields), or raise max_response_size"
    )]
    ResponseTooLarge {
        /// The configured limit, in bytes.
        limit: u64,
        /// The call that failed.
        call: CallInfo,
    },
    /// The response is not valid XML-RPC, or does not fit the requested type.
    #[non_exhaustive]
    #[error(
        "{call} failed: could not decode the response; check that the result type matches what \
         the method returns (empty fields come as false: use Option)"
    )]
    Decode {
        /// The codec's error, with its byte offset and path into the document.
        #[source]
        source: DecodeError,
        /// The call that failed.
        call: CallInfo,
    },
    /// The server redirected the call to another origin (scheme, host or port), where the
    /// client does not send credentials.
    #[non_exhaustive]
    #[error(
        "{call} failed: the server redirected it to another origin (scheme, host or port), \
         where credentials are never sent; configure the URL it redirects to instead"
    )]
    Redirect {
        /// The call that failed.
        call: CallInfo,
        /// The redirect, with its target (without credentials or query).
        #[source]
        source: BoxError,
    },
    /// A call with credentials would go over plain HTTP to a host that is not loopback.
    #[non_exhaustive]
    #[error(
        "{call} refused: it would send credentials over plain HTTP to {host}, which is not \
         loopback; use https://, or allow it with ClientBuilder::allow_insecure_http(true) \
         (TASKFLOW_ALLOW_INSECURE_HTTP=1 for the examples and tests)"
    )]
    Insecure {
        /// The host the URL names.
        host: String,
        /// The call that was not sent.
        call: CallInfo,
    },
    /// The arguments could not be written as XML-RPC.
    #[non_exhaustive]
    #[error("{call} failed: could not encode the arguments")]
    Encode {
        /// The codec's error.
        #[source]
        source: EncodeError,
        /// The call that failed.
        call: CallInfo,
    },
}

/// The excerpt of an error page and the advice for a status, after `HTTP status NNN`.
fn status_detail(status: u16, excerpt: &str) -> impl fmt::Display + '_ {
    struct Detail<'a>(u16, &'a str);
    impl fmt::Display for Detail<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            if !self.1.is_empty() {
                write!(f, " ({})", self.1)?;
            }
            match self.0 {
                // JSON-2 with an X-Odoo-Database the server does not have (odoo-19-json2/057).
                404 if self.1.contains("No database is selected") => f.write_str(
                    "; the database does not exist on the server, or its dbfilter refuses it",
                ),
                404 | 405 => f.write_str(
                    "; the URL may not point at the server root (it must serve /xmlrpc/2/, /jsonrpc, \
                     or /json/2/ on 19 and newer)",
                ),
                502..=504 => f.write_str(
                    "; the server or a proxy in front of it is unavailable, try again later",
                ),
                _ => Ok(()),
            }
        }
    }
    Detail(status, excerpt)
}

/// Which [`Error`] variant an error is, to tell them apart in one `match` ([`Error::kind`]).
///
/// A fault's own kind is [`Error::fault_kind`].
///
/// ```
/// use taskflow_sdk::{Error, ErrorKind, FaultKind};
///
/// fn what_to_do(e: &Error) -> &'static str {
///     match e.kind() {
///         ErrorKind::LoginRefused => "ask for the password again",
///         ErrorKind::Fault if e.fault_kind() == Some(FaultKind::AccessDenied) => {
///             "sign in again"
///         }
///         ErrorKind::Timeout | ErrorKind::Connect | ErrorKind::Transport => "try again later",
///         _ => "report it",
///     }
/// }
/// # let _ = what_to_do;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::Builder`]: the client could not be configured.
    Builder,
    /// [`Error::LoginRefused`]: `authenticate` answered `false`.
    LoginRefused,
    /// [`Error::Fault`]: the server answered with a fault, of kind [`Error::fault_kind`].
    Fault,
    /// [`Error::Status`]: an HTTP status other than 200.
    Status,
    /// [`Error::Timeout`]: the request or the response did not complete in time.
    Timeout,
    /// [`Error::Connect`]: no connection could be made.
    Connect,
    /// [`Error::Transport`]: the connection broke during the exchange.
    Transport,
    /// [`Error::ResponseTooLarge`]: the response exceeded the maximum response size.
    ResponseTooLarge,
    /// [`Error::Decode`]: the response could not be decoded.
    Decode,
    /// [`Error::Encode`]: the arguments could not be encoded.
    Encode,
    /// [`Error::Redirect`]: a redirect to another origin was not followed.
    Redirect,
    /// [`Error::Insecure`]: credentials were not sent over plain HTTP.
    Insecure,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Builder => "invalid client configuration",
            ErrorKind::LoginRefused => "login refused",
            ErrorKind::Fault => "fault",
            ErrorKind::Status => "HTTP status",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Connect => "connection failed",
            ErrorKind::Transport => "connection broken",
            ErrorKind::ResponseTooLarge => "response too large",
            ErrorKind::Decode => "decode error",
            ErrorKind::Encode => "encode error",
            ErrorKind::Redirect => "redirect to another origin",
            ErrorKind::Insecure => "insecure transport",
        })
    }
}

impl Error {
    /// The error and its causes on one line, `outer: cause: root cause`, for the places that
    /// keep a failure as text (a row of a bulk load).
    pub(crate) fn with_causes(&self) -> String {
        let mut text = self.to_string();
        let mut source = StdError::source(self);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        text
    }

    pub(crate) fn builder(message: impl Into<String>, source: Option<BoxError>) -> Error {
        Error::Builder {
            message: message.into(),
            source,
        }
    }

    pub(crate) fn from_fault(fault: Fault, call: CallInfo) -> Error {
        Error::Fault {
            fault: Box::new(fault),
            call,
        }
    }

    /// Which variant this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Builder { .. } => ErrorKind::Builder,
            Error::Fault { .. } => ErrorKind::Fault,
            Error::LoginRefused { .. } => ErrorKind::LoginRefused,
            Error::Status { .. } => ErrorKind::Status,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Connect { .. } => ErrorKind::Connect,
            Error::Transport { .. } => ErrorKind::Transport,
            Error::ResponseTooLarge { .. } => ErrorKind::ResponseTooLarge,
            Error::Decode { .. } => ErrorKind::Decode,
            Error::Encode { .. } => ErrorKind::Encode,
            Error::Redirect { .. } => ErrorKind::Redirect,
            Error::Insecure { .. } => ErrorKind::Insecure,
        }
    }

    /// The fault the server answered with, if this is one.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            Error::Fault { fault, .. } => Some(fault),
            _ => None,
        }
    }

    /// The kind of the fault, if this is one.
    pub fn fault_kind(&self) -> Option<FaultKind> {
        self.fault().map(Fault::kind)
    }

    /// The failing call (endpoint, model, method), when the error came from a call.
    pub fn call(&self) -> Option<&CallInfo> {
        match self {
            Error::Fault { call, .. }
            | Error::Status { call, .. }
            | Error::Timeout { call, .. }
            | Error::Connect { call, .. }
            | Error::Transport { call, .. }
            | Error::ResponseTooLarge { call, .. }
            | Error::Decode { call, .. }
            | Error::Encode { call, .. }
            | Error::Redirect { call, .. }
            | Error::Insecure { call, .. } => Some(call),
            Error::Builder { .. } | Error::LoginRefused { .. } => None,
        }
    }

    /// The HTTP status, if the server answered with one other than 200.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server answered with a fault.
    pub fn is_fault(&self) -> bool {
        matches!(self, Error::Fault { .. })
    }

    /// The fault says the method returned `None`: the server did the work.
    pub fn is_returned_none(&self) -> bool {
        self.fault_kind() == Some(FaultKind::ReturnedNone)
    }

    /// The request or response timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// No connection could be made.
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Connect { .. })
    }

    /// The connection broke during the exchange.
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport { .. })
    }

    /// The server answered with a non-200 HTTP status.
    pub fn is_status(&self) -> bool {
        matches!(self, Error::Status { .. })
    }

    /// The response could not be decoded.
    pub fn is_decode(&self) -> bool {
        matches!(self, Error::Decode { .. })
    }

    /// The arguments could not be encoded.
    pub fn is_encode(&self) -> bool {
        matches!(self, Error::Encode { .. })
    }

    /// The response exceeded the maximum response size.
    pub fn is_too_large(&self) -> bool {
        matches!(self, Error::ResponseTooLarge { .. })
    }

    /// `authenticate` answered `false` ([`Error::LoginRefused`]): wrong password or API key,
    /// unknown login, or inactive user.
    pub fn is_login_refused(&self) -> bool {
        matches!(self, Error::LoginRefused { .. })
    }

    /// A call was refused because its credentials were not accepted: a fault of kind
    /// [`FaultKind::AccessDenied`] (wrong database, login or password on `execute_kw`). The
    /// session's password or API key no longer works; `authenticate` itself answers
    /// [`Error::LoginRefused`] instead.
    pub fn is_access_denied(&self) -> bool {
        self.fault_kind() == Some(FaultKind::AccessDenied)
    }

    /// The client could not be built.
    pub fn is_builder(&self) -> bool {
        matches!(self, Error::Builder { .. })
    }

    /// A failure that sending the call again may overcome: it has a [`RetryCause`]. Whether a
    /// given call is sent again depends on the cause and the method (see
    /// [`Error::retry_cause`]).
    pub fn is_transient(&self) -> bool {
        self.retry_cause().is_some()
    }

    /// Why the call may succeed if sent again, by what the failure shows the server did with
    /// it; `None` when sending it again would fail the same way. The
    /// [retry table](crate::transport#the-retry-table) says which causes are retried for which
    /// methods.
    pub fn retry_cause(&self) -> Option<RetryCause> {
        match self {
            // A TLS handshake that failed (an untrusted certificate) fails the same way again.
            Error::Connect { source, .. } if is_tls_failure(source.as_ref()) => None,
            // No connection was made: the request was never sent.
            Error::Connect { .. } => Some(RetryCause::NeverRan),
            Error::Timeout { .. } | Error::Transport { .. } => Some(RetryCause::MayHaveRun),
            Error::Status { status, .. } => {
                matches!(status, 500 | 502..=504).then_some(RetryCause::MayHaveRun)
            }
            Error::Fault { fault, .. } => fault.retry_cause(),
            _ => None,
        }
    }
}

/// Whether a connect error's causes include the TLS layer's refusal: rustls reports a failed
/// handshake (an unknown or invalid certificate) as an I/O error of kind `InvalidData`, where a
/// refused or unreachable connection has its own kinds.
fn is_tls_failure(error: &(dyn StdError + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        // An I/O error's `source` skips the error it wraps: descend through `get_ref`.
        cause = match e.downcast_ref::<std::io::Error>() {
            Some(io) if io.kind() == std::io::ErrorKind::InvalidData => return true,
            Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
            None => e.source(),
        };
    }
    false
}

/// Why a failed call may be sent again: what the failure shows the server did with it (see the
/// [retry table](crate::transport#the-retry-table)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryCause {
    /// The method never ran: safe to send again, whatever the method.
    NeverRan,
    /// The server rolled the call's transaction back: nothing of it stays.
    RolledBack,
    /// The call may have run and its answer was lost: only calls that are safe to repeat are
    /// sent again.
    MayHaveRun,
}

#[cfg(test)]
mod tests;
