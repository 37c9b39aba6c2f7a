//! Reading a composite-index campaign: `composite.toml` (the pipeline), `indicators.csv`
//! (the hierarchy) and a period's `data.csv`. The only code of `composite` that touches the
//! filesystem; every problem becomes a [`Diagnostic`] with its file, line and column.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::model::*;
use crate::diag::{did_you_mean, Diagnostic, FileId, Kind, Sources};
use crate::loader::csv_table::{self, parse_number, Column};
use crate::loader::parse_toml;
use crate::period::Period;
use crate::result::UnitResult;

// ---------------------------------------------------------------------------------------
// composite.toml as written

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CompositeFile {
    name: String,
    #[serde(default = "two")]
    decimals: Spanned<u32>,
    #[serde(default)]
    levels: Vec<String>,
    #[serde(default)]
    denominate: bool,
    data: DataRaw,
    #[serde(default)]
    impute: Option<ImputeRaw>,
    #[serde(default)]
    screen: Option<ScreenRaw>,
    #[serde(default)]
    outliers: Option<OutliersRaw>,
    normalise: Spanned<NormaliseRaw>,
    aggregate: Spanned<AggregateRaw>,
    #[serde(default)]
    sensitivity: Option<Spanned<SensitivityRaw>>,
    #[serde(default)]
    branch: Vec<Spanned<BranchRaw>>,
}

/// A `[[branch]]`: a node of the hierarchy fed by a target-based campaign's scores.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BranchRaw {
    code: Spanned<String>,
    campaign: Spanned<String>,
    data: Spanned<String>,
    period: Option<Spanned<String>>,
    value: Option<Spanned<String>>,
}

fn two() -> Spanned<u32> {
    Spanned::new(0..0, 2)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DataRaw {
    unit: String,
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImputeRaw {
    method: Spanned<String>,
    group: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScreenRaw {
    min_availability: Spanned<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutliersRaw {
    method: Spanned<String>,
    #[serde(default = "skew2")]
    skew: f64,
    #[serde(default = "kurt35")]
    kurtosis: f64,
    #[serde(default = "five")]
    max_winsorised: usize,
}

fn skew2() -> f64 {
    2.0
}
fn kurt35() -> f64 {
    3.5
}
fn five() -> usize {
    5
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct NormaliseRaw {
    method: Spanned<String>,
    lower: Option<f64>,
    upper: Option<f64>,
    mean: Option<f64>,
    sd: Option<f64>,
    unit: Option<Spanned<String>>,
    cap: Option<bool>,
    scale: Option<f64>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct AggregateRaw {
    method: Spanned<String>,
    power: Option<Spanned<f64>>,
    #[serde(default)]
    at_level: BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SensitivityRaw {
    #[serde(default = "quarter")]
    weights: Spanned<f64>,
    #[serde(default)]
    normalise: Vec<Spanned<NormaliseRaw>>,
    #[serde(default)]
    aggregate: Vec<Spanned<AggregateRaw>>,
    #[serde(default)]
    impute: bool,
}

fn quarter() -> Spanned<f64> {
    Spanned::new(0..0, 0.25)
}

const NORMALISE_METHODS: [&str; 10] = [
    "min-max",
    "z-score",
    "rank",
    "percentile-rank",
    "borda",
    "fraction-of-max",
    "distance-to-max",
    "distance-to-reference",
    "distance-to-target",
    "goalposts",
];

const AGGREGATE_METHODS: [&str; 5] = [
    "arithmetic",
    "geometric",
    "harmonic",
    "generalised",
    "copeland",
];

const IMPUTE_METHODS: [&str; 5] = ["none", "mean", "median", "group-mean", "group-median"];

// ---------------------------------------------------------------------------------------
// indicators.csv

const INDICATOR_COLUMNS: [Column; 10] = [
    Column {
        name: "level",
        aliases: &["层级", "级别"],
        required: true,
    },
    Column {
        name: "code",
        aliases: &["代码", "编号"],
        required: true,
    },
    Column {
        name: "name",
        aliases: &["名称", "指标名称"],
        required: false,
    },
    Column {
        name: "direction",
        aliases: &["方向"],
        required: false,
    },
    Column {
        name: "weight",
        aliases: &["权重"],
        required: false,
    },
    Column {
        name: "parent",
        aliases: &["上级"],
        required: false,
    },
    Column {
        name: "denominator",
        aliases: &["分母"],
        required: false,
    },
    Column {
        name: "target",
        aliases: &["目标值", "目标"],
        required: false,
    },
    Column {
        name: "low",
        aliases: &["下限"],
        required: false,
    },
    Column {
        name: "high",
        aliases: &["上限"],
        required: false,
    },
];

/// A loaded campaign and the files read.
pub struct Loaded {
    pub model: Model,
    pub inputs: Vec<PathBuf>,
}

/// Reads and validates `RULES/composite.toml` and `RULES/indicators.csv`.
pub fn load_model(dir: &Path, sources: &mut Sources) -> Result<Loaded, Vec<Diagnostic>> {
    if !dir.join("composite.toml").is_file() {
        let what = if dir.is_dir() {
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

/// Distance to target and goalposts need every indicator's target or posts.
fn check_targets(
    nodes: &[Node],
    pipeline: &Option<Pipeline>,
    sens: &Option<SensitivitySpec>,
    errors: &mut Vec<Diagnostic>,
) -> bool {
    let mut methods: Vec<&Normalise> = Vec::new();
    if let Some(p) = pipeline {
        methods.push(&p.normalise);
    }
    if let Some(s) = sens {
        methods.extend(s.normalise.iter());
    }
    let before = errors.len();
    let needs_target = methods
        .iter()
        .any(|m| matches!(m, Normalise::DistanceToTarget { .. }));
    let needs_posts = methods
        .iter()
        .any(|m| matches!(m, Normalise::Goalposts { .. }));
    for n in nodes.iter().filter(|n| n.is_indicator()) {
        if needs_target && n.target.is_none() {
            errors.push(
                Diagnostic::error(
                    Kind::Value,
                    format!("the indicator `{}` has no target", n.code),
                )
                .at(n.origin.file, n.origin.span.clone(), "defined here")
                .help("normalising by distance to target needs a `target` for every indicator"),
            );
        }
        if needs_posts && n.goalposts.is_none() {
            errors.push(
                Diagnostic::error(Kind::Value, format!("the indicator `{}` has no goalposts", n.code))
                    .at(n.origin.file, n.origin.span.clone(), "defined here")
                    .help("normalising by goalposts needs `low` and `high` for every indicator, e.g. low = 0, high = 100"),
            );
        }
    }
    errors.len() == before
}

fn cell_text(row: &csv_table::Row, c: usize) -> Option<&csv_table::Cell> {
    row.cells[c].as_ref()
}

/// The hierarchy: every check on levels, parents, cycles, orphans and weights.
fn build_nodes(
    sources: &Sources,
    table: &csv_table::Table,
    branches: &[&str],
    errors: &mut Vec<Diagnostic>,
) -> Option<(Vec<Node>, usize)> {
    let f = table.file;
    let before = errors.len();
    let mut nodes: Vec<Node> = Vec::new();
    let mut parents: Vec<Option<csv_table::Cell>> = Vec::new();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let Some(code) = cell_text(row, 1) else {
            errors.push(
                Diagnostic::error(Kind::Value, "this row has no code")
                    .at(f, row.span.clone(), "no code")
                    .help("give every indicator and aggregate a short code, e.g. LPI"),
            );
            continue;
        };
        let level = match cell_text(row, 0) {
            Some(c) => match c.text.parse::<f64>() {
                Ok(v) if v >= 1.0 && v.fract() == 0.0 && v <= 20.0 => v as u32,
                _ => {
                    errors.push(
                        Diagnostic::error(Kind::Value, format!("the level `{}` is not 1, 2, 3…", c.text))
                            .at(f, c.span.clone(), "expected a whole number from 1")
                            .help("1 = indicator, 2 = pillar, 3 = sub-index, 4 = index (as many levels as needed)"),
                    );
                    1
                }
            },
            None => {
                errors.push(
                    Diagnostic::error(Kind::Value, format!("`{}` has no level", code.text))
                        .at(f, code.span.clone(), "no level on this row")
                        .help("1 = indicator, 2 = pillar, 3 = sub-index, 4 = index"),
                );
                1
            }
        };
        let direction = match cell_text(row, 3) {
            None => 1.0,
            Some(c) => match c.text.as_str() {
                "1" | "1.0" | "+1" | "higher" | "正向" => 1.0,
                "-1" | "-1.0" | "lower" | "逆向" => -1.0,
                _ => {
                    errors.push(
                        Diagnostic::error(Kind::Value, format!("the direction `{}` is not 1 or -1", c.text))
                            .at(f, c.span.clone(), "expected 1 or -1")
                            .help("1 (or higher, 正向) when higher is better; -1 (or lower, 逆向) when lower is better"),
                    );
                    1.0
                }
            },
        };
        let mut number = |c: usize, what: &str| -> Option<f64> {
            let cell = cell_text(row, c)?;
            cell.number(f, what).map_err(|e| errors.push(e)).ok()
        };
        let weight = number(4, "the weight").unwrap_or(1.0);
        let target = number(7, "the target");
        let low = number(8, "the low goalpost");
        let high = number(9, "the high goalpost");
        if weight < 0.0 {
            let c = cell_text(row, 4).expect("a weight was read");
            errors.push(
                Diagnostic::error(
                    Kind::Weights,
                    format!("the weight of `{}` is negative", code.text),
                )
                .at(f, c.span.clone(), "below zero")
                .help("weights are relative shares: write 0 or more, e.g. 1"),
            );
        }
        let denominator = cell_text(row, 6).map(|c| c.text.to_string());
        let branch = branches.contains(&code.text.as_str());
        if branch {
            if let Some(c) = cell_text(row, 6) {
                errors.push(
                    Diagnostic::error(
                        Kind::Value,
                        format!("the branch `{}` has a denominator", code.text),
                    )
                    .at(f, c.span.clone(), "a branch takes its values from a target-based campaign")
                    .help("remove the denominator: a branch's values are its campaign's scores, not a column of data.csv"),
                );
            }
        } else if level > 1 {
            if let Some(c) = cell_text(row, 6) {
                errors.push(
                    Diagnostic::error(
                        Kind::Value,
                        format!("the aggregate `{}` has a denominator", code.text),
                    )
                    .at(
                        f,
                        c.span.clone(),
                        "only indicators (level 1) can be divided",
                    )
                    .help("remove the denominator, or move it to the indicators under it"),
                );
            }
        }
        if let Some(&first) = by_code.get(code.text.as_str()) {
            errors.push(
                Diagnostic::error(Kind::Duplicate, format!("`{}` is defined twice", code.text))
                    .at(f, code.span.clone(), "again here")
                    .also(f, nodes[first].origin.span.clone(), "first here")
                    .help("give each indicator and aggregate its own code"),
            );
            continue;
        }
        by_code.insert(code.text.to_string(), nodes.len());
        nodes.push(Node {
            code: code.text.to_string(),
            name: cell_text(row, 2).map_or_else(|| code.text.to_string(), |c| c.text.to_string()),
            level,
            parent: None,
            children: Vec::new(),
            weight,
            direction: if level == 1 || branch { direction } else { 1.0 },
            denominator,
            target,
            goalposts: low.zip(high),
            origin: Origin {
                file: f,
                span: row.span.clone(),
            },
            branch,
        });
        parents.push(cell_text(row, 5).cloned());
    }
    if nodes.is_empty() {
        errors.push(
            Diagnostic::error(Kind::Value, "indicators.csv defines nothing")
                .at(f, 0..sources.span_to_line_end(f, 0).end, "header only")
                .help("add one row per indicator and per aggregate (pillar, sub-index, index)"),
        );
        return None;
    }
    // Parents.
    let codes: Vec<&str> = nodes.iter().map(|n| n.code.as_str()).collect();
    let mut resolved = vec![None; nodes.len()];
    for (i, p) in parents.iter().enumerate() {
        let Some(p) = p else { continue };
        match by_code.get(p.text.as_str()) {
            Some(&j) => resolved[i] = Some(j),
            None => {
                let hint = match did_you_mean(&p.text, codes.iter().copied()) {
                    Some(s) => {
                        format!("did you mean `{s}`? A parent must be a code defined in this file")
                    }
                    None => {
                        "a parent must be the code of an aggregate defined in this file".to_string()
                    }
                };
                errors.push(
                    Diagnostic::error(
                        Kind::Reference,
                        format!(
                            "`{}` is an orphan: its parent `{}` is not defined",
                            nodes[i].code, p.text
                        ),
                    )
                    .at(f, p.span.clone(), "no such code")
                    .help(hint),
                );
            }
        }
    }
    // Cycles: follow each chain of parents; a chain that comes back is a cycle, reported once
    // at its first member in file order.
    let mut in_cycle = vec![false; nodes.len()];
    for start in 0..nodes.len() {
        let mut chain = vec![start];
        let mut at = start;
        while let Some(p) = resolved[at] {
            if let Some(pos) = chain.iter().position(|&c| c == p) {
                let cycle = &chain[pos..];
                if cycle.iter().all(|&c| !in_cycle[c]) {
                    let first = *cycle.iter().min().expect("a cycle has members");
                    let k = cycle.iter().position(|&c| c == first).expect("member");
                    let mut names: Vec<&str> = cycle[k..]
                        .iter()
                        .chain(&cycle[..k])
                        .map(|&c| nodes[c].code.as_str())
                        .collect();
                    names.push(&nodes[first].code);
                    let mut d = Diagnostic::error(
                        Kind::Reference,
                        format!("the hierarchy has a cycle: {}", names.join(" → ")),
                    )
                    .at(
                        f,
                        parents[first]
                            .as_ref()
                            .map_or(nodes[first].origin.span.clone(), |c| c.span.clone()),
                        format!("`{}`'s parent", nodes[first].code),
                    );
                    for &c in cycle.iter().filter(|&&c| c != first) {
                        d = d.also(
                            f,
                            nodes[c].origin.span.clone(),
                            format!("`{}` is in the cycle", nodes[c].code),
                        );
                    }
                    errors.push(d.help("each code's parent must be one level up, ending at the index, which has no parent"));
                }
                for &c in cycle {
                    in_cycle[c] = true;
                }
                break;
            }
            if in_cycle[p] {
                break;
            }
            chain.push(p);
            at = p;
        }
    }
    // Levels: a parent is exactly one level up.
    for i in 0..nodes.len() {
        let Some(p) = resolved[i] else { continue };
        if in_cycle[i] || in_cycle[p] {
            continue;
        }
        if nodes[p].level != nodes[i].level + 1 {
            let span = parents[i]
                .as_ref()
                .map_or(nodes[i].origin.span.clone(), |c| c.span.clone());
            errors.push(
                Diagnostic::error(
                    Kind::Value,
                    format!(
                        "`{}` is level {} but its parent `{}` is level {}",
                        nodes[i].code, nodes[i].level, nodes[p].code, nodes[p].level
                    ),
                )
                .at(f, span, format!("must be a level-{} code", nodes[i].level + 1))
                .also(f, nodes[p].origin.span.clone(), "the parent is defined here")
                .help("a parent is exactly one level up: indicators (1) under pillars (2), pillars under sub-indices (3)…"),
            );
        }
    }
    for (i, p) in resolved.iter().enumerate() {
        nodes[i].parent = *p;
        if let Some(p) = p {
            nodes[*p].children.push(i);
        }
    }
    // The root: the one node without a parent at the top level; any other is an orphan.
    let top = nodes.iter().map(|n| n.level).max().unwrap_or(1);
    let no_parent: Vec<usize> = (0..nodes.len()).filter(|&i| parents[i].is_none()).collect();
    let roots: Vec<usize> = no_parent
        .iter()
        .copied()
        .filter(|&i| nodes[i].level == top)
        .collect();
    for &i in &no_parent {
        if nodes[i].level != top || Some(&i) != roots.first() {
            let why = if nodes[i].level == top {
                format!(
                    "there is already a top-level code, `{}`",
                    nodes[roots[0]].code
                )
            } else {
                format!("it is level {} and the top level is {top}", nodes[i].level)
            };
            errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("`{}` is an orphan: it has no parent", nodes[i].code),
                )
                .at(f, nodes[i].origin.span.clone(), why)
                .help(format!(
                    "give it a parent one level up (level {}), or remove the row",
                    nodes[i].level + 1
                )),
            );
        }
    }
    if top == 1 {
        errors.push(
            Diagnostic::error(Kind::Value, "the hierarchy has no aggregate")
                .at(f, nodes[0].origin.span.clone(), "only indicators")
                .help("add the index as a row with level 2 (or more) and make it the indicators' parent"),
        );
    }
    // A branch is a leaf.
    for n in nodes.iter().filter(|n| n.branch && n.level > 1) {
        if let Some(&c) = n.children.first() {
            errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("the branch `{}` has codes under it", n.code),
                )
                .at(f, n.origin.span.clone(), "a branch takes its values from a target-based campaign")
                .also(f, nodes[c].origin.span.clone(), format!("`{}` names it as parent", nodes[c].code))
                .help(format!("a branch is a leaf: give the codes under `{}` another parent, or remove its [[branch]] from composite.toml", n.code)),
            );
        }
    }
    // Aggregates need children with some weight.
    for (i, n) in nodes.iter().enumerate() {
        if n.is_indicator() || in_cycle[i] {
            continue;
        }
        if n.children.is_empty() {
            errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("the aggregate `{}` has nothing under it", n.code),
                )
                .at(f, n.origin.span.clone(), "no code names it as parent")
                .help(format!(
                    "set `{}` as the parent of the codes it aggregates, or remove this row",
                    n.code
                )),
            );
        } else if n.children.iter().all(|&c| nodes[c].weight == 0.0) {
            let mut d = Diagnostic::error(
                Kind::Weights,
                format!("every weight under `{}` is zero", n.code),
            )
            .at(f, n.origin.span.clone(), "this group's weights add up to 0");
            for &c in &n.children {
                d = d.also(
                    f,
                    nodes[c].origin.span.clone(),
                    format!("`{}`: weight 0", nodes[c].code),
                );
            }
            errors.push(d.help("give at least one of them a weight above 0, e.g. 1"));
        }
    }
    if errors.len() > before {
        return None;
    }
    let root = roots.first().copied()?;
    Some((nodes, root))
}

fn unknown(what: &str, value: &Spanned<String>, choices: &[&str], file: FileId) -> Diagnostic {
    let hint = match did_you_mean(value.get_ref(), choices.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? Write one of: {}", choices.join(", ")),
        None => format!("write one of: {}", choices.join(", ")),
    };
    Diagnostic::error(
        Kind::Schema,
        format!("unknown {what} method `{}`", value.get_ref()),
    )
    .at(file, value.span(), "not a method")
    .help(hint)
}

fn build_normalise(
    raw: &NormaliseRaw,
    file: FileId,
    errors: &mut Vec<Diagnostic>,
) -> Option<Normalise> {
    let m = raw.method.get_ref().as_str();
    Some(match m {
        "min-max" => {
            let (lower, upper) = (raw.lower.unwrap_or(0.0), raw.upper.unwrap_or(100.0));
            if lower >= upper {
                errors.push(
                    Diagnostic::error(Kind::Value, "min-max needs lower below upper")
                        .at(file, raw.method.span(), "here")
                        .help("e.g. lower = 0, upper = 100"),
                );
                return None;
            }
            Normalise::MinMax { lower, upper }
        }
        "z-score" => {
            let sd = raw.sd.unwrap_or(1.0);
            if sd <= 0.0 {
                errors.push(
                    Diagnostic::error(Kind::Value, "z-score needs sd above 0")
                        .at(file, raw.method.span(), "here")
                        .help("e.g. mean = 10, sd = 2"),
                );
                return None;
            }
            Normalise::ZScore {
                mean: raw.mean.unwrap_or(0.0),
                sd,
            }
        }
        "rank" => Normalise::Rank,
        "percentile-rank" => Normalise::PercentileRank,
        "borda" => Normalise::Borda,
        "fraction-of-max" => Normalise::FractionOfMax,
        "distance-to-max" => Normalise::DistanceToMax,
        "distance-to-reference" => match &raw.unit {
            Some(u) => Normalise::DistanceToReference {
                unit: u.get_ref().clone(),
                cap: raw.cap.unwrap_or(false),
            },
            None => {
                errors.push(
                    Diagnostic::error(
                        Kind::Schema,
                        "distance-to-reference needs the reference unit",
                    )
                    .at(file, raw.method.span(), "which unit?")
                    .help("add unit = \"CHE\" (the unit's id in the data)"),
                );
                return None;
            }
        },
        "distance-to-target" => Normalise::DistanceToTarget {
            cap: raw.cap.unwrap_or(false),
        },
        "goalposts" => Normalise::Goalposts {
            scale: raw.scale.unwrap_or(100.0),
        },
        _ => {
            errors.push(unknown(
                "normalisation",
                &raw.method,
                &NORMALISE_METHODS,
                file,
            ));
            return None;
        }
    })
}

fn build_aggregation(
    method: &Spanned<String>,
    power: Option<&Spanned<f64>>,
    file: FileId,
    errors: &mut Vec<Diagnostic>,
) -> Option<Aggregation> {
    Some(match method.get_ref().as_str() {
        "arithmetic" => Aggregation::Arithmetic,
        "geometric" => Aggregation::Geometric,
        "harmonic" => Aggregation::Harmonic,
        "copeland" => Aggregation::Copeland,
        "generalised" => match power {
            Some(p) if *p.get_ref() != 0.0 => Aggregation::Generalised {
                power: *p.get_ref(),
            },
            Some(p) => {
                errors.push(
                    Diagnostic::error(
                        Kind::Value,
                        "the generalised mean needs a power other than 0",
                    )
                    .at(file, p.span(), "power 0")
                    .help("power = 0 is the geometric mean: write method = \"geometric\""),
                );
                return None;
            }
            None => {
                errors.push(
                    Diagnostic::error(Kind::Schema, "the generalised mean needs a power")
                        .at(file, method.span(), "which power?")
                        .help("add power = 2 (quadratic mean), or −1 (harmonic)…"),
                );
                return None;
            }
        },
        _ => {
            errors.push(unknown("aggregation", method, &AGGREGATE_METHODS, file));
            return None;
        }
    })
}

fn build_plan(
    raw: &AggregateRaw,
    file: FileId,
    errors: &mut Vec<Diagnostic>,
) -> Option<AggregationPlan> {
    let default = build_aggregation(&raw.method, raw.power.as_ref(), file, errors);
    let mut at_level = Vec::new();
    for (k, v) in &raw.at_level {
        let level = k.parse::<u32>().ok().filter(|l| *l >= 2);
        let a = build_aggregation(v, raw.power.as_ref(), file, errors);
        match (level, a) {
            (Some(l), Some(a)) => at_level.push((l, a)),
            (None, _) => errors.push(
                Diagnostic::error(Kind::Schema, format!("`{k}` is not an aggregate level"))
                    .at(file, v.span(), "for this level")
                    .help("write the level number (2 or more) as the key: at_level = { 4 = \"copeland\" }"),
            ),
            _ => {}
        }
    }
    Some(AggregationPlan {
        default: default?,
        at_level,
    })
}

fn build_pipeline(
    raw: &CompositeFile,
    file: FileId,
    errors: &mut Vec<Diagnostic>,
) -> Option<Pipeline> {
    let before = errors.len();
    let impute = match &raw.impute {
        None => Impute::None,
        Some(i) => {
            let mut group = || -> Option<String> {
                match &i.group {
                    Some(g) => Some(g.get_ref().clone()),
                    None => {
                        errors.push(
                            Diagnostic::error(
                                Kind::Schema,
                                "imputation by group needs the group column",
                            )
                            .at(file, i.method.span(), "which group?")
                            .help("add group = \"EurAsia_group\" (a column of data.csv)"),
                        );
                        None
                    }
                }
            };
            match i.method.get_ref().as_str() {
                "none" => Impute::None,
                "mean" => Impute::Mean,
                "median" => Impute::Median,
                "group-mean" => group().map_or(Impute::None, |group| Impute::GroupMean { group }),
                "group-median" => {
                    group().map_or(Impute::None, |group| Impute::GroupMedian { group })
                }
                _ => {
                    errors.push(unknown("imputation", &i.method, &IMPUTE_METHODS, file));
                    Impute::None
                }
            }
        }
    };
    let min_availability = raw.screen.as_ref().map(|s| *s.min_availability.get_ref());
    if let Some(s) = &raw.screen {
        let t = *s.min_availability.get_ref();
        if !(0.0..=1.0).contains(&t) {
            errors.push(
                Diagnostic::error(Kind::Value, "min_availability is a share between 0 and 1")
                    .at(file, s.min_availability.span(), "here")
                    .help("e.g. min_availability = 0.9 keeps units with data for at least 90% of the indicators"),
            );
        }
    }
    let outliers = match &raw.outliers {
        None => None,
        Some(o) => match o.method.get_ref().as_str() {
            "none" => None,
            "coinr" => Some(Outliers {
                skew: o.skew,
                kurtosis: o.kurtosis,
                max_winsorised: o.max_winsorised,
            }),
            _ => {
                errors.push(unknown("outlier", &o.method, &["none", "coinr"], file));
                None
            }
        },
    };
    let normalise = build_normalise(raw.normalise.get_ref(), file, errors);
    let aggregate = build_plan(raw.aggregate.get_ref(), file, errors);
    if errors.len() > before {
        return None;
    }
    Some(Pipeline {
        denominate: raw.denominate,
        impute,
        min_availability,
        outliers,
        normalise: normalise?,
        aggregate: aggregate?,
    })
}

fn build_sensitivity(
    raw: &CompositeFile,
    file: FileId,
    errors: &mut Vec<Diagnostic>,
) -> Option<SensitivitySpec> {
    let Some(s) = &raw.sensitivity else {
        return Some(SensitivitySpec {
            weight_share: 0.25,
            normalise: Vec::new(),
            aggregate: Vec::new(),
            vary_impute: false,
            origin: None,
        });
    };
    let before = errors.len();
    let r = s.get_ref();
    let share = *r.weights.get_ref();
    if !(0.0..1.0).contains(&share) {
        errors.push(
            Diagnostic::error(Kind::Value, "the weight share must be from 0 to below 1")
                .at(file, r.weights.span(), "here")
                .help("weights = 0.25 perturbs each weight by up to ±25%"),
        );
    }
    let normalise: Vec<Normalise> = r
        .normalise
        .iter()
        .filter_map(|n| build_normalise(n.get_ref(), file, errors))
        .collect();
    let aggregate: Vec<AggregationPlan> = r
        .aggregate
        .iter()
        .filter_map(|a| build_plan(a.get_ref(), file, errors))
        .collect();
    (errors.len() == before).then(|| SensitivitySpec {
        weight_share: share,
        normalise,
        aggregate,
        vary_impute: r.impute,
        origin: Some(Origin {
            file,
            span: s.span(),
        }),
    })
}

// ---------------------------------------------------------------------------------------
// branches: target-based campaigns as nodes of the hierarchy

const BRANCH_VALUES: [&str; 3] = ["total", "category:ID", "indicator:ID"];

/// Resolves each `[[branch]]` to its node (`codes`: those of indicators.csv, checked even
/// when the hierarchy is not valid), its folders (relative to the composite folder) and its
/// value key. The campaigns themselves are read with the data.
fn build_branches(
    raw: &CompositeFile,
    dir: &Path,
    file: FileId,
    codes: &[&str],
    nodes: Option<&(Vec<Node>, usize)>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Vec<Branch>> {
    let at = |span: Range<usize>| Origin { file, span };
    let mut out: Vec<Branch> = Vec::new();
    for entry in &raw.branch {
        let b = entry.get_ref();
        let code = b.code.get_ref();
        let value = match &b.value {
            None => Some(BranchValue::Total),
            Some(v) => {
                let text = v.get_ref().trim();
                let parsed = match text.split_once(':') {
                    None if text == "total" => Some(BranchValue::Total),
                    Some(("category", id)) if !id.trim().is_empty() => {
                        Some(BranchValue::Category(id.trim().to_string()))
                    }
                    Some(("indicator", id)) if !id.trim().is_empty() => {
                        Some(BranchValue::Indicator(id.trim().to_string()))
                    }
                    _ => None,
                };
                if parsed.is_none() {
                    errors.push(
                        Diagnostic::error(Kind::Schema, format!("unknown branch value `{text}`"))
                            .at(file, v.span(), "not a value of a scored campaign")
                            .help(format!(
                                "write one of: {} (e.g. value = \"category:econ\", an id of the campaign's campaign.toml or indicators.toml)",
                                BRANCH_VALUES.join(", ")
                            )),
                    );
                }
                parsed
            }
        };
        if !codes.contains(&code.as_str()) {
            let hint = match did_you_mean(code, codes.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? A branch names a row of indicators.csv"),
                None => format!(
                    "add a row for `{code}` to indicators.csv: its level and parent place the branch in the hierarchy"
                ),
            };
            errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("the branch `{code}` is not a code of indicators.csv"),
                )
                .at(file, b.code.span(), "no such code")
                .help(hint),
            );
            continue;
        }
        let Some((nodes, root)) = nodes else { continue };
        let Some(node) = nodes.iter().position(|n| n.code == *code) else {
            continue;
        };
        if let Some(first) = out.iter().find(|o| o.node == node) {
            errors.push(
                Diagnostic::error(Kind::Duplicate, format!("`{code}` has two branches"))
                    .at(file, b.code.span(), "again here")
                    .also(file, first.origin.span.clone(), "first here")
                    .help("a node takes its values from one campaign: keep one [[branch]]"),
            );
            continue;
        }
        if node == *root {
            errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("the branch `{code}` is the index itself"),
                )
                .at(file, b.code.span(), "the top of the hierarchy")
                .also(nodes[node].origin.file, nodes[node].origin.span.clone(), "defined here")
                .help("a branch is one part of the index: give it a parent in indicators.csv, next to the other pillars"),
            );
            continue;
        }
        let Some(value) = value else { continue };
        out.push(Branch {
            node,
            campaign: dir.join(b.campaign.get_ref()),
            data: dir.join(b.data.get_ref()),
            period: b.period.as_ref().map(|p| p.get_ref().clone()),
            value,
            origin: at(entry.span()),
            campaign_origin: at(b.campaign.span()),
            period_origin: at(b.period.as_ref().map_or(entry.span(), |p| p.span())),
            value_origin: at(b.value.as_ref().map_or(entry.span(), |v| v.span())),
        });
    }
    nodes.map(|_| out)
}

/// Loads and scores each branch's campaign with the core engine and fills its node's column
/// of `data`: units matched by id, a unit not in the campaign missing (imputed like any
/// other), campaign units not in the data ignored. Returns the campaign files read.
fn fill_branches(
    model: &Model,
    data: &mut Data,
    sources: &mut Sources,
) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for b in &model.branches {
        match score_branch(model, b, data, sources) {
            Ok((column, source, files)) => {
                data.values[b.node] = column;
                data.branches.push(source);
                inputs.extend(files);
            }
            Err(mut d) => errors.append(&mut d),
        }
    }
    if errors.is_empty() {
        Ok(inputs)
    } else {
        Err(errors)
    }
}

type BranchColumn = (Vec<Option<f64>>, BranchSource, Vec<PathBuf>);

fn score_branch(
    model: &Model,
    b: &Branch,
    data: &Data,
    sources: &mut Sources,
) -> Result<BranchColumn, Vec<Diagnostic>> {
    use rust_decimal::prelude::ToPrimitive;
    let code = &model.nodes[b.node].code;
    // The campaign's own diagnostics, as they are, with the branch that led to them.
    let via = |ds: Vec<Diagnostic>| -> Vec<Diagnostic> {
        ds.into_iter()
            .map(|d| {
                d.also(
                    b.campaign_origin.file,
                    b.campaign_origin.span.clone(),
                    format!("the campaign of the branch `{code}`"),
                )
            })
            .collect()
    };
    let mut loaded = crate::loader::load_rules(&b.campaign, sources).map_err(via)?;
    let c = &loaded.campaign;
    let text = b.period.clone().unwrap_or_else(|| data.period.clone());
    let period = match Period::parse(&text, c.period_kind) {
        Ok(p) => p,
        Err(why) => {
            let (label, help) = if b.period.is_some() {
                (
                    "this period",
                    "write a period of the campaign, e.g. period = \"2023-Q2\"".to_string(),
                )
            } else {
                (
                    "the branch takes the composite data's period",
                    format!("add period = \"…\" to the [[branch]]: the campaign period to use with the composite's `{text}`"),
                )
            };
            return Err(vec![Diagnostic::error(
                Kind::Period,
                format!(
                    "`{text}` is not a period of the campaign `{}`: {why}",
                    c.name
                ),
            )
            .at(b.period_origin.file, b.period_origin.span.clone(), label)
            .help(help)]);
        }
    };
    let pd = crate::loader::load_period(&b.data, period, &mut loaded, sources).map_err(via)?;
    let result =
        crate::evaluate::evaluate(&loaded.campaign, &pd, &loaded.scripts, sources).map_err(via)?;
    let c = &loaded.campaign;
    let unknown = |what: &str, id: &str, ids: Vec<&str>| {
        let all = format!("its {what} ids are: {}", ids.join(", "));
        let hint = match did_you_mean(id, ids.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? {all}"),
            None => all,
        };
        vec![Diagnostic::error(
            Kind::Reference,
            format!("the campaign `{}` has no {what} `{id}`", c.name),
        )
        .at(
            b.value_origin.file,
            b.value_origin.span.clone(),
            format!("no such {what}"),
        )
        .also(
            b.campaign_origin.file,
            b.campaign_origin.span.clone(),
            "the campaign",
        )
        .help(hint)]
    };
    // The category's position among the subtotals, once the key is known to exist.
    let mut category = 0;
    match &b.value {
        BranchValue::Total => {}
        BranchValue::Category(id) => {
            let Some(k) = result.categories.iter().position(|x| x.id == *id) else {
                return Err(unknown(
                    "category",
                    id,
                    result.categories.iter().map(|x| x.id.as_str()).collect(),
                ));
            };
            category = k;
        }
        BranchValue::Indicator(id) => {
            if !c.indicators.iter().any(|i| i.id == *id) {
                return Err(unknown(
                    "indicator",
                    id,
                    c.indicators.iter().map(|i| i.id.as_str()).collect(),
                ));
            }
        }
    }
    let pick = |u: &UnitResult| match &b.value {
        BranchValue::Total => Some(u.total),
        BranchValue::Category(_) => u.categories.get(category).copied().flatten(),
        BranchValue::Indicator(id) => u
            .cells
            .iter()
            .find(|x| *x.indicator == **id)
            .map(|x| x.points),
    };
    let by_id: HashMap<&str, &UnitResult> = result
        .groups
        .iter()
        .flat_map(|g| &g.units)
        .map(|u| (u.id.as_str(), u))
        .collect();
    let mut matched = 0;
    let column: Vec<Option<f64>> = data
        .unit_codes
        .iter()
        .map(|code| {
            let u = by_id.get(code.as_str())?;
            matched += 1;
            pick(u).and_then(|d| d.to_f64())
        })
        .collect();
    if matched == 0 {
        return Err(vec![Diagnostic::error(
            Kind::Reference,
            format!("no unit of the data is in the campaign `{}`", c.name),
        )
        .at(b.origin.file, b.origin.span.clone(), format!("the branch `{code}`"))
        .also(data.file, data.unit_rows[0].clone(), "a unit of the data")
        .help(format!(
            "a branch matches units by id: the data's `{}` column must hold the ids of the campaign's units.csv",
            model.unit_column
        ))]);
    }
    Ok((
        column,
        BranchSource {
            node: b.node,
            campaign: c.name.clone(),
            period: result.period.clone(),
            value: b.value.clone(),
            matched,
        },
        loaded.inputs,
    ))
}

// ---------------------------------------------------------------------------------------
// data

/// The period folders of a data folder (those holding data.csv), sorted by name.
pub fn list_periods(data: &Path) -> Result<Vec<String>, Diagnostic> {
    let entries = std::fs::read_dir(data).map_err(|e| {
        Diagnostic::error(
            Kind::Io,
            format!(
                "cannot read the folder `{}`: {}",
                data.display(),
                crate::loader::io_reason(&e)
            ),
        )
        .help("name the data folder that holds one sub-folder per period, e.g. scenarios/asem")
    })?;
    let mut out: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("data.csv").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    Ok(out)
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

/// A CSV record: its fields (trimmed) with their spans, and the row's span.
struct Record {
    fields: Vec<(String, Range<usize>)>,
    span: Range<usize>,
}

fn read_records(sources: &Sources, file: FileId) -> Result<Vec<Record>, Diagnostic> {
    let text = sources.text(file);
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&text.as_bytes()[bom..]);
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let at = e.position().map_or(0, |p| p.byte() as usize + bom);
            Diagnostic::error(Kind::Csv, format!("this CSV file cannot be read: {e}"))
                .at(file, at..sources.span_to_line_end(file, at).end, "here")
                .help("save the file as CSV (UTF-8) and check that quotes are closed")
        })?;
        let start = record.position().map_or(0, |p| p.byte() as usize) + bom;
        let spans = crate::loader::csv_table::field_spans(text, start, record.len());
        let fields = record
            .iter()
            .zip(spans)
            .map(|(f, s)| (f.trim().to_string(), s))
            .collect();
        out.push(Record {
            fields,
            span: start..sources.span_to_line_end(file, start).end,
        });
    }
    Ok(out)
}

fn parse_data(
    model: &Model,
    sources: &Sources,
    file: FileId,
    period: &str,
) -> Result<Data, Vec<Diagnostic>> {
    let records = read_records(sources, file).map_err(|e| vec![e])?;
    let Some((header, rows)) = records.split_first() else {
        return Err(vec![Diagnostic::error(Kind::Csv, "this CSV file is empty")
            .at(file, 0..0, "no header row")
            .help(format!(
                "start the file with a header row naming `{}` and the indicator codes",
                model.unit_column
            ))]);
    };
    let mut errors = Vec::new();
    let names: Vec<&str> = header.fields.iter().map(|f| f.0.as_str()).collect();
    let header_span = header.span.clone();
    let mut column = |name: &str, why: &str, def: Option<&Origin>| -> Option<usize> {
        if let Some(i) = names.iter().position(|n| *n == name) {
            return Some(i);
        }
        let hint = match did_you_mean(name, names.iter().copied()) {
            Some(s) => {
                format!("did you mean `{s}`? Rename the column or the code so that they match")
            }
            None => format!("add a `{name}` column to the data"),
        };
        let mut d = Diagnostic::error(
            Kind::Csv,
            format!("the data has no `{name}` column ({why})"),
        )
        .at(file, header_span.clone(), "header row");
        if let Some(o) = def {
            d = d.also(o.file, o.span.clone(), "defined here");
        }
        errors.push(d.help(hint));
        None
    };
    let unit_col = column(&model.unit_column, "the unit id, from composite.toml", None);
    let name_col = model
        .name_column
        .as_ref()
        .and_then(|n| column(n, "the unit name, from composite.toml", None));
    let group_col = match &model.pipeline.impute {
        Impute::GroupMean { group } | Impute::GroupMedian { group } => {
            column(group, "the imputation group, from composite.toml", None)
        }
        _ => None,
    };
    let mut value_cols = vec![None; model.nodes.len()];
    let mut denom_cols = vec![None; model.nodes.len()];
    for i in model.indicators() {
        let n = &model.nodes[i];
        if n.branch {
            continue;
        }
        value_cols[i] = column(&n.code, "an indicator", Some(&n.origin));
        if model.pipeline.denominate {
            if let Some(d) = &n.denominator {
                denom_cols[i] = column(
                    d,
                    &format!("the denominator of `{}`", n.code),
                    Some(&n.origin),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let unit_col = unit_col.expect("checked above");
    let width = header.fields.len();
    let mut codes: Vec<String> = Vec::new();
    let mut unit_names = Vec::new();
    let mut unit_rows = Vec::new();
    let mut seen: HashMap<String, Range<usize>> = HashMap::new();
    let mut values = vec![Vec::new(); model.nodes.len()];
    let mut denominators: Vec<Option<Vec<Option<f64>>>> = vec![None; model.nodes.len()];
    for i in model.indicators() {
        if denom_cols[i].is_some() {
            denominators[i] = Some(Vec::new());
        }
    }
    let mut group_names: Vec<String> = Vec::new();
    let mut groups = Vec::new();
    for row in rows {
        if row.fields.iter().all(|f| f.0.is_empty()) {
            continue;
        }
        if row.fields.len() != width {
            errors.push(
                Diagnostic::error(Kind::Csv, format!("this row has {} fields but the header has {width}", row.fields.len()))
                    .at(file, row.span.clone(), format!("{} fields", row.fields.len()))
                    .help("every row needs one field per header column; a comma inside a value must be quoted: \"1,234\""),
            );
            continue;
        }
        let (code, span) = &row.fields[unit_col];
        if code.is_empty() {
            errors.push(
                Diagnostic::error(Kind::Value, "this row has no unit id")
                    .at(file, row.span.clone(), "no unit id")
                    .help(format!("fill in the `{}` column", model.unit_column)),
            );
            continue;
        }
        if let Some(first) = seen.get(code) {
            errors.push(
                Diagnostic::error(Kind::Duplicate, format!("the unit `{code}` appears twice"))
                    .at(file, span.clone(), "again here")
                    .also(file, first.clone(), "first here")
                    .help("keep one row per unit"),
            );
            continue;
        }
        seen.insert(code.clone(), span.clone());
        let mut num = |c: usize, what: &str| -> Option<f64> {
            let (t, s) = &row.fields[c];
            if t.is_empty() || t.eq_ignore_ascii_case("NA") {
                return None;
            }
            match parse_number(t) {
                Some(v) => Some(v),
                None => {
                    errors.push(
                        Diagnostic::error(Kind::Value, format!("{what} is not a number: `{t}`"))
                            .at(file, s.clone(), "expected a number")
                            .help("write the number with digits and a decimal point, e.g. 6.5; leave the cell empty when the value is missing"),
                    );
                    None
                }
            }
        };
        for i in model.indicators() {
            // A branch's column is filled from its campaign after the data is read.
            let v = value_cols[i].and_then(|c| {
                num(
                    c,
                    &format!("the value of `{}` for `{code}`", model.nodes[i].code),
                )
            });
            values[i].push(v);
            if let Some(dc) = denom_cols[i] {
                let d = num(
                    dc,
                    &format!("the denominator `{}` for `{code}`", row.fields[dc].0),
                );
                if let Some(col) = denominators[i].as_mut() {
                    col.push(d);
                }
            }
        }
        if let Some(g) = group_col {
            let name = row.fields[g].0.clone();
            let k = match group_names.iter().position(|n| *n == name) {
                Some(k) => k,
                None => {
                    group_names.push(name);
                    group_names.len() - 1
                }
            };
            groups.push(k);
        }
        codes.push(code.clone());
        unit_names.push(name_col.map_or_else(|| code.clone(), |c| row.fields[c].0.clone()));
        unit_rows.push(row.span.clone());
    }
    if codes.len() < 2 && errors.is_empty() {
        errors.push(
            Diagnostic::error(Kind::Value, "the data has fewer than two units")
                .at(file, header_span, "header row")
                .help("a composite index ranks units against each other: add one row per unit"),
        );
    }
    // The reference unit of distance-to-reference must be in the data.
    let mut refs: Vec<(&String, &Origin)> = Vec::new();
    if let Normalise::DistanceToReference { unit, .. } = &model.pipeline.normalise {
        refs.push((unit, &model.normalise_origin));
    }
    for n in &model.sensitivity.normalise {
        if let (Normalise::DistanceToReference { unit, .. }, Some(o)) =
            (n, &model.sensitivity.origin)
        {
            refs.push((unit, o));
        }
    }
    for (unit, o) in refs {
        if !codes.contains(unit) {
            let hint = match did_you_mean(unit, codes.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "name a unit id of the data".to_string(),
            };
            errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("the reference unit `{unit}` is not in the data"),
                )
                .at(o.file, o.span.clone(), "the normalisation naming it")
                .help(hint),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Data {
        period: period.to_string(),
        unit_codes: codes,
        unit_names,
        values,
        denominators,
        groups: group_col.map(|_| groups),
        group_names,
        file,
        unit_rows,
        branches: Vec::new(),
    })
}
