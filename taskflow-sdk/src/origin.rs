//! Where credentials may go: never over plain HTTP to a host that is not loopback (unless the
//! client allows it), and never along a redirect to another origin.

use std::net::SocketAddr;

use reqwest::Url;
use reqwest::redirect::{Attempt, Policy};
use url::Host;

/// The most redirects followed within the origin.
const MAX_REDIRECTS: usize = 10;

/// The host a credentialed call to `url` must not go to: `Some(host)` for plain HTTP to a
/// host that is not loopback (`localhost`, 127.0.0.0/8, `::1`). Decided on the URL's host, not
/// on what DNS makes of it: a name that happens to resolve to 127.0.0.1 is still a remote host
/// to the user who wrote it. A loopback name the client's own `resolve` overrides send
/// elsewhere is not loopback either.
pub(crate) fn insecure_host(url: &Url, resolve: &[(String, SocketAddr)]) -> Option<String> {
    if url.scheme() != "http" {
        return None;
    }
    let loopback = match url.host()? {
        Host::Domain(name) => {
            name.eq_ignore_ascii_case("localhost")
                && resolve
                    .iter()
                    .filter(|(host, _)| host.eq_ignore_ascii_case(name))
                    .all(|(_, addr)| addr.ip().is_loopback())
        }
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    };
    (!loopback).then(|| url.host_str().unwrap_or_default().to_owned())
}

/// Follows redirects within the origin (same scheme, host and port) only: reqwest resends the
/// body on 307 and 308, and an XML-RPC or JSON-RPC body carries the password. 301, 302 and 303
/// are not followed at all: reqwest turns the POST into a GET without its body.
pub(crate) fn redirect_policy() -> Policy {
    Policy::custom(|attempt: Attempt<'_>| {
        let Some(first) = attempt.previous().first() else {
            return attempt.stop();
        };
        if attempt.previous().len() > MAX_REDIRECTS {
            let error = format!("more than {MAX_REDIRECTS} redirects");
            return attempt.error(error);
        }
        if matches!(attempt.status().as_u16(), 301..=303) {
            // reqwest would resend a POST as a GET without its body: the call cannot arrive.
            let error = format!(
                "not following the {} redirect to {}: it turns the call into a GET without its body",
                attempt.status().as_u16(),
                display_origin(attempt.url())
            );
            attempt.error(error)
        } else if same_origin(first, attempt.url()) {
            attempt.follow()
        } else {
            let error = format!(
                "not following the redirect to {}: another origin than {}",
                display_origin(attempt.url()),
                display_origin(first)
            );
            attempt.error(error)
        }
    })
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// The URL's scheme, host, port and path: no credentials, no query.
fn display_origin(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(url: &str) -> Option<String> {
        insecure_host(&Url::parse(url).unwrap(), &[])
    }

    #[test]
    fn loopback_and_https_may_carry_credentials() {
        for ok in [
            "http://localhost:8069",
            "http://LOCALHOST",
            "http://127.0.0.1:8069",
            "http://127.8.9.10",
            "http://[::1]:8069",
            "http://[::ffff:127.0.0.1]",
            "https://erp.example.com",
            "https://10.0.0.5",
        ] {
            assert_eq!(host(ok), None, "{ok}");
        }
        for (bad, named) in [
            ("http://erp.example.com", "erp.example.com"),
            ("http://10.0.0.5:8069", "10.0.0.5"),
            ("http://[2001:db8::1]", "[2001:db8::1]"),
            ("http://localhost.example.com", "localhost.example.com"),
            ("http://128.0.0.1", "128.0.0.1"),
        ] {
            assert_eq!(host(bad).as_deref(), Some(named), "{bad}");
        }
    }

    #[test]
    fn localhost_resolved_elsewhere_is_not_loopback() {
        let url = Url::parse("http://localhost:8069").unwrap();
        let to = |addr: &str| vec![("localhost".to_owned(), addr.parse().unwrap())];
        assert_eq!(insecure_host(&url, &to("127.0.0.1:8069")), None);
        assert_eq!(insecure_host(&url, &to("[::1]:8069")), None);
        assert_eq!(
            insecure_host(&url, &to("10.0.0.5:8069")).as_deref(),
            Some("localhost")
        );
        // Overrides of other names do not matter.
        let other = vec![("erp.example.com".to_owned(), "10.0.0.5:1".parse().unwrap())];
        assert_eq!(insecure_host(&url, &other), None);
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(same_origin(&u("http://a:80/x"), &u("http://a/y?z")));
        assert!(!same_origin(&u("http://a"), &u("https://a")));
        assert!(!same_origin(&u("http://a:1"), &u("http://a:2")));
        assert!(!same_origin(
            &u("http://localhost:1"),
            &u("http://127.0.0.1:1")
        ));
        assert_eq!(
            display_origin(&u("http://bob:pw@h:1/p?password=x#f")),
            "http://h:1/p"
        );
    }
}
