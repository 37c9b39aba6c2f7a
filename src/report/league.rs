//! The league tables of a period: one per group (rank, unit, total, category subtotals,
//! adjustments, tier, movement, warnings), then the warnings, red first.

use rust_decimal::Decimal;

use std::collections::HashMap;

use super::lang::msg;
use super::{Document, Grid, Lang};
use crate::result::{Change, Level, PeriodResult, UnitResult};
use crate::rounding::format_fixed;

pub fn document(result: &PeriodResult) -> Document {
    document_in(result, Lang::Zh)
}

/// The report's title: the campaign and the period.
pub fn title(result: &PeriodResult, lang: Lang) -> String {
    lang.fill(
        msg::TITLE,
        &[
            ("campaign", &result.campaign),
            ("label", &result.period_label),
            ("period", &result.period),
        ],
    )
}

/// A group's heading: its name and how many units it has.
pub fn group_heading(name: &str, units: usize, lang: Lang) -> String {
    lang.fill(
        msg::GROUP_HEADING,
        &[("group", name), ("count", &units.to_string())],
    )
}

/// The league tables with labels in `lang`.
pub fn document_in(result: &PeriodResult, lang: Lang) -> Document {
    let shape = Shape::of(result);
    let mut d = Document::new(title(result, lang));
    for g in &result.groups {
        d.heading(group_heading(&g.name, g.units.len(), lang));
        let mut grid = shape.grid(lang);
        grid.headings.remove(0);
        grid.numeric.remove(0);
        for u in &g.units {
            grid.rows.push(shape.row(u, lang));
        }
        d.table(grid);
    }
    d.heading(warnings_heading(result, lang));
    d.lines(
        result
            .warnings
            .iter()
            .map(|w| {
                lang.fill(
                    msg::WARNING_LINE,
                    &[
                        ("level", lang.t(w.level.label_zh())),
                        ("text", &super::warnings::sentence(w, lang)),
                    ],
                )
            })
            .collect(),
    );
    d
}

/// "预警：红色预警 N 项，黄色预警 M 项".
pub fn warnings_heading(result: &PeriodResult, lang: Lang) -> String {
    lang.fill(
        msg::WARNINGS_HEADING,
        &[("summary", &super::warnings::summary_in(result, lang))],
    )
}

/// All groups in one table, with the group as the first column.
pub fn flat(result: &PeriodResult) -> Grid {
    flat_in(result, Lang::Zh)
}

/// [`flat`] with labels in `lang`.
pub fn flat_in(result: &PeriodResult, lang: Lang) -> Grid {
    let shape = Shape::of(result);
    let mut grid = shape.grid(lang);
    for g in &result.groups {
        for u in &g.units {
            let mut r = vec![g.name.clone()];
            r.extend(shape.row(u, lang));
            grid.rows.push(r);
        }
    }
    grid
}

pub fn has_previous(result: &PeriodResult) -> bool {
    result
        .groups
        .iter()
        .flat_map(|g| &g.units)
        .any(|u| u.movement.previous.is_some())
}

pub fn has_year_earlier(result: &PeriodResult) -> bool {
    result
        .groups
        .iter()
        .flat_map(|g| &g.units)
        .any(|u| u.movement.year_earlier.is_some())
}

/// What every row needs to know about the whole result, worked out once: whether there is
/// anything to compare with, and each unit's warning counts.
struct Shape<'a> {
    result: &'a PeriodResult,
    previous: bool,
    year_earlier: bool,
    /// (red, yellow) warnings per unit id.
    warnings: Tally<'a>,
}

/// Each unit's (red, yellow) warnings this period, by unit id: counted once per report, so a
/// table of thousands of units never scans the warnings per row.
pub type Tally<'a> = HashMap<&'a str, (u32, u32)>;

/// The warnings of `result` counted by unit and level.
pub fn tally(result: &PeriodResult) -> Tally<'_> {
    let mut warnings: Tally = HashMap::new();
    for w in &result.warnings {
        let e = warnings.entry(w.unit.as_str()).or_default();
        match w.level {
            Level::Red => e.0 += 1,
            Level::Yellow => e.1 += 1,
        }
    }
    warnings
}

impl<'a> Shape<'a> {
    fn of(result: &'a PeriodResult) -> Shape<'a> {
        let warnings = tally(result);
        Shape {
            result,
            previous: has_previous(result),
            year_earlier: has_year_earlier(result),
            warnings,
        }
    }

    /// Headings (with the group column first) and alignment.
    fn grid(&self, lang: Lang) -> Grid {
        let mut h: Vec<String> = ["分组", "排名", "单位", "总分"]
            .map(|l| lang.t(l).to_string())
            .to_vec();
        let mut n = vec![false, true, false, true];
        for c in &self.result.categories {
            h.push(c.name.clone());
            n.push(true);
        }
        h.extend([lang.t("加减分").into(), lang.t("等次").into()]);
        n.extend([true, false]);
        if self.previous {
            h.push(lang.t("环比").into());
            n.push(false);
        }
        if self.year_earlier {
            h.push(lang.t("同比").into());
            n.push(false);
        }
        h.push(lang.t("预警").into());
        n.push(false);
        Grid::new(h, n)
    }

    fn row(&self, u: &UnitResult, lang: Lang) -> Vec<String> {
        let d = self.result.decimals;
        let mut r = vec![u.rank.to_string(), u.name.clone(), format_fixed(u.total, d)];
        r.extend(
            u.categories
                .iter()
                .map(|c| c.map_or("—".to_string(), |v| format_fixed(v, d))),
        );
        r.push(adjustments(u, d, lang));
        r.push(u.tier.clone().unwrap_or_else(|| "—".into()));
        let arrow = |c: &Option<Change>| c.as_ref().map_or("—".to_string(), |c| arrow(c, lang));
        if self.previous {
            r.push(arrow(&u.movement.previous));
        }
        if self.year_earlier {
            r.push(arrow(&u.movement.year_earlier));
        }
        r.push(warning_counts(&self.warnings, u, lang));
        r
    }
}

/// "↑3", "↓1", "—", or "新" ("new").
pub fn arrow(c: &Change, lang: Lang) -> String {
    match c {
        Change::New => lang.t("新").into(),
        Change::Moved { places, .. } if *places > 0 => format!("↑{places}"),
        Change::Moved { places, .. } if *places < 0 => format!("↓{}", -places),
        Change::Moved { .. } => "—".into(),
    }
}

/// The adjustments' sum, signed, and "一票否决" for a vetoed unit; "—" for none.
pub fn adjustments(u: &UnitResult, decimals: u32, lang: Lang) -> String {
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
        s.push_str(lang.t("一票否决"));
    }
    if s.is_empty() {
        "—".into()
    } else {
        s
    }
}

/// The unit's warnings this period: "红2 黄1", or "未报送".
pub fn warning_counts(tally: &Tally, u: &UnitResult, lang: Lang) -> String {
    counts_text(u, unit_counts(tally, u), lang)
}

/// The unit's (red, yellow) warnings in `tally`.
pub fn unit_counts(tally: &Tally, u: &UnitResult) -> (u32, u32) {
    tally.get(u.id.as_str()).copied().unwrap_or_default()
}

/// "红2 黄1" from (red, yellow) counts, or "未报送".
fn counts_text(u: &UnitResult, (red, yellow): (u32, u32), lang: Lang) -> String {
    if !u.submitted {
        return lang.t("未报送").into();
    }
    let (rl, yl) = (lang.t("红"), lang.t("黄"));
    match (red, yellow) {
        (0, 0) => "—".into(),
        (r, 0) => format!("{rl}{r}"),
        (0, y) => format!("{yl}{y}"),
        (r, y) => format!("{rl}{r} {yl}{y}"),
    }
}
