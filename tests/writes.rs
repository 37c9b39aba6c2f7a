//! Writes (issue 13): what `--out`, `gen`, `template` and `publish` may write over, all or
//! nothing, one publish of a period at a time, and nothing left behind by Ctrl-C or SIGTERM.
//! The bad-input cases with a fixed setup are fixtures under tests/fixtures/errors
//! (`out-is-a-device`, `gen-over-an-existing-campaign`, `publish-while-another-runs`); these
//! need files made at run time (permissions, FIFOs, links, processes).

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn mini(name: &str) -> Scratch {
    let scratch = Scratch::new(name);
    copy_tree(&fixtures().join("mini"), &scratch.0);
    scratch
}

/// Hidden files jingbiao makes while writing (temporary files, staging folders, backups,
/// locks), anywhere under `dir`.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().to_string();
            if [".tmp", ".old", ".lock"].iter().any(|s| name.ends_with(s)) {
                out.push(e.path());
            }
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            }
        }
    }
    out
}

/// A refused write: exit code 2, nothing on stdout, the inputs untouched, nothing left.
fn refused(dir: &Path, args: &[&str]) -> String {
    let before = snapshot_tree(dir);
    let run = run_in(dir, args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(snapshot_tree(dir), before, "a file was changed or written");
    assert!(leftovers(dir).is_empty(), "{:?}", leftovers(dir));
    run.stderr
}

#[test]
fn out_refuses_a_read_only_file() {
    let s = mini("w-readonly");
    let out = s.0.join("通报.md");
    std::fs::write(&out, "已核对的通报").unwrap();
    let mut p = std::fs::metadata(&out).unwrap().permissions();
    p.set_readonly(true);
    std::fs::set_permissions(&out, p).unwrap();
    let args = [
        "score",
        "rules",
        "data",
        "--period",
        "2023-Q2",
        "--out",
        "通报.md",
    ];
    let stderr = refused(&s.0, &args);
    insta::assert_snapshot!(stderr, @r"
    error[io]: `通报.md` is read-only; jingbiao does not replace it
     = help: choose another --out file, or make this one writable first if it is to be replaced

    error: 1 problem found; nothing was written
    ");
}

#[cfg(unix)]
#[test]
fn out_refuses_a_fifo_without_blocking() {
    let s = mini("w-fifo");
    // Beside the campaign, not in it: reading the tree to compare it would block on a FIFO.
    let outside = Scratch::new("w-fifo-pipe");
    let pipe = outside.0.join("pipe");
    let made = Command::new("mkfifo").arg(&pipe).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let pipe = pipe.to_str().unwrap();
    let args = [
        "score", "rules", "data", "--period", "2023-Q2", "--out", pipe,
    ];
    let stderr = refused(&s.0, &args);
    assert!(
        stderr.contains("is a FIFO (named pipe), not a file jingbiao can write"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(&outside.0).unwrap().count(), 1);
}

#[test]
fn out_refuses_a_folder() {
    let s = mini("w-folder");
    let args = [
        "score", "rules", "data", "--period", "2023-Q2", "--out", "data",
    ];
    let stderr = refused(&s.0, &args);
    assert!(
        stderr.contains("`data` is a folder, not a file jingbiao can write"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn out_keeps_an_existing_files_permissions_and_leaves_no_temporary_file() {
    use std::os::unix::fs::PermissionsExt;
    let s = mini("w-perms");
    let out = s.0.join("out.csv");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    let r = run_in(
        &s.0,
        &[
            "score", "rules", "data", "--period", "2023-Q2", "--format", "csv", "--out", "out.csv",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let meta = std::fs::metadata(&out).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    assert_ne!(std::fs::read(&out).unwrap(), b"old");
    assert!(leftovers(&s.0).is_empty(), "{:?}", leftovers(&s.0));
}

/// A hard link to an input as `--out`: the output replaces the link's name, never the input's
/// content (a further case of the class: another way to reach an input).
#[cfg(unix)]
#[test]
fn out_over_a_hard_link_to_an_input_leaves_the_input_alone() {
    let s = mini("w-hardlink");
    let input = s.0.join("data/2023-Q2/metrics.csv");
    let before = std::fs::read(&input).unwrap();
    std::fs::hard_link(&input, s.0.join("linked.csv")).unwrap();
    let r = run_in(
        &s.0,
        &[
            "score",
            "rules",
            "data",
            "--period",
            "2023-Q2",
            "--out",
            "linked.csv",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(&input).unwrap(), before);
    assert_ne!(std::fs::read(s.0.join("linked.csv")).unwrap(), before);
}

#[test]
fn gen_replaces_a_campaign_only_with_force_and_then_whole() {
    let s = Scratch::new("w-gen");
    let gen = |periods: &str, force: bool| {
        let mut args = vec![
            "gen",
            "--out",
            ".",
            "--units",
            "8",
            "--indicators",
            "3",
            "--periods",
            periods,
        ];
        if force {
            args.push("--force");
        }
        run_in(&s.0, &args)
    };
    assert_eq!(gen("3", false).code, 0);
    assert!(s.0.join("scenarios/gen/2023-03").is_dir());
    std::fs::write(s.0.join("rules/gen/notes.txt"), "mine").unwrap();
    let stderr = refused(
        &s.0,
        &["gen", "--out", ".", "--units", "8", "--indicators", "3"],
    );
    assert!(stderr.contains("already exist"), "{stderr}");
    let r = gen("1", true);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A further case of the class: the folder is replaced whole, never merged, so no period
    // of the campaign replaced is left among the new one's.
    assert!(s.0.join("scenarios/gen/2023-01").is_dir());
    assert!(!s.0.join("scenarios/gen/2023-02").exists());
    assert!(!s.0.join("rules/gen/notes.txt").exists());
    assert!(leftovers(&s.0).is_empty(), "{:?}", leftovers(&s.0));
    let check = run_in(&s.0, &["check", "rules/gen", "scenarios/gen"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

/// A further case of the class: a multi-file command that fails leaves no folder it created.
#[test]
fn template_that_cannot_write_leaves_no_folder_behind() {
    let s = mini("w-template");
    // A folder where one workbook is to go: refused before anything is written.
    let first = run_in(
        &s.0,
        &["template", "rules", "--period", "2023-Q3", "--out", "tpl"],
    );
    assert_eq!(first.code, 0, "{}", first.stderr);
    let book = std::fs::read_dir(s.0.join("tpl"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .find(|n| n.to_string_lossy().starts_with("汇总"))
        .unwrap();
    std::fs::remove_dir_all(s.0.join("tpl")).unwrap();
    std::fs::create_dir_all(s.0.join("new/tpl").join(&book)).unwrap();
    std::fs::write(s.0.join("new/tpl").join(&book).join("x"), "x").unwrap();
    let stderr = refused(
        &s.0,
        &[
            "template", "rules", "--period", "2023-Q3", "--out", "new/tpl", "--force",
        ],
    );
    assert!(stderr.contains("is a folder"), "{stderr}");
    // A file where the folder is to be made: nothing is created.
    std::fs::write(s.0.join("blocked"), "x").unwrap();
    refused(
        &s.0,
        &[
            "template",
            "rules",
            "--period",
            "2023-Q3",
            "--out",
            "blocked/tpl",
        ],
    );
}

#[test]
fn two_publishes_of_a_period_at_once_do_not_both_succeed() {
    let s = mini("w-publish-race");
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_jingbiao"))
            .args(["publish", "rules", "data", "--period", "2023-Q2"])
            .current_dir(&s.0)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let ok = [&a, &b].iter().filter(|o| o.status.success()).count();
    assert_eq!(
        ok,
        1,
        "{}\n{}",
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stderr)
    );
    let loser = if a.status.success() { &b } else { &a };
    let why = String::from_utf8_lossy(&loser.stderr);
    assert!(
        why.contains("already under way") || why.contains("already published"),
        "{why}"
    );
    assert!(leftovers(&s.0).is_empty(), "{:?}", leftovers(&s.0));
}

/// Waits until `ready` or the child ends; false if it ended first.
#[cfg(unix)]
fn wait_for(child: &mut Child, ready: impl Fn() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if ready() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

#[cfg(unix)]
fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

/// A campaign big enough that publishing and writing its JSON take a moment in a debug build.
#[cfg(unix)]
fn generated(name: &str) -> Scratch {
    let s = Scratch::new(name);
    let r = run_in(
        &s.0,
        &[
            "gen",
            "--out",
            ".",
            "--units",
            "1500",
            "--indicators",
            "60",
            "--seed",
            "5",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    s
}

#[cfg(unix)]
#[test]
fn sigterm_during_publish_removes_the_lock_and_the_folder_made_for_it() {
    let s = generated("w-sigterm");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jingbiao"))
        .args([
            "publish",
            "rules/gen",
            "scenarios/gen",
            "--period",
            "2023-01",
            "--accept-quality",
        ])
        .current_dir(&s.0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lock = s.0.join("rules/gen/published/.2023-01.json.lock");
    let caught = wait_for(&mut child, || lock.exists());
    if caught {
        signal(&child, "-TERM");
    }
    let status = child.wait().unwrap();
    if !caught {
        eprintln!("skipped: publish ended before the signal could be sent");
        return;
    }
    assert_eq!(status.code(), Some(130));
    assert!(leftovers(&s.0).is_empty(), "{:?}", leftovers(&s.0));
    assert!(!s.0.join("rules/gen/published").exists());
}

#[cfg(unix)]
#[test]
fn ctrl_c_while_writing_out_removes_the_temporary_file() {
    let s = generated("w-sigint");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jingbiao"))
        .args([
            "score",
            "rules/gen",
            "scenarios/gen",
            "--format",
            "json",
            "--cells",
            "--out",
            "out.json",
        ])
        .current_dir(&s.0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let caught = wait_for(&mut child, || !leftovers(&s.0).is_empty());
    if caught {
        signal(&child, "-INT");
    }
    let status = child.wait().unwrap();
    if !caught || status.success() {
        eprintln!("skipped: the output was written before the signal could be sent");
        return;
    }
    assert_eq!(status.code(), Some(130));
    assert!(leftovers(&s.0).is_empty(), "{:?}", leftovers(&s.0));
    assert!(!s.0.join("out.json").exists());
}
