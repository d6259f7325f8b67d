//! The TaskFlow API document's own walkthrough, run as the document runs it: the standalone
//! `taskflow-server` binary, and Python's standard `xmlrpc.client` as demo/demo on database
//! `demo.taskflow.co.za`. Python 3 is required: a missing interpreter fails the test.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};

/// Kills the server process when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

const SCRIPT: &str = r#"
import sys
import xmlrpc.client as xmlrpclib

url, db, username, password = sys.argv[1], "demo.taskflow.co.za", "demo", "demo"

common = xmlrpclib.ServerProxy('{}/xmlrpc/2/common'.format(url))
version = common.version()
assert version == {"server_version": "9.0", "server_version_info": [9, 0, 0, "final", 0],
                   "server_serie": "9.0", "protocol_version": 1}, version

uid = common.authenticate(db, username, password, {})
assert isinstance(uid, int) and uid > 0, uid

models = xmlrpclib.ServerProxy('{}/xmlrpc/2/object'.format(url))
id = models.execute_kw(db, uid, password, 'crm.lead', 'create', [{
    'name': "New Lead",
}])
assert isinstance(id, int), id

ok = models.execute_kw(db, uid, password, 'crm.lead', 'write', [[id], {
    'name': "Lead Edited"
}])
assert ok is True, ok
names = models.execute_kw(db, uid, password, 'crm.lead', 'name_get', [[id]])
assert names == [[id, "Lead Edited"]], names

header = ['id', 'name', 'contact_name', 'contact_surname', 'phone', 'mobile', 'fax']
rows = [
    ['my_lead.external_id1', 'Lead 1', 'John', 'Snow', '27830001234', '27821114321', ''],
    ['my_lead.external_id2', 'Lead 2', 'Luke', 'Skywalker', '27849991234', '277771234', '27123456789'],
]
first = models.execute_kw(db, uid, password, 'crm.lead', 'load', [header, rows])
assert first["messages"] == [] and first["nextrow"] == 0, first
ids = first["ids"]
assert isinstance(ids, list) and len(ids) == 2 and all(isinstance(i, int) for i in ids), first

rows[0][1], rows[1][1] = 'Lead 1 (updated)', 'Lead 2 (updated)'
second = models.execute_kw(db, uid, password, 'crm.lead', 'load', [header, rows])
assert second == {"ids": ids, "messages": [], "nextrow": 0}, (first, second)

records = models.execute_kw(db, uid, password, 'crm.lead', 'read', [ids],
                            {'fields': ['name', 'contact_name', 'contact_surname', 'fax']})
assert [r['name'] for r in records] == ['Lead 1 (updated)', 'Lead 2 (updated)'], records
assert records[1]['contact_surname'] == 'Skywalker' and records[1]['fax'] == '27123456789', records
assert records[0]['fax'] is False, records
print("walkthrough ok", uid, id, ids)
"#;

#[test]
fn the_documents_walkthrough_runs_with_python_xmlrpc_client() {
    // An ephemeral port the binary can bind: the probe socket is closed before it starts.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_taskflow-server"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start taskflow-server");
    let mut server = Running(child);
    let stdout = server.0.stdout.take().expect("piped stdout");
    let mut banner = String::new();
    BufReader::new(stdout)
        .read_line(&mut banner)
        .expect("read the start-up line");
    assert!(
        banner.contains(&format!("http://127.0.0.1:{port}"))
            && banner.contains("demo.taskflow.co.za")
            && banner.contains("demo/demo"),
        "start-up line names url, database and users: {banner:?}"
    );

    let mut python = Command::new("python3")
        .args(["-", &format!("http://127.0.0.1:{port}")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 is required by this test (the TaskFlow document's client)");
    python
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(SCRIPT.as_bytes())
        .expect("send the script");
    let out = python.wait_with_output().expect("run python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the walkthrough failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("walkthrough ok"), "{stdout}");
}
