use taskflow_sdk::Selection;

#[derive(Selection)]
#[taskflow(rename = "priority")]
enum Priority {
    Low,
}

#[derive(Selection)]
#[taskflow(renam = "kind", model = "crm.lead")]
enum Kind {
    Lead,
}

#[derive(Selection)]
#[taskflow]
enum State {
    Draft,
}

fn main() {}
