//! One model's snapshot: its fields as `fields_get` reported them, and who pulled them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::SchemaError;
use crate::field_type::FieldType;

/// The snapshot format this crate reads and writes. A snapshot in another format is refused
/// with [`SchemaError::UnknownFormat`], never half-read.
pub const FORMAT_VERSION: u64 = 1;

/// What `fields_get` said about one model, with the server and user that said it.
///
/// The fields a user sees depend on their groups, so a snapshot records who pulled it
/// ([`PulledBy`]): compare snapshots pulled by the same user. Every map is sorted by key and
/// the struct fields are declared in alphabetical order, so [`Snapshot::to_json`] gives the same
/// bytes for the same schema: snapshots can be committed and diffed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// The model's description (`ir.model`'s `name`, "Lead/Opportunity"), when the user who
    /// pulled the snapshot could read `ir.model` (administrators only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The fields by technical name.
    pub fields: BTreeMap<String, FieldSpec>,
    /// The snapshot format ([`FORMAT_VERSION`]).
    pub format: u64,
    /// The model's technical name (`crm.lead`).
    pub model: String,
    /// The database and user the snapshot was pulled as.
    pub pulled_by: PulledBy,
    /// The server's `version()["server_version"]` (`"17.0"`).
    pub server_version: String,
}

/// Who pulled a snapshot: field visibility depends on the user's groups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PulledBy {
    /// The database name.
    pub database: String,
    /// The user's login.
    pub login: String,
    /// The user's id in that database.
    pub uid: i64,
}

/// One field, with the `fields_get` attributes the tools use (the `attributes` a pull asks for:
/// [`FieldSpec::ATTRIBUTES`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldSpec {
    /// The help text (a tooltip in the web client), when the field has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Whether the web client shows the field read-only (the ORM may still accept writes).
    #[serde(default)]
    pub readonly: bool,
    /// The related model of relational fields (`res.partner`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    /// The inverse many2one of a one2many field, on the related model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation_field: Option<String>,
    /// Whether every record must have a value.
    #[serde(default)]
    pub required: bool,
    /// The `(key, label)` pairs of a selection field.
    ///
    /// Keys are strings, but for res.users' reified group fields (`sel_groups_2_4`), whose keys
    /// are group ids, read here as their decimal text (`"2"`), and whose first pair
    /// `(false, "")` stands for no group: the empty value every selection has, which is left out.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "selection::deserialize"
    )]
    pub selection: Option<Vec<(String, String)>>,
    /// The label (`"Customer"`).
    #[serde(default)]
    pub string: String,
    /// The type's name as `fields_get` reports it (see [`FieldSpec::field_type`]).
    #[serde(rename = "type")]
    pub type_name: String,
}

/// Reading `selection` as servers send it (see [`FieldSpec::selection`]).
mod selection {
    use std::fmt;

    use serde::de::{self, Deserialize, Deserializer, Visitor};

    /// A key, or `None` for the `false` entry that stands for the empty value.
    struct Key(Option<String>);

    impl<'de> Deserialize<'de> for Key {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
            struct KeyVisitor;

            impl Visitor<'_> for KeyVisitor {
                type Value = Key;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a selection key: a string, an integer, or false")
                }

                fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                    Ok(Key(Some(key.to_owned())))
                }

                fn visit_string<E: de::Error>(self, key: String) -> Result<Key, E> {
                    Ok(Key(Some(key)))
                }

                fn visit_i64<E: de::Error>(self, key: i64) -> Result<Key, E> {
                    Ok(Key(Some(key.to_string())))
                }

                fn visit_u64<E: de::Error>(self, key: u64) -> Result<Key, E> {
                    Ok(Key(Some(key.to_string())))
                }

                fn visit_bool<E: de::Error>(self, key: bool) -> Result<Key, E> {
                    match key {
                        false => Ok(Key(None)),
                        true => Err(E::invalid_value(de::Unexpected::Bool(true), &self)),
                    }
                }
            }

            deserializer.deserialize_any(KeyVisitor)
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<(String, String)>>, D::Error> {
        let pairs: Option<Vec<(Key, String)>> = Option::deserialize(deserializer)?;
        Ok(pairs.map(|pairs| {
            pairs
                .into_iter()
                .filter_map(|(Key(key), label)| Some((key?, label)))
                .collect()
        }))
    }
}

impl FieldSpec {
    /// The `fields_get` attributes a snapshot keeps.
    pub const ATTRIBUTES: [&'static str; 8] = [
        "help",
        "readonly",
        "relation",
        "relation_field",
        "required",
        "selection",
        "string",
        "type",
    ];

    /// The parsed type.
    pub fn field_type(&self) -> FieldType {
        FieldType::parse(&self.type_name)
    }

    /// Whether the field can read as `false`: not required, and of a type that can be empty
    /// ([`FieldType::can_be_empty`]). A Rust field holding it must then be an `Option`.
    pub fn can_be_empty(&self) -> bool {
        !self.required && self.field_type().can_be_empty()
    }
}

impl Snapshot {
    /// Reads a snapshot from its JSON text, refusing other formats by their number.
    pub fn from_json(bytes: &[u8]) -> Result<Snapshot, SchemaError> {
        /// The format alone, read first, so that a snapshot of a newer format says so instead
        /// of failing on a field it does not know.
        #[derive(Deserialize)]
        struct Header {
            format: Option<u64>,
        }
        let header: Header = serde_json::from_slice(bytes)
            .map_err(|source| SchemaError::Parse { path: None, source })?;
        match header.format {
            Some(FORMAT_VERSION) => {}
            Some(found) => return Err(SchemaError::UnknownFormat { path: None, found }),
            None => return Err(SchemaError::MissingFormat { path: None }),
        }
        serde_json::from_slice(bytes).map_err(|source| SchemaError::Parse { path: None, source })
    }

    /// The snapshot as pretty-printed JSON with sorted keys and a final newline: the same bytes
    /// for the same schema, whatever order the server listed the fields in.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect(
            "a snapshot holds only strings, numbers, booleans, lists and string-keyed maps",
        );
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag() -> Snapshot {
        let mut fields = BTreeMap::new();
        fields.insert(
            "name".to_owned(),
            FieldSpec {
                help: None,
                readonly: false,
                relation: None,
                relation_field: None,
                required: true,
                selection: None,
                string: "Tag Name".into(),
                type_name: "char".into(),
            },
        );
        fields.insert(
            "kind".to_owned(),
            FieldSpec {
                help: Some("What it is".into()),
                readonly: true,
                relation: None,
                relation_field: None,
                required: false,
                selection: Some(vec![("a".into(), "A".into()), ("b".into(), "B".into())]),
                string: "Kind".into(),
                type_name: "selection".into(),
            },
        );
        Snapshot {
            description: Some("CRM Tag".into()),
            fields,
            format: FORMAT_VERSION,
            model: "crm.tag".into(),
            pulled_by: PulledBy {
                database: "demo".into(),
                login: "admin".into(),
                uid: 2,
            },
            server_version: "17.0".into(),
        }
    }

    #[test]
    fn json_has_sorted_keys_at_every_level_and_round_trips() {
        let text = tag().to_json();
        let expected = r#"{
  "description": "CRM Tag",
  "fields": {
    "kind": {
      "help": "What it is",
      "readonly": true,
      "required": false,
      "selection": [
        [
          "a",
          "A"
        ],
        [
          "b",
          "B"
        ]
      ],
      "string": "Kind",
      "type": "selection"
    },
    "name": {
      "readonly": false,
      "required": true,
      "string": "Tag Name",
      "type": "char"
    }
  },
  "format": 1,
  "model": "crm.tag",
  "pulled_by": {
    "database": "demo",
    "login": "admin",
    "uid": 2
  },
  "server_version": "17.0"
}
"#;
        assert_eq!(text, expected);
        assert_eq!(Snapshot::from_json(text.as_bytes()).unwrap(), tag());
    }

    #[test]
    fn other_formats_are_refused_by_number() {
        let text = tag().to_json().replace("\"format\": 1", "\"format\": 7");
        let err = Snapshot::from_json(text.as_bytes()).unwrap_err();
        assert!(
            matches!(err, SchemaError::UnknownFormat { found: 7, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("format 7"), "{err}");

        let text = tag().to_json().replace("\"format\": 1,", "");
        let err = Snapshot::from_json(text.as_bytes()).unwrap_err();
        assert!(matches!(err, SchemaError::MissingFormat { .. }), "{err:?}");
    }

    #[test]
    fn malformed_json_is_a_parse_error() {
        let err = Snapshot::from_json(b"{\"format\": 1, \"model\": ").unwrap_err();
        assert!(matches!(err, SchemaError::Parse { .. }), "{err:?}");
        let err = Snapshot::from_json(b"[1, 2]").unwrap_err();
        assert!(matches!(err, SchemaError::Parse { .. }), "{err:?}");
    }

    #[test]
    fn group_selections_read_with_their_ids_as_keys_and_no_false_entry() {
        // res.users' sel_groups_2_4, as fields_get reports it.
        let json = br#"{"selection": [[false, ""], [2, "Access Rights"], [4, "Settings"]],
                        "string": "Administration", "type": "selection"}"#;
        let spec: FieldSpec = serde_json::from_slice(json).unwrap();
        assert_eq!(
            spec.selection.unwrap(),
            [
                ("2".to_owned(), "Access Rights".to_owned()),
                ("4".to_owned(), "Settings".to_owned())
            ]
        );
        let json = br#"{"selection": [[true, "Yes"]], "type": "selection"}"#;
        let err = serde_json::from_slice::<FieldSpec>(json).unwrap_err();
        assert!(err.to_string().contains("a selection key"), "{err}");
    }

    #[test]
    fn emptiness_follows_required_and_type() {
        let snapshot = tag();
        assert!(!snapshot.fields["name"].can_be_empty());
        assert!(snapshot.fields["kind"].can_be_empty());
        let mut kind = snapshot.fields["kind"].clone();
        kind.required = true;
        assert!(!kind.can_be_empty());
    }
}
