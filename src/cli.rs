//! The command line: argument parsing and the commands. Each command loads through
//! [`crate::loader`], evaluates through [`crate::evaluate`] and renders through
//! [`crate::report`]; problems are rendered as diagnostics on stderr with exit code 2.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::diag::{self, Diagnostic, Kind, Sources};
use crate::evaluate::evaluate;
use crate::loader::{self, Loaded};
use crate::period::Period;
use crate::report;
use crate::result::PeriodResult;

/// The bundled example campaign, used when no rules folder is given.
pub const DEFAULT_RULES: &str = "rules/zhanjiang-2023";

/// Exit code for bad rules, data or arguments.
pub const EXIT_BAD_INPUT: i32 = 2;

#[derive(Parser, Debug)]
#[command(name = "jingbiao", version, about = "竞标争先考评：按规则为各单位计分、排名、分方阵并发出预警", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print diagnostics as JSON instead of text.
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Score a period: league tables per group, then the warnings.
    Score(ScoreArgs),
    /// Check a campaign's rules (and its data, if given) without scoring.
    Check(CheckArgs),
}

#[derive(clap::Args, Debug)]
pub struct ScoreArgs {
    /// Campaign folder (campaign.toml, units.csv, indicators.toml, targets.csv, scripts/).
    #[arg(default_value = DEFAULT_RULES)]
    pub rules: PathBuf,
    /// Data folder with one sub-folder per period [default: scenarios/<campaign folder name>].
    pub data: Option<PathBuf>,
    /// The period to score, e.g. 2023-Q2 [default: the latest with data].
    #[arg(long)]
    pub period: Option<String>,
    /// Show only this group (its id from campaign.toml).
    #[arg(long)]
    pub group: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file instead of standard output (all or nothing).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Campaign folder.
    #[arg(default_value = DEFAULT_RULES)]
    pub rules: PathBuf,
    /// Data folder; every period in it is checked too.
    pub data: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Md,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageFormat {
    Human,
    Json,
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let mut sources = Sources::new();
    let outcome = match &cli.command {
        Command::Score(args) => score(args, &mut sources),
        Command::Check(args) => check(args, &mut sources),
    };
    match outcome {
        Ok(()) => 0,
        Err(diagnostics) => {
            report_diagnostics(&sources, &diagnostics, cli.message_format);
            EXIT_BAD_INPUT
        }
    }
}

fn report_diagnostics(sources: &Sources, diagnostics: &[Diagnostic], format: MessageFormat) {
    match format {
        MessageFormat::Json => {
            let json = serde_json::to_string_pretty(&diag::to_json(sources, diagnostics))
                .unwrap_or_default();
            eprintln!("{json}");
        }
        MessageFormat::Human => {
            let color = std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            eprint!("{}", diag::render(sources, diagnostics, color));
            eprintln!("error: {}", diag::summary(diagnostics));
        }
    }
}

/// The data folder of a campaign folder: `rules/NAME` → `scenarios/NAME`.
pub fn default_data(rules: &Path) -> PathBuf {
    let name = rules.file_name().map(|n| n.to_os_string());
    match (rules.parent().and_then(Path::parent), name) {
        (Some(root), Some(name)) => root.join("scenarios").join(name),
        _ => {
            let abs = rules.canonicalize().unwrap_or_else(|_| rules.to_path_buf());
            match (abs.parent().and_then(Path::parent), abs.file_name()) {
                (Some(root), Some(name)) => root.join("scenarios").join(name),
                _ => PathBuf::from("scenarios"),
            }
        }
    }
}

fn score(args: &ScoreArgs, sources: &mut Sources) -> Result<(), Vec<Diagnostic>> {
    let mut loaded = loader::load_rules(&args.rules, sources)?;
    let data = args
        .data
        .clone()
        .unwrap_or_else(|| default_data(&args.rules));
    let period = pick_period(&data, args.period.as_deref(), &loaded)?;
    let period_data = loader::load_period(&data, period, &mut loaded, sources)?;
    let mut result = evaluate(&loaded.campaign, &period_data, &loaded.scripts, sources)?;
    if let Some(g) = &args.group {
        keep_group(&mut result, g)?;
    }
    let text = match args.format {
        Format::Table => report::table(&result),
        Format::Json => report::json(&result),
        Format::Csv => report::csv(&result),
        Format::Md => report::markdown(&result),
    };
    emit(&text, args.out.as_deref(), &loaded)
}

fn check(args: &CheckArgs, sources: &mut Sources) -> Result<(), Vec<Diagnostic>> {
    let mut loaded = loader::load_rules(&args.rules, sources)?;
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    let data = args
        .data
        .clone()
        .or_else(|| Some(default_data(&args.rules)).filter(|d| d.is_dir()));
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
        "ok: {}: {} groups, {} units, {} indicators, {} script files{}",
        c.name,
        c.groups.len(),
        c.units.len(),
        c.indicators.len(),
        loaded.scripts.file_count(),
        if checked.is_empty() {
            String::new()
        } else {
            format!("; data for {}", checked.join(", "))
        }
    );
    Ok(())
}

fn pick_period(
    data: &Path,
    wanted: Option<&str>,
    loaded: &Loaded,
) -> Result<Period, Vec<Diagnostic>> {
    let kind = loaded.campaign.period_kind;
    if let Some(text) = wanted {
        return Period::parse(text, kind).map_err(|msg| {
            vec![Diagnostic::error(Kind::Period, msg).help(format!(
                "the campaign is {}",
                match kind {
                    crate::period::PeriodKind::Month => "monthly: write a period like 2023-03",
                    crate::period::PeriodKind::Quarter => "quarterly: write a period like 2023-Q2",
                    crate::period::PeriodKind::HalfYear =>
                        "half-yearly: write a period like 2023-H1",
                }
            ))]
        });
    }
    let periods = loader::list_periods(data, &loaded.campaign).map_err(|e| vec![e])?;
    periods.last().copied().ok_or_else(|| {
        vec![Diagnostic::error(
            Kind::Period,
            format!("`{}` holds no period folders", data.display()),
        )
        .help(format!(
            "put each period's metrics.csv in a folder named after it, e.g. {}/{}/metrics.csv",
            data.display(),
            kind.example(loaded.campaign.year)
        ))]
    })
}

fn keep_group(result: &mut PeriodResult, id: &str) -> Result<(), Vec<Diagnostic>> {
    if !result.groups.iter().any(|g| g.id == id) {
        let ids: Vec<&str> = result.groups.iter().map(|g| g.id.as_str()).collect();
        let hint = match diag::did_you_mean(id, ids.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? Groups: {}", ids.join(", ")),
            None => format!("groups: {}", ids.join(", ")),
        };
        return Err(vec![Diagnostic::error(
            Kind::Reference,
            format!("unknown group `{id}`"),
        )
        .help(hint)]);
    }
    result.groups.retain(|g| g.id == id);
    result.warnings.retain(|w| w.group == id);
    Ok(())
}

fn emit(text: &str, out: Option<&Path>, loaded: &Loaded) -> Result<(), Vec<Diagnostic>> {
    match out {
        Some(path) => {
            crate::output::write_atomic(path, text.as_bytes(), &loaded.inputs).map_err(|e| vec![e])
        }
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (e.g. `| head`) is not an error worth a diagnostic.
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
            Ok(())
        }
    }
}
