//! What a server says of its version: `common.version()`, or `GET /web/version` and JSON-2's
//! `GET /json/version`.

use crate::xmlrpc::Value;

/// What `common.version()` answers.
///
/// Tolerant of missing members and of extra or missing trailing items in
/// `server_version_info`, whose first item is `17` on a release and `"saas~17"` on SaaS builds.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ServerVersion {
    /// Like `17.0-20240709`.
    pub server_version: String,
    /// Like `[17, 0, 0, "final", 0, ""]`.
    pub server_version_info: Vec<Value>,
    /// Like `17.0`.
    pub server_serie: String,
    /// The XML-RPC protocol version (1).
    pub protocol_version: i64,
}

impl ServerVersion {
    /// The major version (`17`), from `server_version_info` or else `server_serie`.
    pub fn major(&self) -> Option<u32> {
        self.info_number(0).or_else(|| {
            let serie = self.server_serie.trim_start_matches("saas~");
            serie.split('.').next()?.parse().ok()
        })
    }

    /// The minor version (`0`), from `server_version_info` or else `server_serie`.
    pub fn minor(&self) -> Option<u32> {
        self.info_number(1)
            .or_else(|| self.server_serie.split('.').nth(1)?.parse().ok())
    }

    /// The release level (`final`, `alpha`...), when the server tells it.
    pub fn release_level(&self) -> Option<&str> {
        self.server_version_info.get(3)?.as_str()
    }

    /// JSON-2's `GET /web/version` answer (`{"version_info": [19, 0, 0, "final", 0, ""],
    /// "version": "19.0"}`, odoo-19-json2/001) in `common.version()`'s shape: the serie from
    /// the major and minor numbers, protocol version 1 as `common.version()` answers on the
    /// same server (003).
    pub(crate) fn from_web(web: WebVersion) -> ServerVersion {
        let mut version = ServerVersion {
            server_version: web.version,
            server_version_info: web.version_info,
            server_serie: String::new(),
            protocol_version: 1,
        };
        if let (Some(major), Some(minor)) = (version.info_number(0), version.info_number(1)) {
            version.server_serie = format!("{major}.{minor}");
        }
        version
    }

    fn info_number(&self, index: usize) -> Option<u32> {
        match self.server_version_info.get(index)? {
            Value::Int(i) => u32::try_from(*i).ok(),
            Value::String(s) => s.trim_start_matches("saas~").parse().ok(),
            _ => None,
        }
    }
}

/// What `GET /web/version` answers.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct WebVersion {
    version: String,
    version_info: Vec<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_version_tolerates_saas_and_short_info() {
        let v = ServerVersion {
            server_version_info: vec![Value::from("saas~17"), Value::Int(2)],
            ..ServerVersion::default()
        };
        assert_eq!(
            (v.major(), v.minor(), v.release_level()),
            (Some(17), Some(2), None)
        );
        let v = ServerVersion {
            server_serie: "16.0".into(),
            ..ServerVersion::default()
        };
        assert_eq!((v.major(), v.minor()), (Some(16), Some(0)));
    }

    #[test]
    fn web_version_reads_as_common_version() {
        let web: WebVersion = crate::jsonrpc::from_slice(
            br#"{"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}"#,
            &crate::xmlrpc::Limits::default(),
        )
        .unwrap();
        let v = ServerVersion::from_web(web);
        assert_eq!(v.server_version, "19.0");
        assert_eq!(v.server_serie, "19.0");
        assert_eq!(
            (v.major(), v.minor(), v.release_level()),
            (Some(19), Some(0), Some("final"))
        );
    }
}
