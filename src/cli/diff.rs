//! `jingbiao diff OLD NEW`: what a rule edit changes for a period, before it is published.

use std::path::PathBuf;

use super::{emit, pick_period, Format};
use crate::diag::{Diagnostic, Sources};
use crate::evaluate::evaluate;
use crate::loader;
use crate::report::{self, diff, Lang};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The campaign folder as it was.
    pub old: PathBuf,
    /// The campaign folder as edited.
    pub new: PathBuf,
    /// Data folder [default: scenarios/<NEW's folder name>].
    pub data: Option<PathBuf>,
    /// The period, e.g. 2023-Q2 [default: the latest with data].
    #[arg(long)]
    pub period: Option<String>,
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
    let mut old = loader::load_rules(&args.old, sources)?;
    let mut new = loader::load_rules(&args.new, sources)?;
    let data = args
        .data
        .clone()
        .unwrap_or_else(|| super::default_data(&args.new));
    let period = pick_period(&data, args.period.as_deref(), &new)?;
    let before_data = loader::load_period(&data, period, &mut old, sources)?;
    let after_data = loader::load_period(&data, period, &mut new, sources)?;
    let before = evaluate(&old.campaign, &before_data, &old.scripts, sources)?;
    let after = evaluate(&new.campaign, &after_data, &new.scripts, sources)?;
    let d = diff::compare(&before, &after);
    let (doc, flat) = diff::document(
        &d,
        &new.campaign.name,
        new.campaign.rounding.decimals,
        args.lang,
    );
    let bytes = report::render(args.format, args.lang, || doc, || flat, &d)
        .map_err(super::render_failed)?;
    new.inputs.extend(old.inputs);
    emit(&bytes, args.out.as_deref(), &new)?;
    Ok(Vec::new())
}
