//! Rules that are each valid but together cannot mean what they say: a group or a unit that
//! no indicator applies to, a tie-break on something a group's units do not all have, a
//! proportion of a target that is not positive, an efficacy floor that is not below a unit's
//! own expected value. Checked once everything else loaded without a problem.

use super::Builder;
use crate::campaign::*;
use crate::diag::{Diagnostic, Kind};
use crate::indicator::{Anchor, Direction, Indicator, IndicatorKind, Method};
use crate::loader::schema::CampaignFile;

impl Builder<'_> {
    pub(super) fn meaning(
        &mut self,
        raw: &CampaignFile,
        groups: &[Group],
        units: &[Unit],
        indicators: &[Indicator],
        per_year: u32,
        schedule: Option<&[f64]>,
    ) {
        // Each unit's indicators, by position.
        let mut scored: Vec<Vec<usize>> = vec![Vec::new(); units.len()];
        for (ii, ind) in indicators.iter().enumerate() {
            for a in &ind.assignments {
                scored[a.unit].push(ii);
            }
        }
        for (g, group) in groups.iter().enumerate() {
            let members: Vec<usize> = (0..units.len()).filter(|&u| units[u].group == g).collect();
            let Some(graw) = raw.groups.get(g) else {
                continue;
            };
            if members.is_empty() {
                continue;
            }
            if members.iter().all(|&u| scored[u].is_empty()) {
                self.errors.push(
                    Diagnostic::error(
                        Kind::Reference,
                        format!("no indicator applies to the group `{}`", group.id),
                    )
                    .at(self.file, graw.id.span(), "this group")
                    .help(format!(
                        "its units would all score 0 and share the first rank; add `{}` (or its units' ids) to the applies_to of its indicators in indicators.toml",
                        group.id
                    )),
                );
                continue;
            }
            for &u in members.iter().filter(|&&u| scored[u].is_empty()) {
                let unit = &units[u];
                let mut d = Diagnostic::error(
                    Kind::Reference,
                    format!("no indicator applies to {} ({})", unit.name, unit.id),
                );
                if let (Some(f), Some(span)) = (self.at.units_file, self.at.units.get(&unit.id)) {
                    d = d.at(f, span.clone(), "this unit");
                }
                self.errors.push(d.help(format!(
                    "it would score 0 whatever it reports; add `{}` to the applies_to of its indicators (a department's 牵头指标) in indicators.toml, or remove it from units.csv",
                    unit.id
                )));
            }
            // A tie-break every unit of the group has: a unit without it would lose every tie
            // on it, and a key no unit has breaks no tie at all.
            for (key, text) in group.rank_by.iter().zip(&graw.rank_by) {
                let (has, what): (Vec<bool>, String) = match *key {
                    RankKey::Total => continue,
                    RankKey::Category(k) => (
                        members
                            .iter()
                            .map(|&u| scored[u].iter().any(|&i| indicators[i].category == k))
                            .collect(),
                        "no indicator of this category applies to".into(),
                    ),
                    RankKey::Indicator(i) | RankKey::Points(i) => (
                        members
                            .iter()
                            .map(|&u| indicators[i].assignments.iter().any(|a| a.unit == u))
                            .collect(),
                        format!("`{}` does not apply to", indicators[i].id),
                    ),
                };
                let without: Vec<&str> = members
                    .iter()
                    .zip(&has)
                    .filter(|(_, h)| !**h)
                    .map(|(&u, _)| units[u].name.as_str())
                    .collect();
                if without.is_empty() {
                    continue;
                }
                let (message, help) = if without.len() == members.len() {
                    (
                        format!("the tie-break `{}` of `{}`: {what} any of its units", text.get_ref(), group.id),
                        "it can break no tie; rank by a category or indicator the group is scored on, or remove it".to_string(),
                    )
                } else {
                    (
                        format!("the tie-break `{}` of `{}`: {what} {}", text.get_ref(), group.id, list(&without)),
                        "they would lose every tie on it; rank by something every unit of the group has, or apply it to them all".to_string(),
                    )
                };
                self.errors.push(
                    Diagnostic::error(Kind::Reference, message)
                        .at(self.file, text.span(), "in this ranking chain")
                        .help(help),
                );
            }
        }
        for (ii, ind) in indicators.iter().enumerate() {
            self.targets_fit_method(ii, ind, units, per_year, schedule);
        }
    }

    /// A proportion of a target needs a positive target; an efficacy floor must be below
    /// (or, lower being better, above) every expected value it is measured against.
    fn targets_fit_method(
        &mut self,
        ii: usize,
        ind: &Indicator,
        units: &[Unit],
        per_year: u32,
        schedule: Option<&[f64]>,
    ) {
        // The indicator's default target is reported once; a unit's own target at its row.
        let mut default_reported = false;
        for a in &ind.assignments {
            let row = self.at.targets.get(&(ii, a.unit)).cloned();
            let problem = match ind.method {
                Method::Completion {
                    all_or_nothing: false,
                    ..
                } if a.target <= 0.0 => Some((
                    format!(
                        "`{}` is scored in proportion to its target, but the target of {} is {}",
                        ind.id, units[a.unit].name, a.target
                    ),
                    format!(
                        "a proportion of a target of zero or less means nothing (-3 ÷ -2 = 1.5, though -3 falls short of -2); score `{}` with {{ type = \"efficacy\", high = \"target\", low = … }} or {{ type = \"completion\", mode = \"all-or-nothing\" }}",
                        ind.id
                    ),
                )),
                Method::Efficacy {
                    high: Anchor::Target,
                    low: Anchor::Value(low),
                    ..
                } => floor_not_below(ind, a.target, low, per_year, schedule).map(|(k, expected)| {
                    let by = match ind.kind {
                        IndicatorKind::Rate => format!("target {expected}"),
                        IndicatorKind::Amount => format!(
                            "expected value {expected} (period {k} of {per_year}: target {} × time progress)",
                            a.target
                        ),
                    };
                    (
                        format!(
                            "the efficacy floor {low} of `{}` is not {} {}'s {by}",
                            ind.id,
                            match ind.direction {
                                Direction::HigherIsBetter => "below",
                                Direction::LowerIsBetter => "above",
                            },
                            units[a.unit].name
                        ),
                        "the floor (low, d = 60) must be worse than the satisfactory value (high = the expected value, d = 100); lower low, or give the unit a target beyond it".to_string(),
                    )
                }),
                _ => None,
            };
            let Some((message, help)) = problem else {
                continue;
            };
            let d = Diagnostic::error(Kind::Value, message).help(help);
            match (row, self.at.targets_file) {
                (Some(row), Some(f)) => self.errors.push(d.at(f, row, "this unit's target").also(
                    ind.origin.file,
                    ind.origin.span.clone(),
                    "its method",
                )),
                _ if default_reported => {}
                _ => {
                    default_reported = true;
                    self.errors.push(d.at(
                        ind.origin.file,
                        ind.origin.span.clone(),
                        "this indicator's target and method",
                    ));
                }
            }
        }
    }
}

/// The first period (1-based) whose expected value is not better than the efficacy floor,
/// and that value.
fn floor_not_below(
    ind: &Indicator,
    target: f64,
    low: f64,
    per_year: u32,
    schedule: Option<&[f64]>,
) -> Option<(u32, f64)> {
    let periods = match ind.kind {
        IndicatorKind::Rate => 1..=1,
        IndicatorKind::Amount => 1..=per_year,
    };
    periods.into_iter().find_map(|k| {
        let progress = match ind.kind {
            IndicatorKind::Rate => 1.0,
            IndicatorKind::Amount => match ind.schedule.as_deref().or(schedule) {
                Some(s) => s[(k as usize - 1).min(s.len() - 1)],
                None => k as f64 / per_year as f64,
            },
        };
        let expected = crate::methods::expected(ind.kind, target, progress);
        (!ind.direction.better(expected, low)).then_some((k, expected))
    })
}

fn list(names: &[&str]) -> String {
    if names.len() <= 5 {
        names.join("、")
    } else {
        format!("{} and {} more", names[..5].join("、"), names.len() - 5)
    }
}
