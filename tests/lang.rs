//! `--lang en` gives English throughout: every report command on the bundled example prints
//! no Chinese once the names the rules and data give (units, groups, categories, indicators,
//! items, tiers, units of measure, escalation steps, the campaign, and the reasons the
//! campaign's adjustment script gives) are taken out. Chinese stays the default.

mod common;

use calamine::Reader;
use common::run;
use serde_json::Value;

/// Every name the rules and data give, longest first, from the example's JSON.
fn names() -> Vec<String> {
    let r = run(&["score", "--format", "json", "--cells"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let mut out = vec![v["campaign"].as_str().unwrap().to_string()];
    let mut push = |x: &Value| {
        if let Some(s) = x.as_str() {
            out.push(s.to_string());
        }
    };
    for k in v["categories"].as_array().unwrap() {
        push(&k["name"]);
    }
    for g in v["groups"].as_array().unwrap() {
        push(&g["name"]);
        for u in g["units"].as_array().unwrap() {
            push(&u["name"]);
            push(&u["tier"]);
            for c in u["cells"].as_array().unwrap() {
                push(&c["name"]);
            }
            // Bonus, penalty and veto reasons: written by the rules' Rhai script.
            for a in u["adjustments"].as_array().unwrap() {
                push(&a["reason"]);
            }
        }
    }
    for w in v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["closed"].as_array().unwrap())
    {
        for f in ["measure", "escalation", "indicator_name", "item_title"] {
            push(&w[f]);
        }
    }
    for i in v["items"].as_array().unwrap() {
        push(&i["title"]);
    }
    // Escalation steps of the campaign (the rules' own words), and measures of every
    // indicator, as the rules give them.
    let toml = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/zhanjiang-2023/campaign.toml"),
    )
    .unwrap();
    for line in toml.lines().filter(|l| l.contains("action")) {
        if let Some(s) = line.split('"').nth(1) {
            out.push(s.to_string());
        }
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    out.dedup();
    out
}

/// The units of measure of every indicator, as the rules give them (`unit = "人"` in
/// indicators.toml). Some are one character, so they are taken out only after a figure.
fn measures() -> Vec<String> {
    let toml = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("rules/zhanjiang-2023/indicators.toml"),
    )
    .unwrap();
    let mut out: Vec<String> = toml
        .lines()
        .filter(|l| l.trim_start().starts_with("unit ="))
        .filter_map(|l| l.split('"').nth(1))
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    out.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    out.dedup();
    out
}

/// `line` without `measure` where it follows a digit.
fn strip_after_digits(line: &str, measure: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(k) = rest.find(measure) {
        out.push_str(&rest[..k]);
        if !out.chars().next_back().is_some_and(|c| c.is_ascii_digit()) {
            out.push_str(measure);
        }
        rest = &rest[k + measure.len()..];
    }
    out.push_str(rest);
    out
}

fn has_chinese(s: &str) -> bool {
    jingbiao::report::lang::has_chinese(s)
}

#[test]
fn english_reports_hold_no_chinese_but_the_rules_names() {
    let names = names();
    let measures = measures();
    let commands: &[&[&str]] = &[
        &["score", "--lang", "en"],
        &["score", "--lang", "en", "--format", "md"],
        &["score", "--lang", "en", "--format", "csv"],
        &["score", "--lang", "en", "--format", "html"],
        &["warnings", "--closed", "--lang", "en"],
        &["items", "--lang", "en"],
        &["trend", "--lang", "en"],
        &["trend", "leizhou", "--lang", "en"],
        &["score", "--period", "2023-Q1", "--lang", "en"],
        &["explain", "leizhou", "--lang", "en"],
        // Vetoed.
        &["explain", "mazhang", "--lang", "en"],
        // Sent nothing.
        &["explain", "water", "--lang", "en"],
        &[
            "diff",
            "rules/zhanjiang-2023",
            "rules/zhanjiang-2023",
            "--lang",
            "en",
        ],
    ];
    let mut bad = Vec::new();
    let mut check = |what: String, line: &str| {
        let mut rest = line.to_string();
        for n in &names {
            rest = rest.replace(n.as_str(), "");
        }
        for m in &measures {
            rest = strip_after_digits(&rest, m);
        }
        if has_chinese(&rest) {
            bad.push(format!("{what}: {line}"));
        }
    };
    for args in commands {
        let r = run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        for line in r.stdout.lines() {
            check(format!("{args:?}"), line);
        }
    }
    // The Excel bulletin: every sheet name and every text cell.
    let scratch = common::Scratch::new("lang-xlsx");
    let out = scratch.0.join("en.xlsx");
    let r = run(&[
        "score",
        "--lang",
        "en",
        "--format",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let mut texts = 0;
    for sheet in wb.sheet_names() {
        check(format!("xlsx sheet name `{sheet}`"), &sheet);
        let range = wb.worksheet_range(&sheet).unwrap();
        for cell in range.used_cells() {
            if let calamine::Data::String(text) = cell.2 {
                texts += 1;
                check(format!("xlsx sheet `{sheet}`"), text);
            }
        }
    }
    assert!(
        texts > 100,
        "only {texts} text cells read from the workbook"
    );
    assert!(
        bad.is_empty(),
        "Chinese left in English output:\n{}",
        bad.join("\n")
    );
}

#[test]
fn chinese_stays_the_default() {
    let zh = run(&["warnings"]).stdout;
    assert!(zh.contains("预警跟踪"), "{zh}");
    assert!(zh.contains("完成率55.00%"), "{zh}");
    let en = run(&["warnings", "--lang", "en"]).stdout;
    assert!(en.contains("completion 55.00%"), "{en}");
}

#[test]
fn explain_in_english_tells_the_veto_the_tie_and_the_scaling() {
    let mini = [
        "--rules",
        "tests/fixtures/mini/rules",
        "--data",
        "tests/fixtures/mini/data",
        "--lang",
        "en",
    ];
    let x = run(&[&["explain", "x"][..], &mini].concat());
    assert_eq!(x.code, 0, "{}", x.stderr);
    assert!(
        x.stdout
            .contains("Rank 3 of 3 units (ranked by total). Vetoed: ranked after every unit"),
        "{}",
        x.stdout
    );
    assert!(
        x.stdout.contains("each category scaled × 100 ÷ 120."),
        "{}",
        x.stdout
    );
    let y = run(&[&["explain", "y"][..], &mini].concat());
    assert!(
        y.stdout
            .contains("Tied with 市水务局: equal on every ranking key"),
        "{}",
        y.stdout
    );
    assert!(
        y.stdout.contains("良好 (良好: total ≥ 35; 一般: the rest)"),
        "{}",
        y.stdout
    );
}
