//! Hostile and broken input: errors, never panics, stack overflows or unbounded work.

mod codec_common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use codec_common::fixtures;
use serde::Deserialize;
use taskflow_sdk::xmlrpc::{self, DecodeError, DecodeErrorKind, Limits, Response, Value};

/// Decodes a fixture the way its kind asks for, as `Value`s.
fn decode(name: &str, bytes: &[u8]) -> Result<Value, DecodeError> {
    let limits = Limits::default();
    if name.ends_with(".request.xml") {
        xmlrpc::decode_call::<Vec<Value>>(bytes, &limits).map(|call| Value::Array(call.params))
    } else {
        xmlrpc::decode_response::<Value>(bytes, &limits).map(|response| match response {
            Response::Success(value) => value,
            Response::Fault(fault) => Value::String(fault.to_string()),
        })
    }
}

/// One fixture as the cut test needs it.
struct Cuttable {
    name: String,
    bytes: Vec<u8>,
    /// Cuts before this offset leave the closing root tag incomplete.
    root_closed: usize,
    full: Result<Value, DecodeError>,
}

/// Checks `file` cut at `cut`, that is its prefix `&bytes[..cut]`, with the real decoder.
fn check_cut(file: &Cuttable, cut: usize) -> Result<(), String> {
    let name = &file.name;
    let result = catch_unwind(AssertUnwindSafe(|| decode(name, &file.bytes[..cut])))
        .map_err(|_| format!("{name} cut at byte {cut}: the decoder panicked"))?;
    if cut < file.root_closed {
        let err = result
            .err()
            .ok_or_else(|| format!("{name} cut at byte {cut} decoded"))?;
        if !matches!(
            err.kind(),
            DecodeErrorKind::Syntax | DecodeErrorKind::Forbidden
        ) {
            return Err(format!(
                "{name} cut at byte {cut}: {err} ({:?})",
                err.kind()
            ));
        }
    } else if result != file.full {
        return Err(format!(
            "{name} cut at byte {cut}, in trailing space: {result:?} is not {:?}",
            file.full
        ));
    }
    Ok(())
}

/// Issue #2: every fixture cut at every byte offset, 545,779 prefixes in all, is decoded by the
/// real decoder and gives an `Err` of kind syntax or forbidden (or, past the last `>`, the whole
/// document), never a panic or a stack overflow.
///
/// Each cut decodes its whole prefix (the decoder streams; on an error it walks the prefix once
/// more for the error's path), so the cuts cost about 23 GB of decoding, nearly all of it in the
/// three `*fields-get*` responses of 158, 134 and 50 KB. The root `Cargo.toml` optimises
/// taskflow-sdk, quick-xml and memchr in the dev profile for that, and the cuts are spread over
/// all cores, in chunks of neighbouring cuts handed out largest first.
#[test]
fn every_fixture_cut_at_every_byte_offset_is_an_error() {
    const CHUNK: usize = 256;
    let files: Vec<Cuttable> = fixtures()
        .into_iter()
        .map(|(name, bytes)| {
            // Cuts up to and including the last `>` leave the closing root tag incomplete: those
            // must fail. Later cuts only drop trailing whitespace and must still give the whole
            // document.
            let root_closed = bytes.iter().rposition(|&b| b == b'>').map_or(0, |i| i + 1);
            let full = decode(&name, &bytes);
            Cuttable {
                name,
                bytes,
                root_closed,
                full,
            }
        })
        .collect();
    assert_eq!(files.len(), 280);

    // Chunks of cuts `(file, start, end)`, costliest (the longest prefixes) first, so that the
    // cheap ones even out the workers' ends.
    let mut chunks: Vec<(usize, usize, usize)> = files
        .iter()
        .enumerate()
        .flat_map(|(index, file)| {
            let len = file.bytes.len();
            (0..len)
                .step_by(CHUNK)
                .map(move |start| (index, start, (start + CHUNK).min(len)))
        })
        .collect();
    chunks.sort_by_key(|&(_, start, end)| std::cmp::Reverse(start + end));

    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let outcomes: Vec<Result<usize, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut cuts = 0usize;
                    while !failed.load(Ordering::Relaxed) {
                        let Some(&(index, start, end)) =
                            chunks.get(next.fetch_add(1, Ordering::Relaxed))
                        else {
                            break;
                        };
                        for cut in start..end {
                            if let Err(failure) = check_cut(&files[index], cut) {
                                failed.store(true, Ordering::Relaxed);
                                return Err(failure);
                            }
                        }
                        cuts += end - start;
                    }
                    Ok(cuts)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .expect("a cut worker panicked outside a decode")
            })
            .collect()
    });
    let mut cuts = 0usize;
    for outcome in outcomes {
        cuts += outcome.unwrap_or_else(|failure| panic!("{failure}"));
    }
    // Every offset of every fixture was cut.
    let offsets: usize = files.iter().map(|file| file.bytes.len()).sum();
    assert_eq!(cuts, offsets);
}

fn response_xml(inner: &str) -> String {
    format!(
        "<?xml version='1.0'?>\n<methodResponse><params><param>{inner}</param></params></methodResponse>\n"
    )
}

fn response_err<T: serde::de::DeserializeOwned + std::fmt::Debug>(xml: &str) -> DecodeError {
    xmlrpc::decode_response::<T>(xml.as_bytes(), &Limits::default())
        .expect_err("the document must be refused")
}

/// Runs `f` on a thread with a 2 MB stack, the size of a default test thread: decoding must not
/// overflow it whatever the nesting.
fn on_2mb_stack<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .name("2mb-stack".into())
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .expect("thread spawned")
        .join()
        .expect("decoding on a 2 MB stack did not panic or overflow")
}

fn nested_arrays(depth: usize) -> String {
    let mut xml = String::with_capacity(depth * 43 + 100);
    for _ in 0..depth {
        xml.push_str("<value><array><data>");
    }
    xml.push_str("<value><int>1</int></value>");
    for _ in 0..depth {
        xml.push_str("</data></array></value>");
    }
    xml
}

fn nested_structs(depth: usize) -> String {
    let mut xml = String::with_capacity(depth * 60 + 100);
    for _ in 0..depth {
        xml.push_str("<value><struct><member><name>child</name>");
    }
    xml.push_str("<value><nil/></value>");
    for _ in 0..depth {
        xml.push_str("</member></struct></value>");
    }
    xml
}

/// A typed target as deep as the document: arrays of arrays.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ArrayNode(Vec<ArrayNode>);

/// A typed target as deep as the document: structs of structs.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct StructNode {
    child: Option<Box<StructNode>>,
}

fn assert_limit<T: std::fmt::Debug>(result: Result<T, DecodeError>) {
    let err = result.expect_err("nesting beyond the limit must be refused");
    assert_eq!(err.kind(), DecodeErrorKind::Limit, "{err}");
    assert!(err.message().contains("limit of 128 levels"), "{err}");
    assert!(err.offset().is_some());
}

#[test]
fn arrays_nested_100_000_deep_are_a_limit_error_on_a_2mb_stack() {
    on_2mb_stack(|| {
        let xml = response_xml(&nested_arrays(100_000));
        assert_limit(xmlrpc::decode_response::<Value>(
            xml.as_bytes(),
            &Limits::default(),
        ));
        assert_limit(xmlrpc::decode_response::<ArrayNode>(
            xml.as_bytes(),
            &Limits::default(),
        ));
        // Unknown members are skipped without recursion, but still count against the limit.
        let call = format!(
            "<methodCall><methodName>m</methodName><params><param>{}</param></params></methodCall>",
            nested_arrays(100_000)
        );
        assert_limit(xmlrpc::decode_call::<Vec<Value>>(
            call.as_bytes(),
            &Limits::default(),
        ));
        assert_limit(xmlrpc::decode_call::<(serde::de::IgnoredAny,)>(
            call.as_bytes(),
            &Limits::default(),
        ));
    });
}

#[test]
fn structs_nested_100_000_deep_are_a_limit_error_on_a_2mb_stack() {
    on_2mb_stack(|| {
        let xml = response_xml(&nested_structs(100_000));
        assert_limit(xmlrpc::decode_response::<Value>(
            xml.as_bytes(),
            &Limits::default(),
        ));
        assert_limit(xmlrpc::decode_response::<StructNode>(
            xml.as_bytes(),
            &Limits::default(),
        ));
    });
}

#[test]
fn nesting_up_to_the_default_depth_limit_decodes_on_a_2mb_stack() {
    on_2mb_stack(|| {
        let depth = Limits::default().max_depth;
        let xml = response_xml(&nested_arrays(depth));
        let Ok(Response::Success(mut value)) =
            xmlrpc::decode_response::<Value>(xml.as_bytes(), &Limits::default())
        else {
            panic!("{depth} levels are within the limit");
        };
        for _ in 0..depth {
            value = match value {
                Value::Array(mut items) if items.len() == 1 => items.remove(0),
                other => panic!("expected a one-element array, found {other:?}"),
            };
        }
        assert_eq!(value, Value::Int(1));
        assert!(
            xmlrpc::decode_response::<ArrayNode>(
                response_xml(&nested_arrays(depth - 1)).as_bytes(),
                &Limits::default()
            )
            .is_err(),
            "the innermost <int> is not an ArrayNode"
        );
        let xml = response_xml(&nested_structs(depth));
        assert!(matches!(
            xmlrpc::decode_response::<StructNode>(xml.as_bytes(), &Limits::default()),
            Ok(Response::Success(_))
        ));
        assert_limit(xmlrpc::decode_response::<Value>(
            response_xml(&nested_structs(depth + 1)).as_bytes(),
            &Limits::default(),
        ));
    });
}

#[test]
fn a_lower_depth_limit_is_enforced() {
    let limits = Limits::default().max_depth(3);
    let xml = response_xml(&nested_arrays(3));
    assert!(xmlrpc::decode_response::<Value>(xml.as_bytes(), &limits).is_ok());
    let xml = response_xml(&nested_arrays(4));
    let err = xmlrpc::decode_response::<Value>(xml.as_bytes(), &limits).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit);
    // The fourth array is the only element of the third.
    assert_eq!(err.path(), Some("params[0][0][0][0]"));
}

#[test]
fn a_body_over_max_size_is_a_limit_error() {
    let xml = response_xml("<value><string>0123456789</string></value>");
    let limits = Limits::default().max_size(xml.len() - 1);
    let err = xmlrpc::decode_response::<Value>(xml.as_bytes(), &limits).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit);
    assert_eq!(
        err.message(),
        format!(
            "document of {} bytes is larger than the limit of {} bytes",
            xml.len(),
            xml.len() - 1
        )
    );
    let call = b"<methodCall><methodName>version</methodName></methodCall>";
    let err = xmlrpc::decode_call::<Vec<Value>>(call, &Limits::default().max_size(10)).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit);
    // At the limit exactly, the document is read.
    let limits = Limits::default().max_size(xml.len());
    assert!(xmlrpc::decode_response::<Value>(xml.as_bytes(), &limits).is_ok());
}

#[test]
fn doctype_and_entity_declarations_are_forbidden() {
    let xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE methodResponse [\n\
               <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n\
               <methodResponse><params><param><value><string>&xxe;</string></value></param>\
               </params></methodResponse>";
    let err = response_err::<Value>(xxe);
    assert_eq!(err.kind(), DecodeErrorKind::Forbidden, "{err}");
    assert_eq!(err.offset(), Some(xxe.find("<!DOCTYPE").unwrap() as u64));

    let laughs = "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>\
                  <methodResponse><params><param><value>&lol2;</value></param></params>\
                  </methodResponse>";
    assert_eq!(
        response_err::<String>(laughs).kind(),
        DecodeErrorKind::Forbidden
    );

    // An entity that was never declared is refused too, with its path.
    let xml = response_xml(
        "<value><struct><member><name>a</name><value>&xxe;</value></member></struct></value>",
    );
    let err = response_err::<Value>(&xml);
    assert_eq!(err.kind(), DecodeErrorKind::Forbidden, "{err}");
    assert_eq!(err.offset(), Some(xml.find("&xxe;").unwrap() as u64));
    assert_eq!(err.path(), Some("params[0].a"));

    let call = "<!DOCTYPE methodCall><methodCall><methodName>m</methodName></methodCall>";
    let err = xmlrpc::decode_call::<Vec<Value>>(call.as_bytes(), &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Forbidden);
}

#[test]
fn invalid_utf8_is_a_syntax_error_at_its_byte_offset() {
    let xml = response_xml("<value><string>caf\u{e9} ok, then X</string></value>");
    let mut bytes = xml.into_bytes();
    let bad = bytes.iter().position(|&b| b == b'X').unwrap();
    bytes[bad] = 0xff;
    let err = xmlrpc::decode_response::<Value>(&bytes, &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Syntax);
    assert_eq!(err.offset(), Some(bad as u64));
    assert!(err.message().contains("not valid UTF-8"), "{err}");
    assert!(
        err.to_string().ends_with(&format!("at byte {bad}")),
        "{err}"
    );

    // A multi-byte sequence cut short.
    let mut call = b"<methodCall><methodName>m\xc3</methodName></methodCall>".to_vec();
    let err = xmlrpc::decode_call::<Vec<Value>>(&call, &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Syntax);
    assert_eq!(err.offset(), Some(25));
    call[25] = b'x';
    assert!(xmlrpc::decode_call::<Vec<Value>>(&call, &Limits::default()).is_ok());
}

#[test]
fn unknown_tags_are_structure_errors_with_path_and_offset() {
    let xml = response_xml(
        "<value><array><data><value><int>1</int></value><value><bigdecimal>1.0</bigdecimal></value></data></array></value>",
    );
    let err = response_err::<Value>(&xml);
    assert_eq!(err.kind(), DecodeErrorKind::Structure);
    assert_eq!(
        err.message(),
        "unknown element <bigdecimal>: not part of XML-RPC"
    );
    assert_eq!(err.offset(), Some(xml.find("<bigdecimal>").unwrap() as u64));
    assert_eq!(err.path(), Some("params[0][1]"));

    let xml = "<methodResponse><result><value><int>1</int></value></result></methodResponse>";
    let err = response_err::<Value>(xml);
    assert_eq!(err.kind(), DecodeErrorKind::Structure);
    assert_eq!(err.offset(), Some(16));

    // Known tags in the wrong place.
    let xml = response_xml("<value><member><name>a</name></member></value>");
    let err = response_err::<Value>(&xml);
    assert_eq!(err.kind(), DecodeErrorKind::Structure);
    assert_eq!(err.message(), "expected a value type tag, found <member>");
    let xml = "<methodResponse><params><param><value><int>1</int></value></param>\
               <param><value><int>2</int></value></param></params></methodResponse>";
    let err = response_err::<i64>(xml);
    assert_eq!(err.kind(), DecodeErrorKind::Structure);
    assert_eq!(err.message(), "expected </params>, found <param>");
    let xml = "<methodResponse><params><param>junk<value><int>1</int></value></param></params></methodResponse>";
    let err = response_err::<i64>(xml);
    assert_eq!(err.kind(), DecodeErrorKind::Structure);
    assert_eq!(err.message(), "expected a tag, found text \"junk\"");
    assert_eq!(err.offset(), Some(xml.find("junk").unwrap() as u64));
}

#[test]
fn malformed_xml_is_a_syntax_error() {
    for xml in [
        "",
        "   ",
        "<methodResponse><params><param><value><int>1</string></value></param></params></methodResponse>",
        "<methodResponse><params><param><value><int>1</int></value></param></params></methodResponse><extra/>",
        "<methodResponse><params><param><value><int>1</int></value></param></params>",
        "<methodResponse><params><param><value><string>a &amp b</string></value></param></params></methodResponse>",
        "<methodResponse><params><param><value><string>&#0;</string></value></param></params></methodResponse>",
        "<methodResponse><params><param><value><string>&#xD800;</string></value></param></params></methodResponse>",
    ] {
        let err = response_err::<Value>(xml);
        assert!(
            matches!(
                err.kind(),
                DecodeErrorKind::Syntax | DecodeErrorKind::Structure
            ),
            "{xml}: {err} ({:?})",
            err.kind()
        );
    }
    assert_eq!(response_err::<Value>("").kind(), DecodeErrorKind::Syntax);
    let err = response_err::<Value>(
        "<methodResponse><params><param><value><int>1</string></value></param></params></methodResponse>",
    );
    assert_eq!(err.kind(), DecodeErrorKind::Syntax);
    assert_eq!(err.offset(), Some(44));
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Record {
    id: i64,
    name: String,
    partner_id: Option<(i64, String)>,
}

fn record(id: i64, partner: &str) -> String {
    format!(
        "<value><struct><member><name>id</name><value><int>{id}</int></value></member>\
         <member><name>name</name><value><string>R{id}</string></value></member>\
         <member><name>partner_id</name>{partner}</member></struct></value>"
    )
}

#[test]
fn type_mismatches_say_expected_and_found_with_path_and_offset() {
    let pair = "<value><array><data><value><int>1</int></value><value><string>YourCompany</string></value></data></array></value>";
    let bad = "<value><string>not a pair</string></value>";
    let records = [
        record(1, pair),
        record(2, "<value><boolean>0</boolean></value>"),
        record(3, pair),
        record(4, bad),
    ]
    .concat();
    let xml = response_xml(&format!(
        "<value><array><data>{records}</data></array></value>"
    ));
    let err = response_err::<Vec<Record>>(&xml);
    assert_eq!(err.kind(), DecodeErrorKind::Type);
    assert_eq!(err.path(), Some("params[0][3].partner_id"));
    assert_eq!(err.offset(), Some(xml.find(bad).unwrap() as u64));
    assert_eq!(
        err.message(),
        "expected a tuple of size 2, found string \"not a pair\""
    );
    assert_eq!(
        err.to_string(),
        format!(
            "expected a tuple of size 2, found string \"not a pair\" at params[0][3].partner_id (byte {})",
            xml.find(bad).unwrap()
        )
    );

    // The same document as a call's second parameter.
    let call = format!(
        "<methodCall><methodName>load</methodName><params><param><value><string>crm.lead</string></value></param>\
         <param><value><array><data>{records}</data></array></value></param></params></methodCall>"
    );
    let err = xmlrpc::decode_call::<(String, Vec<Record>)>(call.as_bytes(), &Limits::default())
        .unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Type);
    assert_eq!(err.path(), Some("params[1][3].partner_id"));
    assert_eq!(err.offset(), Some(call.find(bad).unwrap() as u64));

    // Scalars of the wrong type.
    let err = response_err::<String>(&response_xml("<value><int>5</int></value>"));
    assert_eq!(err.kind(), DecodeErrorKind::Type);
    assert_eq!(err.message(), "expected a string, found integer `5`");
    assert_eq!(err.path(), Some("params[0]"));
    let err = response_err::<Vec<i64>>(&response_xml(
        "<value><array><data><value><int>1</int></value><value><double>1.5</double></value></data></array></value>",
    ));
    assert_eq!(err.message(), "expected i64, found floating point `1.5`");
    assert_eq!(err.path(), Some("params[0][1]"));
    let err = response_err::<u8>(&response_xml("<value><int>300</int></value>"));
    assert_eq!(err.kind(), DecodeErrorKind::Type);
    assert_eq!(
        err.message(),
        "invalid value: expected u8, found integer `300`"
    );
    let err = response_err::<bool>(&response_xml("<value><string>yes</string></value>"));
    assert_eq!(err.message(), "expected a boolean, found string \"yes\"");

    // Missing members name themselves.
    let xml = response_xml(
        "<value><struct><member><name>id</name><value><int>1</int></value></member></struct></value>",
    );
    let err = response_err::<Record>(&xml);
    assert_eq!(err.kind(), DecodeErrorKind::Type);
    assert_eq!(err.message(), "missing field `name`");
}

#[test]
fn malformed_scalars_are_type_errors_with_their_text() {
    for (inner, message) in [
        ("<int>12a</int>", "invalid integer \"12a\""),
        (
            "<i8>9223372036854775808</i8>",
            "invalid integer \"9223372036854775808\"",
        ),
        (
            "<boolean>2</boolean>",
            "invalid boolean \"2\": expected 0 or 1",
        ),
        ("<double>one</double>", "invalid double \"one\""),
    ] {
        let xml = response_xml(&format!("<value>{inner}</value>"));
        let err = response_err::<Value>(&xml);
        assert_eq!(err.kind(), DecodeErrorKind::Type, "{inner}");
        assert_eq!(err.message(), message, "{inner}");
        assert_eq!(err.path(), Some("params[0]"), "{inner}");
        assert_eq!(err.offset(), Some(xml.find("<value>").unwrap() as u64));
    }
    let err = response_err::<Value>(&response_xml("<value><base64>!!!!</base64></value>"));
    assert_eq!(err.kind(), DecodeErrorKind::Type);
    assert!(err.message().starts_with("invalid base64 data"), "{err}");
}

#[test]
fn faults_that_are_not_code_and_string_are_structure_errors() {
    let fault = |inner: &str| {
        format!("<methodResponse><fault><value>{inner}</value></fault></methodResponse>")
    };
    for (inner, message) in [
        (
            "<string>oops</string>",
            "a fault must be a struct with faultCode and faultString: found string",
        ),
        (
            "<struct><member><name>faultString</name><value>x</value></member></struct>",
            "a fault must be a struct with faultCode and faultString: faultCode is missing",
        ),
        (
            "<struct><member><name>faultCode</name><value><double>1</double></value></member>\
             <member><name>faultString</name><value>x</value></member></struct>",
            "a fault must be a struct with faultCode and faultString: faultCode is a double",
        ),
    ] {
        let err = response_err::<Value>(&fault(inner));
        assert_eq!(err.kind(), DecodeErrorKind::Structure, "{inner}");
        assert_eq!(err.message(), message);
    }
}
