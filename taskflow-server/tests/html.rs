//! Html fields are stored sanitized, like the real server stores them (transcripts 131-132):
//! scripts dropped with their content, unsafe attributes dropped, `&` escaped, and leading text
//! wrapped in a paragraph. By `write`, `create` and `load` alike; other text fields are not.

mod support;

use support::{Session, arr, i, s, st};
use taskflow_sdk::xmlrpc::Value;
use taskflow_server::TestServer;

/// Creates a lead with `vals` on top of a name, and returns its id.
async fn lead(admin: &Session, vals: Vec<(&str, Value)>) -> i64 {
    let mut members = vec![("name", s("Html probe"))];
    members.extend(vals);
    admin
        .ok("crm.lead", "create", vec![st(members)], vec![])
        .await
        .as_i64()
        .expect("an id")
}

async fn read_field(admin: &Session, model: &str, id: i64, field: &str) -> Value {
    let read = admin
        .ok(
            model,
            "read",
            vec![arr(vec![i(id)])],
            vec![("fields", arr(vec![s(field)]))],
        )
        .await;
    read.as_array().unwrap()[0].get(field).unwrap().clone()
}

/// Writes `value` to the probe lead's description and reads it back.
async fn round_trip(admin: &Session, id: i64, value: Value) -> Value {
    admin
        .ok(
            "crm.lead",
            "write",
            vec![arr(vec![i(id)]), st(vec![("description", value)])],
            vec![],
        )
        .await;
    read_field(admin, "crm.lead", id, "description").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_recorded_write_reads_back_byte_for_byte() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    let id = lead(&admin, vec![]).await;
    // Transcripts 131 and 132.
    let stored = round_trip(
        &admin,
        id,
        s("line one\nline <b>two</b> & <script>alert(1)</script>"),
    )
    .await;
    assert_eq!(stored, s("<p>line one\nline <b>two</b> &amp; </p>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attributes_are_filtered_and_allowed_markup_kept() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    let id = lead(&admin, vec![]).await;
    for (written, stored) in [
        // Event handlers and ids go, styles and classes stay; a paragraph is not wrapped again.
        (
            r#"<p onclick="steal()" id="x" style="color: red" class="note">a <em>b</em></p>"#,
            r#"<p style="color: red" class="note">a <em>b</em></p>"#,
        ),
        (
            "<h2>Plan</h2>\n<ul><li>one</li><li><strong>two</strong></li></ul>",
            "<h2>Plan</h2>\n<ul><li>one</li><li><strong>two</strong></li></ul>",
        ),
        (
            r#"<table><tbody><tr><td colspan="2">c</td></tr></tbody></table>"#,
            r#"<table><tbody><tr><td colspan="2">c</td></tr></tbody></table>"#,
        ),
        // Links keep their target, lose a javascript: URL; an image loses its onerror.
        (
            r#"<a href="https://example.com/x?a=1&b=2" target="_blank">site</a>"#,
            r#"<a href="https://example.com/x?a=1&amp;b=2" target="_blank">site</a>"#,
        ),
        (r#"<a href="javascript:alert(1)">x</a>"#, "<a>x</a>"),
        (
            r#"<img src="https://example.com/i.png" onerror="alert(1)">"#,
            r#"<img src="https://example.com/i.png">"#,
        ),
        // Unknown tags go but keep their text; killed ones take it with them.
        (
            "<blink>on</blink><iframe src=x>frame</iframe><style>p{}</style>",
            "<p>on</p>",
        ),
        // Text before the first block is its own paragraph; text after it is left as is.
        ("lala<p>yop</p>xxx", "<p>lala</p><p>yop</p>xxx"),
        ("2 < 3 > 1", "<p>2 &lt; 3 &gt; 1</p>"),
    ] {
        assert_eq!(
            round_trip(&admin, id, s(written)).await,
            s(stored),
            "{written}"
        );
    }
    // Empty stays empty.
    assert_eq!(
        round_trip(&admin, id, Value::Bool(false)).await,
        Value::Bool(false)
    );
    assert_eq!(round_trip(&admin, id, s("")).await, s(""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_and_load_sanitize_and_other_text_fields_do_not() {
    let server = TestServer::start().await.unwrap();
    let admin = Session::new(&server, true);
    let raw = "plain <script>x()</script>& text";
    let created = lead(&admin, vec![("description", s(raw)), ("referred", s(raw))]).await;
    assert_eq!(
        read_field(&admin, "crm.lead", created, "description").await,
        s("<p>plain &amp; text</p>")
    );
    // A char field is stored as written.
    assert_eq!(
        read_field(&admin, "crm.lead", created, "referred").await,
        s(raw)
    );

    let loaded = admin
        .ok(
            "crm.lead",
            "load",
            vec![
                arr(vec![s("id"), s("name"), s("description")]),
                arr(vec![arr(vec![
                    s("html_probe"),
                    s("Html via load"),
                    s(r#"<div onmouseover="x()">loaded<script>y()</script></div>"#),
                ])]),
            ],
            vec![],
        )
        .await;
    let id = loaded.get("ids").unwrap().as_array().unwrap()[0]
        .as_i64()
        .unwrap();
    assert_eq!(
        read_field(&admin, "crm.lead", id, "description").await,
        s("<div>loaded</div>")
    );

    // Every Html field, not only crm.lead's: res.partner's comment.
    let partner = admin
        .ok(
            "res.partner",
            "create",
            vec![st(vec![
                ("name", s("Html partner")),
                ("comment", s("note")),
            ])],
            vec![],
        )
        .await
        .as_i64()
        .unwrap();
    assert_eq!(
        read_field(&admin, "res.partner", partner, "comment").await,
        s("<p>note</p>")
    );
}
