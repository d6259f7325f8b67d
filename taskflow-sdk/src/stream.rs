//! Reading whole tables as an async stream of records, paged by id.
//!
//! Offset paging skips or repeats records when the table changes between pages. Keyset paging
//! (`id > last`, ordered by id) does not: every record that exists throughout the read is yielded
//! exactly once. The next page is requested while the current one is consumed, so the network
//! and the server overlap with the caller's work, and memory stays at about two pages.
//!
//! # Calls a stream makes on its own
//!
//! Only `search_read` on the streamed model, one per page, with the caller's domain and-ed with
//! `id > last`: the same right (reading the model) and the same record rules as the caller's own
//! `search_read`. At most two pages are in flight, within the client's
//! [in-flight bound](crate::transport#requests-in-flight).

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_util::Stream;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::task::JoinHandle;

use crate::error::CallInfo;
use crate::xmlrpc::{EncodeError, Value, to_value};
use crate::{Domain, Error, Kwargs, Model, Result, Session};

/// A record that knows its database id, so a stream can continue after it.
///
/// Implemented for [`Value`] (its `id` member) and by `#[derive(TaskflowModel)]`.
pub trait Record {
    /// The record's database id.
    fn record_id(&self) -> i64;
}

impl Record for Value {
    fn record_id(&self) -> i64 {
        self.get("id").and_then(Value::as_i64).unwrap_or(0)
    }
}

impl<M: Model> Record for M {
    fn record_id(&self) -> i64 {
        self.id().get()
    }
}

/// Streams every record of model `M` matching `domain`, reading exactly `M`'s fields, in id
/// order: the typed form of [`Session::search_read_stream`].
///
/// ```no_run
/// # use taskflow_sdk::{Domain, Id, Session, TaskflowModel};
/// # #[derive(TaskflowModel, Debug)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
/// # async fn f(session: &Session) -> taskflow_sdk::Result<()> {
/// use futures_util::TryStreamExt;
///
/// let mut leads = taskflow_sdk::stream::search_read(session, Lead::fields().name.ilike("desk"));
/// while let Some(lead) = leads.try_next().await? {
///     println!("{lead:?}");
/// }
/// # Ok(()) }
/// ```
pub fn search_read<M>(session: &Session, domain: Domain<M>) -> ReadStream<M>
where
    M: Model + Send + Unpin,
{
    session.search_read_stream(M::MODEL, domain, M::FIELDS)
}

/// Records per page unless configured: each page is a request and a search on the server, so
/// bigger pages read faster, while memory holds about two of them. Chosen by measurement: see the
/// benches' README (`benches/README.md`).
pub const DEFAULT_PAGE_SIZE: usize = 5_000;

impl Session {
    /// Streams every record of `model` matching `domain` (any domain: a typed one or a raw list),
    /// reading `fields` (`id` is always read), in id order.
    ///
    /// ```no_run
    /// # async fn run(session: taskflow_sdk::Session) -> taskflow_sdk::Result<()> {
    /// use futures_util::TryStreamExt;
    /// use taskflow_sdk::xmlrpc::Value;
    ///
    /// let empty: [Value; 0] = [];
    /// let mut leads = session.search_read_stream::<Value>("crm.lead", empty, &["name"]).page_size(5_000);
    /// let mut count = 0;
    /// while let Some(lead) = leads.try_next().await? {
    ///     count += 1;
    ///     let _ = lead.get("name");
    /// }
    /// println!("{count} leads");
    /// # Ok(()) }
    /// ```
    pub fn search_read_stream<R>(
        &self,
        model: &str,
        domain: impl Serialize,
        fields: &[&str],
    ) -> ReadStream<R>
    where
        R: DeserializeOwned + Record + Send + 'static,
    {
        let mut field_list: Vec<String> = fields.iter().map(|f| (*f).to_owned()).collect();
        if !field_list.iter().any(|f| f == "id") {
            field_list.insert(0, "id".to_owned());
        }
        let (domain, error) = match to_value(&domain) {
            Ok(Value::Array(terms)) => (terms, None),
            Ok(Value::Nil) => (Vec::new(), None),
            Ok(other) => (
                Vec::new(),
                Some(EncodeError::new(format!(
                    "a domain must be a list of terms, not {}",
                    other.type_name()
                ))),
            ),
            Err(e) => (Vec::new(), Some(e)),
        };
        ReadStream {
            session: self.clone(),
            model: model.to_owned(),
            domain,
            fields: field_list,
            page_size: DEFAULT_PAGE_SIZE,
            state: State::Start { error },
            buffer: Vec::new().into_iter(),
            last_id: 0,
        }
    }
}

enum State<R> {
    /// Not polled yet (or the domain could not be encoded).
    Start { error: Option<EncodeError> },
    /// A page is being fetched.
    Fetching(JoinHandle<Result<Vec<R>>>),
    /// The last page is in the buffer.
    Done,
}

/// The stream returned by [`Session::search_read_stream`].
#[must_use = "streams do nothing unless polled"]
pub struct ReadStream<R> {
    session: Session,
    model: String,
    domain: Vec<Value>,
    fields: Vec<String>,
    page_size: usize,
    state: State<R>,
    /// The current page, handed out in place rather than copied into a queue.
    buffer: std::vec::IntoIter<R>,
    /// Id of the last record of the last full page: the next page starts after it.
    last_id: i64,
}

impl<R> fmt::Debug for ReadStream<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadStream")
            .field("model", &self.model)
            .field("fields", &self.fields)
            .field("page_size", &self.page_size)
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

impl<R> Drop for ReadStream<R> {
    fn drop(&mut self) {
        if let State::Fetching(handle) = &self.state {
            handle.abort();
        }
    }
}

impl<R> ReadStream<R>
where
    R: DeserializeOwned + Record + Send + 'static,
{
    /// Records per request (at least 1).
    pub fn page_size(mut self, records: usize) -> Self {
        self.page_size = records.max(1);
        self
    }

    /// Starts fetching the page after `after` (an id; 0 for the first page).
    fn fetch(&self, after: i64) -> JoinHandle<Result<Vec<R>>> {
        let session = self.session.clone();
        let model = self.model.clone();
        let mut domain = Vec::with_capacity(self.domain.len() + 1);
        // A top-level domain list is an implicit AND of its terms, so the key condition can lead.
        domain.push(Value::Array(vec![
            "id".into(),
            ">".into(),
            Value::Int(after),
        ]));
        domain.extend(self.domain.iter().cloned());
        let kwargs = Kwargs::new()
            .fields(self.fields.iter().map(String::as_str))
            .order("id")
            .limit(u32::try_from(self.page_size).unwrap_or(u32::MAX));
        tokio::spawn(async move {
            session
                .execute_kw::<Vec<R>>(&model, "search_read", (domain,), kwargs)
                .await
        })
    }

    fn join_error(&self, e: tokio::task::JoinError) -> Error {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        Error::Transport {
            call: CallInfo::new(
                self.session.client().object_display(),
                Some(&self.model),
                "search_read",
            ),
            source: Box::new(e),
        }
    }
}

impl<R> Stream for ReadStream<R>
where
    R: DeserializeOwned + Record + Send + Unpin + 'static,
{
    type Item = Result<R>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<R>>> {
        let this = self.get_mut();
        loop {
            if let Some(record) = this.buffer.next() {
                return Poll::Ready(Some(Ok(record)));
            }
            match &mut this.state {
                State::Start { error } => {
                    if let Some(source) = error.take() {
                        this.state = State::Done;
                        return Poll::Ready(Some(Err(Error::Encode {
                            source,
                            call: CallInfo::new(
                                this.session.client().object_display(),
                                Some(&this.model),
                                "search_read",
                            ),
                        })));
                    }
                    this.state = State::Fetching(this.fetch(0));
                }
                State::Fetching(handle) => {
                    let joined = ready!(Pin::new(handle).poll(cx));
                    let page = match joined {
                        Ok(Ok(page)) => page,
                        Ok(Err(e)) => {
                            this.state = State::Done;
                            return Poll::Ready(Some(Err(e)));
                        }
                        Err(e) => {
                            this.state = State::Done;
                            return Poll::Ready(Some(Err(this.join_error(e))));
                        }
                    };
                    // A short page is the last one; otherwise ask for the next right away.
                    this.state = match page.last().map(Record::record_id) {
                        Some(last) if page.len() >= this.page_size && last > this.last_id => {
                            this.last_id = last;
                            State::Fetching(this.fetch(last))
                        }
                        Some(last) if page.len() >= this.page_size => {
                            // Without increasing ids the stream would ask for the same page forever.
                            this.state = State::Done;
                            return Poll::Ready(Some(Err(Error::Decode {
                                source: serde::de::Error::custom(format!(
                                    "search_read returned ids that do not increase (last id \
                                     {last} after {}): is `id` among the decoded fields?",
                                    this.last_id
                                )),
                                call: CallInfo::new(
                                    this.session.client().object_display(),
                                    Some(&this.model),
                                    "search_read",
                                ),
                            })));
                        }
                        _ => State::Done,
                    };
                    this.buffer = page.into_iter();
                }
                State::Done => return Poll::Ready(None),
            }
        }
    }
}
