use std::collections::HashMap;

use taskflow_sdk::{Id, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    properties: HashMap<String, String>,
}

fn main() {}
