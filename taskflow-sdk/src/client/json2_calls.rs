//! The JSON-2 half of the client (servers 19 and newer): sessions signed in with an API key,
//! calls with named arguments, and version discovery over `GET`.

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Client, Endpoint};
use crate::error::{CallInfo, Error, Result};
use crate::json2::{self, Answer};
use crate::jsonrpc;
use crate::kwargs::{Kwargs, KwargsPayload};
use crate::protocol::Protocol;
use crate::secret::Secret;
use crate::session::Session;
use crate::transport::{Method, Reply, Request};
use crate::version::WebVersion;
use crate::xmlrpc::{EncodeError, FaultCode};

/// JSON-2's database header (odoo-19-json2, index.md "Database selection").
const DATABASE_HEADER: HeaderName = HeaderName::from_static("x-odoo-database");

impl Client {
    /// A session on `db` with the API key given to the builder ([`ClientBuilder::json2`](super::ClientBuilder::json2) or
    /// [`ClientBuilder::api_key`](super::ClientBuilder::api_key)), as the key's user: JSON-2 needs no login.
    ///
    /// ```no_run
    /// # async fn run() -> taskflow_sdk::Result<()> {
    /// use taskflow_sdk::Client;
    ///
    /// let key = std::env::var("TASKFLOW_API_KEY").unwrap_or_default();
    /// let client = Client::builder().url("https://erp.example.com").json2(key).build()?;
    /// let session = client.session("erp").await?;
    /// println!("signed in as uid {}", session.uid());
    /// # Ok(()) }
    /// ```
    ///
    /// Over XML-RPC and JSON-RPC a key is a password, and the login is needed: use
    /// [`Client::authenticate`]`(db, login, key)` there.
    pub async fn session(&self, db: &str) -> Result<Session> {
        let Some(key) = self.inner.api_key.clone() else {
            return Err(Error::builder(
                "Client::session needs an API key: set ClientBuilder::json2 or ClientBuilder::api_key",
                None,
            ));
        };
        if self.inner.protocol != Protocol::Json2 {
            return Err(Error::builder(
                format!(
                    "Client::session signs in with the API key alone, which only JSON-2 can do; \
                     this client speaks {}: call authenticate(db, login, key) instead",
                    self.inner.protocol
                ),
                None,
            ));
        }
        self.key_session(db, "", key).await
    }

    /// A JSON-2 session for `key`: `res.users.context_get` tells the uid.
    pub(super) async fn key_session(&self, db: &str, login: &str, key: Secret) -> Result<Session> {
        #[derive(serde::Deserialize)]
        struct UserContext {
            uid: i64,
        }
        let answer: Result<UserContext> = self
            .call_json2(
                db,
                &key,
                "res.users",
                "context_get",
                &(),
                Kwargs::new().with_session_context(&[]),
                true,
            )
            .await;
        match answer {
            Ok(context) => Ok(Session::new(
                self.clone(),
                db.to_owned(),
                context.uid,
                login.to_owned(),
                key,
            )),
            Err(e) if e.fault().is_some_and(|f| f.code() == &FaultCode::Int(401)) => {
                Err(Error::LoginRefused {
                    db: db.to_owned(),
                    login: login.to_owned(),
                    endpoint: self.inner.json2.display.clone(),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// `GET /web/version` (a 404 on servers before 17, the TaskFlow document's 9.0) or JSON-2's
    /// `GET /json/version`, which answer alike.
    pub(super) async fn web_version(&self, endpoint: &Endpoint) -> Result<WebVersion> {
        let request = Request {
            method: Method::Get,
            url: &endpoint.url,
            content_type: "application/json",
            headers: HeaderMap::new(),
            json_errors: false,
        };
        let call = CallInfo::new(endpoint.display.clone(), None, "version");
        let limits = &self.inner.limits;
        self.exchange(
            &request,
            call,
            true,
            |_| Ok(()),
            |reply| match reply {
                Reply::Ok(bytes) => jsonrpc::from_slice(bytes, limits).map(Ok),
                Reply::JsonError { .. } => Err(super::not_an_answer()),
            },
        )
        .await
    }

    /// Calls `model.method` over JSON-2 with `key` on `db` (no header when empty): the
    /// positional `args` named from the signature table, `kwargs` beside them.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn call_json2<A, R>(
        &self,
        db: &str,
        key: &Secret,
        model: &str,
        method: &str,
        args: &A,
        kwargs: KwargsPayload<'_>,
        idempotent: bool,
    ) -> Result<R>
    where
        A: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        let call = CallInfo::new(self.inner.json2.display.clone(), Some(model), method);
        self.check_secure(&call)?;
        let encode_error = |message: &str| Error::Encode {
            source: EncodeError::new(message),
            call: call.clone(),
        };
        if model.is_empty()
            || method.is_empty()
            || [model, method].iter().any(|s| s.starts_with('.'))
        {
            return Err(encode_error(
                "the model and method names must not be empty or start with a dot",
            ));
        }
        // As path segments, percent-encoded: a model or method name can never leave
        // `/json/2/` (a `/`, `..` or a whole URL in it would, through `Url::join`).
        let mut url = self.inner.json2.url.clone();
        match url.path_segments_mut() {
            Ok(mut path) => {
                path.pop_if_empty().push(model).push(method);
            }
            Err(()) => return Err(encode_error("the server URL cannot take a path")),
        }
        let mut headers = HeaderMap::new();
        let mut bearer = HeaderValue::try_from(format!("bearer {}", key.expose()))
            .map_err(|_| encode_error("the API key has characters an HTTP header cannot carry"))?;
        bearer.set_sensitive(true);
        headers.insert(AUTHORIZATION, bearer);
        if !db.is_empty() {
            let db = HeaderValue::try_from(db).map_err(|_| {
                encode_error("the database name has characters an HTTP header cannot carry")
            })?;
            headers.insert(DATABASE_HEADER, db);
        }
        let request = Request {
            method: Method::Post,
            url: &url,
            content_type: "application/json",
            headers,
            json_errors: true,
        };
        let answer = if method == "create" && json2::first_is_map(args) {
            Answer::Single
        } else {
            Answer::Bare
        };
        let limits = &self.inner.limits;
        self.exchange(
            &request,
            call.clone(),
            idempotent,
            |body| json2::encode_call_into(body, method, args, kwargs),
            |reply| json2::decode(reply, limits, answer),
        )
        .await
    }
}
