//! The embeddable server: [`TestServer`] binds a loopback port, serves until dropped, and tells
//! tests where it is and how to log in.

use crate::traffic::{RequestCounts, Traffic};
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use crate::http::Handler;
use crate::mode::Mode;
use crate::pool::{DEFAULT_MAXCONN, Pool};
use crate::rpc;
use crate::schema::Registry;
use crate::seed;
use crate::store::Database;

/// The database name of the TaskFlow document (`demo.taskflow.co.za`), used unless told otherwise.
pub const DEFAULT_DB: &str = "demo.taskflow.co.za";

/// A login and password of a seeded user, with the uid `authenticate` answers for them.
///
/// The password is a well-known demo secret, so `Debug` shows it is there without printing it.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The login (`admin`, `demo`).
    pub login: String,
    /// The password.
    pub password: String,
    /// The user id.
    pub uid: i64,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("login", &self.login)
            .field("password", &"<redacted>")
            .field("uid", &self.uid)
            .finish()
    }
}

/// Options of a server: database name, the version it imitates, address, connection pool size
/// and hold.
#[derive(Clone, Debug)]
#[must_use]
pub struct ServerBuilder {
    db: String,
    mode: Mode,
    listen: SocketAddr,
    db_maxconn: usize,
    hold: Duration,
    access_log: bool,
}

impl Default for ServerBuilder {
    fn default() -> Self {
        ServerBuilder {
            db: DEFAULT_DB.to_owned(),
            mode: Mode::default(),
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            db_maxconn: DEFAULT_MAXCONN,
            hold: Duration::ZERO,
            access_log: false,
        }
    }
}

impl ServerBuilder {
    /// Names the database (default [`DEFAULT_DB`]).
    pub fn database(mut self, name: impl Into<String>) -> Self {
        self.db = name.into();
        self
    }

    /// Answers as the server version `mode` imitates (default [`Mode::TaskFlow`]): its
    /// `version()`, its methods (`name_get` is gone in 19) and its fault texts.
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Listens on `addr` instead of an ephemeral loopback port.
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Sizes the database connection pool (default 64, a real server's `db_maxconn`).
    ///
    /// Every call takes two connections: the HTTP layer borrows one for the whole request, the
    /// method another while it runs. A borrow the pool cannot serve fails at once, before the
    /// method runs, as on a real server: in the HTTP layer it is HTTP 500 with the server's
    /// HTML error page (transcript 134), for the method it is fault 1 whose traceback ends with
    /// `psycopg2.pool.PoolError: The Connection Pool Is Full` (transcript 133). So at most
    /// `n / 2` calls run at once; `db_maxconn(1)` answers every call with that fault and
    /// `db_maxconn(0)` every call with the 500 page.
    pub fn db_maxconn(mut self, n: usize) -> Self {
        self.db_maxconn = n;
        self
    }

    /// Makes every call keep its connections for `hold` at each stage, so that calls overlap
    /// and a burst fills the pool like on a real server (default: no hold).
    ///
    /// A call borrows the HTTP layer's connection as soon as its request is read and keeps it
    /// for `hold`; then its method borrows a second connection and keeps it for `hold` before
    /// running; both go back when the answer is produced. So a call holds one connection for
    /// `hold`, then two for `hold` more, and is in flight (see [`TestServer::peak_in_flight`])
    /// for at least twice `hold`. The waits are timers on the runtime: they occupy no thread
    /// and no database lock.
    ///
    /// Without a hold, a call borrows both connections when a thread starts running it, and
    /// gives them back when it is done: only calls running at the same instant overlap.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use std::time::Duration;
    ///
    /// // Room for 8 calls at once, each in flight for at least 200 ms.
    /// let server = taskflow_server::TestServer::builder()
    ///     .db_maxconn(16)
    ///     .hold(Duration::from_millis(100))
    ///     .start()
    ///     .await?;
    /// assert_eq!(server.db_maxconn(), 16);
    /// assert_eq!(server.peak_in_flight(), 0, "no call yet");
    /// # Ok(())
    /// # }
    /// ```
    pub fn hold(mut self, hold: Duration) -> Self {
        self.hold = hold;
        self
    }

    /// Print one line per request to stderr, `POST /jsonrpc 200` (off by default): the
    /// standalone server's `--access-log`, which CI reads to see which protocol its runs spoke.
    pub fn access_log(mut self, enabled: bool) -> Self {
        self.access_log = enabled;
        self
    }

    /// Seeds the database, binds the address and starts serving on the current tokio runtime.
    pub async fn start(self) -> io::Result<TestServer> {
        let mut db = Database::new(&self.db, Registry::builtin());
        seed::seed(&mut db);
        let pool = Arc::new(Pool::new(self.db_maxconn));
        let traffic = Arc::new(Traffic::default());
        let handler = Arc::new(Handler {
            shared: rpc::shared(db, self.mode),
            pool: pool.clone(),
            hold: self.hold,
            sessions: Default::default(),
            traffic: traffic.clone(),
            access_log: self.access_log,
        });
        let listener = TcpListener::bind(self.listen).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(serve(listener, handler, stopped));
        Ok(TestServer {
            addr,
            db: self.db,
            pool,
            traffic,
            stop: Some(stop),
            task,
        })
    }
}

/// Accepts connections until told to stop; connections live in a `JoinSet`, so stopping the
/// server (or dropping it) ends them too.
async fn serve(listener: TcpListener, handler: Arc<Handler>, mut stopped: oneshot::Receiver<()>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        // Out of file descriptors and the like: back off instead of spinning.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let handler = handler.clone();
                connections.spawn(async move {
                    let service = service_fn(move |request| crate::http::handle(handler.clone(), request));
                    // One request per connection, like the real server (Werkzeug's, whose
                    // answers all say `Connection: close`).
                    let _ = http1::Builder::new()
                        .keep_alive(false)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// A running server on a loopback port; it stops when dropped.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let server = taskflow_server::TestServer::start().await?;
/// assert!(server.url().starts_with("http://127.0.0.1:"));
/// assert_eq!(server.db(), "demo.taskflow.co.za");
/// assert_eq!(server.demo().login, "demo");
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct TestServer {
    addr: SocketAddr,
    db: String,
    pool: Arc<Pool>,
    traffic: Arc<Traffic>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl TestServer {
    /// Starts a server with the default options on an ephemeral port of 127.0.0.1.
    pub async fn start() -> io::Result<TestServer> {
        ServerBuilder::default().start().await
    }

    /// Options for a server: `TestServer::builder().mode(Mode::Odoo19).start().await`.
    pub fn builder() -> ServerBuilder {
        ServerBuilder::default()
    }

    /// The base URL, `http://127.0.0.1:PORT`; endpoints are `{url}/xmlrpc/2/common` and so on,
    /// `{url}/jsonrpc`, and the web client's `{url}/web/...` routes.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The database name to pass to `authenticate` and `execute_kw`.
    pub fn db(&self) -> &str {
        &self.db
    }

    /// The administrator: `admin`/`admin`, uid 2, every access right.
    pub fn admin(&self) -> Credentials {
        Credentials {
            login: "admin".into(),
            password: "admin".into(),
            uid: seed::ADMIN_UID,
        }
    }

    /// The demo user: `demo`/`demo`, uid 6, a salesman (may not modify `crm.stage`).
    pub fn demo(&self) -> Credentials {
        Credentials {
            login: "demo".into(),
            password: "demo".into(),
            uid: seed::DEMO_UID,
        }
    }

    /// How many requests each front end (XML-RPC, JSON-RPC, the web routes) has received: how a
    /// test checks that its client spoke the protocol it was told to.
    pub fn requests(&self) -> RequestCounts {
        self.traffic.snapshot()
    }

    /// The size of the database connection pool ([`ServerBuilder::db_maxconn`]).
    pub fn db_maxconn(&self) -> usize {
        self.pool.size()
    }

    /// How many calls are in flight now: from the HTTP layer's borrow of a connection until the
    /// answer is produced. Calls refused with the HTTP 500 page never are.
    pub fn in_flight(&self) -> usize {
        self.pool.in_flight()
    }

    /// The most calls that were in flight at once since the server started or
    /// [`TestServer::reset_peak_in_flight`]: how far a test's calls really overlapped.
    pub fn peak_in_flight(&self) -> usize {
        self.pool.peak_in_flight()
    }

    /// Restarts [`TestServer::peak_in_flight`] from the calls in flight now, to measure the
    /// next part of a test on its own.
    pub fn reset_peak_in_flight(&self) {
        self.pool.reset_peak_in_flight();
    }

    /// Stops accepting connections and ends the open ones.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.abort();
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.halt();
    }
}
