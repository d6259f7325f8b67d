//! `taskflow models` and `taskflow fields` through the real binary: the target line, tables,
//! password sources, the embedded fallback, and errors that say what to do.

mod support;

use support::{Server, TempDir, taskflow};

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

#[test]
fn fields_prints_the_target_first_then_a_plain_table() {
    let s = Server::start();
    let run = taskflow(&["fields", "crm.lead"], &s.admin(), None);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(
        first_line(&run.stderr),
        format!(
            "taskflow: {}, database {}, user admin, over xmlrpc",
            s.server.url(),
            s.server.db()
        )
    );
    let header: Vec<&str> = first_line(&run.stdout).split_whitespace().collect();
    assert_eq!(
        header,
        ["FIELD", "TYPE", "RELATION", "REQUIRED", "READONLY", "LABEL"]
    );
    let partner = run
        .stdout
        .lines()
        .find(|l| l.starts_with("partner_id "))
        .expect("a partner_id row");
    assert_eq!(
        partner.split_whitespace().collect::<Vec<_>>(),
        ["partner_id", "many2one", "res.partner", "Customer"]
    );
    let name = run.stdout.lines().find(|l| l.starts_with("name ")).unwrap();
    assert!(
        name.split_whitespace().any(|c| c == "yes"),
        "name is required: {name}"
    );
    // Piped: no colour codes, no progress bars.
    assert!(
        !run.stdout.contains('\x1b') && !run.stderr.contains('\x1b'),
        "{run:?}"
    );
}

#[test]
fn models_lists_descriptions_for_an_administrator_filtered_by_pattern() {
    let s = Server::start();
    let run = taskflow(&["models"], &s.admin(), None);
    assert_eq!(run.code, Some(0), "{run:?}");
    let lead = run
        .stdout
        .lines()
        .find(|l| l.starts_with("crm.lead "))
        .unwrap();
    assert!(lead.ends_with("Lead/Opportunity"), "{lead}");
    assert!(run.stdout.lines().any(|l| l.starts_with("res.partner ")));

    let run = taskflow(&["models", "crm.*"], &s.admin(), None);
    assert_eq!(run.code, Some(0), "{run:?}");
    let models: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        models.contains(&"crm.lead") && models.contains(&"crm.stage"),
        "{models:?}"
    );
    assert!(models.iter().all(|m| m.starts_with("crm.")), "{models:?}");

    let run = taskflow(&["models", "opportunity"], &s.admin(), None);
    let models: Vec<&str> = run.stdout.lines().skip(1).collect();
    assert_eq!(models.len(), 1, "matched by description: {models:?}");
}

#[test]
fn models_for_a_normal_user_says_why_and_tries_the_named_models() {
    let s = Server::start();
    let run = taskflow(&["models"], &s.demo(), None);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stderr.contains("user demo may not read ir.model"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--model"),
        "says what to do: {}",
        run.stderr
    );

    let run = taskflow(
        &["models", "--model", "crm.lead", "--model", "ir.model.data"],
        &s.demo(),
        None,
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let models: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(models, ["crm.lead"]);
    assert!(
        run.stderr
            .contains("ir.model.data: this user may not read it"),
        "{}",
        run.stderr
    );
}

#[test]
fn models_for_a_normal_user_reads_candidates_from_a_snapshot_dir() {
    let s = Server::start();
    let dir = TempDir::new("inspect-snapshots");
    let pull = taskflow(
        &[
            "schema",
            "pull",
            "crm.tag",
            "crm.stage",
            "--out",
            dir.path(),
        ],
        &s.admin(),
        None,
    );
    assert_eq!(pull.code, Some(0), "{pull:?}");
    let run = taskflow(&["models", "--schema", dir.path()], &s.demo(), None);
    assert_eq!(run.code, Some(0), "{run:?}");
    let rows: Vec<&str> = run.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].starts_with("crm.stage") && rows[0].ends_with("CRM Stages"),
        "{rows:?}"
    );
    assert!(
        rows[1].starts_with("crm.tag") && rows[1].ends_with("CRM Tag"),
        "{rows:?}"
    );
}

#[test]
fn the_password_comes_from_stdin_and_never_prints() {
    let s = Server::start();
    let mut env = s.admin();
    env.retain(|(k, _)| k != "TASKFLOW_PASSWORD");
    let run = taskflow(
        &["--password-stdin", "fields", "crm.tag"],
        &env,
        Some("admin\n"),
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("Tag Name"));

    let run = taskflow(
        &["--password-stdin", "fields", "crm.tag"],
        &env,
        Some("hunter2-wrong\n"),
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("refused the login"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("hunter2") && !run.stdout.contains("hunter2"),
        "{run:?}"
    );

    let run = taskflow(&["--password-stdin", "fields", "crm.tag"], &env, Some(""));
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("--password-stdin read an empty line"),
        "{}",
        run.stderr
    );
}

#[test]
fn without_a_password_or_terminal_it_fails_at_once_saying_how_to_give_one() {
    let s = Server::start();
    let mut env = s.admin();
    env.retain(|(k, _)| k != "TASKFLOW_PASSWORD");
    let run = taskflow(&["fields", "crm.tag"], &env, None);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("no password for admin"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("TASKFLOW_PASSWORD") && run.stderr.contains("--password-stdin"));
}

#[test]
fn without_a_server_inspection_uses_the_embedded_one_and_says_so() {
    let run = taskflow(&["fields", "crm.tag"], &[], None);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        first_line(&run.stderr).contains("the embedded demo server"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("Tag Name"));

    let run = taskflow(&["schema", "pull", "crm.tag", "--out", "unused"], &[], None);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("needs a server: pass --url"),
        "{}",
        run.stderr
    );
}

#[test]
fn errors_say_what_went_wrong_and_what_to_do() {
    let s = Server::start();
    let run = taskflow(&["fields", "no.such.model"], &s.admin(), None);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("cannot describe no.such.model"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("doesn't exist"), "{}", run.stderr);

    // Nothing listens there: the server is gone.
    let url = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let mut env = s.admin();
    env[0].1 = url;
    let run = taskflow(&["fields", "crm.tag"], &env, None);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("check --url"), "{}", run.stderr);

    let mut env = s.admin();
    env.retain(|(k, _)| k != "TASKFLOW_DB");
    let run = taskflow(&["fields", "crm.tag"], &env, None);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("pass --db or set TASKFLOW_DB"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_transport_comes_from_the_flag_or_the_environment_and_is_the_one_spoken() {
    let s = Server::start();
    let run = taskflow(
        &["fields", "crm.tag", "--transport", "jsonrpc"],
        &s.admin(),
        None,
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        first_line(&run.stderr).ends_with(", over jsonrpc"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.lines().any(|l| l.starts_with("name ")),
        "{}",
        run.stdout
    );
    let seen = s.server.requests();
    assert!(seen.jsonrpc > 0 && seen.xmlrpc == 0, "{seen}");

    let mut env = s.admin();
    env.push(("TASKFLOW_TRANSPORT".into(), "jsonrpc".into()));
    let run = taskflow(&["fields", "crm.tag"], &env, None);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        first_line(&run.stderr).ends_with(", over jsonrpc"),
        "{}",
        run.stderr
    );
    assert_eq!(s.server.requests().xmlrpc, 0);

    // An unknown protocol is refused before anything is sent, naming the ones there are.
    let before = s.server.requests();
    let run = taskflow(
        &["fields", "crm.tag", "--transport", "soap"],
        &s.admin(),
        None,
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr
            .contains(r#"unknown transport "soap": use xmlrpc, jsonrpc, json2 or auto"#),
        "{}",
        run.stderr
    );
    assert_eq!(s.server.requests(), before);
}

#[test]
fn json2_signs_in_with_the_key_alone_and_never_prints_it() {
    let s = Server::start_in(taskflow_server::Mode::Odoo19);
    let key = s.server.admin().api_key.expect("19 has API keys");
    let env = vec![
        ("TASKFLOW_URL".to_owned(), s.server.url()),
        ("TASKFLOW_DB".to_owned(), s.server.db().to_owned()),
        ("TASKFLOW_API_KEY".to_owned(), key.clone()),
    ];
    let run = taskflow(&["fields", "crm.tag", "--transport", "json2"], &env, None);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        first_line(&run.stderr).ends_with(", over json2"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("Tag Name"), "{}", run.stdout);
    let seen = s.server.requests();
    assert!(seen.json2 > 0 && seen.xmlrpc + seen.jsonrpc == 0, "{seen}");
    assert!(!run.stdout.contains(&key) && !run.stderr.contains(&key));

    // From standard input, and a wrong one refused without showing it.
    let no_key: Vec<_> = env[..2].to_vec();
    let stdin = format!("{key}\n");
    let run = taskflow(
        &[
            "--password-stdin",
            "--transport",
            "json2",
            "fields",
            "crm.tag",
        ],
        &no_key,
        Some(&stdin),
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let run = taskflow(
        &[
            "--password-stdin",
            "--transport",
            "json2",
            "fields",
            "crm.tag",
        ],
        &no_key,
        Some("hunter2-wrong\n"),
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("refused the login"), "{}", run.stderr);
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);

    // Without a key and without a terminal: at once, saying how to give one.
    let run = taskflow(
        &["--transport", "json2", "fields", "crm.tag"],
        &no_key,
        None,
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("no API key") && run.stderr.contains("TASKFLOW_API_KEY"),
        "{}",
        run.stderr
    );

    // auto picks JSON-2 on 19 with a key.
    let run = taskflow(&["--transport", "auto", "fields", "crm.tag"], &env, None);
    assert_eq!(run.code, Some(0), "{run:?}");
}

#[test]
fn plain_http_to_a_remote_host_needs_the_opt_in() {
    let run = taskflow(
        &["fields", "crm.tag"],
        &[
            (
                "TASKFLOW_URL".to_owned(),
                "http://erp.example.invalid:8069".to_owned(),
            ),
            ("TASKFLOW_DB".to_owned(), "erp".to_owned()),
            ("TASKFLOW_USER".to_owned(), "admin".to_owned()),
            ("TASKFLOW_PASSWORD".to_owned(), "hunter2".to_owned()),
        ],
        None,
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("--allow-insecure-http"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);

    // The variable takes 1 and 0, as the hint says.
    let s = Server::start();
    for value in ["1", "0", "true"] {
        let mut env = s.admin();
        env.push(("TASKFLOW_ALLOW_INSECURE_HTTP".into(), value.into()));
        let run = taskflow(&["fields", "crm.tag"], &env, None);
        assert_eq!(run.code, Some(0), "{value}: {run:?}");
    }
}
