//! The wire protocol a [`Client`](crate::Client) speaks: XML-RPC, which every server of the
//! lineage serves, or JSON-RPC (`POST /jsonrpc`), which servers since 8 serve beside it.

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
/// let err = "soap".parse::<Protocol>().unwrap_err();
/// assert_eq!(err.to_string(), r#"unknown transport "soap": use xmlrpc or jsonrpc"#);
/// # Ok::<(), taskflow_sdk::UnknownProtocol>(())
/// ```
///
/// The typed API is the same over both, with one meaning where the protocols differ:
///
/// | | XML-RPC | JSON-RPC | The SDK |
/// |---|---|---|---|
/// | a method that returns `None` | fault 1 `TypeError: cannot marshal None` (odoo-17/087) | success without `result` (odoo-17-jsonrpc/093) | an [`Error`](crate::Error) whose [`is_returned_none`](crate::Error::is_returned_none) is true: the method ran and was committed |
/// | the exception class | parsed from the traceback of fault 1, or implied by fault codes 2, 3, 4 | `error.data.name` | [`Fault::exception`](crate::Fault::exception), shortened alike (`ValueError`, `MissingError`) |
/// | fault kinds | by fault code and exception | by exception name (`odoo.exceptions.AccessError` and so on) | the same [`FaultKind`](crate::FaultKind)s, and so the same [retry causes](crate::transport#the-retry-table) |
/// | `false` for an empty field, `[id, "name"]` pairs, integral floats | as is | as is | decoded by the same rules (see [`xmlrpc`](crate::xmlrpc) and [`jsonrpc`](crate::jsonrpc)) |
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// XML-RPC at `/xmlrpc/2/common` and `/xmlrpc/2/object`.
    #[default]
    XmlRpc,
    /// JSON-RPC 2.0 at `/jsonrpc`, the service named in the body.
    JsonRpc,
}

impl Protocol {
    /// Every protocol, in the order of their names in messages.
    pub const ALL: [Protocol; 2] = [Protocol::XmlRpc, Protocol::JsonRpc];

    /// The name `TASKFLOW_TRANSPORT` and the CLI's `--transport` take: `xmlrpc`, `jsonrpc`.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::XmlRpc => "xmlrpc",
            Protocol::JsonRpc => "jsonrpc",
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
        write!(
            f,
            "unknown transport {:?}: use {}",
            self.0,
            names.join(" or ")
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
        for bad in ["", "XMLRPC", "json", "json-rpc", " xmlrpc"] {
            assert!(bad.parse::<Protocol>().is_err(), "{bad:?} parsed");
        }
    }
}
