//! `formatted_read_group(domain, groupby, aggregates, having, offset, limit, order)`, Odoo 19's
//! replacement of `read_group` (odoo-19-json2 018, 019; odoo-19-xmlrpc 010).
//!
//! One dict per group: the groupby keys first (a many2one as `[id, name]`, a date period as
//! `[start, label]`: `["2026-11-01 00:00:00", "November 2026"]`), then `__extra_domain`, the
//! domain selecting the group alone (not and-ed with the caller's), then one member per
//! aggregate as asked: `"<field>:<agg>"`, or `"__count"`. Unlike a lazy `read_group`, no
//! `group_expand` groups are added and there is no `__fold`.

use std::cmp::Ordering;
use std::sync::Arc;

use taskflow_sdk::xmlrpc::Value;

use super::{Agg, GroupBy, aggregate, and, buckets, group_leaves, key_value, strings};
use crate::env::{Env, parse_domain};
use crate::fault::Fault;
use crate::schema::Model;
use crate::signature::Bound;
use crate::store::Database;

/// An entry of `aggregates`: `__count`, or a field and its function.
#[derive(Debug)]
enum Aggregate {
    Count,
    Field(usize, Agg),
}

impl Aggregate {
    /// Parses `__count` or `field:agg`; 19 wants the function spelled out.
    fn parse(model: &Model, spec: &str) -> Result<Aggregate, Fault> {
        if spec == "__count" {
            return Ok(Aggregate::Count);
        }
        let Some((name, func)) = spec.split_once(':') else {
            return Err(Fault::value(format!(
                "Invalid aggregate specification {}: expected 'field:aggregator' or '__count'",
                crate::fault::py_repr(spec)
            )));
        };
        let idx = model.field_index(name).ok_or_else(|| {
            Fault::value(format!("Invalid field '{name}' on model '{}'", model.name))
        })?;
        Ok(Aggregate::Field(idx, Agg::parse(func)?))
    }
}

/// `formatted_read_group`, bound by [`crate::signature`].
pub fn formatted_read_group(
    db: &Database,
    env: &Env,
    model: &Arc<Model>,
    b: &Bound,
) -> Result<Value, Fault> {
    let domain = parse_domain(db, env, model, b.get("domain"))?;
    let groupby = strings(b.get("groupby"))
        .iter()
        .map(|spec| GroupBy::parse(model, spec))
        .collect::<Result<Vec<_>, _>>()?;
    let specs = strings(b.get("aggregates"));
    let aggregates = specs
        .iter()
        .map(|spec| Aggregate::parse(model, spec))
        .collect::<Result<Vec<_>, _>>()?;
    if matches!(b.get("having"), Some(Value::Array(items)) if !items.is_empty()) {
        // Said plainly rather than ignored: a filter dropped silently answers wrong groups.
        return Err(Fault::value(
            "formatted_read_group: `having` is not supported by the embedded server",
        ));
    }
    let mut groups = buckets(db, model, &domain, &groupby);
    if groupby.is_empty() {
        // No groupby: one group of every record found (none when nothing matches, as 19).
        let ids: Vec<i64> = groups.drain(..).flat_map(|(_, ids)| ids).collect();
        if !ids.is_empty() {
            groups.push((vec![], ids));
        }
    }
    let mut rows = Vec::with_capacity(groups.len());
    for (key, ids) in groups {
        let mut members = Vec::with_capacity(groupby.len() + aggregates.len() + 1);
        let mut extra = Vec::new();
        for (g, value) in groupby.iter().zip(&key) {
            let shown = match (g.granularity, value) {
                // A period: its first instant and its label.
                (Some(_), Some(_)) => {
                    let (leaves, _) = group_leaves(model, g, value.as_ref());
                    let start = leaves
                        .get(1)
                        .and_then(|leaf| leaf.as_array())
                        .and_then(|leaf| leaf.get(2))
                        .cloned()
                        .unwrap_or(Value::Bool(false));
                    Value::Array(vec![start, key_value(db, model, g, value.clone())?])
                }
                _ => key_value(db, model, g, value.clone())?,
            };
            members.push((g.spec.clone(), shown));
            extra = and(&[extra, group_leaves(model, g, value.as_ref()).0]);
        }
        members.push(("__extra_domain".to_owned(), Value::Array(extra)));
        for (spec, agg) in specs.iter().zip(&aggregates) {
            let value = match agg {
                Aggregate::Count => Value::Int(ids.len() as i64),
                Aggregate::Field(idx, agg) => aggregate(db, model, *idx, *agg, &ids),
            };
            members.push((spec.clone(), value));
        }
        rows.push(members);
    }
    order_rows(&mut rows, &groupby, &specs, b.get("order"))?;
    let offset = b.get("offset").and_then(Value::as_i64).unwrap_or(0).max(0) as usize;
    let limit = b
        .get("limit")
        .and_then(Value::as_i64)
        .map_or(usize::MAX, |l| l.max(0) as usize);
    Ok(Value::Array(
        rows.into_iter()
            .skip(offset)
            .take(limit)
            .map(Value::Struct)
            .collect(),
    ))
}

/// Applies `order` (`"stage_id desc, __count"`): groupby entries keep the groups' natural order
/// (the groupby fields' own) or reverse it, aggregates sort by value.
fn order_rows(
    rows: &mut [Vec<(String, Value)>],
    groupby: &[GroupBy],
    aggregates: &[String],
    order: Option<&Value>,
) -> Result<(), Fault> {
    let text = match order {
        None | Some(Value::Bool(false)) => return Ok(()),
        Some(Value::String(text)) => text.clone(),
        Some(other) => {
            return Err(Fault::value(format!(
                "Invalid order {}",
                crate::domain::py_value(other)
            )));
        }
    };
    let mut terms = Vec::new();
    for term in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let mut words = term.split_whitespace();
        let name = words.next().unwrap_or_default();
        let descending = match words.next().map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(_) => return Err(Fault::value(format!("Invalid order: {term:?}"))),
        };
        let known = groupby
            .iter()
            .any(|g| g.spec == name || g.spec.split(':').next() == Some(name))
            || aggregates.iter().any(|a| a == name);
        if !known {
            return Err(Fault::value(format!(
                "Order term {name:?} is not a groupby or an aggregate"
            )));
        }
        terms.push((name.to_owned(), descending));
    }
    // Rows come in the natural order: number them, then sort by every term, the first last.
    let natural: Vec<usize> = (0..rows.len()).collect();
    let mut keyed: Vec<(usize, Vec<(String, Value)>)> =
        natural.into_iter().zip(rows.iter().cloned()).collect();
    keyed.sort_by(|(na, a), (nb, b)| {
        for (name, descending) in &terms {
            let is_aggregate = aggregates.iter().any(|s| s == name);
            let ordering = if is_aggregate {
                number(a, name)
                    .partial_cmp(&number(b, name))
                    .unwrap_or(Ordering::Equal)
            } else {
                na.cmp(nb)
            };
            let ordering = if *descending {
                ordering.reverse()
            } else {
                ordering
            };
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        na.cmp(nb)
    });
    for (slot, (_, row)) in rows.iter_mut().zip(keyed) {
        *slot = row;
    }
    Ok(())
}

/// An aggregate's value as a number (`false`, an empty group's, sorts first).
fn number(row: &[(String, Value)], name: &str) -> f64 {
    match row.iter().find(|(k, _)| k == name).map(|(_, v)| v) {
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Double(d)) => *d,
        _ => f64::NEG_INFINITY,
    }
}
