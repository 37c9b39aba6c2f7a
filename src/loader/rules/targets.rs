//! targets.csv: a unit's own target and stretch target on an indicator, replacing the
//! indicator's default; then every assignment must have a target.

use std::collections::HashMap;
use std::ops::Range;

use super::Builder;
use crate::campaign::*;
use crate::diag::{Diagnostic, FileId, Kind};
use crate::indicator::{Direction, Indicator};
use crate::loader::csv_table::{self, Column};
use crate::loader::plausible;

const TARGET_COLUMNS: [Column; 4] = [
    Column {
        name: "unit",
        aliases: &["单位"],
        required: true,
    },
    Column {
        name: "indicator",
        aliases: &["指标"],
        required: true,
    },
    Column {
        name: "target",
        aliases: &["目标值", "目标"],
        required: true,
    },
    Column {
        name: "stretch",
        aliases: &["力争目标", "力争值"],
        required: false,
    },
];

impl Builder<'_> {
    pub(super) fn targets(
        &mut self,
        file: FileId,
        indicators: &mut [Indicator],
        ind_ix: &HashMap<String, usize>,
        unit_ix: &HashMap<&str, usize>,
        units: &[Unit],
    ) {
        let table = match csv_table::read(self.sources, file, &TARGET_COLUMNS) {
            Ok(t) => t,
            Err(mut e) => {
                self.errors.append(&mut e);
                return;
            }
        };
        let mut seen: HashMap<(usize, usize), Range<usize>> = HashMap::new();
        for row in &table.rows {
            let (Some(u), Some(i)) = (&row.cells[0], &row.cells[1]) else {
                self.errors.push(
                    Diagnostic::error(Kind::Value, "this target is missing its unit or indicator")
                        .at(file, row.span.clone(), "incomplete row")
                        .help("fill in unit, indicator and target on every row"),
                );
                continue;
            };
            let Some(&ui) = unit_ix.get(u.text.as_str()) else {
                if self.declared.unit_reported(&u.text) {
                    continue;
                }
                self.errors.push(self.unknown(
                    file,
                    u,
                    "unit",
                    units.iter().map(|u| u.id.as_str()),
                    "units are listed in units.csv",
                ));
                continue;
            };
            let Some(&ii) = ind_ix.get(i.text.as_str()) else {
                if self.declared.indicator_reported(&i.text) {
                    continue;
                }
                self.errors.push(self.unknown(
                    file,
                    i,
                    "indicator",
                    indicators.iter().map(|x| x.id.as_str()),
                    "indicators are defined in indicators.toml",
                ));
                continue;
            };
            if let Some(first) = seen.get(&(ui, ii)) {
                self.errors.push(
                    Diagnostic::error(
                        Kind::Duplicate,
                        format!(
                            "the target of {} on `{}` is given twice",
                            units[ui].name, i.text
                        ),
                    )
                    .at(file, row.span.clone(), "given again here")
                    .also(file, first.clone(), "first given here")
                    .help("keep one row per unit and indicator"),
                );
                continue;
            }
            seen.insert((ui, ii), row.span.clone());
            let ind = &indicators[ii];
            let Some(ai) = ind.assignments.iter().position(|a| a.unit == ui) else {
                self.errors.push(
                    Diagnostic::error(Kind::Reference, format!("`{}` does not apply to {} ({})", ind.id, units[ui].name, units[ui].id))
                        .at(file, row.span.clone(), "target for a unit not scored on it")
                        .also(ind.origin.file, ind.origin.span.clone(), "defined here")
                        .help("delete the row, or add the unit (or its group) to the indicator's applies_to"),
                );
                continue;
            };
            let measure = ind.measure.clone();
            let target = match row.cells[2].as_ref().map(|c| {
                c.measure(file, "the target", &measure)
                    .and_then(|x| plausible::check(ind, x, "the target", file, c.span.clone()))
            }) {
                Some(Ok(v)) => v,
                Some(Err(e)) => {
                    self.errors.push(e);
                    continue;
                }
                None => {
                    self.errors.push(
                        Diagnostic::error(Kind::Value, "this target is empty")
                            .at(file, row.span.clone(), "no target")
                            .help("write the annual target, or delete the row to use the indicator's default target"),
                    );
                    continue;
                }
            };
            // A unit's own target replaces the default stretch too: no stretch unless given.
            self.at.targets_file = Some(file);
            self.at.targets.insert((ii, ui), row.span.clone());
            let mut stretch = None;
            if let Some(c) = &row.cells[3] {
                let v = c
                    .measure(file, "the stretch target", &measure)
                    .and_then(|x| {
                        plausible::check(ind, x, "the stretch target", file, c.span.clone())
                    });
                match v {
                    Ok(v) if ind.direction.better(target, v) => self.errors.push(
                        Diagnostic::error(Kind::Value, format!("the stretch target {v} is not beyond the target {target}"))
                            .at(file, c.span.clone(), "力争目标")
                            .help(match ind.direction {
                                Direction::HigherIsBetter => "the stretch target (力争目标) is higher than the target, e.g. 6.0 and 6.5",
                                Direction::LowerIsBetter => "this indicator is lower-is-better, so the stretch target is below the target",
                            }),
                    ),
                    Ok(v) => stretch = Some(v),
                    Err(e) => self.errors.push(e),
                }
            }
            let a = &mut indicators[ii].assignments[ai];
            a.target = target;
            a.stretch = stretch;
        }
    }

    pub(super) fn missing_targets(
        &mut self,
        indicators: &[Indicator],
        units: &[Unit],
        file: FileId,
    ) {
        for ind in indicators {
            let missing: Vec<&str> = ind
                .assignments
                .iter()
                .filter(|a| a.target.is_nan())
                .map(|a| units[a.unit].name.as_str())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let shown = missing
                .iter()
                .take(5)
                .copied()
                .collect::<Vec<_>>()
                .join("、");
            let more = if missing.len() > 5 {
                format!(" and {} more", missing.len() - 5)
            } else {
                String::new()
            };
            self.errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("`{}` has no target for {shown}{more}", ind.id),
                )
                .at(file, ind.origin.span.clone(), "no default target")
                .help("add `target = …` to the indicator, or a row per unit to targets.csv"),
            );
        }
    }
}
