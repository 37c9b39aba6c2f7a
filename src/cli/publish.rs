//! `jingbiao publish --period P`: freeze a period's results, with a fingerprint of the rules
//! and data that produced them, into `rules/NAME/published/P.json`.

use super::{pick_period, Folders};
use crate::diag::{Diagnostic, Kind, Sources};
use crate::loader;
use crate::publish::Published;
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
}

pub fn run(args: &Args, sources: &mut Sources) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut loaded = loader::load_rules(&args.folders.rules, sources)?;
    let data = args.folders.data();
    let period = pick_period(&data, Some(&args.period), &loaded)?;
    let path = loader::published_path(&loaded, period);
    if path.exists() && !args.force {
        return Err(vec![Diagnostic::error(Kind::Period, format!("{period} is already published: {}", path.display()))
            .help(format!("published results are not replaced by accident; to replace them, run `jingbiao publish --period {period} --force`"))]);
    }
    let mut tl = timeline::run(&mut loaded, &data, period, true, sources)?;
    let entry = tl.entries.remove(&period).expect("scored");
    let fingerprint = entry.fingerprint.expect("the last period is scored now");
    let published = Published::new(entry.result, fingerprint);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            vec![
                Diagnostic::error(Kind::Io, format!("cannot create `{}`: {e}", dir.display()))
                    .help("check that the campaign folder is writable"),
            ]
        })?;
    }
    // The file being replaced was read as an input; it is the one file publish may overwrite.
    loaded.inputs.retain(|p| *p != path);
    crate::output::write_atomic(&path, published.to_json().as_bytes(), &loaded.inputs)
        .map_err(|e| vec![e])?;
    println!(
        "已发布 {period} → {}（规则指纹 {}，数据指纹 {}）",
        path.display(),
        &published.fingerprint.rules[..12],
        &published.fingerprint.data[..12]
    );
    Ok(tl.notes)
}
