use taskflow_sdk::{Id, TaskflowModel};

#[derive(TaskflowModel)]
#[taskflow(model = "ir.attachment")]
struct Attachment {
    id: Id<Attachment>,
    // Its setter would be the values builder's own `raw` method.
    raw: String,
}

#[derive(TaskflowModel)]
#[taskflow(model = "ir.attachment")]
struct RenamedAttachment {
    id: Id<RenamedAttachment>,
    // Fine: the setter is `raw_bytes`, the server field `raw`; a read-only field has no setter.
    #[taskflow(rename = "raw")]
    raw_bytes: String,
}

#[derive(TaskflowModel)]
#[taskflow(model = "ir.attachment")]
struct ReadAttachment {
    id: Id<ReadAttachment>,
    #[taskflow(readonly)]
    raw: String,
}

fn main() {
    let _ = RenamedAttachment::values().raw_bytes("x").raw("active", false);
    let _ = ReadAttachment::values().raw("raw", "x");
}
