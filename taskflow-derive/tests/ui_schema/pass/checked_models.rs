// Models that fit the snapshot: plain types for required fields, `Option` for those that can be
// empty, relations, x2many, a renamed field, and selection enums with exactly the server's keys.
use taskflow_sdk::{Date, DateTime, Id, Many2many, Many2one, Model, Selection, TaskflowModel};

#[derive(TaskflowModel, Debug)]
#[taskflow(model = "res.partner")]
pub struct Partner {
    pub id: Id<Partner>,
    pub name: Option<String>,
    pub email: Option<String>,
}

#[derive(TaskflowModel, Debug)]
#[taskflow(model = "crm.tag")]
pub struct Tag {
    pub id: Id<Tag>,
    pub name: String,
    pub color: i64,
}

#[derive(Selection, Clone, Copy, Debug, PartialEq)]
pub enum LeadType {
    Lead,
    Opportunity,
}

#[derive(Selection, Clone, Copy, Debug, PartialEq)]
pub enum Priority {
    #[taskflow(rename = "3")]
    VeryHigh,
    #[taskflow(rename = "0")]
    Low,
    #[taskflow(rename = "1")]
    Medium,
    #[taskflow(rename = "2")]
    High,
}

/// An alias still names a `Many2one`: the check runs on resolved types.
type Customer = Many2one<Partner>;

#[derive(TaskflowModel, Debug)]
#[taskflow(model = "crm.lead")]
pub struct Lead {
    pub id: Id<Lead>,
    pub name: String,
    pub contact_name: Option<String>,
    pub partner_id: Option<Customer>,
    pub tag_ids: Many2many<Tag>,
    pub expected_revenue: f64,
    pub date_deadline: Option<Date>,
    #[taskflow(rename = "type")]
    pub kind: LeadType,
    pub priority: Option<Priority>,
    #[taskflow(readonly)]
    pub create_date: Option<DateTime>,
    // Untyped values hold anything.
    pub user_id: taskflow_sdk::xmlrpc::Value,
    // Not read, so not checked.
    #[taskflow(skip)]
    pub note: String,
}

fn main() {
    assert_eq!(Lead::MODEL, "crm.lead");
}
