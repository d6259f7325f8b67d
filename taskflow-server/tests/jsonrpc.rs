//! The JSON front ends beyond the recordings: the web client's session routes (Odoo 17's
//! documented behaviour, not recorded), other paths, the connection pool, and that JSON-RPC
//! and XML-RPC reach the same ORM.

mod support;

use support::json;
use support::{HttpResponse, Session, arr, i, s, st};
use taskflow_sdk::xmlrpc::Value;
use taskflow_server::TestServer;

const JSON: &[(&str, &str)] = &[("Content-Type", "application/json")];

async fn post(
    server: &TestServer,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> HttpResponse {
    support::http_with(server.addr(), "POST", path, headers, body.as_bytes()).await
}

fn parsed(response: &HttpResponse) -> Value {
    assert_eq!(
        response.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&response.body)
    );
    json::parse(&response.body).expect("a JSON answer")
}

fn error_name(answer: &Value) -> Option<&str> {
    answer.get("error")?.get("data")?.get("name")?.as_str()
}

fn call_kw(model: &str, method: &str, args: Value) -> String {
    json::to_json(&st(vec![
        ("jsonrpc", s("2.0")),
        ("method", s("call")),
        (
            "params",
            st(vec![
                ("model", s(model)),
                ("method", s(method)),
                ("args", args),
                ("kwargs", st(vec![])),
            ]),
        ),
        ("id", i(1)),
    ]))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_sessions_authenticate_with_their_cookie() {
    let server = TestServer::start().await.expect("start");
    let count = call_kw("crm.lead", "search_count", arr(vec![arr(vec![])]));

    // No session: Odoo's SessionExpiredException, code 100.
    let answer = parsed(
        &post(
            &server,
            "/web/dataset/call_kw/crm.lead/search_count",
            JSON,
            &count,
        )
        .await,
    );
    let error = answer.get("error").expect("an error");
    assert_eq!(error.get("code"), Some(&i(100)));
    assert_eq!(
        error_name(&answer),
        Some("odoo.http.SessionExpiredException")
    );

    // A wrong password opens no session.
    let login = |password: &str| {
        format!(
            r#"{{"jsonrpc": "2.0", "method": "call", "params": {{"db": "{}", "login": "demo", "password": "{password}"}}, "id": 2}}"#,
            server.db()
        )
    };
    let refused = post(&server, "/web/session/authenticate", JSON, &login("wrong")).await;
    assert!(refused.header("set-cookie").is_none());
    assert_eq!(
        error_name(&parsed(&refused)),
        Some("odoo.exceptions.AccessDenied")
    );

    let opened = post(&server, "/web/session/authenticate", JSON, &login("demo")).await;
    let cookie = opened
        .header("set-cookie")
        .expect("a session cookie")
        .to_owned();
    assert!(
        cookie.starts_with("session_id=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let info = parsed(&opened);
    let info = info.get("result").expect("the session info");
    assert_eq!(info.get("uid"), Some(&i(6)));
    assert_eq!(info.get("username"), Some(&s("demo")));
    assert_eq!(
        info.get("user_context").and_then(|c| c.get("uid")),
        Some(&i(6))
    );

    let session_id = cookie.split(';').next().expect("name=value");
    let with_cookie = [("Content-Type", "application/json"), ("Cookie", session_id)];
    let answer = parsed(&post(&server, "/web/dataset/call_kw", &with_cookie, &count).await);
    // The demo user's record rules apply, as over XML-RPC.
    let demo = Session::new(&server, false);
    let xmlrpc = demo
        .ok("crm.lead", "search_count", vec![arr(vec![])], vec![])
        .await;
    assert_eq!(answer.get("result"), Some(&xmlrpc));
    // And their access rights.
    let write = call_kw(
        "crm.stage",
        "write",
        arr(vec![arr(vec![i(1)]), st(vec![("name", s("x"))])]),
    );
    let answer = parsed(&post(&server, "/web/dataset/call_kw", &with_cookie, &write).await);
    assert_eq!(error_name(&answer), Some("odoo.exceptions.AccessError"));

    // A forged or closed session is no session.
    let forged = [
        ("Content-Type", "application/json"),
        ("Cookie", "session_id=0000"),
    ];
    let answer = parsed(&post(&server, "/web/dataset/call_kw", &forged, &count).await);
    assert_eq!(
        error_name(&answer),
        Some("odoo.http.SessionExpiredException")
    );
    let destroy = r#"{"jsonrpc": "2.0", "method": "call", "params": {}, "id": 3}"#;
    parsed(&post(&server, "/web/session/destroy", &with_cookie, destroy).await);
    let answer = parsed(&post(&server, "/web/dataset/call_kw", &with_cookie, &count).await);
    assert_eq!(
        error_name(&answer),
        Some("odoo.http.SessionExpiredException")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn version_info_and_other_paths() {
    let server = TestServer::start().await.expect("start");
    let body = r#"{"jsonrpc": "2.0", "method": "call", "params": {}, "id": 1}"#;
    let answer = parsed(&post(&server, "/web/webclient/version_info", JSON, body).await);
    let version = support::call(server.addr(), "/xmlrpc/2/common", "version", vec![])
        .await
        .expect("version");
    assert_eq!(answer.get("result"), Some(&version));
    // No such route (odoo-17-jsonrpc 124: 404, an HTML page).
    let missing = post(&server, "/jsonrpc/2", JSON, body).await;
    assert_eq!(missing.status, 404);
    assert!(
        missing
            .header("content-type")
            .is_some_and(|c| c.starts_with("text/html"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jsonrpc_and_xmlrpc_share_the_database() {
    let server = TestServer::start().await.expect("start");
    let admin = Session::new(&server, true);
    let create = format!(
        r#"{{"jsonrpc": "2.0", "method": "call", "params": {{"service": "object", "method": "execute_kw", "args": ["{}", 2, "admin", "crm.lead", "create", [{{"name": "made over JSON-RPC", "expected_revenue": 1.5}}]]}}, "id": 7}}"#,
        server.db()
    );
    let answer = parsed(&post(&server, "/jsonrpc", JSON, &create).await);
    let id = answer.get("result").and_then(Value::as_i64).expect("an id");
    let read = admin
        .ok(
            "crm.lead",
            "read",
            vec![
                arr(vec![i(id)]),
                arr(vec![s("name"), s("expected_revenue")]),
            ],
            vec![],
        )
        .await;
    assert_eq!(
        read,
        arr(vec![st(vec![
            ("id", i(id)),
            ("name", s("made over JSON-RPC")),
            ("expected_revenue", Value::Double(1.5)),
        ])])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_pool_is_a_pool_error() {
    // One connection: the HTTP layer's borrow succeeds, the method's does not (as 133).
    let server = TestServer::builder()
        .db_maxconn(1)
        .start()
        .await
        .expect("start");
    let body = r#"{"jsonrpc": "2.0", "method": "call", "params": {"service": "common", "method": "version", "args": []}, "id": 1}"#;
    let answer = parsed(&post(&server, "/jsonrpc", JSON, body).await);
    assert_eq!(error_name(&answer), Some("psycopg2.pool.PoolError"));
}
