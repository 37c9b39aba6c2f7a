//! The built-in scoring methods, as pure functions of one unit's figures and its group's.
//! Formulas follow the methods offices publish (see DOMAIN.md).

use crate::campaign::Campaign;
use crate::diag::{Diagnostic, Kind};
use crate::indicator::{Anchor, Direction, IndicatorKind, Method};
pub use crate::result::GroupStats;
// `snap` moved down to `rounding` (items use it); kept here for the evaluator and templates.

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

/// What a target stands at by the period: a rate's target itself, an amount's target × time
/// progress (序时目标), exact where it is exact on paper.
pub fn expected(kind: IndicatorKind, target: f64, progress: f64) -> f64 {
    match kind {
        IndicatorKind::Rate => target,
        IndicatorKind::Amount => crate::rounding::snap(target * progress),
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

/// A built-in method's points, and how it came to them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub points: f64,
    pub breakdown: Breakdown,
}

/// How a built-in method computed its points: the formula (and the branch of it) that
/// applied, the inputs and parameters it used, and its intermediate figures. Data only:
/// the explain report writes the sentences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Breakdown {
    /// 目标完成, all or nothing: the weight when the target is met, else nothing.
    AllOrNothing {
        actual: f64,
        expected: f64,
        direction: Direction,
        weight: f64,
        met: bool,
    },
    /// 目标完成, proportional: weight × `credited`, where `credited` is the completion ratio
    /// `numerator ÷ denominator`, at most `cap` and not below 0. Where the ratio is
    /// undefined (a denominator of zero or less) the method gives no points at all: see
    /// [`points`].
    Proportional {
        actual: f64,
        expected: f64,
        direction: Direction,
        weight: f64,
        met: bool,
        numerator: f64,
        denominator: f64,
        ratio: Option<f64>,
        cap: f64,
        credited: f64,
    },
    /// 目标完成, the target met with a stretch target: weight × (1 + `bonus` × `toward`),
    /// `toward` the share (0 to 1) of the way from the target to the stretch target.
    Stretch {
        actual: f64,
        expected: f64,
        stretch: f64,
        direction: Direction,
        weight: f64,
        bonus: f64,
        toward: f64,
    },
    /// 功效系数: the coefficient `d` from the satisfactory value `high` and the unacceptable
    /// value `low` (see [`Reach`]), at most `max_d`; weight × `credited_d` ÷ 100, where
    /// `credited_d` is `d` not below 0.
    Efficacy {
        actual: f64,
        direction: Direction,
        weight: f64,
        high: f64,
        high_from: Anchor,
        low: f64,
        low_from: Anchor,
        max_d: f64,
        reach: Reach,
        d: f64,
        credited_d: f64,
    },
    /// 争先进位: weight × `factor`, `factor` = 1 − `step` × `places` (places behind the
    /// first, rank − 1), not below 0.
    Rank {
        weight: f64,
        rank: u32,
        step: f64,
        places: u32,
        factor: f64,
    },
    /// 对标均值: weight + `points_per_step` × `steps`, `steps` = (`minuend` − `subtrahend`)
    /// ÷ `step`: the unit's lead over the group mean in the better direction (actual − mean,
    /// or mean − actual when lower is better). The sum `uncapped` is held within `floor`
    /// and `cap_points` (the cap × weight).
    Average {
        actual: f64,
        direction: Direction,
        weight: f64,
        mean: f64,
        count: u32,
        minuend: f64,
        subtrahend: f64,
        step: f64,
        steps: f64,
        points_per_step: f64,
        uncapped: f64,
        cap_points: f64,
        floor: f64,
    },
}

/// Where a unit stands between the efficacy coefficient's reference values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// At or beyond the satisfactory value: d = max_d.
    Satisfactory,
    /// Short of the satisfactory value, with no room between it and the unacceptable one
    /// (equal, or the wrong way round): d = the floor 60.
    NoRoom,
    /// d = 60 + 40 × (x − x_s) ÷ (x_h − x_s).
    Between,
}

/// The efficacy coefficient's floor: d at the unacceptable value.
pub const EFFICACY_FLOOR: f64 = 60.0;
/// The efficacy coefficient's span from the unacceptable to the satisfactory value.
pub const EFFICACY_SPAN: f64 = 40.0;

/// Points of a built-in method. `Method::Script` is not built in and gives `None`; so does a
/// method that cannot compute a value for these inputs (a completion ratio with a
/// denominator of zero or less, e.g. expected ÷ actual at an actual of 0): an error for the
/// caller to report ([`cannot_score`]), never a silent 0.
///
/// The same formulas as [`score`]: the breakdown is built and dropped where the compiler
/// sees it unused, so evaluation does not pay for it.
pub fn points(method: &Method, x: &Inputs) -> Option<f64> {
    compute(method, x).map(|s| s.points)
}

/// Points of a built-in method with their breakdown. `Method::Script` is not built in and
/// gives `None`.
pub fn score(method: &Method, x: &Inputs) -> Option<Scored> {
    compute(method, x)
}

/// The one place each formula is written. Always inlined, so that [`points`] is a copy in
/// which the breakdown's figures that only explain reads are dead code.
#[inline(always)]
fn compute(method: &Method, x: &Inputs) -> Option<Scored> {
    let w = x.weight;
    let (points, breakdown) = match *method {
        Method::Completion {
            all_or_nothing,
            cap,
            stretch_bonus,
        } => completion(x, all_or_nothing, cap, stretch_bonus)?,
        Method::Efficacy { high, low, max_d } => {
            let (h, l) = (anchor(high, x), anchor(low, x));
            let (reach, d) = efficacy(x.actual, h, l, x.direction, max_d);
            let credited_d = d.max(0.0);
            let b = Breakdown::Efficacy {
                actual: x.actual,
                direction: x.direction,
                weight: w,
                high: h,
                high_from: high,
                low: l,
                low_from: low,
                max_d,
                reach,
                d,
                credited_d,
            };
            (w * credited_d / 100.0, b)
        }
        Method::Rank { step } => {
            let places = x.rank.max(1) - 1;
            let factor = (1.0 - step * places as f64).max(0.0);
            let b = Breakdown::Rank {
                weight: w,
                rank: x.rank,
                step,
                places,
                factor,
            };
            (w * factor, b)
        }
        Method::Average {
            step,
            points_per_step,
            cap,
            floor,
        } => {
            let (minuend, subtrahend) = match x.direction {
                Direction::HigherIsBetter => (x.actual, x.group.mean),
                Direction::LowerIsBetter => (x.group.mean, x.actual),
            };
            let steps = (minuend - subtrahend) / step;
            let uncapped = w + points_per_step * steps;
            let cap_points = cap * w;
            let b = Breakdown::Average {
                actual: x.actual,
                direction: x.direction,
                weight: w,
                mean: x.group.mean,
                count: x.group.count,
                minuend,
                subtrahend,
                step,
                steps,
                points_per_step,
                uncapped,
                cap_points,
                floor,
            };
            // Bounds are checked by the loader (floor ≤ cap × weight); max/min never panic.
            (uncapped.min(cap_points).max(floor), b)
        }
        Method::Script { .. } => return None,
    };
    points.is_finite().then_some(Scored { points, breakdown })
}

#[inline(always)]
fn completion(
    x: &Inputs,
    all_or_nothing: bool,
    cap: f64,
    stretch_bonus: f64,
) -> Option<(f64, Breakdown)> {
    let w = x.weight;
    let met = met(x.actual, x.expected, x.direction);
    if met {
        if let Some(stretch) = x.stretch.filter(|_| stretch_bonus > 0.0) {
            let span = stretch - x.expected;
            let toward = if span == 0.0 || self::met(x.actual, stretch, x.direction) {
                1.0
            } else {
                ((x.actual - x.expected) / span).clamp(0.0, 1.0)
            };
            let b = Breakdown::Stretch {
                actual: x.actual,
                expected: x.expected,
                stretch,
                direction: x.direction,
                weight: w,
                bonus: stretch_bonus,
                toward,
            };
            return Some((w * (1.0 + stretch_bonus * toward), b));
        }
    }
    if all_or_nothing {
        let b = Breakdown::AllOrNothing {
            actual: x.actual,
            expected: x.expected,
            direction: x.direction,
            weight: w,
            met,
        };
        return Some((if met { w } else { 0.0 }, b));
    }
    let (numerator, denominator) = match x.direction {
        Direction::HigherIsBetter => (x.actual, x.expected),
        Direction::LowerIsBetter => (x.expected, x.actual),
    };
    let ratio = completion_ratio(x.actual, x.expected, x.direction);
    // No ratio, no proportion: the caller reports it.
    let credited = ratio?.min(cap).max(0.0);
    let b = Breakdown::Proportional {
        actual: x.actual,
        expected: x.expected,
        direction: x.direction,
        weight: w,
        met,
        numerator,
        denominator,
        ratio,
        cap,
        credited,
    };
    Some((w * credited, b))
}

/// The error for a built-in method that cannot compute a value ([`points`] gave `None`):
/// which unit, which indicator, and why, pointing at the indicator.
pub fn cannot_score(c: &Campaign, indicator: usize, unit: usize, x: &Inputs) -> Diagnostic {
    let ind = &c.indicators[indicator];
    let u = &c.units[unit];
    let (formula, zero) = match x.direction {
        Direction::HigherIsBetter => (
            "actual ÷ expected",
            format!("an expected value of {}", x.expected),
        ),
        Direction::LowerIsBetter => (
            "expected ÷ actual",
            format!("an actual value of {}", x.actual),
        ),
    };
    Diagnostic::error(
        Kind::Value,
        format!(
            "{} ({}) cannot be scored on {} ({}): its completion ratio, {formula}, has no value at {zero}",
            u.name, u.id, ind.name, ind.id
        ),
    )
    .at(ind.origin.file, ind.origin.span.clone(), "scored in proportion")
    .help(match x.direction {
        Direction::LowerIsBetter => "a lower-is-better figure that can reach 0 cannot be scored in proportion (0 would be infinitely good); score it with { type = \"efficacy\", high = \"target\", low = … } or { type = \"completion\", mode = \"all-or-nothing\" }, or check the unit's figure",
        Direction::HigherIsBetter => "give the indicator a target above zero, or score it with the efficacy coefficient or all-or-nothing",
    })
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
    efficacy(x, high, low, direction, max_d).1
}

/// [`efficacy_d`] with the case that applied.
#[inline(always)]
fn efficacy(x: f64, high: f64, low: f64, direction: Direction, max_d: f64) -> (Reach, f64) {
    if !direction.better(high, x) {
        return (Reach::Satisfactory, max_d);
    }
    if !direction.better(high, low) {
        return (Reach::NoRoom, EFFICACY_FLOOR.min(max_d));
    }
    let d = EFFICACY_FLOOR + EFFICACY_SPAN * (x - low) / (high - low);
    (Reach::Between, d.min(max_d))
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

    /// Equal to within rounding noise.
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[track_caller]
    fn scored(m: &Method, x: &Inputs) -> Scored {
        let s = score(m, x).expect("built in");
        assert_eq!(points(m, x), Some(s.points), "points() is score()'s points");
        s
    }

    #[test]
    fn breakdown_all_or_nothing() {
        let m = Method::Completion {
            all_or_nothing: true,
            cap: 1.0,
            stretch_bonus: 0.0,
        };
        let s = scored(&m, &inputs(6.0, 6.0, HigherIsBetter));
        assert_eq!(s.points, 10.0);
        assert_eq!(
            s.breakdown,
            Breakdown::AllOrNothing {
                actual: 6.0,
                expected: 6.0,
                direction: HigherIsBetter,
                weight: 10.0,
                met: true
            }
        );
        let s = scored(&m, &inputs(2.7, 2.6, LowerIsBetter));
        assert_eq!(s.points, 0.0);
        assert!(matches!(
            s.breakdown,
            Breakdown::AllOrNothing { met: false, .. }
        ));
    }

    #[test]
    fn breakdown_proportional() {
        let m = Method::Completion {
            all_or_nothing: false,
            cap: 1.2,
            stretch_bonus: 0.0,
        };
        // 9 of 12: ratio 0.75, credited as is; 10 × 0.75 = 7.5.
        let s = scored(&m, &inputs(9.0, 12.0, HigherIsBetter));
        assert_eq!(s.points, 7.5);
        let Breakdown::Proportional {
            met,
            numerator,
            denominator,
            ratio,
            cap,
            credited,
            ..
        } = s.breakdown
        else {
            panic!("{:?}", s.breakdown)
        };
        assert_eq!(
            (met, numerator, denominator, ratio, cap, credited),
            (false, 9.0, 12.0, Some(0.75), 1.2, 0.75)
        );
        // 18 of 12: ratio 1.5, capped at 1.2 → 12.
        let s = scored(&m, &inputs(18.0, 12.0, HigherIsBetter));
        assert_eq!(s.points, 12.0);
        assert!(matches!(
            s.breakdown,
            Breakdown::Proportional { met: true, ratio: Some(r), credited, .. }
                if r == 1.5 && credited == 1.2
        ));
        // Lower is better, expected 30, actual 40: the ratio is 30 ÷ 40.
        let s = scored(&m, &inputs(40.0, 30.0, LowerIsBetter));
        assert_eq!(s.points, 7.5);
        assert!(matches!(
            s.breakdown,
            Breakdown::Proportional { numerator, denominator, credited, .. }
                if numerator == 30.0 && denominator == 40.0 && credited == 0.75
        ));
        // Undefined ratio (actual 0, lower is better; expected 0, actual −1): no points at
        // all, for the caller to report, never a silent 1 or 0.
        assert_eq!(score(&m, &inputs(0.0, 2.0, LowerIsBetter)), None);
        assert_eq!(score(&m, &inputs(-1.0, 0.0, HigherIsBetter)), None);
        assert_eq!(points(&m, &inputs(-3.0, -2.0, HigherIsBetter)), None);
    }

    #[test]
    fn breakdown_stretch() {
        let m = Method::Completion {
            all_or_nothing: false,
            cap: 1.2,
            stretch_bonus: 0.1,
        };
        // 6.25 between the target 6 and the stretch 6.5: half-way, 10 × (1 + 0.1 × 0.5).
        let mut x = inputs(6.25, 6.0, HigherIsBetter);
        x.stretch = Some(6.5);
        let s = scored(&m, &x);
        assert!(close(s.points, 10.5), "{}", s.points);
        assert_eq!(
            s.breakdown,
            Breakdown::Stretch {
                actual: 6.25,
                expected: 6.0,
                stretch: 6.5,
                direction: HigherIsBetter,
                weight: 10.0,
                bonus: 0.1,
                toward: 0.5
            }
        );
        // Beyond the stretch target: all the way.
        x.actual = 7.0;
        let s = scored(&m, &x);
        assert!(close(s.points, 11.0));
        assert!(matches!(s.breakdown, Breakdown::Stretch { toward, .. } if toward == 1.0));
        // Short of the target: no stretch, the proportional formula.
        x.actual = 5.4;
        assert!(matches!(
            scored(&m, &x).breakdown,
            Breakdown::Proportional { .. }
        ));
    }

    #[test]
    fn breakdown_efficacy() {
        // Between: x = 5.81, x_h = 12, x_s = 6 → d = 60 + 40 × (−0.19) ÷ 6 = 58.7333.
        let m = Method::Efficacy {
            high: Anchor::Value(12.0),
            low: Anchor::Value(6.0),
            max_d: 100.0,
        };
        let s = scored(&m, &inputs(5.81, 6.0, HigherIsBetter));
        let Breakdown::Efficacy {
            high,
            high_from,
            low,
            low_from,
            reach,
            d,
            credited_d,
            ..
        } = s.breakdown
        else {
            panic!("{:?}", s.breakdown)
        };
        assert_eq!(
            (high, high_from, low, low_from, reach),
            (
                12.0,
                Anchor::Value(12.0),
                6.0,
                Anchor::Value(6.0),
                Reach::Between
            )
        );
        assert_eq!(r2(d), "58.73");
        assert_eq!(credited_d, d);
        assert_eq!(r2(s.points), "5.87");

        // Group best and worst, lower is better: 20, 25, 30 → high 20, low 30; 25 → d 80.
        let m = Method::Efficacy {
            high: Anchor::Best,
            low: Anchor::Worst,
            max_d: 100.0,
        };
        let mut x = inputs(25.0, 22.0, LowerIsBetter);
        x.group = GroupStats::of([20.0, 25.0, 30.0]);
        let s = scored(&m, &x);
        assert_eq!(s.points, 8.0);
        assert!(matches!(
            s.breakdown,
            Breakdown::Efficacy { high, low, reach: Reach::Between, d, .. }
                if high == 20.0 && low == 30.0 && d == 80.0
        ));
        x.actual = 20.0;
        let s = scored(&m, &x);
        assert_eq!(s.points, 10.0);
        assert!(matches!(
            s.breakdown,
            Breakdown::Efficacy { reach: Reach::Satisfactory, d, .. } if d == 100.0
        ));

        // No room: target 5 and floor 5, actual 4 → d = 60, 6 points.
        let m = Method::Efficacy {
            high: Anchor::Target,
            low: Anchor::Value(5.0),
            max_d: 100.0,
        };
        let s = scored(&m, &inputs(4.0, 5.0, HigherIsBetter));
        assert_eq!(s.points, 6.0);
        assert!(matches!(
            s.breakdown,
            Breakdown::Efficacy { high_from: Anchor::Target, reach: Reach::NoRoom, d, .. }
                if d == 60.0
        ));

        // Far below the floor: d = 60 + 40 × (−106) ÷ 6 < 0, credited as 0.
        let m = Method::Efficacy {
            high: Anchor::Value(12.0),
            low: Anchor::Value(6.0),
            max_d: 100.0,
        };
        let s = scored(&m, &inputs(-100.0, 6.0, HigherIsBetter));
        assert_eq!(s.points, 0.0);
        assert!(matches!(
            s.breakdown,
            Breakdown::Efficacy { d, credited_d, .. } if r2(d) == "-646.67" && credited_d == 0.0
        ));
    }

    #[test]
    fn breakdown_rank() {
        let m = Method::Rank { step: 0.05 };
        let mut x = inputs(1.0, 1.0, HigherIsBetter);
        x.rank = 3;
        // Third: two places behind the first, 10 × (1 − 0.05 × 2) = 9.
        let s = scored(&m, &x);
        assert!(close(s.points, 9.0));
        let Breakdown::Rank {
            weight,
            rank,
            step,
            places,
            factor,
        } = s.breakdown
        else {
            panic!("{:?}", s.breakdown)
        };
        assert_eq!((weight, rank, step, places), (10.0, 3, 0.05, 2));
        assert!(close(factor, 0.9));
        // 30th: 1 − 0.05 × 29 < 0, no points.
        x.rank = 30;
        let s = scored(&m, &x);
        assert_eq!(s.points, 0.0);
        assert!(matches!(
            s.breakdown,
            Breakdown::Rank { places: 29, factor, .. } if factor == 0.0
        ));
    }

    #[test]
    fn breakdown_average() {
        // ±0.1 point per 0.1 percentage point, capped at 1.5 × 10, floored at 0.
        let m = Method::Average {
            step: 0.1,
            points_per_step: 0.1,
            cap: 1.5,
            floor: 0.0,
        };
        let mut x = inputs(6.3, 6.0, HigherIsBetter);
        x.group = GroupStats::of([5.7, 6.0, 6.3]);
        // 6.3 against a mean of 6: 3 steps ahead, 10 + 0.1 × 3 = 10.3.
        let s = scored(&m, &x);
        assert!(close(s.points, 10.3), "{}", s.points);
        let Breakdown::Average {
            mean,
            count,
            minuend,
            subtrahend,
            steps,
            uncapped,
            cap_points,
            floor,
            ..
        } = s.breakdown
        else {
            panic!("{:?}", s.breakdown)
        };
        assert!(close(mean, 6.0) && close(subtrahend, 6.0));
        assert_eq!((count, minuend, cap_points, floor), (3, 6.3, 15.0, 0.0));
        assert!(close(steps, 3.0) && close(uncapped, 10.3));
        // Lower is better: the lead is mean − actual.
        x.direction = LowerIsBetter;
        x.actual = 5.7;
        let s = scored(&m, &x);
        assert!(close(s.points, 10.3));
        assert!(matches!(
            s.breakdown,
            Breakdown::Average { minuend, subtrahend, steps, .. }
                if close(minuend, 6.0) && subtrahend == 5.7 && close(steps, 3.0)
        ));
        // Far behind: 10 + 0.1 × (−240) < 0, held at the floor; far ahead, at the cap.
        x.actual = 30.0;
        let s = scored(&m, &x);
        assert_eq!(s.points, 0.0);
        assert!(matches!(
            s.breakdown,
            Breakdown::Average { uncapped, .. } if close(uncapped, -14.0)
        ));
        x.direction = HigherIsBetter;
        let s = scored(&m, &x);
        assert_eq!(s.points, 15.0);
        assert!(matches!(
            s.breakdown,
            Breakdown::Average { uncapped, .. } if close(uncapped, 34.0)
        ));
    }

    #[test]
    fn scripts_are_not_built_in() {
        let m = Method::Script {
            function: "f".into(),
            cap: 1.0,
            floor: 0.0,
        };
        assert_eq!(score(&m, &inputs(1.0, 1.0, HigherIsBetter)), None);
    }

    #[test]
    fn ratio_is_undefined_on_non_positive_denominators() {
        assert_eq!(completion_ratio(3.0, 6.0, HigherIsBetter), Some(0.5));
        assert_eq!(completion_ratio(3.0, 0.0, HigherIsBetter), None);
        assert_eq!(completion_ratio(0.0, 2.0, LowerIsBetter), None);
        assert_eq!(completion_ratio(4.0, 2.0, LowerIsBetter), Some(0.5));
    }
}
