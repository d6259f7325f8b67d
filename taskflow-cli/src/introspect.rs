//! What a live server says about its models: the `ir.model` list (administrators only), the
//! user's read right, and `fields_get`, turned into snapshots.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::Deserialize;
use taskflow_schema::{FORMAT_VERSION, FieldSpec, PulledBy, Snapshot};
use taskflow_sdk::{FaultKind, Kwargs, Session};

use crate::connect::Connection;

/// One `ir.model` record.
#[derive(Clone, Debug, Deserialize)]
pub struct ModelInfo {
    /// The technical name (`crm.lead`).
    pub model: String,
    /// The description (`Lead/Opportunity`).
    pub name: String,
}

/// Why the model list is not available.
#[derive(Debug)]
pub struct NotAllowed(pub taskflow_sdk::Error);

/// Every model, sorted by technical name; `Err(NotAllowed)` when the user may not read
/// `ir.model` (only administrators may, 136-139 of the recordings).
pub async fn list_models(
    session: &Session,
) -> Result<std::result::Result<Vec<ModelInfo>, NotAllowed>> {
    let result: taskflow_sdk::Result<Vec<ModelInfo>> = session
        .execute_kw(
            "ir.model",
            "search_read",
            (Vec::<()>::new(),),
            Kwargs::new().fields(["model", "name"]).order("model"),
        )
        .await;
    match result {
        Ok(models) => Ok(Ok(models)),
        Err(e) if e.fault_kind() == Some(FaultKind::AccessError) => Ok(Err(NotAllowed(e))),
        Err(e) => Err(e).context("cannot list the models (ir.model search_read)"),
    }
}

/// Whether the user may read `model` (`check_access_rights`, which anyone may call).
pub async fn can_read(session: &Session, model: &str) -> Result<bool> {
    session
        .execute_kw(
            model,
            "check_access_rights",
            ("read",),
            Kwargs::new().insert("raise_exception", false),
        )
        .await
        .with_context(|| format!("cannot ask whether the user may read {model}"))
}

/// `fields_get` of `model`, with the attributes a snapshot keeps.
pub async fn fields(session: &Session, model: &str) -> Result<BTreeMap<String, FieldSpec>> {
    session
        .execute_kw(
            model,
            "fields_get",
            (),
            Kwargs::new().insert("attributes", FieldSpec::ATTRIBUTES),
        )
        .await
        .with_context(|| format!("cannot describe {model} (fields_get)"))
}

/// The snapshot of `model` as this connection's user sees it.
pub async fn snapshot(
    connection: &Connection,
    model: &str,
    description: Option<String>,
) -> Result<Snapshot> {
    let session = &connection.session;
    Ok(Snapshot {
        description,
        fields: fields(session, model).await?,
        format: FORMAT_VERSION,
        model: model.to_owned(),
        pulled_by: PulledBy {
            database: session.db().to_owned(),
            login: session.login().to_owned(),
            uid: session.uid(),
        },
        server_version: connection.version.server_version.clone(),
    })
}

/// What a live lookup of one model found.
pub enum Lookup {
    /// Its snapshot.
    Found(Snapshot),
    /// The server has no such model (`Object x doesn't exist`).
    Missing,
    /// The user may not read it.
    Refused,
}

/// The snapshot of `model`, or why there is none.
pub async fn lookup(
    connection: &Connection,
    model: &str,
    description: Option<String>,
) -> Result<Lookup> {
    let session = &connection.session;
    let readable: taskflow_sdk::Result<bool> = session
        .execute_kw(
            model,
            "check_access_rights",
            ("read",),
            Kwargs::new().insert("raise_exception", false),
        )
        .await;
    match readable {
        Ok(true) => Ok(Lookup::Found(
            snapshot(connection, model, description).await?,
        )),
        Ok(false) => Ok(Lookup::Refused),
        Err(e) if is_missing_model(&e) => Ok(Lookup::Missing),
        Err(e) => Err(e).with_context(|| format!("cannot ask whether the user may read {model}")),
    }
}

/// An unknown model's fault: code 2, `Object x doesn't exist` (072 of the recordings).
fn is_missing_model(error: &taskflow_sdk::Error) -> bool {
    error.fault().is_some_and(|f| {
        f.kind() == FaultKind::UserError
            && f.message().starts_with("Object ")
            && f.message().contains(" doesn't exist")
    })
}

/// The snapshots of the models named, or with `all` of every model the user may read (skipping
/// the others with a notice), with a progress bar on a terminal.
pub async fn pull(
    connection: &Connection,
    models: &[String],
    all: bool,
    out: &crate::output::Output,
) -> Result<Vec<Snapshot>> {
    let session = &connection.session;
    let listed = list_models(session).await?;
    let descriptions: BTreeMap<String, String> = match &listed {
        Ok(models) => models
            .iter()
            .map(|m| (m.model.clone(), m.name.clone()))
            .collect(),
        Err(_) => BTreeMap::new(),
    };
    let names: Vec<String> = if all {
        match listed {
            Ok(models) => models.into_iter().map(|m| m.model).collect(),
            Err(NotAllowed(e)) => {
                return Err(anyhow::Error::new(e).context(format!(
                    "--all needs the model list, and user {} may not read ir.model (administrators \
                     only): name the models instead",
                    session.login()
                )));
            }
        }
    } else {
        let mut names = models.to_vec();
        names.sort();
        names.dedup();
        names
    };
    let bar = out.progress(names.len() as u64, "models");
    let mut snapshots = Vec::with_capacity(names.len());
    for name in names {
        bar.set_message(name.clone());
        let found = lookup(connection, &name, descriptions.get(&name).cloned()).await?;
        bar.inc(1);
        match found {
            Lookup::Found(snapshot) => snapshots.push(snapshot),
            Lookup::Refused if all => bar.suspend(|| {
                out.notice(format!(
                    "skipped {name}: user {} may not read it",
                    session.login()
                ))
            }),
            Lookup::Refused => anyhow::bail!(
                "user {} may not read {name}: pull it as a user who may, or leave it out",
                session.login()
            ),
            Lookup::Missing => anyhow::bail!("the server has no model {name}"),
        }
    }
    bar.finish_and_clear();
    Ok(snapshots)
}
