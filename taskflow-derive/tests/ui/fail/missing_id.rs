use taskflow_sdk::TaskflowModel;

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
struct Lead {
    name: String,
}

fn main() {}
