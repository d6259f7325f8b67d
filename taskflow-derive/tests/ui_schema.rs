//! The check of model structs against a schema snapshot (`TASKFLOW_SCHEMA_DIR`): every error it
//! reports, with its message checked in (`ui_schema/fail/*.stderr`), and models it accepts
//! (`ui_schema/pass/*.rs`: hand-written models, and the generated ones of the CLI's golden
//! crate). The snapshot is `tests/schema/`: the embedded server's models as
//! `taskflow schema pull --all` wrote them (copies of the workspace's `schema/`), and
//! `bad.format.json`, a snapshot in a format no version reads.
//! Regenerate with `TRYBUILD=overwrite cargo test -p taskflow-derive --test ui_schema`.

#[test]
fn ui_schema() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schema");
    // SAFETY: set before trybuild starts cargo (which inherits it), while this test binary runs
    // no other thread that reads the environment: it holds this one test.
    unsafe { std::env::set_var("TASKFLOW_SCHEMA_DIR", dir) };
    let t = trybuild::TestCases::new();
    t.pass("tests/ui_schema/pass/*.rs");
    t.compile_fail("tests/ui_schema/fail/*.rs");
}
