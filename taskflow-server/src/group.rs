//! `read_group`: counts and aggregates by a many2one, selection, date or plain field.
//!
//! Answers the real server's shape (transcripts 040, 128-130): the group key (`[id, name]` for a
//! many2one, a label like `02 Dec 2026` for a date period), `__count` (or `<field>_count` when
//! lazy), the aggregates, `__domain` (the caller's domain and-ed with the group's leaves), and
//! `__range` for date periods. A lazy grouping by a field with a `group_expand` (crm.lead's
//! `stage_id`) also answers the values no record has, and `__fold`.
//!
//! Odoo 19's `formatted_read_group` answers the same groups in its own shape (`formatted`).

mod formatted;
mod period;

pub use formatted::formatted_read_group;

use std::collections::HashMap;
use std::sync::Arc;

use taskflow_sdk::xmlrpc::Value;

use crate::convert;
use crate::domain::Domain;
use crate::env::{Env, parse_domain};
use crate::fault::{Fault, py_repr};
use crate::schema::{FieldType, Model};
use crate::signature::Bound;
use crate::store::{Database, Record};
use period::{Granularity, Period};

/// An aggregate function of a `fields` entry (`expected_revenue:sum`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Agg {
    Sum,
    Avg,
    Min,
    Max,
    Count,
}

impl Agg {
    /// The function named after the colon of `field:func`.
    fn parse(func: &str) -> Result<Agg, Fault> {
        Ok(match func {
            "sum" => Agg::Sum,
            "avg" => Agg::Avg,
            "min" => Agg::Min,
            "max" => Agg::Max,
            "count" | "count_distinct" => Agg::Count,
            other => {
                return Err(Fault::value(format!(
                    "Invalid aggregation function {other:?}."
                )));
            }
        })
    }

    /// The value of an aggregate over no records, as an expanded group shows it.
    fn empty(self) -> Value {
        match self {
            Agg::Count => Value::Int(0),
            Agg::Sum | Agg::Avg | Agg::Min | Agg::Max => Value::Bool(false),
        }
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => vec![],
    }
}

/// Odoo's `normalize_domain`: the implicit `&` between terms made explicit.
fn normalize(items: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    let mut expected = 1usize;
    for item in items {
        if expected == 0 {
            out.insert(0, Value::from("&"));
            expected = 1;
        }
        match item.as_str() {
            Some("&" | "|") => expected += 1,
            Some("!") => {}
            _ => expected = expected.saturating_sub(1),
        }
        out.push(item.clone());
    }
    out
}

/// Odoo's `expression.AND`: each non-empty domain normalized, joined by `&`.
fn and(domains: &[Vec<Value>]) -> Vec<Value> {
    let parts: Vec<Vec<Value>> = domains
        .iter()
        .filter(|d| !d.is_empty())
        .map(|d| normalize(d))
        .collect();
    let mut out = vec![Value::from("&"); parts.len().saturating_sub(1)];
    for p in parts {
        out.extend(p);
    }
    out
}

/// One `groupby` entry: a field, and for dates and datetimes the period they are grouped by.
#[derive(Debug)]
struct GroupBy {
    /// The entry as the caller wrote it (`create_date:day`): the key's member name.
    spec: String,
    field: usize,
    granularity: Option<Granularity>,
}

impl GroupBy {
    /// Parses `field[:granularity]` with the real server's checks and `ValueError`s.
    fn parse(model: &Model, spec: &str) -> Result<GroupBy, Fault> {
        let (name, granularity) = match spec.split_once(':') {
            Some((name, granularity)) => (name, Some(granularity)),
            None => (spec, None),
        };
        let field = model.field_index(name).ok_or_else(|| {
            Fault::value(format!("Invalid field '{name}' on model '{}'", model.name))
        })?;
        let temporal = matches!(
            model.fields[field].ftype,
            FieldType::Date | FieldType::Datetime
        );
        let granularity = match granularity {
            Some(_) if !temporal => {
                return Err(Fault::value(format!(
                    "Granularity set on a no-datetime field or property: {}",
                    py_repr(spec)
                )));
            }
            // A bare date field groups by month (the legacy `read_group`'s default).
            _ if temporal => Some(Granularity::parse(granularity.unwrap_or("month"))?),
            _ => None,
        };
        Ok(GroupBy {
            spec: spec.to_owned(),
            field,
            granularity,
        })
    }

    /// A record's key for this entry: the stored value, or the start of its period.
    fn key(&self, db: &Database, model: &Model, id: i64, rec: &Record) -> Option<Value> {
        let stored = db.stored_value(model, id, rec, self.field);
        match self.granularity {
            Some(granularity) => {
                let period = Period::of(stored.as_ref()?.as_str()?, granularity)?;
                Some(Value::Int(period.start))
            }
            None => stored,
        }
    }
}

/// The records of one group: its key (a value per `groupby` entry) and their ids.
type Bucket = (Vec<Option<Value>>, Vec<i64>);

/// A group of the answer: records found, or a value `group_expand` adds with no records.
enum Group {
    Found(Bucket),
    /// An expanded many2one value: the target's id.
    Empty(i64),
}

/// `read_group(domain, fields, groupby, offset, limit, orderby, lazy)`.
pub fn read_group(db: &Database, env: &Env, model: &Arc<Model>, b: &Bound) -> Result<Value, Fault> {
    let domain_items = match b.get("domain") {
        Some(Value::Array(items)) => items.clone(),
        _ => vec![],
    };
    let domain = parse_domain(db, env, model, Some(&Value::Array(domain_items.clone())))?;
    let lazy = !matches!(
        b.get("lazy"),
        Some(Value::Bool(false)) | Some(Value::Int(0))
    );
    let mut specs = strings(b.get("groupby"));
    if specs.is_empty() {
        return Err(Fault::value(
            "read_group() needs at least one groupby field here",
        ));
    }
    let rest: Vec<String> = if lazy { specs.split_off(1) } else { vec![] };
    let groupby = specs
        .iter()
        .map(|spec| GroupBy::parse(model, spec))
        .collect::<Result<Vec<_>, _>>()?;
    let mut aggregates: Vec<(String, usize, Agg)> = Vec::new();
    for spec in strings(b.get("fields")) {
        let (name, func) = match spec.split_once(':') {
            Some((n, f)) => (n.to_owned(), Some(f.to_owned())),
            None => (spec.clone(), None),
        };
        if name == "__count"
            || specs
                .iter()
                .any(|g| g.split(':').next() == Some(name.as_str()))
        {
            continue;
        }
        let idx = model.field_index(&name).ok_or_else(|| {
            Fault::value(format!("Invalid field '{name}' on model '{}'", model.name))
        })?;
        let agg = match func.as_deref() {
            None if model.fields[idx].ftype.is_numeric() && name != "id" => Agg::Sum,
            None => continue,
            Some(func) => Agg::parse(func)?,
        };
        aggregates.push((name, idx, agg));
    }

    let groups = buckets(db, model, &domain, &groupby);
    let offset = b.get("offset").and_then(Value::as_i64).unwrap_or(0).max(0) as usize;
    let limit = b
        .get("limit")
        .and_then(Value::as_i64)
        .map(|l| l.max(0) as usize);
    let page = groups
        .into_iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX));

    // Like the real server, only lazy calls fill in `group_expand`'s groups, after the page is
    // cut (a limit does not limit them).
    let expand = if lazy {
        Expand::of(db, model, &groupby[0])
    } else {
        None
    };
    let groups: Vec<Group> = match &expand {
        Some(expand) => expand.fill(db, page),
        None => page.map(Group::Found).collect(),
    };

    let count_key = if lazy {
        let field = &model.fields[groupby[0].field];
        format!("{}_count", field.name)
    } else {
        "__count".to_owned()
    };
    let context = (!rest.is_empty()).then(|| {
        Value::Struct(vec![(
            "group_by".to_owned(),
            Value::Array(rest.iter().cloned().map(Value::String).collect()),
        )])
    });
    let mut out = Vec::with_capacity(groups.len());
    for group in groups {
        // Member order is the real server's (transcript 128): a found group's keys come first,
        // an expanded one's after its (empty) aggregates.
        let (mut members, key) = match group {
            Group::Found((key, ids)) => {
                let mut members = Vec::with_capacity(groupby.len() + aggregates.len() + 4);
                for (g, value) in groupby.iter().zip(&key) {
                    members.push((g.spec.clone(), key_value(db, model, g, value.clone())?));
                }
                members.push((count_key.clone(), Value::Int(ids.len() as i64)));
                for (name, idx, agg) in &aggregates {
                    members.push((name.clone(), aggregate(db, model, *idx, *agg, &ids)));
                }
                (members, key)
            }
            Group::Empty(target) => {
                let mut members = vec![(count_key.clone(), Value::Int(0))];
                for (name, _, agg) in &aggregates {
                    members.push((name.clone(), agg.empty()));
                }
                let key = vec![Some(Value::Int(target))];
                let g = &groupby[0];
                members.push((g.spec.clone(), key_value(db, model, g, key[0].clone())?));
                (members, key)
            }
        };
        if let Some(expand) = &expand {
            members.push(("__fold".to_owned(), expand.fold(db, key[0].as_ref())));
        }
        let mut group_domain = domain_items.clone();
        let mut ranges = Vec::new();
        for (g, value) in groupby.iter().zip(&key) {
            let (extra, range) = group_leaves(model, g, value.as_ref());
            group_domain = and(&[group_domain, extra]);
            if let Some(range) = range {
                ranges.push((g.spec.clone(), range));
            }
        }
        members.push(("__domain".to_owned(), Value::Array(group_domain)));
        if let Some(context) = &context {
            members.push(("__context".to_owned(), context.clone()));
        }
        if !ranges.is_empty() {
            members.push(("__range".to_owned(), Value::Struct(ranges)));
        }
        out.push(Value::Struct(members));
    }
    Ok(Value::Array(out))
}

/// The records `domain` matches, grouped by their (stored) key values, in the groupby fields'
/// order.
fn buckets(db: &Database, model: &Model, domain: &Domain, groupby: &[GroupBy]) -> Vec<Bucket> {
    let mut groups: Vec<Bucket> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    if let Some(table) = db.table(&model.name) {
        for (&id, rec) in &table.records {
            if !domain.matches(db, id, rec) {
                continue;
            }
            let key: Vec<Option<Value>> =
                groupby.iter().map(|g| g.key(db, model, id, rec)).collect();
            let text = format!("{key:?}");
            match index.get(&text) {
                Some(&g) => groups[g].1.push(id),
                None => {
                    index.insert(text, groups.len());
                    groups.push((key, vec![id]));
                }
            }
        }
    }
    let fields: Vec<usize> = groupby.iter().map(|g| g.field).collect();
    sort_groups(db, model, &fields, &mut groups);
    groups
}

/// How a group's key reads: `[id, name]` for a many2one, a period's label for a date.
fn key_value(
    db: &Database,
    model: &Model,
    groupby: &GroupBy,
    key: Option<Value>,
) -> Result<Value, Fault> {
    let field = &model.fields[groupby.field];
    match (groupby.granularity, key) {
        (Some(granularity), Some(Value::Int(start))) => Ok(Value::String(
            Period::starting(start, granularity).label(field.ftype)?,
        )),
        (Some(_), _) => Ok(Value::Bool(false)),
        (None, key) => Ok(convert::to_read(db, field, key)),
    }
}

/// The domain a group adds for one `groupby` entry, and for dates its `__range` entry: a
/// period is `['&', [f, '>=', from], [f, '<', to]]`, an empty date `[f, '=', False]` with a
/// `False` range.
fn group_leaves(
    model: &Model,
    groupby: &GroupBy,
    key: Option<&Value>,
) -> (Vec<Value>, Option<Value>) {
    let field = &model.fields[groupby.field];
    let leaf = |op: &str, value: Value| {
        Value::Array(vec![
            Value::String(field.name.clone()),
            Value::from(op),
            value,
        ])
    };
    match (groupby.granularity, key) {
        (Some(granularity), Some(Value::Int(start))) => {
            let (from, to) = Period::starting(*start, granularity).bounds(field.ftype);
            let domain = vec![
                Value::from("&"),
                leaf(">=", Value::String(from.clone())),
                leaf("<", Value::String(to.clone())),
            ];
            let range = Value::Struct(vec![
                ("from".to_owned(), Value::String(from)),
                ("to".to_owned(), Value::String(to)),
            ]);
            (domain, Some(range))
        }
        (Some(_), _) => (
            vec![leaf("=", Value::Bool(false))],
            Some(Value::Bool(false)),
        ),
        (None, key) => {
            let value = match key {
                Some(Value::Array(items)) => items.first().cloned().unwrap_or(Value::Bool(false)),
                Some(v) => v.clone(),
                None => Value::Bool(false),
            };
            (vec![leaf("=", value)], None)
        }
    }
}

/// A field's `group_expand`: in a lazy `read_group` by that field, groups for values no record
/// has are added, and every group says whether its value is folded (`__fold`).
///
/// The only one the served modules declare is crm.lead's `stage_id`
/// (`_read_group_stage_ids`): the stages found, and every stage not tied to a sales team, in
/// the stage model's order. (With a `default_team_id` in the context the real server also adds
/// that team's stages; this server reads no such context.)
struct Expand {
    comodel: Arc<Model>,
}

impl Expand {
    /// The expansion of grouping `model` by `groupby`, if its field has one.
    fn of(db: &Database, model: &Model, groupby: &GroupBy) -> Option<Expand> {
        let field = &model.fields[groupby.field];
        if model.name != "crm.lead" || field.name != "stage_id" {
            return None;
        }
        Some(Expand {
            comodel: db.model(field.relation.as_deref()?)?,
        })
    }

    /// Odoo's `_read_group_fill_results`: the groups in the expanded values' order, an empty
    /// group for each value without records, then the groups of other values (no stage) in
    /// their own order.
    fn fill(&self, db: &Database, found: impl Iterator<Item = Bucket>) -> Vec<Group> {
        let mut found: Vec<Option<Bucket>> = found.map(Some).collect();
        let target = |group: &Bucket| group.0[0].as_ref().and_then(Value::as_i64);
        let present: Vec<i64> = found.iter().flatten().filter_map(target).collect();
        let mut out = Vec::with_capacity(found.len());
        for value in self.values(db, &present) {
            let slot = found
                .iter_mut()
                .find(|g| g.as_ref().and_then(target) == Some(value));
            match slot.and_then(Option::take) {
                Some(bucket) => out.push(Group::Found(bucket)),
                None => out.push(Group::Empty(value)),
            }
        }
        out.extend(found.into_iter().flatten().map(Group::Found));
        out
    }

    /// The values shown: the stages `present` in the groups and those of no team, in order.
    fn values(&self, db: &Database, present: &[i64]) -> Vec<i64> {
        let team = self.comodel.field_index("team_id");
        let mut ids: Vec<i64> = db
            .table(&self.comodel.name)
            .map(|table| {
                table
                    .records
                    .iter()
                    .filter(|&(id, rec)| {
                        present.contains(id)
                            || team.is_none_or(|t| {
                                db.stored_value(&self.comodel, *id, rec, t).is_none()
                            })
                    })
                    .map(|(&id, _)| id)
                    .collect()
            })
            .unwrap_or_default();
        db.sort_ids(&self.comodel, &mut ids);
        ids
    }

    /// `__fold` of a group: its stage's `fold`, false for the group without a stage.
    fn fold(&self, db: &Database, key: Option<&Value>) -> Value {
        let folded = key
            .and_then(Value::as_i64)
            .and_then(|id| {
                let rec = db.record(&self.comodel.name, id)?;
                let idx = self.comodel.field_index("fold")?;
                db.stored_value(&self.comodel, id, rec, idx)
            })
            .is_some_and(|v| matches!(v, Value::Bool(true)));
        Value::Bool(folded)
    }
}

fn sort_groups(db: &Database, model: &Model, fields: &[usize], groups: &mut [Bucket]) {
    // Each group is represented by its first record: ordering groups by the group fields
    // is ordering those records by the same fields.
    let order: Vec<(String, bool)> = fields
        .iter()
        .map(|&f| (model.fields[f].name.clone(), false))
        .collect();
    let mut reps: Vec<i64> = groups.iter().map(|(_, ids)| ids[0]).collect();
    db.sort_by_order(model, &order, &mut reps);
    let position: HashMap<i64, usize> = reps.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    groups.sort_by_key(|(_, ids)| position.get(&ids[0]).copied().unwrap_or(usize::MAX));
}

fn aggregate(db: &Database, model: &Model, idx: usize, agg: Agg, ids: &[i64]) -> Value {
    let field = &model.fields[idx];
    let values: Vec<f64> = ids
        .iter()
        .filter_map(|&id| {
            let rec = db.record(&model.name, id)?;
            match db.stored_value(model, id, rec, idx) {
                Some(Value::Int(i)) => Some(i as f64),
                Some(Value::Double(d)) => Some(d),
                Some(_) => Some(1.0),
                None if field.ftype.is_numeric() => Some(0.0),
                None => None,
            }
        })
        .collect();
    let integer = field.ftype == FieldType::Integer;
    let number = |x: f64| {
        if integer {
            Value::Int(x as i64)
        } else {
            Value::Double(x)
        }
    };
    match agg {
        Agg::Count => Value::Int(values.len() as i64),
        Agg::Sum => number(values.iter().sum()),
        Agg::Avg if values.is_empty() => Value::Bool(false),
        Agg::Avg => Value::Double(values.iter().sum::<f64>() / values.len() as f64),
        Agg::Min => values
            .iter()
            .copied()
            .reduce(f64::min)
            .map_or(Value::Bool(false), number),
        Agg::Max => values
            .iter()
            .copied()
            .reduce(f64::max)
            .map_or(Value::Bool(false), number),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(f: &str) -> Value {
        Value::Array(vec![Value::from(f), Value::from("="), Value::Int(1)])
    }

    #[test]
    fn and_matches_odoo() {
        assert_eq!(
            and(&[vec![leaf("a")], vec![leaf("b")]]),
            vec![Value::from("&"), leaf("a"), leaf("b")]
        );
        assert_eq!(and(&[vec![], vec![leaf("b")]]), vec![leaf("b")]);
        assert_eq!(
            normalize(&[leaf("a"), leaf("b")]),
            vec![Value::from("&"), leaf("a"), leaf("b")]
        );
    }
}
