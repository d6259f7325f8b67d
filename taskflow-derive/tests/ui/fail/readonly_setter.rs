use taskflow_sdk::{DateTime, Id, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    name: String,
    #[taskflow(readonly)]
    create_date: Option<DateTime>,
}

fn main() {
    // Readonly fields have no setter: the server would ignore or refuse the value.
    let _ = Lead::values().name("x").create_date("2026-01-01 00:00:00".parse::<DateTime>().unwrap());
}
