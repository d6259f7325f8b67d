//! Keyword arguments of an `execute_kw` call.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::xmlrpc::{EncodeError, Value, to_value};

/// The keyword arguments of an `execute_kw` call: the common ones (`fields`, `domain`, `limit`,
/// `offset`, `order`, `context`) and any other through [`Kwargs::insert`].
///
/// Values are converted when set; a value that cannot be written as XML-RPC makes the call fail
/// with [`Error::Encode`](crate::Error::Encode), so the builder itself never fails. The
/// session's context is merged under this one's `context` when the call is made: keys set here
/// win.
///
/// ```
/// use taskflow_sdk::Kwargs;
///
/// let kwargs = Kwargs::new()
///     .domain([("stage_id.name", "=", "New")])
///     .fields(["name", "partner_id"])
///     .limit(50)
///     .order("id desc")
///     .context("active_test", false);
/// assert_eq!(kwargs.get("limit").and_then(|v| v.as_i64()), Some(50));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use]
pub struct Kwargs {
    entries: Vec<(String, Value)>,
    context: Vec<(String, Value)>,
    error: Option<EncodeError>,
}

impl Kwargs {
    /// No keyword arguments.
    pub fn new() -> Self {
        Kwargs::default()
    }

    /// `fields`: the field names to read.
    pub fn fields<I, S>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let list = fields
            .into_iter()
            .map(|f| Value::String(f.into()))
            .collect();
        self.set("fields", Value::Array(list))
    }

    /// `domain`: any value that serializes as a domain list, like
    /// `[("name", "ilike", "desk")]` or a typed domain.
    pub fn domain(self, domain: impl Serialize) -> Self {
        self.insert("domain", domain)
    }

    /// `limit`: the maximum number of records.
    pub fn limit(self, limit: u32) -> Self {
        self.set("limit", Value::Int(i64::from(limit)))
    }

    /// `offset`: how many records to skip.
    pub fn offset(self, offset: u32) -> Self {
        self.set("offset", Value::Int(i64::from(offset)))
    }

    /// `order`: the sort specification, like `"expected_revenue desc, id"`.
    pub fn order(self, order: impl Into<String>) -> Self {
        self.set("order", Value::String(order.into()))
    }

    /// Sets one key of the call's `context` (`lang`, `tz`, `active_test`,
    /// `allowed_company_ids`...), overriding the session's.
    pub fn context(mut self, key: impl Into<String>, value: impl Serialize) -> Self {
        match to_value(&value) {
            Ok(value) => set_entry(&mut self.context, key.into(), value),
            Err(e) => self.defer(e),
        }
        self
    }

    /// Any keyword argument. `"context"` merges its members into the call's context.
    pub fn insert(mut self, key: impl Into<String>, value: impl Serialize) -> Self {
        let key = key.into();
        match to_value(&value) {
            Ok(Value::Struct(members)) if key == "context" => {
                for (k, v) in members {
                    set_entry(&mut self.context, k, v);
                }
            }
            Ok(value) => set_entry(&mut self.entries, key, value),
            Err(e) => self.defer(e),
        }
        self
    }

    /// The value set for `key` (not the context; see [`Kwargs::get_context`]).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The context value set for `key` on this call.
    pub fn get_context(&self, key: &str) -> Option<&Value> {
        self.context.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// True when nothing is set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.context.is_empty()
    }

    fn set(mut self, key: &str, value: Value) -> Self {
        set_entry(&mut self.entries, key.to_owned(), value);
        self
    }

    fn defer(&mut self, e: EncodeError) {
        self.error.get_or_insert(e);
    }

    /// The first value that could not be converted.
    pub(crate) fn error(&self) -> Option<&EncodeError> {
        self.error.as_ref()
    }

    /// The kwargs as sent, with `session_context` merged under this call's context.
    pub(crate) fn with_session_context<'a>(
        &'a self,
        session_context: &'a [(String, Value)],
    ) -> KwargsPayload<'a> {
        KwargsPayload {
            kwargs: self,
            session_context,
        }
    }
}

/// Serializes as the `kwargs` struct sent to the server (without any session context).
impl Serialize for Kwargs {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(e) = &self.error {
            return Err(serde::ser::Error::custom(e));
        }
        self.with_session_context(&[]).serialize(serializer)
    }
}

fn set_entry(entries: &mut Vec<(String, Value)>, key: String, value: Value) {
    match entries.iter_mut().find(|(k, _)| *k == key) {
        Some(entry) => entry.1 = value,
        None => entries.push((key, value)),
    }
}

/// The `kwargs` struct of an `execute_kw` request.
pub(crate) struct KwargsPayload<'a> {
    kwargs: &'a Kwargs,
    session_context: &'a [(String, Value)],
}

impl KwargsPayload<'_> {
    /// Whether the call's kwargs set `key` (`context` included, when there is one).
    pub(crate) fn has_key(&self, key: &str) -> bool {
        self.kwargs.entries.iter().any(|(k, _)| k == key)
            || (key == "context" && self.has_context())
    }

    fn has_context(&self) -> bool {
        !self.kwargs.context.is_empty() || !self.session_context.is_empty()
    }

    /// Writes the entries, then the merged `context` if any, into a map being serialized (the
    /// `kwargs` struct, or a JSON-2 body after its named positional arguments).
    pub(crate) fn write_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (key, value) in &self.kwargs.entries {
            map.serialize_entry(key, value)?;
        }
        if self.has_context() {
            map.serialize_entry(
                "context",
                &MergedContext {
                    session: self.session_context,
                    call: &self.kwargs.context,
                },
            )?;
        }
        Ok(())
    }
}

impl Serialize for KwargsPayload<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(
            self.kwargs.entries.len() + usize::from(self.has_context()),
        ))?;
        self.write_entries(&mut map)?;
        map.end()
    }
}

struct MergedContext<'a> {
    session: &'a [(String, Value)],
    call: &'a [(String, Value)],
}

impl Serialize for MergedContext<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (key, value) in self.session {
            if !self.call.iter().any(|(k, _)| k == key) {
                map.serialize_entry(key, value)?;
            }
        }
        for (key, value) in self.call {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_context_overrides_session_context() {
        let session = vec![
            ("lang".to_owned(), Value::from("en_US")),
            ("tz".to_owned(), Value::from("UTC")),
        ];
        let kwargs = Kwargs::new().limit(3).context("tz", "Asia/Tokyo");
        let sent = to_value(&kwargs.with_session_context(&session)).unwrap();
        assert_eq!(sent.get("limit"), Some(&Value::Int(3)));
        let ctx = sent.get("context").unwrap();
        assert_eq!(ctx.get("lang").and_then(Value::as_str), Some("en_US"));
        assert_eq!(ctx.get("tz").and_then(Value::as_str), Some("Asia/Tokyo"));
    }

    #[test]
    fn insert_context_merges_and_insert_replaces() {
        let kwargs = Kwargs::new()
            .limit(1)
            .insert("limit", 2)
            .insert("context", Value::Struct(vec![("a".into(), Value::Int(1))]));
        assert_eq!(kwargs.get("limit"), Some(&Value::Int(2)));
        assert_eq!(kwargs.get_context("a"), Some(&Value::Int(1)));
        assert!(kwargs.get("context").is_none());
    }

    #[test]
    fn kwargs_serialize_alone_and_report_deferred_errors() {
        let sent = to_value(&Kwargs::new().order("id").context("lang", "fr_FR")).unwrap();
        assert_eq!(sent.get("order"), Some(&Value::from("id")));
        assert_eq!(
            sent.get("context").and_then(|c| c.get("lang")),
            Some(&Value::from("fr_FR"))
        );
        let deferred = Kwargs::new().insert("x", u64::MAX);
        assert!(deferred.error().is_some());
        assert!(to_value(&deferred).is_err());
    }

    #[test]
    fn no_context_key_when_both_are_empty() {
        let sent = to_value(&Kwargs::new().with_session_context(&[])).unwrap();
        assert_eq!(sent, Value::Struct(vec![]));
    }
}
