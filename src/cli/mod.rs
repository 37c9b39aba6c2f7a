//! The command line: argument parsing and one file per command. Commands load through
//! [`crate::loader`], score through [`crate::timeline`] and render through
//! [`crate::report`]; problems are rendered as diagnostics on stderr with exit code 2.

mod bounded;
mod check;
mod composite;
mod diff;
mod explain;
mod gen;
mod items;
mod lang;
mod progress;
mod publish;
mod score;
mod template;
mod test;
mod trend;
mod warnings;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::diag::{self, Diagnostic, Kind, Severity, Sources};
use crate::loader::{self, Loaded};
use crate::period::{Period, PeriodKind};
pub use crate::report::Format;

/// The bundled example campaign, used when no rules folder is given.
pub const DEFAULT_RULES: &str = "rules/zhanjiang-2023";

/// Exit code for bad rules, data or arguments.
pub const EXIT_BAD_INPUT: i32 = 2;

/// Exit code of `jingbiao test` when a rule test fails.
pub const EXIT_TESTS_FAILED: i32 = 1;

#[derive(Parser, Debug)]
#[command(name = "jingbiao", version, about = "竞标争先考评：按规则为各单位计分、排名、分方阵，跟踪预警整改", long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print diagnostics as JSON instead of text.
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// The largest input file jingbiao reads, e.g. 2G or 500M (a larger one is an error).
    #[arg(long, global = true, value_name = "SIZE", value_parser = loader::limits::parse_size, default_value = "1G")]
    pub max_file_size: u64,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Score a period: league tables per group with movement, then the warnings.
    Score(score::Args),
    /// Check a campaign's rules (and every period of its data) without scoring.
    Check(check::Args),
    /// Key work items by unit and status, with on-schedule rates.
    Items(items::Args),
    /// Open warnings with their age, follow-up and escalation (督导 → 通报 → 整改).
    Warnings(warnings::Args),
    /// Ranks, totals and tiers across all periods, for a group or one unit.
    Trend(trend::Args),
    /// Freeze a period's results, with a fingerprint of the rules and data.
    Publish(publish::Args),
    /// One unit's scorecard explained: formulas, adjustments, rank and tier.
    Explain(explain::Args),
    /// Workbooks for a period: one per unit to fill in, and the office's collection workbook.
    Template(template::Args),
    /// Run the campaign's own rule tests (rules/NAME/tests/*.toml).
    Test(test::Args),
    /// What a rule edit changes: each unit's total, rank and tier before and after.
    Diff(diff::Args),
    /// Write a synthetic campaign for benchmarks (deterministic by seed).
    Gen(gen::Args),
    /// A composite index (OECD/JRC method): normalise, weight, aggregate, rank.
    Composite(composite::CompositeCommand),
    /// Rank uncertainty of a composite index: Monte Carlo over weights and methods.
    Sensitivity(composite::SensitivityCommand),
}

// The library's enums are parsed here, so that only the command line names clap.
impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            Format::Table,
            Format::Json,
            Format::Csv,
            Format::Md,
            Format::Html,
            Format::Xlsx,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        use clap::builder::PossibleValue;
        Some(match self {
            Format::Table => PossibleValue::new("table"),
            Format::Json => PossibleValue::new("json"),
            Format::Csv => PossibleValue::new("csv"),
            Format::Md => PossibleValue::new("md"),
            Format::Html => PossibleValue::new("html").help("A self-contained HTML page"),
            Format::Xlsx => {
                PossibleValue::new("xlsx").help("An Excel workbook (binary: needs `--out`)")
            }
        })
    }
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MessageFormat {
    Human,
    Json,
}

/// The rules and data folders, as most commands take them.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct Folders {
    /// Campaign folder (campaign.toml, units.csv, indicators.toml, targets.csv, items.csv, scripts/).
    #[arg(default_value = DEFAULT_RULES)]
    pub rules: PathBuf,
    /// Data folder with one sub-folder per period [default: scenarios/<campaign folder name>].
    pub data: Option<PathBuf>,
}

impl Folders {
    pub fn data(&self) -> PathBuf {
        self.data
            .clone()
            .unwrap_or_else(|| default_data(&self.rules))
    }
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    loader::limits::set_max_file_size(cli.max_file_size);
    let mut sources = Sources::new();
    // `--format json` asks for machine-readable output, diagnostics included.
    let messages = match (&cli.command, cli.message_format) {
        (_, MessageFormat::Json) => MessageFormat::Json,
        (Command::Score(a), _) if a.format == Format::Json => MessageFormat::Json,
        (Command::Check(a), _) if a.format == Format::Json => MessageFormat::Json,
        (Command::Items(a), _) if a.format == Format::Json => MessageFormat::Json,
        (Command::Warnings(a), _) if a.format == Format::Json => MessageFormat::Json,
        (Command::Trend(a), _) if a.format == Format::Json => MessageFormat::Json,
        (Command::Explain(a), _) if a.format == Format::Json => MessageFormat::Json,
        (Command::Diff(a), _) if a.format == Format::Json => MessageFormat::Json,
        (Command::Composite(a), _) if a.format == Format::Json => MessageFormat::Json,
        (Command::Sensitivity(a), _) if a.format == Format::Json => MessageFormat::Json,
        _ => MessageFormat::Human,
    };
    if let Err(diagnostics) = check_format(&cli.command) {
        report_diagnostics(&sources, &diagnostics, messages);
        return EXIT_BAD_INPUT;
    }
    let outcome = match &cli.command {
        Command::Score(args) => score::run(args, &mut sources),
        Command::Check(args) => check::run(args, &mut sources),
        Command::Items(args) => items::run(args, &mut sources),
        Command::Warnings(args) => warnings::run(args, &mut sources),
        Command::Trend(args) => trend::run(args, &mut sources),
        Command::Publish(args) => publish::run(args, &mut sources),
        Command::Explain(args) => explain::run(args, &mut sources),
        Command::Diff(args) => diff::run(args, &mut sources),
        Command::Gen(args) => gen::run(args, &mut sources),
        Command::Template(args) => template::run(args, &mut sources),
        Command::Test(args) => match test::run(args, &mut sources) {
            Ok(true) => return 0,
            Ok(false) => return EXIT_TESTS_FAILED,
            Err(e) => Err(e),
        },
        Command::Composite(args) => composite::run(args, &mut sources),
        Command::Sensitivity(args) => composite::run_sensitivity(args, &mut sources),
    };
    report_peak_memory();
    match outcome {
        Ok(notes) => {
            if !notes.is_empty() {
                report_diagnostics(&sources, &notes, messages);
            }
            0
        }
        Err(diagnostics) => {
            report_diagnostics(&sources, &diagnostics, messages);
            EXIT_BAD_INPUT
        }
    }
}

fn report_diagnostics(sources: &Sources, all: &[Diagnostic], format: MessageFormat) {
    let diagnostics = &bounded::bound(sources, all, format == MessageFormat::Human);
    match format {
        MessageFormat::Json => {
            // JSON escapes control characters itself.
            let json = serde_json::to_string_pretty(&diag::to_json(sources, diagnostics))
                .unwrap_or_default();
            to_stderr(&format!("{json}\n"));
        }
        MessageFormat::Human => {
            let color = std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            // Rendered with the control characters of quoted text made visible.
            let mut text = diag::render(sources, diagnostics, color);
            if diagnostics.iter().any(|d| d.severity == Severity::Error) {
                text.push_str(&format!("error: {}\n", diag::summary(all)));
            }
            to_stderr(&text);
        }
    }
}

/// Prints a line on stdout, its control characters made visible. Like everything the
/// commands print, it never panics: a closed pipe (`| head -1`) or a closed stdout is not
/// worth a word (`println!` would panic).
pub(crate) fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", diag::visible(line));
    let _ = out.flush();
}

/// Writes text already made safe for a terminal (rendered diagnostics, JSON) on stderr,
/// ignoring a closed pipe like [`say`].
fn to_stderr(text: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// With `JINGBIAO_PEAK_RSS` set, prints the process's peak resident memory (Linux) on
/// stderr, for the benchmarks.
fn report_peak_memory() {
    if std::env::var_os("JINGBIAO_PEAK_RSS").is_none() {
        return;
    }
    if let Some(kb) = loader::peak_rss_kb() {
        to_stderr(&format!("peak-rss-kb: {kb}\n"));
    }
}

/// The data folder of a campaign folder: `rules/NAME` → `scenarios/NAME`.
pub(crate) fn default_data(rules: &Path) -> PathBuf {
    let name = rules.file_name().map(|n| n.to_os_string());
    match (rules.parent().and_then(Path::parent), name) {
        (Some(root), Some(name)) => root.join("scenarios").join(name),
        _ => {
            let abs = loader::absolute(rules);
            match (abs.parent().and_then(Path::parent), abs.file_name()) {
                (Some(root), Some(name)) => root.join("scenarios").join(name),
                _ => PathBuf::from("scenarios"),
            }
        }
    }
}

/// The period asked for, or the latest with data.
fn pick_period(
    data: &Path,
    wanted: Option<&str>,
    loaded: &Loaded,
) -> Result<Period, Vec<Diagnostic>> {
    let kind = loaded.campaign.period_kind;
    if let Some(text) = wanted {
        return Period::parse(text, kind).map_err(|msg| {
            vec![Diagnostic::error(Kind::Period, msg).help(match kind {
                PeriodKind::Month => "months are written 2023-01 … 2023-12",
                PeriodKind::Quarter => "quarters are written 2023-Q1 … 2023-Q4",
                PeriodKind::HalfYear => "half-years are written 2023-H1 and 2023-H2",
            })]
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

/// `--group` of a streamed result ([`keep_group`]).
fn keep_group_streamed(
    c: &crate::campaign::Campaign,
    result: &mut crate::result::Streamed,
    group: Option<&str>,
) -> Result<(), Vec<Diagnostic>> {
    if let Some(g) = group {
        c.find_group(g).map_err(|e| vec![e])?;
        result.keep_group(g);
    }
    Ok(())
}

/// `--group`: keeps that group of the result, once the campaign knows it.
fn keep_group(
    c: &crate::campaign::Campaign,
    result: &mut crate::result::PeriodResult,
    group: Option<&str>,
) -> Result<(), Vec<Diagnostic>> {
    if let Some(g) = group {
        c.find_group(g).map_err(|e| vec![e])?;
        result.keep_group(g);
    }
    Ok(())
}

/// Refuses, before any work, what a command cannot write: a binary format without `--out`
/// (never to a terminal or a pipe), and HTML or Excel from commands that have no such form.
fn check_format(command: &Command) -> Result<(), Vec<Diagnostic>> {
    let (name, format, out) = match command {
        Command::Score(a) => ("score", a.format, a.out.as_deref()),
        Command::Items(a) => ("items", a.format, a.out.as_deref()),
        Command::Warnings(a) => ("warnings", a.format, a.out.as_deref()),
        Command::Trend(a) => ("trend", a.format, a.out.as_deref()),
        Command::Explain(a) => ("explain", a.format, a.out.as_deref()),
        Command::Diff(a) => ("diff", a.format, a.out.as_deref()),
        Command::Check(a) => ("check", a.format, None),
        Command::Composite(a) => ("composite", a.format, a.out.as_deref()),
        Command::Sensitivity(a) => ("sensitivity", a.format, a.out.as_deref()),
        Command::Publish(_) | Command::Test(_) | Command::Gen(_) | Command::Template(_) => {
            return Ok(())
        }
    };
    if let Command::Score(a) = command {
        if a.cells && !matches!(a.format, Format::Json | Format::Xlsx) {
            return Err(vec![Diagnostic::error(
                Kind::Io,
                format!(
                    "`--cells` adds the scorecards to JSON; `--format {}` has no place for them",
                    format_name(a.format)
                ),
            )
            .help("use `--format json --cells`; the Excel bulletin always has a detail sheet, and `jingbiao explain UNIT` shows one unit's scorecard")]);
        }
    }
    let text_only = matches!(name, "check" | "composite" | "sensitivity");
    if text_only && matches!(format, Format::Html | Format::Xlsx) {
        return Err(vec![Diagnostic::error(
            Kind::Io,
            format!(
                "`--format {}` is not available for `jingbiao {name}`",
                format_name(format)
            ),
        )
        .help(
            "use table, md, csv or json; HTML and Excel bulletins come from `jingbiao score`",
        )]);
    }
    if format.is_binary() && out.is_none() {
        return Err(vec![Diagnostic::error(
            Kind::Io,
            format!(
                "`--format {}` writes a binary workbook and needs `--out FILE`",
                format_name(format)
            ),
        )
        .help(format!(
            "e.g. jingbiao {name} --format xlsx --out 通报.xlsx (a workbook is never written to a terminal or a pipe)"
        ))]);
    }
    Ok(())
}

fn format_name(format: Format) -> String {
    use clap::ValueEnum;
    format
        .to_possible_value()
        .map_or_else(|| format!("{format:?}"), |v| v.get_name().to_string())
}

/// A workbook that could not be built (a limit of the format, e.g. too many rows).
fn render_failed(e: rust_xlsxwriter::XlsxError) -> Vec<Diagnostic> {
    vec![
        Diagnostic::error(Kind::Io, format!("cannot build the workbook: {e}"))
            .help("try --format csv, or report this with the command you ran"),
    ]
}

/// Writes the bytes to `--out` (all or nothing) or stdout.
/// Writes `value` as compact JSON and a newline to `out` (all or nothing, never over an
/// input) or stdout, streamed: a national result is tens of megabytes of JSON.
fn emit_json(
    value: &impl serde::Serialize,
    out: Option<&Path>,
    loaded: &Loaded,
) -> Result<(), Vec<Diagnostic>> {
    let write = |w: &mut dyn std::io::Write| {
        // serde_json writes token by token: into a concrete buffer, not through `dyn`.
        let mut b = std::io::BufWriter::with_capacity(1 << 16, w);
        // Control characters of names escaped, as everywhere on stdout (the same JSON).
        let mut json = serde_json::Serializer::with_formatter(&mut b, crate::diag::JsonVisible);
        value.serialize(&mut json)?;
        std::io::Write::write_all(&mut b, b"\n")?;
        std::io::Write::flush(&mut b)
    };
    match out {
        Some(path) => {
            crate::output::write_atomic_with(path, &loaded.inputs, write).map_err(|e| vec![e])
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            // A closed pipe (e.g. `| head`) is not an error worth a diagnostic.
            let _ = write(&mut out).and_then(|()| std::io::Write::flush(&mut out));
            Ok(())
        }
    }
}

fn emit(bytes: &[u8], out: Option<&Path>, loaded: &Loaded) -> Result<(), Vec<Diagnostic>> {
    write_out(bytes, out, &loaded.inputs)
}

/// Writes the bytes to `out` (all or nothing, never over one of `inputs`) or stdout.
fn write_out(bytes: &[u8], out: Option<&Path>, inputs: &[PathBuf]) -> Result<(), Vec<Diagnostic>> {
    match out {
        Some(path) => crate::output::write_atomic(path, bytes, inputs).map_err(|e| vec![e]),
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (e.g. `| head`) is not an error worth a diagnostic. On stdout, the
            // control characters of text from rules and data are made visible (JSON escapes
            // them itself; a file written with `--out` keeps them).
            let _ = stdout.write_all(&diag::visible_bytes(bytes));
            let _ = stdout.flush();
            Ok(())
        }
    }
}
