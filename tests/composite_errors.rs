//! Composite indices on the hand-computed `mini` campaign (tests/fixtures/composite/mini), and
//! every bad-input case under tests/fixtures/composite/errors/: each case holds the files it
//! changes in `mini`. The diagnostics (file, line, column, help) are snapshotted.

use std::path::{Path, PathBuf};

use jingbiao::cli::Format;
use jingbiao::composite::{self, eval, CompositeArgs};
use jingbiao::diag::{self, Sources};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/composite")
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// `mini` with the case's files laid over it, in a scratch folder.
fn scratch(case: Option<&Path>, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("composite-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(&fixtures().join("mini"), &dir);
    if let Some(case) = case {
        copy_tree(case, &dir);
    }
    dir
}

fn args(dir: &Path) -> CompositeArgs {
    CompositeArgs {
        rules: dir.to_path_buf(),
        data: dir.join("data"),
        period: None,
        format: Format::Csv,
        out: None,
    }
}

#[test]
fn mini_by_hand() {
    // a: 1..4 → 0, 33.33, 66.67, 100. b (lower is better): 4..1 → the same.
    // P1 = (a + b)/2: w 0, x 33.33, y 66.67, z 100.
    // c: 10..40 → 0, 33.33, 66.67, 100 (weight 2). d: 3, 5, 7, 1 → 33.33, 66.67, 100, 0.
    // P2 = (2c + d)/3: w 11.11, x 44.44, y 77.78, z 66.67.
    // I = (P1 + P2)/2: w 5.56, x 38.89, y 72.22, z 83.33 → ranks z 1, y 2, x 3, w 4.
    let dir = scratch(None, "mini");
    let mut sources = Sources::new();
    let out = composite::run_composite(&args(&dir), &mut sources)
        .map(|(text, _)| text)
        .unwrap_or_else(|d| panic!("{}", diag::render(&sources, &d, false)));
    assert_eq!(
        out,
        "排名,代码,单位,I,P1,P2\n\
         1,z,z,83.33,100.00,66.67\n\
         2,y,y,72.22,66.67,77.78\n\
         3,x,x,38.89,33.33,44.44\n\
         4,w,w,5.56,0.00,11.11\n"
    );
    let l = composite::load(&dir, &dir.join("data"), None, &mut Sources::new())
        .ok()
        .unwrap();
    let o = eval::run(&l.model, &l.data).unwrap();
    assert!((o.scores[l.model.root][0].unwrap() - 50.0 / 9.0).abs() < 1e-12);
}

#[test]
fn bad_input_names_the_indicator_file_and_line() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures().join("errors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 9);
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let dir = scratch(Some(&case), &name);
        let mut sources = Sources::new();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            composite::run_composite(&args(&dir), &mut sources).map(|(text, _)| text)
        }));
        let Ok(result) = result else {
            panic!("{name}: panicked");
        };
        let Err(diagnostics) = result else {
            panic!("{name}: accepted bad input");
        };
        assert!(
            diagnostics
                .iter()
                .all(|d| d.help.is_some() && !d.labels.is_empty()),
            "{name}: every error points somewhere and says how to fix it"
        );
        let prefix = format!("{}/", dir.display());
        let text = diag::render(&sources, &diagnostics, false).replace(&prefix, "");
        insta::assert_snapshot!(format!("composite_error_{name}"), text);
    }
}
