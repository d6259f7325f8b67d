//! Where XML-RPC, JSON-RPC and JSON-2 differ, the SDK means one thing (see
//! `taskflow_sdk::Protocol`): the same calls to the embedded server over each protocol give the
//! same results and the same errors, and each request goes to the protocol's own endpoint.
//! JSON-2 (and `auto`, which picks it there) runs against the server's version-19 mode, the
//! first with JSON-2, with the users' API keys.

use taskflow_sdk::{Client, ErrorKind, FaultKind, Kwargs, Protocol, Session};
use taskflow_server::{Credentials, Endpoint, Mode, TestServer};

/// A fresh server that speaks `protocol`.
async fn server(protocol: Protocol) -> TestServer {
    let mode = match protocol {
        Protocol::Json2 | Protocol::Auto => Mode::Odoo19,
        _ => Mode::TaskFlow,
    };
    TestServer::builder().mode(mode).start().await.unwrap()
}

/// A client of `server` over `protocol`, with `key` where the protocol needs one.
async fn client(server: &TestServer, protocol: Protocol, key: &str) -> Client {
    let builder = Client::builder().url(&server.url());
    let client = match protocol {
        Protocol::Json2 => builder.json2(key).build().unwrap(),
        Protocol::Auto => builder
            .protocol(protocol)
            .api_key(key)
            .connect()
            .await
            .unwrap(),
        _ => builder.protocol(protocol).build().unwrap(),
    };
    let expected = match protocol {
        Protocol::Auto => Protocol::Json2,
        other => other,
    };
    assert_eq!(client.protocol(), expected);
    client
}

/// The user's secret over `protocol`: the API key over JSON-2 (and `auto`), else the password.
fn secret(protocol: Protocol, user: &Credentials) -> String {
    match (protocol, &user.api_key) {
        (Protocol::Json2 | Protocol::Auto, Some(key)) => key.clone(),
        _ => user.password.clone(),
    }
}

async fn session(server: &TestServer, protocol: Protocol, login: &str) -> Session {
    let user = [server.admin(), server.demo()]
        .into_iter()
        .find(|u| u.login == login)
        .expect("a seeded user");
    let secret = secret(protocol, &user);
    client(server, protocol, &secret)
        .await
        .authenticate(server.db(), login, &secret)
        .await
        .unwrap_or_else(|e| panic!("{login} signs in over {protocol}: {e}"))
}

fn endpoint(protocol: Protocol) -> Endpoint {
    match protocol {
        Protocol::JsonRpc => Endpoint::JsonRpc,
        Protocol::Json2 | Protocol::Auto => Endpoint::Json2,
        _ => Endpoint::XmlRpc,
    }
}

#[tokio::test]
async fn each_protocol_posts_to_its_own_endpoint() {
    for protocol in Protocol::ALL {
        let server = server(protocol).await;
        let s = session(&server, protocol, "demo").await;
        assert_eq!(s.uid(), server.mode().demo_uid(), "{protocol}");
        let count: i64 = s
            .execute_kw("crm.lead", "search_count", ((),), Kwargs::new())
            .await
            .unwrap();
        assert!(count > 0);
        let seen = server.requests();
        // The sign-in and the call; `auto` asked GET /web/version first.
        let probe = u64::from(protocol == Protocol::Auto);
        assert_eq!(seen.get(endpoint(protocol)), 2, "{protocol}: {seen}");
        assert_eq!(seen.web, probe, "{protocol}: {seen}");
        assert_eq!(
            seen.xmlrpc + seen.jsonrpc + seen.web + seen.json2 + seen.other,
            2 + probe,
            "{protocol}: {seen}"
        );
    }
}

#[tokio::test]
async fn a_method_returning_none_is_the_returned_none_error_on_all() {
    for protocol in Protocol::ALL {
        let server = server(protocol).await;
        let s = session(&server, protocol, "admin").await;
        let id: i64 = s
            .execute_kw(
                "crm.lead",
                "create",
                (serde_json::json!({"name": "archived"}),),
                Kwargs::new(),
            )
            .await
            .unwrap();
        // odoo-17/087 faults with "cannot marshal None"; odoo-17-jsonrpc/093 leaves out `result`.
        let err = s
            .execute_kw_value("crm.lead", "action_archive", ([id],), Kwargs::new())
            .await
            .unwrap_err();
        assert!(err.is_returned_none(), "{protocol}: {err}");
        assert_eq!(err.kind(), ErrorKind::Fault, "{protocol}");
        // And the work was done.
        let active: Vec<serde_json::Value> = s
            .execute_kw(
                "crm.lead",
                "read",
                ([id], ["active"]),
                Kwargs::new().context("active_test", false),
            )
            .await
            .unwrap();
        assert_eq!(active[0]["active"], false, "{protocol}");
    }
}

/// The fault of one call over `protocol`: its kind and exception name.
async fn fault_of(
    s: &Session,
    model: &str,
    method: &str,
    args: serde_json::Value,
) -> (FaultKind, Option<String>) {
    let err = s
        .execute_kw_value(model, method, args, Kwargs::new())
        .await
        .unwrap_err();
    let fault = err.fault().unwrap_or_else(|| panic!("a fault: {err}"));
    (fault.kind(), fault.exception().map(str::to_owned))
}

#[tokio::test]
async fn the_same_error_is_the_same_fault_kind_on_all() {
    let mut per_protocol = Vec::new();
    for protocol in Protocol::ALL {
        let server = server(protocol).await;
        let demo = session(&server, protocol, "demo").await;
        let faults = [
            // A salesperson may not write stages (odoo-17 and odoo-17-jsonrpc 096).
            fault_of(
                &demo,
                "crm.stage",
                "write",
                serde_json::json!([[1], {"name": "x"}]),
            )
            .await,
            // A record that does not exist (069).
            fault_of(
                &demo,
                "crm.lead",
                "write",
                serde_json::json!([[999999], {"name": "x"}]),
            )
            .await,
            // A field that does not exist (085): a ValueError on both.
            fault_of(
                &demo,
                "crm.lead",
                "create",
                serde_json::json!([{"no_such_field": 1}]),
            )
            .await,
        ];
        per_protocol.push((protocol, faults));
    }
    let (_, xml) = &per_protocol[0];
    assert_eq!(xml[0].0, FaultKind::AccessError);
    assert_eq!(xml[1].0, FaultKind::MissingRecord);
    assert_eq!(xml[2].0, FaultKind::ServerError);
    for (protocol, faults) in &per_protocol[1..] {
        let kinds: Vec<FaultKind> = faults.iter().map(|f| f.0).collect();
        let xml_kinds: Vec<FaultKind> = xml.iter().map(|f| f.0).collect();
        assert_eq!(kinds, xml_kinds, "{protocol}");
        // Where XML-RPC names the exception (fault 1's traceback), the others name the same.
        assert_eq!(faults[2].1.as_deref(), Some("ValueError"), "{protocol}");
        assert_eq!(xml[2].1.as_deref(), Some("ValueError"));
    }
}

#[tokio::test]
async fn a_wrong_password_is_the_same_error_on_all() {
    for protocol in Protocol::ALL {
        let server = server(protocol).await;
        let client = client(&server, protocol, "not-demos-password").await;
        let err = client
            .authenticate(server.db(), "demo", "not-demos-password")
            .await
            .unwrap_err();
        assert!(err.is_login_refused(), "{protocol}: {err}");
        assert!(
            !format!("{err} {err:?}").contains("not-demos-password"),
            "{protocol}: {err}"
        );
    }
}
