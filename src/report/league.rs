//! The league tables of a period: one per group (rank, unit, total, category subtotals,
//! adjustments, tier, movement, warnings), then the warnings, red first.

use rust_decimal::Decimal;

use super::{Document, Grid, Lang};
use crate::result::{Change, Level, PeriodResult, UnitResult};
use crate::rounding::format_fixed;

pub fn document(result: &PeriodResult) -> Document {
    document_in(result, Lang::Zh)
}

/// The report's title: the campaign and the period.
pub fn title(result: &PeriodResult, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "{} · {}（{}）",
            result.campaign, result.period_label, result.period
        ),
        Lang::En => format!("{} · {}", result.campaign, result.period),
    }
}

/// A group's heading: its name and how many units it has.
pub fn group_heading(name: &str, units: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("【{name}】{units} 个单位"),
        Lang::En => format!("{name} ({units} units)"),
    }
}

/// The league tables with labels in `lang`.
pub fn document_in(result: &PeriodResult, lang: Lang) -> Document {
    let mut d = Document::new(title(result, lang));
    for g in &result.groups {
        d.heading(group_heading(&g.name, g.units.len(), lang));
        let mut grid = grid(result, lang);
        grid.headings.remove(0);
        grid.numeric.remove(0);
        for u in &g.units {
            grid.rows.push(row(result, u, lang));
        }
        d.table(grid);
    }
    d.heading(warnings_heading(result, lang));
    d.lines(
        result
            .warnings
            .iter()
            .map(|w| format!("[{}] {}", lang.t(w.level.label_zh()), w.message))
            .collect(),
    );
    d
}

/// "预警：红色预警 N 项，黄色预警 M 项".
pub fn warnings_heading(result: &PeriodResult, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("预警：{}", summary_in(result, lang)),
        Lang::En => format!("Warnings: {}", summary_in(result, lang)),
    }
}

/// All groups in one table, with the group as the first column.
pub fn flat(result: &PeriodResult) -> Grid {
    flat_in(result, Lang::Zh)
}

/// [`flat`] with labels in `lang`.
pub fn flat_in(result: &PeriodResult, lang: Lang) -> Grid {
    let mut grid = grid(result, lang);
    for g in &result.groups {
        for u in &g.units {
            let mut r = vec![g.name.clone()];
            r.extend(row(result, u, lang));
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

/// Headings (with the group column first) and alignment.
fn grid(result: &PeriodResult, lang: Lang) -> Grid {
    let mut h: Vec<String> = ["分组", "排名", "单位", "总分"]
        .map(|l| lang.t(l).to_string())
        .to_vec();
    let mut n = vec![false, true, false, true];
    for c in &result.categories {
        h.push(c.name.clone());
        n.push(true);
    }
    h.extend([lang.t("加减分").into(), lang.t("等次").into()]);
    n.extend([true, false]);
    if has_previous(result) {
        h.push(lang.t("环比").into());
        n.push(false);
    }
    if has_year_earlier(result) {
        h.push(lang.t("同比").into());
        n.push(false);
    }
    h.push(lang.t("预警").into());
    n.push(false);
    Grid::new(h, n)
}

fn row(result: &PeriodResult, u: &UnitResult, lang: Lang) -> Vec<String> {
    let d = result.decimals;
    let mut r = vec![u.rank.to_string(), u.name.clone(), format_fixed(u.total, d)];
    r.extend(
        u.categories
            .iter()
            .map(|c| c.map_or("—".to_string(), |v| format_fixed(v, d))),
    );
    r.push(adjustments(u, d, lang));
    r.push(u.tier.clone().unwrap_or_else(|| "—".into()));
    let arrow = |c: &Option<Change>| c.as_ref().map_or("—".to_string(), |c| arrow(c, lang));
    if has_previous(result) {
        r.push(arrow(&u.movement.previous));
    }
    if has_year_earlier(result) {
        r.push(arrow(&u.movement.year_earlier));
    }
    r.push(warning_counts(result, u, lang));
    r
}

/// "↑3", "↓1", "—", or "新" ("new").
pub fn arrow(c: &Change, lang: Lang) -> String {
    match c {
        Change::New => lang.t("新").into(),
        c => c.arrow(),
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
pub fn warning_counts(result: &PeriodResult, u: &UnitResult, lang: Lang) -> String {
    if !u.submitted {
        return lang.t("未报送").into();
    }
    let mine = result.warnings.iter().filter(|w| w.unit == u.id);
    let (red, yellow) = mine.fold((0, 0), |(r, y), w| match w.level {
        Level::Red => (r + 1, y),
        Level::Yellow => (r, y + 1),
    });
    let (rl, yl) = (lang.t("红"), lang.t("黄"));
    match (red, yellow) {
        (0, 0) => "—".into(),
        (r, 0) => format!("{rl}{r}"),
        (0, y) => format!("{yl}{y}"),
        (r, y) => format!("{rl}{r} {yl}{y}"),
    }
}

/// "红色预警 N 项，黄色预警 M 项".
pub fn summary(result: &PeriodResult) -> String {
    summary_in(result, Lang::Zh)
}

/// [`summary`] in `lang`.
pub fn summary_in(result: &PeriodResult, lang: Lang) -> String {
    let red = result
        .warnings
        .iter()
        .filter(|w| w.level == Level::Red)
        .count();
    let yellow = result.warnings.len() - red;
    match lang {
        Lang::Zh => format!("红色预警 {red} 项，黄色预警 {yellow} 项"),
        Lang::En => format!("{red} red, {yellow} yellow"),
    }
}
