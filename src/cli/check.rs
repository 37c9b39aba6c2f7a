//! `jingbiao check`: load the rules and every period of the data, and report every problem.

use super::Folders;
use crate::diag::{Diagnostic, Sources};
use crate::loader;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub folders: Folders,
}

pub fn run(args: &Args, sources: &mut Sources) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut loaded = loader::load_rules(&args.folders.rules, sources)?;
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    let data = args
        .folders
        .data
        .clone()
        .or_else(|| Some(args.folders.data()).filter(|d| d.is_dir()));
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
    Ok(Vec::new())
}
