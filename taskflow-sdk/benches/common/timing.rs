//! Timing helpers shared by the codec benches' summaries: wall-clock and thread CPU time of one
//! run, medians of interleaved rounds.

// Shared by the `codec` and `json_codec` benches.
#![allow(dead_code)]

use std::time::Instant;

/// A count from the environment (`TASKFLOW_BENCH_RECORDS`, `TASKFLOW_BENCH_ROUNDS`).
pub fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Wall-clock and CPU seconds of one run.
#[derive(Clone, Copy)]
pub struct Timing {
    pub wall: f64,
    pub cpu: f64,
}

/// CPU time of this thread, in seconds (Linux `schedstat`; falls back to 0 elsewhere). On a
/// machine shared with other work it is steadier than the wall clock.
pub fn thread_cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0.0, |ns| ns as f64 / 1e9)
}

pub fn time(f: &mut dyn FnMut()) -> Timing {
    let (wall, cpu) = (Instant::now(), thread_cpu());
    f();
    Timing {
        wall: wall.elapsed().as_secs_f64(),
        cpu: thread_cpu() - cpu,
    }
}

/// Medians of wall-clock and CPU times, taken separately.
pub fn median(times: &[Timing]) -> Timing {
    let mid = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    Timing {
        wall: mid(times.iter().map(|t| t.wall).collect()),
        cpu: mid(times.iter().map(|t| t.cpu).collect()),
    }
}
