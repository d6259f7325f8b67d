//! Shared support for the workspace's examples and cross-crate tests.
