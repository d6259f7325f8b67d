//! Fault injection: error pages, broken and slow connections, oversized bodies. Checks which
//! failures are retried (by counting the requests the server saw) and which are not, and 200
//! concurrent calls on one session.

mod runtime_support;

use std::time::{Duration, Instant};

use runtime_support::{PASSWORD, Reply, ScriptedServer, fixture};
use taskflow_sdk::load::{LoadReport, Loader};
use taskflow_sdk::stream::ReadStream;
use taskflow_sdk::xmlrpc::{self, Value};
use taskflow_sdk::{
    Client, ClientBuilder, Error, ErrorKind, Fault, Kwargs, RetryPolicy, Secret, Session,
};

// What a multi-threaded runtime needs of the public types, checked when this crate compiles (a
// type that stops being `Send` or `Sync` fails the build, not a test): clients and sessions are
// cloned into spawned tasks, like the 200 calls below; errors go into `Box<dyn Error + Send +
// Sync>` and anyhow; loaders and streams are moved into tasks.
const _: () = {
    const fn shared<T: Send + Sync + Clone + 'static>() {}
    const fn send_sync<T: Send + Sync + 'static>() {}
    const fn send<T: Send + 'static>() {}
    shared::<Client>();
    shared::<Session>();
    shared::<RetryPolicy>();
    shared::<Secret>();
    shared::<Kwargs>();
    send_sync::<ClientBuilder>();
    send_sync::<Error>();
    send_sync::<Fault>();
    send_sync::<ErrorKind>();
    send_sync::<Loader>();
    send_sync::<LoadReport>();
    send::<ReadStream<Value>>();
};

const RETRIES: u32 = 2;
const BAD_GATEWAY: &str = "<!doctype html>\n<html><head><title>502 Bad Gateway</title></head>\n\
    <body><h1>Bad Gateway</h1><p>nginx</p></body></html>";

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn client(server: &ScriptedServer) -> Client {
    Client::builder()
        .url(&server.url())
        .no_proxy()
        .timeout(ms(400))
        .connect_timeout(ms(400))
        .retry_policy(
            RetryPolicy::default()
                .max_retries(RETRIES)
                .backoff(ms(1), ms(4)),
        )
        .build()
        .unwrap()
}

fn session(server: &ScriptedServer) -> Session {
    Session::with_uid(client(server), "taskflow", 2, "admin", PASSWORD)
}

async fn call(session: &Session, method: &str) -> Result<Value, Error> {
    session
        .execute_kw_value("crm.lead", method, ([45],), Kwargs::new())
        .await
}

/// Calls `method` against a server that always answers `reply`; returns the error and how many
/// requests arrived.
async fn against(reply: Reply, method: &str) -> (Error, usize) {
    let server = ScriptedServer::always(reply).await;
    let err = call(&session(&server), method).await.unwrap_err();
    (err, server.requests())
}

const READS: &[&str] = &[
    "read",
    "search",
    "search_read",
    "search_count",
    "fields_get",
    "name_get",
    "name_search",
    "default_get",
];
const WRITES: &[&str] = &[
    "create",
    "write",
    "unlink",
    "load",
    "action_archive",
    "no_such_method",
];

#[tokio::test]
async fn http_502_503_504_are_retried_for_reads_only() {
    for status in [502, 503, 504] {
        for &method in READS {
            let (err, requests) = against(Reply::Status(status, BAD_GATEWAY), method).await;
            assert_eq!(err.status(), Some(status), "{method}: {err}");
            assert!(err.is_status() && err.is_transient());
            assert_eq!(requests, 1 + RETRIES as usize, "{method} {status}");
        }
        for &method in WRITES {
            let (err, requests) = against(Reply::Status(status, BAD_GATEWAY), method).await;
            assert_eq!(err.status(), Some(status), "{method}: {err}");
            assert_eq!(requests, 1, "{method} {status} must not be retried");
        }
    }
}

#[tokio::test]
async fn http_502_carries_an_excerpt_of_the_page_and_says_what_to_do() {
    let (err, _) = against(Reply::Status(502, BAD_GATEWAY), "write").await;
    let Error::Status { excerpt, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(excerpt, "502 Bad Gateway Bad Gateway nginx");
    let text = err.to_string();
    assert!(
        text.starts_with("crm.lead.write on http://127.0.0.1:"),
        "{text}"
    );
    assert!(
        text.contains("HTTP status 502 (502 Bad Gateway Bad Gateway nginx)"),
        "{text}"
    );
    assert!(text.contains("try again later"), "{text}");
}

#[tokio::test]
async fn a_transient_502_then_success_recovers() {
    let server = ScriptedServer::start(|_, i| {
        if i < 2 {
            Reply::Status(502, BAD_GATEWAY)
        } else {
            Reply::Xml(fixture("035-crm-lead-search-count"))
        }
    })
    .await;
    let n: i64 = session(&server)
        .execute_kw("crm.lead", "search_count", ((),), Kwargs::new())
        .await
        .unwrap();
    assert_eq!(n, 18);
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn version_and_authenticate_are_retried() {
    let server = ScriptedServer::start(|req, i| {
        if i % 3 < 2 {
            Reply::Status(503, "busy")
        } else if req.method == "version" {
            Reply::Xml(fixture("001-common-version"))
        } else {
            Reply::Xml(fixture("002-common-authenticate-admin"))
        }
    })
    .await;
    let client = client(&server);
    assert_eq!(client.version().await.unwrap().major(), Some(17));
    assert_eq!(server.requests(), 3);
    let session = client
        .authenticate("taskflow", "admin", PASSWORD)
        .await
        .unwrap();
    assert_eq!(session.uid(), 2);
    assert_eq!(server.requests(), 6);
}

#[tokio::test]
async fn http_405_is_not_retried_and_hints_at_the_url() {
    let page = std::str::from_utf8(&fixture("104-err-http-get"))
        .unwrap()
        .to_owned()
        .leak();
    for method in ["read", "write"] {
        let (err, requests) = against(Reply::Status(405, page), method).await;
        assert_eq!(err.status(), Some(405));
        assert!(!err.is_transient());
        assert_eq!(requests, 1, "{method}");
        let text = err.to_string();
        assert!(text.contains("405 Method Not Allowed"), "{text}");
        assert!(text.contains("server root"), "{text}");
    }
}

#[tokio::test]
async fn a_truncated_body_is_a_broken_connection_retried_for_reads_only() {
    let body = fixture("023-crm-lead-read");
    for &method in READS {
        let (err, requests) = against(Reply::Truncated(body.clone()), method).await;
        assert!(err.is_transport(), "{method}: {err:?}");
        assert_eq!(requests, 1 + RETRIES as usize, "{method}");
    }
    for &method in WRITES {
        let (err, requests) = against(Reply::Truncated(body.clone()), method).await;
        assert!(err.is_transport(), "{method}: {err:?}");
        assert_eq!(requests, 1, "{method}");
        assert!(err.to_string().contains("the connection broke"), "{err}");
    }
}

#[tokio::test]
async fn a_document_cut_short_without_length_is_a_decode_error_not_retried() {
    let body = fixture("023-crm-lead-read");
    let cut = body[..body.len() / 2].to_vec();
    let (err, requests) = against(Reply::CloseDelimited(cut), "read").await;
    assert!(err.is_decode(), "{err:?}");
    assert_eq!(requests, 1);
    // The same framing with the whole document works.
    let server = ScriptedServer::always(Reply::CloseDelimited(body)).await;
    let v = call(&session(&server), "read").await.unwrap();
    assert_eq!(v.as_array().unwrap()[0].get("id"), Some(&Value::Int(45)));
}

#[tokio::test]
async fn a_reset_mid_response_is_retried_for_reads_only() {
    let body = fixture("025-crm-lead-read-all-fields");
    for method in ["read", "search_read"] {
        let (err, requests) = against(Reply::ResetMidBody(body.clone()), method).await;
        assert!(err.is_transport(), "{method}: {err:?}");
        assert_eq!(requests, 1 + RETRIES as usize, "{method}");
    }
    for method in ["create", "write", "unlink", "no_such_method"] {
        let (err, requests) = against(Reply::ResetMidBody(body.clone()), method).await;
        assert!(err.is_transport(), "{method}: {err:?}");
        assert_eq!(requests, 1, "{method}");
    }
    // A reset on the first attempt, then an answer: the read succeeds.
    let server = ScriptedServer::start(move |_, i| {
        if i == 0 {
            Reply::ResetMidBody(fixture("025-crm-lead-read-all-fields"))
        } else {
            Reply::Xml(fixture("023-crm-lead-read"))
        }
    })
    .await;
    call(&session(&server), "read").await.unwrap();
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_and_reads_are_retried() {
    let started = Instant::now();
    let (err, requests) = against(Reply::Hang, "search_read").await;
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.is_transient());
    assert_eq!(requests, 1 + RETRIES as usize);
    let elapsed = started.elapsed();
    assert!(elapsed >= ms(400 * 3), "{elapsed:?}");
    assert!(elapsed < ms(5000), "{elapsed:?}");
    let text = err.to_string();
    assert!(
        text.contains("timed out") && text.contains("crm.lead.search_read"),
        "{text}"
    );

    let (err, requests) = against(Reply::Hang, "write").await;
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(requests, 1);

    // Slow once, then fast: the retry succeeds.
    let server = ScriptedServer::start(|_, i| {
        let answer = Reply::Xml(fixture("035-crm-lead-search-count"));
        if i == 0 {
            Reply::Delayed(ms(2000), Box::new(answer))
        } else {
            answer
        }
    })
    .await;
    let n: i64 = session(&server)
        .execute_kw("crm.lead", "search_count", ((),), Kwargs::new())
        .await
        .unwrap();
    assert_eq!((n, server.requests()), (18, 2));
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_refused_while_streaming_and_not_retried() {
    let body = fixture("025-crm-lead-read-all-fields");
    assert!(body.len() > 4096);
    for reply in [Reply::Xml(body.clone()), Reply::Chunked(body.clone())] {
        let server = ScriptedServer::always(reply.clone()).await;
        let client = Client::builder()
            .url(&server.url())
            .max_response_size(4096)
            .retry_policy(RetryPolicy::default().backoff(ms(1), ms(1)))
            .build()
            .unwrap();
        let session = Session::with_uid(client, "taskflow", 2, "admin", PASSWORD);
        let err = call(&session, "read").await.unwrap_err();
        assert!(err.is_too_large(), "{reply:?}: {err:?}");
        assert!(matches!(err, Error::ResponseTooLarge { limit: 4096, .. }));
        assert_eq!(server.requests(), 1);
        assert!(err.to_string().contains("max_response_size"), "{err}");
    }
    // Chunked bodies within the limit are read whole.
    let server = ScriptedServer::always(Reply::Chunked(body.clone())).await;
    let v = call(&session(&server), "read").await.unwrap();
    assert_eq!(v.as_array().unwrap()[0].get("id"), Some(&Value::Int(45)));
}

#[tokio::test]
async fn retries_follow_the_policy() {
    let server = ScriptedServer::always(Reply::Status(502, BAD_GATEWAY)).await;
    let client = Client::builder()
        .url(&server.url())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let s = Session::with_uid(client, "taskflow", 2, "admin", PASSWORD);
    call(&s, "read").await.unwrap_err();
    assert_eq!(server.requests(), 1);

    let server = ScriptedServer::always(Reply::Status(502, BAD_GATEWAY)).await;
    let client = Client::builder()
        .url(&server.url())
        .retry_policy(
            RetryPolicy::default()
                .max_retries(4)
                .backoff(ms(1), ms(2))
                .idempotent_method("read_group"),
        )
        .build()
        .unwrap();
    let s = Session::with_uid(client, "taskflow", 2, "admin", PASSWORD);
    call(&s, "read_group").await.unwrap_err();
    assert_eq!(server.requests(), 5);
    call(&s, "write").await.unwrap_err();
    assert_eq!(server.requests(), 6);
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    // Bind then drop: nothing listens on the port any more.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .url(&format!("http://127.0.0.1:{port}"))
        .retry_policy(
            RetryPolicy::default()
                .backoff(ms(1), ms(2))
                .deadline(ms(50)),
        )
        .build()
        .unwrap();
    let err = client.version().await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    assert!(err.is_transient());
    // Nothing was sent: any call may be sent again.
    assert_eq!(err.retry_cause(), Some(taskflow_sdk::RetryCause::NeverRan));
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "version on http://127.0.0.1:{port}/xmlrpc/2/common"
        )),
        "{text}"
    );
    assert!(text.contains("check the URL"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_calls_on_one_cloned_session() {
    // Each call sends its own number and the server answers it back, so crossed answers show.
    let server = ScriptedServer::start(|req, _| {
        let n = req.params[5].as_array().unwrap()[0].as_i64().unwrap();
        Reply::Delayed(
            ms(2),
            Box::new(Reply::Xml(xmlrpc::encode_response(&n).unwrap())),
        )
    })
    .await;
    // No retries and a generous timeout: every call must succeed on its one request, even on a
    // loaded machine.
    let client = Client::builder()
        .url(&server.url())
        .timeout(Duration::from_secs(30))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let session = Session::with_uid(client, "taskflow", 2, "admin", PASSWORD);
    let tasks: Vec<_> = (0..200_i64)
        .map(|n| {
            let session = session.clone();
            tokio::spawn(async move {
                session
                    .execute_kw::<i64>("crm.lead", "search_count", (n,), Kwargs::new())
                    .await
            })
        })
        .collect();
    for (n, task) in tasks.into_iter().enumerate() {
        assert_eq!(task.await.unwrap().unwrap(), n as i64);
    }
    assert_eq!(server.requests(), 200);
    assert!(server.connections() <= 200);

    // The pool keeps connections alive: a second wave opens no new ones.
    let before = server.connections();
    for n in 0..20_i64 {
        let got: i64 = session
            .execute_kw("crm.lead", "search_count", (n,), Kwargs::new())
            .await
            .unwrap();
        assert_eq!(got, n);
    }
    assert_eq!(server.connections(), before);
}
