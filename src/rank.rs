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

/// Competition ranks of numbers, higher first (negate for lower first), for the one ranking
/// done hundreds of times a period: each indicator in each group. `keys` are `(value, slot)`;
/// returns `(slot, rank)` in rank order. The same ranks as [`competition_ranks`] with
/// `total_cmp`, except that `-0.0` and `0.0` tie (they are the same published figure), and
/// an order of a few hundred plain pairs instead of indices through a comparator.
pub fn ranks_of_values(keys: &mut [(f64, u32)]) -> impl Iterator<Item = (u32, u32)> + '_ {
    for k in keys.iter_mut() {
        // -0.0 (a small negative rounded away) is the published 0.
        k.0 += 0.0;
    }
    // Ties keep slot order: the sort is by value, then slot.
    keys.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut rank = 0u32;
    let mut previous = f64::NAN;
    keys.iter().enumerate().map(move |(pos, &(v, slot))| {
        if v != previous {
            rank = pos as u32 + 1;
            previous = v;
        }
        (slot, rank)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_of_values_agree_with_the_general_ranking() {
        let values = [90.0, 95.0, 95.0, 80.0, 90.0, -0.0, 0.0, 80.0];
        let mut keys: Vec<(f64, u32)> = values
            .iter()
            .enumerate()
            .map(|(i, &v)| (v, i as u32))
            .collect();
        let mut got = vec![0; values.len()];
        for (slot, rank) in ranks_of_values(&mut keys) {
            got[slot as usize] = rank;
        }
        assert_eq!(got, vec![3, 1, 1, 5, 3, 7, 7, 5]);
        let want = competition_ranks(&values.map(|v| v + 0.0), |a, b| b.total_cmp(a));
        assert_eq!(got, want);
    }

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
