//! `jingbiao trend [UNIT] [--group ID]`: ranks, totals and tiers across all periods.

use std::path::PathBuf;

use super::{emit, pick_period, Format};
use crate::diag::{Diagnostic, Sources};
use crate::loader;
use crate::report::{self, trend, Lang};
use crate::timeline;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// One unit's id; without it, every unit of every group (or of --group).
    pub unit: Option<String>,
    /// Show only this group.
    #[arg(long)]
    pub group: Option<String>,
    /// Campaign folder.
    #[arg(long, default_value = super::DEFAULT_RULES)]
    pub rules: PathBuf,
    /// Data folder [default: scenarios/<campaign folder name>].
    #[arg(long)]
    pub data: Option<PathBuf>,
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
    let mut loaded = loader::load_rules(&args.rules, sources)?;
    let data = args
        .data
        .clone()
        .unwrap_or_else(|| super::default_data(&args.rules));
    let last = pick_period(&data, None, &loaded)?;
    if let Some(u) = &args.unit {
        loaded.campaign.find_unit(u).map_err(|e| vec![e])?;
    }
    if let Some(g) = &args.group {
        loaded.campaign.find_group(g).map_err(|e| vec![e])?;
    }
    let tl = timeline::run(&mut loaded, &data, last, false, sources)?;
    let results: Vec<_> = tl
        .entries
        .values()
        .map(|e| (e.result(&loaded.campaign), e.published.is_some()))
        .collect();
    let points: Vec<trend::Point> = results
        .iter()
        .map(|(result, published)| trend::Point {
            result,
            published: *published,
        })
        .collect();
    let (doc, flat) = match &args.unit {
        Some(u) => trend::unit_document(&points, u, args.lang),
        None => trend::group_document(&points, args.group.as_deref(), args.lang),
    };
    let json = trend::data(&points, args.group.as_deref(), args.unit.as_deref());
    let bytes = report::render(args.format, args.lang, || doc, || flat, &json)
        .map_err(super::render_failed)?;
    emit(&bytes, args.out.as_deref(), &loaded)?;
    Ok(tl.notes)
}
