//! What evaluation produces for one period: league tables per group, each unit's scorecard,
//! and the warnings. Published figures are [`Decimal`]s, rounded as the campaign says.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::campaign::Campaign;
use crate::indicator::Direction;
use crate::item::ItemStatus;
use crate::period::Period;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodResult {
    pub campaign: String,
    pub period: String,
    pub period_label: String,
    /// Decimals of published points and totals.
    pub decimals: u32,
    pub categories: Vec<CategoryInfo>,
    pub groups: Vec<GroupResult>,
    /// Red first, then by group, unit and indicator order.
    pub warnings: Vec<Warning>,
    /// Key work items under way at the period's end, in file order.
    #[serde(default)]
    pub items: Vec<ItemResult>,
    /// Warnings open last period and closed in this one (已整改), filled in by `history`.
    #[serde(default)]
    pub closed: Vec<Warning>,
    /// [`Facts::stats`], for explaining the methods' figures (not part of the output).
    #[serde(skip)]
    pub stats: Vec<Vec<GroupStats>>,
}

/// A key work item at a period's end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemResult {
    pub id: String,
    pub title: String,
    pub unit: String,
    pub unit_name: String,
    pub group: String,
    pub category: String,
    pub start: NaiveDate,
    pub due: NaiveDate,
    /// Planned progress (%) at the period's end.
    pub planned: f64,
    /// Reported progress (%); `None` when not reported.
    pub progress: Option<f64>,
    pub completed: Option<NaiveDate>,
    pub status: ItemStatus,
}

/// A unit's key work items by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemCounts {
    pub total: u32,
    /// 提前完成 + 按时完成 + 超进度 + 达进度.
    pub on_schedule: u32,
    pub by_status: BTreeMap<ItemStatus, u32>,
}

impl ItemCounts {
    pub fn add(&mut self, status: ItemStatus) {
        self.total += 1;
        self.on_schedule += status.on_schedule() as u32;
        *self.by_status.entry(status).or_default() += 1;
    }

    /// On-schedule rate in %, 100 when there is nothing under way.
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            100.0 * self.on_schedule as f64 / self.total as f64
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryInfo {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupResult {
    pub id: String,
    pub name: String,
    /// By rank, ties in display order.
    pub units: Vec<UnitResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitResult {
    pub id: String,
    pub name: String,
    pub rank: u32,
    pub tier: Option<String>,
    /// base + bonuses − penalties.
    pub total: Decimal,
    /// Points on the full-marks scale.
    pub base: Decimal,
    /// Sum of the unit's indicator points, before scaling.
    pub points: Decimal,
    /// The weights of the unit's indicators (its own full marks before scaling).
    pub full_weight: f64,
    /// Category subtotals on the full-marks scale, aligned with `PeriodResult::categories`;
    /// `None` where no indicator of the category applies to the unit.
    pub categories: Vec<Option<Decimal>>,
    pub adjustments: Vec<Adjustment>,
    pub vetoed: bool,
    /// Did the unit report anything it had to report this period?
    pub submitted: bool,
    /// The unit's scorecard, one cell per indicator; left out of JSON unless asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<CellResult>,
    /// The unit's key work items under way, by status.
    #[serde(default)]
    pub items: ItemCounts,
    /// Rank and total against earlier periods, filled in by `history`.
    #[serde(default)]
    pub movement: Movement,
    /// How many warnings the unit has open this period (kept when an earlier period's
    /// warnings are let go; not part of the output, which lists the warnings).
    #[serde(skip)]
    pub open_warnings: u32,
}

/// A unit's change against the previous period (环比) and the same period a year earlier
/// (同比). `None` where there is nothing to compare with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Movement {
    pub previous: Option<Change>,
    pub year_earlier: Option<Change>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Not in the group's table then.
    New,
    /// Positive: up that many places. Total: this period's minus then.
    Moved { places: i64, total: Decimal },
}

/// What an adjustment does to a unit's total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AdjustmentKind {
    Bonus,
    Penalty,
    Veto,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adjustment {
    pub kind: AdjustmentKind,
    /// Signed: penalties are negative.
    pub points: Decimal,
    pub reason: String,
    pub line: Option<usize>,
}

/// One unit on one indicator. Its names are shared with every other cell of the indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellResult {
    pub indicator: Arc<str>,
    pub name: Arc<str>,
    pub method: Cow<'static, str>,
    /// As published (rounded to the indicator's decimals); `None` when missing.
    pub actual: Option<Decimal>,
    pub target: f64,
    pub stretch: Option<f64>,
    /// The target as it stands by the period (target × time progress for amounts).
    pub expected: f64,
    pub progress: f64,
    /// Completion ratio, to 4 decimals.
    pub ratio: Option<Decimal>,
    pub points: Decimal,
    pub weight: f64,
    /// Rank in the group on this indicator.
    pub rank: Option<u32>,
    pub status: Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// 达标
    Met,
    /// 基本达标: below the expected value, above the yellow line.
    Near,
    /// 滞后 (yellow)
    Lagging,
    /// 严重滞后 (red)
    SeverelyLagging,
    /// 缺报
    Missing,
}

impl Status {
    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Met => "达标",
            Status::Near => "基本达标",
            Status::Lagging => "滞后",
            Status::SeverelyLagging => "严重滞后",
            Status::Missing => "缺报",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Red,
    Yellow,
}

impl Level {
    pub fn label_zh(self) -> &'static str {
        match self {
            Level::Red => "红色预警",
            Level::Yellow => "黄色预警",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    /// An indicator behind its expected value.
    Lagging,
    /// A key work item behind plan, not started, overdue or not reported.
    Item,
    /// A value the unit did not report.
    MissingValue,
    /// A unit that reported nothing this period.
    NotSubmitted,
}

/// A warning as facts: what it is about and the figures a sentence is written from. The
/// engine writes no prose; reports render these facts in a language (`report::lang`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    pub level: Level,
    pub kind: WarningKind,
    pub group: String,
    pub unit: String,
    pub unit_name: String,
    /// The indicator, for warnings on one (absent otherwise, like every field that does not
    /// apply to the warning's kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator_name: Option<String>,
    /// The key work item, for item warnings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_title: Option<String>,
    /// Lagging: the value as published. Item: reported progress (%), `None` if unreported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<Decimal>,
    /// Lagging: the target, or the target as it stands by the period (序时目标) for amounts,
    /// to the indicator's decimals. Item: planned progress (%).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Decimal>,
    /// Lagging: what `expected` is (the target, or the target by the period).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against: Option<Against>,
    /// Lagging: set when lower values are better.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lower_is_better: bool,
    /// Lagging: the completion ratio, to 4 decimals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<Decimal>,
    /// Item: percentage points behind plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<Decimal>,
    /// Lagging: the indicator's unit of measure (计量单位), as the rules give it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
    /// Item: its status at the period's end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_status: Option<ItemStatus>,
    /// Item: the date it was due, for overdue items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// Not submitted: how many indicator values are missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<u32>,
    /// How far behind: 1 − completion ratio, or percentage points behind plan ÷ 100; 2 for
    /// missing or overdue. Smaller next period means 整改中.
    pub severity: f64,
    /// Consecutive periods open, this one included.
    #[serde(default = "one")]
    pub age: u32,
    #[serde(default)]
    pub follow_up: FollowUp,
    /// The escalation due at this age (e.g. 约谈), from the campaign's steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<String>,
    /// The periods it has been open, oldest first, with the level in each.
    #[serde(default)]
    pub history: Vec<(String, Level)>,
}

/// What a lagging indicator's value is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Against {
    /// The target itself (rates).
    Target,
    /// The target as it stands by the period: target × time progress (序时目标, amounts).
    Expected,
}

fn one() -> u32 {
    1
}

impl Warning {
    /// What it is about, by name: the indicator or the item; `None` for the submission.
    pub fn subject_name(&self) -> Option<&str> {
        self.indicator_name
            .as_deref()
            .or(self.item_title.as_deref())
    }

    /// What the warning is about, the same from period to period: the unit and its
    /// indicator, item or submission.
    pub fn subject(&self) -> String {
        match (&self.indicator, &self.item) {
            (Some(i), _) => format!("{}/indicator/{i}", self.unit),
            (None, Some(i)) => format!("{}/item/{i}", self.unit),
            (None, None) => format!("{}/submission", self.unit),
        }
    }
}

/// Where a warning stands against the previous period (督导 → 通报 → 整改).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FollowUp {
    /// 新增: not open last period.
    #[default]
    New,
    /// 整改中: open, but better than last period.
    Improving,
    /// 未整改: open and no better.
    NotImproved,
    /// 已整改: open last period, closed now.
    Rectified,
}

impl FollowUp {
    pub fn label_zh(self) -> &'static str {
        match self {
            FollowUp::New => "新增",
            FollowUp::Improving => "整改中",
            FollowUp::NotImproved => "未整改",
            FollowUp::Rectified => "已整改",
        }
    }
}

/// One period's facts by index: what evaluation found, before any name is looked up. Units,
/// indicators, groups and items are positions in the [`Campaign`] they were evaluated (or, for
/// a published period, resolved) against. [`PeriodResult::named`] is the same facts with the
/// campaign's ids and names, as reports and JSON show them.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub period: Period,
    /// Aligned with `Campaign::units`; `None` for a unit not in any table (a published period
    /// from before the unit was added).
    pub units: Vec<Option<UnitFacts>>,
    /// Aligned with `Campaign::groups`: each group's units in table order.
    pub tables: Vec<Vec<usize>>,
    /// Red first, then by group, unit and subject order.
    pub warnings: Vec<WarningFact>,
    /// Warnings open last period and closed in this one (已整改), filled in by `history`.
    pub closed: Vec<WarningFact>,
    /// Aligned with `Campaign::items`: each item under way at the period's end.
    pub items: Vec<Option<ItemFact>>,
    /// Per indicator, per group: the group's figures over the published values, as the
    /// methods used them (empty for a published period).
    pub stats: Vec<Vec<GroupStats>>,
}

/// A unit's standing: everything of [`UnitResult`] but its names.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitFacts {
    pub rank: u32,
    pub tier: Option<String>,
    pub total: Decimal,
    pub base: Decimal,
    pub points: Decimal,
    pub full_weight: f64,
    /// Aligned with `Campaign::categories`.
    pub categories: Vec<Option<Decimal>>,
    pub adjustments: Vec<Adjustment>,
    pub vetoed: bool,
    pub submitted: bool,
    pub items: ItemCounts,
    pub movement: Movement,
    /// How many warnings the unit has open this period.
    pub open_warnings: u32,
    /// In indicator order; dropped for earlier periods of a timeline.
    pub cells: Vec<Cell>,
}

/// One unit on one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Position in `Campaign::indicators`.
    pub indicator: usize,
    pub actual: Option<Decimal>,
    pub target: f64,
    pub stretch: Option<f64>,
    pub expected: f64,
    pub progress: f64,
    pub ratio: Option<Decimal>,
    pub points: Decimal,
    pub weight: f64,
    pub rank: Option<u32>,
    pub status: Status,
}

/// What a warning is about; its identity from period to period is (unit, subject).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// The unit's submission as a whole.
    Submission,
    /// Position in `Campaign::indicators`.
    Indicator(usize),
    /// Position in `Campaign::items`.
    Item(usize),
}

/// A warning as facts by index. The figures are those of [`Warning`].
#[derive(Debug, Clone, PartialEq)]
pub struct WarningFact {
    pub level: Level,
    pub kind: WarningKind,
    /// Position in `Campaign::units`.
    pub unit: usize,
    pub subject: Subject,
    pub actual: Option<Decimal>,
    pub expected: Option<Decimal>,
    pub against: Option<Against>,
    pub lower_is_better: bool,
    pub ratio: Option<Decimal>,
    pub gap: Option<Decimal>,
    pub item_status: Option<ItemStatus>,
    pub due: Option<NaiveDate>,
    pub missing: Option<u32>,
    pub severity: f64,
    pub age: u32,
    pub follow_up: FollowUp,
    pub escalation: Option<String>,
    /// The periods it has been open, oldest first, with the level in each.
    pub history: Vec<(Period, Level)>,
}

impl WarningFact {
    /// A new warning (age 1, no history) with no figures yet.
    pub fn new(
        level: Level,
        kind: WarningKind,
        unit: usize,
        subject: Subject,
        severity: f64,
    ) -> Self {
        WarningFact {
            level,
            kind,
            unit,
            subject,
            actual: None,
            expected: None,
            against: None,
            lower_is_better: false,
            ratio: None,
            gap: None,
            item_status: None,
            due: None,
            missing: None,
            // To 4 decimals: enough to tell better from worse, and tidy in JSON.
            severity: (severity * 1e4).round() / 1e4,
            age: 1,
            follow_up: FollowUp::New,
            escalation: None,
            history: Vec::new(),
        }
    }
}

/// A key work item at a period's end; what the campaign says of it is in `Campaign::items`.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemFact {
    /// Planned progress (%) at the period's end.
    pub planned: f64,
    /// Reported progress (%); `None` when not reported.
    pub progress: Option<f64>,
    pub completed: Option<NaiveDate>,
    pub status: ItemStatus,
}

impl Facts {
    /// The unit's standing, if it is in a table.
    pub fn unit(&self, u: usize) -> Option<&UnitFacts> {
        self.units.get(u).and_then(Option::as_ref)
    }

    /// Each unit's group in these facts' tables, by unit position; `None` for a unit in no
    /// table. (A published period keeps a unit in the group it was published in.)
    pub fn table_groups(&self) -> Vec<Option<usize>> {
        let mut group = vec![None; self.units.len()];
        for (g, table) in self.tables.iter().enumerate() {
            for &u in table {
                if let Some(slot) = group.get_mut(u) {
                    *slot = Some(g);
                }
            }
        }
        group
    }

    /// Drops every unit's cells (earlier periods of a timeline need only ranks, totals,
    /// tiers, warnings and items).
    pub fn slim(&mut self) {
        for u in self.units.iter_mut().flatten() {
            u.cells = Vec::new();
        }
    }

    /// Drops the warnings themselves, keeping each unit's count (periods before the previous
    /// one: the warning loop reads only the previous period's warnings).
    pub fn forget_warnings(&mut self) {
        self.warnings = Vec::new();
        self.closed = Vec::new();
    }

    /// Counts each unit's open warnings into `UnitFacts::open_warnings`.
    pub fn count_warnings(&mut self) {
        let mut n = vec![0u32; self.units.len()];
        for w in &self.warnings {
            if let Some(slot) = n.get_mut(w.unit) {
                *slot += 1;
            }
        }
        for (u, k) in self.units.iter_mut().zip(n) {
            if let Some(u) = u {
                u.open_warnings = k;
            }
        }
    }
}

impl PeriodResult {
    /// Keeps one group: its table, and the warnings and items of its units.
    pub fn keep_group(&mut self, group: &str) {
        self.groups.retain(|x| x.id == group);
        self.warnings.retain(|w| w.group == group);
        self.closed.retain(|w| w.group == group);
        self.items.retain(|i| i.group == group);
    }

    /// The facts with the campaign's ids and names, as reports and JSON show them.
    pub fn named(c: &Campaign, f: &Facts) -> PeriodResult {
        PeriodResult::into_named(c, f.clone())
    }

    /// [`PeriodResult::named`], consuming the facts: each unit's cells are freed as they are
    /// named, so a large period is never held twice.
    pub fn into_named(c: &Campaign, mut f: Facts) -> PeriodResult {
        let ind_ids: Vec<Arc<str>> = c.indicators.iter().map(|i| i.id.as_str().into()).collect();
        let ind_names: Vec<Arc<str>> = c
            .indicators
            .iter()
            .map(|i| i.name.as_str().into())
            .collect();
        let groups = c
            .groups
            .iter()
            .zip(&f.tables)
            .map(|(g, table)| GroupResult {
                id: g.id.clone(),
                name: g.name.clone(),
                units: table
                    .iter()
                    .filter_map(|&u| Some((u, f.units.get_mut(u)?.take()?)))
                    .map(|(u, x)| UnitResult {
                        id: c.units[u].id.clone(),
                        name: c.units[u].name.clone(),
                        rank: x.rank,
                        tier: x.tier,
                        total: x.total,
                        base: x.base,
                        points: x.points,
                        full_weight: x.full_weight,
                        categories: x.categories,
                        adjustments: x.adjustments,
                        vetoed: x.vetoed,
                        submitted: x.submitted,
                        cells: x
                            .cells
                            .into_iter()
                            .map(|x| CellResult {
                                indicator: ind_ids[x.indicator].clone(),
                                name: ind_names[x.indicator].clone(),
                                method: Cow::Borrowed(c.indicators[x.indicator].method.label_zh()),
                                actual: x.actual,
                                target: x.target,
                                stretch: x.stretch,
                                expected: x.expected,
                                progress: x.progress,
                                ratio: x.ratio,
                                points: x.points,
                                weight: x.weight,
                                rank: x.rank,
                                status: x.status,
                            })
                            .collect(),
                        items: x.items,
                        movement: x.movement,
                        open_warnings: x.open_warnings,
                    })
                    .collect(),
            })
            .collect();
        let namer = Namer::new(c, &f);
        let warning = |w: &WarningFact| namer.warning(w);
        let group_of = &namer.group_of;
        let items = c
            .items
            .iter()
            .zip(&f.items)
            .filter_map(|(it, x)| {
                let x = x.as_ref()?;
                let unit = &c.units[it.owner];
                Some(ItemResult {
                    id: it.id.clone(),
                    title: it.title.clone(),
                    unit: unit.id.clone(),
                    unit_name: unit.name.clone(),
                    group: c.groups[group_of[it.owner]].id.clone(),
                    category: c.item_categories[it.category].clone(),
                    start: it.start,
                    due: it.due,
                    planned: x.planned,
                    progress: x.progress,
                    completed: x.completed,
                    status: x.status,
                })
            })
            .collect();
        PeriodResult {
            campaign: c.name.clone(),
            period: f.period.to_string(),
            period_label: f.period.label_zh(),
            decimals: c.rounding.decimals,
            categories: c
                .categories
                .iter()
                .map(|k| CategoryInfo {
                    id: k.id.clone(),
                    name: k.name.clone(),
                })
                .collect(),
            groups,
            warnings: f.warnings.iter().map(warning).collect(),
            items,
            closed: f.closed.iter().map(warning).collect(),
            stats: f.stats,
        }
    }
}

/// Names warnings as facts: ids, names and the group each unit is in these facts' tables.
pub struct Namer<'c> {
    c: &'c Campaign,
    /// Each unit's group in the facts' tables, else its group now.
    group_of: Vec<usize>,
}

impl<'c> Namer<'c> {
    pub fn new(c: &'c Campaign, f: &Facts) -> Namer<'c> {
        let group_of = f
            .table_groups()
            .into_iter()
            .zip(&c.units)
            .map(|(g, u)| g.unwrap_or(u.group))
            .collect();
        Namer { c, group_of }
    }

    /// A warning with the campaign's ids and names.
    pub fn warning(&self, w: &WarningFact) -> Warning {
        let c = self.c;
        let unit = &c.units[w.unit];
        let (indicator, item) = match w.subject {
            Subject::Submission => (None, None),
            Subject::Indicator(i) => (Some(&c.indicators[i]), None),
            Subject::Item(k) => (None, Some(&c.items[k])),
        };
        Warning {
            level: w.level,
            kind: w.kind,
            group: c.groups[self.group_of[w.unit]].id.clone(),
            unit: unit.id.clone(),
            unit_name: unit.name.clone(),
            indicator: indicator.map(|i| i.id.clone()),
            indicator_name: indicator.map(|i| i.name.clone()),
            item: item.map(|i| i.id.clone()),
            item_title: item.map(|i| i.title.clone()),
            actual: w.actual,
            expected: w.expected,
            against: w.against,
            lower_is_better: w.lower_is_better,
            ratio: w.ratio,
            gap: w.gap,
            measure: indicator
                .filter(|_| w.kind == WarningKind::Lagging)
                .map(|i| i.measure.clone()),
            item_status: w.item_status,
            due: w.due,
            missing: w.missing,
            severity: w.severity,
            age: w.age,
            follow_up: w.follow_up,
            escalation: w.escalation.clone(),
            history: w.history.iter().map(|(p, l)| (p.to_string(), *l)).collect(),
        }
    }
}

/// A period's result as JSON writes it: the named view, but its warnings (a national period
/// has about 100,000) named a few thousand at a time as they are written, never held named
/// all at once. Serialises exactly as the [`PeriodResult`] it stands for, in compact JSON
/// (its warnings are rendered compact: not for a pretty printer).
pub struct Streamed<'c> {
    /// The named view without its warnings.
    pub result: PeriodResult,
    pub warnings: Vec<WarningFact>,
    namer: Namer<'c>,
}

impl PeriodResult {
    /// [`PeriodResult::into_named`] for writing: see [`Streamed`].
    pub fn into_streamed(c: &Campaign, mut f: Facts) -> Streamed<'_> {
        let namer = Namer::new(c, &f);
        let warnings = std::mem::take(&mut f.warnings);
        Streamed {
            result: PeriodResult::into_named(c, f),
            warnings,
            namer,
        }
    }
}

/// Warnings as facts, serialised as their named view ([`Warning`]): a few thousand at a
/// time are named and rendered on all cores, then written in order (same bytes at any thread
/// count).
pub struct NamedWarnings<'a>(&'a [WarningFact], &'a Namer<'a>);

impl Serialize for NamedWarnings<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use rayon::prelude::*;
        use serde::ser::SerializeSeq;
        const CHUNK: usize = 4096;
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for chunk in self.0.chunks(CHUNK) {
            let rendered: Vec<Box<serde_json::value::RawValue>> = chunk
                .par_iter()
                .map(|w| serde_json::value::to_raw_value(&self.1.warning(w)))
                .collect::<Result<_, _>>()
                .map_err(serde::ser::Error::custom)?;
            for w in &rendered {
                seq.serialize_element(w)?;
            }
        }
        seq.end()
    }
}

impl Streamed<'_> {
    /// The open warnings, named as they are written (compact JSON only).
    pub fn named_warnings(&self) -> NamedWarnings<'_> {
        NamedWarnings(&self.warnings, &self.namer)
    }

    /// [`PeriodResult::keep_group`].
    pub fn keep_group(&mut self, group: &str) {
        self.result.keep_group(group);
        let (c, group_of) = (self.namer.c, &self.namer.group_of);
        self.warnings
            .retain(|w| c.groups[group_of[w.unit]].id == group);
    }
}

impl Serialize for Streamed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // The fields of `PeriodResult`, in its order (a test checks the two agree).
        let r = &self.result;
        let mut st = s.serialize_struct("PeriodResult", 9)?;
        st.serialize_field("campaign", &r.campaign)?;
        st.serialize_field("period", &r.period)?;
        st.serialize_field("period_label", &r.period_label)?;
        st.serialize_field("decimals", &r.decimals)?;
        st.serialize_field("categories", &r.categories)?;
        st.serialize_field("groups", &r.groups)?;
        st.serialize_field("warnings", &self.named_warnings())?;
        st.serialize_field("items", &r.items)?;
        st.serialize_field("closed", &r.closed)?;
        st.end()
    }
}

/// The group's figures on an indicator, over the units that reported a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupStats {
    pub count: u32,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
}

impl GroupStats {
    pub fn of(values: impl IntoIterator<Item = f64>) -> GroupStats {
        let (mut count, mut sum) = (0u32, 0.0);
        let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values {
            count += 1;
            sum += v;
            min = min.min(v);
            max = max.max(v);
        }
        if count == 0 {
            return GroupStats {
                count,
                min: 0.0,
                max: 0.0,
                mean: 0.0,
            };
        }
        GroupStats {
            count,
            min,
            max,
            mean: sum / count as f64,
        }
    }

    pub fn best(&self, direction: Direction) -> f64 {
        match direction {
            Direction::HigherIsBetter => self.max,
            Direction::LowerIsBetter => self.min,
        }
    }

    pub fn worst(&self, direction: Direction) -> f64 {
        match direction {
            Direction::HigherIsBetter => self.min,
            Direction::LowerIsBetter => self.max,
        }
    }
}
