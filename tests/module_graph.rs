//! The SDK's module graph has no cycles (issue 14, STYLE.md rule 16).
//!
//! A cycle between two modules means one of them does two jobs: the part the other needs belongs in
//! a module of its own. This test parses `taskflow-sdk/src` with `syn`, starting at `lib.rs` and
//! following `mod` declarations (`#[path]` included). Each file is a node; an inline module (such as
//! `#[cfg(test)] mod tests`) is folded into its file. An edge `a -> b` is a path in `a` that starts
//! with `crate`, `super`, `self` or the name of a module in scope (`use de::Parser` inside `xmlrpc`)
//! and resolves into `b`: an item's edge goes to the module that *defines* it, seen through
//! re-exports (`crate::Domain` is an edge to `domain`, not to the root). Every `use` that is not a
//! re-export and every path in the code counts; a `pub use` is transparent, and an edge only if the
//! module's own code names what it binds (a parent re-exporting its children depends on none of
//! them; glob re-exports never count). The crate root and `__private` only re-export, so no edges
//! leave them.
//!
//! A cycle fails the test unless all its edges are between pairs in [`EXCEPTIONS`], each with its
//! reason. `MODULE_GRAPH_PRINT=1` prints every edge with the first path that made it.

#[path = "module_graph/graph.rs"]
mod graph;

use graph::{Graph, report};

/// Module pairs that may depend on each other, in both directions, and why.
const EXCEPTIONS: &[(&str, &str, &str)] = &[(
    "client",
    "session",
    "a builder and its product, as reqwest's Client and RequestBuilder",
)];

#[test]
fn the_sdk_has_no_module_cycles() {
    let graph = Graph::of("taskflow-sdk/src/lib.rs");
    if std::env::var_os("MODULE_GRAPH_PRINT").is_some_and(|v| v == "1") {
        println!("{}", graph.listing());
    }
    let cycles = graph.cycles(EXCEPTIONS);
    assert!(
        cycles.is_empty(),
        "module cycles in taskflow-sdk (issue 14; MODULE_GRAPH_PRINT=1 lists all edges):\n{}",
        report(&cycles)
    );
}

const CYCLE: &str = "tests/fixtures/module_graph/cycle/src";

#[test]
fn a_cycle_is_reported_with_its_causes() {
    let graph = Graph::of(&format!("{CYCLE}/lib.rs"));
    let cycles = graph.cycles(&[]);
    assert_eq!(cycles.len(), 1, "{}", report(&cycles));
    assert_eq!(cycles[0].members, ["a", "b"]);
    assert_eq!(cycles[0].example, ["a", "b", "a"]);
    let causes: Vec<String> = cycles[0]
        .causes
        .iter()
        .map(|(from, to, c)| format!("{from} -> {to}: {} `{}`", c.at, c.path))
        .collect();
    let expected = [
        format!("a -> b: {CYCLE}/a.rs:3 `crate::b::X`"),
        format!("b -> a: {CYCLE}/b.rs:3 `crate::Y`"),
    ];
    assert_eq!(causes, expected, "{}", report(&cycles));
    let edges: Vec<_> = graph
        .edges
        .keys()
        .map(|(a, b)| format!("{a} -> {b}"))
        .collect();
    assert_eq!(
        edges,
        ["a -> b", "b -> a", "b -> c", "b -> d", "c -> d"],
        "{}",
        graph.listing()
    );
}

#[test]
fn an_acyclic_crate_passes() {
    let graph = Graph::of("tests/fixtures/module_graph/acyclic/src/lib.rs");
    let edges: Vec<_> = graph
        .edges
        .keys()
        .map(|(a, b)| format!("{a} -> {b}"))
        .collect();
    let expected = [
        "client -> session",
        "codec::de -> codec",
        "render -> shapes::circle",
        "render -> shapes::square",
        "session -> client",
        "shapes -> shapes::circle",
        "shapes::circle -> shapes::square",
        "shapes::square -> util",
    ];
    assert_eq!(edges, expected, "{}", graph.listing());
    let exceptions = [("client", "session", "the fixture's excepted pair")];
    let cycles = graph.cycles(&exceptions);
    assert!(cycles.is_empty(), "{}", report(&cycles));
    let unexcepted = graph.cycles(&[]);
    assert_eq!(
        unexcepted
            .iter()
            .map(|c| c.members.clone())
            .collect::<Vec<_>>(),
        [["client", "session"]]
    );
}
