//! The wire protocol a [`Client`](crate::Client) speaks: XML-RPC, which every server of the
//! lineage serves, JSON-RPC (`POST /jsonrpc`), which servers since 8 serve beside it, or JSON-2
//! (`POST /json/2/<model>/<method>` with an API key), which servers since 19 serve and prefer.

use std::fmt;
use std::str::FromStr;

/// The wire protocol: [`ClientBuilder::protocol`](crate::ClientBuilder::protocol) chooses it,
/// XML-RPC unless told otherwise. It parses from the names `TASKFLOW_TRANSPORT` takes:
///
/// ```
/// use taskflow_sdk::Protocol;
///
/// assert_eq!("jsonrpc".parse::<Protocol>()?, Protocol::JsonRpc);
/// assert_eq!(Protocol::default(), Protocol::XmlRpc);
/// assert_eq!("json2".parse::<Protocol>()?, Protocol::Json2);
/// let err = "soap".parse::<Protocol>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     r#"unknown transport "soap": use xmlrpc, jsonrpc, json2 or auto"#
/// );
/// # Ok::<(), taskflow_sdk::UnknownProtocol>(())
/// ```
///
/// The typed API is the same over all three, with one meaning where the protocols differ:
///
/// | | XML-RPC | JSON-RPC | JSON-2 | The SDK |
/// |---|---|---|---|---|
/// | credentials | login and password (or API key) in every call | the same | `Authorization: bearer <API key>`, no login | [`Client::authenticate`](crate::Client::authenticate) on all three; with JSON-2 the "password" is the key and the uid comes from `res.users.context_get` |
/// | arguments | positional and keyword | the same | named only (`vals_list`, `ids`, `domain`...) | positional arguments are named from [one table](crate::json2) |
/// | `create` of one record | answers the id | the same | answers a list of one id (odoo-19-json2/021) | the id |
/// | display names | `name_get` (gone since 18: `display_name`) | the same | `display_name` (013, 014) | [`name_get`](crate::model::name_get) reads whichever the server has |
/// | a method that returns `None` | fault 1 `TypeError: cannot marshal None` (odoo-17/087) | success without `result` (odoo-17-jsonrpc/093) | `null` | an [`Error`](crate::Error) whose [`is_returned_none`](crate::Error::is_returned_none) is true: the method ran and was committed |
/// | the exception class | parsed from the traceback of fault 1, or implied by fault codes 2, 3, 4 | `error.data.name` | the error body's `name` | [`Fault::exception`](crate::Fault::exception), shortened alike (`ValueError`, `MissingError`) |
/// | fault kinds | by fault code and exception | by exception name (`odoo.exceptions.AccessError` and so on) | by exception name; the HTTP status only when the name says nothing | the same [`FaultKind`](crate::FaultKind)s, and so the same [retry causes](crate::transport#the-retry-table) |
/// | `false` for an empty field, `[id, "name"]` pairs, integral floats | as is | as is | as is | decoded by the same rules (see [`xmlrpc`](crate::xmlrpc) and [`jsonrpc`](crate::jsonrpc)) |
///
/// [`Protocol::Auto`] is a choice rather than a protocol: [`ClientBuilder::connect`](crate::ClientBuilder::connect)
/// asks the server its version and picks JSON-2 or JSON-RPC.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// XML-RPC at `/xmlrpc/2/common` and `/xmlrpc/2/object`.
    #[default]
    XmlRpc,
    /// JSON-RPC 2.0 at `/jsonrpc`, the service named in the body.
    JsonRpc,
    /// JSON-2 at `/json/2/<model>/<method>` (servers 19 and newer), authenticated by an API key
    /// ([`ClientBuilder::json2`](crate::ClientBuilder::json2)).
    Json2,
    /// JSON-2 when the client has an API key and the server is 19 or newer (`GET /web/version`);
    /// JSON-RPC otherwise, with the key (if any) as the password, which servers since 14
    /// accept: the login is then required. Resolved by
    /// [`ClientBuilder::connect`](crate::ClientBuilder::connect); a built client never speaks
    /// `Auto`.
    Auto,
}

impl Protocol {
    /// Every protocol, in the order of their names in messages.
    pub const ALL: [Protocol; 4] = [
        Protocol::XmlRpc,
        Protocol::JsonRpc,
        Protocol::Json2,
        Protocol::Auto,
    ];

    /// The name `TASKFLOW_TRANSPORT` and the CLI's `--transport` take: `xmlrpc`, `jsonrpc`,
    /// `json2`, `auto`.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::XmlRpc => "xmlrpc",
            Protocol::JsonRpc => "jsonrpc",
            Protocol::Json2 => "json2",
            Protocol::Auto => "auto",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Protocol {
    type Err = UnknownProtocol;

    fn from_str(s: &str) -> Result<Protocol, UnknownProtocol> {
        Protocol::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| UnknownProtocol(s.to_owned()))
    }
}

/// A protocol name that is none of [`Protocol::ALL`]'s: an error, never a fallback to XML-RPC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownProtocol(String);

impl fmt::Display for UnknownProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Protocol::ALL.iter().map(|p| p.name()).collect();
        let (last, rest) = names.split_last().expect("ALL is not empty");
        write!(
            f,
            "unknown transport {:?}: use {} or {last}",
            self.0,
            rest.join(", ")
        )
    }
}

impl std::error::Error for UnknownProtocol {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_nothing_else_parses() {
        for p in Protocol::ALL {
            assert_eq!(p.name().parse::<Protocol>(), Ok(p));
            assert_eq!(p.to_string(), p.name());
        }
        for bad in [
            "", "XMLRPC", "json", "json-rpc", " xmlrpc", "json-2", "JSON2",
        ] {
            assert!(bad.parse::<Protocol>().is_err(), "{bad:?} parsed");
        }
    }
}
