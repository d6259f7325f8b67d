//! The TaskFlow API document's walkthrough, in typed form: connect, ask the version, authenticate,
//! create a lead, rename it, read its name back with `name_get`, and upload leads in bulk with
//! `load` keyed by external ids: twice, to show the second upload updates instead of creating.
//!
//! `cargo run --example quickstart` talks to the embedded server, or to your TaskFlow when
//! `TASKFLOW_URL`, `TASKFLOW_DB`, `TASKFLOW_USER` and `TASKFLOW_PASSWORD` are set.

use taskflow_sdk::{Id, TaskflowModel};
use taskflow_workspace::{BoxError, Target};

/// A CRM lead, with the fields the walkthrough uses.
#[derive(TaskflowModel, Debug)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    name: String,
    contact_name: Option<String>,
    contact_surname: Option<String>,
    phone: Option<String>,
    mobile: Option<String>,
    fax: Option<String>,
}

/// The document's upload: header `id, name, contact_name, contact_surname, phone, mobile, fax`.
fn upload(run: u32) -> [(&'static str, LeadValues); 2] {
    let suffix = if run == 1 { "" } else { " (updated)" };
    [
        (
            "my_lead.external_id1",
            Lead::values()
                .name(format!("Lead 1{suffix}"))
                .contact_name("John")
                .contact_surname("Snow")
                .phone("27830001234")
                .mobile("27821114321")
                .fax(""),
        ),
        (
            "my_lead.external_id2",
            Lead::values()
                .name(format!("Lead 2{suffix}"))
                .contact_name("Luke")
                .contact_surname("Skywalker")
                .phone("27849991234")
                .mobile("277771234")
                .fax("27123456789"),
        ),
    ]
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let target = Target::from_env().await?;
    println!("TaskFlow at {target}");

    let (client, session) = target.connect().await?;
    let version = client.version().await?;
    println!(
        "server version {} (protocol {})",
        version.server_version, version.protocol_version
    );
    println!("authenticated as uid {}", session.uid());

    let id = Lead::create(&session, Lead::values().name("New Lead")).await?;
    println!("created crm.lead {id}");
    Lead::write(&session, &[id], Lead::values().name("Lead Edited")).await?;
    let names = Lead::name_get(&session, &[id]).await?;
    println!("name_get -> {names:?}");

    for run in 1..=2 {
        let ids = Lead::load(&session, upload(run))
            .await?
            .map_err(|refused| format!("the server refused the upload: {refused:?}"))?;
        println!("load run {run}: ids {ids:?}");
        for lead in Lead::read(&session, &ids).await? {
            let contact = [&lead.contact_name, &lead.contact_surname]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" ");
            println!(
                "  {} {:?}: {contact}, phone {:?}, mobile {:?}, fax {:?}",
                lead.id, lead.name, lead.phone, lead.mobile, lead.fax
            );
        }
    }
    Ok(())
}
