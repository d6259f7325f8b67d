//! The client's configuration.
use super::*;

#[test]
fn endpoints_keep_a_base_path_and_drop_credentials() {
    let client = Client::new("https://bob:hunter2@erp.example.com/odoo?x=1").unwrap();
    assert_eq!(
        client.inner.object.display,
        "https://erp.example.com/odoo/xmlrpc/2/object"
    );
    assert_eq!(client.inner.object.url.password(), Some("hunter2"));
    assert!(!format!("{client:?}").contains("hunter2"));
}

#[test]
fn builder_errors_wait_for_build() {
    let err = Client::builder()
        .add_root_certificate_pem(b"not a certificate")
        .url("http://127.0.0.1:1")
        .build()
        .unwrap_err();
    assert!(err.is_builder(), "{err}");
    assert!(Client::new("ftp://x").unwrap_err().is_builder());
    assert!(Client::new("not a url").unwrap_err().is_builder());
    assert!(Client::builder().build().unwrap_err().is_builder());
}

/// A self-signed CA made for this test (`openssl req -x509 -newkey ec ...`).
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

#[test]
fn extra_root_certificates_load_as_pem_or_der() {
    use base64::Engine;
    let client = Client::builder()
        .url("https://erp.example.com")
        .add_root_certificate_pem(TEST_CA.as_bytes())
        .tls_built_in_root_certs(false)
        .build();
    assert!(client.is_ok(), "{client:?}");
    let b64: String = TEST_CA
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let client = Client::builder()
        .url("https://erp.example.com")
        .add_root_certificate_der(&der)
        .build();
    assert!(client.is_ok(), "{client:?}");
    let err = Client::builder()
        .url("https://erp.example.com")
        .add_root_certificate_der(&der[..der.len() / 2])
        .build()
        .unwrap_err();
    assert!(err.is_builder(), "{err}");
}

#[test]
fn client_is_send_sync_and_cheap_to_clone() {
    fn check<T: Send + Sync + Clone + 'static>() {}
    check::<Client>();
}
