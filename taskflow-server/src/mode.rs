//! Which server version the embedded server imitates: what `version()` answers, which methods
//! exist, and how the faults that differ between versions read.

use taskflow_sdk::xmlrpc::Value;

use crate::fault::Fault;

/// The server version the embedded server answers as.
///
/// Each mode answers as its recordings show: the TaskFlow document's 9.0 by default, Odoo 17
/// (`tests/fixtures/odoo-17`) or Odoo 19 (`tests/fixtures/odoo-19-xmlrpc`), which dropped
/// `name_get` and words missing methods differently.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mode {
    /// TaskFlow as its API document shows it: server 9.0, with `name_get`.
    #[default]
    TaskFlow,
    /// Odoo 17, as recorded (odoo-17/001).
    Odoo17,
    /// Odoo 19, as recorded (odoo-19-xmlrpc): no `name_get`; a missing method is
    /// `AttributeError: The method 'crm.lead.name_get' does not exist` (004, 011).
    Odoo19,
}

impl Mode {
    /// What `version()` answers.
    pub fn version_info(self) -> VersionInfo {
        let (version, info, serie): (&str, &[i64], &str) = match self {
            Mode::TaskFlow => return VersionInfo::taskflow(),
            Mode::Odoo17 => ("17.0-20240709", &[17, 0, 0], "17.0"),
            Mode::Odoo19 => ("19.0", &[19, 0, 0], "19.0"),
        };
        let mut server_version_info: Vec<Value> = info.iter().copied().map(Value::Int).collect();
        server_version_info.extend([Value::from("final"), Value::Int(0), Value::from("")]);
        VersionInfo {
            server_version: version.into(),
            server_version_info,
            server_serie: serie.into(),
            protocol_version: 1,
        }
    }

    /// Whether models answer `name_get` (removed in 18.0).
    pub fn has_name_get(self) -> bool {
        !matches!(self, Mode::Odoo19)
    }

    /// The demo user's id in the recorded database: 5 in Odoo 19 (odoo-19-xmlrpc 002,
    /// odoo-19-json2), 6 in Odoo 17 and TaskFlow (odoo-17).
    pub fn demo_uid(self) -> i64 {
        match self {
            Mode::Odoo19 => 5,
            Mode::TaskFlow | Mode::Odoo17 => crate::seed::DEMO_UID,
        }
    }

    /// Whether `POST /json/2/<model>/<method>` is served (new in 19.0) and `GET /json/version`.
    pub fn has_json2(self) -> bool {
        matches!(self, Mode::Odoo19)
    }

    /// Whether users have API keys, which also work as passwords (since 14.0; 9.0 had none).
    pub fn has_api_keys(self) -> bool {
        matches!(self, Mode::Odoo17 | Mode::Odoo19)
    }

    /// Whether models answer `formatted_read_group` (new in 19.0, odoo-19-json2 018).
    pub fn has_formatted_read_group(self) -> bool {
        matches!(self, Mode::Odoo19)
    }

    /// What `GET /web/version` answers, `None` where the route does not exist (9.0):
    /// `{"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}` (odoo-19-json2 001).
    pub fn web_version(self) -> Option<Value> {
        if self == Mode::TaskFlow {
            return None;
        }
        let info = self.version_info();
        Some(Value::Struct(vec![
            (
                "version_info".into(),
                Value::Array(info.server_version_info),
            ),
            ("version".into(), Value::String(info.server_version)),
        ]))
    }

    /// Whether `method` may not be called remotely: `_`-prefixed, and in 19 the public-looking
    /// methods marked `@api.private` (odoo-19-json2 052, `check_access`).
    pub(crate) fn is_private(self, method: &str) -> bool {
        const PRIVATE_19: &[&str] = &["check_access", "has_access", "browse", "sudo"];
        method.starts_with('_') || (self == Mode::Odoo19 && PRIVATE_19.contains(&method))
    }

    /// The `AccessError` for calling a private method, worded per version: 19 names the
    /// model (odoo-19-json2 051).
    pub(crate) fn private_method(self, model: &str, method: &str) -> Fault {
        Fault::Access(match self {
            Mode::TaskFlow | Mode::Odoo17 => {
                format!("Private methods (such as {method}) cannot be called remotely.")
            }
            Mode::Odoo19 => {
                format!("Private methods (such as '{model}.{method}') cannot be called remotely.")
            }
        })
    }

    /// Refuses a context whose `lang` is not installed (only `en_US` is), as 19 does on every
    /// call (odoo-19-json2 010: `UserError: Invalid language code: fr_FR`); older versions
    /// fall back to English silently.
    pub(crate) fn check_lang(self, context: Option<&Value>) -> Result<(), Fault> {
        match context.and_then(|c| c.get("lang")) {
            Some(Value::String(lang)) if self == Mode::Odoo19 && lang != "en_US" => {
                Err(Fault::User(format!("Invalid language code: {lang}")))
            }
            _ => Ok(()),
        }
    }

    /// The fault for a method `model` does not have.
    pub(crate) fn unknown_method(self, model: &str, method: &str) -> Fault {
        let message = match self {
            Mode::TaskFlow | Mode::Odoo17 => {
                format!("The method '{method}' does not exist on the model '{model}'")
            }
            Mode::Odoo19 => format!("The method '{model}.{method}' does not exist"),
        };
        Fault::exception("AttributeError", message)
    }
}

/// What `version()` answers.
#[derive(Clone, Debug, PartialEq)]
pub struct VersionInfo {
    /// `server_version` (`"9.0"`).
    pub server_version: String,
    /// `server_version_info` (`[9, 0, 0, "final", 0]`).
    pub server_version_info: Vec<Value>,
    /// `server_serie` (`"9.0"`).
    pub server_serie: String,
    /// `protocol_version` (1).
    pub protocol_version: i64,
}

impl VersionInfo {
    /// What the TaskFlow API document shows: server 9.0, protocol 1.
    fn taskflow() -> VersionInfo {
        VersionInfo {
            server_version: "9.0".into(),
            server_version_info: vec![
                Value::Int(9),
                Value::Int(0),
                Value::Int(0),
                Value::from("final"),
                Value::Int(0),
            ],
            server_serie: "9.0".into(),
            protocol_version: 1,
        }
    }

    /// The `version()` answer as a struct value.
    pub(crate) fn to_value(&self) -> Value {
        Value::Struct(vec![
            (
                "server_version".into(),
                Value::String(self.server_version.clone()),
            ),
            (
                "server_version_info".into(),
                Value::Array(self.server_version_info.clone()),
            ),
            (
                "server_serie".into(),
                Value::String(self.server_serie.clone()),
            ),
            ("protocol_version".into(), Value::Int(self.protocol_version)),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_methods_are_worded_per_version() {
        let last_line = |mode: Mode| {
            let raw = mode.unknown_method("crm.lead", "name_get").to_raw();
            raw.string.lines().last().unwrap_or_default().to_owned()
        };
        assert_eq!(
            last_line(Mode::Odoo19),
            "AttributeError: The method 'crm.lead.name_get' does not exist"
        );
        assert_eq!(
            last_line(Mode::Odoo17),
            "AttributeError: The method 'name_get' does not exist on the model 'crm.lead'"
        );
    }

    #[test]
    fn only_19_drops_name_get() {
        assert!(Mode::TaskFlow.has_name_get());
        assert!(Mode::Odoo17.has_name_get());
        assert!(!Mode::Odoo19.has_name_get());
        assert_eq!(Mode::Odoo19.version_info().server_version, "19.0");
    }

    #[test]
    fn versions_differ_in_users_routes_and_methods() {
        assert_eq!(Mode::Odoo19.demo_uid(), 5);
        assert_eq!(Mode::Odoo17.demo_uid(), 6);
        assert_eq!(Mode::TaskFlow.demo_uid(), 6);
        assert!(Mode::Odoo19.has_json2() && !Mode::Odoo17.has_json2());
        assert!(!Mode::TaskFlow.has_json2());
        assert!(Mode::Odoo17.has_api_keys() && !Mode::TaskFlow.has_api_keys());
        assert!(Mode::Odoo19.has_formatted_read_group());
        assert!(!Mode::Odoo17.has_formatted_read_group());
        assert_eq!(Mode::TaskFlow.web_version(), None);
        let version = crate::json::to_string(&Mode::Odoo19.web_version().expect("19 has it"));
        assert_eq!(
            version,
            r#"{"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}"#
        );
        let version = crate::json::to_string(&Mode::Odoo17.web_version().expect("17 has it"));
        assert!(
            version.ends_with(r#""version": "17.0-20240709"}"#),
            "{version}"
        );
    }
}
