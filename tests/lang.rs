//! `--lang en` gives English throughout: every report command on the bundled example prints
//! no Chinese once the names the rules and data give (units, groups, categories, indicators,
//! items, tiers, units of measure, escalation steps, the campaign) are taken out. Chinese
//! stays the default.

mod common;

use common::run;
use serde_json::Value;

/// Every name the rules and data give, longest first, from the example's JSON.
fn names() -> Vec<String> {
    let r = run(&["score", "--format", "json"]);
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

fn has_chinese(s: &str) -> bool {
    jingbiao::report::lang::has_chinese(s)
}

#[test]
fn english_reports_hold_no_chinese_but_the_rules_names() {
    let names = names();
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
    ];
    let mut bad = Vec::new();
    for args in commands {
        let r = run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        for line in r.stdout.lines() {
            let mut rest = line.to_string();
            for n in &names {
                rest = rest.replace(n.as_str(), "");
            }
            if has_chinese(&rest) {
                bad.push(format!("{args:?}: {line}"));
            }
        }
    }
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
