//! A campaign folder's files stay inside it: a script (or any rule file) that is a symbolic
//! link out of the campaign folder, or reached through a linked folder, is refused with a
//! message naming it, and nothing of the target's content is printed.

#![cfg(unix)]

mod common;

use common::*;
use std::os::unix::fs::symlink;
use std::path::Path;

/// What a file outside the campaign holds: not Rhai, not TOML, not CSV, so that reading it
/// would quote it in a diagnostic.
const SECRET: &str = "root:TOP-SECRET-LINE:0:0\n";

/// A copy of `mini` in `scratch/c`, and a secret file in `scratch/elsewhere`.
fn campaign(name: &str) -> Scratch {
    let scratch = Scratch::new(&format!("inside-{name}"));
    std::fs::create_dir_all(scratch.0.join("c")).unwrap();
    copy_tree(&fixtures().join("mini"), &scratch.0.join("c"));
    std::fs::create_dir_all(scratch.0.join("elsewhere")).unwrap();
    for f in ["secret.rhai", "secret.csv", "secret.toml"] {
        std::fs::write(scratch.0.join("elsewhere").join(f), SECRET).unwrap();
    }
    scratch
}

fn refused(dir: &Path, args: &[&str], what: &str) {
    let run = run_in(dir, args);
    assert_eq!(run.code, 2, "{what}: exit code\n{}", run.stderr);
    assert_eq!(run.stdout, "", "{what}: nothing on stdout");
    assert!(
        run.stderr.contains("leads outside the campaign folder"),
        "{what}:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("it is not read"), "{what}");
    assert!(
        !run.stderr.contains("TOP-SECRET"),
        "{what}: the target's content was printed\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{what}");
}

const SCORE: [&str; 5] = ["score", "rules", "data", "--period", "2023-Q2"];

#[test]
fn a_script_linked_out_of_the_campaign_is_refused() {
    let s = campaign("script");
    symlink(
        "../../../elsewhere/secret.rhai",
        s.0.join("c/rules/scripts/evil.rhai"),
    )
    .unwrap();
    refused(&s.0.join("c"), &SCORE, "score");
    refused(&s.0.join("c"), &["check", "rules"], "check");
}

#[test]
fn a_link_to_a_link_that_leads_out_is_refused() {
    let s = campaign("chain");
    symlink(
        "../../../elsewhere/secret.rhai",
        s.0.join("c/rules/scripts/hop.rhai.link"),
    )
    .unwrap();
    symlink("hop.rhai.link", s.0.join("c/rules/scripts/evil.rhai")).unwrap();
    refused(&s.0.join("c"), &SCORE, "chain");
}

#[test]
fn a_scripts_folder_linked_out_is_refused() {
    let s = campaign("folder");
    let scripts = s.0.join("c/rules/scripts");
    std::fs::rename(&scripts, s.0.join("elsewhere/scripts")).unwrap();
    std::fs::write(s.0.join("elsewhere/scripts/evil.rhai"), SECRET).unwrap();
    symlink("../../elsewhere/scripts", &scripts).unwrap();
    refused(&s.0.join("c"), &SCORE, "scripts/ linked");
}

#[test]
fn rule_tables_and_rule_tests_linked_out_are_refused() {
    let s = campaign("tables");
    let units = s.0.join("c/rules/units.csv");
    std::fs::remove_file(&units).unwrap();
    symlink("../../elsewhere/secret.csv", &units).unwrap();
    refused(&s.0.join("c"), &SCORE, "units.csv");

    let s = campaign("ruletests");
    std::fs::create_dir_all(s.0.join("c/rules/tests")).unwrap();
    symlink(
        "../../../elsewhere/secret.toml",
        s.0.join("c/rules/tests/evil.toml"),
    )
    .unwrap();
    refused(&s.0.join("c"), &["test", "rules", "data"], "tests/");
}

#[test]
fn links_that_stay_inside_are_read() {
    let s = campaign("within");
    // A script linked to another file of the campaign, and the campaign folder itself
    // reached through a link: both fine.
    std::fs::create_dir_all(s.0.join("c/rules/lib")).unwrap();
    std::fs::write(
        s.0.join("c/rules/lib/helper.txt"),
        "fn unused_helper(x) { x }\n",
    )
    .unwrap();
    symlink("../lib/helper.txt", s.0.join("c/rules/scripts/helper.rhai")).unwrap();
    symlink("rules", s.0.join("c/alias")).unwrap();
    let run = run_in(
        &s.0.join("c"),
        &["score", "alias", "data", "--period", "2023-Q2"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.is_empty());
}
