//! Which front end requests came to: how a test proves the client spoke the protocol it was
//! told to (a helper that silently fell back to XML-RPC would otherwise pass every run).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// The front ends of the server, by the path a request named.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Endpoint {
    /// `/xmlrpc/2/*` and the legacy `/xmlrpc/*`.
    XmlRpc,
    /// `/jsonrpc`.
    JsonRpc,
    /// The web client's routes (`/web/session/authenticate`, `/web/dataset/call_kw`...).
    Web,
    /// JSON-2, `/json/2/<model>/<method>`, and its `/json/version` (Odoo 19).
    Json2,
    /// Any other path (answered 404).
    Other,
}

impl Endpoint {
    /// The front end `path` belongs to.
    pub fn of(path: &str) -> Endpoint {
        if path.starts_with("/xmlrpc/") {
            Endpoint::XmlRpc
        } else if path.trim_end_matches('/') == "/jsonrpc" {
            Endpoint::JsonRpc
        } else if path.starts_with("/web/") {
            Endpoint::Web
        } else if path.starts_with("/json/") {
            Endpoint::Json2
        } else {
            Endpoint::Other
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Requests served so far, by front end.
#[derive(Debug, Default)]
pub(crate) struct Traffic {
    counts: [AtomicU64; 5],
}

impl Traffic {
    pub(crate) fn count(&self, endpoint: Endpoint) {
        self.counts[endpoint.index()].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> RequestCounts {
        let get = |e: Endpoint| self.counts[e.index()].load(Ordering::Relaxed);
        RequestCounts {
            xmlrpc: get(Endpoint::XmlRpc),
            jsonrpc: get(Endpoint::JsonRpc),
            web: get(Endpoint::Web),
            json2: get(Endpoint::Json2),
            other: get(Endpoint::Other),
        }
    }
}

/// How many requests each front end received ([`TestServer::requests`](crate::TestServer::requests)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestCounts {
    /// To `/xmlrpc/...`.
    pub xmlrpc: u64,
    /// To `/jsonrpc`.
    pub jsonrpc: u64,
    /// To the web client's routes.
    pub web: u64,
    /// To JSON-2 (`/json/...`).
    pub json2: u64,
    /// To any other path.
    pub other: u64,
}

impl RequestCounts {
    /// The requests to `endpoint`.
    pub fn get(&self, endpoint: Endpoint) -> u64 {
        match endpoint {
            Endpoint::XmlRpc => self.xmlrpc,
            Endpoint::JsonRpc => self.jsonrpc,
            Endpoint::Web => self.web,
            Endpoint::Json2 => self.json2,
            Endpoint::Other => self.other,
        }
    }
}

/// `xmlrpc 12, jsonrpc 0, web 0, json2 0, other 0`: the line the standalone server prints.
impl fmt::Display for RequestCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "xmlrpc {}, jsonrpc {}, web {}, json2 {}, other {}",
            self.xmlrpc, self.jsonrpc, self.web, self.json2, self.other
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_belong_to_their_front_end_and_counts_add_up() {
        let traffic = Traffic::default();
        for path in [
            "/xmlrpc/2/object",
            "/xmlrpc/common",
            "/jsonrpc",
            "/jsonrpc/",
            "/web/dataset/call_kw",
            "/json/2/res.partner/search",
            "/json/version",
            "/json2",
            "/",
            "/jsonrpcx",
        ] {
            traffic.count(Endpoint::of(path));
        }
        let counts = traffic.snapshot();
        assert_eq!(
            (
                counts.xmlrpc,
                counts.jsonrpc,
                counts.web,
                counts.json2,
                counts.other
            ),
            (2, 2, 1, 2, 3)
        );
        assert_eq!(counts.get(Endpoint::JsonRpc), 2);
        assert_eq!(counts.get(Endpoint::Json2), 2);
        assert_eq!(
            counts.to_string(),
            "xmlrpc 2, jsonrpc 2, web 1, json2 2, other 3"
        );
    }
}
