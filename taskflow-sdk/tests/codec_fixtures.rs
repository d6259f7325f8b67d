//! The recorded Odoo 17 transcripts decode, into `Value` exactly as Python's `xmlrpc.client`
//! reads them, and into typed records with the values the server sent.

mod codec_common;

use std::collections::BTreeMap;

use codec_common::{PY_TAG, fixture, fixtures, fixtures_dir, run_python, tree};
use serde::Deserialize;
use serde_json::{Value as J, json};
use taskflow_sdk::xmlrpc::{
    self, DecodeErrorKind, FaultCode, Limits, MethodCall, RawFault, Response, Value,
};

/// 140 recorded calls, a request and a response each.
const FIXTURE_FILES: usize = 280;

/// Files that are not XML-RPC documents: a request cut short on purpose (102), the empty body of
/// a GET (104) and the HTML 405 page it got back, and the HTML 500 page of a full connection pool
/// (134).
const NOT_XMLRPC: [&str; 4] = [
    "102-err-malformed-xml.request.xml",
    "104-err-http-get.request.xml",
    "104-err-http-get.response.xml",
    "134-burst-pool-full-http-500.response.xml",
];

/// Loads every fixture with `xmlrpc.client.loads` and prints `{file: tagged result}`.
const PY_LOAD_ALL: &str = r#"
import glob, os
out = {}
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.xml"))):
    name = os.path.basename(path)
    with open(path, "rb") as f:
        data = f.read()
    try:
        params, method = xc.loads(data)
        if name.endswith(".request.xml"):
            out[name] = {"t": "call", "method": method, "params": [tag(p) for p in params]}
        else:
            assert len(params) == 1, name
            out[name] = {"t": "ok", "v": tag(params[0])}
    except xc.Fault as fault:
        out[name] = {"t": "fault", "code": tag(fault.faultCode), "string": fault.faultString}
    except Exception:
        out[name] = {"t": "error"}
print(json.dumps(out))
"#;

fn fault_tree(fault: &RawFault) -> J {
    let code = match &fault.code {
        FaultCode::Int(i) => tree(&Value::Int(*i)),
        FaultCode::String(s) => tree(&Value::String(s.clone())),
    };
    json!({"t": "fault", "code": code, "string": fault.string})
}

/// Our reading of one fixture, in the shape `PY_LOAD_ALL` prints.
fn our_tree(name: &str, bytes: &[u8]) -> J {
    let limits = Limits::default();
    if name.ends_with(".request.xml") {
        match xmlrpc::decode_call::<Vec<Value>>(bytes, &limits) {
            Ok(MethodCall { method, params }) => json!({
                "t": "call",
                "method": method,
                "params": params.iter().map(tree).collect::<Vec<_>>(),
            }),
            Err(_) => json!({"t": "error"}),
        }
    } else {
        match xmlrpc::decode_response::<Value>(bytes, &limits) {
            Ok(Response::Success(value)) => json!({"t": "ok", "v": tree(&value)}),
            Ok(Response::Fault(fault)) => fault_tree(&fault),
            Err(_) => json!({"t": "error"}),
        }
    }
}

#[test]
fn every_fixture_decodes_into_value_as_python_xmlrpc_client_loads_it() {
    let dir = fixtures_dir();
    let stdout = run_python(
        &format!("{PY_TAG}\n{PY_LOAD_ALL}"),
        &[dir.to_str().expect("UTF-8 path")],
        b"",
    );
    let python: BTreeMap<String, J> = serde_json::from_str(&stdout).expect("python printed JSON");

    let files = fixtures();
    let mut compared = 0;
    let mut errors = Vec::new();
    let mut mismatches = Vec::new();
    for (name, bytes) in &files {
        let ours = our_tree(name, bytes);
        let theirs = python
            .get(name)
            .unwrap_or_else(|| panic!("python did not load {name}"));
        if ours["t"] == "error" {
            errors.push(name.as_str());
        }
        if &ours != theirs {
            mismatches.push(format!("{name}:\n  ours:   {ours}\n  python: {theirs}"));
        }
        compared += 1;
    }
    assert!(
        mismatches.is_empty(),
        "{} fixture(s) decode differently from Python:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert_eq!(compared, FIXTURE_FILES);
    assert_eq!(python.len(), FIXTURE_FILES);
    assert_eq!(errors, NOT_XMLRPC);
}

#[test]
fn malformed_request_and_html_page_are_errors() {
    let limits = Limits::default();
    let err =
        xmlrpc::decode_call::<Vec<Value>>(&fixture("102-err-malformed-xml.request.xml"), &limits)
            .unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Syntax, "{err}");
    let err = xmlrpc::decode_call::<Vec<Value>>(&fixture("104-err-http-get.request.xml"), &limits)
        .unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Syntax, "{err}");
    // The 405 page starts with `<!doctype html>`: refused before any HTML is looked at.
    for page in [
        "104-err-http-get.response.xml",
        "134-burst-pool-full-http-500.response.xml",
    ] {
        let err = xmlrpc::decode_response::<Value>(&fixture(page), &limits).unwrap_err();
        assert_eq!(err.kind(), DecodeErrorKind::Forbidden, "{page}: {err}");
        assert_eq!(err.offset(), Some(0));
    }
}

fn success<T: serde::de::DeserializeOwned + std::fmt::Debug>(name: &str) -> T {
    match xmlrpc::decode_response::<T>(&fixture(name), &Limits::default()) {
        Ok(Response::Success(value)) => value,
        other => panic!("{name}: expected a result, got {other:?}"),
    }
}

fn fault(name: &str) -> RawFault {
    // A fault decodes the same whatever the caller expected as a result.
    let typed = xmlrpc::decode_response::<Vec<Lead>>(&fixture(name), &Limits::default());
    let untyped = xmlrpc::decode_response::<Value>(&fixture(name), &Limits::default());
    match (typed, untyped) {
        (Ok(Response::Fault(a)), Ok(Response::Fault(b))) => {
            assert_eq!(a, b);
            a
        }
        other => panic!("{name}: expected a fault, got {other:?}"),
    }
}

#[derive(Debug, Deserialize, PartialEq)]
struct VersionInfo {
    server_version: String,
    server_version_info: (i64, i64, i64, String, i64, String),
    server_serie: String,
    protocol_version: i64,
}

#[test]
fn version_info_001_decodes_into_a_struct() {
    let version: VersionInfo = success("001-common-version.response.xml");
    assert_eq!(
        version,
        VersionInfo {
            server_version: "17.0-20240709".into(),
            server_version_info: (17, 0, 0, "final".into(), 0, String::new()),
            server_serie: "17.0".into(),
            protocol_version: 1,
        }
    );
    let call: MethodCall<()> = xmlrpc::decode_call(
        &fixture("001-common-version.request.xml"),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(call.method, "version");
}

/// A many2one read as a `{id, name}` struct instead of a tuple.
#[derive(Debug, Deserialize, PartialEq)]
struct Many2one {
    id: i64,
    name: String,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // Only some fields are asserted; all of them must decode.
struct Lead {
    id: i64,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    partner_id: Option<(i64, String)>,
    user_id: Option<(i64, String)>,
    stage_id: (i64, String),
    tag_ids: Vec<i64>,
    email_from: Option<String>,
    phone: Option<String>,
    expected_revenue: f64,
    probability: f64,
    priority: String,
    date_deadline: Option<String>,
    create_date: String,
    date_closed: Option<String>,
    active: bool,
    description: Option<String>,
    lost_reason_id: Option<(i64, String)>,
    company_id: Option<Many2one>,
    contact_name: Option<String>,
    country_id: Option<Many2one>,
    display_name: String,
}

#[test]
fn lead_read_023_many2one_fits_a_tuple_and_a_struct() {
    let leads: Vec<Lead> = success("023-crm-lead-read.response.xml");
    assert_eq!(leads.len(), 1);
    let lead = &leads[0];
    assert_eq!(lead.id, 45);
    assert_eq!(lead.name, "Transcript lead: Rust SDK pilot");
    assert_eq!(lead.kind, "opportunity");
    assert_eq!(lead.partner_id, Some((1, "YourCompany".to_owned())));
    assert_eq!(lead.user_id, Some((2, "Mitchell Admin".to_owned())));
    assert_eq!(lead.stage_id, (1, "New".to_owned()));
    assert_eq!(lead.tag_ids, [1, 2]);
    assert_eq!(lead.email_from.as_deref(), Some("buyer@example.com"));
    assert_eq!(lead.expected_revenue, 12500.5);
    assert_eq!(lead.probability, 33.14);
    assert_eq!(lead.date_deadline.as_deref(), Some("2026-12-31"));
    assert_eq!(lead.create_date, "2026-11-30 07:37:41");
    assert_eq!(lead.date_closed, None);
    assert!(lead.active);
    assert_eq!(
        lead.description.as_deref(),
        Some("<p>Created over <b>XML-RPC</b></p>")
    );
    assert_eq!(
        lead.company_id,
        Some(Many2one {
            id: 1,
            name: "YourCompany".into()
        })
    );
    assert_eq!(
        lead.country_id,
        Some(Many2one {
            id: 233,
            name: "United States".into()
        })
    );

    #[derive(Debug, Deserialize)]
    struct PartnerAsStruct {
        id: i64,
        partner_id: Many2one,
    }
    let leads: Vec<PartnerAsStruct> = success("023-crm-lead-read.response.xml");
    assert_eq!(leads[0].id, 45);
    assert_eq!(
        leads[0].partner_id,
        Many2one {
            id: 1,
            name: "YourCompany".into()
        }
    );
}

#[test]
fn lead_read_024_empty_values_are_none() {
    let leads: Vec<Lead> = success("024-crm-lead-read-batch-empty-values.response.xml");
    assert_eq!(leads.len(), 2);
    let (a, b) = (&leads[0], &leads[1]);
    assert_eq!((a.id, a.name.as_str()), (46, "Batch lead A"));
    assert_eq!((b.id, b.name.as_str()), (47, "Batch lead B"));
    for lead in &leads {
        assert_eq!(lead.email_from, None);
        assert_eq!(lead.phone, None);
        assert_eq!(lead.partner_id, None);
        assert_eq!(lead.date_deadline, None);
        assert_eq!(lead.description, None);
        assert_eq!(lead.lost_reason_id, None);
        assert_eq!(lead.country_id, None);
        assert!(lead.tag_ids.is_empty());
        assert_eq!(lead.kind, "lead");
    }
    assert_eq!(a.contact_name.as_deref(), Some("Ann Example"));
    assert_eq!(b.contact_name, None);
    assert_eq!(a.expected_revenue, 0.0);
    assert_eq!(b.expected_revenue, 99.0);

    // Without `Option`, the empty value is an error that says where and what to do.
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct StrictLead {
        id: i64,
        email_from: String,
    }
    let err = xmlrpc::decode_response::<Vec<StrictLead>>(
        &fixture("024-crm-lead-read-batch-empty-values.response.xml"),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Type);
    assert_eq!(err.path(), Some("params[0][0].email_from"));
    assert!(err.message().contains("Option<_>"), "{err}");
    assert!(err.message().contains("found `false`"), "{err}");
}

#[derive(Debug, Deserialize, PartialEq)]
struct LoadResult {
    ids: Option<Vec<i64>>,
    messages: Vec<LoadMessage>,
    nextrow: i64,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Rows {
    from: i64,
    to: i64,
}

#[derive(Debug, Deserialize, PartialEq)]
struct LoadMessage {
    rows: Rows,
    #[serde(rename = "type")]
    kind: String,
    record: i64,
    field: String,
    message: String,
    field_name: Option<String>,
    moreinfo: Option<Value>,
}

#[test]
fn load_results_057_to_060() {
    let created: LoadResult = success("057-crm-lead-load-create.response.xml");
    assert_eq!(
        created,
        LoadResult {
            ids: Some(vec![48, 49, 50]),
            messages: vec![],
            nextrow: 0
        }
    );
    let updated: LoadResult = success("058-crm-lead-load-update.response.xml");
    assert_eq!(updated.ids, Some(vec![48, 51]));
    assert!(updated.messages.is_empty());

    let failed: LoadResult = success("059-crm-lead-load-error-row.response.xml");
    assert_eq!(failed.ids, None);
    assert_eq!(failed.nextrow, 0);
    let summary: Vec<(i64, i64, i64, &str, &str)> = failed
        .messages
        .iter()
        .map(|m| {
            (
                m.rows.from,
                m.rows.to,
                m.record,
                m.field.as_str(),
                m.kind.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (1, 1, 1, "type", "error"),
            (2, 2, 2, "expected_revenue", "error"),
            (3, 3, 3, "partner_id", "error"),
        ]
    );
    assert_eq!(
        failed.messages[0].message,
        "Value 'not_a_type' not found in selection field 'Type'"
    );
    assert_eq!(
        failed.messages[0].moreinfo,
        Some(Value::Array(vec!["Lead".into(), "Opportunity".into()]))
    );
    assert_eq!(
        failed.messages[1].field_name.as_deref(),
        Some("Expected Revenue")
    );
    assert_eq!(failed.messages[1].moreinfo, None);
    let moreinfo = failed.messages[2].moreinfo.as_ref().unwrap();
    assert_eq!(
        moreinfo.get("res_model").and_then(Value::as_str),
        Some("ir.model.data")
    );
    assert_eq!(
        moreinfo.get("context"),
        Some(&Value::Struct(vec![("create".into(), Value::Bool(false))]))
    );

    let missing: LoadResult = success("060-crm-lead-load-missing-required.response.xml");
    assert_eq!(
        missing,
        LoadResult {
            ids: None,
            messages: vec![LoadMessage {
                rows: Rows { from: 0, to: 0 },
                kind: "error".into(),
                record: 0,
                field: "name".into(),
                message: "Missing required value for the field 'Opportunity' (name)".into(),
                field_name: None,
                moreinfo: None,
            }],
            nextrow: 0,
        }
    );
}

#[test]
fn faults_with_codes_1_to_4() {
    let traceback = fault("073-err-unknown-method.response.xml");
    assert_eq!(traceback.code, FaultCode::Int(1));
    assert!(
        traceback
            .string
            .starts_with("Traceback (most recent call last):\n")
    );
    assert_eq!(
        traceback.string.trim_end().lines().last(),
        Some("AttributeError: The method 'no_such_method' does not exist on the model 'crm.lead'")
    );

    assert_eq!(
        fault("067-err-write-missing-id.response.xml"),
        RawFault {
            code: FaultCode::Int(2),
            string:
                "Record does not exist or has been deleted.\n(Record: crm.lead(999999,), User: 2)"
                    .into(),
        }
    );
    assert_eq!(
        fault("069-err-wrong-password.response.xml"),
        RawFault {
            code: FaultCode::Int(3),
            string: "Access Denied".into(),
        }
    );
    assert_eq!(
        fault("090-err-demo-write-stage.response.xml"),
        RawFault {
            code: FaultCode::Int(4),
            string: "You are not allowed to modify 'CRM Stages' (crm.stage) records.\n\n\
                     This operation is allowed for the following groups:\n\t- Sales/Administrator\
                     \n\nContact your administrator to request access if necessary."
                .into(),
        }
    );
}

#[test]
fn faults_of_the_legacy_endpoint_have_string_codes_105_to_108() {
    assert_eq!(
        fault("105-err-legacy-endpoint-wrong-password.response.xml"),
        RawFault {
            code: FaultCode::String("AccessDenied".into()),
            string: "Access Denied".into(),
        }
    );
    assert_eq!(
        fault("106-err-legacy-endpoint-missing-id.response.xml"),
        RawFault {
            code: FaultCode::String(
                "warning -- MissingError\n\nRecord does not exist or has been deleted.\n\
                 (Record: crm.lead(999999,), User: 2)"
                    .into()
            ),
            string: String::new(),
        }
    );
    let access = fault("107-err-legacy-endpoint-access-error.response.xml");
    let FaultCode::String(code) = &access.code else {
        panic!("legacy fault codes are strings: {access:?}");
    };
    assert!(code.starts_with(
        "warning -- AccessError\n\nYou are not allowed to modify 'CRM Stages' (crm.stage) records."
    ));
    assert_eq!(access.string, "");
    let unknown = fault("108-err-legacy-endpoint-unknown-method.response.xml");
    assert_eq!(
        unknown.code,
        FaultCode::String(
            "The method 'no_such_method' does not exist on the model 'crm.lead'".into()
        )
    );
    assert!(
        unknown
            .string
            .starts_with("Traceback (most recent call last):\n")
    );
    assert_eq!(
        unknown.string.trim_end().lines().last(),
        Some("AttributeError: The method 'no_such_method' does not exist on the model 'crm.lead'")
    );
}
