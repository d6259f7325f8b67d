use taskflow_sdk::{Id, TaskflowModel};

// Its snapshot file is in a format this version does not read.
#[derive(TaskflowModel)]
#[taskflow(model = "bad.format")]
struct Bad {
    id: Id<Bad>,
}

// The attribute overrides TASKFLOW_SCHEMA_DIR, relative to the crate.
#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead", schema = "no/such/dir")]
struct Lead {
    id: Id<Lead>,
}

#[derive(TaskflowModel)]
#[taskflow(model = "crm.tag", schema = "")]
struct Tag {
    id: Id<Tag>,
}

fn main() {}
