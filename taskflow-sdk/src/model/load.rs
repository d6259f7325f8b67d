//! A single-call `load` by external ids, and the row errors it shares with the bulk loader.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::Model;
use crate::values::{RawCommand, WriteRepr, WriteValue, WriteValues};
use crate::xmlrpc::Value;
use crate::{Id, Kwargs, Result, Session};

/// cannot carry), or not delivered. [`load`] and the bulk [`Loader`](crate::load::Loader) both
/// report refused rows this way.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RowError {
    /// Index of the row in the input, from 0.
    pub row: usize,
    /// Its external id, when the rows have them.
    pub external_id: Option<String>,
    /// The server name of the field the server blamed, when it said.
    pub field: Option<String>,
    /// Why the row did not land, in the server's words when it gave them.
    pub message: String,
}

impl RowError {
    /// Row `row`, refused by `message` (or by a refusal that gave none).
    pub(crate) fn refused(
        row: usize,
        external_id: Option<String>,
        message: Option<&LoadMessage>,
    ) -> RowError {
        RowError {
            row,
            external_id,
            field: message.and_then(|m| m.field.clone()),
            message: match message {
                Some(m) if !m.message.is_empty() => m.message.clone(),
                _ => "rejected by the server".to_owned(),
            },
        }
    }
}

/// `row 3 (crm_sync.lead_3), field type: Wrong value for type: 'x'`.
impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.row)?;
        if let Some(xid) = &self.external_id {
            write!(f, " ({xid})")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for RowError {}

/// One message of `load`'s answer, as the server sends it. Errors become [`RowError`]s;
/// warnings, next to ids, refuse nothing and are logged.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub(crate) struct LoadMessage {
    /// `error` or `warning`.
    #[serde(rename = "type", default)]
    pub(crate) kind: String,
    /// The server's text.
    #[serde(default)]
    pub(crate) message: String,
    /// The row index (from 0) in the batch.
    #[serde(default)]
    pub(crate) record: Option<u64>,
    /// The rows (from 0) the message covers, when the server gives a range.
    #[serde(default)]
    pub(crate) rows: Option<LoadRows>,
    /// The server name of the field concerned.
    #[serde(default)]
    pub(crate) field: Option<String>,
}

/// The `rows` range of a `load` message: `{'from': i, 'to': j}`, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
pub(crate) struct LoadRows {
    pub(crate) from: u64,
    pub(crate) to: u64,
}

impl LoadMessage {
    /// Whether the message rejects its rows (warnings do not).
    pub(crate) fn is_error(&self) -> bool {
        self.kind.is_empty() || self.kind == "error"
    }

    /// The rows (from 0, within the batch) the message is about: its range, else its record.
    pub(crate) fn covered_rows(&self) -> std::ops::RangeInclusive<u64> {
        match (self.rows, self.record) {
            (Some(rows), _) => rows.from..=rows.to.max(rows.from),
            (None, Some(record)) => record..=record,
            #[allow(clippy::reversed_empty_ranges)]
            (None, None) => 1..=0,
        }
    }
}

/// The rows of a refused batch of `len` rows, each with the first error message naming it. A
/// refusal that names no row refuses every row, with its first message if it has one.
pub(crate) fn refused_rows(
    messages: &[LoadMessage],
    len: usize,
) -> BTreeMap<usize, Option<&LoadMessage>> {
    let mut refused = BTreeMap::new();
    for message in messages.iter().filter(|m| m.is_error()) {
        for row in message.covered_rows() {
            match usize::try_from(row) {
                Ok(row) if row < len => {
                    refused.entry(row).or_insert(Some(message));
                }
                _ => break,
            }
        }
    }
    if refused.is_empty() {
        let why = messages.iter().find(|m| m.is_error()).or(messages.first());
        refused.extend((0..len).map(|row| (row, why)));
    }
    refused
}

/// Logs the warnings of a batch the server accepted (they refuse nothing); `row` maps a row of
/// the batch to the input's.
pub(crate) fn log_warnings(
    model: &str,
    messages: &[LoadMessage],
    row: impl Fn(usize) -> Option<usize>,
) {
    for message in messages.iter().filter(|m| !m.is_error()) {
        let local = message.rows.map(|rows| rows.from).or(message.record);
        tracing::warn!(
            model,
            row = local.and_then(|r| usize::try_from(r).ok()).and_then(&row),
            field = message.field.as_deref(),
            kind = %message.kind,
            "load: {}",
            message.message
        );
    }
}

#[derive(serde::Deserialize)]
#[serde(crate = "serde")]
struct RawLoad<M> {
    ids: Option<Vec<Id<M>>>,
    #[serde(default)]
    messages: Vec<LoadMessage>,
}

/// Imports rows keyed by external id (`module.name`; without a module, the server files it under
/// `__import__`) in one `load` call: a known external id updates its record, a new one creates
/// one.
///
/// As the server's `load`, all or nothing: the ids of every row, in row order, or the rows that
/// were refused and why (and then nothing changed). The outer `Result` is the call's: it fails
/// when the call does (a transport error, a fault for the whole batch, like an unknown field).
/// For imports larger than one call, with per-row errors that do not stop the good rows, use
/// the bulk [`Loader`](crate::load::Loader).
///
/// Relations are sent by database id (`partner_id/.id`). x2many fields take [`Command::link`],
/// [`Command::set`] and [`Command::clear`] only, since an import cannot create, update or delete
/// related records. A row's commands are folded into one list of ids, which replaces the
/// field's links: `link` adds to that list, not to the record's current links. An empty list (a
/// lone `clear`) is an empty cell, which empties the field of an existing record and leaves a new
/// record's default.
///
/// [`Command::link`]: crate::Command::link
/// [`Command::set`]: crate::Command::set
/// [`Command::clear`]: crate::Command::clear
///
/// ```no_run
/// # use taskflow_sdk::{Id, Session, TaskflowModel};
/// # #[derive(TaskflowModel)] #[taskflow(model = "crm.lead")] struct Lead { id: Id<Lead>, name: String }
/// # async fn f(session: &Session) -> taskflow_sdk::Result<()> {
/// let loaded = Lead::load(session, [
///     ("__import__.lead_1", Lead::values().name("Imported lead 1")),
///     ("__import__.lead_2", Lead::values().name("Imported lead 2")),
/// ]).await?;
/// match loaded {
///     Ok(ids) => println!("loaded {ids:?}"),
///     Err(refused) => refused.iter().for_each(|row| eprintln!("{row}")),
/// }
/// # Ok(()) }
/// ```
pub async fn load<M: Model, X: Into<String>, V: Into<WriteValues<M>>>(
    session: &Session,
    rows: impl IntoIterator<Item = (X, V)>,
) -> Result<std::result::Result<Vec<Id<M>>, Vec<RowError>>> {
    let rows: Vec<(String, WriteValues<M>)> = rows
        .into_iter()
        .map(|(xid, values)| (xid.into(), values.into()))
        .collect();
    let table = match load_table(&rows) {
        Ok(table) => table,
        Err(refused) => return Ok(Err(refused)),
    };
    if table.rows.is_empty() {
        return Ok(Ok(Vec::new()));
    }
    let raw: RawLoad<M> = session
        .execute_kw(M::MODEL, "load", (table.columns, table.rows), Kwargs::new())
        .await?;
    match raw.ids {
        Some(ids) => {
            log_warnings(M::MODEL, &raw.messages, Some);
            Ok(Ok(ids))
        }
        None => Ok(Err(refused_rows(&raw.messages, rows.len())
            .into_iter()
            .map(|(row, message)| {
                RowError::refused(row, rows.get(row).map(|(xid, _)| xid.clone()), message)
            })
            .collect())),
    }
}

/// `load`'s header and string cells, built from typed rows.
#[derive(Debug)]
pub(crate) struct LoadTable {
    pub(crate) columns: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

/// Turns typed rows into `load`'s string table, or the errors of the rows that cannot be
/// imported.
pub(crate) fn load_table<M>(
    rows: &[(String, WriteValues<M>)],
) -> std::result::Result<LoadTable, Vec<RowError>> {
    let mut fields: Vec<(&str, bool)> = Vec::new(); // (name, by database id)
    for (_, values) in rows {
        for (name, value) in values.entries() {
            let by_id = matches!(value.0, WriteRepr::Ref(_) | WriteRepr::Commands(_));
            match fields.iter_mut().find(|(n, _)| n == name) {
                Some(entry) => entry.1 |= by_id,
                None => fields.push((name, by_id)),
            }
        }
    }
    let mut refused = Vec::new();
    let mut table = Vec::with_capacity(rows.len());
    for (index, (xid, values)) in rows.iter().enumerate() {
        let mut row = Vec::with_capacity(fields.len() + 1);
        row.push(xid.clone());
        for (name, _) in &fields {
            let cell = match values.get(name) {
                None => Ok(String::new()),
                Some(value) => load_cell(value),
            };
            match cell {
                Ok(cell) => row.push(cell),
                // One error per row, as the server gives: its first bad cell.
                Err(_) if refused.last().is_some_and(|e: &RowError| e.row == index) => {}
                Err(problem) => refused.push(RowError {
                    row: index,
                    external_id: Some(xid.clone()),
                    field: Some((*name).to_owned()),
                    message: problem,
                }),
            }
        }
        table.push(row);
    }
    if !refused.is_empty() {
        return Err(refused);
    }
    let mut columns = vec!["id".to_owned()];
    columns.extend(fields.iter().map(|(name, by_id)| {
        if *by_id {
            format!("{name}/.id")
        } else {
            (*name).to_owned()
        }
    }));
    Ok(LoadTable {
        columns,
        rows: table,
    })
}

fn load_cell(value: &WriteValue) -> std::result::Result<String, String> {
    match &value.0 {
        WriteRepr::Plain(Value::String(s)) => Ok(s.clone()),
        WriteRepr::Plain(Value::Int(i)) => Ok(i.to_string()),
        WriteRepr::Plain(Value::Double(d)) => Ok(d.to_string()),
        WriteRepr::Plain(Value::Bool(b)) => Ok(if *b { "1" } else { "0" }.to_owned()),
        WriteRepr::Plain(Value::Nil) | WriteRepr::Clear => Ok(String::new()),
        WriteRepr::Plain(other) => Err(format!(
            "a {} value cannot be imported with load",
            other.type_name()
        )),
        WriteRepr::Ref(id) => Ok(id.to_string()),
        WriteRepr::Commands(commands) => {
            let mut ids = Vec::new();
            for command in commands {
                match command {
                    RawCommand::Link(id) => ids.push(*id),
                    RawCommand::Set(set) => {
                        ids.clear();
                        ids.extend(set);
                    }
                    RawCommand::Clear => ids.clear(),
                    _ => {
                        return Err(
                            "load only takes link, set and clear commands for x2many fields"
                                .to_owned(),
                        );
                    }
                }
            }
            Ok(ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
        }
    }
}

#[cfg(test)]
#[cfg(test)]
mod tests {
    use super::*;
    use crate::Command;

    struct Tag;

    #[test]
    fn load_table_uses_database_id_columns_for_relations() {
        let mut a = WriteValues::<Tag>::new()
            .raw("name", "A")
            .raw("probability", 1.5);
        a.set("partner_id", WriteValue::reference(7));
        a.set(
            "tag_ids",
            WriteValue::commands(vec![
                Command::<Tag>::link(Id::new(1)).raw().clone(),
                Command::<Tag>::link(Id::new(2)).raw().clone(),
            ]),
        );
        let b = WriteValues::<Tag>::new()
            .raw("name", "B")
            .raw("active", false);
        let table = load_table(&[("x.a".to_owned(), a), ("x.b".to_owned(), b)]).unwrap();
        assert_eq!(
            table.columns,
            [
                "id",
                "name",
                "probability",
                "partner_id/.id",
                "tag_ids/.id",
                "active"
            ]
        );
        assert_eq!(table.rows[0], ["x.a", "A", "1.5", "7", "1,2", ""]);
        assert_eq!(table.rows[1], ["x.b", "B", "", "", "", "0"]);
    }

    fn message(kind: &str, record: Option<u64>, rows: Option<(u64, u64)>) -> LoadMessage {
        LoadMessage {
            kind: kind.to_owned(),
            message: format!("{kind} {record:?} {rows:?}"),
            record,
            rows: rows.map(|(from, to)| LoadRows { from, to }),
            field: Some("type".to_owned()),
        }
    }

    #[test]
    fn refused_rows_take_the_first_error_naming_them() {
        let messages = [
            message("warning", Some(0), None),
            message("error", Some(1), Some((1, 2))),
            message("error", Some(2), None),
            // Past the batch: ignored.
            message("error", Some(9), Some((9, 9))),
        ];
        let refused = refused_rows(&messages, 4);
        let rows: Vec<(usize, &str)> = refused
            .iter()
            .map(|(&row, m)| (row, m.unwrap().message.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                (1, "error Some(1) Some((1, 2))"),
                (2, "error Some(1) Some((1, 2))")
            ]
        );
        let error = RowError::refused(1, Some("x.b".to_owned()), refused[&1]);
        assert_eq!(
            error.to_string(),
            "row 1 (x.b), field type: error Some(1) Some((1, 2))"
        );
    }

    #[test]
    fn a_refusal_naming_no_row_refuses_every_row() {
        let messages = [message("warning", None, None), message("error", None, None)];
        let refused = refused_rows(&messages, 3);
        assert_eq!(refused.keys().copied().collect::<Vec<_>>(), [0, 1, 2]);
        assert!(refused.values().all(|m| m.unwrap().kind == "error"));
        let refused = refused_rows(&[], 2);
        assert_eq!(refused.len(), 2);
        let error = RowError::refused(0, None, refused[&0]);
        assert_eq!(error.to_string(), "row 0: rejected by the server");
    }

    #[test]
    fn load_table_refuses_commands_an_import_cannot_express() {
        let mut a = WriteValues::<Tag>::new();
        a.set(
            "tag_ids",
            WriteValue::commands(vec![Command::<Tag>::delete(Id::new(1)).raw().clone()]),
        );
        // A second bad cell in the same row: still one error for the row.
        a.set(
            "partner_ids",
            WriteValue::commands(vec![Command::<Tag>::delete(Id::new(2)).raw().clone()]),
        );
        let refused = load_table(&[("x.a".to_owned(), a)]).unwrap_err();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].row, 0);
        assert_eq!(refused[0].external_id.as_deref(), Some("x.a"));
        assert_eq!(refused[0].field.as_deref(), Some("tag_ids"));
        assert!(refused[0].to_string().contains("link, set and clear"));
    }
}
