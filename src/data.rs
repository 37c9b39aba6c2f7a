//! One period's submitted data: each unit's values on its indicators and its events
//! (bonus, penalty and veto matters). Built by the loader; read by the evaluator.

use chrono::NaiveDate;

use crate::diag::Origin;
use crate::item::Report;
use crate::period::Period;

#[derive(Debug, Clone)]
pub struct PeriodData {
    pub period: Period,
    /// `values[indicator][assignment]`, aligned with `Indicator::assignments`. `None` is a
    /// missing value: never read as zero.
    pub values: Vec<Vec<Option<f64>>>,
    /// Did the unit submit anything at all this period?
    pub submitted: Vec<bool>,
    /// Each unit's events, in file order.
    pub events: Vec<Vec<Event>>,
    /// Progress of each key work item (aligned with `Campaign::items`), when the period has
    /// items under way; `None` for periods before any item starts.
    pub progress: Option<Vec<Option<ItemReport>>>,
    /// The files read, labelled by name in the period folder, for fingerprints.
    pub files: Vec<(String, crate::diag::FileId)>,
}

/// A progress report and where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemReport {
    pub report: Report,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: String,
    /// The kind's position in `Campaign::event_kinds`.
    pub kind_index: usize,
    pub date: NaiveDate,
    pub note: String,
}
