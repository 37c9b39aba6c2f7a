//! `jingbiao publish --period P`: freeze a period's results, with fingerprints of the rules
//! and data that produced them, into `rules/NAME/published/P.json` (see [`crate::timeline::publish`]).

use super::{pick_period, Folders};
use crate::diag::{Diagnostic, Sources};
use crate::loader;
use crate::report::{quality, Lang};
use crate::timeline;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub folders: Folders,
    /// The period to publish, e.g. 2023-Q2.
    #[arg(long)]
    pub period: String,
    /// Replace results already published for the period.
    #[arg(long)]
    pub force: bool,
    /// Publish although data-quality warnings (数据质量) stand: the published file records
    /// them as accepted.
    #[arg(long)]
    pub accept_quality: bool,
    /// Language of the data-quality warnings.
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
}

pub fn run(args: &Args, sources: &mut Sources) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut loaded = loader::load_rules(&args.folders.rules, sources)?;
    let data = args.folders.data();
    let period = pick_period(&data, Some(&args.period), &loaded)?;
    // Data-quality warnings stop publishing unless the office accepts them.
    let accept = |c: &crate::campaign::Campaign, suspects: &[crate::quality::Suspect]| {
        if suspects.is_empty() || args.accept_quality {
            Ok(())
        } else {
            Err(quality::refusal(c, period, suspects, args.lang))
        }
    };
    // One publish of a period at a time: a second is refused while this one runs.
    let what = format!("a publish of {period}");
    let _lock = crate::output::lock(&loader::published_path(&loaded, period), &what)
        .map_err(|e| vec![e])?;
    let done = timeline::publish(&mut loaded, &data, period, args.force, &accept, sources)?;
    super::say(&format!(
        "已发布 {period} → {}（规则指纹 {}，数据指纹 {}）",
        done.path.display(),
        &done.published.fingerprint.rules[..12],
        &done.published.fingerprint.data[..12]
    ));
    Ok(done.notes)
}
