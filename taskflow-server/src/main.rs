//! `taskflow-server`: the embedded TaskFlow-compatible server as a standalone program.
//!
//! ```text
//! taskflow-server [--listen 127.0.0.1:8069] [--db NAME] [--odoo-17 | --odoo-19]
//!                 [--db-maxconn 64] [--hold-ms 0] [--access-log]
//! ```

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use taskflow_server::{DEFAULT_DB, Mode, TestServer};

/// The standalone server allocates a record, its strings and its index entries per imported row:
/// mimalloc handles that churn markedly faster than the system allocator (see the throughput bench).
/// Built without its transparent-huge-page advice (`no_thp`): with it, every page mimalloc
/// extends faults in a 2 MiB huge page to zero, which took half the server's CPU in a bulk `load`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = concat!(
    "usage: taskflow-server [--listen ADDR:PORT] [--db NAME] [--odoo-17 | --odoo-19]\n",
    "                       [--db-maxconn N] [--hold-ms MS] [--access-log]\n",
    "  --listen      address to bind (default 127.0.0.1:8069)\n",
    "  --db          database name (default demo.taskflow.co.za)\n",
    "  --odoo-17     answer like the recorded Odoo 17 server\n",
    "  --odoo-19     answer like the recorded Odoo 19 server (no name_get, JSON-2\n",
    "                at /json/2); with --odoo-17 too, admin's and demo's API keys\n",
    "                are printed at start-up\n",
    "  --db-maxconn  database connections (default 64); a call takes two, and one\n",
    "                that finds none free is refused like on a real server\n",
    "  --hold-ms     keep each of a call's connections that long (default 0), so\n",
    "                that concurrent calls overlap\n",
    "  --access-log  print `METHOD PATH STATUS` to stderr for every request",
);

fn main() -> ExitCode {
    let mut listen: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 8069));
    let mut db = DEFAULT_DB.to_owned();
    let mut builder = TestServer::builder();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => match args.next().map(|a| a.parse()) {
                Some(Ok(addr)) => listen = addr,
                _ => {
                    eprintln!("--listen needs an address like 127.0.0.1:8069\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--db" => match args.next() {
                Some(name) => db = name,
                None => {
                    eprintln!("--db needs a name\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--db-maxconn" => match args.next().map(|a| a.parse()) {
                Some(Ok(n)) => builder = builder.db_maxconn(n),
                _ => {
                    eprintln!("--db-maxconn needs a number of connections like 64\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--hold-ms" => match args.next().map(|a| a.parse()) {
                Some(Ok(ms)) => builder = builder.hold(Duration::from_millis(ms)),
                _ => {
                    eprintln!("--hold-ms needs a number of milliseconds like 200\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--access-log" => builder = builder.access_log(true),
            "--odoo-17" => builder = builder.mode(Mode::Odoo17),
            "--odoo-19" => builder = builder.mode(Mode::Odoo19),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument {other:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("taskflow-server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let server = match builder.database(db).listen(listen).start().await {
            Ok(server) => server,
            Err(e) => {
                eprintln!("taskflow-server: cannot listen on {listen}: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!(
            "taskflow-server listening on {} (database {:?}; users admin/admin, demo/demo)",
            server.url(),
            server.db()
        );
        // The API keys (17 and 19 modes), one line per user, for scripts to pick up with
        // `sed -n 's/^taskflow-server api key demo: //p'`.
        for user in [server.admin(), server.demo()] {
            if let Some(key) = &user.api_key {
                println!("taskflow-server api key {}: {key}", user.login);
            }
        }
        // Keep serving until the process is stopped.
        std::future::pending::<()>().await;
        ExitCode::SUCCESS
    })
}
