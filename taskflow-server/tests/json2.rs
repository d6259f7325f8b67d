//! JSON-2 and API keys beyond the replay: which modes serve what, keys as passwords over the
//! other protocols, and the request counts.

mod support;

use support::{Session, arr, i, s};
use taskflow_sdk::xmlrpc::Value;
use taskflow_server::{Endpoint, Mode, TestServer};

async fn post_json2(server: &TestServer, path: &str, key: &str, body: &str) -> (u16, Value) {
    let auth = format!("BEARER {key}");
    let response = support::http_with(
        server.addr(),
        "POST",
        path,
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &auth),
        ],
        body.as_bytes(),
    )
    .await;
    let value = support::json::parse(&response.body).unwrap_or(Value::Nil);
    (response.status, value)
}

#[tokio::test]
async fn only_19_serves_json2_and_json_version() {
    for (mode, json2, web_version) in [
        (Mode::TaskFlow, false, false),
        (Mode::Odoo17, false, true),
        (Mode::Odoo19, true, true),
    ] {
        let server = TestServer::builder().mode(mode).start().await.unwrap();
        assert_eq!(server.mode(), mode);
        let key = server.admin().api_key.unwrap_or_default();
        let (status, _) = post_json2(&server, "/json/2/crm.lead/search_count", &key, "{}").await;
        assert_eq!(status, if json2 { 422 } else { 404 }, "{mode:?}");
        for (path, served) in [("/web/version", web_version), ("/json/version", json2)] {
            let response = support::http_with(server.addr(), "GET", path, &[], b"").await;
            assert_eq!(response.status == 200, served, "{mode:?} {path}");
            if served {
                let version = support::json::parse(&response.body).unwrap();
                assert_eq!(
                    version.get("version").and_then(Value::as_str),
                    Some(mode.version_info().server_version.as_str())
                );
            }
        }
        // Counted by path, served or not: /json/2/... and /json/version.
        let counts = server.requests();
        assert_eq!(counts.get(Endpoint::Json2), 2, "{mode:?}");
        assert_eq!(counts.get(Endpoint::Web), 1, "{mode:?}");
    }
}

#[tokio::test]
async fn keys_open_json2_as_their_user_and_work_as_passwords() {
    let server = TestServer::builder()
        .mode(Mode::Odoo19)
        .start()
        .await
        .unwrap();
    let (admin, demo) = (server.admin(), server.demo());
    assert_eq!((admin.uid, demo.uid), (2, 5));
    let demo_key = demo.api_key.clone().unwrap();
    assert_ne!(admin.api_key.as_deref(), Some(demo_key.as_str()));
    let (status, context) =
        post_json2(&server, "/json/2/res.users/context_get", &demo_key, "{}").await;
    assert_eq!(status, 200);
    assert_eq!(context.get("uid"), Some(&Value::Int(5)));
    // The key is demo's password over XML-RPC: authenticate and execute_kw.
    let uid = support::call(
        server.addr(),
        "/xmlrpc/2/common",
        "authenticate",
        vec![
            s(server.db()),
            s("demo"),
            s(&demo_key),
            Value::Struct(vec![]),
        ],
    )
    .await
    .unwrap();
    assert_eq!(uid, i(5));
    let mut session = Session::new(&server, false);
    session.password = demo_key.clone();
    let count = session
        .ok("crm.tag", "search_count", vec![arr(vec![])], vec![])
        .await;
    assert!(count.as_i64().is_some_and(|n| n > 0));
    // Another user's key is not this user's password.
    session.password = admin.api_key.clone().unwrap();
    assert!(
        session
            .execute_kw("crm.tag", "search_count", vec![arr(vec![])], vec![])
            .await
            .is_err()
    );
    // 19 over XML-RPC: formatted_read_group exists, demo's leads are uid 5's.
    let groups = Session::new(&server, true)
        .ok(
            "crm.lead",
            "formatted_read_group",
            vec![
                arr(vec![]),
                arr(vec![s("user_id")]),
                arr(vec![s("__count")]),
            ],
            vec![],
        )
        .await;
    let groups = groups.as_array().map(<[Value]>::to_vec).unwrap_or_default();
    assert!(groups.iter().any(|g| {
        g.get("user_id")
            .and_then(Value::as_array)
            .is_some_and(|u| u.first() == Some(&i(5)))
    }));
}

#[tokio::test]
async fn taskflow_mode_has_no_keys_and_fixed_keys_can_be_given() {
    let server = TestServer::start().await.unwrap();
    assert_eq!(server.demo().api_key, None);
    assert_eq!(server.demo().uid, 6);
    let server = TestServer::builder()
        .mode(Mode::Odoo17)
        .api_keys("k-admin", "k-demo")
        .start()
        .await
        .unwrap();
    assert_eq!(server.admin().api_key.as_deref(), Some("k-admin"));
    let debug = format!("{:?}", server.admin());
    assert!(
        !debug.contains("k-admin") && debug.contains("api_key"),
        "{debug}"
    );
}
