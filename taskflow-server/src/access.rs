//! Who may do what: a user's access rights on a model (`ir.model.access`) and the record rules
//! (`ir.rule`) that narrow which records they may touch, checked the way a real server checks
//! them (transcripts 089-091, 115-124, 136-139, `access-matrix.json`).
//!
//! Administrators (the superuser and `admin`) hold every group, and no rule narrows what they
//! see. Every other user is a salesperson with "own documents only": the groups a model reserves
//! an operation to ([`AccessGroups`]) are closed to them, and a model's [`RecordRule`] filters
//! their searches and refuses their reads and writes of records outside it.
//!
//! [`AccessGroups`]: crate::schema::AccessGroups
//! [`RecordRule`]: crate::schema::RecordRule

use std::sync::Arc;

use taskflow_sdk::xmlrpc::Value;

use crate::domain::Domain;
use crate::fault::Fault;
use crate::schema::Model;
use crate::store::{Database, Record};

/// An operation access rights and record rules are granted for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Reading records (and searching, counting, grouping them).
    Read,
    /// Changing records.
    Write,
    /// Creating records.
    Create,
    /// Deleting records.
    Unlink,
}

impl Operation {
    /// The operation named as `check_access_rights` names it.
    pub fn parse(name: &str) -> Option<Operation> {
        Some(match name {
            "read" => Operation::Read,
            "write" => Operation::Write,
            "create" => Operation::Create,
            "unlink" => Operation::Unlink,
            _ => return None,
        })
    }

    /// The name record-rule errors quote (`'read'`).
    pub fn name(self) -> &'static str {
        match self {
            Operation::Read => "read",
            Operation::Write => "write",
            Operation::Create => "create",
            Operation::Unlink => "unlink",
        }
    }

    /// The verb access-right errors use (`You are not allowed to modify ...`).
    fn verb(self) -> &'static str {
        match self {
            Operation::Read => "access",
            Operation::Write => "modify",
            Operation::Create => "create",
            Operation::Unlink => "delete",
        }
    }
}

/// Whether `uid` holds every group (the superuser and the administrator).
pub fn is_admin(db: &Database, uid: i64) -> bool {
    db.admins.contains(&uid)
}

/// Refuses `op` on `model` to a user outside the group the model reserves it to, with the real
/// server's text (118, 136).
pub fn check_rights(db: &Database, model: &Model, op: Operation, uid: i64) -> Result<(), Fault> {
    if is_admin(db, uid) {
        return Ok(());
    }
    let group = match op {
        Operation::Read => &model.access.read,
        Operation::Write => &model.access.write,
        Operation::Create => &model.access.create,
        Operation::Unlink => &model.access.unlink,
    };
    match group {
        Some(group) => Err(Fault::access(
            op.verb(),
            &model.description,
            &model.name,
            group,
        )),
        None => Ok(()),
    }
}

/// The domain `model`'s record rule allows `uid`, or `None` where no rule applies (an
/// administrator, or a model without a rule).
pub fn rule_domain(db: &Database, model: &Arc<Model>, uid: i64) -> Result<Option<Domain>, Fault> {
    let Some(rule) = &model.rule else {
        return Ok(None);
    };
    if is_admin(db, uid) {
        return Ok(None);
    }
    Domain::parse(db, model, &for_user(&rule.domain, uid)).map(Some)
}

/// A rule's domain with its `"$uid"` placeholders replaced by `uid`.
fn for_user(domain: &Value, uid: i64) -> Value {
    match domain {
        Value::String(s) if s == "$uid" => Value::Int(uid),
        Value::Array(items) => Value::Array(items.iter().map(|v| for_user(v, uid)).collect()),
        other => other.clone(),
    }
}

/// Refuses `op` on records of `ids` that exist but lie outside `uid`'s record rule. Missing ids
/// are left to the caller, which reports them its own way (dropped by `read`, a `MissingError`
/// for `write`).
pub fn check_rule(
    db: &Database,
    model: &Arc<Model>,
    uid: i64,
    ids: &[i64],
    op: Operation,
) -> Result<(), Fault> {
    let Some(domain) = rule_domain(db, model, uid)? else {
        return Ok(());
    };
    let outside = ids.iter().any(|&id| {
        db.record(&model.name, id)
            .is_some_and(|rec| !domain.matches(db, id, rec))
    });
    if outside {
        return Err(refused(db, model, uid, op));
    }
    Ok(())
}

/// Whether a record about to be created as `record` lies inside `domain`, a rule's domain.
pub fn allows_new(db: &Database, domain: &Domain, record: &Record) -> bool {
    // A new record has no id yet; no rule here looks at it.
    domain.matches(db, 0, record)
}

/// The record-rule error, verbatim from the recordings (123, 124).
pub fn refused(db: &Database, model: &Model, uid: i64, op: Operation) -> Fault {
    let user = db.display_name("res.users", uid).unwrap_or_default();
    Fault::Access(format!(
        "Uh-oh! Looks like you have stumbled upon some top-secret records.\n\n\
         Sorry, {user} (id={uid}) doesn't have '{}' access to:\n\
         - {} ({})\n\n\
         If you really, really need access, perhaps you can win over your friendly \
         administrator with a batch of freshly baked cookies.",
        op.name(),
        model.description,
        model.name,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Registry;
    use crate::seed;

    fn seeded() -> Database {
        let mut db = Database::new("t", Registry::builtin());
        seed::seed(&mut db);
        db
    }

    #[test]
    fn operations_without_a_group_take_write_then_read() {
        let registry = Registry::builtin();
        let imd = registry.model("ir.model.data").unwrap();
        assert_eq!(
            imd.access.unlink.as_deref(),
            Some("Administration/Access Rights")
        );
        let lead = registry.model("crm.lead").unwrap();
        assert_eq!(lead.access.read, None);
        assert_eq!(lead.access.create, None);
        assert_eq!(lead.access.unlink.as_deref(), Some("Sales/Administrator"));
    }

    #[test]
    fn the_rule_error_names_the_user_and_the_model() {
        let db = seeded();
        let lead = db.model("crm.lead").unwrap();
        let Fault::Access(text) = refused(&db, &lead, seed::DEMO_UID, Operation::Read) else {
            panic!("not an access error")
        };
        assert!(text.contains("Sorry, Marc Demo (id=6) doesn't have 'read' access to:\n"));
        assert!(text.contains("\n- Lead/Opportunity (crm.lead)\n"));
    }

    #[test]
    fn admins_have_no_rule() {
        let db = seeded();
        let lead = db.model("crm.lead").unwrap();
        assert!(rule_domain(&db, &lead, seed::ADMIN_UID).unwrap().is_none());
        assert!(rule_domain(&db, &lead, seed::DEMO_UID).unwrap().is_some());
        let tag = db.model("crm.tag").unwrap();
        assert!(rule_domain(&db, &tag, seed::DEMO_UID).unwrap().is_none());
    }
}
