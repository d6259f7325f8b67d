//! The ORM methods clients call through `execute_kw`: `create`, `write`, `read`, `search`,
//! `search_read`, `search_count`, `unlink`, `name_get`, `name_search`, `name_create`,
//! `fields_get`, `default_get`, `read_group`, `load`, `check_access_rights`, `action_archive`.
//!
//! This module binds arguments, checks access and runs the reads; changes go through `write`
//! (planned in full, then applied), `fields_get`/`default_get` live in `describe`, `load` and
//! `read_group` in their own modules.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use taskflow_sdk::xmlrpc::Value;

use crate::access::{self, Operation};
use crate::convert;
use crate::domain::{Domain, py_value};
use crate::env::{Env, invalid_field, parse_domain};
use crate::fault::Fault;
use crate::mode::Mode;
use crate::schema::{FieldType, Model};
use crate::signature::{Bound, Signature};
use crate::store::{Database, Record};
use crate::{describe, load, write};

/// What a method needs from the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reads only: runs under the shared lock.
    Read,
    /// Changes records: runs under the exclusive lock.
    Write,
}

/// The methods served, with the access they need; `None` for unknown methods.
pub fn method_access(method: &str) -> Option<Access> {
    Some(match method {
        "read"
        | "search"
        | "search_read"
        | "search_count"
        | "name_get"
        | "name_search"
        | "fields_get"
        | "default_get"
        | "read_group"
        | "check_access_rights" => Access::Read,
        "create" | "write" | "unlink" | "name_create" | "load" | "action_archive"
        | "action_unarchive" => Access::Write,
        _ => return None,
    })
}

/// The operation an access check needs for `method`.
fn operation(method: &str) -> Operation {
    match method {
        "create" | "name_create" | "load" => Operation::Create,
        "write" | "action_archive" | "action_unarchive" => Operation::Write,
        "unlink" => Operation::Unlink,
        _ => Operation::Read,
    }
}

fn ids_arg(value: Option<&Value>) -> Result<Vec<i64>, Fault> {
    match value {
        Some(Value::Int(i)) => Ok(vec![*i]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::Int(i) => Ok(*i),
                other => Err(Fault::type_error(format!(
                    "unhashable or invalid record id: {}",
                    py_value(other)
                ))),
            })
            .collect(),
        Some(Value::Bool(false)) | Some(Value::Nil) => Ok(vec![]),
        Some(other) => Err(Fault::value(format!(
            "Invalid record ids {}",
            py_value(other)
        ))),
        None => Err(Fault::exception("IndexError", "list index out of range")),
    }
}

fn sig(name: &'static str, params: &'static [(&'static str, bool)]) -> Signature {
    Signature { name, params }
}

fn int_arg(v: Option<&Value>, default: i64) -> Result<i64, Fault> {
    match v {
        None | Some(Value::Bool(false)) => Ok(default),
        Some(Value::Int(i)) => Ok(*i),
        Some(other) => Err(Fault::type_error(format!(
            "'<' not supported between instances of '{}' and 'int'",
            convert::py_type(other)
        ))),
    }
}

/// Calls `method` on `model`. Record methods take their ids as the first positional argument.
pub fn call(
    db: &mut DbHandle<'_>,
    env: &Env,
    model: &Arc<Model>,
    method: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
    mode: Mode,
) -> Result<Value, Fault> {
    if method != "check_access_rights" {
        // Anyone may ask what they may do (115-117).
        access::check_rights(db.get(), model, operation(method), env.uid)?;
    }
    let record_method = matches!(
        method,
        "read" | "write" | "unlink" | "name_get" | "action_archive" | "action_unarchive"
    );
    let (ids, rest) = if record_method {
        (ids_arg(args.first())?, args.get(1..).unwrap_or_default())
    } else {
        (vec![], args)
    };
    match method {
        "read" => {
            let b =
                sig("BaseModel.read", &[("fields", false), ("load", false)]).bind(rest, kwargs)?;
            access::check_rule(db.get(), model, env.uid, &ids, Operation::Read)?;
            read(db.get(), model, &ids, b.get("fields"))
        }
        "name_get" if mode.has_name_get() => {
            sig("BaseModel.name_get", &[]).bind(rest, kwargs)?;
            access::check_rule(db.get(), model, env.uid, &ids, Operation::Read)?;
            Ok(name_get(db.get(), model, &ids))
        }
        "search" => {
            let b = sig(
                "BaseModel.search",
                &[
                    ("domain", true),
                    ("offset", false),
                    ("limit", false),
                    ("order", false),
                ],
            )
            .bind(rest, kwargs)?;
            let found = search(db.get(), env, model, &b)?;
            Ok(Value::Array(found.into_iter().map(Value::Int).collect()))
        }
        "search_read" => {
            let b = Signature {
                name: "BaseModel.search_read",
                params: &[
                    ("domain", false),
                    ("fields", false),
                    ("offset", false),
                    ("limit", false),
                    ("order", false),
                    ("load", false),
                ],
            }
            .bind(rest, kwargs)?;
            let found = search(db.get(), env, model, &b)?;
            read(db.get(), model, &found, b.get("fields"))
        }
        "search_count" => {
            let b = sig(
                "BaseModel.search_count",
                &[("domain", true), ("limit", false)],
            )
            .bind(rest, kwargs)?;
            let domain = parse_domain(db.get(), env, model, b.get("domain"))?;
            let mut count = count(db.get(), model, &domain);
            if let Some(limit) = b.get("limit").and_then(Value::as_i64) {
                count = count.min(limit);
            }
            Ok(Value::Int(count))
        }
        "name_search" => {
            let b = sig(
                "BaseModel.name_search",
                &[
                    ("name", false),
                    ("args", false),
                    ("operator", false),
                    ("limit", false),
                ],
            )
            .bind(rest, kwargs)?;
            name_search(db.get(), env, model, &b)
        }
        "fields_get" => {
            let b = sig(
                "BaseModel.fields_get",
                &[("allfields", false), ("attributes", false)],
            )
            .bind(rest, kwargs)?;
            describe::fields_get(model, b.get("allfields"), b.get("attributes"))
        }
        "default_get" => {
            let b = sig("BaseModel.default_get", &[("fields_list", true)]).bind(rest, kwargs)?;
            describe::default_get(env, model, b.get("fields_list"))
        }
        "read_group" => {
            let b = sig(
                "BaseModel.read_group",
                &[
                    ("domain", true),
                    ("fields", true),
                    ("groupby", true),
                    ("offset", false),
                    ("limit", false),
                    ("orderby", false),
                    ("lazy", false),
                ],
            )
            .bind(rest, kwargs)?;
            crate::group::read_group(db.get(), env, model, &b)
        }
        "check_access_rights" => {
            let b = sig(
                "BaseModel.check_access_rights",
                &[("operation", true), ("raise_exception", false)],
            )
            .bind(rest, kwargs)?;
            let name = b.get("operation").and_then(Value::as_str).unwrap_or("read");
            let Some(op) = Operation::parse(name) else {
                return Err(Fault::value(format!("Invalid access mode: {name}")));
            };
            match access::check_rights(db.get(), model, op, env.uid) {
                Ok(()) => Ok(Value::Bool(true)),
                Err(fault) => match b.get("raise_exception") {
                    Some(Value::Bool(false)) | Some(Value::Int(0)) => Ok(Value::Bool(false)),
                    _ => Err(fault),
                },
            }
        }
        "create" => {
            let b = sig("BaseModel.create", &[("vals_list", true)]).bind(rest, kwargs)?;
            let db = db.get_mut()?;
            match b.get("vals_list") {
                Some(Value::Array(list)) => {
                    let planned = list
                        .iter()
                        .map(|vals| write::plan_create(db, model, vals, env, None))
                        .collect::<Result<Vec<_>, _>>()?;
                    check_new(db, env, model, &planned)?;
                    let ids = planned
                        .into_iter()
                        .map(|p| Value::Int(write::apply_create(db, p, env)))
                        .collect();
                    Ok(Value::Array(ids))
                }
                Some(vals) => {
                    let planned = write::plan_create(db, model, vals, env, None)?;
                    check_new(db, env, model, std::slice::from_ref(&planned))?;
                    Ok(Value::Int(write::apply_create(db, planned, env)))
                }
                None => Err(Fault::type_error(
                    "BaseModel.create() argument vals_list must not be None",
                )),
            }
        }
        "write" => {
            let b = sig("BaseModel.write", &[("vals", true)]).bind(rest, kwargs)?;
            let db = db.get_mut()?;
            check_exist(db, model, &ids, env.uid)?;
            // A write reads the records first, so the rule refuses it as a read (124).
            access::check_rule(db, model, env.uid, &ids, Operation::Read)?;
            let vals = b.get("vals").cloned().unwrap_or(Value::Struct(vec![]));
            let planned = write::plan_write(db, model, &vals, env)?;
            write::apply_write(db, &ids, planned, env);
            Ok(Value::Bool(true))
        }
        "unlink" => {
            sig("BaseModel.unlink", &[]).bind(rest, kwargs)?;
            let db = db.get_mut()?;
            check_exist(db, model, &ids, env.uid)?;
            access::check_rule(db, model, env.uid, &ids, Operation::Unlink)?;
            write::remove(db, &model.name, &ids);
            Ok(Value::Bool(true))
        }
        "name_create" => {
            let b = sig("BaseModel.name_create", &[("name", true)]).bind(rest, kwargs)?;
            let db = db.get_mut()?;
            let name = b.get("name").cloned().unwrap_or(Value::Bool(false));
            let vals = Value::Struct(vec![(model.rec_name.clone(), name)]);
            let planned = write::plan_create(db, model, &vals, env, None)?;
            check_new(db, env, model, std::slice::from_ref(&planned))?;
            let id = write::apply_create(db, planned, env);
            let display = db.display_name(&model.name, id).unwrap_or_default();
            Ok(Value::Array(vec![Value::Int(id), Value::String(display)]))
        }
        "load" => {
            let b =
                sig("BaseModel.load", &[("fields", true), ("data", true)]).bind(rest, kwargs)?;
            let db = db.get_mut()?;
            load::load(db, env, model, b.get("fields"), b.get("data"))
        }
        "action_archive" | "action_unarchive" => {
            sig("BaseModel.action_archive", &[]).bind(rest, kwargs)?;
            let db = db.get_mut()?;
            check_exist(db, model, &ids, env.uid)?;
            access::check_rule(db, model, env.uid, &ids, Operation::Read)?;
            let active = method == "action_unarchive";
            let vals = Value::Struct(vec![("active".into(), Value::Bool(active))]);
            let planned = write::plan_write(db, model, &vals, env)?;
            write::apply_write(db, &ids, planned, env);
            // The real method returns None, which the XML-RPC layer cannot marshal (087).
            Ok(Value::Nil)
        }
        _ => Err(mode.unknown_method(&model.name, method)),
    }
}

/// The first half of `load`: its arguments bound and every row checked, under the shared lock
/// ([`load::check`]).
pub fn check_load<'a>(
    db: &Database,
    env: &Env,
    model: &Arc<Model>,
    args: &'a [Value],
    kwargs: &'a [(String, Value)],
) -> Result<load::Checked<'a>, Fault> {
    access::check_rights(db, model, Operation::Create, env.uid)?;
    let b = sig("BaseModel.load", &[("fields", true), ("data", true)]).bind(args, kwargs)?;
    load::check(db, env, model, b.get("fields"), b.get("data"))
}

/// Access to the database under whichever lock the method took.
pub enum DbHandle<'a> {
    /// The shared lock: reads only.
    Shared(&'a Database),
    /// The exclusive lock.
    Exclusive(&'a mut Database),
}

impl DbHandle<'_> {
    /// The database, for reading.
    pub fn get(&self) -> &Database {
        match self {
            DbHandle::Shared(db) => db,
            DbHandle::Exclusive(db) => db,
        }
    }

    /// The database, for a writing method: the write makes a new [`Database::revision`].
    fn get_mut(&mut self) -> Result<&mut Database, Fault> {
        match self {
            DbHandle::Exclusive(db) => {
                db.revision += 1;
                Ok(db)
            }
            DbHandle::Shared(_) => Err(Fault::exception(
                "RuntimeError",
                "a writing method was dispatched under the shared lock",
            )),
        }
    }
}

fn check_exist(db: &Database, model: &Model, ids: &[i64], uid: i64) -> Result<(), Fault> {
    let missing: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|&i| !db.exists(&model.name, i))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Fault::missing(&model.name, &missing, uid))
    }
}

/// Refuses to create records the caller's record rule would not let them see: a real server
/// checks the rule on the new records before it commits. Not recorded: the text follows 123's
/// pattern with the 'create' operation.
fn check_new(
    db: &Database,
    env: &Env,
    model: &Arc<Model>,
    planned: &[write::Planned],
) -> Result<(), Fault> {
    let Some(rule) = access::rule_domain(db, model, env.uid)? else {
        return Ok(());
    };
    if planned
        .iter()
        .all(|p| access::allows_new(db, &rule, &p.preview()))
    {
        Ok(())
    } else {
        Err(access::refused(db, model, env.uid, Operation::Create))
    }
}

fn count(db: &Database, model: &Model, domain: &Domain) -> i64 {
    matching(db, model, domain).count() as i64
}

/// The records of `model` matching `domain`, in id order. External-id lookups (`ir.model.data`
/// by `module` and `name`, as the SDK's loader makes one per chunk) go through the external-id
/// index, as the real server's unique index on `(module, name)` answers them; every other domain
/// scans the table, from the lowest id it allows.
fn matching<'a>(
    db: &'a Database,
    model: &Model,
    domain: &'a Domain,
) -> Box<dyn Iterator<Item = (i64, &'a Record)> + 'a> {
    let Some(table) = db.table(&model.name) else {
        return Box::new(std::iter::empty());
    };
    if let Some(mut ids) = xmlid_candidates(db, model, domain) {
        ids.sort_unstable();
        ids.dedup();
        return Box::new(ids.into_iter().filter_map(move |id| {
            let rec = table.records.get(&id)?;
            domain.matches(db, id, rec).then_some((id, rec))
        }));
    }
    let records = match domain.id_floor() {
        Some(floor) => table.records.range(floor..),
        None => table.records.range(..),
    };
    Box::new(
        records
            .filter(move |&(&id, rec)| domain.matches(db, id, rec))
            .map(|(&id, rec)| (id, rec)),
    )
}

/// The `ir.model.data` ids the external-id index holds for a domain that pins both `module` and
/// `name`: a superset of the matches, which the domain still filters.
fn xmlid_candidates(db: &Database, model: &Model, domain: &Domain) -> Option<Vec<i64>> {
    if model.name != "ir.model.data" {
        return None;
    }
    let modules = domain.pinned_strings("module")?;
    let names = domain.pinned_strings("name")?;
    let mut ids = Vec::with_capacity(names.len());
    for module in modules {
        if let Some(by_name) = db.xmlids.get(module) {
            ids.extend(names.iter().filter_map(|name| by_name.get(*name).copied()));
        }
    }
    Some(ids)
}

/// Parses an `order` string, refusing unknown fields like the real server.
pub fn parse_order(model: &Model, order: Option<&Value>) -> Result<Vec<(String, bool)>, Fault> {
    let text = match order {
        None | Some(Value::Bool(false)) => return Ok(model.order.clone()),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(model.order.clone()),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(Fault::value(format!(
                "Invalid \"order\" specified ({}).",
                py_value(other)
            )));
        }
    };
    let invalid = || {
        Fault::value(format!(
            "Invalid \"order\" specified ({text}). A valid \"order\" specification is a \
             comma-separated list of valid field names (optionally followed by asc/desc for the \
             direction)"
        ))
    };
    let mut out = Vec::new();
    for part in text.split(',') {
        let words: Vec<&str> = part.split_whitespace().collect();
        let Some(field) = words.first() else {
            return Err(invalid());
        };
        if model.field_index(field).is_none() {
            return Err(invalid());
        }
        let desc = match words.get(1).map(|w| w.to_ascii_lowercase()) {
            None => false,
            Some(w) if w == "asc" => false,
            Some(w) if w == "desc" => true,
            Some(_) => return Err(invalid()),
        };
        out.push(((*field).to_owned(), desc));
    }
    Ok(out)
}

/// Runs a search with `domain`, `offset`, `limit`, `order` arguments; returns ordered ids.
pub fn search(db: &Database, env: &Env, model: &Arc<Model>, b: &Bound) -> Result<Vec<i64>, Fault> {
    let domain = parse_domain(db, env, model, b.get("domain"))?;
    let order = parse_order(model, b.get("order"))?;
    let offset = int_arg(b.get("offset"), 0)?.max(0) as usize;
    let limit = match b.get("limit") {
        None | Some(Value::Bool(false)) => None,
        Some(v) => Some(int_arg(Some(v), 0)?.max(0) as usize),
    };
    // Ordered by id ascending (how clients page through a table), the table's own order is the
    // answer's: stop at the last record the page needs, as a database would with its index.
    let by_id = matches!(order.as_slice(), [(field, false)] if field == "id");
    let wanted = match (by_id, limit) {
        (true, Some(limit)) => offset.saturating_add(limit),
        _ => usize::MAX,
    };
    let mut ids: Vec<i64> = matching(db, model, &domain)
        .map(|(id, _)| id)
        .take(wanted)
        .collect();
    if !by_id {
        db.sort_by_order(model, &order, &mut ids);
    }
    let end = limit.map_or(ids.len(), |l| offset.saturating_add(l).min(ids.len()));
    Ok(ids
        .get(offset.min(ids.len())..end)
        .unwrap_or_default()
        .to_vec())
}

/// The field names `read` returns, in order, with `id` first.
fn read_fields(model: &Model, fields: Option<&Value>) -> Result<Vec<usize>, Fault> {
    let names: Vec<String> = match fields {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(Fault::value(format!(
                    "Invalid field {} on model '{}'",
                    py_value(other),
                    model.name
                ))),
            })
            .collect::<Result<_, _>>()?,
        Some(Value::String(s)) => vec![s.clone()],
        _ => model
            .fields
            .iter()
            .filter(|f| f.name != "id")
            .map(|f| f.name.clone())
            .collect(),
    };
    let mut out = Vec::with_capacity(names.len() + 1);
    if let Some(id) = model.field_index("id") {
        out.push(id);
    }
    for name in names {
        let idx = model
            .field_index(&name)
            .ok_or_else(|| invalid_field(model, &name))?;
        if !out.contains(&idx) {
            out.push(idx);
        }
    }
    Ok(out)
}

/// `read`: records of existing `ids` (missing ones are dropped, as in 17.0), `id` first and then
/// the requested fields in the requested order.
pub fn read(
    db: &Database,
    model: &Model,
    ids: &[i64],
    fields: Option<&Value>,
) -> Result<Value, Fault> {
    let fields = read_fields(model, fields)?;
    // One2many values of many records come from one scan of the comodel, not one per record.
    let children: HashMap<usize, HashMap<i64, Vec<i64>>> = if ids.len() > 16 {
        fields
            .iter()
            .filter(|&&idx| model.fields[idx].ftype == FieldType::One2many)
            .filter_map(|&idx| Some((idx, db.one2many_index(model, idx)?)))
            .collect()
    } else {
        HashMap::new()
    };
    let mut seen = HashSet::with_capacity(ids.len());
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        if !seen.insert(id) {
            continue;
        }
        let Some(rec) = db.record(&model.name, id) else {
            continue;
        };
        out.push(read_record(db, model, id, rec, &fields, &children));
    }
    Ok(Value::Array(out))
}

fn read_record(
    db: &Database,
    model: &Model,
    id: i64,
    rec: &Record,
    fields: &[usize],
    children: &HashMap<usize, HashMap<i64, Vec<i64>>>,
) -> Value {
    let members = fields
        .iter()
        .map(|&idx| {
            let field = &model.fields[idx];
            let value = if model.name == "res.users" && field.name == "password" {
                Value::String(String::new())
            } else if let Some(index) = children.get(&idx) {
                let ids = index.get(&id).map(Vec::as_slice).unwrap_or_default();
                Value::Array(ids.iter().copied().map(Value::Int).collect())
            } else {
                convert::to_read(db, field, db.stored_value(model, id, rec, idx))
            };
            (field.name.clone(), value)
        })
        .collect();
    Value::Struct(members)
}

fn name_get(db: &Database, model: &Model, ids: &[i64]) -> Value {
    Value::Array(
        ids.iter()
            .filter_map(|&id| {
                let rec = db.record(&model.name, id)?;
                Some(Value::Array(vec![
                    Value::Int(id),
                    Value::String(db.display_name_of(model, id, rec)),
                ]))
            })
            .collect(),
    )
}

fn name_search(db: &Database, env: &Env, model: &Arc<Model>, b: &Bound) -> Result<Value, Fault> {
    let name = b
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let operator = b
        .get("operator")
        .and_then(Value::as_str)
        .unwrap_or("ilike")
        .to_owned();
    let limit = int_arg(b.get("limit"), 100)?;
    let mut items = match b.get("args") {
        Some(Value::Array(items)) => items.clone(),
        _ => vec![],
    };
    if !name.is_empty() || !matches!(operator.as_str(), "ilike" | "like" | "=like" | "=ilike") {
        let field = if model.field_index("display_name").is_some() && model.rec_name == "name" {
            model.rec_name.clone()
        } else {
            "display_name".to_owned()
        };
        let leaf = Value::Array(vec![
            Value::String(field),
            Value::String(operator),
            Value::String(name),
        ]);
        if items.is_empty() {
            items.push(leaf);
        } else {
            items.insert(0, Value::from("&"));
            items.push(leaf);
        }
    }
    let domain = parse_domain(db, env, model, Some(&Value::Array(items)))?;
    let Some(table) = db.table(&model.name) else {
        return Ok(Value::Array(vec![]));
    };
    let mut ids: Vec<i64> = table
        .records
        .iter()
        .filter(|&(&id, rec)| domain.matches(db, id, rec))
        .map(|(&id, _)| id)
        .collect();
    db.sort_ids(model, &mut ids);
    if limit > 0 {
        ids.truncate(limit as usize);
    }
    Ok(name_get(db, model, &ids))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Registry;

    #[test]
    fn order_strings_are_checked() {
        let registry = Registry::builtin();
        let lead = registry.model("crm.lead").unwrap();
        assert_eq!(
            parse_order(lead, Some(&Value::from("expected_revenue desc, id"))).unwrap(),
            vec![
                ("expected_revenue".to_owned(), true),
                ("id".to_owned(), false)
            ]
        );
        assert!(parse_order(lead, Some(&Value::from("nope desc"))).is_err());
        assert!(parse_order(lead, Some(&Value::from("name sideways"))).is_err());
    }
}
