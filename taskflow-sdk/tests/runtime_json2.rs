//! The JSON-2 client against a scripted loopback server answering as the recordings show
//! (`tests/fixtures/odoo-19-json2`): what it sends, how it reads answers and errors, which it
//! retries, and how `Protocol::Auto` chooses.

mod runtime_support;

use std::collections::BTreeMap;
use std::time::Duration;

use runtime_support::{PASSWORD, Reply, ScriptedServer, Seen};
use taskflow_sdk::xmlrpc::FaultCode;
use taskflow_sdk::{Client, ErrorKind, FaultKind, Kwargs, Protocol, RetryPolicy};

fn json(status: u16, body: &str) -> Reply {
    Reply::Raw(
        status,
        vec![("Content-Type", "application/json; charset=utf-8".to_owned())],
        body.as_bytes().to_vec(),
    )
}

/// `res.users/context_get` as recorded (004), for the demo user (uid 5).
const CONTEXT: &str = r#"{"lang": "en_US", "tz": "Europe/Brussels", "uid": 5}"#;

fn client(server: &ScriptedServer) -> Client {
    Client::builder()
        .url(&server.url())
        .json2(PASSWORD)
        .retry_policy(
            RetryPolicy::default()
                .deadline(Duration::from_millis(300))
                .backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .build()
        .unwrap()
}

fn body(seen: &Seen) -> serde_json::Value {
    serde_json::from_slice(&seen.body).unwrap()
}

#[tokio::test]
async fn calls_carry_the_key_the_database_and_named_arguments() {
    let server = ScriptedServer::start(|request, _| match request.path.as_str() {
        "/json/2/res.users/context_get" => json(200, CONTEXT),
        "/json/2/crm.lead/create" => json(200, "[55]"),
        "/json/2/crm.lead/write" => json(200, "true"),
        _ => json(
            404,
            r#"{"name": "werkzeug.exceptions.NotFound", "message": "?"}"#,
        ),
    })
    .await;
    let session = client(&server)
        .session("taskflow19")
        .await
        .unwrap()
        .with_context("lang", "en_US");
    assert_eq!(session.uid(), 5);
    let first = server.last();
    assert_eq!(first.http_method, "POST");
    assert_eq!(
        first.header("authorization"),
        Some(&*format!("bearer {PASSWORD}"))
    );
    assert_eq!(first.header("x-odoo-database"), Some("taskflow19"));
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert_eq!(body(&first), serde_json::json!({}));

    let vals = BTreeMap::from([("name", "JSON2 probe")]);
    let id: i64 = session
        .execute_kw("crm.lead", "create", (&vals,), Kwargs::new())
        .await
        .unwrap();
    assert_eq!(id, 55, "create of one record answers its id, not [55]");
    assert_eq!(
        body(&server.last()),
        serde_json::json!({"vals_list": {"name": "JSON2 probe"}, "context": {"lang": "en_US"}})
    );
    let ids: Vec<i64> = session
        .execute_kw("crm.lead", "create", (vec![&vals],), Kwargs::new())
        .await
        .unwrap();
    assert_eq!(ids, [55]);

    let done: bool = session
        .execute_kw("crm.lead", "write", (vec![55], &vals), Kwargs::new())
        .await
        .unwrap();
    assert!(done);
    assert_eq!(
        body(&server.last()),
        serde_json::json!({"ids": [55], "vals": {"name": "JSON2 probe"}, "context": {"lang": "en_US"}})
    );
    // The key never shows.
    assert!(!format!("{session:?} {:?}", session.client()).contains(PASSWORD));
}

#[tokio::test]
async fn a_refused_key_is_a_refused_login_then_access_denied() {
    let unauthorized = r#"{"name": "werkzeug.exceptions.Unauthorized", "message": "Invalid apikey",
        "arguments": ["Invalid apikey", 401], "context": {}, "debug": "Traceback ..."}"#;
    let server = ScriptedServer::always(json(401, unauthorized)).await;
    let client = client(&server);
    let err = client.session("db").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginRefused, "{err}");
    let err = client
        .authenticate("db", "demo", PASSWORD)
        .await
        .unwrap_err();
    assert!(err.is_login_refused(), "{err}");
    assert!(!err.to_string().contains(PASSWORD));

    let session = taskflow_sdk::Session::with_uid(client, "db", 5, "demo", PASSWORD);
    let err = session
        .execute_kw_value("res.partner", "search", ((),), Kwargs::new())
        .await
        .unwrap_err();
    assert_eq!(err.fault_kind(), Some(FaultKind::AccessDenied), "{err}");
    assert!(err.is_access_denied());
    assert_eq!(err.fault().unwrap().code(), &FaultCode::Int(401));
}

#[tokio::test]
async fn a_server_error_body_is_not_retried_and_an_error_page_is() {
    let value_error = r#"{"name": "builtins.ValueError", "message": "Invalid field 'no_such_field' on 'res.partner'",
        "arguments": [], "context": {}, "debug": "Traceback ..."}"#;
    let server = ScriptedServer::always(json(500, value_error)).await;
    let session = client(&server).session("").await;
    // context_get itself fails with the server error.
    let err = session.unwrap_err();
    assert_eq!(err.fault_kind(), Some(FaultKind::ServerError));
    assert_eq!(err.fault().unwrap().exception(), Some("ValueError"));
    assert!(!err.is_transient());
    assert_eq!(
        server.requests(),
        1,
        "a 500 with an error body is never retried"
    );
    // No database header when none is named (a mono-database server, 008).
    assert_eq!(server.last().header("x-odoo-database"), None);

    // A 500 page without a JSON body is the transport's: retried for a read.
    let server = ScriptedServer::start(|request, index| match request.path.as_str() {
        "/json/2/res.users/context_get" => json(200, CONTEXT),
        _ if index == 1 => Reply::Status(500, "<h1>Internal Server Error</h1>"),
        _ => json(200, "[1, 2]"),
    })
    .await;
    let session = client(&server).session("db").await.unwrap();
    let ids: Vec<i64> = session
        .execute_kw("res.partner", "search", ((),), Kwargs::new())
        .await
        .unwrap();
    assert_eq!(ids, [1, 2]);
    assert_eq!(server.requests(), 3);

    // So is a JSON body that is no error object (a proxy's): its status speaks.
    let server = ScriptedServer::start(|request, index| match request.path.as_str() {
        "/json/2/res.users/context_get" => json(200, CONTEXT),
        _ if index == 1 => json(503, r#"{"message": "Service Unavailable"}"#),
        _ => json(200, "[3]"),
    })
    .await;
    let session = client(&server).session("db").await.unwrap();
    let ids: Vec<i64> = session
        .execute_kw("res.partner", "search", ((),), Kwargs::new())
        .await
        .unwrap();
    assert_eq!(ids, [3]);
    assert_eq!(server.requests(), 3);
    let server = ScriptedServer::always(json(502, r#"{"message": "Bad Gateway"}"#)).await;
    let err = client(&server).session("db").await.unwrap_err();
    assert_eq!(err.status(), Some(502), "{err}");

    // 404 and 415 HTML pages are transport errors with their status.
    for status in [404, 415] {
        let server = ScriptedServer::always(Reply::Status(status, "<h1>Not Found</h1>")).await;
        let err = client(&server).session("nodb").await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Status, "{err}");
        assert_eq!(err.status(), Some(status));
    }
}

#[tokio::test]
async fn names_are_read_as_display_name() {
    let server = ScriptedServer::start(|request, _| match request.path.as_str() {
        "/json/2/res.users/context_get" => json(200, CONTEXT),
        "/json/2/res.partner/read" => json(200, r#"[{"id": 1, "display_name": "My Company"}]"#),
        _ => json(404, r#"{"name": "werkzeug.exceptions.NotFound", "message": "The method 'res.partner.name_get' does not exist"}"#),
    })
    .await;
    let session = client(&server).session("db").await.unwrap();
    #[derive(taskflow_sdk::TaskflowModel)]
    #[taskflow(model = "res.partner")]
    #[allow(dead_code)]
    struct Partner {
        id: taskflow_sdk::Id<Partner>,
        name: String,
    }
    let names = Partner::name_get(&session, &[taskflow_sdk::Id::new(1)])
        .await
        .unwrap();
    assert_eq!(names, [(taskflow_sdk::Id::new(1), "My Company".to_owned())]);
    assert_eq!(
        body(&server.last()),
        serde_json::json!({"ids": [1], "fields": ["display_name"]})
    );
    assert!(!server.seen().iter().any(|s| s.path.ends_with("/name_get")));
}

#[tokio::test]
async fn auto_picks_json2_on_19_with_a_key_and_json_rpc_otherwise() {
    let web_version = |version: &'static str| {
        move |request: &Seen, _: usize| match request.path.as_str() {
            "/web/version" => json(200, version),
            _ => Reply::Status(404, "<h1>Not Found</h1>"),
        }
    };
    let v19 = r#"{"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}"#;
    let v17 = r#"{"version_info": [17, 0, 0, "final", 0, ""], "version": "17.0"}"#;
    let not_found = Reply::Status(404, "<h1>Not Found</h1>");
    let cases = [
        (
            ScriptedServer::start(web_version(v19)).await,
            true,
            Protocol::Json2,
        ),
        (
            ScriptedServer::start(web_version(v17)).await,
            true,
            Protocol::JsonRpc,
        ),
        // Servers before 17 have no /web/version.
        (
            ScriptedServer::always(not_found).await,
            true,
            Protocol::JsonRpc,
        ),
        // Without a key, nothing to ask.
        (
            ScriptedServer::start(web_version(v19)).await,
            false,
            Protocol::JsonRpc,
        ),
    ];
    for (n, (server, key, expected)) in cases.iter().enumerate() {
        let mut builder = Client::builder()
            .url(&server.url())
            .protocol(Protocol::Auto);
        if *key {
            builder = builder.api_key(PASSWORD);
        }
        let client = builder.connect().await.unwrap();
        assert_eq!(client.protocol(), *expected, "case {n}");
        assert_eq!(server.requests(), usize::from(*key), "case {n}");
    }
    let err = Client::builder()
        .url("http://127.0.0.1:1")
        .protocol(Protocol::Auto)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("ClientBuilder::connect"), "{err}");
    let err = Client::builder()
        .url("http://127.0.0.1:1")
        .protocol(Protocol::Json2)
        .build()
        .unwrap_err();
    assert!(
        err.to_string().contains("ClientBuilder::json2(key)"),
        "{err}"
    );
}

#[tokio::test]
async fn version_on_json2_asks_json_version_without_credentials() {
    let server = ScriptedServer::always(json(
        200,
        r#"{"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}"#,
    ))
    .await;
    let version = client(&server).version().await.unwrap();
    assert_eq!(
        (version.major(), version.server_serie.as_str()),
        (Some(19), "19.0")
    );
    let seen = server.last();
    assert_eq!(
        (seen.http_method.as_str(), seen.path.as_str()),
        ("GET", "/json/version")
    );
    assert_eq!(seen.header("authorization"), None);
}

#[tokio::test]
async fn model_and_method_names_stay_in_the_json2_path() {
    let server = ScriptedServer::start(|request, _| match request.path.as_str() {
        "/json/2/res.users/context_get" => json(200, CONTEXT),
        _ => json(200, "true"),
    })
    .await;
    let session = client(&server).session("db").await.unwrap();
    for (model, method) in [
        ("https://elsewhere.example/x", "read"),
        ("//elsewhere.example", "read"),
        ("crm.lead/../../web", "read"),
        ("crm.lead", "write?x=1#y"),
    ] {
        let _: bool = session
            .execute_kw(model, method, (vec![1],), Kwargs::new())
            .await
            .unwrap();
        let seen = server.last();
        assert!(
            seen.path.starts_with("/json/2/"),
            "{model} {method}: {}",
            seen.path
        );
        assert_eq!(
            seen.path.matches('/').count(),
            4,
            "{model} {method}: {}",
            seen.path
        );
    }
    for (model, method) in [("..", "read"), ("crm.lead", ""), ("", "read")] {
        let err = session
            .execute_kw::<bool>(model, method, (vec![1],), Kwargs::new())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Encode, "{model:?} {method:?}: {err}");
    }
}
