//! Selection keys: strings almost always, but not only. `res.users`' group fields
//! (`sel_groups_2_4`) list `[false, ""]` and integer group ids as their options.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One key of a selection field, as `fields_get` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SelectionKey {
    /// A string key (`"opportunity"`, `"0"`): the usual kind, and the only one a
    /// `#[derive(Selection)]` enum can stand for.
    Str(String),
    /// An integer key.
    Int(i64),
    /// A boolean key (`false`: the "none" option of group selections).
    Bool(bool),
}

impl SelectionKey {
    /// The key when it is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            SelectionKey::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl From<&str> for SelectionKey {
    fn from(key: &str) -> Self {
        SelectionKey::Str(key.to_owned())
    }
}

/// As the key reads in Python: `'lead'`, `2`, `False`.
impl fmt::Display for SelectionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectionKey::Str(s) => write!(f, "{s:?}"),
            SelectionKey::Int(i) => write!(f, "{i}"),
            SelectionKey::Bool(b) => f.write_str(if *b { "True" } else { "False" }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_as_written() {
        let keys: Vec<SelectionKey> = serde_json::from_str(r#"["lead", 2, false]"#).unwrap();
        assert_eq!(
            keys,
            [
                SelectionKey::from("lead"),
                SelectionKey::Int(2),
                SelectionKey::Bool(false)
            ]
        );
        assert_eq!(serde_json::to_string(&keys).unwrap(), r#"["lead",2,false]"#);
        assert_eq!(keys[0].as_str(), Some("lead"));
        assert_eq!(keys[1].as_str(), None);
    }
}
