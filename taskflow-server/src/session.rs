//! The web client's sessions: `/web/session/authenticate` opens one, its `session_id` cookie
//! names it on later calls. In memory, keyed by an unguessable id (160 bits from the operating
//! system's generator, the size of Odoo's own session ids).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Mutex;

/// Who a session is logged in as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The database it opened.
    pub db: String,
    /// The user.
    pub uid: i64,
    /// The user's login.
    pub login: String,
}

/// The open sessions.
#[derive(Debug, Default)]
pub struct Sessions {
    open: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    /// Opens a session and answers its id.
    pub fn open(&self, session: Session) -> String {
        let id = new_id();
        self.lock().insert(id.clone(), session);
        id
    }

    /// The session `id` names, if it is open.
    pub fn get(&self, id: &str) -> Option<Session> {
        self.lock().get(id).cloned()
    }

    /// Closes the session `id` (`/web/session/destroy`).
    pub fn close(&self, id: &str) {
        self.lock().remove(id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        // Inserts and removes are single operations: a poisoned map is still whole.
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// 40 hex digits from the operating system's random source (session ids, API keys).
pub fn new_id() -> String {
    let mut bytes = [0u8; 20];
    // Without a random source no session could be safe: better to fail the request loudly.
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes.iter().fold(String::with_capacity(40), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The `session_id` a `Cookie` header carries.
pub fn cookie_id(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == "session_id")
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_long_distinct_and_found_in_cookies() {
        let sessions = Sessions::default();
        let who = Session {
            db: "db".into(),
            uid: 2,
            login: "admin".into(),
        };
        let a = sessions.open(who.clone());
        let b = sessions.open(who.clone());
        assert_eq!(a.len(), 40);
        assert_ne!(a, b);
        assert_eq!(sessions.get(&a), Some(who));
        sessions.close(&a);
        assert_eq!(sessions.get(&a), None);
        let header = format!("frontend_lang=en_US; session_id={b}");
        assert_eq!(cookie_id(&header), Some(b.as_str()));
        assert_eq!(cookie_id("session_id="), None);
    }
}
