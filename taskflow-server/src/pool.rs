//! The database connection pool: a fixed number of connections that calls borrow, and the count
//! of calls in flight.
//!
//! A real server (Odoo 17) has `db_maxconn` connections, 64 by default, and an XML-RPC call takes
//! two of them: the HTTP layer borrows one for the whole request, the method another while it
//! runs. A borrow beyond the pool does not wait, it fails (psycopg2's `PoolError`): transcripts
//! 133 and 134 are a burst of 60 creates refused that way. The database here is in memory, so the
//! pool only counts; what it reproduces is which calls a real server would refuse.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The pool size of a real server (`db_maxconn`).
pub const DEFAULT_MAXCONN: usize = 64;

// The counters guard no other data, so relaxed read-modify-writes are enough: each one acts on the
// latest value of its counter, which is all a count needs.
const ORDER: Ordering = Ordering::Relaxed;

/// A fixed number of connections, lent out one at a time, and the calls holding them.
#[derive(Debug)]
pub struct Pool {
    size: usize,
    borrowed: AtomicUsize,
    in_flight: AtomicUsize,
    peak_in_flight: AtomicUsize,
}

impl Pool {
    /// A pool of `size` connections, none borrowed.
    pub fn new(size: usize) -> Pool {
        Pool {
            size,
            borrowed: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            peak_in_flight: AtomicUsize::new(0),
        }
    }

    /// How many connections the pool has.
    pub fn size(&self) -> usize {
        self.size
    }

    /// How many connections are borrowed now.
    #[cfg(test)]
    pub fn borrowed(&self) -> usize {
        self.borrowed.load(ORDER)
    }

    /// Borrows a connection until the guard drops, or `None` when every one is borrowed.
    pub fn borrow(self: &Arc<Self>) -> Option<Connection> {
        self.borrowed
            .fetch_update(ORDER, ORDER, |n| (n < self.size).then_some(n + 1))
            .ok()?;
        Some(Connection { pool: self.clone() })
    }

    /// Starts a call: borrows the HTTP layer's connection and counts the call in flight until
    /// the guard drops. `None` when the pool is full; a refused call is not in flight.
    pub fn begin_call(self: &Arc<Self>) -> Option<Call> {
        let connection = self.borrow()?;
        let now = self.in_flight.fetch_add(1, ORDER) + 1;
        self.peak_in_flight.fetch_max(now, ORDER);
        Some(Call { connection })
    }

    /// How many calls are in flight now.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(ORDER)
    }

    /// The most calls that were in flight at once since the pool was made or the peak reset.
    pub fn peak_in_flight(&self) -> usize {
        self.peak_in_flight.load(ORDER)
    }

    /// Restarts the peak from the calls in flight now.
    pub fn reset_peak_in_flight(&self) {
        self.peak_in_flight.store(self.in_flight(), ORDER);
    }
}

/// A borrowed connection, returned to its pool when dropped.
#[derive(Debug)]
#[must_use = "the connection goes back to the pool as soon as the guard drops"]
pub struct Connection {
    pool: Arc<Pool>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.pool.borrowed.fetch_sub(1, ORDER);
    }
}

/// A call in flight, holding the HTTP layer's connection; dropping it ends the call.
#[derive(Debug)]
#[must_use = "the call ends as soon as the guard drops"]
pub struct Call {
    // Dropped after `drop` below has run: the call leaves the count before its connection is
    // returned, so the pool never shows more calls in flight than connections borrowed.
    connection: Connection,
}

impl Drop for Call {
    fn drop(&mut self) {
        self.connection.pool.in_flight.fetch_sub(1, ORDER);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrows_fail_beyond_the_size_and_succeed_again_once_returned() {
        let pool = Arc::new(Pool::new(2));
        let first = pool.borrow().expect("a free connection");
        let second = pool.borrow().expect("a free connection");
        assert!(pool.borrow().is_none(), "two of two are borrowed");
        assert_eq!(pool.borrowed(), 2);
        drop(first);
        let third = pool.borrow().expect("the returned connection");
        drop((second, third));
        assert_eq!(pool.borrowed(), 0);
        assert!(Arc::new(Pool::new(0)).borrow().is_none());
    }

    #[test]
    fn calls_take_a_connection_and_count_in_flight_with_their_peak() {
        let pool = Arc::new(Pool::new(3));
        let a = pool.begin_call().expect("room for a call");
        let b = pool.begin_call().expect("room for a call");
        let method = pool.borrow().expect("a connection for a's method");
        assert!(pool.begin_call().is_none(), "the pool is full");
        assert_eq!((pool.in_flight(), pool.peak_in_flight()), (2, 2));
        drop((method, a));
        assert_eq!((pool.in_flight(), pool.peak_in_flight()), (1, 2));
        assert_eq!(pool.borrowed(), 1);
        pool.reset_peak_in_flight();
        assert_eq!(
            pool.peak_in_flight(),
            1,
            "the peak restarts from the calls in flight"
        );
        drop(b);
        assert_eq!((pool.in_flight(), pool.borrowed()), (0, 0));
        assert_eq!(pool.peak_in_flight(), 1);
    }
}
