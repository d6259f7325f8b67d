//! The module graph of a crate, read from its sources with syn, and its cycles (see
//! `tests/module_graph.rs`).

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::{self, Visit};

/// Modules that only re-export: no edges leave them.
const REEXPORT_ONLY: &[&str] = &["crate", "__private"];

struct Module {
    path: Vec<String>,
    /// The file module this one is folded into: itself unless it is inline.
    node: usize,
    parent: Option<usize>,
    file: String,
    children: BTreeMap<String, usize>,
    items: BTreeSet<String>,
    imports: Vec<Import>,
    /// The first names of the paths in its code: a re-export it names is a dependency.
    used: BTreeSet<String>,
}

/// A name a `use` binds (`name: None` for a glob or `as _`).
struct Import {
    name: Option<String>,
    path: Vec<String>,
    glob: bool,
}

/// A path written in module `scope`, at `line` of the scope's file.
struct Ref {
    scope: usize,
    segs: Vec<String>,
    line: usize,
    from_use: bool,
    glob: bool,
    /// The name a `pub use` binds: an edge only if the module's own code names it.
    reexport: Option<String>,
}

/// Where an edge comes from: `file:line` and the path as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Cause {
    pub at: String,
    pub path: String,
}

/// The names being looked up, against a re-export loop.
type Seen = HashSet<(usize, String)>;

/// What a path names: a module, or an item and the module that defines it.
#[derive(Clone, Copy)]
enum Target {
    Module(usize),
    Item(usize),
    /// A name not declared in this module: an item a macro defines, most likely.
    Unfound(usize),
}

#[derive(Default)]
struct Crate {
    modules: Vec<Module>,
    refs: Vec<Ref>,
}

/// The module graph: node names and edges with every path that made them.
pub struct Graph {
    pub edges: BTreeMap<(String, String), Vec<Cause>>,
    nodes: BTreeSet<String>,
    /// Paths into a module that declares no such name, each `file:line path`.
    unfound: Vec<String>,
}

/// A strongly connected component left after removing the excepted edges.
#[derive(Debug)]
pub struct Cycle {
    pub members: Vec<String>,
    /// One cycle through the component, first node repeated at the end.
    pub example: Vec<String>,
    /// Each edge of `example` with the first path that made it.
    pub causes: Vec<(String, String, Cause)>,
}

fn line(span: proc_macro2::Span) -> usize {
    span.start().line
}

/// The module name of a node, `crate` for the root.
fn name(path: &[String]) -> String {
    if path.is_empty() {
        "crate".to_owned()
    } else {
        path.join("::")
    }
}

impl Crate {
    fn load(lib_rs: &Path, base: &Path) -> Crate {
        let mut krate = Crate::default();
        let dir = lib_rs.parent().unwrap().to_owned();
        krate.load_file(lib_rs, Vec::new(), None, dir, base);
        krate
    }

    fn add(
        &mut self,
        path: Vec<String>,
        parent: Option<usize>,
        inline: bool,
        file: String,
    ) -> usize {
        let id = self.modules.len();
        let node = if inline {
            self.modules[parent.unwrap()].node
        } else {
            id
        };
        if let Some(p) = parent {
            self.modules[p]
                .children
                .insert(path.last().unwrap().clone(), id);
        }
        let (children, items, imports, used) = Default::default();
        self.modules.push(Module {
            path,
            node,
            parent,
            file,
            children,
            items,
            imports,
            used,
        });
        id
    }

    /// Loads a file module; `dir` is where its `mod x;` files live.
    fn load_file(
        &mut self,
        file: &Path,
        path: Vec<String>,
        parent: Option<usize>,
        dir: PathBuf,
        base: &Path,
    ) {
        let text =
            std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let shown = file
            .strip_prefix(base)
            .unwrap_or(file)
            .display()
            .to_string();
        let id = self.add(path, parent, false, shown);
        let file_dir = file.parent().unwrap().to_owned();
        self.load_items(id, &ast.items, &dir, &file_dir, base);
    }

    /// `dir`: where `mod x;` looks; `path_dir`: where `#[path]` is relative to.
    fn load_items(
        &mut self,
        id: usize,
        items: &[syn::Item],
        dir: &Path,
        path_dir: &Path,
        base: &Path,
    ) {
        for item in items {
            let ident = match item {
                syn::Item::Mod(m) => {
                    let mut path = self.modules[id].path.clone();
                    path.push(m.ident.to_string());
                    let attr = m.attrs.iter().find(|a| a.path().is_ident("path"));
                    let at = attr.map(|a| match &a.meta.require_name_value().unwrap().value {
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        }) => s.value(),
                        _ => panic!("unexpected #[path] on mod {}", m.ident),
                    });
                    let sub = dir.join(m.ident.to_string());
                    if let Some((_, inner)) = &m.content {
                        let file = self.modules[id].file.clone();
                        let child = self.add(path, Some(id), true, file);
                        // Its `mod x;` files, with or without #[path], live in its directory.
                        let dir = at.map_or(sub, |at| path_dir.join(at));
                        self.load_items(child, inner, &dir, &dir, base);
                    } else if let Some(at) = at {
                        // A file named by #[path] holds its `mod x;` files beside it, as a mod.rs.
                        let file = path_dir.join(at);
                        let dir = file.parent().unwrap().to_owned();
                        self.load_file(&file, path, Some(id), dir, base);
                    } else {
                        let flat = dir.join(format!("{}.rs", m.ident));
                        let (file, dir) = if flat.exists() {
                            (flat, sub)
                        } else {
                            (sub.join("mod.rs"), sub)
                        };
                        self.load_file(&file, path, Some(id), dir, base);
                    }
                    continue;
                }
                syn::Item::Use(u) => {
                    let reexport = !matches!(u.vis, syn::Visibility::Inherited);
                    let mut flat = Vec::new();
                    let prefix = if u.leading_colon.is_some() {
                        vec!["::".to_owned()]
                    } else {
                        vec![]
                    };
                    flatten(&u.tree, prefix, &mut flat);
                    for UsePath {
                        segs,
                        bound,
                        glob,
                        line,
                    } in flat
                    {
                        if !(reexport && glob) {
                            self.refs.push(Ref {
                                scope: id,
                                segs: segs.clone(),
                                line,
                                from_use: true,
                                glob,
                                reexport: bound.clone().filter(|_| reexport),
                            });
                        }
                        self.modules[id].imports.push(Import {
                            name: bound,
                            path: segs,
                            glob,
                        });
                    }
                    continue;
                }
                syn::Item::Const(i) => Some(&i.ident),
                syn::Item::Enum(i) => Some(&i.ident),
                syn::Item::Fn(i) => Some(&i.sig.ident),
                syn::Item::Macro(i) => i.ident.as_ref(),
                syn::Item::Static(i) => Some(&i.ident),
                syn::Item::Struct(i) => Some(&i.ident),
                syn::Item::Trait(i) => Some(&i.ident),
                syn::Item::TraitAlias(i) => Some(&i.ident),
                syn::Item::Type(i) => Some(&i.ident),
                syn::Item::Union(i) => Some(&i.ident),
                _ => None,
            };
            if let Some(ident) = ident {
                self.modules[id].items.insert(ident.to_string());
            }
            let used = &mut self.modules[id].used;
            Paths {
                scope: id,
                refs: &mut self.refs,
                used,
            }
            .visit_item(item);
        }
    }

    /// What `segs`, written in module `scope`, names; `None` outside the crate.
    fn resolve(&self, scope: usize, segs: &[String], seen: &mut Seen) -> Option<Target> {
        let supers = segs.iter().take_while(|s| *s == "super").count();
        let (mut module, rest) = match segs.first().map(String::as_str) {
            Some("crate") => (0, &segs[1..]),
            Some("self") => (scope, &segs[1..]),
            Some("super") => {
                let up = |m: usize, _| self.modules[m].parent.expect("`super` above the root");
                ((0..supers).fold(scope, up), &segs[supers..])
            }
            _ => (scope, segs),
        };
        // A path relative to the scope (`de::Parser`) leaves the crate if its first name is unknown.
        let relative = rest.len() == segs.len();
        for (i, seg) in rest.iter().enumerate() {
            match self.lookup(module, seg, seen) {
                Some(Target::Module(m)) => module = m,
                Some(target) => return Some(target),
                None if relative && i == 0 => return None,
                None => return Some(Target::Unfound(module)),
            }
        }
        Some(Target::Module(module))
    }

    /// What `name` means in module `m`: its own module or item, or what a `use` there binds it to.
    fn lookup(&self, m: usize, name: &str, seen: &mut Seen) -> Option<Target> {
        let module = &self.modules[m];
        if let Some(&child) = module.children.get(name) {
            return Some(Target::Module(child));
        }
        if module.items.contains(name) {
            return Some(Target::Item(m));
        }
        if !seen.insert((m, name.to_owned())) {
            return None;
        }
        // Explicit imports shadow globs; a name can be bound twice (a type and a derive macro).
        let named = |i: &&Import| i.name.as_deref() == Some(name);
        let found = if module.imports.iter().any(|i| named(&i)) {
            let mut explicit = module.imports.iter().filter(named);
            explicit.find_map(|import| self.resolve(m, &import.path, seen))
        } else {
            let mut globs = module.imports.iter().filter(|i| i.glob);
            globs.find_map(|glob| match self.resolve(m, &glob.path, seen) {
                Some(Target::Module(g)) => self.lookup(g, name, seen),
                _ => None,
            })
        };
        seen.remove(&(m, name.to_owned()));
        found
    }

    fn graph(&self) -> Graph {
        let files = self
            .modules
            .iter()
            .enumerate()
            .filter(|(i, m)| m.node == *i);
        let nodes = files.map(|(_, m)| name(&m.path)).collect();
        let (mut edges, mut unfound) = (BTreeMap::<_, Vec<Cause>>::new(), Vec::new());
        for r in &self.refs {
            let scope = &self.modules[r.scope];
            let from = name(&self.modules[scope.node].path);
            let first = r.segs[0].as_str();
            let used = |name: &String| scope.used.contains(name);
            let counts = !REEXPORT_ONLY.contains(&from.as_str())
                && r.reexport.as_ref().is_none_or(used)
                && (r.from_use
                    || matches!(first, "crate" | "super" | "self")
                    || matches!(
                        self.lookup(r.scope, first, &mut Seen::new()),
                        Some(Target::Module(_))
                    ));
            let target = self
                .resolve(r.scope, &r.segs, &mut Seen::new())
                .filter(|_| counts);
            let path = r.segs.join("::") + if r.glob { "::*" } else { "" };
            let at = format!("{}:{}", scope.file, r.line);
            let to = match target {
                None => continue,
                Some(Target::Module(m) | Target::Item(m)) => m,
                Some(Target::Unfound(m)) => {
                    unfound.push(format!("{at} `{path}`"));
                    m
                }
            };
            let to = name(&self.modules[self.modules[to].node].path);
            if to != from {
                edges
                    .entry((from, to))
                    .or_default()
                    .push(Cause { at, path });
            }
        }
        Graph {
            edges,
            nodes,
            unfound,
        }
    }
}

/// One path of a use tree, groups expanded.
struct UsePath {
    segs: Vec<String>,
    /// The name it binds: `None` for a glob or `as _`.
    bound: Option<String>,
    glob: bool,
    line: usize,
}

fn flatten(tree: &syn::UseTree, mut prefix: Vec<String>, out: &mut Vec<UsePath>) {
    let mut leaf = |ident: &syn::Ident, rename: Option<&syn::Ident>, mut segs: Vec<String>| {
        if ident != "self" {
            segs.push(ident.to_string());
        }
        let bound = match rename {
            Some(r) if r == "_" => None,
            Some(r) => Some(r.to_string()),
            None => segs.last().cloned(),
        };
        out.push(UsePath {
            segs,
            bound,
            glob: false,
            line: line(ident.span()),
        });
    };
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten(&p.tree, prefix, out);
        }
        syn::UseTree::Name(n) => leaf(&n.ident, None, prefix),
        syn::UseTree::Rename(r) => leaf(&r.ident, Some(&r.rename), prefix),
        syn::UseTree::Glob(g) => {
            let line = line(g.star_token.span);
            out.push(UsePath {
                segs: prefix,
                bound: None,
                glob: true,
                line,
            });
        }
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| flatten(t, prefix.clone(), out)),
    }
}

/// Collects the paths in an item's code, inline `use`s in blocks and macro bodies included.
struct Paths<'a> {
    scope: usize,
    refs: &'a mut Vec<Ref>,
    used: &'a mut BTreeSet<String>,
}

impl<'ast> Visit<'ast> for Paths<'_> {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.used.insert(path.segments[0].ident.to_string());
        if path.leading_colon.is_none() && path.segments.len() >= 2 {
            let segs = path.segments.iter().map(|s| s.ident.to_string()).collect();
            let line = line(path.segments[0].ident.span());
            self.refs.push(Ref {
                scope: self.scope,
                segs,
                line,
                from_use: false,
                glob: false,
                reexport: None,
            });
        }
        visit::visit_path(self, path);
    }

    /// `pub(crate)` and `pub(in crate::x)` are no dependency.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let mut flat = Vec::new();
        flatten(&u.tree, Vec::new(), &mut flat);
        for UsePath {
            segs, glob, line, ..
        } in flat.into_iter().filter(|_| u.leading_colon.is_none())
        {
            self.refs.push(Ref {
                scope: self.scope,
                segs,
                line,
                from_use: true,
                glob,
                reexport: None,
            });
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        visit::visit_macro(self, mac);
        self.scan(mac.tokens.clone());
    }
}

impl Paths<'_> {
    /// Finds `crate::a::b`, `$crate::a`, `super::a`, `self::a` in macro tokens.
    fn scan(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let sep = |i: usize| {
            matches!((tokens.get(i), tokens.get(i + 1)), (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                if a.as_char() == ':' && b.as_char() == ':')
        };
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Group(g) => self.scan(g.stream()),
                TokenTree::Ident(id) if !sep(i + 1) => {
                    self.used.insert(id.to_string());
                }
                TokenTree::Ident(id)
                    if matches!(id.to_string().as_str(), "crate" | "super" | "self")
                        && sep(i + 1) =>
                {
                    let mut segs = vec![id.to_string()];
                    while sep(i + 1) {
                        let Some(TokenTree::Ident(next)) = tokens.get(i + 3) else {
                            break;
                        };
                        segs.push(next.to_string());
                        i += 3;
                    }
                    let line = line(id.span());
                    self.refs.push(Ref {
                        scope: self.scope,
                        segs,
                        line,
                        from_use: false,
                        glob: false,
                        reexport: None,
                    });
                }
                _ => {}
            }
            i += 1;
        }
    }
}

impl Graph {
    /// The graph of the crate whose root is `lib_rs`, relative to the workspace root.
    pub fn of(lib_rs: &str) -> Graph {
        let base = Path::new(env!("CARGO_MANIFEST_DIR"));
        Crate::load(&base.join(lib_rs), base).graph()
    }

    /// The edges, one per line, each with its first cause and how many more there are.
    pub fn listing(&self) -> String {
        let mut out = String::new();
        for ((from, to), causes) in &self.edges {
            let more = if causes.len() > 1 {
                format!(" (+{} more)", causes.len() - 1)
            } else {
                String::new()
            };
            out += &format!(
                "{from} -> {to}: {} `{}`{more}\n",
                causes[0].at, causes[0].path
            );
        }
        for path in &self.unfound {
            out += &format!("(a name its module does not declare, a macro's item?) {path}\n");
        }
        out
    }

    /// The cycles left once the excepted pairs' edges are removed.
    pub fn cycles(&self, exceptions: &[(&str, &str, &str)]) -> Vec<Cycle> {
        for (a, b, _) in exceptions {
            for m in [a, b] {
                assert!(
                    self.nodes.contains(*m),
                    "exception names unknown module `{m}`"
                );
            }
        }
        let excepted = |a: &str, b: &str| {
            exceptions
                .iter()
                .any(|(x, y, _)| (*x, *y) == (a, b) || (*x, *y) == (b, a))
        };
        let names: Vec<&String> = self.nodes.iter().collect();
        let index = |n: &str| names.iter().position(|m| *m == n).unwrap();
        let mut adj = vec![Vec::new(); names.len()];
        for (from, to) in self.edges.keys().filter(|(a, b)| !excepted(a, b)) {
            adj[index(from)].push(index(to));
        }
        let mut cycles = Vec::new();
        for scc in tarjan(&adj).into_iter().filter(|scc| scc.len() > 1) {
            let example: Vec<String> = shortest_cycle(&adj, &scc)
                .iter()
                .map(|&i| names[i].clone())
                .collect();
            let causes = example.windows(2).map(|w| {
                let cause = self.edges[&(w[0].clone(), w[1].clone())][0].clone();
                (w[0].clone(), w[1].clone(), cause)
            });
            let members = scc.iter().map(|&i| names[i].clone()).collect();
            cycles.push(Cycle {
                members,
                causes: causes.collect(),
                example,
            });
        }
        cycles
    }
}

/// Tarjan's strongly connected components, each sorted, in reverse topological order.
fn tarjan(adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
    struct State<'a> {
        adj: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        stack: Vec<usize>,
        on_stack: Vec<bool>,
        out: Vec<Vec<usize>>,
    }
    fn connect(s: &mut State, v: usize) {
        let n = s.stack.len() + s.out.iter().map(Vec::len).sum::<usize>();
        (s.index[v], s.low[v]) = (Some(n), n);
        s.stack.push(v);
        s.on_stack[v] = true;
        let adj = s.adj;
        for &w in &adj[v] {
            match s.index[w] {
                None => {
                    connect(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(i) if s.on_stack[w] => s.low[v] = s.low[v].min(i),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let at = s.stack.iter().position(|&w| w == v).unwrap();
            let mut scc = s.stack.split_off(at);
            scc.iter().for_each(|&w| s.on_stack[w] = false);
            scc.sort();
            s.out.push(scc);
        }
    }
    let n = adj.len();
    let (index, low, on_stack) = (vec![None; n], vec![0; n], vec![false; n]);
    let mut s = State {
        adj,
        index,
        low,
        stack: Vec::new(),
        on_stack,
        out: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            connect(&mut s, v);
        }
    }
    s.out
}

/// A shortest cycle through the component's first node, by breadth-first search inside it.
fn shortest_cycle(adj: &[Vec<usize>], scc: &[usize]) -> Vec<usize> {
    let start = scc[0];
    let mut came_from = vec![None; adj.len()];
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in adj[v].iter().filter(|w| scc.contains(w)) {
            if w == start {
                let mut path = vec![v];
                while let Some(p) = came_from[*path.last().unwrap()] {
                    path.push(p);
                }
                path.reverse();
                path.push(start);
                return path;
            }
            if came_from[w].is_none() && w != start {
                came_from[w] = Some(v);
                queue.push_back(w);
            }
        }
    }
    unreachable!("a component of several nodes has a cycle through each")
}

/// Each cycle with one example path round it and the cause of each of its edges.
pub fn report(cycles: &[Cycle]) -> String {
    let mut out = String::new();
    for c in cycles {
        out += &format!(
            "cycle among {{{}}}: {}\n",
            c.members.join(", "),
            c.example.join(" -> ")
        );
        for (from, to, cause) in &c.causes {
            out += &format!("    {from} -> {to}: {} `{}`\n", cause.at, cause.path);
        }
    }
    out
}
