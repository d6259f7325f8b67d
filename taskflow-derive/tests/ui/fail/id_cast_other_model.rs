use taskflow_sdk::{Id, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    name: String,
}

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
struct LeadSummary {
    id: Id<LeadSummary>,
}

#[derive(TaskflowModel)]
#[taskflow(model = "res.partner")]
struct Partner {
    id: Id<Partner>,
}

fn main() {
    // Two structs of one model: fine.
    let lead: Id<Lead> = Id::<LeadSummary>::new(7).cast();
    // A lead id is not a partner id.
    let _: Id<Partner> = lead.cast();
}
