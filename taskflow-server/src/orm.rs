//! The ORM methods clients call through `execute_kw`: `create`, `write`, `read`, `search`,
//! `search_read`, `search_count`, `unlink`, `name_get`, `name_search`, `name_create`,
//! `fields_get`, `default_get`, `read_group`, `load`, `check_access_rights`, `action_archive`.
//!
//! Writes are planned first (every value converted and checked, nested commands included) and
//! applied only when the whole call is valid, so a fault never leaves half a change behind.

use std::collections::HashSet;
use std::sync::Arc;

use taskflow_sdk::xmlrpc::Value;

use crate::commands::{self, Command};
use crate::convert;
use crate::domain::{Domain, py_value};
use crate::fault::Fault;
use crate::load;
use crate::schema::{DefaultValue, Field, FieldType, Model};
use crate::signature::{Bound, Signature};
use crate::store::{Database, Record};

/// Who is calling, and with what context.
#[derive(Clone, Debug)]
pub struct Env {
    /// The calling user.
    pub uid: i64,
    /// Whether archived records are hidden (`active_test`, true unless the context says false).
    pub active_test: bool,
    /// The current UTC datetime, fixed for the whole call.
    pub now: String,
}

impl Env {
    /// An environment for `uid` with the call's `context` (a struct, or absent).
    pub fn new(uid: i64, context: Option<&Value>) -> Env {
        let active_test = !matches!(
            context.and_then(|c| c.get("active_test")),
            Some(Value::Bool(false)) | Some(Value::Int(0))
        );
        Env {
            uid,
            active_test,
            now: crate::clock::now(),
        }
    }

    fn resolve(&self, default: &DefaultValue) -> Value {
        match default {
            DefaultValue::Const(v) => v.clone(),
            DefaultValue::Uid => Value::Int(self.uid),
            DefaultValue::Now => Value::String(self.now.clone()),
        }
    }
}

/// Checked values for one record, ready to apply.
#[derive(Clone, Debug)]
pub struct Planned {
    model: Arc<Model>,
    scalars: Vec<(usize, Option<Value>)>,
    x2many: Vec<(usize, Vec<Command>)>,
    password: Option<String>,
}

impl Planned {
    fn new(model: &Arc<Model>) -> Planned {
        Planned {
            model: model.clone(),
            scalars: Vec::new(),
            x2many: Vec::new(),
            password: None,
        }
    }

    /// Sets a stored value, replacing an earlier one for the same field.
    pub fn set(&mut self, idx: usize, value: Option<Value>) {
        match self.scalars.iter_mut().find(|(i, _)| *i == idx) {
            Some(slot) => slot.1 = value,
            None => self.scalars.push((idx, value)),
        }
    }

    fn has(&self, idx: usize) -> bool {
        self.scalars.iter().any(|(i, _)| *i == idx) || self.x2many.iter().any(|(i, _)| *i == idx)
    }

    fn value(&self, idx: usize) -> Option<&Value> {
        self.scalars
            .iter()
            .find(|(i, _)| *i == idx)
            .and_then(|(_, v)| v.as_ref())
    }

    fn set_named(&mut self, name: &str, value: Value) {
        if let Some(idx) = self.model.field_index(name) {
            self.set(idx, Some(value));
        }
    }
}

/// `ValueError: Invalid field 'x' on model 'm'`.
pub fn invalid_field(model: &Model, name: &str) -> Fault {
    Fault::value(format!("Invalid field '{name}' on model '{}'", model.name))
}

/// Converts the members of a values struct into `planned`.
fn plan_values(
    db: &Database,
    model: &Arc<Model>,
    vals: &Value,
    env: &Env,
    planned: &mut Planned,
) -> Result<(), Fault> {
    let Value::Struct(members) = vals else {
        return Err(Fault::value(format!(
            "dictionary update sequence element #0 has length 1; 2 is required ({})",
            py_value(vals)
        )));
    };
    for (name, value) in members {
        let Some(idx) = model.field_index(name) else {
            return Err(invalid_field(model, name));
        };
        let field = &model.fields[idx];
        if model.name == "res.users" && name == "password" {
            planned.password = value.as_str().map(str::to_owned);
            continue;
        }
        if field.ftype.is_x2many() {
            if field.ftype == FieldType::One2many && field.inverse.is_none() {
                continue; // a relation into a module that does not exist here
            }
            let commands = commands::parse(db, model, field, value, env)?;
            planned.x2many.push((idx, commands));
            continue;
        }
        if !field.stored {
            continue; // computed fields ignore writes, like the real server's non-inverse computes
        }
        planned.set(idx, convert::to_stored(db, model, field, value)?);
    }
    Ok(())
}

/// Plans the creation of one record from `vals`, with defaults, computed create values and the
/// required-field checks. `inverse` names the field a parent one2many will fill in.
pub fn plan_create(
    db: &Database,
    model: &Arc<Model>,
    vals: &Value,
    env: &Env,
    inverse: Option<&str>,
) -> Result<Planned, Fault> {
    let mut planned = Planned::new(model);
    plan_values(db, model, vals, env, &mut planned)?;
    finish_create(db, model, env, inverse, planned)
}

/// Like [`plan_create`], from values already keyed by field index (the `load` path: no name
/// lookups, strings moved rather than copied).
pub fn plan_create_indexed(
    db: &Database,
    model: &Arc<Model>,
    vals: Vec<(usize, Value)>,
    env: &Env,
) -> Result<Planned, Fault> {
    let mut planned = Planned::new(model);
    plan_indexed(db, model, vals, env, &mut planned)?;
    finish_create(db, model, env, None, planned)
}

/// Converts values keyed by field index into `planned`.
fn plan_indexed(
    db: &Database,
    model: &Arc<Model>,
    vals: Vec<(usize, Value)>,
    env: &Env,
    planned: &mut Planned,
) -> Result<(), Fault> {
    for (idx, value) in vals {
        let field = &model.fields[idx];
        if field.ftype.is_x2many() {
            if field.ftype == FieldType::One2many && field.inverse.is_none() {
                continue;
            }
            let commands = commands::parse(db, model, field, &value, env)?;
            planned.x2many.push((idx, commands));
        } else if field.stored {
            planned.set(idx, convert::to_stored_owned(db, model, field, value)?);
        }
    }
    Ok(())
}

/// Defaults, computed create values and required-field checks of a planned creation.
fn finish_create(
    db: &Database,
    model: &Arc<Model>,
    env: &Env,
    inverse: Option<&str>,
    mut planned: Planned,
) -> Result<Planned, Fault> {
    let resolved = &model.resolved;
    for (idx, default) in &resolved.create_defaults {
        if !planned.has(*idx) {
            planned.set(*idx, Some(env.resolve(default)));
        }
    }
    for (idx, value) in [
        (resolved.create_uid, Value::Int(env.uid)),
        (resolved.write_uid, Value::Int(env.uid)),
        (resolved.create_date, Value::String(env.now.clone())),
        (resolved.write_date, Value::String(env.now.clone())),
    ] {
        if let Some(idx) = idx {
            planned.set(idx, Some(value));
        }
    }
    behaviour_on_create(db, &mut planned);
    for &idx in &resolved.required {
        let field = &model.fields[idx];
        let auto = Some(field.name.as_str()) == inverse
            || (model.name == "res.users" && field.name == "partner_id");
        if !auto && planned.value(idx).is_none() {
            return Err(convert::not_null(model, field));
        }
    }
    if let Some(message) = &model.name_required {
        let named = model
            .field_index("name")
            .and_then(|i| planned.value(i))
            .is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty()));
        if !named {
            return Err(Fault::User(format!(
                "The operation cannot be completed: {message}"
            )));
        }
    }
    Ok(planned)
}

/// Plans a write of `vals` (no defaults; clearing a required field is refused).
pub fn plan_write(
    db: &Database,
    model: &Arc<Model>,
    vals: &Value,
    env: &Env,
) -> Result<Planned, Fault> {
    let mut planned = Planned::new(model);
    plan_values(db, model, vals, env, &mut planned)?;
    finish_write(model, env, planned)
}

/// Like [`plan_write`], from values keyed by field index (the `load` path).
pub fn plan_write_indexed(
    db: &Database,
    model: &Arc<Model>,
    vals: Vec<(usize, Value)>,
    env: &Env,
) -> Result<Planned, Fault> {
    let mut planned = Planned::new(model);
    plan_indexed(db, model, vals, env, &mut planned)?;
    finish_write(model, env, planned)
}

/// Required-field checks and computed values of a planned write.
fn finish_write(model: &Arc<Model>, env: &Env, mut planned: Planned) -> Result<Planned, Fault> {
    for &(idx, ref value) in &planned.scalars {
        let field = &model.fields[idx];
        if field.required && value.is_none() {
            return Err(convert::not_null(model, field));
        }
    }
    if model.name == "crm.lead" {
        if let Some(stage) = model.field_index("stage_id") {
            if planned.has(stage) {
                planned.set_named("date_last_stage_update", Value::String(env.now.clone()));
            }
        }
    }
    planned.set_named("write_uid", Value::Int(env.uid));
    planned.set_named("write_date", Value::String(env.now.clone()));
    behaviour_on_write(&mut planned);
    Ok(planned)
}

/// Values the real server computes on create that clients observe.
fn behaviour_on_create(db: &Database, planned: &mut Planned) {
    let model = planned.model.clone();
    match model.name.as_str() {
        // A lead takes its customer's country, as the real onchange does (transcript 023).
        "crm.lead" => {
            let (Some(partner_idx), Some(country_idx)) = (
                model.field_index("partner_id"),
                model.field_index("country_id"),
            ) else {
                return;
            };
            if planned.value(country_idx).is_some() {
                return;
            }
            let country = planned
                .value(partner_idx)
                .and_then(Value::as_i64)
                .and_then(|p| {
                    let partner = db.model("res.partner")?;
                    db.record("res.partner", p)?
                        .get(partner.field_index("country_id")?)
                        .cloned()
                });
            if let Some(country) = country {
                planned.set(country_idx, Some(country));
            }
        }
        "res.partner" => behaviour_on_write(planned),
        _ => {}
    }
}

fn behaviour_on_write(planned: &mut Planned) {
    if planned.model.name == "res.partner" {
        if let Some(is_company) = planned.model.field_index("is_company") {
            if planned.has(is_company) {
                let company = matches!(planned.value(is_company), Some(Value::Bool(true)));
                planned.set_named(
                    "company_type",
                    Value::from(if company { "company" } else { "person" }),
                );
            }
        }
    }
}

/// Applies a planned creation and returns the new id.
pub fn apply_create(db: &mut Database, mut planned: Planned, env: &Env) -> i64 {
    let model = planned.model.clone();
    if model.name == "res.users" {
        ensure_user_partner(db, &mut planned, env);
    }
    let mut record = Record::default();
    for (idx, value) in std::mem::take(&mut planned.scalars) {
        record.set(idx, value);
    }
    let id = db.insert(&model.name, record);
    for (idx, commands) in std::mem::take(&mut planned.x2many) {
        commands::apply(db, &model, id, idx, commands, env);
    }
    if let Some(password) = planned.password.take() {
        db.passwords.insert(id, password);
    }
    if model.name == "ir.model.data" {
        db.reindex_xmlids();
    }
    id
}

/// A user needs a partner: create one named like the user when none is given.
fn ensure_user_partner(db: &mut Database, planned: &mut Planned, env: &Env) {
    let model = planned.model.clone();
    let Some(partner_idx) = model.field_index("partner_id") else {
        return;
    };
    if planned.value(partner_idx).is_some() {
        return;
    }
    let name = model
        .field_index("name")
        .and_then(|i| planned.value(i))
        .or_else(|| model.field_index("login").and_then(|i| planned.value(i)))
        .cloned()
        .unwrap_or_else(|| Value::from("User"));
    let Some(partner) = db.model("res.partner") else {
        return;
    };
    let vals = Value::Struct(vec![("name".into(), name)]);
    if let Ok(p) = plan_create(db, &partner, &vals, env, None) {
        let pid = apply_create(db, p, env);
        planned.set(partner_idx, Some(Value::Int(pid)));
    }
}

/// Applies planned values to existing records.
pub fn apply_write(db: &mut Database, ids: &[i64], planned: Planned, env: &Env) {
    let model = planned.model.clone();
    for &id in ids {
        if let Some(rec) = db
            .table_mut(&model.name)
            .and_then(|t| t.records.get_mut(&id))
        {
            for (idx, value) in &planned.scalars {
                rec.set(*idx, value.clone());
            }
        }
        for (idx, commands) in &planned.x2many {
            commands::apply(db, &model, id, *idx, commands.clone(), env);
        }
        if let Some(password) = &planned.password {
            db.passwords.insert(id, password.clone());
        }
    }
    if model.name == "ir.model.data" {
        db.reindex_xmlids();
    }
}

/// Deletes records, and the external ids that pointed to them.
pub fn remove(db: &mut Database, model: &str, ids: &[i64]) {
    let Some(table) = db.table_mut(model) else {
        return;
    };
    for id in ids {
        table.records.remove(id);
    }
    let gone: HashSet<i64> = ids.iter().copied().collect();
    if let Some(imd) = db.model("ir.model.data") {
        if let (Some(m), Some(r)) = (imd.field_index("model"), imd.field_index("res_id")) {
            let stale: Vec<i64> = db
                .table("ir.model.data")
                .map(|t| {
                    t.records
                        .iter()
                        .filter(|(_, rec)| {
                            rec.get(m).and_then(Value::as_str) == Some(model)
                                && rec
                                    .get(r)
                                    .and_then(Value::as_i64)
                                    .is_some_and(|i| gone.contains(&i))
                        })
                        .map(|(&id, _)| id)
                        .collect()
                })
                .unwrap_or_default();
            if let Some(t) = db.table_mut("ir.model.data") {
                for id in &stale {
                    t.records.remove(id);
                }
            }
            if !stale.is_empty() || model == "ir.model.data" {
                db.reindex_xmlids();
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Method dispatch

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
fn operation(method: &str) -> &'static str {
    match method {
        "create" | "name_create" | "load" => "create",
        "write" | "action_archive" | "action_unarchive" => "write",
        "unlink" => "unlink",
        _ => "read",
    }
}

/// Refuses `op` (`read`, `write`, `create`, `unlink`) on `model` to users outside its group.
pub fn check_access(db: &Database, model: &Model, op: &str, uid: i64) -> Result<(), Fault> {
    if db.admins.contains(&uid) {
        return Ok(());
    }
    let (group, verb) = match op {
        "read" => (model.read_group.as_ref(), "access"),
        "create" => (
            model.write_group.as_ref().or(model.read_group.as_ref()),
            "create",
        ),
        "unlink" => (
            model.write_group.as_ref().or(model.read_group.as_ref()),
            "delete",
        ),
        _ => (
            model.write_group.as_ref().or(model.read_group.as_ref()),
            "modify",
        ),
    };
    match group {
        Some(group) => Err(Fault::access(verb, &model.description, &model.name, group)),
        None => Ok(()),
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
    name_get_enabled: bool,
) -> Result<Value, Fault> {
    check_access(db.get(), model, operation(method), env.uid)?;
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
            read(db.get(), model, &ids, b.get("fields"))
        }
        "name_get" if name_get_enabled => {
            sig("BaseModel.name_get", &[]).bind(rest, kwargs)?;
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
            fields_get(model, b.get("allfields"), b.get("attributes"))
        }
        "default_get" => {
            let b = sig("BaseModel.default_get", &[("fields_list", true)]).bind(rest, kwargs)?;
            default_get(env, model, b.get("fields_list"))
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
            let op = b.get("operation").and_then(Value::as_str).unwrap_or("read");
            if !matches!(op, "read" | "write" | "create" | "unlink") {
                return Err(Fault::value(format!("Invalid access mode: {op}")));
            }
            match check_access(db.get(), model, op, env.uid) {
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
                        .map(|vals| plan_create(db, model, vals, env, None))
                        .collect::<Result<Vec<_>, _>>()?;
                    let ids = planned
                        .into_iter()
                        .map(|p| Value::Int(apply_create(db, p, env)))
                        .collect();
                    Ok(Value::Array(ids))
                }
                Some(vals) => {
                    let planned = plan_create(db, model, vals, env, None)?;
                    Ok(Value::Int(apply_create(db, planned, env)))
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
            let vals = b.get("vals").cloned().unwrap_or(Value::Struct(vec![]));
            let planned = plan_write(db, model, &vals, env)?;
            apply_write(db, &ids, planned, env);
            Ok(Value::Bool(true))
        }
        "unlink" => {
            sig("BaseModel.unlink", &[]).bind(rest, kwargs)?;
            let db = db.get_mut()?;
            check_exist(db, model, &ids, env.uid)?;
            remove(db, &model.name, &ids);
            Ok(Value::Bool(true))
        }
        "name_create" => {
            let b = sig("BaseModel.name_create", &[("name", true)]).bind(rest, kwargs)?;
            let db = db.get_mut()?;
            let name = b.get("name").cloned().unwrap_or(Value::Bool(false));
            let vals = Value::Struct(vec![(model.rec_name.clone(), name)]);
            let planned = plan_create(db, model, &vals, env, None)?;
            let id = apply_create(db, planned, env);
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
            let active = method == "action_unarchive";
            let vals = Value::Struct(vec![("active".into(), Value::Bool(active))]);
            let planned = plan_write(db, model, &vals, env)?;
            apply_write(db, &ids, planned, env);
            // The real method returns None, which the XML-RPC layer cannot marshal (087).
            Ok(Value::Nil)
        }
        _ => Err(unknown_method(model, method)),
    }
}

/// `AttributeError: The method 'x' does not exist on the model 'm'`.
pub fn unknown_method(model: &Model, method: &str) -> Fault {
    Fault::exception(
        "AttributeError",
        format!(
            "The method '{method}' does not exist on the model '{}'",
            model.name
        ),
    )
}

/// Access to the database under whichever lock the method took.
pub enum DbHandle<'a> {
    /// The shared lock: reads only.
    Shared(&'a Database),
    /// The exclusive lock.
    Exclusive(&'a mut Database),
}

impl DbHandle<'_> {
    fn get(&self) -> &Database {
        match self {
            DbHandle::Shared(db) => db,
            DbHandle::Exclusive(db) => db,
        }
    }

    fn get_mut(&mut self) -> Result<&mut Database, Fault> {
        match self {
            DbHandle::Exclusive(db) => Ok(db),
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

/// Parses a domain and adds the implicit `active = True` filter of `active_test`.
pub fn parse_domain(
    db: &Database,
    env: &Env,
    model: &Arc<Model>,
    value: Option<&Value>,
) -> Result<Domain, Fault> {
    let domain = Domain::parse(db, model, value.unwrap_or(&Value::Array(vec![])))?;
    if env.active_test && model.has_active() && !domain.mentions_active() {
        let active = Domain::parse(
            db,
            model,
            &Value::Array(vec![Value::Array(vec![
                Value::from("active"),
                Value::from("="),
                Value::Bool(true),
            ])]),
        )?;
        return Ok(Domain::And(Box::new(active), Box::new(domain)));
    }
    Ok(domain)
}

fn count(db: &Database, model: &Model, domain: &Domain) -> i64 {
    db.table(&model.name).map_or(0, |t| {
        t.records
            .iter()
            .filter(|&(&id, rec)| domain.matches(db, id, rec))
            .count() as i64
    })
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
    let Some(table) = db.table(&model.name) else {
        return Ok(vec![]);
    };
    let mut ids: Vec<i64> = table
        .records
        .iter()
        .filter(|&(&id, rec)| domain.matches(db, id, rec))
        .map(|(&id, _)| id)
        .collect();
    db.sort_by_order(model, &order, &mut ids);
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
    let mut seen = HashSet::with_capacity(ids.len());
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        if !seen.insert(id) {
            continue;
        }
        let Some(rec) = db.record(&model.name, id) else {
            continue;
        };
        out.push(read_record(db, model, id, rec, &fields));
    }
    Ok(Value::Array(out))
}

fn read_record(db: &Database, model: &Model, id: i64, rec: &Record, fields: &[usize]) -> Value {
    let members = fields
        .iter()
        .map(|&idx| {
            let field = &model.fields[idx];
            let value = if model.name == "res.users" && field.name == "password" {
                Value::String(String::new())
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

const DEFAULT_ATTRIBUTES: &[&str] = &[
    "change_default",
    "company_dependent",
    "context",
    "default_export_compatible",
    "depends",
    "domain",
    "exportable",
    "group_operator",
    "manual",
    "name",
    "readonly",
    "relation",
    "relation_field",
    "required",
    "searchable",
    "selection",
    "sortable",
    "store",
    "string",
    "translate",
    "trim",
    "type",
];

/// One attribute of a field as `fields_get` reports it, or `None` where the field has none.
fn attribute(model: &Model, field: &Field, name: &str) -> Option<Value> {
    let text = matches!(
        field.ftype,
        FieldType::Char | FieldType::Text | FieldType::Html
    );
    Some(match name {
        "change_default" | "company_dependent" | "default_export_compatible" | "manual" => {
            Value::Bool(false)
        }
        "context" | "domain" if field.ftype.is_relational() => {
            if name == "context" {
                Value::Struct(vec![])
            } else {
                Value::Array(vec![])
            }
        }
        "depends" => Value::Array(if field.name == "display_name" {
            vec![Value::String(model.rec_name.clone())]
        } else {
            vec![]
        }),
        "exportable" => Value::Bool(true),
        "group_operator"
            if field.ftype.is_numeric()
                && field.stored
                && field.name != "id"
                && field.name != "sequence" =>
        {
            Value::from("sum")
        }
        "name" => Value::String(field.name.clone()),
        "readonly" => Value::Bool(field.readonly),
        "relation" => Value::String(field.relation.clone()?),
        "relation_field" if field.ftype == FieldType::One2many => {
            Value::String(field.inverse.clone()?)
        }
        "required" => Value::Bool(field.required),
        "searchable" | "sortable" | "store" => {
            Value::Bool(field.stored || (name == "searchable" && field.ftype.is_x2many()))
        }
        "selection" => Value::Array(
            field
                .selection
                .as_ref()?
                .iter()
                .map(|(k, label)| Value::Array(vec![k.clone(), Value::String(label.clone())]))
                .collect(),
        ),
        "string" => Value::String(field.string.clone()),
        "translate" if text => Value::Bool(field.translate),
        "trim" if field.ftype == FieldType::Char => Value::Bool(true),
        "type" => Value::String(field.type_name.clone()),
        _ => return None,
    })
}

fn fields_get(
    model: &Model,
    allfields: Option<&Value>,
    attributes: Option<&Value>,
) -> Result<Value, Fault> {
    let wanted: Option<HashSet<&str>> = match allfields {
        Some(Value::Array(items)) if !items.is_empty() => {
            Some(items.iter().filter_map(Value::as_str).collect())
        }
        _ => None,
    };
    let attrs: Vec<&str> = match attributes {
        Some(Value::Array(items)) if !items.is_empty() => {
            let mut a: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            a.sort_unstable();
            a.dedup();
            a
        }
        _ => DEFAULT_ATTRIBUTES.to_vec(),
    };
    let out = model
        .fields
        .iter()
        .filter(|f| wanted.as_ref().is_none_or(|w| w.contains(f.name.as_str())))
        .map(|f| {
            if let Some(verbatim) = &f.verbatim {
                return (f.name.clone(), Value::Struct(verbatim.clone()));
            }
            let members = attrs
                .iter()
                .filter_map(|a| attribute(model, f, a).map(|v| ((*a).to_owned(), v)))
                .collect();
            (f.name.clone(), Value::Struct(members))
        })
        .collect();
    Ok(Value::Struct(out))
}

fn default_get(env: &Env, model: &Model, fields: Option<&Value>) -> Result<Value, Fault> {
    let names: Vec<&str> = match fields {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let mut out = Vec::new();
    for name in names.into_iter().filter(|n| model.field(n).is_some()) {
        if let Some((_, default)) = model.defaults.iter().find(|(n, _)| n == name) {
            out.push((name.to_owned(), env.resolve(default)));
        }
    }
    Ok(Value::Struct(out))
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
