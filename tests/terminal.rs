//! The terminal is safe from the input: control characters in names, cells and file names
//! are printed escaped (tables, messages and diagnostics), and a closed pipe (`| head -1`)
//! ends every command quietly, never with a panic.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Stdio};

/// Control characters that must never come out raw.
fn raw_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| (c.is_control() && *c != '\n' && *c != '\t') || *c == '\u{202e}')
        .collect()
}

/// `mini` with escape sequences in a unit's name, the campaign's name and a file name.
fn hostile(name: &str) -> Scratch {
    let s = Scratch::new(&format!("terminal-{name}"));
    copy_tree(&fixtures().join("mini"), &s.0);
    let units = s.0.join("rules/units.csv");
    let text = std::fs::read_to_string(&units).unwrap().replace(
        "a,甲县,",
        "a,\"甲\u{1b}[31m县\u{1b}]0;pwned\u{7}\r\u{202e}\",",
    );
    std::fs::write(&units, text).unwrap();
    let campaign = s.0.join("rules/campaign.toml");
    let text = std::fs::read_to_string(&campaign)
        .unwrap()
        .replace("name = \"测试考评\"", "name = \"测试\\u001b[2J考评\"");
    std::fs::write(&campaign, text).unwrap();
    std::fs::write(s.0.join("data/2023-Q2/\u{1b}[5mnotes.txt"), "x").unwrap();
    s
}

fn clean(what: &str, run: &Run) {
    assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
    for (name, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(
            raw_controls(text).is_empty(),
            "{what}: raw control characters on {name}: {text:?}"
        );
    }
}

#[test]
fn escape_sequences_in_names_are_printed_escaped() {
    let s = hostile("names");
    let q2 = ["--period", "2023-Q2"];
    for args in [
        [&["score", "rules", "data"][..], &q2].concat(),
        [&["score", "rules", "data", "--format", "md"][..], &q2].concat(),
        [&["score", "rules", "data", "--format", "csv"][..], &q2].concat(),
        [&["score", "rules", "data", "--format", "json"][..], &q2].concat(),
        [&["warnings", "rules", "data"][..], &q2].concat(),
        [&["items", "rules", "data"][..], &q2].concat(),
        vec!["trend", "--rules", "rules", "--data", "data"],
        [
            &["explain", "a", "--rules", "rules", "--data", "data"][..],
            &q2,
        ]
        .concat(),
        vec!["check", "rules", "data"],
    ] {
        let args = &args[..];
        let run = run_in(&s.0, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        clean(&format!("{args:?}"), &run);
    }
    let table = run_in(&s.0, &["score", "rules", "data", "--period", "2023-Q2"]);
    assert!(
        table
            .stdout
            .contains("甲\\u001b[31m县\\u001b]0;pwned\\u0007\\r\\u202e"),
        "{}",
        table.stdout
    );
    assert!(table.stdout.starts_with("测试\\u001b[2J考评"));
    // The file not read is named in a warning, escaped.
    assert!(
        table.stderr.contains("\\u001b[5mnotes.txt"),
        "{}",
        table.stderr
    );
    let check = run_in(&s.0, &["check", "rules", "data"]);
    assert!(
        check.stdout.starts_with("ok: 测试\\u001b[2J考评"),
        "{}",
        check.stdout
    );
}

#[test]
fn a_diagnostic_quoting_a_cell_shows_its_escape_sequences() {
    let s = hostile("cell");
    let metrics = s.0.join("data/2023-Q2/metrics.csv");
    let text = std::fs::read_to_string(&metrics)
        .unwrap()
        .replace("a,invest,55\n", "a,invest,55\u{1b}[2J\n");
    std::fs::write(&metrics, text).unwrap();
    for format in ["human", "json"] {
        let run = run_in(
            &s.0,
            &[
                "score",
                "rules",
                "data",
                "--period",
                "2023-Q2",
                "--message-format",
                format,
            ],
        );
        assert_eq!(run.code, 2, "{}", run.stderr);
        clean(format, &run);
        assert!(run.stderr.contains("55\\u001b[2J"), "{}", run.stderr);
    }
}

/// Runs the binary in `dir` with stdout (or stderr) closed before it writes anything.
fn with_closed(dir: &Path, args: &[&str], stream: &str) -> i32 {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jingbiao"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    if stream == "stdout" {
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    } else {
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("the binary runs");
    let mut stderr = None;
    if stream == "stdout" {
        drop(child.stdout.take());
        stderr = child.stderr.take();
    } else {
        drop(child.stderr.take());
    }
    let mut err = String::new();
    if let Some(mut e) = stderr {
        use std::io::Read;
        let _ = e.read_to_string(&mut err);
    }
    let status = child.wait().unwrap();
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    // A panic exits with 101; a signal leaves no code.
    status.code().unwrap_or(-1)
}

#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for args in [
        &["score"][..],
        &["score", "--format", "json"],
        &["score", "--format", "csv"],
        &["check"],
        &["check", "--format", "json"],
        &["items"],
        &["warnings"],
        &["trend"],
        &["explain", "suixi"],
        &["test"],
        &["composite"],
        &["sensitivity", "--runs", "20"],
        &["--help"],
        &["--version"],
    ] {
        assert_eq!(with_closed(root, args, "stdout"), 0, "{args:?}");
    }
    let s = Scratch::new("closed-pipe");
    copy_tree(&fixtures().join("mini"), &s.0);
    for (args, code) in [
        (&["diff", "rules", "rules", "data"][..], 0),
        (&["publish", "rules", "data", "--period", "2023-Q2"], 0),
        (
            &["template", "rules", "--period", "2023-Q2", "--out", "tpl"],
            0,
        ),
        (&["gen", "--out", "generated", "--units", "5"], 0),
        // Bad input: the diagnostics go to stderr, still read.
        (&["score", "rules", "nowhere"], 2),
    ] {
        assert_eq!(with_closed(&s.0, args, "stdout"), code, "{args:?}");
    }
}

#[test]
fn a_closed_stderr_ends_a_failing_command_quietly() {
    let s = Scratch::new("closed-stderr");
    copy_tree(&fixtures().join("mini"), &s.0);
    for args in [
        &["score", "rules", "nowhere"][..],
        &["score", "rules", "data", "--message-format", "json"],
        &["score", "--no-such-flag"],
    ] {
        let code = with_closed(&s.0, args, "stderr");
        assert!(code == 2 || code == 0, "{args:?}: exit code {code}");
    }
}

/// `println!` and friends panic when stdout is closed: commands print through `cli::say`
/// and the writers of `cli/mod.rs`, which ignore a closed pipe.
#[test]
fn the_commands_print_without_panicking_macros() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![dir];
    let mut found = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                // Test modules may print.
                let code = text.split("#[cfg(test)]").next().unwrap_or("");
                for (i, line) in code.lines().enumerate() {
                    let line = line.trim_start();
                    if line.starts_with("//") {
                        continue;
                    }
                    for m in ["println!(", "print!(", "eprintln!(", "eprint!("] {
                        if line.contains(m) {
                            found.push(format!("{}:{}: {m}", p.display(), i + 1));
                        }
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "print macros panic on a closed pipe:\n{}",
        found.join("\n")
    );
}
