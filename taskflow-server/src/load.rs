//! `load(fields, rows)`: bulk import with external ids, as the real server's import does it.
//!
//! An `id` column holds external ids (`module.name`; without a module, `__import__`, transcripts
//! 112-113): a known one updates its record, a new one creates a record and an `ir.model.data`
//! entry. `field/id` columns name related records by external id, `field/.id` by database id,
//! plain relational columns by name (comma-separated for many2many). Every row is checked first;
//! any bad row rejects the whole batch with `ids: false` and one message per bad row, in the
//! recorded shapes of transcripts 059 and 060. An unknown column is a `KeyError` fault (061).

use std::borrow::Cow;
use std::sync::Arc;

use taskflow_sdk::xmlrpc::Value;

use crate::access;
use crate::clock;
use crate::env::Env;
use crate::fault::Fault;
use crate::hash::FastSet;
use crate::mode::Mode;
use crate::schema::{Field, FieldType, Model};
use crate::store::{Database, NewXmlId};
use crate::write::{self, Planned};

/// How a column names its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sub {
    /// By value (or by name for relations).
    Plain,
    /// By external id (`field/id`).
    XmlId,
    /// By database id (`field/.id`).
    DbId,
}

#[derive(Clone, Copy, Debug)]
enum Column {
    /// `id`: the row's external id.
    XmlId,
    /// `.id`: the row's database id.
    DbId,
    /// A field of the model.
    Field(usize, Sub),
}

/// An external id as `(module, name)`, borrowed from the request where it can be.
type XmlId<'a> = (Cow<'a, str>, Cow<'a, str>);

/// Where a row's values go.
#[derive(Clone, Debug)]
enum Target<'a> {
    /// An existing record.
    Existing(i64),
    /// A new record, with the external id to register.
    New(Option<XmlId<'a>>),
    /// The record an earlier row of this batch creates under the same external id.
    Batch(XmlId<'a>),
}

/// Splits an external id: `module.name`, or `__import__` for a bare name.
pub fn split_xmlid(xmlid: &str) -> (&str, &str) {
    match xmlid.split_once('.') {
        Some((module, name)) if !module.is_empty() && !name.is_empty() => (module, name),
        _ => ("__import__", xmlid),
    }
}

/// [`split_xmlid`] of a cell's text, borrowing from the request when the cell is a string.
fn split_cell_xmlid(text: Cow<'_, str>) -> XmlId<'_> {
    match text {
        Cow::Borrowed(text) => {
            let (module, name) = split_xmlid(text);
            (Cow::Borrowed(module), Cow::Borrowed(name))
        }
        Cow::Owned(text) => {
            let (module, name) = split_xmlid(&text);
            (Cow::Owned(module.to_owned()), Cow::Owned(name.to_owned()))
        }
    }
}

/// A cell as the text the import reads, borrowed when it is a string (most are).
fn cell_text(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s),
        Value::Int(i) => Cow::Owned(i.to_string()),
        Value::Double(d) => Cow::Owned(d.to_string()),
        Value::Bool(true) => Cow::Borrowed("1"),
        _ => Cow::Borrowed(""),
    }
}

fn parse_header(model: &Model, fields: Option<&Value>) -> Result<Vec<Column>, Fault> {
    let Some(Value::Array(items)) = fields else {
        return Err(Fault::type_error(
            "load() fields must be a list of column names",
        ));
    };
    items
        .iter()
        .map(|item| {
            let name = item.as_str().unwrap_or_default();
            match name {
                "id" => return Ok(Column::XmlId),
                ".id" => return Ok(Column::DbId),
                _ => {}
            }
            let (field, sub) = match name.split_once('/') {
                None => (name, Sub::Plain),
                Some((f, "id")) => (f, Sub::XmlId),
                Some((f, ".id")) => (f, Sub::DbId),
                Some((f, _)) => (f, Sub::Plain),
            };
            let idx = model
                .field_index(field)
                .ok_or_else(|| Fault::exception("KeyError", format!("'{field}'")))?;
            if name.matches('/').count() > 0 && sub == Sub::Plain {
                return Err(Fault::value(format!(
                    "Importing sub-fields ({name}) is not supported by this server"
                )));
            }
            Ok(Column::Field(idx, sub))
        })
        .collect()
}

/// The act_window `moreinfo` pointing at possible values of a relation.
fn possible_values(res_model: &str, domain: Value) -> Value {
    Value::Struct(vec![
        ("name".into(), Value::from("Possible Values")),
        ("type".into(), Value::from("ir.actions.act_window")),
        ("target".into(), Value::from("new")),
        ("view_mode".into(), Value::from("tree,form")),
        (
            "views".into(),
            Value::Array(vec![
                Value::Array(vec![Value::Bool(false), Value::from("list")]),
                Value::Array(vec![Value::Bool(false), Value::from("form")]),
            ]),
        ),
        (
            "context".into(),
            Value::Struct(vec![("create".into(), Value::Bool(false))]),
        ),
        ("help".into(), Value::from("See all possible values")),
        ("res_model".into(), Value::from(res_model)),
        ("domain".into(), domain),
    ])
}

/// A `load` answer as the version `mode` words it: 19's possible-values actions open
/// `list,form` views (17's `tree,form`) and carry a `domain` only when there is one
/// (odoo-19-json2 038).
pub fn for_version(answer: Value, mode: Mode) -> Value {
    if mode != Mode::Odoo19 {
        return answer;
    }
    let Value::Struct(mut members) = answer else {
        return answer;
    };
    for (key, value) in &mut members {
        let (true, Value::Array(messages)) = (key == "messages", value) else {
            continue;
        };
        for message in messages {
            let Value::Struct(message) = message else {
                continue;
            };
            for (key, info) in message.iter_mut() {
                let (true, Value::Struct(info)) = (key == "moreinfo", info) else {
                    continue;
                };
                info.retain(|(k, v)| {
                    k != "domain" || !matches!(v, Value::Array(d) if d.is_empty())
                });
                for (k, v) in info.iter_mut() {
                    if k == "view_mode" {
                        *v = Value::from("list,form");
                    }
                }
            }
        }
    }
    Value::Struct(members)
}

/// A conversion problem of one cell, turned into a message of the row.
struct CellError {
    message: String,
    moreinfo: Option<Value>,
}

fn cell_error(message: String, moreinfo: Option<Value>) -> CellError {
    CellError { message, moreinfo }
}

fn row_message(row: usize, field: &Field, err: CellError) -> Value {
    let rows = Value::Struct(vec![
        ("from".into(), Value::Int(row as i64)),
        ("to".into(), Value::Int(row as i64)),
    ]);
    let mut members = vec![
        ("rows".into(), rows),
        ("type".into(), Value::from("error")),
        ("record".into(), Value::Int(row as i64)),
        ("field".into(), Value::String(field.name.clone())),
        ("message".into(), Value::String(err.message)),
    ];
    if let Some(more) = err.moreinfo {
        members.push(("moreinfo".into(), more));
    }
    members.push(("field_name".into(), Value::String(field.string.clone())));
    Value::Struct(members)
}

fn missing_required(row: usize, field: &Field) -> Value {
    let rows = Value::Struct(vec![
        ("from".into(), Value::Int(row as i64)),
        ("to".into(), Value::Int(row as i64)),
    ]);
    Value::Struct(vec![
        ("rows".into(), rows),
        ("record".into(), Value::Int(row as i64)),
        ("type".into(), Value::from("error")),
        (
            "message".into(),
            Value::String(format!(
                "Missing required value for the field '{}' ({})",
                field.string, field.name
            )),
        ),
        ("field".into(), Value::String(field.name.clone())),
    ])
}

fn generic_message(row: usize, fault: &Fault) -> Value {
    let rows = Value::Struct(vec![
        ("from".into(), Value::Int(row as i64)),
        ("to".into(), Value::Int(row as i64)),
    ]);
    let text = match fault {
        Fault::Exception { message, .. }
        | Fault::User(message)
        | Fault::Validation(message)
        | Fault::Missing(message)
        | Fault::Access(message) => message.clone(),
        Fault::AccessDenied => "Access Denied".to_owned(),
    };
    Value::Struct(vec![
        ("rows".into(), rows),
        ("record".into(), Value::Int(row as i64)),
        ("type".into(), Value::from("error")),
        ("message".into(), Value::String(text)),
    ])
}

/// Resolves one related record named in a cell.
fn resolve_one(db: &Database, field: &Field, sub: Sub, text: &str) -> Result<i64, CellError> {
    let relation = field.relation.as_deref().unwrap_or_default();
    match sub {
        Sub::XmlId => {
            let (module, name) = split_xmlid(text);
            match db.resolve_xmlid(module, name) {
                Some((model, id)) if model == relation && db.exists(relation, id) => Ok(id),
                _ => Err(cell_error(
                    format!(
                        "No matching record found for external id '{text}' in field '{}'",
                        field.string
                    ),
                    Some(possible_values(
                        "ir.model.data",
                        Value::Array(vec![Value::Array(vec![
                            Value::from("model"),
                            Value::from("="),
                            Value::from(relation),
                        ])]),
                    )),
                )),
            }
        }
        Sub::DbId => match text.trim().parse::<i64>() {
            Ok(id) if db.exists(relation, id) => Ok(id),
            _ => Err(cell_error(
                format!(
                    "No matching record found for database id '{text}' in field '{}'",
                    field.string
                ),
                Some(possible_values(relation, Value::Array(vec![]))),
            )),
        },
        Sub::Plain => {
            let found = db.registry.model(relation).and_then(|comodel| {
                let table = db.table(relation)?;
                let mut ids: Vec<i64> = table
                    .records
                    .iter()
                    .filter(|&(&id, rec)| {
                        db.display_name_of(comodel, id, rec)
                            .eq_ignore_ascii_case(text)
                    })
                    .map(|(&id, _)| id)
                    .collect();
                db.sort_ids(comodel, &mut ids);
                ids.first().copied()
            });
            found.ok_or_else(|| {
                cell_error(
                    format!(
                        "No matching record found for name '{text}' in field '{}'",
                        field.string
                    ),
                    Some(possible_values(relation, Value::Array(vec![]))),
                )
            })
        }
    }
}

/// Converts one non-empty cell to the value `create`/`write` take.
fn convert_cell(
    db: &Database,
    field: &Field,
    sub: Sub,
    text: Cow<'_, str>,
) -> Result<Value, CellError> {
    let label = &field.string;
    let text = match field.ftype {
        FieldType::Char | FieldType::Text | FieldType::Html | FieldType::Binary => {
            return Ok(Value::String(text.into_owned()));
        }
        _ => &*text,
    };
    match field.ftype {
        FieldType::Integer => text.trim().parse::<i64>().map(Value::Int).map_err(|_| {
            cell_error(
                format!("'{text}' does not seem to be an integer for field '{label}'"),
                None,
            )
        }),
        FieldType::Float | FieldType::Monetary => {
            text.trim().parse::<f64>().map(Value::Double).map_err(|_| {
                cell_error(
                    format!("'{text}' does not seem to be a number for field '{label}'"),
                    None,
                )
            })
        }
        FieldType::Boolean => match text.trim().to_lowercase().as_str() {
            "1" | "true" | "yes" => Ok(Value::Bool(true)),
            "0" | "false" | "no" => Ok(Value::Bool(false)),
            _ => Err(cell_error(
                format!("Unknown value '{text}' for boolean field '{label}'"),
                Some(Value::from("Use '1' for yes and '0' for no")),
            )),
        },
        FieldType::Selection => {
            let selection = field.selection.as_deref().unwrap_or_default();
            selection
                .iter()
                .find(|(k, l)| k.as_str() == Some(text) || l.eq_ignore_ascii_case(text))
                .map(|(k, _)| k.clone())
                .ok_or_else(|| {
                    cell_error(
                        format!("Value '{text}' not found in selection field '{label}'"),
                        Some(Value::Array(
                            selection
                                .iter()
                                .map(|(_, l)| Value::String(l.clone()))
                                .collect(),
                        )),
                    )
                })
        }
        FieldType::Date => clock::normalize_date(text)
            .map(Value::String)
            .ok_or_else(|| {
                cell_error(
                    format!("'{text}' does not seem to be a valid date for field '{label}'"),
                    Some(Value::from("Use the format '2012-12-31'")),
                )
            }),
        FieldType::Datetime => clock::normalize_datetime(text)
            .map(Value::String)
            .ok_or_else(|| {
                cell_error(
                    format!("'{text}' does not seem to be a valid datetime for field '{label}'"),
                    Some(Value::from("Use the format '2012-12-31 23:59:59'")),
                )
            }),
        FieldType::Many2one => resolve_one(db, field, sub, text.trim()).map(Value::Int),
        FieldType::Many2many | FieldType::One2many => {
            let ids = text
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| resolve_one(db, field, sub, t).map(Value::Int))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::Array(vec![Value::Array(vec![
                Value::Int(6),
                Value::Int(0),
                Value::Array(ids),
            ])]))
        }
        _ => Err(cell_error(
            format!("Field '{label}' cannot be imported"),
            None,
        )),
    }
}

/// A checked row, ready to apply.
struct RowPlan<'a> {
    target: Target<'a>,
    planned: Planned,
    /// The `ir.model.data` entry of a new record's external id, built while checking.
    xmlid: Option<NewXmlId>,
    /// The `ir.model.data` record the index held for that external id while checking (one that
    /// names a record of another model, or a deleted one): unchanged, the check still holds.
    xmlid_seen: Option<i64>,
}

/// A load checked in full against the database as it was, ready to apply.
///
/// Like a transaction of the real server on its snapshot, it applies what it checked even if
/// other loads created or updated records meanwhile (a name a cell referred to may have gained
/// a namesake). It is checked again only where applying as checked could be wrong: after any
/// other kind of write ([`Database::revision`]), or when an external id it creates was taken.
pub struct Staged<'a> {
    rows: Vec<RowPlan<'a>>,
    /// [`Database::revision`] when the rows were checked.
    revision: u64,
    /// Whether applying changes what external ids name (a load into `ir.model.data` itself).
    remaps_xmlids: bool,
}

/// The outcome of checking a load.
pub enum Checked<'a> {
    /// Some rows are bad: the answer is `ids: false` with their messages, and nothing changes.
    Rejected(Value),
    /// Every row is good.
    Staged(Staged<'a>),
}

/// `load(fields, data)`; returns `{ids, messages, nextrow}`.
pub fn load(
    db: &mut Database,
    env: &Env,
    model: &Arc<Model>,
    fields: Option<&Value>,
    data: Option<&Value>,
) -> Result<Value, Fault> {
    Ok(match check(db, env, model, fields, data)? {
        Checked::Rejected(answer) => answer,
        Checked::Staged(staged) => apply(db, env, staged),
    })
}

/// Checks and plans every row of a load without changing anything, so it can run under the
/// shared lock, side by side with other loads, like the real server's concurrent transactions
/// each reading their own snapshot. [`apply`] then runs under the exclusive lock.
pub fn check<'a>(
    db: &Database,
    env: &Env,
    model: &Arc<Model>,
    fields: Option<&'a Value>,
    data: Option<&'a Value>,
) -> Result<Checked<'a>, Fault> {
    let columns = parse_header(model, fields)?;
    let rows: &[Value] = match data {
        Some(Value::Array(rows)) => rows,
        _ => &[],
    };
    // Required fields: whether a default fills them, whether a column names them.
    let required: Vec<(usize, bool, bool)> = model
        .resolved
        .required
        .iter()
        .map(|&idx| {
            let has_default = model
                .resolved
                .create_defaults
                .iter()
                .any(|(i, _)| *i == idx);
            let column_present = columns
                .iter()
                .any(|c| matches!(c, Column::Field(i, _) if *i == idx));
            (idx, has_default, column_present)
        })
        .collect();
    // Rows may only create and update records the caller's record rule lets them see.
    let rule = access::rule_domain(db, model, env.uid)?;
    let mut messages = Vec::new();
    let mut plans = Vec::with_capacity(rows.len());
    // External ids created earlier in this batch: later rows update those records.
    let mut batch_ids: FastSet<XmlId<'_>> =
        FastSet::with_capacity_and_hasher(rows.len(), Default::default());
    for (row_no, row) in rows.iter().enumerate() {
        let cells: &[Value] = match row {
            Value::Array(cells) => cells,
            _ => &[],
        };
        let mut target = Target::New(None);
        let mut vals: Vec<(usize, Value)> = Vec::with_capacity(columns.len());
        let mut row_messages = Vec::new();
        let mut cleared: Vec<usize> = Vec::new();
        for (col, column) in columns.iter().enumerate() {
            let text = cells.get(col).map(cell_text).unwrap_or_default();
            match *column {
                Column::XmlId if !text.is_empty() => {
                    let key = split_cell_xmlid(text);
                    target = match db.resolve_xmlid(&key.0, &key.1) {
                        Some((m, id)) if m == model.name && db.exists(&model.name, id) => {
                            Target::Existing(id)
                        }
                        _ if batch_ids.contains(&key) => Target::Batch(key),
                        _ => Target::New(Some(key)),
                    };
                }
                Column::DbId if !text.is_empty() => match text.trim().parse::<i64>() {
                    Ok(id) if db.exists(&model.name, id) => target = Target::Existing(id),
                    _ => row_messages.push(generic_message(
                        row_no,
                        &Fault::value(format!("Unknown database identifier '{text}'")),
                    )),
                },
                Column::XmlId | Column::DbId => {}
                Column::Field(idx, sub) => {
                    let field = &model.fields[idx];
                    if text.is_empty() {
                        cleared.push(idx);
                        continue;
                    }
                    match convert_cell(db, field, sub, text) {
                        Ok(v) => vals.push((idx, v)),
                        Err(e) => row_messages.push(row_message(row_no, field, e)),
                    }
                }
            }
        }
        if let Target::New(Some(key)) = &target {
            batch_ids.insert(key.clone());
        }
        let creating = matches!(target, Target::New(_));
        // Empty cells leave defaults in place on create; on update they clear the field.
        if !creating {
            vals.extend(cleared.iter().map(|&idx| (idx, Value::Bool(false))));
        }
        for &(idx, has_default, column_present) in &required {
            let field = &model.fields[idx];
            let given = vals.iter().find(|(i, _)| *i == idx).map(|(_, v)| v);
            let empty = given.is_none_or(|v| matches!(v, Value::Bool(false)));
            if empty
                && ((creating && !has_default) || (!creating && column_present))
                && !row_messages
                    .iter()
                    .any(|m| m.get("field").and_then(Value::as_str) == Some(&field.name))
            {
                row_messages.push(missing_required(row_no, field));
            }
        }
        if !row_messages.is_empty() {
            messages.extend(row_messages);
            continue;
        }
        let planned = if creating {
            write::plan_create_indexed(db, model, vals, env).and_then(|mut planned| {
                planned.seal();
                match &rule {
                    Some(rule) if !access::allows_new(db, rule, &planned.preview()) => Err(
                        access::refused(db, model, env.uid, access::Operation::Create),
                    ),
                    _ => Ok(planned),
                }
            })
        } else {
            let hidden = match (&rule, &target) {
                (Some(rule), Target::Existing(id)) => db
                    .record(&model.name, *id)
                    .is_some_and(|rec| !rule.matches(db, *id, rec)),
                _ => false,
            };
            if hidden {
                // As a write does, the update reads the record first (124).
                Err(access::refused(db, model, env.uid, access::Operation::Read))
            } else {
                write::plan_write_indexed(db, model, vals, env)
            }
        };
        let (xmlid, xmlid_seen) = match &target {
            Target::New(Some((module, name))) => (
                db.new_xmlid(module, name, &model.name, &env.now),
                db.xmlid_entry(module, name),
            ),
            _ => (None, None),
        };
        match planned {
            Ok(planned) => plans.push(RowPlan {
                target,
                planned,
                xmlid,
                xmlid_seen,
            }),
            Err(fault) => messages.push(generic_message(row_no, &fault)),
        }
    }
    if !messages.is_empty() {
        return Ok(Checked::Rejected(result(Value::Bool(false), messages)));
    }
    Ok(Checked::Staged(Staged {
        rows: plans,
        revision: db.revision,
        remaps_xmlids: model.name == "ir.model.data",
    }))
}

/// Whether a staged load still applies as it was checked: nothing but other loads has written
/// since (they only create and update), and none of them took an external id this one creates.
/// Otherwise it must be checked again, under the exclusive lock.
pub fn still_applies(db: &Database, staged: &Staged<'_>) -> bool {
    db.revision == staged.revision
        && staged.rows.iter().all(|row| match &row.target {
            Target::New(Some((module, name))) => db.xmlid_entry(module, name) == row.xmlid_seen,
            _ => true,
        })
}

/// Applies a staged load; returns `{ids, messages, nextrow}`.
pub fn apply(db: &mut Database, env: &Env, staged: Staged<'_>) -> Value {
    let Staged {
        rows,
        remaps_xmlids,
        ..
    } = staged;
    if remaps_xmlids {
        // Loads checked before this one may have resolved external ids it changes.
        db.revision += 1;
    }
    let mut ids = Vec::with_capacity(rows.len());
    for RowPlan {
        target,
        planned,
        xmlid,
        ..
    } in rows
    {
        let id = match target {
            Target::Existing(id) => {
                write::apply_write(db, &[id], planned, env);
                id
            }
            Target::Batch((module, name)) => {
                // The row that created it came first and registered the external id.
                let id = db.resolve_xmlid(&module, &name).map_or(0, |(_, id)| id);
                write::apply_write(db, &[id], planned, env);
                id
            }
            Target::New(_) => {
                let id = write::apply_create(db, planned, env);
                if let Some(entry) = xmlid {
                    db.insert_xmlid(entry, id);
                }
                id
            }
        };
        ids.push(Value::Int(id));
    }
    result(Value::Array(ids), vec![])
}

fn result(ids: Value, messages: Vec<Value>) -> Value {
    Value::Struct(vec![
        ("ids".into(), ids),
        ("messages".into(), Value::Array(messages)),
        ("nextrow".into(), Value::Int(0)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Registry;

    fn demo() -> (Database, Env, Arc<Model>) {
        let mut db = Database::new("demo", Registry::builtin());
        crate::seed::seed(&mut db);
        let lead = db.model("crm.lead").expect("crm.lead");
        (db, Env::new(2, None), lead)
    }

    /// An `id, name` load.
    fn table(rows: &[(&str, &str)]) -> (Value, Value) {
        let header = Value::Array(vec![Value::from("id"), Value::from("name")]);
        let data = rows
            .iter()
            .map(|(xid, name)| Value::Array(vec![Value::from(*xid), Value::from(*name)]))
            .collect();
        (header, Value::Array(data))
    }

    fn staged<'a>(
        db: &Database,
        env: &Env,
        lead: &Arc<Model>,
        (header, data): &'a (Value, Value),
    ) -> Staged<'a> {
        match check(db, env, lead, Some(header), Some(data)).expect("checks") {
            Checked::Staged(staged) => staged,
            Checked::Rejected(answer) => panic!("rejected: {answer:?}"),
        }
    }

    fn ids(answer: &Value) -> Vec<i64> {
        match answer.get("ids") {
            Some(Value::Array(ids)) => ids.iter().filter_map(Value::as_i64).collect(),
            other => panic!("no ids: {other:?}"),
        }
    }

    #[test]
    fn a_load_checked_before_another_took_its_external_ids_must_be_checked_again() {
        let (mut db, env, lead) = demo();
        let first_rows = table(&[("race.a", "First a"), ("race.b", "First b")]);
        let second_rows = table(&[("race.b", "Second b"), ("race.c", "Second c")]);
        let first = staged(&db, &env, &lead, &first_rows);
        let second = staged(&db, &env, &lead, &second_rows);
        assert!(still_applies(&db, &first));
        let first_ids = ids(&apply(&mut db, &env, first));
        // Both were checked as creating `race.b`: applied as checked, the second would make a twin.
        assert!(!still_applies(&db, &second));
        drop(second);
        let again = load(
            &mut db,
            &env,
            &lead,
            Some(&second_rows.0),
            Some(&second_rows.1),
        )
        .unwrap();
        let second_ids = ids(&again);
        assert_eq!(
            second_ids[0], first_ids[1],
            "race.b is updated, not created twice"
        );
        assert_eq!(
            db.resolve_xmlid("race", "b"),
            Some(("crm.lead", first_ids[1]))
        );
        assert!(db.resolve_xmlid("race", "c").is_some());
    }

    #[test]
    fn a_load_into_external_ids_sends_loads_checked_before_it_back() {
        let (mut db, env, lead) = demo();
        let first = table(&[("remap.a", "Lead a")]);
        let first = staged(&db, &env, &lead, &first);
        let lead_id = ids(&apply(&mut db, &env, first))[0];
        let update = table(&[("remap.a", "Lead a, updated")]);
        let pending = staged(&db, &env, &lead, &update);
        // Renaming the external id (a load into ir.model.data by database id) changes what
        // `remap.a` names: the pending update no longer targets that lead.
        let imd = db.model("ir.model.data").unwrap();
        let entry = db.xmlid_entry("remap", "a").unwrap();
        let rename = (
            Value::Array(vec![Value::from(".id"), Value::from("name")]),
            Value::Array(vec![Value::Array(vec![
                Value::from(entry.to_string()),
                Value::from("b"),
            ])]),
        );
        let renaming = staged(&db, &env, &imd, &rename);
        apply(&mut db, &env, renaming);
        assert_eq!(db.resolve_xmlid("remap", "b"), Some(("crm.lead", lead_id)));
        assert!(!still_applies(&db, &pending));
    }

    #[test]
    fn an_external_id_naming_another_model_does_not_keep_a_load_from_applying() {
        let (db, env, lead) = demo();
        // `crm.stage_lead1` names a stage: a lead load creates its own record under it.
        assert!(db.resolve_xmlid("crm", "stage_lead1").is_some());
        let rows = table(&[("crm.stage_lead1", "Lead named like a stage")]);
        let pending = staged(&db, &env, &lead, &rows);
        assert!(still_applies(&db, &pending));
    }

    #[test]
    fn bare_external_ids_go_to_import() {
        assert_eq!(
            split_xmlid("tf_noprefix_lead"),
            ("__import__", "tf_noprefix_lead")
        );
        assert_eq!(
            split_xmlid("my_lead.external_id1"),
            ("my_lead", "external_id1")
        );
    }
}
