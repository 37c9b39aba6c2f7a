//! Outlier treatment as COINr does it by default, and the statistics it tests.
//!
//! An indicator passes when |skewness| < 2 or excess kurtosis < 3.5 (sample skewness and
//! kurtosis as Excel's SKEW and KURT). Otherwise its most extreme value(s) on the side of the
//! skew are winsorised one step at a time (tied values together, to the next value inside),
//! while it fails and fewer than 5 points have been moved. If it still fails, the winsorised
//! values are discarded and log(x − min + 0.01 × (max − min)) of the original values is used.
//! Missing values are left missing and do not count.

use serde::Serialize;

use super::model::Outliers;

/// Excel's SKEW: n ÷ ((n−1)(n−2)) × Σ((x − mean) ÷ s)³, s the sample sd. `None` if n < 3
/// or all values are equal.
pub fn skewness(x: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    if x.len() < 3 {
        return None;
    }
    let (mean, sd) = mean_sd(x)?;
    let s3: f64 = x.iter().map(|v| ((v - mean) / sd).powi(3)).sum();
    Some(n / ((n - 1.0) * (n - 2.0)) * s3)
}

/// Excel's KURT (excess kurtosis): n(n+1) ÷ ((n−1)(n−2)(n−3)) × Σ((x − mean) ÷ s)⁴
/// − 3(n−1)² ÷ ((n−2)(n−3)). `None` if n < 4 or all values are equal.
pub fn kurtosis(x: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    if x.len() < 4 {
        return None;
    }
    let (mean, sd) = mean_sd(x)?;
    let s4: f64 = x.iter().map(|v| ((v - mean) / sd).powi(4)).sum();
    Some(
        n * (n + 1.0) / ((n - 1.0) * (n - 2.0) * (n - 3.0)) * s4
            - 3.0 * (n - 1.0).powi(2) / ((n - 2.0) * (n - 3.0)),
    )
}

/// Mean and sample standard deviation; `None` when the sd is zero or undefined.
pub fn mean_sd(x: &[f64]) -> Option<(f64, f64)> {
    if x.len() < 2 {
        return None;
    }
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let sd = var.sqrt();
    (sd > 0.0 && sd.is_finite()).then_some((mean, sd))
}

/// What was done to one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "treatment")]
pub enum Treatment {
    /// Passed as it was.
    None,
    /// `points` values moved to the next value inside.
    Winsorised { points: usize },
    /// Log-transformed: winsorising `max_winsorised` points was not enough.
    Log,
}

fn fails(x: &[f64], spec: &Outliers) -> bool {
    match (skewness(x), kurtosis(x)) {
        (Some(s), Some(k)) => !(s.abs() < spec.skew || k < spec.kurtosis),
        // Too few values or all equal: nothing to treat.
        _ => false,
    }
}

/// Treats one indicator's values in place and says what was done.
pub fn treat(values: &mut [Option<f64>], spec: &Outliers) -> Treatment {
    let present: Vec<usize> = (0..values.len()).filter(|&i| values[i].is_some()).collect();
    let original: Vec<f64> = present.iter().filter_map(|&i| values[i]).collect();
    let mut x = original.clone();
    if !fails(&x, spec) {
        return Treatment::None;
    }
    // H and L: the positions last set to the high and low extreme (both start empty).
    let mut high: Vec<usize> = Vec::new();
    let mut low: Vec<usize> = Vec::new();
    let mut n = 0;
    while fails(&x, spec) && n < spec.max_winsorised {
        let skew = skewness(&x).unwrap_or(0.0);
        let side = if skew >= 0.0 {
            let max = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let at: Vec<usize> = (0..x.len()).filter(|&i| x[i] == max).collect();
            let next = (0..x.len())
                .filter(|&i| x[i] != max)
                .map(|i| x[i])
                .fold(f64::NEG_INFINITY, f64::max);
            (at, next, &mut high)
        } else {
            let min = x.iter().copied().fold(f64::INFINITY, f64::min);
            let at: Vec<usize> = (0..x.len()).filter(|&i| x[i] == min).collect();
            let next = (0..x.len())
                .filter(|&i| x[i] != min)
                .map(|i| x[i])
                .fold(f64::INFINITY, f64::min);
            (at, next, &mut low)
        };
        let (at, next, set) = side;
        if !next.is_finite() {
            break; // all values equal: cannot happen while failing, but never loop forever
        }
        for &i in &at {
            x[i] = next;
        }
        *set = at;
        n = high.len() + low.len();
    }
    if fails(&x, spec) {
        let min = original.iter().copied().fold(f64::INFINITY, f64::min);
        let max = original.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for (k, &i) in present.iter().enumerate() {
            values[i] = Some((original[k] - min + 0.01 * (max - min)).ln());
        }
        return Treatment::Log;
    }
    for (k, &i) in present.iter().enumerate() {
        values[i] = Some(x[k]);
    }
    Treatment::Winsorised { points: n }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COINR: Outliers = Outliers {
        skew: 2.0,
        kurtosis: 3.5,
        max_winsorised: 5,
    };

    #[test]
    fn skew_and_kurt_match_excel() {
        // x = 1, 2, 3, 10: mean 4, deviations −3 −2 −1 6, Σd² = 50, s² = 50/3, s = 4.0825.
        // Σ(d/s)³ = (−27 − 8 − 1 + 216) / s³ = 180 / 68.0414 = 2.645448;
        // SKEW = 4 / (3 × 2) × 2.645448 = 1.763632 (Excel: 1.763632).
        // Σ(d/s)⁴ = (81 + 16 + 1 + 1296) / s⁴ = 1394 / 277.7778 = 5.01840;
        // KURT = 4·5 / (3·2·1) × 5.01840 − 3·9 / (2·1) = 16.728 − 13.5 = 3.228 (Excel: 3.228).
        let x = [1.0, 2.0, 3.0, 10.0];
        assert!((skewness(&x).unwrap() - 1.763632).abs() < 1e-6);
        assert!((kurtosis(&x).unwrap() - 3.228).abs() < 1e-9);
        assert_eq!(skewness(&[5.0, 5.0, 5.0]), None);
        assert_eq!(kurtosis(&[1.0, 2.0, 3.0]), None);
    }

    #[test]
    fn passing_indicator_is_left_alone() {
        let mut v = vec![Some(1.0), Some(2.0), None, Some(3.0), Some(10.0)];
        assert_eq!(treat(&mut v, &COINR), Treatment::None);
        assert_eq!(v[4], Some(10.0));
    }

    #[test]
    fn one_high_outlier_is_winsorised_to_the_next_value() {
        // Nine 1s…9s and one 100: skew 3.08, kurt 9.6 → fails. The 100 goes to 9; then
        // 1..9, 9: skew −0.27 → passes. One point moved.
        let mut v: Vec<Option<f64>> = (1..=9).map(|i| Some(i as f64)).collect();
        v.push(Some(100.0));
        let x: Vec<f64> = v.iter().flatten().copied().collect();
        assert!(skewness(&x).unwrap() > 2.0 && kurtosis(&x).unwrap() > 3.5);
        assert_eq!(treat(&mut v, &COINR), Treatment::Winsorised { points: 1 });
        assert_eq!(v[9], Some(9.0));
        assert_eq!(v[8], Some(9.0));
    }

    #[test]
    fn ties_move_together_and_moved_points_are_counted_again() {
        // 20 zeros, then 1, 2, 50, 50 (tied maximum) …: the step moves both 50s to 2 (n = 2);
        // if it still fails, the next step moves 2, 2, 2 to 1 (n = 3: the points already
        // moved are counted again), and so on.
        let mut v: Vec<Option<f64>> = vec![Some(0.0); 20];
        v.extend([Some(1.0), Some(2.0), Some(50.0), Some(50.0)]);
        let t = treat(&mut v, &COINR);
        assert_eq!(v[22], v[21], "tied maxima move together");
        match t {
            Treatment::Winsorised { points } => assert!(points >= 2),
            Treatment::Log => {}
            Treatment::None => panic!("should have been treated"),
        }
    }

    #[test]
    fn log_when_winsorising_five_points_is_not_enough() {
        // A geometric series is too skewed for five steps: 1, 2, 4, …, 2^19 fails after
        // moving 5 points, so the ORIGINAL values are logged:
        // log(x − 1 + 0.01 × (2^19 − 1)).
        let mut v: Vec<Option<f64>> = (0..20).map(|i| Some(2f64.powi(i))).collect();
        let mut spec = COINR;
        spec.kurtosis = -10.0; // make passing depend on skew alone
        spec.skew = 0.1;
        assert_eq!(treat(&mut v, &spec), Treatment::Log);
        let r = 0.01 * (2f64.powi(19) - 1.0);
        assert!((v[0].unwrap() - r.ln()).abs() < 1e-12);
        assert!((v[19].unwrap() - (2f64.powi(19) - 1.0 + r).ln()).abs() < 1e-12);
    }

    #[test]
    fn negative_skew_winsorises_the_minimum() {
        // Mirror of the high-outlier case: −100 goes up to −9.
        let mut v: Vec<Option<f64>> = (1..=9).map(|i| Some(-(i as f64))).collect();
        v.push(Some(-100.0));
        assert_eq!(treat(&mut v, &COINR), Treatment::Winsorised { points: 1 });
        assert_eq!(v[9], Some(-9.0));
    }
}
