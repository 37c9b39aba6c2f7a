//! Results across periods: movement against the previous period (环比) and the same period a
//! year earlier (同比), and the warning loop (督导 → 通报 → 整改): how long each warning has
//! been open, whether it is better or no better, what escalation is due, and which warnings
//! were closed. Pure: it reads earlier facts, published or computed, never files. Every
//! lookup is by index: all the facts of a timeline are against one campaign.

use std::collections::{HashMap, HashSet};

use crate::campaign::Escalation;
use crate::result::{Change, Facts, FollowUp, Movement, Subject, WarningFact};

/// Fills in `current`'s movement and warning follow-up from the facts of the previous period
/// and of the same period a year earlier, where there are any.
pub fn annotate(
    escalation: &[Escalation],
    current: &mut Facts,
    previous: Option<&Facts>,
    year_earlier: Option<&Facts>,
) {
    let (prev, year) = (previous.map(tables), year_earlier.map(tables));
    for (g, table) in current.tables.iter().enumerate() {
        for &u in table {
            let Some(now) = current.units[u].as_mut() else {
                continue;
            };
            // A unit is compared with its standing in the same group's table then.
            let change = |then: &(Vec<Option<usize>>, &Facts)| match (then.0.get(u), then.1.unit(u))
            {
                (Some(&Some(tg)), Some(t)) if tg == g => Change::Moved {
                    places: t.rank as i64 - now.rank as i64,
                    total: now.total - t.total,
                },
                _ => Change::New,
            };
            now.movement = Movement {
                previous: prev.as_ref().map(change),
                year_earlier: year.as_ref().map(change),
            };
        }
    }
    follow_up(escalation, current, previous);
}

/// Each unit's group in the facts' tables (by unit position), with the facts.
fn tables(f: &Facts) -> (Vec<Option<usize>>, &Facts) {
    (f.table_groups(), f)
}

/// The warning loop: each warning's age, history, follow-up and escalation, and the
/// warnings of last period that are closed now. A warning's identity is its unit and subject.
fn follow_up(escalation: &[Escalation], current: &mut Facts, previous: Option<&Facts>) {
    let period = current.period;
    let before: HashMap<(usize, Subject), &WarningFact> = previous
        .map(|p| {
            p.warnings
                .iter()
                .map(|w| ((w.unit, w.subject), w))
                .collect()
        })
        .unwrap_or_default();
    for w in &mut current.warnings {
        match before.get(&(w.unit, w.subject)) {
            Some(prev) => {
                w.age = prev.age + 1;
                // Sized for this period's entry too (a national period has ~100,000
                // warnings: no growth slack).
                w.history = Vec::with_capacity(prev.history.len() + 1);
                w.history.extend_from_slice(&prev.history);
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
                w.history = Vec::with_capacity(1);
                w.follow_up = FollowUp::New;
            }
        }
        w.history.push((period, w.level));
        w.escalation = escalation
            .iter()
            .rev()
            .find(|e| w.age >= e.after)
            .map(|e| e.action.clone());
    }
    let now: HashSet<(usize, Subject)> = current
        .warnings
        .iter()
        .map(|w| (w.unit, w.subject))
        .collect();
    current.closed = previous
        .map(|p| {
            p.warnings
                .iter()
                .filter(|w| !now.contains(&(w.unit, w.subject)))
                .map(|w| WarningFact {
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
    use crate::period::{Period, PeriodKind};
    use crate::result::{Level, WarningKind};

    fn warning(unit: usize, indicator: usize, level: Level, severity: f64) -> WarningFact {
        WarningFact::new(
            level,
            WarningKind::Lagging,
            unit,
            Subject::Indicator(indicator),
            severity,
        )
    }

    fn result(period: &str, warnings: Vec<WarningFact>) -> Facts {
        Facts {
            period: Period::parse(period, PeriodKind::Quarter).unwrap(),
            units: vec![None, None],
            tables: vec![vec![]],
            warnings,
            closed: vec![],
            items: vec![],
            stats: vec![],
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
        let (a, b, x) = (0, 1, 0);
        let mut p1 = result(
            "2023-Q1",
            vec![
                warning(a, x, Level::Red, 0.4),
                warning(b, x, Level::Yellow, 0.2),
            ],
        );
        annotate(&c, &mut p1, None, None);
        assert_eq!(
            (p1.warnings[0].age, p1.warnings[0].follow_up),
            (1, FollowUp::New)
        );

        // a: still red, no better; b: fixed.
        let mut p2 = result("2023-Q2", vec![warning(a, x, Level::Red, 0.4)]);
        annotate(&c, &mut p2, Some(&p1), None);
        let w = &p2.warnings[0];
        assert_eq!(
            (w.age, w.follow_up, w.escalation.as_deref()),
            (2, FollowUp::NotImproved, Some("约谈"))
        );
        assert_eq!(p2.closed.len(), 1);
        assert_eq!(
            (p2.closed[0].unit, p2.closed[0].follow_up),
            (b, FollowUp::Rectified)
        );

        // a: red to yellow is better; third period: 通报批评.
        let mut p3 = result("2023-Q3", vec![warning(a, x, Level::Yellow, 0.15)]);
        annotate(&c, &mut p3, Some(&p2), None);
        let w = &p3.warnings[0];
        assert_eq!(
            (w.age, w.follow_up, w.escalation.as_deref()),
            (3, FollowUp::Improving, Some("通报批评"))
        );
        let h: Vec<_> = w.history.iter().map(|(p, l)| (p.to_string(), *l)).collect();
        assert_eq!(
            h,
            vec![
                ("2023-Q1".to_string(), Level::Red),
                ("2023-Q2".to_string(), Level::Red),
                ("2023-Q3".to_string(), Level::Yellow)
            ]
        );
    }
}
