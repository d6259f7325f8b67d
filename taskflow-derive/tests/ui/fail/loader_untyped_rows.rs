use taskflow_sdk::{Id, Session, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    name: String,
}

async fn import(session: &Session) {
    let leads = || vec![("crm_sync.lead_1", Lead::values().name("Lead 1"))];
    // An untyped loader has no `run_typed`: typed rows go to `loader_for::<Lead>()`, which takes
    // its model from the type, not from a header it would ignore.
    let _ = session.loader("crm.tag", ["id", "name"]).run_typed(leads()).await;
    // Nor does its `run` take typed rows.
    let _ = session.loader("crm.lead", ["id", "name"]).run(leads()).await;
}

fn main() {
    let _ = import;
}
