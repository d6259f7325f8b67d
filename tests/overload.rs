//! A burst of calls against the embedded server with its real connection pool (64 connections,
//! two per call) and the hold time on, so the calls overlap: without the client's in-flight
//! bound the server refuses work as a real one does (odoo-17/133, 134); with it every call lands
//! once. And a restart of the server between two calls is ridden out by the retries.
//!
//! These start embedded servers of their own (a pool with the hold time on, a server to
//! restart): they test the client against the server's limits, and do not run against the
//! server `TASKFLOW_URL` names.

mod support;

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use taskflow_sdk::{Client, Error, Kwargs, RetryPolicy, Session};
use taskflow_server::TestServer;

const BURST: usize = 200;

async fn overlapping_server() -> TestServer {
    TestServer::builder()
        .mode(support::mode())
        .hold(Duration::from_millis(30))
        .start()
        .await
        .expect("embedded server starts")
}

/// The administrator of `server`, on a client of at most `bound` calls in flight that does not
/// retry (so that every fault the server answers shows).
async fn bounded_admin(server: &TestServer, bound: usize) -> Session {
    let client = Client::builder()
        .max_in_flight(bound)
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_secs(60));
    support::admin(server, client).await
}

/// `BURST` creates at once on one cloned session, each with its own name.
async fn burst(session: &Session, prefix: &str) -> Vec<Result<i64, Error>> {
    let calls = (0..BURST).map(|i| {
        let session = session.clone();
        let name = format!("{prefix} {i}");
        tokio::spawn(async move {
            session
                .execute_kw::<i64>(
                    "crm.lead",
                    "create",
                    (HashMap::from([("name", name)]),),
                    Kwargs::new(),
                )
                .await
        })
    });
    futures_util::future::join_all(calls)
        .await
        .into_iter()
        .map(|r| r.expect("the task ends"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_bound_a_burst_overloads_the_server_as_a_real_one() {
    let server = overlapping_server().await;
    let session = bounded_admin(&server, 10_000).await;
    let results = burst(&session, "unbounded").await;
    let pool_faults = results
        .iter()
        .filter(|r| {
            r.as_ref()
                .err()
                .and_then(|e| e.fault())
                .and_then(|f| f.exception())
                == Some("psycopg2.pool.PoolError")
        })
        .count();
    let pages = results
        .iter()
        .filter(|r| r.as_ref().err().and_then(Error::status) == Some(500))
        .count();
    assert!(pool_faults > 0, "no fault 133 among {BURST} calls");
    assert!(pages > 0, "no HTTP 500 (134) among {BURST} calls");
    assert!(server.peak_in_flight() > 16);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_default_bound_every_call_of_a_burst_lands_once() {
    let server = overlapping_server().await;
    let default_bound = Client::new(&server.url()).unwrap().max_in_flight();
    assert_eq!(default_bound, 16);
    let session = bounded_admin(&server, default_bound).await;
    server.reset_peak_in_flight();
    let results = burst(&session, "bounded").await;
    let ids: BTreeSet<i64> = results
        .into_iter()
        .map(|r| r.expect("every call succeeds"))
        .collect();
    assert_eq!(ids.len(), BURST, "200 distinct records");
    let peak = server.peak_in_flight();
    assert!(peak <= 16, "the server saw {peak} calls at once");
    let names: i64 = session
        .execute_kw(
            "crm.lead",
            "search_count",
            ((("name", "=like", "bounded %"),),),
            Kwargs::new(),
        )
        .await
        .expect("count");
    assert_eq!(names, BURST as i64, "no duplicates");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_between_two_calls_is_ridden_out() {
    let server = support::start_server().await;
    let addr = server.addr();
    let session = support::login(&server.url(), &server).await;
    let before: i64 = session
        .execute_kw("crm.stage", "search_count", ((),), Kwargs::new())
        .await
        .expect("first call");
    // Down for about half a second, then back on the same address, with the same keys.
    let keys = (
        server.admin().api_key.unwrap_or_default(),
        server.demo().api_key.unwrap_or_default(),
    );
    server.stop();
    let restarted = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        TestServer::builder()
            .mode(support::mode())
            .api_keys(keys.0, keys.1)
            .listen(addr)
            .start()
            .await
            .expect("the server restarts on its address")
    });
    let after: i64 = session
        .execute_kw("crm.stage", "search_count", ((),), Kwargs::new())
        .await
        .expect("the read rides out the restart");
    assert_eq!(after, before);
    // A create meets a refused connection too, which never reached the server: it is sent
    // again as well, and lands once.
    let _server = restarted.await.expect("restart task");
    let id: i64 = session
        .execute_kw(
            "crm.lead",
            "create",
            (HashMap::from([("name", "after restart")]),),
            Kwargs::new(),
        )
        .await
        .expect("create after the restart");
    assert!(id > 0);
}
