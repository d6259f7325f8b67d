//! The TaskFlow walkthrough. (Until the runtime lands, this decodes a recorded `version()` answer.)

use taskflow_sdk::xmlrpc::{self, Limits, Response, Value};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/odoo-17/001-common-version.response.xml"
    );
    let bytes = std::fs::read(path)?;
    match xmlrpc::decode_response::<Value>(&bytes, &Limits::default())? {
        Response::Success(v) => println!("server version: {:?}", v.get("server_version")),
        Response::Fault(f) => println!("fault: {f}"),
    }
    Ok(())
}
