use taskflow_sdk::Selection;

#[derive(Selection)]
enum Priority {
    Low,
    #[taskflow(rename = "low")]
    Lowest,
    #[taskflow(key = "2")]
    High,
    Custom(String),
}

#[derive(Selection)]
struct NotAnEnum {
    key: String,
}

fn main() {}
