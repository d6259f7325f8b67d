//! The password never shows: not in TRACE-level tracing output of a whole session
//! (authenticate, calls, faults, retries, failures), not in the `Debug` or `Display` of the
//! client, the session, or any error variant and its sources.

mod runtime_support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use runtime_support::{PASSWORD, Reply, ScriptedServer, fixture};
use taskflow_sdk::xmlrpc::Value;
use taskflow_sdk::{Client, Error, Kwargs, RetryPolicy, Secret, Session};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Everything an error can print: Display, Debug, pretty Debug, and the same for its sources.
fn render(err: &Error) -> String {
    let mut out = format!("{err}\n{err:?}\n{err:#?}\n");
    let mut source = std::error::Error::source(err);
    while let Some(e) = source {
        out.push_str(&format!("{e}\n{e:?}\n"));
        source = e.source();
    }
    out
}

/// Which variants have been seen, so the test proves it covered all of them.
fn variant(err: &Error) -> &'static str {
    match err {
        Error::Builder { .. } => "Builder",
        Error::Fault { .. } => "Fault",
        Error::LoginRefused { .. } => "LoginRefused",
        Error::Status { .. } => "Status",
        Error::Timeout { .. } => "Timeout",
        Error::Connect { .. } => "Connect",
        Error::Transport { .. } => "Transport",
        Error::ResponseTooLarge { .. } => "ResponseTooLarge",
        Error::Decode { .. } => "Decode",
        Error::Encode { .. } => "Encode",
        _ => "other",
    }
}

#[tokio::test]
async fn the_password_appears_nowhere() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(capture.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // Each model method picks an answer; `flaky_read` fails twice with 502 before answering.
    let server = ScriptedServer::start(|req, _| match req.method.as_str() {
        "version" => Reply::Xml(fixture("001-common-version")),
        "authenticate" => match req.params[1].as_str() {
            Some("admin") => Reply::Xml(fixture("002-common-authenticate-admin")),
            _ => Reply::Xml(fixture("004-common-authenticate-wrong-password")),
        },
        _ => match req.model_method().unwrap_or_default() {
            "read" => Reply::Xml(fixture("023-crm-lead-read")),
            "write" => Reply::Xml(fixture("069-err-wrong-password")),
            "action_archive" => Reply::Xml(fixture("087-err-method-returns-none")),
            "fields_get" => Reply::Xml(fixture("081-err-domain-unknown-field")),
            "name_get" => Reply::Xml(fixture("106-err-legacy-endpoint-missing-id")),
            "search" => Reply::Status(502, "<h1>Bad Gateway</h1>"),
            "unlink" => Reply::Status(405, "<h1>Method Not Allowed</h1>"),
            "search_count" => Reply::Hang,
            "create" => Reply::ResetMidBody(fixture("023-crm-lead-read")),
            "load" => Reply::Truncated(fixture("023-crm-lead-read")),
            "search_read" => Reply::Xml(fixture("025-crm-lead-read-all-fields")),
            _ => Reply::Xml(b"<methodResponse><params></params></methodResponse>".to_vec()),
        },
    })
    .await;
    // Credentials in the URL too: they must not print either.
    let url = server
        .url()
        .replace("http://", &format!("http://admin:{PASSWORD}@"));
    let client = Client::builder()
        .url(&url)
        .timeout(ms(300))
        .max_response_size(8 * 1024)
        .retry_policy(RetryPolicy::default().max_retries(2).backoff(ms(1), ms(2)))
        .build()
        .unwrap();

    let mut printed = format!("{client:?}\n{:?}\n", Client::builder().url(&url));
    let mut errors: Vec<Error> = Vec::new();

    client.version().await.unwrap();
    let session = client
        .authenticate("taskflow", "admin", PASSWORD)
        .await
        .unwrap();
    let session = session.with_context("lang", "en_US");
    printed.push_str(&format!("{session:?}\n{:?}\n", session.client()));
    printed.push_str(&format!("{:?}\n", Secret::new(PASSWORD)));
    errors.push(
        client
            .authenticate("taskflow", "demo", PASSWORD)
            .await
            .unwrap_err(),
    );

    let _: Vec<Value> = session
        .execute_kw("crm.lead", "read", ([45],), Kwargs::new().fields(["name"]))
        .await
        .unwrap();
    for method in [
        "write",
        "action_archive",
        "fields_get",
        "name_get",
        "search",
        "unlink",
        "search_count",
        "create",
        "load",
        "search_read",
        "mystery",
    ] {
        let err = session
            .execute_kw::<Value>("crm.lead", method, ([45],), Kwargs::new().limit(1))
            .await
            .unwrap_err();
        errors.push(err);
    }
    // Wrong type: a decode error.
    errors.push(
        session
            .execute_kw::<Vec<String>>("crm.lead", "read", ([45],), Kwargs::new())
            .await
            .unwrap_err(),
    );
    // An argument that cannot be encoded.
    errors.push(
        session
            .execute_kw::<Value>("crm.lead", "read", ("\u{1}",), Kwargs::new())
            .await
            .unwrap_err(),
    );
    // Nothing listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = Client::builder()
        .url(&format!("http://admin:{PASSWORD}@127.0.0.1:{port}"))
        .retry_policy(
            RetryPolicy::default()
                .backoff(ms(1), ms(2))
                .deadline(ms(50)),
        )
        .build()
        .unwrap();
    errors.push(dead.version().await.unwrap_err());
    // Configuration errors, with the password in a broken URL.
    errors.push(Client::new(&format!("http://admin:{PASSWORD}@[::1")).unwrap_err());
    errors.push(
        Client::builder()
            .url(&url)
            .add_root_certificate_pem(PASSWORD.as_bytes())
            .build()
            .unwrap_err(),
    );

    let mut variants: Vec<&str> = errors.iter().map(variant).collect();
    variants.sort();
    variants.dedup();
    assert_eq!(
        variants,
        [
            "Builder",
            "Connect",
            "Decode",
            "Encode",
            "Fault",
            "LoginRefused",
            "ResponseTooLarge",
            "Status",
            "Timeout",
            "Transport"
        ]
    );
    for err in &errors {
        printed.push_str(&render(err));
    }
    drop(_guard);

    let traced = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    // The capture did see the whole session: spans with their fields, retries, outcomes.
    for expected in [
        "taskflow.call",
        "method=\"authenticate\"",
        "model=\"crm.lead\"",
        "method=\"read\"",
        "outcome=\"ok\"",
        "outcome=\"fault:access_denied\"",
        "outcome=\"fault:returned_none\"",
        "outcome=\"timeout\"",
        "outcome=\"too_large\"",
        // Errors are recorded with their sources (each layer prints itself only).
        "error.sources=",
        "sending the call again",
        "queued_ms=",
        "attempts=3",
        "response_bytes=",
        "request_bytes=",
        "duration_ms=",
        "/xmlrpc/2/object",
    ] {
        assert!(
            traced.contains(expected),
            "{expected} missing from:\n{traced}"
        );
    }
    assert!(printed.contains("Secret(\"***\")"), "{printed}");
    assert!(printed.contains("LoginRefused"));

    for (what, text) in [("tracing output", &traced), ("Debug/Display", &printed)] {
        assert!(
            !text.contains(PASSWORD),
            "the password leaked into the {what}:\n{text}"
        );
        // Nor a large piece of it.
        assert!(
            !text.contains(&PASSWORD[..12]),
            "part of the password leaked into the {what}"
        );
    }
}

#[test]
fn session_debug_shows_who_but_not_the_password() {
    let client = Client::new(&format!("https://bob:{PASSWORD}@erp.example.com")).unwrap();
    let session = Session::with_uid(client, "prod", 7, "bob", PASSWORD);
    let debug = format!("{session:?}");
    assert!(debug.contains("\"prod\"") && debug.contains("uid: 7") && debug.contains("\"bob\""));
    assert!(debug.contains("https://erp.example.com/"), "{debug}");
    assert!(!debug.contains(PASSWORD), "{debug}");
    assert!(!debug.contains("bob:"), "{debug}");
}
