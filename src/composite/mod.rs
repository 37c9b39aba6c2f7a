//! Composite indices (综合指数): indicators normalised, weighted and aggregated up a hierarchy
//! of any depth (indicator → pillar → sub-index → index), then ranked; and the uncertainty of
//! those ranks. The methods follow the OECD/JRC Handbook and the JRC's COINr package, and the
//! bundled `rules/asem` campaign reproduces COINr's published ASEM example.
//!
//! ```text
//! rules/NAME/composite.toml  indicators.csv      scenarios/NAME/PERIOD/data.csv
//!        └──── load ────▶ Model + Data ──eval (pure)──▶ Outcome ──report──▶ text
//!                                     └─sensitivity──▶ Analysis ──report──▶ text
//! ```
//!
//! A `[[branch]]` node's column of `Data` comes from a target-based campaign, loaded and
//! scored by `load` (`loader::load_rules`, `load_period`, `evaluate`), units matched by id.
//!
//! Only `load` reads files. Evaluation is pure and deterministic; the Monte Carlo draws from a
//! ChaCha8 stream per (seed, run).
//!
//! ## Left out or approximated
//!
//! - Target-based branches (`[[branch]]` in composite.toml: a node, at any level, taking a
//!   core-engine campaign's `total`, `category:ID` or `indicator:ID` points per unit) are done
//!   in the loader, which re-scores the campaign's period with [`crate::evaluate`]: its
//!   `published/` results and history are not read. A vetoed unit's total is taken as it
//!   stands (the veto ranks it last in its own campaign, not here). One period per branch; the
//!   campaign's rules are fixed in sensitivity runs; JSON output does not list the branches.
//! - One normalisation for all indicators (COINr's per-indicator `indiv_specs` exceptions are
//!   not offered); aggregation can differ per level (`at_level`), not per group.
//! - Outlier treatment is COINr's default procedure only (no Box-Cox or per-indicator
//!   thresholds). Screening is by data availability only.
//! - Copeland compares weight shares with one half allowing 1e-12 for rounding in the sums.
//! - Sensitivity: the unit set is the nominal one (screening is decided once, with
//!   imputation on); with imputation off, missing values are skipped in aggregation. Runs are
//!   single-threaded: each run only re-aggregates (data prepared once per imputation choice,
//!   normalised once per normalisation choice), so 1000 runs take milliseconds; the per-run
//!   streams mean a parallel version would give the same numbers.

pub mod aggregate;
pub mod eval;
pub mod impute;
pub mod load;
pub mod model;
pub mod normalise;
pub mod outliers;
pub mod report;
pub mod sensitivity;

use std::path::PathBuf;

use crate::diag::{Diagnostic, Kind, Sources};
use crate::report::Format;
use eval::EvalError;
use model::{Data, Model};
use normalise::NormError;

/// The bundled composite-index example.
pub const DEFAULT_RULES: &str = "rules/asem";
pub const DEFAULT_DATA: &str = "scenarios/asem";

/// What to compute for `jingbiao composite` (the command line parses it in `cli`).
#[derive(Debug, Clone)]
pub struct CompositeArgs {
    /// Campaign folder (composite.toml, indicators.csv).
    pub rules: PathBuf,
    /// Data folder with one sub-folder per period holding data.csv.
    pub data: PathBuf,
    /// The period (sub-folder); `None`: the latest.
    pub period: Option<String>,
    pub format: Format,
    /// Where the caller writes the text (`None`: standard output); not read here.
    pub out: Option<PathBuf>,
}

/// What to compute for `jingbiao sensitivity`: rank uncertainty by Monte Carlo, and ranks
/// without each indicator.
#[derive(Debug, Clone)]
pub struct SensitivityArgs {
    /// Campaign folder (composite.toml, indicators.csv).
    pub rules: PathBuf,
    /// Data folder with one sub-folder per period holding data.csv.
    pub data: PathBuf,
    /// The period (sub-folder); `None`: the latest.
    pub period: Option<String>,
    /// Number of Monte Carlo runs (1 to 1,000,000).
    pub runs: usize,
    /// Random seed: the same seed gives the same numbers.
    pub seed: u64,
    pub format: Format,
    /// Where the caller writes the text (`None`: standard output); not read here.
    pub out: Option<PathBuf>,
}

/// A loaded campaign with one period's data, and every input file read.
pub struct Loaded {
    pub model: Model,
    pub data: Data,
    pub inputs: Vec<PathBuf>,
}

/// Loads rules and data (the latest period unless one is named).
pub fn load(
    rules: &std::path::Path,
    data: &std::path::Path,
    period: Option<&str>,
    sources: &mut Sources,
) -> Result<Loaded, Vec<Diagnostic>> {
    let l = load::load_model(rules, sources)?;
    let (d, paths) = load::load_data(&l.model, data, period, sources)?;
    let mut inputs = l.inputs;
    inputs.extend(paths);
    Ok(Loaded {
        model: l.model,
        data: d,
        inputs,
    })
}

/// Runs the campaign's pipeline and renders the ranked index; also returns the input files
/// read, which output must never overwrite.
pub fn run_composite(
    args: &CompositeArgs,
    sources: &mut Sources,
) -> Result<(String, Vec<PathBuf>), Vec<Diagnostic>> {
    let l = load(&args.rules, &args.data, args.period.as_deref(), sources)?;
    let outcome =
        eval::run(&l.model, &l.data).map_err(|e| vec![diagnose(&l.model, &l.data, &e)])?;
    Ok((
        report::composite(&l.model, &l.data, &outcome, args.format),
        l.inputs,
    ))
}

/// Runs the rank-uncertainty analysis and renders it; also returns the input files read.
pub fn run_sensitivity(
    args: &SensitivityArgs,
    sources: &mut Sources,
) -> Result<(String, Vec<PathBuf>), Vec<Diagnostic>> {
    if args.runs == 0 || args.runs > 1_000_000 {
        return Err(vec![Diagnostic::error(
            Kind::Value,
            format!("--runs {} is out of range", args.runs),
        )
        .help("use from 1 to 1000000 runs; 1000 is usual")]);
    }
    let l = load(&args.rules, &args.data, args.period.as_deref(), sources)?;
    let a = sensitivity::analyse(&l.model, &l.data, args.runs, args.seed).map_err(|f| {
        let mut d = diagnose(&l.model, &l.data, &f.error);
        if f.normalise.is_some() || f.aggregate.is_some() || !f.impute {
            let mut what = Vec::new();
            if let Some(n) = &f.normalise {
                what.push(format!("normalise: {n}"));
            }
            if let Some(a) = &f.aggregate {
                what.push(format!("aggregate: {a}"));
            }
            what.push(format!(
                "imputation {}",
                if f.impute { "on" } else { "off" }
            ));
            d.message = format!(
                "{} (sensitivity alternative {})",
                d.message,
                what.join(", ")
            );
            if let Some(o) = &l.model.sensitivity.origin {
                d = d.also(o.file, o.span.clone(), "the alternatives are listed here");
            }
        }
        vec![d]
    })?;
    Ok((
        report::sensitivity(&l.model, &l.data, &a, args.format),
        l.inputs,
    ))
}

/// A diagnostic for a computation error, pointing at the definition of the node concerned.
pub(crate) fn diagnose(model: &Model, data: &Data, e: &EvalError) -> Diagnostic {
    let at = |i: usize| &model.nodes[i].origin;
    match e {
        EvalError::ZeroDenominator { node, unit } => {
            let n = &model.nodes[*node];
            Diagnostic::error(
                Kind::Value,
                format!(
                    "the denominator `{}` of `{}` is 0 for `{}`",
                    n.denominator.as_deref().unwrap_or("?"),
                    n.code,
                    data.unit_codes[*unit]
                ),
            )
            .at(
                at(*node).file,
                at(*node).span.clone(),
                "indicator defined here",
            )
            .also(data.file, data.unit_rows[*unit].clone(), "the unit's row")
            .help("correct the denominator in the data, or leave the cell empty if it is unknown")
        }
        EvalError::Normalise {
            node,
            method,
            error,
        } => {
            let n = &model.nodes[*node];
            let (why, help) = match error {
                NormError::ZeroRange => (
                    "every unit has the same value (a zero range)".to_string(),
                    "check the data; an indicator that does not vary cannot be normalised by min-max, z-score or distance to max: remove it or give it weight 0 in another method".to_string(),
                ),
                NormError::NoValues => (
                    "no unit has a value".into(),
                    "fill in the data, or remove the indicator".into(),
                ),
                NormError::Reference(why) => (
                    (*why).to_string(),
                    "choose another reference unit in composite.toml".into(),
                ),
                NormError::Target(why) => (
                    (*why).to_string(),
                    "set the indicator's target (or low and high goalposts) in indicators.csv".into(),
                ),
                NormError::MaxNotPositive => (
                    "its largest value (after the direction) is not above 0".into(),
                    "use min-max or distance to max for indicators that can be 0 or negative".into(),
                ),
            };
            Diagnostic::error(
                Kind::Value,
                format!(
                    "the indicator `{}` cannot be normalised by {}: {why}",
                    n.code,
                    method.label()
                ),
            )
            .at(
                at(*node).file,
                at(*node).span.clone(),
                "indicator defined here",
            )
            .also(
                model.normalise_origin.file,
                model.normalise_origin.span.clone(),
                "normalisation chosen here",
            )
            .help(help)
        }
        EvalError::BadValue {
            node,
            child,
            unit,
            value,
            method,
        } => {
            let (n, c) = (&model.nodes[*node], &model.nodes[*child]);
            let what = if c.is_indicator() {
                "after normalisation"
            } else {
                "as aggregated"
            };
            Diagnostic::error(
                Kind::Value,
                format!(
                    "the {} mean of `{}` needs values above 0, but `{}` is {value} for `{}` {what}",
                    method.label(),
                    n.code,
                    c.code,
                    data.unit_codes[*unit]
                ),
            )
            .at(at(*child).file, at(*child).span.clone(), format!("`{}` defined here", c.code))
            .also(at(*node).file, at(*node).span.clone(), format!("`{}` aggregates it", n.code))
            .also(
                model.aggregate_origin.file,
                model.aggregate_origin.span.clone(),
                "aggregation chosen here",
            )
            .help("normalise onto a range that starts above 0 (e.g. min-max with lower = 1, upper = 100), or use the arithmetic mean")
        }
    }
}
