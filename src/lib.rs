//! Shared support for the workspace's examples and cross-crate tests: reaching a TaskFlow.
//!
//! With `TASKFLOW_URL` set, [`connect`] talks to that server with `TASKFLOW_DB`, `TASKFLOW_USER`
//! and `TASKFLOW_PASSWORD` (the TaskFlow document's values are `https://demo.taskflow.co.za`,
//! `demo.taskflow.co.za`, `demo`, `demo`). Without it, it starts the embedded server on a loopback
//! port and signs in as its `demo` user, so every example runs on a machine with no credentials.

use std::env;
use std::error::Error;

use taskflow_sdk::{Client, Session};
use taskflow_server::TestServer;

/// A signed-in session, and the embedded server behind it when one was started.
pub struct Connection {
    /// The client (common endpoint).
    pub client: Client,
    /// The session of the configured or demo user.
    pub session: Session,
    /// Where the session goes, for printing.
    pub description: String,
    /// Keeps the embedded server running as long as the connection lives.
    pub server: Option<TestServer>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("description", &self.description)
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

fn required(name: &str) -> Result<String, Box<dyn Error + Send + Sync>> {
    env::var(name).map_err(|_| {
        format!("TASKFLOW_URL is set but {name} is not: set TASKFLOW_DB, TASKFLOW_USER and TASKFLOW_PASSWORD too").into()
    })
}

/// Connects to the TaskFlow named by the environment, or to a fresh embedded server.
pub async fn connect() -> Result<Connection, Box<dyn Error + Send + Sync>> {
    match env::var("TASKFLOW_URL") {
        Ok(url) if !url.trim().is_empty() => {
            let db = required("TASKFLOW_DB")?;
            let user = required("TASKFLOW_USER")?;
            let password = required("TASKFLOW_PASSWORD")?;
            let client = Client::new(&url)?;
            let session = client.authenticate(&db, &user, &password).await?;
            Ok(Connection {
                description: format!("{url} (database {db}, user {user})"),
                client,
                session,
                server: None,
            })
        }
        _ => {
            let server = TestServer::start().await?;
            let demo = server.demo();
            let client = Client::new(&server.url())?;
            let session = client
                .authenticate(server.db(), &demo.login, &demo.password)
                .await?;
            Ok(Connection {
                description: format!(
                    "the embedded server at {} (database {}, user {}; set TASKFLOW_URL to use yours)",
                    server.url(),
                    server.db(),
                    demo.login
                ),
                client,
                session,
                server: Some(server),
            })
        }
    }
}
