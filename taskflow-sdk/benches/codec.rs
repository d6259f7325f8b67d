//! Speed of the XML-RPC codec on a `search_read` of 50,000 `crm.lead` records (~130 MB, issue 2).
//!
//! `cargo bench -p taskflow-sdk --bench codec` measures, side by side in one run:
//! - `decode_search_read/typed`: `decode_response::<Vec<Lead>>` (serde derive, `Option`, pairs);
//! - `decode_search_read/value`: `decode_response::<Value>`;
//! - `decode_search_read/quick_xml_events`: a bare quick-xml event loop, the tokenizer limit;
//! - `decode_search_read/skip`: `decode_response::<Vec<IgnoredAny>>`, the decoder's own token
//!   handling without building anything (a diagnostic between the two above);
//! - `encode_load/encode_call`: a `load` call of 50,000 rows;
//!
//! then Python's `xmlrpc.client.loads` on the same bytes (`python_baseline.py`, best of 3) and a
//! summary with the ratios the issue sets targets for, timed in interleaved rounds so that load
//! from other processes hits every contender alike.
//!
//! Under a profiler, `cargo bench -p taskflow-sdk --bench codec -- --profile-time 20 typed` runs
//! only the matching contender (no verification, Python or summary).
//!
//! Environment: `TASKFLOW_BENCH_RECORDS` (default 50,000), `TASKFLOW_BENCH_PYTHON=0` to skip
//! Python, `TASKFLOW_BENCH_ROUNDS` (default 5) for the summary. Under `cargo test --benches` the
//! bench only smoke-tests a 200-record payload.

#[path = "common/payload.rs"]
mod payload;
#[path = "common/timing.rs"]
mod timing;

use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use timing::{Timing, env_usize, median, time};

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use serde::de::IgnoredAny;
use taskflow_sdk::xmlrpc::{self, Limits, Response, Value};

use payload::Lead;

fn decode_typed(src: &str) -> Vec<Lead> {
    match xmlrpc::decode_response::<Vec<Lead>>(src.as_bytes(), &Limits::default()) {
        Ok(Response::Success(leads)) => leads,
        other => panic!("typed decode failed: {other:?}"),
    }
}

fn decode_value(src: &str) -> Value {
    match xmlrpc::decode_response::<Value>(src.as_bytes(), &Limits::default()) {
        Ok(Response::Success(value)) => value,
        other => panic!("Value decode failed: {:?}", other.map(|_| ())),
    }
}

fn decode_skip(src: &str) -> usize {
    match xmlrpc::decode_response::<Vec<IgnoredAny>>(src.as_bytes(), &Limits::default()) {
        Ok(Response::Success(items)) => items.len(),
        other => panic!("skipping decode failed: {:?}", other.map(|_| ())),
    }
}

fn encode_load(rows: &[Vec<String>]) -> Vec<u8> {
    let args = (payload::LOAD_FIELDS, rows);
    xmlrpc::encode_call(
        "execute_kw",
        &("bench", 2, "secret", "crm.lead", "load", args),
    )
    .expect("encode load")
}

/// Checks that every contender does the work it is timed for, on the bytes it is timed on.
fn verify(src: &str, records: usize, rows: &[Vec<String>]) {
    let leads = decode_typed(src);
    assert_eq!(leads.len(), records);
    for (i, lead) in leads.iter().enumerate() {
        assert_eq!(*lead, payload::make_lead(i), "record {i}");
    }
    match decode_value(src) {
        Value::Array(items) => {
            assert_eq!(items.len(), records);
            assert_eq!(
                items.last().and_then(|l| l.get("display_name")?.as_str()),
                Some(payload::make_lead(records - 1).display_name.as_str())
            );
        }
        other => panic!("expected an array, found {}", other.type_name()),
    }
    assert_eq!(decode_skip(src), records);
    assert!(payload::bare_quick_xml(src) > 0);
    let call = encode_load(rows);
    match xmlrpc::decode_call::<Vec<Value>>(&call, &Limits::default()) {
        Ok(call) => assert_eq!(call.params.len(), 6),
        Err(e) => panic!("the encoded load call does not decode: {e}"),
    }
}

fn bench_decode(c: &mut Criterion, src: &str, records: usize) {
    let mut group = c.benchmark_group("decode_search_read");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Bytes(src.len() as u64));
    group.bench_function(BenchmarkId::new("quick_xml_events", records), |b| {
        b.iter(|| payload::bare_quick_xml(black_box(src)))
    });
    group.bench_function(BenchmarkId::new("typed", records), |b| {
        b.iter_with_large_drop(|| decode_typed(black_box(src)))
    });
    group.bench_function(BenchmarkId::new("skip", records), |b| {
        b.iter(|| decode_skip(black_box(src)))
    });
    group.bench_function(BenchmarkId::new("value", records), |b| {
        b.iter_with_large_drop(|| decode_value(black_box(src)))
    });
    group.finish();
}

fn bench_encode(c: &mut Criterion, rows: &[Vec<String>]) {
    let bytes = encode_load(rows).len();
    let mut group = c.benchmark_group("encode_load");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(BenchmarkId::new("encode_call", rows.len()), |b| {
        b.iter_with_large_drop(|| encode_load(black_box(rows)))
    });
    group.finish();
}

/// Python's `xmlrpc.client.loads` on the same bytes (best of 3), or why it did not run.
fn python_baseline(src: &str) -> Result<Timing, String> {
    if std::env::var("TASKFLOW_BENCH_PYTHON").as_deref() == Ok("0") {
        return Err("skipped (TASKFLOW_BENCH_PYTHON=0)".into());
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/python_baseline.py");
    let file =
        std::env::temp_dir().join(format!("taskflow-codec-bench-{}.xml", std::process::id()));
    std::fs::write(&file, src).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let output = Command::new("python3")
        .arg(&script)
        .arg(&file)
        .arg("--verify")
        .output();
    let _ = std::fs::remove_file(&file);
    let output = output.map_err(|e| format!("cannot run python3: {e}"))?;
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    if !output.status.success() {
        return Err(format!("python3 failed: {}", output.status));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let field = |key: &str| {
        stdout
            .lines()
            .filter_map(|line| line.strip_prefix("PYTHON_BASELINE "))
            .flat_map(str::split_whitespace)
            .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
            .and_then(|v| v.parse::<f64>().ok())
    };
    match (field("seconds"), field("cpu_seconds")) {
        (Some(wall), Some(cpu)) => Ok(Timing { wall, cpu }),
        _ => Err(format!(
            "unexpected output from python_baseline.py: {stdout}"
        )),
    }
}

/// Interleaved rounds of every contender, then the figures and ratios the issue asks for.
fn summary(src: &str, rows: &[Vec<String>], python: Result<Timing, String>) {
    let rounds = env_usize("TASKFLOW_BENCH_ROUNDS").unwrap_or(5).max(1);
    let (mut bare, mut typed, mut skip, mut value, mut encode) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let encoded_len = encode_load(rows).len();
    for _ in 0..rounds {
        bare.push(time(&mut || {
            black_box(payload::bare_quick_xml(black_box(src)));
        }));
        let mut leads = Vec::new();
        typed.push(time(&mut || leads = decode_typed(black_box(src))));
        drop(leads);
        skip.push(time(&mut || {
            black_box(decode_skip(black_box(src)));
        }));
        let mut tree = Value::Nil;
        value.push(time(&mut || tree = decode_value(black_box(src))));
        drop(tree);
        let mut call = Vec::new();
        encode.push(time(&mut || call = encode_load(black_box(rows))));
        drop(call);
    }
    let (bare, typed, skip, value, encode) = (
        median(&bare),
        median(&typed),
        median(&skip),
        median(&value),
        median(&encode),
    );
    println!();
    println!(
        "== codec summary: {} bytes ({:.1} MB) search_read response of {} records; median of \
         {rounds} interleaved rounds; MB = 10^6 bytes ==",
        src.len(),
        src.len() as f64 / 1e6,
        rows.len()
    );
    println!(
        "{:<46} {:>9} {:>10} {:>9} {:>10}",
        "", "wall s", "wall MB/s", "CPU s", "CPU MB/s"
    );
    let line = |what: &str, t: Timing, bytes: usize| {
        let rate = |secs: f64| bytes as f64 / secs / 1e6;
        println!(
            "{what:<46} {:>9.3} {:>10.1} {:>9.3} {:>10.1}",
            t.wall,
            rate(t.wall),
            t.cpu,
            rate(t.cpu)
        );
    };
    line(
        "bare quick-xml event loop (tokenizer limit)",
        bare,
        src.len(),
    );
    line("typed decode into Vec<Lead>", typed, src.len());
    line(
        "skip decode into Vec<IgnoredAny> (diagnostic)",
        skip,
        src.len(),
    );
    line("Value decode", value, src.len());
    line(
        &format!("encode load call ({} bytes out)", encoded_len),
        encode,
        encoded_len,
    );
    match &python {
        Ok(t) => line("Python xmlrpc.client.loads (best of 3)", *t, src.len()),
        Err(why) => println!("Python xmlrpc.client.loads: {why}"),
    }
    let ratio = |what: &str, fast: Timing, slow: Timing, target: &str| {
        println!(
            "{what:<24} {:>6.2}x CPU, {:>6.2}x wall{target}",
            slow.cpu / fast.cpu,
            slow.wall / fast.wall
        );
    };
    ratio(
        "typed vs bare quick-xml",
        typed,
        bare,
        "   (target >= 0.80x)",
    );
    ratio("skip vs bare quick-xml", skip, bare, "");
    ratio("Value vs bare quick-xml", value, bare, "");
    if let Ok(py) = python {
        ratio("typed vs Python loads", typed, py, "   (target >= 10x)");
        ratio("Value vs Python loads", value, py, "");
    }
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average after the run: {}", load.trim());
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: smoke-test a small payload.
    let full = std::env::args().any(|a| a == "--bench");
    // Under a profiler (`-- --profile-time 20 typed`), run only what criterion runs.
    let profiling = std::env::args().any(|a| a == "--profile-time");
    let default_records = if full { payload::RECORDS } else { 200 };
    let records = env_usize("TASKFLOW_BENCH_RECORDS").unwrap_or(default_records);
    let started = Instant::now();
    let src = payload::search_read_response(records);
    let rows = payload::load_rows(records);
    if !profiling {
        verify(&src, records, &rows);
    }
    eprintln!(
        "generated and verified a {} byte search_read response of {records} records in {:.1} s",
        src.len(),
        started.elapsed().as_secs_f64()
    );

    let mut c = Criterion::default().configure_from_args();
    bench_decode(&mut c, &src, records);
    bench_encode(&mut c, &rows);
    c.final_summary();

    if full && !profiling {
        let python = python_baseline(&src);
        summary(&src, &rows, python);
    }
}
