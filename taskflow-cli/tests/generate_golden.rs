//! `taskflow generate` through the real binary, compared byte for byte with the golden output in
//! `taskflow-cli/golden/src/<case>/`, which the `taskflow-cli-golden` crate compiles under
//! `#![deny(warnings, missing_docs)]`.
//!
//! The cases: each snapshot directory of `tests/fixtures/schemas/` (`--from`), `wide` (one
//! model with 500 fields, written by this test), and `embedded` (the embedded demo server's
//! schema as admin: no `--url`, `--all`).
//!
//! After a deliberate change to the generator, regenerate the golden files and review the diff:
//!
//! ```text
//! TASKFLOW_BLESS=1 cargo test -p taskflow-cli --test generate_golden
//! git diff taskflow-cli/golden
//! ```
//!
//! A new case also needs its `pub mod <case>;` in `taskflow-cli/golden/src/lib.rs` (a test
//! checks that every case is compiled).

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use support::{TempDir, taskflow};
use taskflow_schema::{FORMAT_VERSION, FieldSpec, FieldType, PulledBy, SelectionKey, Snapshot};

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/golden/src");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schemas");

/// The cases of `tests/fixtures/schemas/`, sorted.
fn fixture_cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_owned())
        .collect();
    cases.sort();
    cases
}

/// Runs `taskflow generate args... --out <temp>` with a clean environment and returns the
/// output directory.
fn generate(name: &str, args: &[&str]) -> TempDir {
    let out = TempDir::new(&format!("golden-{name}"));
    let dir = out.0.join("models");
    let mut all = vec!["generate"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", dir.to_str().unwrap()]);
    let run = taskflow(&all, &[], None);
    assert_eq!(run.code, Some(0), "taskflow {all:?} failed: {run:?}");
    out
}

/// Every file of `dir` (flat: the generator writes no subdirectory), by name.
fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .map(|p| {
            assert!(p.is_file(), "{} is not a file", p.display());
            let name = p.file_name().unwrap().to_str().unwrap().to_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

fn bless() -> bool {
    std::env::var_os("TASKFLOW_BLESS").is_some_and(|v| v == "1")
}

/// Compares the generated directory with the golden one, or with `TASKFLOW_BLESS=1` replaces
/// the golden one by it.
fn assert_golden(case: &str, generated: &TempDir) {
    let generated = files(&generated.0.join("models"));
    let golden_dir = PathBuf::from(GOLDEN).join(case);
    if bless() {
        let _ = std::fs::remove_dir_all(&golden_dir);
        std::fs::create_dir_all(&golden_dir).unwrap();
        for (name, text) in &generated {
            std::fs::write(golden_dir.join(name), text).unwrap();
        }
        return;
    }
    assert_same(case, &files(&golden_dir), &generated);
}

fn assert_same(case: &str, golden: &BTreeMap<String, String>, got: &BTreeMap<String, String>) {
    let hint = "regenerate with TASKFLOW_BLESS=1 (see this test's doc) and review the diff";
    let golden_names: BTreeSet<&String> = golden.keys().collect();
    let got_names: BTreeSet<&String> = got.keys().collect();
    assert_eq!(
        got_names, golden_names,
        "case {case}: the generated files differ from the golden ones; {hint}"
    );
    for (name, expected) in golden {
        let actual = &got[name];
        if actual == expected {
            continue;
        }
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "case {case}: {name} differs from the golden file at line {}:\n golden: {:?}\n    got: {:?}\n{hint}",
            line + 1,
            expected.lines().nth(line).unwrap_or("<end of file>"),
            actual.lines().nth(line).unwrap_or("<end of file>"),
        );
    }
}

fn pulled_by() -> PulledBy {
    PulledBy {
        database: "fixtures".into(),
        login: "admin".into(),
        uid: 2,
    }
}

/// One model with 500 fields of every type, required or not, read-only or not, related to
/// itself or to a model outside the set: built here, deterministically, rather than committed.
fn wide_snapshot() -> Snapshot {
    let mut types: Vec<FieldType> = FieldType::KNOWN.to_vec();
    types.push(FieldType::Other("geo_point".into()));
    let fields = (0..500)
        .map(|i| {
            let field_type = &types[i % types.len()];
            let spec = FieldSpec {
                help: (i % 50 == 0).then(|| format!("Help of field {i}.")),
                readonly: i % 7 == 0,
                relation: field_type.is_relational().then(|| {
                    if i % 2 == 0 {
                        "x_wide.model".to_owned()
                    } else {
                        "res.partner".to_owned()
                    }
                }),
                relation_field: None,
                required: i % 3 == 0,
                selection: (*field_type == FieldType::Selection).then(|| {
                    vec![
                        (SelectionKey::from("a"), "A".to_owned()),
                        (
                            SelectionKey::from(format!("{i}").as_str()),
                            format!("Key {i}"),
                        ),
                    ]
                }),
                string: format!("Field {i}"),
                type_name: field_type.name().to_owned(),
            };
            (format!("x_f{i:03}_{}", field_type.name()), spec)
        })
        .collect();
    Snapshot {
        description: Some("A model with 500 fields".into()),
        fields,
        format: FORMAT_VERSION,
        model: "x_wide.model".into(),
        pulled_by: pulled_by(),
        server_version: "17.0".into(),
    }
}

/// The snapshots of a `--from` case: a fixture directory, or `wide` written to a temp dir.
fn case_snapshots(case: &str) -> Vec<Snapshot> {
    if case == "wide" {
        return vec![wide_snapshot()];
    }
    taskflow_schema::read_dir(&PathBuf::from(FIXTURES).join(case)).unwrap()
}

#[test]
fn every_fixture_case_generates_its_golden_output() {
    let cases = fixture_cases();
    assert!(cases.len() >= 2, "fixture cases: {cases:?}");
    for case in cases {
        let from = format!("{FIXTURES}/{case}");
        let out = generate(&case, &["--from", &from]);
        assert_golden(&case, &out);
    }
}

#[test]
fn a_model_with_500_fields_generates_its_golden_output() {
    let schema = TempDir::new("golden-wide-schema");
    let snapshot = wide_snapshot();
    assert_eq!(snapshot.fields.len(), 500);
    std::fs::write(schema.0.join("x_wide.model.json"), snapshot.to_json()).unwrap();
    let out = generate("wide", &["--from", schema.path()]);
    assert_golden("wide", &out);
}

#[test]
fn the_embedded_servers_schema_generates_its_golden_output() {
    // No --url and a clean environment: the embedded demo server, as admin.
    let out = generate("embedded", &["--all"]);
    assert_golden("embedded", &out);
}

/// `snapshot` as JSON with its keys and fields in another order than `to_json`'s.
fn shuffled_json(snapshot: &Snapshot) -> String {
    let mut fields: Vec<(&String, &FieldSpec)> = snapshot.fields.iter().collect();
    // Reversed, then every other one moved to the end: not sorted either way.
    fields.reverse();
    let (even, odd): (Vec<_>, Vec<_>) = fields.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let fields: Vec<String> = even
        .into_iter()
        .chain(odd)
        .map(|(_, (name, spec))| {
            format!(
                "{}: {}",
                serde_json::to_string(name).unwrap(),
                serde_json::to_string(spec).unwrap()
            )
        })
        .collect();
    let description = match &snapshot.description {
        Some(d) => format!("\"description\": {},", serde_json::to_string(d).unwrap()),
        None => String::new(),
    };
    format!(
        "{{\"server_version\": {}, \"pulled_by\": {}, \"model\": {}, \"format\": {}, {description} \"fields\": {{{}}}}}",
        serde_json::to_string(&snapshot.server_version).unwrap(),
        serde_json::to_string(&snapshot.pulled_by).unwrap(),
        serde_json::to_string(&snapshot.model).unwrap(),
        snapshot.format,
        fields.join(", "),
    )
}

#[test]
fn the_same_schema_in_another_order_gives_the_same_bytes() {
    if bless() {
        return; // compares with the golden output, which the other tests are rewriting
    }
    let mut cases = fixture_cases();
    cases.push("wide".into());
    for case in cases {
        let snapshots = case_snapshots(&case);
        let schema = TempDir::new(&format!("schema-{case}-shuffled"));
        // Models in reverse order, in files named after neither the model nor that order.
        for (i, snapshot) in snapshots.iter().rev().enumerate() {
            let text = shuffled_json(snapshot);
            assert_eq!(&Snapshot::from_json(text.as_bytes()).unwrap(), snapshot);
            assert_ne!(text, snapshot.to_json());
            std::fs::write(schema.0.join(format!("{}-{i}.json", 9 - i)), text).unwrap();
        }
        let out = generate(&format!("{case}-shuffled"), &["--from", schema.path()]);
        let golden = files(&PathBuf::from(GOLDEN).join(&case));
        assert_same(&case, &golden, &files(&out.0.join("models")));
    }
}

#[test]
fn every_case_is_compiled_by_the_golden_crate() {
    let lib = std::fs::read_to_string(PathBuf::from(GOLDEN).join("lib.rs")).unwrap();
    assert!(lib.contains("#![deny(warnings)]") && lib.contains("#![deny(missing_docs)]"));
    let declared: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';').to_owned())
        .collect();
    let mut cases: BTreeSet<String> = fixture_cases().into_iter().collect();
    cases.extend(["wide".to_owned(), "embedded".to_owned()]);
    assert_eq!(
        declared, cases,
        "golden/src/lib.rs declares one module per case"
    );
    // rustfmt must leave the generated files as the generator wrote them.
    let skipped = lib
        .lines()
        .zip(lib.lines().skip(1))
        .filter(|(attr, item)| *attr == "#[rustfmt::skip]" && item.starts_with("pub mod "))
        .count();
    assert_eq!(skipped, cases.len(), "each case is #[rustfmt::skip]");
}
