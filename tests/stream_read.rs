//! Keyset-paged streaming reads, as the user; against the server `TASKFLOW_URL` names, or the
//! embedded one (see `support::e2e`).

mod support;

use std::collections::{BTreeSet, HashMap};
use std::process::ExitCode;

use futures_util::TryStreamExt;
use serde::Deserialize;
use support::e2e::E2e;
use support::harness::Suite;
use taskflow_sdk::Kwargs;
use taskflow_sdk::stream::Record;
use taskflow_sdk::xmlrpc::Value;

fn main() -> ExitCode {
    let mut suite = Suite::new();
    // It compares a stream of every lead the user sees with their count: no other trial may
    // add or delete leads meanwhile.
    suite
        .test(
            "streams_every_matching_record_once_in_id_order",
            streams_every_matching_record_once_in_id_order,
        )
        .multi_thread()
        .exclusive();
    // Salespeople may not delete leads (odoo-17/117): an administrator deletes them meanwhile.
    suite
        .test(
            "records_that_exist_throughout_are_yielded_once_while_the_table_changes",
            records_that_exist_throughout_are_yielded_once_while_the_table_changes,
        )
        .needs_admin()
        .multi_thread();
    suite
        .test(
            "typed_models_stream_with_typed_domains",
            typed_models_stream_with_typed_domains,
        )
        .multi_thread();
    suite.run()
}

#[derive(Deserialize, Debug)]
struct Lead {
    id: i64,
    name: String,
}

impl Record for Lead {
    fn record_id(&self) -> i64 {
        self.id
    }
}

async fn seed(session: &taskflow_sdk::Session, prefix: &str, n: usize) {
    let rows: Vec<Vec<String>> = (0..n).map(|i| vec![format!("{prefix} {i:05}")]).collect();
    let report = session
        .loader("crm.lead", ["name"])
        .run(rows)
        .await
        .expect("seed loads");
    assert_eq!(report.imported as usize, n);
}

async fn streams_every_matching_record_once_in_id_order(e2e: &E2e) {
    let session = e2e.session().await;
    seed(&session, &e2e.name("streamed"), 1234).await;
    let pattern = format!("{} %", e2e.name("streamed"));
    let domain = (("name", "=like", pattern.as_str()),);
    let leads: Vec<Lead> = session
        .search_read_stream::<Lead>("crm.lead", domain, &["name"])
        .page_size(100)
        .try_collect()
        .await
        .expect("stream reads");
    assert_eq!(leads.len(), 1234);
    assert!(leads.windows(2).all(|w| w[0].id < w[1].id), "ids ascend");
    let names: BTreeSet<&str> = leads.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names.len(), 1234);
    assert!(names.contains(format!("{} 01233", e2e.name("streamed")).as_str()));

    // The untyped form, with an empty domain over the same model, sees them too.
    let empty: [Value; 0] = [];
    let all: Vec<Value> = session
        .search_read_stream::<Value>("crm.lead", Vec::<Value>::new(), &["name"])
        .page_size(500)
        .try_collect()
        .await
        .expect("untyped stream reads");
    let count: i64 = session
        .execute_kw("crm.lead", "search_count", (empty,), Kwargs::new())
        .await
        .expect("count");
    assert_eq!(all.len() as i64, count);
}

async fn records_that_exist_throughout_are_yielded_once_while_the_table_changes(e2e: &E2e) {
    let session = e2e.session().await;
    // Salespeople may not delete leads (odoo-17/117): an administrator deletes them meanwhile.
    let admin = e2e.admin_session().await;
    seed(&session, &e2e.name("moving"), 1000).await;
    let pattern = format!("{} %", e2e.name("moving"));
    let domain = (("name", "=like", pattern.as_str()),);
    let initial: Vec<Lead> = session
        .execute_kw(
            "crm.lead",
            "search_read",
            (domain,),
            Kwargs::new().fields(["name"]).order("id"),
        )
        .await
        .expect("initial read");
    let initial_ids: Vec<i64> = initial.iter().map(|l| l.id).collect();

    let mut stream = session
        .search_read_stream::<Lead>("crm.lead", domain, &["name"])
        .page_size(50);
    let mut seen: HashMap<i64, usize> = HashMap::new();
    let mut deleted = BTreeSet::new();
    let mut step = 0;
    while let Some(lead) = stream.try_next().await.expect("stream continues") {
        *seen.entry(lead.id).or_default() += 1;
        step += 1;
        if step % 100 == 0 {
            // Delete two records not yet reached and one already yielded, and add new ones.
            let ahead: Vec<i64> = initial_ids
                .iter()
                .copied()
                .filter(|id| *id > lead.id + 60 && !deleted.contains(id))
                .take(2)
                .collect();
            let behind = initial_ids
                .iter()
                .copied()
                .find(|id| *id < lead.id && !deleted.contains(id));
            let victims: Vec<i64> = ahead.into_iter().chain(behind).collect();
            let _: bool = admin
                .execute_kw("crm.lead", "unlink", (victims.clone(),), Kwargs::new())
                .await
                .expect("unlink");
            deleted.extend(victims);
            let _: Vec<i64> = session
                .execute_kw(
                    "crm.lead",
                    "create",
                    (vec![
                        [("name", e2e.name(&format!("moving new {step}")))]
                            .into_iter()
                            .collect::<HashMap<_, _>>(),
                    ],),
                    Kwargs::new(),
                )
                .await
                .expect("create");
        }
    }
    assert!(seen.values().all(|&n| n == 1), "no record is yielded twice");
    for id in initial_ids.iter().filter(|id| !deleted.contains(id)) {
        assert_eq!(
            seen.get(id),
            Some(&1),
            "record {id} existed throughout and was yielded once"
        );
    }
    assert!(
        deleted.len() >= 20,
        "the table really changed: {} deleted",
        deleted.len()
    );
}

#[derive(taskflow_sdk::TaskflowModel, Debug)]
#[taskflow(model = "crm.lead")]
struct TypedLead {
    id: taskflow_sdk::Id<TypedLead>,
    name: String,
}

async fn typed_models_stream_with_typed_domains(e2e: &E2e) {
    let session = e2e.session().await;
    seed(&session, &e2e.name("typed stream"), 450).await;
    let f = TypedLead::fields();
    let leads: Vec<TypedLead> =
        taskflow_sdk::stream::search_read(&session, f.name.like(e2e.name("typed stream %")))
            .page_size(100)
            .try_collect()
            .await
            .expect("typed stream reads");
    assert_eq!(leads.len(), 450);
    assert!(leads.windows(2).all(|w| w[0].id.get() < w[1].id.get()));
    assert_eq!(leads[0].name, e2e.name("typed stream 00000"));
}
