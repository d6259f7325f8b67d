//! The runtime against a loopback server answering with responses recorded from a real Odoo 17
//! server: version, authenticate, typed execute_kw results, and every fault kind.

mod runtime_support;

use runtime_support::{PASSWORD, Reply, ScriptedServer, fixture, odoo};
use serde::Deserialize;
use taskflow_sdk::xmlrpc::{self, FaultCode, Limits, Response, Value};
use taskflow_sdk::{Client, Error, FaultKind, Kwargs, Session};

async fn session_on(server: &ScriptedServer) -> Session {
    Client::new(&server.url())
        .unwrap()
        .authenticate("taskflow", "admin", PASSWORD)
        .await
        .unwrap()
}

#[tokio::test]
async fn version_decodes_the_recorded_answer_and_posts_to_common() {
    let server = ScriptedServer::always(Reply::Xml(fixture("001-common-version"))).await;
    let version = Client::new(&server.url()).unwrap().version().await.unwrap();
    assert_eq!(version.server_version, "17.0-20240709");
    assert_eq!(version.server_serie, "17.0");
    assert_eq!(version.protocol_version, 1);
    assert_eq!(version.major(), Some(17));
    assert_eq!(version.minor(), Some(0));
    assert_eq!(version.release_level(), Some("final"));
    assert_eq!(version.server_version_info.len(), 6);

    let seen = server.last();
    assert_eq!(seen.http_method, "POST");
    assert_eq!(seen.path, "/xmlrpc/2/common");
    assert_eq!(seen.method, "version");
    assert!(seen.params.is_empty());
    assert_eq!(seen.header("content-type"), Some("text/xml"));
    assert!(
        seen.header("user-agent")
            .unwrap()
            .starts_with("taskflow-sdk/")
    );
}

#[tokio::test]
async fn version_tolerates_extra_and_missing_trailing_items() {
    let long = br#"<?xml version='1.0'?><methodResponse><params><param><value><struct>
        <member><name>server_version</name><value><string>saas~17.2+e</string></value></member>
        <member><name>server_version_info</name><value><array><data>
            <value><string>saas~17</string></value><value><int>2</int></value><value><int>0</int></value>
            <value><string>final</string></value><value><int>0</int></value><value><string>e</string></value>
            <value><int>99</int></value><value><string>extra</string></value>
        </data></array></value></member>
        <member><name>server_serie</name><value><string>saas~17.2</string></value></member>
        <member><name>protocol_version</name><value><int>1</int></value></member>
        <member><name>unknown_member</name><value><boolean>1</boolean></value></member>
        </struct></value></param></params></methodResponse>"#;
    let short = br#"<?xml version='1.0'?><methodResponse><params><param><value><struct>
        <member><name>server_version</name><value><string>16.0</string></value></member>
        <member><name>server_version_info</name><value><array><data>
            <value><int>16</int></value>
        </data></array></value></member>
        </struct></value></param></params></methodResponse>"#;
    let server = ScriptedServer::start(move |_, i| {
        Reply::Xml(if i == 0 {
            long.to_vec()
        } else {
            short.to_vec()
        })
    })
    .await;
    let client = Client::new(&server.url()).unwrap();
    let v = client.version().await.unwrap();
    assert_eq!((v.major(), v.minor()), (Some(17), Some(2)));
    assert_eq!(v.server_version_info.len(), 8);
    let v = client.version().await.unwrap();
    assert_eq!(
        (v.major(), v.minor(), v.release_level()),
        (Some(16), None, None)
    );
    assert_eq!(v.server_serie, "");
    assert_eq!(v.protocol_version, 0);
}

#[tokio::test]
async fn authenticate_returns_a_session_and_sends_the_empty_user_agent_dict() {
    let server = ScriptedServer::start(odoo(|_, _| Reply::Status(500, "unexpected"))).await;
    let session = session_on(&server).await;
    assert_eq!(session.uid(), 2);
    assert_eq!(session.db(), "taskflow");
    assert_eq!(session.login(), "admin");
    assert_eq!(session.client().url(), format!("{}/", server.url()));

    let seen = server.last();
    assert_eq!(seen.path, "/xmlrpc/2/common");
    assert_eq!(seen.method, "authenticate");
    assert_eq!(
        seen.params,
        vec![
            Value::from("taskflow"),
            Value::from("admin"),
            Value::from(PASSWORD),
            Value::Struct(vec![]),
        ]
    );
}

#[tokio::test]
async fn authenticate_false_is_login_refused_not_uid_zero() {
    for name in [
        "004-common-authenticate-wrong-password",
        "005-common-authenticate-unknown-login",
    ] {
        let server = ScriptedServer::always(Reply::Xml(fixture(name))).await;
        let err = Client::new(&server.url())
            .unwrap()
            .authenticate("taskflow", "demo", PASSWORD)
            .await
            .unwrap_err();
        assert!(err.is_login_refused(), "{name}: {err}");
        assert!(!err.is_access_denied(), "{name}: {err}");
        assert!(
            matches!(&err, Error::LoginRefused { db, login, .. } if db == "taskflow" && login == "demo"),
            "{name}: {err:?}"
        );
        let text = err.to_string();
        assert!(
            text.contains("\"demo\"") && text.contains("\"taskflow\""),
            "{text}"
        );
        assert!(text.contains("wrong password"), "{text}");
        assert!(!err.is_fault() && !err.is_transient());
        // Answers are not retried: the server said no.
        assert_eq!(server.requests(), 1);
    }
}

#[tokio::test]
async fn authenticate_on_an_unknown_database_is_a_server_fault() {
    let server =
        ScriptedServer::always(Reply::Xml(fixture("006-common-authenticate-unknown-db"))).await;
    let err = Client::new(&server.url())
        .unwrap()
        .authenticate("no_such_db", "admin", PASSWORD)
        .await
        .unwrap_err();
    let fault = err.fault().expect("a fault");
    assert_eq!(fault.kind(), FaultKind::ServerError);
    assert_eq!(fault.exception(), Some("psycopg2.OperationalError"));
    assert!(
        fault
            .message()
            .ends_with("database \"no_such_db\" does not exist")
    );
    assert_eq!(err.call().unwrap().method(), "authenticate");
    assert_eq!(err.call().unwrap().model(), None);
    assert!(
        err.to_string()
            .starts_with("authenticate on http://127.0.0.1:")
    );
}

#[derive(Debug, Deserialize, PartialEq)]
struct Stage {
    id: i64,
    name: String,
    sequence: i64,
    is_won: bool,
    fold: bool,
    team_id: Option<(i64, String)>,
}

#[derive(Debug, Deserialize)]
struct Lead {
    id: i64,
    name: String,
    partner_id: Option<(i64, String)>,
    stage_id: (i64, String),
    tag_ids: Vec<i64>,
    email_from: Option<String>,
    expected_revenue: f64,
    date_deadline: Option<String>,
}

#[derive(Debug, Deserialize)]
struct LoadResult {
    ids: Option<Vec<i64>>,
    messages: Vec<Value>,
    nextrow: i64,
}

/// A server answering each `execute_kw` with the fixture named after the model method.
async fn object_server(name: &'static str) -> ScriptedServer {
    ScriptedServer::start(odoo(move |_, _| Reply::Xml(fixture(name)))).await
}

#[tokio::test]
async fn execute_kw_decodes_recorded_results_into_typed_values() {
    let server = object_server("018-crm-stage-search-read").await;
    let session = session_on(&server).await;
    let stages: Vec<Stage> = session
        .execute_kw("crm.stage", "search_read", ((),), Kwargs::new())
        .await
        .unwrap();
    assert_eq!(
        stages[0],
        Stage {
            id: 1,
            name: "New".into(),
            sequence: 1,
            is_won: false,
            fold: false,
            team_id: None
        }
    );
    assert!(stages.len() >= 4);

    let server = object_server("023-crm-lead-read").await;
    let session = session_on(&server).await;
    let leads: Vec<Lead> = session
        .execute_kw("crm.lead", "read", ([45],), Kwargs::new())
        .await
        .unwrap();
    let lead = &leads[0];
    assert_eq!(
        (lead.id, lead.name.as_str()),
        (45, "Transcript lead: Rust SDK pilot")
    );
    assert_eq!(lead.partner_id, Some((1, "YourCompany".into())));
    assert_eq!(lead.stage_id, (1, "New".into()));
    assert_eq!(lead.tag_ids, [1, 2]);
    assert_eq!(lead.email_from.as_deref(), Some("buyer@example.com"));
    assert_eq!(lead.expected_revenue, 12500.5);
    assert_eq!(lead.date_deadline.as_deref(), Some("2026-12-31"));

    let server = object_server("024-crm-lead-read-batch-empty-values").await;
    let leads: Vec<Lead> = session_on(&server)
        .await
        .execute_kw("crm.lead", "read", ([46, 47],), Kwargs::new())
        .await
        .unwrap();
    assert_eq!(leads[0].partner_id, None);
    assert_eq!(leads[0].email_from, None);

    for (name, method, expected) in [
        ("021-crm-lead-create", "create", 45_i64),
        ("035-crm-lead-search-count", "search_count", 18),
    ] {
        let server = object_server(name).await;
        let n: i64 = session_on(&server)
            .await
            .execute_kw("crm.lead", method, ((),), Kwargs::new())
            .await
            .unwrap();
        assert_eq!(n, expected, "{name}");
    }

    let server = object_server("022-crm-lead-create-batch").await;
    let ids: Vec<i64> = session_on(&server)
        .await
        .execute_kw("crm.lead", "create", ((),), Kwargs::new())
        .await
        .unwrap();
    assert_eq!(ids, [46, 47]);

    let server = object_server("026-crm-lead-write").await;
    let ok: bool = session_on(&server)
        .await
        .execute_kw("crm.lead", "write", ((),), Kwargs::new())
        .await
        .unwrap();
    assert!(ok);

    let server = object_server("038-crm-lead-name-get").await;
    let names: Vec<(i64, String)> = session_on(&server)
        .await
        .execute_kw("crm.lead", "name_get", ((),), Kwargs::new())
        .await
        .unwrap();
    assert_eq!(names[1], (46, "Batch lead A".into()));

    let server = object_server("114-crm-lead-name-create").await;
    let created: (i64, String) = session_on(&server)
        .await
        .execute_kw(
            "crm.lead",
            "name_create",
            ("Lead from name_create",),
            Kwargs::new(),
        )
        .await
        .unwrap();
    assert_eq!(created, (61, "Lead from name_create".into()));

    let server = object_server("057-crm-lead-load-create").await;
    let load: LoadResult = session_on(&server)
        .await
        .execute_kw("crm.lead", "load", ((),), Kwargs::new())
        .await
        .unwrap();
    assert_eq!(load.ids, Some(vec![48, 49, 50]));
    assert!(load.messages.is_empty());
    assert_eq!(load.nextrow, 0);
}

#[tokio::test]
async fn execute_kw_value_gives_the_dynamic_value() {
    let server = object_server("010-crm-lead-fields-get").await;
    let fields = session_on(&server)
        .await
        .execute_kw_value("crm.lead", "fields_get", (), Kwargs::new())
        .await
        .unwrap();
    let name = fields.get("name").expect("a name field");
    assert_eq!(name.get("type").and_then(Value::as_str), Some("char"));
    assert_eq!(
        fields
            .get("partner_id")
            .and_then(|f| f.get("relation"))
            .and_then(Value::as_str),
        Some("res.partner")
    );
}

#[tokio::test]
async fn execute_kw_sends_credentials_args_kwargs_and_the_merged_context() {
    let server = object_server("033-crm-lead-search-read").await;
    let session = session_on(&server)
        .await
        .with_context("lang", "fr_FR")
        .with_context("tz", "UTC")
        .with_context("allowed_company_ids", [1, 2]);
    let kwargs = Kwargs::new()
        .fields(["name", "partner_id"])
        .domain([("expected_revenue", ">", 1000)])
        .limit(5)
        .offset(10)
        .order("id desc")
        .context("tz", "Asia/Tokyo")
        .insert("load", "_classic_read");
    let _: Vec<Value> = session
        .execute_kw("crm.lead", "search_read", (), kwargs)
        .await
        .unwrap();
    let seen = server.last();
    assert_eq!(seen.path, "/xmlrpc/2/object");
    assert_eq!(seen.method, "execute_kw");
    assert_eq!(seen.params.len(), 7);
    assert_eq!(seen.params[0], Value::from("taskflow"));
    assert_eq!(seen.params[1], Value::Int(2));
    assert_eq!(seen.params[2], Value::from(PASSWORD));
    assert_eq!(seen.params[3], Value::from("crm.lead"));
    assert_eq!(seen.params[4], Value::from("search_read"));
    // `()` args are an empty list, never nil.
    assert_eq!(seen.params[5], Value::Array(vec![]));
    let kw = &seen.params[6];
    assert_eq!(
        kw.get("fields"),
        Some(&Value::Array(vec!["name".into(), "partner_id".into()]))
    );
    assert_eq!(
        kw.get("domain"),
        Some(&Value::Array(vec![Value::Array(vec![
            "expected_revenue".into(),
            ">".into(),
            Value::Int(1000)
        ])]))
    );
    assert_eq!(kw.get("limit"), Some(&Value::Int(5)));
    assert_eq!(kw.get("offset"), Some(&Value::Int(10)));
    assert_eq!(kw.get("order"), Some(&Value::from("id desc")));
    assert_eq!(kw.get("load"), Some(&Value::from("_classic_read")));
    let ctx = kw.get("context").expect("context sent");
    assert_eq!(ctx.get("lang"), Some(&Value::from("fr_FR")));
    assert_eq!(ctx.get("tz"), Some(&Value::from("Asia/Tokyo")));
    assert_eq!(
        ctx.get("allowed_company_ids"),
        Some(&Value::Array(vec![Value::Int(1), Value::Int(2)]))
    );

    // Without a session context and call context, no context key; with_context copies.
    let plain = session.without_context("lang").without_context("tz");
    assert_eq!(plain.context().len(), 1);
    assert_eq!(session.context().len(), 3);
    let _: Vec<Value> = session_on(&server)
        .await
        .execute_kw(
            "crm.lead",
            "search_read",
            ([("id", "=", 1)],),
            Kwargs::new(),
        )
        .await
        .unwrap();
    let seen = server.last();
    assert_eq!(seen.params[6], Value::Struct(vec![]));
    assert_eq!(
        seen.params[5],
        Value::Array(vec![Value::Array(vec![Value::Array(vec![
            "id".into(),
            "=".into(),
            Value::Int(1)
        ])])])
    );
}

#[tokio::test]
async fn a_result_of_the_wrong_type_is_a_decode_error_with_path_and_call() {
    let server = object_server("023-crm-lead-read").await;
    let err = session_on(&server)
        .await
        .execute_kw::<Vec<(i64, String)>>("crm.lead", "read", ([45],), Kwargs::new())
        .await
        .unwrap_err();
    assert!(err.is_decode(), "{err}");
    let Error::Decode { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(source.path().is_some_and(|p| p.contains("[0]")), "{source}");
    let text = err.to_string();
    assert!(
        text.starts_with("crm.lead.read on http://127.0.0.1:"),
        "{text}"
    );
    assert!(text.contains("/xmlrpc/2/object"), "{text}");
}

#[tokio::test]
async fn values_that_cannot_be_encoded_fail_the_call_before_sending() {
    let server = object_server("026-crm-lead-write").await;
    let session = session_on(&server).await;
    let before = server.requests();
    let err = session
        .execute_kw::<bool>(
            "crm.lead",
            "write",
            ((),),
            Kwargs::new().insert("bad", "nul \u{0} byte"),
        )
        .await
        .unwrap_err();
    assert!(err.is_encode(), "{err}");
    assert_eq!(err.call().unwrap().model(), Some("crm.lead"));
    let err = session
        .execute_kw::<bool>("crm.lead", "write", ("nul \u{0} byte",), Kwargs::new())
        .await
        .unwrap_err();
    assert!(err.is_encode(), "{err}");
    // Values refused when set (an integer beyond i64) fail the next call, before sending.
    let err = session
        .execute_kw::<bool>(
            "crm.lead",
            "write",
            ((),),
            Kwargs::new().insert("big", u64::MAX),
        )
        .await
        .unwrap_err();
    assert!(err.is_encode(), "{err}");
    let err = session
        .with_context("big", u64::MAX)
        .execute_kw::<bool>("crm.lead", "write", ((),), Kwargs::new())
        .await
        .unwrap_err();
    assert!(err.is_encode(), "{err}");
    assert_eq!(err.call().unwrap().method(), "write");
    assert_eq!(server.requests(), before);
}

/// What the index says about a fault fixture with a traceback: `last line: Type: message` in
/// the first table, `FAULT 1, Type: message (comment)` in the added one.
fn index_last_line(name: &str) -> Option<String> {
    let index = std::fs::read_to_string(format!("{}/index.md", runtime_support::FIXTURES)).unwrap();
    let row = index.lines().find(|l| l.contains(&format!("| {name} |")))?;
    if let Some((_, rest)) = row.split_once("FAULT 1, ") {
        let line = rest.split_once(" (").map_or(rest, |(line, _)| line);
        return Some(line.trim_end_matches(" |").trim().to_owned());
    }
    let (_, rest) = row.split_once("last line: ")?;
    Some(
        rest.trim_end_matches(" |")
            .trim_end_matches('|')
            .trim()
            .to_owned(),
    )
}

#[tokio::test]
async fn every_recorded_fault_is_classified() {
    use FaultKind::*;
    let cases: &[(&str, FaultKind)] = &[
        ("006-common-authenticate-unknown-db", ServerError),
        ("008-common-unknown-method", ServerError),
        ("009-common-authenticate-missing-arg", ServerError),
        ("061-crm-lead-load-unknown-column", ServerError),
        ("067-err-write-missing-id", MissingRecord),
        ("068-err-unlink-missing-id", MissingRecord),
        ("069-err-wrong-password", AccessDenied),
        ("070-err-unknown-uid", MissingRecord),
        ("071-err-unknown-db", ServerError),
        ("072-err-unknown-model", UserError),
        ("073-err-unknown-method", ServerError),
        ("074-err-private-method", AccessError),
        ("075-err-create-missing-required", UserError),
        ("076-err-create-partner-no-name", UserError),
        ("077-err-create-bad-many2one", UserError),
        ("078-err-create-bad-selection", ServerError),
        ("079-err-create-unknown-field", ServerError),
        ("080-err-write-wrong-type", ServerError),
        ("081-err-domain-unknown-field", ServerError),
        ("082-err-domain-bad-operator", ServerError),
        ("083-err-domain-malformed", ServerError),
        ("084-err-read-unknown-field", ServerError),
        ("085-err-bad-kwarg", ServerError),
        ("086-err-search-count-kwarg", ServerError),
        ("087-err-method-returns-none", ReturnedNone),
        ("089-err-demo-read-config-parameter", AccessError),
        ("090-err-demo-write-stage", AccessError),
        ("095-req-datetime-iso8601", ServerError),
        ("102-err-malformed-xml", ServerError),
        ("103-err-unknown-service", ServerError),
        ("105-err-legacy-endpoint-wrong-password", AccessDenied),
        ("106-err-legacy-endpoint-missing-id", MissingRecord),
        ("107-err-legacy-endpoint-access-error", AccessError),
        ("108-err-legacy-endpoint-unknown-method", ServerError),
        ("118-demo-ir-model-data-search-count", AccessError),
        ("123-rules-demo-read-other-salespersons-lead", AccessError),
        ("124-rules-demo-write-other-salespersons-lead", AccessError),
        ("133-burst-pool-full-fault", ServerError),
        ("136-demo-ir-model-search-read", AccessError),
        ("137-demo-ir-model-search-count", AccessError),
    ];
    // Every fault fixture is in the table.
    let mut on_disk: Vec<String> = std::fs::read_dir(runtime_support::FIXTURES)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            let stem = name.strip_suffix(".response.xml")?.to_owned();
            let body = fixture(&stem);
            String::from_utf8_lossy(&body)
                .contains("<fault>")
                .then_some(stem)
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = cases.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(listed, on_disk);

    let server = ScriptedServer::start(odoo(|req, _| {
        let name = req.params[5].as_array().unwrap()[0]
            .as_str()
            .unwrap()
            .to_owned();
        Reply::Xml(fixture(&name))
    }))
    .await;
    // The pool fault is retried (every answer here is the fixture): give up at once.
    let client = Client::builder()
        .url(&server.url())
        .retry_policy(taskflow_sdk::RetryPolicy::never())
        .build()
        .unwrap();
    let session = Session::with_uid(client, "taskflow", 2, "admin", PASSWORD);
    for &(name, kind) in cases {
        let err = session
            .execute_kw::<Value>("crm.lead", "do_it", (name,), Kwargs::new())
            .await
            .unwrap_err();
        let Response::Fault(raw) =
            xmlrpc::decode_response::<Value>(&fixture(name), &Limits::default()).unwrap()
        else {
            panic!("{name} is not a fault")
        };
        let fault = err.fault().unwrap_or_else(|| panic!("{name}: {err}"));
        assert_eq!(fault.kind(), kind, "{name}: {fault:?}");
        assert_eq!(err.fault_kind(), Some(kind));
        assert_eq!(fault.code(), &raw.code, "{name}");
        // Only the pool fault says the call never ran, and is worth sending again.
        let never_ran = name == "133-burst-pool-full-fault";
        assert!(err.is_fault(), "{name}");
        assert_eq!(err.is_transient(), never_ran, "{name}");
        assert_eq!(
            err.retry_cause(),
            never_ran.then_some(taskflow_sdk::RetryCause::NeverRan),
            "{name}"
        );
        assert_eq!(err.is_returned_none(), kind == ReturnedNone, "{name}");
        assert_eq!(err.is_access_denied(), kind == AccessDenied, "{name}");
        assert!(!err.is_login_refused(), "{name}");

        let text = err.to_string();
        assert!(
            text.starts_with("crm.lead.do_it on http://127.0.0.1:"),
            "{name}: {text}"
        );
        assert!(text.contains(&kind.to_string()), "{name}: {text}");
        assert!(
            text.contains(fault.message().lines().next().unwrap_or("")),
            "{text}"
        );
        assert!(!fault.message().is_empty(), "{name}");
        // No traceback in the one-line message.
        assert!(
            !text.contains("Traceback (most recent call last)"),
            "{name}: {text}"
        );

        match index_last_line(name) {
            // A traceback: exception type and message from its last line, traceback kept.
            Some(last) => {
                let (exception, message) = last.split_once(": ").unwrap();
                assert_eq!(fault.exception(), Some(exception), "{name}");
                assert_eq!(fault.message(), message, "{name}");
                assert!(text.contains(exception), "{name}: {text}");
                let traceback = fault.traceback().expect("traceback kept");
                assert!(traceback.starts_with("Traceback (most recent call last):"));
                assert_eq!(traceback, raw.string, "{name}");
            }
            // A plain message (codes 2, 3, 4 and the legacy warnings).
            None => {
                assert_eq!(fault.traceback(), None, "{name}");
                match &raw.code {
                    FaultCode::Int(_) => assert_eq!(fault.message(), raw.string, "{name}"),
                    FaultCode::String(code) => {
                        assert!(
                            code.ends_with(fault.message()) || fault.message() == raw.string,
                            "{name}"
                        )
                    }
                }
            }
        }
    }

    // Spot checks of what the kinds carry.
    let check = |name: &'static str| {
        let session = session.clone();
        async move {
            session
                .execute_kw::<Value>("crm.lead", "do_it", (name,), Kwargs::new())
                .await
                .unwrap_err()
        }
    };
    let e = check("106-err-legacy-endpoint-missing-id").await;
    let f = e.fault().unwrap();
    assert_eq!(f.exception(), Some("MissingError"));
    assert_eq!(
        f.message(),
        "Record does not exist or has been deleted.\n(Record: crm.lead(999999,), User: 2)"
    );
    let e = check("107-err-legacy-endpoint-access-error").await;
    assert!(
        e.fault()
            .unwrap()
            .message()
            .starts_with("You are not allowed to modify 'CRM Stages'")
    );
    let e = check("105-err-legacy-endpoint-wrong-password").await;
    assert_eq!(e.fault().unwrap().message(), "Access Denied");
    assert_eq!(
        e.fault().unwrap().code(),
        &FaultCode::String("AccessDenied".into())
    );
    let e = check("087-err-method-returns-none").await;
    assert_eq!(e.fault().unwrap().exception(), Some("TypeError"));
    assert!(e.to_string().contains("the server did the work"), "{e}");
    let e = check("069-err-wrong-password").await;
    assert!(
        e.to_string()
            .contains("check the database name, login and password"),
        "{e}"
    );
}
