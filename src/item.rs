//! Key work items (重点工作事项): each has an owner, a start, a due date and a planned
//! progress by date (milestones, or linear between start and due). At a period's end each
//! item gets a status from its reported progress and completion date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diag::Origin;

#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub title: String,
    /// The owner unit.
    pub owner: usize,
    /// Its category (a free label of items.csv, e.g. 项目建设): a position in
    /// `Campaign::item_categories`.
    pub category: usize,
    pub start: NaiveDate,
    pub due: NaiveDate,
    /// (date, planned progress in %), strictly inside (start, due), increasing.
    pub milestones: Vec<(NaiveDate, f64)>,
    pub origin: Origin,
}

/// How far behind plan an item may be and still be on schedule, and when it turns red.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemRules {
    /// Percentage points behind (or ahead of) plan still counted 达进度.
    pub tolerance: f64,
    /// Percentage points behind plan beyond which the warning is red.
    pub red_gap: f64,
}

impl Default for ItemRules {
    fn default() -> Self {
        ItemRules {
            tolerance: 5.0,
            red_gap: 20.0,
        }
    }
}

impl Item {
    /// Planned progress (%) at the end of `date`: piecewise linear through (start, 0),
    /// the milestones and (due, 100).
    pub fn planned(&self, date: NaiveDate) -> f64 {
        if date < self.start {
            return 0.0;
        }
        if date >= self.due {
            return 100.0;
        }
        let mut prev = (self.start, 0.0);
        for &point in self
            .milestones
            .iter()
            .chain(std::iter::once(&(self.due, 100.0)))
        {
            if date <= point.0 {
                let span = (point.0 - prev.0).num_days() as f64;
                let done = (date - prev.0).num_days() as f64;
                let p = prev.1 + (point.1 - prev.1) * done / span;
                return crate::rounding::snap(p);
            }
            prev = point;
        }
        100.0
    }
}

/// The status of an item at a period's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemStatus {
    /// 提前完成: finished before it was due, and it is not yet due.
    Early,
    /// 按时完成: finished by its due date.
    OnTime,
    /// 逾期完成: finished after its due date.
    Late,
    /// 超进度: ahead of plan by more than the tolerance.
    Ahead,
    /// 达进度: within the tolerance of plan.
    OnTrack,
    /// 欠进度: behind plan by more than the tolerance.
    Behind,
    /// 未启动: no progress although the plan expects some.
    NotStarted,
    /// 逾期未完成: due, and not finished.
    Overdue,
    /// 未报送: no progress reported this period.
    Unreported,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 9] = [
        ItemStatus::Early,
        ItemStatus::OnTime,
        ItemStatus::Late,
        ItemStatus::Ahead,
        ItemStatus::OnTrack,
        ItemStatus::Behind,
        ItemStatus::NotStarted,
        ItemStatus::Overdue,
        ItemStatus::Unreported,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            ItemStatus::Early => "提前完成",
            ItemStatus::OnTime => "按时完成",
            ItemStatus::Late => "逾期完成",
            ItemStatus::Ahead => "超进度",
            ItemStatus::OnTrack => "达进度",
            ItemStatus::Behind => "欠进度",
            ItemStatus::NotStarted => "未启动",
            ItemStatus::Overdue => "逾期未完成",
            ItemStatus::Unreported => "未报送",
        }
    }

    /// Counted as on schedule (按时序完成)?
    pub fn on_schedule(self) -> bool {
        matches!(
            self,
            ItemStatus::Early | ItemStatus::OnTime | ItemStatus::Ahead | ItemStatus::OnTrack
        )
    }
}

/// A unit's report on an item for a period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Report {
    /// Cumulative progress in %, 0 to 100.
    pub progress: f64,
    pub completed: Option<NaiveDate>,
}

/// The status of `item` at the end of `end`, from its report.
pub fn status(
    item: &Item,
    report: Option<&Report>,
    end: NaiveDate,
    rules: &ItemRules,
) -> ItemStatus {
    let Some(r) = report else {
        return ItemStatus::Unreported;
    };
    if let Some(done) = r.completed {
        return if done > item.due {
            ItemStatus::Late
        } else if item.due > end {
            ItemStatus::Early
        } else {
            ItemStatus::OnTime
        };
    }
    if item.due <= end {
        return ItemStatus::Overdue;
    }
    let planned = item.planned(end);
    if r.progress <= 0.0 && planned > 0.0 {
        ItemStatus::NotStarted
    } else if r.progress - planned > rules.tolerance {
        ItemStatus::Ahead
    } else if planned - r.progress > rules.tolerance {
        ItemStatus::Behind
    } else {
        ItemStatus::OnTrack
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn item(milestones: &[(&str, f64)]) -> Item {
        Item {
            id: "i".into(),
            title: "t".into(),
            owner: 0,
            category: 0,
            start: d("2023-01-01"),
            due: d("2023-12-31"),
            milestones: milestones.iter().map(|(s, p)| (d(s), *p)).collect(),
            origin: Origin {
                file: 0,
                span: 0..0,
            },
        }
    }

    #[test]
    fn planned_progress_is_piecewise_linear() {
        let it = item(&[("2023-03-31", 20.0), ("2023-06-30", 50.0)]);
        assert_eq!(it.planned(d("2022-12-31")), 0.0);
        assert_eq!(it.planned(d("2023-03-31")), 20.0);
        assert_eq!(it.planned(d("2023-06-30")), 50.0);
        // Half-way from 2023-06-30 (50%) to 2023-12-31 (100%): 184 days, 92 in.
        assert_eq!(it.planned(d("2023-09-30")), 75.0);
        assert_eq!(it.planned(d("2024-01-01")), 100.0);
        // Linear without milestones: 2023-07-02 is day 182 of 364.
        assert_eq!(item(&[]).planned(d("2023-07-02")), 50.0);
    }

    #[test]
    fn every_status() {
        let rules = ItemRules::default();
        let q2 = d("2023-06-30");
        let it = item(&[("2023-06-30", 50.0)]);
        let r = |progress, completed: Option<&str>| Report {
            progress,
            completed: completed.map(d),
        };
        let st = |it: &Item, rep: Report| status(it, Some(&rep), q2, &rules);
        assert_eq!(st(&it, r(100.0, Some("2023-06-01"))), ItemStatus::Early);
        assert_eq!(st(&it, r(56.0, None)), ItemStatus::Ahead);
        assert_eq!(st(&it, r(55.0, None)), ItemStatus::OnTrack);
        assert_eq!(st(&it, r(45.0, None)), ItemStatus::OnTrack);
        assert_eq!(st(&it, r(44.0, None)), ItemStatus::Behind);
        assert_eq!(st(&it, r(0.0, None)), ItemStatus::NotStarted);
        let mut h1 = item(&[]);
        h1.due = d("2023-05-31");
        assert_eq!(st(&h1, r(100.0, Some("2023-05-31"))), ItemStatus::OnTime);
        assert_eq!(st(&h1, r(100.0, Some("2023-06-10"))), ItemStatus::Late);
        assert_eq!(st(&h1, r(90.0, None)), ItemStatus::Overdue);
        assert_eq!(status(&h1, None, q2, &rules), ItemStatus::Unreported);
        // Not yet due to start: nothing expected, nothing done, on schedule.
        let mut later = item(&[]);
        later.start = d("2023-09-01");
        assert_eq!(st(&later, r(0.0, None)), ItemStatus::OnTrack);
    }
}
