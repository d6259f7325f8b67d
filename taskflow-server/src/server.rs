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

/// A login and password of a seeded user, with the uid `authenticate` answers for them and,
/// in the modes that have them ([`Mode::has_api_keys`]), the user's API key.
///
/// The password and the key are secrets, so `Debug` shows they are there without printing them.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Credentials {
    /// The login (`admin`, `demo`).
    pub login: String,
    /// The password.
    pub password: String,
    /// The user id.
    pub uid: i64,
    /// The user's API key: the bearer token of `/json/2/...` (Odoo 19), and a password that
    /// XML-RPC and JSON-RPC accept too. `None` in TaskFlow (9.0) mode, which had no keys.
    pub api_key: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("login", &self.login)
            .field("password", &"<redacted>")
            .field("uid", &self.uid)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// The API keys of `admin` and `demo`.
#[derive(Clone, PartialEq, Eq)]
struct ApiKeys {
    admin: String,
    demo: String,
}

impl std::fmt::Debug for ApiKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKeys(<redacted>)")
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
    api_keys: Option<ApiKeys>,
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
            api_keys: None,
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

    /// Gives `admin` and `demo` these API keys instead of random ones (in the modes with keys,
    /// [`Mode::has_api_keys`]; TaskFlow mode has none and ignores them).
    ///
    /// By default every server draws new keys, 40 hex digits like Odoo's, so a key never works
    /// on another server; fixed keys suit a standalone server that scripts call.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use taskflow_server::{Mode, TestServer};
    ///
    /// let server = TestServer::builder()
    ///     .mode(Mode::Odoo19)
    ///     .api_keys("admin-key", "demo-key")
    ///     .start()
    ///     .await?;
    /// assert_eq!(server.demo().api_key.as_deref(), Some("demo-key"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn api_keys(mut self, admin: impl Into<String>, demo: impl Into<String>) -> Self {
        self.api_keys = Some(ApiKeys {
            admin: admin.into(),
            demo: demo.into(),
        });
        self
    }

    /// Seeds the database, binds the address and starts serving on the current tokio runtime.
    pub async fn start(self) -> io::Result<TestServer> {
        let mut db = Database::new(&self.db, Registry::builtin());
        let demo_uid = self.mode.demo_uid();
        seed::seed_with(&mut db, demo_uid);
        let api_keys = self.mode.has_api_keys().then(|| {
            self.api_keys.clone().unwrap_or_else(|| ApiKeys {
                admin: crate::session::new_id(),
                demo: crate::session::new_id(),
            })
        });
        if let Some(keys) = &api_keys {
            db.api_keys.insert(keys.admin.clone(), seed::ADMIN_UID);
            db.api_keys.insert(keys.demo.clone(), demo_uid);
        }
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
            mode: self.mode,
            api_keys,
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
    mode: Mode,
    api_keys: Option<ApiKeys>,
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

    /// The server version this server imitates ([`ServerBuilder::mode`]).
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The administrator: `admin`/`admin`, uid 2, every access right, and an API key in the
    /// modes that have them.
    pub fn admin(&self) -> Credentials {
        Credentials {
            login: "admin".into(),
            password: "admin".into(),
            uid: seed::ADMIN_UID,
            api_key: self.api_keys.as_ref().map(|k| k.admin.clone()),
        }
    }

    /// The demo user: `demo`/`demo`, a salesman (may not modify `crm.stage`), uid 6 (5 in
    /// Odoo 19 mode, [`Mode::demo_uid`]), and an API key in the modes that have them.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use taskflow_server::{Mode, TestServer};
    ///
    /// let server = TestServer::builder().mode(Mode::Odoo19).start().await?;
    /// let demo = server.demo();
    /// assert_eq!(demo.uid, 5);
    /// let key = demo.api_key.expect("19 has API keys");
    /// assert_eq!(key.len(), 40);
    /// assert!(!format!("{:?}", server.demo()).contains(&key), "Debug hides the key");
    /// # Ok(())
    /// # }
    /// ```
    pub fn demo(&self) -> Credentials {
        Credentials {
            login: "demo".into(),
            password: "demo".into(),
            uid: self.mode.demo_uid(),
            api_key: self.api_keys.as_ref().map(|k| k.demo.clone()),
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
