//! Tiers (方阵, 等次): by the first N ranks, by a share of the group, or by a score.
//!
//! Units that share a rank share a tier. A tied block that straddles a count or share limit
//! goes to the lower tier by default, so a quota ("优秀 at most 30%") is never exceeded; a
//! group can say `boundary_ties = "higher"` to keep it in the higher tier instead.
//! A vetoed unit (一票否决) goes to the lowest tier whatever its score.

use rust_decimal::Decimal;

use crate::campaign::{BoundaryTies, TierBy, Tiers};

/// One unit as tiers see it.
#[derive(Debug, Clone, Copy)]
pub struct Standing {
    pub rank: u32,
    pub total: Decimal,
    pub vetoed: bool,
}

/// The tier level (index into `tiers.levels`) of each unit; `None` if the group has no tiers.
pub fn assign(tiers: &Tiers, units: &[Standing]) -> Vec<Option<usize>> {
    let last = match tiers.levels.len() {
        0 => return vec![None; units.len()],
        n => n - 1,
    };
    let n = units.len() as f64;
    // Cumulative rank limits for count and share.
    let mut limits = Vec::with_capacity(last);
    let mut cum = 0.0;
    for level in &tiers.levels[..last] {
        let limit = level.limit.unwrap_or(0.0);
        cum += match tiers.by {
            TierBy::Count => limit,
            TierBy::Share => limit * n,
            TierBy::Score => 0.0,
        };
        // floor, forgiving float error in share × n (0.3 × 10 = 3.0000000000000004)
        limits.push((cum + 1e-9).floor());
    }
    // The last place of each tied block: rank r shared by k units ends at r + k − 1.
    let block_end = |rank: u32| rank + units.iter().filter(|v| v.rank == rank).count() as u32 - 1;
    units
        .iter()
        .map(|u| {
            if u.vetoed {
                return Some(last);
            }
            let level = match tiers.by {
                TierBy::Score => {
                    let total = crate::rounding::to_f64(u.total);
                    tiers.levels[..last]
                        .iter()
                        .position(|l| total >= l.limit.unwrap_or(f64::INFINITY) - 1e-9)
                }
                TierBy::Count | TierBy::Share => {
                    let place = match tiers.ties {
                        BoundaryTies::Lower => block_end(u.rank),
                        BoundaryTies::Higher => u.rank,
                    };
                    limits.iter().position(|&limit| place as f64 <= limit)
                }
            };
            Some(level.unwrap_or(last))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::TierLevel;

    fn tiers(by: TierBy, limits: &[f64]) -> Tiers {
        let mut levels: Vec<TierLevel> = limits
            .iter()
            .enumerate()
            .map(|(i, &l)| TierLevel {
                name: format!("T{i}"),
                limit: Some(l),
            })
            .collect();
        levels.push(TierLevel {
            name: "rest".into(),
            limit: None,
        });
        Tiers {
            by,
            levels,
            ties: BoundaryTies::Lower,
        }
    }

    fn standings(ranks: &[u32]) -> Vec<Standing> {
        ranks
            .iter()
            .map(|&rank| Standing {
                rank,
                total: Decimal::from(100 - rank),
                vetoed: false,
            })
            .collect()
    }

    #[test]
    fn a_tied_block_at_a_limit_goes_down_by_default_and_up_on_request() {
        let mut t = tiers(TierBy::Count, &[2.0, 2.0]);
        let got = assign(&t, &standings(&[1, 2, 2, 4, 5, 6]));
        assert_eq!(
            got,
            vec![Some(0), Some(1), Some(1), Some(1), Some(2), Some(2)]
        );
        t.ties = BoundaryTies::Higher;
        let got = assign(&t, &standings(&[1, 2, 2, 4, 5, 6]));
        assert_eq!(
            got,
            vec![Some(0), Some(0), Some(0), Some(1), Some(2), Some(2)]
        );
    }

    #[test]
    fn a_share_quota_is_never_exceeded() {
        // 34% of 3 units is 1 place; two units tied for 1st would make it 67%.
        let t = tiers(TierBy::Share, &[0.34]);
        assert_eq!(
            assign(&t, &standings(&[1, 1, 3])),
            vec![Some(1), Some(1), Some(1)]
        );
    }

    #[test]
    fn by_share_rounds_down() {
        // 优秀 at most 30% of 10 units = 3; 良好 40% more = up to rank 7.
        let t = tiers(TierBy::Share, &[0.3, 0.4]);
        let got = assign(&t, &standings(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
        let want: Vec<_> = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2]
            .iter()
            .map(|&l| Some(l))
            .collect();
        assert_eq!(got, want);
        // 30% of 11 = 3.3 → 3.
        let got = assign(&t, &standings(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
        assert_eq!(got[3], Some(1));
    }

    #[test]
    fn by_score_and_veto() {
        let t = tiers(TierBy::Score, &[90.0, 80.0]);
        let mut s = vec![
            Standing {
                rank: 1,
                total: Decimal::new(9500, 2),
                vetoed: false,
            },
            Standing {
                rank: 2,
                total: Decimal::new(9000, 2),
                vetoed: false,
            },
            Standing {
                rank: 3,
                total: Decimal::new(8999, 2),
                vetoed: false,
            },
            Standing {
                rank: 4,
                total: Decimal::new(7000, 2),
                vetoed: false,
            },
        ];
        assert_eq!(assign(&t, &s), vec![Some(0), Some(0), Some(1), Some(2)]);
        s[0].vetoed = true;
        assert_eq!(assign(&t, &s)[0], Some(2));
    }

    #[test]
    fn no_tiers() {
        let t = Tiers {
            by: TierBy::Count,
            levels: vec![],
            ties: BoundaryTies::Lower,
        };
        assert_eq!(assign(&t, &standings(&[1, 2])), vec![None, None]);
    }
}
