//! `read_group` as the real server answers it beyond transcript 040: crm.lead's stages expanded
//! in lazy mode with `__fold` (transcript 128), no expansion for other fields (129), and date
//! periods with their labels, `__domain` and `__range` (130).

mod support;

use support::{Session, arr, i, leaf, s, st};
use taskflow_sdk::xmlrpc::{FaultCode, RawFault, Value};
use taskflow_server::TestServer;

const PROBE: &str = "Rec17 group probe";

/// Creates transcript 127's probe lead and returns its id.
async fn probe(admin: &Session) -> i64 {
    admin
        .ok(
            "crm.lead",
            "create",
            vec![st(vec![
                ("name", s(PROBE)),
                ("expected_revenue", Value::Double(12.5)),
            ])],
            vec![],
        )
        .await
        .as_i64()
        .expect("an id")
}

/// `read_group([name = PROBE], ['expected_revenue:sum'], groupby)` with `lazy`.
async fn group_probe(admin: &Session, groupby: &str, lazy: bool) -> Value {
    admin
        .ok(
            "crm.lead",
            "read_group",
            vec![
                arr(vec![leaf("name", "=", s(PROBE))]),
                arr(vec![s("expected_revenue:sum")]),
                arr(vec![s(groupby)]),
            ],
            vec![("lazy", Value::Bool(lazy))],
        )
        .await
}

/// `['&', [name = PROBE], extra...]`: the probe's domain and-ed with a group's leaves.
fn probe_domain(extra: Vec<Value>) -> Value {
    let mut items = vec![s("&"), leaf("name", "=", s(PROBE))];
    items.extend(extra);
    arr(items)
}

fn fault_text(fault: &RawFault) -> &str {
    assert_eq!(fault.code, FaultCode::Int(1), "{fault:?}");
    fault.string.trim_end().lines().last().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lazy_stage_grouping_expands_every_stage_like_transcript_128() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    probe(&admin).await;
    let groups = group_probe(&admin, "stage_id", true).await;
    // Transcript 128, member order included: the found group's key comes first, an expanded
    // group's after its count and (false) aggregates.
    let empty = |id: i64, name: &str| {
        st(vec![
            ("stage_id_count", i(0)),
            ("expected_revenue", Value::Bool(false)),
            ("stage_id", arr(vec![i(id), s(name)])),
            ("__fold", Value::Bool(false)),
            ("__domain", probe_domain(vec![leaf("stage_id", "=", i(id))])),
        ])
    };
    let expected = arr(vec![
        st(vec![
            ("stage_id", arr(vec![i(1), s("New")])),
            ("stage_id_count", i(1)),
            ("expected_revenue", Value::Double(12.5)),
            ("__fold", Value::Bool(false)),
            ("__domain", probe_domain(vec![leaf("stage_id", "=", i(1))])),
        ]),
        empty(2, "Qualified"),
        empty(3, "Proposition"),
        empty(4, "Won"),
    ]);
    assert_eq!(groups, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expansion_follows_the_stage_order_skips_team_stages_and_reports_fold() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    probe(&admin).await;
    // A folded stage of no team, ordered between Proposition (3) and Won (70), and a stage of
    // the Sales team, which `_read_group_stage_ids` leaves out when no lead is in it.
    let folded = admin
        .ok(
            "crm.stage",
            "create",
            vec![st(vec![
                ("name", s("Parked")),
                ("sequence", i(5)),
                ("fold", Value::Bool(true)),
            ])],
            vec![],
        )
        .await
        .as_i64()
        .unwrap();
    admin
        .ok(
            "crm.stage",
            "create",
            vec![st(vec![
                ("name", s("Team only")),
                ("sequence", i(4)),
                ("team_id", i(1)),
            ])],
            vec![],
        )
        .await;
    let groups = group_probe(&admin, "stage_id", true).await;
    let summary: Vec<(Value, Value, Value)> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g.get("stage_id").unwrap().clone(),
                g.get("stage_id_count").unwrap().clone(),
                g.get("__fold").unwrap().clone(),
            )
        })
        .collect();
    let stage = |id: i64, name: &str| arr(vec![i(id), s(name)]);
    assert_eq!(
        summary,
        vec![
            (stage(1, "New"), i(1), Value::Bool(false)),
            (stage(2, "Qualified"), i(0), Value::Bool(false)),
            (stage(3, "Proposition"), i(0), Value::Bool(false)),
            (stage(folded, "Parked"), i(0), Value::Bool(true)),
            (stage(4, "Won"), i(0), Value::Bool(false)),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eager_grouping_and_other_fields_do_not_expand() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    probe(&admin).await;
    // Transcript 129: by user, only the non-empty group, and no `__fold`.
    let by_user = group_probe(&admin, "user_id", true).await;
    assert_eq!(
        by_user,
        arr(vec![st(vec![
            ("user_id", arr(vec![i(2), s("Mitchell Admin")])),
            ("user_id_count", i(1)),
            ("expected_revenue", Value::Double(12.5)),
            ("__domain", probe_domain(vec![leaf("user_id", "=", i(2))])),
        ])])
    );
    // The real server fills groups in lazy mode only (transcript 040 has no `__fold`).
    let eager = group_probe(&admin, "stage_id", false).await;
    assert_eq!(
        eager,
        arr(vec![st(vec![
            ("stage_id", arr(vec![i(1), s("New")])),
            ("__count", i(1)),
            ("expected_revenue", Value::Double(12.5)),
            ("__domain", probe_domain(vec![leaf("stage_id", "=", i(1))])),
        ])])
    );
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (Howard Hinnant's algorithm).
fn days_from_civil(date: &str) -> i64 {
    let part = |r: std::ops::Range<usize>| date[r].parse::<i64>().unwrap();
    let (y, m, d) = (part(0..4), part(5..7), part(8..10));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// The `YYYY-MM-DD` date of days since 1970-01-01.
fn civil_from_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn day_grouping_labels_and_ranges_the_creation_day_like_transcript_130() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    let id = probe(&admin).await;
    let read = admin
        .ok(
            "crm.lead",
            "read",
            vec![arr(vec![i(id)])],
            vec![("fields", arr(vec![s("create_date")]))],
        )
        .await;
    let created = read.as_array().unwrap()[0]
        .get("create_date")
        .and_then(Value::as_str)
        .expect("a create_date")
        .to_owned();
    let day = &created[..10];
    let from = format!("{day} 00:00:00");
    let to = format!("{} 00:00:00", civil_from_days(days_from_civil(day) + 1));
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month: usize = created[5..7].parse().unwrap();
    let label = format!(
        "{} {} {}",
        &created[8..10],
        MONTHS[month - 1],
        &created[..4]
    );

    let groups = group_probe(&admin, "create_date:day", true).await;
    assert_eq!(
        groups,
        arr(vec![st(vec![
            ("create_date:day", s(&label)),
            ("create_date_count", i(1)),
            ("expected_revenue", Value::Double(12.5)),
            (
                "__domain",
                probe_domain(vec![
                    s("&"),
                    leaf("create_date", ">=", s(&from)),
                    leaf("create_date", "<", s(&to)),
                ])
            ),
            (
                "__range",
                st(vec![(
                    "create_date:day",
                    st(vec![("from", s(&from)), ("to", s(&to))])
                )])
            ),
        ])])
    );
}

/// Groups the probe, whose `date_deadline` is 2026-12-02, by `groupby`: `(key, from, to)`.
async fn deadline_period(admin: &Session, groupby: &str) -> (Value, Value, Value) {
    let groups = group_probe(admin, groupby, true).await;
    let group = &groups.as_array().unwrap()[0];
    let range = group.get("__range").unwrap().get(groupby).unwrap();
    (
        group.get(groupby).unwrap().clone(),
        range.get("from").unwrap().clone(),
        range.get("to").unwrap().clone(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn date_fields_group_by_week_month_quarter_year_with_date_ranges() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    let id = probe(&admin).await;
    admin
        .ok(
            "crm.lead",
            "write",
            vec![
                arr(vec![i(id)]),
                st(vec![("date_deadline", s("2026-12-02"))]),
            ],
            vec![],
        )
        .await;
    let period = |label: &str, from: &str, to: &str| (s(label), s(from), s(to));
    // Weeks start on Sunday (en_US); a bare date field groups by month.
    for (groupby, expected) in [
        (
            "date_deadline:day",
            period("02 Dec 2026", "2026-12-02", "2026-12-03"),
        ),
        (
            "date_deadline:week",
            period("W49 2026", "2026-11-29", "2026-12-06"),
        ),
        (
            "date_deadline",
            period("December 2026", "2026-12-01", "2027-01-01"),
        ),
        (
            "date_deadline:month",
            period("December 2026", "2026-12-01", "2027-01-01"),
        ),
        (
            "date_deadline:quarter",
            period("Q4 2026", "2026-10-01", "2027-01-01"),
        ),
        (
            "date_deadline:year",
            period("2026", "2026-01-01", "2027-01-01"),
        ),
    ] {
        assert_eq!(
            deadline_period(&admin, groupby).await,
            expected,
            "{groupby}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_date_is_its_own_group_with_a_false_range() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    probe(&admin).await;
    let groups = group_probe(&admin, "date_deadline:week", true).await;
    assert_eq!(
        groups,
        arr(vec![st(vec![
            ("date_deadline:week", Value::Bool(false)),
            ("date_deadline_count", i(1)),
            ("expected_revenue", Value::Double(12.5)),
            (
                "__domain",
                probe_domain(vec![leaf("date_deadline", "=", Value::Bool(false))])
            ),
            (
                "__range",
                st(vec![("date_deadline:week", Value::Bool(false))])
            ),
        ])])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_granularities_are_value_errors() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    let call = |groupby: &'static str| {
        let admin = admin.clone();
        async move {
            admin
                .execute_kw(
                    "crm.lead",
                    "read_group",
                    vec![arr(vec![]), arr(vec![]), arr(vec![s(groupby)])],
                    vec![],
                )
                .await
                .expect_err("a fault")
        }
    };
    assert_eq!(
        fault_text(&call("create_date:fortnight").await),
        "ValueError: Granularity specification isn't correct: 'fortnight'"
    );
    assert_eq!(
        fault_text(&call("stage_id:day").await),
        "ValueError: Granularity set on a no-datetime field or property: 'stage_id:day'"
    );
}
