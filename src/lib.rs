//! Shared support for the workspace's examples and cross-crate tests: reaching a TaskFlow.
//!
//! With `TASKFLOW_URL` set, [`Target::from_env`] names that server, with `TASKFLOW_DB`,
//! `TASKFLOW_USER` and `TASKFLOW_PASSWORD` (the TaskFlow document's values are
//! `https://demo.taskflow.co.za`, `demo.taskflow.co.za`, `demo`, `demo`). Without it, it starts the
//! embedded server on a loopback port and names its `demo` user, so every example runs on a machine
//! with no credentials. `TASKFLOW_TRANSPORT` (`xmlrpc`, the default, `jsonrpc`, `json2` or
//! `auto`) chooses the protocol for either; an unknown value is an error, never a fallback.
//!
//! JSON-2 signs in with an API key: `TASKFLOW_API_KEY` (else `TASKFLOW_PASSWORD`, which may hold
//! one). The embedded server then runs as version 19, the first with JSON-2, and its demo user's
//! key is used. Over the other protocols `TASKFLOW_API_KEY` stands in for a missing
//! `TASKFLOW_PASSWORD` (servers since 14 take a key as the password). Credentials never go over
//! plain HTTP to a host that is not loopback unless `TASKFLOW_ALLOW_INSECURE_HTTP=1`.

use std::env;
use std::error::Error;
use std::fmt;

use taskflow_sdk::{Client, ClientBuilder, Protocol, Secret, Session};
use taskflow_server::{Mode, TestServer};

/// Boxed error of the examples.
pub type BoxError = Box<dyn Error + Send + Sync>;

/// Where to connect, and as whom.
pub struct Target {
    /// The server's base URL.
    pub url: String,
    /// The database.
    pub db: String,
    /// The login.
    pub login: String,
    /// The password, or over JSON-2 the API key (never printed).
    pub password: Secret,
    /// The protocol clients of the target speak (`TASKFLOW_TRANSPORT`; `auto` resolved).
    pub protocol: Protocol,
    /// `TASKFLOW_ALLOW_INSECURE_HTTP=1`: credentials may go over plain HTTP to any host.
    pub allow_insecure_http: bool,
    /// The embedded server, kept running as long as the target lives, when one was started.
    pub server: Option<TestServer>,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Target")
            .field("url", &self.url)
            .field("db", &self.db)
            .field("login", &self.login)
            .field("password", &self.password)
            .field("protocol", &self.protocol)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("embedded", &self.server.is_some())
            .finish()
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (database {}, user {}, over {})",
            self.url, self.db, self.login, self.protocol
        )?;
        if self.server.is_some() {
            f.write_str(", the embedded server: set TASKFLOW_URL to use yours")?;
        }
        Ok(())
    }
}

fn required(name: &str) -> Result<String, BoxError> {
    env::var(name).map_err(|_| {
        format!(
            "TASKFLOW_URL is set but {name} is not: set TASKFLOW_DB, TASKFLOW_USER and \
             TASKFLOW_PASSWORD (or TASKFLOW_API_KEY) too"
        )
        .into()
    })
}

/// The secret to sign in with: over JSON-2 `TASKFLOW_API_KEY` first, else `TASKFLOW_PASSWORD`
/// first; either may stand in for the other.
fn secret_from_env(protocol: Protocol) -> Result<Secret, BoxError> {
    let (first, second) = match protocol {
        Protocol::Json2 | Protocol::Auto => ("TASKFLOW_API_KEY", "TASKFLOW_PASSWORD"),
        _ => ("TASKFLOW_PASSWORD", "TASKFLOW_API_KEY"),
    };
    env::var(first)
        .or_else(|_| env::var(second))
        .map(Secret::new)
        .or_else(|_| required(first).map(Secret::new))
}

/// `TASKFLOW_ALLOW_INSECURE_HTTP`: `1` (or `true`) allows credentials over plain HTTP to a host
/// that is not loopback; unset, blank or `0` does not; anything else is an error.
pub fn allow_insecure_http_from_env() -> Result<bool, BoxError> {
    allow_insecure_http(env::var("TASKFLOW_ALLOW_INSECURE_HTTP").ok().as_deref())
}

fn allow_insecure_http(value: Option<&str>) -> Result<bool, BoxError> {
    match value.map(str::trim) {
        Some("1" | "true") => Ok(true),
        None | Some("" | "0" | "false") => Ok(false),
        Some(other) => Err(format!("TASKFLOW_ALLOW_INSECURE_HTTP: {other:?} is not 1 or 0").into()),
    }
}

/// `TASKFLOW_URL`, unless it is unset or blank: the server [`Target::from_env`] names instead of
/// starting the embedded one.
pub fn url_from_env() -> Option<String> {
    env::var("TASKFLOW_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// `TASKFLOW_TRANSPORT`: the protocol to speak, XML-RPC when unset or blank.
pub fn protocol_from_env() -> Result<Protocol, BoxError> {
    match env::var("TASKFLOW_TRANSPORT") {
        Ok(name) if !name.trim().is_empty() => name
            .trim()
            .parse()
            .map_err(|e| format!("TASKFLOW_TRANSPORT: {e}").into()),
        _ => Ok(Protocol::default()),
    }
}

impl Target {
    /// The TaskFlow named by the environment, or a fresh embedded server and its demo user: as
    /// version 19 over JSON-2 (and `auto`), the TaskFlow document's 9.0 otherwise.
    pub async fn from_env() -> Result<Target, BoxError> {
        let protocol = protocol_from_env()?;
        let allow_insecure_http = allow_insecure_http_from_env()?;
        let mut target = match url_from_env() {
            Some(url) => Target {
                url,
                db: required("TASKFLOW_DB")?,
                login: required("TASKFLOW_USER")?,
                password: secret_from_env(protocol)?,
                protocol,
                allow_insecure_http,
                server: None,
            },
            None => {
                let keyed = matches!(protocol, Protocol::Json2 | Protocol::Auto);
                let mode = if keyed { Mode::Odoo19 } else { Mode::TaskFlow };
                let server = TestServer::builder().mode(mode).start().await?;
                let demo = server.demo();
                let password = match (keyed, demo.api_key) {
                    (true, Some(key)) => key,
                    _ => demo.password,
                };
                Target {
                    url: server.url(),
                    db: server.db().to_owned(),
                    login: demo.login,
                    password: Secret::new(password),
                    protocol,
                    allow_insecure_http,
                    server: Some(server),
                }
            }
        };
        if protocol == Protocol::Auto {
            target.protocol = target
                .builder()
                .api_key(target.password.clone())
                .connect()
                .await?
                .protocol();
        }
        Ok(target)
    }

    /// A client builder for the target: its URL, protocol (with the key on JSON-2) and the
    /// insecure-HTTP opt-in.
    pub fn builder(&self) -> ClientBuilder {
        let builder = Client::builder()
            .url(&self.url)
            .protocol(self.protocol)
            .allow_insecure_http(self.allow_insecure_http);
        match self.protocol {
            Protocol::Json2 => builder.json2(self.password.clone()),
            _ => builder,
        }
    }

    /// A client of the target, speaking its protocol.
    pub fn client(&self) -> taskflow_sdk::Result<Client> {
        self.builder().build()
    }

    /// Signs in.
    pub async fn connect(&self) -> Result<(Client, Session), BoxError> {
        let client = self.client()?;
        let session = client
            .authenticate(&self.db, &self.login, self.password.expose())
            .await?;
        Ok((client, session))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_insecure_http_opt_in_is_1_and_nothing_else_guessed() {
        for (value, allowed) in [
            (None, false),
            (Some(""), false),
            (Some("0"), false),
            (Some("false"), false),
            (Some(" 1 "), true),
            (Some("true"), true),
        ] {
            assert_eq!(allow_insecure_http(value).unwrap(), allowed, "{value:?}");
        }
        let err = allow_insecure_http(Some("yes please")).unwrap_err();
        assert!(err.to_string().contains("is not 1 or 0"), "{err}");
    }
}
