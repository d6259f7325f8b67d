use std::collections::HashSet;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use super::*;
use crate::values::{WriteValue, WriteValues};
use crate::xmlrpc::{Value, from_value, to_value};

struct Tag;

#[test]
fn id_reads_integers_doubles_and_numeric_strings() {
    assert_eq!(from_value::<Id<Tag>>(Value::Int(7)).unwrap(), 7);
    assert_eq!(from_value::<Id<Tag>>(Value::Double(7.0)).unwrap(), 7);
    assert_eq!(from_value::<Id<Tag>>("78".into()).unwrap(), 78);
    let err = from_value::<Id<Tag>>("seventy".into()).unwrap_err();
    assert!(err.to_string().contains("record id"), "{err}");
    assert!(from_value::<Id<Tag>>(Value::Double(7.5)).is_err());
}

#[test]
fn many2one_reads_pairs_and_bare_ids_and_writes_the_id() {
    let pair = Value::Array(vec![Value::Int(1), "YourCompany".into()]);
    let m: Many2one<Tag> = from_value(pair).unwrap();
    assert_eq!((m.id.get(), m.name.as_str()), (1, "YourCompany"));
    let bare: Many2one<Tag> = from_value(Value::Int(2)).unwrap();
    assert_eq!((bare.id.get(), bare.name.as_str()), (2, ""));
    let none: Option<Many2one<Tag>> = from_value(Value::Bool(false)).unwrap();
    assert!(none.is_none());
    assert_eq!(
        <Many2one<Tag> as FieldValue>::write_value(Id::new(5)),
        WriteValue::reference(5)
    );
    let triple = Value::Array(vec![Value::Int(1), "a".into(), "b".into()]);
    assert!(from_value::<Many2one<Tag>>(triple).is_err());
}

#[test]
fn many2one_equality_is_by_id_alone() {
    let read: Many2one<Tag> =
        from_value(Value::Array(vec![Value::Int(1), "YourCompany".into()])).unwrap();
    let new = Many2one::new(Id::new(1));
    assert_eq!(read, new);
    assert_eq!(Some(new.clone()), Some(read.clone()));
    assert_ne!(read, Many2one::new(Id::new(2)));
    let state = RandomState::new();
    assert_eq!(state.hash_one(&read), state.hash_one(&new));
    let set: HashSet<Many2one<Tag>> = [read, new].into_iter().collect();
    assert_eq!(set.len(), 1);
}

#[test]
fn x2many_equality_is_as_sets_of_ids() {
    let ids = |raw: &[i64]| raw.iter().copied().map(Id::new).collect::<Vec<Id<Tag>>>();
    let a = Many2many::new(ids(&[3, 1, 2]));
    let b = Many2many::new(ids(&[1, 2, 3]));
    assert_eq!(a, b);
    assert_eq!(a, Many2many::new(ids(&[1, 2, 3, 1])));
    assert_ne!(a, Many2many::new(ids(&[1, 2])));
    assert_ne!(a, Many2many::new(ids(&[1, 2, 4])));
    assert_eq!(Many2many::<Tag>::default(), Many2many::new(Vec::new()));
    // The server's order is still what the value shows.
    assert_eq!(a.ids(), ids(&[3, 1, 2]).as_slice());
    let state = RandomState::new();
    assert_eq!(state.hash_one(&a), state.hash_one(&b));
    let c = One2many::new(ids(&[5, 4]));
    assert_eq!(c, One2many::new(ids(&[4, 5])));
    assert_eq!(
        state.hash_one(&c),
        state.hash_one(One2many::new(ids(&[4, 5, 4])))
    );
}

#[test]
fn commands_encode_as_the_server_tuples() {
    let commands: Vec<Command<Tag>> = vec![
        Command::update(Id::new(1), WriteValues::new().raw("name", "x")),
        Command::delete(Id::new(2)),
        Command::unlink(Id::new(3)),
        Command::link(Id::new(4)),
        Command::clear(),
        Command::set([Id::new(5), Id::new(6)]),
    ];
    let wire = to_value(&commands).unwrap();
    assert_eq!(
        crate::Domain::<Tag>::raw(wire).to_string(),
        r#"[[1, 1, {"name": "x"}], [2, 2, 0], [3, 3, 0], [4, 4, 0], [5, 0, 0], [6, 0, [5, 6]]]"#
    );
}

#[test]
fn dates_parse_validate_and_print() {
    let d: Date = "2024-02-29".parse().unwrap();
    assert_eq!(d.to_string(), "2024-02-29");
    assert!("2023-02-29".parse::<Date>().is_err());
    assert!("2023-13-01".parse::<Date>().is_err());
    assert!("2023-1-01".parse::<Date>().is_err());
    assert!("2023-01-0a".parse::<Date>().is_err());
    assert!("+023-01-01".parse::<Date>().is_err());
    let t: DateTime = "2026-11-30 07:37:41".parse().unwrap();
    assert_eq!(t.time(), (7, 37, 41));
    assert_eq!(t.date(), Date::new(2026, 11, 30).unwrap());
    assert!("2026-11-30T07:37:41".parse::<DateTime>().is_err());
    assert!("2026-11-30 24:00:00".parse::<DateTime>().is_err());
    assert_eq!(from_value::<Date>("2026-01-05".into()).unwrap().day(), 5);
    assert!(
        from_value::<Option<Date>>(Value::Bool(false))
            .unwrap()
            .is_none()
    );
    let err = from_value::<Date>("05/01/2026".into()).unwrap_err();
    assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");
}

#[test]
fn unix_seconds_roundtrip_across_leap_days_and_centuries() {
    for (secs, text) in [
        (0, "1970-01-01 00:00:00"),
        (951_782_400, "2000-02-29 00:00:00"),
        (1_709_164_799, "2024-02-28 23:59:59"),
        (-62_135_596_800, "0001-01-01 00:00:00"),
        (253_402_300_799, "9999-12-31 23:59:59"),
    ] {
        let at = DateTime::from_unix_seconds(secs).unwrap();
        assert_eq!(at.to_string(), text);
        assert_eq!(at.unix_seconds(), secs);
    }
    assert!(DateTime::from_unix_seconds(253_402_300_800).is_none());
    assert!(DateTime::from_unix_seconds(-62_135_596_801).is_none());
}

#[test]
fn binary_roundtrips_base64() {
    let b = Binary(vec![0, 1, 2, 255]);
    assert_eq!(b.to_base64(), "AAEC/w==");
    assert_eq!(from_value::<Binary>("AAEC\n/w==".into()).unwrap(), b);
    assert!(from_value::<Binary>("***".into()).is_err());
    assert_eq!(to_value(&b).unwrap(), Value::String("AAEC/w==".into()));
}

/// What `FieldValue::SHAPE` says each field type can hold (the schema check reads it).
fn shape<T: FieldValue>() -> Shape {
    T::SHAPE
}

#[test]
fn each_type_holds_what_it_can_decode() {
    assert!(shape::<String>().holds(Shape::CHAR) && shape::<String>().holds(Shape::SELECTION));
    assert!(!shape::<String>().holds(Shape::MANY2ONE));
    assert!(!shape::<i64>().holds(Shape::FLOAT));
    assert!(shape::<f64>().holds(Shape::FLOAT) && shape::<f64>().holds(Shape::MONETARY));
    assert!(shape::<Many2one<()>>().holds(Shape::MANY2ONE));
    assert!(shape::<Many2many<()>>().holds(Shape::ONE2MANY));
    assert!(shape::<One2many<()>>().holds(Shape::MANY2MANY));
    assert!(!shape::<Date>().holds(Shape::DATETIME));
    assert!(shape::<Value>().holds(Shape::OTHER) && shape::<Value>().holds_empty());
    // A `String` stands for any selection's keys.
    assert!(shape::<String>().has_keys(&["x"]));
}

#[test]
fn only_options_and_values_hold_empty() {
    assert!(!shape::<String>().holds_empty());
    assert!(shape::<Option<String>>().holds_empty());
    assert!(shape::<Option<String>>().holds(Shape::TEXT));
    assert!(!shape::<Many2one<()>>().holds_empty());
}
