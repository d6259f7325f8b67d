//! The expansion names everything by absolute path: it compiles even when the prelude's names
//! are shadowed by the user's own types.

#![allow(dead_code, non_camel_case_types)]

use ::taskflow_sdk::{Id, Many2many, Many2one, Model, TaskflowModel};

struct Result;
struct Option;
struct Vec;
struct String;
struct Box;
struct Default;
struct Into;
struct From;
struct Some;
struct None;
struct Ok;
struct Err;
struct usize;
struct str;
struct u64;
struct bool;
struct i64;
trait Deserialize {}
trait Serialize {}
mod serde {}
mod core {}
mod std {}
mod taskflow_sdk {}

#[derive(TaskflowModel)]
#[taskflow(model = "res.partner")]
pub struct Partner {
    pub id: Id<Partner>,
    pub name: ::std::string::String,
    pub parent_id: ::std::option::Option<Many2one<Partner>>,
}

#[derive(TaskflowModel)]
#[taskflow(model = "crm.lead")]
pub struct Lead {
    pub id: Id<Lead>,
    pub name: ::std::string::String,
    pub partner_id: ::std::option::Option<Many2one<Partner>>,
    pub partner_ids: Many2many<Partner>,
    #[taskflow(skip)]
    pub local: ::std::vec::Vec<u8>,
}

#[test]
fn expands_with_shadowed_prelude() {
    assert_eq!(
        <Lead as Model>::FIELDS,
        ["id", "name", "partner_id", "partner_ids"]
    );
    let domain = Lead::fields().partner_id.related().name.eq("x");
    assert_eq!(domain.to_string(), r#"[["partner_id.name", "=", "x"]]"#);
}
