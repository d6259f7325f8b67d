//! The ORM methods' Python signatures, the one table every front end binds arguments with
//! ([`method`]), and Python-style binding of positional and keyword arguments to them.
//!
//! The real server calls Python methods, so a misspelled keyword is a `TypeError: BaseModel.search()
//! got an unexpected keyword argument 'x'` (transcripts 085, 086), not silently ignored. `<nil/>`
//! counts as `None`, which every optional parameter treats as its default (transcript 093).
//! JSON-2 (Odoo 19) passes named arguments only, bound with `inspect.signature(...).bind`, whose
//! messages differ ([`Signature::bind_named`]).

use taskflow_sdk::xmlrpc::Value;

use crate::fault::Fault;
use crate::mode::Mode;

/// A served model method: its parameters, and whether it is a record method (it takes the
/// records' ids first) or an `@api.model` one.
pub struct Method {
    /// The parameters after `self` (and after the ids of a record method).
    pub signature: Signature,
    /// Whether the method runs on records (`read`, `write`...): `execute_kw` passes their ids
    /// as the first positional argument, JSON-2 as `ids`.
    pub records: bool,
}

const fn model(name: &'static str, params: &'static [(&'static str, bool)]) -> Option<Method> {
    Some(Method {
        signature: Signature { name, params },
        records: false,
    })
}

const fn records(name: &'static str, params: &'static [(&'static str, bool)]) -> Option<Method> {
    Some(Method {
        signature: Signature { name, params },
        records: true,
    })
}

/// The method `name` of `model_name` as the version `mode` imitates has it, `None` when it has
/// no such (public) method: the parameter names are that version's (`name_search` takes `args`
/// in 17, `domain` in 19; 19 has no `name_get` but `formatted_read_group`).
pub fn method(model_name: &str, name: &str, mode: Mode) -> Option<Method> {
    match name {
        "read" => records("BaseModel.read", &[("fields", false), ("load", false)]),
        "name_get" if mode.has_name_get() => records("BaseModel.name_get", &[]),
        "search" => model(
            "BaseModel.search",
            &[
                ("domain", true),
                ("offset", false),
                ("limit", false),
                ("order", false),
            ],
        ),
        "search_read" => model(
            "BaseModel.search_read",
            &[
                ("domain", false),
                ("fields", false),
                ("offset", false),
                ("limit", false),
                ("order", false),
                ("load", false),
            ],
        ),
        "search_count" => model(
            "BaseModel.search_count",
            &[("domain", true), ("limit", false)],
        ),
        "name_search" if mode == Mode::Odoo19 => model(
            "BaseModel.name_search",
            &[
                ("name", false),
                ("domain", false),
                ("operator", false),
                ("limit", false),
            ],
        ),
        "name_search" => model(
            "BaseModel.name_search",
            &[
                ("name", false),
                ("args", false),
                ("operator", false),
                ("limit", false),
            ],
        ),
        "fields_get" => model(
            "BaseModel.fields_get",
            &[("allfields", false), ("attributes", false)],
        ),
        // 18 renamed the parameter (`default_get(self, fields: list[str])`).
        "default_get" if mode == Mode::Odoo19 => {
            model("BaseModel.default_get", &[("fields", true)])
        }
        "default_get" => model("BaseModel.default_get", &[("fields_list", true)]),
        "read_group" => model(
            "BaseModel.read_group",
            &[
                ("domain", true),
                ("fields", true),
                ("groupby", true),
                ("offset", false),
                ("limit", false),
                ("orderby", false),
                ("lazy", false),
            ],
        ),
        "formatted_read_group" if mode.has_formatted_read_group() => model(
            "BaseModel.formatted_read_group",
            &[
                ("domain", true),
                ("groupby", false),
                ("aggregates", false),
                ("having", false),
                ("offset", false),
                ("limit", false),
                ("order", false),
            ],
        ),
        "context_get" if model_name == "res.users" => model("Users.context_get", &[]),
        "check_access_rights" => model(
            "BaseModel.check_access_rights",
            &[("operation", true), ("raise_exception", false)],
        ),
        "create" => model("BaseModel.create", &[("vals_list", true)]),
        "write" => records("BaseModel.write", &[("vals", true)]),
        "unlink" => records("BaseModel.unlink", &[]),
        "name_create" => model("BaseModel.name_create", &[("name", true)]),
        "load" => model("BaseModel.load", &[("fields", true), ("data", true)]),
        "action_archive" => records("BaseModel.action_archive", &[]),
        "action_unarchive" => records("BaseModel.action_unarchive", &[]),
        _ => None,
    }
}

/// A method's parameters after `self` (and after the record ids of record methods).
pub struct Signature {
    /// Qualified name used in messages (`BaseModel.search`).
    pub name: &'static str,
    /// Parameter names in order, and whether each is required.
    pub params: &'static [(&'static str, bool)],
}

/// Arguments bound to parameters: `Some` where given (and not `None`).
#[derive(Debug)]
pub struct Bound<'a> {
    values: Vec<Option<&'a Value>>,
    names: &'static [(&'static str, bool)],
}

impl<'a> Bound<'a> {
    /// The argument bound to `name`, if given.
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        let pos = self.names.iter().position(|(n, _)| *n == name)?;
        self.values[pos]
    }
}

/// Python's `TypeError` for a call without the required arguments `missing`:
/// `f() missing 2 required positional arguments: 'a' and 'b'`.
pub fn missing_arguments(name: &str, missing: &[&str]) -> Fault {
    let names = missing
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(" and ");
    let plural = if missing.len() == 1 {
        "argument"
    } else {
        "arguments"
    };
    Fault::type_error(format!(
        "{name}() missing {} required positional {plural}: {names}",
        missing.len()
    ))
}

impl Signature {
    /// Binds named arguments only, like `inspect.signature(method).bind(records, **kwargs)`,
    /// which JSON-2 does (odoo-19-json2 024, 054): its `TypeError` messages name no function,
    /// and a missing parameter is reported before an unexpected name (024: `create(vals=...)`
    /// misses `vals_list`).
    pub fn bind_named<'a>(&self, kwargs: &'a [(String, Value)]) -> Result<Bound<'a>, String> {
        if let Some((missing, _)) = self
            .params
            .iter()
            .find(|(n, required)| *required && !kwargs.iter().any(|(k, _)| k == n))
        {
            return Err(format!("missing a required argument: '{missing}'"));
        }
        for (key, _) in kwargs {
            if !self.params.iter().any(|(n, _)| n == key) {
                return Err(format!("got an unexpected keyword argument '{key}'"));
            }
        }
        self.bind(&[], kwargs).map_err(|fault| fault.message())
    }

    /// Binds `args` and `kwargs` like a Python call would, borrowing them (a `load` payload is
    /// megabytes).
    pub fn bind<'a>(
        &self,
        args: &'a [Value],
        kwargs: &'a [(String, Value)],
    ) -> Result<Bound<'a>, Fault> {
        let total = self.params.len();
        if args.len() > total {
            let required = self.params.iter().filter(|(_, r)| *r).count();
            let takes = if required == total {
                format!("{}", total + 1)
            } else {
                format!("from {} to {}", required + 1, total + 1)
            };
            return Err(Fault::type_error(format!(
                "{}() takes {takes} positional arguments but {} were given",
                self.name,
                args.len() + 1
            )));
        }
        let mut values: Vec<Option<&Value>> = vec![None; total];
        let mut given = vec![false; total];
        for (i, a) in args.iter().enumerate() {
            given[i] = true;
            values[i] = (!matches!(a, Value::Nil)).then_some(a);
        }
        for (key, value) in kwargs {
            match self.params.iter().position(|(n, _)| n == key) {
                Some(pos) if given[pos] => {
                    return Err(Fault::type_error(format!(
                        "{}() got multiple values for argument '{key}'",
                        self.name
                    )));
                }
                Some(pos) => {
                    given[pos] = true;
                    values[pos] = (!matches!(value, Value::Nil)).then_some(value);
                }
                None => {
                    return Err(Fault::type_error(format!(
                        "{}() got an unexpected keyword argument '{key}'",
                        self.name
                    )));
                }
            }
        }
        let missing: Vec<&str> = self
            .params
            .iter()
            .zip(&given)
            .filter(|((_, required), g)| *required && !**g)
            .map(|((n, _), _)| *n)
            .collect();
        if !missing.is_empty() {
            return Err(missing_arguments(self.name, &missing));
        }
        Ok(Bound {
            values,
            names: self.params,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEARCH: Signature = Signature {
        name: "BaseModel.search",
        params: &[
            ("domain", true),
            ("offset", false),
            ("limit", false),
            ("order", false),
        ],
    };

    #[test]
    fn named_arguments_bind_like_inspect_signature() {
        let kwargs = [("vals".to_owned(), Value::Struct(vec![]))];
        let create = method("crm.lead", "create", Mode::Odoo19).expect("create");
        assert_eq!(
            create.signature.bind_named(&kwargs).unwrap_err(),
            "missing a required argument: 'vals_list'"
        );
        let extra = [
            ("vals_list".to_owned(), Value::Array(vec![])),
            ("vals".to_owned(), Value::Struct(vec![])),
        ];
        assert_eq!(
            create.signature.bind_named(&extra).unwrap_err(),
            "got an unexpected keyword argument 'vals'"
        );
        let write = method("crm.lead", "write", Mode::Odoo19).expect("write");
        assert!(write.records);
        assert_eq!(
            write.signature.bind_named(&[]).unwrap_err(),
            "missing a required argument: 'vals'"
        );
        let b = write.signature.bind_named(&kwargs).expect("binds");
        assert_eq!(b.get("vals"), Some(&Value::Struct(vec![])));
    }

    #[test]
    fn the_table_follows_the_version() {
        assert!(method("crm.lead", "name_get", Mode::Odoo19).is_none());
        assert!(method("crm.lead", "name_get", Mode::Odoo17).is_some());
        assert!(method("crm.lead", "formatted_read_group", Mode::Odoo17).is_none());
        assert!(method("crm.lead", "formatted_read_group", Mode::Odoo19).is_some());
        assert!(method("crm.lead", "context_get", Mode::Odoo19).is_none());
        assert!(method("res.users", "context_get", Mode::Odoo19).is_some());
        let domain = |mode| method("x", "name_search", mode).unwrap().signature.params[1].0;
        assert_eq!(
            (domain(Mode::Odoo17), domain(Mode::Odoo19)),
            ("args", "domain")
        );
        assert!(method("x", "_read", Mode::Odoo19).is_none());
    }

    #[test]
    fn binds_like_python() {
        let (args, kwargs) = ([Value::Array(vec![])], [("limit".into(), Value::Int(5))]);
        let b = SEARCH.bind(&args, &kwargs).unwrap();
        assert_eq!(b.get("limit"), Some(&Value::Int(5)));
        assert_eq!(b.get("offset"), None);
        let err = SEARCH
            .bind(
                &[Value::Array(vec![])],
                &[("count".into(), Value::Bool(true))],
            )
            .unwrap_err();
        assert_eq!(
            err,
            Fault::type_error("BaseModel.search() got an unexpected keyword argument 'count'")
        );
        let err = SEARCH.bind(&[], &[]).unwrap_err();
        assert_eq!(
            err,
            Fault::type_error(
                "BaseModel.search() missing 1 required positional argument: 'domain'"
            )
        );
        let err = SEARCH.bind(&vec![Value::Int(0); 5], &[]).unwrap_err();
        assert_eq!(
            err,
            Fault::type_error(
                "BaseModel.search() takes from 2 to 5 positional arguments but 6 were given"
            )
        );
    }
}
