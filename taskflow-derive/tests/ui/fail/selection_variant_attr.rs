use taskflow_sdk::Selection;

#[derive(Selection)]
enum Priority {
    #[taskflow(renam = "0")]
    Low,
    #[taskflow(rename = "1", rename = "2")]
    Normal,
    #[taskflow(rename)]
    High,
    #[taskflow(rename = 3)]
    Urgent,
    #[taskflow(rename = "")]
    Blocked,
    #[taskflow(readonly)]
    Done,
    #[taskflow]
    Cancelled,
}

fn main() {}
