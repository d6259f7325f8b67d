//! The runtime end to end against the embedded server: version, authenticate, typed
//! execute_kw round trips (create, read, write, search, unlink), context, every fault kind the
//! server produces, and concurrent calls.

use serde::Deserialize;
use taskflow_sdk::xmlrpc::Value;
use taskflow_sdk::{Client, Error, FaultKind, Kwargs, Session};
use taskflow_server::{Mode, TestServer};

async fn admin(server: &TestServer) -> Session {
    let admin = server.admin();
    Client::new(&server.url())
        .unwrap()
        .authenticate(server.db(), &admin.login, &admin.password)
        .await
        .unwrap()
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

#[tokio::test]
async fn version_and_authenticate() {
    let server = TestServer::start().await.unwrap();
    let client = Client::new(&server.url()).unwrap();
    let version = client.version().await.unwrap();
    assert_eq!(version.server_version, "9.0");
    assert_eq!((version.major(), version.minor()), (Some(9), Some(0)));
    assert_eq!(version.protocol_version, 1);

    let odoo = TestServer::builder()
        .mode(Mode::Odoo17)
        .start()
        .await
        .unwrap();
    let version = Client::new(&odoo.url()).unwrap().version().await.unwrap();
    assert_eq!(version.server_version, "17.0-20240709");
    assert_eq!(version.major(), Some(17));

    let session = admin(&server).await;
    assert_eq!(session.uid(), server.admin().uid);
    assert_eq!(session.db(), server.db());
    let demo = server.demo();
    let session = client
        .authenticate(server.db(), &demo.login, &demo.password)
        .await
        .unwrap();
    assert_eq!(session.uid(), demo.uid);

    let err = client
        .authenticate(server.db(), &demo.login, "not the password")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AuthenticationFailed { .. }), "{err:?}");
    let err = client
        .authenticate(server.db(), "nobody", "x")
        .await
        .unwrap_err();
    assert!(err.is_authentication_failed(), "{err:?}");
    let err = client
        .authenticate("no_such_db", "admin", "admin")
        .await
        .unwrap_err();
    assert_eq!(err.fault_kind(), Some(FaultKind::ServerError), "{err}");
}

#[tokio::test]
async fn create_read_write_search_unlink_round_trip() {
    let server = TestServer::start().await.unwrap();
    let session = admin(&server).await;

    let partners: Vec<(i64, String)> = session
        .execute_kw(
            "res.partner",
            "name_search",
            ("Deco",),
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
                name: "E2E lead",
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
    assert_eq!(leads[0].name, "E2E lead");
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
                    ("name", Value::from("E2E lead (renamed)")),
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
            ([("name", "ilike", "e2e lead (renamed)")],),
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

    // Domain, limit, offset and order through kwargs.
    let all: Vec<i64> = session
        .execute_kw(
            "crm.lead",
            "search",
            (),
            Kwargs::new().domain(ALL).order("id asc"),
        )
        .await
        .unwrap();
    let page: Vec<i64> = session
        .execute_kw(
            "crm.lead",
            "search",
            (ALL,),
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

#[tokio::test]
async fn session_context_reaches_the_server() {
    let server = TestServer::start().await.unwrap();
    let session = admin(&server).await;
    let active: i64 = session
        .execute_kw("crm.lead", "search_count", (ALL,), Kwargs::new())
        .await
        .unwrap();
    let everything: i64 = session
        .with_context("active_test", false)
        .execute_kw("crm.lead", "search_count", (ALL,), Kwargs::new())
        .await
        .unwrap();
    assert!(
        everything > active,
        "{everything} > {active}: archived leads exist in the seed"
    );
    // A per-call context overrides the session's.
    let again: i64 = session
        .with_context("active_test", false)
        .execute_kw(
            "crm.lead",
            "search_count",
            (ALL,),
            Kwargs::new().context("active_test", true),
        )
        .await
        .unwrap();
    assert_eq!(again, active);
}

#[tokio::test]
async fn faults_come_back_typed() {
    let server = TestServer::start().await.unwrap();
    let session = admin(&server).await;

    let err = session
        .execute_kw::<bool>(
            "crm.lead",
            "write",
            (
                [999_999],
                [("name", "x")]
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

    let id: i64 = session
        .execute_kw("crm.lead", "search", (ALL,), Kwargs::new().limit(1))
        .await
        .map(|ids: Vec<i64>| ids[0])
        .unwrap();
    let err = session
        .execute_kw::<Value>("crm.lead", "action_archive", ([id],), Kwargs::new())
        .await
        .unwrap_err();
    assert!(err.is_returned_none(), "{err}");

    let demo = server.demo();
    let demo = Client::new(&server.url())
        .unwrap()
        .authenticate(server.db(), &demo.login, &demo.password)
        .await
        .unwrap();
    let err = demo
        .execute_kw::<bool>(
            "crm.stage",
            "write",
            (
                [1],
                [("name", "x")]
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
        server.db(),
        session.uid(),
        "admin",
        "wrong password",
    );
    let err = wrong
        .execute_kw::<i64>("crm.lead", "search_count", (ALL,), Kwargs::new())
        .await
        .unwrap_err();
    assert_eq!(err.fault_kind(), Some(FaultKind::AccessDenied), "{err}");
    assert!(err.is_authentication_failed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_on_one_session() {
    let server = TestServer::start().await.unwrap();
    let session = admin(&server).await;
    let expected: i64 = session
        .execute_kw("crm.lead", "search_count", (ALL,), Kwargs::new())
        .await
        .unwrap();
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let session = session.clone();
            tokio::spawn(async move {
                session
                    .execute_kw::<i64>("crm.lead", "search_count", (ALL,), Kwargs::new())
                    .await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), expected);
    }
}
