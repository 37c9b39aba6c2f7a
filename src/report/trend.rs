//! Ranks, totals and tiers across periods: for a group, one row per unit and a column per
//! period; for one unit, one row per period.

use serde::Serialize;

use super::{Document, Grid};
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

fn source(p: &Point) -> &'static str {
    if p.published {
        "已发布"
    } else {
        "按现行规则计算"
    }
}

/// A group's units (in the latest period's order) against the periods.
pub fn group_document(points: &[Point], group: Option<&str>) -> (Document, Grid) {
    let last = points.last().expect("at least one period").result;
    let mut d = Document::new(format!("{} · 排名走势", last.campaign));
    let mut flat = Grid::new(vec!["分组".into(), "单位".into()], vec![false, false]);
    for p in points {
        flat.headings.push(p.result.period.clone());
        flat.numeric.push(true);
    }
    for g in last
        .groups
        .iter()
        .filter(|g| group.is_none_or(|x| x == g.id))
    {
        d.heading(format!("【{}】排名（总分）", g.name));
        let mut grid = Grid::new(vec!["单位".into()], vec![false]);
        for p in points {
            grid.headings.push(format!(
                "{}{}",
                p.result.period,
                if p.published { "" } else { "*" }
            ));
            grid.numeric.push(true);
        }
        for u in &g.units {
            let cells: Vec<Option<&UnitResult>> = points
                .iter()
                .map(|p| {
                    p.result
                        .groups
                        .iter()
                        .filter(|x| x.id == g.id)
                        .flat_map(|x| &x.units)
                        .find(|x| x.id == u.id)
                })
                .collect();
            let mut r = vec![u.name.clone()];
            let mut f = vec![g.name.clone(), u.name.clone()];
            for (p, c) in points.iter().zip(&cells) {
                r.push(c.map_or("—".into(), |c| {
                    format!("{}（{}）", c.rank, format_fixed(c.total, p.result.decimals))
                }));
                f.push(c.map_or("—".into(), |c| c.rank.to_string()));
            }
            grid.rows.push(r);
            flat.rows.push(f);
        }
        d.table(grid);
    }
    if points.iter().any(|p| !p.published) {
        d.lines(vec!["* 未发布，按现行规则和数据计算".into()]);
    }
    (d, flat)
}

/// One unit, period by period.
pub fn unit_document(points: &[Point], unit: &str) -> (Document, Grid) {
    let last = points.last().expect("at least one period").result;
    let name = last
        .groups
        .iter()
        .flat_map(|g| &g.units)
        .find(|u| u.id == unit)
        .map_or(unit, |u| u.name.as_str());
    let mut d = Document::new(format!("{} · {} 排名走势", last.campaign, name));
    let mut grid = Grid::new(
        [
            "期别", "排名", "总分", "等次", "环比", "同比", "预警", "来源",
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
        let arrow =
            |c: &Option<crate::result::Change>| c.as_ref().map_or(String::new(), |c| c.arrow());
        grid.rows.push(vec![
            p.result.period.clone(),
            u.rank.to_string(),
            format_fixed(u.total, p.result.decimals),
            u.tier.clone().unwrap_or_else(|| "—".into()),
            arrow(&u.movement.previous),
            arrow(&u.movement.year_earlier),
            p.result
                .warnings
                .iter()
                .filter(|w| w.unit == unit)
                .count()
                .to_string(),
            source(p).into(),
        ]);
    }
    d.table(grid.clone());
    (d, grid)
}
