//! `jingbiao check`: load the rules and every period of the data, and report every problem.

use super::{Folders, Format};
use crate::diag::{Diagnostic, Sources};
use crate::loader;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub folders: Folders,
    /// `json` prints a summary, and any problems, as JSON.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(args: &Args, sources: &mut Sources) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut loaded = loader::load_rules(&args.folders.rules, sources)?;
    // Published results: each verified, as later periods will read them.
    let mut errors = loader::check_published(&mut loaded, sources);
    let mut checked = Vec::new();
    let data = args
        .folders
        .data
        .clone()
        .or_else(|| Some(args.folders.data()).filter(|d| loader::is_folder(d)));
    if let Some(data) = data {
        let periods = loader::list_periods(&data, &loaded.campaign).map_err(|e| vec![e])?;
        for p in periods {
            match loader::load_period(&data, p, &mut loaded, sources) {
                Ok(_) => checked.push(p.to_string()),
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
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        );
        return Ok(loaded.notes);
    }
    println!(
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
    );
    Ok(loaded.notes)
}
