//! Competition ranking (标准竞赛排名): ties share a rank and the next rank is skipped
//! (1, 1, 3). Used for indicator ranks and for league tables after the tie-break chain.

use std::cmp::Ordering;

/// Ranks items by `better_first` (`Less` means the first argument ranks higher). Returns each
/// item's rank, in input order. Items comparing `Equal` share a rank.
pub fn competition_ranks<T>(items: &[T], better_first: impl Fn(&T, &T) -> Ordering) -> Vec<u32> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| better_first(&items[a], &items[b]));
    let mut ranks = vec![0; items.len()];
    for (pos, &i) in order.iter().enumerate() {
        ranks[i] = match pos {
            0 => 1,
            _ if better_first(&items[order[pos - 1]], &items[i]) == Ordering::Equal => {
                ranks[order[pos - 1]]
            }
            _ => pos as u32 + 1,
        };
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_and_skip() {
        let totals = [90, 95, 95, 80, 90];
        let ranks = competition_ranks(&totals, |a, b| b.cmp(a));
        assert_eq!(ranks, vec![3, 1, 1, 5, 3]);
    }

    #[test]
    fn tie_break_chain_separates_ties_in_order() {
        // Guangdong's air-quality table: compliance rate high→low, then PM2.5 low→high.
        let cities: [(f64, f64); 4] = [(98.4, 22.0), (98.4, 20.0), (97.0, 18.0), (98.4, 22.0)];
        let ranks = competition_ranks(&cities, |a, b| {
            b.0.total_cmp(&a.0).then(a.1.total_cmp(&b.1))
        });
        assert_eq!(ranks, vec![2, 1, 4, 2]);
    }

    #[test]
    fn empty_and_single() {
        assert!(competition_ranks::<i32>(&[], |a, b| a.cmp(b)).is_empty());
        assert_eq!(competition_ranks(&[7], |a, b| a.cmp(b)), vec![1]);
    }
}
