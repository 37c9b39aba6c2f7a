//! Builds a period's [`PeriodData`] from its metrics (long or wide layout, one file or
//! several), events.csv and progress.csv. Both layouts of metrics give the same lines to one
//! check ([`metrics::Figures`]).

mod events;
mod long;
mod metrics;
mod progress;
mod wide;

use crate::campaign::Campaign;
use crate::data::PeriodData;
use crate::diag::{Diagnostic, FileId, Sources};
use crate::loader::csv_table;
use crate::period::Period;

pub fn build(
    sources: &Sources,
    campaign: &Campaign,
    period: Period,
    metrics: &[FileId],
    events: Option<FileId>,
    progress: Option<FileId>,
    dir: &str,
) -> Result<PeriodData, Vec<Diagnostic>> {
    // Every unit's figures, across the files.
    let mut figures = metrics::Figures::new(campaign, period);
    for &file in metrics {
        figures.file(file);
        let read = csv_table::read_raw(sources, file, "unit,indicator,value").and_then(|raw| {
            if wide::is_wide(&raw, campaign) {
                wide::read(&mut figures, raw);
                Ok(())
            } else {
                long::read(sources, &mut figures, raw)
            }
        });
        if let Err(mut e) = read {
            figures.errors.append(&mut e);
        }
    }
    let (mut data, mut errors) = figures.finish();
    if let Some(file) = events {
        events::read(sources, campaign, period, file, &mut data, &mut errors);
    }
    match progress::read(sources, campaign, period, dir, progress) {
        Ok(p) => data.progress = p,
        Err(mut e) => errors.append(&mut e),
    }
    if errors.is_empty() {
        Ok(data)
    } else {
        Err(errors)
    }
}
