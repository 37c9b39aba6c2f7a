//! Bad input, one fixture folder per case under tests/fixtures/errors/. Each case holds the
//! files it changes in the `mini` campaign (same relative paths), a `cmd.txt` with the
//! command line, and optionally a `delete.txt` listing files to remove. The binary must exit
//! with code 2, print nothing on stdout, leave every input file as it was, and print the
//! diagnostics snapshotted here.

mod common;

use common::*;
use std::path::Path;

fn run_case(case: &Path) -> String {
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let scratch = Scratch::new(&format!("err-{name}"));
    copy_tree(&fixtures().join("mini"), &scratch.0);
    for entry in std::fs::read_dir(case).unwrap() {
        let entry = entry.unwrap();
        let file = entry.file_name();
        if file == "cmd.txt" || file == "delete.txt" {
            continue;
        }
        let target = scratch.0.join(&file);
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    if let Ok(list) = std::fs::read_to_string(case.join("delete.txt")) {
        for line in list.lines().filter(|l| !l.trim().is_empty()) {
            let p = scratch.0.join(line.trim());
            if p.is_dir() {
                std::fs::remove_dir_all(p).unwrap();
            } else {
                std::fs::remove_file(p).unwrap();
            }
        }
    }
    let cmd = std::fs::read_to_string(case.join("cmd.txt")).expect("every case has cmd.txt");
    let args: Vec<&str> = cmd.split_whitespace().collect();
    let before = snapshot_tree(&scratch.0);
    let run = run_in(&scratch.0, &args);
    assert_eq!(
        snapshot_tree(&scratch.0),
        before,
        "{name}: an input file was changed or a file written"
    );
    assert_eq!(run.code, 2, "{name}: exit code\n{}", run.stderr);
    assert_eq!(run.stdout, "", "{name}: nothing on stdout");
    assert!(
        !run.stderr.contains("panicked"),
        "{name}: panicked\n{}",
        run.stderr
    );
    format!("$ jingbiao {}\n{}", cmd.trim(), run.stderr)
}

#[test]
fn bad_input_gives_diagnostics_and_exit_code_2() {
    insta::glob!("fixtures/errors/*/cmd.txt", |path| {
        let out = run_case(path.parent().unwrap());
        insta::assert_snapshot!(out);
    });
}
