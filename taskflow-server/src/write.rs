//! Planned record changes: `create` and `write` values converted and checked in full (defaults,
//! required fields, nested x2many commands), then applied. Because applying cannot fail, a
//! fault never leaves half a change behind, and `load` can check a whole batch before touching it.

use std::collections::HashSet;
use std::sync::Arc;

use taskflow_sdk::xmlrpc::Value;

use crate::access::{self, Operation};
use crate::commands::{self, Command};
use crate::convert;
use crate::domain::py_value;
use crate::env::{Env, invalid_field};
use crate::fault::Fault;
use crate::schema::{FieldType, Model};
use crate::store::{Database, Record};

/// Checked values for one record, ready to apply.
#[derive(Clone, Debug)]
pub struct Planned {
    model: Arc<Model>,
    scalars: Vec<(usize, Option<Value>)>,
    /// Which fields `scalars` holds, a bit per field index: `load` plans tens of thousands of
    /// records a call, and each checks every default and required field against its values.
    present: Vec<u64>,
    x2many: Vec<(usize, Vec<Command>)>,
    password: Option<String>,
    /// The new record, built ahead by [`Planned::seal`] (while `scalars` is still in cache).
    sealed: Option<Record>,
}

impl Planned {
    fn new(model: &Arc<Model>) -> Planned {
        Planned {
            model: model.clone(),
            scalars: Vec::new(),
            present: vec![0; model.fields.len().div_ceil(64)],
            x2many: Vec::new(),
            password: None,
            sealed: None,
        }
    }

    /// Builds a planned creation's record now: `load` seals the rows it checks under the shared
    /// lock, so that applying them under the exclusive lock only inserts. Users are left as they
    /// are (creating one may still add its partner).
    pub fn seal(&mut self) {
        if self.model.name != "res.users" && self.sealed.is_none() {
            self.present.iter_mut().for_each(|word| *word = 0);
            self.sealed = Some(Record::from_fields(std::mem::take(&mut self.scalars)));
        }
    }

    /// The record a planned creation would insert, for checks that look at it whole (record
    /// rules): built from the scalars, or the sealed record itself.
    pub fn preview(&self) -> std::borrow::Cow<'_, Record> {
        match &self.sealed {
            Some(record) => std::borrow::Cow::Borrowed(record),
            None => std::borrow::Cow::Owned(Record::from_fields(self.scalars.iter().cloned())),
        }
    }

    /// Sets a stored value, replacing an earlier one for the same field.
    pub fn set(&mut self, idx: usize, value: Option<Value>) {
        if self.has_scalar(idx) {
            if let Some(slot) = self.scalars.iter_mut().find(|(i, _)| *i == idx) {
                slot.1 = value;
            }
            return;
        }
        if let Some(word) = self.present.get_mut(idx / 64) {
            *word |= 1 << (idx % 64);
        }
        self.scalars.push((idx, value));
    }

    fn has_scalar(&self, idx: usize) -> bool {
        self.present
            .get(idx / 64)
            .is_some_and(|word| word & (1 << (idx % 64)) != 0)
    }

    fn has(&self, idx: usize) -> bool {
        self.has_scalar(idx) || self.x2many.iter().any(|(i, _)| *i == idx)
    }

    fn value(&self, idx: usize) -> Option<&Value> {
        if !self.has_scalar(idx) {
            return None;
        }
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
    planned
        .scalars
        .reserve(vals.len() + model.resolved.create_defaults.len() + 4);
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
    check_constraints(&planned)?;
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
            return Err(Fault::Validation(format!(
                "The operation cannot be completed: {message}"
            )));
        }
    }
    // In field order, as the record stores them: sorted here, `load` sorts while it checks
    // rather than while it holds the exclusive lock.
    planned.scalars.sort_unstable_by_key(|(idx, _)| *idx);
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
    check_constraints(&planned)?;
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

/// The database's CHECK constraints, which the real server turns into a `ValidationError`
/// "The operation cannot be completed: ..." (odoo-19-json2 044): crm.lead's
/// `check_probability`.
fn check_constraints(planned: &Planned) -> Result<(), Fault> {
    if planned.model.name == "crm.lead" {
        if let Some(idx) = planned.model.field_index("probability") {
            let probability = match planned.value(idx) {
                Some(Value::Double(d)) => Some(*d),
                Some(Value::Int(i)) => Some(*i as f64),
                _ => None,
            };
            if probability.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
                return Err(Fault::Validation(
                    "The operation cannot be completed: The probability of closing the deal \
                     should be between 0% and 100%!"
                        .to_owned(),
                ));
            }
        }
    }
    Ok(())
}

/// Refuses a write making a record its own ancestor: res.partner's `_check_parent_id`
/// (odoo-19-json2 042), before anything is applied.
pub fn check_recursion(
    db: &Database,
    model: &Model,
    ids: &[i64],
    vals: &Value,
) -> Result<(), Fault> {
    if model.name != "res.partner" {
        return Ok(());
    }
    let Some(Value::Int(parent)) = vals.get("parent_id") else {
        return Ok(());
    };
    let Some(idx) = model.field_index("parent_id") else {
        return Ok(());
    };
    // Walk up from the new parent: meeting a written record is a cycle. The seen list bounds
    // the walk even if the stored hierarchy already had a cycle.
    let mut seen = Vec::new();
    let mut current = Some(*parent);
    while let Some(id) = current {
        if ids.contains(&id) {
            return Err(Fault::Validation(
                "You cannot create recursive Partner hierarchies.".to_owned(),
            ));
        }
        if seen.contains(&id) {
            break;
        }
        seen.push(id);
        current = db
            .record(&model.name, id)
            .and_then(|rec| db.stored_value(model, id, rec, idx))
            .and_then(|v| v.as_i64());
    }
    Ok(())
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
    let record = match planned.sealed.take() {
        Some(record) => record,
        None => Record::from_fields(std::mem::take(&mut planned.scalars)),
    };
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

/// Refuses to create records the caller's record rule would not let them see: a real server
/// checks the rule on the new records before it commits. Not recorded: the text follows 123's
/// pattern with the 'create' operation.
pub fn check_new(
    db: &Database,
    env: &Env,
    model: &Arc<Model>,
    planned: &[Planned],
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
