//! The built-in scoring methods, as pure functions of one unit's figures and its group's.
//! Formulas follow the methods offices publish (see DOMAIN.md).

use crate::indicator::{Anchor, Direction, Method};
// `snap` moved down to `rounding` (items use it); kept here for the evaluator and templates.
pub use crate::rounding::snap;

/// What a method may look at for one unit on one indicator. Values are the published
/// (rounded) actual values; `expected` is the target as it stands by the period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inputs {
    pub actual: f64,
    pub expected: f64,
    /// The stretch target as it stands by the period, if any.
    pub stretch: Option<f64>,
    pub weight: f64,
    pub direction: Direction,
    /// Competition rank in the group on this indicator (1 = best).
    pub rank: u32,
    pub group: GroupStats,
}

/// The group's figures on an indicator, over the units that reported a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupStats {
    pub count: u32,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
}

impl GroupStats {
    pub fn of(values: impl IntoIterator<Item = f64>) -> GroupStats {
        let (mut count, mut sum) = (0u32, 0.0);
        let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values {
            count += 1;
            sum += v;
            min = min.min(v);
            max = max.max(v);
        }
        if count == 0 {
            return GroupStats {
                count,
                min: 0.0,
                max: 0.0,
                mean: 0.0,
            };
        }
        GroupStats {
            count,
            min,
            max,
            mean: sum / count as f64,
        }
    }

    pub fn best(&self, direction: Direction) -> f64 {
        match direction {
            Direction::HigherIsBetter => self.max,
            Direction::LowerIsBetter => self.min,
        }
    }

    pub fn worst(&self, direction: Direction) -> f64 {
        match direction {
            Direction::HigherIsBetter => self.min,
            Direction::LowerIsBetter => self.max,
        }
    }
}

/// Has the unit met the expected value?
pub fn met(actual: f64, expected: f64, direction: Direction) -> bool {
    match direction {
        Direction::HigherIsBetter => actual >= expected,
        Direction::LowerIsBetter => actual <= expected,
    }
}

/// Completion ratio: actual ÷ expected, or expected ÷ actual when lower is better. `None`
/// where the ratio means nothing (a non-positive denominator).
pub fn completion_ratio(actual: f64, expected: f64, direction: Direction) -> Option<f64> {
    let (num, den) = match direction {
        Direction::HigherIsBetter => (actual, expected),
        Direction::LowerIsBetter => (expected, actual),
    };
    (den > 0.0).then(|| num / den)
}

/// Points of a built-in method. `Method::Script` is not built in and gives `None`.
pub fn points(method: &Method, x: &Inputs) -> Option<f64> {
    let w = x.weight;
    Some(match *method {
        Method::Completion {
            all_or_nothing,
            cap,
            stretch_bonus,
        } => completion(x, all_or_nothing, cap, stretch_bonus),
        Method::Efficacy { high, low, max_d } => {
            let d = efficacy_d(
                x.actual,
                anchor(high, x),
                anchor(low, x),
                x.direction,
                max_d,
            );
            w * d.max(0.0) / 100.0
        }
        Method::Rank { step } => w * (1.0 - step * (x.rank.max(1) - 1) as f64).max(0.0),
        Method::Average {
            step,
            points_per_step,
            cap,
            floor,
        } => {
            let steps = (x.actual - x.group.mean) * x.direction.sign() / step;
            // Bounds are checked by the loader (floor ≤ cap × weight); max/min never panic.
            (w + points_per_step * steps).min(cap * w).max(floor)
        }
        Method::Script { .. } => return None,
    })
}

fn completion(x: &Inputs, all_or_nothing: bool, cap: f64, stretch_bonus: f64) -> f64 {
    let w = x.weight;
    let ratio = completion_ratio(x.actual, x.expected, x.direction);
    if !met(x.actual, x.expected, x.direction) {
        return if all_or_nothing {
            0.0
        } else {
            w * ratio.unwrap_or(0.0).min(cap).max(0.0)
        };
    }
    if let Some(stretch) = x.stretch.filter(|_| stretch_bonus > 0.0) {
        let span = stretch - x.expected;
        let toward = if span == 0.0 || met(x.actual, stretch, x.direction) {
            1.0
        } else {
            ((x.actual - x.expected) / span).clamp(0.0, 1.0)
        };
        return w * (1.0 + stretch_bonus * toward);
    }
    if all_or_nothing {
        w
    } else {
        w * ratio.unwrap_or(1.0).min(cap).max(0.0)
    }
}

fn anchor(a: Anchor, x: &Inputs) -> f64 {
    match a {
        Anchor::Target => x.expected,
        Anchor::Best => x.group.best(x.direction),
        Anchor::Worst => x.group.worst(x.direction),
        Anchor::Value(v) => v,
    }
}

/// The efficacy coefficient d = 60 + 40 × (x − x_s) / (x_h − x_s), at most `max_d`.
///
/// A unit at or beyond the satisfactory value x_h gets `max_d`, even where x_h and x_s are
/// equal or the wrong way round (e.g. x_h the target and x_s the group's worst, when every
/// unit beat its target). Short of x_h with no room between x_h and x_s, d is 60.
pub fn efficacy_d(x: f64, high: f64, low: f64, direction: Direction, max_d: f64) -> f64 {
    if !direction.better(high, x) {
        return max_d;
    }
    if !direction.better(high, low) {
        return 60.0f64.min(max_d);
    }
    (60.0 + 40.0 * (x - low) / (high - low)).min(max_d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rounding::{round, RoundingMode::HalfAwayFromZero};
    use Direction::*;

    fn inputs(actual: f64, expected: f64, direction: Direction) -> Inputs {
        Inputs {
            actual,
            expected,
            stretch: None,
            weight: 10.0,
            direction,
            rank: 1,
            group: GroupStats::of([actual]),
        }
    }

    fn r2(x: f64) -> String {
        round(x, 2, HalfAwayFromZero).to_string()
    }

    #[test]
    fn efficacy_published_example() {
        // x = 5.81, x_h = 12, x_s = 6 → d = 58.73 (below the floor, d falls under 60).
        assert_eq!(
            r2(efficacy_d(5.81, 12.0, 6.0, HigherIsBetter, 100.0)),
            "58.73"
        );
        let m = Method::Efficacy {
            high: Anchor::Value(12.0),
            low: Anchor::Value(6.0),
            max_d: 100.0,
        };
        assert_eq!(
            r2(points(&m, &inputs(5.81, 6.0, HigherIsBetter)).unwrap()),
            "5.87"
        );
    }

    #[test]
    fn efficacy_lower_is_better_swaps_best_and_worst() {
        // PM2.5 in a group of 20, 25, 30: best 20, worst 30; 25 → d = 80.
        let m = Method::Efficacy {
            high: Anchor::Best,
            low: Anchor::Worst,
            max_d: 100.0,
        };
        let mut x = inputs(25.0, 22.0, LowerIsBetter);
        x.group = GroupStats::of([20.0, 25.0, 30.0]);
        assert_eq!(points(&m, &x), Some(8.0));
        x.actual = 20.0;
        assert_eq!(points(&m, &x), Some(10.0));
        x.actual = 30.0;
        assert_eq!(points(&m, &x), Some(6.0));
    }

    #[test]
    fn efficacy_target_anchor_is_capped_at_full_points() {
        let m = Method::Efficacy {
            high: Anchor::Target,
            low: Anchor::Value(0.0),
            max_d: 100.0,
        };
        assert_eq!(points(&m, &inputs(8.0, 6.0, HigherIsBetter)), Some(10.0));
        assert_eq!(points(&m, &inputs(3.0, 6.0, HigherIsBetter)), Some(8.0));
    }

    #[test]
    fn efficacy_at_or_beyond_the_satisfactory_value_gets_full_marks() {
        // Every unit beat its target 20, so the group's worst (25) is above the target.
        assert_eq!(efficacy_d(25.0, 20.0, 25.0, HigherIsBetter, 100.0), 100.0);
        assert_eq!(efficacy_d(30.0, 20.0, 25.0, HigherIsBetter, 100.0), 100.0);
        // All units equal: high = low = x.
        assert_eq!(efficacy_d(5.0, 5.0, 5.0, HigherIsBetter, 100.0), 100.0);
        // Short of the target with no room between target and floor: the floor.
        assert_eq!(efficacy_d(4.0, 5.0, 5.0, HigherIsBetter, 100.0), 60.0);
        // Lower is better: target 30, floor 35; 25 is beyond the target.
        assert_eq!(efficacy_d(25.0, 30.0, 35.0, LowerIsBetter, 100.0), 100.0);
        assert_eq!(efficacy_d(32.5, 30.0, 35.0, LowerIsBetter, 100.0), 80.0);
    }

    #[test]
    fn snap_makes_paper_exact_products_exact() {
        assert_eq!(42.0 * 0.45, 18.900000000000002);
        assert_eq!(snap(42.0 * 0.45), 18.9);
        assert_eq!(snap(12.0 * 0.2), 2.4);
        assert_eq!(snap(1.6 * 0.75), 1.2);
        assert_eq!(snap(54.0 * (7.0 / 12.0)), 31.5);
        assert_eq!(snap(1234567.0), 1234567.0);
        assert_eq!(snap(-0.1 - 0.2), -0.3);
    }

    #[test]
    fn completion_all_or_nothing() {
        let m = Method::Completion {
            all_or_nothing: true,
            cap: 1.0,
            stretch_bonus: 0.0,
        };
        assert_eq!(points(&m, &inputs(6.0, 6.0, HigherIsBetter)), Some(10.0));
        assert_eq!(points(&m, &inputs(5.99, 6.0, HigherIsBetter)), Some(0.0));
        assert_eq!(points(&m, &inputs(2.5, 2.6, LowerIsBetter)), Some(10.0));
        assert_eq!(points(&m, &inputs(2.7, 2.6, LowerIsBetter)), Some(0.0));
    }

    #[test]
    fn completion_proportional_with_cap_and_stretch() {
        let m = Method::Completion {
            all_or_nothing: false,
            cap: 1.2,
            stretch_bonus: 0.0,
        };
        // 9 of an expected 12 → 7.5 of 10 points; 18 of 12 is capped at 1.2.
        assert_eq!(points(&m, &inputs(9.0, 12.0, HigherIsBetter)), Some(7.5));
        assert_eq!(points(&m, &inputs(18.0, 12.0, HigherIsBetter)), Some(12.0));
        assert_eq!(points(&m, &inputs(-3.0, 12.0, HigherIsBetter)), Some(0.0));
        // Lower is better: expected 30, actual 40 → 30/40.
        assert_eq!(points(&m, &inputs(40.0, 30.0, LowerIsBetter)), Some(7.5));

        let m = Method::Completion {
            all_or_nothing: false,
            cap: 1.2,
            stretch_bonus: 0.1,
        };
        // GDP 6.25% toward a 6% base and 6.5% stretch: half-way → 10 × 1.05.
        let mut x = inputs(6.25, 6.0, HigherIsBetter);
        x.stretch = Some(6.5);
        assert_eq!(r2(points(&m, &x).unwrap()), "10.50");
        x.actual = 7.0;
        assert_eq!(r2(points(&m, &x).unwrap()), "11.00");
        x.actual = 5.4;
        assert_eq!(r2(points(&m, &x).unwrap()), "9.00");
    }

    #[test]
    fn rank_method_steps_down_per_place() {
        let m = Method::Rank { step: 0.05 };
        let mut x = inputs(1.0, 1.0, HigherIsBetter);
        for (rank, want) in [
            (1, "10.00"),
            (2, "9.50"),
            (3, "9.00"),
            (11, "5.00"),
            (30, "0.00"),
        ] {
            x.rank = rank;
            assert_eq!(r2(points(&m, &x).unwrap()), want, "rank {rank}");
        }
    }

    #[test]
    fn relative_to_the_group_average() {
        // ±0.1 point per 0.1 percentage point, capped at 1.5 × points, floored at 0.
        let m = Method::Average {
            step: 0.1,
            points_per_step: 0.1,
            cap: 1.5,
            floor: 0.0,
        };
        let mut x = inputs(6.3, 6.0, HigherIsBetter);
        x.group = GroupStats::of([5.7, 6.0, 6.3]);
        assert_eq!(r2(points(&m, &x).unwrap()), "10.30");
        x.actual = 5.7;
        assert_eq!(r2(points(&m, &x).unwrap()), "9.70");
        x.actual = 30.0;
        assert_eq!(r2(points(&m, &x).unwrap()), "15.00");
        x.actual = -50.0;
        assert_eq!(r2(points(&m, &x).unwrap()), "0.00");
        // Lower is better: below the mean earns.
        x.direction = LowerIsBetter;
        x.actual = 5.7;
        assert_eq!(r2(points(&m, &x).unwrap()), "10.30");
    }

    #[test]
    fn ratio_is_undefined_on_non_positive_denominators() {
        assert_eq!(completion_ratio(3.0, 6.0, HigherIsBetter), Some(0.5));
        assert_eq!(completion_ratio(3.0, 0.0, HigherIsBetter), None);
        assert_eq!(completion_ratio(0.0, 2.0, LowerIsBetter), None);
        assert_eq!(completion_ratio(4.0, 2.0, LowerIsBetter), Some(0.5));
    }
}
