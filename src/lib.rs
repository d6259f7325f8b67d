//! Shared support for the workspace's examples and cross-crate tests: reaching a TaskFlow.
//!
//! With `TASKFLOW_URL` set, [`Target::from_env`] names that server, with `TASKFLOW_DB`,
//! `TASKFLOW_USER` and `TASKFLOW_PASSWORD` (the TaskFlow document's values are
//! `https://demo.taskflow.co.za`, `demo.taskflow.co.za`, `demo`, `demo`). Without it, it starts the
//! embedded server on a loopback port and names its `demo` user, so every example runs on a machine
//! with no credentials. `TASKFLOW_TRANSPORT` (`xmlrpc`, the default, or `jsonrpc`) chooses the
//! protocol for either; an unknown value is an error, never a fallback.

use std::env;
use std::error::Error;
use std::fmt;

use taskflow_sdk::{Client, Protocol, Secret, Session};
use taskflow_server::TestServer;

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
    /// The password (never printed).
    pub password: Secret,
    /// The protocol clients of the target speak (`TASKFLOW_TRANSPORT`).
    pub protocol: Protocol,
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
             TASKFLOW_PASSWORD too"
        )
        .into()
    })
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
    /// The TaskFlow named by the environment, or a fresh embedded server and its demo user.
    pub async fn from_env() -> Result<Target, BoxError> {
        let protocol = protocol_from_env()?;
        match url_from_env() {
            Some(url) => Ok(Target {
                url,
                db: required("TASKFLOW_DB")?,
                login: required("TASKFLOW_USER")?,
                password: Secret::new(required("TASKFLOW_PASSWORD")?),
                protocol,
                server: None,
            }),
            None => {
                let server = TestServer::start().await?;
                let demo = server.demo();
                Ok(Target {
                    url: server.url(),
                    db: server.db().to_owned(),
                    login: demo.login,
                    password: Secret::new(demo.password),
                    protocol,
                    server: Some(server),
                })
            }
        }
    }

    /// A client of the target, speaking its protocol.
    pub fn client(&self) -> taskflow_sdk::Result<Client> {
        Client::builder()
            .url(&self.url)
            .protocol(self.protocol)
            .build()
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
