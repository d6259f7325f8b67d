use taskflow_sdk::{Id, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "crm.tag")]
struct Tag {
    id: Id<Tag>,
}

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: i64,
    name: String,
}

#[derive(TaskflowModel)]
#[taskflow(model = "res.partner")]
struct Partner {
    id: Id<Tag>,
    name: String,
}

fn main() {}
