//! Unit tests of the codec's framing and conventions; fixture, interop and property tests live in
//! the crate's `tests/` folder.

use serde::Deserialize;

use super::*;

fn response<T: DeserializeOwned>(inner: &str) -> Result<Response<T>, DecodeError> {
    let xml = format!(
        "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n{inner}\n</param>\n</params>\n</methodResponse>\n"
    );
    decode_response(xml.as_bytes(), &Limits::default())
}

fn ok<T: DeserializeOwned + std::fmt::Debug>(inner: &str) -> T {
    match response(inner) {
        Ok(Response::Success(v)) => v,
        other => panic!("expected success, got {other:?}"),
    }
}

#[test]
fn scalars_decode_into_value() {
    assert_eq!(ok::<Value>("<value><int>42</int></value>"), Value::Int(42));
    assert_eq!(ok::<Value>("<value><i4>-7</i4></value>"), Value::Int(-7));
    assert_eq!(
        ok::<Value>("<value><i8>9007199254740993</i8></value>"),
        Value::Int(9007199254740993)
    );
    assert_eq!(
        ok::<Value>("<value><boolean>1</boolean></value>"),
        Value::Bool(true)
    );
    assert_eq!(
        ok::<Value>("<value><double>-1.5</double></value>"),
        Value::Double(-1.5)
    );
    assert_eq!(
        ok::<Value>("<value>plain</value>"),
        Value::String("plain".into())
    );
    assert_eq!(
        ok::<Value>("<value><string/></value>"),
        Value::String(String::new())
    );
    assert_eq!(ok::<Value>("<value/>"), Value::String(String::new()));
    assert_eq!(ok::<Value>("<value><nil/></value>"), Value::Nil);
    assert_eq!(ok::<Value>("<value><ex:nil/></value>"), Value::Nil);
    assert_eq!(
        ok::<Value>("<value><dateTime.iso8601>20261130T07:37:41</dateTime.iso8601></value>"),
        Value::DateTime("20261130T07:37:41".into())
    );
    assert_eq!(
        ok::<Value>("<value><base64>aGk=</base64></value>"),
        Value::Base64(b"hi".to_vec())
    );
}

#[test]
fn text_pieces_are_joined() {
    assert_eq!(
        ok::<String>(
            "<value><string>a &lt;b&gt; &amp; <![CDATA[<c>]]>&#233;&#x41;<!-- x -->z</string></value>"
        ),
        "a <b> & <c>éAz"
    );
}

#[test]
fn false_is_none_for_options_but_not_for_option_bool() {
    assert_eq!(
        ok::<Option<String>>("<value><boolean>0</boolean></value>"),
        None
    );
    assert_eq!(
        ok::<Option<bool>>("<value><boolean>0</boolean></value>"),
        Some(false)
    );
    assert_eq!(ok::<Option<i64>>("<value><int>3</int></value>"), Some(3));
    let err = response::<String>("<value><boolean>0</boolean></value>").unwrap_err();
    assert!(err.message().contains("Option<_>"), "{err}");
}

#[test]
fn integral_double_fits_integer() {
    assert_eq!(
        ok::<i64>("<value><double>3000000000.0</double></value>"),
        3_000_000_000
    );
    assert!(response::<i64>("<value><double>1.5</double></value>").is_err());
}

#[test]
fn as_f64_reads_what_the_codec_decodes_into_f64() {
    for xml in [
        "<value><double>-1.5</double></value>",
        "<value><int>3</int></value>",
        "<value><i8>9007199254740993</i8></value>",
    ] {
        let value = ok::<Value>(xml);
        assert_eq!(value.as_f64(), Some(ok::<f64>(xml)), "{xml}");
    }
    // Beyond 2^53 an integer rounds to the nearest double.
    assert_eq!(
        Value::Int(9007199254740993).as_f64(),
        Some(9007199254740992.0)
    );
    assert_eq!(Value::Bool(false).as_f64(), None);
    assert_eq!(Value::from("1.5").as_f64(), None);
}

#[test]
fn many2one_pair_fits_tuple_and_struct() {
    #[derive(Deserialize, Debug, PartialEq)]
    struct Pair {
        id: i64,
        name: String,
    }
    let xml = "<value><array><data><value><int>1</int></value><value><string>YourCompany</string></value></data></array></value>";
    assert_eq!(ok::<(i64, String)>(xml), (1, "YourCompany".to_string()));
    assert_eq!(
        ok::<Pair>(xml),
        Pair {
            id: 1,
            name: "YourCompany".into()
        }
    );
}

#[test]
fn errors_carry_path_and_offset() {
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Rec {
        id: i64,
        partner_id: (i64, String),
    }
    let xml = "<value><array><data>\
        <value><struct><member><name>id</name><value><int>1</int></value></member>\
        <member><name>partner_id</name><value><array><data><value><int>1</int></value><value><string>a</string></value></data></array></value></member></struct></value>\
        <value><struct><member><name>id</name><value><int>2</int></value></member>\
        <member><name>partner_id</name><value><string>oops</string></value></member></struct></value>\
        </data></array></value>";
    let err = response::<Vec<Rec>>(xml).unwrap_err();
    assert_eq!(err.path(), Some("params[0][1].partner_id"), "{err}");
    assert!(err.offset().is_some());
    assert!(err.to_string().contains("oops"), "{err}");
}

#[test]
fn fault_is_framed() {
    let xml = b"<methodResponse><fault><value><struct>\
        <member><name>faultCode</name><value><int>3</int></value></member>\
        <member><name>faultString</name><value><string>Access Denied</string></value></member>\
        </struct></value></fault></methodResponse>";
    let r: Response<Value> = decode_response(xml, &Limits::default()).unwrap();
    assert_eq!(
        r,
        Response::Fault(RawFault {
            code: FaultCode::Int(3),
            string: "Access Denied".into()
        })
    );
}

#[test]
fn call_roundtrip() {
    let body = encode_call(
        "execute_kw",
        &("db", 2, "pw", "crm.lead", "read", vec![vec![45]]),
    )
    .unwrap();
    let call: MethodCall<Vec<Value>> = decode_call(&body, &Limits::default()).unwrap();
    assert_eq!(call.method, "execute_kw");
    assert_eq!(call.params.len(), 6);
    assert_eq!(
        call.params[5],
        Value::Array(vec![Value::Array(vec![Value::Int(45)])])
    );
    let empty: MethodCall<Vec<Value>> =
        decode_call(&encode_call("version", &()).unwrap(), &Limits::default()).unwrap();
    assert!(empty.params.is_empty());
}

#[test]
fn calls_send_strings_bare_and_responses_answer_them_typed() {
    let texts = [
        "",
        " ",
        "\n\t",
        "  padded  ",
        "a<b>&c",
        "ünï 🦀",
        "crm.lead",
    ];
    let body = encode_call("echo", &texts).unwrap();
    let xml = String::from_utf8(body.clone()).unwrap();
    assert!(
        xml.contains("<param><value>crm.lead</value></param>"),
        "{xml}"
    );
    assert!(xml.contains("<param><value></value></param>"), "{xml}");
    assert!(!xml.contains("<string>"), "{xml}");
    // Bare text is a string, whitespace and all, when read back.
    let call: MethodCall<Vec<String>> = decode_call(&body, &Limits::default()).unwrap();
    assert_eq!(call.params, texts);
    let values: MethodCall<Vec<Value>> = decode_call(&body, &Limits::default()).unwrap();
    assert!(values.params.iter().all(|v| matches!(v, Value::String(_))));

    let answer = String::from_utf8(encode_response(&texts).unwrap()).unwrap();
    assert!(
        answer.contains("<value><string>crm.lead</string></value>"),
        "{answer}"
    );
}

#[test]
fn raw_control_characters_are_refused_on_every_path() {
    // Plain markup (the byte scanner), spaced markup (quick-xml events), untyped values, CDATA
    // and member names: each refuses U+0001 with its offset, as Python's expat does.
    for doc in [
        "<value><string>a\u{1}b</string></value>",
        "<value ><string >a\u{1}b</string ></value >",
        "<value>a\u{1}b</value>",
        "<value><string><![CDATA[a\u{1}b]]></string></value>",
        "<value><struct><member><name>a\u{1}b</name><value><int>1</int></value></member></struct></value>",
        "<value><struct><member ><name >a\u{1}b</name ><value><int>1</int></value></member></struct></value>",
        "<value><array><data>\u{1f}<value><int>1</int></value></data></array></value>",
    ] {
        let err = response::<Value>(doc).expect_err(doc);
        assert_eq!(err.kind(), DecodeErrorKind::Syntax, "{doc}: {err}");
        assert!(
            err.to_string().contains("U+0001") || err.to_string().contains("U+001F"),
            "{err}"
        );
        assert!(err.offset().is_some(), "{doc}: {err}");
    }
    // Tab, line feed and carriage return are text like any other.
    assert_eq!(
        ok::<String>("<value><string>a\tb\nc</string></value>"),
        "a\tb\nc"
    );
}

#[test]
fn integers_parse_alike_on_the_digits_fast_path_and_off_it() {
    for (text, expected) in [
        ("0", 0),
        ("007", 7),
        ("999999999999999999", 999_999_999_999_999_999),
        ("9223372036854775807", i64::MAX),
        ("-9223372036854775808", i64::MIN),
        ("+3", 3),
        (" 42\n", 42),
    ] {
        let doc = format!("<value><i8>{text}</i8></value>");
        assert_eq!(ok::<i64>(&doc), expected, "{text:?}");
    }
    for text in ["", "1a", "9223372036854775808", "١٢"] {
        let doc = format!("<value><int>{text}</int></value>");
        assert_eq!(
            response::<i64>(&doc).unwrap_err().kind(),
            DecodeErrorKind::Type,
            "{text:?}"
        );
    }
}

#[test]
fn doctype_and_unknown_entities_are_refused() {
    let xml = b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><methodResponse/>";
    let err = decode_response::<Value>(xml, &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Forbidden);
    let err = response::<String>("<value><string>&a;</string></value>").unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Forbidden);
}

#[test]
fn depth_limit_stops_deep_nesting() {
    let depth = 1000;
    let inner = "<value><array><data>".repeat(depth) + &"</data></array></value>".repeat(depth);
    let err = response::<Value>(&inner).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit);
}

#[test]
fn to_value_and_from_value_mirror_the_codec() {
    #[derive(serde::Serialize, Deserialize, Debug, PartialEq)]
    struct Rec {
        name: String,
        email: Option<String>,
        ids: Vec<i64>,
    }
    let v = to_value(&Rec {
        name: "x".into(),
        email: None,
        ids: vec![1, 2],
    })
    .unwrap();
    assert_eq!(
        v,
        Value::Struct(vec![
            ("name".into(), Value::String("x".into())),
            ("email".into(), Value::Nil),
            (
                "ids".into(),
                Value::Array(vec![Value::Int(1), Value::Int(2)])
            ),
        ])
    );
    let back: Rec = from_value(Value::Struct(vec![
        ("name".into(), Value::String("x".into())),
        ("email".into(), Value::Bool(false)),
        (
            "ids".into(),
            Value::Array(vec![Value::Double(1.0), Value::Int(2)]),
        ),
    ]))
    .unwrap();
    assert_eq!(
        back,
        Rec {
            name: "x".into(),
            email: None,
            ids: vec![1, 2]
        }
    );
}
