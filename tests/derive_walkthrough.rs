//! The TaskFlow API document's walkthrough in typed form, as the user: connect, version,
//! authenticate, create a lead, write its name, name_get, and a load of two leads by external id
//! run twice (the second run updates instead of creating); against the server `TASKFLOW_URL`
//! names, or the embedded one (see `support::e2e`).

mod support;

use std::process::ExitCode;

use support::e2e::E2e;
use support::harness::Suite;
use taskflow_sdk::{Id, TaskflowModel};

#[derive(TaskflowModel, Debug)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    name: String,
    expected_revenue: f64,
}

fn main() -> ExitCode {
    let mut suite = Suite::new();
    suite.test("walkthrough_in_typed_form", walkthrough_in_typed_form);
    suite.run()
}

async fn walkthrough_in_typed_form(e2e: &E2e) {
    let client = e2e.client();
    let version = client.version().await.unwrap();
    assert!(!version.server_version.is_empty());
    let user = e2e.user();
    let session = client
        .authenticate(e2e.db(), &user.login, user.password.expose())
        .await
        .unwrap();

    let id = Lead::create(&session, Lead::values().name(e2e.name("New Lead")))
        .await
        .unwrap();
    Lead::write(
        &session,
        &[id],
        Lead::values().name(e2e.name("Lead Edited")),
    )
    .await
    .unwrap();
    let names = Lead::name_get(&session, &[id]).await.unwrap();
    assert_eq!(names, [(id, e2e.name("Lead Edited"))]);

    let rows = |revenue: f64| {
        [
            (
                e2e.xid("walkthrough_lead_1"),
                Lead::values()
                    .name(e2e.name("Imported lead 1"))
                    .expected_revenue(revenue),
            ),
            (
                e2e.xid("walkthrough_lead_2"),
                Lead::values()
                    .name(e2e.name("Imported lead 2"))
                    .expected_revenue(revenue),
            ),
        ]
    };
    let first = Lead::load(&session, rows(1000.0)).await.unwrap().unwrap();
    let second = Lead::load(&session, rows(2000.0)).await.unwrap().unwrap();
    assert_eq!(first, second, "the second run updates the same records");
    let leads = Lead::read(&session, &second).await.unwrap();
    assert_eq!(leads.len(), 2);
    assert!(leads.iter().all(|l| l.expected_revenue == 2000.0));
    let mut names: Vec<&str> = leads.iter().map(|l| l.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [e2e.name("Imported lead 1"), e2e.name("Imported lead 2")]
    );
}
