//! `check` passes only where `score` does: it scores the latest period (or `--period`) as
//! `score` does, scripts and published periods included, and reads the rule tests.

mod common;

use common::*;
use std::path::Path;

/// A copy of the `mini` campaign with an error fixture's files on top (as tests/errors.rs).
fn case(name: &str) -> Scratch {
    let dir = fixtures().join("errors").join(name);
    let scratch = Scratch::new(&format!("check-{name}"));
    copy_tree(&fixtures().join("mini"), &scratch.0);
    copy_tree(&dir, &scratch.0);
    if let Ok(list) = std::fs::read_to_string(dir.join("delete.txt")) {
        for line in list.lines().filter(|l| !l.trim().is_empty()) {
            let p = scratch.0.join(line.trim());
            if p.is_dir() {
                std::fs::remove_dir_all(p).unwrap();
            } else {
                std::fs::remove_file(p).unwrap();
            }
        }
    }
    scratch
}

/// Every bad-input case on which `score` fails fails `check` too, with the same diagnostics
/// (`check` given the same period). Cases about `score`'s own arguments are left out: a
/// group filter, an output path, a period with no folder, a rules folder that is not there.
#[test]
fn check_fails_wherever_score_fails() {
    let root = fixtures().join("errors");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    let mut compared = 0;
    for name in names {
        let cmd = std::fs::read_to_string(root.join(&name).join("cmd.txt")).unwrap();
        let args: Vec<&str> = cmd.split_whitespace().collect();
        if args.get(..3) != Some(&["score", "rules", "data"][..])
            || args
                .iter()
                .any(|a| a.starts_with("--out") || *a == "--group")
        {
            continue;
        }
        let scratch = case(&name);
        let score = run_in(&scratch.0, &args);
        assert_eq!(score.code, 2, "{name}: score fails\n{}", score.stderr);
        let mut check = vec!["check", "rules", "data"];
        check.extend(&args[3..]);
        let checked = run_in(&scratch.0, &check);
        assert_eq!(
            checked.code, 2,
            "{name}: check fails where score does\n{}{}",
            checked.stdout, checked.stderr
        );
        assert_eq!(checked.stdout, "", "{name}");
        // The same problems (check may find more: every period's data, the rule tests).
        for line in score.stderr.lines().filter(|l| l.starts_with("error[")) {
            assert!(
                checked.stderr.contains(line),
                "{name}: check does not report `{line}`\n{}",
                checked.stderr
            );
        }
        compared += 1;
    }
    assert!(compared >= 60, "only {compared} cases compared");
}

fn loop_scratch(name: &str) -> Scratch {
    let scratch = Scratch::new(name);
    copy_tree(&fixtures().join("loop"), &scratch.0);
    scratch
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}: no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn check_runs_the_adjustment_script_on_the_latest_period_or_the_one_named() {
    let scratch = loop_scratch("check-adjust");
    let at = |args: &[&str]| run_in(&scratch.0, args);
    assert_eq!(at(&["check", "rules", "data"]).code, 0);
    // A mistyped property that only a unit with an event reaches: the first are in 2023-Q2,
    // which the latest period, 2023-Q3, is scored after (it is not published).
    let script = std::fs::read_dir(scratch.0.join("rules/scripts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read_to_string(p).unwrap().contains("fn adjust"))
        .unwrap();
    edit(
        &script,
        "fn adjust(unit) {",
        "fn adjust(unit) {\n    if unit.events.len() > 0 { let n = unit.events[0].nte; }",
    );
    let r = at(&["check", "rules", "data"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("error[script-runtime]"), "{}", r.stderr);
    assert!(r.stderr.contains("nte"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let score = at(&["score", "rules", "data"]);
    assert_eq!(score.code, 2, "{}", score.stderr);
    // Up to 2023-Q1 no unit has an event: that period scores, and checks, without a problem.
    assert_eq!(
        at(&["score", "rules", "data", "--period", "2023-Q1"]).code,
        0
    );
    let r = at(&["check", "rules", "data", "--period", "2023-Q1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn check_reads_published_periods_as_score_does() {
    let scratch = loop_scratch("check-published");
    let at = |args: &[&str]| run_in(&scratch.0, args);
    std::fs::create_dir_all(scratch.0.join("rules/published")).unwrap();
    let old = r#"{"jingbiao":"0.1.0","period":"2023-Q1","fingerprint":{"rules":"x","data":"y"},"result":{}}"#;
    std::fs::write(scratch.0.join("rules/published/2023-Q1.json"), old).unwrap();
    let score = at(&["score", "rules", "data"]);
    assert_eq!(score.code, 2, "{}", score.stderr);
    let r = at(&["check", "rules", "data"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("jingbiao publish --period 2023-Q1 --force"),
        "{}",
        r.stderr
    );
    // `score --period 2023-Q1` scores Q1 anew (a warning only), but `check` reads every
    // published file whatever the period: later periods would fail on this one.
    assert_eq!(
        at(&["score", "rules", "data", "--period", "2023-Q1"]).code,
        0
    );
    let r = at(&["check", "rules", "data", "--period", "2023-Q1"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("--period 2023-Q1 --force"),
        "{}",
        r.stderr
    );
}

#[test]
fn check_reads_the_rule_tests() {
    let scratch = Scratch::new("check-tests");
    copy_tree(&fixtures().join("ruletests"), &scratch.0);
    let at = |args: &[&str]| run_in(&scratch.0, args);
    // Failing expectations are for `test`; check passes them.
    assert_eq!(at(&["check", "rules", "data"]).code, 0);
    edit(
        &scratch.0.join("rules/tests/passing.toml"),
        "unit = \"d\"",
        "unit = \"dd\"",
    );
    let r = at(&["check", "rules", "data"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("unknown unit `dd`"), "{}", r.stderr);
}
