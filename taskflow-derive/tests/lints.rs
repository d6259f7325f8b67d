//! The expansion is clean under the strictest lints a user may turn on.

#![deny(warnings, unused_qualifications, missing_docs, unreachable_pub)]
#![deny(clippy::all, clippy::pedantic)]
#![allow(clippy::must_use_candidate)]

use taskflow_sdk::{Date, Id, Many2many, Many2one, Model, Selection, TaskflowModel};

/// A partner.
#[derive(TaskflowModel, Debug)]
#[taskflow(model = "res.partner")]
pub struct Partner {
    /// Id.
    pub id: Id<Partner>,
    /// Name.
    pub name: String,
    /// Parent company.
    pub parent_id: Option<Many2one<Partner>>,
}

/// A lead kind.
#[derive(Selection, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A lead.
    Lead,
    /// An opportunity.
    Opportunity,
}

/// A lead.
#[derive(TaskflowModel, Debug)]
#[taskflow(model = "crm.lead")]
pub struct Lead {
    /// Id.
    pub id: Id<Lead>,
    /// Name.
    pub name: String,
    /// Customer.
    pub partner_id: Option<Many2one<Partner>>,
    /// Followers.
    pub partner_ids: Many2many<Partner>,
    /// Deadline.
    pub date_deadline: Option<Date>,
    /// Kind.
    #[taskflow(rename = "type")]
    pub kind: Kind,
    /// Revenue.
    #[taskflow(readonly)]
    pub expected_revenue: f64,
}

/// A private model whose generated setters and shortcuts go unused must not warn either.
#[derive(TaskflowModel, Debug)]
#[taskflow(model = "crm.stage")]
struct Stage {
    id: Id<Stage>,
    name: String,
    #[taskflow(readonly)]
    sequence: i64,
}

#[test]
fn expansion_is_lint_clean() {
    let stage = Stage {
        id: Id::new(1),
        name: "New".to_owned(),
        sequence: 1,
    };
    assert_eq!(
        (stage.id.get(), stage.name.as_str(), stage.sequence),
        (1, "New", 1)
    );
    assert_eq!(Stage::MODEL, "crm.stage");
    assert_eq!(Lead::MODEL, "crm.lead");
    assert_eq!(Kind::Opportunity.key(), "opportunity");
}
