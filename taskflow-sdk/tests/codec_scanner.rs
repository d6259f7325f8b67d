//! The decoder reads plainly written leaves (`<value><int>1</int></value>`, `<name>x</name>`,
//! `<member>`, `<value><struct>`…) straight from the bytes and everything else through quick-xml's
//! events. Both paths must decode every document to the same values and refuse the same ones.
//!
//! A space before each tag's `>` (`<value >`, `</value >`) is the same XML, but no scanner
//! matches it: decoding a document in both spellings compares the two paths.

mod codec_common;

use codec_common::fixtures;
use serde::Deserialize;
use taskflow_sdk::xmlrpc::{self, DecodeError, DecodeErrorKind, Limits, Response, Value};

/// `doc` spelled so that no byte scanner matches it (see `codec_common/spacing.rs`); the
/// documents here have no quotes in their tags.
fn spaced(doc: &str) -> String {
    codec_common::spacing::spaced(doc).expect("no quotes in tags")
}

fn value_of(doc: &str) -> Result<Value, DecodeError> {
    if doc.contains("<methodCall") {
        xmlrpc::decode_call::<Vec<Value>>(doc.as_bytes(), &Limits::default())
            .map(|call| Value::Array(call.params))
    } else {
        xmlrpc::decode_response::<Value>(doc.as_bytes(), &Limits::default()).map(|r| match r {
            Response::Success(v) => v,
            Response::Fault(f) => Value::String(f.to_string()),
        })
    }
}

fn response(value: &str) -> String {
    format!(
        "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n{value}\n</param>\n</params>\n</methodResponse>\n"
    )
}

#[test]
fn the_spelling_turns_the_scanners_off_but_keeps_the_meaning() {
    let doc = response(
        "<value><struct><member><name>a</name><value><int>1</int></value></member></struct></value>",
    );
    let spaced = spaced(&doc);
    assert!(spaced.contains("<value ><struct ><member ><name >a</name >"));
    assert_eq!(
        self::spaced("<a><![CDATA[x<y>]]><!-- <b> --><c/></a>"),
        "<a ><![CDATA[x<y>]]><!-- <b> --><c/></a >"
    );
    assert!(spaced.starts_with("<?xml version='1.0'?>"));
    assert_eq!(value_of(&doc).unwrap(), value_of(&spaced).unwrap());
}

#[test]
fn every_fixture_decodes_the_same_through_both_paths() {
    let mut compared = 0;
    for (name, bytes) in fixtures() {
        let doc = String::from_utf8(bytes).expect("fixtures are UTF-8");
        // Windows line ends: the scanner leaves text with `\r` to quick-xml, which normalizes it.
        let crlf = doc.replace('\n', "\r\n");
        let scanned = value_of(&doc);
        for (spelling, other) in [
            ("spaced", value_of(&spaced(&doc))),
            ("CRLF", value_of(&crlf)),
        ] {
            match (&scanned, &other) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{name} {spelling}"),
                // The malformed fixtures: refused by both, for the same reason.
                (Err(a), Err(b)) => assert_eq!(a.kind(), b.kind(), "{name} {spelling}: {a} / {b}"),
                _ => panic!("{name} {spelling}: {scanned:?} / {other:?}"),
            }
        }
        compared += usize::from(scanned.is_ok());
    }
    assert!(compared > 200, "only {compared} fixtures decoded");
}

/// Leaves the scanner must hand to the event path, and shapes it reads itself, in and out of
/// arrays and structs.
#[test]
fn unusual_leaves_decode_like_the_event_path() {
    let cases: &[(&str, Value)] = &[
        (
            "<value><string>a &amp; b &#x263A;</string></value>",
            Value::from("a & b \u{263A}"),
        ),
        (
            "<value><string><![CDATA[x<y]]></string></value>",
            Value::from("x<y"),
        ),
        (
            "<value><string>a<![CDATA[<b>]]>c</string></value>",
            Value::from("a<b>c"),
        ),
        ("<value><!-- note --><int>1</int></value>", Value::Int(1)),
        ("<value><int>2</int><!-- note --></value>", Value::Int(2)),
        ("<value><int><!-- note -->3</int></value>", Value::Int(3)),
        ("<value>untyped</value>", Value::from("untyped")),
        ("<value>  </value>", Value::from("  ")),
        ("<value></value>", Value::from("")),
        ("<value/>", Value::from("")),
        ("<value><string/></value>", Value::from("")),
        ("<value><string></string></value>", Value::from("")),
        ("<value><i4>-5</i4></value>", Value::Int(-5)),
        (
            "<value><ex:i8>9000000000</ex:i8></value>",
            Value::Int(9_000_000_000),
        ),
        ("<value><boolean>1</boolean></value>", Value::Bool(true)),
        ("<value><double>1.5</double></value>", Value::Double(1.5)),
        (
            "<value><base64>aGk=</base64></value>",
            Value::Base64(b"hi".to_vec()),
        ),
        ("<value><nil/></value>", Value::Nil),
        (
            "<value><string>line\r\nend</string></value>",
            Value::from("line\nend"),
        ),
        (
            "<value><array><data>\n<value><int>1</int></value>\n<value>two</value>\n</data></array></value>",
            Value::Array(vec![Value::Int(1), Value::from("two")]),
        ),
        (
            "<value><array><data/></array></value>",
            Value::Array(vec![]),
        ),
        (
            "<value><array><data></data></array></value>",
            Value::Array(vec![]),
        ),
        ("<value><struct/></value>", Value::Struct(vec![])),
        (
            "<value><struct>\n<member>\n<name>a&amp;b</name>\n<value><int>1</int></value>\n</member>\n\
             <member><name><![CDATA[c]]></name><value><string>x</string></value></member>\n\
             <member><name>d</name><value><array><data><value><int>4</int></value></data></array></value></member>\n\
             </struct></value>",
            Value::Struct(vec![
                ("a&b".into(), Value::Int(1)),
                ("c".into(), Value::from("x")),
                ("d".into(), Value::Array(vec![Value::Int(4)])),
            ]),
        ),
    ];
    for (inner, expected) in cases {
        let doc = response(inner);
        assert_eq!(value_of(&doc).as_ref(), Ok(expected), "{inner}");
        assert_eq!(
            value_of(&spaced(&doc)).as_ref(),
            Ok(expected),
            "{inner} spaced"
        );
    }
    let with_bom = format!("\u{FEFF}{}", response("<value><int>7</int></value>"));
    assert_eq!(value_of(&with_bom), Ok(Value::Int(7)));
}

#[test]
fn broken_leaves_are_refused_by_both_paths() {
    let cases = [
        "<value><string>a</int></value>",
        "<value><string>a</string></valve>",
        "<value><int>1</int>",
        "<value><struct><member><name>a</name><value><int>1</int></value></struct></value>",
        "<value><struct><member><name>a</nam><value><int>1</int></value></member></struct></value>",
        "<value><array><data><value><int>1</int></value></array></value>",
        "<value><array><data><value><int>1</int></value></data></value>",
        "<value><unknown>1</unknown></value>",
        "<value><string>a < b</string></value>",
        "<value><string>a &bogus; b</string></value>",
    ];
    for inner in cases {
        let doc = response(inner);
        assert!(value_of(&doc).is_err(), "{inner} was accepted");
        assert!(
            value_of(&spaced(&doc)).is_err(),
            "{inner} spaced was accepted"
        );
    }
}

/// Typed targets: the same values, and type errors at the offset of the scanned `<value>`.
#[test]
fn typed_decoding_agrees_and_errors_point_at_the_value() {
    #[derive(Debug, PartialEq, Deserialize)]
    struct Lead {
        id: i64,
        name: String,
        partner_id: Option<(i64, String)>,
        tag_ids: Vec<i64>,
        email_from: Option<String>,
    }
    let doc = response(
        "<value><array><data>\n<value><struct>\n\
         <member>\n<name>id</name>\n<value><int>1</int></value>\n</member>\n\
         <member>\n<name>name</name>\n<value><string>A &amp; B</string></value>\n</member>\n\
         <member>\n<name>partner_id</name>\n<value><array><data>\n<value><int>3</int></value>\n<value><string>Azure</string></value>\n</data></array></value>\n</member>\n\
         <member>\n<name>tag_ids</name>\n<value><array><data>\n<value><int>4</int></value>\n<value><int>5</int></value>\n</data></array></value>\n</member>\n\
         <member>\n<name>email_from</name>\n<value><boolean>0</boolean></value>\n</member>\n\
         <member>\n<name>extra</name>\n<value><struct><member><name>x</name><value><int>1</int></value></member></struct></value>\n</member>\n\
         </struct></value>\n</data></array></value>",
    );
    let expected = vec![Lead {
        id: 1,
        name: "A & B".into(),
        partner_id: Some((3, "Azure".into())),
        tag_ids: vec![4, 5],
        email_from: None,
    }];
    for doc in [doc.clone(), spaced(&doc)] {
        let decoded = xmlrpc::decode_response::<Vec<Lead>>(doc.as_bytes(), &Limits::default());
        assert!(
            matches!(decoded, Ok(Response::Success(ref v)) if *v == expected),
            "{decoded:?}"
        );
    }

    let bad = response(
        "<value><struct>\n<member>\n<name>id</name>\n<value><int>x1</int></value>\n</member>\n</struct></value>",
    );
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Id {
        id: i64,
    }
    for doc in [bad.clone(), spaced(&bad)] {
        let err = xmlrpc::decode_response::<Id>(doc.as_bytes(), &Limits::default()).unwrap_err();
        let value_at = doc
            .find("<value><int>")
            .or_else(|| doc.find("<value ><int >"))
            .unwrap();
        assert_eq!(err.kind(), DecodeErrorKind::Type, "{err}");
        assert_eq!(err.offset(), Some(value_at as u64), "{err}");
        assert_eq!(err.path(), Some("params[0].id"), "{err}");
    }
}
