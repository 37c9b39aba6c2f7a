//! Turning a [`PeriodResult`] into what people read: a terminal table, Markdown, CSV or JSON.
//! Renderers are pure functions from a result to a string; the CLI decides where it goes.

mod csv;
mod markdown;
mod table;

use rust_decimal::Decimal;

use crate::result::{PeriodResult, UnitResult};
use crate::rounding::format_fixed;

pub use self::csv::render as csv;
pub use self::markdown::render as markdown;
pub use self::table::render as table;

/// The result as pretty JSON (published figures as exact decimal strings).
pub fn json(result: &PeriodResult) -> String {
    let mut s = serde_json::to_string_pretty(result).expect("results serialise");
    s.push('\n');
    s
}

/// Column headings of a league table: rank, unit, total, each category, adjustments, tier,
/// warnings.
fn headings(result: &PeriodResult) -> Vec<String> {
    let mut h = vec!["排名".to_string(), "单位".into(), "总分".into()];
    h.extend(result.categories.iter().map(|c| c.name.clone()));
    h.extend(["加减分".into(), "等次".into(), "预警".into()]);
    h
}

/// One league-table row, as text.
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
    r.push(warning_counts(u));
    r
}

fn adjustments(u: &UnitResult, decimals: u32) -> String {
    let sum: Decimal = u.adjustments.iter().map(|a| a.points).sum();
    let mut s = if sum.is_zero() && u.adjustments.iter().all(|a| a.points.is_zero()) {
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

fn warning_counts(u: &UnitResult) -> String {
    if !u.submitted && !u.cells.is_empty() {
        return "未报送".into();
    }
    let mut parts = Vec::new();
    if u.red > 0 {
        parts.push(format!("红{}", u.red));
    }
    if u.yellow > 0 {
        parts.push(format!("黄{}", u.yellow));
    }
    if u.missing > 0 {
        parts.push(format!("缺报{}", u.missing));
    }
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(" ")
    }
}

/// "红色预警 N 项、黄色预警 M 项".
fn warning_summary(result: &PeriodResult) -> String {
    use crate::result::Level;
    let red = result
        .warnings
        .iter()
        .filter(|w| w.level == Level::Red)
        .count();
    let yellow = result.warnings.len() - red;
    format!("红色预警 {red} 项，黄色预警 {yellow} 项")
}
