//! In-memory storage: one table per model, records as sparse field lists, and the computed fields
//! a client can read (`display_name`, one2many lists, `commercial_partner_id`, ...).
//!
//! Records store only the fields that were set, in their "stored form" (a many2one as its id, a
//! many2many as a sorted id list): a `crm.lead` has over a hundred fields, and tests load hundreds
//! of thousands of rows. An absent field reads as the type's empty value.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use taskflow_sdk::xmlrpc::Value;

use crate::hash::FastMap;
use crate::schema::{FieldType, Model, Registry};

/// A new external id's `ir.model.data` record and index key, waiting for its record's id.
#[derive(Debug)]
pub struct NewXmlId {
    module: String,
    name: String,
    record: Record,
    res_id_field: usize,
}

/// One record: `(field index, stored value)` pairs sorted by field index.
#[derive(Clone, Debug, Default)]
pub struct Record {
    values: Vec<(u16, Value)>,
}

impl Record {
    /// A record from values keyed by field index, each field at most once, `None`s dropped: one
    /// sort instead of a sorted insert per field (`load` builds a record per row).
    pub fn from_fields(fields: impl IntoIterator<Item = (usize, Option<Value>)>) -> Record {
        let mut values: Vec<(u16, Value)> = fields
            .into_iter()
            .filter_map(|(idx, value)| Some((idx as u16, value?)))
            .collect();
        if !values.is_sorted_by_key(|(idx, _)| *idx) {
            values.sort_unstable_by_key(|(idx, _)| *idx);
        }
        debug_assert!(
            values.windows(2).all(|w| w[0].0 < w[1].0),
            "a field is given twice"
        );
        Record { values }
    }

    /// The stored value of field `idx`, if set.
    pub fn get(&self, idx: usize) -> Option<&Value> {
        let idx = idx as u16;
        self.values
            .binary_search_by_key(&idx, |(i, _)| *i)
            .ok()
            .map(|pos| &self.values[pos].1)
    }

    /// Sets field `idx`; `None` clears it.
    pub fn set(&mut self, idx: usize, value: Option<Value>) {
        let idx = idx as u16;
        match (self.values.binary_search_by_key(&idx, |(i, _)| *i), value) {
            (Ok(pos), Some(v)) => self.values[pos].1 = v,
            (Ok(pos), None) => {
                self.values.remove(pos);
            }
            (Err(pos), Some(v)) => self.values.insert(pos, (idx, v)),
            (Err(_), None) => {}
        }
    }
}

/// The records of one model.
#[derive(Clone, Debug)]
pub struct Table {
    /// Records by id, in id order.
    pub records: BTreeMap<i64, Record>,
    /// The id the next created record gets.
    pub next_id: i64,
}

impl Default for Table {
    fn default() -> Self {
        Table {
            records: BTreeMap::new(),
            next_id: 1,
        }
    }
}

/// A whole database: every model's table, the users' passwords and the external-id index.
#[derive(Debug)]
pub struct Database {
    /// The database name clients pass to every call.
    pub name: String,
    /// The models served.
    pub registry: Arc<Registry>,
    tables: FastMap<String, Table>,
    /// Passwords by user id (kept apart from `res.users`: reading `password` answers nothing).
    pub passwords: HashMap<i64, String>,
    /// API keys (`res.users.apikeys`) to their user's id: a key opens JSON-2 and also works as
    /// its user's password (since 14.0).
    pub api_keys: HashMap<String, i64>,
    /// Users with every group (the administrator and the superuser).
    pub admins: HashSet<i64>,
    /// Module, then name, to the `ir.model.data` record id (nested so lookups by `&str` do not
    /// allocate: `load` resolves one external id per row).
    pub xmlids: FastMap<String, FastMap<String, i64>>,
    /// Counts the writes that could make a checked load wrong to apply as checked: every write
    /// but a load's creates and updates of records other than external ids. A load checked at
    /// one revision applies unchanged only at the same one.
    pub revision: u64,
}

impl Database {
    /// Whether `secret` opens `uid`'s account: their password, or one of their API keys.
    pub fn opens(&self, uid: i64, secret: &str) -> bool {
        self.passwords.get(&uid).map(String::as_str) == Some(secret)
            || self.api_keys.get(secret) == Some(&uid)
    }

    /// An empty database with a table per model of `registry`.
    pub fn new(name: &str, registry: Arc<Registry>) -> Database {
        let tables = registry
            .names()
            .map(|n| (n.to_owned(), Table::default()))
            .collect();
        Database {
            name: name.to_owned(),
            registry,
            tables,
            passwords: HashMap::new(),
            api_keys: HashMap::new(),
            admins: HashSet::new(),
            xmlids: FastMap::default(),
            revision: 0,
        }
    }

    /// The model named `name`.
    pub fn model(&self, name: &str) -> Option<Arc<Model>> {
        self.registry.model(name).cloned()
    }

    /// The table of `model` (every registered model has one).
    pub fn table(&self, model: &str) -> Option<&Table> {
        self.tables.get(model)
    }

    /// The table of `model`, mutably.
    pub fn table_mut(&mut self, model: &str) -> Option<&mut Table> {
        self.tables.get_mut(model)
    }

    /// The record `id` of `model`.
    pub fn record(&self, model: &str, id: i64) -> Option<&Record> {
        self.tables.get(model)?.records.get(&id)
    }

    /// Whether record `id` of `model` exists.
    pub fn exists(&self, model: &str, id: i64) -> bool {
        self.record(model, id).is_some()
    }

    /// The table of `model`, created if needed (without allocating a key when it exists: `load`
    /// inserts once per row).
    fn table_entry(&mut self, model: &str) -> &mut Table {
        if !self.tables.contains_key(model) {
            self.tables.insert(model.to_owned(), Table::default());
        }
        self.tables
            .get_mut(model)
            .expect("the table was just ensured")
    }

    /// Inserts a record under a fresh id and returns the id.
    pub fn insert(&mut self, model: &str, record: Record) -> i64 {
        let table = self.table_entry(model);
        let id = table.next_id;
        table.next_id += 1;
        table.records.insert(id, record);
        id
    }

    /// Inserts a record under a chosen id (seed data lines up with the recorded database).
    pub fn insert_with_id(&mut self, model: &str, id: i64, record: Record) {
        let table = self.table_entry(model);
        table.next_id = table.next_id.max(id + 1);
        table.records.insert(id, record);
    }

    /// Rebuilds the external-id index from the `ir.model.data` table.
    pub fn reindex_xmlids(&mut self) {
        let Some(imd) = self.model("ir.model.data") else {
            return;
        };
        let (Some(module), Some(name)) = (imd.field_index("module"), imd.field_index("name"))
        else {
            return;
        };
        let mut index: FastMap<String, FastMap<String, i64>> = FastMap::default();
        if let Some(table) = self.tables.get("ir.model.data") {
            for (&id, rec) in &table.records {
                if let (Some(Value::String(m)), Some(Value::String(n))) =
                    (rec.get(module), rec.get(name))
                {
                    index.entry(m.clone()).or_default().insert(n.clone(), id);
                }
            }
        }
        self.xmlids = index;
    }

    /// The `ir.model.data` record the external-id index holds for `module.name`.
    pub fn xmlid_entry(&self, module: &str, name: &str) -> Option<i64> {
        self.xmlids.get(module)?.get(name).copied()
    }

    /// The `(model, res_id)` an external id points to.
    pub fn resolve_xmlid(&self, module: &str, name: &str) -> Option<(&str, i64)> {
        let imd_id = *self.xmlids.get(module)?.get(name)?;
        let imd = self.registry.model("ir.model.data")?;
        let rec = self.record("ir.model.data", imd_id)?;
        let model = rec.get(imd.field_index("model")?)?.as_str()?;
        let res_id = rec.get(imd.field_index("res_id")?)?.as_i64()?;
        Some((model, res_id))
    }

    /// Registers the external id `module.name` for record `res_id` of `model`.
    pub fn add_xmlid(&mut self, module: &str, name: &str, model: &str, res_id: i64, now: &str) {
        if let Some(entry) = self.new_xmlid(module, name, model, now) {
            self.insert_xmlid(entry, res_id);
        }
    }

    /// The `ir.model.data` record of a new external id, built apart from inserting it so that
    /// `load` can build its entries before it takes the exclusive lock.
    pub fn new_xmlid(&self, module: &str, name: &str, model: &str, now: &str) -> Option<NewXmlId> {
        let imd = self.registry.model("ir.model.data")?;
        let mut values = Vec::with_capacity(7);
        for (field, value) in [
            ("module", Value::from(module)),
            ("name", Value::from(name)),
            ("model", Value::from(model)),
            ("res_id", Value::Int(0)),
            ("noupdate", Value::Bool(false)),
            ("create_date", Value::from(now)),
            ("write_date", Value::from(now)),
        ] {
            if let Some(idx) = imd.field_index(field) {
                values.push((idx, Some(value)));
            }
        }
        Some(NewXmlId {
            module: module.to_owned(),
            name: name.to_owned(),
            record: Record::from_fields(values),
            res_id_field: imd.field_index("res_id")?,
        })
    }

    /// Inserts an entry of [`Database::new_xmlid`], pointing at `res_id`.
    pub fn insert_xmlid(&mut self, entry: NewXmlId, res_id: i64) {
        let NewXmlId {
            module,
            name,
            mut record,
            res_id_field,
        } = entry;
        record.set(res_id_field, Some(Value::Int(res_id)));
        let id = self.insert("ir.model.data", record);
        match self.xmlids.get_mut(&module) {
            Some(names) => {
                names.insert(name, id);
            }
            None => {
                self.xmlids.entry(module).or_default().insert(name, id);
            }
        }
    }

    /// The value of `field` of a record in stored form, including computed fields: a many2one as
    /// its id, an x2many as its id list, `None` when empty.
    pub fn stored_value(
        &self,
        model: &Model,
        id: i64,
        record: &Record,
        field: usize,
    ) -> Option<Value> {
        let f = &model.fields[field];
        if f.stored {
            return match (f.ftype, record.get(field)) {
                // Links to deleted records read as empty, like a foreign key set null.
                (FieldType::Many2one, Some(Value::Int(target))) => {
                    let relation = f.relation.as_deref().unwrap_or_default();
                    match self.table(relation) {
                        Some(t) if !t.records.contains_key(target) => None,
                        _ => Some(Value::Int(*target)),
                    }
                }
                (FieldType::Many2many, Some(Value::Array(ids))) => {
                    let relation = f.relation.as_deref().unwrap_or_default();
                    Some(Value::Array(
                        ids.iter()
                            .filter(|v| v.as_i64().is_some_and(|i| self.exists(relation, i)))
                            .cloned()
                            .collect(),
                    ))
                }
                (_, v) => v.cloned(),
            };
        }
        self.computed(model, id, record, field)
    }

    fn computed(&self, model: &Model, id: i64, record: &Record, field: usize) -> Option<Value> {
        let f = &model.fields[field];
        match (f.name.as_str(), f.ftype) {
            ("id", _) => Some(Value::Int(id)),
            ("display_name", _) => Some(Value::String(self.display_name_of(model, id, record))),
            ("complete_name", _) if model.name == "ir.model.data" => {
                let get = |n: &str| {
                    model
                        .field_index(n)
                        .and_then(|i| record.get(i))
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                Some(Value::String(format!("{}.{}", get("module"), get("name"))))
            }
            ("complete_name", _) => Some(Value::String(self.display_name_of(model, id, record))),
            ("commercial_partner_id", _) => Some(Value::Int(self.commercial_partner(id))),
            (name, FieldType::Binary) if name.starts_with("image_") => {
                let full = model.field_index("image_1920")?;
                record.get(full).cloned()
            }
            (_, FieldType::One2many) => {
                let inverse = f.inverse.as_deref()?;
                let relation = f.relation.as_deref()?;
                let comodel = self.registry.model(relation)?;
                let inv_idx = comodel.field_index(inverse)?;
                let table = self.table(relation)?;
                let mut children: Vec<i64> = table
                    .records
                    .iter()
                    .filter(|(_, r)| r.get(inv_idx).and_then(Value::as_i64) == Some(id))
                    .filter(|(_, r)| self.is_active(comodel, r))
                    .map(|(&cid, _)| cid)
                    .collect();
                self.sort_ids(comodel, &mut children);
                Some(Value::Array(children.into_iter().map(Value::Int).collect()))
            }
            _ => None,
        }
    }

    /// Parent id to its children's ids (sorted by the comodel's order) for one2many `field` of
    /// `model`, from one scan of the comodel; `None` when the field has no inverse here.
    pub fn one2many_index(&self, model: &Model, field: usize) -> Option<HashMap<i64, Vec<i64>>> {
        let f = &model.fields[field];
        let comodel = self.registry.model(f.relation.as_deref()?)?;
        let inv_idx = comodel.field_index(f.inverse.as_deref()?)?;
        let table = self.table(&comodel.name)?;
        let mut index: HashMap<i64, Vec<i64>> = HashMap::new();
        for (&cid, rec) in &table.records {
            if let Some(parent) = rec.get(inv_idx).and_then(Value::as_i64) {
                if self.is_active(comodel, rec) {
                    index.entry(parent).or_default().push(cid);
                }
            }
        }
        for children in index.values_mut() {
            self.sort_ids(comodel, children);
        }
        Some(index)
    }

    /// Whether a record is active (records of models without `active` always are).
    pub fn is_active(&self, model: &Model, record: &Record) -> bool {
        match model.field_index("active") {
            Some(idx) => !matches!(record.get(idx), Some(Value::Bool(false))),
            None => true,
        }
    }

    /// The top-most ancestor of a partner (a company's contacts share their company's).
    fn commercial_partner(&self, mut id: i64) -> i64 {
        let Some(partner) = self.registry.model("res.partner") else {
            return id;
        };
        let Some(parent_idx) = partner.field_index("parent_id") else {
            return id;
        };
        for _ in 0..64 {
            match self
                .record("res.partner", id)
                .and_then(|r| r.get(parent_idx))
                .and_then(Value::as_i64)
            {
                Some(parent) if self.exists("res.partner", parent) => id = parent,
                _ => break,
            }
        }
        id
    }

    /// The display name of a record of `model`.
    pub fn display_name_of(&self, model: &Model, id: i64, record: &Record) -> String {
        let own = |m: &Model, r: &Record| {
            m.field_index(&m.rec_name)
                .and_then(|i| r.get(i))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        match model.name.as_str() {
            "ir.model.data" => {
                let get = |n: &str| {
                    model
                        .field_index(n)
                        .and_then(|i| record.get(i))
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                format!("{}.{}", get("module"), get("name"))
            }
            // A company's contact reads "Company, Contact", like the real server's complete_name.
            "res.partner" => {
                let name = own(model, record);
                let parent = model
                    .field_index("parent_id")
                    .and_then(|i| record.get(i))
                    .and_then(Value::as_i64)
                    .filter(|&p| p != id);
                match parent.and_then(|p| self.record("res.partner", p)) {
                    Some(parent) => format!("{}, {name}", own(model, parent)),
                    None => name,
                }
            }
            _ => own(model, record),
        }
    }

    /// The display name of record `id` of the model named `model`, if it exists.
    pub fn display_name(&self, model: &str, id: i64) -> Option<String> {
        let m = self.registry.model(model)?;
        let rec = self.record(model, id)?;
        Some(self.display_name_of(m, id, rec))
    }

    /// Sorts ids of `model` by its default order.
    pub fn sort_ids(&self, model: &Model, ids: &mut [i64]) {
        let order = model.order.clone();
        self.sort_by_order(model, &order, ids);
    }

    /// Sorts ids of `model` by `order` (`(field, descending)` pairs), then by id.
    pub fn sort_by_order(&self, model: &Model, order: &[(String, bool)], ids: &mut [i64]) {
        let keys: Vec<(usize, bool)> = order
            .iter()
            .filter_map(|(f, desc)| model.field_index(f).map(|i| (i, *desc)))
            .collect();
        if keys.is_empty() || (keys.len() == 1 && model.fields[keys[0].0].name == "id") {
            ids.sort_unstable();
            if keys.first().is_some_and(|k| k.1) {
                ids.reverse();
            }
            return;
        }
        let table = self.table(&model.name);
        let mut decorated: Vec<(Vec<SortKey>, i64)> = ids
            .iter()
            .map(|&id| {
                let rec = table.and_then(|t| t.records.get(&id));
                let key = keys
                    .iter()
                    .map(|&(idx, _)| match rec {
                        Some(r) => {
                            SortKey::of(self, model, idx, self.stored_value(model, id, r, idx))
                        }
                        None => SortKey::Null,
                    })
                    .collect();
                (key, id)
            })
            .collect();
        decorated.sort_by(|(ka, ia), (kb, ib)| {
            for (pos, &(_, desc)) in keys.iter().enumerate() {
                let ord = ka[pos].cmp_nulls(&kb[pos], desc);
                if ord != std::cmp::Ordering::Equal {
                    return ord;
                }
            }
            ia.cmp(ib)
        });
        for (slot, (_, id)) in ids.iter_mut().zip(decorated) {
            *slot = id;
        }
    }
}

/// A comparable projection of a stored value for ordering.
#[derive(Clone, Debug, PartialEq, PartialOrd)]
enum SortKey {
    Null,
    Num(f64),
    Text(String),
}

impl SortKey {
    fn of(db: &Database, model: &Model, idx: usize, value: Option<Value>) -> SortKey {
        let field = &model.fields[idx];
        match value {
            // Empty numbers and booleans are 0/false in the database, not NULL.
            None if field.ftype.is_numeric() || field.ftype == FieldType::Boolean => {
                SortKey::Num(0.0)
            }
            None => SortKey::Null,
            // Many2one fields order by the first key of the comodel's order (a stage by its
            // sequence, a partner by its name), as the real server does.
            Some(Value::Int(id)) if field.ftype == FieldType::Many2one => {
                let Some(comodel) = field.relation.as_deref().and_then(|r| db.registry.model(r))
                else {
                    return SortKey::Num(id as f64);
                };
                let Some(target) = db.record(&comodel.name, id) else {
                    return SortKey::Null;
                };
                match comodel
                    .order
                    .first()
                    .and_then(|(f, _)| comodel.field_index(f))
                {
                    Some(first) if comodel.fields[first].ftype != FieldType::Many2one => {
                        SortKey::of(
                            db,
                            comodel,
                            first,
                            db.stored_value(comodel, id, target, first),
                        )
                    }
                    _ => SortKey::Text(db.display_name_of(comodel, id, target).to_lowercase()),
                }
            }
            Some(Value::Int(i)) => SortKey::Num(i as f64),
            Some(Value::Double(d)) => SortKey::Num(d),
            Some(Value::Bool(b)) => SortKey::Num(f64::from(u8::from(b))),
            Some(Value::String(s)) => SortKey::Text(s.to_lowercase()),
            Some(_) => SortKey::Null,
        }
    }

    /// PostgreSQL's ordering: NULLS LAST ascending, NULLS FIRST descending.
    fn cmp_nulls(&self, other: &SortKey, desc: bool) -> std::cmp::Ordering {
        use std::cmp::Ordering::*;
        let ord = match (self, other) {
            (SortKey::Null, SortKey::Null) => Equal,
            (SortKey::Null, _) => Greater,
            (_, SortKey::Null) => Less,
            (a, b) => a.partial_cmp(b).unwrap_or(Equal),
        };
        if desc { ord.reverse() } else { ord }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_keeps_fields_sorted_and_clears() {
        let mut r = Record::default();
        r.set(5, Some(Value::Int(5)));
        r.set(1, Some(Value::Int(1)));
        r.set(3, Some(Value::Int(3)));
        assert_eq!(r.get(3), Some(&Value::Int(3)));
        r.set(3, None);
        assert_eq!(r.get(3), None);
        assert_eq!(r.get(1), Some(&Value::Int(1)));
        assert_eq!(r.get(5), Some(&Value::Int(5)));
    }
}
