//! Normalisation of one indicator: bring every indicator onto a common scale, higher always
//! better. The direction is applied first (values × −1 when lower is better), as COINr does;
//! targets and goalposts written in the indicator's own units are converted the same way.
//! Missing values stay missing; ranks count only the units with a value.

use super::model::Normalise;
use super::outliers::mean_sd;

/// Why an indicator cannot be normalised.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum NormError {
    /// Every value is the same: min-max and distances to the max divide by zero.
    ZeroRange,
    /// No unit has a value.
    NoValues,
    /// The reference unit has no value, or it is the minimum (the scale would divide by 0).
    Reference(&'static str),
    /// The target is missing or equals the minimum.
    Target(&'static str),
    /// Fraction of max with a maximum of zero or below.
    MaxNotPositive,
}

/// Per-indicator inputs besides the values.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extra {
    pub direction: f64,
    pub target: Option<f64>,
    pub goalposts: Option<(f64, f64)>,
    /// Position of the reference unit in `values`.
    pub reference: Option<usize>,
}

pub fn normalise(
    values: &[Option<f64>],
    method: &Normalise,
    extra: Extra,
) -> Result<Vec<Option<f64>>, NormError> {
    let d = if extra.direction < 0.0 { -1.0 } else { 1.0 };
    let x: Vec<Option<f64>> = values.iter().map(|v| v.map(|v| v * d)).collect();
    let present: Vec<f64> = x.iter().flatten().copied().collect();
    if present.is_empty() {
        return Err(NormError::NoValues);
    }
    let min = present.iter().copied().fold(f64::INFINITY, f64::min);
    let max = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let map = |f: &dyn Fn(f64) -> f64| -> Vec<Option<f64>> { x.iter().map(|v| v.map(f)).collect() };
    let rank_min = |v: f64| 1.0 + present.iter().filter(|&&p| p < v).count() as f64;
    Ok(match method {
        Normalise::MinMax { lower, upper } => {
            if max == min {
                return Err(NormError::ZeroRange);
            }
            map(&|v| (v - min) / (max - min) * (upper - lower) + lower)
        }
        Normalise::ZScore { mean: m, sd: s } => {
            let (mean, sd) = mean_sd(&present).ok_or(NormError::ZeroRange)?;
            map(&|v| (v - mean) / sd * s + m)
        }
        Normalise::Rank => map(&rank_min),
        Normalise::PercentileRank => {
            if present.len() < 2 {
                return Err(NormError::ZeroRange);
            }
            let n = present.len() as f64;
            map(&|v| (rank_min(v) - 1.0) / (n - 1.0))
        }
        Normalise::Borda => map(&|v| rank_min(v) - 1.0),
        Normalise::FractionOfMax => {
            if max <= 0.0 {
                return Err(NormError::MaxNotPositive);
            }
            map(&|v| v / max)
        }
        Normalise::DistanceToMax => {
            if max == min {
                return Err(NormError::ZeroRange);
            }
            map(&|v| 1.0 - (max - v) / (max - min))
        }
        Normalise::DistanceToReference { cap, .. } => {
            let r = extra
                .reference
                .and_then(|i| x.get(i).copied().flatten())
                .ok_or(NormError::Reference("the reference unit has no value"))?;
            if r == min {
                return Err(NormError::Reference(
                    "the reference unit has the lowest value",
                ));
            }
            let cap = *cap;
            map(&|v| {
                let y = 1.0 - (r - v) / (r - min);
                if cap {
                    y.min(1.0)
                } else {
                    y
                }
            })
        }
        Normalise::DistanceToTarget { cap } => {
            let t = extra.target.ok_or(NormError::Target("it has no target"))? * d;
            if t == min {
                return Err(NormError::Target("its target equals the lowest value"));
            }
            let cap = *cap;
            map(&|v| {
                let y = 1.0 - (t - v) / (t - min);
                if cap {
                    y.min(1.0)
                } else {
                    y
                }
            })
        }
        Normalise::Goalposts { scale } => {
            let (lo, hi) = extra
                .goalposts
                .ok_or(NormError::Target("it has no goalposts"))?;
            // In direction-applied units: the worst post and the best post.
            let (worst, best) = if d > 0.0 { (lo, hi) } else { (-hi, -lo) };
            if worst == best {
                return Err(NormError::Target("its two goalposts are equal"));
            }
            map(&|v| ((v - worst) / (best - worst)).clamp(0.0, 1.0) * scale)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x() -> Vec<Option<f64>> {
        vec![Some(2.0), Some(4.0), None, Some(10.0), Some(4.0)]
    }
    fn up() -> Extra {
        Extra {
            direction: 1.0,
            ..Extra::default()
        }
    }
    fn down() -> Extra {
        Extra {
            direction: -1.0,
            ..Extra::default()
        }
    }
    fn run(m: Normalise, e: Extra) -> Vec<Option<f64>> {
        normalise(&x(), &m, e).unwrap()
    }

    #[test]
    fn min_max() {
        // min 2, max 10: (4 − 2)/8 × 100 = 25.
        let m = Normalise::MinMax {
            lower: 0.0,
            upper: 100.0,
        };
        assert_eq!(
            run(m.clone(), up()),
            vec![Some(0.0), Some(25.0), None, Some(100.0), Some(25.0)]
        );
        // Lower is better: −2 is the best: (−2 − (−10))/8 × 100 = 100; 4 → 75.
        assert_eq!(
            run(m.clone(), down()),
            vec![Some(100.0), Some(75.0), None, Some(0.0), Some(75.0)]
        );
        // [1, 100]: 4 → 0.25 × 99 + 1 = 25.75.
        let m1 = Normalise::MinMax {
            lower: 1.0,
            upper: 100.0,
        };
        assert_eq!(run(m1, up())[1], Some(25.75));
        assert_eq!(
            normalise(&[Some(3.0), Some(3.0)], &m, up()),
            Err(NormError::ZeroRange)
        );
    }

    #[test]
    fn z_score() {
        // 2, 4, 10, 4: mean 5, deviations −3 −1 5 −1, Σd² = 36, s² = 12, s = 3.4641.
        // 10 → 5/3.4641 = 1.443376; with mean 10 and sd 2: 10 + 2 × 1.443376 = 12.886751.
        let z = run(Normalise::ZScore { mean: 0.0, sd: 1.0 }, up());
        assert!((z[3].unwrap() - 1.443376).abs() < 1e-6);
        let z = run(
            Normalise::ZScore {
                mean: 10.0,
                sd: 2.0,
            },
            up(),
        );
        assert!((z[3].unwrap() - 12.886751).abs() < 1e-6);
    }

    #[test]
    fn ranks_percentile_ranks_and_borda() {
        // Values 2, 4, 10, 4 → ranks (ties take the lowest) 1, 2, 4, 2.
        assert_eq!(
            run(Normalise::Rank, up()),
            vec![Some(1.0), Some(2.0), None, Some(4.0), Some(2.0)]
        );
        // Percentile: (rank − 1)/(n − 1) with n = 4: 0, 1/3, 1, 1/3.
        let p = run(Normalise::PercentileRank, up());
        assert_eq!(p[0], Some(0.0));
        assert!((p[1].unwrap() - 1.0 / 3.0).abs() < 1e-15);
        assert_eq!(p[3], Some(1.0));
        // Borda: rank − 1 = 0, 1, 3, 1.
        assert_eq!(
            run(Normalise::Borda, up()),
            vec![Some(0.0), Some(1.0), None, Some(3.0), Some(1.0)]
        );
        // Lower is better: −2 is the best → rank 4.
        assert_eq!(run(Normalise::Rank, down())[0], Some(4.0));
    }

    #[test]
    fn fraction_and_distance_to_max() {
        // x / max: 2/10 = 0.2, 4/10 = 0.4.
        assert_eq!(run(Normalise::FractionOfMax, up())[0], Some(0.2));
        // 1 − (10 − 4)/(10 − 2) = 0.25.
        assert_eq!(run(Normalise::DistanceToMax, up())[1], Some(0.25));
        assert_eq!(
            normalise(&[Some(-1.0), Some(-2.0)], &Normalise::FractionOfMax, up()),
            Err(NormError::MaxNotPositive)
        );
    }

    #[test]
    fn distance_to_reference_unit() {
        // Reference = unit 1 (value 4): 1 − (4 − x)/(4 − 2): 2 → 0, 4 → 1, 10 → 4 (cap: 1).
        let e = Extra {
            reference: Some(1),
            ..up()
        };
        let m = Normalise::DistanceToReference {
            unit: "b".into(),
            cap: false,
        };
        assert_eq!(
            run(m, e),
            vec![Some(0.0), Some(1.0), None, Some(4.0), Some(1.0)]
        );
        let m = Normalise::DistanceToReference {
            unit: "b".into(),
            cap: true,
        };
        assert_eq!(run(m, e)[3], Some(1.0));
        let e0 = Extra {
            reference: Some(0),
            ..up()
        };
        assert!(matches!(
            normalise(
                &x(),
                &Normalise::DistanceToReference {
                    unit: "a".into(),
                    cap: false
                },
                e0
            ),
            Err(NormError::Reference(_))
        ));
    }

    #[test]
    fn distance_to_target() {
        // Target 6: 1 − (6 − x)/(6 − 2): 4 → 0.5, 10 → 2 (capped: 1).
        let e = Extra {
            target: Some(6.0),
            ..up()
        };
        let y = run(Normalise::DistanceToTarget { cap: false }, e);
        assert_eq!((y[1], y[3]), (Some(0.5), Some(2.0)));
        let y = run(Normalise::DistanceToTarget { cap: true }, e);
        assert_eq!(y[3], Some(1.0));
        // Lower is better, target 3: values −2 −4 −10 −4, target −3, min −10:
        // 1 − (−3 − (−4))/(−3 − (−10)) = 1 − 1/7 = 6/7 for the 4s; 2 → 1 + 1/7.
        let e = Extra {
            target: Some(3.0),
            ..down()
        };
        let y = run(Normalise::DistanceToTarget { cap: false }, e);
        assert!((y[1].unwrap() - 6.0 / 7.0).abs() < 1e-15);
        assert!((y[0].unwrap() - 8.0 / 7.0).abs() < 1e-15);
    }

    #[test]
    fn goalposts() {
        // Posts 3..8, scale 100: (4 − 3)/5 = 0.2 → 20; 2 → 0 (truncated); 10 → 100.
        let e = Extra {
            goalposts: Some((3.0, 8.0)),
            ..up()
        };
        let y = run(Normalise::Goalposts { scale: 100.0 }, e);
        assert_eq!(
            y,
            vec![Some(0.0), Some(20.0), None, Some(100.0), Some(20.0)]
        );
        // Lower is better with posts 3..8: (8 − x)/(8 − 3): 4 → 0.8 → 80; 2 → 100; 10 → 0.
        let e = Extra {
            goalposts: Some((3.0, 8.0)),
            ..down()
        };
        let y = run(Normalise::Goalposts { scale: 100.0 }, e);
        assert_eq!(y[0], Some(100.0));
        assert!((y[1].unwrap() - 80.0).abs() < 1e-12);
        assert_eq!(y[3], Some(0.0));
    }
}
