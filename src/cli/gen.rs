//! `jingbiao gen`: write a synthetic campaign (rules and data) for benchmarks and scale tests.

use std::path::PathBuf;

use crate::diag::{Diagnostic, Kind, Sources};
use crate::gen::{generate, Methods, Spec};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output folder; the campaign goes to OUT/rules/gen and its data to OUT/scenarios/gen.
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, default_value_t = 2844)]
    pub units: usize,
    #[arg(long, default_value_t = 4)]
    pub groups: usize,
    #[arg(long, default_value_t = 100)]
    pub indicators: usize,
    /// Monthly periods, 1 to 12.
    #[arg(long, default_value_t = 1)]
    pub periods: usize,
    /// Key work items per unit.
    #[arg(long, default_value_t = 0)]
    pub items: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// mixed (30% scripts), builtin or script.
    #[arg(long, value_enum, default_value_t = Methods::Mixed)]
    pub methods: Methods,
    /// Replace OUT/rules/gen and OUT/scenarios/gen if they exist (everything in them).
    #[arg(long)]
    pub force: bool,
}

impl clap::ValueEnum for Methods {
    fn value_variants<'a>() -> &'a [Self] {
        &[Methods::Mixed, Methods::Builtin, Methods::Script]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            Methods::Mixed => "mixed",
            Methods::Builtin => "builtin",
            Methods::Script => "script",
        }))
    }
}

pub fn run(args: &Args, _sources: &mut Sources) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    if args.units == 0 || args.indicators == 0 || !(1..=12).contains(&args.periods) {
        return Err(vec![Diagnostic::error(
            Kind::Value,
            "a campaign needs units, indicators and 1 to 12 periods",
        )
        .help(
            "e.g. jingbiao gen --out /tmp/national --units 2844 --indicators 100 --periods 12",
        )]);
    }
    let spec = Spec {
        units: args.units,
        groups: args.groups,
        indicators: args.indicators,
        periods: args.periods,
        items: args.items,
        seed: args.seed,
        methods: args.methods,
    };
    let folders = ["rules/gen", "scenarios/gen"];
    crate::output::write_folders(&args.out, &folders, &generate(&spec), args.force)
        .map_err(|e| vec![e])?;
    super::say(&format!(
        "wrote {}/rules/gen and {}/scenarios/gen ({} cells per period)",
        args.out.display(),
        args.out.display(),
        args.units * args.indicators
    ));
    Ok(Vec::new())
}
