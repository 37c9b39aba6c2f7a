//! Tidy: the layers and I/O rules of ARCHITECTURE.md ("Invariants"), checked on the text of
//! `src/`, in the spirit of rust-analyzer's tidy tests.
//!
//! Every file under `src/` is read with comments, doc comments and the insides of string and
//! character literals blanked out. The test fails, naming file and line, when
//!
//! - a module imports (`crate::x`, grouped `use crate::{a, b::c}`, `super::` paths that climb
//!   out of it, anywhere in the code, `#[cfg(test)]` modules included) a module of a higher
//!   layer of [`LAYERS`];
//! - the top-level modules import each other in a cycle, or the submodules of one folder
//!   module do (e.g. `loader::rules` ↔ `loader::items`);
//! - the filesystem is touched outside [`FS_READ`] (reads, existence and metadata) or
//!   [`FS_WRITE`] (writes);
//! - something prints (`println!`, `eprint!`, `stdout()`, …) outside [`PRINT`];
//! - `clap` appears outside [`CLAP`].
//!
//! `#[cfg(test)] mod` blocks may touch files and print; they still obey the layers. Known
//! violations waiting for a rewrite are in [`ALLOWED`], each with who removes it; an entry that
//! no longer matches anything fails the test, so the list only shrinks.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

/// The layers, bottom first, as sets of top-level modules. A module may import modules of its
/// own layer (as long as no cycle forms) and of the layers below; never of a layer above.
const LAYERS: &[(&str, &[&str])] = &[
    // Diagnostics and their positions (`Origin`): everything may report a problem.
    ("base", &["diag"]),
    // The validated rules by index, one period's data, periods, numbers and rounding.
    (
        "model",
        &[
            "campaign",
            "indicator",
            "item",
            "period",
            "data",
            "rounding",
        ],
    ),
    // The engine's output: what a period's evaluation found, read by store and report.
    ("facts", &["result"]),
    // Evaluation: scoring methods, ranks, tiers, the script sandbox, history across periods.
    (
        "engine",
        &[
            "methods", "rank", "tier", "script", "evaluate", "history", "quality",
        ],
    ),
    // Files in and out: the loader, atomic writes, the published file, the timeline of periods.
    ("store", &["loader", "output", "publish", "timeline"]),
    // Documents from facts: reports, explanations, fill-in workbooks.
    ("report", &["report", "explain", "template"]),
    // Whole applications beside the core: rule tests, synthetic campaigns, composite indices.
    ("app", &["ruletest", "gen", "composite"]),
    // The command line, on top: it may use everything.
    ("cli", &["cli"]),
];

/// Modules that may read the filesystem: read files, list folders, ask whether a path exists.
const FS_READ: &[&str] = &["loader", "output"];
/// Modules that may write files and create folders.
const FS_WRITE: &[&str] = &["output"];
/// Modules that may print to stdout or stderr.
const PRINT: &[&str] = &["cli"];
/// Modules that may name `clap`.
const CLAP: &[&str] = &["cli"];

/// What a violation breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rule {
    /// An import of a higher layer.
    Layer,
    /// A filesystem read outside [`FS_READ`].
    FsRead,
    /// A filesystem write outside [`FS_WRITE`].
    FsWrite,
    /// Printing outside [`PRINT`].
    Print,
    /// `clap` outside [`CLAP`].
    Clap,
}

/// Known violations: (a path or path prefix under the crate root, the rule, and what is
/// allowed: the imported module for [`Rule::Layer`], the matched text otherwise, `""` for
/// anything). Remove an entry once its violation is gone: a stale entry fails the test.
const ALLOWED: &[(&str, Rule, &str)] = &[];

/// A rule broken at a place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Violation {
    file: String,
    line: usize,
    rule: Rule,
    /// The imported module, or the text matched.
    what: String,
    message: String,
}

// ---------------------------------------------------------------------------------------------
// The test on src/

#[test]
fn src_keeps_its_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect(&root.join("src"), root, &mut files);
    assert!(
        files.len() > 20,
        "tidy found only {} files under src/",
        files.len()
    );
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let problems = check(&refs, ALLOWED);
    assert!(
        problems.is_empty(),
        "\n{}\n\n{} problem(s). The layers, bottom first (a module may import its own layer \
         without a cycle, and lower ones):\n{}\nOnly {FS_READ:?} read files, only {FS_WRITE:?} \
         write them, only {PRINT:?} prints and only {CLAP:?} names clap (see ARCHITECTURE.md, \
         Invariants).\n",
        problems.join("\n"),
        problems.len(),
        LAYERS
            .iter()
            .map(|(n, ms)| format!("  {n}: {}", ms.join(", ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Modules that produce facts and must write no prose: every sentence and label a user reads
/// comes from the catalogue (`src/report/lang.rs`), in the language asked for.
const NO_PROSE: &[&str] = &[
    "src/evaluate.rs",
    "src/history.rs",
    "src/methods.rs",
    "src/rank.rs",
    "src/tier.rs",
    "src/quality.rs",
    "src/timeline.rs",
    "src/publish.rs",
];

#[test]
fn the_engine_writes_no_chinese_prose() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for file in NO_PROSE {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        found.extend(prose(file, &text));
    }
    assert!(
        found.is_empty(),
        "Chinese text in a string literal of the engine (write facts, and the sentence in \
         src/report/lang.rs):\n{}",
        found.join("\n")
    );
}

/// `file:line` for each string literal holding a Chinese character, outside `#[cfg(test)]`
/// and comments. A line-based look, enough for this code base's style.
fn prose(file: &str, text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        let mut inside = false;
        let mut prev = ' ';
        for c in line.chars() {
            if c == '"' && prev != '\\' {
                inside = !inside;
            } else if inside && ('\u{4e00}'..='\u{9fff}').contains(&c) {
                out.push(format!("{file}:{}: {}", n + 1, line.trim()));
                break;
            } else if !inside && c == '/' && prev == '/' {
                break;
            }
            prev = c;
        }
    }
    out
}

/// Every `.rs` file under `dir`, as (path relative to `root` with `/`, text), sorted.
fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, root, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let rel = p.strip_prefix(root).unwrap();
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let text = std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            out.push((rel, text));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The checker, on (path, text) pairs so that it can be tested on small strings.

/// Checks the files (paths like `src/rank.rs`); returns one line per problem, sorted.
fn check(files: &[(&str, &str)], allowed: &[(&str, Rule, &str)]) -> Vec<String> {
    let mut problems = Vec::new();
    let modules: BTreeSet<Vec<String>> = files.iter().filter_map(|(p, _)| module_of(p)).collect();
    let tops: BTreeSet<&str> = modules
        .iter()
        .filter(|m| m.len() == 1)
        .map(|m| m[0].as_str())
        .collect();

    // Every module is in exactly one layer, and every layer entry is a module.
    let mut layer_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, (name, ms)) in LAYERS.iter().enumerate() {
        for m in *ms {
            if let Some(j) = layer_of.insert(m, i) {
                problems.push(format!(
                    "LAYERS: `{m}` is in both `{}` and `{name}`",
                    LAYERS[j].0
                ));
            }
            if !tops.contains(m) {
                problems.push(format!(
                    "LAYERS names `{m}`, which is not a module under src/"
                ));
            }
        }
    }
    for t in &tops {
        if !layer_of.contains_key(t) {
            problems.push(format!(
                "src/{t}: the module `{t}` is in no layer: add it to LAYERS in tests/tidy.rs (and to ARCHITECTURE.md)"
            ));
        }
    }

    let mut violations = Vec::new();
    // The top-level graph, and per folder module the graph of its submodules.
    let mut edges = Edges::new();
    let mut sub_edges: BTreeMap<String, Edges> = BTreeMap::new();

    for (path, text) in files {
        // The binary sits with the command line; the crate root (lib.rs) in no module.
        let module = match module_of(path) {
            Some(m) => m,
            None if is_bin(path) => vec!["cli".to_string()],
            None => Vec::new(),
        };
        let scan = Scan::new(text);
        let top = module.first().map(String::as_str);
        let allowed_in = |list: &[&str]| top.is_some_and(|t| list.contains(&t));

        // Imports.
        for p in scan.paths(&module, &modules) {
            let Some(target) = p.resolved.first() else {
                continue;
            };
            if !tops.contains(target.as_str()) {
                continue;
            }
            if let Some(from) = top {
                if from != target {
                    edges
                        .entry((from.to_string(), target.clone()))
                        .or_insert((path.to_string(), p.line));
                    if let (Some(&lf), Some(&lt)) =
                        (layer_of.get(from), layer_of.get(target.as_str()))
                    {
                        if lt > lf {
                            violations.push(Violation {
                                file: path.to_string(),
                                line: p.line,
                                rule: Rule::Layer,
                                what: target.clone(),
                                message: format!(
                                    "`{from}` ({}) imports `{target}` ({}), a higher layer",
                                    LAYERS[lf].0, LAYERS[lt].0
                                ),
                            });
                        }
                    }
                } else if module.len() >= 2 && p.resolved.len() >= 2 {
                    // Within a folder module: sibling submodules.
                    let (a, b) = (&module[1], &p.resolved[1]);
                    if a != b && modules.contains(&vec![from.to_string(), b.clone()]) {
                        sub_edges
                            .entry(from.to_string())
                            .or_default()
                            .entry((a.clone(), b.clone()))
                            .or_insert((path.to_string(), p.line));
                    }
                }
            }
        }

        // Filesystem, printing, clap.
        for m in scan.matches() {
            let in_test = scan.in_test(m.offset);
            let (rule, ok) = match m.kind {
                MatchKind::FsWrite => (Rule::FsWrite, in_test || allowed_in(FS_WRITE)),
                MatchKind::FsRead => (Rule::FsRead, in_test || allowed_in(FS_READ)),
                MatchKind::Print => (Rule::Print, in_test || allowed_in(PRINT)),
                MatchKind::Clap => (Rule::Clap, allowed_in(CLAP)),
            };
            if ok {
                continue;
            }
            let where_ = match rule {
                Rule::FsWrite => format!("only {FS_WRITE:?} write files"),
                Rule::FsRead => format!("only {FS_READ:?} read the filesystem"),
                Rule::Print => format!("only {PRINT:?} prints"),
                Rule::Clap => format!("only {CLAP:?} parses arguments"),
                Rule::Layer => unreachable!(),
            };
            violations.push(Violation {
                file: path.to_string(),
                line: scan.line(m.offset),
                rule,
                what: m.text.clone(),
                message: format!("`{}`: {where_}", m.text),
            });
        }
    }

    // A line that writes is not also reported for reading.
    let writes: BTreeSet<(String, usize)> = violations
        .iter()
        .filter(|v| v.rule == Rule::FsWrite)
        .map(|v| (v.file.clone(), v.line))
        .collect();
    violations.retain(|v| v.rule != Rule::FsRead || !writes.contains(&(v.file.clone(), v.line)));
    violations.sort();
    // One report per line and rule (per imported module for the layers).
    violations.dedup_by(|a, b| {
        (&a.file, a.line, a.rule) == (&b.file, b.line, b.rule)
            && (a.rule != Rule::Layer || a.what == b.what)
    });

    let mut used = vec![false; allowed.len()];
    for v in violations {
        let hit = allowed.iter().position(|(p, r, what)| {
            v.file.starts_with(p) && *r == v.rule && (what.is_empty() || v.what == *what)
        });
        match hit {
            Some(i) => used[i] = true,
            None => problems.push(format!("{}:{}: {}", v.file, v.line, v.message)),
        }
    }
    for ((p, r, what), used) in allowed.iter().zip(used) {
        if !used {
            problems.push(format!(
                "ALLOWED: ({p:?}, {r:?}, {what:?}) no longer matches anything: remove it from tests/tidy.rs"
            ));
        }
    }

    problems.extend(cycles("", &edges));
    for (parent, e) in &sub_edges {
        problems.extend(cycles(parent, e));
    }
    problems.sort();
    problems
}

/// Imports between modules: (from, to) → the first place, file and line.
type Edges = BTreeMap<(String, String), (String, usize)>;

/// The module path of a library file: `src/loader/items.rs` → `[loader, items]`,
/// `src/loader/mod.rs` → `[loader]`; `None` for the crate root and the binary.
fn module_of(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix("src/")?.strip_suffix(".rs")?;
    let mut parts: Vec<String> = rest.split('/').map(String::from).collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    if parts.is_empty() || (parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main")) {
        return None;
    }
    Some(parts)
}

/// The binary's root, which sits with the command line.
fn is_bin(path: &str) -> bool {
    path == "src/main.rs" || path.starts_with("src/bin/")
}

/// Each cycle among `edges`, one line per strongly connected component, with the place of
/// every edge of one cycle through it.
fn cycles(parent: &str, edges: &Edges) -> Vec<String> {
    let mut graph: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges.keys() {
        graph.entry(a).or_default().push(b);
        graph.entry(b).or_default();
    }
    let mut out = Vec::new();
    for scc in strongly_connected(&graph) {
        if scc.len() < 2 {
            continue;
        }
        // The shortest cycle through the component's first node, by breadth-first search.
        let start = scc[0];
        let inside: BTreeSet<&str> = scc.iter().copied().collect();
        let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut last = None;
        'search: while let Some(n) = queue.pop_front() {
            for &m in &graph[n] {
                if !inside.contains(m) {
                    continue;
                }
                if m == start {
                    last = Some(n);
                    break 'search;
                }
                if !prev.contains_key(m) {
                    prev.insert(m, n);
                    queue.push_back(m);
                }
            }
        }
        let mut path = vec![start];
        let mut n = last.expect("a component of two or more nodes has a cycle");
        while n != start {
            path.push(n);
            n = prev[n];
        }
        path[1..].reverse();
        path.push(start);
        let name = |m: &str| {
            if parent.is_empty() {
                m.to_string()
            } else {
                format!("{parent}::{m}")
            }
        };
        let mut line = format!(
            "import cycle: {}",
            path.iter().map(|m| name(m)).collect::<Vec<_>>().join(" → ")
        );
        if scc.len() + 1 > path.len() {
            line.push_str(&format!(
                " (all of {} import each other, one way or another)",
                scc.iter().map(|m| name(m)).collect::<Vec<_>>().join(", ")
            ));
        }
        for w in path.windows(2) {
            let (file, l) = &edges[&(w[0].to_string(), w[1].to_string())];
            line.push_str(&format!(
                "\n    {file}:{l}: `{}` imports `{}`",
                name(w[0]),
                name(w[1])
            ));
        }
        out.push(line);
    }
    out
}

/// Tarjan's strongly connected components, each sorted, in a deterministic order.
fn strongly_connected<'a>(graph: &BTreeMap<&'a str, Vec<&'a str>>) -> Vec<Vec<&'a str>> {
    struct State<'a> {
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(n: &'a str, g: &BTreeMap<&'a str, Vec<&'a str>>, s: &mut State<'a>) {
        let i = s.index.len();
        s.index.insert(n, i);
        s.low.insert(n, i);
        s.stack.push(n);
        s.on_stack.insert(n);
        for &m in &g[n] {
            if !s.index.contains_key(m) {
                visit(m, g, s);
                let l = s.low[m].min(s.low[n]);
                s.low.insert(n, l);
            } else if s.on_stack.contains(m) {
                let l = s.index[m].min(s.low[n]);
                s.low.insert(n, l);
            }
        }
        if s.low[n] == s.index[n] {
            let mut scc = Vec::new();
            loop {
                let m = s.stack.pop().unwrap();
                s.on_stack.remove(m);
                scc.push(m);
                if m == n {
                    break;
                }
            }
            scc.sort();
            s.out.push(scc);
        }
    }
    let mut s = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for &n in graph.keys() {
        if !s.index.contains_key(n) {
            visit(n, graph, &mut s);
        }
    }
    s.out.sort();
    s.out
}

// ---------------------------------------------------------------------------------------------
// The scanner.

/// A source file with comments and literal contents blanked, tokenized.
struct Scan {
    tokens: Vec<Token>,
    line_starts: Vec<usize>,
    /// `#[cfg(test)] mod … { }` blocks.
    tests: Vec<Range<usize>>,
    /// Inline `mod name { }` blocks, for resolving `super::`.
    mods: Vec<(Range<usize>, String)>,
}

#[derive(Debug, Clone, PartialEq)]
struct Token {
    text: String,
    offset: usize,
}

/// A path naming a module, resolved from the crate root.
#[derive(Debug)]
struct ModPath {
    resolved: Vec<String>,
    line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum MatchKind {
    FsRead,
    FsWrite,
    Print,
    Clap,
}

#[derive(Debug)]
struct Match {
    kind: MatchKind,
    text: String,
    offset: usize,
}

/// Token sequences that write files (checked first: a write also matches some reads).
const FS_WRITE_PATTERNS: &[&str] = &[
    "fs::write",
    "fs::rename",
    "fs::copy",
    "fs::hard_link",
    "fs::set_permissions",
    "File::create",
    "OpenOptions",
    "create_dir",
    "create_dir_all",
    "remove_file",
    "remove_dir",
    "remove_dir_all",
];
/// Token sequences that read the filesystem: contents, listings, existence, metadata.
const FS_READ_PATTERNS: &[&str] = &[
    "std::fs",
    "fs::read",
    "File::",
    "read_dir",
    "read_to_string",
    "read_link",
    ".exists(",
    "::exists(",
    "try_exists",
    ".metadata(",
    "symlink_metadata",
    ".is_file(",
    ".is_dir(",
    ".is_symlink(",
    "canonicalize",
];
const PRINT_PATTERNS: &[&str] = &[
    "println!",
    "print!",
    "eprintln!",
    "eprint!",
    "dbg!",
    "stdout(",
    "stderr(",
];

impl Scan {
    fn new(text: &str) -> Scan {
        let code = strip(text);
        let tokens = tokenize(&code);
        let mut line_starts = vec![0];
        line_starts.extend(code.match_indices('\n').map(|(i, _)| i + 1));
        let mut scan = Scan {
            tokens,
            line_starts,
            tests: Vec::new(),
            mods: Vec::new(),
        };
        scan.find_mods();
        scan
    }

    fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    fn in_test(&self, offset: usize) -> bool {
        self.tests.iter().any(|r| r.contains(&offset))
    }

    /// Finds inline `mod name {…}` blocks, and which are under `#[cfg(test)]`.
    fn find_mods(&mut self) {
        let t = &self.tokens;
        for i in 0..t.len() {
            if t[i].text != "mod" || i + 2 >= t.len() || t[i + 2].text != "{" {
                continue;
            }
            let name = t[i + 1].text.clone();
            let Some(end) = matching(t, i + 2) else {
                continue;
            };
            let range = t[i].offset..t[end].offset + 1;
            // Walk back over `pub`, `pub(crate)` and attributes looking for #[cfg(test)].
            let mut j = i;
            let mut is_test = false;
            while j > 0 {
                let prev = &t[j - 1].text;
                if prev == "pub" || prev == "crate" || prev == "(" || prev == ")" {
                    j -= 1;
                } else if prev == "]" {
                    // An attribute: find its `#[`.
                    let mut k = j - 1;
                    let mut depth = 0;
                    loop {
                        match t[k].text.as_str() {
                            "]" => depth += 1,
                            "[" => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        if k == 0 {
                            break;
                        }
                        k -= 1;
                    }
                    let attr: String = t[k..j].iter().map(|x| x.text.as_str()).collect();
                    if attr == "[cfg(test)]" {
                        is_test = true;
                    }
                    if k > 0 && t[k - 1].text == "#" {
                        j = k - 1;
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            if is_test {
                self.tests.push(range.clone());
            }
            self.mods.push((range, name));
        }
    }

    /// The module path in force at `offset`: the file's, then enclosing inline modules.
    fn context(&self, file: &[String], offset: usize) -> Vec<String> {
        let mut ctx = file.to_vec();
        let mut inner: Vec<&(Range<usize>, String)> = self
            .mods
            .iter()
            .filter(|(r, _)| r.contains(&offset))
            .collect();
        inner.sort_by_key(|(r, _)| r.start);
        ctx.extend(inner.into_iter().map(|(_, n)| n.clone()));
        ctx
    }

    /// Every path that may name a module: `use` trees (expanded), and `crate::…` and
    /// `super::…` paths anywhere else. Resolved from the crate root; paths that do not start
    /// at `crate`, `super`, `self` or a known child module (external crates, local items) are
    /// left out.
    fn paths(&self, file: &[String], modules: &BTreeSet<Vec<String>>) -> Vec<ModPath> {
        let mut out = Vec::new();
        for (segs, at) in self.use_trees() {
            let ctx = self.context(file, at);
            if let Some(p) = resolve(&segs, &ctx, modules, true) {
                out.push(self.mod_path(p));
            }
        }
        let t = &self.tokens;
        let mut i = 0;
        while i < t.len() {
            if t[i].text == "use" {
                // Done above.
                let mut trees = Vec::new();
                i += 1;
                use_tree(t, &mut i, Vec::new(), &mut trees);
                continue;
            }
            let starts =
                (t[i].text == "crate" && (i == 0 || t[i - 1].text != "$")) || t[i].text == "super";
            let continues = i + 1 < t.len() && t[i + 1].text == "::";
            let inside = i > 0 && t[i - 1].text == "::";
            if starts && continues && !inside {
                let ctx = self.context(file, t[i].offset);
                let mut segs = vec![(t[i].text.clone(), t[i].offset)];
                let mut j = i + 1;
                while j + 1 < t.len() && t[j].text == "::" && is_ident(&t[j + 1].text) {
                    segs.push((t[j + 1].text.clone(), t[j + 1].offset));
                    j += 2;
                }
                if let Some(p) = resolve(&segs, &ctx, modules, false) {
                    out.push(self.mod_path(p));
                }
                i = j;
                continue;
            }
            i += 1;
        }
        out
    }

    /// Every `use` declaration's paths, expanded, with the offset of its `use`.
    fn use_trees(&self) -> Vec<(Vec<(String, usize)>, usize)> {
        let t = &self.tokens;
        let mut out = Vec::new();
        let mut i = 0;
        while i < t.len() {
            if t[i].text == "use" {
                let at = t[i].offset;
                let mut trees = Vec::new();
                i += 1;
                use_tree(t, &mut i, Vec::new(), &mut trees);
                out.extend(trees.into_iter().map(|segs| (segs, at)));
            } else {
                i += 1;
            }
        }
        out
    }

    fn mod_path(&self, (resolved, offset): (Vec<String>, usize)) -> ModPath {
        ModPath {
            resolved,
            line: self.line(offset),
        }
    }

    /// Filesystem, printing and clap tokens.
    fn matches(&self) -> Vec<Match> {
        let t = &self.tokens;
        let mut out = Vec::new();
        let groups: [(MatchKind, &[&str]); 3] = [
            (MatchKind::FsWrite, FS_WRITE_PATTERNS),
            (MatchKind::FsRead, FS_READ_PATTERNS),
            (MatchKind::Print, PRINT_PATTERNS),
        ];
        let patterns: Vec<(MatchKind, &str, Vec<Token>)> = groups
            .iter()
            .flat_map(|(kind, ps)| ps.iter().map(move |p| (*kind, *p, tokenize(p))))
            .collect();
        for i in 0..t.len() {
            for (kind, text, want) in &patterns {
                // Whole tokens: `print!` is not the end of `eprint!`.
                let hit = want.len() <= t.len() - i
                    && want.iter().zip(&t[i..]).all(|(w, x)| w.text == x.text);
                if hit {
                    out.push(Match {
                        kind: *kind,
                        text: text.to_string(),
                        offset: t[i].offset,
                    });
                }
            }
            if t[i].text == "clap" {
                out.push(Match {
                    kind: MatchKind::Clap,
                    text: "clap".into(),
                    offset: t[i].offset,
                });
            }
        }
        // `use std::{fs, io}`: std::fs without the two tokens side by side.
        for (segs, _) in self.use_trees() {
            if segs.len() >= 2 && segs[0].0 == "std" && segs[1].0 == "fs" {
                out.push(Match {
                    kind: MatchKind::FsRead,
                    text: "std::fs".into(),
                    offset: segs[1].1,
                });
            }
        }
        out
    }
}

/// Expands a `use` tree from `t[*i]` up to its `;` (or the `,`/`}` ending a nested tree):
/// `crate::{a, b::{c, d}}` gives `crate::a`, `crate::b::c`, `crate::b::d`. Each segment keeps
/// its offset.
fn use_tree(
    t: &[Token],
    i: &mut usize,
    prefix: Vec<(String, usize)>,
    out: &mut Vec<Vec<(String, usize)>>,
) {
    let mut segs = prefix;
    while *i < t.len() {
        let tok = &t[*i];
        match tok.text.as_str() {
            "::" => *i += 1,
            "{" => {
                *i += 1;
                while *i < t.len() && t[*i].text != "}" {
                    use_tree(t, i, segs.clone(), out);
                    if *i < t.len() && t[*i].text == "," {
                        *i += 1;
                    }
                }
                *i += 1; // the `}`
                if *i < t.len() && t[*i].text == ";" {
                    *i += 1;
                }
                return;
            }
            "*" => {
                segs.push(("*".into(), tok.offset));
                *i += 1;
            }
            "as" => {
                *i += 2; // `as name`
            }
            ";" => {
                *i += 1;
                out.push(segs);
                return;
            }
            "," | "}" => {
                out.push(segs);
                return;
            }
            s if is_ident(s) => {
                segs.push((s.to_string(), tok.offset));
                *i += 1;
            }
            _ => {
                // Not a use tree after all (e.g. `use` in a macro): stop here.
                *i += 1;
                return;
            }
        }
    }
}

/// Resolves a path's leading `crate`, `super` and `self` against the module `ctx`; a bare
/// first segment (in a `use`) resolves when it names a child module. Returns the path from
/// the crate root and the offset of its first segment past the keywords.
fn resolve(
    segs: &[(String, usize)],
    ctx: &[String],
    modules: &BTreeSet<Vec<String>>,
    in_use: bool,
) -> Option<(Vec<String>, usize)> {
    let mut base: Vec<String>;
    let mut k = 0;
    match segs.first()?.0.as_str() {
        "crate" => {
            base = Vec::new();
            k = 1;
        }
        "super" | "self" => {
            base = ctx.to_vec();
            while k < segs.len() && (segs[k].0 == "super" || segs[k].0 == "self") {
                if segs[k].0 == "super" {
                    base.pop()?;
                }
                k += 1;
            }
        }
        first if in_use => {
            let mut child = ctx.to_vec();
            child.push(first.to_string());
            if !modules.contains(&child) {
                return None;
            }
            base = ctx.to_vec();
        }
        _ => return None,
    }
    let offset = segs.get(k).or(segs.last())?.1;
    base.extend(
        segs[k..]
            .iter()
            .map(|(s, _)| s.clone())
            .filter(|s| s != "self" && s != "*"),
    );
    Some((base, offset))
}

/// The index of the `}` closing the `{` at `open`.
fn matching(t: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, tok) in t.iter().enumerate().skip(open) {
        match tok.text.as_str() {
            "{" => depth += 1,
            "}" => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn is_ident(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c == '_' || c.is_alphabetic())
}

/// Identifiers, `::`, and single punctuation characters, with their byte offsets.
fn tokenize(code: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut it = code.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if is_ident_char(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if !is_ident_char(d) {
                    break;
                }
                end = j + d.len_utf8();
                it.next();
            }
            out.push(Token {
                text: code[i..end].to_string(),
                offset: i,
            });
        } else if c == ':' && it.peek().is_some_and(|&(_, d)| d == ':') {
            it.next();
            out.push(Token {
                text: "::".into(),
                offset: i,
            });
        } else {
            out.push(Token {
                text: c.to_string(),
                offset: i,
            });
        }
    }
    out
}

/// The code with comments (line, block, doc) and the insides of string and character
/// literals replaced by spaces; newlines are kept, so lines and byte offsets are unchanged.
fn strip(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, r: Range<usize>| {
        for k in r {
            if out[k] != b'\n' {
                out[k] = b' ';
            }
        }
    };
    let ident = |k: usize| k < b.len() && (b[k] == b'_' || b[k].is_ascii_alphanumeric());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = src[i..].find('\n').map_or(b.len(), |e| i + e);
                blank(&mut out, i..end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                let mut k = i;
                while k < b.len() {
                    if b[k] == b'/' && b.get(k + 1) == Some(&b'*') {
                        depth += 1;
                        k += 2;
                    } else if b[k] == b'*' && b.get(k + 1) == Some(&b'/') {
                        depth -= 1;
                        k += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        k += 1;
                    }
                }
                blank(&mut out, i..k);
                i = k;
            }
            b'r' if !(i > 0 && ident(i - 1))
                || (i > 0 && b[i - 1] == b'b' && !(i > 1 && ident(i - 2))) =>
            {
                // Raw string r"…", r#"…"#, br"…"?
                let mut k = i + 1;
                while k < b.len() && b[k] == b'#' {
                    k += 1;
                }
                if b[i] == b'r' && k < b.len() && b[k] == b'"' {
                    let hashes = k - i - 1;
                    let close: String = std::iter::once('"')
                        .chain(std::iter::repeat_n('#', hashes))
                        .collect();
                    let end = src[k + 1..].find(&close).map_or(b.len(), |e| k + 1 + e);
                    blank(&mut out, k + 1..end);
                    i = end + close.len();
                } else {
                    i += 1;
                }
            }
            b'"' => {
                let mut k = i + 1;
                while k < b.len() && b[k] != b'"' {
                    k += if b[k] == b'\\' { 2 } else { 1 };
                }
                blank(&mut out, i + 1..k.min(b.len()));
                i = k + 1;
            }
            b'\'' => {
                // A character literal ('x', '\n', '\''), or a lifetime ('a) left as it is.
                let rest = &src[i + 1..];
                let mut chars = rest.char_indices();
                match chars.next() {
                    Some((_, '\\')) => {
                        let end = rest[1..].find('\'').map_or(b.len(), |e| i + 2 + e);
                        let end = if rest[1..].starts_with('\'') {
                            i + 3
                        } else {
                            end
                        };
                        blank(&mut out, i + 1..end);
                        i = end + 1;
                    }
                    Some((_, c)) if rest[c.len_utf8()..].starts_with('\'') => {
                        blank(&mut out, i + 1..i + 1 + c.len_utf8());
                        i += 2 + c.len_utf8();
                    }
                    _ => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    // Blanking replaced whole bytes of multi-byte characters with spaces: still UTF-8.
    String::from_utf8(out).expect("blanked code is UTF-8")
}

// ---------------------------------------------------------------------------------------------
// Tests of the checker itself, so that it cannot pass by seeing nothing.

#[cfg(test)]
mod scanner {
    use super::*;

    /// A small tree with a module in every layer, and `extra` files added.
    fn tree(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let top = |p: &str| module_of(p).map(|m| m[0].clone());
        let mut files: Vec<(&'static str, &'static str)> = LAYERS
            .iter()
            .flat_map(|(_, ms)| ms.iter())
            .map(|m| -> (&'static str, &'static str) {
                (Box::leak(format!("src/{m}.rs").into_boxed_str()), "")
            })
            .filter(|(q, _)| !extra.iter().any(|(p, _)| top(p) == top(q)))
            .collect();
        files.extend_from_slice(extra);
        files
    }

    fn problems(extra: &[(&'static str, &'static str)]) -> Vec<String> {
        check(&tree(extra), &[])
    }

    #[test]
    fn an_empty_tree_is_clean() {
        assert_eq!(problems(&[]), Vec::<String>::new());
    }

    #[test]
    fn a_higher_layer_import_is_named_with_file_and_line() {
        let p = problems(&[("src/rank.rs", "//! Ranks.\n\nuse crate::cli::Format;\n")]);
        assert_eq!(
            p,
            ["src/rank.rs:3: `rank` (engine) imports `cli` (cli), a higher layer"]
        );
    }

    #[test]
    fn grouped_super_and_inline_paths_are_imports() {
        let p = problems(&[(
            "src/tier.rs",
            "use crate::{\n    campaign::Tiers,\n    report::{self, Format},\n};\n\
             fn f() { let _ = crate::loader::value::MAX_NUMBER; }\n",
        )]);
        assert_eq!(
            p,
            [
                "src/tier.rs:3: `tier` (engine) imports `report` (report), a higher layer",
                "src/tier.rs:5: `tier` (engine) imports `loader` (store), a higher layer",
            ]
        );
        // super:: climbing out of a folder module.
        let p = problems(&[
            ("src/loader/mod.rs", "mod items;\n"),
            ("src/loader/items.rs", "use super::super::cli::Folders;\n"),
        ]);
        assert_eq!(
            p,
            ["src/loader/items.rs:1: `loader` (store) imports `cli` (cli), a higher layer"]
        );
        // A bare child module in a `use` resolves from the current module.
        let p = problems(&[
            ("src/data.rs", "mod inner;\nuse inner::X;\n"),
            ("src/data/inner.rs", "use crate::evaluate::Y;\n"),
        ]);
        assert_eq!(
            p,
            ["src/data/inner.rs:1: `data` (model) imports `evaluate` (engine), a higher layer"]
        );
    }

    #[test]
    fn comments_strings_and_lower_layers_are_not_imports() {
        let p = problems(&[(
            "src/rank.rs",
            "//! Unlike [`crate::cli`], …\n/// see crate::report\n/* use crate::cli; /* nested */ crate::cli */\n\
             const S: &str = \"use crate::cli;\";\nconst R: &str = r#\"crate::cli \"quoted\"\"#;\n\
             const C: char = '\"'; fn f<'a>(x: &'a str) -> &'a str { x } // crate::cli\n\
             pub(crate) use crate::campaign::Campaign;\nmacro_rules! m { () => { $crate::cli::x } }\n\
             use crate::diag::Origin; use super::methods::snap;\n",
        )]);
        assert_eq!(p, Vec::<String>::new());
    }

    #[test]
    fn test_modules_keep_layers_but_may_print_and_touch_files() {
        let p = problems(&[(
            "src/rank.rs",
            "pub fn f() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n    use crate::report::Format;\n\
             #[test]\n    fn t() { println!(\"x\"); std::fs::write(\"a\", \"b\").unwrap(); }\n}\n",
        )]);
        assert_eq!(
            p,
            ["src/rank.rs:5: `rank` (engine) imports `report` (report), a higher layer"]
        );
    }

    #[test]
    fn cycles_are_reported_with_every_edge() {
        let p = problems(&[
            ("src/campaign.rs", "use crate::indicator::Indicator;\n"),
            ("src/indicator.rs", "\nuse crate::item::Item;\n"),
            ("src/item.rs", "\n\nfn f() { crate::campaign::x(); }\n"),
        ]);
        assert_eq!(
            p,
            ["import cycle: campaign → indicator → item → campaign\n    \
              src/campaign.rs:1: `campaign` imports `indicator`\n    \
              src/indicator.rs:2: `indicator` imports `item`\n    \
              src/item.rs:3: `item` imports `campaign`"]
        );
        // The shortest cycle is shown; the rest of the tangle is named.
        let p = problems(&[
            ("src/campaign.rs", "use crate::{indicator::I, item::J};\n"),
            ("src/indicator.rs", "use crate::campaign::Origin;\n"),
            ("src/item.rs", "use crate::campaign::Origin;\n"),
        ]);
        assert_eq!(
            p,
            [
                "import cycle: campaign → indicator → campaign (all of campaign, indicator, item \
              import each other, one way or another)\n    \
              src/campaign.rs:1: `campaign` imports `indicator`\n    \
              src/indicator.rs:1: `indicator` imports `campaign`"
            ]
        );
        let p = problems(&[
            ("src/loader/mod.rs", "mod items;\nmod rules;\n"),
            ("src/loader/items.rs", "use super::rules::unknown_id;\n"),
            ("src/loader/rules.rs", "fn f() { super::items::read(); }\n"),
        ]);
        assert_eq!(
            p,
            [
                "import cycle: loader::items → loader::rules → loader::items\n    \
              src/loader/items.rs:1: `loader::items` imports `loader::rules`\n    \
              src/loader/rules.rs:1: `loader::rules` imports `loader::items`"
            ]
        );
    }

    #[test]
    fn filesystem_printing_and_clap_have_their_places() {
        let p = problems(&[
            (
                "src/rank.rs",
                "use std::fs;\nfn f(p: &Path) -> bool { p.exists() }\nfn g() { eprintln!(\"x\"); }\n\
                 fn h() { std::io::stdout(); }\n#[derive(clap::ValueEnum)]\nenum E { A }\n",
            ),
            (
                "src/loader/mod.rs",
                "fn r(p: &Path) { std::fs::read_to_string(p); p.is_dir(); }\nfn w() { std::fs::write(\"a\", \"b\"); }\n",
            ),
            (
                "src/output.rs",
                "fn w(p: &Path) { std::fs::create_dir_all(p); p.canonicalize(); }\n",
            ),
            (
                "src/cli.rs",
                "use clap::Parser;\nfn m() { println!(\"x\"); print!(\"y\"); std::fs::File::create(\"x\"); }\n",
            ),
        ]);
        assert_eq!(
            p,
            [
                "src/cli.rs:2: `File::create`: only [\"output\"] write files",
                "src/loader/mod.rs:2: `fs::write`: only [\"output\"] write files",
                "src/rank.rs:1: `std::fs`: only [\"loader\", \"output\"] read the filesystem",
                "src/rank.rs:2: `.exists(`: only [\"loader\", \"output\"] read the filesystem",
                "src/rank.rs:3: `eprintln!`: only [\"cli\"] prints",
                "src/rank.rs:4: `stdout(`: only [\"cli\"] prints",
                "src/rank.rs:5: `clap`: only [\"cli\"] parses arguments",
            ]
        );
    }

    #[test]
    fn allowed_entries_silence_and_go_stale() {
        let files = tree(&[("src/result.rs", "use crate::script::AdjustmentKind;\n")]);
        assert_eq!(
            check(&files, &[("src/result.rs", Rule::Layer, "script")]),
            Vec::<String>::new()
        );
        assert_eq!(
            check(&files, &[("src/result.rs", Rule::Layer, "script"), ("src/rank.rs", Rule::Print, "")]),
            ["ALLOWED: (\"src/rank.rs\", Print, \"\") no longer matches anything: remove it from tests/tidy.rs"]
        );
    }

    #[test]
    fn a_module_outside_the_layers_is_reported() {
        assert_eq!(
            problems(&[("src/extra.rs", "")]),
            ["src/extra: the module `extra` is in no layer: add it to LAYERS in tests/tidy.rs (and to ARCHITECTURE.md)"]
        );
    }

    #[test]
    fn strip_keeps_lines_and_blanks_literals() {
        let src = "let s = \"a // b\n c\"; // x\nlet c = '\\''; /* y\n z */ let d = 'é';";
        let out = strip(src);
        assert_eq!(out.len(), src.len());
        assert_eq!(out.matches('\n').count(), 3);
        assert!(!out.contains("//") && !out.contains('x') && !out.contains('y'));
        assert!(out.contains("let d") && !out.contains('é'));
    }

    #[test]
    fn prose_finds_chinese_literals_but_not_comments_or_tests() {
        let src = "fn a() {\n    // 注释\n    let x = \"预警\"; // 说明\n    let y = \"ok\";\n}\n#[cfg(test)]\nmod tests { const Z: &str = \"测试\"; }\n";
        assert_eq!(
            prose("f.rs", src),
            vec!["f.rs:3: let x = \"预警\"; // 说明"]
        );
    }
}
