use taskflow_sdk::{Id, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "crm.leed")]
struct Lead {
    id: Id<Lead>,
}

#[derive(TaskflowModel)]
#[taskflow(model = "sale.order")]
struct Order {
    id: Id<Order>,
}

fn main() {}
