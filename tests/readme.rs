//! The README is tested: every command it shows is run on the real binary, and every sample
//! output it shows is compared with what the binary prints.
//!
//! The README's fenced blocks, by their info string (its first word; the rest are flags):
//!
//! - ```` ```console ````: a session, in the syntax of the `trycmd` crate. `$ jingbiao ARGS`
//!   runs the binary (a ` # comment` at the end is dropped); an optional next line `? failed`
//!   (any non-zero exit code) or `? N` (exit code N) gives the expected exit status, success
//!   otherwise; the lines up to the next `$ ` or the end of the block are the expected output,
//!   stdout and stderr together as a terminal shows them, compared exactly, except that a line
//!   `...` stands for any number of lines (none included) and `[..]` in a line for any text
//!   within that line.
//! - ```` ```sh ````: a list of commands; each `jingbiao ARGS` line is run and must succeed, its
//!   output is not compared. `cp -r FROM TO` copies a folder. `cargo ...` lines are set-up
//!   commands (build, test, bench) and are not run; a ` # comment` is dropped; any other
//!   command is an error, so nothing in the README goes untested by accident. A block marked
//!   ```` ```sh no-run ```` is not run (say why in the text around it).
//! - Anything else (`text`, `toml`, `rust`…) is illustrative and not run.
//!
//! Each block runs in a fresh scratch folder holding copies of `rules/`, `scenarios/` and the
//! folders under `tests/` that its commands name, so that `publish` and `--out` write there and
//! never into the repository; the folder is removed afterwards. Paths in commands must be relative and stay inside it.
//! On a mismatch the test prints the README line, the command and the whole real output.

mod common;

use common::*;
use std::fs::File;
use std::path::{Component, Path};
use std::process::{Command, Stdio};

/// The exit status a `console` command is expected to end with.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    Success,
    Failed,
    Code(i32),
}

#[derive(Debug)]
struct Cmd {
    /// README line of the `$` line (1-based).
    line: usize,
    /// `cp -r FROM TO` (args: FROM, TO) rather than `jingbiao ARGS`.
    cp: bool,
    args: Vec<String>,
    status: Status,
    /// Expected output lines; `None` in a `sh` block (output not compared).
    expected: Option<Vec<String>>,
    /// The README line of each expected line.
    expected_at: Vec<usize>,
}

#[derive(Debug)]
struct Block {
    /// README line of the opening fence (1-based).
    line: usize,
    cmds: Vec<Cmd>,
}

/// Splits a command line into words on whitespace, dropping a trailing ` # comment`. Quotes
/// are not supported (the README has no need of them): a quote is an error.
fn words(line: usize, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in text.split_whitespace() {
        if w.starts_with('#') {
            break;
        }
        assert!(
            !w.contains(['"', '\'', '\\', '`', '$', '|', '>', '<', '&', ';']),
            "README.md:{line}: `{w}`: quotes and shell syntax are not supported in tested commands"
        );
        out.push(w.to_string());
    }
    out
}

fn parse(readme: &str) -> Vec<Block> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim_start();
        // A fence opens with three backticks and an info string without backticks.
        let Some(info) = trimmed
            .strip_prefix("```")
            .filter(|info| !info.contains('`'))
        else {
            i += 1;
            continue;
        };
        let indent = lines[i].len() - trimmed.len();
        let open = i + 1;
        let mut flags = info.split_whitespace();
        let lang = flags.next().unwrap_or("");
        let no_run = flags.any(|f| f == "no-run");
        // The block's body, up to the closing fence.
        let mut body = Vec::new();
        i += 1;
        while i < lines.len() && !lines[i].trim_start().starts_with("```") {
            // Strip the fence's indentation (blocks inside list items).
            let l = lines[i];
            let strip = l.len() - l.trim_start().len();
            body.push((i + 1, &l[strip.min(indent)..]));
            i += 1;
        }
        assert!(i < lines.len(), "README.md:{open}: block never closed");
        i += 1;
        if no_run {
            continue;
        }
        let cmds = match lang {
            "console" => parse_console(open, &body),
            "sh" => parse_sh(&body),
            _ => continue,
        };
        if !cmds.is_empty() {
            blocks.push(Block { line: open, cmds });
        }
    }
    blocks
}

fn parse_console(open: usize, body: &[(usize, &str)]) -> Vec<Cmd> {
    let mut cmds: Vec<Cmd> = Vec::new();
    for &(n, l) in body {
        if let Some(cmd) = l.strip_prefix("$ ") {
            let args = words(n, cmd);
            assert_eq!(
                args.first().map(String::as_str),
                Some("jingbiao"),
                "README.md:{n}: a console block runs `jingbiao` only"
            );
            cmds.push(Cmd {
                line: n,
                cp: false,
                args: args[1..].to_vec(),
                status: Status::Success,
                expected: Some(Vec::new()),
                expected_at: Vec::new(),
            });
            continue;
        }
        let cmd = cmds
            .last_mut()
            .unwrap_or_else(|| panic!("README.md:{open}: a console block starts with `$ `"));
        let expected = cmd.expected.as_mut().unwrap();
        if let Some(status) = l.strip_prefix("? ").filter(|_| expected.is_empty()) {
            cmd.status = match status.trim() {
                "success" => Status::Success,
                "failed" => Status::Failed,
                n => Status::Code(n.parse().unwrap_or_else(|_| {
                    panic!(
                        "README.md:{}: `? {n}`: write `? failed` or `? CODE`",
                        cmd.line
                    )
                })),
            };
            continue;
        }
        expected.push(l.to_string());
        cmd.expected_at.push(n);
    }
    cmds
}

fn parse_sh(body: &[(usize, &str)]) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    for &(n, l) in body {
        let args = words(n, l);
        match args.first().map(String::as_str) {
            None | Some("cargo") => {}
            Some("jingbiao") => cmds.push(Cmd {
                line: n,
                cp: false,
                args: args[1..].to_vec(),
                status: Status::Success,
                expected: None,
                expected_at: Vec::new(),
            }),
            Some("cp") => {
                assert!(
                    args.len() == 4 && args[1] == "-r",
                    "README.md:{n}: write `cp -r FROM TO`"
                );
                cmds.push(Cmd {
                    line: n,
                    cp: true,
                    args: args[2..].to_vec(),
                    status: Status::Success,
                    expected: None,
                    expected_at: Vec::new(),
                });
            }
            Some(other) => panic!(
                "README.md:{n}: `{other}`: a sh block may hold `jingbiao`, `cp -r` and `cargo` \
                 commands; mark it ```sh no-run if it is not to be run"
            ),
        }
    }
    cmds
}

/// One line against a pattern where `[..]` stands for any text.
fn line_matches(pattern: &str, line: &str) -> bool {
    let parts: Vec<&str> = pattern.split("[..]").collect();
    if parts.len() == 1 {
        return pattern == line;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if line.len() < first.len() + last.len() || !line.starts_with(first) || !line.ends_with(last) {
        return false;
    }
    let mut rest = &line[first.len()..line.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// Lines against patterns where a line `...` stands for any number of lines.
fn lines_match(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e == "..." => {
            (0..=actual.len()).any(|k| lines_match(rest, &actual[k..]))
        }
        Some((e, rest)) => {
            !actual.is_empty() && line_matches(e, actual[0]) && lines_match(rest, &actual[1..])
        }
    }
}

/// The first expected line that a greedy walk cannot place, to point at in a failure: its
/// README line and text, or `None` if the walk places them all (the output then has lines
/// the sample does not show).
fn first_miss<'a>(cmd: &'a Cmd, actual: &[&str]) -> Option<(usize, &'a str)> {
    let expected = cmd.expected.as_ref()?;
    let mut pos = 0;
    let mut skipping = false;
    for (e, &n) in expected.iter().zip(&cmd.expected_at) {
        if e == "..." {
            skipping = true;
            continue;
        }
        let found = if skipping {
            (pos..actual.len()).find(|&k| line_matches(e, actual[k]))
        } else {
            (pos < actual.len() && line_matches(e, actual[pos])).then_some(pos)
        };
        match found {
            Some(k) => pos = k + 1,
            None => return Some((n, e)),
        }
        skipping = false;
    }
    None
}

/// A relative path that stays inside the scratch folder.
fn check_path(line: usize, arg: &str) {
    let p = Path::new(arg);
    assert!(
        !p.is_absolute() && !p.components().any(|c| c == Component::ParentDir),
        "README.md:{line}: `{arg}`: a tested command uses relative paths inside the repository \
         (it runs in a scratch copy); mark the block ```sh no-run if it must write elsewhere"
    );
}

/// Runs the binary in `dir`; returns the exit code and stdout and stderr together, in the
/// order they were written (both go to one file).
fn run_merged(dir: &Path, out_file: &Path, args: &[String]) -> (i32, String) {
    let out = File::create(out_file).unwrap();
    let err = out.try_clone().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_jingbiao"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .status()
        .expect("the binary runs");
    let bytes = std::fs::read(out_file).unwrap();
    let text = String::from_utf8(bytes).expect("the output is UTF-8");
    (status.code().unwrap_or(-1), text)
}

fn status_ok(want: Status, code: i32) -> bool {
    match want {
        Status::Success => code == 0,
        Status::Failed => code != 0,
        Status::Code(c) => code == c,
    }
}

#[test]
fn readme_commands_and_outputs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let blocks = parse(&readme);
    let commands: usize = blocks.iter().map(|b| b.cmds.len()).sum();
    let compared = blocks
        .iter()
        .flat_map(|b| &b.cmds)
        .filter(|c| c.expected.is_some())
        .count();
    assert!(
        compared >= 3 && commands >= 20,
        "the README test found only {commands} commands ({compared} with output): is the parser broken?"
    );

    let outputs = Scratch::new("readme-out");
    let mut failures = Vec::new();
    for block in &blocks {
        let scratch = Scratch::new(&format!("readme-{}", block.line));
        // The example, and the fixtures the block names (all of tests/fixtures is slow to copy).
        let mut folders = vec!["rules", "scenarios"];
        for cmd in &block.cmds {
            folders.extend(
                cmd.args
                    .iter()
                    .map(String::as_str)
                    .filter(|a| a.starts_with("tests/")),
            );
        }
        for folder in folders {
            let from = root.join(folder);
            assert!(
                from.is_dir(),
                "README.md:{}: `{folder}` is not a folder",
                block.line
            );
            std::fs::create_dir_all(scratch.0.join(folder)).unwrap();
            copy_tree(&from, &scratch.0.join(folder));
        }
        for cmd in &block.cmds {
            for arg in &cmd.args {
                match arg.strip_prefix("--") {
                    Some(opt) => {
                        if let Some((_, value)) = opt.split_once('=') {
                            check_path(cmd.line, value);
                        }
                    }
                    None => check_path(cmd.line, arg),
                }
            }
            if cmd.cp {
                let to = scratch.0.join(&cmd.args[1]);
                std::fs::create_dir_all(&to).unwrap();
                copy_tree(&scratch.0.join(&cmd.args[0]), &to);
                continue;
            }
            let out_file = outputs.0.join(format!("{}.txt", cmd.line));
            let (code, output) = run_merged(&scratch.0, &out_file, &cmd.args);
            let actual: Vec<&str> = output.lines().collect();
            let status_good = status_ok(cmd.status, code);
            let output_good = cmd
                .expected
                .as_ref()
                .is_none_or(|e| lines_match(e, &actual));
            if !status_good || !output_good {
                let mut msg = format!("README.md:{}: `jingbiao {}`", cmd.line, cmd.args.join(" "));
                if !status_good {
                    msg.push_str(&format!("\n  exit code {code}, expected {:?}", cmd.status));
                }
                if !output_good {
                    msg.push_str("\n  the output differs from the README's sample");
                    match first_miss(cmd, &actual) {
                        Some((n, e)) => {
                            msg.push_str(&format!("; first line not found: README.md:{n}: `{e}`"))
                        }
                        None => msg.push_str("; it has lines the sample does not show"),
                    }
                }
                msg.push_str(&format!("\n--- the real output:\n{output}---"));
                failures.push(msg);
            }
        }
    }
    eprintln!(
        "README: {} blocks, {commands} commands run, {compared} outputs compared",
        blocks.len()
    );
    assert!(
        failures.is_empty(),
        "{} README command(s) drifted from the tool:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn elision_markers() {
    let pat = |s: &str| s.lines().map(String::from).collect::<Vec<_>>();
    assert!(lines_match(&pat("a\n...\nd"), &["a", "b", "c", "d"]));
    assert!(lines_match(&pat("a\n...\nb"), &["a", "b"]));
    assert!(lines_match(&pat("a\n..."), &["a"]));
    assert!(!lines_match(&pat("a\nb"), &["a", "b", "c"]));
    assert!(!lines_match(&pat("a\n...\nd"), &["a", "b", "c"]));
    assert!(line_matches("x [..] z", "x yy z"));
    assert!(line_matches("x [..]", "x "));
    assert!(line_matches("[..]:[..]", "a:b"));
    assert!(!line_matches("x [..] z", "x yy"));
    assert!(!line_matches("ab[..]ba", "aba"));
}
