//! The field types `fields_get` reports, and which of them can read as empty.

use std::fmt;

/// A field's type, as `fields_get` names it (`"many2one"`).
///
/// `Other` keeps a name this crate does not know (a type added by a module or a newer server),
/// so a snapshot with one still reads; tools treat it as untyped data.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FieldType {
    /// `char`: a one-line string.
    Char,
    /// `text`: a multi-line string.
    Text,
    /// `html`: a string holding (sanitized) HTML.
    Html,
    /// `integer`.
    Integer,
    /// `float`.
    Float,
    /// `monetary`: a float in the record's currency.
    Monetary,
    /// `boolean`.
    Boolean,
    /// `date`: `YYYY-MM-DD` on the wire.
    Date,
    /// `datetime`: `YYYY-MM-DD HH:MM:SS`, UTC, on the wire.
    Datetime,
    /// `selection`: one key of the field's `selection` list.
    Selection,
    /// `many2one`: reads as `[id, "name"]`, writes an id.
    Many2one,
    /// `one2many`: the ids of the records whose inverse many2one points here.
    One2many,
    /// `many2many`: a set of ids.
    Many2many,
    /// `binary`: base64 text on the wire.
    Binary,
    /// `reference`: `"model,id"` text.
    Reference,
    /// `many2one_reference`: an id into the model another field names.
    Many2oneReference,
    /// `json`: any structure.
    Json,
    /// `properties`: a list of property values.
    Properties,
    /// `properties_definition`: a list of property definitions.
    PropertiesDefinition,
    /// A type this crate does not know, by its name.
    Other(String),
}

impl FieldType {
    /// Every type this crate knows, in the order of the CLI's type table.
    pub const KNOWN: [FieldType; 19] = [
        FieldType::Char,
        FieldType::Text,
        FieldType::Html,
        FieldType::Integer,
        FieldType::Float,
        FieldType::Monetary,
        FieldType::Boolean,
        FieldType::Date,
        FieldType::Datetime,
        FieldType::Selection,
        FieldType::Many2one,
        FieldType::One2many,
        FieldType::Many2many,
        FieldType::Binary,
        FieldType::Reference,
        FieldType::Many2oneReference,
        FieldType::Json,
        FieldType::Properties,
        FieldType::PropertiesDefinition,
    ];

    /// The type `fields_get` calls `name`.
    pub fn parse(name: &str) -> FieldType {
        FieldType::KNOWN
            .into_iter()
            .find(|t| t.name() == name)
            .unwrap_or_else(|| FieldType::Other(name.to_owned()))
    }

    /// The name `fields_get` uses.
    pub fn name(&self) -> &str {
        match self {
            FieldType::Char => "char",
            FieldType::Text => "text",
            FieldType::Html => "html",
            FieldType::Integer => "integer",
            FieldType::Float => "float",
            FieldType::Monetary => "monetary",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::Selection => "selection",
            FieldType::Many2one => "many2one",
            FieldType::One2many => "one2many",
            FieldType::Many2many => "many2many",
            FieldType::Binary => "binary",
            FieldType::Reference => "reference",
            FieldType::Many2oneReference => "many2one_reference",
            FieldType::Json => "json",
            FieldType::Properties => "properties",
            FieldType::PropertiesDefinition => "properties_definition",
            FieldType::Other(name) => name,
        }
    }

    /// Whether a field of this type can read as `false` (empty) when it is not required.
    ///
    /// Numbers read as 0, booleans as `false` (a value, not an absence) and x2many as an empty
    /// list: those are never empty. Every other type reads `false` when unset, so a Rust field
    /// holding it must be an `Option` unless the field is required. Unknown types count as
    /// possibly empty: the safe side.
    pub fn can_be_empty(&self) -> bool {
        !matches!(
            self,
            FieldType::Integer
                | FieldType::Float
                | FieldType::Monetary
                | FieldType::Boolean
                | FieldType::One2many
                | FieldType::Many2many
        )
    }

    /// The Rust type that holds a non-empty value of this type, as `taskflow generate` writes it
    /// and as the derive's schema check suggests it (`Option<_>` of it when the field can be
    /// empty).
    pub fn rust_type(&self) -> &'static str {
        match self {
            FieldType::Char | FieldType::Text | FieldType::Html | FieldType::Reference => "String",
            FieldType::Integer | FieldType::Many2oneReference => "i64",
            FieldType::Float | FieldType::Monetary => "f64",
            FieldType::Boolean => "bool",
            FieldType::Date => "Date",
            FieldType::Datetime => "DateTime",
            FieldType::Binary => "Binary",
            FieldType::Selection => "a #[derive(Selection)] enum",
            FieldType::Many2one => "Many2one<M>",
            FieldType::One2many => "One2many<M>",
            FieldType::Many2many => "Many2many<M>",
            FieldType::Json
            | FieldType::Properties
            | FieldType::PropertiesDefinition
            | FieldType::Other(_) => "xmlrpc::Value",
        }
    }

    /// Whether values are records of the field's `relation` model.
    pub fn is_relational(&self) -> bool {
        matches!(
            self,
            FieldType::Many2one | FieldType::One2many | FieldType::Many2many
        )
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_kept() {
        for t in FieldType::KNOWN {
            assert_eq!(FieldType::parse(t.name()), t);
        }
        assert_eq!(
            FieldType::parse("geo_point"),
            FieldType::Other("geo_point".into())
        );
        assert_eq!(FieldType::parse("geo_point").to_string(), "geo_point");
    }

    #[test]
    fn numbers_booleans_and_x2many_are_never_empty() {
        let never: Vec<&str> = FieldType::KNOWN
            .iter()
            .filter(|t| !t.can_be_empty())
            .map(FieldType::name)
            .collect();
        assert_eq!(
            never,
            [
                "integer",
                "float",
                "monetary",
                "boolean",
                "one2many",
                "many2many"
            ]
        );
        assert!(FieldType::Other("geo_point".into()).can_be_empty());
    }
}
