//! The XML-RPC services: `common` (`version`, `authenticate`, `login`), `db` (`list`,
//! `server_version`) and `object` (`execute_kw`, `execute`), dispatched like the real server.
//!
//! Authentication follows the recorded order (transcripts 069-071): an unknown database is a
//! code-1 `OperationalError`, an unknown uid a `MissingError` on `res.users`, a wrong password
//! `AccessDenied`; then the model (unknown: code 2), private methods (code 4) and unknown methods
//! (code 1 `AttributeError`).

use std::sync::{Arc, RwLock};

use taskflow_sdk::xmlrpc::Value;

use crate::env::Env;
use crate::fault::Fault;
use crate::load::{self, Checked};
use crate::mode::Mode;
use crate::orm::{self, Access, DbHandle};
use crate::schema::Model;
use crate::signature::missing_arguments;
use crate::store::Database;

/// Server-wide state shared by every connection.
#[derive(Debug)]
pub struct Shared {
    /// The one database, behind a lock: readers share it, writers are serialized, so no write
    /// is lost and every read sees a whole call's changes or none of them.
    pub db: RwLock<Database>,
    /// The server version imitated: its `version()` answer, methods and fault texts.
    pub mode: Mode,
}

impl Shared {
    /// The database's name.
    pub fn db_name(&self) -> String {
        self.read().name.clone()
    }

    /// Whether the database has the model `name`.
    pub fn has_model(&self, name: &str) -> bool {
        self.read().model(name).is_some()
    }

    /// The user whose API key `key` is.
    pub fn api_key_user(&self, key: &str) -> Option<i64> {
        self.read().api_keys.get(key).copied()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Database> {
        // A panic while holding the lock cannot leave a half-applied write: writes are planned
        // before they are applied. So a poisoned lock is still consistent.
        self.db.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Database> {
        self.db.write().unwrap_or_else(|e| e.into_inner())
    }
}

fn arity(name: &str, params: &[Value], names: &[&str]) -> Result<(), Fault> {
    if params.len() < names.len() {
        return Err(missing_arguments(name, &names[params.len()..]));
    }
    if params.len() > names.len() {
        return Err(Fault::type_error(format!(
            "{name}() takes {} positional arguments but {} were given",
            names.len(),
            params.len()
        )));
    }
    Ok(())
}

fn string_param(v: &Value) -> Result<&str, Fault> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(Fault::type_error(format!(
            "expected a string, got {}",
            crate::convert::py_type(other)
        ))),
    }
}

fn unknown_db(name: &str) -> Fault {
    Fault::exception(
        "psycopg2.OperationalError",
        format!(
            "connection to server on socket \"/var/run/postgresql/.s.PGSQL.5432\" failed: FATAL:  \
             database \"{name}\" does not exist\n"
        ),
    )
}

/// Dispatches `method` of `service` (`common`, `db`, `object`).
pub fn dispatch(
    shared: &Shared,
    service: &str,
    method: &str,
    params: &[Value],
) -> Result<Value, Fault> {
    match service {
        "common" => common(shared, method, params),
        "db" => db_service(shared, method, params),
        "object" => object(shared, method, params),
        other => Err(Fault::exception("KeyError", format!("'{other}'"))),
    }
}

fn common(shared: &Shared, method: &str, params: &[Value]) -> Result<Value, Fault> {
    match method {
        "version" => Ok(shared.mode.version_info().to_value()),
        "authenticate" => {
            arity(
                "exp_authenticate",
                params,
                &["db", "login", "password", "user_agent_env"],
            )?;
            authenticate(shared, &params[0], &params[1], &params[2])
        }
        "login" => {
            arity("exp_login", params, &["db", "login", "password"])?;
            authenticate(shared, &params[0], &params[1], &params[2])
        }
        "about" => Ok(Value::from("See https://example.invalid/taskflow")),
        other => Err(Fault::exception(
            "Exception",
            format!("Method not found: {other}"),
        )),
    }
}

/// `authenticate`: the uid, or `false` for a wrong login or password (not a fault).
fn authenticate(
    shared: &Shared,
    db: &Value,
    login: &Value,
    password: &Value,
) -> Result<Value, Fault> {
    let db_name = string_param(db)?;
    let guard = shared.read();
    if guard.name != db_name {
        return Err(unknown_db(db_name));
    }
    let (Value::String(login), Value::String(password)) = (login, password) else {
        return Ok(Value::Bool(false));
    };
    let Some(users) = guard.model("res.users") else {
        return Ok(Value::Bool(false));
    };
    let (Some(login_idx), Some(active_idx)) =
        (users.field_index("login"), users.field_index("active"))
    else {
        return Ok(Value::Bool(false));
    };
    let uid = guard.table("res.users").and_then(|t| {
        t.records
            .iter()
            .find(|(_, r)| {
                r.get(login_idx).and_then(Value::as_str) == Some(login.as_str())
                    && !matches!(r.get(active_idx), Some(Value::Bool(false)))
            })
            .map(|(&id, _)| id)
    });
    Ok(match uid {
        Some(uid) if guard.opens(uid, password) => Value::Int(uid),
        _ => Value::Bool(false),
    })
}

fn db_service(shared: &Shared, method: &str, params: &[Value]) -> Result<Value, Fault> {
    match method {
        "list" => Ok(Value::Array(vec![Value::String(
            shared.read().name.clone(),
        )])),
        "server_version" => Ok(Value::String(shared.mode.version_info().server_version)),
        "db_exist" => {
            arity("exp_db_exist", params, &["db_name"])?;
            Ok(Value::Bool(
                params[0].as_str() == Some(shared.read().name.as_str()),
            ))
        }
        other => Err(Fault::exception("KeyError", format!("'{other}'"))),
    }
}

fn object(shared: &Shared, method: &str, params: &[Value]) -> Result<Value, Fault> {
    // Borrowed from the request: a `load` carries megabytes of rows.
    let (args, kwargs): (&[Value], &[(String, Value)]) = match method {
        "execute_kw" => {
            if params.len() < 5 {
                let names = ["db", "uid", "passwd", "model", "method"];
                return Err(Fault::type_error(format!(
                    "execute_kw() missing {} required positional arguments: {}",
                    5 - params.len(),
                    names[params.len()..]
                        .iter()
                        .map(|n| format!("'{n}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            if params.len() > 7 {
                return Err(Fault::type_error(format!(
                    "execute_kw() takes from 5 to 7 positional arguments but {} were given",
                    params.len()
                )));
            }
            let args: &[Value] = match params.get(5) {
                None | Some(Value::Nil) => &[],
                Some(Value::Array(a)) => a,
                Some(other) => {
                    return Err(Fault::type_error(format!(
                        "argument after * must be an iterable, not {}",
                        crate::convert::py_type(other)
                    )));
                }
            };
            let kwargs: &[(String, Value)] = match params.get(6) {
                None | Some(Value::Nil) => &[],
                Some(Value::Struct(m)) => m,
                Some(other) => {
                    return Err(Fault::type_error(format!(
                        "argument after ** must be a mapping, not {}",
                        crate::convert::py_type(other)
                    )));
                }
            };
            (args, kwargs)
        }
        "execute" => {
            if params.len() < 5 {
                return Err(Fault::type_error(
                    "execute() missing required positional arguments",
                ));
            }
            (&params[5..], &[])
        }
        // `odoo.service.model.dispatch`'s own words.
        other => {
            return Err(Fault::exception(
                "NameError",
                format!("Method not available {other}"),
            ));
        }
    };
    let db_name = string_param(&params[0])?;
    let uid = uid_param(&params[1])?;
    let password = string_param(&params[2])?;
    let model_name = string_param(&params[3])?;
    let method = string_param(&params[4])?;
    execute(
        shared,
        Caller {
            db: db_name,
            uid,
            password: Some(password),
        },
        model_name,
        method,
        args,
        kwargs,
    )
}

/// The server does `int(uid)` (odoo-17-jsonrpc 074: `"2"` works); `false`, what a failed
/// `authenticate` answers, is uid 0, which no password opens (072).
fn uid_param(v: &Value) -> Result<i64, Fault> {
    match v {
        Value::Int(uid) => Ok(*uid),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::String(s) => s.trim().parse().map_err(|_| {
            Fault::value(format!(
                "invalid literal for int() with base 10: {}",
                crate::fault::py_repr(s)
            ))
        }),
        other => Err(Fault::type_error(format!(
            "int() argument must be a string, a bytes-like object or a real number, not '{}'",
            crate::convert::py_type(other)
        ))),
    }
}

/// Who calls a model method: a user of a database, proven by a password (`execute_kw`) or by
/// a session that already checked it (`/web/dataset/call_kw`, `password: None`).
#[derive(Clone, Copy, Debug)]
pub struct Caller<'a> {
    /// The database named.
    pub db: &'a str,
    /// The user id.
    pub uid: i64,
    /// The password to check, or `None` when a session authenticated the user.
    pub password: Option<&'a str>,
}

/// Runs `method` of `model_name` for `caller`, the one path every front end's model calls
/// take: authentication, the model and method checks, rights, locking, the ORM.
///
/// A method that returns nothing answers [`Value::Nil`]: each protocol says it its way
/// (XML-RPC faults, JSON-RPC omits `result`).
pub fn execute(
    shared: &Shared,
    caller: Caller<'_>,
    model_name: &str,
    method: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
) -> Result<Value, Fault> {
    let Caller {
        db: db_name,
        uid,
        password,
    } = caller;

    let context = kwargs
        .iter()
        .find(|(k, _)| k == "context")
        .map(|(_, v)| v.clone());
    let kwargs: Vec<(String, Value)> = kwargs
        .iter()
        .filter(|(k, _)| k != "context")
        .cloned()
        .collect();
    let env = Env::new(uid, context.as_ref());
    let access = orm::method_access(method);

    // The checks every call passes first, under whichever lock it takes.
    let admit = |d: &Database| -> Result<Arc<Model>, Fault> {
        if d.name != db_name {
            return Err(unknown_db(db_name));
        }
        if uid == 0 && password.is_some() {
            return Err(Fault::AccessDenied);
        }
        if !d.exists("res.users", uid) {
            return Err(Fault::missing("res.users", &[uid], uid));
        }
        if let Some(password) = password {
            if !d.opens(uid, password) {
                return Err(Fault::AccessDenied);
            }
        }
        let Some(model) = d.model(model_name) else {
            return Err(Fault::User(format!("Object {model_name} doesn't exist")));
        };
        if shared.mode.is_private(method) {
            return Err(shared.mode.private_method(&model.name, method));
        }
        if access.is_none() {
            return Err(shared.mode.unknown_method(&model.name, method));
        }
        shared.mode.check_lang(context.as_ref())?;
        Ok(model)
    };
    let run = |db: &mut DbHandle<'_>| -> Result<Value, Fault> {
        let model = admit(db.get())?;
        orm::call(db, &env, &model, method, args, &kwargs, shared.mode)
    };
    match access {
        Some(Access::Write) if method == "load" => {
            // Checking the rows is most of a load's work, and only reads: it runs under the
            // shared lock, beside other loads, and only the applying takes the exclusive one.
            let check = |db: &Database| {
                admit(db).and_then(|model| orm::check_load(db, &env, &model, args, &kwargs))
            };
            let checked = check(&shared.read())?;
            let answer = match checked {
                Checked::Rejected(answer) => Ok(answer),
                Checked::Staged(staged) => {
                    let mut db = shared.write();
                    if load::still_applies(&db, &staged) {
                        Ok(load::apply(&mut db, &env, staged))
                    } else {
                        // Another write came in between: check again, holding the lock. Like
                        // the first try, this makes no new revision, so the loads checked
                        // beside this one are not sent back too.
                        drop(staged);
                        match check(&db)? {
                            Checked::Rejected(answer) => Ok(answer),
                            Checked::Staged(staged) => Ok(load::apply(&mut db, &env, staged)),
                        }
                    }
                }
            };
            answer.map(|answer| load::for_version(answer, shared.mode))
        }
        Some(Access::Write) => run(&mut DbHandle::Exclusive(&mut shared.write())),
        _ => run(&mut DbHandle::Shared(&shared.read())),
    }
}

/// Builds the shared state around a seeded database.
pub fn shared(db: Database, mode: Mode) -> Arc<Shared> {
    Arc::new(Shared {
        db: RwLock::new(db),
        mode,
    })
}
