//! Data-quality warnings (`jingbiao::quality`) on the `mini` fixture: a slipped decimal point
//! against the group's median and against the previous period, and a year-to-date amount
//! that falls.

use jingbiao::campaign::Campaign;
use jingbiao::data::PeriodData;
use jingbiao::quality::{check, Suspect, SuspectKind};

use std::path::Path;

use jingbiao::diag::Sources;
use jingbiao::period::Period;

/// `mini`'s campaign and its 2023-Q2 data.
fn mini() -> (Campaign, PeriodData) {
    let mut sources = Sources::new();
    let mut loaded =
        jingbiao::loader::load_rules(Path::new("tests/fixtures/mini/rules"), &mut sources)
            .unwrap_or_else(|_| panic!("mini loads"));
    let period = Period::parse("2023-Q2", loaded.campaign.period_kind).unwrap();
    let data = jingbiao::loader::load_period(
        Path::new("tests/fixtures/mini/data"),
        period,
        &mut loaded,
        &mut sources,
    )
    .unwrap_or_else(|_| panic!("mini's data loads"));
    (loaded.campaign, data)
}

fn set(c: &Campaign, d: &mut PeriodData, ind: &str, unit: &str, x: Option<f64>) {
    let ii = c.indicator_index(ind).unwrap();
    let ui = c.unit_index(unit).unwrap();
    let ai = c.indicators[ii]
        .assignments
        .iter()
        .position(|a| a.unit == ui)
        .unwrap();
    d.values[ii][ai] = x;
}

fn kinds(c: &Campaign, found: &[Suspect]) -> Vec<(String, String, SuspectKind)> {
    found
        .iter()
        .map(|s| {
            (
                c.units[s.unit].id.clone(),
                c.indicators[s.indicator].id.clone(),
                s.kind,
            )
        })
        .collect()
}

#[test]
fn mini_raises_none() {
    let (c, d) = mini();
    assert_eq!(check(&c, &d, None), []);
}

#[test]
fn a_slipped_decimal_is_far_from_the_group_median() {
    // Counties' GDP growth 6.2, 5.4, 6.0, 4.0: 40 for d's 4.0 is 6.6 × the median 6.1,
    // under 8; then 62 for a's 6.2 is 10.9 × the median 5.7, and d's 0.5 is near zero.
    let (c, mut d) = mini();
    set(&c, &mut d, "gdp", "d", Some(40.0));
    assert_eq!(check(&c, &d, None), []);
    set(&c, &mut d, "gdp", "a", Some(62.0));
    set(&c, &mut d, "gdp", "d", Some(0.5));
    let found = check(&c, &d, None);
    assert_eq!(
        kinds(&c, &found),
        [("a".into(), "gdp".into(), SuspectKind::GroupMedian)]
    );
    assert!((found[0].against - 5.7).abs() < 1e-9);
    // At most 1/8 too: PM2.5 3 against the median 26.5.
    set(&c, &mut d, "gdp", "a", Some(6.2));
    set(&c, &mut d, "gdp", "d", Some(4.0));
    set(&c, &mut d, "pm25", "a", Some(3.0));
    let found = check(&c, &d, None);
    assert_eq!(
        kinds(&c, &found),
        [("a".into(), "pm25".into(), SuspectKind::GroupMedian)]
    );
}

#[test]
fn against_the_previous_period_amounts_at_their_pace() {
    let (c, d) = mini();
    let mut q1 = d.clone();
    q1.period = d.period.previous();
    // Investment is an amount, compared at its pace (÷ time progress, 25% in Q1, 50% in
    // Q2): a's 55 in Q2 after 30 in Q1 is the same pace; after 550, 1/20 of it; after 60,
    // less than a year-to-date figure can be.
    set(&c, &mut q1, "invest", "a", Some(30.0));
    assert_eq!(check(&c, &d, Some(&q1)), []);
    set(&c, &mut q1, "invest", "a", Some(550.0));
    let found = check(&c, &d, Some(&q1));
    assert_eq!(
        kinds(&c, &found),
        [("a".into(), "invest".into(), SuspectKind::Previous)]
    );
    set(&c, &mut q1, "invest", "a", Some(60.0));
    let found = check(&c, &d, Some(&q1));
    assert_eq!(
        kinds(&c, &found),
        [("a".into(), "invest".into(), SuspectKind::YearToDateFell)]
    );
    assert_eq!((found[0].value, found[0].against), (55.0, 60.0));
    // A rate compares as it is: GDP growth 6.2 after 0.62.
    set(&c, &mut q1, "invest", "a", Some(30.0));
    set(&c, &mut q1, "gdp", "a", Some(62.0));
    let found = check(&c, &d, Some(&q1));
    assert_eq!(
        kinds(&c, &found),
        [("a".into(), "gdp".into(), SuspectKind::Previous)]
    );
    // Data of another period than the one before is not compared.
    q1.period = d.period.previous().previous();
    assert_eq!(check(&c, &d, Some(&q1)), []);
}

// The command line: `check`, `score` and `publish` on data with a slipped decimal point.

mod common;

use common::*;

/// A copy of a fixture with one line of a period's metrics replaced.
fn with_line(fixture: &str, period: &str, from: &str, to: &str) -> Scratch {
    let scratch = Scratch::new(&format!(
        "quality-{fixture}-{period}-{}",
        to.replace(',', "-")
    ));
    copy_tree(&fixtures().join(fixture), &scratch.0);
    let path = scratch.0.join(format!("data/{period}/metrics.csv"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
    scratch
}

#[test]
fn the_bundled_example_raises_no_data_quality_warning() {
    let run = run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let run = common::run(&["score", "--period", "2023-Q1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("数据质量"), "{}", run.stderr);
}

#[test]
fn check_and_score_warn_in_either_language_and_publish_records_what_was_accepted() {
    let s = with_line("mini", "2023-Q2", "a,gdp,6.2\n", "a,gdp,62\n");
    let zh = "数据质量：甲县「地区生产总值增速」2023-Q2为62%，是县区中位数5.7%的10.9倍，请核实是否错位小数点或计量单位";
    for args in [&["check", "rules", "data"][..], &["score", "rules", "data"]] {
        let run = run_in(&s.0, args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("warning[value]: {zh}")),
            "{}",
            run.stderr
        );
        let mut en = args.to_vec();
        en.extend(["--lang", "en"]);
        let run = run_in(&s.0, &en);
        assert!(
            run.stderr.contains("data quality: 甲县: “地区生产总值增速” is 62% in 2023-Q2, 10.9 times the median of 县区 (5.7%)"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("数据质量"), "{}", run.stderr);
    }
    // `publish` refuses (the refusal is snapshotted in tests/errors.rs,
    // publish-quality-warning), then publishes with the warning accepted and recorded.
    let run = run_in(&s.0, &["publish", "rules", "data", "--period", "2023-Q2"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let file = s.0.join("rules/published/2023-Q2.json");
    assert!(!file.exists());
    let args = [
        "publish",
        "rules",
        "data",
        "--period",
        "2023-Q2",
        "--accept-quality",
    ];
    let run = run_in(&s.0, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        json["facts"]["accepted_quality"],
        serde_json::json!([{"kind": "group-median", "unit": "a", "indicator": "gdp", "value": 62.0, "against": 5.7}])
    );
    // The file reads back: its fingerprint covers what was accepted.
    let run = run_in(&s.0, &["trend", "--rules", "rules", "--data", "data"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A hand edit of what was accepted is refused like any edit of the facts.
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("\"value\": 62.0", "\"value\": 6.2")).unwrap();
    let run = run_in(&s.0, &["trend", "--rules", "rules", "--data", "data"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("changed after it was published"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_year_to_date_amount_that_falls_is_a_warning_against_the_previous_periods_data() {
    // loop: 甲县's investment 26 in 2023-Q1, then 25 in 2023-Q2 (55 before).
    let s = with_line("loop", "2023-Q2", "a,invest,55\n", "a,invest,25\n");
    let run = run_in(&s.0, &["score", "rules", "data", "--period", "2023-Q2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("数据质量：甲县「固定资产投资额」为年度累计值，2023-Q2的25亿元低于上期（2023-Q1）的26亿元，累计值不应下降，请核实"),
        "{}",
        run.stderr
    );
    // And a tenfold slip against the previous period, at each period's pace.
    let s = with_line("loop", "2023-Q2", "a,invest,55\n", "a,invest,550\n");
    let run = run_in(&s.0, &["check", "rules", "data"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("数据质量：甲县「固定资产投资额」2023-Q2为550亿元，是上期（2023-Q1）26亿元的10.6倍（按序时进度折算）"),
        "{}",
        run.stderr
    );
}
