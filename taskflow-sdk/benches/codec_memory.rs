//! Peak heap of the typed decode (issue 2): no intermediate tree, so the peak stays within the
//! input, the decoded values and a small constant.
//!
//! `cargo bench -p taskflow-sdk --bench codec_memory` decodes the same ~130 MB `search_read`
//! response as the `codec` bench under a counting global allocator and prints, for the typed
//! decode, the `Value` decode and the tree route (`Value`, then `from_value`, for contrast):
//! live heap before (the input), the decoded values (live heap after, minus before), the peak
//! during the decode, and the peak's excess over input + decoded values.
//!
//! Two peaks are kept, as `realloc` may or may not move a block: the strict one counts old and
//! new block side by side while the data is copied; the in-place one counts only the growth
//! (what glibc's `mremap` of large blocks costs). The difference is `Vec` doubling its buffer.

#[path = "common/payload.rs"]
mod payload;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use taskflow_sdk::xmlrpc::{self, Limits, Response, Value};

use payload::Lead;

/// The system allocator, counting live and peak bytes requested.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
/// Strict peak: a moving `realloc` holds both blocks.
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Peak if every `realloc` grew in place.
static PEAK_IN_PLACE: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
    PEAK_IN_PLACE.fetch_max(live, Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout` (see `alloc`).
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's pointer, layout and size.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            let old = layout.size();
            let live = LIVE.load(Ordering::Relaxed);
            PEAK.fetch_max(live + new_size, Ordering::Relaxed);
            if new_size >= old {
                grew(new_size - old);
            } else {
                shrank(old - new_size);
            }
        }
        new
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Live bytes now, and resets the peaks to them.
fn reset_peak() -> usize {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    PEAK_IN_PLACE.store(live, Ordering::Relaxed);
    live
}

struct Measured {
    before: usize,
    after: usize,
    peak: usize,
    peak_in_place: usize,
}

impl Measured {
    fn decoded(&self) -> usize {
        self.after - self.before
    }

    /// Strict peak over input + decoded values.
    fn excess(&self) -> isize {
        self.peak as isize - self.after as isize
    }

    /// In-place peak over input + decoded values.
    fn excess_in_place(&self) -> isize {
        self.peak_in_place as isize - self.after as isize
    }
}

/// Runs `decode`, keeping its result alive until the heap after it was read.
fn measure<T>(decode: impl FnOnce() -> T) -> (Measured, T) {
    let before = reset_peak();
    let out = decode();
    let after = LIVE.load(Ordering::Relaxed);
    let peak = PEAK.load(Ordering::Relaxed);
    let peak_in_place = PEAK_IN_PLACE.load(Ordering::Relaxed);
    (
        Measured {
            before,
            after,
            peak,
            peak_in_place,
        },
        out,
    )
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn report(what: &str, input: usize, m: &Measured) {
    println!(
        "{what:<34} before {:>6.1} MB  decoded {:>6.1} MB  peak {:>6.1} MB (in place {:>6.1} MB)  \
         peak - (before + decoded) {:>+7.2} MB (in place {:>+10} bytes)  peak / input {:.2}",
        mb(m.before),
        mb(m.decoded()),
        mb(m.peak),
        mb(m.peak_in_place),
        m.excess() as f64 / 1e6,
        m.excess_in_place(),
        m.peak as f64 / input as f64
    );
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let default_records = if full { payload::RECORDS } else { 200 };
    let records = std::env::var("TASKFLOW_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_records);
    let src = payload::search_read_response(records);
    let mut src = src.into_bytes();
    src.shrink_to_fit();
    let input = src.len();
    let limits = Limits::default();
    println!(
        "== codec peak heap: {input} bytes ({:.1} MB) search_read response of {records} records \
         (MB = 10^6 bytes) ==",
        mb(input)
    );

    let (typed, leads) = measure(|| xmlrpc::decode_response::<Vec<Lead>>(&src, &limits));
    let leads = match leads {
        Ok(Response::Success(leads)) => leads,
        other => panic!("typed decode failed: {other:?}"),
    };
    assert_eq!(leads.len(), records);
    report("typed decode into Vec<Lead>", input, &typed);
    let counted = payload::decoded_bytes(&leads);
    println!(
        "  Vec<Lead>: {} records x {} bytes (capacity {}) + record heaps = {:.1} MB by walking it \
         ({:.1} MB with the buffer trimmed to len)",
        leads.len(),
        size_of::<Lead>(),
        leads.capacity(),
        mb(counted),
        mb(counted - (leads.capacity() - leads.len()) * size_of::<Lead>())
    );
    let old_buffer = leads.capacity() / 2 * size_of::<Lead>();
    println!(
        "  the Vec's last doubling held its old buffer ({:.1} MB) beside the new one: \
         excess without it {:+.2} MB",
        mb(old_buffer),
        (typed.excess() - old_buffer as isize) as f64 / 1e6
    );
    drop(leads);

    let (value, tree) = measure(|| xmlrpc::decode_response::<Value>(&src, &limits));
    let tree = match tree {
        Ok(Response::Success(tree)) => tree,
        other => panic!("Value decode failed: {:?}", other.map(|_| ())),
    };
    report("Value decode", input, &value);
    drop(tree);

    let (route, leads) = measure(|| match xmlrpc::decode_response::<Value>(&src, &limits) {
        Ok(Response::Success(tree)) => xmlrpc::from_value::<Vec<Lead>>(tree),
        other => panic!("Value decode failed: {:?}", other.map(|_| ())),
    });
    let leads = leads.expect("from_value");
    assert_eq!(leads.len(), records);
    report("tree route: Value, then from_value", input, &route);
    drop(leads);

    println!(
        "typed decode peak over input + decoded values: {:+.2} MB strict ({:.2}% of the input), \
         {:+} bytes if reallocs grow in place",
        typed.excess() as f64 / 1e6,
        typed.excess() as f64 * 100.0 / input as f64,
        typed.excess_in_place()
    );
}
