//! The league tables of a period: one per group (rank, unit, total, category subtotals,
//! adjustments, tier, movement, warnings), then the warnings, red first.

use rust_decimal::Decimal;

use super::{Document, Grid};
use crate::result::{Level, PeriodResult, UnitResult};
use crate::rounding::format_fixed;

pub fn document(result: &PeriodResult) -> Document {
    let mut d = Document::new(format!(
        "{} · {}（{}）",
        result.campaign, result.period_label, result.period
    ));
    for g in &result.groups {
        d.heading(format!("【{}】{} 个单位", g.name, g.units.len()));
        let mut grid = grid(result);
        grid.headings.remove(0);
        grid.numeric.remove(0);
        for u in &g.units {
            grid.rows.push(row(result, u));
        }
        d.table(grid);
    }
    d.heading(format!("预警：{}", summary(result)));
    d.lines(
        result
            .warnings
            .iter()
            .map(|w| format!("[{}] {}", w.level.label_zh(), w.message))
            .collect(),
    );
    d
}

/// All groups in one table, with the group as the first column.
pub fn flat(result: &PeriodResult) -> Grid {
    let mut grid = grid(result);
    for g in &result.groups {
        for u in &g.units {
            let mut r = vec![g.name.clone()];
            r.extend(row(result, u));
            grid.rows.push(r);
        }
    }
    grid
}

fn has_previous(result: &PeriodResult) -> bool {
    result
        .groups
        .iter()
        .flat_map(|g| &g.units)
        .any(|u| u.movement.previous.is_some())
}

fn has_year_earlier(result: &PeriodResult) -> bool {
    result
        .groups
        .iter()
        .flat_map(|g| &g.units)
        .any(|u| u.movement.year_earlier.is_some())
}

/// Headings (with the group column first) and alignment.
fn grid(result: &PeriodResult) -> Grid {
    let mut h = vec![
        "分组".to_string(),
        "排名".into(),
        "单位".into(),
        "总分".into(),
    ];
    let mut n = vec![false, true, false, true];
    for c in &result.categories {
        h.push(c.name.clone());
        n.push(true);
    }
    h.extend(["加减分".into(), "等次".into()]);
    n.extend([true, false]);
    if has_previous(result) {
        h.push("环比".into());
        n.push(false);
    }
    if has_year_earlier(result) {
        h.push("同比".into());
        n.push(false);
    }
    h.push("预警".into());
    n.push(false);
    Grid::new(h, n)
}

fn row(result: &PeriodResult, u: &UnitResult) -> Vec<String> {
    let d = result.decimals;
    let mut r = vec![u.rank.to_string(), u.name.clone(), format_fixed(u.total, d)];
    r.extend(
        u.categories
            .iter()
            .map(|c| c.map_or("—".to_string(), |v| format_fixed(v, d))),
    );
    r.push(adjustments(u, d));
    r.push(u.tier.clone().unwrap_or_else(|| "—".into()));
    let arrow =
        |c: &Option<crate::result::Change>| c.as_ref().map_or("—".to_string(), |c| c.arrow());
    if has_previous(result) {
        r.push(arrow(&u.movement.previous));
    }
    if has_year_earlier(result) {
        r.push(arrow(&u.movement.year_earlier));
    }
    r.push(warning_counts(result, u));
    r
}

fn adjustments(u: &UnitResult, decimals: u32) -> String {
    let sum: Decimal = u.adjustments.iter().map(|a| a.points).sum();
    let mut s = if sum.is_zero() {
        String::new()
    } else if sum > Decimal::ZERO {
        format!("+{}", format_fixed(sum, decimals))
    } else {
        format_fixed(sum, decimals)
    };
    if u.vetoed {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str("一票否决");
    }
    if s.is_empty() {
        "—".into()
    } else {
        s
    }
}

/// The unit's warnings this period: "红2 黄1", or "未报送".
fn warning_counts(result: &PeriodResult, u: &UnitResult) -> String {
    if !u.submitted {
        return "未报送".into();
    }
    let mine = result.warnings.iter().filter(|w| w.unit == u.id);
    let (red, yellow) = mine.fold((0, 0), |(r, y), w| match w.level {
        Level::Red => (r + 1, y),
        Level::Yellow => (r, y + 1),
    });
    match (red, yellow) {
        (0, 0) => "—".into(),
        (r, 0) => format!("红{r}"),
        (0, y) => format!("黄{y}"),
        (r, y) => format!("红{r} 黄{y}"),
    }
}

/// "红色预警 N 项，黄色预警 M 项".
pub fn summary(result: &PeriodResult) -> String {
    let red = result
        .warnings
        .iter()
        .filter(|w| w.level == Level::Red)
        .count();
    let yellow = result.warnings.len() - red;
    format!("红色预警 {red} 项，黄色预警 {yellow} 项")
}
