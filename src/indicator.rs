//! An indicator (指标): what is measured, for whom, against which targets, and how it is
//! scored. The scoring formulas themselves are in [`crate::methods`].

use crate::diag::Origin;

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    /// Unit of measure, e.g. `%` or `亿元`.
    pub measure: String,
    pub category: usize,
    /// Points at full marks.
    pub weight: f64,
    pub direction: Direction,
    pub kind: IndicatorKind,
    /// Decimals of the actual value as published; values are rounded to them before use.
    pub decimals: u32,
    /// Time progress per period (fractions) for amount indicators; overrides the campaign's.
    pub schedule: Option<Vec<f64>>,
    pub method: Method,
    pub thresholds: Thresholds,
    /// The units scored on it, in display order, with their targets.
    pub assignments: Vec<Assignment>,
    pub source: Source,
    pub origin: Origin,
    /// The values it can plausibly take.
    pub plausible: Plausible,
}

/// Completion ratios below which an indicator is lagging (the campaign's defaults, or the
/// indicator's own).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Below this: 滞后 (yellow).
    pub yellow: f64,
    /// Below this: 严重滞后 (red).
    pub red: f64,
}

/// Where an indicator's values come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Reported in metrics.csv.
    Metrics,
    /// The unit's on-schedule rate (%) of its key work items under way, optionally of one
    /// category. A unit with no items under way is at 100%: nothing of it is behind.
    Items { category: Option<usize> },
}

/// A unit scored on an indicator, and its target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assignment {
    pub unit: usize,
    pub target: f64,
    /// 力争目标, if any.
    pub stretch: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

impl Direction {
    /// +1 for higher-is-better, −1 for lower-is-better.
    pub fn sign(self) -> f64 {
        match self {
            Direction::HigherIsBetter => 1.0,
            Direction::LowerIsBetter => -1.0,
        }
    }

    /// Is `a` strictly better than `b`?
    pub fn better(self, a: f64, b: f64) -> bool {
        match self {
            Direction::HigherIsBetter => a > b,
            Direction::LowerIsBetter => a < b,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorKind {
    /// 增速类: the year-to-date value is compared with the annual target as it stands.
    Rate,
    /// 总量类: cumulative; expected = annual target × time progress.
    Amount,
}

/// How an indicator's points are computed.
#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    /// 目标完成计分法.
    Completion {
        /// Full points if met, else none.
        all_or_nothing: bool,
        /// Largest completion ratio credited (proportional mode).
        cap: f64,
        /// Extra share of the weight at the stretch target, linear from the base target.
        stretch_bonus: f64,
    },
    /// 功效系数法: d = 60 + 40 × (x − x_s) / (x_h − x_s), points = weight × d / 100.
    Efficacy {
        high: Anchor,
        low: Anchor,
        max_d: f64,
    },
    /// 争先进位计分法: 1st gets full points, each place `step` less.
    Rank { step: f64 },
    /// Relative to the group average.
    Average {
        step: f64,
        points_per_step: f64,
        /// Largest points as a multiple of the weight.
        cap: f64,
        /// Smallest points.
        floor: f64,
    },
    /// A Rhai function, whose points must lie between `floor` and `cap` × weight.
    Script {
        function: String,
        cap: f64,
        floor: f64,
    },
}

/// A reference value of the efficacy coefficient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Anchor {
    /// The unit's target (expected value by the period).
    Target,
    /// The best actual value in the group.
    Best,
    /// The worst actual value in the group.
    Worst,
    Value(f64),
}

impl Method {
    /// The method's name in Chinese, as the office calls it.
    pub fn label_zh(&self) -> &'static str {
        match self {
            Method::Completion { .. } => "目标完成",
            Method::Efficacy { .. } => "功效系数",
            Method::Rank { .. } => "争先进位",
            Method::Average { .. } => "对标均值",
            Method::Script { .. } => "自定义脚本",
        }
    }
}

/// The values an indicator can plausibly take (`min`, `max` in indicators.toml). Amounts
/// (and counts, which are amounts too) are never negative unless `min` says otherwise; a
/// rate (a growth rate can be negative) has no bound unless one is declared.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plausible {
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Where `min` was declared, if it was (else it is the kind's default).
    pub min_origin: Option<Origin>,
    /// Where `max` was declared.
    pub max_origin: Option<Origin>,
}

/// A figure outside an indicator's plausible range: the bound it crosses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OutOfRange {
    Below(f64),
    Above(f64),
}

impl Plausible {
    /// The range of an indicator of `kind` with the declared bounds.
    pub fn of(
        kind: IndicatorKind,
        min: Option<(f64, Origin)>,
        max: Option<(f64, Origin)>,
    ) -> Plausible {
        let default_min = match kind {
            IndicatorKind::Amount => Some(0.0),
            IndicatorKind::Rate => None,
        };
        Plausible {
            min: min.as_ref().map(|m| m.0).or(default_min),
            max: max.as_ref().map(|m| m.0),
            min_origin: min.map(|m| m.1),
            max_origin: max.map(|m| m.1),
        }
    }

    /// Whether `x` lies outside the range, and which bound it crosses.
    pub fn check(&self, x: f64) -> Option<OutOfRange> {
        match (self.min, self.max) {
            (Some(m), _) if x < m => Some(OutOfRange::Below(m)),
            (_, Some(m)) if x > m => Some(OutOfRange::Above(m)),
            _ => None,
        }
    }
}
