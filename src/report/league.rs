//! The league tables of a period: one per group (rank, unit, total, category subtotals,
//! adjustments, tier, movement, warnings), then the warnings, red first.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::{Document, Grid};
use crate::result::{Change, Level, PeriodResult, UnitResult};
use crate::rounding::format_fixed;

/// What every row needs to know about the whole result, worked out once.
struct Shape<'a> {
    result: &'a PeriodResult,
    previous: bool,
    year_earlier: bool,
    /// (red, yellow) warnings per unit id.
    warnings: HashMap<&'a str, (u32, u32)>,
}

impl<'a> Shape<'a> {
    fn of(result: &'a PeriodResult) -> Shape<'a> {
        let units = || result.groups.iter().flat_map(|g| &g.units);
        let mut warnings: HashMap<&str, (u32, u32)> = HashMap::new();
        for w in &result.warnings {
            let e = warnings.entry(w.unit.as_str()).or_default();
            match w.level {
                Level::Red => e.0 += 1,
                Level::Yellow => e.1 += 1,
            }
        }
        Shape {
            result,
            previous: units().any(|u| u.movement.previous.is_some()),
            year_earlier: units().any(|u| u.movement.year_earlier.is_some()),
            warnings,
        }
    }

    /// Headings (with the group column first) and alignment.
    fn grid(&self) -> Grid {
        let mut h = vec![
            "分组".to_string(),
            "排名".into(),
            "单位".into(),
            "总分".into(),
        ];
        let mut n = vec![false, true, false, true];
        for c in &self.result.categories {
            h.push(c.name.clone());
            n.push(true);
        }
        h.extend(["加减分".into(), "等次".into()]);
        n.extend([true, false]);
        if self.previous {
            h.push("环比".into());
            n.push(false);
        }
        if self.year_earlier {
            h.push("同比".into());
            n.push(false);
        }
        h.push("预警".into());
        n.push(false);
        Grid::new(h, n)
    }

    fn row(&self, u: &UnitResult) -> Vec<String> {
        let d = self.result.decimals;
        let mut r = vec![u.rank.to_string(), u.name.clone(), format_fixed(u.total, d)];
        r.extend(
            u.categories
                .iter()
                .map(|c| c.map_or("—".to_string(), |v| format_fixed(v, d))),
        );
        r.push(adjustments(u, d));
        r.push(u.tier.clone().unwrap_or_else(|| "—".into()));
        let arrow = |c: &Option<Change>| c.as_ref().map_or("—".to_string(), |c| c.arrow());
        if self.previous {
            r.push(arrow(&u.movement.previous));
        }
        if self.year_earlier {
            r.push(arrow(&u.movement.year_earlier));
        }
        r.push(self.warning_counts(u));
        r
    }

    /// The unit's warnings this period: "红2 黄1", or "未报送".
    fn warning_counts(&self, u: &UnitResult) -> String {
        if !u.submitted {
            return "未报送".into();
        }
        match self
            .warnings
            .get(u.id.as_str())
            .copied()
            .unwrap_or_default()
        {
            (0, 0) => "—".into(),
            (r, 0) => format!("红{r}"),
            (0, y) => format!("黄{y}"),
            (r, y) => format!("红{r} 黄{y}"),
        }
    }
}

pub fn document(result: &PeriodResult) -> Document {
    let shape = Shape::of(result);
    let mut d = Document::new(format!(
        "{} · {}（{}）",
        result.campaign, result.period_label, result.period
    ));
    for g in &result.groups {
        d.heading(format!("【{}】{} 个单位", g.name, g.units.len()));
        let mut grid = shape.grid();
        grid.headings.remove(0);
        grid.numeric.remove(0);
        for u in &g.units {
            grid.rows.push(shape.row(u));
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
    let shape = Shape::of(result);
    let mut grid = shape.grid();
    for g in &result.groups {
        for u in &g.units {
            let mut r = vec![g.name.clone()];
            r.extend(shape.row(u));
            grid.rows.push(r);
        }
    }
    grid
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
