//! What evaluation produces for one period: league tables per group, each unit's scorecard,
//! and the warnings. Published figures are [`Decimal`]s, rounded as the campaign says.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::script::AdjustmentKind;

#[derive(Debug, Clone, Serialize)]
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
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryInfo {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupResult {
    pub id: String,
    pub name: String,
    /// By rank, ties in display order.
    pub units: Vec<UnitResult>,
}

#[derive(Debug, Clone, Serialize)]
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
    pub submitted: bool,
    pub red: u32,
    pub yellow: u32,
    pub missing: u32,
    pub cells: Vec<CellResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Adjustment {
    pub kind: AdjustmentKind,
    /// Signed: penalties are negative.
    pub points: Decimal,
    pub reason: String,
    pub line: Option<usize>,
}

/// One unit on one indicator.
#[derive(Debug, Clone, Serialize)]
pub struct CellResult {
    pub indicator: String,
    pub name: String,
    pub method: &'static str,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    /// An indicator behind its expected value.
    Lagging,
    /// A value the unit did not report.
    MissingValue,
    /// A unit that reported nothing this period.
    NotSubmitted,
}

#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub level: Level,
    pub kind: WarningKind,
    pub group: String,
    pub unit: String,
    pub unit_name: String,
    pub indicator: Option<String>,
    pub indicator_name: Option<String>,
    /// What is wrong, in Chinese, as a bulletin would say it.
    pub message: String,
}
