use taskflow_sdk::{Id, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(modle = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    #[taskflow(renmae = "title")]
    name: String,
    #[taskflow(model = "crm.tag")]
    color: i64,
    #[taskflow(colour)]
    active: bool,
}

fn main() {}
