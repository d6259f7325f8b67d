//! The database connection pool under load: calls that overlap, bursts the pool cannot serve and
//! the two ways a real Odoo 17 server refuses them (transcripts 133 and 134), small pools; and
//! the HTTP connections, one per request.
//!
//! Each call takes two connections: the HTTP layer's, then the method's. `ServerBuilder::hold`
//! makes each stage keep its connection for the hold time, so calls overlap deterministically.

mod support;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::time::Duration;

use support::{HttpResponse, Session, arr, i, leaf, s, st};
use taskflow_sdk::xmlrpc::{self, FaultCode, RawFault, Value};
use taskflow_server::TestServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

/// The body of the recorded HTTP 500 (134), byte for byte.
fn recorded_500() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/odoo-17/134-burst-pool-full-http-500.response.xml"
    );
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The last line of the recorded fault (`133-burst-pool-full-fault.response.xml`).
const POOL_FULL: &str = "psycopg2.pool.PoolError: The Connection Pool Is Full";

/// How a call came back.
#[derive(Debug)]
enum Outcome {
    /// It ran and answered this.
    Answer(Value),
    /// Fault 1 `PoolError`: the method found the pool full (133).
    PoolFault,
    /// HTTP 500 with the recorded page: the HTTP layer found the pool full (134).
    Page500,
}

/// Checks a fault is the 133 shape on `/xmlrpc/2/*`.
fn assert_pool_fault(fault: &RawFault) {
    assert_eq!(fault.code, FaultCode::Int(1), "{fault:?}");
    assert!(
        fault
            .string
            .starts_with("Traceback (most recent call last):\n"),
        "{fault:?}"
    );
    assert_eq!(fault.string.lines().last(), Some(POOL_FULL), "{fault:?}");
}

/// Checks a response is the 134 shape.
fn assert_page_500(response: &HttpResponse) {
    assert_eq!(response.status, 500);
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        response.body == recorded_500(),
        "not the recorded page: {}",
        String::from_utf8_lossy(&response.body)
    );
}

/// Sorts a response into one of the three outcomes, checking refusals have the recorded shapes
/// and failing on anything else (another fault, another status).
fn outcome(response: &HttpResponse) -> Outcome {
    assert_eq!(response.header("connection"), Some("close"), "{response:?}");
    if response.status == 500 {
        assert_page_500(response);
        return Outcome::Page500;
    }
    assert_eq!(response.status, 200, "{response:?}");
    match support::decode(&response.body) {
        Ok(value) => Outcome::Answer(value),
        Err(fault) => {
            assert_pool_fault(&fault);
            Outcome::PoolFault
        }
    }
}

/// The body of `execute_kw` as admin.
fn execute_kw(server: &TestServer, model: &str, method: &str, args: Vec<Value>) -> Vec<u8> {
    let admin = server.admin();
    xmlrpc::encode_call(
        "execute_kw",
        &vec![
            s(server.db()),
            i(admin.uid),
            s(&admin.password),
            s(model),
            s(method),
            arr(args),
        ],
    )
    .expect("encodable params")
}

/// Posts `body` to `/xmlrpc/2/object` at `start`.
async fn post_at(addr: SocketAddr, start: Instant, body: Vec<u8>) -> HttpResponse {
    tokio::time::sleep_until(start).await;
    support::http(addr, "POST", "/xmlrpc/2/object", &body).await
}

fn create_lead(server: &TestServer, name: &str) -> Vec<u8> {
    execute_kw(
        server,
        "crm.lead",
        "create",
        vec![st(vec![("name", s(name))])],
    )
}

fn count_leads(server: &TestServer) -> Vec<u8> {
    execute_kw(server, "crm.lead", "search_count", vec![arr(vec![])])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_overlapping_calls_all_succeed() {
    // Measured on the recorded server: 16 concurrent callers always succeed. With a hold, all 16
    // are in flight together (each for at least 300 ms, all started within a few), and they
    // need 32 of the 64 connections.
    let server = TestServer::builder()
        .hold(Duration::from_millis(150))
        .start()
        .await
        .unwrap();
    assert_eq!(server.db_maxconn(), 64);
    let start = Instant::now();
    let calls: Vec<_> = (0..16)
        .map(|_| tokio::spawn(post_at(server.addr(), start, count_leads(&server))))
        .collect();
    for call in calls {
        let response = call.await.unwrap();
        assert!(
            matches!(outcome(&response), Outcome::Answer(Value::Int(n)) if n > 0),
            "{response:?}"
        );
    }
    assert_eq!(server.peak_in_flight(), 16, "the calls overlapped");
    assert_eq!(server.in_flight(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_beyond_the_pool_is_refused_both_ways_and_refusals_change_nothing() {
    // The recording: of 60 concurrent creates, some succeeded, some got fault 133 (the method
    // found the pool full) and some the HTTP 500 of 134 (the HTTP layer did). 60 calls at one
    // instant cannot give a 500: their 60 HTTP borrows fit in 64. Calls started at a regular
    // stagger can, but not robustly: once the pool is full, calls arrive and move on to their
    // method at the same rate, and each refused method frees just the connection the next
    // arrival takes, so whether an arrival ever meets a full pool is up to scheduling jitter.
    // (Simulated with hold 200 ms and stagger 5 ms: one 500 when methods borrow just ahead of
    // arrivals, and none in some runs with 10 ms of jitter; with stagger 4 ms, none in a tenth.)
    //
    // So the burst comes in two waves, with hold H:
    // - 40 calls at t = 0 take 40 HTTP connections. At t = H their methods borrow: 24 succeed
    //   (64 borrowed), then each refused method frees its HTTP connection for the next one, so
    //   of the other 16, 8 succeed and 8 get the fault; 32 calls now hold all 64 connections
    //   until their method's hold ends at 2H.
    // - 20 calls at t = 1.5H meet a full pool: 20 HTTP 500s.
    // Expected: 32 successes, 8 faults, 20 pages, whatever the order within each wave. Each
    // wave has H/2 = 100 ms of slack, and a simulation that delays each arrival and each hold
    // by up to 50 ms at random gives those exact counts in 2,000 runs of 2,000. The test asks
    // for what the recording shows, at least one refusal of each kind, not the exact counts.
    const HOLD: Duration = Duration::from_millis(200);
    const FIRST_WAVE: usize = 40;
    const SECOND_WAVE: usize = 20;
    let server = TestServer::builder().hold(HOLD).start().await.unwrap();
    let start = Instant::now();
    let calls: Vec<_> = (0..FIRST_WAVE + SECOND_WAVE)
        .map(|k| {
            let at = if k < FIRST_WAVE {
                start
            } else {
                start + HOLD * 3 / 2
            };
            let name = format!("Pool burst {k}");
            let call = tokio::spawn(post_at(server.addr(), at, create_lead(&server, &name)));
            (name, call)
        })
        .collect();
    let (mut created, mut faults, mut pages) = (BTreeSet::new(), 0, 0);
    for (name, call) in calls {
        match outcome(&call.await.unwrap()) {
            Outcome::Answer(Value::Int(_)) => {
                created.insert(name);
            }
            Outcome::Answer(other) => panic!("create answered {other:?}"),
            Outcome::PoolFault => faults += 1,
            Outcome::Page500 => pages += 1,
        }
    }
    eprintln!(
        "burst: {} created, {faults} faults, {pages} pages",
        created.len()
    );
    assert!(faults >= 1, "no method found the pool full");
    assert!(pages >= 1, "no HTTP borrow found the pool full");
    assert!(
        server.peak_in_flight() >= FIRST_WAVE,
        "the first wave did not overlap: peak {}",
        server.peak_in_flight()
    );
    assert_eq!(server.in_flight(), 0);

    // Refused calls did not run: the leads there are are exactly those of the successes.
    let admin = Session::new(&server, true);
    let found = admin
        .ok(
            "crm.lead",
            "search_read",
            vec![arr(vec![leaf("name", "=like", s("Pool burst %"))])],
            vec![("fields", arr(vec![s("name")]))],
        )
        .await;
    let found: BTreeSet<String> = found
        .as_array()
        .expect("records")
        .iter()
        .map(|r| match r {
            Value::Struct(m) => m
                .iter()
                .find(|(k, _)| k == "name")
                .and_then(|(_, v)| v.as_str())
                .expect("a name")
                .to_owned(),
            other => panic!("a record expected, got {other:?}"),
        })
        .collect();
    assert_eq!(found, created);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_connections_serve_one_call_at_a_time() {
    // Each call needs both; a connection not given back would refuse the next call.
    let server = TestServer::builder().db_maxconn(2).start().await.unwrap();
    let admin = Session::new(&server, true);
    for k in 0..5 {
        let id = admin
            .ok(
                "crm.lead",
                "create",
                vec![st(vec![("name", s(&format!("Small pool {k}")))])],
                vec![],
            )
            .await;
        assert!(matches!(id, Value::Int(_)), "{id:?}");
    }
    let count = admin
        .ok(
            "crm.lead",
            "search_count",
            vec![arr(vec![leaf("name", "=like", s("Small pool %"))])],
            vec![],
        )
        .await;
    assert_eq!(count, Value::Int(5));
    assert_eq!(server.peak_in_flight(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_connection_answers_every_call_with_the_pool_fault() {
    // The HTTP layer takes the only connection, so every method finds the pool full: 133, never
    // the 500 page. On the legacy endpoints the code is the message, like other code-1 faults.
    let server = TestServer::builder().db_maxconn(1).start().await.unwrap();
    let addr = server.addr();
    let response = support::http(addr, "POST", "/xmlrpc/2/object", &count_leads(&server)).await;
    assert!(matches!(outcome(&response), Outcome::PoolFault));
    let version = xmlrpc::encode_call("version", &Vec::<Value>::new()).unwrap();
    let response = support::http(addr, "POST", "/xmlrpc/2/common", &version).await;
    assert!(matches!(outcome(&response), Outcome::PoolFault));

    let response = support::http(addr, "POST", "/xmlrpc/object", &count_leads(&server)).await;
    assert_eq!(response.status, 200);
    let fault = support::decode(&response.body).unwrap_err();
    assert_eq!(
        fault.code,
        FaultCode::String("The Connection Pool Is Full".into())
    );
    assert_eq!(fault.string.lines().last(), Some(POOL_FULL));
    assert_eq!((server.peak_in_flight(), server.in_flight()), (1, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_connection_answers_every_call_with_the_500_page() {
    let server = TestServer::builder().db_maxconn(0).start().await.unwrap();
    let response = support::http(
        server.addr(),
        "POST",
        "/xmlrpc/2/object",
        &count_leads(&server),
    )
    .await;
    assert!(matches!(outcome(&response), Outcome::Page500));
    assert_eq!(
        server.peak_in_flight(),
        0,
        "a call refused at once is never in flight"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_hold_the_pool_does_not_get_in_the_way() {
    let server = TestServer::start().await.unwrap();
    // 100 quick calls at once, more than 64 connections can serve at two each: without a hold
    // a call borrows only while a thread runs it, so few run at the same instant (a call that
    // borrowed while queued for a thread or a core would be refused here most of the time).
    let start = Instant::now();
    let calls: Vec<_> = (0..100)
        .map(|k| {
            let body = create_lead(&server, &format!("No hold {k}"));
            tokio::spawn(post_at(server.addr(), start, body))
        })
        .collect();
    for call in calls {
        let response = call.await.unwrap();
        assert!(
            matches!(outcome(&response), Outcome::Answer(Value::Int(_))),
            "{response:?}"
        );
    }
    // More calls than connections, one after another: each gave its two back.
    let admin = Session::new(&server, true);
    for _ in 0..70 {
        admin
            .ok(
                "crm.lead",
                "search_count",
                vec![arr(vec![leaf("name", "=like", s("No hold %"))])],
                vec![],
            )
            .await;
    }
    assert_eq!(server.in_flight(), 0);
    assert!(server.peak_in_flight() < 32, "{}", server.peak_in_flight());
    server.reset_peak_in_flight();
    assert_eq!(server.peak_in_flight(), 0);
}

/// Sends a raw request on a fresh connection, without asking the server to close it, and reads
/// until the server does; returns the response head's lines.
async fn exchange(addr: SocketAddr, version: &str, path: &str, body: &[u8]) -> Vec<String> {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST {path} {version}\r\nHost: {addr}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    stream.write_all(body).await.expect("write");
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut raw))
        .await
        .expect("the server closes the connection after its answer")
        .expect("read");
    let raw = String::from_utf8_lossy(&raw);
    let (head, _) = raw.split_once("\r\n\r\n").expect("a response head");
    head.split("\r\n").map(str::to_ascii_lowercase).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_closes_its_connection() {
    // The recorded responses all carry `Connection: close`: the real server answers one request
    // per connection. Here the client does not ask for it (HTTP/1.1 keeps connections alive by
    // default), so only the server can end the read.
    let server = TestServer::start().await.unwrap();
    let version = xmlrpc::encode_call("version", &Vec::<Value>::new()).unwrap();
    for (http, path, status) in [
        ("HTTP/1.1", "/xmlrpc/2/common", "200"),
        ("HTTP/1.0", "/xmlrpc/2/common", "200"),
        ("HTTP/1.1", "/web/login", "404"),
    ] {
        let head = exchange(server.addr(), http, path, &version).await;
        assert_eq!(
            head[0].split_whitespace().nth(1),
            Some(status),
            "{http} {path}: {head:?}"
        );
        assert!(
            head.iter().any(|line| line == "connection: close"),
            "{http} {path}: {head:?}"
        );
    }
}

/// A child process, killed when dropped (a failed test does not leave a server running).
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_standalone_server_takes_the_pool_flags() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};

    let binary = env!("CARGO_BIN_EXE_taskflow-server");
    for bad in [
        ["--db-maxconn", "many"],
        ["--db-maxconn", "-1"],
        ["--hold-ms", "0.5"],
    ] {
        let out = Command::new(binary).args(bad).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {stderr}");
        assert!(
            stderr.starts_with(&format!("{} needs a number", bad[0])),
            "{bad:?}: {stderr}"
        );
    }

    // One connection: every call is the pool fault (see the embedded test above), given once
    // the HTTP layer's hold is over.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut server = Running(
        Command::new(binary)
            .args(["--listen", &addr.to_string(), "--db-maxconn", "1"])
            .args(["--hold-ms", "100"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("start taskflow-server"),
    );
    let stdout = server.0.stdout.take().expect("piped stdout");
    let mut banner = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut banner)
        .expect("the start-up line");
    let version = xmlrpc::encode_call("version", &Vec::<Value>::new()).unwrap();
    let start = Instant::now();
    let response = support::http(addr, "POST", "/xmlrpc/2/common", &version).await;
    assert!(matches!(outcome(&response), Outcome::PoolFault));
    assert!(start.elapsed() >= Duration::from_millis(100), "no hold");
}
