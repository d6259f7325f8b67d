//! The end-to-end tests' harness (issue 12): their `main`, on libtest-mimic.
//!
//! Each test is an `async fn(&E2e)` registered on a [`Suite`] with what it needs. A test that
//! cannot apply to the target (it needs the embedded server while `TASKFLOW_URL` is set, or an
//! administrator there is none of) is decided when the list is built: marked ignored, so that
//! the summary counts it as such and never as a pass, and its reason printed. Each trial runs on
//! a runtime of the flavor its `#[tokio::test]` had; afterwards the administrator deletes what it
//! created, whether it passed or not.
//!
//! ```ignore
//! fn main() -> ExitCode {
//!     let mut suite = Suite::new();
//!     suite.test("round_trip", round_trip).needs_admin();
//!     suite.test("odoo_19", odoo_19).needs_embedded("Mode::Odoo19");
//!     suite.run()
//! }
//! ```

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::process::ExitCode;
use std::sync::{Arc, PoisonError, RwLock};

use libtest_mimic::{Arguments, Completion, Failed, FormatSetting, Trial};
use taskflow_sdk::Protocol;
use taskflow_server::{Endpoint, RequestCounts};
use tokio::runtime::Runtime;

use super::e2e::{E2e, Login, Run, admin_from_env};

/// A test body, erased: runs on the given runtime against the given target.
type Body = Box<dyn FnOnce(&Runtime, &E2e) + Send>;

/// The tests of one binary.
#[derive(Default)]
pub struct Suite {
    cases: Vec<Case>,
}

/// One registered test and what it needs.
pub struct Case {
    name: &'static str,
    body: Body,
    admin: bool,
    embedded: Option<&'static str>,
    multi_thread: bool,
    exclusive: bool,
}

impl Case {
    /// Signs in as the administrator too: skipped when there is none.
    pub fn needs_admin(&mut self) -> &mut Case {
        self.admin = true;
        self
    }

    /// Needs the embedded server, for `why` (a special mode, pool settings, seeded ids, a count
    /// of what the server saw): skipped when `TASKFLOW_URL` is set.
    pub fn needs_embedded(&mut self, why: &'static str) -> &mut Case {
        self.embedded = Some(why);
        self
    }

    /// Runs on a multi-threaded runtime with two workers, as
    /// `#[tokio::test(flavor = "multi_thread", worker_threads = 2)]` did; otherwise on a
    /// current-thread runtime of its own, as `#[tokio::test]`.
    pub fn multi_thread(&mut self) -> &mut Case {
        self.multi_thread = true;
        self
    }

    /// Runs while no other trial of the binary does: for a test whose assertions cover records
    /// beyond its own (a whole table), which the others' records would change under it.
    pub fn exclusive(&mut self) -> &mut Case {
        self.exclusive = true;
        self
    }

    /// Why the test cannot apply to this target, if it cannot.
    fn skip_reason(&self, configured: bool, admin: bool) -> Option<String> {
        match self.embedded {
            Some(why) if configured => {
                return Some(format!(
                    "needs the embedded server ({why}): TASKFLOW_URL is set"
                ));
            }
            _ => {}
        }
        (self.admin && !admin).then(|| {
            "needs an admin: set TASKFLOW_ADMIN_LOGIN and TASKFLOW_ADMIN_PASSWORD".to_owned()
        })
    }

    fn runtime(&self) -> Runtime {
        let mut builder = if self.multi_thread {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            builder.worker_threads(2);
            builder
        } else {
            tokio::runtime::Builder::new_current_thread()
        };
        builder.enable_all().build().expect("a test runtime starts")
    }
}

impl Suite {
    /// An empty suite.
    pub fn new() -> Suite {
        Suite::default()
    }

    /// Registers `body` as the test `name`: it runs as the user, on a current-thread runtime,
    /// alongside the others, unless the returned [`Case`] says otherwise.
    pub fn test<F>(&mut self, name: &'static str, body: F) -> &mut Case
    where
        F: AsyncFnOnce(&E2e) + Send + 'static,
    {
        self.cases.push(Case {
            name,
            body: Box::new(move |runtime, e2e| runtime.block_on(body(e2e))),
            admin: false,
            embedded: None,
            multi_thread: false,
            exclusive: false,
        });
        self.cases.last_mut().expect("just pushed")
    }

    /// Reads the arguments and the environment, reaches the target, runs the tests and returns
    /// the exit code: 101 when a test failed, as libtest.
    pub fn run(self) -> ExitCode {
        let args = Arguments::from_args();
        let configured = taskflow_workspace::url_from_env().is_some();
        let env_admin = match admin_from_env() {
            Ok(admin) => admin,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        let has_admin = !configured || env_admin.is_some();
        let skips: Vec<Option<String>> = self
            .cases
            .iter()
            .map(|case| case.skip_reason(configured, has_admin))
            .collect();
        if args.list {
            let trials = self
                .cases
                .iter()
                .zip(&skips)
                .map(|(case, skip)| {
                    Trial::test(case.name, || Ok(())).with_ignored_flag(skip.is_some())
                })
                .collect();
            return libtest_mimic::run(&args, trials).exit_code();
        }

        // Notes go where libtest's output does, except around JSON, which they would break.
        let json = matches!(args.format, Some(FormatSetting::Json));
        let note = |line: String| {
            if json {
                eprintln!("{line}");
            } else {
                println!("{line}");
            }
        };

        // The embedded server, and cleanup, live on this runtime for the whole run.
        let shared = Arc::new(
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("the shared runtime starts"),
        );
        let run = match shared.block_on(Run::start(if configured { env_admin } else { None })) {
            Ok(run) => Arc::new(run),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        note(format!("e2e target: {}", run.target()));
        note(match run.admin() {
            Some(Login { login, .. }) => format!(
                "e2e admin: {login}; records named \"{}-*\" are deleted after each test",
                run.prefix()
            ),
            None => format!(
                "e2e admin: none: tests that need one are skipped, and records named \"{}-*\" stay \
                 on the server",
                run.prefix()
            ),
        });

        // Trials take this lock to read, exclusive ones to write.
        let lock = Arc::new(RwLock::new(()));
        let mut trials = Vec::with_capacity(self.cases.len());
        for (index, (case, skip)) in self.cases.into_iter().zip(skips).enumerate() {
            let name = case.name;
            let trial = match skip {
                Some(reason) => {
                    // Run anyway (`--include-ignored`), it is ignored all the same.
                    let runner_reason = reason.clone();
                    let trial = Trial::ignorable_test(name, move || {
                        Ok(Completion::ignored_with(runner_reason))
                    })
                    .with_ignored_flag(true);
                    if !args.is_filtered_out(&trial) {
                        note(format!("skipped: {name}: {reason}"));
                    }
                    trial
                }
                None => {
                    let (run, shared, lock) = (run.clone(), shared.clone(), lock.clone());
                    Trial::ignorable_test(name, move || {
                        run_trial(case, E2e::new(run, index), &shared, &lock)
                    })
                }
            };
            trials.push(trial);
        }
        let conclusion = libtest_mimic::run(&args, trials);
        if let Some(server) = &run.target().server {
            let (protocol, seen) = (run.target().protocol, server.requests());
            if let Err(e) = spoke_only(protocol, seen) {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
            note(format!(
                "e2e protocol: {protocol}; the embedded server saw {seen}"
            ));
        }
        conclusion.exit_code()
    }
}

/// Checks that every request the embedded server saw came over `protocol`: a client that fell
/// back to another one would pass every test and prove nothing about the protocol asked for.
fn spoke_only(protocol: Protocol, seen: RequestCounts) -> Result<(), String> {
    let asked = match protocol {
        Protocol::JsonRpc => Endpoint::JsonRpc,
        Protocol::Json2 => Endpoint::Json2,
        _ => Endpoint::XmlRpc,
    };
    // `auto` asks `GET /web/version` before it settles on a protocol.
    let probed = taskflow_workspace::protocol_from_env().ok() == Some(Protocol::Auto);
    let others: u64 = [
        Endpoint::XmlRpc,
        Endpoint::JsonRpc,
        Endpoint::Web,
        Endpoint::Json2,
        Endpoint::Other,
    ]
    .into_iter()
    .filter(|e| *e != asked && !(probed && *e == Endpoint::Web))
    .map(|e| seen.get(e))
    .sum();
    if seen.get(asked) == 0 || others > 0 {
        return Err(format!(
            "TASKFLOW_TRANSPORT={protocol}, but the embedded server saw {seen}: a test or \
             helper builds its client without the target's protocol"
        ));
    }
    Ok(())
}

/// Runs one test, then deletes what it created; a panic fails the trial after the cleanup.
fn run_trial(
    case: Case,
    e2e: E2e,
    shared: &Runtime,
    lock: &RwLock<()>,
) -> Result<Completion, Failed> {
    // A trial that panicked while holding the lock poisoned it; the lock guards no data.
    let _read;
    let _write;
    if case.exclusive {
        _write = lock.write().unwrap_or_else(PoisonError::into_inner);
    } else {
        _read = lock.read().unwrap_or_else(PoisonError::into_inner);
    }
    let runtime = case.runtime();
    let body = case.body;
    let outcome = catch_unwind(AssertUnwindSafe(|| body(&runtime, &e2e)));
    drop(runtime);
    let cleaned = shared.block_on(e2e.clean_up());
    match (outcome, cleaned) {
        (Err(panic), cleaned) => {
            if let Err(e) = cleaned {
                eprintln!("cleanup of {}: {e}", e2e.prefix());
            }
            resume_unwind(panic)
        }
        (Ok(()), Err(e)) => Err(format!("cleanup of {}: {e}", e2e.prefix()).into()),
        (Ok(()), Ok(())) => Ok(Completion::Completed),
    }
}
