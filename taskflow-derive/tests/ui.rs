//! Every user-facing error of the derives and of the typed API around them, with its message
//! checked in (`ui/fail/*.stderr`), and programs they must accept (`ui/pass/*.rs`, built and run).
//! Regenerate with `TRYBUILD=overwrite cargo test -p taskflow-derive --test ui`, then read them.

#[test]
fn ui() {
    // These cases are not checked against a schema snapshot (`ui_schema` is), whatever the
    // developer's environment says.
    // SAFETY: before trybuild starts cargo, and this test binary runs this one test only.
    unsafe { std::env::remove_var("TASKFLOW_SCHEMA_DIR") };
    let t = trybuild::TestCases::new();
    // With pass cases present, trybuild builds every case instead of only checking it, which
    // errors found when code is generated need (the model comparison of `Id::cast`): keep one.
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
