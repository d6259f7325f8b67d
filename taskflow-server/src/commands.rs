//! One2many and many2many command tuples: `(0, 0, vals)` create, `(1, id, vals)` update,
//! `(2, id)` delete, `(3, id)` unlink, `(4, id)` link, `(5,)` clear, `(6, 0, ids)` replace.
//!
//! Accepted as 3-element lists and in the short forms the real server accepts (`[5]`, `[4, id]`,
//! transcripts 110-111), and a plain id list as a replace. Commands are checked completely before
//! anything changes (so a bad command leaves the record untouched) and then applied in order.

use taskflow_sdk::xmlrpc::Value;

use crate::access::{self, Operation};
use crate::domain::py_value;
use crate::env::Env;
use crate::fault::Fault;
use crate::schema::{Field, FieldType, Model};
use crate::store::Database;
use crate::write::{self, Planned};

/// A checked x2many command.
#[derive(Clone, Debug)]
pub enum Command {
    /// `(0, 0, vals)`: create a comodel record and link it.
    Create(Box<Planned>),
    /// `(1, id, vals)`: update a linked record.
    Update(i64, Box<Planned>),
    /// `(2, id)`: delete the record.
    Delete(i64),
    /// `(3, id)`: cut the link, keep the record.
    Unlink(i64),
    /// `(4, id)`: link an existing record.
    Link(i64),
    /// `(5,)`: cut every link.
    Clear,
    /// `(6, 0, ids)`: replace the links.
    Set(Vec<i64>),
}

fn bad(model: &Model, field: &Field, value: &Value) -> Fault {
    Fault::value(format!(
        "Wrong value for {}.{}: {}",
        model.name,
        field.name,
        py_value(value)
    ))
}

fn id_of(v: Option<&Value>) -> Option<i64> {
    match v {
        Some(Value::Int(i)) => Some(*i),
        _ => None,
    }
}

/// Parses and checks the commands written to x2many `field` of `model`.
pub fn parse(
    db: &Database,
    model: &Model,
    field: &Field,
    value: &Value,
    env: &Env,
) -> Result<Vec<Command>, Fault> {
    let relation = field.relation.as_deref().unwrap_or_default();
    let comodel = db.model(relation);
    let items = match value {
        Value::Bool(false) | Value::Nil => return Ok(vec![Command::Clear]),
        Value::Array(items) => items,
        other => return Err(bad(model, field, other)),
    };
    // A plain list of ids replaces the links.
    if !items.is_empty() && items.iter().all(|v| matches!(v, Value::Int(_))) {
        let ids: Vec<i64> = items.iter().filter_map(Value::as_i64).collect();
        check_exist(db, relation, &ids, env.uid)?;
        return Ok(vec![Command::Set(ids)]);
    }
    let mut commands = Vec::with_capacity(items.len());
    for item in items {
        let Value::Array(parts) = item else {
            return Err(bad(model, field, item));
        };
        let Some(Value::Int(code)) = parts.first() else {
            return Err(bad(model, field, item));
        };
        let id = id_of(parts.get(1));
        let third = parts.get(2);
        let command = match (*code, id, third) {
            (0, _, Some(vals @ Value::Struct(_))) => {
                let comodel = comodel.as_ref().ok_or_else(|| bad(model, field, item))?;
                access::check_rights(db, comodel, Operation::Create, env.uid)?;
                let planned = write::plan_create(db, comodel, vals, env, field.inverse.as_deref())?;
                Command::Create(Box::new(planned))
            }
            (1, Some(id), Some(vals @ Value::Struct(_))) => {
                let comodel = comodel.as_ref().ok_or_else(|| bad(model, field, item))?;
                access::check_rights(db, comodel, Operation::Write, env.uid)?;
                check_exist(db, relation, &[id], env.uid)?;
                access::check_rule(db, comodel, env.uid, &[id], Operation::Read)?;
                Command::Update(id, Box::new(write::plan_write(db, comodel, vals, env)?))
            }
            (2, Some(id), _) => {
                if let Some(comodel) = &comodel {
                    access::check_rights(db, comodel, Operation::Unlink, env.uid)?;
                }
                check_exist(db, relation, &[id], env.uid)?;
                if let Some(comodel) = &comodel {
                    access::check_rule(db, comodel, env.uid, &[id], Operation::Unlink)?;
                }
                Command::Delete(id)
            }
            (3, Some(id), _) => Command::Unlink(id),
            (4, Some(id), _) => {
                check_exist(db, relation, &[id], env.uid)?;
                Command::Link(id)
            }
            (5, _, _) => Command::Clear,
            (6, _, Some(Value::Array(ids))) => {
                let ids: Vec<i64> = ids.iter().filter_map(Value::as_i64).collect();
                check_exist(db, relation, &ids, env.uid)?;
                Command::Set(ids)
            }
            (6, _, Some(Value::Bool(false))) => Command::Set(vec![]),
            _ => return Err(bad(model, field, item)),
        };
        commands.push(command);
    }
    Ok(commands)
}

fn check_exist(db: &Database, relation: &str, ids: &[i64], uid: i64) -> Result<(), Fault> {
    if db.table(relation).is_none() {
        return Ok(());
    }
    let missing: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|&i| !db.exists(relation, i))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Fault::missing(relation, &missing, uid))
    }
}

/// Applies checked commands to x2many field `field_idx` of record `id`.
pub fn apply(
    db: &mut Database,
    model: &Model,
    id: i64,
    field_idx: usize,
    commands: Vec<Command>,
    env: &Env,
) {
    let field = model.fields[field_idx].clone();
    let relation = field.relation.clone().unwrap_or_default();
    match field.ftype {
        FieldType::Many2many => {
            let mut ids: Vec<i64> = match db.record(&model.name, id).and_then(|r| r.get(field_idx))
            {
                Some(Value::Array(items)) => items.iter().filter_map(Value::as_i64).collect(),
                _ => vec![],
            };
            for command in commands {
                match command {
                    Command::Create(planned) => {
                        let new = write::apply_create(db, *planned, env);
                        ids.push(new);
                    }
                    Command::Update(target, planned) => {
                        write::apply_write(db, &[target], *planned, env)
                    }
                    Command::Delete(target) => {
                        write::remove(db, &relation, &[target]);
                        ids.retain(|&i| i != target);
                    }
                    Command::Unlink(target) => ids.retain(|&i| i != target),
                    Command::Link(target) => ids.push(target),
                    Command::Clear => ids.clear(),
                    Command::Set(new) => ids = new,
                }
            }
            ids.sort_unstable();
            ids.dedup();
            let value =
                (!ids.is_empty()).then(|| Value::Array(ids.into_iter().map(Value::Int).collect()));
            if let Some(rec) = db
                .table_mut(&model.name)
                .and_then(|t| t.records.get_mut(&id))
            {
                rec.set(field_idx, value);
            }
        }
        FieldType::One2many => {
            let Some(inverse) = field.inverse.clone() else {
                return;
            };
            let Some(comodel) = db.model(&relation) else {
                return;
            };
            let Some(inv_idx) = comodel.field_index(&inverse) else {
                return;
            };
            let set_parent = |db: &mut Database, child: i64, parent: Option<i64>| {
                if let Some(rec) = db
                    .table_mut(&relation)
                    .and_then(|t| t.records.get_mut(&child))
                {
                    rec.set(inv_idx, parent.map(Value::Int));
                }
            };
            let children = |db: &Database| -> Vec<i64> {
                db.table(&relation)
                    .map(|t| {
                        t.records
                            .iter()
                            .filter(|(_, r)| r.get(inv_idx).and_then(Value::as_i64) == Some(id))
                            .map(|(&c, _)| c)
                            .collect()
                    })
                    .unwrap_or_default()
            };
            for command in commands {
                match command {
                    Command::Create(mut planned) => {
                        planned.set(inv_idx, Some(Value::Int(id)));
                        write::apply_create(db, *planned, env);
                    }
                    Command::Update(target, planned) => {
                        write::apply_write(db, &[target], *planned, env)
                    }
                    Command::Delete(target) => write::remove(db, &relation, &[target]),
                    Command::Unlink(target) => set_parent(db, target, None),
                    Command::Link(target) => set_parent(db, target, Some(id)),
                    Command::Clear => {
                        for child in children(db) {
                            set_parent(db, child, None);
                        }
                    }
                    Command::Set(new) => {
                        for child in children(db) {
                            if !new.contains(&child) {
                                set_parent(db, child, None);
                            }
                        }
                        for child in new {
                            set_parent(db, child, Some(id));
                        }
                    }
                }
            }
        }
        _ => {}
    }
}
