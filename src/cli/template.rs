//! `jingbiao template [RULES] --period P --out DIR`: the workbooks units fill in for a period
//! (`DIR/<unit id>-<unit name>.xlsx`, only the unit's own indicators) and the office's
//! collection workbook (`DIR/汇总-P.xlsx`). Either, filled in, loads as the period's
//! `metrics.xlsx`.

use std::path::PathBuf;

use super::DEFAULT_RULES;
use crate::diag::{Diagnostic, Kind, Sources};
use crate::loader;
use crate::period::Period;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Campaign folder.
    #[arg(default_value = DEFAULT_RULES)]
    pub rules: PathBuf,
    /// The period the workbooks are for, e.g. 2023-Q3.
    #[arg(long)]
    pub period: String,
    /// The folder to write the workbooks to (created if need be).
    #[arg(long)]
    pub out: PathBuf,
    /// Replace workbooks already in the folder (they may have been filled in).
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &Args, sources: &mut Sources) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let loaded = loader::load_rules(&args.rules, sources)?;
    let c = &loaded.campaign;
    let period = Period::parse(&args.period, c.period_kind).map_err(|msg| {
        vec![Diagnostic::error(Kind::Period, msg).help(format!(
            "write the period as jingbiao does, e.g. {}",
            c.period_kind.example(c.year)
        ))]
    })?;
    if !c.covers(period) {
        return Err(vec![Diagnostic::error(
            Kind::Period,
            format!(
                "{period} is outside the campaign, which runs from {} to {}",
                c.first_period,
                c.last_period()
            ),
        )
        .help("choose a period of the campaign")]);
    }
    let books = crate::template::workbooks(c, period).map_err(|e| {
        vec![
            Diagnostic::error(Kind::Io, format!("cannot make the workbooks: {e}"))
                .help("this is a bug in jingbiao; please report it with the campaign folder"),
        ]
    })?;
    let existing = crate::output::existing(&args.out, books.iter().map(|b| b.file_name.as_str()));
    if !existing.is_empty() && !args.force {
        let named = match existing.len() {
            n if n > 3 => format!("{} and {} more", existing[..3].join(", "), n - 3),
            _ => existing.join(", "),
        };
        return Err(vec![Diagnostic::error(
            Kind::Io,
            format!("`{}` already holds {named}", args.out.display()),
        )
        .help("a workbook there may have been filled in: choose another --out folder, or add --force to replace them")]);
    }
    let files: Vec<(&str, &[u8])> = books
        .iter()
        .map(|b| (b.file_name.as_str(), b.bytes.as_slice()))
        .collect();
    crate::output::write_files(&args.out, &files, &loaded.inputs).map_err(|e| vec![e])?;
    super::say(&format!(
        "{} 个单位填报表和汇总表 汇总-{period}.xlsx 已写入 {}",
        books.len() - 1,
        args.out.display()
    ));
    Ok(Vec::new())
}
