//! The bulletins as a person would open them: the Excel workbook read back cell by cell (and
//! its frozen panes and number formats from the file's XML), the HTML page's structure and
//! escaping, English labels, and the refusals (a workbook never goes to a terminal).

mod common;

use std::io::Read;
use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::*;

fn ok(args: &[&str]) -> String {
    let r = run(args);
    assert_eq!(r.code, 0, "jingbiao {}\n{}", args.join(" "), r.stderr);
    assert_eq!(
        r.stderr, "",
        "nothing on stderr when piped: no progress bar"
    );
    r.stdout
}

/// One file of the workbook's zip, as text.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

#[test]
fn xlsx_needs_out_and_never_goes_to_a_terminal() {
    let r = run(&["score", "--format", "xlsx"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("needs `--out FILE`"), "{}", r.stderr);
    let r = run(&["check", "--format", "html"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not available for `jingbiao check`"));
}

#[test]
fn xlsx_bulletin_reads_back() {
    let scratch = Scratch::new("xlsx");
    let path = scratch.0.join("通报.xlsx");
    let p = path.to_str().unwrap();
    let r = run(&["score", "--format", "xlsx", "--out", p]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));

    let json: serde_json::Value =
        serde_json::from_str(&ok(&["score", "--format", "json", "--cells"])).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let mut expected_sheets: Vec<String> = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap().to_string())
        .collect();
    expected_sheets.extend(["预警".to_string(), "单位得分明细".to_string()]);
    assert_eq!(wb.sheet_names(), expected_sheets);

    // Each league table: headings in row 2, then every unit with its rank and total as
    // numbers, in rank order.
    for (s, g) in json["groups"].as_array().unwrap().iter().enumerate() {
        let range = wb.worksheet_range(&expected_sheets[s]).unwrap();
        assert!(text(range.get((0, 0)).unwrap()).contains("2023-Q2"));
        let heads: Vec<String> = (0..4).map(|c| text(range.get((1, c)).unwrap())).collect();
        assert_eq!(heads, ["排名", "单位", "总分", "经济发展"]);
        for (i, u) in g["units"].as_array().unwrap().iter().enumerate() {
            assert_eq!(
                range.get((2 + i, 0)),
                Some(&Data::Float(u["rank"].as_f64().unwrap()))
            );
            assert_eq!(
                text(range.get((2 + i, 1)).unwrap()),
                u["name"].as_str().unwrap()
            );
            let total: f64 = u["total"].as_str().unwrap().parse().unwrap();
            assert_eq!(range.get((2 + i, 2)), Some(&Data::Float(total)));
        }
        assert_eq!(range.get_size().0, 2 + g["units"].as_array().unwrap().len());
    }

    // The warnings, red first, one row each.
    let warnings = json["warnings"].as_array().unwrap();
    let range = wb.worksheet_range("预警").unwrap();
    assert_eq!(range.get_size().0, 2 + warnings.len());
    assert_eq!(text(range.get((2, 0)).unwrap()), "红色预警");
    // The sentence is rendered from the warning's facts, as the table report renders it.
    let first: jingbiao::result::Warning = serde_json::from_value(warnings[0].clone()).unwrap();
    assert_eq!(
        text(range.get((2, 7)).unwrap()),
        jingbiao::report::warnings::sentence(&first, jingbiao::report::Lang::Zh)
    );
    assert_eq!(
        text(range.get((2, 7)).unwrap()),
        "坡头区「红树林营造面积」22.0公顷，序时目标40.0公顷，完成率55.00%"
    );

    // One row per unit and indicator.
    let cells: usize = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["units"].as_array().unwrap())
        .map(|u| u["cells"].as_array().unwrap().len())
        .sum();
    let range = wb.worksheet_range("单位得分明细").unwrap();
    assert_eq!(range.get_size().0, 2 + cells);

    // What calamine does not show: frozen headings, the campaign's two decimals, the
    // colours of tiers and warnings.
    let sheet1 = part(&path, "xl/worksheets/sheet1.xml");
    assert!(
        sheet1.contains(r#"ySplit="2""#) && sheet1.contains(r#"state="frozen""#),
        "{sheet1}"
    );
    let styles = part(&path, "xl/styles.xml");
    assert!(styles.contains(r#"formatCode="0.00""#), "{styles}");
    assert!(styles.contains(r#"formatCode="0.00%""#));
    for fill in ["FFE6F4EA", "FFE8F0FE", "FFF8D7DA", "FFFFF3CD"] {
        assert!(styles.contains(fill), "fill {fill}");
    }

    // The same inputs give the same bytes.
    let again = scratch.0.join("again.xlsx");
    ok(&[
        "score",
        "--format",
        "xlsx",
        "--out",
        again.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(&again).unwrap()
    );
}

#[test]
fn html_bulletin_is_self_contained() {
    let html = ok(&["score", "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<table class=\"league\">").count(), 2);
    assert_eq!(html.matches("<svg class=\"chart bars\"").count(), 2);
    assert_eq!(html.matches("<svg class=\"chart trend\"").count(), 2);
    assert!(html.contains("<table class=\"warnings\">"));
    assert!(html.contains("@page { size: A4"));
    assert!(html.contains("class=\"up\">↑") || html.contains("class=\"down\">↓"));
    // Every period since 2022-Q1 on the trend chart.
    for p in ["2022-Q1", "2022-Q4", "2023-Q1", "2023-Q2"] {
        assert!(html.contains(&format!(">{p}</text>")), "{p}");
    }
    for remote in ["http:", "https:", "src=", "@import", "url("] {
        assert!(!html.contains(remote), "loads nothing: {remote}");
    }
    assert_eq!(html, ok(&["score", "--format", "html"]), "deterministic");
    // One group only: one table and its charts.
    let county = ok(&["score", "--format", "html", "--group", "county"]);
    assert_eq!(county.matches("<table class=\"league\">").count(), 1);
}

#[test]
fn text_from_rules_and_data_is_escaped_and_defused() {
    let scratch = Scratch::new("escape");
    copy_tree(&fixtures().join("mini"), &scratch.0);
    let units = scratch.0.join("rules/units.csv");
    let csv = std::fs::read_to_string(&units).unwrap().replace(
        "a,甲县,",
        "a,\"<script>alert(1)</script>=HYPERLINK(\"\"x\"\")\",",
    );
    let csv = csv.replace("b,乙县,", "b,=1+2&<b>,");
    std::fs::write(&units, csv).unwrap();
    let r = run_in(&scratch.0, &["score", "rules", "data", "--format", "html"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("<script>alert"));
    assert!(r
        .stdout
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;=HYPERLINK(&quot;x&quot;)"));
    assert!(r.stdout.contains("=1+2&amp;&lt;b&gt;"));

    let r = run_in(&scratch.0, &["score", "rules", "data", "--format", "csv"]);
    assert!(r.stdout.contains(",'=1+2&<b>,"), "{}", r.stdout);

    let r = run_in(&scratch.0, &["score", "rules", "data", "--format", "md"]);
    assert!(r.stdout.contains("\\<script\\>"), "{}", r.stdout);

    let out = scratch.0.join("b.xlsx");
    let r = run_in(
        &scratch.0,
        &[
            "score", "rules", "data", "--format", "xlsx", "--out", "b.xlsx",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let first = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&first).unwrap();
    let names: Vec<String> = (2..range.get_size().0)
        .map(|r| text(range.get((r, 1)).unwrap()))
        .collect();
    assert!(
        names.contains(&"=1+2&<b>".to_string()),
        "a string, not a formula: {names:?}"
    );
    let sheet = part(&out, "xl/worksheets/sheet1.xml");
    assert!(!sheet.contains("<f>"), "no formulas in the workbook");
}

#[test]
fn english_labels() {
    let en = ok(&["score", "--lang", "en"]);
    insta::assert_snapshot!("example_q2_table_en", en);
    assert!(en.contains("| Rank") && en.contains("Total"));
    assert!(!en.contains("排名") && !en.contains("个单位"));
    let html = ok(&["score", "--lang", "en", "--format", "html"]);
    assert!(html.contains("<html lang=\"en\">") && html.contains("<th class=\"num\">Rank</th>"));
}

#[test]
fn other_reports_as_html_and_xlsx() {
    let html = ok(&["warnings", "--format", "html"]);
    assert!(html.contains("<table>") && html.contains("预警跟踪"));
    let scratch = Scratch::new("items-xlsx");
    let path = scratch.0.join("items.xlsx");
    ok(&["items", "--format", "xlsx", "--out", path.to_str().unwrap()]);
    let wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert!(!wb.sheet_names().is_empty());
}
