//! The retry table, row by row: which failures are sent again for which methods (counted by the
//! requests the server saw), the deadline, and the in-flight bound.

mod runtime_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use runtime_support::{PASSWORD, Reply, ScriptedServer, fixture};
use taskflow_sdk::xmlrpc::{self, FaultCode, RawFault, Value};
use taskflow_sdk::{Client, Error, Kwargs, RetryCause, RetryPolicy, Session};

/// The recorded HTML page of an HTTP 500 (odoo-17/134).
const PAGE_500: &str =
    include_str!("../../tests/fixtures/odoo-17/134-burst-pool-full-http-500.response.xml");

const READS: &[&str] = &["read", "search_read", "search_count", "name_get"];
const WRITES: &[&str] = &["create", "write", "unlink", "load"];

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn session(server: &ScriptedServer, policy: RetryPolicy) -> Session {
    let client = Client::builder()
        .url(&server.url())
        .timeout(Duration::from_secs(5))
        .retry_policy(policy)
        .build()
        .unwrap();
    Session::with_uid(client, "taskflow", 2, "admin", PASSWORD)
}

fn quick() -> RetryPolicy {
    RetryPolicy::default().backoff(ms(1), ms(4))
}

/// A code-1 fault whose traceback ends with `last_line`.
fn fault_body(last_line: &str) -> Vec<u8> {
    xmlrpc::encode_fault(&RawFault {
        code: FaultCode::Int(1),
        string: format!(
            "Traceback (most recent call last):\n  File \"odoo/sql_db.py\", line 678, in borrow\n\
             {last_line}\n"
        ),
    })
}

fn ok_body() -> Vec<u8> {
    xmlrpc::encode_response(&Value::Int(7)).unwrap()
}

/// Calls `method` against a server that answers `first` once and then succeeds; returns the
/// outcome and the requests the server saw.
async fn once_then_ok(first: Reply, method: &str) -> (Result<Value, Error>, usize) {
    let server = ScriptedServer::start(move |_, i| {
        if i == 0 {
            first.clone()
        } else {
            Reply::Xml(ok_body())
        }
    })
    .await;
    let result = session(&server, quick())
        .execute_kw_value("crm.lead", method, ([45],), Kwargs::new())
        .await;
    (result, server.requests())
}

#[tokio::test]
async fn the_pool_fault_never_ran_and_is_retried_for_every_method() {
    for &method in READS.iter().chain(WRITES) {
        let (result, requests) =
            once_then_ok(Reply::Xml(fixture("133-burst-pool-full-fault")), method).await;
        assert_eq!(result.unwrap(), Value::Int(7), "{method}");
        assert_eq!(requests, 2, "{method}");
    }
}

#[tokio::test]
async fn a_database_refusing_connections_is_retried_for_every_method() {
    for refusal in [
        "psycopg2.OperationalError: connection to server on socket \
         \"/var/run/postgresql/.s.PGSQL.5432\" failed: FATAL:  remaining connection slots are \
         reserved for non-replication superuser connections",
        "psycopg2.OperationalError: connection to server at \"db\" (10.0.0.2), port 5432 \
         failed: FATAL:  sorry, too many clients already",
    ] {
        for &method in WRITES {
            let (result, requests) = once_then_ok(Reply::Xml(fault_body(refusal)), method).await;
            assert_eq!(result.unwrap(), Value::Int(7), "{method}: {refusal}");
            assert_eq!(requests, 2, "{method}");
        }
    }
}

#[tokio::test]
async fn an_unknown_database_is_never_retried() {
    // The same exception type as a refusal, but nothing will change on a second try (071).
    for &method in READS.iter().chain(WRITES) {
        let (result, requests) =
            once_then_ok(Reply::Xml(fixture("071-err-unknown-db")), method).await;
        let err = result.unwrap_err();
        assert_eq!(
            err.fault().and_then(|f| f.exception()),
            Some("psycopg2.OperationalError")
        );
        assert!(err.fault().unwrap().message().contains("does not exist"));
        assert_eq!(err.retry_cause(), None);
        assert_eq!(requests, 1, "{method}");
    }
    // Nor when signing in.
    let server =
        ScriptedServer::always(Reply::Xml(fixture("006-common-authenticate-unknown-db"))).await;
    let client = Client::builder()
        .url(&server.url())
        .retry_policy(quick())
        .build()
        .unwrap();
    let err = client
        .authenticate("nope", "admin", "admin")
        .await
        .unwrap_err();
    assert!(err.is_fault(), "{err}");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_rolled_back_concurrency_failure_is_retried_for_every_method() {
    for failure in [
        "psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update",
        "psycopg2.errors.DeadlockDetected: deadlock detected",
    ] {
        for &method in WRITES {
            let (result, requests) = once_then_ok(Reply::Xml(fault_body(failure)), method).await;
            assert_eq!(result.unwrap(), Value::Int(7), "{method}: {failure}");
            assert_eq!(requests, 2, "{method}");
        }
    }
}

#[tokio::test]
async fn an_http_500_page_may_have_run_and_is_retried_for_reads_only() {
    for &method in READS {
        let (result, requests) = once_then_ok(Reply::Status(500, PAGE_500), method).await;
        assert_eq!(result.unwrap(), Value::Int(7), "{method}");
        assert_eq!(requests, 2, "{method}");
    }
    for &method in WRITES {
        let (result, requests) = once_then_ok(Reply::Status(500, PAGE_500), method).await;
        let err = result.unwrap_err();
        assert_eq!(err.status(), Some(500), "{method}");
        assert_eq!(err.retry_cause(), Some(RetryCause::MayHaveRun));
        assert_eq!(requests, 1, "{method} must not be sent twice");
    }
}

#[tokio::test]
async fn other_faults_are_not_retried() {
    for stem in [
        "069-err-wrong-password",
        "067-err-write-missing-id",
        "079-err-create-unknown-field",
        "118-demo-ir-model-data-search-count",
    ] {
        let (result, requests) = once_then_ok(Reply::Xml(fixture(stem)), "read").await;
        assert!(result.unwrap_err().is_fault(), "{stem}");
        assert_eq!(requests, 1, "{stem}");
    }
}

#[tokio::test]
async fn retries_stop_at_the_deadline() {
    let server = ScriptedServer::always(Reply::Status(503, PAGE_500)).await;
    let policy = RetryPolicy::default()
        .backoff(ms(10), ms(20))
        .deadline(ms(300));
    let err = session(&server, policy)
        .execute_kw_value("crm.lead", "read", ([45],), Kwargs::new())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    // Waits of 5-20 ms within 300 ms: several tries, and a bounded number of them.
    let requests = server.requests();
    assert!((4..=61).contains(&requests), "{requests} requests");
}

/// A server that answers each request after `delay`, and counts how many requests it holds at
/// once in the first half of that time (which requests ending and the next arriving cannot blur).
async fn counting_server(delay: Duration) -> (ScriptedServer, Arc<AtomicUsize>) {
    let peak = Arc::new(AtomicUsize::new(0));
    let now = Arc::new(AtomicUsize::new(0));
    let (p, n) = (peak.clone(), now.clone());
    let server = ScriptedServer::start(move |_, _| {
        let current = n.fetch_add(1, Ordering::SeqCst) + 1;
        p.fetch_max(current, Ordering::SeqCst);
        let n = n.clone();
        std::thread::spawn(move || {
            std::thread::sleep(delay / 2);
            n.fetch_sub(1, Ordering::SeqCst);
        });
        Reply::Delayed(delay, Box::new(Reply::Xml(ok_body())))
    })
    .await;
    (server, peak)
}

/// 40 concurrent creates through a client allowing `bound` requests in flight; the server's
/// peak of requests held at once.
async fn burst(bound: usize) -> usize {
    let (server, peak) = counting_server(ms(40)).await;
    let client = Client::builder()
        .url(&server.url())
        .max_in_flight(bound)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    assert_eq!(client.max_in_flight(), bound);
    let session = Session::with_uid(client, "taskflow", 2, "admin", PASSWORD);
    let calls = (0..40).map(|_| {
        let session = session.clone();
        tokio::spawn(async move {
            session
                .execute_kw_value("crm.lead", "create", ([45],), Kwargs::new())
                .await
        })
    });
    for call in futures_util::future::join_all(calls).await {
        assert_eq!(call.unwrap().unwrap(), Value::Int(7));
    }
    assert_eq!(server.requests(), 40);
    peak.load(Ordering::SeqCst)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_in_flight_stay_within_the_bound_and_callers_wait() {
    let peak = burst(4).await;
    assert!((1..=4).contains(&peak), "peak of {peak} requests in flight");
    // The measure sees more when the bound allows more.
    let peak = burst(1000).await;
    assert!(
        peak > 4,
        "peak of {peak} requests in flight without a bound"
    );
}

#[test]
fn no_requests_in_flight_is_a_builder_error() {
    let err = Client::builder()
        .url("http://127.0.0.1:1")
        .max_in_flight(0)
        .build()
        .unwrap_err();
    assert!(err.is_builder());
    assert!(err.to_string().contains("max_in_flight"), "{err}");
}
