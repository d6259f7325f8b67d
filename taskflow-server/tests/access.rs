//! A normal user's rights, the "own documents only" record rule, the model registry and the
//! version-19 mode, checked by value against the recordings (odoo-17 115-140,
//! `access-matrix.json`; odoo-19-xmlrpc 001, 004, 011).

mod support;

use std::path::PathBuf;

use support::{Session, arr, i, leaf, s, st};
use taskflow_sdk::xmlrpc::{FaultCode, RawFault, Value};
use taskflow_server::{Mode, TestServer};

fn fixture(dir: &str, name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(dir)
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fault recorded in `odoo-17/<stem>.response.xml`.
fn recorded_fault(stem: &str) -> RawFault {
    support::decode(&fixture("odoo-17", &format!("{stem}.response.xml")))
        .expect_err("the recording is a fault")
}

fn code(f: &RawFault) -> i64 {
    match f.code {
        FaultCode::Int(c) => c,
        FaultCode::String(_) => panic!("a string code: {f:?}"),
    }
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn access_rights_are_the_recorded_matrix() {
    let server = TestServer::start().await.unwrap();
    let matrix: serde_json::Value =
        serde_json::from_slice(&fixture("odoo-17", "access-matrix.json")).unwrap();
    let mut checked = 0;
    for (login, admin) in [("demo", false), ("admin", true)] {
        let user = Session::new(&server, admin);
        let models = matrix[login].as_object().unwrap();
        assert_eq!(models.len(), 6);
        for (model, ops) in models {
            for (op, allowed) in ops.as_object().unwrap() {
                let answer = user
                    .ok(
                        model,
                        "check_access_rights",
                        vec![s(op)],
                        vec![("raise_exception", Value::Bool(false))],
                    )
                    .await;
                assert_eq!(
                    answer,
                    Value::Bool(allowed.as_bool().unwrap()),
                    "{login}: {op} on {model}"
                );
                checked += 1;
            }
        }
        // The model registry is for administrators only (139).
        for op in ["read", "write", "create", "unlink"] {
            let answer = user
                .ok(
                    "ir.model",
                    "check_access_rights",
                    vec![s(op)],
                    vec![("raise_exception", Value::Bool(false))],
                )
                .await;
            assert_eq!(answer, Value::Bool(admin), "{login}: {op} on ir.model");
        }
    }
    assert_eq!(checked, 48);
}

#[tokio::test]
async fn refusals_carry_the_recorded_texts() {
    let server = TestServer::start().await.unwrap();
    let demo = Session::new(&server, false);
    for (stem, model, method, args) in [
        (
            "118-demo-ir-model-data-search-count",
            "ir.model.data",
            "search_count",
            vec![arr(vec![])],
        ),
        (
            "136-demo-ir-model-search-read",
            "ir.model",
            "search_read",
            vec![arr(vec![])],
        ),
        (
            "137-demo-ir-model-search-count",
            "ir.model",
            "search_count",
            vec![arr(vec![])],
        ),
        (
            "090-err-demo-write-stage",
            "crm.stage",
            "write",
            vec![arr(vec![i(1)]), st(vec![("name", s("x"))])],
        ),
    ] {
        let fault = demo
            .execute_kw(model, method, args, vec![])
            .await
            .unwrap_err();
        assert_eq!(fault, recorded_fault(stem), "{stem}");
    }
    // Not recorded: deleting a lead or a tag, refused as 090 refuses writing a stage.
    for (model, description) in [("crm.lead", "Lead/Opportunity"), ("crm.tag", "CRM Tag")] {
        let fault = demo
            .execute_kw(model, "unlink", vec![arr(vec![i(1)])], vec![])
            .await
            .unwrap_err();
        assert_eq!(code(&fault), 4);
        assert_eq!(
            fault.string,
            format!(
                "You are not allowed to delete '{description}' ({model}) records.\n\n\
                 This operation is allowed for the following groups:\n\t- Sales/Administrator\n\n\
                 Contact your administrator to request access if necessary."
            )
        );
    }
    // Nothing was deleted, and an administrator may.
    let admin = Session::new(&server, true);
    assert_eq!(
        admin
            .ok("crm.tag", "unlink", vec![arr(vec![i(8)])], vec![])
            .await,
        Value::Bool(true)
    );
    let left = admin
        .ok(
            "crm.lead",
            "search_count",
            vec![arr(vec![leaf("id", "=", i(1))])],
            vec![],
        )
        .await;
    assert_eq!(left, i(1));
}

#[tokio::test]
async fn nested_commands_need_the_rights_on_the_comodel() {
    let server = TestServer::start().await.unwrap();
    let demo = Session::new(&server, false);
    let own = demo
        .ok(
            "crm.lead",
            "create",
            vec![st(vec![("name", s("Mine"))])],
            vec![],
        )
        .await;
    // Demo may create tags through a lead, but not delete one (command 2).
    demo.ok(
        "crm.lead",
        "write",
        vec![
            arr(vec![own.clone()]),
            st(vec![(
                "tag_ids",
                arr(vec![arr(vec![i(0), i(0), st(vec![("name", s("Fresh"))])])]),
            )]),
        ],
        vec![],
    )
    .await;
    let fault = demo
        .execute_kw(
            "crm.lead",
            "write",
            vec![
                arr(vec![own]),
                st(vec![("tag_ids", arr(vec![arr(vec![i(2), i(1)])]))]),
            ],
            vec![],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&fault), 4);
    assert!(
        fault
            .string
            .starts_with("You are not allowed to delete 'CRM Tag' (crm.tag) records."),
        "{}",
        fault.string
    );
}

/// Every lead's owner, as the administrator sees them: `(id, user id or 0)`.
async fn owners(admin: &Session, active_test: bool) -> Vec<(i64, i64)> {
    let rows = admin
        .ok(
            "crm.lead",
            "search_read",
            vec![arr(vec![])],
            vec![
                ("fields", arr(vec![s("user_id")])),
                (
                    "context",
                    st(vec![("active_test", Value::Bool(active_test))]),
                ),
            ],
        )
        .await;
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let user = match r.get("user_id").unwrap() {
                Value::Array(pair) => pair[0].as_i64().unwrap(),
                _ => 0,
            };
            (r.get("id").unwrap().as_i64().unwrap(), user)
        })
        .collect()
}

#[tokio::test]
async fn demo_sees_own_and_unassigned_leads_only() {
    let server = TestServer::start().await.unwrap();
    let (admin, demo) = (Session::new(&server, true), Session::new(&server, false));
    let demo_uid = server.demo().uid;
    for active_test in [true, false] {
        let all = owners(&admin, active_test).await;
        let mut visible: Vec<i64> = all
            .iter()
            .filter(|(_, user)| *user == demo_uid || *user == 0)
            .map(|(id, _)| *id)
            .collect();
        visible.sort_unstable();
        // The seed has leads of another salesperson and unassigned ones (119-121).
        assert!(all.iter().any(|(_, u)| *u != demo_uid && *u != 0));
        assert!(all.iter().any(|(_, u)| *u == 0));
        let context = || {
            (
                "context",
                st(vec![("active_test", Value::Bool(active_test))]),
            )
        };
        let count = demo
            .ok(
                "crm.lead",
                "search_count",
                vec![arr(vec![])],
                vec![context()],
            )
            .await;
        assert_eq!(count, i(visible.len() as i64), "active_test={active_test}");
        assert!(visible.len() < all.len());
        let mut found = ids(&demo
            .ok("crm.lead", "search", vec![arr(vec![])], vec![context()])
            .await);
        found.sort_unstable();
        assert_eq!(found, visible);
        let named = demo
            .ok(
                "crm.lead",
                "name_search",
                vec![s("")],
                vec![("limit", i(1000))],
            )
            .await;
        assert!(
            named
                .as_array()
                .unwrap()
                .iter()
                .all(|pair| visible.contains(&pair.as_array().unwrap()[0].as_i64().unwrap()))
        );
        let groups = demo
            .ok(
                "crm.lead",
                "read_group",
                vec![
                    arr(vec![]),
                    arr(vec![s("user_id")]),
                    arr(vec![s("user_id")]),
                ],
                vec![context()],
            )
            .await;
        let grouped: i64 = groups
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g.get("user_id_count").unwrap().as_i64().unwrap())
            .sum();
        assert_eq!(grouped, visible.len() as i64);
    }
}

#[tokio::test]
async fn demo_may_not_read_or_write_another_salespersons_lead() {
    let server = TestServer::start().await.unwrap();
    let (admin, demo) = (Session::new(&server, true), Session::new(&server, false));
    // 122, as recorded: a lead of another salesperson.
    let other = ids(&admin
        .ok(
            "crm.lead",
            "search",
            vec![arr(vec![
                leaf("user_id", "not in", arr(vec![i(server.demo().uid)])),
                leaf("user_id", "!=", Value::Bool(false)),
            ])],
            vec![("limit", i(1))],
        )
        .await)[0];
    let read = demo
        .execute_kw(
            "crm.lead",
            "read",
            vec![arr(vec![i(other)]), arr(vec![s("name")])],
            vec![],
        )
        .await
        .unwrap_err();
    assert_eq!(
        read,
        recorded_fault("123-rules-demo-read-other-salespersons-lead")
    );
    let write = demo
        .execute_kw(
            "crm.lead",
            "write",
            vec![arr(vec![i(other)]), st(vec![("name", s("x"))])],
            vec![],
        )
        .await
        .unwrap_err();
    // A write, refused as a read, as recorded.
    assert_eq!(
        write,
        recorded_fault("124-rules-demo-write-other-salespersons-lead")
    );
    let name = demo
        .execute_kw("crm.lead", "name_get", vec![arr(vec![i(other)])], vec![])
        .await
        .unwrap_err();
    assert_eq!(code(&name), 4);
    // The lead is unchanged.
    let unchanged = admin
        .ok(
            "crm.lead",
            "read",
            vec![arr(vec![i(other)]), arr(vec![s("name")])],
            vec![],
        )
        .await;
    assert_ne!(unchanged.as_array().unwrap()[0].get("name"), Some(&s("x")));

    // Own and unassigned leads read and write fine.
    let own = demo
        .ok(
            "crm.lead",
            "create",
            vec![st(vec![("name", s("Own"))])],
            vec![],
        )
        .await;
    let unassigned = admin
        .ok(
            "crm.lead",
            "create",
            vec![st(vec![
                ("name", s("Nobody's")),
                ("user_id", Value::Bool(false)),
            ])],
            vec![],
        )
        .await;
    for id in [own, unassigned] {
        demo.ok(
            "crm.lead",
            "write",
            vec![arr(vec![id.clone()]), st(vec![("name", s("Edited"))])],
            vec![],
        )
        .await;
        let rows = demo
            .ok(
                "crm.lead",
                "read",
                vec![arr(vec![id]), arr(vec![s("name")])],
                vec![],
            )
            .await;
        assert_eq!(rows.as_array().unwrap()[0].get("name"), Some(&s("Edited")));
    }
}

#[tokio::test]
async fn demo_may_not_create_or_load_into_another_salespersons_lead() {
    let server = TestServer::start().await.unwrap();
    let (admin, demo) = (Session::new(&server, true), Session::new(&server, false));
    let admin_uid = server.admin().uid;
    let before = admin
        .ok("crm.lead", "search_count", vec![arr(vec![])], vec![])
        .await;
    let fault = demo
        .execute_kw(
            "crm.lead",
            "create",
            vec![st(vec![
                ("name", s("For admin")),
                ("user_id", i(admin_uid)),
            ])],
            vec![],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&fault), 4);
    assert!(
        fault
            .string
            .contains("doesn't have 'create' access to:\n- Lead/Opportunity (crm.lead)")
    );
    assert_eq!(
        admin
            .ok("crm.lead", "search_count", vec![arr(vec![])], vec![])
            .await,
        before
    );
    // A load may create demo's leads (125, 126), but not update an administrator's.
    let header = arr(vec![s("id"), s("name")]);
    let first = demo
        .ok(
            "crm.lead",
            "load",
            vec![
                header.clone(),
                arr(vec![arr(vec![s("rules.one"), s("One")])]),
            ],
            vec![],
        )
        .await;
    assert_eq!(first.get("messages"), Some(&arr(vec![])));
    let id = ids(first.get("ids").unwrap())[0];
    admin
        .ok(
            "crm.lead",
            "write",
            vec![arr(vec![i(id)]), st(vec![("user_id", i(admin_uid))])],
            vec![],
        )
        .await;
    let again = demo
        .ok(
            "crm.lead",
            "load",
            vec![header, arr(vec![arr(vec![s("rules.one"), s("Changed")])])],
            vec![],
        )
        .await;
    assert_eq!(again.get("ids"), Some(&Value::Bool(false)));
    let message = &again.get("messages").unwrap().as_array().unwrap()[0];
    assert_eq!(message.get("type"), Some(&s("error")));
    assert!(
        message
            .get("message")
            .and_then(Value::as_str)
            .unwrap()
            .contains("doesn't have 'read' access to:")
    );
    let name = admin
        .ok(
            "crm.lead",
            "read",
            vec![arr(vec![i(id)]), arr(vec![s("name")])],
            vec![],
        )
        .await;
    assert_eq!(name.as_array().unwrap()[0].get("name"), Some(&s("One")));
}

#[tokio::test]
async fn the_model_registry_is_recorded_and_lists_every_model() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    // fields_get as recorded in 135: the same fields with the same attributes.
    let request = support::decode_call(&fixture("odoo-17", "135-ir-model-fields-get.request.xml"));
    let attributes = request[6].get("attributes").unwrap().clone();
    let fields = admin
        .ok(
            "ir.model",
            "fields_get",
            vec![],
            vec![("attributes", attributes)],
        )
        .await;
    let recorded =
        support::decode(&fixture("odoo-17", "135-ir-model-fields-get.response.xml")).unwrap();
    let sorted = |v: &Value| {
        let Value::Struct(members) = v else {
            panic!("not a struct: {v:?}")
        };
        let mut members = members.clone();
        members.sort_by(|a, b| a.0.cmp(&b.0));
        members
    };
    assert_eq!(sorted(&fields), sorted(&recorded));

    // The records of 140, as recorded (ids, descriptions, modules, docstrings).
    let request = support::decode_call(&fixture(
        "odoo-17",
        "140-admin-ir-model-search-read.request.xml",
    ));
    let rows = admin
        .ok(
            "ir.model",
            "search_read",
            request[5].as_array().unwrap().to_vec(),
            match &request[6] {
                Value::Struct(m) => m.iter().map(|(k, v)| (k.as_str(), v.clone())).collect(),
                _ => vec![],
            },
        )
        .await;
    let recorded = support::decode(&fixture(
        "odoo-17",
        "140-admin-ir-model-search-read.response.xml",
    ))
    .unwrap();
    assert_eq!(sorted_rows(&rows), sorted_rows(&recorded));

    // One record per model served: every model answers fields_get.
    let all = admin
        .ok(
            "ir.model",
            "search_read",
            vec![arr(vec![])],
            vec![("fields", arr(vec![s("model")]))],
        )
        .await;
    let names: Vec<String> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.get("model").unwrap().as_str().unwrap().to_owned())
        .collect();
    assert!(names.len() > 6 && names.contains(&"ir.model".to_owned()));
    for name in &names {
        let fields = admin.ok(name, "fields_get", vec![], vec![]).await;
        assert!(fields.get("id").is_some(), "{name}");
    }
    assert_eq!(
        admin
            .ok("ir.model", "search_count", vec![arr(vec![])], vec![])
            .await,
        i(names.len() as i64)
    );
}

fn sorted_rows(v: &Value) -> Vec<Vec<(String, Value)>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| match r {
            Value::Struct(m) => {
                let mut m = m.clone();
                m.sort_by(|a, b| a.0.cmp(&b.0));
                m
            }
            other => panic!("not a record: {other:?}"),
        })
        .collect()
}

#[tokio::test]
async fn odoo_19_mode_answers_as_recorded() {
    let server = TestServer::builder()
        .mode(Mode::Odoo19)
        .start()
        .await
        .unwrap();
    let version = support::call(server.addr(), "/xmlrpc/2/common", "version", vec![])
        .await
        .unwrap();
    let recorded = support::decode(&fixture(
        "odoo-19-xmlrpc",
        "001-common-version.response.xml",
    ))
    .unwrap();
    assert_eq!(version, recorded);
    let admin = Session::new(&server, true);
    for (stem, method) in [
        ("004-crm-lead-name-get-removed", "name_get"),
        ("011-unknown-method", "no_such_method"),
    ] {
        let fault = admin
            .execute_kw("crm.lead", method, vec![arr(vec![i(1)])], vec![])
            .await
            .unwrap_err();
        let recorded = support::decode(&fixture("odoo-19-xmlrpc", &format!("{stem}.response.xml")))
            .unwrap_err();
        assert_eq!(fault.code, recorded.code, "{stem}");
        assert_eq!(
            fault.string.trim_end().lines().last(),
            recorded.string.trim_end().lines().last(),
            "{stem}"
        );
    }
    // The replacement of name_get still answers.
    let names = admin
        .ok(
            "crm.lead",
            "read",
            vec![arr(vec![i(1)]), arr(vec![s("display_name")])],
            vec![],
        )
        .await;
    assert!(names.as_array().unwrap()[0].get("display_name").is_some());
}
