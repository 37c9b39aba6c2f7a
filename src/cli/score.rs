//! `jingbiao score`: one period's league tables, with movement against earlier periods.

use std::path::PathBuf;

use super::progress::Bar;
use super::{emit, emit_json, keep_group, keep_group_streamed, pick_period, Folders, Format};
use crate::diag::{Diagnostic, Sources};
use crate::loader;
use crate::report::{self, html, league, xlsx, Lang};
use crate::result::PeriodResult;
use crate::timeline;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub folders: Folders,
    /// The period to score, e.g. 2023-Q2 [default: the latest with data].
    #[arg(long)]
    pub period: Option<String>,
    /// Show only this group (its id from campaign.toml).
    #[arg(long)]
    pub group: Option<String>,
    /// table, json, csv, md, html (a self-contained bulletin with charts) or xlsx (a
    /// workbook; needs --out).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file instead of standard output (all or nothing).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Language of headings, labels and sentences (names from the rules and data stay as
    /// written).
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
    /// With --format json: every unit's scorecard too (each indicator's value, target,
    /// expected value, completion, rank, points and status).
    #[arg(long)]
    pub cells: bool,
}

pub fn run(args: &Args, sources: &mut Sources) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut loaded = loader::load_rules(&args.folders.rules, sources)?;
    let data = args.folders.data();
    let period = pick_period(&data, args.period.as_deref(), &loaded)?;
    let mut bar = Bar::new();
    let mut tl = timeline::run_with_progress(
        &mut loaded,
        &data,
        period,
        true,
        sources,
        &mut |done, total, p| bar.update(done, total, p),
    )?;
    let mut entry = tl
        .entries
        .remove(&period)
        .expect("the last period is always scored");
    // The league tables need no scorecards: only the Excel bulletin (its detail sheet) and
    // JSON with --cells show them.
    if !(args.cells || args.format == Format::Xlsx) {
        entry.facts.slim();
    }
    tl.notes.extend(report::quality::notes(
        &loaded.campaign,
        period,
        &tl.suspects,
        args.lang,
    ));
    if let Some(stands) = &tl.stands {
        tl.notes
            .push(report::published::stands_note(stands, args.lang));
    }
    if args.format == Format::Json {
        // Streamed: a national result is tens of megabytes of JSON, its warnings named one
        // at a time as they are written.
        let mut result = PeriodResult::into_streamed(&loaded.campaign, entry.facts);
        keep_group_streamed(&loaded.campaign, &mut result, args.group.as_deref())?;
        emit_json(&result, args.out.as_deref(), &loaded)?;
        return Ok(tl.notes);
    }
    let mut result = entry.into_result(&loaded.campaign);
    keep_group(&loaded.campaign, &mut result, args.group.as_deref())?;
    let bytes = match args.format {
        Format::Html => {
            // Earlier periods, oldest first, for the rank-trend chart.
            let earlier: Vec<crate::result::PeriodResult> = tl
                .entries
                .values()
                .map(|e| e.result(&loaded.campaign))
                .collect();
            let earlier: Vec<&crate::result::PeriodResult> = earlier.iter().collect();
            html::bulletin(&result, &earlier, args.lang).into_bytes()
        }
        Format::Xlsx => xlsx::bulletin(&result, args.lang).map_err(super::render_failed)?,
        format => report::render(
            format,
            args.lang,
            || league::document_in(&result, args.lang),
            || league::flat_in(&result, args.lang),
            &result,
        )
        .map_err(super::render_failed)?,
    };
    emit(&bytes, args.out.as_deref(), &loaded)?;
    Ok(tl.notes)
}
