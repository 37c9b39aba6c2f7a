//! Data quality (数据质量): figures that are probably a slip, found before they are scored.
//! Not errors (a figure can really jump), but warnings the office confirms before it
//! publishes:
//!
//! - a figure at least `ratio` times, or at most 1/`ratio` of, the unit's figure of the
//!   previous period (a year-to-date amount compared at its pace: the figure ÷ the time
//!   progress of its period, so a new year's first figure compares with the last one);
//! - a figure at least `ratio` times, or at most 1/`ratio` of, the median of its group's
//!   figures on the indicator (three figures or more); amounts at each unit's scale: the
//!   median of figure ÷ target, times the unit's own target;
//! - a year-to-date amount (`kind = "amount"`) that falls from one period to the next within
//!   a year.
//!
//! Figures smaller than `near_zero` (either sign) are never compared by ratio. Pure: the
//! campaign and two periods' data in, facts out (sentences are written by the report).

use crate::campaign::Campaign;
use crate::data::PeriodData;
use crate::indicator::{IndicatorKind, Source};

/// What makes a figure suspicious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SuspectKind {
    /// Far from the unit's figure of the previous period.
    Previous,
    /// Far from the median of its group.
    GroupMedian,
    /// A year-to-date amount below the previous period's.
    YearToDateFell,
}

impl SuspectKind {
    /// The kind's name in a published file.
    pub fn code(self) -> &'static str {
        match self {
            SuspectKind::Previous => "previous",
            SuspectKind::GroupMedian => "group-median",
            SuspectKind::YearToDateFell => "year-to-date-fell",
        }
    }
}

/// A suspicious figure, by position in the campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct Suspect {
    pub kind: SuspectKind,
    pub unit: usize,
    pub indicator: usize,
    /// The figure as reported.
    pub value: f64,
    /// What it was compared with: the previous figure, or the group's median (for an amount,
    /// the median of figure ÷ target, times the unit's target).
    pub against: f64,
    /// How many times `against` the figure is (amounts against their previous figure: at
    /// the pace of each period).
    pub ratio: f64,
}

/// The suspicious figures of `data`, with `previous` the data of the period before it if
/// there is any; ordered by unit (display order), indicator and kind.
pub fn check(c: &Campaign, data: &PeriodData, previous: Option<&PeriodData>) -> Vec<Suspect> {
    let q = c.quality;
    let previous = previous.filter(|p| p.period == data.period.previous());
    let same_year = previous.is_some_and(|p| p.period.year == data.period.year);
    let far = |x: f64, y: f64| -> Option<f64> {
        if x.abs() < q.near_zero || y.abs() < q.near_zero || y == 0.0 {
            return None;
        }
        let r = x.abs() / y.abs();
        (r >= q.ratio || r <= 1.0 / q.ratio).then_some(r)
    };
    let mut out = Vec::new();
    for (ii, ind) in c.indicators.iter().enumerate() {
        if ind.source != Source::Metrics {
            continue;
        }
        let values = &data.values[ii];
        // Against the unit's previous figure.
        if let Some(prev) = previous {
            let pace = |period: crate::period::Period| match ind.kind {
                IndicatorKind::Amount => c.progress(ind, period.index),
                IndicatorKind::Rate => 1.0,
            };
            let (now, then) = (pace(data.period), pace(prev.period));
            for (ai, a) in ind.assignments.iter().enumerate() {
                let (Some(x), Some(y)) = (values[ai], prev.values[ii][ai]) else {
                    continue;
                };
                if now > 0.0 && then > 0.0 {
                    if let Some(ratio) = far(x / now, y / then) {
                        out.push(Suspect {
                            kind: SuspectKind::Previous,
                            unit: a.unit,
                            indicator: ii,
                            value: x,
                            against: y,
                            ratio,
                        });
                        continue;
                    }
                }
                if same_year && ind.kind == IndicatorKind::Amount && x < y {
                    out.push(Suspect {
                        kind: SuspectKind::YearToDateFell,
                        unit: a.unit,
                        indicator: ii,
                        value: x,
                        against: y,
                        ratio: if y != 0.0 { x / y } else { 0.0 },
                    });
                }
            }
        }
        // Against the median of the unit's group: amounts at each unit's scale (the figure
        // ÷ its target: a small county's amounts are small), rates as they are.
        let scale = |a: &crate::indicator::Assignment| match ind.kind {
            IndicatorKind::Amount => (a.target > 0.0).then_some(a.target),
            IndicatorKind::Rate => Some(1.0),
        };
        for g in 0..c.groups.len() {
            let in_group = || {
                ind.assignments
                    .iter()
                    .zip(values)
                    .filter(|(a, _)| c.units[a.unit].group == g)
                    .filter_map(|(a, v)| Some((a, (*v)?, scale(a)?)))
            };
            let mut figures: Vec<f64> = in_group().map(|(_, x, s)| x / s).collect();
            if figures.len() < 3 {
                continue;
            }
            let median = median(&mut figures);
            for (a, x, s) in in_group() {
                if let Some(ratio) = far(x, median * s) {
                    out.push(Suspect {
                        kind: SuspectKind::GroupMedian,
                        unit: a.unit,
                        indicator: ii,
                        value: x,
                        against: median * s,
                        ratio,
                    });
                }
            }
        }
    }
    out.sort_by_key(|s| (s.unit, s.indicator, s.kind));
    out
}

/// The median of `xs` (not empty), sorting them.
fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}
