//! Plain HTTP to loopback never goes through an environment proxy, where the password would
//! travel in clear to the proxy's host; with the opt-in to plain HTTP, the proxy is honoured.
//! Alone in its binary: it sets `HTTP_PROXY`, which every client of the process reads.

mod runtime_support;

use runtime_support::{PASSWORD, Reply, ScriptedServer, odoo};
use taskflow_sdk::Client;

#[tokio::test]
async fn loopback_over_plain_http_bypasses_the_environment_proxy() {
    let server = ScriptedServer::start(odoo(|_, _| Reply::Status(404, "<h1>Not Found</h1>"))).await;
    // The "proxy" answers as the server would, so that a proxied call succeeds too.
    let proxy = ScriptedServer::start(odoo(|_, _| Reply::Status(404, "<h1>Not Found</h1>"))).await;
    // SAFETY: this binary has this one test, and no other thread reads the environment now.
    unsafe {
        std::env::set_var("HTTP_PROXY", proxy.url());
        std::env::set_var("http_proxy", proxy.url());
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
    }
    let direct = Client::new(&server.url()).unwrap();
    direct.authenticate("db", "admin", PASSWORD).await.unwrap();
    assert_eq!((server.requests(), proxy.requests()), (1, 0));

    let proxied = Client::builder()
        .url(&server.url())
        .allow_insecure_http(true)
        .build()
        .unwrap();
    proxied.authenticate("db", "admin", PASSWORD).await.unwrap();
    assert_eq!(
        (server.requests(), proxy.requests()),
        (1, 1),
        "the opt-in honours the proxy"
    );
}
