//! The real binary on the bundled example (rules/zhanjiang-2023, scenarios/zhanjiang-2023)
//! and on the `mini` fixture: league tables, warnings and every output format, snapshotted
//! so that an edit that moves a rank shows in review.

mod common;

use common::*;

fn ok(args: &[&str]) -> String {
    let r = run(args);
    assert_eq!(r.code, 0, "jingbiao {}\n{}", args.join(" "), r.stderr);
    assert_eq!(r.stderr, "", "no diagnostics on success");
    r.stdout
}

#[test]
fn example_defaults_to_the_latest_period() {
    let default = ok(&["score"]);
    let q2 = ok(&[
        "score",
        "rules/zhanjiang-2023",
        "scenarios/zhanjiang-2023",
        "--period",
        "2023-Q2",
    ]);
    assert_eq!(default, q2);
    insta::assert_snapshot!("example_q2_table", q2);
}

#[test]
fn example_q1_table() {
    insta::assert_snapshot!(ok(&["score", "--period", "2023-Q1"]));
}

#[test]
fn example_q2_markdown() {
    insta::assert_snapshot!(ok(&["score", "--format", "md"]));
}

#[test]
fn example_q2_csv() {
    insta::assert_snapshot!(ok(&["score", "--format", "csv"]));
}

#[test]
fn example_q2_json_scorecards() {
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["score", "--format", "json", "--cells"])).unwrap();
    insta::assert_json_snapshot!(json);
}

#[test]
fn one_group_only() {
    let out = ok(&["score", "--group", "county"]);
    assert!(out.contains("【县（市、区）】"));
    assert!(!out.contains("【市直部门】"));
    assert!(
        !out.contains("市财政局"),
        "warnings of other groups are left out"
    );
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    for format in ["table", "json", "csv", "md"] {
        let a = ok(&["score", "--format", format]);
        let b = ok(&["score", "--format", format]);
        assert_eq!(a, b, "{format}");
    }
}

#[test]
fn out_writes_the_same_bytes_as_stdout() {
    let scratch = Scratch::new("out");
    let path = scratch.0.join("q2.md");
    let r = run(&["score", "--format", "md", "--out", path.to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        ok(&["score", "--format", "md"])
    );
    let leftovers: Vec<_> = std::fs::read_dir(&scratch.0).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn check_reports_what_it_validated() {
    let out = ok(&["check"]);
    assert_eq!(
        out,
        "ok: 湛江市2023年“竞标争先”行动考评: 2 groups, 37 units, 43 indicators, 110 key work items, 2 script files; data for 2022-Q1, 2022-Q2, 2022-Q3, 2022-Q4, 2023-Q1, 2023-Q2\n"
    );
}

#[test]
fn example_q2_warning_follow_up() {
    insta::assert_snapshot!(ok(&["warnings", "--closed"]));
}

#[test]
fn example_q2_items_by_unit_and_status() {
    insta::assert_snapshot!(ok(&["items"]));
}

#[test]
fn example_county_trend() {
    insta::assert_snapshot!(ok(&["trend", "--group", "county"]));
}

#[test]
fn example_published_periods_agree_with_the_current_rules() {
    // Every published period scores the same today: no warning on stderr.
    for p in ["2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4", "2023-Q1"] {
        ok(&["score", "--period", p]);
    }
}

#[test]
fn mini_table() {
    insta::assert_snapshot!(ok(&[
        "score",
        "tests/fixtures/mini/rules",
        "tests/fixtures/mini/data"
    ]));
}

#[test]
fn help_lists_the_commands() {
    let out = ok(&["--help"]);
    assert!(out.contains("score") && out.contains("check"));
}

#[test]
fn example_explain_scorecard() {
    insta::assert_snapshot!(ok(&["explain", "suixi", "--period", "2023-Q2"]));
}

#[test]
fn explain_a_vetoed_unit_and_a_tie() {
    let mini = [
        "--rules",
        "tests/fixtures/mini/rules",
        "--data",
        "tests/fixtures/mini/data",
    ];
    let x = ok(&[&["explain", "x"][..], &mini].concat());
    assert!(x.contains("一票否决，排在未被否决的单位之后"), "{x}");
    assert!(x.contains("各类别按 × 100 ÷ 120 折算为百分制"), "{x}");
    let y = ok(&[&["explain", "y"][..], &mini].concat());
    assert!(y.contains("与 市水务局 并列：排名依据逐项相同"), "{y}");
    assert!(y.contains("mini/rules/scripts/adjust.rhai:5"), "{y}");
}

#[test]
fn diagnostics_as_json_for_machines() {
    let scratch = Scratch::new("json-diag");
    copy_tree(&fixtures().join("mini"), &scratch.0);
    copy_tree(&fixtures().join("errors/metrics-not-a-number"), &scratch.0);
    let r = run_in(&scratch.0, &["check", "rules", "data", "--format", "json"]);
    assert_eq!(r.code, 2);
    let v: serde_json::Value = serde_json::from_str(&r.stderr).unwrap();
    assert_eq!(v[0]["code"], "value");
    assert_eq!(v[0]["file"], "data/2023-Q2/metrics.csv");
    assert_eq!(
        (v[0]["line"].as_u64(), v[0]["column"].as_u64()),
        (Some(6), Some(10))
    );
    assert!(v[0]["help"].as_str().unwrap().contains("write the number"));
}

#[test]
fn composite_index_on_the_bundled_asem_example() {
    let out = ok(&["composite"]);
    assert!(out.contains("CHE"), "{out}");
    let a = ok(&[
        "sensitivity",
        "--runs",
        "50",
        "--seed",
        "7",
        "--format",
        "json",
    ]);
    let b = ok(&[
        "sensitivity",
        "--runs",
        "50",
        "--seed",
        "7",
        "--format",
        "json",
    ]);
    assert_eq!(a, b);
}

#[test]
fn rule_tests_pass_and_fail_with_a_readable_difference() {
    let r = run(&[
        "test",
        "tests/fixtures/ruletests/rules",
        "tests/fixtures/ruletests/data",
    ]);
    assert_eq!(r.code, 1, "a failing rule test exits 1\n{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
    let r = run(&["test"]);
    assert_eq!(
        r.code, 0,
        "the example's own tests pass\n{}{}",
        r.stdout, r.stderr
    );
    assert!(r.stdout.ends_with("3 passed, 0 failed\n"), "{}", r.stdout);
}

#[test]
fn the_example_rule_tests_catch_a_changed_weight() {
    let scratch = Scratch::new("weight-change");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(scratch.0.join("rules/zhanjiang-2023")).unwrap();
    std::fs::create_dir_all(scratch.0.join("scenarios/zhanjiang-2023")).unwrap();
    copy_tree(
        &root.join("rules/zhanjiang-2023"),
        &scratch.0.join("rules/zhanjiang-2023"),
    );
    copy_tree(
        &root.join("scenarios/zhanjiang-2023"),
        &scratch.0.join("scenarios/zhanjiang-2023"),
    );
    // GDP growth 10 → 12 points and fixed-asset investment 8 → 6: the weights still add up.
    let file = scratch.0.join("rules/zhanjiang-2023/indicators.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen("weight = 10\n", "weight = 12\n", 1).replacen(
        "weight = 8\n",
        "weight = 6\n",
        1,
    );
    std::fs::write(&file, text).unwrap();
    let r = run_in(&scratch.0, &["test"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("FAIL  q2-counties.toml"), "{}", r.stdout);
    assert!(
        r.stdout.contains("湛江经开区 (etdz) total: expected 98.80"),
        "{}",
        r.stdout
    );
}

#[test]
fn diff_shows_what_a_rule_edit_changes() {
    let scratch = Scratch::new("diff");
    copy_tree(&fixtures().join("mini"), &scratch.0);
    let new = scratch.0.join("new");
    std::fs::create_dir_all(&new).unwrap();
    copy_tree(&fixtures().join("mini/rules"), &new);
    // GDP growth 40 → 45 points and PM2.5 30 → 25: totals move (甲县 +0.45, 丁县 −1.42), ranks hold.
    let file = new.join("indicators.toml");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replacen("weight = 40", "weight = 45", 1)
        .replacen(
            "weight = 30\ndirection = \"lower\"",
            "weight = 25\ndirection = \"lower\"",
            1,
        );
    std::fs::write(&file, text).unwrap();
    let r = run_in(&scratch.0, &["diff", "rules", "new", "data"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn json_leaves_scorecards_out_unless_asked() {
    let units = |args: &[&str]| -> Vec<serde_json::Value> {
        let v: serde_json::Value = serde_json::from_str(&ok(args)).unwrap();
        v["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["units"].as_array().unwrap().clone())
            .collect()
    };
    let lean = units(&["score", "--format", "json"]);
    assert_eq!(lean.len(), 37);
    assert!(lean.iter().all(|u| u.get("cells").is_none()));
    assert!(lean.iter().all(|u| u.get("total").is_some()));
    let full = units(&["score", "--format", "json", "--cells"]);
    let cells: usize = full
        .iter()
        .map(|u| u["cells"].as_array().unwrap().len())
        .sum();
    assert!(cells > 37 * 3, "{cells} cells");
}
