//! Bulk import through the server's `load` method: chunked, concurrent, errors per row, and
//! retries only where they are safe.
//!
//! `load` takes a header and rows of cells. When the header has an `id` column, its cells are
//! external ids: a new one creates a record, a known one updates it. That makes a chunk whose rows
//! all carry an external id idempotent, so only such chunks are resent after a transport failure.
//!
//! The server rejects a whole chunk when any row is bad (`ids: false`, one message per bad row,
//! numbered within the chunk). The [`Loader`] maps those back to global row numbers and external
//! ids, and with [`ErrorPolicy::SkipInvalid`] resends the chunk without them so the good rows land.
//!
//! # Calls the loader makes on its own
//!
//! Besides the `load` calls, which need the rights to create and write records of the model, the
//! loader makes only calls that need no more than those, or that it does without:
//!
//! | Call | Why | Rights it needs |
//! |---|---|---|
//! | `ir.model.data.check_access_rights('read', raise_exception=False)`, once per run | to learn whether it may count created and updated rows | none: anyone may ask |
//! | `ir.model.data.search_count`, once per chunk and module | to count the rows whose external id the server knows (updates) | reading `ir.model.data`, which real servers grant administrators only (odoo-17/118); made only when the probe above says yes |
//!
//! A normal user's import runs the same; only [`LoadReport::created`] and
//! [`LoadReport::updated`] are `None` (unknown), never a guess. An access error from a count
//! turns them to `None` too, and never fails the import.
//!
//! Chunks are sent again as the client's [retry table](crate::transport#the-retry-table) says:
//! besides the failures any call is retried on, a chunk whose rows all carry an external id is
//! sent again when its answer was lost, since loading it again updates the same records.

use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use futures_util::stream::{self, Stream, StreamExt};
use serde::{Deserialize, Serialize};

use crate::model::{LoadMessage, Model, WriteValues, load_table, log_warnings, refused_rows};
pub use crate::model::{RowError, Untyped};
use crate::xmlrpc::Value;
use crate::{Id, Kwargs, Result, Session};

/// What to do when the server rejects rows of a chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ErrorPolicy {
    /// Record the bad rows of the first rejected chunk and send no further chunks
    /// (chunks already in flight still finish). Nothing of a rejected chunk lands.
    #[default]
    Stop,
    /// Resend a rejected chunk without its bad rows, so every good row lands.
    SkipInvalid,
}

/// A snapshot of a running import, handed to the progress callback after each chunk.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Progress {
    /// Rows the server accepted so far.
    pub rows_done: u64,
    /// Rows rejected so far.
    pub rows_failed: u64,
    /// Time since the import started.
    pub elapsed: Duration,
    /// Rows accepted per second so far.
    pub rows_per_sec: f64,
}

/// The outcome of an import into model `M` ([`Untyped`] for rows of cells).
#[non_exhaustive]
pub struct LoadReport<M = Untyped> {
    /// Rows the server accepted (created or updated a record).
    pub imported: u64,
    /// Rows that created a record; `None` when the loader could not tell (see
    /// [calls the loader makes on its own](self#calls-the-loader-makes-on-its-own)).
    pub created: Option<u64>,
    /// Rows that updated a record already known by its external id; `None` when the loader
    /// could not tell.
    pub updated: Option<u64>,
    /// Rows that did not land, with the reason.
    pub failed: Vec<RowError>,
    /// The record of each input row, by its index: `None` for a row that did not land. Only
    /// collected when asked for ([`Loader::with_ids`]), else `None`. One entry per row read, so
    /// shorter than the input when the import stopped ([`ErrorPolicy::Stop`]).
    pub ids: Option<Vec<Option<Id<M>>>>,
    /// Chunks sent (not counting resends).
    pub chunks: u64,
    /// Chunks resent after a transport failure.
    pub chunks_retried: u64,
    /// Good rows that did not land because their chunk was rejected ([`ErrorPolicy::Stop`]).
    pub not_imported: u64,
    /// Whether the import stopped before the end of the input ([`ErrorPolicy::Stop`]).
    pub stopped: bool,
    /// Wall time of the whole import.
    pub duration: Duration,
}

// By hand: derives would ask `M` (the model) for the traits, which only `Id<M>` needs and has.
impl<M> Default for LoadReport<M> {
    fn default() -> Self {
        LoadReport {
            imported: 0,
            created: None,
            updated: None,
            failed: Vec::new(),
            ids: None,
            chunks: 0,
            chunks_retried: 0,
            not_imported: 0,
            stopped: false,
            duration: Duration::ZERO,
        }
    }
}

impl<M> Clone for LoadReport<M> {
    fn clone(&self) -> Self {
        LoadReport {
            failed: self.failed.clone(),
            ids: self.ids.clone(),
            ..*self
        }
    }
}

impl<M> PartialEq for LoadReport<M> {
    fn eq(&self, other: &Self) -> bool {
        // Destructured, so that a new field cannot be left out.
        let LoadReport {
            imported,
            created,
            updated,
            failed,
            ids,
            chunks,
            chunks_retried,
            not_imported,
            stopped,
            duration,
        } = self;
        *imported == other.imported
            && *created == other.created
            && *updated == other.updated
            && *failed == other.failed
            && *ids == other.ids
            && *chunks == other.chunks
            && *chunks_retried == other.chunks_retried
            && *not_imported == other.not_imported
            && *stopped == other.stopped
            && *duration == other.duration
    }
}

impl<M> fmt::Debug for LoadReport<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadReport")
            .field("imported", &self.imported)
            .field("created", &self.created)
            .field("updated", &self.updated)
            .field("failed", &self.failed)
            .field("ids", &self.ids)
            .field("chunks", &self.chunks)
            .field("chunks_retried", &self.chunks_retried)
            .field("not_imported", &self.not_imported)
            .field("stopped", &self.stopped)
            .field("duration", &self.duration)
            .finish()
    }
}

/// One line: `99997 imported (99997 created, 0 updated), 3 failed, 20 chunks (0 resent) in
/// 712.3ms`, with "created and updated unknown" where the loader could not tell.
impl<M> fmt::Display for LoadReport<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} imported (", self.imported)?;
        match (self.created, self.updated) {
            (Some(created), Some(updated)) => write!(f, "{created} created, {updated} updated")?,
            _ => f.write_str("created and updated unknown")?,
        }
        write!(
            f,
            "), {} failed, {} chunks ({} resent) in {:.1?}",
            self.failed.len(),
            self.chunks,
            self.chunks_retried,
            self.duration
        )?;
        if self.stopped {
            write!(
                f,
                ", stopped ({} good rows not imported)",
                self.not_imported
            )?;
        }
        Ok(())
    }
}

impl<M> LoadReport<M> {
    /// True when every row landed.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty() && !self.stopped
    }

    /// Rows accepted per second.
    pub fn rows_per_sec(&self) -> f64 {
        let secs = self.duration.as_secs_f64();
        if secs > 0.0 {
            self.imported as f64 / secs
        } else {
            0.0
        }
    }
}

/// A row of cells for `load`, in header order: one element of the `data` argument, as the server
/// calls it (`load(fields, data)`).
///
/// Implemented for `Vec`s of strings and of [`Value`]s, and for references to rows, so rows
/// the caller keeps (a table read into memory) load without being copied or given up.
/// Implement it for your own row type to stream typed data without building intermediate
/// vectors.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a row of cells (`DataRow`) for an untyped loader",
    label = "not a row of cells",
    note = "rows of cells are `Vec<String>`, `Vec<Value>`, references to them, or your own \
            `DataRow` type; `(external id, values)` pairs of a model go to \
            `session.loader_for::<Model>()`"
)]
pub trait DataRow: Serialize + Send + Sync {
    /// The external id held in cell `column` (the header's `id` column), if it is non-empty text.
    fn external_id(&self, column: usize) -> Option<&str>;
}

/// `s` unless it is empty or blank. A blank id cell is no key to count on: the loader neither
/// counts its row as an update nor resends it.
fn non_empty(s: &str) -> Option<&str> {
    // Ids start with a letter almost always: only otherwise is trimming needed to tell.
    let starts_plain = s.as_bytes().first().is_some_and(|b| b.is_ascii_graphic());
    (starts_plain || !s.trim().is_empty()).then_some(s)
}

impl<S: AsRef<str> + Serialize + Send + Sync> DataRow for Vec<S> {
    fn external_id(&self, column: usize) -> Option<&str> {
        self.get(column).and_then(|s| non_empty(s.as_ref()))
    }
}

impl<R: DataRow + ?Sized> DataRow for &R {
    fn external_id(&self, column: usize) -> Option<&str> {
        R::external_id(self, column)
    }
}

impl DataRow for Vec<Value> {
    fn external_id(&self, column: usize) -> Option<&str> {
        self.get(column).and_then(Value::as_str).and_then(non_empty)
    }
}

type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// The header of a chunk and where its external ids are.
struct Columns {
    header: Arc<Vec<String>>,
    id: Option<usize>,
}

impl Columns {
    fn external_id<'r, R: DataRow>(&self, row: &'r R) -> Option<&'r str> {
        self.id.and_then(|c| row.external_id(c))
    }

    /// Whether every row has an external id, which makes sending them again harmless.
    fn all_keyed<R: DataRow>(&self, rows: &[R]) -> bool {
        self.id.is_some() && rows.iter().all(|row| self.external_id(row).is_some())
    }
}

/// Imports rows into one model with `load`: rows of cells with [`Session::loader`], typed rows
/// of model `M` with [`Session::loader_for`].
///
/// ```no_run
/// # async fn run(session: taskflow_sdk::Session) -> taskflow_sdk::Result<()> {
/// use taskflow_sdk::load::ErrorPolicy;
///
/// let rows = (0..100_000).map(|i| vec![format!("nightly.lead_{i}"), format!("Lead {i}")]);
/// let report = session
///     .loader("crm.lead", ["id", "name"])
///     .chunk_size(2_000)
///     .on_error(ErrorPolicy::SkipInvalid)
///     .progress(|p| eprintln!("{} rows, {:.0}/s", p.rows_done, p.rows_per_sec))
///     .run(rows)
///     .await?;
/// println!("{} imported ({:?} created), {} failed", report.imported, report.created, report.failed.len());
/// # Ok(()) }
/// ```
///
/// The settings and the way chunks are sent, counted and resent are the same for both; only the
/// rows differ. A typed loader, `Loader<Lead>`, takes `(external id, values)` pairs of its model
/// (`Lead::values()...`), and rows of another model do not compile.
#[must_use = "a Loader does nothing until `run` is awaited"]
pub struct Loader<M = Untyped> {
    session: Session,
    model: String,
    /// The fixed header of untyped rows (typed rows bring a header per chunk).
    header: Arc<Vec<String>>,
    id_column: Option<usize>,
    chunk_size: usize,
    concurrency: usize,
    policy: ErrorPolicy,
    count_updates: bool,
    /// Whether this run counts created and updated rows: asked for, allowed by the server, and
    /// no count refused since.
    counting: std::sync::atomic::AtomicBool,
    /// Whether to collect the id of each row ([`LoadReport::ids`]).
    with_ids: bool,
    progress: Option<ProgressFn>,
    claims: Claims,
    rows: PhantomData<fn() -> M>,
}

/// External ids named by chunks whose load has not finished, each with the chunk (its first row)
/// that named it first. Chunks load side by side and the server applies them in any order: of
/// the chunks naming an id the server does not know yet, whichever it applies first creates the
/// record. So only the first to claim the id asks the server whether it knows it (and counts a
/// creation if not); the others count updates, and send their rows only once the claimer has
/// asked, so that its answer is not one of theirs. An id leaves when its chunk ends, by which
/// time the server knows it (or never will, if its row was refused). Memory: the ids of the
/// chunks in flight.
#[derive(Default)]
struct Claims(std::sync::Mutex<ClaimMap>);

#[derive(Default)]
struct ClaimMap {
    /// External id (its [`claim_key`]) → the chunk that claimed it.
    owners: rustc_hash::FxHashMap<u64, usize>,
    /// Chunk → the keys it claimed, and whether it has asked the server about them.
    chunks: rustc_hash::FxHashMap<usize, ChunkClaims>,
}

struct ChunkClaims {
    keys: Vec<u64>,
    asked: tokio::sync::watch::Receiver<bool>,
}

/// An external id as a key, for telling a chunk's ids apart and for claims: a 64-bit hash, so
/// neither costs an allocation. That two ids of the chunks in flight (tens of thousands) share
/// a key is vanishingly unlikely; it would count one row as an update instead of a creation,
/// nothing more.
fn claim_key(xid: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(xid)
}

impl Claims {
    fn lock(&self) -> std::sync::MutexGuard<'_, ClaimMap> {
        // Counting never panics while holding the lock; a poisoned map is still consistent.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Gives up the claims of `chunk`.
    fn release(&self, chunk: usize) {
        let mut map = self.lock();
        if let Some(claims) = map.chunks.remove(&chunk) {
            for key in claims.keys {
                if map.owners.get(&key) == Some(&chunk) {
                    map.owners.remove(&key);
                }
            }
        }
    }
}

/// Gives up a chunk's claims however its future ends (done, failed or dropped).
struct ClaimsRelease<'a> {
    claims: &'a Claims,
    chunk: usize,
}

impl Drop for ClaimsRelease<'_> {
    fn drop(&mut self) {
        self.claims.release(self.chunk);
    }
}

impl<M> fmt::Debug for Loader<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Loader")
            .field("model", &self.model)
            .field("rows", &std::any::type_name::<M>())
            .field("header", &self.header)
            .field("chunk_size", &self.chunk_size)
            .field("concurrency", &self.concurrency)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

/// Rows per `load` call unless configured: large enough that per-call overhead is small, small
/// enough that a rejected or resent chunk is cheap. Chosen by measurement: see the benches'
/// README (`benches/README.md`).
pub const DEFAULT_CHUNK_SIZE: usize = 5_000;
/// Chunks in flight at once unless configured. The server applies one `load` at a time; with a
/// few in flight, a decoded chunk is always waiting when one ends, while the others count their
/// known external ids or travel. Memory is that many chunks of rows. Chosen by measurement: see
/// the benches' README.
pub const DEFAULT_CONCURRENCY: usize = 4;

impl Session {
    /// A [`Loader`] importing rows of cells with this `header` into `model`.
    ///
    /// A header column named `id` holds external ids (`module.name`; without a module the server
    /// files them under `__import__`), which makes the import repeatable: known ids update.
    pub fn loader<I, S>(&self, model: &str, header: I) -> Loader
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Loader::new(self, model, header.into_iter().map(Into::into).collect())
    }

    /// A [`Loader`] importing typed rows of model `M`: `(external id, values)` pairs, such as
    /// `("crm_sync.lead_1", Lead::values().name("Lead 1"))`.
    ///
    /// Each chunk's header is the `id` column and the fields its rows set; relations go by
    /// database id (`partner_id/.id`).
    pub fn loader_for<M: Model>(&self) -> Loader<M> {
        Loader::new(self, M::MODEL, Vec::new())
    }
}

/// Turns a chunk of typed rows into cells, setting aside the rows that cannot be written as cells
/// (reported with their global index).
fn typed_table<M>(
    base: usize,
    rows: Vec<(String, WriteValues<M>)>,
) -> (crate::model::LoadTable, Vec<RowError>) {
    match load_table(&rows) {
        Ok(table) => (table, Vec::new()),
        Err(refused) => {
            let bad: HashSet<usize> = refused.iter().map(|e| e.row).collect();
            let good: Vec<(String, WriteValues<M>)> = rows
                .into_iter()
                .enumerate()
                .filter(|(i, _)| !bad.contains(i))
                .map(|(_, row)| row)
                .collect();
            let table = load_table(&good).unwrap_or(crate::model::LoadTable {
                columns: vec!["id".to_owned()],
                rows: Vec::new(),
            });
            let failed = refused
                .into_iter()
                .map(|e| RowError {
                    row: base + e.row,
                    ..e
                })
                .collect();
            (table, failed)
        }
    }
}

/// The server's answer to `load`, its ids read as `I`: `IgnoredAny` unless they are collected
/// (the rows are counted from the chunk), so that they cost nothing when unused.
#[derive(Deserialize, Debug)]
struct LoadResult<I> {
    /// `false` when the chunk was rejected.
    ids: Option<I>,
    #[serde(default)]
    messages: Vec<LoadMessage>,
}

impl LoadResult<serde::de::IgnoredAny> {
    /// The same answer, without ids.
    fn without_ids(self) -> LoadResult<Vec<i64>> {
        LoadResult {
            ids: self.ids.map(|_| Vec::new()),
            messages: self.messages,
        }
    }
}

/// What became of one chunk.
#[derive(Default)]
struct ChunkOutcome {
    imported: u64,
    not_imported: u64,
    /// Of the imported rows, those that updated a record (while counting).
    updated: u64,
    failed: Vec<RowError>,
    /// The id of each row of the chunk, when collected.
    ids: Vec<Option<i64>>,
    retried: u64,
    rejected: bool,
}

impl<M> Loader<M> {
    fn new(session: &Session, model: &str, header: Vec<String>) -> Loader<M> {
        let id_column = header.iter().position(|h| h == "id");
        Loader {
            session: session.clone(),
            model: model.to_owned(),
            header: Arc::new(header),
            id_column,
            chunk_size: DEFAULT_CHUNK_SIZE,
            concurrency: DEFAULT_CONCURRENCY,
            policy: ErrorPolicy::default(),
            count_updates: true,
            counting: std::sync::atomic::AtomicBool::new(false),
            with_ids: false,
            progress: None,
            claims: Claims::default(),
            rows: PhantomData,
        }
    }

    /// Rows per `load` call (at least 1).
    pub fn chunk_size(mut self, rows: usize) -> Self {
        self.chunk_size = rows.max(1);
        self
    }

    /// Chunks in flight at once (at least 1).
    pub fn concurrency(mut self, chunks: usize) -> Self {
        self.concurrency = chunks.max(1);
        self
    }

    /// What to do with rows the server rejects.
    pub fn on_error(mut self, policy: ErrorPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Whether to tell created from updated rows, at the cost of one `ir.model.data` lookup per
    /// chunk (default on), where the user may read external ids. Off, or where they may not,
    /// [`LoadReport::created`] and [`LoadReport::updated`] are `None`.
    ///
    /// The counts are exact for ids the server knew before, and for ids repeated within a chunk
    /// or across chunks in flight together. One case stays approximate: a chunk counts an
    /// update for an id that another chunk in flight names first, so if that other chunk's row
    /// is then refused, the row that creates the record was counted as an update.
    pub fn count_updates(mut self, on: bool) -> Self {
        self.count_updates = on;
        self
    }

    /// Collects the id of the record each row created or updated, by row: [`LoadReport::ids`].
    ///
    /// Off by default, since the ids of a large import take memory (a word per row) and are not
    /// always needed; off, the loader skips them as it reads each answer.
    ///
    /// ```no_run
    /// # use taskflow_sdk::{Id, Session, TaskflowModel};
    /// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
    /// # async fn f(session: &Session) -> taskflow_sdk::Result<()> {
    /// let names = ["Lead 1", "Lead 2"];
    /// let rows = names.iter().enumerate().map(|(i, name)| (format!("crm_sync.lead_{i}"), Lead::values().name(*name)));
    /// let report = session.loader_for::<Lead>().with_ids().run(rows).await?;
    /// for (name, id) in names.iter().zip(report.ids.unwrap_or_default()) {
    ///     match id {
    ///         Some(id) => println!("{name}: {id}"),
    ///         None => println!("{name}: not imported"),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn with_ids(mut self) -> Self {
        self.with_ids = true;
        self
    }

    /// Called after each chunk with the running totals.
    pub fn progress(mut self, callback: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(callback));
        self
    }
}

impl Loader<Untyped> {
    /// Imports every row of `rows`, pulling only as many as the chunks in flight need.
    pub async fn run<I>(self, rows: I) -> Result<LoadReport>
    where
        I: IntoIterator,
        I::Item: DataRow,
    {
        self.run_stream(stream::iter(rows)).await
    }

    /// Imports every row of an async stream, pulling only as many as the chunks in flight need.
    ///
    /// A fault that concerns the whole import (an unknown column, access denied) ends it with
    /// that error; rejected rows are reported in the [`LoadReport`].
    pub async fn run_stream<S>(self, rows: S) -> Result<LoadReport>
    where
        S: Stream,
        S::Item: DataRow,
    {
        let started = Instant::now();
        let this = Arc::new(self);
        let chunk_size = this.chunk_size;
        let chunks = rows.chunks(chunk_size).enumerate().map(|(n, chunk)| {
            let this = Arc::clone(&this);
            async move {
                let columns = Columns {
                    header: Arc::clone(&this.header),
                    id: this.id_column,
                };
                this.send_chunk(n * chunk_size, &columns, chunk, Vec::new())
                    .await
            }
        });
        let external_ids = this.id_column.is_some();
        this.prepare_counts(external_ids).await?;
        this.collect(started, external_ids, chunks).await
    }
}

impl<M: Model> Loader<M> {
    /// Imports typed rows, `(external id, values of M)` pairs, pulling only as many as the chunks
    /// in flight need.
    ///
    /// ```no_run
    /// # use taskflow_sdk::{Id, Session, TaskflowModel};
    /// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
    /// # async fn f(session: &Session) -> taskflow_sdk::Result<()> {
    /// let rows = (0..10_000).map(|i| (format!("crm_sync.lead_{i}"), Lead::values().name(format!("Lead {i}"))));
    /// let report = session.loader_for::<Lead>().run(rows).await?;
    /// assert!(report.is_complete());
    /// # Ok(()) }
    /// ```
    pub async fn run<I, X, V>(self, rows: I) -> Result<LoadReport<M>>
    where
        I: IntoIterator<Item = (X, V)>,
        X: Into<String>,
        V: Into<WriteValues<M>>,
    {
        self.run_stream(stream::iter(rows)).await
    }

    /// Imports typed rows from an async stream, as `run` does from an iterator.
    ///
    /// A fault that concerns the whole import (access denied, a field the model does not have)
    /// ends it with that error; rejected rows are reported in the [`LoadReport`].
    pub async fn run_stream<S, X, V>(self, rows: S) -> Result<LoadReport<M>>
    where
        S: Stream<Item = (X, V)>,
        X: Into<String>,
        V: Into<WriteValues<M>>,
    {
        let started = Instant::now();
        let this = Arc::new(self);
        let chunk_size = this.chunk_size;
        let typed = rows.map(|(xid, values)| (xid.into(), values.into()));
        let chunks = typed.chunks(chunk_size).enumerate().map(
            |(n, chunk): (usize, Vec<(String, WriteValues<M>)>)| {
                let this = Arc::clone(&this);
                async move {
                    let base = n * chunk_size;
                    let (table, failed) = typed_table(base, chunk);
                    let columns = Columns {
                        header: Arc::new(table.columns),
                        id: Some(0),
                    };
                    this.send_chunk(base, &columns, table.rows, failed).await
                }
            },
        );
        this.prepare_counts(true).await?;
        this.collect(started, true, chunks).await
    }
}

impl<M> Loader<M> {
    /// Decides whether this run counts created and updated rows: only when asked, when the rows
    /// carry external ids, and when the user may read them (`ir.model.data`), which the server
    /// answers without needing any right. A refusal is no error: the counts are then unknown.
    async fn prepare_counts(&self, external_ids: bool) -> Result<()> {
        let mut counting = self.count_updates && external_ids;
        if counting {
            let allowed = self
                .session
                .execute_kw::<bool>(
                    "ir.model.data",
                    "check_access_rights",
                    ("read",),
                    Kwargs::new().insert("raise_exception", false),
                )
                .await;
            counting = match allowed {
                Ok(allowed) => allowed,
                Err(e) if e.is_fault() => {
                    tracing::debug!(
                        error = &e as &dyn std::error::Error,
                        "cannot tell created from updated rows"
                    );
                    false
                }
                Err(e) => return Err(e),
            };
        }
        self.counting.store(counting, Ordering::Relaxed);
        Ok(())
    }

    /// Runs the chunk futures with bounded concurrency, in order, and adds up the report.
    async fn collect<F>(
        &self,
        started: Instant,
        external_ids: bool,
        chunks: impl Stream<Item = F>,
    ) -> Result<LoadReport<M>>
    where
        F: std::future::Future<Output = Result<ChunkOutcome>>,
    {
        let mut report = LoadReport::default();
        let mut updated = 0;
        let mut ids: Vec<Option<Id<M>>> = Vec::new();
        // In input order: `buffered` yields the chunks in the order they were made.
        let mut chunks = std::pin::pin!(chunks.buffered(self.concurrency));
        while let Some(outcome) = chunks.next().await {
            let outcome = outcome?;
            report.chunks += 1;
            report.imported += outcome.imported;
            updated += outcome.updated;
            report.chunks_retried += outcome.retried;
            report.not_imported += outcome.not_imported;
            report.failed.extend(outcome.failed);
            ids.extend(outcome.ids.into_iter().map(|id| id.map(Id::new)));
            if let Some(callback) = &self.progress {
                let elapsed = started.elapsed();
                let done = report.imported;
                callback(&Progress {
                    rows_done: done,
                    rows_failed: report.failed.len() as u64,
                    elapsed,
                    rows_per_sec: done as f64 / elapsed.as_secs_f64().max(1e-9),
                });
            }
            if outcome.rejected && self.policy == ErrorPolicy::Stop {
                report.stopped = true;
                break;
            }
        }
        report.failed.sort_by_key(|e| e.row);
        if self.with_ids {
            report.ids = Some(ids);
        }
        if !external_ids {
            // Without external ids every accepted row creates a record.
            (report.created, report.updated) = (Some(report.imported), Some(0));
        } else if self.counting.load(Ordering::Relaxed) {
            (report.created, report.updated) = (Some(report.imported - updated), Some(updated));
        }
        report.duration = started.elapsed();
        Ok(report)
    }

    /// Sends one chunk whose first row is row `base` of the input, resending it without bad rows
    /// or after transport failures as configured. `failed` holds rows already refused on the
    /// client side (typed rows that cannot be written as cells).
    async fn send_chunk<R: DataRow>(
        &self,
        base: usize,
        columns: &Columns,
        rows: Vec<R>,
        failed: Vec<RowError>,
    ) -> Result<ChunkOutcome> {
        let _release = ClaimsRelease {
            claims: &self.claims,
            chunk: base,
        };
        let mut outcome = ChunkOutcome {
            // Every row of the chunk, those refused on the client side included.
            ids: if self.with_ids {
                vec![None; rows.len() + failed.len()]
            } else {
                Vec::new()
            },
            failed,
            ..ChunkOutcome::default()
        };
        if !outcome.failed.is_empty() {
            outcome.rejected = true;
            if self.policy == ErrorPolicy::Stop {
                outcome.not_imported = rows.len() as u64;
                return Ok(outcome);
            }
        }
        // Global indices of the rows still to send, parallel to `pending`.
        let mut indices: Vec<usize> = if outcome.failed.is_empty() {
            (base..base + rows.len()).collect()
        } else {
            let skipped: HashSet<usize> = outcome.failed.iter().map(|e| e.row).collect();
            (base..)
                .filter(|i| !skipped.contains(i))
                .take(rows.len())
                .collect()
        };
        let mut pending: Vec<R> = rows;
        while !pending.is_empty() {
            // Counted before each attempt: a rejected chunk changed nothing on the server, and
            // its resend holds fewer rows.
            let updates = if self.counting.load(Ordering::Relaxed) {
                match self.count_updates_in(base, columns, &pending).await {
                    Ok(updates) => updates,
                    Err(e) if e.fault_kind() == Some(crate::FaultKind::AccessError) => {
                        // Rights changed under the run: the counts are unknown, the rows load.
                        tracing::debug!(
                            error = &e as &dyn std::error::Error,
                            "cannot count updates any more"
                        );
                        self.counting.store(false, Ordering::Relaxed);
                        0
                    }
                    Err(e) => return Err(e),
                }
            } else {
                0
            };
            let retried = &mut outcome.retried;
            let result = if self.with_ids {
                self.call_with_retries(columns, &pending, retried).await
            } else {
                self.call_with_retries::<_, serde::de::IgnoredAny>(columns, &pending, retried)
                    .await
                    .map(LoadResult::without_ids)
            };
            let result = match result {
                Ok(result) => result,
                Err(e) if e.is_transient() => {
                    // The chunk could not be delivered (and was not, or no longer, retried).
                    let why = if columns.all_keyed(&pending) {
                        format!(
                            "not delivered within the retry deadline: {}",
                            e.with_causes()
                        )
                    } else {
                        format!(
                            "not delivered and not retried, since not every row has an external \
                             id (a resend could duplicate records): {}",
                            e.with_causes()
                        )
                    };
                    outcome.rejected = true;
                    for (row, index) in pending.iter().zip(&indices) {
                        outcome.failed.push(RowError {
                            row: *index,
                            external_id: columns.external_id(row).map(str::to_owned),
                            field: None,
                            message: why.clone(),
                        });
                    }
                    return Ok(outcome);
                }
                Err(e) => return Err(e),
            };
            match result.ids {
                Some(ids) => {
                    log_warnings(&self.model, &result.messages, |local| {
                        indices.get(local).copied()
                    });
                    // One id per row sent, in order (empty unless collected).
                    for (index, id) in indices.iter().zip(ids) {
                        outcome.ids[index - base] = Some(id);
                    }
                    outcome.updated += updates;
                    outcome.imported += pending.len() as u64;
                    return Ok(outcome);
                }
                None => {
                    outcome.rejected = true;
                    // A refusal that names no row refuses them all: nothing is left to resend.
                    let bad = refused_rows(&result.messages, pending.len());
                    let mut keep_rows = Vec::with_capacity(pending.len() - bad.len());
                    let mut keep_indices = Vec::with_capacity(pending.len() - bad.len());
                    for (local, (row, index)) in pending.into_iter().zip(indices).enumerate() {
                        match bad.get(&local) {
                            Some(message) => outcome.failed.push(RowError::refused(
                                index,
                                columns.external_id(&row).map(str::to_owned),
                                *message,
                            )),
                            None => {
                                keep_rows.push(row);
                                keep_indices.push(index);
                            }
                        }
                    }
                    if self.policy == ErrorPolicy::Stop {
                        outcome.not_imported = keep_rows.len() as u64;
                        return Ok(outcome);
                    }
                    // The refused rows create nothing: their ids are free for other chunks to
                    // count as creations (the resend claims again the ones its rows still name).
                    self.claims.release(base);
                    pending = keep_rows;
                    indices = keep_indices;
                }
            }
        }
        Ok(outcome)
    }

    /// Loads one chunk, sending it again as the client's retry table says; chunks whose every
    /// row has an external id (idempotent) also when the answer was lost.
    async fn call_with_retries<R: DataRow, I: serde::de::DeserializeOwned>(
        &self,
        columns: &Columns,
        rows: &[R],
        retried: &mut u64,
    ) -> Result<LoadResult<I>> {
        let header = &columns.header[..];
        let policy = self.session.client().retry_policy().clone();
        let started = Instant::now();
        let mut retry = 0;
        loop {
            let result = self
                .session
                .execute_kw::<LoadResult<I>>(&self.model, "load", (header, rows), Kwargs::new())
                .await;
            let Err(e) = &result else {
                return result;
            };
            // The client already sent the call again for the causes every method retries on.
            if e.retry_cause() != Some(crate::RetryCause::MayHaveRun) {
                return result;
            }
            // Asked only now: a pass over every row's id, on the failure path alone.
            let idempotent = columns.all_keyed(rows);
            let Some(delay) = policy.next_retry(e, idempotent, retry, started.elapsed()) else {
                return result;
            };
            retry += 1;
            *retried += 1;
            tracing::warn!(model = %self.model, retry, error = e as &dyn std::error::Error, "resending load chunk");
            tokio::time::sleep(delay).await;
        }
    }

    /// How many of `rows` (the chunk starting at row `chunk`) will update a record rather than
    /// create one: those whose external id the server already knows for this model, repeats of
    /// an external id within the rows (the first occurrence creates the record, the later ones
    /// update it), and ids another chunk in flight claimed first ([`Claims`]). One `search_count`
    /// per module for the rest, so the answer stays a number whatever the chunk size.
    async fn count_updates_in<R: DataRow>(
        &self,
        chunk: usize,
        columns: &Columns,
        rows: &[R],
    ) -> Result<u64> {
        let mut with_id = 0u64;
        // A fast hash: a chunk holds thousands of ids, and this runs for every chunk.
        // The distinct ids by claim key: each id is hashed once, for both.
        let mut distinct: rustc_hash::FxHashMap<u64, &str> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(rows.len(), Default::default());
        for xid in rows.iter().filter_map(|row| columns.external_id(row)) {
            with_id += 1;
            distinct.entry(claim_key(xid)).or_insert(xid);
        }
        let mut claimed_elsewhere = 0u64;
        let mut claimers: rustc_hash::FxHashSet<usize> = Default::default();
        let mut by_module: rustc_hash::FxHashMap<&str, Vec<&str>> = Default::default();
        let (asked, _) = tokio::sync::watch::channel(false);
        {
            let mut claims = self.claims.lock();
            if claims.owners.capacity() == 0 {
                // Sized once for the chunks in flight: no rehashing while they come and go.
                let in_flight = self.concurrency.saturating_mul(rows.len());
                claims.owners.reserve(in_flight.min(1 << 20));
            }
            let mut claimed = Vec::with_capacity(distinct.len());
            for (&key, xid) in &distinct {
                let owner = *claims.owners.entry(key).or_insert(chunk);
                if owner == chunk {
                    claimed.push(key);
                    let (module, name) = split_external_id(xid);
                    by_module.entry(module).or_default().push(name);
                } else {
                    claimed_elsewhere += 1;
                    claimers.insert(owner);
                }
            }
            claims.chunks.insert(
                chunk,
                ChunkClaims {
                    keys: claimed,
                    asked: asked.subscribe(),
                },
            );
        }
        let mut known = 0u64;
        for (module, names) in by_module {
            let domain = (
                ("model", "=", &self.model),
                ("module", "=", module),
                ("name", "in", &names),
            );
            let count: u64 = self
                .session
                .execute_kw("ir.model.data", "search_count", (domain,), Kwargs::new())
                .await?;
            known += count.min(names.len() as u64);
        }
        // Asked first, waited after: two chunks that each claimed ids the other names never
        // wait for each other.
        asked.send_replace(true);
        for claimer in claimers {
            let waiting = self
                .claims
                .lock()
                .chunks
                .get(&claimer)
                .map(|c| c.asked.clone());
            if let Some(mut waiting) = waiting {
                // An error means the claimer ended without asking: nothing to wait for.
                let _ = waiting.wait_for(|asked| *asked).await;
            }
        }
        Ok(with_id - distinct.len() as u64 + claimed_elsewhere + known)
    }
}

/// `module.name` → (`module`, `name`); ids without a module live under `__import__`, as the
/// server files them (transcripts 112, 113).
fn split_external_id(xid: &str) -> (&str, &str) {
    // `memchr` rather than `split_once`: this runs for every row of a load.
    match memchr::memchr(b'.', xid.as_bytes()) {
        Some(dot) if dot > 0 => (&xid[..dot], &xid[dot + 1..]),
        _ => ("__import__", xid),
    }
}

#[cfg(test)]
mod tests;
