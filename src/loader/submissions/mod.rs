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
        let read =
            csv_table::Stream::open(sources, file, "unit,indicator,value").and_then(|stream| {
                if wide::is_wide(&stream.header, campaign) {
                    wide::read(&mut figures, stream.into_raw()?);
                    Ok(())
                } else {
                    long::read(sources, &mut figures, stream)
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// `mini`'s rules with these metrics files (and no events or progress), through [`build`].
    fn read(texts: &[&str]) -> Result<PeriodData, Vec<Diagnostic>> {
        let mut sources = Sources::new();
        let loaded =
            crate::loader::load_rules(Path::new("tests/fixtures/mini/rules"), &mut sources)
                .unwrap_or_else(|_| panic!("mini loads"));
        let files: Vec<FileId> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| sources.add(format!("metrics{i}.csv"), t.to_string()))
            .collect();
        let period = Period::parse("2023-Q2", loaded.campaign.period_kind).unwrap();
        build(
            &sources,
            &loaded.campaign,
            period,
            &files,
            None,
            None,
            "data/",
        )
    }

    const LONG: &str = "unit,indicator,value\na,gdp,6.2\na,invest,55\nb,gdp,5.4\nx,project,40\n";
    const WIDE: &str = "unit,gdp,invest,project\na,6.2,55,\nb,5.4,,\nx,,,40\ny,,,\n";

    #[test]
    fn both_layouts_give_the_same_figures() {
        let (long, wide) = (read(&[LONG]).unwrap(), read(&[WIDE]).unwrap());
        assert_eq!(long.values, wide.values);
        // A wide row left blank is a unit that sent nothing.
        assert_eq!(long.submitted, wide.submitted);
        assert_eq!(
            long.submitted,
            [true, true, false, false, true, false, false]
        );
    }

    #[test]
    fn figures_given_twice_are_reported_once_a_line_in_either_layout() {
        // Long then wide: each wide row repeating a figure (a, b, x; y sent nothing).
        // Wide then long: each long row.
        for (texts, lines) in [([LONG, WIDE], 3), ([WIDE, LONG], 4)] {
            let errors = read(&texts).expect_err("duplicates");
            assert_eq!(errors.len(), lines, "{errors:?}");
            assert!(errors
                .iter()
                .all(|e| e.kind == crate::diag::Kind::Duplicate));
        }
        // The unit's blank cells in a wide row that gives figures are its word too.
        let errors = read(&[
            "unit,gdp,invest\na,6.2,\n",
            "unit,indicator,value\na,invest,1\n",
        ]);
        assert_eq!(errors.err().map(|e| e.len()), Some(1));
    }
}
