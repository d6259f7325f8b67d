use taskflow_sdk::{Id, Session, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "crm.tag")]
struct Tag {
    id: Id<Tag>,
    name: String,
}

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    name: String,
}

async fn import(session: &Session) {
    // A tag loader takes tag values only: lead values would be written into crm.tag.
    let leads = vec![("crm_sync.lead_1", Lead::values().name("Lead 1"))];
    let _ = session.loader_for::<Tag>().run(leads).await;
    // Nor does it take rows of cells, whose header it has not got.
    let cells = vec![vec!["crm_sync.tag_1".to_string(), "Tag 1".to_string()]];
    let _ = session.loader_for::<Tag>().run(cells).await;
}

fn main() {
    let _ = import;
}
