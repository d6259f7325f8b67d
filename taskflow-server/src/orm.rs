//! The ORM methods clients call through `execute_kw`: `create`, `write`, `read`, `search`,
//! `search_read`, `search_count`, `unlink`, `name_get`, `name_search`, `name_create`,
//! `fields_get`, `default_get`, `read_group`, `formatted_read_group` (19), `load`,
//! `check_access_rights`, `action_archive`.
//!
//! This module binds each method's arguments (with the table of `signature`), checks the caller's rights and hands it to its
//! operation: reads in `read`, changes in `write` (planned in full, then applied),
//! `fields_get`/`default_get` in `describe`, `load` and `read_group` in their own modules.

use std::sync::Arc;

use taskflow_sdk::xmlrpc::Value;

use crate::access::{self, Operation};
use crate::domain::py_value;
use crate::env::Env;
use crate::fault::Fault;
use crate::mode::Mode;
use crate::schema::Model;
use crate::signature;
use crate::store::Database;
use crate::{describe, load, read, write};

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
        | "formatted_read_group"
        | "check_access_rights"
        | "context_get" => Access::Read,
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
    let Some(spec) = signature::method(&model.name, method, mode) else {
        return Err(mode.unknown_method(&model.name, method));
    };
    let (ids, rest) = if spec.records {
        (ids_arg(args.first())?, args.get(1..).unwrap_or_default())
    } else {
        (vec![], args)
    };
    let b = spec.signature.bind(rest, kwargs)?;
    match method {
        "read" => {
            access::check_rule(db.get(), model, env.uid, &ids, Operation::Read)?;
            read::read(db.get(), model, &ids, b.get("fields"))
        }
        "name_get" if mode.has_name_get() => {
            access::check_rule(db.get(), model, env.uid, &ids, Operation::Read)?;
            Ok(read::name_get(db.get(), model, &ids))
        }
        "search" => {
            let found = read::search(db.get(), env, model, &b)?;
            Ok(Value::Array(found.into_iter().map(Value::Int).collect()))
        }
        "search_read" => {
            let found = read::search(db.get(), env, model, &b)?;
            read::read(db.get(), model, &found, b.get("fields"))
        }
        "search_count" => read::search_count(db.get(), env, model, &b),
        "name_search" => read::name_search(db.get(), env, model, &b),
        "fields_get" => describe::fields_get(model, b.get("allfields"), b.get("attributes")),
        "default_get" => describe::default_get(env, model, b.get("fields_list")),
        "read_group" => crate::group::read_group(db.get(), env, model, &b),
        "formatted_read_group" => crate::group::formatted_read_group(db.get(), env, model, &b),
        // `res.users.context_get`: the user's language, timezone and uid (what clients read
        // after logging in; odooly does).
        "context_get" if model.name == "res.users" => Ok(Value::Struct(vec![
            ("lang".into(), Value::from("en_US")),
            ("tz".into(), Value::from("Europe/Brussels")),
            ("uid".into(), Value::Int(env.uid)),
        ])),
        "check_access_rights" => {
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
            let db = db.get_mut()?;
            match b.get("vals_list") {
                Some(Value::Array(list)) => {
                    let planned = list
                        .iter()
                        .map(|vals| write::plan_create(db, model, vals, env, None))
                        .collect::<Result<Vec<_>, _>>()?;
                    write::check_new(db, env, model, &planned)?;
                    let ids = planned
                        .into_iter()
                        .map(|p| Value::Int(write::apply_create(db, p, env)))
                        .collect();
                    Ok(Value::Array(ids))
                }
                Some(vals) => {
                    let planned = write::plan_create(db, model, vals, env, None)?;
                    write::check_new(db, env, model, std::slice::from_ref(&planned))?;
                    Ok(Value::Int(write::apply_create(db, planned, env)))
                }
                None => Err(Fault::type_error(
                    "BaseModel.create() argument vals_list must not be None",
                )),
            }
        }
        "write" => {
            let db = db.get_mut()?;
            check_exist(db, model, &ids, env.uid)?;
            // A write reads the records first, so the rule refuses it as a read (124).
            access::check_rule(db, model, env.uid, &ids, Operation::Read)?;
            let vals = b.get("vals").cloned().unwrap_or(Value::Struct(vec![]));
            write::check_recursion(db, model, &ids, &vals)?;
            let planned = write::plan_write(db, model, &vals, env)?;
            write::apply_write(db, &ids, planned, env);
            Ok(Value::Bool(true))
        }
        "unlink" => {
            let db = db.get_mut()?;
            check_exist(db, model, &ids, env.uid)?;
            access::check_rule(db, model, env.uid, &ids, Operation::Unlink)?;
            write::remove(db, &model.name, &ids);
            Ok(Value::Bool(true))
        }
        "name_create" => {
            let db = db.get_mut()?;
            let name = b.get("name").cloned().unwrap_or(Value::Bool(false));
            let vals = Value::Struct(vec![(model.rec_name.clone(), name)]);
            let planned = write::plan_create(db, model, &vals, env, None)?;
            write::check_new(db, env, model, std::slice::from_ref(&planned))?;
            let id = write::apply_create(db, planned, env);
            let display = db.display_name(&model.name, id).unwrap_or_default();
            Ok(Value::Array(vec![Value::Int(id), Value::String(display)]))
        }
        "load" => {
            let db = db.get_mut()?;
            load::load(db, env, model, b.get("fields"), b.get("data"))
        }
        "action_archive" | "action_unarchive" => {
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
    let spec = signature::method(&model.name, "load", Mode::default())
        .ok_or_else(|| Fault::exception("RuntimeError", "load has no signature"))?;
    let b = spec.signature.bind(args, kwargs)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Checked, Staged};
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
        match load::check(db, env, lead, Some(header), Some(data)).expect("checks") {
            Checked::Staged(staged) => staged,
            Checked::Rejected(answer) => panic!("rejected: {answer:?}"),
        }
    }

    #[test]
    fn any_other_write_since_the_check_sends_a_load_back_to_be_checked_again() {
        let (mut db, env, lead) = demo();
        let rows = table(&[("kept.a", "Kept a")]);
        let pending = staged(&db, &env, &lead, &rows);
        // Another load that took none of its ids leaves it valid.
        let other = table(&[("other.a", "Other a")]);
        let other = staged(&db, &env, &lead, &other);
        load::apply(&mut db, &env, other);
        assert!(load::still_applies(&db, &pending));
        // A write through any other method (here an unlink) may have removed what it relies on.
        let victim = db.resolve_xmlid("other", "a").unwrap().1;
        call(
            &mut DbHandle::Exclusive(&mut db),
            &env,
            &lead,
            "unlink",
            &[Value::Array(vec![Value::Int(victim)])],
            &[],
            Mode::default(),
        )
        .expect("unlink");
        assert!(!load::still_applies(&db, &pending));
    }
}
