//! Server throughput: a `load` of 100,000 rows (the TaskFlow document's header) and a
//! `search_read` of 50,000 records, over real HTTP on loopback, timed end to end and split into
//! client-side encode/decode and the server's share.
//!
//! Run with `cargo bench -p taskflow-server --bench throughput` (release profile). Sizes can be
//! changed with `TASKFLOW_BENCH_ROWS` and `TASKFLOW_BENCH_READ`.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use taskflow_sdk::xmlrpc::{self, Limits, Response, Value};
use taskflow_server::TestServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn post(addr: SocketAddr, path: &str, body: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    stream.write_all(body).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("head") + 4;
    raw.split_off(split)
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// CPU time of the whole process (client and server threads) so far, from `/proc/self/stat`:
/// wall-clock figures on a shared machine measure the neighbours too.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    Duration::from_millis(ticks * 10)
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn main() {
    let rows = env_usize("TASKFLOW_BENCH_ROWS", 100_000);
    let read = env_usize("TASKFLOW_BENCH_READ", 50_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let server = TestServer::start().await.expect("start");
        let demo = server.demo();
        let call = |method: &str, args: Vec<Value>, kwargs: Vec<(String, Value)>| {
            xmlrpc::encode_call(
                "execute_kw",
                &vec![
                    Value::from(server.db()),
                    Value::Int(demo.uid),
                    Value::from(demo.password.as_str()),
                    Value::from("crm.lead"),
                    Value::from(method),
                    Value::Array(args),
                    Value::Struct(kwargs),
                ],
            )
            .expect("encode")
        };

        // load: the document's header, `rows` rows with new external ids.
        let header = ["id", "name", "contact_name", "contact_surname", "phone", "mobile", "fax"];
        let t = Instant::now();
        let data: Vec<Value> = (0..rows)
            .map(|n| {
                Value::Array(vec![
                    Value::String(format!("bench.lead_{n}")),
                    Value::String(format!("Bench lead {n}")),
                    Value::from("John"),
                    Value::from("Snow"),
                    Value::from("27830001234"),
                    Value::from("27821114321"),
                    Value::from(if n % 2 == 0 { "" } else { "27123456789" }),
                ])
            })
            .collect();
        let body = call(
            "load",
            vec![Value::Array(header.iter().map(|h| Value::from(*h)).collect()), Value::Array(data)],
            vec![],
        );
        let encode = t.elapsed();
        let (t, c) = (Instant::now(), cpu());
        let answer = post(server.addr(), "/xmlrpc/2/object", &body).await;
        let (round_trip, server_cpu) = (t.elapsed(), cpu() - c);
        let t = Instant::now();
        let decoded = xmlrpc::decode_response::<Value>(&answer, &Limits::default()).expect("decode");
        let decode = t.elapsed();
        let Response::Success(result) = decoded else { panic!("load failed: {decoded:?}") };
        let ids = result.get("ids").and_then(Value::as_array).map_or(0, <[Value]>::len);
        assert_eq!(ids, rows, "every row loaded");
        println!(
            "load {rows} rows ({:.1} MB request): round trip {} ({} CPU) (client encode {}, decode {})",
            body.len() as f64 / 1e6,
            secs(round_trip),
            secs(server_cpu),
            secs(encode),
            secs(decode)
        );

        // search_read: `read` of the loaded leads, six fields each.
        let fields = ["name", "contact_name", "contact_surname", "phone", "stage_id", "user_id"];
        let body = call(
            "search_read",
            vec![Value::Array(vec![Value::Array(vec![
                Value::from("name"),
                Value::from("=like"),
                Value::from("Bench lead %"),
            ])])],
            vec![
                ("fields".into(), Value::Array(fields.iter().map(|f| Value::from(*f)).collect())),
                ("limit".into(), Value::Int(read as i64)),
                ("order".into(), Value::from("id")),
            ],
        );
        let (t, c) = (Instant::now(), cpu());
        let answer = post(server.addr(), "/xmlrpc/2/object", &body).await;
        let (round_trip, server_cpu) = (t.elapsed(), cpu() - c);
        let t = Instant::now();
        let decoded = xmlrpc::decode_response::<Value>(&answer, &Limits::default()).expect("decode");
        let decode = t.elapsed();
        let Response::Success(Value::Array(records)) = decoded else { panic!("search_read failed") };
        assert_eq!(records.len(), read.min(rows));
        println!(
            "search_read {} records ({:.1} MB response): round trip {} ({} CPU) (client decode {})",
            records.len(),
            answer.len() as f64 / 1e6,
            secs(round_trip),
            secs(server_cpu),
            secs(decode)
        );

        // The same load again: every external id is known, so every row updates.
        let data: Vec<Value> = (0..rows)
            .map(|n| {
                Value::Array(vec![
                    Value::String(format!("bench.lead_{n}")),
                    Value::String(format!("Bench lead {n} (updated)")),
                    Value::from("John"),
                    Value::from("Snow"),
                    Value::from("27830001234"),
                    Value::from("27821114321"),
                    Value::from(""),
                ])
            })
            .collect();
        let body = call(
            "load",
            vec![Value::Array(header.iter().map(|h| Value::from(*h)).collect()), Value::Array(data)],
            vec![],
        );
        let (t, c) = (Instant::now(), cpu());
        let answer = post(server.addr(), "/xmlrpc/2/object", &body).await;
        println!(
            "load {rows} rows again (updates): round trip {} ({} CPU) ({:.1} KB answer)",
            secs(t.elapsed()),
            secs(cpu() - c),
            answer.len() as f64 / 1e3
        );
    });
}
