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

/// The key `#[derive(Selection)]` gives a variant without `#[taskflow(rename)]`: its name in
/// snake_case (`VeryHigh` -> `very_high`, `HTTPServer` -> `http_server`). The derive reads and
/// writes keys by this rule, and `taskflow generate` renames the variants it does not fit.
pub fn variant_key(variant: &str) -> String {
    let chars: Vec<char> = variant.chars().collect();
    let mut out = String::with_capacity(variant.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let prev_upper = i > 0 && chars[i - 1].is_uppercase();
            if prev_lower || (prev_upper && next_lower) {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_keys_are_snake_case() {
        assert_eq!(variant_key("Opportunity"), "opportunity");
        assert_eq!(variant_key("VeryHigh"), "very_high");
        assert_eq!(variant_key("HTTPServer"), "http_server");
        assert_eq!(variant_key("Level2Up"), "level2_up");
        assert_eq!(variant_key("Self_"), "self_");
    }

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
