//! Files there but not read: what looks like a submission is an error (the cases are in
//! tests/fixtures/errors: metrics-saved-as-xls, metrics-lock-file, workbook-in-a-sub-folder,
//! …); anything else is listed in a warning that `check` and `score` both show, unless
//! campaign.toml's `ignore` names it.

mod common;

use common::*;

fn mini_with(test: &str, files: &[(&str, &[u8])]) -> Scratch {
    let scratch = Scratch::new(&format!("folders-{test}"));
    copy_tree(&fixtures().join("mini"), &scratch.0);
    for (path, bytes) in files {
        let p = scratch.0.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    scratch
}

fn ignore(dir: &std::path::Path, patterns: &str) {
    let path = dir.join("rules/campaign.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("ignore = {patterns}\n{text}")).unwrap();
}

fn mini_scores() -> String {
    let r = run(&[
        "score",
        "tests/fixtures/mini/rules",
        "tests/fixtures/mini/data",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn other_files_are_a_warning_in_check_and_score() {
    let t = mini_with(
        "notice",
        &[
            ("data/2023-Q2/说明.docx", b"PK\x03\x04"),
            ("data/2023-Q2/扫描件.pdf", b"%PDF-1.4"),
            ("rules/考核办法.pdf", b"%PDF-1.4"),
        ],
    );
    let r = run_in(&t.0, &["check", "rules", "data"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("ok: "), "{}", r.stdout);
    let period =
        "warning[io]: `data/2023-Q2/` holds files jingbiao does not read: 扫描件.pdf, 说明.docx";
    let rules = "warning[io]: `rules/` holds files jingbiao does not read: 考核办法.pdf";
    assert!(r.stderr.contains(period), "{}", r.stderr);
    assert!(r.stderr.contains(rules), "{}", r.stderr);
    assert_eq!(r.stderr.matches("warning[io]").count(), 2, "{}", r.stderr);

    let r = run_in(&t.0, &["score", "rules", "data"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains(period), "{}", r.stderr);
    assert!(r.stderr.contains(rules), "{}", r.stderr);
    assert_eq!(r.stdout, mini_scores());
}

#[test]
fn ignore_leaves_named_files_alone() {
    let t = mini_with(
        "ignore",
        &[
            ("data/2023-Q2/说明.docx", b"PK\x03\x04"),
            ("data/2023-Q2/扫描件.PDF", b"%PDF-1.4"),
            // What would be an error is left alone too, once named.
            ("data/2023-Q2/旧版/metrics.xls", b"\xd0\xcf\x11\xe0"),
            ("rules/考核办法.pdf", b"%PDF-1.4"),
        ],
    );
    ignore(&t.0, r#"["说明.docx", "*.pdf", "旧版"]"#);
    for cmd in ["check", "score"] {
        let r = run_in(&t.0, &[cmd, "rules", "data"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(r.stderr, "", "{cmd}");
    }
    // A pattern with a folder matches the path in the folder scanned.
    let t = mini_with(
        "ignore-path",
        &[("data/2023-Q2/旧版/metrics.xls", b"\xd0\xcf\x11\xe0")],
    );
    ignore(&t.0, r#"["旧版/*.xls"]"#);
    let r = run_in(&t.0, &["check", "rules", "data"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
}

#[test]
fn ignore_must_be_a_list_of_names() {
    let t = mini_with("ignore-bad", &[]);
    ignore(&t.0, r#""*.pdf""#);
    let r = run_in(&t.0, &["check", "rules", "data"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("ignore"), "{}", r.stderr);
}

#[test]
fn hidden_and_system_files_are_no_news() {
    let t = mini_with(
        "hidden",
        &[
            ("data/2023-Q2/.DS_Store", b"\0\0\0\x01Bud1"),
            ("data/2023-Q2/Thumbs.db", b"\xd0\xcf\x11\xe0"),
            ("data/2023-Q2/._metrics.csv", b"\0\x05\x16\x07"),
            ("rules/desktop.ini", b"[.ShellClassInfo]"),
        ],
    );
    let r = run_in(&t.0, &["check", "rules", "data"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
}
