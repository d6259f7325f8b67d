use taskflow_sdk::{Id, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "res.partner")]
struct Partner {
    id: Id<Partner>,
    email: Option<String>,
    // Its setter would be `clear_email()`, which already empties `email`.
    clear_email: bool,
}

#[derive(TaskflowModel)]
#[taskflow(model = "res.partner")]
struct RenamedPartner {
    id: Id<RenamedPartner>,
    email: Option<String>,
    // Fine: the setter is `clear_email_flag`, the server field `clear_email`.
    #[taskflow(rename = "clear_email")]
    clear_email_flag: bool,
}

#[derive(TaskflowModel)]
#[taskflow(model = "res.partner")]
struct ReadPartner {
    id: Id<ReadPartner>,
    // Fine: a read-only `email` has no `clear_email()`.
    #[taskflow(readonly)]
    email: Option<String>,
    clear_email: bool,
}

fn main() {
    let _ = RenamedPartner::values().clear_email_flag(true).clear_email();
    let _ = ReadPartner::values().clear_email(true);
}
