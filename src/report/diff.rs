//! What a rule edit changes for one period: each unit's total, rank and tier under the old
//! and the new rules, largest changes first, with a summary line.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Document, Grid};
use crate::result::{PeriodResult, UnitResult};
use crate::rounding::format_fixed;

#[derive(Debug, Serialize)]
pub struct RuleDiff {
    pub period: String,
    pub summary: String,
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
    let key = |g: &str, u: &str| (g.to_string(), u.to_string());
    let mut seen = std::collections::BTreeSet::new();
    for g in &after.groups {
        for u in &g.units {
            let old = before
                .groups
                .iter()
                .filter(|x| x.id == g.id)
                .flat_map(|x| &x.units)
                .find(|x| x.id == u.id);
            seen.insert(key(&g.id, &u.id));
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
            .filter(|u| !seen.contains(&key(&g.id, &u.id)))
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
    let mut summary = format!(
        "{} 个单位总分变化，{} 个单位名次变化，{} 个单位等次变化",
        moved,
        reranked,
        retiered.len()
    );
    if !retiered.is_empty() {
        summary.push_str(&format!("（{}）", retiered.join("、")));
    }
    match largest {
        Some((_, r, u)) => summary.push_str(&format!(
            "；名次变化最大：{}（{}{}）",
            u.name,
            if r > 0 { "↑" } else { "↓" },
            r.abs()
        )),
        None => summary.push_str("；名次无变化"),
    }
    RuleDiff {
        period: after.period.clone(),
        summary,
        units,
    }
}

pub fn document(d: &RuleDiff, title: &str, decimals: u32) -> (Document, Grid) {
    let mut doc = Document::new(format!("{title} · {} · 规则修改前后对比", d.period));
    doc.heading(d.summary.clone());
    let mut g = Grid::new(
        [
            "分组",
            "单位",
            "总分（改前）",
            "总分（改后）",
            "总分变化",
            "名次（改前→改后）",
            "名次变化",
            "等次（改前→改后）",
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
                None => "新增/移除".into(),
            },
            tiers,
        ]);
    }
    doc.table(g.clone());
    (doc, g)
}
