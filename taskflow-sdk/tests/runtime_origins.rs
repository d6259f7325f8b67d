//! Credentials never travel in clear, and never leave the origin (issue 18): plain HTTP to a
//! host that is not loopback is refused unless allowed, and redirects to another scheme, host or
//! port are not followed. All on loopback: a made-up host name is resolved to 127.0.0.1 by the
//! client's resolver override.

mod runtime_support;

use std::net::SocketAddr;

use runtime_support::{PASSWORD, Reply, ScriptedServer, odoo};
use taskflow_sdk::{Client, ErrorKind, Kwargs, Protocol, RetryPolicy};

/// A name no DNS knows, which the tests resolve to the scripted server.
const REMOTE: &str = "erp.example.test";

/// Answers `version` and `authenticate` (uid 2) as recorded; model calls get a 404 page.
fn common() -> impl Fn(&runtime_support::Seen, usize) -> Reply + Send + Sync + 'static {
    odoo(|_, _| Reply::Status(404, "<h1>Not Found</h1>"))
}

fn remote_client(server: &ScriptedServer, allow: bool) -> Client {
    let addr: SocketAddr = server.url().trim_start_matches("http://").parse().unwrap();
    Client::builder()
        .url(&format!("http://{REMOTE}:{}", addr.port()))
        .resolve(REMOTE, addr)
        .allow_insecure_http(allow)
        .no_proxy()
        .build()
        .unwrap()
}

#[tokio::test]
async fn plain_http_to_a_remote_host_sends_no_credentials() {
    let server = ScriptedServer::start(common()).await;
    let client = remote_client(&server, false);
    // version() carries no credentials: allowed.
    assert_eq!(
        client.version().await.unwrap().server_version,
        "17.0-20240709"
    );
    let err = client
        .authenticate("db", "admin", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Insecure, "{err}");
    let text = err.to_string();
    assert!(text.contains(&format!("plain HTTP to {REMOTE}")), "{text}");
    assert!(text.contains("allow_insecure_http(true)"), "{text}");
    assert!(text.contains("TASKFLOW_ALLOW_INSECURE_HTTP=1"), "{text}");
    assert!(!text.contains(PASSWORD));
    // Nothing but the version reached the server.
    assert_eq!(server.requests(), 1);

    // A session made without authenticate is refused too, and so is JSON-2.
    let session = taskflow_sdk::Session::with_uid(client.clone(), "db", 2, "admin", PASSWORD);
    let err = session
        .execute_kw_value("res.partner", "search", ((),), Kwargs::new())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Insecure);
    let addr: SocketAddr = server.url().trim_start_matches("http://").parse().unwrap();
    let json2 = Client::builder()
        .url(&format!("http://{REMOTE}:{}", addr.port()))
        .resolve(REMOTE, addr)
        .json2(PASSWORD)
        .build()
        .unwrap();
    assert_eq!(
        json2.session("db").await.unwrap_err().kind(),
        ErrorKind::Insecure
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn the_opt_in_allows_plain_http() {
    let server = ScriptedServer::start(common()).await;
    let session = remote_client(&server, true)
        .authenticate("db", "admin", PASSWORD)
        .await
        .unwrap();
    assert_eq!(session.uid(), 2);
    assert_eq!(
        server.last().header("host"),
        Some(&*format!(
            "{REMOTE}:{}",
            server.url().rsplit(':').next().unwrap()
        ))
    );
}

#[tokio::test]
async fn loopback_names_and_addresses_need_no_opt_in() {
    let server = ScriptedServer::start(common()).await;
    let addr: SocketAddr = server.url().trim_start_matches("http://").parse().unwrap();
    for url in [server.url(), format!("http://localhost:{}", addr.port())] {
        let client = Client::builder()
            .url(&url)
            .resolve("localhost", addr)
            .no_proxy()
            .build()
            .unwrap();
        let session = client.authenticate("db", "admin", PASSWORD).await;
        assert!(session.is_ok(), "{url}: {session:?}");
    }
    // ::1, where the machine has it.
    if let Ok(v6) = tokio::net::TcpListener::bind("[::1]:0").await {
        let port = v6.local_addr().unwrap().port();
        drop(v6);
        let client = Client::builder()
            .url(&format!("http://[::1]:{port}"))
            .retry_policy(RetryPolicy::never())
            .build()
            .unwrap();
        let err = client
            .authenticate("db", "admin", PASSWORD)
            .await
            .unwrap_err();
        // Refused by the closed port, not by the rule.
        assert_eq!(err.kind(), ErrorKind::Connect, "{err}");
    }
}

fn redirect(status: u16, location: String) -> Reply {
    Reply::Raw(status, vec![("Location", location)], Vec::new())
}

#[tokio::test]
async fn redirects_to_another_origin_are_not_followed() {
    for protocol in [Protocol::XmlRpc, Protocol::JsonRpc] {
        let elsewhere = ScriptedServer::start(common()).await;
        let port = elsewhere.url().rsplit(':').next().unwrap().to_owned();
        let targets = [
            // Another port.
            format!("{}/xmlrpc/2/common", elsewhere.url()),
            // Another host on the same port: localhost is not 127.0.0.1.
            format!("http://localhost:{port}/xmlrpc/2/common"),
            // Another scheme.
            format!("https://127.0.0.1:{port}/xmlrpc/2/common"),
        ];
        for target in targets {
            for status in [307, 308, 301, 302, 303] {
                let origin = ScriptedServer::always(redirect(status, target.clone())).await;
                let client = Client::builder()
                    .url(&origin.url())
                    .protocol(protocol)
                    .resolve("localhost", elsewhere.url()[7..].parse().unwrap())
                    .no_proxy()
                    .build()
                    .unwrap();
                let err = client
                    .authenticate("db", "admin", PASSWORD)
                    .await
                    .unwrap_err();
                assert_eq!(err.kind(), ErrorKind::Redirect, "{target} {status}: {err}");
                let chain = format!("{err}: {:?}", std::error::Error::source(&err));
                let why = if status < 307 {
                    "a GET without its body"
                } else {
                    "another origin"
                };
                assert!(chain.contains(why), "{chain}");
                assert!(!chain.contains(PASSWORD));
                assert_eq!(origin.requests(), 1, "{target}: not retried");
            }
        }
        assert_eq!(
            elsewhere.requests(),
            0,
            "{protocol}: the other origin saw a request"
        );
    }
}

#[tokio::test]
async fn redirects_within_the_origin_are_followed() {
    // 307 and 308 keep the method and the body; 301-303 would not, and are refused above.
    let answer = common();
    let server = ScriptedServer::start(move |request, index| {
        if index == 0 {
            redirect(307, format!("{}2", request.path))
        } else {
            answer(request, index)
        }
    })
    .await;
    let client = Client::builder()
        .url(&server.url())
        .no_proxy()
        .build()
        .unwrap();
    let session = client.authenticate("db", "admin", PASSWORD).await.unwrap();
    assert_eq!(session.uid(), 2);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].path, "/xmlrpc/2/common2");
    // 307 resends the body: within the origin, that is fine.
    assert_eq!(seen[1].body, seen[0].body);
}
