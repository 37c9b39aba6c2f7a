//! Rank uncertainty: a Monte Carlo over the weights (each multiplied by 1 + share × u, u
//! uniform in [−1, 1]), over the normalisation and aggregation alternatives and over
//! imputation on/off; and, separately, the rank shift when each indicator is dropped in turn.
//!
//! Each run draws from its own ChaCha8 stream, keyed by (seed, run index), in a fixed order
//! (imputation, normalisation, aggregation, then the weights in file order). A run's numbers
//! therefore depend on nothing but the seed and its index: the same at any thread count or
//! order of evaluation. Runs only re-aggregate: the data are prepared once per imputation
//! choice and normalised once per normalisation choice.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use serde::Serialize;

use super::eval::{aggregate_all, normalise_all, prepare, rank, run, EvalError};
use super::model::{AggregationPlan, Data, Model, Normalise};

/// Rank uncertainty of one unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitUncertainty {
    pub code: String,
    pub name: String,
    pub nominal: Option<u32>,
    pub median: Option<f64>,
    pub p05: Option<f64>,
    pub p95: Option<f64>,
}

/// The effect of leaving one indicator out (nominal pipeline otherwise).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dropped {
    pub code: String,
    pub name: String,
    /// Per unit (same order as `units`): rank without the indicator − nominal rank
    /// (positive = the unit falls).
    pub shifts: Vec<Option<i64>>,
    pub mean_abs_shift: f64,
    pub max_abs_shift: i64,
    /// Units with the largest shift.
    pub most_affected: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub runs: usize,
    pub seed: u64,
    pub weight_share: f64,
    pub normalise: Vec<String>,
    pub aggregate: Vec<String>,
    pub vary_impute: bool,
    pub units: Vec<UnitUncertainty>,
    pub dropped: Vec<Dropped>,
}

/// Which alternative a run failed on, for the error message.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub error: EvalError,
    pub normalise: Option<String>,
    pub aggregate: Option<String>,
    pub impute: bool,
}

impl From<EvalError> for Failure {
    fn from(error: EvalError) -> Self {
        Failure {
            error,
            normalise: None,
            aggregate: None,
            impute: true,
        }
    }
}

/// A run's draw: which alternatives and which weights.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Draw {
    pub impute: usize,
    pub normalise: usize,
    pub aggregate: usize,
    pub weights: Vec<f64>,
}

/// A uniform number in [0, 1) from the top 53 bits.
fn unit_f64(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform index below `n` (rejection sampling: no modulo bias).
fn index(rng: &mut ChaCha8Rng, n: usize) -> usize {
    if n <= 1 {
        return 0;
    }
    let n = n as u64;
    let zone = u64::MAX - (u64::MAX % n);
    loop {
        let v = rng.next_u64();
        if v < zone {
            return (v % n) as usize;
        }
    }
}

/// The draw of run `run` under `seed`: a function of these two only.
pub(crate) fn draw(
    seed: u64,
    run: u64,
    weights: &[f64],
    share: f64,
    choices: (usize, usize, usize),
) -> Draw {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    let impute = index(&mut rng, choices.0);
    let normalise = index(&mut rng, choices.1);
    let aggregate = index(&mut rng, choices.2);
    let weights = weights
        .iter()
        .map(|w| w * (1.0 + share * (2.0 * unit_f64(&mut rng) - 1.0)))
        .collect();
    Draw {
        impute,
        normalise,
        aggregate,
        weights,
    }
}

/// R's default quantile (type 7) of sorted values.
pub(crate) fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// Runs the analysis.
pub fn analyse(model: &Model, data: &Data, runs: usize, seed: u64) -> Result<Analysis, Failure> {
    let spec = &model.sensitivity;
    let nominal = run(model, data)?;
    let units = nominal.units.clone();
    let n = units.len();
    let normalisations: Vec<Normalise> = if spec.normalise.is_empty() {
        vec![model.pipeline.normalise.clone()]
    } else {
        spec.normalise.clone()
    };
    let plans: Vec<AggregationPlan> = if spec.aggregate.is_empty() {
        vec![model.pipeline.aggregate.clone()]
    } else {
        spec.aggregate.clone()
    };
    let impute_choices: Vec<bool> = if spec.vary_impute {
        vec![true, false]
    } else {
        vec![true]
    };
    let weights = model.weights();
    // Prepared and normalised once per choice; every combination checked once up front.
    let mut matrices = Vec::new();
    for &imp in &impute_choices {
        let prepared = prepare(model, data, imp, Some(&units)).map_err(|e| Failure {
            impute: imp,
            ..Failure::from(e)
        })?;
        let mut per_norm = Vec::new();
        for norm in &normalisations {
            let m = normalise_all(model, data, &prepared, norm).map_err(|error| Failure {
                error,
                normalise: Some(norm.label()),
                aggregate: None,
                impute: imp,
            })?;
            for plan in &plans {
                let mut s = m.clone();
                aggregate_all(model, &mut s, &weights, plan, None, n).map_err(|error| Failure {
                    error,
                    normalise: Some(norm.label()),
                    aggregate: Some(plan.label()),
                    impute: imp,
                })?;
            }
            per_norm.push(m);
        }
        matrices.push(per_norm);
    }
    let choices = (impute_choices.len(), normalisations.len(), plans.len());
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(runs); n];
    for r in 0..runs {
        let d = draw(seed, r as u64, &weights, spec.weight_share, choices);
        let mut s = matrices[d.impute][d.normalise].clone();
        aggregate_all(model, &mut s, &d.weights, &plans[d.aggregate], None, n).map_err(
            |error| Failure {
                error,
                normalise: Some(normalisations[d.normalise].label()),
                aggregate: Some(plans[d.aggregate].label()),
                impute: impute_choices[d.impute],
            },
        )?;
        for (u, rk) in rank(&s[model.root]).into_iter().enumerate() {
            if let Some(rk) = rk {
                samples[u].push(rk as f64);
            }
        }
    }
    let unit_results = (0..n)
        .map(|k| {
            let mut v = samples[k].clone();
            v.sort_by(f64::total_cmp);
            UnitUncertainty {
                code: data.unit_codes[units[k]].clone(),
                name: data.unit_names[units[k]].clone(),
                nominal: nominal.ranks[k],
                median: quantile(&v, 0.5),
                p05: quantile(&v, 0.05),
                p95: quantile(&v, 0.95),
            }
        })
        .collect();
    // Leave each indicator out of the nominal pipeline.
    let base = {
        let prepared = prepare(model, data, true, Some(&units))?;
        normalise_all(model, data, &prepared, &model.pipeline.normalise)?
    };
    let mut dropped = Vec::new();
    for i in model.indicators() {
        let mut s = base.clone();
        aggregate_all(
            model,
            &mut s,
            &weights,
            &model.pipeline.aggregate,
            Some(i),
            n,
        )?;
        let ranks = rank(&s[model.root]);
        let shifts: Vec<Option<i64>> = (0..n)
            .map(|k| match (ranks[k], nominal.ranks[k]) {
                (Some(a), Some(b)) => Some(a as i64 - b as i64),
                _ => None,
            })
            .collect();
        let present: Vec<i64> = shifts.iter().flatten().map(|s| s.abs()).collect();
        let max_abs = present.iter().copied().max().unwrap_or(0);
        let mean_abs = if present.is_empty() {
            0.0
        } else {
            present.iter().sum::<i64>() as f64 / present.len() as f64
        };
        let most_affected = if max_abs == 0 {
            Vec::new()
        } else {
            (0..n)
                .filter(|&k| shifts[k].map(i64::abs) == Some(max_abs))
                .map(|k| data.unit_codes[units[k]].clone())
                .collect()
        };
        dropped.push(Dropped {
            code: model.nodes[i].code.clone(),
            name: model.nodes[i].name.clone(),
            shifts,
            mean_abs_shift: mean_abs,
            max_abs_shift: max_abs,
            most_affected,
        });
    }
    Ok(Analysis {
        runs,
        seed,
        weight_share: spec.weight_share,
        normalise: normalisations.iter().map(Normalise::label).collect(),
        aggregate: plans.iter().map(AggregationPlan::label).collect(),
        vary_impute: spec.vary_impute,
        units: unit_results,
        dropped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_as_r_type_7() {
        // 1..=10: h = 9 × 0.05 = 0.45 → 1 + 0.45 × 1 = 1.45; median h = 4.5 → 5.5;
        // p95: h = 8.55 → 9 + 0.55 = 9.55 (R: quantile(1:10, c(.05, .5, .95))).
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert!((quantile(&v, 0.05).unwrap() - 1.45).abs() < 1e-12);
        assert_eq!(quantile(&v, 0.5), Some(5.5));
        assert!((quantile(&v, 0.95).unwrap() - 9.55).abs() < 1e-12);
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[3.0], 0.95), Some(3.0));
    }

    #[test]
    fn a_draw_depends_only_on_seed_and_run() {
        let w = [1.0, 2.0, 0.0, 1.0];
        let forward: Vec<Draw> = (0..50).map(|r| draw(7, r, &w, 0.25, (2, 3, 2))).collect();
        let backward: Vec<Draw> = (0..50)
            .rev()
            .map(|r| draw(7, r, &w, 0.25, (2, 3, 2)))
            .collect();
        let backward: Vec<Draw> = backward.into_iter().rev().collect();
        assert_eq!(forward, backward);
        assert_ne!(forward[0], forward[1], "runs differ");
        assert_ne!(draw(8, 0, &w, 0.25, (2, 3, 2)), forward[0], "seeds differ");
        for d in &forward {
            // Weights stay within ±25% and a zero weight stays zero.
            assert!(d.weights[0] >= 0.75 && d.weights[0] <= 1.25);
            assert!(d.weights[1] >= 1.5 && d.weights[1] <= 2.5);
            assert_eq!(d.weights[2], 0.0);
            assert!(d.impute < 2 && d.normalise < 3 && d.aggregate < 2);
        }
        // Every alternative is drawn.
        assert!(forward.iter().any(|d| d.normalise == 2));
        assert!(forward.iter().any(|d| d.impute == 1));
    }
}
