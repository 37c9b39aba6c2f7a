//! Branches: target-based campaigns as nodes of the hierarchy. Each `[[branch]]` is
//! resolved with the model; with the data, its campaign is loaded and scored by the core
//! engine and its scores fill the node's column.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::schema::CompositeFile;
use crate::composite::model::*;
use crate::diag::{did_you_mean, Diagnostic, FileId, Kind, Sources};
use crate::period::Period;
use crate::result::UnitResult;

pub(super) const BRANCH_VALUES: [&str; 3] = ["total", "category:ID", "indicator:ID"];

/// Resolves each `[[branch]]` to its node (`codes`: those of indicators.csv, checked even
/// when the hierarchy is not valid), its folders (relative to the composite folder) and its
/// value key. The campaigns themselves are read with the data.
pub(super) fn build_branches(
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
pub(super) fn fill_branches(
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

pub(super) type BranchColumn = (Vec<Option<f64>>, BranchSource, Vec<PathBuf>);

pub(super) fn score_branch(
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
