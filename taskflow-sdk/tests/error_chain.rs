//! Every error variant, made by a real call against the loopback scripted server (or a real client
//! configuration): each layer of its `source()` chain prints itself only, so a report that walks
//! the chain (anyhow's `{:#}`) shows every message once; a fault's message stays in the error's
//! own text, with no source; and `kind()` names the variant.

mod runtime_support;

use std::error::Error as _;
use std::time::Duration;

use runtime_support::{PASSWORD, Reply, ScriptedServer, fixture};
use taskflow_sdk::xmlrpc::Value;
use taskflow_sdk::{Client, Error, ErrorKind, FaultKind, Kwargs, RetryPolicy, Session};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A client that fails fast: short timeouts, no retries.
fn client(url: &str) -> Client {
    Client::builder()
        .url(url)
        .no_proxy()
        .timeout(ms(300))
        .connect_timeout(ms(300))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

async fn call(server: &ScriptedServer, method: &str) -> Error {
    let session = Session::with_uid(client(&server.url()), "taskflow", 2, "admin", PASSWORD);
    session
        .execute_kw::<Value>("crm.lead", method, ([45],), Kwargs::new())
        .await
        .unwrap_err()
}

/// The `Display` of the error and of each of its sources, outermost first.
fn layers(err: &Error) -> Vec<String> {
    let mut out = vec![err.to_string()];
    let mut source = err.source();
    while let Some(e) = source {
        out.push(e.to_string());
        source = e.source();
    }
    out
}

/// What anyhow's `{:#}` prints: each layer's `Display`, joined with `: `.
fn report(err: &Error) -> String {
    layers(err).join(": ")
}

/// No layer repeats a layer below it, and the joined report has each message once.
fn assert_each_layer_prints_once(what: &str, err: &Error) {
    let layers = layers(err);
    let report = report(err);
    for (i, layer) in layers.iter().enumerate() {
        assert!(!layer.is_empty(), "{what}: layer {i} is empty: {layers:#?}");
        for below in &layers[i + 1..] {
            assert!(
                !layer.contains(below.as_str()),
                "{what}: layer {i} repeats its source {below:?}: {layers:#?}"
            );
        }
        assert_eq!(
            report.matches(layer.as_str()).count(),
            1,
            "{what}: {layer:?} is printed more than once in {report:?}"
        );
    }
}

/// The predicates agree with `kind()`.
fn assert_predicates(what: &str, err: &Error) {
    let kind = err.kind();
    let answers = [
        (err.is_builder(), ErrorKind::Builder),
        (err.is_login_refused(), ErrorKind::LoginRefused),
        (err.is_fault(), ErrorKind::Fault),
        (err.is_status(), ErrorKind::Status),
        (err.is_timeout(), ErrorKind::Timeout),
        (err.is_connect(), ErrorKind::Connect),
        (err.is_transport(), ErrorKind::Transport),
        (err.is_too_large(), ErrorKind::ResponseTooLarge),
        (err.is_decode(), ErrorKind::Decode),
        (err.is_encode(), ErrorKind::Encode),
    ];
    for (answer, of) in answers {
        assert_eq!(answer, kind == of, "{what}: is {of:?}? {err:?}");
    }
    assert_eq!(
        err.fault_kind().is_some(),
        kind == ErrorKind::Fault,
        "{what}"
    );
}

/// An error with a source chain: the chain is checked, and its innermost message is `cause`.
fn assert_chained(what: &str, err: &Error, kind: ErrorKind, cause: &str) {
    assert_eq!(err.kind(), kind, "{what}: {err:?}");
    assert_predicates(what, err);
    assert!(err.source().is_some(), "{what} has no source: {err:?}");
    assert_each_layer_prints_once(what, err);
    let layers = layers(err);
    // The cause is below the error, not in its own text.
    assert!(!layers[0].contains(cause), "{what}: {layers:#?}");
    assert!(
        layers[1..].iter().any(|l| l.contains(cause)),
        "{what}: no layer says {cause:?}: {layers:#?}"
    );
}

/// An error without a source.
fn assert_alone(what: &str, err: &Error, kind: ErrorKind) {
    assert_eq!(err.kind(), kind, "{what}: {err:?}");
    assert_predicates(what, err);
    assert!(err.source().is_none(), "{what}: {:?}", err.source());
    assert_each_layer_prints_once(what, err);
}

#[tokio::test]
async fn builder_errors_chain_their_cause() {
    let err = Client::new("http://[::1").unwrap_err();
    assert_chained(
        "Builder (URL)",
        &err,
        ErrorKind::Builder,
        "invalid IPv6 address",
    );
    assert_eq!(
        report(&err),
        "invalid client configuration: \"http://[::1\" is not a valid URL: invalid IPv6 address"
    );

    let der = Client::builder()
        .url("https://erp.example.com")
        .add_root_certificate_der(b"not DER")
        .build()
        .unwrap_err();
    assert_chained("Builder (DER)", &der, ErrorKind::Builder, "certificate");

    let plain = Client::builder()
        .url("http://127.0.0.1:1")
        .max_in_flight(0)
        .build()
        .unwrap_err();
    assert_alone("Builder (max_in_flight)", &plain, ErrorKind::Builder);
    assert!(plain.to_string().contains("max_in_flight"), "{plain}");
}

#[tokio::test]
async fn connection_errors_chain_their_cause() {
    // Bind then drop: nothing listens on the port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = client(&format!("http://127.0.0.1:{port}"))
        .version()
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    assert_chained("Connect", &err, ErrorKind::Connect, "refused");
    assert!(err.to_string().contains("check the URL"), "{err}");

    let server = ScriptedServer::always(Reply::Hang).await;
    let err = call(&server, "read").await;
    assert!(err.is_timeout(), "{err:?}");
    assert_chained("Timeout", &err, ErrorKind::Timeout, "operation timed out");
    assert!(
        err.to_string().contains("raise the client's timeout"),
        "{err}"
    );

    let server = ScriptedServer::always(Reply::Truncated(fixture("023-crm-lead-read"))).await;
    let err = call(&server, "write").await;
    assert!(err.is_transport(), "{err:?}");
    assert_chained(
        "Transport (truncated)",
        &err,
        ErrorKind::Transport,
        "end of file",
    );
    assert!(err.to_string().contains("the connection broke"), "{err}");

    let server =
        ScriptedServer::always(Reply::ResetMidBody(fixture("025-crm-lead-read-all-fields"))).await;
    let err = call(&server, "create").await;
    assert!(err.is_transport(), "{err:?}");
    assert_chained("Transport (reset)", &err, ErrorKind::Transport, "reset");
}

#[tokio::test]
async fn codec_errors_chain_their_cause() {
    let server = ScriptedServer::always(Reply::Xml(fixture("023-crm-lead-read"))).await;
    let session = Session::with_uid(client(&server.url()), "taskflow", 2, "admin", PASSWORD);
    let err = session
        .execute_kw::<Vec<(i64, String)>>("crm.lead", "read", ([45],), Kwargs::new())
        .await
        .unwrap_err();
    let Error::Decode { source, .. } = &err else {
        panic!("{err:?}")
    };
    let codec = source.to_string();
    assert!(codec.contains("[0]"), "{codec}");
    assert_chained("Decode", &err, ErrorKind::Decode, &codec);
    assert!(err.to_string().contains("use Option"), "{err}");

    let before = server.requests();
    let err = session
        .execute_kw::<Value>("crm.lead", "write", ("nul \u{0} byte",), Kwargs::new())
        .await
        .unwrap_err();
    let Error::Encode { source, .. } = &err else {
        panic!("{err:?}")
    };
    let codec = source.to_string();
    assert_chained("Encode", &err, ErrorKind::Encode, &codec);
    assert_eq!(server.requests(), before, "nothing is sent");
}

#[tokio::test]
async fn a_fault_is_the_errors_own_message_not_a_source() {
    let server = ScriptedServer::always(Reply::Xml(fixture("069-err-wrong-password"))).await;
    let err = call(&server, "search_count").await;
    assert_alone("Fault", &err, ErrorKind::Fault);
    assert_eq!(err.fault_kind(), Some(FaultKind::AccessDenied));
    assert!(err.is_access_denied() && !err.is_login_refused(), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains(err.fault().unwrap().message()),
        "the server's message is in the error's text: {text}"
    );
    assert!(text.contains("check the database name, login and password"));
    // The fault itself has no source either.
    assert!(err.fault().unwrap().source().is_none());

    let server = ScriptedServer::always(Reply::Xml(fixture("081-err-domain-unknown-field"))).await;
    let err = call(&server, "search").await;
    assert_alone("Fault (traceback)", &err, ErrorKind::Fault);
    assert_eq!(err.fault_kind(), Some(FaultKind::ServerError));
    assert!(!err.is_access_denied() && !err.is_login_refused());
}

#[tokio::test]
async fn errors_without_a_source_have_a_kind() {
    let server = ScriptedServer::always(Reply::Xml(fixture(
        "004-common-authenticate-wrong-password",
    )))
    .await;
    let err = client(&server.url())
        .authenticate("taskflow", "demo", PASSWORD)
        .await
        .unwrap_err();
    assert_alone("LoginRefused", &err, ErrorKind::LoginRefused);
    assert!(err.is_login_refused() && !err.is_access_denied(), "{err:?}");

    let server = ScriptedServer::always(Reply::Status(502, "<h1>Bad Gateway</h1>")).await;
    let err = call(&server, "read").await;
    assert_alone("Status", &err, ErrorKind::Status);
    assert!(err.to_string().contains("try again later"), "{err}");

    let server = ScriptedServer::always(Reply::Xml(fixture("025-crm-lead-read-all-fields"))).await;
    let small = Client::builder()
        .url(&server.url())
        .max_response_size(4096)
        .build()
        .unwrap();
    let err = Session::with_uid(small, "taskflow", 2, "admin", PASSWORD)
        .execute_kw::<Value>("crm.lead", "read", ([45],), Kwargs::new())
        .await
        .unwrap_err();
    assert_alone("ResponseTooLarge", &err, ErrorKind::ResponseTooLarge);
    assert!(err.to_string().contains("max_response_size"), "{err}");
}

#[test]
fn error_kinds_print_as_words() {
    let kinds = [
        ErrorKind::Builder,
        ErrorKind::LoginRefused,
        ErrorKind::Fault,
        ErrorKind::Status,
        ErrorKind::Timeout,
        ErrorKind::Connect,
        ErrorKind::Transport,
        ErrorKind::ResponseTooLarge,
        ErrorKind::Decode,
        ErrorKind::Encode,
    ];
    let mut texts: Vec<String> = kinds.iter().map(ToString::to_string).collect();
    assert!(texts.iter().all(|t| !t.is_empty()));
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), kinds.len(), "{texts:?}");
}
