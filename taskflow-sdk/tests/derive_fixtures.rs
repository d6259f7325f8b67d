//! Derived structs decode the records a real Odoo 17 server sent (tests/fixtures/odoo-17).

use taskflow_sdk::xmlrpc::{self, Limits, Response};
use taskflow_sdk::{
    Binary, Date, DateTime, Id, Many2many, Many2one, Model, One2many, Selection, TaskflowModel,
};

#[derive(TaskflowModel, Debug, Clone, PartialEq)]
#[taskflow(model = "res.partner")]
pub struct Partner {
    pub id: Id<Partner>,
    pub name: String,
    pub email: Option<String>,
    pub function: Option<String>,
    pub parent_id: Option<Many2one<Partner>>,
    pub child_ids: One2many<Partner>,
    #[taskflow(readonly)]
    pub commercial_partner_id: Option<Many2one<Partner>>,
    #[taskflow(rename = "type")]
    pub kind: Option<String>,
}

#[derive(TaskflowModel, Debug, Clone, PartialEq)]
#[taskflow(model = "crm.tag")]
pub struct Tag {
    pub id: Id<Tag>,
    pub name: String,
    pub color: Option<i64>,
}

#[derive(Selection, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeadType {
    Lead,
    Opportunity,
}

#[derive(Selection, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority {
    #[taskflow(rename = "0")]
    Low,
    #[taskflow(rename = "1")]
    Medium,
    #[taskflow(rename = "2")]
    High,
    #[taskflow(rename = "3")]
    VeryHigh,
}

#[derive(TaskflowModel, Debug, Clone, PartialEq)]
#[taskflow(model = "crm.lead")]
pub struct Lead {
    pub id: Id<Lead>,
    pub name: String,
    #[taskflow(rename = "type")]
    pub kind: LeadType,
    pub partner_id: Option<Many2one<Partner>>,
    pub tag_ids: Many2many<Tag>,
    pub email_from: Option<String>,
    pub contact_name: Option<String>,
    pub expected_revenue: f64,
    pub probability: f64,
    pub priority: Priority,
    pub date_deadline: Option<Date>,
    #[taskflow(readonly)]
    pub create_date: Option<DateTime>,
    pub date_closed: Option<DateTime>,
    pub active: bool,
    pub description: Option<String>,
    #[taskflow(skip)]
    pub local_note: String,
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../tests/fixtures/odoo-17/{name}.response.xml",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn decode<T: serde::de::DeserializeOwned>(name: &str) -> Result<T, xmlrpc::DecodeError> {
    match xmlrpc::decode_response::<T>(&fixture(name), &Limits::default())? {
        Response::Success(value) => Ok(value),
        Response::Fault(fault) => panic!("{name} is a fault: {fault:?}"),
    }
}

#[test]
fn crm_lead_read_023() {
    let leads: Vec<Lead> = decode("023-crm-lead-read").unwrap();
    assert_eq!(leads.len(), 1);
    let lead = &leads[0];
    assert_eq!(lead.id, Id::new(45));
    assert_eq!(lead.name, "Transcript lead: Rust SDK pilot");
    assert_eq!(lead.kind, LeadType::Opportunity);
    let partner = lead.partner_id.as_ref().unwrap();
    assert_eq!(
        (partner.id.get(), partner.name.as_str()),
        (1, "YourCompany")
    );
    assert_eq!(lead.tag_ids.ids(), [Id::new(1), Id::new(2)]);
    assert_eq!(lead.email_from.as_deref(), Some("buyer@example.com"));
    assert_eq!(lead.contact_name, None);
    assert_eq!(lead.expected_revenue, 12500.5);
    assert_eq!(lead.priority, Priority::High);
    assert_eq!(lead.date_deadline, Date::new(2026, 12, 31));
    assert_eq!(lead.create_date.unwrap().to_string(), "2026-11-30 07:37:41");
    assert_eq!(lead.date_closed, None);
    assert!(lead.active);
    assert_eq!(
        lead.description.as_deref(),
        Some("<p>Created over <b>XML-RPC</b></p>")
    );
    assert_eq!(lead.local_note, "");
    assert_eq!(lead.id(), Id::new(45));
}

#[test]
fn crm_lead_read_024_empty_values() {
    let leads: Vec<Lead> = decode("024-crm-lead-read-batch-empty-values").unwrap();
    assert_eq!(leads.len(), 2);
    assert_eq!(leads[0].kind, LeadType::Lead);
    assert_eq!(leads[0].partner_id, None);
    assert!(leads[0].tag_ids.is_empty());
    assert_eq!(leads[0].contact_name.as_deref(), Some("Ann Example"));
    assert_eq!(leads[1].expected_revenue, 99.0);
    assert_eq!(leads[1].description, None);
}

#[test]
fn res_partner_reads_051_and_053() {
    let parents: Vec<Partner> = decode("051-res-partner-read-o2m").unwrap();
    assert_eq!(parents[0].id, Id::new(41));
    assert_eq!(parents[0].child_ids.ids(), [Id::new(42), Id::new(43)]);
    assert_eq!(parents[0].parent_id, None);
    assert_eq!(parents[0].kind.as_deref(), Some("contact"));
    // Fields the response does not carry (`function` here) read as None for an Option.
    assert_eq!(parents[0].function, None);

    // 053 does not carry child_ids: a struct with exactly its fields reads it.
    #[derive(TaskflowModel, Debug)]
    #[taskflow(model = "res.partner")]
    struct Contact {
        id: Id<Contact>,
        name: String,
        function: Option<String>,
        email: Option<String>,
        parent_id: Option<Many2one<Partner>>,
        #[taskflow(readonly)]
        commercial_partner_id: Option<Many2one<Partner>>,
    }
    let children: Vec<Contact> = decode("053-res-partner-read-children-after").unwrap();
    assert_eq!(children[0].id, Id::new(42));
    assert_eq!(children[1].name, "Carol Contact");
    assert_eq!(children.len(), 2);
    assert_eq!(children[0].function.as_deref(), Some("CEO"));
    assert_eq!(children[1].function, None);
    assert_eq!(children[1].email, None);
    for child in &children {
        let parent = child.parent_id.as_ref().unwrap();
        assert_eq!(parent.id, parents[0].id);
        assert_eq!(parent.name, "Transcript Industries");
        assert_eq!(
            child.commercial_partner_id.as_ref().unwrap().id,
            Id::new(41)
        );
    }
}

#[test]
fn crm_tag_search_read_019() {
    let tags: Vec<Tag> = decode("019-crm-tag-search-read").unwrap();
    assert_eq!(tags.len(), 8);
    assert_eq!(tags[0].name, "Product");
    assert_eq!(tags[7].id, Id::new(8));
    assert_eq!(tags[7].color, Some(8));
    assert_eq!(Tag::FIELDS, ["id", "name", "color"]);
}

#[test]
fn binary_fields_decode_base64_056() {
    #[derive(TaskflowModel, Debug)]
    #[taskflow(model = "res.partner")]
    struct PartnerImage {
        id: Id<PartnerImage>,
        image_128: Option<Binary>,
        date: Option<Date>,
        color: i32,
        partner_latitude: f64,
    }
    let rows: Vec<PartnerImage> = decode("056-res-partner-read-binary").unwrap();
    let image = rows[0].image_128.as_ref().unwrap();
    assert!(image.as_bytes().starts_with(b"\x89PNG"));
    assert_eq!(rows[0].id, Id::new(41));
    assert_eq!(
        (rows[0].date, rows[0].color, rows[0].partner_latitude),
        (None, 0, 0.0)
    );
}

#[test]
fn a_value_that_does_not_fit_names_model_record_and_field() {
    // 024's second lead has `contact_name: false`; a non-Option String cannot hold it.
    #[allow(dead_code)]
    #[derive(TaskflowModel, Debug)]
    #[taskflow(model = "crm.lead")]
    struct Strict {
        id: Id<Strict>,
        contact_name: String,
    }
    let err = decode::<Vec<Strict>>("024-crm-lead-read-batch-empty-values").unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("crm.lead record 47, field `contact_name`"),
        "{text}"
    );
    assert!(text.contains("declare the field as Option<_>"), "{text}");
}

#[test]
fn a_missing_required_field_and_an_unknown_selection_key_are_reported() {
    #[allow(dead_code)]
    #[derive(TaskflowModel, Debug)]
    #[taskflow(model = "res.partner")]
    struct NeedsFunction {
        id: Id<NeedsFunction>,
        function: String,
    }
    let err = decode::<Vec<NeedsFunction>>("051-res-partner-read-o2m").unwrap_err();
    assert!(
        err.to_string().contains(
            "res.partner record 41: field `function` is missing from the server's answer"
        ),
        "{err}"
    );

    #[derive(Selection, Debug, Clone, Copy)]
    enum OnlyLead {
        Lead,
    }
    #[allow(dead_code)]
    #[derive(TaskflowModel, Debug)]
    #[taskflow(model = "crm.lead")]
    struct Narrow {
        id: Id<Narrow>,
        #[taskflow(rename = "type")]
        kind: OnlyLead,
    }
    let err = decode::<Vec<Narrow>>("023-crm-lead-read").unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(
            "crm.lead record 45, field `type`: unknown key `opportunity` for selection OnlyLead: \
             expected one of `lead`"
        ),
        "{text}"
    );
    let _ = OnlyLead::Lead;
}
