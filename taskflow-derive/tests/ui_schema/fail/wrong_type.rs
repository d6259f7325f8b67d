use taskflow_sdk::{Id, Many2one, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "res.partner")]
struct Partner {
    id: Id<Partner>,
}

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    // A many2one is not a string.
    partner_id: Option<String>,
    // A monetary field is a float.
    expected_revenue: i64,
    // Not required: the server sends `false` when it is empty.
    contact_name: String,
    // A type that is wrong and not an `Option`: the type is what is reported.
    user_id: i64,
    // Fine: the related model is not checked (`Many2one<M>` holds any many2one).
    stage_id: Option<Many2one<Partner>>,
}

fn main() {}
