//! What a Rust field type can hold, for the derive's check of a struct against a schema snapshot
//! (`TASKFLOW_SCHEMA_DIR`): the server field types it reads, whether it reads `false`, and a
//! selection enum's keys. Not API: generated code reads [`FieldValue::SHAPE`] in a constant and
//! fails the build, at the user's field, when the snapshot's field does not fit.
//!
//! [`FieldValue::SHAPE`]: super::FieldValue::SHAPE

/// The server field types a Rust type can hold, as bits in the order of `taskflow_schema`'s
/// `FieldType::KNOWN` (bit 19: any type that list does not know).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    types: u32,
    empty: bool,
    keys: Option<&'static [&'static str]>,
}

impl Shape {
    pub const CHAR: u32 = 1 << 0;
    pub const TEXT: u32 = 1 << 1;
    pub const HTML: u32 = 1 << 2;
    pub const INTEGER: u32 = 1 << 3;
    pub const FLOAT: u32 = 1 << 4;
    pub const MONETARY: u32 = 1 << 5;
    pub const BOOLEAN: u32 = 1 << 6;
    pub const DATE: u32 = 1 << 7;
    pub const DATETIME: u32 = 1 << 8;
    pub const SELECTION: u32 = 1 << 9;
    pub const MANY2ONE: u32 = 1 << 10;
    pub const ONE2MANY: u32 = 1 << 11;
    pub const MANY2MANY: u32 = 1 << 12;
    pub const BINARY: u32 = 1 << 13;
    pub const REFERENCE: u32 = 1 << 14;
    pub const MANY2ONE_REFERENCE: u32 = 1 << 15;
    pub const JSON: u32 = 1 << 16;
    pub const PROPERTIES: u32 = 1 << 17;
    pub const PROPERTIES_DEFINITION: u32 = 1 << 18;
    pub const OTHER: u32 = 1 << 19;
    const ALL: u32 = (1 << 20) - 1;

    /// What a type of the user's own holds: anything, so it is never refused.
    pub const UNCHECKED: Shape = Shape {
        types: Shape::ALL,
        empty: true,
        keys: None,
    };

    /// A type holding the field types `types`, never `false`.
    pub const fn of(types: u32) -> Shape {
        Shape {
            types,
            empty: false,
            keys: None,
        }
    }

    /// A selection enum with these keys.
    pub const fn selection(keys: &'static [&'static str]) -> Shape {
        Shape {
            types: Shape::SELECTION,
            empty: false,
            keys: Some(keys),
        }
    }

    /// The same, also holding `false` (an `Option`).
    pub const fn or_empty(self) -> Shape {
        Shape {
            empty: true,
            ..self
        }
    }

    /// Whether it holds a field of type `bit` (one of the constants above).
    pub const fn holds(self, bit: u32) -> bool {
        self.types & bit != 0
    }

    /// Whether it holds `false`, a field's empty value.
    pub const fn holds_empty(self) -> bool {
        self.empty
    }

    /// Whether a selection enum's keys are exactly `keys` (in any order); true for every type
    /// that is not a selection enum.
    pub const fn has_keys(self, keys: &[&str]) -> bool {
        let Some(own) = self.keys else {
            return true;
        };
        own.len() == keys.len() && all_in(own, keys) && all_in(keys, own)
    }
}

/// Whether every string of `a` is in `b`.
const fn all_in(a: &[&str], b: &[&str]) -> bool {
    let mut i = 0;
    while i < a.len() {
        let mut found = false;
        let mut j = 0;
        while j < b.len() {
            if eq(a[i], b[j]) {
                found = true;
            }
            j += 1;
        }
        if !found {
            return false;
        }
        i += 1;
    }
    true
}

const fn eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_keys_compare_as_sets() {
        let s = Shape::selection(&["a", "b"]);
        assert!(s.has_keys(&["b", "a"]));
        assert!(!s.has_keys(&["a"]));
        assert!(!s.has_keys(&["a", "b", "c"]));
        assert!(!s.has_keys(&["a", "c"]));
        // In a constant, as generated code evaluates it.
        const {
            assert!(
                Shape::selection(&["0", "1"])
                    .or_empty()
                    .has_keys(&["1", "0"])
            )
        };
    }
}
