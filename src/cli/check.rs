//! `jingbiao check`: load the rules, the rule tests and every period of the data, then score
//! the latest period (or `--period`) as `score` would, scripts included, and report every
//! problem: what `check` passes, `score` does not fail on.

use super::{pick_period, Folders, Format};
use crate::diag::{Diagnostic, Sources};
use crate::loader;
use crate::quality;
use crate::report::{self, Lang};
use crate::ruletest::{self, TestFile};
use crate::timeline;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub folders: Folders,
    /// `json` prints a summary, and any problems, as JSON.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The period to score as `score` would, scripts included [default: the latest with data].
    #[arg(long)]
    pub period: Option<String>,
    /// Language of the data-quality warnings.
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
}

pub fn run(args: &Args, sources: &mut Sources) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut loaded = loader::load_rules(&args.folders.rules, sources)?;
    // Published results: each verified, as later periods will read them.
    let mut errors = loader::check_published(&mut loaded, sources);
    let mut checked = Vec::new();
    let mut notes = Vec::new();
    // The office's rule tests, as `jingbiao test` reads them (they are not run here).
    if loader::is_folder(&loaded.dir.join("tests")) {
        match loader::read_tests(&mut loaded, sources) {
            Ok(files) => {
                for f in files {
                    if let Err(mut e) = loader::parse_toml::<TestFile>(sources, f)
                        .map_err(|e| vec![e])
                        .and_then(|t| ruletest::prepare(&loaded.campaign, f, t))
                    {
                        errors.append(&mut e);
                    }
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    // Data-quality warnings, each period against the one before.
    let mut previous = None;
    let data = args
        .folders
        .data
        .clone()
        .or_else(|| Some(args.folders.data()).filter(|d| loader::is_folder(d)));
    if let Some(data) = data {
        let periods = match loader::list_periods(&data, &loaded.campaign) {
            Ok(p) => p,
            Err(e) => {
                errors.push(e);
                return Err(errors);
            }
        };
        for &p in &periods {
            match loader::load_period(&data, p, &mut loaded, sources) {
                Ok(d) => {
                    checked.push(p.to_string());
                    let suspects = quality::check(&loaded.campaign, &d, previous.as_ref());
                    let c = &loaded.campaign;
                    notes.extend(report::quality::notes(c, p, &suspects, args.lang));
                    previous = Some(d);
                }
                Err(mut e) => {
                    errors.append(&mut e);
                    previous = None;
                }
            }
        }
        // Score as `score` does: published periods read (and their fingerprints checked),
        // the scripts run on the period's data. Only on data that loaded: its errors are
        // reported already.
        if errors.is_empty() && (!periods.is_empty() || args.period.is_some()) {
            let period = pick_period(&data, args.period.as_deref(), &loaded)?;
            match timeline::run(&mut loaded, &data, period, true, sources) {
                Ok(tl) => notes.extend(tl.notes),
                Err(mut e) => errors.append(&mut e),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let c = &loaded.campaign;
    if args.format == Format::Json {
        let summary = serde_json::json!({
            "ok": true,
            "campaign": c.name,
            "groups": c.groups.len(),
            "units": c.units.len(),
            "indicators": c.indicators.len(),
            "items": c.items.len(),
            "script_files": loaded.scripts.file_count(),
            "periods": checked,
            "diagnostics": [],
        });
        super::say(&serde_json::to_string_pretty(&summary).unwrap_or_default());
        notes.append(&mut loaded.notes);
        return Ok(notes);
    }
    super::say(&format!(
        "ok: {}: {} groups, {} units, {} indicators, {} key work items, {} script files{}",
        c.name,
        c.groups.len(),
        c.units.len(),
        c.indicators.len(),
        c.items.len(),
        loaded.scripts.file_count(),
        if checked.is_empty() {
            String::new()
        } else {
            format!("; data for {}", checked.join(", "))
        }
    ));
    notes.append(&mut loaded.notes);
    Ok(notes)
}
