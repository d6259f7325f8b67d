//! The bulk loader against the embedded server: per-row errors mapped to global rows, both error
//! policies, repeat runs that update, and retries that never duplicate.
//!
//! They run as the demo user, a salesperson, since an import needs no more rights than its
//! `load` calls: the loader tells created rows from updated ones only where the user may read
//! `ir.model.data` (odoo-17/118), and reports the split as unknown elsewhere. The tests of the
//! exact split run as the administrator, who may.

mod support;

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use taskflow_sdk::load::ErrorPolicy;

const BAD: [usize; 5] = [0, 499, 500, 1234, 2999];

/// 3,000 leads in chunks of 500; the rows in `BAD` carry an invalid `type` selection key, so two
/// of them sit on either side of the first chunk boundary.
fn rows(prefix: &str) -> Vec<Vec<String>> {
    (0..3000)
        .map(|i| {
            let kind = if BAD.contains(&i) {
                "not_a_type"
            } else {
                "lead"
            };
            vec![
                format!("bulk_test.{prefix}_{i}"),
                format!("{prefix} {i}"),
                kind.to_string(),
            ]
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_policy_reports_the_bad_rows_of_the_first_rejected_chunk() {
    let (_server, session) = support::demo_session().await;
    let report = session
        .loader("crm.lead", ["id", "name", "type"])
        .chunk_size(500)
        .concurrency(3)
        .on_error(ErrorPolicy::Stop)
        .run(rows("stop"))
        .await
        .expect("load runs");
    assert!(report.stopped);
    assert!(!report.is_complete());
    let failed: Vec<usize> = report.failed.iter().map(|e| e.row).collect();
    assert_eq!(failed, vec![0, 499], "{:?}", report.failed);
    assert_eq!(
        report.failed[0].external_id.as_deref(),
        Some("bulk_test.stop_0")
    );
    assert_eq!(
        report.failed[1].external_id.as_deref(),
        Some("bulk_test.stop_499")
    );
    assert_eq!(report.failed[0].field.as_deref(), Some("type"));
    assert!(
        report.failed[0].message.contains("not_a_type"),
        "{}",
        report.failed[0].message
    );
    assert_eq!(report.not_imported, 498);
    // Nothing of the rejected chunk landed.
    let imported = support::count_leads(&session, "stop ").await;
    assert_eq!(imported as u64, report.imported);
    assert_eq!(report.imported % 500, 0, "only whole good chunks land");
    assert_eq!((report.created, report.updated), (None, None));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skip_invalid_lands_every_good_row_and_a_rerun_updates() {
    let (_server, session) = support::demo_session().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let progress = Arc::clone(&seen);
    let report = session
        .loader("crm.lead", ["id", "name", "type"])
        .chunk_size(500)
        .on_error(ErrorPolicy::SkipInvalid)
        .progress(move |p| progress.lock().unwrap().push((p.rows_done, p.rows_failed)))
        .run(rows("skip"))
        .await
        .expect("load runs");
    let failed: Vec<usize> = report.failed.iter().map(|e| e.row).collect();
    assert_eq!(failed, BAD.to_vec());
    let xids: Vec<&str> = report
        .failed
        .iter()
        .filter_map(|e| e.external_id.as_deref())
        .collect();
    assert_eq!(
        xids,
        [
            "bulk_test.skip_0",
            "bulk_test.skip_499",
            "bulk_test.skip_500",
            "bulk_test.skip_1234",
            "bulk_test.skip_2999"
        ]
    );
    assert_eq!(report.imported, 2995);
    // A salesperson may not read external ids: the split is unknown, not guessed.
    assert_eq!((report.created, report.updated), (None, None));
    assert!(
        report.to_string().contains("created and updated unknown"),
        "{report}"
    );
    assert_eq!(report.chunks, 6);
    assert!(!report.stopped);
    assert_eq!(support::count_leads(&session, "skip ").await, 2995);
    let ids = |session: taskflow_sdk::Session| async move {
        let mut ids: Vec<i64> = session
            .execute_kw(
                "crm.lead",
                "search",
                ((("name", "=like", "skip %"),),),
                taskflow_sdk::Kwargs::new(),
            )
            .await
            .expect("search");
        ids.sort_unstable();
        ids
    };
    let first_ids = ids(session.clone()).await;
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 6, "one progress report per chunk");
    assert_eq!(seen.last(), Some(&(2995, 5)));
    assert!(
        seen.windows(2).all(|w| w[0].0 <= w[1].0),
        "progress only grows: {seen:?}"
    );

    // The same external ids again: every good row updates, nothing is duplicated.
    let again = session
        .loader("crm.lead", ["id", "name", "type"])
        .chunk_size(500)
        .on_error(ErrorPolicy::SkipInvalid)
        .run(rows("skip"))
        .await
        .expect("second load runs");
    assert_eq!(
        (
            again.imported,
            again.created,
            again.updated,
            again.failed.len()
        ),
        (2995, None, None, 5)
    );
    assert_eq!(support::count_leads(&session, "skip ").await, 2995);
    assert_eq!(ids(session).await, first_ids, "the same records, updated");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fault_for_the_whole_import_is_an_error() {
    let (_server, session) = support::demo_session().await;
    let err = session
        .loader("crm.lead", ["id", "no_such_field"])
        .run(vec![vec!["x.y".to_string(), "v".to_string()]])
        .await
        .expect_err("unknown column");
    assert!(err.is_fault(), "{err}");
    assert!(err.to_string().contains("no_such_field"), "{err}");
}

fn plain_rows(prefix: &str, with_ids: bool, n: usize) -> Vec<Vec<String>> {
    (0..n)
        .map(|i| {
            let name = format!("{prefix} {i}");
            if with_ids {
                vec![format!("retry_test.{prefix}_{i}"), name]
            } else {
                vec![name]
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_reply_is_resent_only_when_rows_have_external_ids() {
    let (server, _) = support::demo_session().await;

    // With external ids: the chunk whose reply was lost is resent, and updates instead of
    // duplicating.
    let (url, stats) = support::proxy::start(server.addr().to_string(), ">load</", 1).await;
    let session = support::login(&url, &server).await;
    let report = session
        .loader("crm.lead", ["id", "name"])
        .chunk_size(100)
        .concurrency(1)
        .count_updates(false)
        .run(plain_rows("keyed", true, 300))
        .await
        .expect("load completes");
    assert_eq!(stats.dropped.load(Ordering::SeqCst), 1);
    assert_eq!(report.chunks_retried, 1);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(support::count_leads(&session, "keyed ").await, 300);

    // Without external ids: never resent (the server committed it once already).
    let (url, stats) = support::proxy::start(server.addr().to_string(), ">load</", 1).await;
    let session = support::login(&url, &server).await;
    let report = session
        .loader("crm.lead", ["name"])
        .chunk_size(100)
        .concurrency(1)
        .on_error(ErrorPolicy::SkipInvalid)
        .run(plain_rows("anonymous", false, 300))
        .await
        .expect("load runs");
    assert_eq!(stats.dropped.load(Ordering::SeqCst), 1);
    assert_eq!(
        stats.matched.load(Ordering::SeqCst),
        3,
        "three chunks, none sent twice"
    );
    assert_eq!(report.chunks_retried, 0);
    let failed: BTreeSet<usize> = report.failed.iter().map(|e| e.row).collect();
    assert_eq!(
        failed,
        (0..100).collect(),
        "the undelivered chunk is reported row by row"
    );
    assert!(
        report.failed[0].message.contains("not retried"),
        "{}",
        report.failed[0].message
    );
    assert_eq!(
        support::count_leads(&session, "anonymous ").await,
        300,
        "no duplicates"
    );
}

#[derive(taskflow_sdk::TaskflowModel, Debug)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: taskflow_sdk::Id<Lead>,
    name: String,
    contact_name: Option<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_rows_load_in_chunks_with_per_row_errors() {
    let (_server, session) = support::demo_session().await;
    // Rows 7 and 250 leave out the required name: the server rejects exactly those.
    let rows = |run: u32| {
        (0..600).map(move |i| {
            let values = Lead::values().contact_name(format!("Contact {i}"));
            let values = if i == 7 || i == 250 {
                values
            } else {
                values.name(format!("typed {i} run {run}"))
            };
            (format!("typed_bulk.lead_{i}"), values)
        })
    };
    let report = session
        .loader_for::<Lead>()
        .chunk_size(200)
        .on_error(ErrorPolicy::SkipInvalid)
        .run_typed(rows(1))
        .await
        .expect("typed load runs");
    let failed: Vec<(usize, Option<&str>)> = report
        .failed
        .iter()
        .map(|e| (e.row, e.external_id.as_deref()))
        .collect();
    assert_eq!(
        failed,
        [
            (7, Some("typed_bulk.lead_7")),
            (250, Some("typed_bulk.lead_250"))
        ]
    );
    assert_eq!(
        (report.imported, report.created, report.updated),
        (598, None, None)
    );
    let again = session
        .loader_for::<Lead>()
        .chunk_size(200)
        .on_error(ErrorPolicy::SkipInvalid)
        .run_typed(rows(2))
        .await
        .expect("second typed load runs");
    assert_eq!(
        (again.imported, again.created, again.updated),
        (598, None, None)
    );
    let f = Lead::fields();
    let leads = Lead::search_read(&session, f.name.like("typed % run 2"))
        .await
        .expect("read back");
    assert_eq!(leads.len(), 598);
    assert!(
        leads
            .iter()
            .all(|l| l.contact_name.is_some() && l.name.ends_with("run 2"))
    );
}

/// Created and updated are counted per row: external ids the server knows update, new ones
/// create, and a repeat of an id within a chunk updates what its first occurrence created.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn created_and_updated_are_counted_per_row() {
    // An administrator may read external ids: the split is exact.
    let (_server, session) = support::admin_session().await;
    let row = |xid: String, i: usize| vec![xid, format!("counted {i}")];
    let first: Vec<Vec<String>> = (0..300)
        .map(|i| row(format!("count_test.lead_{i}"), i))
        .collect();
    let report = session
        .loader("crm.lead", ["id", "name"])
        .chunk_size(100)
        .run(first)
        .await
        .expect("first load");
    assert_eq!((report.created, report.updated), (Some(300), Some(0)));

    // One chunk: 200 known ids, 150 new ones (50 of them without a module, filed under
    // `__import__`), then 50 repeats of new ids and 10 of known ones.
    let mut second: Vec<Vec<String>> = (100..450)
        .map(|i| match i {
            400.. => row(format!("count_test_bare_{i}"), i),
            _ => row(format!("count_test.lead_{i}"), i),
        })
        .collect();
    second.extend((300..350).map(|i| row(format!("count_test.lead_{i}"), i)));
    second.extend((100..110).map(|i| row(format!("count_test.lead_{i}"), i)));
    let report = session
        .loader("crm.lead", ["id", "name"])
        .chunk_size(1000)
        .run(second)
        .await
        .expect("second load");
    assert!(report.is_complete(), "{:?}", report.failed.first());
    assert_eq!((report.created, report.updated), (Some(150), Some(260)));
    assert_eq!(support::count_leads(&session, "counted ").await, 450);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeats_across_chunks_in_flight_together_count_as_updates() {
    // Every external id comes twice, 150 rows apart: in different chunks, loaded side by side.
    // Whichever chunk the server applies first creates the record; the other updates it.
    let (_server, session) = support::admin_session().await;
    let rows: Vec<Vec<String>> = (0..300)
        .map(|i| {
            vec![
                format!("repeat_test.lead_{}", i % 150),
                format!("repeat {i}"),
            ]
        })
        .collect();
    for run in 0..3 {
        let report = session
            .loader("crm.lead", ["id", "name"])
            .chunk_size(50)
            .concurrency(6)
            .run(&rows)
            .await
            .expect("load runs");
        assert!(report.is_complete(), "{:?}", report.failed.first());
        let expected = if run == 0 {
            (Some(150), Some(150))
        } else {
            (Some(0), Some(300))
        };
        assert_eq!((report.created, report.updated), expected, "run {run}");
    }
    assert_eq!(support::count_leads(&session, "repeat ").await, 150);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_loads_of_the_same_external_ids_never_duplicate() {
    // The server checks loads side by side and applies them one at a time; a load checked
    // before another created its external ids must update those records, not create twins.
    let (server, session) = support::demo_session().await;
    let rows: Vec<Vec<String>> = (0..400)
        .map(|i| vec![format!("race_test.lead_{i}"), format!("race {i}")])
        .collect();
    let loads = (0..6).map(|_| {
        session
            .loader("crm.lead", ["id", "name"])
            .chunk_size(100)
            .concurrency(4)
            .count_updates(false)
            .run(&rows)
    });
    let reports = futures_util::future::join_all(loads).await;
    for report in reports {
        let report = report.expect("load runs");
        assert!(report.is_complete(), "{:?}", report.failed.first());
    }
    assert_eq!(support::count_leads(&session, "race ").await, 400);
    // Only an administrator may count external ids (odoo-17/118).
    let admin = support::login_admin(&server.url(), &server).await;
    let entries: i64 = admin
        .execute_kw(
            "ir.model.data",
            "search_count",
            ((("module", "=", "race_test"),),),
            taskflow_sdk::Kwargs::new(),
        )
        .await
        .expect("search_count");
    assert_eq!(entries, 400, "one external id per record");
}
