//! The one table of ORM signatures: which name each positional argument of `execute_kw` takes
//! on JSON-2, where every argument is named (odoo-19-json2, index.md "Arguments").

/// The parameter names of `method`, in positional order, as version 19 declares them; `None`
/// for a method the table does not know. Methods on records take their ids first, as `ids`.
pub(crate) fn params(method: &str) -> Option<&'static [&'static str]> {
    Some(match method {
        // @api.model methods: no ids.
        "create" => &["vals_list"],
        "search" => &["domain", "offset", "limit", "order"],
        "search_read" => &["domain", "fields", "offset", "limit", "order"],
        "search_count" => &["domain", "limit"],
        "name_search" => &["name", "domain", "operator", "limit"],
        "name_create" => &["name"],
        "fields_get" => &["allfields", "attributes"],
        "load" => &["fields", "data"],
        // `fields_list` up to 17; 18 renamed it (`default_get(self, fields: list[str])`).
        "default_get" => &["fields"],
        "read_group" => &[
            "domain", "fields", "groupby", "offset", "limit", "orderby", "lazy",
        ],
        "formatted_read_group" => &[
            "domain",
            "groupby",
            "aggregates",
            "having",
            "offset",
            "limit",
            "order",
        ],
        "web_search_read" => &[
            "domain",
            "specification",
            "offset",
            "limit",
            "order",
            "count_limit",
        ],
        "check_access_rights" => &["operation", "raise_exception"],
        "context_get" => &[],
        // Methods on records: ids first.
        "write" => &["ids", "vals"],
        "read" => &["ids", "fields", "load"],
        "unlink" | "name_get" | "action_archive" | "action_unarchive" | "toggle_active" => &["ids"],
        "copy" => &["ids", "default"],
        _ => return None,
    })
}

/// The name of positional argument `index` of `method`. A method the table does not know
/// takes its first argument as `ids`, as every method on records does; the rest must be named.
pub(crate) fn param(method: &str, index: usize) -> Result<&'static str, String> {
    match params(method) {
        Some(names) => names.get(index).copied().ok_or_else(|| {
            format!(
                "{method} takes {} positional argument{} on JSON-2 ({}); pass the others by \
                 name with Kwargs::insert",
                names.len(),
                if names.len() == 1 { "" } else { "s" },
                names.join(", ")
            )
        }),
        None if index == 0 => Ok("ids"),
        None => Err(format!(
            "JSON-2 names every argument, and the SDK does not know the signature of \
             {method}: pass its arguments after the ids by name with Kwargs::insert"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positional_arguments_take_19s_names() {
        assert_eq!(param("create", 0), Ok("vals_list"));
        assert_eq!(param("write", 0), Ok("ids"));
        assert_eq!(param("write", 1), Ok("vals"));
        assert_eq!(param("search_read", 4), Ok("order"));
        assert_eq!(param("name_search", 1), Ok("domain"));
        assert_eq!(param("formatted_read_group", 2), Ok("aggregates"));
        // Unknown methods are methods on records.
        assert_eq!(param("action_set_won", 0), Ok("ids"));
    }

    #[test]
    fn too_many_positional_arguments_say_what_to_do() {
        let err = param("write", 2).unwrap_err();
        assert!(
            err.contains("write takes 2 positional arguments on JSON-2 (ids, vals)"),
            "{err}"
        );
        assert!(err.contains("Kwargs::insert"), "{err}");
        let err = param("create", 1).unwrap_err();
        assert!(err.contains("1 positional argument on"), "{err}");
        let err = param("action_set_won", 1).unwrap_err();
        assert!(err.contains("signature of action_set_won"), "{err}");
        assert!(param("context_get", 0).is_err());
    }
}
