//! Reading a composite-index campaign: `composite.toml` (the pipeline), `indicators.csv`
//! (the hierarchy) and a period's `data.csv`, each in its own file here; files are read
//! through `crate::loader`, and every problem becomes a [`Diagnostic`] with its file, line
//! and column.

mod branch;
mod data;
mod indicators;
mod pipeline;
mod schema;

use std::path::{Path, PathBuf};

use super::model::*;
use crate::diag::{did_you_mean, Diagnostic, Kind, Sources};
use crate::loader::csv_table;
use crate::loader::parse_toml;

use branch::{build_branches, fill_branches};
use data::parse_data;
use indicators::{build_nodes, cell_text, INDICATOR_COLUMNS};
use pipeline::{build_pipeline, build_sensitivity, check_targets};
use schema::CompositeFile;

/// A loaded campaign and the files read.
pub struct Loaded {
    pub model: Model,
    pub inputs: Vec<PathBuf>,
}

/// Reads and validates `RULES/composite.toml` and `RULES/indicators.csv`.
pub fn load_model(dir: &Path, sources: &mut Sources) -> Result<Loaded, Vec<Diagnostic>> {
    if !crate::loader::is_file(&dir.join("composite.toml")) {
        let what = if crate::loader::is_folder(dir) {
            "is not a composite-index campaign folder: it has no composite.toml"
        } else {
            "does not exist"
        };
        return Err(vec![Diagnostic::error(
            Kind::Io,
            format!("`{}` {what}", dir.display()),
        )
        .help(
            "name the folder that holds composite.toml and indicators.csv, e.g. rules/asem",
        )]);
    }
    let cpath = dir.join("composite.toml");
    let ipath = dir.join("indicators.csv");
    let mut errors = Vec::new();
    let cfile = crate::loader::read_file(&cpath, sources)
        .map_err(|e| errors.push(e))
        .ok();
    let ifile = crate::loader::read_file(&ipath, sources)
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(cfile), Some(ifile)) = (cfile, ifile) else {
        return Err(errors);
    };
    let raw: CompositeFile = parse_toml(sources, cfile).map_err(|e| vec![e])?;
    let table = csv_table::read(sources, ifile, &INDICATOR_COLUMNS)?;
    let branch_codes: Vec<&str> = raw
        .branch
        .iter()
        .map(|b| b.get_ref().code.get_ref().as_str())
        .collect();
    let codes: Vec<&str> = table
        .rows
        .iter()
        .filter_map(|r| cell_text(r, 1).map(|c| c.text.as_str()))
        .collect();
    let nodes = build_nodes(sources, &table, &branch_codes, &mut errors);
    let branches = build_branches(&raw, dir, cfile, &codes, nodes.as_ref(), &mut errors);
    let pipeline = build_pipeline(&raw, cfile, &mut errors);
    let sensitivity = build_sensitivity(&raw, cfile, &mut errors);
    let decimals = *raw.decimals.get_ref();
    if decimals > 6 {
        errors.push(
            Diagnostic::error(Kind::Value, "decimals must be 6 or fewer")
                .at(cfile, raw.decimals.span(), "here")
                .help("published scores usually have 2 decimals: decimals = 2"),
        );
    }
    let root = nodes.as_ref().and_then(|(nodes, root)| {
        check_targets(nodes, &pipeline, &sensitivity, &mut errors).then_some(*root)
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some((nodes, _)), Some(root), Some(pipeline), Some(sensitivity), Some(branches)) =
        (nodes, root, pipeline, sensitivity, branches)
    else {
        return Err(errors);
    };
    Ok(Loaded {
        model: Model {
            name: raw.name,
            decimals,
            level_names: raw.levels,
            unit_column: raw.data.unit,
            name_column: raw.data.name,
            nodes,
            root,
            pipeline,
            sensitivity,
            normalise_origin: Origin {
                file: cfile,
                span: raw.normalise.span(),
            },
            aggregate_origin: Origin {
                file: cfile,
                span: raw.aggregate.span(),
            },
            branches,
            file: cfile,
        },
        inputs: vec![cpath, ipath],
    })
}

/// The period folders of a data folder (those holding data.csv), sorted by name.
pub fn list_periods(data: &Path) -> Result<Vec<String>, Diagnostic> {
    crate::loader::folders_holding(data, "data.csv").map_err(|e| {
        e.help("name the data folder that holds one sub-folder per period, e.g. scenarios/asem")
    })
}

/// Reads `DATA/PERIOD/data.csv` (the latest period if none is named) for `model`.
pub fn load_data(
    model: &Model,
    dir: &Path,
    period: Option<&str>,
    sources: &mut Sources,
) -> Result<(Data, Vec<PathBuf>), Vec<Diagnostic>> {
    let periods = list_periods(dir).map_err(|e| vec![e])?;
    let period = match period {
        Some(p) if periods.iter().any(|q| q == p) => p.to_string(),
        Some(p) => {
            let hint = match did_you_mean(p, periods.iter().map(String::as_str)) {
                Some(s) => format!(
                    "did you mean `{s}`? The periods with data are: {}",
                    periods.join(", ")
                ),
                None if periods.is_empty() => "no sub-folder holds a data.csv".to_string(),
                None => format!("the periods with data are: {}", periods.join(", ")),
            };
            return Err(vec![Diagnostic::error(
                Kind::Period,
                format!("`{}` has no period `{p}`", dir.display()),
            )
            .help(hint)]);
        }
        None => match periods.last() {
            Some(p) => p.clone(),
            None => {
                return Err(vec![Diagnostic::error(
                    Kind::Period,
                    format!("`{}` has no period with data", dir.display()),
                )
                .help(
                    "put each period's data in its own folder: scenarios/asem/2018/data.csv",
                )])
            }
        },
    };
    let path = dir.join(&period).join("data.csv");
    let file = crate::loader::read_file(&path, sources).map_err(|e| vec![e])?;
    let mut data = parse_data(model, sources, file, &period)?;
    let mut inputs = vec![path];
    inputs.extend(fill_branches(model, &mut data, sources)?);
    Ok((data, inputs))
}
