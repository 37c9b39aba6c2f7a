//! The data-quality warnings of a period ([`crate::quality`]): its data against its own
//! groups' medians and against the previous period's data, if there is any.

use std::path::Path;

use crate::data::PeriodData;
use crate::diag::Sources;
use crate::loader::{self, Loaded};
use crate::period::Period;
use crate::quality::{self, Suspect};

/// The suspicious figures of `period`, reading its data and the previous period's. Data that
/// cannot be read is not looked at here: the command's own reading reports its problems.
pub(super) fn of_period(
    loaded: &mut Loaded,
    data: &Path,
    period: Period,
    sources: &mut Sources,
) -> Vec<Suspect> {
    let Ok(now) = loader::load_period(data, period, loaded, sources) else {
        return Vec::new();
    };
    let previous = previous_data(loaded, data, period, sources);
    quality::check(&loaded.campaign, &now, previous.as_ref())
}

/// The previous period's data, if it has a folder and it reads.
fn previous_data(
    loaded: &mut Loaded,
    data: &Path,
    period: Period,
    sources: &mut Sources,
) -> Option<PeriodData> {
    let previous = period.previous();
    let periods = loader::list_periods(data, &loaded.campaign).ok()?;
    if !periods.contains(&previous) {
        return None;
    }
    loader::load_period(data, previous, loaded, sources).ok()
}
