//! Every user-facing error of the derives, with its message checked in (`ui/fail/*.stderr`), and
//! programs they must accept (`ui/pass/*.rs`, built and run).
//! Regenerate with `TRYBUILD=overwrite cargo test -p taskflow-derive --test ui`, then read them.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
