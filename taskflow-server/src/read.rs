//! The reading ORM operations: `search`, `search_count`, `read`, `name_get` and `name_search`,
//! each seeing the records the caller's [`Env`] does.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use taskflow_sdk::xmlrpc::Value;

use crate::convert;
use crate::domain::{Domain, py_value};
use crate::env::{Env, invalid_field, parse_domain};
use crate::fault::Fault;
use crate::schema::{FieldType, Model};
use crate::signature::Bound;
use crate::store::{Database, Record};

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

/// `search_count` with `domain` and `limit` arguments: how many records match, at most `limit`.
pub fn search_count(
    db: &Database,
    env: &Env,
    model: &Arc<Model>,
    b: &Bound,
) -> Result<Value, Fault> {
    let domain = parse_domain(db, env, model, b.get("domain"))?;
    let mut count = count(db, model, &domain);
    if let Some(limit) = b.get("limit").and_then(Value::as_i64) {
        count = count.min(limit);
    }
    Ok(Value::Int(count))
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

/// `name_get`: `[id, display_name]` pairs of the existing `ids`.
pub fn name_get(db: &Database, model: &Model, ids: &[i64]) -> Value {
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

/// `name_search` with `name`, `args`, `operator`, `limit` arguments: `name_get` of the matches.
pub fn name_search(
    db: &Database,
    env: &Env,
    model: &Arc<Model>,
    b: &Bound,
) -> Result<Value, Fault> {
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
    // The domain: `args` up to 17, `domain` in 19 (`signature::method`).
    let mut items = match b.get("args").or_else(|| b.get("domain")) {
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
