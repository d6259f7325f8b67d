//! `#[derive(TaskflowModel)]` for the TaskFlow Rust SDK. Use it through `taskflow-sdk`.
