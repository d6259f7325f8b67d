//! TLS: certificates are verified, and an added root certificate is trusted. A loopback rustls
//! server presents a certificate for 127.0.0.1 signed by a test CA.

use std::sync::Arc;

use taskflow_sdk::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// The test CA (self-signed, made with openssl for these tests only).
const TEST_CA: &str = "-----BEGIN CERTIFICATE-----\n\
MIIBjjCCATOgAwIBAgIUZZFOENIH5ijqi1+1W8W3q47cni4wCgYIKoZIzj0EAwIw\n\
GzEZMBcGA1UEAwwQdGFza2Zsb3cgdGVzdCBDQTAgFw0yNjExMzAwOTA1NDhaGA8y\n\
MTI2MTEwNjA5MDU0OFowGzEZMBcGA1UEAwwQdGFza2Zsb3cgdGVzdCBDQTBZMBMG\n\
ByqGSM49AgEGCCqGSM49AwEHA0IABOrld3Qk1ywpYAq0i4JOCtKkeIk1maU6iyia\n\
JP1whSLiQ43QMaiyPAR8PZ8d7UJcn3/7yA+dQ62j82b1PVyvawKjUzBRMB0GA1Ud\n\
DgQWBBSSBNmaGY6pc/COTNI5k5bHz1ZsujAfBgNVHSMEGDAWgBSSBNmaGY6pc/CO\n\
TNI5k5bHz1ZsujAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQDu\n\
r1Vrmodz12Vzg8PBLel4F4srJHF/C5g9II1/lrRM1AIhAOjEKJ5MiovrXyVZ38zn\n\
ZY33Rf9GNKeJdJlKw5HfGAeG\n\
-----END CERTIFICATE-----\n";
/// A server certificate for 127.0.0.1 and localhost, signed by [`TEST_CA`].
const SERVER_CERT: &str = "-----BEGIN CERTIFICATE-----\n\
MIIBwTCCAWagAwIBAgIUHSxbsoZeJ8y6mMtulP2eS56Vhb0wCgYIKoZIzj0EAwIw\n\
GzEZMBcGA1UEAwwQdGFza2Zsb3cgdGVzdCBDQTAgFw0yNjExMzAwOTI1MjJaGA8y\n\
MTI2MTEwNjA5MjUyMlowFDESMBAGA1UEAwwJbG9jYWxob3N0MFkwEwYHKoZIzj0C\n\
AQYIKoZIzj0DAQcDQgAEThoud8I/lOnhdIWLiueZuwkt8itom1I2hD7xMeIWu2Yy\n\
GTVTXPob+Mhy9unAL6ZG3DfWqtKKuUxPswYx5HzgAaOBjDCBiTAaBgNVHREEEzAR\n\
hwR/AAABgglsb2NhbGhvc3QwCQYDVR0TBAIwADALBgNVHQ8EBAMCB4AwEwYDVR0l\n\
BAwwCgYIKwYBBQUHAwEwHQYDVR0OBBYEFE09zaZCWV4O4yRxLToAft1ljHlbMB8G\n\
A1UdIwQYMBaAFJIE2ZoZjqlz8I5M0jmTlsfPVmy6MAoGCCqGSM49BAMCA0kAMEYC\n\
IQCcJ6rHdFDE1p3W2sznlOl0NdV7CXycNGgPJ1huaC3TFAIhANAFkxNYpqGAWZ3x\n\
KqZ0YDbiBjDV1Z5TdYHVEgivC/Kq\n\
-----END CERTIFICATE-----\n";
/// Its private key (test only).
const SERVER_KEY: &str = "-----BEGIN PRIVATE KEY-----\n\
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg688b6VTqgKBA21+x\n\
RAACDgSS5g8MF89hSvoUAhPvq1ShRANCAAROGi53wj+U6eF0hYuK55m7CS3yK2ib\n\
UjaEPvEx4ha7ZjIZNVNc+hv4yHL26cAvpkbcN9aq0oq5TE+zBjHkfOAB\n\
-----END PRIVATE KEY-----\n";

const VERSION: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/odoo-17/001-common-version.response.xml"
));

/// An HTTPS server answering every request with the recorded `version()` answer; returns its
/// port.
async fn https_server() -> u16 {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        VERSION.len()
    );
    https_server_answering([head.as_bytes(), VERSION].concat()).await
}

/// An HTTPS server answering every request with `response` (head and body); returns its port.
async fn https_server_answering(response: Vec<u8>) -> u16 {
    let response = Arc::new(response);
    let certs = CertificateDer::pem_slice_iter(SERVER_CERT.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY.as_bytes()).unwrap();
    let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let (acceptor, response) = (acceptor.clone(), Arc::clone(&response));
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to serve.
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(n) = tls.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    request.extend_from_slice(&chunk[..n]);
                    if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
                        let length: usize = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse().ok())
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                let _ = tls.write_all(&response).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

#[tokio::test]
async fn an_added_root_certificate_is_trusted() {
    let port = https_server().await;
    let client = Client::builder()
        .url(&format!("https://127.0.0.1:{port}"))
        .add_root_certificate_pem(TEST_CA.as_bytes())
        .tls_built_in_root_certs(false)
        .build()
        .unwrap();
    let version = client.version().await.unwrap();
    assert_eq!(version.server_version, "17.0-20240709");
}

#[tokio::test]
async fn an_unknown_certificate_is_refused() {
    let port = https_server().await;
    for client in [
        // The built-in roots do not include the test CA.
        Client::new(&format!("https://127.0.0.1:{port}")).unwrap(),
        // Trusting the server's own (leaf) certificate as a root is not the same as its CA.
        Client::builder()
            .url(&format!("https://localhost:{port}"))
            .add_root_certificate_pem(SERVER_CERT.as_bytes())
            .tls_built_in_root_certs(false)
            .build()
            .unwrap(),
    ] {
        let err = client.version().await.unwrap_err();
        assert!(err.is_connect(), "{err:?}");
        // An untrusted certificate stays untrusted: not sent again.
        assert_eq!(err.retry_cause(), None, "{err:?}");
        let text = format!("{err} {err:?}").to_lowercase();
        assert!(text.contains("certificate"), "{text}");
        // A report that walks the sources says why, each message once.
        let mut layers = vec![err.to_string()];
        let mut source = std::error::Error::source(&err);
        while let Some(e) = source {
            layers.push(e.to_string());
            source = e.source();
        }
        let report = layers.join(": ");
        assert!(report.to_lowercase().contains("certificate"), "{report}");
        for layer in &layers {
            assert_eq!(report.matches(layer.as_str()).count(), 1, "{report}");
        }
    }
}

/// A redirect from HTTPS down to plain HTTP on the same host is another origin: not followed,
/// so the password in the resent body never travels in clear (issue 18).
#[tokio::test]
async fn a_redirect_to_plain_http_is_not_followed() {
    let plain = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let plain_port = plain.local_addr().unwrap().port();
    let redirect = format!(
        "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:{plain_port}/xmlrpc/2/common\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
    let port = https_server_answering(redirect.into_bytes()).await;
    let client = Client::builder()
        .url(&format!("https://127.0.0.1:{port}"))
        .add_root_certificate_pem(TEST_CA.as_bytes())
        .tls_built_in_root_certs(false)
        .build()
        .unwrap();
    let err = client
        .authenticate("db", "admin", "s3cr3t")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), taskflow_sdk::ErrorKind::Redirect, "{err}");
    // Nothing connected to the plain port.
    let accepted = tokio::time::timeout(std::time::Duration::from_millis(50), plain.accept()).await;
    assert!(accepted.is_err(), "the plain HTTP listener was reached");
}
