//! What a rule edit changes for one period: each unit's total, rank and tier under the old
//! and the new rules, largest changes first, with a summary line.

use rust_decimal::Decimal;
use serde::Serialize;

use super::lang::msg;
use super::{Document, Grid, Lang};
use crate::result::{PeriodResult, UnitResult};
use crate::rounding::format_fixed;

#[derive(Debug, Serialize)]
pub struct RuleDiff {
    pub period: String,
    /// How many units' totals, ranks and tiers changed.
    pub totals_changed: usize,
    pub ranks_changed: usize,
    /// The names of the units whose tier changed, in table order.
    pub retiered: Vec<String>,
    /// The first of the largest rank moves: the unit's name and the places (up positive).
    pub largest_move: Option<(String, i64)>,
    pub units: Vec<UnitDiff>,
}

#[derive(Debug, Serialize)]
pub struct UnitDiff {
    pub group: String,
    pub unit: String,
    pub name: String,
    pub before: Option<Standing>,
    pub after: Option<Standing>,
    /// After minus before; `None` when the unit is on one side only.
    pub total_change: Option<Decimal>,
    /// Places up (positive) or down.
    pub rank_change: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct Standing {
    pub rank: u32,
    pub total: Decimal,
    pub tier: Option<String>,
}

fn standing(u: &UnitResult) -> Standing {
    Standing {
        rank: u.rank,
        total: u.total,
        tier: u.tier.clone(),
    }
}

pub fn compare(before: &PeriodResult, after: &PeriodResult) -> RuleDiff {
    let mut units = Vec::new();
    // The old tables by (group, unit), looked up once per unit rather than searched.
    let old_units: std::collections::HashMap<(&str, &str), &UnitResult> = before
        .groups
        .iter()
        .flat_map(|g| {
            g.units
                .iter()
                .map(move |u| ((g.id.as_str(), u.id.as_str()), u))
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    for g in &after.groups {
        for u in &g.units {
            let old = old_units.get(&(g.id.as_str(), u.id.as_str())).copied();
            seen.insert((g.id.as_str(), u.id.as_str()));
            units.push(UnitDiff {
                group: g.name.clone(),
                unit: u.id.clone(),
                name: u.name.clone(),
                before: old.map(standing),
                after: Some(standing(u)),
                total_change: old.map(|o| u.total - o.total),
                rank_change: old.map(|o| o.rank as i64 - u.rank as i64),
            });
        }
    }
    for g in &before.groups {
        for u in g
            .units
            .iter()
            .filter(|u| !seen.contains(&(g.id.as_str(), u.id.as_str())))
        {
            units.push(UnitDiff {
                group: g.name.clone(),
                unit: u.id.clone(),
                name: u.name.clone(),
                before: Some(standing(u)),
                after: None,
                total_change: None,
                rank_change: None,
            });
        }
    }
    // Largest change first: by total, then by rank; units on one side only at the end.
    units.sort_by(|a, b| {
        let size = |d: &UnitDiff| {
            (
                d.total_change.map(|t| t.abs()),
                d.rank_change.map(|r| r.abs()),
            )
        };
        let (sa, sb) = (size(a), size(b));
        sb.0.is_some().cmp(&sa.0.is_some()).then(sb.cmp(&sa))
    });
    let moved = units
        .iter()
        .filter(|u| u.total_change.is_some_and(|t| !t.is_zero()))
        .count();
    let reranked = units
        .iter()
        .filter(|u| u.rank_change.is_some_and(|r| r != 0))
        .count();
    let retiered: Vec<&str> = units
        .iter()
        .filter(|u| matches!((&u.before, &u.after), (Some(b), Some(a)) if a.tier != b.tier))
        .map(|u| u.name.as_str())
        .collect();
    // The first of the largest rank moves, in the order above.
    let largest = units
        .iter()
        .filter_map(|u| u.rank_change.filter(|r| *r != 0).map(|r| (r.abs(), r, u)))
        .fold(None, |best: Option<(i64, i64, &UnitDiff)>, x| match best {
            Some(b) if b.0 >= x.0 => Some(b),
            _ => Some(x),
        });
    RuleDiff {
        period: after.period.clone(),
        totals_changed: moved,
        ranks_changed: reranked,
        retiered: retiered.into_iter().map(String::from).collect(),
        largest_move: largest.map(|(_, r, u)| (u.name.clone(), r)),
        units,
    }
}

/// The summary line: how many totals, ranks and tiers changed, and the largest move.
pub fn summary(d: &RuleDiff, lang: Lang) -> String {
    let mut summary = lang.fill(
        msg::DIFF_SUMMARY,
        &[
            ("total", &d.totals_changed.to_string()),
            ("rank", &d.ranks_changed.to_string()),
            ("tier", &d.retiered.len().to_string()),
        ],
    );
    if !d.retiered.is_empty() {
        let sep = match lang {
            Lang::Zh => "、",
            Lang::En => ", ",
        };
        summary.push_str(&lang.fill(msg::DIFF_RETIERED, &[("units", &d.retiered.join(sep))]));
    }
    match &d.largest_move {
        Some((name, r)) => summary.push_str(&lang.fill(
            msg::DIFF_BIGGEST,
            &[
                ("unit", name),
                ("arrow", if *r > 0 { "↑" } else { "↓" }),
                ("places", &r.abs().to_string()),
            ],
        )),
        None => summary.push_str(lang.text(msg::DIFF_NO_MOVE)),
    }
    summary
}

pub fn document(d: &RuleDiff, title: &str, decimals: u32, lang: Lang) -> (Document, Grid) {
    let mut doc =
        Document::new(lang.fill(msg::DIFF_TITLE, &[("title", title), ("period", &d.period)]));
    doc.heading(summary(d, lang));
    let mut g = Grid::new(
        [
            lang.t("分组"),
            lang.t("单位"),
            lang.t("总分（改前）"),
            lang.t("总分（改后）"),
            lang.t("总分变化"),
            lang.t("名次（改前→改后）"),
            lang.t("名次变化"),
            lang.t("等次（改前→改后）"),
        ]
        .map(String::from)
        .to_vec(),
        vec![false, false, true, true, true, false, false, false],
    );
    let total = |s: &Option<Standing>| {
        s.as_ref()
            .map_or("—".into(), |s| format_fixed(s.total, decimals))
    };
    for u in &d.units {
        let rank = format!(
            "{} → {}",
            u.before.as_ref().map_or("—".into(), |s| s.rank.to_string()),
            u.after.as_ref().map_or("—".into(), |s| s.rank.to_string())
        );
        let tier = |s: &Option<Standing>| {
            s.as_ref()
                .and_then(|s| s.tier.clone())
                .unwrap_or_else(|| "—".into())
        };
        let tiers = if tier(&u.before) == tier(&u.after) {
            tier(&u.after)
        } else {
            format!("{} → {}", tier(&u.before), tier(&u.after))
        };
        g.rows.push(vec![
            u.group.clone(),
            u.name.clone(),
            total(&u.before),
            total(&u.after),
            u.total_change.map_or("—".into(), |t| {
                if t > Decimal::ZERO {
                    format!("+{}", format_fixed(t, decimals))
                } else {
                    format_fixed(t, decimals)
                }
            }),
            rank,
            match u.rank_change {
                Some(r) if r > 0 => format!("↑{r}"),
                Some(r) if r < 0 => format!("↓{}", -r),
                Some(_) => "—".into(),
                None => lang.t("新增/移除").into(),
            },
            tiers,
        ]);
    }
    doc.table(g.clone());
    (doc, g)
}
