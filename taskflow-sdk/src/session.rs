//! An authenticated session: `execute_kw` with the session's credentials and context.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde::ser::{SerializeSeq, Serializer};

use crate::client::{Client, Service};
use crate::error::{CallInfo, Error, Result};
use crate::kwargs::Kwargs;
use crate::protocol::Protocol;
use crate::secret::Secret;
use crate::xmlrpc::{EncodeError, Value, to_value};

/// A logged-in user on one database: the database, the uid, the password (or API key) and a
/// context sent with every call.
///
/// Cheap to clone (an `Arc`), `Send + Sync`: share it between tasks; concurrent calls share the
/// client's connection pool.
///
/// ```no_run
/// # async fn run() -> taskflow_sdk::Result<()> {
/// use serde::Deserialize;
/// use taskflow_sdk::{Client, Kwargs};
///
/// #[derive(Deserialize)]
/// struct Stage { id: i64, name: String }
///
/// let session = Client::new("http://127.0.0.1:8069")?
///     .authenticate("taskflow", "admin", "admin")
///     .await?
///     .with_context("lang", "en_US");
/// let stages: Vec<Stage> = session
///     .execute_kw("crm.stage", "search_read", (), Kwargs::new().fields(["name"]).order("sequence"))
///     .await?;
/// let count: i64 = session
///     .execute_kw("crm.lead", "search_count", ([("type", "=", "opportunity")],), Kwargs::new())
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Session {
    inner: Arc<SessionInner>,
}

#[derive(Clone)]
struct SessionInner {
    client: Client,
    db: String,
    uid: i64,
    login: String,
    password: Secret,
    context: Vec<(String, Value)>,
    /// A context value that could not be converted: reported by the next call.
    context_error: Option<EncodeError>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("url", &self.inner.client.url())
            .field("db", &self.inner.db)
            .field("uid", &self.inner.uid)
            .field("login", &self.inner.login)
            .field("password", &self.inner.password)
            .field("context", &self.inner.context)
            .finish()
    }
}

impl Session {
    pub(crate) fn new(
        client: Client,
        db: String,
        uid: i64,
        login: String,
        password: Secret,
    ) -> Session {
        Session {
            inner: Arc::new(SessionInner {
                client,
                db,
                uid,
                login,
                password,
                context: Vec::new(),
                context_error: None,
            }),
        }
    }

    /// A session for a known uid without calling `authenticate` (API keys, tests). The server
    /// checks the credentials on every call.
    pub fn with_uid(
        client: Client,
        db: &str,
        uid: i64,
        login: &str,
        password: impl Into<Secret>,
    ) -> Session {
        Session::new(
            client,
            db.to_owned(),
            uid,
            login.to_owned(),
            password.into(),
        )
    }

    /// The database.
    pub fn db(&self) -> &str {
        &self.inner.db
    }

    /// The user's id.
    pub fn uid(&self) -> i64 {
        self.inner.uid
    }

    /// The login the session was opened with.
    pub fn login(&self) -> &str {
        &self.inner.login
    }

    /// The client the session calls through.
    pub fn client(&self) -> &Client {
        &self.inner.client
    }

    /// The session-wide context sent with every call.
    pub fn context(&self) -> &[(String, Value)] {
        &self.inner.context
    }

    /// A copy of this session whose context has `key` set to `value` (`lang`, `tz`,
    /// `active_test`, `allowed_company_ids`...). Every call sends it; a call's own
    /// [`Kwargs::context`] overrides it key by key. A value that cannot be written as XML-RPC
    /// makes the next call fail with [`Error::Encode`].
    ///
    /// ```no_run
    /// # fn run(session: taskflow_sdk::Session) {
    /// let archived = session.with_context("active_test", false).with_context("tz", "Europe/Brussels");
    /// # }
    /// ```
    #[must_use]
    pub fn with_context(&self, key: impl Into<String>, value: impl Serialize) -> Session {
        let mut inner = (*self.inner).clone();
        let key = key.into();
        match to_value(&value) {
            Ok(value) => match inner.context.iter_mut().find(|(k, _)| *k == key) {
                Some(entry) => entry.1 = value,
                None => inner.context.push((key, value)),
            },
            Err(e) => {
                inner.context_error.get_or_insert(e);
            }
        }
        Session {
            inner: Arc::new(inner),
        }
    }

    /// A copy of this session without `key` in its context.
    #[must_use]
    pub fn without_context(&self, key: &str) -> Session {
        let mut inner = (*self.inner).clone();
        inner.context.retain(|(k, _)| k != key);
        Session {
            inner: Arc::new(inner),
        }
    }

    /// Calls `model.method(*args, **kwargs)` through `execute_kw` and decodes the result
    /// straight into `R`.
    ///
    /// `args` are the positional arguments: a tuple or a `Vec` (`()` for none), written
    /// directly as XML-RPC without an intermediate value. The session's context is merged
    /// under `kwargs`' own. On JSON-2, where every argument is named, each positional argument
    /// takes its name from [one table](crate::json2) of the ORM's signatures. Read-only methods (see [`RetryPolicy`](crate::RetryPolicy)) are
    /// retried on transient failures; others are sent once.
    ///
    /// ```no_run
    /// # async fn run(session: taskflow_sdk::Session) -> taskflow_sdk::Result<()> {
    /// use std::collections::HashMap;
    /// use taskflow_sdk::Kwargs;
    ///
    /// let id: i64 = session
    ///     .execute_kw("crm.lead", "create", (HashMap::from([("name", "New lead")]),), Kwargs::new())
    ///     .await?;
    /// let names: Vec<(i64, String)> = session
    ///     .execute_kw("crm.lead", "name_search", ("desk",), Kwargs::new().limit(5))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn execute_kw<R: DeserializeOwned>(
        &self,
        model: &str,
        method: &str,
        args: impl Serialize,
        kwargs: Kwargs,
    ) -> Result<R> {
        let inner = &*self.inner;
        if let Some(e) = inner.context_error.as_ref().or(kwargs.error()) {
            return Err(Error::Encode {
                source: e.clone(),
                call: CallInfo::new(inner.client.object_display(), Some(model), method),
            });
        }
        let idempotent = inner.client.retry_policy().is_idempotent(method);
        if inner.client.protocol() == Protocol::Json2 {
            return inner
                .client
                .call_json2(
                    &inner.db,
                    &inner.password,
                    model,
                    method,
                    &args,
                    kwargs.with_session_context(&inner.context),
                    idempotent,
                )
                .await;
        }
        let params = (
            inner.db.as_str(),
            inner.uid,
            inner.password.expose(),
            model,
            method,
            ArgsList(&args),
            kwargs.with_session_context(&inner.context),
        );
        inner
            .client
            .call(
                Service::Object,
                Some(model),
                method,
                "execute_kw",
                &params,
                idempotent,
            )
            .await
    }

    /// [`Session::execute_kw`] returning the dynamic [`Value`], for untyped use.
    ///
    /// ```no_run
    /// # async fn run(session: taskflow_sdk::Session) -> taskflow_sdk::Result<()> {
    /// use taskflow_sdk::Kwargs;
    ///
    /// let fields = session
    ///     .execute_kw_value("crm.lead", "fields_get", (), Kwargs::new().insert("attributes", ["type"]))
    ///     .await?;
    /// println!("{:?}", fields.get("name"));
    /// # Ok(()) }
    /// ```
    pub async fn execute_kw_value(
        &self,
        model: &str,
        method: &str,
        args: impl Serialize,
        kwargs: Kwargs,
    ) -> Result<Value> {
        self.execute_kw(model, method, args, kwargs).await
    }
}

/// The `args` of `execute_kw`: always a list, `()` included (serde writes `()` as nil).
struct ArgsList<'a, A: ?Sized>(&'a A);

impl<A: Serialize + ?Sized> Serialize for ArgsList<'_, A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize(UnitAsEmptyList(serializer))
    }
}

/// Forwards to the inner serializer, except that unit becomes an empty list.
struct UnitAsEmptyList<S>(S);

macro_rules! forward {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        $(fn $name(self, $($arg: $ty),*) -> std::result::Result<$ret, S::Error> {
            self.0.$name($($arg),*)
        })*
    };
}

impl<S: Serializer> Serializer for UnitAsEmptyList<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = S::SerializeSeq;
    type SerializeTuple = S::SerializeTuple;
    type SerializeTupleStruct = S::SerializeTupleStruct;
    type SerializeTupleVariant = S::SerializeTupleVariant;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = S::SerializeStruct;
    type SerializeStructVariant = S::SerializeStructVariant;

    fn serialize_unit(self) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize_seq(Some(0))?.end()
    }

    fn serialize_unit_struct(self, _: &'static str) -> std::result::Result<S::Ok, S::Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: ?Sized + Serialize>(
        self,
        value: &T,
    ) -> std::result::Result<S::Ok, S::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize_newtype_struct(name, value)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> std::result::Result<S::Ok, S::Error> {
        self.0
            .serialize_newtype_variant(name, index, variant, value)
    }

    forward! {
        serialize_bool(v: bool) -> S::Ok;
        serialize_i8(v: i8) -> S::Ok;
        serialize_i16(v: i16) -> S::Ok;
        serialize_i32(v: i32) -> S::Ok;
        serialize_i64(v: i64) -> S::Ok;
        serialize_u8(v: u8) -> S::Ok;
        serialize_u16(v: u16) -> S::Ok;
        serialize_u32(v: u32) -> S::Ok;
        serialize_u64(v: u64) -> S::Ok;
        serialize_f32(v: f32) -> S::Ok;
        serialize_f64(v: f64) -> S::Ok;
        serialize_char(v: char) -> S::Ok;
        serialize_str(v: &str) -> S::Ok;
        serialize_bytes(v: &[u8]) -> S::Ok;
        serialize_none() -> S::Ok;
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str) -> S::Ok;
        serialize_seq(len: Option<usize>) -> S::SerializeSeq;
        serialize_tuple(len: usize) -> S::SerializeTuple;
        serialize_tuple_struct(name: &'static str, len: usize) -> S::SerializeTupleStruct;
        serialize_tuple_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> S::SerializeTupleVariant;
        serialize_map(len: Option<usize>) -> S::SerializeMap;
        serialize_struct(name: &'static str, len: usize) -> S::SerializeStruct;
        serialize_struct_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> S::SerializeStructVariant;
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_args_become_an_empty_list_and_tuples_stay_lists() {
        assert_eq!(to_value(&ArgsList(&())).unwrap(), Value::Array(vec![]));
        assert_eq!(
            to_value(&ArgsList(&(vec![1, 2],))).unwrap(),
            Value::Array(vec![Value::Array(vec![Value::Int(1), Value::Int(2)])])
        );
    }

    #[test]
    fn session_is_send_sync() {
        fn check<T: Send + Sync + Clone + 'static>() {}
        check::<Session>();
    }
}
