//! Imputation of missing values, per indicator: the mean or median of the other units, or of
//! the units in the same group (a grouping column of the data, e.g. Europe / Asia). A group
//! with no value at all leaves its units missing.

use super::model::Impute;

/// Fills `values` in place; returns how many values were filled.
pub fn impute(values: &mut [Option<f64>], how: &Impute, groups: Option<&[usize]>) -> usize {
    let fill = |vals: &mut [Option<f64>], members: &[usize], median_wanted: bool| -> usize {
        let present: Vec<f64> = members.iter().filter_map(|&i| vals[i]).collect();
        let Some(v) = (if median_wanted {
            median(&present)
        } else {
            mean(&present)
        }) else {
            return 0;
        };
        let mut n = 0;
        for &i in members {
            if vals[i].is_none() {
                vals[i] = Some(v);
                n += 1;
            }
        }
        n
    };
    let all: Vec<usize> = (0..values.len()).collect();
    match how {
        Impute::None => 0,
        Impute::Mean => fill(values, &all, false),
        Impute::Median => fill(values, &all, true),
        Impute::GroupMean { .. } | Impute::GroupMedian { .. } => {
            let wants_median = matches!(how, Impute::GroupMedian { .. });
            let Some(groups) = groups else {
                return 0;
            };
            let count = groups.iter().copied().max().map_or(0, |m| m + 1);
            (0..count)
                .map(|g| {
                    let members: Vec<usize> = all
                        .iter()
                        .copied()
                        .filter(|&i| groups.get(i) == Some(&g))
                        .collect();
                    fill(values, &members, wants_median)
                })
                .sum()
        }
    }
}

pub fn mean(x: &[f64]) -> Option<f64> {
    (!x.is_empty()).then(|| x.iter().sum::<f64>() / x.len() as f64)
}

pub fn median(x: &[f64]) -> Option<f64> {
    if x.is_empty() {
        return None;
    }
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() / 2;
    Some(if s.len() % 2 == 1 {
        s[m]
    } else {
        (s[m - 1] + s[m]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v() -> Vec<Option<f64>> {
        // units:  0     1     2     3     4     5
        // group:  A     A     A     B     B     B
        vec![Some(1.0), Some(2.0), None, Some(10.0), None, Some(30.0)]
    }
    const GROUPS: [usize; 6] = [0, 0, 0, 1, 1, 1];

    #[test]
    fn mean_and_median_of_all() {
        // Present: 1, 2, 10, 30 → mean 43/4 = 10.75; median (2 + 10)/2 = 6.
        let mut x = v();
        assert_eq!(impute(&mut x, &Impute::Mean, None), 2);
        assert_eq!((x[2], x[4]), (Some(10.75), Some(10.75)));
        let mut x = v();
        impute(&mut x, &Impute::Median, None);
        assert_eq!((x[2], x[4]), (Some(6.0), Some(6.0)));
    }

    #[test]
    fn group_mean_and_median() {
        // A: 1, 2 → mean 1.5, median 1.5; B: 10, 30 → mean 20, median 20.
        let g = Impute::GroupMean { group: "g".into() };
        let mut x = v();
        impute(&mut x, &g, Some(&GROUPS));
        assert_eq!((x[2], x[4]), (Some(1.5), Some(20.0)));
        // Median with an odd count: B = 10, 30, 31 → 30.
        let mut x = vec![Some(10.0), Some(30.0), Some(31.0), None];
        let g = Impute::GroupMedian { group: "g".into() };
        impute(&mut x, &g, Some(&[0, 0, 0, 0]));
        assert_eq!(x[3], Some(30.0));
    }

    #[test]
    fn a_group_without_values_stays_missing() {
        let mut x = vec![Some(1.0), None, None];
        let g = Impute::GroupMean { group: "g".into() };
        assert_eq!(impute(&mut x, &g, Some(&[0, 1, 1])), 0);
        assert_eq!(x, vec![Some(1.0), None, None]);
    }
}
