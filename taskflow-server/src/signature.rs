//! Python-style binding of `execute_kw` positional and keyword arguments to a method's parameters.
//!
//! The real server calls Python methods, so a misspelled keyword is a `TypeError: BaseModel.search()
//! got an unexpected keyword argument 'x'` (transcripts 085, 086), not silently ignored. `<nil/>`
//! counts as `None`, which every optional parameter treats as its default (transcript 093).

use taskflow_sdk::xmlrpc::Value;

use crate::fault::Fault;

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
