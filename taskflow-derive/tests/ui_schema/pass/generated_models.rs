// The models `taskflow generate --all` wrote for the embedded server (the golden crate's
// `embedded` module, kept byte-identical to the generator's output), checked against the same
// snapshot as the hand-written ones: generated code checks clean.
#[allow(unused)]
#[path = "../../../../taskflow-cli/golden/src/embedded/mod.rs"]
mod embedded;

use taskflow_sdk::Model;

fn main() {
    assert_eq!(embedded::CrmLead::MODEL, "crm.lead");
    assert_eq!(embedded::ResUsers::MODEL, "res.users");
}
