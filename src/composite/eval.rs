//! The pipeline, pure: denominate → impute → screen → treat outliers → normalise →
//! aggregate up the hierarchy → rank. No I/O; errors name the node they concern and the
//! caller turns them into diagnostics pointing at its definition.
//!
//! The stages are separate functions so that the sensitivity analysis can prepare the data
//! once per imputation choice, normalise once per normalisation choice and only re-aggregate
//! per run. A branch scored by other means (e.g. the core engine's target scores) can be
//! added by filling its leaf columns of the normalised matrix before [`aggregate_all`].

use serde::Serialize;

use super::aggregate::{aggregate, BadValue};
use super::impute::impute;
use super::model::{Aggregation, AggregationPlan, Data, Impute, Model, Normalise};
use super::normalise::{normalise, Extra, NormError};
use super::outliers::{treat, Treatment};
use crate::rank::competition_ranks;

/// A problem found while computing, tied to a node of the hierarchy.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EvalError {
    /// A denominator of zero.
    ZeroDenominator { node: usize, unit: usize },
    /// The indicator cannot be normalised this way.
    Normalise {
        node: usize,
        method: Normalise,
        error: NormError,
    },
    /// An aggregate's method cannot take a child's value (e.g. geometric mean of 0).
    BadValue {
        node: usize,
        child: usize,
        unit: usize,
        value: f64,
        method: Aggregation,
    },
}

/// The data after denominate, impute, screen and outlier treatment.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Units kept (indices into `Data`), in data order.
    pub units: Vec<usize>,
    /// Units screened out for too little data.
    pub screened_out: Vec<usize>,
    /// `values[node][k]` for the k-th kept unit (indicators only).
    pub values: Vec<Vec<Option<f64>>>,
    /// Per node: what outlier treatment did (indicators, when treatment is on).
    pub treatments: Vec<Option<Treatment>>,
    pub imputed: usize,
}

/// Denominates, imputes (if `impute_on`), screens and treats. `keep` forces the unit set
/// (sensitivity runs use the nominal one).
pub fn prepare(
    model: &Model,
    data: &Data,
    impute_on: bool,
    keep: Option<&[usize]>,
) -> Result<Prepared, EvalError> {
    let p = &model.pipeline;
    let n = data.unit_count();
    let mut values: Vec<Vec<Option<f64>>> = vec![Vec::new(); model.nodes.len()];
    let mut imputed = 0;
    for i in model.indicators() {
        let mut col = data.values[i].clone();
        if p.denominate {
            if let Some(den) = &data.denominators[i] {
                for (u, v) in col.iter_mut().enumerate() {
                    *v = match (*v, den[u]) {
                        (Some(x), Some(d)) => {
                            if d == 0.0 {
                                return Err(EvalError::ZeroDenominator { node: i, unit: u });
                            }
                            Some(x / d)
                        }
                        _ => None,
                    };
                }
            }
        }
        if impute_on && p.impute != Impute::None {
            imputed += impute(&mut col, &p.impute, data.groups.as_deref());
        }
        values[i] = col;
    }
    let indicators: Vec<usize> = model.indicators().collect();
    let (units, screened_out): (Vec<usize>, Vec<usize>) = match keep {
        Some(k) => (k.to_vec(), (0..n).filter(|u| !k.contains(u)).collect()),
        None => (0..n).partition(|&u| match p.min_availability {
            None => true,
            Some(t) => {
                let have = indicators
                    .iter()
                    .filter(|&&i| values[i][u].is_some())
                    .count();
                have as f64 / indicators.len().max(1) as f64 >= t
            }
        }),
    };
    let mut treatments = vec![None; model.nodes.len()];
    for &i in &indicators {
        let mut col: Vec<Option<f64>> = units.iter().map(|&u| values[i][u]).collect();
        if let Some(spec) = &p.outliers {
            treatments[i] = Some(treat(&mut col, spec));
        }
        values[i] = col;
    }
    Ok(Prepared {
        units,
        screened_out,
        values,
        treatments,
        imputed,
    })
}

/// Normalises every indicator: `out[node][k]`.
pub fn normalise_all(
    model: &Model,
    data: &Data,
    prepared: &Prepared,
    method: &Normalise,
) -> Result<Vec<Vec<Option<f64>>>, EvalError> {
    let reference = match method {
        Normalise::DistanceToReference { unit, .. } => prepared
            .units
            .iter()
            .position(|&u| data.unit_codes[u] == *unit),
        _ => None,
    };
    let mut out = vec![Vec::new(); model.nodes.len()];
    for i in model.indicators() {
        let node = &model.nodes[i];
        let extra = Extra {
            direction: node.direction,
            target: node.target,
            goalposts: node.goalposts,
            reference,
        };
        out[i] = normalise(&prepared.values[i], method, extra).map_err(|error| {
            EvalError::Normalise {
                node: i,
                method: method.clone(),
                error,
            }
        })?;
    }
    Ok(out)
}

/// Aggregates up the hierarchy, filling the aggregates' rows of `scores` (which holds the
/// normalised indicators). `dropped` leaves one indicator out.
pub fn aggregate_all(
    model: &Model,
    scores: &mut [Vec<Option<f64>>],
    weights: &[f64],
    plan: &AggregationPlan,
    dropped: Option<usize>,
    units: usize,
) -> Result<(), EvalError> {
    for i in model.bottom_up() {
        let node = &model.nodes[i];
        if node.is_indicator() {
            continue;
        }
        let children: Vec<usize> = node
            .children
            .iter()
            .copied()
            .filter(|&c| Some(c) != dropped)
            .collect();
        let method = plan.for_level(node.level);
        let result = {
            let cols: Vec<&[Option<f64>]> = children.iter().map(|&c| &scores[c][..]).collect();
            let w: Vec<f64> = children.iter().map(|&c| weights[c]).collect();
            if cols.is_empty() {
                Ok(vec![None; units])
            } else {
                aggregate(&cols, &w, method, units)
            }
        };
        scores[i] = result.map_err(|BadValue { child, unit, value }| EvalError::BadValue {
            node: i,
            child: children[child],
            unit,
            value,
            method,
        })?;
    }
    Ok(())
}

/// Competition ranks (1, 1, 3) on unrounded scores, highest first; no score, no rank.
pub fn rank(scores: &[Option<f64>]) -> Vec<Option<u32>> {
    let present: Vec<(usize, f64)> = scores
        .iter()
        .enumerate()
        .filter_map(|(u, s)| s.map(|s| (u, s)))
        .collect();
    let ranks = competition_ranks(&present, |a, b| b.1.total_cmp(&a.1));
    let mut out = vec![None; scores.len()];
    for (k, (u, _)) in present.iter().enumerate() {
        out[*u] = Some(ranks[k]);
    }
    out
}

/// The whole pipeline's result.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Kept units (indices into `Data`).
    pub units: Vec<usize>,
    pub screened_out: Vec<usize>,
    /// `scores[node][k]`: normalised indicators and aggregates, unrounded.
    pub scores: Vec<Vec<Option<f64>>>,
    /// Rank of each kept unit on the index (the root).
    pub ranks: Vec<Option<u32>>,
    pub treatments: Vec<Option<Treatment>>,
    pub imputed: usize,
}

/// Runs the pipeline as the campaign defines it.
pub fn run(model: &Model, data: &Data) -> Result<Outcome, EvalError> {
    let prepared = prepare(model, data, true, None)?;
    let mut scores = normalise_all(model, data, &prepared, &model.pipeline.normalise)?;
    aggregate_all(
        model,
        &mut scores,
        &model.weights(),
        &model.pipeline.aggregate,
        None,
        prepared.units.len(),
    )?;
    let ranks = rank(&scores[model.root]);
    Ok(Outcome {
        units: prepared.units,
        screened_out: prepared.screened_out,
        scores,
        ranks,
        treatments: prepared.treatments,
        imputed: prepared.imputed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_competition_ranks_and_missing_is_unranked() {
        let s = [Some(5.0), None, Some(7.0), Some(5.0), Some(1.0)];
        assert_eq!(rank(&s), vec![Some(2), None, Some(1), Some(2), Some(4)]);
    }
}
