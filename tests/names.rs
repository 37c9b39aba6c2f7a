//! Ids are names, not paths, and what `template`, `gen` and `publish` write stays inside the
//! folder they were given, whatever the rules' names say. (Ids that are paths are refused
//! by the loader: tests/fixtures/errors/*-id-*.)

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// Every path under `dir` (not following links).
fn paths(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if std::fs::symlink_metadata(&p).unwrap().is_dir() {
                stack.push(p.clone());
            }
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Unit names are free text: one that looks like a path, one with an escape sequence and
/// a line break, one hidden, one far too long. `template` writes each unit's workbook
/// directly in `--out`, under a safe name, and nothing anywhere else.
#[test]
fn template_file_names_from_hostile_unit_names_stay_inside() {
    let s = Scratch::new("names-template");
    copy_tree(&fixtures().join("mini"), &s.0);
    let units = s.0.join("rules/units.csv");
    let text = std::fs::read_to_string(&units).unwrap();
    let long = "长".repeat(300);
    let text = text
        .replacen("a,甲县,", "a,../../逃逸,", 1)
        .replacen("b,乙县,", "b,\"\u{1b}[2J\r\n乙县\",", 1)
        .replacen("c,丙县,", "c,.hidden,", 1)
        .replacen("d,丁县,", &format!("d,{long},"), 1);
    std::fs::write(&units, text).unwrap();
    let before: Vec<PathBuf> = paths(&s.0);
    let run = run_in(
        &s.0,
        &[
            "template",
            "rules",
            "--period",
            "2023-Q2",
            "--out",
            "out/books",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = paths(&s.0);
    let new: Vec<&PathBuf> = after.iter().filter(|p| !before.contains(p)).collect();
    let out = s.0.join("out/books");
    let mut names = Vec::new();
    for p in &new {
        if *p == &s.0.join("out") || *p == &out {
            continue;
        }
        assert_eq!(
            p.parent(),
            Some(out.as_path()),
            "written outside: {}",
            p.display()
        );
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        assert!(!name.starts_with('.'), "{name}");
        assert!(!name.chars().any(char::is_control), "{name:?}");
        assert!(name.len() < 255, "{name}");
        names.push(name);
    }
    names.sort();
    let long40 = "长".repeat(40);
    assert_eq!(
        names,
        [
            "a-_.._逃逸.xlsx".to_string(),
            "b-_[2J__乙县.xlsx".to_string(),
            "c-hidden.xlsx".to_string(),
            format!("d-{long40}.xlsx"),
            "x-市发改局.xlsx".to_string(),
            "y-市环保局.xlsx".to_string(),
            "z-市水务局.xlsx".to_string(),
            "汇总-2023-Q2.xlsx".to_string(),
        ]
    );
}

/// `gen` writes OUT/rules/gen and OUT/scenarios/gen: a folder on the way that is a link to
/// somewhere else is refused, and nothing is written there (nor anywhere).
#[cfg(unix)]
#[test]
fn gen_does_not_write_through_a_link_out_of_its_folder() {
    let s = Scratch::new("names-gen");
    let elsewhere = s.0.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::create_dir_all(s.0.join("out")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, s.0.join("out/rules")).unwrap();
    let before = paths(&s.0);
    let run = run_in(
        &s.0,
        &["gen", "--out", "out", "--units", "4", "--indicators", "2"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("would be written outside `out`: `out/rules` is a link to another folder"),
        "{}",
        run.stderr
    );
    assert_eq!(paths(&s.0), before, "nothing written");
    // Without the link, gen writes inside.
    std::fs::remove_file(s.0.join("out/rules")).unwrap();
    let run = run_in(
        &s.0,
        &["gen", "--out", "out", "--units", "4", "--indicators", "2"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(paths(&elsewhere).is_empty());
    assert!(paths(&s.0)
        .iter()
        .all(|p| p.starts_with(s.0.join("out")) || p.starts_with(&elsewhere)));
}

/// `publish` writes only rules/NAME/published/PERIOD.json, the period as jingbiao writes
/// it: a period given as a path is refused (tests/fixtures/errors/publish-period-is-a-path),
/// and one given loosely is written under its own name.
#[test]
fn publish_writes_the_period_by_its_own_name() {
    let s = Scratch::new("names-publish");
    copy_tree(&fixtures().join("mini"), &s.0);
    let before = paths(&s.0);
    let run = run_in(&s.0, &["publish", "rules", "data", "--period", "2023-q2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let new: Vec<PathBuf> = paths(&s.0)
        .into_iter()
        .filter(|p| !before.contains(p))
        .collect();
    assert_eq!(
        new,
        [
            s.0.join("rules/published"),
            s.0.join("rules/published/2023-Q2.json")
        ]
    );
}
