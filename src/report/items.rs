//! Key work items by unit and status (重点工作事项按时序完成情况): per group, each unit's
//! items under way counted by status, with the on-schedule rate, and the group's total.

use serde::Serialize;

use super::lang::msg;
use super::{Document, Grid, Lang};
use crate::item::ItemStatus;
use crate::result::{ItemCounts, ItemResult, PeriodResult};

/// The data behind the report, for JSON.
#[derive(Debug, Serialize)]
pub struct ItemsReport<'a> {
    pub campaign: &'a str,
    pub period: &'a str,
    pub groups: Vec<GroupItems<'a>>,
    pub items: &'a [ItemResult],
}

#[derive(Debug, Serialize)]
pub struct GroupItems<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub total: ItemCounts,
    pub units: Vec<UnitItems<'a>>,
}

#[derive(Debug, Serialize)]
pub struct UnitItems<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub counts: &'a ItemCounts,
}

pub fn data(result: &PeriodResult) -> ItemsReport<'_> {
    let groups = result
        .groups
        .iter()
        .map(|g| {
            // Units in display order are not kept in results; the league order will do.
            let units: Vec<UnitItems> = g
                .units
                .iter()
                .filter(|u| u.items.total > 0)
                .map(|u| UnitItems {
                    id: &u.id,
                    name: &u.name,
                    counts: &u.items,
                })
                .collect();
            let mut total = ItemCounts::default();
            for u in &units {
                total.total += u.counts.total;
                total.on_schedule += u.counts.on_schedule;
                for (s, n) in &u.counts.by_status {
                    *total.by_status.entry(*s).or_default() += n;
                }
            }
            GroupItems {
                id: &g.id,
                name: &g.name,
                total,
                units,
            }
        })
        .filter(|g| g.total.total > 0)
        .collect();
    ItemsReport {
        campaign: &result.campaign,
        period: &result.period,
        groups,
        items: &result.items,
    }
}

fn headings(with_group: bool, lang: Lang) -> Grid {
    let mut h: Vec<String> = Vec::new();
    let mut n = Vec::new();
    if with_group {
        h.push(lang.t("分组").into());
        n.push(false);
    }
    h.extend([lang.t("单位").to_string(), lang.t("事项数").into()]);
    n.extend([false, true]);
    for s in ItemStatus::ALL {
        h.push(lang.t(s.label_zh()).into());
        n.push(true);
    }
    h.push(lang.t("按时序完成率").into());
    n.push(true);
    Grid::new(h, n)
}

fn row(name: &str, c: &ItemCounts) -> Vec<String> {
    let mut r = vec![name.to_string(), c.total.to_string()];
    r.extend(
        ItemStatus::ALL
            .iter()
            .map(|s| c.by_status.get(s).copied().unwrap_or(0).to_string()),
    );
    r.push(rate(c));
    r
}

/// "91.7%", with one decimal, rounded as Excel.
fn rate(c: &ItemCounts) -> String {
    let r = crate::rounding::round(c.rate(), 1, crate::rounding::RoundingMode::HalfAwayFromZero);
    format!("{}%", crate::rounding::format_fixed(r, 1))
}

pub fn document(result: &PeriodResult, lang: Lang) -> Document {
    let data = data(result);
    let mut d = Document::new(lang.fill(
        msg::ITEMS_TITLE,
        &[
            ("campaign", &result.campaign),
            ("label", &result.period_label),
            ("period", &result.period),
        ],
    ));
    let mut all = ItemCounts::default();
    for g in &data.groups {
        d.heading(lang.fill(
            msg::ITEMS_GROUP,
            &[
                ("group", g.name),
                ("count", &g.total.total.to_string()),
                ("on", &g.total.on_schedule.to_string()),
                ("rate", &rate(&g.total)),
            ],
        ));
        let mut grid = headings(false, lang);
        for u in &g.units {
            grid.rows.push(row(u.name, u.counts));
        }
        grid.rows.push(row(lang.t("合计"), &g.total));
        d.table(grid);
        all.total += g.total.total;
        all.on_schedule += g.total.on_schedule;
    }
    if data.groups.is_empty() {
        d.lines(vec![lang.text(msg::ITEMS_NONE).into()]);
    } else {
        d.heading(lang.fill(
            msg::ITEMS_ALL,
            &[
                ("count", &all.total.to_string()),
                ("on", &all.on_schedule.to_string()),
                ("rate", &rate(&all)),
            ],
        ));
    }
    d
}

pub fn flat(result: &PeriodResult, lang: Lang) -> Grid {
    let data = data(result);
    let mut grid = headings(true, lang);
    for g in &data.groups {
        for u in &g.units {
            let mut r = vec![g.name.to_string()];
            r.extend(row(u.name, u.counts));
            grid.rows.push(r);
        }
    }
    grid
}
