//! Where a command connects, as whom, and with which password.
//!
//! The password never comes from the command line, where `ps` and shell history would show it:
//! `--password-stdin`, then `TASKFLOW_PASSWORD`, then a prompt that does not echo (on a
//! terminal only, so a script without a password fails at once instead of hanging). Over JSON-2
//! (`--transport json2`) the secret is an API key: `--password-stdin`, then `TASKFLOW_API_KEY`,
//! then the prompt; the login is not needed there.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, Result, bail};
use taskflow_sdk::{Client, Protocol, Secret, ServerVersion, Session};

use crate::cli::ConnectionArgs;
use crate::output::Output;

/// Whether a command may use the embedded demo server when no server is named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    /// `models`, `fields` and `generate`: the demo server is a fine thing to look at.
    Embedded,
    /// `schema pull` and `check`: a snapshot of the demo server is not your server's schema.
    Refused(&'static str),
}

/// An authenticated session, and the server it talks to.
pub struct Connection {
    /// The session.
    pub session: Session,
    /// What `version()` answered.
    pub version: ServerVersion,
    /// The embedded server, kept running as long as the connection.
    #[cfg(feature = "embedded")]
    _embedded: Option<taskflow_server::TestServer>,
}

/// Resolves the target, prints it to stderr, and authenticates.
pub async fn connect(
    args: &ConnectionArgs,
    fallback: Fallback,
    out: &Output,
) -> Result<Connection> {
    let Some(url) = args.url.as_deref() else {
        return match fallback {
            Fallback::Refused(command) => bail!(
                "`taskflow {command}` needs a server: pass --url (or set TASKFLOW_URL), with --db \
                 and --user (TASKFLOW_DB, TASKFLOW_USER); the embedded demo server's schema is not \
                 your server's"
            ),
            Fallback::Embedded => embedded(args, out).await,
        };
    };
    let db = args.db.as_deref().context(
        "no database: pass --db or set TASKFLOW_DB (the database name, as on the login page)",
    )?;
    // JSON-2 signs in with the key alone; auto may land there.
    let keyed = matches!(args.transport, Protocol::Json2 | Protocol::Auto);
    let login = match args.user.as_deref() {
        Some(login) => login,
        None if keyed => "",
        None => bail!("no user: pass --user or set TASKFLOW_USER (the login)"),
    };
    out.target(url, db, login, args.transport, None);
    let password = password(args, login, None)?;
    let builder = Client::builder()
        .url(url)
        .allow_insecure_http(args.allow_insecure_http);
    let client = client(builder, args.transport, &password)
        .await
        .map_err(|e| explain(e, url))?;
    if login.is_empty() && client.protocol() != Protocol::Json2 {
        bail!(
            "no user: the server speaks {}, where an API key needs the login: pass --user or set \
             TASKFLOW_USER",
            client.protocol()
        );
    }
    // Signing in first: a client that may not send the credentials fails before any request.
    let session = client
        .authenticate(db, login, password.expose())
        .await
        .map_err(|e| explain(e, url))?;
    let version = client.version().await.map_err(|e| explain(e, url))?;
    Ok(Connection {
        session,
        version,
        #[cfg(feature = "embedded")]
        _embedded: None,
    })
}

#[cfg(feature = "embedded")]
async fn embedded(args: &ConnectionArgs, out: &Output) -> Result<Connection> {
    // JSON-2 exists from version 19 on: the embedded server answers as one then.
    let mode = match args.transport {
        Protocol::Json2 | Protocol::Auto => taskflow_server::Mode::Odoo19,
        _ => taskflow_server::Mode::TaskFlow,
    };
    let server = taskflow_server::TestServer::builder()
        .mode(mode)
        .start()
        .await
        .context("cannot start the embedded demo server")?;
    let url = server.url();
    let db = args.db.clone().unwrap_or_else(|| server.db().to_owned());
    let login = args.user.clone().unwrap_or_else(|| server.admin().login);
    // The demo users' passwords and keys are public (the server's docs): ask only for other
    // logins.
    let known = [server.admin(), server.demo()]
        .into_iter()
        .find(|c| c.login == login)
        .map(|c| match (args.transport, c.api_key) {
            (Protocol::Json2 | Protocol::Auto, Some(key)) => Secret::new(key),
            _ => Secret::new(c.password),
        });
    out.target(
        &url,
        &db,
        &login,
        args.transport,
        Some("the embedded demo server: no --url or TASKFLOW_URL"),
    );
    let password = password(args, &login, known)?;
    let client = client(
        Client::builder().url(&url).no_proxy(),
        args.transport,
        &password,
    )
    .await
    .map_err(|e| explain(e, &url))?;
    let session = client
        .authenticate(&db, &login, password.expose())
        .await
        .map_err(|e| explain(e, &url))?;
    let version = client.version().await.map_err(|e| explain(e, &url))?;
    Ok(Connection {
        session,
        version,
        _embedded: Some(server),
    })
}

#[cfg(not(feature = "embedded"))]
async fn embedded(_: &ConnectionArgs, _: &Output) -> Result<Connection> {
    bail!(
        "no server: pass --url (or set TASKFLOW_URL), with --db and --user; this taskflow was \
         built without the embedded demo server (cargo feature `embedded`)"
    )
}

/// A client of `builder`'s server over `transport`: with the key on JSON-2, and with
/// [`Protocol::Auto`] resolved by asking the server.
async fn client(
    builder: taskflow_sdk::ClientBuilder,
    transport: Protocol,
    secret: &Secret,
) -> taskflow_sdk::Result<Client> {
    match transport {
        Protocol::Json2 => builder.json2(secret.clone()).build(),
        Protocol::Auto => {
            builder
                .protocol(transport)
                .api_key(secret.clone())
                .connect()
                .await
        }
        _ => builder.protocol(transport).build(),
    }
}

/// The password (or over JSON-2 the API key): `--password-stdin`, `TASKFLOW_PASSWORD`
/// (`TASKFLOW_API_KEY` first on JSON-2), a known demo secret, or a prompt.
fn password(args: &ConnectionArgs, login: &str, known: Option<Secret>) -> Result<Secret> {
    let keyed = matches!(args.transport, Protocol::Json2 | Protocol::Auto);
    if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input (--password-stdin)")?;
        let line = line.strip_suffix('\n').unwrap_or(&line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            bail!(
                "--password-stdin read an empty line: pipe the password in, e.g. `taskflow --password-stdin ... < password-file`"
            );
        }
        return Ok(Secret::new(line));
    }
    if keyed {
        if let Ok(key) = std::env::var("TASKFLOW_API_KEY") {
            return Ok(Secret::new(key));
        }
    }
    if let Ok(password) = std::env::var("TASKFLOW_PASSWORD") {
        return Ok(Secret::new(password));
    }
    if let Ok(key) = std::env::var("TASKFLOW_API_KEY") {
        return Ok(Secret::new(key));
    }
    if let Some(known) = known {
        return Ok(known);
    }
    let (what, variable) = if keyed {
        ("API key", "TASKFLOW_API_KEY")
    } else {
        ("password", "TASKFLOW_PASSWORD")
    };
    let whose = if login.is_empty() { "the user" } else { login };
    if !std::io::stdin().is_terminal() {
        bail!(
            "no {what} for {whose}: set {variable}, or pipe it in with --password-stdin \
             (standard input is not a terminal, so there is no prompt)"
        );
    }
    let password = rpassword::prompt_password(format!("{what} for {whose}: "))
        .context("cannot read the password from the terminal")?;
    Ok(Secret::new(password))
}

/// An SDK error, with what to do about the common ones.
fn explain(error: taskflow_sdk::Error, url: &str) -> anyhow::Error {
    let hint = if error.is_login_refused() {
        Some(
            "the server refused the login: check --db and --user (TASKFLOW_DB, TASKFLOW_USER) and the password (the API key over json2)",
        )
    } else if error.kind() == taskflow_sdk::ErrorKind::Insecure {
        Some(
            "the URL is plain http:// to a remote host: use https://, or pass --allow-insecure-http (TASKFLOW_ALLOW_INSECURE_HTTP=1) on a network you trust",
        )
    } else if error.is_connect() || error.is_timeout() {
        Some("the server did not answer: check --url (TASKFLOW_URL) and that the server is running")
    } else {
        None
    };
    let error = anyhow::Error::new(error).context(format!("cannot connect to {url}"));
    match hint {
        Some(hint) => error.context(hint),
        None => error,
    }
}
