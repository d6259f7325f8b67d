//! The model registry: fields and their attributes as the real server's `fields_get` reports them.
//!
//! The recorded part (`schema/<model>.json`, regenerated from the Odoo 17 transcripts by
//! `schema/trim.py`) keeps every field in the server's own order, so `fields_get` answers look like
//! the real ones. `schema/models.json` is written by hand: what `fields_get` does not tell
//! (descriptions, default order, defaults, inverses, access groups), the TaskFlow-only fields and
//! small models the recorded fields point to (`crm.team`, `res.company`, ...).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use crate::hash::FastMap;
use taskflow_sdk::xmlrpc::Value;

/// The field types the server knows, named as `fields_get` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// `char`: a one-line string.
    Char,
    /// `text`: a multi-line string.
    Text,
    /// `html`: a string holding HTML.
    Html,
    /// `integer`.
    Integer,
    /// `float`.
    Float,
    /// `monetary`: a float in the record's currency.
    Monetary,
    /// `boolean`.
    Boolean,
    /// `date`: `YYYY-MM-DD` on the wire.
    Date,
    /// `datetime`: `YYYY-MM-DD HH:MM:SS` (UTC) on the wire.
    Datetime,
    /// `binary`: base64 text on the wire.
    Binary,
    /// `selection`: one key of a fixed list.
    Selection,
    /// `many2one`: an id, read as `[id, display_name]`.
    Many2one,
    /// `one2many`: the records whose inverse many2one points here.
    One2many,
    /// `many2many`: a set of ids.
    Many2many,
    /// `json`: any structure.
    Json,
    /// `properties`: read as a list.
    Properties,
    /// `many2one_reference`: an id into a model named by another field.
    Many2oneReference,
    /// Any other type (`reference`, `properties_definition`): stored as given.
    Other,
}

impl FieldType {
    fn parse(name: &str) -> FieldType {
        match name {
            "char" => FieldType::Char,
            "text" => FieldType::Text,
            "html" => FieldType::Html,
            "integer" => FieldType::Integer,
            "float" => FieldType::Float,
            "monetary" => FieldType::Monetary,
            "boolean" => FieldType::Boolean,
            "date" => FieldType::Date,
            "datetime" => FieldType::Datetime,
            "binary" => FieldType::Binary,
            "selection" => FieldType::Selection,
            "many2one" => FieldType::Many2one,
            "one2many" => FieldType::One2many,
            "many2many" => FieldType::Many2many,
            "json" => FieldType::Json,
            "properties" => FieldType::Properties,
            "many2one_reference" => FieldType::Many2oneReference,
            _ => FieldType::Other,
        }
    }

    /// Whether values are ids of another model.
    pub fn is_relational(self) -> bool {
        matches!(
            self,
            FieldType::Many2one | FieldType::One2many | FieldType::Many2many
        )
    }

    /// Whether values are lists of ids managed with x2many commands.
    pub fn is_x2many(self) -> bool {
        matches!(self, FieldType::One2many | FieldType::Many2many)
    }

    /// Whether values are numbers that `read_group` sums.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            FieldType::Integer | FieldType::Float | FieldType::Monetary
        )
    }
}

/// One field of a model.
#[derive(Clone, Debug)]
pub struct Field {
    /// Technical name (`partner_id`).
    pub name: String,
    /// The type as reported (`many2one`), kept verbatim for `fields_get`.
    pub type_name: String,
    /// The parsed type.
    pub ftype: FieldType,
    /// Label (`Customer`), used in messages.
    pub string: String,
    /// `required` as reported.
    pub required: bool,
    /// `readonly` as reported.
    pub readonly: bool,
    /// Comodel of relational fields.
    pub relation: Option<String>,
    /// `(key, label)` pairs of selection fields; keys are usually strings.
    pub selection: Option<Vec<(Value, String)>>,
    /// For one2many fields: the many2one on the comodel pointing back.
    pub inverse: Option<String>,
    /// False for fields computed on read (`display_name`, `child_ids`, ...).
    pub stored: bool,
    /// Whether `fields_get` reports the field as translatable.
    pub translate: bool,
    /// The attributes `fields_get` reports verbatim, whatever is asked (res.users' group fields).
    pub verbatim: Option<Vec<(String, Value)>>,
}

/// A default value, as `default_get` reports it or `create` applies it.
#[derive(Clone, Debug)]
pub enum DefaultValue {
    /// A constant.
    Const(Value),
    /// The calling user's id (`$uid`).
    Uid,
    /// The current UTC datetime (`$now`).
    Now,
}

/// A model: its fields in the server's order and its behaviour.
#[derive(Debug)]
pub struct Model {
    /// Technical name (`crm.lead`).
    pub name: String,
    /// Human name used in access and constraint messages (`Lead/Opportunity`).
    pub description: String,
    /// Default order as `(field, descending)` pairs.
    pub order: Vec<(String, bool)>,
    /// Fields in `fields_get` order.
    pub fields: Vec<Field>,
    index: FastMap<String, usize>,
    /// Defaults reported by `default_get` and applied by `create`.
    pub defaults: Vec<(String, DefaultValue)>,
    /// Field giving the display name (`name` unless said otherwise).
    pub rec_name: String,
    /// The groups an operation is reserved to, where not every internal user may do it.
    pub access: AccessGroups,
    /// The record rule narrowing which records a user who is not an administrator may touch.
    pub rule: Option<RecordRule>,
    /// Message of the constraint that refuses an empty name (`res.partner`).
    pub name_required: Option<String>,
    /// Indexes resolved once, for the per-record paths (`create`, `load`).
    pub resolved: Resolved,
}

/// The group each operation on a model is reserved to (`None`: every internal user may), as the
/// real server's `ir.model.access` grants them and its access errors name them.
#[derive(Clone, Debug, Default)]
pub struct AccessGroups {
    /// Reading.
    pub read: Option<String>,
    /// Writing.
    pub write: Option<String>,
    /// Creating.
    pub create: Option<String>,
    /// Deleting.
    pub unlink: Option<String>,
}

/// A record rule (`ir.rule`): the domain the records a user touches must match. `"$uid"` in the
/// domain stands for the calling user.
#[derive(Clone, Debug)]
pub struct RecordRule {
    /// The domain, with `"$uid"` placeholders.
    pub domain: Value,
}

/// Field indexes of a model resolved once at start-up: `create` and `load` run per row.
#[derive(Debug, Default)]
pub struct Resolved {
    /// `defaults` then `create_values`, as field indexes.
    pub create_defaults: Vec<(usize, DefaultValue)>,
    /// Stored, non-x2many required fields.
    pub required: Vec<usize>,
    /// `create_uid`, `write_uid`, `create_date`, `write_date`.
    pub create_uid: Option<usize>,
    /// See [`Resolved::create_uid`].
    pub write_uid: Option<usize>,
    /// See [`Resolved::create_uid`].
    pub create_date: Option<usize>,
    /// See [`Resolved::create_uid`].
    pub write_date: Option<usize>,
}

impl Model {
    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.field_index(name).map(|i| &self.fields[i])
    }

    /// The position of the field named `name` in [`Model::fields`].
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// Whether the model archives records through an `active` field.
    pub fn has_active(&self) -> bool {
        self.index.contains_key("active")
    }
}

/// Every model the server serves.
#[derive(Debug)]
pub struct Registry {
    models: FastMap<String, Arc<Model>>,
}

impl Registry {
    /// The model named `name`.
    pub fn model(&self, name: &str) -> Option<&Arc<Model>> {
        self.models.get(name)
    }

    /// Names of all models.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.models.keys().map(String::as_str)
    }

    /// The registry built from the embedded schema, parsed once per process.
    pub fn builtin() -> Arc<Registry> {
        static REGISTRY: OnceLock<Arc<Registry>> = OnceLock::new();
        REGISTRY
            .get_or_init(|| Arc::new(build().expect("the embedded schema is valid JSON")))
            .clone()
    }
}

#[derive(Deserialize)]
struct RecordedModel {
    model: String,
    fields: Vec<FieldJson>,
}

#[derive(Deserialize)]
struct FieldJson {
    name: String,
    string: String,
    #[serde(rename = "type")]
    ftype: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    readonly: bool,
    relation: Option<String>,
    selection: Option<Vec<(serde_json::Value, String)>>,
    verbatim: Option<Vec<(String, serde_json::Value)>>,
}

#[derive(Deserialize)]
struct Behaviour {
    models: HashMap<String, ModelJson>,
    computed_fields: Vec<String>,
}

#[derive(Deserialize, Default)]
struct ModelJson {
    description: String,
    order: String,
    #[serde(default)]
    extra_fields: Vec<FieldJson>,
    #[serde(default)]
    fields: Vec<FieldJson>,
    #[serde(default)]
    defaults: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    create_values: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    inverse: HashMap<String, String>,
    #[serde(default)]
    translated: Vec<String>,
    rec_name: Option<String>,
    #[serde(default)]
    access: AccessJson,
    rule: Option<RuleJson>,
    name_required: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct AccessJson {
    read: Option<String>,
    write: Option<String>,
    create: Option<String>,
    unlink: Option<String>,
}

impl AccessJson {
    /// An operation not listed takes the group of `write`, and `write` the group of `read`: a
    /// model readable by admins only is writable by admins only.
    fn resolve(self) -> AccessGroups {
        let write = self.write.or_else(|| self.read.clone());
        AccessGroups {
            create: self.create.or_else(|| write.clone()),
            unlink: self.unlink.or_else(|| write.clone()),
            read: self.read,
            write,
        }
    }
}

#[derive(Deserialize)]
struct RuleJson {
    // The rule's `name` in the JSON is for its readers only.
    domain: serde_json::Value,
}

const RECORDED: &[&str] = &[
    include_str!("../schema/crm.lead.json"),
    include_str!("../schema/crm.stage.json"),
    include_str!("../schema/crm.tag.json"),
    include_str!("../schema/ir.model.data.json"),
    include_str!("../schema/ir.model.json"),
    include_str!("../schema/res.partner.json"),
    include_str!("../schema/res.users.json"),
];

const BEHAVIOUR: &str = include_str!("../schema/models.json");

/// Converts JSON (schema data) to an XML-RPC value.
pub(crate) fn json_to_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Bool(false),
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Double(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(json_to_value).collect()),
        serde_json::Value::Object(map) => Value::Struct(
            map.iter()
                .map(|(k, v)| (k.clone(), json_to_value(v)))
                .collect(),
        ),
    }
}

fn default_value(v: &serde_json::Value) -> DefaultValue {
    match v.as_str() {
        Some("$uid") => DefaultValue::Uid,
        Some("$now") => DefaultValue::Now,
        _ => DefaultValue::Const(json_to_value(v)),
    }
}

fn parse_order(order: &str) -> Vec<(String, bool)> {
    order
        .split(',')
        .filter_map(|part| {
            let mut words = part.split_whitespace();
            let field = words.next()?.to_owned();
            let desc = words.next().is_some_and(|d| d.eq_ignore_ascii_case("desc"));
            Some((field, desc))
        })
        .collect()
}

fn magic_fields() -> Vec<FieldJson> {
    let f = |name: &str, string: &str, ftype: &str, relation: Option<&str>| FieldJson {
        name: name.to_owned(),
        string: string.to_owned(),
        ftype: ftype.to_owned(),
        required: false,
        readonly: true,
        relation: relation.map(str::to_owned),
        selection: None,
        verbatim: None,
    };
    vec![
        f("id", "ID", "integer", None),
        f("display_name", "Display Name", "char", None),
        f("create_uid", "Created by", "many2one", Some("res.users")),
        f("create_date", "Created on", "datetime", None),
        f(
            "write_uid",
            "Last Updated by",
            "many2one",
            Some("res.users"),
        ),
        f("write_date", "Last Updated on", "datetime", None),
    ]
}

fn build() -> Result<Registry, serde_json::Error> {
    let behaviour: Behaviour = serde_json::from_str(BEHAVIOUR)?;
    let mut recorded: HashMap<String, Vec<FieldJson>> = HashMap::new();
    for text in RECORDED {
        let model: RecordedModel = serde_json::from_str(text)?;
        recorded.insert(model.model, model.fields);
    }
    let mut models = FastMap::default();
    for (name, mut spec) in behaviour.models {
        let mut fields_json = recorded.remove(&name).unwrap_or_default();
        if fields_json.is_empty() {
            // A hand-written model: its own fields, then the ones every model has.
            fields_json = std::mem::take(&mut spec.fields);
            fields_json.extend(magic_fields());
        }
        fields_json.append(&mut spec.extra_fields);
        let fields: Vec<Field> = fields_json
            .into_iter()
            .map(|f| {
                let ftype = FieldType::parse(&f.ftype);
                let computed = behaviour.computed_fields.contains(&f.name) || f.name == "id";
                Field {
                    inverse: spec.inverse.get(&f.name).cloned(),
                    stored: !computed,
                    translate: spec.translated.contains(&f.name),
                    verbatim: f.verbatim.map(|attrs| {
                        attrs
                            .into_iter()
                            .map(|(k, v)| (k, json_to_value(&v)))
                            .collect()
                    }),
                    name: f.name,
                    type_name: f.ftype,
                    ftype,
                    string: f.string,
                    required: f.required,
                    readonly: f.readonly,
                    relation: f.relation,
                    selection: f.selection.map(|s| {
                        s.into_iter()
                            .map(|(k, label)| (json_to_value(&k), label))
                            .collect()
                    }),
                }
            })
            .collect();
        let index = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.clone(), i))
            .collect();
        let index: FastMap<String, usize> = index;
        let defaults: Vec<(String, DefaultValue)> = spec
            .defaults
            .iter()
            .map(|(k, v)| (k.clone(), default_value(v)))
            .collect();
        let create_values: Vec<(String, DefaultValue)> = spec
            .create_values
            .iter()
            .map(|(k, v)| (k.clone(), default_value(v)))
            .collect();
        let resolved = Resolved {
            create_defaults: defaults
                .iter()
                .chain(&create_values)
                .filter_map(|(n, d)| index.get(n).map(|&i| (i, d.clone())))
                .collect(),
            required: fields
                .iter()
                .enumerate()
                .filter(|(_, f)| f.required && f.stored && !f.ftype.is_x2many())
                .map(|(i, _)| i)
                .collect(),
            create_uid: index.get("create_uid").copied(),
            write_uid: index.get("write_uid").copied(),
            create_date: index.get("create_date").copied(),
            write_date: index.get("write_date").copied(),
        };
        let model = Model {
            resolved,
            description: spec.description,
            order: parse_order(&spec.order),
            defaults,
            rec_name: spec.rec_name.unwrap_or_else(|| "name".to_owned()),
            access: std::mem::take(&mut spec.access).resolve(),
            rule: spec.rule.take().map(|r| RecordRule {
                domain: json_to_value(&r.domain),
            }),
            name_required: spec.name_required,
            fields,
            index,
            name: name.clone(),
        };
        models.insert(name, Arc::new(model));
    }
    Ok(Registry { models })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_registry_has_the_recorded_models_and_taskflow_fields() {
        let registry = Registry::builtin();
        for name in [
            "res.users",
            "res.partner",
            "crm.lead",
            "crm.tag",
            "crm.stage",
            "ir.model.data",
        ] {
            assert!(registry.model(name).is_some(), "{name} is missing");
        }
        let lead = registry.model("crm.lead").unwrap();
        assert_eq!(
            lead.field("contact_surname").unwrap().string,
            "Contact Surname"
        );
        assert_eq!(lead.field("fax").unwrap().ftype, FieldType::Char);
        assert_eq!(
            lead.field("partner_id").unwrap().relation.as_deref(),
            Some("res.partner")
        );
        assert!(lead.field("name").unwrap().required);
        assert_eq!(
            lead.order,
            vec![("priority".into(), true), ("id".into(), true)]
        );
        let partner = registry.model("res.partner").unwrap();
        assert_eq!(
            partner.field("child_ids").unwrap().inverse.as_deref(),
            Some("parent_id")
        );
        assert!(!partner.field("display_name").unwrap().stored);
        let team = registry.model("crm.team").unwrap();
        assert!(team.field("id").is_some() && team.field("display_name").is_some());
    }
}
