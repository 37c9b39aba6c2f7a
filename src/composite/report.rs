//! Rendering composite results and rank uncertainty: a terminal table, Markdown, CSV and JSON.
//! Pure functions from results to text.

use comfy_table::{presets, CellAlignment, ContentArrangement, Table};
use rust_decimal::Decimal;
use serde::Serialize;

use super::eval::Outcome;
use super::model::{Data, Impute, Model};
use super::outliers::Treatment;
use super::sensitivity::Analysis;
use crate::report::Format;
use crate::rounding::{format_fixed, round, RoundingMode};

fn fixed(x: Option<f64>, decimals: u32) -> String {
    x.map_or("—".to_string(), |v| {
        format_fixed(round(v, decimals, RoundingMode::HalfAwayFromZero), decimals)
    })
}

/// Units in rank order (unranked last, in data order).
fn order(outcome: &Outcome) -> Vec<usize> {
    let mut k: Vec<usize> = (0..outcome.units.len()).collect();
    k.sort_by_key(|&k| (outcome.ranks[k].unwrap_or(u32::MAX), k));
    k
}

fn describe(model: &Model, data: &Data, outcome: &Outcome) -> Vec<String> {
    let p = &model.pipeline;
    let mut lines = Vec::new();
    let mut steps = Vec::new();
    if p.denominate {
        steps.push("denominate 分母化".to_string());
    }
    match &p.impute {
        Impute::None => {}
        Impute::Mean => steps.push(format!("impute 插补: mean ({} values)", outcome.imputed)),
        Impute::Median => steps.push(format!("impute 插补: median ({} values)", outcome.imputed)),
        Impute::GroupMean { group } => steps.push(format!(
            "impute 插补: mean of {group} ({} values)",
            outcome.imputed
        )),
        Impute::GroupMedian { group } => steps.push(format!(
            "impute 插补: median of {group} ({} values)",
            outcome.imputed
        )),
    }
    if let Some(t) = p.min_availability {
        steps.push(format!(
            "screen 筛选: ≥{}% data ({} left out)",
            t * 100.0,
            outcome.screened_out.len()
        ));
    }
    steps.push(format!("normalise 标准化: {}", p.normalise.label()));
    steps.push(format!("aggregate 加权: {}", p.aggregate.label()));
    lines.push(steps.join(" · "));
    for b in &data.branches {
        lines.push(format!(
            "branch 分支: {} ← {} {} {} ({} of {} units found)",
            model.nodes[b.node].code,
            b.campaign,
            b.period,
            b.value.label(),
            b.matched,
            data.unit_count()
        ));
    }
    if p.outliers.is_some() {
        let mut win = Vec::new();
        let mut logs = Vec::new();
        for (i, t) in outcome.treatments.iter().enumerate() {
            match t {
                Some(Treatment::Winsorised { points }) => {
                    win.push(format!("{} ({points})", model.nodes[i].code))
                }
                Some(Treatment::Log) => logs.push(model.nodes[i].code.clone()),
                _ => {}
            }
        }
        lines.push(format!(
            "outliers 异常值: {} winsorised{}{}; {} log-transformed{}",
            win.len(),
            if win.is_empty() { "" } else { ": " },
            win.join(", "),
            logs.len(),
            if logs.is_empty() {
                String::new()
            } else {
                format!(": {}", logs.join(", "))
            }
        ));
    }
    if !outcome.screened_out.is_empty() {
        let names: Vec<&str> = outcome
            .screened_out
            .iter()
            .map(|&u| data.unit_codes[u].as_str())
            .collect();
        lines.push(format!("left out 未参评: {}", names.join(", ")));
    }
    lines
}

fn header(model: &Model) -> Vec<String> {
    let mut h = vec!["排名".to_string(), "代码".into(), "单位".into()];
    h.extend(
        model
            .aggregates_top_down()
            .iter()
            .map(|&i| model.nodes[i].code.clone()),
    );
    h
}

fn rows(model: &Model, data: &Data, outcome: &Outcome) -> Vec<Vec<String>> {
    let aggs = model.aggregates_top_down();
    order(outcome)
        .into_iter()
        .map(|k| {
            let u = outcome.units[k];
            let mut r = vec![
                outcome.ranks[k].map_or("—".into(), |r| r.to_string()),
                data.unit_codes[u].clone(),
                data.unit_names[u].clone(),
            ];
            r.extend(
                aggs.iter()
                    .map(|&i| fixed(outcome.scores[i][k], model.decimals)),
            );
            r
        })
        .collect()
}

fn terminal(head: Vec<String>, body: Vec<Vec<String>>, right: &[usize]) -> String {
    let mut t = Table::new();
    t.load_preset(presets::ASCII_BORDERS_ONLY_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(head);
    for r in body {
        t.add_row(r);
    }
    for &i in right {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t.to_string()
}

fn markdown(head: &[String], body: &[Vec<String>], right: &[usize]) -> String {
    let esc = |s: &str| s.replace('|', "\\|");
    let mut s = format!(
        "| {} |\n|{}\n",
        head.iter().map(|h| esc(h)).collect::<Vec<_>>().join(" | "),
        (0..head.len())
            .map(|i| if right.contains(&i) { "---:|" } else { "---|" })
            .collect::<String>()
    );
    for r in body {
        s.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    s
}

/// Prefixes a `'` to text a spreadsheet would take for a formula.
fn defuse(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn csv_text(head: &[String], body: &[Vec<String>]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(head.iter().map(|h| defuse(h)));
    for r in body {
        let _ = w.write_record(
            r.iter()
                .map(|c| if c == "—" { String::new() } else { defuse(c) }),
        );
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[derive(Serialize)]
struct JsonScore<'a> {
    code: &'a str,
    name: &'a str,
    level: u32,
    score: Option<Decimal>,
}

#[derive(Serialize)]
struct JsonUnit<'a> {
    rank: Option<u32>,
    code: &'a str,
    name: &'a str,
    scores: Vec<JsonScore<'a>>,
}

#[derive(Serialize)]
struct JsonTreatment<'a> {
    indicator: &'a str,
    #[serde(flatten)]
    treatment: Treatment,
}

#[derive(Serialize)]
struct JsonResult<'a> {
    name: &'a str,
    period: &'a str,
    pipeline: &'a super::model::Pipeline,
    imputed: usize,
    screened_out: Vec<&'a str>,
    outliers: Vec<JsonTreatment<'a>>,
    units: Vec<JsonUnit<'a>>,
}

/// The composite index in the chosen format.
pub fn composite(model: &Model, data: &Data, outcome: &Outcome, format: Format) -> String {
    let right: Vec<usize> = (3..header(model).len()).chain([0]).collect();
    match format {
        // HTML and Excel are refused by the CLI before a composite is computed.
        Format::Table | Format::Html | Format::Xlsx => {
            let mut s = format!("{} · {}\n", model.name, data.period);
            for l in describe(model, data, outcome) {
                s.push_str(&format!("{l}\n"));
            }
            s.push('\n');
            s.push_str(&terminal(header(model), rows(model, data, outcome), &right));
            s.push('\n');
            s
        }
        Format::Md => {
            let mut s = format!("# {} · {}\n\n", model.name, data.period);
            for l in describe(model, data, outcome) {
                s.push_str(&format!("- {l}\n"));
            }
            s.push('\n');
            s.push_str(&markdown(
                &header(model),
                &rows(model, data, outcome),
                &right,
            ));
            s
        }
        Format::Csv => csv_text(&header(model), &rows(model, data, outcome)),
        Format::Json => {
            let d = model.decimals;
            let units = order(outcome)
                .into_iter()
                .map(|k| {
                    let u = outcome.units[k];
                    JsonUnit {
                        rank: outcome.ranks[k],
                        code: &data.unit_codes[u],
                        name: &data.unit_names[u],
                        scores: model
                            .aggregates_top_down()
                            .into_iter()
                            .map(|i| JsonScore {
                                code: &model.nodes[i].code,
                                name: &model.nodes[i].name,
                                level: model.nodes[i].level,
                                score: outcome.scores[i][k]
                                    .map(|v| round(v, d, RoundingMode::HalfAwayFromZero)),
                            })
                            .collect(),
                    }
                })
                .collect();
            let outliers = outcome
                .treatments
                .iter()
                .enumerate()
                .filter_map(|(i, t)| {
                    t.map(|t| JsonTreatment {
                        indicator: &model.nodes[i].code,
                        treatment: t,
                    })
                })
                .collect();
            let r = JsonResult {
                name: &model.name,
                period: &data.period,
                pipeline: &model.pipeline,
                imputed: outcome.imputed,
                screened_out: outcome
                    .screened_out
                    .iter()
                    .map(|&u| data.unit_codes[u].as_str())
                    .collect(),
                outliers,
                units,
            };
            let mut s = serde_json::to_string_pretty(&r).unwrap_or_default();
            s.push('\n');
            s
        }
    }
}

fn one(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{v:.1}"))
}

fn uncertainty_rows(a: &Analysis) -> Vec<Vec<String>> {
    let mut k: Vec<usize> = (0..a.units.len()).collect();
    k.sort_by_key(|&k| (a.units[k].nominal.unwrap_or(u32::MAX), k));
    k.into_iter()
        .map(|k| {
            let u = &a.units[k];
            vec![
                u.code.clone(),
                u.name.clone(),
                u.nominal.map_or("—".into(), |r| r.to_string()),
                one(u.median),
                one(u.p05),
                one(u.p95),
            ]
        })
        .collect()
}

fn uncertainty_header() -> Vec<String> {
    ["代码", "单位", "名义排名", "中位排名", "P5", "P95"]
        .map(String::from)
        .to_vec()
}

fn drop_header() -> Vec<String> {
    [
        "剔除指标",
        "名称",
        "平均位次变化",
        "最大位次变化",
        "影响最大的单位",
    ]
    .map(String::from)
    .to_vec()
}

fn drop_rows(a: &Analysis) -> Vec<Vec<String>> {
    a.dropped
        .iter()
        .map(|d| {
            vec![
                d.code.clone(),
                d.name.clone(),
                format!("{:.2}", d.mean_abs_shift),
                d.max_abs_shift.to_string(),
                if d.most_affected.is_empty() {
                    "—".into()
                } else {
                    d.most_affected.join(" ")
                },
            ]
        })
        .collect()
}

fn settings(a: &Analysis) -> String {
    format!(
        "{} runs, seed {} · weights ±{}% · normalise: {} · aggregate: {} · imputation: {}",
        a.runs,
        a.seed,
        a.weight_share * 100.0,
        a.normalise.join(" | "),
        a.aggregate.join(" | "),
        if a.vary_impute { "on | off" } else { "on" }
    )
}

/// The rank-uncertainty analysis in the chosen format.
pub fn sensitivity(model: &Model, data: &Data, a: &Analysis, format: Format) -> String {
    match format {
        // HTML and Excel are refused by the CLI before a composite is computed.
        Format::Table | Format::Html | Format::Xlsx => format!(
            "{} · {} · 排名不确定性 rank uncertainty\n{}\n\n{}\n\n逐一剔除指标 rank shift when each indicator is dropped (nominal pipeline)\n{}\n",
            model.name,
            data.period,
            settings(a),
            terminal(uncertainty_header(), uncertainty_rows(a), &[2, 3, 4, 5]),
            terminal(drop_header(), drop_rows(a), &[2, 3]),
        ),
        Format::Md => format!(
            "# {} · {} · 排名不确定性\n\n{}\n\n{}\n## 逐一剔除指标\n\n{}",
            model.name,
            data.period,
            settings(a),
            markdown(&uncertainty_header(), &uncertainty_rows(a), &[2, 3, 4, 5]),
            markdown(&drop_header(), &drop_rows(a), &[2, 3]),
        ),
        Format::Csv => {
            // One row per unit: its interval, then its shift when each indicator is dropped.
            let mut head = ["code", "name", "nominal_rank", "median_rank", "p05", "p95"]
                .map(String::from)
                .to_vec();
            head.extend(a.dropped.iter().map(|d| format!("drop:{}", d.code)));
            let body: Vec<Vec<String>> = a
                .units
                .iter()
                .enumerate()
                .map(|(k, u)| {
                    let mut r = vec![
                        u.code.clone(),
                        u.name.clone(),
                        u.nominal.map_or(String::new(), |r| r.to_string()),
                        u.median.map_or(String::new(), |v| v.to_string()),
                        u.p05.map_or(String::new(), |v| v.to_string()),
                        u.p95.map_or(String::new(), |v| v.to_string()),
                    ];
                    r.extend(
                        a.dropped
                            .iter()
                            .map(|d| d.shifts[k].map_or(String::new(), |s| s.to_string())),
                    );
                    r
                })
                .collect();
            csv_text(&head, &body)
        }
        Format::Json => {
            let mut s = serde_json::to_string_pretty(a).unwrap_or_default();
            s.push('\n');
            s
        }
    }
}
