use taskflow_sdk::{Id, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    nmae: String,
    #[taskflow(rename = "expected_revenu")]
    revenue: f64,
    x_no_such_field: bool,
}

fn main() {}
