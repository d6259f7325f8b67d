use taskflow_sdk::{Id, Session, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "res.partner")]
struct Partner {
    id: Id<Partner>,
    name: String,
}

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    name: String,
}

async fn search(session: &Session) {
    // A domain is typed by the model it filters: a partner domain cannot search leads...
    let _ = Lead::search(session, Partner::fields().name.eq("x")).await;
    // ...nor be combined with a lead domain.
    let _ = Lead::fields().name.eq("x") & Partner::fields().name.eq("y");
}

fn main() {
    let _ = search;
}
