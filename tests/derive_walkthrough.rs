//! The TaskFlow API document's walkthrough in typed form, against the embedded server: connect,
//! version, authenticate, create a lead, write its name, name_get, and a load of two leads by
//! external id run twice (the second run updates instead of creating).

use taskflow_sdk::{Client, Id, TaskflowModel};
use taskflow_server::TestServer;

#[derive(TaskflowModel, Debug)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    name: String,
    expected_revenue: f64,
}

#[tokio::test]
async fn walkthrough_in_typed_form() {
    let server = TestServer::start().await.unwrap();
    let client = Client::new(&server.url()).unwrap();
    let version = client.version().await.unwrap();
    assert!(!version.server_version.is_empty());
    let demo = server.demo();
    let session = client
        .authenticate(server.db(), &demo.login, &demo.password)
        .await
        .unwrap();

    let id = Lead::create(&session, Lead::values().name("New Lead"))
        .await
        .unwrap();
    Lead::write(&session, &[id], Lead::values().name("Lead Edited"))
        .await
        .unwrap();
    let names = Lead::name_get(&session, &[id]).await.unwrap();
    assert_eq!(names, [(id, "Lead Edited".to_owned())]);

    let rows = |revenue: f64| {
        [
            (
                "__import__.walkthrough_lead_1",
                Lead::values()
                    .name("Imported lead 1")
                    .expected_revenue(revenue),
            ),
            (
                "__import__.walkthrough_lead_2",
                Lead::values()
                    .name("Imported lead 2")
                    .expected_revenue(revenue),
            ),
        ]
    };
    let first = Lead::load(&session, rows(1000.0))
        .await
        .unwrap()
        .into_result()
        .unwrap();
    let second = Lead::load(&session, rows(2000.0))
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(first, second, "the second run updates the same records");
    let leads = Lead::read(&session, &second).await.unwrap();
    assert_eq!(leads.len(), 2);
    assert!(leads.iter().all(|l| l.expected_revenue == 2000.0));
    let mut names: Vec<&str> = leads.iter().map(|l| l.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Imported lead 1", "Imported lead 2"]);
}
