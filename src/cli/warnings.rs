//! `jingbiao warnings`: the open warnings of a period with their age, follow-up, escalation
//! and history, red first; the ones closed this period with `--closed`.

use std::path::PathBuf;

use super::{emit, emit_json, keep_group, keep_group_streamed, pick_period, Folders, Format};
use crate::diag::{Diagnostic, Sources};
use crate::loader;
use crate::report::{self, warnings, Lang};
use crate::result::PeriodResult;
use crate::timeline;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub folders: Folders,
    /// The period, e.g. 2023-Q2 [default: the latest with data].
    #[arg(long)]
    pub period: Option<String>,
    /// Show only this group.
    #[arg(long)]
    pub group: Option<String>,
    /// Also list the warnings closed this period (已整改).
    #[arg(long)]
    pub closed: bool,
    /// Language of headings, labels and sentences (names from the rules and data stay as
    /// written).
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: &Args, sources: &mut Sources) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut loaded = loader::load_rules(&args.folders.rules, sources)?;
    let data = args.folders.data();
    let period = pick_period(&data, args.period.as_deref(), &loaded)?;
    let mut tl = timeline::run(&mut loaded, &data, period, false, sources)?;
    let mut entry = tl.entries.remove(&period).expect("scored");
    // The warnings report reads no scorecards: they are dropped before naming (a national
    // period's cells are tens of megabytes).
    entry.facts.slim();
    if args.format == Format::Json {
        // Streamed: the open warnings named as they are written (as `score` does).
        let mut streamed = PeriodResult::into_streamed(&loaded.campaign, entry.facts);
        keep_group_streamed(&loaded.campaign, &mut streamed, args.group.as_deref())?;
        let json = warnings::Streamed {
            campaign: &streamed.result.campaign,
            period: &streamed.result.period,
            open: streamed.named_warnings(),
            closed: args.closed.then_some(&streamed.result.closed[..]),
        };
        emit_json(&json, args.out.as_deref(), &loaded)?;
        return Ok(tl.notes);
    }
    let mut result = entry.into_result(&loaded.campaign);
    keep_group(&loaded.campaign, &mut result, args.group.as_deref())?;
    let bytes = report::render(
        args.format,
        args.lang,
        || warnings::document(&result, args.closed, args.lang),
        || warnings::flat(&result, args.closed, args.lang),
        &warnings::data(&result, args.closed),
    )
    .map_err(super::render_failed)?;
    emit(&bytes, args.out.as_deref(), &loaded)?;
    Ok(tl.notes)
}
