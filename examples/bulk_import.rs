//! Bulk import, the way the TaskFlow document recommends for large uploads: `load` with external
//! ids, here 100,000 leads in chunks with a progress bar. The second run updates the same records
//! instead of duplicating them; a few bad rows show the per-row report; then the leads are
//! streamed back and counted.
//!
//! `cargo run --release --example bulk_import` (against the embedded server unless `TASKFLOW_URL`
//! is set; see the README).

use std::time::Duration;

use futures_util::TryStreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use taskflow_sdk::load::{ErrorPolicy, LoadReport};
use taskflow_sdk::xmlrpc::Value;
use taskflow_sdk::{Kwargs, Session};

const ROWS: usize = 100_000;
/// Rows that carry a value the server rejects (an unknown `type` selection key).
const BAD_ROWS: [usize; 3] = [17, 50_000, 99_998];

fn rows(run: u32) -> impl Iterator<Item = Vec<String>> {
    (0..ROWS).map(move |i| {
        let kind = if BAD_ROWS.contains(&i) {
            "prospect"
        } else {
            "lead"
        };
        vec![
            format!("bulk_import.lead_{i:06}"),
            format!("Imported lead {i:06} (run {run})"),
            format!("Contact {i}"),
            format!("+27 83 {:07}", i),
            kind.to_string(),
        ]
    })
}

async fn import(session: &Session, run: u32) -> Result<LoadReport, taskflow_sdk::Error> {
    let bar = ProgressBar::new(ROWS as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:>7} [{bar:40}] {pos}/{len} rows, {per_sec}, eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(format!("run {run}"));
    let progress = bar.clone();
    let report = session
        .loader("crm.lead", ["id", "name", "contact_name", "phone", "type"])
        .on_error(ErrorPolicy::SkipInvalid)
        .progress(move |p| progress.set_position(p.rows_done + p.rows_failed))
        .run(rows(run))
        .await?;
    bar.finish();
    println!("run {run}: {report} ({:.0} rows/s)", report.rows_per_sec());
    for failure in &report.failed {
        println!("  {failure}");
    }
    Ok(report)
}

#[tokio::main]
async fn main() -> Result<(), taskflow_workspace::BoxError> {
    let target = taskflow_workspace::Target::from_env().await?;
    println!("TaskFlow at {target}");
    let (_client, session) = target.connect().await?;
    let session = &session;

    let first = import(session, 1).await?;
    let second = import(session, 2).await?;
    assert_eq!(
        second.imported, first.imported,
        "the second run updates the same rows"
    );
    if let (Some(created), Some(updated)) = (second.created, second.updated) {
        // Known where the user may read external ids (an administrator).
        assert_eq!((created, Some(updated)), (0, first.created));
    }

    let started = std::time::Instant::now();
    let domain = (("name", "=like", "Imported lead %"),);
    let mut stream = session
        .search_read_stream::<Value>("crm.lead", domain, &["name", "phone"])
        .page_size(5_000);
    let mut count = 0usize;
    let mut updated = 0usize;
    while let Some(lead) = stream.try_next().await? {
        count += 1;
        if lead
            .get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| n.ends_with("(run 2)"))
        {
            updated += 1;
        }
    }
    println!(
        "streamed back {count} leads ({updated} carry the second run's names) in {:.2?}",
        started.elapsed()
    );
    let total: i64 = session
        .execute_kw("crm.lead", "search_count", (domain,), Kwargs::new())
        .await?;
    println!("the server counts {total} imported leads: no duplicates");
    tokio::time::sleep(Duration::from_millis(10)).await;
    Ok(())
}
