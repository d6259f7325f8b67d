//! Search domains: Odoo's prefix-notation lists (`['|', [a, op, b], '&', ...]`), parsed once and
//! evaluated against stored records.
//!
//! Parsing checks what the real server checks, with the same exception types: an unknown field is
//! a `ValueError: Invalid field model.f in leaf (...)`, an unknown operator `ValueError: Invalid
//! leaf (...)`, a bare string where a leaf belongs `IndexError` (transcripts 081-083).

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use taskflow_sdk::xmlrpc::Value;

use crate::fault::{Fault, py_repr};
use crate::hash::FastSet;
use crate::schema::{FieldType, Model};
use crate::store::{Database, Record};

/// A comparison operator of a domain leaf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Eq,
    /// `!=` (or `<>`)
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `like`: case-sensitive substring
    Like,
    /// `ilike`: case-insensitive substring
    Ilike,
    /// `=like`: case-sensitive pattern with `%` and `_`
    EqLike,
    /// `=ilike`: case-insensitive pattern
    EqIlike,
    /// `not like`
    NotLike,
    /// `not ilike`
    NotIlike,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `child_of`: the record or any descendant through `parent_id`
    ChildOf,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "=" | "==" => Op::Eq,
            "!=" | "<>" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "like" => Op::Like,
            "ilike" => Op::Ilike,
            "=like" => Op::EqLike,
            "=ilike" => Op::EqIlike,
            "not like" => Op::NotLike,
            "not ilike" => Op::NotIlike,
            "in" => Op::In,
            "not in" => Op::NotIn,
            "child_of" => Op::ChildOf,
            _ => return None,
        })
    }

    /// Negative operators match records whose path leads nowhere (SQL `... OR IS NULL`).
    fn is_negative(self) -> bool {
        matches!(self, Op::Ne | Op::NotLike | Op::NotIlike | Op::NotIn)
    }
}

/// One step of a leaf's field path: the model and the field's index in it.
#[derive(Clone, Debug)]
struct Step {
    model: Arc<Model>,
    field: usize,
}

/// A parsed domain.
#[derive(Clone, Debug)]
pub enum Domain {
    /// Matches every record (the empty domain, `(1, '=', 1)`).
    True,
    /// Matches nothing (`(0, '=', 1)`).
    False,
    /// Both.
    And(Box<Domain>, Box<Domain>),
    /// Either.
    Or(Box<Domain>, Box<Domain>),
    /// Negation.
    Not(Box<Domain>),
    /// `(path, op, value)`.
    Leaf(Leaf),
}

/// A domain leaf with its field path resolved.
#[derive(Clone, Debug)]
pub struct Leaf {
    path: Vec<Step>,
    op: Op,
    value: Value,
    /// Ids precomputed for `child_of`.
    child_ids: Option<HashSet<i64>>,
    /// For `in`/`not in` with a long list of strings: the list as a set, so a search with
    /// thousands of names (the SDK's external-id lookups) stays linear in the table.
    string_set: Option<FastSet<String>>,
}

/// Lists shorter than this are scanned; longer ones of strings are hashed.
const HASHED_IN_LIST: usize = 16;

/// Python's repr of a value, as leaves appear in messages: `('name', '=', 1)`.
pub fn py_value(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(s) => py_repr(s),
        Value::Double(d) => format!("{d:?}"),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(py_value).collect::<Vec<_>>().join(", ")
        ),
        Value::Struct(members) => format!(
            "{{{}}}",
            members
                .iter()
                .map(|(k, v)| format!("{}: {}", py_repr(k), py_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Nil => "None".into(),
        Value::DateTime(s) => format!("<DateTime '{s}'>"),
        Value::Base64(_) => "<Binary>".into(),
    }
}

fn leaf_repr(items: &[Value]) -> String {
    format!(
        "({})",
        items.iter().map(py_value).collect::<Vec<_>>().join(", ")
    )
}

impl Domain {
    /// Parses a domain given as an XML-RPC value (`false`/nil count as empty).
    pub fn parse(db: &Database, model: &Arc<Model>, value: &Value) -> Result<Domain, Fault> {
        let items = match value {
            Value::Array(items) => items.as_slice(),
            Value::Bool(false) | Value::Nil => &[],
            other => {
                return Err(Fault::value(format!("Invalid domain: {}", py_value(other))));
            }
        };
        // Prefix notation read backwards: operands are pushed, operators pop them.
        let mut stack: Vec<Domain> = Vec::new();
        for item in items.iter().rev() {
            match item {
                Value::String(op) if op == "&" || op == "|" => {
                    let (Some(a), Some(b)) = (stack.pop(), stack.pop()) else {
                        return Err(Fault::value(format!("Invalid domain: {}", py_value(value))));
                    };
                    stack.push(if op == "&" {
                        Domain::And(Box::new(a), Box::new(b))
                    } else {
                        Domain::Or(Box::new(a), Box::new(b))
                    });
                }
                Value::String(op) if op == "!" => {
                    let Some(a) = stack.pop() else {
                        return Err(Fault::value(format!("Invalid domain: {}", py_value(value))));
                    };
                    stack.push(Domain::Not(Box::new(a)));
                }
                // The real server indexes into the string as if it were a leaf.
                Value::String(_) => {
                    return Err(Fault::exception("IndexError", "string index out of range"));
                }
                Value::Array(leaf) => stack.push(Self::parse_leaf(db, model, leaf)?),
                other => {
                    return Err(Fault::value(format!("Invalid leaf {}", py_value(other))));
                }
            }
        }
        // Terms left side by side are joined by an implicit '&'.
        let mut result = stack.pop().unwrap_or(Domain::True);
        while let Some(next) = stack.pop() {
            result = Domain::And(Box::new(result), Box::new(next));
        }
        Ok(result)
    }

    fn parse_leaf(db: &Database, model: &Arc<Model>, leaf: &[Value]) -> Result<Domain, Fault> {
        let invalid = || Fault::value(format!("Invalid leaf {}", leaf_repr(leaf)));
        let [left, op, right] = leaf else {
            return Err(invalid());
        };
        // (1, '=', 1) and (0, '=', 1): the constant leaves.
        if let (Value::Int(l), Value::String(o), Value::Int(1)) = (left, op, right) {
            if o == "=" && (*l == 0 || *l == 1) {
                return Ok(if *l == 1 { Domain::True } else { Domain::False });
            }
        }
        let (Value::String(path), Value::String(op_text)) = (left, op) else {
            return Err(invalid());
        };
        let op = Op::parse(&op_text.to_lowercase()).ok_or_else(invalid)?;
        let mut steps = Vec::new();
        let mut current = model.clone();
        let parts: Vec<&str> = path.split('.').collect();
        for (pos, part) in parts.iter().enumerate() {
            let Some(idx) = current.field_index(part) else {
                return Err(Fault::value(format!(
                    "Invalid field {}.{} in leaf {}",
                    current.name,
                    part,
                    leaf_repr(leaf)
                )));
            };
            let field = &current.fields[idx];
            steps.push(Step {
                model: current.clone(),
                field: idx,
            });
            if pos + 1 < parts.len() {
                let next = field
                    .relation
                    .as_deref()
                    .filter(|_| field.ftype.is_relational())
                    .and_then(|r| db.model(r));
                match next {
                    Some(next) => current = next,
                    None => {
                        return Err(Fault::value(format!(
                            "Invalid field {}.{} in leaf {}",
                            current.name,
                            parts[pos + 1],
                            leaf_repr(leaf)
                        )));
                    }
                }
            }
        }
        let mut leaf = Leaf {
            path: steps,
            op,
            value: right.clone(),
            child_ids: None,
            string_set: None,
        };
        if let (Op::In | Op::NotIn, Value::Array(items)) = (op, right) {
            if items.len() >= HASHED_IN_LIST && items.iter().all(|v| matches!(v, Value::String(_)))
            {
                leaf.string_set = Some(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect(),
                );
            }
        }
        if op == Op::ChildOf {
            leaf.child_ids = Some(child_of_ids(db, &leaf)?);
        }
        Ok(Domain::Leaf(leaf))
    }

    /// Whether the domain mentions `active` at its top level (then no implicit active filter).
    pub fn mentions_active(&self) -> bool {
        match self {
            Domain::True | Domain::False => false,
            Domain::And(a, b) | Domain::Or(a, b) => a.mentions_active() || b.mentions_active(),
            Domain::Not(a) => a.mentions_active(),
            Domain::Leaf(l) => l
                .path
                .first()
                .is_some_and(|s| s.model.fields[s.field].name == "active"),
        }
    }

    /// The strings a conjunction pins the searched model's `field` to with `=` or `in`: what an
    /// index on that field can answer. `None` when the domain does not pin it to strings only.
    pub fn pinned_strings(&self, field: &str) -> Option<Vec<&str>> {
        match self {
            Domain::And(a, b) => a.pinned_strings(field).or_else(|| b.pinned_strings(field)),
            Domain::Leaf(leaf) => match (leaf.path.as_slice(), leaf.op, &leaf.value) {
                ([step], op, value) if step.model.fields[step.field].name == field => {
                    match (op, value) {
                        (Op::Eq, Value::String(s)) => Some(vec![s.as_str()]),
                        (Op::In, Value::Array(items)) => {
                            items.iter().map(Value::as_str).collect::<Option<Vec<_>>>()
                        }
                        _ => None,
                    }
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The lowest id a conjunction lets through with `id > n` or `id >= n`: where a scan of the
    /// table in id order can start, as a database's primary key would (keyset paging asks for
    /// `id > last` page after page). `None` when the domain sets no such bound.
    pub fn id_floor(&self) -> Option<i64> {
        match self {
            Domain::And(a, b) => match (a.id_floor(), b.id_floor()) {
                (Some(x), Some(y)) => Some(x.max(y)),
                (x, y) => x.or(y),
            },
            Domain::Leaf(leaf) => match (leaf.path.as_slice(), leaf.op, &leaf.value) {
                ([step], op, Value::Int(n)) if step.model.fields[step.field].name == "id" => {
                    match op {
                        Op::Gt => n.checked_add(1),
                        Op::Ge => Some(*n),
                        _ => None,
                    }
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether record `id` matches.
    pub fn matches(&self, db: &Database, id: i64, record: &Record) -> bool {
        match self {
            Domain::True => true,
            Domain::False => false,
            Domain::And(a, b) => a.matches(db, id, record) && b.matches(db, id, record),
            Domain::Or(a, b) => a.matches(db, id, record) || b.matches(db, id, record),
            Domain::Not(a) => !a.matches(db, id, record),
            Domain::Leaf(leaf) => leaf.matches(db, 0, id, record),
        }
    }
}

/// The ids `child_of` accepts: the given records and their descendants through `parent_id`.
fn child_of_ids(db: &Database, leaf: &Leaf) -> Result<HashSet<i64>, Fault> {
    let last = leaf.path.last().expect("a leaf has a path");
    let field = &last.model.fields[last.field];
    let target = if field.name == "id" {
        last.model.clone()
    } else {
        field
            .relation
            .as_deref()
            .and_then(|r| db.model(r))
            .ok_or_else(|| Fault::value(format!("Invalid leaf: child_of on {}", field.name)))?
    };
    let mut roots: Vec<i64> = match &leaf.value {
        Value::Int(i) => vec![*i],
        Value::Array(items) => items.iter().filter_map(Value::as_i64).collect(),
        _ => vec![],
    };
    let mut result: HashSet<i64> = roots.iter().copied().collect();
    let Some(parent_idx) = target.field_index("parent_id") else {
        return Ok(result);
    };
    let Some(table) = db.table(&target.name) else {
        return Ok(result);
    };
    while !roots.is_empty() {
        let frontier: HashSet<i64> = roots.drain(..).collect();
        for (&id, rec) in &table.records {
            if let Some(p) = rec.get(parent_idx).and_then(Value::as_i64) {
                if frontier.contains(&p) && result.insert(id) {
                    roots.push(id);
                }
            }
        }
    }
    Ok(result)
}

impl Leaf {
    fn matches(&self, db: &Database, depth: usize, id: i64, record: &Record) -> bool {
        let step = &self.path[depth];
        let model = &step.model;
        let field = &model.fields[step.field];
        // Plain stored fields are compared in place: searches scan every record.
        if depth + 1 == self.path.len()
            && field.stored
            && !field.ftype.is_relational()
            && self.child_ids.is_none()
        {
            if let Some(set) = &self.string_set {
                // Only strings are in the list: a stored string matches by membership, and
                // anything else (empty, numbers) equals none of them.
                let found =
                    matches!(record.get(step.field), Some(Value::String(s)) if set.contains(s));
                return found == (self.op == Op::In);
            }
            return compare_scalar(self.op, field.ftype, record.get(step.field), &self.value);
        }
        let stored = db.stored_value(model, id, record, step.field);
        if depth + 1 < self.path.len() {
            // Follow the relation: any target record matching the rest of the path will do.
            let targets: Vec<i64> = match &stored {
                Some(Value::Int(t)) => vec![*t],
                Some(Value::Array(ids)) => ids.iter().filter_map(Value::as_i64).collect(),
                _ => vec![],
            };
            let next = &self.path[depth + 1].model;
            let mut any = false;
            for t in &targets {
                if let Some(rec) = db.record(&next.name, *t) {
                    if self.matches(db, depth + 1, *t, rec) {
                        any = true;
                        break;
                    }
                }
            }
            return if targets.is_empty() {
                self.op.is_negative()
            } else {
                any
            };
        }
        if let Some(ids) = &self.child_ids {
            return match (&stored, field.ftype) {
                (Some(Value::Int(t)), _) => ids.contains(t),
                (Some(Value::Array(items)), _) => items
                    .iter()
                    .any(|v| v.as_i64().is_some_and(|t| ids.contains(&t))),
                _ => false,
            };
        }
        match field.ftype {
            FieldType::Many2one => self.match_many2one(db, field.relation.as_deref(), stored),
            FieldType::One2many | FieldType::Many2many => {
                self.match_x2many(db, field.relation.as_deref(), stored)
            }
            _ => compare_scalar(self.op, field.ftype, stored.as_ref(), &self.value),
        }
    }

    fn match_many2one(&self, db: &Database, relation: Option<&str>, stored: Option<Value>) -> bool {
        let target = stored.as_ref().and_then(Value::as_i64);
        match (&self.value, self.op) {
            // A string compares with the target's display name.
            (Value::String(_), _) if !matches!(self.op, Op::In | Op::NotIn) => {
                let name = target
                    .zip(relation)
                    .and_then(|(t, r)| db.display_name(r, t))
                    .map(Value::String);
                compare_scalar(self.op, FieldType::Char, name.as_ref(), &self.value)
            }
            _ => compare_scalar(
                self.op,
                FieldType::Integer,
                target.map(Value::Int).as_ref(),
                &self.value,
            ),
        }
    }

    fn match_x2many(&self, db: &Database, relation: Option<&str>, stored: Option<Value>) -> bool {
        let ids: Vec<i64> = match stored {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_i64).collect(),
            _ => vec![],
        };
        let operand: Option<Vec<i64>> = match &self.value {
            Value::Int(i) => Some(vec![*i]),
            Value::Array(items) => Some(items.iter().filter_map(Value::as_i64).collect()),
            _ => None,
        };
        match (self.op, &self.value, operand) {
            (Op::Eq, Value::Bool(false), _) | (Op::Eq, Value::Nil, _) => ids.is_empty(),
            (Op::Ne, Value::Bool(false), _) | (Op::Ne, Value::Nil, _) => !ids.is_empty(),
            (Op::Eq | Op::In, _, Some(wanted)) => ids.iter().any(|i| wanted.contains(i)),
            (Op::Ne | Op::NotIn, _, Some(wanted)) => !ids.iter().any(|i| wanted.contains(i)),
            (_, Value::String(_), _) => {
                let names: Vec<Value> = relation
                    .map(|r| {
                        ids.iter()
                            .filter_map(|&i| db.display_name(r, i).map(Value::String))
                            .collect()
                    })
                    .unwrap_or_default();
                if self.op.is_negative() {
                    names
                        .iter()
                        .all(|n| compare_scalar(self.op, FieldType::Char, Some(n), &self.value))
                } else {
                    names
                        .iter()
                        .any(|n| compare_scalar(self.op, FieldType::Char, Some(n), &self.value))
                }
            }
            _ => false,
        }
    }
}

fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Double(d) => Some(*d),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The stored value as the database column would hold it: numbers and booleans are never NULL.
fn column(ftype: FieldType, stored: Option<&Value>) -> Option<Cow<'_, Value>> {
    match (stored, ftype) {
        (Some(v), _) => Some(Cow::Borrowed(v)),
        (None, FieldType::Integer) => Some(Cow::Owned(Value::Int(0))),
        (None, FieldType::Float | FieldType::Monetary) => Some(Cow::Owned(Value::Double(0.0))),
        (None, FieldType::Boolean) => Some(Cow::Owned(Value::Bool(false))),
        (None, _) => None,
    }
}

fn equals(ftype: FieldType, stored: Option<&Value>, operand: &Value) -> bool {
    let col = column(ftype, stored);
    match (col.as_deref(), operand) {
        (None, Value::Bool(false) | Value::Nil) => true,
        (None, _) => false,
        (Some(Value::Bool(b)), Value::Bool(o)) => b == o,
        (Some(Value::Bool(b)), Value::Int(o)) => i64::from(*b) == *o,
        (Some(Value::String(s)), Value::String(o)) => s == o,
        (Some(Value::String(_)), _) => false,
        (Some(a), b) => match (as_number(a), as_number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

fn compare_scalar(op: Op, ftype: FieldType, stored: Option<&Value>, operand: &Value) -> bool {
    let col = column(ftype, stored);
    match op {
        Op::Eq => equals(ftype, stored, operand),
        Op::Ne => !equals(ftype, stored, operand),
        Op::In | Op::NotIn => {
            let items: &[Value] = match operand {
                Value::Array(items) => items,
                other => std::slice::from_ref(other),
            };
            let found = items.iter().any(|v| equals(ftype, stored, v));
            if op == Op::In { found } else { !found }
        }
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            let Some(col) = col else { return false };
            let ord = match (col.as_ref(), operand) {
                (Value::String(a), Value::String(b)) => a.as_str().partial_cmp(b.as_str()),
                (a, b) => match (as_number(a), as_number(b)) {
                    (Some(x), Some(y)) => x.partial_cmp(&y),
                    _ => None,
                },
            };
            let Some(ord) = ord else { return false };
            match op {
                Op::Lt => ord.is_lt(),
                Op::Le => ord.is_le(),
                Op::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            }
        }
        Op::Like | Op::Ilike | Op::EqLike | Op::EqIlike | Op::NotLike | Op::NotIlike => {
            let text: Option<Cow<'_, str>> = match col.as_deref() {
                Some(Value::String(s)) => Some(Cow::Borrowed(s.as_str())),
                Some(Value::Int(i)) => Some(Cow::Owned(i.to_string())),
                Some(Value::Double(d)) => Some(Cow::Owned(d.to_string())),
                _ => None,
            };
            let pattern: Cow<'_, str> = match operand {
                Value::String(s) => Cow::Borrowed(s.as_str()),
                Value::Int(i) => Cow::Owned(i.to_string()),
                // `ilike False` matches empty values in the real server.
                Value::Bool(false) | Value::Nil => {
                    return text.is_none() != op.is_negative();
                }
                _ => return false,
            };
            let ci = matches!(op, Op::Ilike | Op::EqIlike | Op::NotIlike);
            let wrapped = if matches!(op, Op::EqLike | Op::EqIlike) {
                pattern
            } else {
                Cow::Owned(format!("%{pattern}%"))
            };
            let found = text.is_some_and(|t| like(&wrapped, &t, ci));
            if op.is_negative() { !found } else { found }
        }
        Op::ChildOf => false,
    }
}

/// SQL `LIKE`: `%` any run, `_` one character, `\` escapes.
pub fn like(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    // ASCII, the common case, is matched on bytes without allocating.
    if pattern.is_ascii() && text.is_ascii() {
        return if case_insensitive {
            like_slices(pattern.as_bytes(), text.as_bytes(), |a, b| {
                a.eq_ignore_ascii_case(&b)
            })
        } else {
            like_slices(pattern.as_bytes(), text.as_bytes(), |a, b| a == b)
        };
    }
    let fold = |s: &str| -> Vec<char> {
        if case_insensitive {
            s.to_lowercase().chars().collect()
        } else {
            s.chars().collect()
        }
    };
    like_slices(&fold(pattern), &fold(text), |a, b| a == b)
}

/// The `LIKE` matcher over bytes or chars.
fn like_slices<T: Copy + PartialEq + From<u8>>(
    p: &[T],
    t: &[T],
    eq: impl Fn(T, T) -> bool,
) -> bool {
    let (percent, underscore, backslash) = (T::from(b'%'), T::from(b'_'), T::from(b'\\'));
    // Iterative matcher with backtracking to the last '%'.
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == percent {
            star = Some((pi, ti));
            pi += 1;
            continue;
        }
        if pi < p.len() {
            let (pc, step) = if p[pi] == backslash && pi + 1 < p.len() {
                (Some(p[pi + 1]), 2)
            } else if p[pi] == underscore {
                (None, 1)
            } else {
                (Some(p[pi]), 1)
            };
            if pc.is_none_or(|c| eq(c, t[ti])) {
                pi += step;
                ti += 1;
                continue;
            }
        }
        match star {
            Some((sp, st)) => {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    while pi < p.len() && p[pi] == percent {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns() {
        assert!(like("%deco%", "Deco Addict", true));
        assert!(!like("%deco%", "Deco Addict", false));
        assert!(like("%@%", "a@b.c", false));
        assert!(!like("%@%", "nobody", false));
        assert!(like("a_c", "abc", false));
        assert!(!like("a_c", "abbc", false));
        assert!(like("100\\%", "100%", false));
        assert!(like("%", "", false));
        assert!(like("%zoë%", "Hi ZOË!", true));
        assert!(!like("%zoë%", "Hi ZOË!", false));
        assert!(like("_ë", "aë", false));
    }

    #[test]
    fn python_reprs() {
        let leaf = vec![
            Value::from("no_such_field"),
            Value::from("="),
            Value::Int(1),
        ];
        assert_eq!(leaf_repr(&leaf), "('no_such_field', '=', 1)");
        assert_eq!(py_value(&Value::Array(vec![Value::Bool(false)])), "[False]");
    }
}
