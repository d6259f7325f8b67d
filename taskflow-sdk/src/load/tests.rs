use super::*;

#[test]
fn external_ids_without_module_go_to_import() {
    assert_eq!(
        split_external_id("my_lead.external_id1"),
        ("my_lead", "external_id1")
    );
    assert_eq!(
        split_external_id("tf_noprefix_lead"),
        ("__import__", "tf_noprefix_lead")
    );
}

#[test]
fn messages_name_their_rows() {
    let decode = |xml: &str| -> LoadMessage {
        let body = format!(
            "<methodResponse><params><param><value>{xml}</value></param></params></methodResponse>"
        );
        match crate::xmlrpc::decode_response(body.as_bytes(), &Default::default()) {
            Ok(crate::xmlrpc::Response::Success(m)) => m,
            other => panic!("{other:?}"),
        }
    };
    let member = |k: &str, v: &str| format!("<member><name>{k}</name><value>{v}</value></member>");
    let ranged = decode(&format!(
        "<struct>{}{}{}</struct>",
        member("type", "<string>error</string>"),
        member("record", "<int>3</int>"),
        member(
            "rows",
            &format!(
                "<struct>{}{}</struct>",
                member("from", "<int>3</int>"),
                member("to", "<int>4</int>")
            )
        ),
    ));
    assert!(ranged.is_error());
    assert_eq!(ranged.covered_rows().collect::<Vec<_>>(), vec![3, 4]);
    let only_record = decode(&format!(
        "<struct>{}</struct>",
        member("record", "<int>3</int>")
    ));
    assert_eq!(only_record.covered_rows().collect::<Vec<_>>(), vec![3]);
    let warning = decode(&format!(
        "<struct>{}</struct>",
        member("type", "<string>warning</string>")
    ));
    assert!(!warning.is_error());
    assert_eq!(warning.covered_rows().count(), 0);
}

#[test]
fn row_external_ids_ignore_blank_cells() {
    let row = vec!["".to_string(), "Lead".to_string()];
    assert_eq!(row.external_id(0), None);
    let row = vec![Value::from("a.b"), Value::from("Lead")];
    assert_eq!(row.external_id(0), Some("a.b"));
}
