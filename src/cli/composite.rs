//! `jingbiao composite` and `jingbiao sensitivity`: composite indices (see
//! [`crate::composite`]) and their rank uncertainty.

use std::path::{Path, PathBuf};

use super::Format;
use crate::composite::{self, CompositeArgs, SensitivityArgs, DEFAULT_DATA, DEFAULT_RULES};
use crate::diag::{Diagnostic, Sources};

/// `jingbiao composite`: compute a composite index and rank the units.
#[derive(clap::Args, Debug, Clone)]
pub struct CompositeCommand {
    /// Campaign folder (composite.toml, indicators.csv).
    #[arg(default_value = DEFAULT_RULES)]
    pub rules: PathBuf,
    /// Data folder with one sub-folder per period holding data.csv.
    #[arg(default_value = DEFAULT_DATA)]
    pub data: PathBuf,
    /// The period (sub-folder) [default: the latest].
    #[arg(long)]
    pub period: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file instead of standard output (all or nothing).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `jingbiao sensitivity`: rank uncertainty by Monte Carlo, and ranks without each indicator.
#[derive(clap::Args, Debug, Clone)]
pub struct SensitivityCommand {
    /// Campaign folder (composite.toml, indicators.csv).
    #[arg(default_value = DEFAULT_RULES)]
    pub rules: PathBuf,
    /// Data folder with one sub-folder per period holding data.csv.
    #[arg(default_value = DEFAULT_DATA)]
    pub data: PathBuf,
    /// The period (sub-folder) [default: the latest].
    #[arg(long)]
    pub period: Option<String>,
    /// Number of Monte Carlo runs.
    #[arg(long, default_value_t = 1000)]
    pub runs: usize,
    /// Random seed: the same seed gives the same numbers.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file instead of standard output (all or nothing).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(
    args: &CompositeCommand,
    sources: &mut Sources,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let options = CompositeArgs {
        rules: args.rules.clone(),
        data: args.data.clone(),
        period: args.period.clone(),
        format: args.format,
        out: args.out.clone(),
    };
    let (text, inputs) = composite::run_composite(&options, sources)?;
    write(&text, args.out.as_deref(), &inputs)
}

pub fn run_sensitivity(
    args: &SensitivityCommand,
    sources: &mut Sources,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let options = SensitivityArgs {
        rules: args.rules.clone(),
        data: args.data.clone(),
        period: args.period.clone(),
        runs: args.runs,
        seed: args.seed,
        format: args.format,
        out: args.out.clone(),
    };
    let (text, inputs) = composite::run_sensitivity(&options, sources)?;
    write(&text, args.out.as_deref(), &inputs)
}

fn write(
    text: &str,
    out: Option<&Path>,
    inputs: &[PathBuf],
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    super::write_out(text.as_bytes(), out, inputs)?;
    Ok(Vec::new())
}
