//! Helpers shared by the workspace's integration tests: the end-to-end target ([`e2e`]) and the
//! harness that runs tests against it ([`harness`]), a reply-dropping proxy, and sessions of a
//! fresh embedded server for the tests that still start their own.
#![allow(dead_code)]

pub mod e2e;
pub mod harness;
pub mod proxy;

use taskflow_sdk::{Client, ClientBuilder, Kwargs, Protocol, Session};
use taskflow_server::{Mode, TestServer};

/// The embedded server's mode for the protocol the tests speak: version 19 for JSON-2 (and
/// `auto`), the TaskFlow document's 9.0 otherwise.
pub fn mode() -> Mode {
    match protocol() {
        Protocol::Json2 | Protocol::Auto => Mode::Odoo19,
        _ => Mode::TaskFlow,
    }
}

/// A fresh embedded server for the protocol the tests speak: as version 19 for JSON-2 (and
/// `auto`), which older versions do not serve; as the TaskFlow document's 9.0 otherwise.
pub async fn start_server() -> TestServer {
    TestServer::builder()
        .mode(mode())
        .start()
        .await
        .expect("embedded server starts")
}

/// A fresh embedded server and a session of its demo user.
pub async fn demo_session() -> (TestServer, Session) {
    let server = start_server().await;
    let session = login(&server.url(), &server).await;
    (server, session)
}

/// A fresh embedded server and a session of its administrator, for tests that need rights a
/// salesperson lacks.
pub async fn admin_session() -> (TestServer, Session) {
    let server = start_server().await;
    let session = login_admin(&server.url(), &server).await;
    (server, session)
}

/// Signs in as the server's demo user through `url` (the server itself, or a proxy before it).
pub async fn login(url: &str, server: &TestServer) -> Session {
    sign_in(Client::builder().url(url), server, server.demo()).await
}

/// Signs in as the server's administrator through `url`.
pub async fn login_admin(url: &str, server: &TestServer) -> Session {
    sign_in(Client::builder().url(url), server, server.admin()).await
}

/// Signs in as the administrator of `server` on a client `client` configures (a default one is
/// `Client::builder()`), its URL set to the server's.
pub async fn admin(server: &TestServer, client: ClientBuilder) -> Session {
    sign_in(client.url(&server.url()), server, server.admin()).await
}

async fn sign_in(
    client: ClientBuilder,
    server: &TestServer,
    user: taskflow_server::Credentials,
) -> Session {
    // Over JSON-2 the secret is the user's API key.
    let protocol = protocol();
    let secret = match (protocol, &user.api_key) {
        (Protocol::Json2 | Protocol::Auto, Some(key)) => key.clone(),
        _ => user.password.clone(),
    };
    let client = match protocol {
        Protocol::Json2 => client.json2(secret.as_str()).build(),
        Protocol::Auto => {
            client
                .protocol(protocol)
                .api_key(secret.as_str())
                .connect()
                .await
        }
        _ => client.protocol(protocol).build(),
    };
    client
        .expect("client builds")
        .authenticate(server.db(), &user.login, &secret)
        .await
        .unwrap_or_else(|e| panic!("{} signs in: {e}", user.login))
}

/// The protocol the tests speak: `TASKFLOW_TRANSPORT`, XML-RPC by default.
pub fn protocol() -> taskflow_sdk::Protocol {
    taskflow_workspace::protocol_from_env().unwrap_or_else(|e| panic!("{e}"))
}

/// How many `crm.lead` records have a name starting with `prefix`.
pub async fn count_leads(session: &Session, prefix: &str) -> i64 {
    session
        .execute_kw(
            "crm.lead",
            "search_count",
            ((("name", "=like", format!("{prefix}%")),),),
            Kwargs::new(),
        )
        .await
        .expect("search_count")
}
