//! Ranks, totals and tiers across periods: for a group, one row per unit and a column per
//! period; for one unit, one row per period.

use std::collections::HashMap;

use serde::Serialize;

use super::lang::msg;
use super::{Document, Grid, Lang};
use crate::result::{PeriodResult, UnitResult};
use crate::rounding::format_fixed;

/// One period as the trend sees it.
pub struct Point<'a> {
    pub result: &'a PeriodResult,
    /// Read from the published results (else scored now with the current rules).
    pub published: bool,
}

#[derive(Debug, Serialize)]
pub struct TrendRow<'a> {
    pub period: &'a str,
    pub published: bool,
    pub group: &'a str,
    pub unit: &'a str,
    pub name: &'a str,
    pub rank: u32,
    pub total: rust_decimal::Decimal,
    pub tier: Option<&'a str>,
}

/// Every unit in every period, for JSON; filtered to a group or a unit.
pub fn data<'a>(
    points: &'a [Point<'a>],
    group: Option<&str>,
    unit: Option<&str>,
) -> Vec<TrendRow<'a>> {
    let mut out = Vec::new();
    for p in points {
        for g in p
            .result
            .groups
            .iter()
            .filter(|g| group.is_none_or(|x| x == g.id))
        {
            for u in g.units.iter().filter(|u| unit.is_none_or(|x| x == u.id)) {
                out.push(TrendRow {
                    period: &p.result.period,
                    published: p.published,
                    group: &g.id,
                    unit: &u.id,
                    name: &u.name,
                    rank: u.rank,
                    total: u.total,
                    tier: u.tier.as_deref(),
                });
            }
        }
    }
    out
}

fn source(p: &Point, lang: Lang) -> &'static str {
    if p.published {
        lang.t("已发布")
    } else {
        lang.t("按现行规则计算")
    }
}

/// Each period's units by group and id, looked up once rather than searched per cell.
fn index<'a>(points: &[Point<'a>]) -> Vec<HashMap<(&'a str, &'a str), &'a UnitResult>> {
    points
        .iter()
        .map(|p| {
            p.result
                .groups
                .iter()
                .flat_map(|g| {
                    g.units
                        .iter()
                        .map(move |u| ((g.id.as_str(), u.id.as_str()), u))
                })
                .collect()
        })
        .collect()
}

/// A group's units (in the latest period's order) against the periods.
pub fn group_document(points: &[Point], group: Option<&str>, lang: Lang) -> (Document, Grid) {
    let last = points.last().expect("at least one period").result;
    let by_id = index(points);
    let mut d = Document::new(lang.fill(msg::TREND_TITLE, &[("campaign", &last.campaign)]));
    let mut flat = Grid::new(
        vec![lang.t("分组").into(), lang.t("单位").into()],
        vec![false, false],
    );
    for p in points {
        flat.headings.push(p.result.period.clone());
        flat.numeric.push(true);
    }
    for g in last
        .groups
        .iter()
        .filter(|g| group.is_none_or(|x| x == g.id))
    {
        d.heading(lang.fill(msg::TREND_GROUP, &[("group", &g.name)]));
        let mut grid = Grid::new(vec![lang.t("单位").into()], vec![false]);
        for p in points {
            grid.headings.push(format!(
                "{}{}",
                p.result.period,
                if p.published { "" } else { "*" }
            ));
            grid.numeric.push(true);
        }
        for u in &g.units {
            let mut r = vec![u.name.clone()];
            let mut f = vec![g.name.clone(), u.name.clone()];
            for (p, units) in points.iter().zip(&by_id) {
                let c = units.get(&(g.id.as_str(), u.id.as_str()));
                r.push(c.map_or("—".into(), |c| {
                    lang.fill(
                        msg::RANK_TOTAL,
                        &[
                            ("rank", &c.rank.to_string()),
                            ("total", &format_fixed(c.total, p.result.decimals)),
                        ],
                    )
                }));
                f.push(c.map_or("—".into(), |c| c.rank.to_string()));
            }
            grid.rows.push(r);
            flat.rows.push(f);
        }
        d.table(grid);
    }
    if points.iter().any(|p| !p.published) {
        d.lines(vec![lang.text(msg::TREND_SCORED_NOW).into()]);
    }
    (d, flat)
}

/// One unit, period by period.
pub fn unit_document(points: &[Point], unit: &str, lang: Lang) -> (Document, Grid) {
    let last = points.last().expect("at least one period").result;
    let name = last
        .groups
        .iter()
        .flat_map(|g| &g.units)
        .find(|u| u.id == unit)
        .map_or(unit, |u| u.name.as_str());
    let mut d = Document::new(lang.fill(
        msg::TREND_UNIT_TITLE,
        &[("campaign", &last.campaign), ("unit", name)],
    ));
    let mut grid = Grid::new(
        [
            lang.t("期别"),
            lang.t("排名"),
            lang.t("总分"),
            lang.t("等次"),
            lang.t("环比"),
            lang.t("同比"),
            lang.t("预警"),
            lang.t("来源"),
        ]
        .map(String::from)
        .to_vec(),
        vec![false, true, true, false, false, false, true, false],
    );
    for p in points {
        let Some(u) = p
            .result
            .groups
            .iter()
            .flat_map(|g| &g.units)
            .find(|u| u.id == unit)
        else {
            continue;
        };
        let arrow = |c: &Option<crate::result::Change>| {
            c.as_ref()
                .map_or(String::new(), |c| super::league::arrow(c, lang))
        };
        grid.rows.push(vec![
            p.result.period.clone(),
            u.rank.to_string(),
            format_fixed(u.total, p.result.decimals),
            u.tier.clone().unwrap_or_else(|| "—".into()),
            arrow(&u.movement.previous),
            arrow(&u.movement.year_earlier),
            u.open_warnings.to_string(),
            source(p, lang).into(),
        ]);
    }
    d.table(grid.clone());
    (d, grid)
}
