//! One period's submitted data: each unit's values on its indicators and its events
//! (bonus, penalty and veto matters). Built by the loader; read by the evaluator.

use chrono::NaiveDate;

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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: String,
    pub date: NaiveDate,
    pub note: String,
}
