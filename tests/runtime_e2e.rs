//! The runtime end to end: version, authenticate, typed execute_kw round trips (create, read,
//! write, search, unlink), context, every fault kind the server produces, and concurrent calls;
//! against the server `TASKFLOW_URL` names, or the embedded one (see `support::e2e`).

mod support;

use std::process::ExitCode;

use serde::Deserialize;
use support::e2e::E2e;
use support::harness::Suite;
use taskflow_sdk::xmlrpc::Value;
use taskflow_sdk::{Client, Error, FaultKind, Kwargs, Protocol, Session};
use taskflow_server::{Mode, TestServer};

fn main() -> ExitCode {
    let mut suite = Suite::new();
    suite
        .test("version_and_seeded_users", version_and_seeded_users)
        .needs_embedded("its version, Mode::Odoo17, the seeded uids");
    suite.test(
        "authentication_failures_are_typed",
        authentication_failures_are_typed,
    );
    suite
        .test(
            "create_read_write_search_unlink_round_trip",
            create_read_write_search_unlink_round_trip,
        )
        .needs_admin();
    suite
        .test(
            "session_context_reaches_the_server",
            session_context_reaches_the_server,
        )
        .needs_admin();
    suite
        .test("faults_come_back_typed", faults_come_back_typed)
        .needs_admin();
    suite
        .test(
            "concurrent_calls_on_one_session",
            concurrent_calls_on_one_session,
        )
        .needs_admin()
        .multi_thread();
    suite.run()
}

#[derive(Debug, Deserialize, PartialEq)]
struct Lead {
    id: i64,
    name: String,
    partner_id: Option<(i64, String)>,
    stage_id: Option<(i64, String)>,
    expected_revenue: f64,
    tag_ids: Vec<i64>,
    active: bool,
}

/// The empty domain: every record.
const ALL: [Value; 0] = [];

const LEAD_FIELDS: [&str; 6] = [
    "name",
    "partner_id",
    "stage_id",
    "expected_revenue",
    "tag_ids",
    "active",
];

/// The domain of the trial's own records.
fn ours(e2e: &E2e) -> [(&'static str, &'static str, String); 1] {
    [("name", "=like", format!("{} %", e2e.prefix()))]
}

/// Creates a lead named `name` (with `values` too), as `session`.
async fn create_lead(session: &Session, name: String, values: &[(&str, Value)]) -> i64 {
    let mut record: std::collections::BTreeMap<&str, Value> = values.iter().cloned().collect();
    record.insert("name", Value::from(name));
    session
        .execute_kw("crm.lead", "create", (record,), Kwargs::new())
        .await
        .unwrap()
}

async fn version_and_seeded_users(e2e: &E2e) {
    let server = e2e.embedded().expect("the embedded server");
    let client = e2e.client();
    // What the server's mode answers: the TaskFlow document's 9.0, or 19 over JSON-2.
    let expected = server.mode().version_info();
    let version = client.version().await.unwrap();
    assert_eq!(version.server_version, expected.server_version);
    assert_eq!(version.server_serie, expected.server_serie);
    assert_eq!(version.server_version_info, expected.server_version_info);
    assert_eq!(version.protocol_version, 1);

    let odoo = TestServer::builder()
        .mode(Mode::Odoo17)
        .start()
        .await
        .unwrap();
    // 17 has no JSON-2: its version over the protocol it shares with 19.
    let protocol = match support::protocol() {
        Protocol::Json2 | Protocol::Auto => Protocol::JsonRpc,
        other => other,
    };
    let version = Client::builder()
        .url(&odoo.url())
        .protocol(protocol)
        .build()
        .unwrap()
        .version()
        .await
        .unwrap();
    assert_eq!(version.server_version, "17.0-20240709");
    assert_eq!(version.major(), Some(17));

    let session = e2e.admin_session().await;
    assert_eq!(session.uid(), server.admin().uid);
    assert_eq!(session.db(), server.db());
    let demo = server.demo();
    assert_eq!(demo.uid, server.mode().demo_uid());
    let user = e2e.user();
    assert_eq!(user.login, demo.login);
    let session = client
        .authenticate(server.db(), &demo.login, user.password.expose())
        .await
        .unwrap();
    assert_eq!(session.uid(), demo.uid);
}

async fn authentication_failures_are_typed(e2e: &E2e) {
    let client = e2e.client();
    assert!(!client.version().await.unwrap().server_version.is_empty());
    let session = e2e.session().await;
    assert_eq!(session.db(), e2e.db());

    let user = e2e.user();
    let err = client
        .authenticate(e2e.db(), &user.login, "not the password")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LoginRefused { .. }), "{err:?}");
    let err = client
        .authenticate(e2e.db(), &e2e.name("nobody"), "x")
        .await
        .unwrap_err();
    assert!(err.is_login_refused(), "{err:?}");
    assert!(!err.is_access_denied(), "{err:?}");
    let err = client
        .authenticate(
            &format!("{}-no-such-db", e2e.prefix()),
            &user.login,
            user.password.expose(),
        )
        .await
        .unwrap_err();
    if e2e.client().protocol() == Protocol::Json2 {
        // JSON-2 routes nothing without a database: a 404 page (odoo-19-json2/057).
        assert_eq!(err.status(), Some(404), "{err}");
        assert!(err.to_string().contains("database"), "{err}");
    } else {
        assert_eq!(err.fault_kind(), Some(FaultKind::ServerError), "{err}");
    }
}

async fn create_read_write_search_unlink_round_trip(e2e: &E2e) {
    let session = e2e.admin_session().await;
    let _: i64 = session
        .execute_kw(
            "res.partner",
            "create",
            ([("name", e2e.name("Deco Addict"))]
                .into_iter()
                .collect::<std::collections::BTreeMap<_, _>>(),),
            Kwargs::new(),
        )
        .await
        .unwrap();

    let partners: Vec<(i64, String)> = session
        .execute_kw(
            "res.partner",
            "name_search",
            (e2e.name("Deco"),),
            Kwargs::new().limit(1),
        )
        .await
        .unwrap();
    let (partner, partner_name) = partners.into_iter().next().expect("a partner named Deco");

    #[derive(serde::Serialize)]
    struct NewLead<'a> {
        name: &'a str,
        partner_id: i64,
        expected_revenue: f64,
    }
    let id: i64 = session
        .execute_kw(
            "crm.lead",
            "create",
            (NewLead {
                name: &e2e.name("E2E lead"),
                partner_id: partner,
                expected_revenue: 1234.5,
            },),
            Kwargs::new(),
        )
        .await
        .unwrap();
    assert!(id > 0);

    let leads: Vec<Lead> = session
        .execute_kw(
            "crm.lead",
            "read",
            ([id],),
            Kwargs::new().fields(LEAD_FIELDS),
        )
        .await
        .unwrap();
    assert_eq!(leads.len(), 1);
    assert_eq!(leads[0].name, e2e.name("E2E lead"));
    assert_eq!(leads[0].partner_id, Some((partner, partner_name)));
    assert_eq!(leads[0].expected_revenue, 1234.5);
    assert!(leads[0].tag_ids.is_empty());
    assert!(leads[0].active);

    let ok: bool = session
        .execute_kw(
            "crm.lead",
            "write",
            (
                [id],
                [
                    ("name", Value::from(e2e.name("E2E lead (renamed)"))),
                    ("partner_id", Value::Bool(false)),
                ]
                .into_iter()
                .collect::<std::collections::BTreeMap<_, _>>(),
            ),
            Kwargs::new(),
        )
        .await
        .unwrap();
    assert!(ok);

    let found: Vec<Lead> = session
        .execute_kw(
            "crm.lead",
            "search_read",
            ([(
                "name",
                "ilike",
                e2e.name("E2E lead (renamed)").to_lowercase(),
            )],),
            Kwargs::new().fields(LEAD_FIELDS).limit(5).order("id desc"),
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, id);
    assert_eq!(found[0].partner_id, None);

    let count: i64 = session
        .execute_kw(
            "crm.lead",
            "search_count",
            ([("id", "=", id)],),
            Kwargs::new(),
        )
        .await
        .unwrap();
    assert_eq!(count, 1);

    // Domain, limit, offset and order through kwargs, over the trial's leads: two more of them,
    // so that a page of two after the first exists whatever else the server holds.
    for n in 1..=2 {
        create_lead(&session, e2e.name(&format!("E2E page {n}")), &[]).await;
    }
    let all: Vec<i64> = session
        .execute_kw(
            "crm.lead",
            "search",
            (),
            Kwargs::new().domain(ours(e2e)).order("id asc"),
        )
        .await
        .unwrap();
    let page: Vec<i64> = session
        .execute_kw(
            "crm.lead",
            "search",
            (ours(e2e),),
            Kwargs::new().offset(1).limit(2).order("id asc"),
        )
        .await
        .unwrap();
    assert!(all.len() >= 3, "{all:?}");
    assert_eq!(page, all[1..3]);

    let ok: bool = session
        .execute_kw("crm.lead", "unlink", ([id],), Kwargs::new())
        .await
        .unwrap();
    assert!(ok);
    let gone: Vec<Lead> = session
        .execute_kw(
            "crm.lead",
            "read",
            ([id],),
            Kwargs::new().fields(LEAD_FIELDS),
        )
        .await
        .unwrap();
    assert!(gone.is_empty());
}

async fn session_context_reaches_the_server(e2e: &E2e) {
    let session = e2e.admin_session().await;
    // The trial's own leads, one of them archived: other leads on the server come and go.
    create_lead(&session, e2e.name("active"), &[]).await;
    create_lead(
        &session,
        e2e.name("archived"),
        &[("active", Value::Bool(false))],
    )
    .await;
    let active: i64 = session
        .execute_kw("crm.lead", "search_count", (ours(e2e),), Kwargs::new())
        .await
        .unwrap();
    let everything: i64 = session
        .with_context("active_test", false)
        .execute_kw("crm.lead", "search_count", (ours(e2e),), Kwargs::new())
        .await
        .unwrap();
    assert!(
        everything > active,
        "{everything} > {active}: the trial archived a lead"
    );
    // A per-call context overrides the session's.
    let again: i64 = session
        .with_context("active_test", false)
        .execute_kw(
            "crm.lead",
            "search_count",
            (ours(e2e),),
            Kwargs::new().context("active_test", true),
        )
        .await
        .unwrap();
    assert_eq!(again, active);
}

async fn faults_come_back_typed(e2e: &E2e) {
    let session = e2e.admin_session().await;

    // A lead that existed: its id is surely missing now, and no one else's record is touched.
    let gone = create_lead(&session, e2e.name("deleted"), &[]).await;
    let _: bool = session
        .execute_kw("crm.lead", "unlink", ([gone],), Kwargs::new())
        .await
        .unwrap();
    let err = session
        .execute_kw::<bool>(
            "crm.lead",
            "write",
            (
                [gone],
                [("name", e2e.name("x"))]
                    .into_iter()
                    .collect::<std::collections::BTreeMap<_, _>>(),
            ),
            Kwargs::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.fault_kind(), Some(FaultKind::MissingRecord), "{err}");
    assert!(err.to_string().starts_with("crm.lead.write on "), "{err}");

    let err = session
        .execute_kw::<Value>("crm.lead", "no_such_method", (ALL,), Kwargs::new())
        .await
        .unwrap_err();
    let fault = err.fault().expect("a fault");
    assert_eq!(fault.kind(), FaultKind::ServerError, "{err}");
    assert!(fault.exception().is_some(), "{fault:?}");
    assert!(fault.traceback().is_some());

    let err = session
        .execute_kw::<Value>("no.such.model", "search", (ALL,), Kwargs::new())
        .await
        .unwrap_err();
    assert_eq!(err.fault_kind(), Some(FaultKind::UserError), "{err}");

    let err = session
        .execute_kw::<Value>(
            "crm.lead",
            "search",
            ([("no_such_field", "=", 1)],),
            Kwargs::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.fault_kind(), Some(FaultKind::ServerError), "{err}");

    // The trial's own lead: archiving one of the server's would change it.
    let id = create_lead(&session, e2e.name("to archive"), &[]).await;
    let err = session
        .execute_kw::<Value>("crm.lead", "action_archive", ([id],), Kwargs::new())
        .await
        .unwrap_err();
    assert!(err.is_returned_none(), "{err}");

    // A salesperson may not modify stages. The write would leave the name as it is, should the
    // user be allowed after all.
    let user = e2e.session().await;
    #[derive(Deserialize)]
    struct Stage {
        id: i64,
        name: String,
    }
    let stage: Vec<Stage> = user
        .execute_kw(
            "crm.stage",
            "search_read",
            (ALL,),
            Kwargs::new().fields(["name"]).limit(1),
        )
        .await
        .unwrap();
    let stage = stage.first().expect("a stage");
    let err = user
        .execute_kw::<bool>(
            "crm.stage",
            "write",
            (
                [stage.id],
                [("name", stage.name.as_str())]
                    .into_iter()
                    .collect::<std::collections::BTreeMap<_, _>>(),
            ),
            Kwargs::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.fault_kind(), Some(FaultKind::AccessError), "{err}");

    let wrong = Session::with_uid(
        session.client().clone(),
        e2e.db(),
        session.uid(),
        &e2e.admin().login,
        "wrong password",
    );
    let err = wrong
        .execute_kw::<i64>("crm.lead", "search_count", (ALL,), Kwargs::new())
        .await
        .unwrap_err();
    assert_eq!(err.fault_kind(), Some(FaultKind::AccessDenied), "{err}");
    assert!(err.is_access_denied());
    assert!(!err.is_login_refused());
}

async fn concurrent_calls_on_one_session(e2e: &E2e) {
    let session = e2e.admin_session().await;
    // Counted over the trial's own leads, which no other trial changes meanwhile.
    for n in 0..3 {
        create_lead(&session, e2e.name(&format!("counted {n}")), &[]).await;
    }
    let domain = ours(e2e);
    let expected: i64 = session
        .execute_kw("crm.lead", "search_count", (domain.clone(),), Kwargs::new())
        .await
        .unwrap();
    assert_eq!(expected, 3);
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let session = session.clone();
            let domain = domain.clone();
            tokio::spawn(async move {
                session
                    .execute_kw::<i64>("crm.lead", "search_count", (domain,), Kwargs::new())
                    .await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), expected);
    }
}
