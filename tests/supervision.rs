//! The supervision loop over four periods of the `loop` fixture (the mini campaign from
//! 2022-Q4 to 2023-Q3, with key work items): warning ages, follow-up and escalation, item
//! statuses, movement, and publishing. Expected values are worked out in the comments.

mod common;

use common::*;
use serde_json::Value;

const RULES: &str = "tests/fixtures/loop/rules";
const DATA: &str = "tests/fixtures/loop/data";

fn json(args: &[&str]) -> Value {
    let r = run(args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// (subject, level, age, follow-up, escalation) of each open warning.
fn open(period: &str) -> Vec<(String, String, u64, String, String)> {
    let v = json(&[
        "warnings", RULES, DATA, "--period", period, "--format", "json",
    ]);
    v["open"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let subject = w["indicator"]
                .as_str()
                .or(w["item"].as_str())
                .unwrap_or("submission");
            (
                format!("{}/{subject}", w["unit"].as_str().unwrap()),
                w["level"].as_str().unwrap().to_string(),
                w["age"].as_u64().unwrap(),
                w["follow_up"].as_str().unwrap().to_string(),
                w["escalation"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn w(
    subject: &str,
    level: &str,
    age: u64,
    follow: &str,
    esc: &str,
) -> (String, String, u64, String, String) {
    (subject.into(), level.into(), age, follow.into(), esc.into())
}

#[test]
fn warnings_age_and_escalate_across_periods() {
    // 丁县 GDP 4.0 against 6.0 (66.7%, red) in 2022-Q4 and 2023-Q1: open 2 periods → 约谈.
    // 2023-Q1 items: x-2 is 10% against a linear plan of 89/364 = 24.45% (yellow, 14.45 behind),
    // so 市发改局's on-schedule rate is 1 of 2 = 50%, 55.6% of its 90% target (red).
    assert_eq!(
        open("2023-Q1"),
        vec![
            w("d/gdp", "red", 2, "not-improved", "约谈"),
            w("x/items_rate", "red", 1, "new", ""),
            w("b/invest", "yellow", 2, "not-improved", "约谈"),
            w("x/project", "yellow", 2, "improving", "约谈"),
            w("x/x-2", "yellow", 1, "new", ""),
        ]
    );
    // 2023-Q2: 丁县 GDP 4.5 (75%, yellow): better, but open a third period → 通报批评.
    // a-1 was due 2023-06-30 at 90% (逾期未完成, red); a-2 started 2023-04-01 and is at 0%
    // against 90/274 = 32.85% (未启动, red).
    assert_eq!(
        open("2023-Q2"),
        vec![
            w("a/a-1", "red", 1, "new", ""),
            w("a/a-2", "red", 1, "new", ""),
            w("x/items_rate", "red", 2, "not-improved", "约谈"),
            w("b/invest", "yellow", 3, "not-improved", "通报批评"),
            w("d/gdp", "yellow", 3, "improving", "通报批评"),
            w("x/project", "yellow", 3, "not-improved", "通报批评"),
            w("x/x-2", "yellow", 2, "not-improved", "约谈"),
        ]
    );
    // 2023-Q3: only a-2 is still behind (60% against 182/274 = 66.42%: 6.42 behind, yellow).
    assert_eq!(
        open("2023-Q3"),
        vec![w("a/a-2", "yellow", 2, "improving", "约谈")]
    );
    let v = json(&[
        "warnings", RULES, DATA, "--period", "2023-Q3", "--closed", "--format", "json",
    ]);
    let closed: Vec<&str> = v["closed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["follow_up"].as_str().unwrap())
        .collect();
    assert_eq!(closed, vec!["rectified"; 6]);
}

#[test]
fn item_statuses_and_on_schedule_rates() {
    let status = |period: &str| -> Vec<(String, String)> {
        let v = json(&["items", RULES, DATA, "--period", period, "--format", "json"]);
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["id"].as_str().unwrap().into(),
                    i["status"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    let s = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    };
    // a-2 starts 2023-04-01: not under way in Q1.
    assert_eq!(
        status("2023-Q1"),
        s(&[("x-1", "on-time"), ("x-2", "behind"), ("a-1", "on-track")])
    );
    assert_eq!(
        status("2023-Q2"),
        s(&[
            ("x-1", "on-time"),
            ("x-2", "behind"),
            ("a-1", "overdue"),
            ("a-2", "not-started")
        ])
    );
    assert_eq!(
        status("2023-Q3"),
        s(&[
            ("x-1", "on-time"),
            ("x-2", "on-track"),
            ("a-1", "late"),
            ("a-2", "behind")
        ])
    );
    let table = run(&["items", RULES, DATA, "--period", "2023-Q2"]);
    insta::assert_snapshot!(table.stdout);
}

#[test]
fn movement_against_the_previous_period() {
    let v = json(&[
        "score", RULES, DATA, "--period", "2023-Q3", "--format", "json",
    ]);
    let county = &v["groups"][0]["units"];
    let moves: Vec<(String, String)> = county
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["id"].as_str().unwrap().into(),
                u["movement"]["previous"].to_string(),
            )
        })
        .collect();
    insta::assert_debug_snapshot!(moves);
}

#[test]
fn published_results_stand_until_replaced() {
    let scratch = Scratch::new("publish");
    copy_tree(&fixtures().join("loop"), &scratch.0);
    let at = |args: &[&str]| run_in(&scratch.0, args);
    let r = at(&["publish", "rules", "data", "--period", "2023-Q1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("已发布 2023-Q1 → rules/published/2023-Q1.json"),
        "{}",
        r.stdout
    );
    let published =
        std::fs::read_to_string(scratch.0.join("rules/published/2023-Q1.json")).unwrap();

    // Publishing again is refused and changes nothing.
    let r = at(&["publish", "rules", "data", "--period", "2023-Q1"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("already published"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(scratch.0.join("rules/published/2023-Q1.json")).unwrap(),
        published
    );

    // Q1's data is corrected afterwards: 丁县's GDP 4.0 → 6.5.
    let metrics = scratch.0.join("data/2023-Q1/metrics.csv");
    let text = std::fs::read_to_string(&metrics)
        .unwrap()
        .replace("d,gdp,4.0", "d,gdp,6.5");
    std::fs::write(&metrics, text).unwrap();

    // Scoring Q1 now says it differs from what was published.
    let r = at(&["score", "rules", "data", "--period", "2023-Q1"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains("warning[period]: 2023-Q1 was published"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("丁县：总分"), "{}", r.stderr);

    // Q2's history still reads the published Q1: 丁县's GDP warning is in its 3rd period.
    let r = at(&[
        "warnings", "rules", "data", "--period", "2023-Q2", "--format", "json",
    ]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let d = v["open"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["unit"] == "d")
        .unwrap();
    assert_eq!(d["age"], 3);

    // With --force the corrected Q1 replaces the published one, and Q2 follows.
    let r = at(&["publish", "rules", "data", "--period", "2023-Q1", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = at(&[
        "warnings", "rules", "data", "--period", "2023-Q2", "--format", "json",
    ]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let d = v["open"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["unit"] == "d")
        .unwrap();
    assert_eq!(
        (d["age"].as_u64(), d["follow_up"].as_str()),
        (Some(1), Some("new"))
    );
}

#[test]
fn trend_of_a_unit() {
    let r = run(&["trend", "d", "--rules", RULES, "--data", DATA]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn progress_that_goes_down_is_a_warning_not_an_error() {
    let scratch = Scratch::new("progress-down");
    copy_tree(&fixtures().join("loop"), &scratch.0);
    let file = scratch.0.join("data/2023-Q3/progress.csv");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("x-2,75,", "x-2,20,");
    std::fs::write(&file, text).unwrap();
    let r = run_in(
        &scratch.0,
        &["score", "rules", "data", "--period", "2023-Q3"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.is_empty());
    insta::assert_snapshot!(r.stderr);
}

/// A run of several periods lets a scored period's texts go, but not a file a note points
/// into: a note about an earlier period still quotes its line.
#[test]
fn a_note_about_an_earlier_period_still_quotes_its_line() {
    let scratch = Scratch::new("progress-down-earlier");
    copy_tree(&fixtures().join("loop"), &scratch.0);
    let file = scratch.0.join("data/2023-Q2/progress.csv");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("a-1,90,", "a-1,35,");
    std::fs::write(&file, text).unwrap();
    let r = run_in(
        &scratch.0,
        &["score", "rules", "data", "--period", "2023-Q3"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("went down from 40% in 2023-Q1 to 35%"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("data/2023-Q2/progress.csv:4:1"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("│ a-1,35,"), "{}", r.stderr);
}

#[test]
fn an_indicator_scores_the_on_schedule_rate_of_one_item_category() {
    // 市发改局 (x) in 2023-Q2: x-1 (经济发展) was done on time, x-2 (项目建设) is behind.
    // Over all its items the rate is 50%; over 项目建设 alone it is 0%.
    let scratch = Scratch::new("item-category");
    copy_tree(&fixtures().join("loop"), &scratch.0);
    let file = scratch.0.join("rules/indicators.toml");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "source = \"items\"\n",
        "source = \"items\"\nitem_category = \"项目建设\"\n",
    );
    std::fs::write(&file, text).unwrap();
    let rate = |dir: &std::path::Path| -> String {
        let r = run_in(
            dir,
            &[
                "score", "rules", "data", "--period", "2023-Q2", "--format", "json", "--cells",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        let x = v["groups"][1]["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == "x")
            .unwrap()
            .clone();
        let cell = x["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["indicator"] == "items_rate")
            .unwrap()
            .clone();
        cell["actual"].as_str().unwrap().to_string()
    };
    assert_eq!(rate(&fixtures().join("loop")), "50.0");
    assert_eq!(rate(&scratch.0), "0.0");
}

#[test]
fn an_item_category_no_item_has_is_a_located_error_not_a_silent_100_percent() {
    // Before, a misspelt category matched no item, and every unit scored 100%.
    let scratch = Scratch::new("item-category-typo");
    copy_tree(&fixtures().join("loop"), &scratch.0);
    let file = scratch.0.join("rules/indicators.toml");
    let before = std::fs::read_to_string(&file).unwrap();
    let text = before.replace(
        "source = \"items\"\n",
        "source = \"items\"\nitem_category = \"项目建设设\"\n",
    );
    std::fs::write(&file, &text).unwrap();
    let r = run_in(&scratch.0, &["check", "rules", "data"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    insta::assert_snapshot!(r.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn group_filter_applies_to_warnings_and_items() {
    let v = json(&[
        "warnings", RULES, DATA, "--period", "2023-Q2", "--group", "county", "--format", "json",
    ]);
    assert!(v["open"]
        .as_array()
        .unwrap()
        .iter()
        .all(|w| w["group"] == "county"));
    let v = json(&[
        "items", RULES, DATA, "--period", "2023-Q2", "--group", "dept", "--format", "json",
    ]);
    let items: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(items, vec!["x-1", "x-2"]);
}

#[test]
fn a_published_file_resolves_against_the_current_rules_and_names_what_does_not() {
    use jingbiao::diag::Sources;
    use jingbiao::publish::{Fingerprint, Published};
    let root = fixtures().join("mini");
    let mut sources = Sources::new();
    let mut loaded = jingbiao::loader::load_rules(&root.join("rules"), &mut sources).unwrap();
    let period = jingbiao::period::Period::parse("2023-Q2", loaded.campaign.period_kind).unwrap();
    let data = jingbiao::loader::load_period(&root.join("data"), period, &mut loaded, &mut sources)
        .unwrap();
    let facts =
        jingbiao::evaluate::evaluate_facts(&loaded.campaign, &data, &loaded.scripts, &sources)
            .unwrap();
    let fp = Fingerprint {
        rules: "r".into(),
        data: "d".into(),
        facts: String::new(),
        content: String::new(),
    };

    // As published: the same facts come back, and no name is stored, only ids.
    let published = Published::new(&loaded.campaign, &facts, fp);
    let text = published.to_json();
    let first = &loaded.campaign.units[facts.tables[0][0]];
    assert!(!text.contains(&first.name), "names are not stored");
    assert!(text.contains(&format!("\"{}\"", first.id)));
    let (back, unresolved) = published.resolve(&loaded.campaign, period);
    // Everything but the group statistics the methods used (not published).
    let mut expected = facts.clone();
    expected.stats.clear();
    assert_eq!(back, expected);
    assert!(unresolved.is_empty(), "{unresolved:?}");

    // A unit and an indicator since removed from the rules: left out, and listed.
    let mut edited = published.clone();
    let gone = edited.facts.groups[0].1[0].unit.clone();
    edited.facts.groups[0].1[0].unit = "gone".into();
    edited.facts.groups[0].1[1].cells[0].indicator = "old_gdp".into();
    let (back, unresolved) = edited.resolve(&loaded.campaign, period);
    let u = loaded.campaign.unit_index(&gone).unwrap();
    assert!(back.unit(u).is_none());
    assert_eq!(back.tables[0].len(), facts.tables[0].len() - 1);
    let second = back.unit(facts.tables[0][1]).unwrap();
    assert_eq!(
        second.cells.len(),
        facts.unit(facts.tables[0][1]).unwrap().cells.len() - 1
    );
    assert_eq!(unresolved, vec!["indicator `old_gdp`", "unit `gone`"]);
}

#[test]
fn a_published_file_of_an_older_format_is_refused_with_how_to_republish_it() {
    let scratch = Scratch::new("old-format");
    copy_tree(&fixtures().join("loop"), &scratch.0);
    let at = |args: &[&str]| run_in(&scratch.0, args);
    std::fs::create_dir_all(scratch.0.join("rules/published")).unwrap();
    let old = r#"{"jingbiao":"0.1.0","period":"2023-Q1","fingerprint":{"rules":"x","data":"y"},"result":{}}"#;
    std::fs::write(scratch.0.join("rules/published/2023-Q1.json"), old).unwrap();

    // Q2 needs Q1's published results for its history: refused, with the command to run.
    let r = at(&["warnings", "rules", "data", "--period", "2023-Q2"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("first published format"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("jingbiao publish --period 2023-Q1 --force"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());

    // The command it names re-publishes Q1, after which Q2 reads it.
    let r = at(&["publish", "rules", "data", "--period", "2023-Q1", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Replacing the old file is what was asked: no warning that it could not be read.
    assert!(!r.stderr.contains("published format"), "{}", r.stderr);
    let text = std::fs::read_to_string(scratch.0.join("rules/published/2023-Q1.json")).unwrap();
    assert!(text.starts_with("{\n  \"format\": 3,"), "{text}");
    let r = at(&["warnings", "rules", "data", "--period", "2023-Q2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_period_published_with_fractional_weights_reads_back() {
    // Sums of weights such as 40.1 + 30.1 + 30.1 are not exact in binary: the full weight is
    // published as on paper (100.3, not 100.30000000000001), and the published file's
    // fingerprint survives writing and reading such figures.
    let scratch = Scratch::new("fractional-weights");
    copy_tree(&fixtures().join("loop"), &scratch.0);
    let file = scratch.0.join("rules/indicators.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text
        .replace("weight = 40\n", "weight = 40.1\n")
        .replace("weight = 30\n", "weight = 30.1\n")
        .replace("weight = 20\n", "weight = 19.7\n");
    std::fs::write(&file, text).unwrap();
    let campaign = scratch.0.join("rules/campaign.toml");
    let text = std::fs::read_to_string(&campaign)
        .unwrap()
        .replace("weights_total = 100\n", "");
    std::fs::write(&campaign, text).unwrap();
    let at = |args: &[&str]| run_in(&scratch.0, args);
    let r = at(&["publish", "rules", "data", "--period", "2023-Q1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let published =
        std::fs::read_to_string(scratch.0.join("rules/published/2023-Q1.json")).unwrap();
    assert!(published.contains("\"full_weight\": 100.3,"), "{published}");
    let r = at(&["warnings", "rules", "data", "--period", "2023-Q2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = at(&["score", "rules", "data", "--period", "2023-Q1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("changed after"), "{}", r.stderr);
}

#[test]
fn every_period_s_data_errors_are_reported_together() {
    // Periods are parsed one ahead of scoring; a mistake in one still comes with the
    // mistakes of every other period, and nothing is written.
    let scratch = Scratch::new("errors-across-periods");
    copy_tree(&fixtures().join("loop"), &scratch.0);
    for (period, bad) in [("2022-Q4", "a,gdp,六点二"), ("2023-Q2", "a,gdp,6,2")] {
        let file = scratch.0.join(format!("data/{period}/metrics.csv"));
        let text = std::fs::read_to_string(&file)
            .unwrap()
            .replacen("a,gdp,6.2", bad, 1);
        std::fs::write(&file, text).unwrap();
    }
    let r = run_in(
        &scratch.0,
        &["score", "rules", "data", "--period", "2023-Q2"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("data/2022-Q4/metrics.csv"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("data/2023-Q2/metrics.csv"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_script_error_comes_with_the_data_errors_of_the_other_periods() {
    // Scoring stops at a script's runtime error; the data mistakes of the periods not yet
    // scored are reported with it, not left for the next run.
    let scratch = Scratch::new("script-and-data-errors");
    copy_tree(&fixtures().join("loop"), &scratch.0);
    let scripts = scratch.0.join("rules/scripts");
    let script = std::fs::read_dir(&scripts)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read_to_string(p).unwrap().contains("fn adjust"))
        .expect("the loop fixture has an adjustment script");
    let text = std::fs::read_to_string(&script).unwrap().replacen(
        "fn adjust(unit) {",
        "fn adjust(unit) {\n    if unit.id == \"a\" { throw \"boom\"; }",
        1,
    );
    std::fs::write(&script, text).unwrap();
    let file = scratch.0.join("data/2023-Q2/metrics.csv");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replacen("a,gdp,6.2", "a,gdp,六点二", 1);
    std::fs::write(&file, text).unwrap();
    let r = run_in(
        &scratch.0,
        &["score", "rules", "data", "--period", "2023-Q2"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("boom"), "{}", r.stderr);
    assert!(
        r.stderr.contains("data/2023-Q2/metrics.csv"),
        "{}",
        r.stderr
    );
}

#[test]
fn cells_are_for_json() {
    let r = run(&["score", RULES, DATA, "--cells"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--format json --cells"), "{}", r.stderr);
}

#[test]
fn a_published_file_edited_afterwards_is_an_error_wherever_it_is_read() {
    let scratch = Scratch::new("edited");
    copy_tree(&fixtures().join("loop"), &scratch.0);
    let at = |args: &[&str]| run_in(&scratch.0, args);
    for p in ["2023-Q1", "2023-Q2"] {
        let r = at(&["publish", "rules", "data", "--period", p]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let q1 = scratch.0.join("rules/published/2023-Q1.json");
    let q2 = scratch.0.join("rules/published/2023-Q2.json");
    let original = std::fs::read_to_string(&q1).unwrap();
    let moves = |r: &Run| -> String { r.stdout.clone() };
    let before = moves(&at(&["score", "rules", "data", "--period", "2023-Q3"]));

    // Q1 edited by hand: a rank moved (which would change Q3's history through Q2's movement
    // and the warning loop), the period, or a fingerprint. Each is an error naming the file,
    // in every command that reads it, and nothing is printed.
    let first_rank = original.find("\"rank\": ").unwrap();
    let edits = [
        format!(
            "{}\"rank\": 9{}",
            &original[..first_rank],
            &original[first_rank + 9..]
        ),
        original.replacen("\"period\": \"2023-Q1\"", "\"period\": \"2023-Q4\"", 1),
        original.replacen("\"rules\": \"", "\"rules\": \"0", 1),
    ];
    for edited in &edits {
        assert_ne!(edited, &original);
        std::fs::write(&q1, edited).unwrap();
        for cmd in [
            &["score", "rules", "data", "--period", "2023-Q3"][..],
            &["score", "rules", "data", "--period", "2023-Q1"],
            &["trend", "--rules", "rules", "--data", "data"],
            &["warnings", "rules", "data", "--period", "2023-Q2"],
            &["check", "rules", "data"],
        ] {
            let r = at(cmd);
            assert_eq!(r.code, 2, "{cmd:?}\n{}", r.stderr);
            assert!(r.stdout.is_empty(), "{cmd:?}");
            assert!(
                r.stderr.contains("error[published]: `rules/published/2023-Q1.json` was changed after it was published"),
                "{cmd:?}\n{}",
                r.stderr
            );
        }
    }
    // Restored, all is as before.
    std::fs::write(&q1, &original).unwrap();
    assert_eq!(
        moves(&at(&["score", "rules", "data", "--period", "2023-Q3"])),
        before
    );

    // Q1's file copied over Q2's: its fingerprint holds, but it is not Q2's results.
    let q2_original = std::fs::read_to_string(&q2).unwrap();
    std::fs::copy(&q1, &q2).unwrap();
    for cmd in [
        &["score", "rules", "data", "--period", "2023-Q3"][..],
        &["check", "rules", "data"],
    ] {
        let r = at(cmd);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains("error[published]: `rules/published/2023-Q2.json` holds the published results of 2023-Q1, not of 2023-Q2 as its name says"),
            "{}",
            r.stderr
        );
    }
    std::fs::write(&q2, &q2_original).unwrap();

    // An edited file is replaced by publishing again with --force (it is not read then).
    std::fs::write(&q1, &edits[0]).unwrap();
    let r = at(&["publish", "rules", "data", "--period", "2023-Q1", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    assert_eq!(std::fs::read_to_string(&q1).unwrap(), original);
}

#[test]
fn check_reads_every_published_file() {
    let scratch = Scratch::new("check-published");
    copy_tree(&fixtures().join("loop"), &scratch.0);
    let at = |args: &[&str]| run_in(&scratch.0, args);
    let r = at(&["publish", "rules", "data", "--period", "2023-Q1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let dir = scratch.0.join("rules/published");
    // A copy under another name is never read: an error, not a file passed over.
    std::fs::copy(dir.join("2023-Q1.json"), dir.join("2023-Q1 (1).json")).unwrap();
    std::fs::write(dir.join("说明.txt"), "发布记录").unwrap();
    let r = at(&["check", "rules", "data"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("error[published]: `rules/published/2023-Q1 (1).json` is not read"),
        "{}",
        r.stderr
    );
    std::fs::remove_file(dir.join("2023-Q1 (1).json")).unwrap();
    let r = at(&["check", "rules", "data"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "warning[io]: `rules/published/` holds files jingbiao does not read: 说明.txt"
        ),
        "{}",
        r.stderr
    );
}
