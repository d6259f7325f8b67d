use taskflow_sdk::{Id, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead", model = "crm.tag")]
struct Lead {
    id: Id<Lead>,
    #[taskflow(readonly, readonly)]
    name: String,
    #[taskflow(rename = "a")]
    #[taskflow(rename = "b")]
    color: i64,
}

fn main() {}
