//! Aggregation of one group (the children of a pillar, sub-index or index) for every unit:
//! weighted arithmetic, geometric, harmonic and generalised means, and Copeland.
//!
//! A missing child value is skipped and the other weights re-normalised (as COINr does); a
//! unit with no child value at all gets no score.

use super::model::Aggregation;

/// A child value the method cannot take.
#[derive(Debug, Clone, PartialEq)]
pub struct BadValue {
    /// Position of the child in the group.
    pub child: usize,
    pub unit: usize,
    pub value: f64,
}

/// Aggregates `columns[child][unit]` with `weights[child]`.
pub fn aggregate(
    columns: &[&[Option<f64>]],
    weights: &[f64],
    method: Aggregation,
    units: usize,
) -> Result<Vec<Option<f64>>, BadValue> {
    // Values the method cannot use, found before computing anything.
    for (c, col) in columns.iter().enumerate() {
        for (u, v) in col.iter().enumerate() {
            let Some(v) = *v else { continue };
            let bad = match method {
                Aggregation::Geometric | Aggregation::Harmonic => v <= 0.0,
                Aggregation::Generalised { power } if power < 0.0 => v <= 0.0,
                Aggregation::Generalised { power } if power.fract() != 0.0 => v < 0.0,
                _ => false,
            };
            if bad {
                return Err(BadValue {
                    child: c,
                    unit: u,
                    value: v,
                });
            }
        }
    }
    if method == Aggregation::Copeland {
        return Ok(copeland(columns, weights, units));
    }
    Ok((0..units)
        .map(|u| {
            let pairs: Vec<(f64, f64)> = columns
                .iter()
                .zip(weights)
                .filter_map(|(col, &w)| col[u].map(|x| (x, w)))
                .collect();
            mean(&pairs, method)
        })
        .collect())
}

/// The weighted mean of (value, weight) pairs; `None` without a positive total weight.
pub fn mean(pairs: &[(f64, f64)], method: Aggregation) -> Option<f64> {
    let total: f64 = pairs.iter().map(|p| p.1).sum();
    if pairs.is_empty() || total <= 0.0 {
        return None;
    }
    Some(match method {
        Aggregation::Arithmetic | Aggregation::Copeland => {
            pairs.iter().map(|(x, w)| x * w).sum::<f64>() / total
        }
        Aggregation::Geometric => {
            (pairs.iter().map(|(x, w)| w * x.ln()).sum::<f64>() / total).exp()
        }
        Aggregation::Harmonic => total / pairs.iter().map(|(x, w)| w / x).sum::<f64>(),
        Aggregation::Generalised { power } => {
            (pairs.iter().map(|(x, w)| w * x.powf(power)).sum::<f64>() / total).powf(1.0 / power)
        }
    })
}

/// Copeland scores (COINr's `a_copeland`): for each pair of units, the share of the weight
/// (weights scaled to sum to 1) on which the first is higher, plus half where they are
/// equal; a share above one half counts +1, below −1, exactly one half 0. A unit's score is
/// the sum over the other units. Comparisons with a missing value count for neither.
pub fn copeland(columns: &[&[Option<f64>]], weights: &[f64], units: usize) -> Vec<Option<f64>> {
    let total: f64 = weights.iter().sum();
    let w: Vec<f64> = weights.iter().map(|w| w / total).collect();
    let mut out = vec![Some(0.0); units];
    for (u, o) in out.iter_mut().enumerate() {
        if columns.iter().all(|c| c[u].is_none()) {
            *o = None;
        }
    }
    for i in 0..units {
        for j in (i + 1)..units {
            let mut share = 0.0;
            for (c, col) in columns.iter().enumerate() {
                if let (Some(a), Some(b)) = (col[i], col[j]) {
                    if a > b {
                        share += w[c];
                    } else if a == b {
                        share += w[c] / 2.0;
                    }
                }
            }
            // COINr fills the lower triangle as 1 − upper.
            let (si, sj) = (outcome(share), outcome(1.0 - share));
            if let Some(a) = out[i].as_mut() {
                *a += si;
            }
            if let Some(b) = out[j].as_mut() {
                *b += sj;
            }
        }
    }
    out
}

fn outcome(share: f64) -> f64 {
    // Shares are sums of weights: compare with a half allowing for rounding in the sums.
    const EPS: f64 = 1e-12;
    if share > 0.5 + EPS {
        1.0
    } else if share < 0.5 - EPS {
        -1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs() -> Vec<(f64, f64)> {
        // values 1, 4, 16 with weights 1, 1, 2
        vec![(1.0, 1.0), (4.0, 1.0), (16.0, 2.0)]
    }

    #[test]
    fn means_by_hand() {
        // Arithmetic: (1 + 4 + 32)/4 = 9.25.
        assert_eq!(mean(&pairs(), Aggregation::Arithmetic), Some(9.25));
        // Geometric: (1 × 4 × 16²)^(1/4) = 1024^(1/4) = 5.656854.
        let g = mean(&pairs(), Aggregation::Geometric).unwrap();
        assert!((g - 1024f64.powf(0.25)).abs() < 1e-12);
        // Harmonic: 4 / (1 + 1/4 + 2/16) = 4 / 1.375 = 2.909091.
        let h = mean(&pairs(), Aggregation::Harmonic).unwrap();
        assert!((h - 4.0 / 1.375).abs() < 1e-12);
        // Generalised p = 2: sqrt((1 + 16 + 2 × 256)/4) = sqrt(132.25) = 11.5.
        let q = mean(&pairs(), Aggregation::Generalised { power: 2.0 }).unwrap();
        assert!((q - 11.5).abs() < 1e-12);
        // p = 1 is the arithmetic mean; p = −1 the harmonic.
        let p1 = mean(&pairs(), Aggregation::Generalised { power: 1.0 }).unwrap();
        assert!((p1 - 9.25).abs() < 1e-12);
        let pm1 = mean(&pairs(), Aggregation::Generalised { power: -1.0 }).unwrap();
        assert!((pm1 - h).abs() < 1e-12);
    }

    #[test]
    fn missing_values_are_skipped_and_weights_renormalised() {
        // Unit 0: 10 (w 1), missing (w 3) → 10. Unit 1: 10, 20 → (10 + 60)/4 = 17.5.
        let a = [Some(10.0), Some(10.0)];
        let b = [None, Some(20.0)];
        let y = aggregate(&[&a, &b], &[1.0, 3.0], Aggregation::Arithmetic, 2).unwrap();
        assert_eq!(y, vec![Some(10.0), Some(17.5)]);
        let none = [None, None];
        let y = aggregate(&[&none], &[1.0], Aggregation::Arithmetic, 2).unwrap();
        assert_eq!(y, vec![None, None]);
    }

    #[test]
    fn non_positive_values_are_refused() {
        let a = [Some(1.0), Some(0.0)];
        for m in [Aggregation::Geometric, Aggregation::Harmonic] {
            assert_eq!(
                aggregate(&[&a], &[1.0], m, 2),
                Err(BadValue {
                    child: 0,
                    unit: 1,
                    value: 0.0
                })
            );
        }
        assert!(aggregate(&[&a], &[1.0], Aggregation::Arithmetic, 2).is_ok());
        assert!(aggregate(&[&a], &[1.0], Aggregation::Generalised { power: -2.0 }, 2).is_err());
        assert!(aggregate(&[&a], &[1.0], Aggregation::Generalised { power: 2.0 }, 2).is_ok());
    }

    #[test]
    fn copeland_by_hand() {
        // Three units, three indicators, weights 1, 1, 2 (scaled: 0.25, 0.25, 0.5).
        //        i1  i2  i3
        //   A     3   1   2
        //   B     2   2   2
        //   C     1   3   1
        // A vs B: A higher on i1 (0.25), equal on i3 (0.5/2 = 0.25) → 0.5 → 0 each.
        // A vs C: A higher on i1 and i3 → 0.75 → A +1, C −1.
        // B vs C: B higher on i1 and i3 → 0.75 → B +1, C −1.
        // Scores: A 1, B 1, C −2.
        let i1 = [Some(3.0), Some(2.0), Some(1.0)];
        let i2 = [Some(1.0), Some(2.0), Some(3.0)];
        let i3 = [Some(2.0), Some(2.0), Some(1.0)];
        let y = aggregate(&[&i1, &i2, &i3], &[1.0, 1.0, 2.0], Aggregation::Copeland, 3).unwrap();
        assert_eq!(y, vec![Some(1.0), Some(1.0), Some(-2.0)]);
    }
}
