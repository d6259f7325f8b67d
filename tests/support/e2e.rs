//! The server the end-to-end tests run against, who they sign in as, and the unique names that
//! keep their records apart from everything else on it (issue 12).
//!
//! Like sqlx's tests with `DATABASE_URL`, they run against the server `TASKFLOW_URL`,
//! `TASKFLOW_DB`, `TASKFLOW_USER` and `TASKFLOW_PASSWORD` name (read by
//! [`taskflow_workspace::Target`]); the user is a salesperson. `TASKFLOW_ADMIN_LOGIN` and
//! `TASKFLOW_ADMIN_PASSWORD` name an administrator for what a salesperson may not do, cleanup
//! included. Without `TASKFLOW_URL`, one embedded server per test binary stands in, with its `demo`
//! user as the user and its `admin` as the administrator.
//!
//! Every record a test creates carries its trial's prefix ([`E2e::name`], [`E2e::xid`]); after the
//! trial, the administrator deletes what carries it.

use std::collections::hash_map::RandomState;
use std::env;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use taskflow_sdk::{Client, Kwargs, Protocol, Secret, Session};
use taskflow_server::TestServer;
use taskflow_workspace::{BoxError, Target};

/// A login and its password.
#[derive(Clone, Debug)]
pub struct Login {
    /// The login.
    pub login: String,
    /// The password (its `Debug` hides it).
    pub password: Secret,
}

impl Login {
    /// Signs in to `target` with this login, over its protocol.
    async fn sign_in(&self, target: &Target) -> taskflow_sdk::Result<Session> {
        target
            .client()?
            .authenticate(&target.db, &self.login, self.password.expose())
            .await
    }
}

/// The administrator `TASKFLOW_ADMIN_LOGIN` and `TASKFLOW_ADMIN_PASSWORD` name, if any; over
/// JSON-2 (`TASKFLOW_TRANSPORT=json2`), `TASKFLOW_ADMIN_API_KEY` holds the secret if set.
pub fn admin_from_env() -> Result<Option<Login>, BoxError> {
    let login = env::var("TASKFLOW_ADMIN_LOGIN")
        .ok()
        .filter(|l| !l.trim().is_empty());
    // `auto` may land on JSON-2; on JSON-RPC a key is a password too.
    let json2 = matches!(
        taskflow_workspace::protocol_from_env()?,
        Protocol::Json2 | Protocol::Auto
    );
    let secret = match env::var("TASKFLOW_ADMIN_API_KEY") {
        Ok(key) if json2 => Ok(key),
        _ => env::var("TASKFLOW_ADMIN_PASSWORD"),
    };
    match (login, secret) {
        (Some(login), Ok(password)) => Ok(Some(Login {
            login,
            password: Secret::new(password),
        })),
        (Some(_), Err(_)) => {
            Err("TASKFLOW_ADMIN_LOGIN is set but TASKFLOW_ADMIN_PASSWORD is not: set both".into())
        }
        (None, _) => Ok(None),
    }
}

/// What the trials of one test binary share: the target, its administrator, the run's token.
pub struct Run {
    target: Target,
    admin: Option<Login>,
    token: String,
}

impl Run {
    /// The target the environment names (or a fresh embedded server), after checking that its
    /// user and administrator can sign in, so that a wrong setting is one clear error instead of
    /// a failure per test.
    pub async fn start(admin: Option<Login>) -> Result<Run, BoxError> {
        let target = Target::from_env().await?;
        let admin = match &target.server {
            Some(server) => {
                let admin = server.admin();
                // Over JSON-2 the secret is the key.
                let password = match (target.protocol, admin.api_key) {
                    (Protocol::Json2, Some(key)) => key,
                    _ => admin.password,
                };
                Some(Login {
                    login: admin.login,
                    password: Secret::new(password),
                })
            }
            None => admin,
        };
        let user = Login {
            login: target.login.clone(),
            password: target.password.clone(),
        };
        let logins = [
            (Some(&user), "TASKFLOW_USER and TASKFLOW_PASSWORD"),
            (
                admin.as_ref(),
                "TASKFLOW_ADMIN_LOGIN and TASKFLOW_ADMIN_PASSWORD",
            ),
        ];
        for (login, settings) in logins {
            if let Some(login) = login {
                login.sign_in(&target).await.map_err(|e| {
                    format!("{}\n(the e2e tests sign in with {settings})", causes(&e))
                })?;
            }
        }
        Ok(Run {
            target,
            admin,
            token: token(),
        })
    }

    /// Where the tests run, for the report.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The administrator, if there is one.
    pub fn admin(&self) -> Option<&Login> {
        self.admin.as_ref()
    }

    /// The start of every record name this run creates.
    pub fn prefix(&self) -> String {
        format!("e2e-{}", self.token)
    }
}

/// Eight lowercase letters and digits, different for every run: the time mixed with the
/// process's random hash seed.
fn token() -> String {
    let mut hasher = RandomState::new().build_hasher();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    hasher.write_u128(now.as_nanos());
    hasher.write_u32(std::process::id());
    let mut n = hasher.finish();
    (0..8)
        .map(|_| {
            let digit = (n % 36) as u32;
            n /= 36;
            char::from_digit(digit, 36).expect("a base-36 digit")
        })
        .collect()
}

/// One trial's view of the target: where it is, who signs in, and the trial's unique names.
pub struct E2e {
    run: Arc<Run>,
    /// `e2e-<run>-<trial>`: starts every record name of the trial.
    prefix: String,
    /// `e2e_<run>_<trial>`: the same as an identifier, for external ids.
    token: String,
}

impl E2e {
    /// The view of trial number `trial` of `run`.
    pub fn new(run: Arc<Run>, trial: usize) -> E2e {
        let prefix = format!("{}-{trial}", run.prefix());
        let token = format!("e2e_{}_{trial}", run.token);
        E2e { run, prefix, token }
    }

    /// The server's base URL.
    pub fn url(&self) -> &str {
        &self.run.target.url
    }

    /// The database.
    pub fn db(&self) -> &str {
        &self.run.target.db
    }

    /// The user the tests run as: `TASKFLOW_USER`, or the embedded server's `demo`.
    pub fn user(&self) -> Login {
        Login {
            login: self.run.target.login.clone(),
            password: self.run.target.password.clone(),
        }
    }

    /// The administrator: `TASKFLOW_ADMIN_LOGIN`, or the embedded server's `admin`.
    ///
    /// # Panics
    /// Without one; a trial that calls this is marked `needs_admin()`, and skipped instead.
    pub fn admin(&self) -> &Login {
        self.run
            .admin
            .as_ref()
            .expect("this trial needs an admin: mark it needs_admin()")
    }

    /// The embedded server, when the tests run against it (`TASKFLOW_URL` unset).
    pub fn embedded(&self) -> Option<&TestServer> {
        self.run.target.server.as_ref()
    }

    /// A new client of the server, over the target's protocol (`TASKFLOW_TRANSPORT`).
    pub fn client(&self) -> Client {
        self.run.target.client().expect("client builds")
    }

    /// Signs in as the user.
    pub async fn session(&self) -> Session {
        let user = self.user();
        user.sign_in(&self.run.target)
            .await
            .unwrap_or_else(|e| panic!("{} signs in: {}", user.login, causes(&e)))
    }

    /// Signs in as the administrator (see [`E2e::admin`]).
    pub async fn admin_session(&self) -> Session {
        let admin = self.admin();
        admin
            .sign_in(&self.run.target)
            .await
            .unwrap_or_else(|e| panic!("{} signs in: {}", admin.login, causes(&e)))
    }

    /// The start of every record name of this trial, without `_` or `%`, so that it means itself
    /// in `=like` patterns.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// A record name unique to this trial: `<prefix> <label>`.
    pub fn name(&self, label: &str) -> String {
        format!("{} {label}", self.prefix)
    }

    /// An identifier unique to this trial (`e2e_<run>_<trial>`), to build external ids and
    /// module names from.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// An external id unique to this trial, in the `__import__` module a bare id goes to:
    /// `__import__.<token>_<name>`.
    pub fn xid(&self, name: &str) -> String {
        format!("__import__.{}_{name}", self.token)
    }

    /// Deletes, as the administrator, the leads, tags and partners whose name starts with the
    /// trial's prefix, archived ones too; with them go their external ids. Does nothing
    /// without an administrator.
    pub async fn clean_up(&self) -> taskflow_sdk::Result<()> {
        let Some(admin) = &self.run.admin else {
            return Ok(());
        };
        let admin = admin
            .sign_in(&self.run.target)
            .await?
            .with_context("active_test", false);
        // Leads first: they point at tags and partners.
        for model in ["crm.lead", "crm.tag", "res.partner"] {
            let ids: Vec<i64> = admin
                .execute_kw(
                    model,
                    "search",
                    ([("name", "=like", format!("{} %", self.prefix))],),
                    Kwargs::new(),
                )
                .await?;
            if !ids.is_empty() {
                let _: bool = admin
                    .execute_kw(model, "unlink", (ids,), Kwargs::new())
                    .await?;
            }
        }
        Ok(())
    }
}

/// An error and its causes on one line: each layer prints only itself.
pub fn causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
