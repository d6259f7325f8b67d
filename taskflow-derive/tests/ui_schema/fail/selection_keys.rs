use taskflow_sdk::{Id, Selection, TaskflowModel};

#[derive(Selection, Clone, Copy)]
enum Priority {
    #[taskflow(rename = "0")]
    Low,
    #[taskflow(rename = "1")]
    Medium,
    #[taskflow(rename = "2")]
    High,
    // The server has "3", not "4".
    #[taskflow(rename = "4")]
    Urgent,
}

#[derive(Selection, Clone, Copy)]
enum LeadType {
    // The server also has "opportunity".
    Lead,
}

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    priority: Option<Priority>,
    #[taskflow(rename = "type")]
    kind: LeadType,
}

fn main() {}
