//! `jingbiao explain UNIT`: one unit's scorecard with the formulas, adjustments, and how its
//! rank and tier were decided.

use std::path::PathBuf;

use super::{emit, pick_period, Format};
use crate::diag::{Diagnostic, Sources};
use crate::explain::{document, explain};
use crate::loader;
use crate::report::{self, Lang};
use crate::timeline;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The unit's id (from units.csv).
    pub unit: String,
    /// The period, e.g. 2023-Q2 [default: the latest with data].
    #[arg(long)]
    pub period: Option<String>,
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
    loaded.campaign.find_unit(&args.unit).map_err(|e| vec![e])?;
    let data = args
        .data
        .clone()
        .unwrap_or_else(|| super::default_data(&args.rules));
    let period = pick_period(&data, args.period.as_deref(), &loaded)?;
    // Explain what the current rules give: the formulas are the rules'.
    let mut tl = timeline::run(&mut loaded, &data, period, true, sources)?;
    let result = tl
        .entries
        .remove(&period)
        .expect("scored")
        .result(&loaded.campaign);
    let e = explain(
        &loaded.campaign,
        &loaded.scripts,
        sources,
        &result,
        &args.unit,
        args.lang,
    )
    .expect("the unit is in the campaign");
    let (doc, flat) = document(&e, args.lang);
    let bytes = report::render(args.format, args.lang, || doc, || flat, &e)
        .map_err(super::render_failed)?;
    emit(&bytes, args.out.as_deref(), &loaded)?;
    Ok(tl.notes)
}
