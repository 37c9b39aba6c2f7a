//! The `mini` campaign, every figure computed by hand (2023-Q2, time progress 50%).
//!
//! 县区 (weights 40 + 30 + 30 = 100, no scaling):
//! - gdp, target 6, stretch 6.5, proportional cap 1.2, stretch bonus 10%:
//!   甲 6.2 → met, 0.4 of the way to 6.5 → 40 × 1.04 = 41.60; 乙 5.4 → 40 × 0.9 = 36.00;
//!   丙 6.0 → 40.00; 丁 4.0 → 40 × 0.6667 = 26.67 (ratio 66.67%: red).
//! - invest (amount, expected = target × 50%: 50, 40, 30, 20), efficacy high = target,
//!   low = 0, d capped at 100: 甲 55 → d 104 → 30.00; 乙 30 → d 90 → 27.00 (75%: yellow);
//!   丙 30 → 30.00; 丁 20 → 30.00.
//! - pm25 (lower is better), rank method step 5%: 丙 25 → 1st 30.00; 甲 28, 丁 28 → tied 2nd
//!   28.50; 乙 32 → 4th 25.50.
//! - Totals: 甲 100.10; 丙 100.00 + 0.10 bonus = 100.10 (tie broken by gdp 6.2 > 6.0: 甲 1st,
//!   丙 2nd); 乙 88.50; 丁 85.17 − 1 penalty = 84.17. Tiers by count 1 / 2 / rest.
//!
//! 部门 (tasks 60 all-or-nothing, satisfaction 40 relative to the average, project 20 for
//! 市发改局 only, scored by a script):
//! - tasks: 发改 100 → 60; 环保 95, 水务 95 → 0.
//! - satisfaction, mean of 98.5, 97.5, 97.5 = 97.8333: 发改 40 + 0.6667 = 40.67;
//!   环保, 水务 40 − 0.3333 = 39.67.
//! - project, expected 50: 40 → 20 × 0.8 = 16.00 (80%: yellow).
//! - 发改 116.67 of 120 points, each category scaled by 100/120: 经济发展 76 → 63.33,
//!   生态环境 40.67 → 33.89; total 97.22, the sum of the published subtotals. Vetoed, so
//!   ranked last.
//! - 环保 and 水务 39.67 + a 0.125 bonus, published as 0.13 (Excel's ROUND; 0.12 half to
//!   even) → 39.80 each: they share 1st, 发改 is 3rd (1, 1, 3).

mod common;

use std::path::Path;

use jingbiao::diag::Sources;
use jingbiao::result::{GroupResult, PeriodResult, Status};

fn score(rules: &Path, data: &Path) -> PeriodResult {
    let mut sources = Sources::new();
    let mut loaded =
        jingbiao::loader::load_rules(rules, &mut sources).unwrap_or_else(|e| panic!("{e:?}"));
    let period = jingbiao::period::Period::parse("2023-Q2", loaded.campaign.period_kind).unwrap();
    let data = jingbiao::loader::load_period(data, period, &mut loaded, &mut sources)
        .unwrap_or_else(|e| panic!("{e:?}"));
    jingbiao::evaluate::evaluate(&loaded.campaign, &data, &loaded.scripts, &sources)
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn mini() -> PeriodResult {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    score(&root.join("rules"), &root.join("data"))
}

/// (name, rank, total, tier) in table order.
fn table(g: &GroupResult) -> Vec<(String, u32, String, String)> {
    g.units
        .iter()
        .map(|u| {
            (
                u.name.clone(),
                u.rank,
                u.total.to_string(),
                u.tier.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn points(r: &PeriodResult, unit: &str, indicator: &str) -> String {
    let u = r
        .groups
        .iter()
        .flat_map(|g| &g.units)
        .find(|u| u.id == unit)
        .unwrap();
    u.cells
        .iter()
        .find(|c| &*c.indicator == indicator)
        .unwrap()
        .points
        .to_string()
}

#[test]
fn county_points_totals_ranks_and_tiers() {
    let r = mini();
    for (unit, ind, want) in [
        ("a", "gdp", "41.60"),
        ("b", "gdp", "36.00"),
        ("c", "gdp", "40.00"),
        ("d", "gdp", "26.67"),
        ("a", "invest", "30.00"),
        ("b", "invest", "27.00"),
        ("c", "invest", "30.00"),
        ("d", "invest", "30.00"),
        ("c", "pm25", "30.00"),
        ("a", "pm25", "28.50"),
        ("d", "pm25", "28.50"),
        ("b", "pm25", "25.50"),
    ] {
        assert_eq!(points(&r, unit, ind), want, "{unit} on {ind}");
    }
    let s = |name: &str, rank, total: &str, tier: &str| {
        (name.to_string(), rank, total.to_string(), tier.to_string())
    };
    assert_eq!(
        table(&r.groups[0]),
        vec![
            s("甲县", 1, "100.10", "第一方阵"),
            s("丙县", 2, "100.10", "第二方阵"),
            s("乙县", 3, "88.50", "第二方阵"),
            s("丁县", 4, "84.17", "第三方阵"),
        ]
    );
}

#[test]
fn departments_scale_to_full_marks_and_veto_goes_last_with_shared_ranks() {
    let r = mini();
    assert_eq!(points(&r, "x", "satisfaction"), "40.67");
    assert_eq!(points(&r, "y", "satisfaction"), "39.67");
    assert_eq!(points(&r, "x", "project"), "16.00");
    let s = |name: &str, rank, total: &str, tier: &str| {
        (name.to_string(), rank, total.to_string(), tier.to_string())
    };
    assert_eq!(
        table(&r.groups[1]),
        vec![
            s("市环保局", 1, "39.80", "良好"),
            s("市水务局", 1, "39.80", "良好"),
            s("市发改局", 3, "97.22", "一般")
        ]
    );
    let x = &r.groups[1].units[2];
    assert!(x.vetoed);
    assert_eq!(x.points.to_string(), "116.67");
    assert_eq!(x.full_weight, 120.0);
}

#[test]
fn statuses_and_warnings_red_first() {
    let r = mini();
    let status = |unit: &str, ind: &str| {
        let u = r
            .groups
            .iter()
            .flat_map(|g| &g.units)
            .find(|u| u.id == unit)
            .unwrap();
        u.cells
            .iter()
            .find(|c| &*c.indicator == ind)
            .unwrap()
            .status
    };
    assert_eq!(status("a", "gdp"), Status::Met);
    assert_eq!(status("b", "gdp"), Status::Near); // exactly 90%: not below the yellow line
    assert_eq!(status("d", "gdp"), Status::SeverelyLagging);
    assert_eq!(status("b", "invest"), Status::Lagging);
    assert_eq!(status("b", "pm25"), Status::Near); // 30 / 32 = 93.75%
    let w: Vec<(String, String)> = r
        .warnings
        .iter()
        .map(|w| {
            (
                format!("{:?}", w.level),
                jingbiao::report::warnings::sentence(w, jingbiao::report::Lang::Zh),
            )
        })
        .collect();
    assert_eq!(
        w,
        vec![
            (
                "Red".into(),
                "丁县「地区生产总值增速」4.0%，目标6.0%，完成率66.67%".into()
            ),
            (
                "Yellow".into(),
                "乙县「固定资产投资额」30.0亿元，序时目标40.0亿元，完成率75.00%".into()
            ),
            (
                "Yellow".into(),
                "市发改局「牵头项目投资」40.0亿元，序时目标50.0亿元，完成率80.00%".into()
            ),
        ]
    );
}

#[test]
fn half_even_rounding_changes_the_published_total() {
    // The same campaign under GB/T 8170: the 0.125 bonus is published as 0.12.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let scratch = common::Scratch::new("half-even");
    let dir = &scratch.0;
    common::copy_tree(&root, dir);
    let campaign = std::fs::read_to_string(dir.join("rules/campaign.toml")).unwrap();
    std::fs::write(
        dir.join("rules/campaign.toml"),
        campaign.replace("half-away-from-zero", "half-even"),
    )
    .unwrap();
    let r = score(&dir.join("rules"), &dir.join("data"));
    assert_eq!(r.groups[1].units[0].total.to_string(), "39.79");
    assert_eq!(
        r.groups[1].units[0].adjustments[0].points.to_string(),
        "0.12"
    );
    assert_eq!(r.groups[1].units[2].total.to_string(), "97.22");
}

#[test]
fn a_unit_exactly_on_its_time_progress_target_has_met_it() {
    // 42 × 45% is 18.900000000000002 in binary; on paper it is 18.9, which 甲县 reported.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let scratch = common::Scratch::new("exact-expected");
    let dir = &scratch.0;
    common::copy_tree(&root, dir);
    let edit = |file: &str, from: &str, to: &str| {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit(
        "rules/indicators.toml",
        "method = { type = \"efficacy\", high = \"target\", low = 0 }",
        "schedule = [20, 45, 75, 100]\nmethod = { type = \"completion\", mode = \"all-or-nothing\" }",
    );
    edit("rules/targets.csv", "a,invest,100,", "a,invest,42,");
    edit("data/2023-Q2/metrics.csv", "a,invest,55", "a,invest,18.9");
    let r = score(&dir.join("rules"), &dir.join("data"));
    assert_eq!(points(&r, "a", "invest"), "30.00");
    let a = r.groups[0].units.iter().find(|u| u.id == "a").unwrap();
    let cell = a.cells.iter().find(|c| &*c.indicator == "invest").unwrap();
    assert_eq!((cell.expected, cell.status), (18.9, Status::Met));
}
