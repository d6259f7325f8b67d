use taskflow_sdk::{Id, Many2one, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "res.partner")]
struct Partner {
    id: Id<Partner>,
}

#[derive(TaskflowModel)]
#[taskflow(model = "crm.tag")]
struct Tag {
    id: Id<Tag>,
}

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    partner_id: Option<Many2one<Partner>>,
}

fn main() {
    // A tag id is not a partner id.
    let tag: Id<Tag> = Id::new(1);
    let _ = Lead::values().partner_id(tag);
}
