//! Regression tests, each named after the codec bug it pins.

use serde::Deserialize;
use serde::de::IgnoredAny;
use taskflow_sdk::xmlrpc::{self, DecodeErrorKind, Limits, Response, Value};

fn response_xml(inner: &str) -> String {
    format!(
        "<?xml version='1.0'?>\n<methodResponse><params><param>{inner}</param></params></methodResponse>\n"
    )
}

/// Skipping a member the target does not know left `</data>` open when that member was an array
/// (`<array>` and `<data>` are opened together): every `read` with a many2one the record type
/// did not declare failed with "expected </value>, found </array>" (found on fixture 023).
#[test]
fn ignored_array_member_is_skipped_to_its_end() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Lead {
        id: i64,
        name: String,
    }
    let xml = response_xml(
        "<value><array><data><value><struct>\
         <member><name>id</name><value><int>45</int></value></member>\
         <member><name>team_id</name><value><array><data><value><int>1</int></value>\
         <value><string>Sales</string></value></data></array></value></member>\
         <member><name>nested</name><value><array><data><value><array><data>\
         <value><array><data/></array></value></data></array></value></data></array></value></member>\
         <member><name>empty</name><value><array><data></data></array></value></member>\
         <member><name>name</name><value><string>Pilot</string></value></member>\
         </struct></value></data></array></value>",
    );
    let decoded: Response<Vec<Lead>> =
        xmlrpc::decode_response(xml.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(
        decoded,
        Response::Success(vec![Lead {
            id: 45,
            name: "Pilot".into()
        }])
    );

    // The same through `Option<_>`, whose value is opened before the inner type is known.
    #[derive(Debug, Deserialize)]
    struct Skipping {
        skipped: Option<IgnoredAny>,
        after: i64,
    }
    let xml = response_xml(
        "<value><struct>\
         <member><name>skipped</name><value><array><data><value><int>1</int></value></data></array></value></member>\
         <member><name>after</name><value><int>7</int></value></member>\
         </struct></value>",
    );
    let decoded: Response<Skipping> =
        xmlrpc::decode_response(xml.as_bytes(), &Limits::default()).unwrap();
    let Response::Success(skipping) = decoded else {
        panic!("expected a result");
    };
    assert!(skipping.skipped.is_some());
    assert_eq!(skipping.after, 7);
}

/// A document cut after a complete tag reported `Structure` ("expected <value>, found the end of
/// the document") although a truncated document is broken XML, a `Syntax` error (fixture 102).
#[test]
fn truncated_document_is_a_syntax_error() {
    let xml =
        b"<?xml version=\"1.0\"?><methodCall><methodName>execute_kw</methodName><params><param>";
    let err = xmlrpc::decode_call::<Vec<Value>>(xml, &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Syntax, "{err}");
    assert_eq!(
        err.message(),
        "expected <value>, found the end of the document"
    );
    assert_eq!(err.offset(), Some(xml.len() as u64));

    let xml = response_xml("<value><int>1</int></value>");
    let cut = &xml.as_bytes()[..xml.find("</param>").unwrap()];
    let err = xmlrpc::decode_response::<i64>(cut, &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Syntax, "{err}");
}

/// The path of an error at an unknown element was lost: rebuilding the path stopped with nothing
/// at the unknown tag itself, so `<bigdecimal>` deep in a record had no `params[0][1]`.
#[test]
fn unknown_element_error_carries_its_path() {
    let xml = response_xml(
        "<value><array><data><value><int>1</int></value>\
         <value><struct><member><name>amount</name><value><bigdecimal>1.0</bigdecimal></value>\
         </member></struct></value></data></array></value>",
    );
    let err = xmlrpc::decode_response::<Value>(xml.as_bytes(), &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Structure);
    assert_eq!(err.path(), Some("params[0][1].amount"));
    assert_eq!(err.offset(), Some(xml.find("<bigdecimal>").unwrap() as u64));
}

/// Values skipped for a target that ignores them (`IgnoredAny`, unknown struct members) were not
/// held to `Limits::max_depth`: the same 100,000-deep document was refused as `Value` and accepted
/// as `IgnoredAny`.
#[test]
fn skipped_values_obey_the_depth_limit() {
    #[derive(Debug, Deserialize)]
    struct OnlyId {
        #[allow(dead_code)]
        id: i64,
    }
    let deep = |depth: usize| {
        format!(
            "{}<value><int>1</int></value>{}",
            "<value><array><data>".repeat(depth),
            "</data></array></value>".repeat(depth)
        )
    };
    let limits = Limits::default().max_depth(4);
    let member = |depth: usize| {
        response_xml(&format!(
            "<value><struct><member><name>id</name><value><int>1</int></value></member>\
             <member><name>skipped</name>{}</member><member><name>empty</name>\
             {}<value><struct/></value>{}</member></struct></value>",
            deep(depth),
            "<value><array><data>".repeat(2),
            "</data></array></value>".repeat(2)
        ))
    };
    // The record is level 1: three more levels fit (`<struct/>` counts), four do not.
    let fits = xmlrpc::decode_response::<OnlyId>(member(3).as_bytes(), &limits);
    assert!(fits.is_ok(), "{fits:?}");
    let empty_too_deep = member(3).replace(
        "<value><struct/></value>",
        "<value><array><data><value><struct/></value></data></array></value>",
    );
    let err = xmlrpc::decode_response::<OnlyId>(empty_too_deep.as_bytes(), &limits).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit, "{err}");
    let err = xmlrpc::decode_response::<OnlyId>(member(4).as_bytes(), &limits).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit, "{err}");
    assert_eq!(err.path(), Some("params[0].skipped[0][0][0]"));

    let xml = response_xml(&deep(100_000));
    let err =
        xmlrpc::decode_response::<IgnoredAny>(xml.as_bytes(), &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit);
}

/// serde's default type-mismatch text led with what was found ("invalid type: string \"x\",
/// expected i64"); the codec's errors say what was expected, then what was found.
#[test]
fn type_mismatch_says_expected_then_found() {
    let xml = response_xml("<value><string>x</string></value>");
    let err = xmlrpc::decode_response::<i64>(xml.as_bytes(), &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Type);
    assert_eq!(err.message(), "expected i64, found string \"x\"");
}

/// Character references to characters XML 1.0 forbids (`&#1;`, `&#xFFFE;`) were decoded into
/// strings, where Python's expat refuses the document; only `&#0;` was refused.
#[test]
fn char_reference_to_a_forbidden_character_is_refused() {
    for reference in ["&#1;", "&#x1F;", "&#xFFFE;", "&#xFFFF;", "&#0;"] {
        let xml = response_xml(&format!("<value><string>a{reference}b</string></value>"));
        let err = xmlrpc::decode_response::<Value>(xml.as_bytes(), &Limits::default())
            .expect_err(reference);
        assert_eq!(err.kind(), DecodeErrorKind::Syntax, "{reference}: {err}");
        assert_eq!(err.offset(), Some(xml.find(reference).unwrap() as u64));
    }
    for (reference, expected) in [
        ("&#9;", "a\tb"),
        ("&#13;", "a\rb"),
        ("&#x10FFFF;", "a\u{10FFFF}b"),
    ] {
        let xml = response_xml(&format!("<value><string>a{reference}b</string></value>"));
        assert_eq!(
            xmlrpc::decode_response::<String>(xml.as_bytes(), &Limits::default()).unwrap(),
            Response::Success(expected.to_owned())
        );
    }
}
