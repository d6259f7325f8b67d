//! A refused selection still gets stub impls: code using it reports nothing more than the
//! derive's own error.

use taskflow_sdk::{Id, Selection, TaskflowModel};

#[derive(Selection, Clone, Copy, Debug, PartialEq)]
enum Kind {
    Lead,
    #[taskflow(rename = "lead")]
    Opportunity,
}

#[derive(TaskflowModel, Debug)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    #[taskflow(rename = "type")]
    kind: Kind,
}

fn main() {
    let _ = Kind::Lead.key();
    let _ = Kind::from_key("lead");
    let _ = Lead::values().kind(Kind::Opportunity);
    let _ = Lead::fields().kind.eq(Kind::Lead);
    let _ = taskflow_sdk::xmlrpc::to_value(&Kind::Lead);
}
