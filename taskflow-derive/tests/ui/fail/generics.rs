use taskflow_sdk::{Id, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
struct Lead<T> {
    id: Id<Lead<T>>,
    name: T,
}

fn main() {}
