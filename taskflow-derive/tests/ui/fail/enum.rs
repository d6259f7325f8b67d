use taskflow_sdk::TaskflowModel;

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
enum Lead {
    Lead,
    Opportunity,
}

fn main() {}
