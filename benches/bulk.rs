//! End-to-end bulk benchmark, side by side in one run: this SDK against Python's standard
//! `xmlrpc.client`, and over JSON-RPC against a standard-library Python JSON-RPC client
//! (`urllib.request` and `json`), all talking to the standalone embedded server in its own
//! process.
//!
//! - `load` of 100,000 leads in chunks of the same size (the SDK with its default concurrency);
//! - reading the 100,000 leads back (the SDK stream vs Python `search_read` pages by id);
//! - over JSON, decoding alone on one page of that read: the SDK, sonic-rs and `json.loads`.
//!
//! For each: rows per second and the client process's CPU time (the rows to load are generated
//! before the clocks start and freed after they stop, on both sides). Run with
//! `cargo bench --bench bulk` (`BULK_ROWS=20000` for a quicker run, `BULK_ROUNDS` for more or
//! fewer than 3 alternating rounds, `BULK_PROTOCOLS=xmlrpc`, `jsonrpc` or `json2` (or a comma-separated
//! list) instead of all three, `BULK_SWEEP=1` to also try chunk sizes and concurrency levels, which is how the
//! defaults were chosen).

use std::hint::black_box;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use taskflow_sdk::load::{DEFAULT_CHUNK_SIZE, DEFAULT_CONCURRENCY};
use taskflow_sdk::stream::DEFAULT_PAGE_SIZE;
use taskflow_sdk::{Client, Id, Protocol, Session, TaskflowModel};

const HEADER: [&str; 7] = [
    "id",
    "name",
    "contact_name",
    "contact_surname",
    "phone",
    "mobile",
    "fax",
];
const DB: &str = "demo.taskflow.co.za";

/// CPU time (user + system) this process has used so far, every thread included, to the
/// microsecond (`getrusage`; /proc's clock ticks are 10 ms, a tenth of the SDK's whole load).
fn cpu_time() -> Duration {
    // SAFETY: `getrusage` only writes the `rusage` it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}

/// The release build of the standalone server, built first if needed.
fn server_binary() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "-q",
            "-p",
            "taskflow-server",
            "--bin",
            "taskflow-server",
        ])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building taskflow-server failed");
    let exe = std::env::current_exe().expect("bench path");
    // target/release/deps/bulk-<hash> -> target/release/taskflow-server
    exe.parent()
        .and_then(|deps| deps.parent())
        .expect("target dir")
        .join("taskflow-server")
}

struct Server {
    child: Child,
    url: String,
    /// The demo user's API key, printed at start-up by a version-19 server (JSON-2).
    demo_key: Option<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A standalone server for `protocol`: as version 19 for JSON-2, which only it serves.
fn start_server(binary: &PathBuf, protocol: Protocol) -> Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let json2 = protocol == Protocol::Json2;
    let mut command = Command::new(binary);
    command.args(["--listen", &format!("127.0.0.1:{port}")]);
    if json2 {
        command.arg("--odoo-19");
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("server starts");
    // Wait for the start-up line, and on 19 for the demo user's key after it.
    let mut stdout = BufReader::new(child.stdout.take().expect("server stdout"));
    let mut demo_key = None;
    let mut line = String::new();
    stdout.read_line(&mut line).expect("start-up line");
    while json2 && demo_key.is_none() {
        line.clear();
        if stdout.read_line(&mut line).expect("key line") == 0 {
            panic!("the version-19 server printed no demo API key");
        }
        demo_key = line
            .trim()
            .strip_prefix("taskflow-server api key demo: ")
            .map(str::to_owned);
    }
    Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
        demo_key,
    }
}

fn rows(prefix: &'static str, n: usize) -> impl Iterator<Item = Vec<String>> {
    (0..n).map(move |i| {
        vec![
            format!("{prefix}.lead_{i:06}"),
            format!("Bulk lead {i:06}"),
            format!("Contact {i}"),
            format!("Surname {i}"),
            format!("+27 83 {i:07}"),
            format!("+27 82 {i:07}"),
            if i % 3 == 0 {
                format!("+27 12 {i:07}")
            } else {
                String::new()
            },
        ]
    })
}

async fn session(server: &Server, protocol: Protocol) -> Session {
    let builder = Client::builder().url(&server.url);
    match &server.demo_key {
        Some(key) if protocol == Protocol::Json2 => builder
            .json2(key.as_str())
            .build()
            .expect("client")
            .session(DB)
            .await
            .expect("key session"),
        _ => builder
            .protocol(protocol)
            .build()
            .expect("client")
            .authenticate(DB, "demo", "demo")
            .await
            .expect("login"),
    }
}

struct Measure {
    rows: usize,
    wall: Duration,
    cpu: Duration,
}

impl Measure {
    /// The median wall time and the median CPU time of `runs` (each median on its own).
    fn median(runs: &[Measure]) -> Measure {
        let mid = |mut v: Vec<Duration>| {
            v.sort();
            v[v.len() / 2]
        };
        Measure {
            rows: runs[0].rows,
            wall: mid(runs.iter().map(|m| m.wall).collect()),
            cpu: mid(runs.iter().map(|m| m.cpu).collect()),
        }
    }

    fn rate(&self) -> f64 {
        self.rows as f64 / self.wall.as_secs_f64()
    }
    fn cpu_per_row_us(&self) -> f64 {
        self.cpu.as_secs_f64() * 1e6 / self.rows as f64
    }
}

async fn sdk_load(
    server: &Server,
    protocol: Protocol,
    n: usize,
    chunk: usize,
    concurrency: usize,
) -> Measure {
    let session = session(server, protocol).await;
    // Generated before the clocks start and kept until they stop, as the Python side keeps its
    // list: the figures are the clients' work, not the making or freeing of the input.
    let rows: Vec<Vec<String>> = rows("rs_bench", n).collect();
    let (wall, cpu) = (Instant::now(), cpu_time());
    let report = session
        .loader("crm.lead", HEADER)
        .chunk_size(chunk)
        .concurrency(concurrency)
        .run(&rows)
        .await
        .expect("load");
    assert!(report.is_complete(), "{:?}", report.failed.first());
    Measure {
        rows: report.imported as usize,
        wall: wall.elapsed(),
        cpu: cpu_time() - cpu,
    }
}

/// The fields the benchmark reads back, as a typed model.
#[derive(TaskflowModel, Debug)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    name: String,
    contact_name: Option<String>,
    contact_surname: Option<String>,
    phone: Option<String>,
    mobile: Option<String>,
    fax: Option<String>,
}

async fn sdk_read(server: &Server, protocol: Protocol, page: usize) -> Measure {
    let session = session(server, protocol).await;
    let (wall, cpu) = (Instant::now(), cpu_time());
    let count = taskflow_sdk::stream::search_read(&session, Lead::fields().name.like("Bulk lead "))
        .page_size(page)
        .try_fold(0usize, |n, lead| async move {
            // Touch every decoded field, as a report would.
            let text = [
                &lead.contact_name,
                &lead.contact_surname,
                &lead.phone,
                &lead.mobile,
                &lead.fax,
            ];
            black_box(
                lead.name.len()
                    + text
                        .iter()
                        .filter_map(|t| t.as_deref())
                        .map(str::len)
                        .sum::<usize>(),
            );
            Ok(n + 1)
        })
        .await
        .expect("stream");
    Measure {
        rows: count,
        wall: wall.elapsed(),
        cpu: cpu_time() - cpu,
    }
}

/// Runs the Python client in `mode` and returns what it printed, its JSON figures.
fn run_python(
    server: &Server,
    protocol: Protocol,
    mode: &str,
    n: usize,
    chunk: usize,
    page_out: Option<&std::path::Path>,
) -> Vec<u8> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/bulk_python.py");
    let mut command = Command::new("python3");
    // The key through the environment, never the command line.
    command.env("TASKFLOW_API_KEY", server.demo_key.as_deref().unwrap_or(""));
    if let Some(path) = page_out {
        command.env("BULK_PAGE_OUT", path);
    }
    let out = command
        .args([
            script,
            &server.url,
            DB,
            "demo",
            "demo",
            mode,
            &n.to_string(),
            &chunk.to_string(),
            protocol.name(),
        ])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn python(server: &Server, protocol: Protocol, mode: &str, n: usize, chunk: usize) -> Measure {
    let out = run_python(server, protocol, mode, n, chunk, None);
    let text = String::from_utf8_lossy(&out);
    let field = |name: &str| -> f64 {
        text.split(&format!("\"{name}\": "))
            .nth(1)
            .and_then(|r| r.split([',', '}']).next())
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} missing in {text}"))
    };
    Measure {
        rows: field("rows") as usize,
        wall: Duration::from_secs_f64(field("wall_s")),
        cpu: Duration::from_secs_f64(field("cpu_s")),
    }
}

/// How long decoding alone takes, per row, on one page of the read as the server sent it.
struct DecodeFloor {
    rows: usize,
    bytes: usize,
    sdk_us: f64,
    sonic_us: f64,
    python_us: f64,
}

/// The envelope, for sonic-rs, which does not know it.
#[derive(serde::Deserialize)]
struct Envelope<T> {
    result: T,
}

/// The best of ten CPU times of `decode`, in microseconds per row of `rows`.
fn best_us_per_row(rows: usize, mut decode: impl FnMut() -> usize) -> f64 {
    (0..10)
        .map(|_| {
            let cpu = cpu_time();
            assert_eq!(black_box(decode()), rows, "a decoder lost rows");
            cpu_time() - cpu
        })
        .min()
        .expect("ten runs")
        .as_secs_f64()
        * 1e6
        / rows as f64
}

/// One page of the read, fetched raw by the Python client (which also times `json.loads` on
/// it), decoded by the SDK and by sonic-rs into the same `Lead`s: what decoding alone costs of
/// the read's CPU per row. sonic-rs reads a copy with `null` for `false` (it refuses `false` in
/// an `Option<String>`). JSON protocols only.
fn decode_floor(server: &Server, protocol: Protocol, page: usize) -> DecodeFloor {
    let path = std::env::temp_dir().join(format!("bulk_page_{}.json", std::process::id()));
    let out = run_python(server, protocol, "page", 0, page, Some(&path));
    let body = std::fs::read(&path).expect("the page python wrote");
    let _ = std::fs::remove_file(&path);
    let reply: serde_json::Value = serde_json::from_slice(&out).expect("python's figures");
    let rows = reply["rows"].as_u64().expect("rows") as usize;
    let python_us = reply["loads_cpu_s"].as_f64().expect("loads_cpu_s") * 1e6 / rows as f64;
    let null = String::from_utf8(body.clone())
        .expect("UTF-8 page")
        .replace(": false", ": null")
        .into_bytes();
    let limits = taskflow_sdk::xmlrpc::Limits::default();
    let (sdk_us, sonic_us) = if protocol == Protocol::Json2 {
        (
            best_us_per_row(rows, || {
                taskflow_sdk::jsonrpc::from_slice::<Vec<Lead>>(&body, &limits)
                    .expect("SDK decode")
                    .len()
            }),
            best_us_per_row(rows, || {
                sonic_rs::from_slice::<Vec<Lead>>(&null)
                    .expect("sonic-rs decode")
                    .len()
            }),
        )
    } else {
        (
            best_us_per_row(rows, || {
                match taskflow_sdk::jsonrpc::decode_response::<Vec<Lead>>(&body, &limits) {
                    Ok(taskflow_sdk::jsonrpc::Response::Success(leads)) => leads.len(),
                    other => panic!("SDK decode: {other:?}"),
                }
            }),
            best_us_per_row(rows, || {
                sonic_rs::from_slice::<Envelope<Vec<Lead>>>(&null)
                    .expect("sonic-rs decode")
                    .result
                    .len()
            }),
        )
    };
    DecodeFloor {
        rows,
        bytes: body.len(),
        sdk_us,
        sonic_us,
        python_us,
    }
}

fn line(label: &str, m: &Measure) {
    println!(
        "{label:<34} {:>8} rows {:>8.2} s {:>10.0} rows/s   client CPU {:>6.2} s = {:>7.2} us/row",
        m.rows,
        m.wall.as_secs_f64(),
        m.rate(),
        m.cpu.as_secs_f64(),
        m.cpu_per_row_us()
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` would pass nothing: only run on bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let n: usize = std::env::var("BULK_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let binary = server_binary();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    println!(
        "bulk benchmark: {n} leads, chunk {DEFAULT_CHUNK_SIZE}, concurrency {DEFAULT_CONCURRENCY}, page {DEFAULT_PAGE_SIZE}"
    );

    let rounds: usize = std::env::var("BULK_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let protocols: Vec<Protocol> = match std::env::var("BULK_PROTOCOLS") {
        Ok(names) => names
            .split(',')
            .map(|name| {
                name.trim()
                    .parse()
                    .unwrap_or_else(|e| panic!("BULK_PROTOCOLS: {e}"))
            })
            .collect(),
        Err(_) => vec![Protocol::XmlRpc, Protocol::JsonRpc, Protocol::Json2],
    };
    assert!(
        !protocols.contains(&Protocol::Auto),
        "BULK_PROTOCOLS: auto is a choice, not a protocol: name xmlrpc, jsonrpc or json2"
    );
    // Rounds alternate the sides, so a machine whose speed drifts (a shared VM) weighs on all
    // alike; each figure is the median over the rounds.
    let mut runs: Vec<(Protocol, [Vec<Measure>; 4])> = protocols
        .iter()
        .map(|&p| (p, [Vec::new(), Vec::new(), Vec::new(), Vec::new()]))
        .collect();
    // Per JSON protocol, measured once, in the first round.
    let mut floors: Vec<(Protocol, DecodeFloor)> = Vec::new();
    for round in 1..=rounds {
        for (protocol, [sdk_loads, sdk_reads, py_loads, py_reads]) in &mut runs {
            let protocol = *protocol;
            // Each side gets a fresh server so both load into the same starting table.
            let server = start_server(&binary, protocol);
            sdk_loads.push(runtime.block_on(sdk_load(
                &server,
                protocol,
                n,
                DEFAULT_CHUNK_SIZE,
                DEFAULT_CONCURRENCY,
            )));
            sdk_reads.push(runtime.block_on(sdk_read(&server, protocol, DEFAULT_PAGE_SIZE)));
            if round == 1 && protocol != Protocol::XmlRpc {
                floors.push((protocol, decode_floor(&server, protocol, DEFAULT_PAGE_SIZE)));
            }
            drop(server);
            let server = start_server(&binary, protocol);
            py_loads.push(python(&server, protocol, "load", n, DEFAULT_CHUNK_SIZE));
            py_reads.push(python(&server, protocol, "read", n, DEFAULT_PAGE_SIZE));
            drop(server);
            for (label, m) in [
                ("load: taskflow-sdk", &*sdk_loads),
                ("load: python stdlib client", &*py_loads),
                ("read: taskflow-sdk stream", &*sdk_reads),
                ("read: python search_read pages", &*py_reads),
            ] {
                line(&format!("round {round} {protocol} {label}"), &m[round - 1]);
            }
        }
    }

    println!("median of {rounds} rounds:");
    for (protocol, [sdk_loads, sdk_reads, py_loads, py_reads]) in &runs {
        for (what, ours, theirs) in [("load", sdk_loads, py_loads), ("read", sdk_reads, py_reads)] {
            let (ours, theirs) = (Measure::median(ours), Measure::median(theirs));
            line(&format!("{protocol} {what}: taskflow-sdk"), &ours);
            line(&format!("{protocol} {what}: python stdlib"), &theirs);
            println!(
                "{protocol} {what}: sdk/python  rows/s x{:.2}   CPU per row x{:.1} lower",
                ours.rate() / theirs.rate(),
                theirs.cpu_per_row_us() / ours.cpu_per_row_us()
            );
            if what != "read" {
                continue;
            }
            if let Some((_, f)) = floors.iter().find(|(p, _)| p == protocol) {
                println!(
                    "{protocol} read: decoding alone, one page of {} leads ({} bytes), best of 10: \
                     taskflow-sdk {:.2} us/row, sonic-rs {:.2}, python json.loads {:.2}; a client \
                     5x lower than python's has {:.2} us/row for everything",
                    f.rows,
                    f.bytes,
                    f.sdk_us,
                    f.sonic_us,
                    f.python_us,
                    theirs.cpu_per_row_us() / 5.0
                );
            }
        }
    }

    if std::env::var("BULK_SWEEP").is_ok() {
        for chunk in [500, 1000, 2000, 5000] {
            for concurrency in [1, 2, 4, 8] {
                let server = start_server(&binary, Protocol::XmlRpc);
                let m =
                    runtime.block_on(sdk_load(&server, Protocol::XmlRpc, n, chunk, concurrency));
                line(&format!("sweep load chunk {chunk} x{concurrency}"), &m);
            }
        }
        let server = start_server(&binary, Protocol::XmlRpc);
        runtime.block_on(sdk_load(
            &server,
            Protocol::XmlRpc,
            n,
            DEFAULT_CHUNK_SIZE,
            DEFAULT_CONCURRENCY,
        ));
        for page in [500, 1000, 2000, 5000, 10000] {
            let m = runtime.block_on(sdk_read(&server, Protocol::XmlRpc, page));
            line(&format!("sweep read page {page}"), &m);
        }
    }
}
