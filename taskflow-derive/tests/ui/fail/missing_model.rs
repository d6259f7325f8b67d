use taskflow_sdk::{Id, TaskflowModel};

#[derive(TaskflowModel)]
struct Lead {
    id: Id<Lead>,
    name: String,
}

fn main() {
    // The stub impls keep this from adding errors of its own.
    let _ = Lead::values();
}
