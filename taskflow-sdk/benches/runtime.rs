//! Per-call overhead of the runtime: `session.execute_kw` against a bare reqwest POST of the same
//! request body to the same loopback server (keep-alive, fixed recorded answers).
//!
//! `cargo bench -p taskflow-sdk --bench runtime`; the ratio of the two medians is the runtime's
//! cost (encoding, context merge, tracing span, size-checked body read, decoding).

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use serde::Deserialize;
use taskflow_sdk::{Client, Kwargs, Session};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/odoo-17");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}.response.xml")).unwrap()
}

/// A keep-alive HTTP/1.1 server answering every POST with `body`.
async fn serve(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    let response = Arc::new(response);
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            stream.set_nodelay(true).unwrap();
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = Vec::with_capacity(16 * 1024);
                let mut chunk = vec![0u8; 16 * 1024];
                loop {
                    // Read one request: headers, then Content-Length bytes.
                    let (head_end, length) = loop {
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            let head = String::from_utf8_lossy(&buf[..i]).to_ascii_lowercase();
                            let length = head
                                .lines()
                                .find_map(|l| l.strip_prefix("content-length:"))
                                .and_then(|v| v.trim().parse::<usize>().ok())
                                .unwrap_or(0);
                            break (i + 4, length);
                        }
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    while buf.len() < head_end + length {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buf.drain(..head_end + length);
                    if stream.write_all(&response).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Lead {
    id: i64,
    name: String,
    partner_id: Option<(i64, String)>,
    stage_id: (i64, String),
    tag_ids: Vec<i64>,
    expected_revenue: f64,
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let bare = reqwest::Client::new();

    for (label, fixture_name) in [
        ("search_count", "035-crm-lead-search-count"),
        ("read", "023-crm-lead-read"),
    ] {
        let url = rt.block_on(serve(fixture(fixture_name)));
        let session =
            Session::with_uid(Client::new(&url).unwrap(), "taskflow", 2, "admin", "admin")
                .with_context("lang", "en_US");
        // The bare round trip sends the body execute_kw would send.
        let request = std::fs::read(format!("{FIXTURES}/{fixture_name}.request.xml")).unwrap();
        let object = format!("{url}/xmlrpc/2/object");

        let mut group = c.benchmark_group(format!("runtime/{label}"));
        group.bench_function("bare_reqwest_post", |b| {
            b.iter(|| {
                rt.block_on(async {
                    let response = bare
                        .post(&object)
                        .header("content-type", "text/xml")
                        .body(request.clone())
                        .send()
                        .await
                        .unwrap();
                    black_box(response.bytes().await.unwrap())
                })
            })
        });
        group.bench_function("execute_kw", |b| {
            b.iter(|| {
                rt.block_on(async {
                    if label == "read" {
                        let leads: Vec<Lead> = session
                            .execute_kw(
                                "crm.lead",
                                "read",
                                ([45],),
                                Kwargs::new().fields([
                                    "name",
                                    "partner_id",
                                    "stage_id",
                                    "tag_ids",
                                    "expected_revenue",
                                ]),
                            )
                            .await
                            .unwrap();
                        black_box(leads.len())
                    } else {
                        let n: i64 = session
                            .execute_kw(
                                "crm.lead",
                                "search_count",
                                ([("type", "=", "opportunity")],),
                                Kwargs::new(),
                            )
                            .await
                            .unwrap();
                        black_box(n as usize)
                    }
                })
            })
        });
        // The CPU floor: encoding the same call and decoding the answer, no network.
        let answer = fixture(fixture_name);
        group.bench_function("encode_decode_in_process", |b| {
            b.iter(|| {
                let limits = taskflow_sdk::xmlrpc::Limits::default();
                if label == "read" {
                    let body = taskflow_sdk::xmlrpc::encode_call(
                        "execute_kw",
                        &(
                            "taskflow",
                            2,
                            "admin",
                            "crm.lead",
                            "read",
                            ([45],),
                            Kwargs::new().fields([
                                "name",
                                "partner_id",
                                "stage_id",
                                "tag_ids",
                                "expected_revenue",
                            ]),
                        ),
                    )
                    .unwrap();
                    black_box(body);
                    let leads: taskflow_sdk::xmlrpc::Response<Vec<Lead>> =
                        taskflow_sdk::xmlrpc::decode_response(&answer, &limits).unwrap();
                    black_box(matches!(leads, taskflow_sdk::xmlrpc::Response::Success(_)))
                } else {
                    let body = taskflow_sdk::xmlrpc::encode_call(
                        "execute_kw",
                        &(
                            "taskflow",
                            2,
                            "admin",
                            "crm.lead",
                            "search_count",
                            ([("type", "=", "opportunity")],),
                            Kwargs::new(),
                        ),
                    )
                    .unwrap();
                    black_box(body);
                    let n: taskflow_sdk::xmlrpc::Response<i64> =
                        taskflow_sdk::xmlrpc::decode_response(&answer, &limits).unwrap();
                    black_box(matches!(n, taskflow_sdk::xmlrpc::Response::Success(_)))
                }
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
