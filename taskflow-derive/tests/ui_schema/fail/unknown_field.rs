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

// A struct error and a snapshot error: both are reported.
#[derive(TaskflowModel)]
#[taskflow(model = "crm.tag")]
struct Tag {
    id: Id<Tag>,
    colour: i64,
    #[taskflow(readonly, skip)]
    name: String,
}

fn main() {
    // The model is complete despite its snapshot errors: using it adds none.
    let _ = Lead::values().nmae("x".to_owned()).revenue(1.0);
}
