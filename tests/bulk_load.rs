//! The bulk loader against the server `TASKFLOW_URL` names, or the embedded one (see
//! `support::e2e`): per-row errors mapped to global rows, both error policies, repeat runs that
//! update, and retries that never duplicate.
//!
//! They run as the demo user, a salesperson, since an import needs no more rights than its
//! `load` calls: the loader tells created rows from updated ones only where the user may read
//! `ir.model.data` (odoo-17/118), and reports the split as unknown elsewhere. The tests of the
//! exact split run as the administrator, who may.

mod support;

use std::collections::BTreeSet;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use support::e2e::E2e;
use support::harness::Suite;
use taskflow_sdk::Id;
use taskflow_sdk::load::ErrorPolicy;
use taskflow_sdk::xmlrpc::Value;

fn main() -> ExitCode {
    let mut suite = Suite::new();
    suite
        .test(
            "stop_policy_reports_the_bad_rows_of_the_first_rejected_chunk",
            stop_policy_reports_the_bad_rows_of_the_first_rejected_chunk,
        )
        .multi_thread();
    suite
        .test(
            "skip_invalid_lands_every_good_row_and_a_rerun_updates",
            skip_invalid_lands_every_good_row_and_a_rerun_updates,
        )
        .multi_thread();
    suite
        .test(
            "a_fault_for_the_whole_import_is_an_error",
            a_fault_for_the_whole_import_is_an_error,
        )
        .multi_thread();
    suite
        .test(
            "a_lost_reply_is_resent_only_when_rows_have_external_ids",
            a_lost_reply_is_resent_only_when_rows_have_external_ids,
        )
        .needs_embedded("a proxy before the server drops one reply")
        .multi_thread();
    suite
        .test(
            "typed_rows_load_in_chunks_with_per_row_errors",
            typed_rows_load_in_chunks_with_per_row_errors,
        )
        .multi_thread();
    suite
        .test(
            "one_call_and_the_loader_refuse_rows_alike",
            one_call_and_the_loader_refuse_rows_alike,
        )
        .multi_thread();
    suite
        .test(
            "ids_map_each_input_row_to_its_record",
            ids_map_each_input_row_to_its_record,
        )
        .multi_thread();
    suite
        .test(
            "typed_ids_skip_rows_refused_before_and_by_the_server",
            typed_ids_skip_rows_refused_before_and_by_the_server,
        )
        .multi_thread();
    suite
        .test(
            "ids_of_a_chunk_resent_after_a_lost_reply",
            ids_of_a_chunk_resent_after_a_lost_reply,
        )
        .needs_embedded("a proxy before the server drops one reply")
        .multi_thread();
    // The exact split needs a user who may read external ids.
    suite
        .test(
            "created_and_updated_are_counted_per_row",
            created_and_updated_are_counted_per_row,
        )
        .needs_admin()
        .multi_thread();
    suite
        .test(
            "repeats_across_chunks_in_flight_together_count_as_updates",
            repeats_across_chunks_in_flight_together_count_as_updates,
        )
        .needs_admin()
        .multi_thread();
    suite
        .test(
            "concurrent_loads_of_the_same_external_ids_never_duplicate",
            concurrent_loads_of_the_same_external_ids_never_duplicate,
        )
        .needs_admin()
        .multi_thread();
    suite.run()
}

const BAD: [usize; 5] = [0, 499, 500, 1234, 2999];

/// 3,000 leads in chunks of 500, named `<trial prefix> <label> <i>` with external ids
/// `<trial token>.<label>_<i>`; the rows in `BAD` carry an invalid `type` selection key, so two
/// of them sit on either side of the first chunk boundary.
fn rows(e2e: &E2e, label: &str) -> Vec<Vec<String>> {
    (0..3000)
        .map(|i| {
            let kind = if BAD.contains(&i) {
                "not_a_type"
            } else {
                "lead"
            };
            vec![
                format!("{}.{label}_{i}", e2e.token()),
                format!("{} {i}", e2e.name(label)),
                kind.to_string(),
            ]
        })
        .collect()
}

async fn stop_policy_reports_the_bad_rows_of_the_first_rejected_chunk(e2e: &E2e) {
    let session = e2e.session().await;
    let report = session
        .loader("crm.lead", ["id", "name", "type"])
        .chunk_size(500)
        .concurrency(3)
        .on_error(ErrorPolicy::Stop)
        .run(rows(e2e, "stop"))
        .await
        .expect("load runs");
    assert!(report.stopped);
    assert!(!report.is_complete());
    let failed: Vec<usize> = report.failed.iter().map(|e| e.row).collect();
    assert_eq!(failed, vec![0, 499], "{:?}", report.failed);
    assert_eq!(
        report.failed[0].external_id.as_deref(),
        Some(format!("{}.stop_0", e2e.token()).as_str())
    );
    assert_eq!(
        report.failed[1].external_id.as_deref(),
        Some(format!("{}.stop_499", e2e.token()).as_str())
    );
    assert_eq!(report.failed[0].field.as_deref(), Some("type"));
    assert!(
        report.failed[0].message.contains("not_a_type"),
        "{}",
        report.failed[0].message
    );
    assert_eq!(report.not_imported, 498);
    // Nothing of the rejected chunk landed.
    let imported = support::count_leads(&session, &format!("{} ", e2e.name("stop"))).await;
    assert_eq!(imported as u64, report.imported);
    assert_eq!(report.imported % 500, 0, "only whole good chunks land");
    assert_eq!((report.created, report.updated), (None, None));
}

async fn skip_invalid_lands_every_good_row_and_a_rerun_updates(e2e: &E2e) {
    let session = e2e.session().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let progress = Arc::clone(&seen);
    let report = session
        .loader("crm.lead", ["id", "name", "type"])
        .chunk_size(500)
        .on_error(ErrorPolicy::SkipInvalid)
        .progress(move |p| progress.lock().unwrap().push((p.rows_done, p.rows_failed)))
        .run(rows(e2e, "skip"))
        .await
        .expect("load runs");
    let failed: Vec<usize> = report.failed.iter().map(|e| e.row).collect();
    assert_eq!(failed, BAD.to_vec());
    let xids: Vec<&str> = report
        .failed
        .iter()
        .filter_map(|e| e.external_id.as_deref())
        .collect();
    let expected: Vec<String> = BAD
        .iter()
        .map(|i| format!("{}.skip_{i}", e2e.token()))
        .collect();
    assert_eq!(xids, expected);
    assert_eq!(report.imported, 2995);
    // A salesperson may not read external ids: the split is unknown, not guessed.
    assert_eq!((report.created, report.updated), (None, None));
    assert!(
        report.to_string().contains("created and updated unknown"),
        "{report}"
    );
    assert_eq!(report.chunks, 6);
    assert!(!report.stopped);
    assert_eq!(
        support::count_leads(&session, &format!("{} ", e2e.name("skip"))).await,
        2995
    );
    let pattern = format!("{} %", e2e.name("skip"));
    let ids = |session: taskflow_sdk::Session, pattern: String| async move {
        let mut ids: Vec<i64> = session
            .execute_kw(
                "crm.lead",
                "search",
                ((("name", "=like", pattern),),),
                taskflow_sdk::Kwargs::new(),
            )
            .await
            .expect("search");
        ids.sort_unstable();
        ids
    };
    let first_ids = ids(session.clone(), pattern.clone()).await;
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
        .run(rows(e2e, "skip"))
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
    assert_eq!(
        support::count_leads(&session, &format!("{} ", e2e.name("skip"))).await,
        2995
    );
    assert_eq!(
        ids(session, pattern).await,
        first_ids,
        "the same records, updated"
    );
}

async fn a_fault_for_the_whole_import_is_an_error(e2e: &E2e) {
    let session = e2e.session().await;
    let err = session
        .loader("crm.lead", ["id", "no_such_field"])
        .run(vec![vec!["x.y".to_string(), "v".to_string()]])
        .await
        .expect_err("unknown column");
    assert!(err.is_fault(), "{err}");
    assert!(err.to_string().contains("no_such_field"), "{err}");
}

fn plain_rows(e2e: &E2e, label: &str, with_ids: bool, n: usize) -> Vec<Vec<String>> {
    (0..n)
        .map(|i| {
            let name = format!("{} {i}", e2e.name(label));
            if with_ids {
                vec![format!("{}.{label}_{i}", e2e.token()), name]
            } else {
                vec![name]
            }
        })
        .collect()
}

async fn a_lost_reply_is_resent_only_when_rows_have_external_ids(e2e: &E2e) {
    let server = e2e.embedded().expect("the embedded server");

    // With external ids: the chunk whose reply was lost is resent, and updates instead of
    // duplicating.
    let (url, stats) =
        support::proxy::start(server.addr().to_string(), support::proxy::method("load"), 1).await;
    let session = support::login(&url, server).await;
    let report = session
        .loader("crm.lead", ["id", "name"])
        .chunk_size(100)
        .concurrency(1)
        .count_updates(false)
        .run(plain_rows(e2e, "keyed", true, 300))
        .await
        .expect("load completes");
    assert_eq!(stats.dropped.load(Ordering::SeqCst), 1);
    assert_eq!(report.chunks_retried, 1);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(
        support::count_leads(&session, &format!("{} ", e2e.name("keyed"))).await,
        300
    );

    // Without external ids: never resent (the server committed it once already).
    let (url, stats) =
        support::proxy::start(server.addr().to_string(), support::proxy::method("load"), 1).await;
    let session = support::login(&url, server).await;
    let report = session
        .loader("crm.lead", ["name"])
        .chunk_size(100)
        .concurrency(1)
        .on_error(ErrorPolicy::SkipInvalid)
        .run(plain_rows(e2e, "anonymous", false, 300))
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
        support::count_leads(&session, &format!("{} ", e2e.name("anonymous"))).await,
        300,
        "no duplicates"
    );
}

#[derive(taskflow_sdk::TaskflowModel, Debug)]
#[taskflow(model = "crm.lead")]
struct Lead {
    id: Id<Lead>,
    name: String,
    contact_name: Option<String>,
}

async fn typed_rows_load_in_chunks_with_per_row_errors(e2e: &E2e) {
    let session = e2e.session().await;
    // Rows 7 and 250 leave out the required name: the server rejects exactly those.
    let (prefix, token) = (e2e.name("typed"), e2e.token().to_owned());
    let rows = |run: u32| {
        let (prefix, token) = (prefix.clone(), token.clone());
        (0..600).map(move |i| {
            let values = Lead::values().contact_name(format!("Contact {i}"));
            let values = if i == 7 || i == 250 {
                values
            } else {
                values.name(format!("{prefix} {i} run {run}"))
            };
            (format!("{token}.lead_{i}"), values)
        })
    };
    let report = session
        .loader_for::<Lead>()
        .chunk_size(200)
        .on_error(ErrorPolicy::SkipInvalid)
        .run(rows(1))
        .await
        .expect("typed load runs");
    let failed: Vec<(usize, Option<&str>)> = report
        .failed
        .iter()
        .map(|e| (e.row, e.external_id.as_deref()))
        .collect();
    let (seventh, later) = (
        format!("{}.lead_7", e2e.token()),
        format!("{}.lead_250", e2e.token()),
    );
    assert_eq!(
        failed,
        [(7, Some(seventh.as_str())), (250, Some(later.as_str()))]
    );
    assert_eq!(
        (report.imported, report.created, report.updated),
        (598, None, None)
    );
    // The same rows again, from a stream.
    let again = session
        .loader_for::<Lead>()
        .chunk_size(200)
        .on_error(ErrorPolicy::SkipInvalid)
        .run_stream(futures_util::stream::iter(rows(2)))
        .await
        .expect("second typed load runs");
    assert_eq!(
        (again.imported, again.created, again.updated),
        (598, None, None)
    );
    let f = Lead::fields();
    let leads = Lead::search_read(
        &session,
        f.name.like(format!("{} % run 2", e2e.name("typed"))),
    )
    .await
    .expect("read back");
    assert_eq!(leads.len(), 598);
    assert!(
        leads
            .iter()
            .all(|l| l.contact_name.is_some() && l.name.ends_with("run 2"))
    );
}

/// `Lead::load` (one call, all or nothing) and the loader (chunks, the good rows land) report a
/// refused row as the same `RowError`.
async fn one_call_and_the_loader_refuse_rows_alike(e2e: &E2e) {
    let session = e2e.session().await;
    let (prefix, token) = (e2e.name("alike"), e2e.token().to_owned());
    let rows = || {
        (0..5).map(|i| {
            let values = Lead::values().name(format!("{prefix} {i}"));
            let values = if i == 3 {
                values.raw("type", "not_a_type")
            } else {
                values
            };
            (format!("{token}.alike_{i}"), values)
        })
    };
    let refused = Lead::load(&session, rows())
        .await
        .expect("load runs")
        .expect_err("row 3 is refused");
    assert_eq!(refused.len(), 1, "{refused:?}");
    let error = &refused[0];
    assert_eq!(
        (
            error.row,
            error.external_id.as_deref(),
            error.field.as_deref()
        ),
        (3, Some(format!("{token}.alike_3").as_str()), Some("type"))
    );
    assert!(error.message.contains("not_a_type"), "{error}");
    assert_eq!(
        support::count_leads(&session, &format!("{prefix} ")).await,
        0
    );

    let report = session
        .loader_for::<Lead>()
        .chunk_size(2)
        .on_error(ErrorPolicy::SkipInvalid)
        .run(rows())
        .await
        .expect("loader runs");
    assert_eq!(report.failed, refused);
    assert_eq!(report.imported, 4);
    assert_eq!(
        support::count_leads(&session, &format!("{prefix} ")).await,
        4
    );
}

/// The names of the leads `ids`, by id, read back as the user.
async fn names(
    session: &taskflow_sdk::Session,
    ids: &[Id<Lead>],
) -> std::collections::HashMap<Id<Lead>, String> {
    let leads = Lead::read(session, ids).await.expect("read back");
    assert_eq!(leads.len(), ids.len(), "every id is a lead of the user's");
    leads.into_iter().map(|lead| (lead.id, lead.name)).collect()
}

/// `with_ids` gives the record of each input row, by index, across chunks in flight together
/// and chunks resent without their refused rows; a rerun gives the same records.
async fn ids_map_each_input_row_to_its_record(e2e: &E2e) {
    let session = e2e.session().await;
    let load = || {
        session
            .loader("crm.lead", ["id", "name", "type"])
            .chunk_size(500)
            .concurrency(3)
            .on_error(ErrorPolicy::SkipInvalid)
            .with_ids()
            .run(rows(e2e, "ids"))
    };
    let report = load().await.expect("load runs");
    let ids = report.ids.clone().expect("ids were asked for");
    assert_eq!(ids.len(), 3000);
    let missing: Vec<usize> = (0..ids.len()).filter(|&i| ids[i].is_none()).collect();
    assert_eq!(missing, BAD.to_vec(), "exactly the refused rows have none");
    let landed: Vec<Id<Lead>> = ids.iter().flatten().map(|id| Id::new(id.get())).collect();
    let names = names(&session, &landed).await;
    assert_eq!(names.len(), 2995, "one record per row");
    for (row, id) in ids.iter().enumerate() {
        if let Some(id) = id {
            assert_eq!(
                names[&Id::new(id.get())],
                format!("{} {row}", e2e.name("ids")),
                "row {row}"
            );
        }
    }

    // Again: the known external ids update the same records, row by row.
    let again = load().await.expect("second load runs");
    assert_eq!(again.ids, Some(ids));

    // Not asked for: not collected.
    let plain = session
        .loader("crm.lead", ["id", "name", "type"])
        .chunk_size(500)
        .on_error(ErrorPolicy::SkipInvalid)
        .run(rows(e2e, "ids"))
        .await
        .expect("third load runs");
    assert_eq!(plain.ids, None);

    // A stopped import has ids for the rows it read: the first chunk's, none of which landed.
    let stopped = session
        .loader("crm.lead", ["id", "name", "type"])
        .chunk_size(500)
        .concurrency(1)
        .with_ids()
        .run(rows(e2e, "ids_stop"))
        .await
        .expect("stopped load runs");
    assert!(stopped.stopped);
    assert_eq!(stopped.ids, Some(vec![None; 500]));
}

/// A typed loader's ids are `Id<M>`, and skip rows refused on the client side (a value `load`
/// cannot carry) as well as those the server refuses.
async fn typed_ids_skip_rows_refused_before_and_by_the_server(e2e: &E2e) {
    let session = e2e.session().await;
    let (prefix, token) = (e2e.name("typed_ids"), e2e.token().to_owned());
    let rows = (0..10).map(|i| {
        let values = match i {
            // No cell can hold a list.
            4 => Lead::values()
                .name(format!("{prefix} {i}"))
                .raw("contact_name", Value::Array(vec![])),
            // The required name is missing.
            7 => Lead::values(),
            _ => Lead::values().name(format!("{prefix} {i}")),
        };
        (format!("{token}.typed_ids_{i}"), values)
    });
    let report = session
        .loader_for::<Lead>()
        .chunk_size(3)
        .concurrency(4)
        .on_error(ErrorPolicy::SkipInvalid)
        .with_ids()
        .run(rows)
        .await
        .expect("typed load runs");
    let failed: Vec<usize> = report.failed.iter().map(|e| e.row).collect();
    assert_eq!(failed, [4, 7], "{:?}", report.failed);
    let ids: Vec<Option<Id<Lead>>> = report.ids.expect("ids were asked for");
    assert_eq!(ids.len(), 10);
    let landed: Vec<Id<Lead>> = ids.iter().flatten().copied().collect();
    let names = names(&session, &landed).await;
    for (row, id) in ids.iter().enumerate() {
        match id {
            Some(id) => assert_eq!(names[id], format!("{prefix} {row}"), "row {row}"),
            None => assert!(failed.contains(&row), "row {row} has no id"),
        }
    }
}

async fn ids_of_a_chunk_resent_after_a_lost_reply(e2e: &E2e) {
    let server = e2e.embedded().expect("the embedded server");
    let (url, stats) =
        support::proxy::start(server.addr().to_string(), support::proxy::method("load"), 1).await;
    let session = support::login(&url, server).await;
    let report = session
        .loader("crm.lead", ["id", "name"])
        .chunk_size(100)
        .concurrency(2)
        .count_updates(false)
        .with_ids()
        .run(plain_rows(e2e, "resent_ids", true, 300))
        .await
        .expect("load completes");
    assert_eq!(stats.dropped.load(Ordering::SeqCst), 1);
    assert_eq!(report.chunks_retried, 1);
    assert!(report.is_complete(), "{:?}", report.failed);
    let ids = report.ids.expect("ids were asked for");
    let landed: Vec<Id<Lead>> = ids.iter().flatten().map(|id| Id::new(id.get())).collect();
    assert_eq!(landed.len(), 300);
    let names = names(&session, &landed).await;
    assert_eq!(names.len(), 300, "one record per row, none twice");
    for (row, id) in landed.iter().enumerate() {
        assert_eq!(names[id], format!("{} {row}", e2e.name("resent_ids")));
    }
}

/// Created and updated are counted per row: external ids the server knows update, new ones
/// create, and a repeat of an id within a chunk updates what its first occurrence created.
async fn created_and_updated_are_counted_per_row(e2e: &E2e) {
    // An administrator may read external ids: the split is exact.
    let session = e2e.admin_session().await;
    let (module, counted) = (e2e.token(), e2e.name("counted"));
    let row = |xid: String, i: usize| vec![xid, format!("{counted} {i}")];
    let first: Vec<Vec<String>> = (0..300)
        .map(|i| row(format!("{module}.lead_{i}"), i))
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
            400.. => row(format!("{module}_bare_{i}"), i),
            _ => row(format!("{module}.lead_{i}"), i),
        })
        .collect();
    second.extend((300..350).map(|i| row(format!("{module}.lead_{i}"), i)));
    second.extend((100..110).map(|i| row(format!("{module}.lead_{i}"), i)));
    let report = session
        .loader("crm.lead", ["id", "name"])
        .chunk_size(1000)
        .run(second)
        .await
        .expect("second load");
    assert!(report.is_complete(), "{:?}", report.failed.first());
    assert_eq!((report.created, report.updated), (Some(150), Some(260)));
    assert_eq!(
        support::count_leads(&session, &format!("{counted} ")).await,
        450
    );
}

async fn repeats_across_chunks_in_flight_together_count_as_updates(e2e: &E2e) {
    // Every external id comes twice, 150 rows apart: in different chunks, loaded side by side.
    // Whichever chunk the server applies first creates the record; the other updates it.
    let session = e2e.admin_session().await;
    let rows: Vec<Vec<String>> = (0..300)
        .map(|i| {
            vec![
                format!("{}.lead_{}", e2e.token(), i % 150),
                format!("{} {i}", e2e.name("repeat")),
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
    assert_eq!(
        support::count_leads(&session, &format!("{} ", e2e.name("repeat"))).await,
        150
    );
}

async fn concurrent_loads_of_the_same_external_ids_never_duplicate(e2e: &E2e) {
    // The server checks loads side by side and applies them one at a time; a load checked
    // before another created its external ids must update those records, not create twins.
    let session = e2e.session().await;
    let rows: Vec<Vec<String>> = (0..400)
        .map(|i| {
            vec![
                format!("{}.lead_{i}", e2e.token()),
                format!("{} {i}", e2e.name("race")),
            ]
        })
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
    assert_eq!(
        support::count_leads(&session, &format!("{} ", e2e.name("race"))).await,
        400
    );
    // Only an administrator may count external ids (odoo-17/118).
    let admin = e2e.admin_session().await;
    let entries: i64 = admin
        .execute_kw(
            "ir.model.data",
            "search_count",
            ((("module", "=", e2e.token()),),),
            taskflow_sdk::Kwargs::new(),
        )
        .await
        .expect("search_count");
    assert_eq!(entries, 400, "one external id per record");
}
