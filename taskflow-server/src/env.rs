//! The environment of one call: who is calling (their uid, and through it their rights), with what
//! context (`active_test`) and at what time, and the helpers every ORM operation shares to see
//! records as that caller does.

use std::sync::Arc;

use taskflow_sdk::xmlrpc::Value;

use crate::access;
use crate::clock;
use crate::domain::Domain;
use crate::fault::Fault;
use crate::schema::{DefaultValue, Model};
use crate::store::Database;

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
            now: clock::now(),
        }
    }

    /// The value a default stands for in this call.
    pub fn resolve(&self, default: &DefaultValue) -> Value {
        match default {
            DefaultValue::Const(v) => v.clone(),
            DefaultValue::Uid => Value::Int(self.uid),
            DefaultValue::Now => Value::String(self.now.clone()),
        }
    }
}

/// `ValueError: Invalid field 'x' on model 'm'`.
pub fn invalid_field(model: &Model, name: &str) -> Fault {
    Fault::value(format!("Invalid field '{name}' on model '{}'", model.name))
}

/// Parses the domain of a search by the caller: with the implicit `active = True` filter of
/// `active_test`, and narrowed by their record rule.
pub fn parse_domain(
    db: &Database,
    env: &Env,
    model: &Arc<Model>,
    value: Option<&Value>,
) -> Result<Domain, Fault> {
    let domain = Domain::parse(db, model, value.unwrap_or(&Value::Array(vec![])))?;
    let domain = match access::rule_domain(db, model, env.uid)? {
        Some(rule) => Domain::And(Box::new(rule), Box::new(domain)),
        None => domain,
    };
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
