//! Behaviour beyond the recorded transcripts: every domain operator, every x2many command in full
//! and short form, `load` edge cases, access rules, hostile input, concurrency and lifecycle.

mod support;

use std::collections::HashSet;

use support::{Session, arr, i, leaf, s, st};
use taskflow_sdk::xmlrpc::{FaultCode, Value};
use taskflow_server::{Mode, TestServer};

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .expect("an id list")
        .iter()
        .map(|x| x.as_i64().expect("an id"))
        .collect()
}

async fn search(session: &Session, model: &str, domain: Vec<Value>) -> Vec<i64> {
    let found = session
        .ok(model, "search", vec![arr(domain)], vec![("order", s("id"))])
        .await;
    ids(&found)
}

fn code(f: &taskflow_sdk::xmlrpc::RawFault) -> i64 {
    match f.code {
        FaultCode::Int(c) => c,
        FaultCode::String(_) => panic!("an int code expected on /xmlrpc/2"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn domain_operators() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    let m = "crm.lead";
    // Seed: 14 and 15 belong to Deco Addict (10); 31 has 40000.0; 9, 11, 12 are archived.
    assert_eq!(
        search(&admin, m, vec![leaf("partner_id", "=", i(10))]).await,
        vec![14, 15, 26, 27]
    );
    assert!(
        !search(&admin, m, vec![leaf("partner_id", "!=", i(10))])
            .await
            .contains(&14)
    );
    assert_eq!(
        search(
            &admin,
            m,
            vec![leaf("expected_revenue", ">=", Value::Double(40000.0))]
        )
        .await,
        vec![2, 31]
    );
    assert_eq!(
        search(&admin, m, vec![leaf("expected_revenue", ">", i(35000))]).await,
        vec![2, 31]
    );
    assert_eq!(
        search(
            &admin,
            m,
            vec![
                leaf("expected_revenue", "<", i(2500)),
                leaf("type", "=", s("opportunity"))
            ]
        )
        .await,
        vec![27]
    );
    assert_eq!(
        search(
            &admin,
            m,
            vec![
                leaf("expected_revenue", "<=", i(2000)),
                leaf("type", "=", s("opportunity"))
            ]
        )
        .await,
        vec![27]
    );
    assert_eq!(
        search(&admin, m, vec![leaf("name", "like", s("Desks"))]).await,
        vec![7, 10, 18]
    );
    assert_eq!(
        search(&admin, m, vec![leaf("name", "like", s("desks"))]).await,
        vec![42]
    );
    assert_eq!(
        search(&admin, m, vec![leaf("name", "ilike", s("desks"))]).await,
        vec![7, 10, 18, 42]
    );
    assert_eq!(
        search(&admin, m, vec![leaf("name", "=like", s("Quote for%"))]).await,
        vec![2, 18, 31, 32]
    );
    assert_eq!(
        search(
            &admin,
            m,
            vec![leaf("name", "=ilike", s("quote FOR 1_0 %"))]
        )
        .await,
        vec![18, 31]
    );
    let not_like = search(&admin, m, vec![leaf("name", "not like", s("Quote"))]).await;
    let not_ilike = search(&admin, m, vec![leaf("name", "not ilike", s("quote"))]).await;
    assert!(!not_like.contains(&2) && not_like.contains(&1));
    // 28 is "Send a quote": only the case-insensitive operator excludes it.
    assert!(not_like.contains(&28) && !not_ilike.contains(&28));
    assert_eq!(not_like.len(), not_ilike.len() + 1);
    assert_eq!(
        search(
            &admin,
            m,
            vec![leaf(
                "id",
                "in",
                arr(vec![1, 2, 9].into_iter().map(i).collect())
            )]
        )
        .await,
        vec![1, 2]
    );
    let not_in = search(&admin, m, vec![leaf("id", "not in", arr(vec![i(1)]))]).await;
    assert!(!not_in.contains(&1) && not_in.contains(&2));
    // Dotted path through a many2one, and x2many membership.
    assert_eq!(
        search(&admin, m, vec![leaf("partner_id.name", "ilike", s("deco"))]).await,
        vec![14, 15, 26, 27]
    );
    assert_eq!(
        search(&admin, m, vec![leaf("tag_ids", "in", arr(vec![i(8)]))]).await,
        vec![13, 22, 28, 38]
    );
    assert_eq!(
        search(&admin, m, vec![leaf("tag_ids.name", "=", s("Other"))]).await,
        vec![13, 22, 28, 38]
    );
    // Prefix operators.
    assert_eq!(
        search(
            &admin,
            m,
            vec![s("|"), leaf("id", "=", i(1)), leaf("id", "=", i(2))]
        )
        .await,
        vec![1, 2]
    );
    assert_eq!(
        search(
            &admin,
            m,
            vec![s("&"), leaf("id", "<", i(5)), s("!"), leaf("id", "=", i(2))]
        )
        .await,
        vec![1, 3, 4]
    );
    // child_of: Deco Addict and its contacts.
    let partners = search(&admin, "res.partner", vec![leaf("id", "child_of", i(10))]).await;
    assert_eq!(partners, vec![10, 18, 19, 35]);
    // active_test: archived leads are hidden unless the context says otherwise.
    assert!(!search(&admin, m, vec![]).await.contains(&9));
    let all = admin
        .ok(
            m,
            "search",
            vec![arr(vec![])],
            vec![("context", st(vec![("active_test", Value::Bool(false))]))],
        )
        .await;
    assert!(ids(&all).contains(&9));
    assert_eq!(
        search(&admin, m, vec![leaf("active", "=", Value::Bool(false))]).await,
        vec![9, 11, 12]
    );
    // Offset, limit, order.
    let page = admin
        .ok(
            m,
            "search",
            vec![arr(vec![leaf("type", "=", s("opportunity"))])],
            vec![
                ("order", s("expected_revenue desc, id")),
                ("offset", i(1)),
                ("limit", i(2)),
            ],
        )
        .await;
    assert_eq!(ids(&page), vec![31, 13]);
    let bad = admin
        .execute_kw(
            m,
            "search",
            vec![arr(vec![])],
            vec![("order", s("nope desc"))],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&bad), 1);
    assert!(
        bad.string
            .trim_end()
            .ends_with("(optionally followed by asc/desc for the direction)")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn x2many_commands_full_and_short() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    let tags = |v: Value| ids(v.as_array().unwrap()[0].get("tag_ids").unwrap());
    let lead = admin
        .ok(
            "crm.lead",
            "create",
            vec![st(vec![("name", s("Commands"))])],
            vec![],
        )
        .await;
    let lead = lead.as_i64().unwrap();
    let write = |cmds: Vec<Value>| {
        let admin = admin.clone();
        async move {
            admin
                .ok(
                    "crm.lead",
                    "write",
                    vec![arr(vec![i(lead)]), st(vec![("tag_ids", arr(cmds))])],
                    vec![],
                )
                .await
        }
    };
    let read = || {
        let admin = admin.clone();
        async move {
            admin
                .ok(
                    "crm.lead",
                    "read",
                    vec![arr(vec![i(lead)])],
                    vec![("fields", arr(vec![s("tag_ids")]))],
                )
                .await
        }
    };
    write(vec![arr(vec![i(6), i(0), arr(vec![i(1), i(2), i(3)])])]).await;
    assert_eq!(tags(read().await), vec![1, 2, 3]);
    write(vec![
        arr(vec![i(3), i(2), i(0)]),
        arr(vec![i(4), i(5), i(0)]),
    ])
    .await;
    assert_eq!(tags(read().await), vec![1, 3, 5]);
    write(vec![arr(vec![i(0), i(0), st(vec![("name", s("Fresh"))])])]).await;
    let after_create = tags(read().await);
    assert_eq!(after_create.len(), 4);
    let fresh = *after_create.last().unwrap();
    write(vec![arr(vec![
        i(1),
        i(fresh),
        st(vec![("name", s("Renamed"))]),
    ])])
    .await;
    let names = admin
        .ok("crm.tag", "name_get", vec![arr(vec![i(fresh)])], vec![])
        .await;
    assert_eq!(names, arr(vec![arr(vec![i(fresh), s("Renamed")])]));
    write(vec![arr(vec![i(2), i(fresh), i(0)])]).await;
    assert_eq!(tags(read().await), vec![1, 3, 5]);
    assert_eq!(
        admin
            .ok("crm.tag", "read", vec![arr(vec![i(fresh)])], vec![])
            .await,
        arr(vec![]),
        "(2) deletes"
    );
    write(vec![arr(vec![i(5), i(0), i(0)])]).await;
    assert!(tags(read().await).is_empty());
    // Short forms.
    write(vec![arr(vec![i(4), i(7)]), arr(vec![i(4), i(8)])]).await;
    assert_eq!(tags(read().await), vec![7, 8]);
    write(vec![arr(vec![i(3), i(7)])]).await;
    assert_eq!(tags(read().await), vec![8]);
    write(vec![arr(vec![i(5)])]).await;
    assert!(tags(read().await).is_empty());
    // A bad command is a fault and changes nothing.
    write(vec![arr(vec![i(4), i(1)])]).await;
    let bad = admin
        .execute_kw(
            "crm.lead",
            "write",
            vec![
                arr(vec![i(lead)]),
                st(vec![(
                    "tag_ids",
                    arr(vec![arr(vec![i(4), i(2)]), arr(vec![i(9)])]),
                )]),
            ],
            vec![],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&bad), 1);
    assert_eq!(tags(read().await), vec![1]);

    // One2many: create children, update, unlink, link, replace.
    let company = admin
        .ok(
            "res.partner",
            "create",
            vec![st(vec![
                ("name", s("O2M Co")),
                ("is_company", Value::Bool(true)),
                (
                    "child_ids",
                    arr(vec![
                        arr(vec![i(0), i(0), st(vec![("name", s("Ann"))])]),
                        arr(vec![i(0), i(0), st(vec![("name", s("Bob"))])]),
                    ]),
                ),
            ])],
            vec![],
        )
        .await
        .as_i64()
        .unwrap();
    let children = || {
        let admin = admin.clone();
        async move {
            let r = admin
                .ok(
                    "res.partner",
                    "read",
                    vec![arr(vec![i(company)])],
                    vec![("fields", arr(vec![s("child_ids")]))],
                )
                .await;
            let mut c = ids(r.as_array().unwrap()[0].get("child_ids").unwrap());
            c.sort_unstable();
            c
        }
    };
    let kids = children().await;
    assert_eq!(kids.len(), 2);
    let (ann, bob) = (kids[0], kids[1]);
    let o2m = |cmds: Vec<Value>| {
        let admin = admin.clone();
        async move {
            admin
                .ok(
                    "res.partner",
                    "write",
                    vec![arr(vec![i(company)]), st(vec![("child_ids", arr(cmds))])],
                    vec![],
                )
                .await
        }
    };
    o2m(vec![arr(vec![i(3), i(bob), i(0)])]).await;
    assert_eq!(children().await, vec![ann]);
    o2m(vec![arr(vec![i(4), i(bob), i(0)])]).await;
    assert_eq!(children().await, vec![ann, bob]);
    o2m(vec![arr(vec![i(6), i(0), arr(vec![i(bob)])])]).await;
    assert_eq!(children().await, vec![bob]);
    o2m(vec![arr(vec![i(5)])]).await;
    assert!(children().await.is_empty());
    let parent = admin
        .ok(
            "res.partner",
            "read",
            vec![arr(vec![i(bob)])],
            vec![("fields", arr(vec![s("display_name"), s("parent_id")]))],
        )
        .await;
    assert_eq!(
        parent.as_array().unwrap()[0].get("parent_id"),
        Some(&Value::Bool(false))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_creates_updates_and_rejects_whole_batches() {
    let server = TestServer::start().await.unwrap();
    let demo = Session::new(&server, false);
    let header = |cols: &[&str]| arr(cols.iter().map(|c| s(c)).collect());
    let row = |cells: &[&str]| arr(cells.iter().map(|c| s(c)).collect());
    let first = demo
        .ok(
            "crm.lead",
            "load",
            vec![
                header(&[
                    "id",
                    "name",
                    "partner_id/id",
                    "tag_ids",
                    "stage_id/.id",
                    "priority",
                ]),
                arr(vec![
                    row(&[
                        "ext.one",
                        "One",
                        "base.res_partner_2",
                        "Product,Design",
                        "2",
                        "High",
                    ]),
                    row(&["two", "Two", "", "", "", "0"]),
                    row(&[
                        "ext.one",
                        "One again",
                        "base.res_partner_2",
                        "Product,Design",
                        "2",
                        "High",
                    ]),
                ]),
            ],
            vec![],
        )
        .await;
    let created = ids(first.get("ids").unwrap());
    assert_eq!(created.len(), 3);
    assert_eq!(
        created[0], created[2],
        "a repeated external id updates its record"
    );
    let read = demo
        .ok(
            "crm.lead",
            "read",
            vec![arr(vec![i(created[0])])],
            vec![(
                "fields",
                arr(vec![
                    s("name"),
                    s("partner_id"),
                    s("tag_ids"),
                    s("stage_id"),
                    s("priority"),
                ]),
            )],
        )
        .await;
    let rec = &read.as_array().unwrap()[0];
    assert_eq!(rec.get("name"), Some(&s("One again")));
    assert_eq!(
        rec.get("partner_id"),
        Some(&arr(vec![i(10), s("Deco Addict")]))
    );
    assert_eq!(rec.get("tag_ids"), Some(&arr(vec![i(1), i(5)])));
    assert_eq!(rec.get("stage_id"), Some(&arr(vec![i(2), s("Qualified")])));
    assert_eq!(
        rec.get("priority"),
        Some(&s("2")),
        "a selection label imports as its key"
    );
    // On update, an empty cell clears the field.
    demo.ok(
        "crm.lead",
        "load",
        vec![
            header(&["id", "partner_id/id"]),
            arr(vec![row(&["ext.one", ""])]),
        ],
        vec![],
    )
    .await;
    let cleared = demo
        .ok(
            "crm.lead",
            "read",
            vec![
                arr(vec![i(created[0])]),
                arr(vec![s("partner_id"), s("name")]),
            ],
            vec![],
        )
        .await;
    assert_eq!(
        cleared.as_array().unwrap()[0].get("partner_id"),
        Some(&Value::Bool(false))
    );
    assert_eq!(
        cleared.as_array().unwrap()[0].get("name"),
        Some(&s("One again"))
    );
    // Only administrators may read external ids (118).
    let xmlid = Session::new(&server, true)
        .ok(
            "ir.model.data",
            "search_read",
            vec![arr(vec![leaf("name", "=", s("two"))])],
            vec![("fields", arr(vec![s("module"), s("res_id")]))],
        )
        .await;
    assert_eq!(
        xmlid.as_array().unwrap()[0].get("module"),
        Some(&s("__import__"))
    );

    // One bad row rejects everything: no record is created or changed.
    let before = demo
        .ok("crm.lead", "search_count", vec![arr(vec![])], vec![])
        .await;
    let rejected = demo
        .ok(
            "crm.lead",
            "load",
            vec![
                header(&["id", "name", "expected_revenue", "partner_id"]),
                arr(vec![
                    row(&["ext.one", "Changed", "1", ""]),
                    row(&["ext.new", "New", "x1", ""]),
                    row(&["ext.new2", "", "2", ""]),
                    row(&["ext.new3", "New 3", "3", "Nobody At All"]),
                ]),
            ],
            vec![],
        )
        .await;
    assert_eq!(rejected.get("ids"), Some(&Value::Bool(false)));
    let messages = rejected.get("messages").unwrap().as_array().unwrap();
    assert_eq!(messages.len(), 3, "one message per bad row: {messages:?}");
    let fields: Vec<&str> = messages
        .iter()
        .map(|m| m.get("field").unwrap().as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["expected_revenue", "name", "partner_id"]);
    assert_eq!(
        messages[1].get("message"),
        Some(&s(
            "Missing required value for the field 'Opportunity' (name)"
        ))
    );
    assert_eq!(
        demo.ok("crm.lead", "search_count", vec![arr(vec![])], vec![])
            .await,
        before
    );
    let unchanged = demo
        .ok(
            "crm.lead",
            "read",
            vec![arr(vec![i(created[0])]), arr(vec![s("name")])],
            vec![],
        )
        .await;
    assert_eq!(
        unchanged.as_array().unwrap()[0].get("name"),
        Some(&s("One again"))
    );

    // An unknown column is a KeyError fault.
    let fault = demo
        .execute_kw(
            "crm.lead",
            "load",
            vec![header(&["id", "nope"]), arr(vec![row(&["x", "y"])])],
            vec![],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&fault), 1);
    assert!(fault.string.trim_end().ends_with("KeyError: 'nope'"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_rules_and_faults() {
    let server = TestServer::start().await.unwrap();
    let addr = server.addr();
    let demo = Session::new(&server, false);
    let common = "/xmlrpc/2/common";
    let auth = |login: &str, pw: &str| vec![s(server.db()), s(login), s(pw), st(vec![])];
    assert_eq!(
        support::call(addr, common, "authenticate", auth("demo", "demo")).await,
        Ok(i(6))
    );
    assert_eq!(
        support::call(addr, common, "authenticate", auth("demo", "nope")).await,
        Ok(Value::Bool(false))
    );
    assert_eq!(
        support::call(addr, common, "authenticate", auth("nobody", "x")).await,
        Ok(Value::Bool(false))
    );
    let version = support::call(addr, common, "version", vec![])
        .await
        .unwrap();
    assert_eq!(version.get("server_version"), Some(&s("9.0")));
    assert_eq!(
        version.get("server_version_info"),
        Some(&arr(vec![i(9), i(0), i(0), s("final"), i(0)]))
    );
    let dbs = support::call(addr, "/xmlrpc/2/db", "list", vec![])
        .await
        .unwrap();
    assert_eq!(dbs, arr(vec![s("demo.taskflow.co.za")]));

    // The demo user may create and write leads but not modify stages.
    let lead = demo
        .ok(
            "crm.lead",
            "create",
            vec![st(vec![("name", s("Mine"))])],
            vec![],
        )
        .await;
    demo.ok(
        "crm.lead",
        "write",
        vec![arr(vec![lead]), st(vec![("name", s("Still mine"))])],
        vec![],
    )
    .await;
    let denied = demo
        .execute_kw(
            "crm.stage",
            "write",
            vec![arr(vec![i(1)]), st(vec![("name", s("x"))])],
            vec![],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&denied), 4);
    assert!(
        denied
            .string
            .starts_with("You are not allowed to modify 'CRM Stages' (crm.stage) records.")
    );
    let denied = demo
        .execute_kw(
            "crm.stage",
            "create",
            vec![st(vec![("name", s("x"))])],
            vec![],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&denied), 4);
    assert_eq!(
        demo.ok(
            "crm.stage",
            "check_access_rights",
            vec![s("write")],
            vec![("raise_exception", Value::Bool(false))]
        )
        .await,
        Value::Bool(false)
    );
    let mut wrong = demo.clone();
    wrong.password = "wrong".into();
    let fault = wrong
        .execute_kw("crm.lead", "search", vec![arr(vec![])], vec![])
        .await
        .unwrap_err();
    assert_eq!((code(&fault), fault.string.as_str()), (3, "Access Denied"));
    let fault = demo
        .execute_kw("no.model", "search", vec![arr(vec![])], vec![])
        .await
        .unwrap_err();
    assert_eq!(
        (code(&fault), fault.string.as_str()),
        (2, "Object no.model doesn't exist")
    );
    let fault = demo
        .execute_kw("crm.lead", "_private", vec![], vec![])
        .await
        .unwrap_err();
    assert_eq!(code(&fault), 4);
    // Demo may not delete leads at all (117), so the missing record shows to an admin.
    let fault = Session::new(&server, true)
        .execute_kw("crm.lead", "unlink", vec![arr(vec![i(999_999)])], vec![])
        .await
        .unwrap_err();
    assert_eq!(code(&fault), 2);
    assert!(
        fault
            .string
            .contains("(Record: crm.lead(999999,), User: 2)")
    );
    let fault = demo
        .execute_kw(
            "crm.lead",
            "create",
            vec![st(vec![("name", s("x")), ("stage_id", i(999))])],
            vec![],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&fault), 2, "a bad many2one id is a user error");

    // Legacy endpoint: string codes.
    let body = taskflow_sdk::xmlrpc::encode_call(
        "execute_kw",
        &vec![
            s(server.db()),
            i(6),
            s("demo"),
            s("crm.lead"),
            s("write"),
            arr(vec![arr(vec![i(999_999)]), st(vec![])]),
        ],
    )
    .unwrap();
    let legacy = support::http(addr, "POST", "/xmlrpc/object", &body).await;
    assert_eq!(legacy.status, 200);
    let fault = support::decode(&legacy.body).unwrap_err();
    assert!(
        matches!(&fault.code, FaultCode::String(c) if c.starts_with("warning -- MissingError\n\n"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_input_becomes_faults_not_crashes() {
    let server = TestServer::start().await.unwrap();
    let addr = server.addr();
    let deep = format!(
        "<?xml version=\"1.0\"?><methodCall><methodName>x</methodName><params><param>{}{}</param></params></methodCall>",
        "<value><array><data>".repeat(10_000),
        "</data></array></value>".repeat(10_000)
    );
    let bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"not xml at all".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x01],
        b"<?xml version=\"1.0\"?><methodCall><methodName>execute_kw</methodName><params><param>"
            .to_vec(),
        b"<!DOCTYPE x [<!ENTITY a \"b\">]><methodCall><methodName>&a;</methodName></methodCall>"
            .to_vec(),
        deep.into_bytes(),
    ];
    for body in bodies {
        let r = support::http(addr, "POST", "/xmlrpc/2/object", &body).await;
        assert_eq!(r.status, 200);
        let fault = support::decode(&r.body).unwrap_err();
        assert_eq!(fault.code, FaultCode::Int(1));
        assert!(
            fault
                .string
                .starts_with("Traceback (most recent call last):")
        );
    }
    // Wrong argument types and counts anywhere in execute_kw.
    let calls: Vec<Vec<Value>> = vec![
        vec![],
        vec![
            s(server.db()),
            s("2"),
            s("admin"),
            s("crm.lead"),
            s("search"),
        ],
        vec![
            s(server.db()),
            i(2),
            s("admin"),
            s("crm.lead"),
            s("search"),
            s("not a list"),
        ],
        vec![
            s(server.db()),
            i(2),
            s("admin"),
            s("crm.lead"),
            s("read"),
            arr(vec![s("x")]),
        ],
        vec![
            s(server.db()),
            i(2),
            s("admin"),
            s("crm.lead"),
            s("write"),
            arr(vec![arr(vec![i(1)]), s("no")]),
        ],
        vec![
            s(server.db()),
            i(2),
            s("admin"),
            s("crm.lead"),
            s("search"),
            arr(vec![arr(vec![arr(vec![])])]),
        ],
        vec![
            s(server.db()),
            i(2),
            s("admin"),
            s("crm.lead"),
            s("create"),
            arr(vec![st(vec![("name", arr(vec![]))])]),
        ],
    ];
    for params in calls {
        let r = support::call(addr, "/xmlrpc/2/object", "execute_kw", params.clone()).await;
        assert!(r.is_err(), "{params:?} should be a fault, got {r:?}");
    }
    // Non-POST requests are HTTP errors, as on the real server.
    let get = support::http(addr, "GET", "/xmlrpc/2/object", b"").await;
    assert_eq!(get.status, 405);
    assert_eq!(get.header("allow"), Some("POST, OPTIONS"));
    // The server still answers.
    let ok = support::call(addr, "/xmlrpc/2/common", "version", vec![]).await;
    assert!(ok.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odoo_19_mode_has_no_name_get() {
    let server = TestServer::builder()
        .mode(Mode::Odoo19)
        .start()
        .await
        .unwrap();
    let admin = Session::new(&server, true);
    let version = support::call(server.addr(), "/xmlrpc/2/common", "version", vec![])
        .await
        .unwrap();
    assert_eq!(version.get("server_serie"), Some(&s("19.0")));
    assert_eq!(
        version.get("server_version_info"),
        Some(&arr(vec![i(19), i(0), i(0), s("final"), i(0), s("")]))
    );
    let fault = admin
        .execute_kw("crm.lead", "name_get", vec![arr(vec![i(1)])], vec![])
        .await
        .unwrap_err();
    assert_eq!(code(&fault), 1);
    assert!(fault.string.trim_end().ends_with(
        "AttributeError: The method 'crm.lead.name_get' does not exist" // 004
    ));
    // The replacement still works.
    let names = admin
        .ok(
            "crm.lead",
            "read",
            vec![arr(vec![i(1)])],
            vec![("fields", arr(vec![s("display_name")]))],
        )
        .await;
    assert_eq!(
        names.as_array().unwrap()[0].get("display_name"),
        Some(&s("Club Office Furnitures"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_orm_methods() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    let groups = admin
        .ok(
            "crm.lead",
            "read_group",
            vec![
                arr(vec![leaf("type", "=", s("opportunity"))]),
                arr(vec![s("expected_revenue:sum")]),
                arr(vec![s("stage_id")]),
            ],
            vec![("lazy", Value::Bool(false))],
        )
        .await;
    let groups = groups.as_array().unwrap();
    assert_eq!(groups.len(), 4);
    let total: i64 = groups
        .iter()
        .map(|g| g.get("__count").unwrap().as_i64().unwrap())
        .sum();
    let count = admin
        .ok(
            "crm.lead",
            "search_count",
            vec![arr(vec![leaf("type", "=", s("opportunity"))])],
            vec![],
        )
        .await;
    assert_eq!(Value::Int(total), count);
    assert_eq!(groups[0].get("stage_id"), Some(&arr(vec![i(1), s("New")])));
    let lazy = admin
        .ok(
            "crm.lead",
            "read_group",
            vec![arr(vec![]), arr(vec![]), arr(vec![s("priority")])],
            vec![],
        )
        .await;
    assert!(lazy.as_array().unwrap()[0].get("priority_count").is_some());

    let found = admin
        .ok(
            "res.partner",
            "name_search",
            vec![s("deco")],
            vec![("limit", i(1))],
        )
        .await;
    assert_eq!(found, arr(vec![arr(vec![i(10), s("Deco Addict")])]));
    let created = admin
        .ok("crm.tag", "name_create", vec![s("Fresh tag")], vec![])
        .await;
    assert_eq!(created.as_array().unwrap()[1], s("Fresh tag"));
    let defaults = admin
        .ok(
            "crm.lead",
            "default_get",
            vec![arr(vec![s("type"), s("user_id"), s("name")])],
            vec![],
        )
        .await;
    assert_eq!(
        defaults,
        st(vec![("type", s("opportunity")), ("user_id", i(2))])
    );
    let fields = admin
        .ok(
            "crm.lead",
            "fields_get",
            vec![arr(vec![s("fax"), s("contact_surname")])],
            vec![("attributes", arr(vec![s("string")]))],
        )
        .await;
    assert_eq!(
        fields,
        st(vec![
            (
                "contact_surname",
                st(vec![("string", s("Contact Surname"))])
            ),
            ("fax", st(vec![("string", s("Fax"))]))
        ])
    );
    // A required field cannot be cleared, and read of missing ids drops them.
    let fault = admin
        .execute_kw(
            "crm.lead",
            "write",
            vec![arr(vec![i(1)]), st(vec![("name", Value::Bool(false))])],
            vec![],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&fault), 2);
    let read = admin
        .ok(
            "crm.lead",
            "read",
            vec![arr(vec![i(1), i(424_242)]), arr(vec![s("name")])],
            vec![],
        )
        .await;
    assert_eq!(read.as_array().unwrap().len(), 1);
    // unlink removes the record and its external id.
    let loaded = admin
        .ok(
            "crm.lead",
            "load",
            vec![
                arr(vec![s("id"), s("name")]),
                arr(vec![arr(vec![s("gone.one"), s("Gone")])]),
            ],
            vec![],
        )
        .await;
    let id = ids(loaded.get("ids").unwrap())[0];
    admin
        .ok("crm.lead", "unlink", vec![arr(vec![i(id)])], vec![])
        .await;
    let left = admin
        .ok(
            "ir.model.data",
            "search_count",
            vec![arr(vec![leaf("module", "=", s("gone"))])],
            vec![],
        )
        .await;
    assert_eq!(left, i(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writes_are_not_lost() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    let target = admin
        .ok(
            "crm.lead",
            "create",
            vec![st(vec![("name", s("Shared"))])],
            vec![],
        )
        .await;
    let mut tasks = Vec::new();
    for t in 0..8 {
        let session = admin.clone();
        let target = target.clone();
        tasks.push(tokio::spawn(async move {
            let mut created = Vec::new();
            for n in 0..25 {
                let id = session
                    .ok(
                        "crm.lead",
                        "create",
                        vec![st(vec![("name", Value::String(format!("t{t} n{n}")))])],
                        vec![],
                    )
                    .await;
                created.push(id.as_i64().unwrap());
                // Every task links its own tag to the same record: each (4, id) must survive.
                if n == 0 {
                    let cmd = arr(vec![i(4), i(t + 1)]);
                    session
                        .ok(
                            "crm.lead",
                            "write",
                            vec![
                                arr(vec![target.clone()]),
                                st(vec![("tag_ids", arr(vec![cmd]))]),
                            ],
                            vec![],
                        )
                        .await;
                }
            }
            created
        }));
    }
    let mut all = HashSet::new();
    for t in tasks {
        for id in t.await.unwrap() {
            assert!(all.insert(id), "ids are unique");
        }
    }
    assert_eq!(all.len(), 200);
    let count = admin
        .ok(
            "crm.lead",
            "search_count",
            vec![arr(vec![leaf("name", "=like", s("t% n%"))])],
            vec![],
        )
        .await;
    assert_eq!(count, i(200));
    let read = admin
        .ok(
            "crm.lead",
            "read",
            vec![arr(vec![target]), arr(vec![s("tag_ids")])],
            vec![],
        )
        .await;
    assert_eq!(
        ids(read.as_array().unwrap()[0].get("tag_ids").unwrap()),
        (1..=8).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_servers_run_at_once_and_stop_on_drop() {
    let mut servers = Vec::new();
    for _ in 0..5 {
        servers.push(TestServer::start().await.unwrap());
    }
    let addrs: HashSet<_> = servers.iter().map(TestServer::addr).collect();
    assert_eq!(addrs.len(), 5);
    // Each has its own database.
    let first = Session::new(&servers[0], true);
    first
        .ok(
            "crm.tag",
            "create",
            vec![st(vec![("name", s("Only here"))])],
            vec![],
        )
        .await;
    for (n, server) in servers.iter().enumerate() {
        let session = Session::new(server, true);
        let count = session
            .ok(
                "crm.tag",
                "search_count",
                vec![arr(vec![leaf("name", "=", s("Only here"))])],
                vec![],
            )
            .await;
        assert_eq!(count, i(i64::from(n == 0)));
    }
    let addr = servers[0].addr();
    drop(servers);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "a dropped server stops listening"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one2many_reads_agree_in_bulk_and_one_by_one() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    let all = admin
        .ok("res.partner", "search", vec![arr(vec![])], vec![])
        .await;
    let all = ids(&all);
    assert!(all.len() > 16, "enough records for the bulk path");
    let fields = arr(vec![s("child_ids"), s("user_ids")]);
    let bulk = admin
        .ok(
            "res.partner",
            "read",
            vec![arr(all.iter().copied().map(i).collect()), fields.clone()],
            vec![],
        )
        .await;
    let bulk = bulk.as_array().unwrap();
    assert_eq!(bulk.len(), all.len());
    let mut with_children = 0;
    for (record, &id) in bulk.iter().zip(&all) {
        let one = admin
            .ok(
                "res.partner",
                "read",
                vec![arr(vec![i(id)]), fields.clone()],
                vec![],
            )
            .await;
        assert_eq!(&one.as_array().unwrap()[0], record, "partner {id}");
        with_children += usize::from(
            !record
                .get("child_ids")
                .unwrap()
                .as_array()
                .unwrap()
                .is_empty(),
        );
    }
    assert!(with_children >= 5, "the seed has companies with contacts");
}

/// A long `in` list of strings is hashed (see `domain::HASHED_IN_LIST`); it must select exactly
/// what the short, scanned list selects, for `in` and `not in`, and ignore empty values.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_in_lists_select_like_short_ones() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    let m = "crm.lead";
    let all = search(&admin, m, vec![]).await;
    let names = admin
        .ok(
            m,
            "read",
            vec![
                arr(all.iter().map(|&x| i(x)).collect()),
                arr(vec![s("name")]),
            ],
            vec![],
        )
        .await;
    let picked: Vec<String> = names
        .as_array()
        .unwrap()
        .iter()
        .take(3)
        .map(|r| r.get("name").and_then(Value::as_str).unwrap().to_owned())
        .collect();
    let short: Vec<Value> = picked.iter().map(|n| s(n)).collect();
    let mut long = short.clone();
    long.extend((0..40).map(|k| s(&format!("no such lead {k}"))));
    for op in ["in", "not in"] {
        let scanned = search(&admin, m, vec![leaf("name", op, arr(short.clone()))]).await;
        let hashed = search(&admin, m, vec![leaf("name", op, arr(long.clone()))]).await;
        assert_eq!(scanned, hashed, "{op}");
    }
    assert_eq!(
        search(&admin, m, vec![leaf("name", "in", arr(long))])
            .await
            .len(),
        3
    );
}

/// Ordered by id with a limit, a search stops early (see `read::search`): its pages must be the
/// same slices of the full, sorted answer, with and without an offset and a domain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn id_ordered_pages_are_slices_of_the_full_answer() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    let m = "crm.lead";
    for domain in [vec![], vec![leaf("type", "=", s("opportunity"))]] {
        let all = search(&admin, m, domain.clone()).await;
        assert!(all.len() > 8);
        for (offset, limit) in [(0, 5), (3, 5), (0, 1000), (all.len() as i64 - 2, 5)] {
            let page = admin
                .ok(
                    m,
                    "search",
                    vec![arr(domain.clone())],
                    vec![
                        ("order", s("id")),
                        ("offset", i(offset)),
                        ("limit", i(limit)),
                    ],
                )
                .await;
            let expected: Vec<i64> = all
                .iter()
                .copied()
                .skip(offset as usize)
                .take(limit as usize)
                .collect();
            assert_eq!(ids(&page), expected, "offset {offset} limit {limit}");
        }
    }
}

/// Id bounds (`id > n`, `id >= n`, as keyset paging sends them) start the scan at that id: it must
/// select what a scan of the whole table selects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn id_bounds_select_like_a_full_scan() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    let m = "res.partner";
    let all = search(&admin, m, vec![]).await;
    assert!(all.len() > 4);
    let mut sorted = all.clone();
    sorted.sort_unstable();
    let (low, mid, high) = (sorted[0], sorted[sorted.len() / 2], *sorted.last().unwrap());
    for n in [i64::MIN, low - 1, low, mid, high, high + 1, i64::MAX] {
        for op in [">", ">="] {
            let mut expected: Vec<i64> = all
                .iter()
                .copied()
                .filter(|&id| if op == ">" { id > n } else { id >= n })
                .collect();
            expected.sort_unstable();
            // Alone, beside another bound, and under a disjunction (which sets no floor).
            let domains = [
                vec![leaf("id", op, i(n))],
                vec![leaf("id", op, i(n)), leaf("id", ">=", i(low))],
                vec![s("|"), leaf("id", op, i(n)), leaf("id", "=", i(0))],
            ];
            for domain in domains {
                let page = admin
                    .ok(
                        m,
                        "search",
                        vec![arr(domain.clone())],
                        vec![("order", s("id"))],
                    )
                    .await;
                assert_eq!(ids(&page), expected, "{domain:?}");
            }
        }
    }
}

/// External-id lookups (`ir.model.data` pinned by `module` and `name`) are answered from the
/// external-id index: they must select what a scan of the table selects, in the same order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn external_id_lookups_select_like_a_scan() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    let m = "ir.model.data";
    let names = arr(vec![
        s("stage_lead2"),
        s("stage_lead1"),
        s("categ_oppor1"),
        s("no_such_name"),
        s("stage_lead1"),
    ]);
    // A disjunction around `module` keeps the index out: the same selection by a scan.
    let scan_module = |module: &str| -> Vec<Value> {
        vec![
            s("|"),
            leaf("module", "=", s(module)),
            leaf("id", "=", i(0)),
        ]
    };
    for (module, model) in [("crm", None), ("crm", Some("crm.stage")), ("base", None)] {
        let mut indexed = vec![
            leaf("module", "=", s(module)),
            leaf("name", "in", names.clone()),
        ];
        let mut scanned = scan_module(module);
        scanned.push(leaf("name", "in", names.clone()));
        if let Some(model) = model {
            indexed.push(leaf("model", "=", s(model)));
            scanned.push(leaf("model", "=", s(model)));
        }
        let by_index = search(&admin, m, indexed.clone()).await;
        assert_eq!(
            by_index,
            search(&admin, m, scanned).await,
            "{module} {model:?}"
        );
        let counted = admin
            .ok(m, "search_count", vec![arr(indexed)], vec![])
            .await;
        assert_eq!(counted.as_i64(), Some(by_index.len() as i64));
        let expected = match (module, model) {
            ("crm", None) => 3,
            ("crm", Some(_)) => 2,
            _ => 0,
        };
        assert_eq!(by_index.len(), expected, "{module} {model:?}");
    }
    let one = search(
        &admin,
        m,
        vec![
            leaf("name", "=", s("stage_lead1")),
            leaf("module", "=", s("crm")),
        ],
    )
    .await;
    assert_eq!(one.len(), 1);
}
