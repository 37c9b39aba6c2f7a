//! A composite index with the core engine's target-based scores as one branch of its
//! hierarchy: tests/fixtures/composite/with-targets, whose pillar `Targets` is the total of
//! the hand-computed `mini` campaign (tests/hand_computed.rs) for 2023-Q2. Bad-input cases
//! under tests/fixtures/composite/with-targets-errors/ hold the files they change; their
//! diagnostics are snapshotted.

use std::path::{Path, PathBuf};

use jingbiao::cli::Format;
use jingbiao::composite::{self, eval, CompositeArgs};
use jingbiao::diag::{self, Sources};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
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

/// A scratch root laid out as tests/fixtures (composite/with-targets and mini, so that the
/// branch's relative paths hold), with the case's files over with-targets. Returns the root
/// and the composite folder.
fn scratch(case: Option<&Path>, name: &str) -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("branch-{name}"));
    let _ = std::fs::remove_dir_all(&root);
    let dir = root.join("composite/with-targets");
    copy_tree(&fixtures().join("composite/with-targets"), &dir);
    copy_tree(&fixtures().join("mini"), &root.join("mini"));
    if let Some(case) = case {
        copy_tree(case, &dir);
    }
    (root, dir)
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

fn run(dir: &Path) -> String {
    let mut sources = Sources::new();
    composite::run_composite(&args(dir), &mut sources)
        .map(|(text, _)| text)
        .unwrap_or_else(|d| panic!("{}", diag::render(&sources, &d, false)))
}

#[test]
fn target_scores_as_a_pillar_by_hand() {
    // Targets = the mini campaign's 2023-Q2 totals (tests/hand_computed.rs):
    //   a 100.10, b 88.50, c 100.10, d 84.17 (x, y, z of the campaign are not in the data).
    //   min-max: range 100.10 − 84.17 = 15.93 → a 100, c 100, d 0,
    //   b (88.50 − 84.17) ÷ 15.93 × 100 = 4.33 ÷ 15.93 × 100 = 27.1814.
    // R1 (higher): 1, 2, 3, 4 → a 0, b 33.33, c 66.67, d 100.
    // R2 (lower is better): 10, 40, 20, 30 → a 100, b 0, c 66.67, d 33.33.
    // Econ = (R1 + R2) ÷ 2: a 50, b 16.67, c 66.67, d 66.67.
    // I = (Econ × 1 + Targets × 2) ÷ 3:
    //   a (50 + 200) ÷ 3 = 83.33; b (16.6667 + 54.3628) ÷ 3 = 23.68;
    //   c (66.6667 + 200) ÷ 3 = 88.89; d 66.6667 ÷ 3 = 22.22 → ranks c 1, a 2, b 3, d 4.
    let dir = fixtures().join("composite/with-targets");
    assert_eq!(
        run(&dir),
        "排名,代码,单位,I,Econ,Targets\n\
         1,c,丙县,88.89,66.67,100.00\n\
         2,a,甲县,83.33,50.00,100.00\n\
         3,b,乙县,23.68,16.67,27.18\n\
         4,d,丁县,22.22,66.67,0.00\n"
    );
    let mut sources = Sources::new();
    let l = composite::load(&dir, &dir.join("data"), None, &mut sources)
        .unwrap_or_else(|d| panic!("{}", diag::render(&sources, &d, false)));
    let t = l
        .model
        .nodes
        .iter()
        .position(|n| n.code == "Targets")
        .unwrap();
    assert_eq!(
        l.data.values[t],
        vec![Some(100.10), Some(88.50), Some(100.10), Some(84.17)]
    );
    // The campaign's files are inputs: output must never overwrite them.
    assert!(l
        .inputs
        .iter()
        .any(|p| p.ends_with("mini/rules/campaign.toml")));
    assert!(l.inputs.iter().any(|p| p.ends_with("2023-Q2/metrics.csv")));
    let o = eval::run(&l.model, &l.data).unwrap();
    let b = 4.33 / 15.93 * 100.0;
    assert!((o.scores[t][1].unwrap() - b).abs() < 1e-9);
    assert!((o.scores[l.model.root][1].unwrap() - (50.0 / 3.0 + 2.0 * b) / 3.0).abs() < 1e-9);
    assert_eq!(o.ranks, vec![Some(2), Some(3), Some(1), Some(4)]);
}

#[test]
fn a_unit_missing_from_the_campaign_is_imputed_like_any_other() {
    // e is not a unit of mini: its Targets value is missing, imputed by the mean of the
    // others, (100.10 + 88.50 + 100.10 + 84.17) ÷ 4 = 93.2175, normalised
    // (93.2175 − 84.17) ÷ 15.93 × 100 = 56.80. Its R1 and R2 lie inside the others' range.
    let (_, dir) = scratch(None, "impute");
    std::fs::write(
        dir.join("data/2023-Q2/data.csv"),
        "unit,name,R1,R2\na,甲县,1,10\nb,乙县,2,40\nc,丙县,3,20\nd,丁县,4,30\ne,戊县,2.5,25\n",
    )
    .unwrap();
    let toml = std::fs::read_to_string(dir.join("composite.toml")).unwrap();
    std::fs::write(
        dir.join("composite.toml"),
        toml.replace("[normalise]", "[impute]\nmethod = \"mean\"\n\n[normalise]"),
    )
    .unwrap();
    let mut sources = Sources::new();
    let l = composite::load(&dir, &dir.join("data"), None, &mut sources)
        .unwrap_or_else(|d| panic!("{}", diag::render(&sources, &d, false)));
    let t = l
        .model
        .nodes
        .iter()
        .position(|n| n.code == "Targets")
        .unwrap();
    assert_eq!(l.data.values[t][4], None);
    assert_eq!(l.data.branches[0].matched, 4);
    let o = eval::run(&l.model, &l.data).unwrap();
    assert_eq!(o.imputed, 1);
    let want = (93.2175 - 84.17) / 15.93 * 100.0;
    assert!((o.scores[t][4].unwrap() - want).abs() < 1e-9);
    assert!(run(&dir).contains("e,戊县,"));
}

#[test]
fn a_category_subtotal_as_an_indicator() {
    // Targets moved to level 1 under Econ, taking the 经济发展 subtotal: a 41.60 + 30.00 =
    // 71.60, b 36.00 + 27.00 = 63.00, c 40.00 + 30.00 = 70.00, d 26.67 + 30.00 = 56.67.
    // min-max over 56.67…71.60 (range 14.93): a 100, b 6.33 ÷ 14.93 × 100 = 42.3979,
    // c 13.33 ÷ 14.93 × 100 = 89.2833, d 0.
    // Econ = (R1 + R2 + Targets) ÷ 3 = I (its only child):
    //   a (0 + 100 + 100) ÷ 3 = 66.67; b (33.3333 + 0 + 42.3979) ÷ 3 = 25.24;
    //   c (66.6667 + 66.6667 + 89.2833) ÷ 3 = 74.21; d (100 + 33.3333 + 0) ÷ 3 = 44.44.
    let (_, dir) = scratch(None, "category");
    std::fs::write(
        dir.join("indicators.csv"),
        "level,code,name,direction,weight,parent\n\
         1,R1,营商环境评分,1,1,Econ\n\
         1,R2,万元GDP能耗,-1,1,Econ\n\
         1,Targets,经济发展得分,1,1,Econ\n\
         2,Econ,高质量发展,1,1,I\n\
         3,I,综合指数,1,,\n",
    )
    .unwrap();
    let toml = std::fs::read_to_string(dir.join("composite.toml")).unwrap();
    std::fs::write(
        dir.join("composite.toml"),
        toml.replace("value = \"total\"", "value = \"category:econ\""),
    )
    .unwrap();
    assert_eq!(
        run(&dir),
        "排名,代码,单位,I,Econ\n\
         1,c,丙县,74.21,74.21\n\
         2,a,甲县,66.67,66.67\n\
         3,d,丁县,44.44,44.44\n\
         4,b,乙县,25.24,25.24\n"
    );
}

#[test]
fn bad_branches_name_the_file_and_line() {
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(fixtures().join("composite/with-targets-errors"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
    cases.sort();
    assert!(cases.len() >= 5);
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let (root, dir) = scratch(Some(&case), &name);
        let mut sources = Sources::new();
        let Err(diagnostics) = composite::run_composite(&args(&dir), &mut sources) else {
            panic!("{name}: accepted bad input");
        };
        assert!(
            diagnostics
                .iter()
                .all(|d| d.help.is_some() && !d.labels.is_empty()),
            "{name}: every error points somewhere and says how to fix it"
        );
        let prefix = format!("{}/", root.display());
        let text = diag::render(&sources, &diagnostics, false).replace(&prefix, "");
        insta::assert_snapshot!(format!("composite_branch_{name}"), text);
    }
}
