//! The error type's classification and messages.
use super::*;

fn int(code: i64, s: &str) -> Fault {
    Fault::from_raw(RawFault {
        code: FaultCode::Int(code),
        string: s.into(),
    })
}

#[test]
fn traceback_with_multi_line_message_keeps_all_of_it() {
    let f = int(
        1,
        "Traceback (most recent call last):\n  File \"a.py\", line 1, in f\n    g()\n\
         ValueError: first line\nsecond line\n",
    );
    assert_eq!(f.exception(), Some("ValueError"));
    assert_eq!(f.message(), "first line\nsecond line");
    assert!(f.traceback().unwrap().starts_with(TRACEBACK_HEAD));
}

#[test]
fn code_1_without_traceback_keeps_the_string() {
    let f = int(1, "something odd");
    assert_eq!(f.kind(), FaultKind::ServerError);
    assert_eq!(f.exception(), None);
    assert_eq!(f.message(), "something odd");
}

#[test]
fn each_protocol_classifies_the_same_failure_into_the_same_kind_and_cause() {
    let call = || CallInfo::new("http://127.0.0.1/jsonrpc", Some("crm.lead"), "write");
    let traceback = |exception: &str, message: &str| {
        format!(
            "Traceback (most recent call last):\n  File \"x.py\", line 1, in f\n    g()\n\
             {exception}: {message}\n"
        )
    };
    // (XML-RPC fault, JSON-RPC `error.data.name`, message, the kind, the retry cause)
    let cases = [
        (
            int(
                1,
                &traceback("psycopg2.pool.PoolError", "The Connection Pool Is Full"),
            ),
            "psycopg2.pool.PoolError",
            "The Connection Pool Is Full",
            FaultKind::ServerError,
            Some(RetryCause::NeverRan),
        ),
        (
            int(
                1,
                &traceback(
                    "psycopg2.errors.SerializationFailure",
                    "could not serialize",
                ),
            ),
            "psycopg2.errors.SerializationFailure",
            "could not serialize",
            FaultKind::ServerError,
            Some(RetryCause::RolledBack),
        ),
        (
            int(
                4,
                "You are not allowed to modify 'Stage' (crm.stage) records.",
            ),
            "odoo.exceptions.AccessError",
            "You are not allowed to modify 'Stage' (crm.stage) records.",
            FaultKind::AccessError,
            None,
        ),
        (
            int(2, "Record does not exist or has been deleted."),
            "odoo.exceptions.MissingError",
            "Record does not exist or has been deleted.",
            FaultKind::MissingRecord,
            None,
        ),
        (
            int(3, "Access Denied"),
            "odoo.exceptions.AccessDenied",
            "Access Denied",
            FaultKind::AccessDenied,
            None,
        ),
    ];
    for (xml, name, message, kind, cause) in cases {
        let json = Fault::from_jsonrpc(200, Some(name), message.to_owned(), None);
        assert_eq!((xml.kind(), json.kind()), (kind, kind), "{name}");
        let (xml, json) = (
            Error::from_fault(xml, call()),
            Error::from_fault(json, call()),
        );
        assert_eq!(
            (xml.retry_cause(), json.retry_cause()),
            (cause, cause),
            "{name}"
        );
    }
    assert!(Error::from_fault(Fault::returned_none(), call()).is_returned_none());
}

/// One error of each variant, with its kind.
fn one_of_each() -> Vec<(Error, ErrorKind)> {
    let call = || CallInfo::new("http://127.0.0.1/xmlrpc/2/object", Some("crm.lead"), "read");
    let io = || -> BoxError { Box::new(std::io::Error::other("broken")) };
    vec![
        (Error::builder("bad", None), ErrorKind::Builder),
        (
            Error::from_fault(int(3, "Access Denied"), call()),
            ErrorKind::Fault,
        ),
        (
            Error::LoginRefused {
                db: "taskflow".into(),
                login: "demo".into(),
                endpoint: "http://127.0.0.1/xmlrpc/2/common".into(),
            },
            ErrorKind::LoginRefused,
        ),
        (
            Error::Status {
                status: 502,
                excerpt: String::new(),
                call: call(),
            },
            ErrorKind::Status,
        ),
        (
            Error::Timeout {
                call: call(),
                source: io(),
            },
            ErrorKind::Timeout,
        ),
        (
            Error::Connect {
                call: call(),
                source: io(),
            },
            ErrorKind::Connect,
        ),
        (
            Error::Transport {
                call: call(),
                source: io(),
            },
            ErrorKind::Transport,
        ),
        (
            Error::ResponseTooLarge {
                limit: 1,
                call: call(),
            },
            ErrorKind::ResponseTooLarge,
        ),
        (
            Error::Decode {
                source: DecodeError::new(crate::xmlrpc::DecodeErrorKind::Type, "x"),
                call: call(),
            },
            ErrorKind::Decode,
        ),
        (
            Error::Encode {
                source: EncodeError::new("x"),
                call: call(),
            },
            ErrorKind::Encode,
        ),
    ]
}

#[test]
fn kind_names_every_variant_as_the_predicates_do() {
    let errors = one_of_each();
    let kinds: std::collections::HashSet<ErrorKind> =
        errors.iter().map(|(e, _)| e.kind()).collect();
    for (err, kind) in &errors {
        assert_eq!(err.kind(), *kind, "{err:?}");
        let answers = [
            (err.is_builder(), ErrorKind::Builder),
            (err.is_login_refused(), ErrorKind::LoginRefused),
            (err.is_fault(), ErrorKind::Fault),
            (err.is_status(), ErrorKind::Status),
            (err.is_timeout(), ErrorKind::Timeout),
            (err.is_connect(), ErrorKind::Connect),
            (err.is_transport(), ErrorKind::Transport),
            (err.is_too_large(), ErrorKind::ResponseTooLarge),
            (err.is_decode(), ErrorKind::Decode),
            (err.is_encode(), ErrorKind::Encode),
        ];
        for (answer, of) in answers {
            assert_eq!(answer, *kind == of, "is {of:?}? {err:?}");
        }
    }
    assert_eq!(kinds.len(), errors.len(), "{kinds:?}");
    // The access-denied fault is not a refused login, nor the other way round.
    assert!(errors[1].0.is_access_denied() && !errors[1].0.is_login_refused());
    assert!(errors[2].0.is_login_refused() && !errors[2].0.is_access_denied());
}

#[test]
fn error_stays_small() {
    assert!(
        std::mem::size_of::<Error>() <= 128,
        "{}",
        std::mem::size_of::<Error>()
    );
}

#[test]
fn error_is_send_sync_static() {
    fn check<T: Send + Sync + 'static>() {}
    check::<Error>();
    check::<Fault>();
}
