use taskflow_sdk::{Id, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "CRM Lead")]
struct Lead {
    id: Id<Lead>,
    #[taskflow(rename = "partner id")]
    partner: String,
    #[taskflow(readonly = true)]
    stage: String,
    #[taskflow(rename)]
    kind: String,
    #[taskflow(skip, readonly)]
    cache: String,
}

fn main() {}
