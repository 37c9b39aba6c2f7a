//! Results across periods: movement against the previous period (环比) and the same period a
//! year earlier (同比), and the warning loop (督导 → 通报 → 整改): how long each warning has
//! been open, whether it is better or no better, what escalation is due, and which warnings
//! were closed. Pure: it reads earlier results, published or computed, never files.

use std::collections::HashMap;

use crate::campaign::Escalation;
use crate::result::{Change, FollowUp, Movement, PeriodResult, Warning};

/// Fills in `current`'s movement and warning follow-up from the results of the previous
/// period and of the same period a year earlier, where there are any.
pub fn annotate(
    escalation: &[Escalation],
    current: &mut PeriodResult,
    previous: Option<&PeriodResult>,
    year_earlier: Option<&PeriodResult>,
) {
    // Each earlier table indexed once by (group, unit): a lookup per unit, not a search.
    let (prev, year) = (previous.map(standings), year_earlier.map(standings));
    for g in &mut current.groups {
        for u in &mut g.units {
            let change = |then: &Standings| match then.get(&(g.id.as_str(), u.id.as_str())) {
                None => Change::New,
                Some(&(rank, total)) => Change::Moved {
                    places: rank as i64 - u.rank as i64,
                    total: u.total - total,
                },
            };
            u.movement = Movement {
                previous: prev.as_ref().map(change),
                year_earlier: year.as_ref().map(change),
            };
        }
    }
    follow_up(escalation, current, previous);
}

/// Each unit's (rank, total) by (group id, unit id).
type Standings<'a> = HashMap<(&'a str, &'a str), (u32, rust_decimal::Decimal)>;

fn standings(r: &PeriodResult) -> Standings<'_> {
    r.groups
        .iter()
        .flat_map(|g| {
            g.units
                .iter()
                .map(move |u| ((g.id.as_str(), u.id.as_str()), (u.rank, u.total)))
        })
        .collect()
}

/// The warning loop: each warning's age, history, follow-up and escalation, and the
/// warnings of last period that are closed now.
fn follow_up(
    escalation: &[Escalation],
    current: &mut PeriodResult,
    previous: Option<&PeriodResult>,
) {
    let period = current.period.clone();
    let before: HashMap<String, &Warning> = previous
        .map(|p| p.warnings.iter().map(|w| (w.subject(), w)).collect())
        .unwrap_or_default();
    for w in &mut current.warnings {
        match before.get(&w.subject()) {
            Some(prev) => {
                w.age = prev.age + 1;
                w.history = prev.history.clone();
                let better = w.level > prev.level
                    || (w.level == prev.level && w.severity < prev.severity - 1e-9);
                w.follow_up = if better {
                    FollowUp::Improving
                } else {
                    FollowUp::NotImproved
                };
            }
            None => {
                w.age = 1;
                w.history.clear();
                w.follow_up = FollowUp::New;
            }
        }
        w.history.push((period.clone(), w.level));
        w.escalation = escalation
            .iter()
            .rev()
            .find(|e| w.age >= e.after)
            .map(|e| e.action.clone());
    }
    let now: std::collections::HashSet<String> =
        current.warnings.iter().map(Warning::subject).collect();
    current.closed = previous
        .map(|p| {
            p.warnings
                .iter()
                .filter(|w| !now.contains(&w.subject()))
                .map(|w| Warning {
                    follow_up: FollowUp::Rectified,
                    escalation: None,
                    ..w.clone()
                })
                .collect()
        })
        .unwrap_or_default();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{GroupResult, Level, WarningKind};

    fn warning(unit: &str, indicator: &str, level: Level, severity: f64) -> Warning {
        Warning {
            level,
            kind: WarningKind::Lagging,
            group: "g".into(),
            unit: unit.into(),
            unit_name: unit.into(),
            indicator: Some(indicator.into()),
            indicator_name: Some(indicator.into()),
            item: None,
            item_title: None,
            actual: None,
            expected: None,
            against: None,
            lower_is_better: false,
            ratio: None,
            gap: None,
            measure: None,
            item_status: None,
            due: None,
            missing: None,
            severity,
            age: 1,
            follow_up: FollowUp::New,
            escalation: None,
            history: Vec::new(),
        }
    }

    fn result(period: &str, warnings: Vec<Warning>) -> PeriodResult {
        PeriodResult {
            campaign: "c".into(),
            period: period.into(),
            period_label: period.into(),
            decimals: 2,
            categories: vec![],
            groups: vec![GroupResult {
                id: "g".into(),
                name: "g".into(),
                units: vec![],
            }],
            warnings,
            items: vec![],
            closed: vec![],
        }
    }

    #[test]
    fn warnings_age_improve_escalate_and_close() {
        let c = vec![
            Escalation {
                after: 2,
                action: "约谈".into(),
            },
            Escalation {
                after: 3,
                action: "通报批评".into(),
            },
        ];
        let mut p1 = result(
            "P1",
            vec![
                warning("a", "x", Level::Red, 0.4),
                warning("b", "x", Level::Yellow, 0.2),
            ],
        );
        annotate(&c, &mut p1, None, None);
        assert_eq!(
            (p1.warnings[0].age, p1.warnings[0].follow_up),
            (1, FollowUp::New)
        );

        // a: still red, no better; b: fixed.
        let mut p2 = result("P2", vec![warning("a", "x", Level::Red, 0.4)]);
        annotate(&c, &mut p2, Some(&p1), None);
        let a = &p2.warnings[0];
        assert_eq!(
            (a.age, a.follow_up, a.escalation.as_deref()),
            (2, FollowUp::NotImproved, Some("约谈"))
        );
        assert_eq!(p2.closed.len(), 1);
        assert_eq!(
            (p2.closed[0].unit.as_str(), p2.closed[0].follow_up),
            ("b", FollowUp::Rectified)
        );

        // a: red to yellow is better; third period: 通报批评.
        let mut p3 = result("P3", vec![warning("a", "x", Level::Yellow, 0.15)]);
        annotate(&c, &mut p3, Some(&p2), None);
        let a = &p3.warnings[0];
        assert_eq!(
            (a.age, a.follow_up, a.escalation.as_deref()),
            (3, FollowUp::Improving, Some("通报批评"))
        );
        let h: Vec<_> = a.history.iter().map(|(p, l)| (p.as_str(), *l)).collect();
        assert_eq!(
            h,
            vec![
                ("P1", Level::Red),
                ("P2", Level::Red),
                ("P3", Level::Yellow)
            ]
        );
    }
}
