//! Speed of the JSON-RPC decoder on a `search_read` of 50,000 `crm.lead` records (issue 17).
//!
//! `cargo bench -p taskflow-sdk --bench json_codec` measures, side by side in one run, on a
//! response written the way TaskFlow writes it (`json.dumps`, `false` for empty fields):
//! - `typed`: `jsonrpc::decode_response::<Vec<Lead>>` (the codec bench's lead: serde derive,
//!   `Option`, pairs as tuples), under the server's conventions;
//! - `value`: `jsonrpc::decode_response::<Value>`;
//!
//! and, on the same response with `null` for the empty fields (which plain serde decoders need;
//! `false` does not fit their `Option<String>`):
//! - `typed_null`: our typed decode again, to compare like with like;
//! - `sonic_rs_typed`: `sonic_rs::from_slice` into the same structs, the yardstick;
//! - `serde_json_typed`: plain `serde_json::from_slice` into the same structs.
//!
//! A summary follows, timed in interleaved rounds so that load from other processes hits every
//! contender alike, with the ratio the issue sets a target for (typed >= 0.7x sonic-rs), and
//! Python's `json.loads` plus one record object per row on the same bytes
//! (`python_json_baseline.py`, best of 3).
//!
//! Environment: `TASKFLOW_BENCH_RECORDS` (default 50,000), `TASKFLOW_BENCH_ROUNDS` (default 5).
//! Under `cargo test --benches` the bench only smoke-tests a 200-record payload.

#[path = "common/payload.rs"]
mod payload;
#[path = "common/timing.rs"]
mod timing;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use serde::Deserialize;
use taskflow_sdk::jsonrpc::{self, Response};
use taskflow_sdk::xmlrpc::{Limits, Value};

use payload::Lead;
use timing::{Timing, env_usize, median, time};

/// How an empty field is written.
#[derive(Clone, Copy)]
enum Empty {
    /// As TaskFlow writes it.
    False,
    /// For decoders without the server's conventions.
    Null,
}

/// Writes JSON the way Python's `json.dumps(obj, ensure_ascii=False)` does (`", "`, `": "`).
struct Dumps {
    out: Vec<u8>,
    empty: Empty,
}

impl Dumps {
    fn raw(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    fn string(&mut self, s: &str) {
        serde_json::to_writer(&mut self.out, s).expect("write a string");
    }

    fn empty(&mut self) {
        self.raw(match self.empty {
            Empty::False => "false",
            Empty::Null => "null",
        });
    }

    fn opt_string(&mut self, v: &Option<String>) {
        match v {
            Some(s) => self.string(s),
            None => self.empty(),
        }
    }

    fn pair(&mut self, (id, name): &(i64, String)) {
        self.raw(&format!("[{id}, "));
        self.string(name);
        self.raw("]");
    }

    fn opt_pair(&mut self, v: &Option<(i64, String)>) {
        match v {
            Some(p) => self.pair(p),
            None => self.empty(),
        }
    }

    fn member(&mut self, first: bool, name: &str, value: impl FnOnce(&mut Self)) {
        if !first {
            self.raw(", ");
        }
        self.string(name);
        self.raw(": ");
        value(self);
    }

    fn lead(&mut self, l: &Lead) {
        let ids: Vec<String> = l.tag_ids.iter().map(i64::to_string).collect();
        self.raw("{");
        self.member(true, "id", |w| w.raw(&l.id.to_string()));
        self.member(false, "name", |w| w.string(&l.name));
        self.member(false, "type", |w| w.string(&l.kind));
        self.member(false, "partner_id", |w| w.opt_pair(&l.partner_id));
        self.member(false, "user_id", |w| w.opt_pair(&l.user_id));
        self.member(false, "team_id", |w| w.opt_pair(&l.team_id));
        self.member(false, "stage_id", |w| w.pair(&l.stage_id));
        self.member(false, "tag_ids", |w| {
            w.raw(&format!("[{}]", ids.join(", ")))
        });
        self.member(false, "email_from", |w| w.opt_string(&l.email_from));
        self.member(false, "phone", |w| w.opt_string(&l.phone));
        // `{:?}` is the shortest round trip with a `.0` on integral values, like Python's repr.
        self.member(false, "expected_revenue", |w| {
            w.raw(&format!("{:?}", l.expected_revenue))
        });
        self.member(false, "probability", |w| {
            w.raw(&format!("{:?}", l.probability))
        });
        self.member(false, "priority", |w| w.string(&l.priority));
        self.member(false, "date_deadline", |w| w.opt_string(&l.date_deadline));
        self.member(false, "create_date", |w| w.string(&l.create_date));
        self.member(false, "write_date", |w| w.string(&l.write_date));
        self.member(false, "date_closed", |w| w.opt_string(&l.date_closed));
        self.member(false, "active", |w| {
            w.raw(if l.active { "true" } else { "false" })
        });
        self.member(false, "description", |w| w.opt_string(&l.description));
        self.member(false, "lost_reason_id", |w| w.opt_pair(&l.lost_reason_id));
        self.member(false, "company_id", |w| w.opt_pair(&l.company_id));
        self.member(false, "contact_name", |w| w.opt_string(&l.contact_name));
        self.member(false, "country_id", |w| w.opt_pair(&l.country_id));
        self.member(false, "display_name", |w| w.string(&l.display_name));
        self.raw("}");
    }
}

/// A JSON-RPC `search_read` response of `records` leads.
fn search_read_response(records: usize, empty: Empty) -> Vec<u8> {
    let mut w = Dumps {
        out: Vec::with_capacity(records * 1000 + 64),
        empty,
    };
    w.raw(r#"{"jsonrpc": "2.0", "id": 32, "result": ["#);
    for i in 0..records {
        if i > 0 {
            w.raw(", ");
        }
        w.lead(&payload::make_lead(i));
    }
    w.raw("]}");
    w.out
}

/// The envelope, for the decoders that do not know it.
#[derive(Deserialize)]
struct Envelope<T> {
    result: T,
}

fn decode_typed(src: &[u8]) -> Vec<Lead> {
    match jsonrpc::decode_response::<Vec<Lead>>(src, &Limits::default()) {
        Ok(Response::Success(leads)) => leads,
        Ok(_) => panic!("typed decode found no result"),
        Err(e) => panic!("typed decode failed: {e}"),
    }
}

fn decode_value(src: &[u8]) -> Value {
    match jsonrpc::decode_response::<Value>(src, &Limits::default()) {
        Ok(Response::Success(value)) => value,
        Ok(_) => panic!("Value decode found no result"),
        Err(e) => panic!("Value decode failed: {e}"),
    }
}

fn sonic_typed(src: &[u8]) -> Vec<Lead> {
    sonic_rs::from_slice::<Envelope<Vec<Lead>>>(src)
        .expect("sonic-rs decode")
        .result
}

fn serde_json_typed(src: &[u8]) -> Vec<Lead> {
    serde_json::from_slice::<Envelope<Vec<Lead>>>(src)
        .expect("serde_json decode")
        .result
}

/// Checks that every contender does the work it is timed for, on the bytes it is timed on.
fn verify(odoo: &[u8], null: &[u8], records: usize) {
    let expected: Vec<Lead> = (0..records).map(payload::make_lead).collect();
    assert!(decode_typed(odoo) == expected, "typed decode differs");
    assert!(
        decode_typed(null) == expected,
        "typed decode of the null variant differs"
    );
    assert!(sonic_typed(null) == expected, "sonic-rs decode differs");
    assert!(
        serde_json_typed(null) == expected,
        "serde_json decode differs"
    );
    assert!(
        sonic_rs::from_slice::<Envelope<Vec<Lead>>>(odoo).is_err(),
        "sonic-rs took `false` for an Option<String>: the null variant is not needed"
    );
    match decode_value(odoo) {
        Value::Array(items) => {
            assert_eq!(items.len(), records);
            assert_eq!(
                items.last().and_then(|l| l.get("display_name")?.as_str()),
                Some(expected[records - 1].display_name.as_str())
            );
        }
        other => panic!("expected an array, found {}", other.type_name()),
    }
}

type Contender = (&'static str, fn(&[u8]) -> usize, bool);

/// Each contender, the length of what it built, and whether it reads the null variant.
const CONTENDERS: [Contender; 5] = [
    ("typed", |s| decode_typed(s).len(), false),
    (
        "value",
        |s| usize::from(decode_value(s) != Value::Nil),
        false,
    ),
    ("typed_null", |s| decode_typed(s).len(), true),
    ("sonic_rs_typed", |s| sonic_typed(s).len(), true),
    ("serde_json_typed", |s| serde_json_typed(s).len(), true),
];

fn bench_decode(c: &mut Criterion, odoo: &[u8], null: &[u8], records: usize) {
    let mut group = c.benchmark_group("decode_search_read_json");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for (name, run, on_null) in CONTENDERS {
        let src = if on_null { null } else { odoo };
        group.throughput(Throughput::Bytes(src.len() as u64));
        group.bench_function(BenchmarkId::new(name, records), |b| {
            b.iter(|| run(black_box(src)))
        });
    }
    group.finish();
}

/// Interleaved rounds of every contender, then the figures and the ratio the issue targets.
fn summary(odoo: &[u8], null: &[u8], records: usize) {
    let rounds = env_usize("TASKFLOW_BENCH_ROUNDS").unwrap_or(5).max(1);
    let mut times: Vec<Vec<Timing>> = vec![Vec::new(); CONTENDERS.len()];
    for _ in 0..rounds {
        for ((_, run, on_null), times) in CONTENDERS.iter().zip(&mut times) {
            let src = if *on_null { null } else { odoo };
            times.push(time(&mut || {
                black_box(run(black_box(src)));
            }));
        }
    }
    let medians: Vec<Timing> = times.iter().map(|t| median(t)).collect();
    println!();
    println!(
        "== JSON codec summary: search_read of {records} records, {} bytes (false) / {} bytes \
         (null); median of {rounds} interleaved rounds; MB = 10^6 bytes ==",
        odoo.len(),
        null.len()
    );
    println!(
        "{:<18} {:>9} {:>10} {:>9} {:>10}",
        "", "wall s", "wall MB/s", "CPU s", "CPU MB/s"
    );
    for ((name, _, on_null), t) in CONTENDERS.iter().zip(&medians) {
        let bytes = if *on_null { null.len() } else { odoo.len() } as f64;
        println!(
            "{name:<18} {:>9.3} {:>10.1} {:>9.3} {:>10.1}",
            t.wall,
            bytes / t.wall / 1e6,
            t.cpu,
            bytes / t.cpu / 1e6
        );
    }
    // Throughput ratios, in bytes per second, so the variants' lengths are accounted for.
    let rate = |i: usize, cpu: bool| {
        let bytes = if CONTENDERS[i].2 {
            null.len()
        } else {
            odoo.len()
        } as f64;
        bytes / if cpu { medians[i].cpu } else { medians[i].wall }
    };
    let ratio = |what: &str, ours: usize, theirs: usize, target: &str| {
        println!(
            "{what:<34} {:>5.2}x CPU, {:>5.2}x wall{target}",
            rate(ours, true) / rate(theirs, true),
            rate(ours, false) / rate(theirs, false)
        );
    };
    ratio(
        "typed (false) vs sonic-rs (null)",
        0,
        3,
        "   (target >= 0.70x)",
    );
    ratio("typed (null) vs sonic-rs (null)", 2, 3, "");
    ratio("typed (null) vs serde_json (null)", 2, 4, "");
    ratio("Value vs sonic-rs typed", 1, 3, "");
    match python_baseline(odoo) {
        Ok(py) => {
            let ours = medians[0];
            println!(
                "{:<34} {:>5.2}x CPU, {:>5.2}x wall   (python: {:.3} s CPU, {:.3} s wall)",
                "typed (false) vs python json.loads",
                py.cpu / ours.cpu,
                py.wall / ours.wall,
                py.cpu,
                py.wall
            );
        }
        Err(e) => println!("python baseline skipped: {e}"),
    }
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average after the run: {}", load.trim());
    }
}

/// Python's `json.loads` plus building the records, on the bytes `odoo` holds.
fn python_baseline(odoo: &[u8]) -> Result<Timing, String> {
    let path = std::env::temp_dir().join(format!("json_codec_{}.json", std::process::id()));
    std::fs::write(&path, odoo).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/python_json_baseline.py"
    );
    let output = std::process::Command::new("python3")
        .arg(script)
        .arg(&path)
        .output();
    let _ = std::fs::remove_file(&path);
    let output = output.map_err(|e| format!("cannot run python3: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "python3 failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let field = |name: &str| -> Option<f64> {
        stdout
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))?
            .parse()
            .ok()
    };
    match (field("seconds"), field("cpu_seconds")) {
        (Some(wall), Some(cpu)) => Ok(Timing { wall, cpu }),
        _ => Err(format!("unexpected output: {stdout}")),
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: smoke-test a small payload.
    let full = std::env::args().any(|a| a == "--bench");
    let default_records = if full { payload::RECORDS } else { 200 };
    let records = env_usize("TASKFLOW_BENCH_RECORDS").unwrap_or(default_records);
    let started = Instant::now();
    let odoo = search_read_response(records, Empty::False);
    let null = search_read_response(records, Empty::Null);
    verify(&odoo, &null, records);
    eprintln!(
        "generated and verified {} byte JSON-RPC search_read responses of {records} records in \
         {:.1} s",
        odoo.len(),
        started.elapsed().as_secs_f64()
    );
    let mut c = Criterion::default().configure_from_args();
    bench_decode(&mut c, &odoo, &null, records);
    c.final_summary();
    if full {
        summary(&odoo, &null, records);
    }
}
