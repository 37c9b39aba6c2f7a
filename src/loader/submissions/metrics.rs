//! The one check of a period's reported figures, whatever the layout of the file that gives
//! them: each layout turns its rows into [`Line`]s, and [`Figures`] checks every line alike
//! (the unit, the indicator, that it is reported and applies to the unit, that no figure is
//! given twice, the value) and keeps the values.

use std::collections::HashMap;

use ahash::AHashMap;
use std::ops::Range;

use super::super::rules::unknown_id;
use crate::campaign::Campaign;
use crate::data::PeriodData;
use crate::diag::{Diagnostic, FileId, Kind};
use crate::indicator::Source;
use crate::loader::csv_table::Cell;
use crate::loader::plausible;
use crate::period::Period;

/// How a metrics file lays out its figures. The checks are the same; the layout decides what
/// a blank value means, how indicators are named, and how a problem is told to be mended.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// `unit,indicator,value`: one row per figure, indicators named by id.
    Long,
    /// `unit,gdp,invest,…`: one row per unit, one column per indicator (by id or name).
    Wide,
}

impl Layout {
    /// Whether each line names its figures' unit and indicator together, so that a figure
    /// left blank is still a statement (a long row) and not only a gap (a wide row's cell).
    fn states_blanks(self) -> bool {
        self == Layout::Long
    }

    /// Whether a unit has one line per file (a wide row holds all of its figures).
    fn one_line_per_unit(self) -> bool {
        self == Layout::Wide
    }

    /// Whether an indicator may be named by its name as well as its id (a wide header).
    fn names_allowed(self) -> bool {
        self == Layout::Wide
    }
}

/// One row of a metrics file in either layout: a unit and the figures the row gives for it.
pub(super) struct Line<'t, 'f> {
    /// The row, where a problem with the whole line points.
    pub span: Range<usize>,
    pub unit: &'t Cell,
    /// The unit's name as written beside its id, to check that the figures are the unit's.
    pub names: &'f [&'t Cell],
    pub figures: &'f [Figure<'t>],
}

/// A figure of a line: its indicator, its value as typed (`None` when blank) and where a
/// problem with it points (the long layout's row, the wide layout's cell).
pub(super) struct Figure<'t> {
    pub indicator: Named<'t>,
    pub value: Option<&'t Cell>,
    pub at: Range<usize>,
}

/// A figure's indicator: named by a cell on its row (long), or known from its column (wide,
/// whose header is checked once with [`Figures::indicator`]).
pub(super) enum Named<'t> {
    Cell(&'t Cell),
    Known(usize),
}

/// The check of every metrics line of a period, with the values kept.
pub(super) struct Figures<'c> {
    campaign: &'c Campaign,
    /// Ids → positions, hashed with aHash: looked up twice a row, and a national period is
    /// hundreds of thousands of rows.
    units: AHashMap<&'c str, usize>,
    indicators: AHashMap<&'c str, usize>,
    slots: Slots,
    /// Where each unit's figure for each indicator was first given, across the files.
    seen: Seen,
    /// The file being read, and the units given a line in it so far.
    file: FileId,
    lines: HashMap<usize, Range<usize>>,
    /// The current line's indicators, resolved (kept to reuse its allocation).
    resolved: Vec<usize>,
    data: PeriodData,
    pub errors: Vec<Diagnostic>,
}

impl<'c> Figures<'c> {
    pub fn new(campaign: &'c Campaign, period: Period) -> Figures<'c> {
        Figures {
            campaign,
            units: campaign
                .units
                .iter()
                .enumerate()
                .map(|(i, u)| (u.id.as_str(), i))
                .collect(),
            indicators: campaign
                .indicators
                .iter()
                .enumerate()
                .map(|(i, x)| (x.id.as_str(), i))
                .collect(),
            slots: Slots::of(campaign),
            seen: Seen::of(campaign),
            file: 0,
            lines: HashMap::new(),
            resolved: Vec::new(),
            data: PeriodData {
                period,
                values: campaign
                    .indicators
                    .iter()
                    .map(|i| vec![None; i.assignments.len()])
                    .collect(),
                submitted: vec![false; campaign.units.len()],
                events: vec![Vec::new(); campaign.units.len()],
                progress: None,
                files: Vec::new(),
            },
            errors: Vec::new(),
        }
    }

    pub fn campaign(&self) -> &'c Campaign {
        self.campaign
    }

    /// Starts on the lines of another file.
    pub fn file(&mut self, file: FileId) {
        self.file = file;
        self.lines.clear();
    }

    /// The period's data with the figures read, and every problem found.
    pub fn finish(self) -> (PeriodData, Vec<Diagnostic>) {
        (self.data, self.errors)
    }

    /// A row without what a line needs: its unit (or, in the long layout, its indicator).
    pub fn incomplete(&mut self, layout: Layout, span: Range<usize>) {
        self.errors.push(match layout {
            Layout::Long => Diagnostic::error(Kind::Value, "this row is missing its unit or indicator")
                .at(self.file, span, "incomplete row")
                .help("fill in unit and indicator on every row; leave only the value empty when it is missing"),
            Layout::Wide => Diagnostic::error(Kind::Value, "this row has no unit")
                .at(self.file, span, "no unit")
                .help("write the unit's id in the first column of every row"),
        });
    }

    /// The indicator `cell` names (a long row's indicator, a wide column's header), if it
    /// is one and its values are reported; `at` is where its figures are.
    pub fn indicator(&mut self, layout: Layout, cell: &Cell, at: Range<usize>) -> Option<usize> {
        let (file, c) = (self.file, self.campaign);
        let by_id = self.indicators.get(cell.text.as_str()).copied();
        let ii = if !layout.names_allowed() {
            let Some(ii) = by_id else {
                self.errors.push(unknown_id(
                    file,
                    &cell.text,
                    cell.span.clone(),
                    "indicator",
                    c.indicators.iter().map(|x| x.id.as_str()),
                    "indicators are defined in the campaign's indicators.toml",
                ));
                return None;
            };
            ii
        } else {
            let by_name: Vec<usize> = (0..c.indicators.len())
                .filter(|&x| c.indicators[x].name == cell.text)
                .collect();
            match (by_id, &by_name[..]) {
                (Some(ii), _) => ii,
                (None, [ii]) => *ii,
                (None, []) => {
                    self.errors.push(unknown_id(
                        file,
                        &cell.text,
                        cell.span.clone(),
                        "indicator",
                        c.indicators.iter().flat_map(|x| [x.id.as_str(), x.name.as_str()]),
                        "in the wide format each column after the unit is headed by an indicator's id or name (indicators.toml)",
                    ));
                    return None;
                }
                (None, _) => {
                    let ids: Vec<&str> = by_name
                        .iter()
                        .map(|&x| c.indicators[x].id.as_str())
                        .collect();
                    self.errors.push(
                        Diagnostic::error(
                            Kind::Reference,
                            format!("more than one indicator is named `{}`", cell.text),
                        )
                        .at(file, cell.span.clone(), "which one?")
                        .help(format!(
                            "head the column with the indicator's id: {}",
                            ids.join(" or ")
                        )),
                    );
                    return None;
                }
            }
        };
        let ind = &c.indicators[ii];
        if ind.source != Source::Metrics {
            let (label, help) = match layout {
                Layout::Long => ("a reported value for it", "delete the row: the value is the unit's on-schedule rate of its items (progress.csv)"),
                Layout::Wide => ("a column for it", "delete the column: the value is the unit's on-schedule rate of its items (progress)"),
            };
            self.errors.push(
                Diagnostic::error(
                    Kind::Value,
                    format!(
                        "`{}` is computed from the key work items, not reported",
                        ind.id
                    ),
                )
                .at(file, at, label)
                .help(help),
            );
            return None;
        }
        Some(ii)
    }

    /// Checks a line and keeps its values.
    pub fn line(&mut self, layout: Layout, line: Line<'_, '_>) {
        let mut resolved = std::mem::take(&mut self.resolved);
        resolved.clear();
        self.check(layout, &line, &mut resolved);
        self.resolved = resolved;
    }

    /// [`Figures::line`], with `resolved` to hold the line's indicators.
    fn check(&mut self, layout: Layout, line: &Line<'_, '_>, resolved: &mut Vec<usize>) {
        let (file, c) = (self.file, self.campaign);
        let u = line.unit;
        let Some(&ui) = self.units.get(u.text.as_str()) else {
            self.errors.push(unknown_id(
                file,
                &u.text,
                u.span.clone(),
                "unit",
                c.units.iter().map(|u| u.id.as_str()),
                "units are listed in the campaign's units.csv",
            ));
            return;
        };
        let unit = &c.units[ui];
        if layout.one_line_per_unit() {
            if let Some(first) = self.lines.get(&ui) {
                self.errors.push(
                    Diagnostic::error(
                        Kind::Duplicate,
                        format!("{} ({}) has two rows", unit.name, unit.id),
                    )
                    .at(file, line.span.clone(), "again here")
                    .also(file, first.clone(), "first here")
                    .help("keep one row per unit"),
                );
                return;
            }
            self.lines.insert(ui, line.span.clone());
        }
        for f in line.figures {
            let ii = match &f.indicator {
                Named::Known(ii) => *ii,
                Named::Cell(cell) => match self.indicator(layout, cell, f.at.clone()) {
                    Some(ii) => ii,
                    None => return,
                },
            };
            resolved.push(ii);
        }
        let stated = |f: &Figure| f.value.is_some() || layout.states_blanks();
        if line.figures.iter().any(stated) {
            // A figure of the unit given before, on another line of this file or another file.
            let before = resolved
                .iter()
                .find_map(|&ii| self.seen.get(ii, ui).map(|first| (ii, first)));
            if let Some((ii, (first_file, first))) = before {
                let (message, label, first_label, help) = match layout {
                    Layout::Long => (
                        format!("{} reports `{}` twice", unit.name, c.indicators[ii].id),
                        "reported again here",
                        "first reported here",
                        "keep one row per unit and indicator",
                    ),
                    Layout::Wide => (
                        format!("{} ({})'s figures are given twice", unit.name, unit.id),
                        "given again here",
                        "first given here",
                        "keep each unit's figures in one file",
                    ),
                };
                self.errors.push(
                    Diagnostic::error(Kind::Duplicate, message)
                        .at(file, line.span.clone(), label)
                        .also(first_file, first, first_label)
                        .help(help),
                );
                return;
            }
            for &ii in resolved.iter() {
                if self.slots.get(ii, ui).is_some() {
                    self.seen.insert(ii, ui, file, &line.span);
                }
            }
        }
        for name in line.names.iter().filter(|n| n.text != unit.name) {
            self.errors.push(
                Diagnostic::error(
                    Kind::Value,
                    format!("the unit `{}` is {}, not {}", unit.id, unit.name, name.text),
                )
                .at(file, name.span.clone(), "another unit's name?")
                .also(file, u.span.clone(), "the unit")
                .help(
                    "check that the row's figures are this unit's: correct the unit id or the name",
                ),
            );
        }
        let mut any = false;
        for (f, &ii) in line.figures.iter().zip(resolved.iter()) {
            let ind = &c.indicators[ii];
            let Some(slot) = self.slots.get(ii, ui) else {
                if stated(f) {
                    let help = match layout {
                        Layout::Long => "delete the row, or add the unit (or its group) to the indicator's applies_to",
                        Layout::Wide => "leave the cell empty, or add the unit (or its group) to the indicator's applies_to",
                    };
                    self.errors.push(
                        Diagnostic::error(
                            Kind::Reference,
                            format!("`{}` does not apply to {} ({})", ind.id, unit.name, unit.id),
                        )
                        .at(
                            file,
                            f.at.clone(),
                            "a value for a unit not scored on this indicator",
                        )
                        .also(ind.origin.file, ind.origin.span.clone(), "defined here")
                        .help(help),
                    );
                }
                continue;
            };
            any |= stated(f);
            if let Some(v) = f.value {
                let x = v.measure(file, "the value", &ind.measure);
                match x.and_then(|x| plausible::check(ind, x, "the value", file, v.span.clone())) {
                    Ok(x) => self.data.values[ii][slot] = Some(x),
                    Err(e) => self.errors.push(e),
                }
            }
        }
        if any {
            self.data.submitted[ui] = true;
        }
    }
}

/// `slots[indicator][unit]`: the unit's assignment index on the indicator, found in constant
/// time (national campaigns have hundreds of thousands of cells).
struct Slots(Vec<Vec<u32>>);

const NONE: u32 = u32::MAX;

impl Slots {
    fn of(campaign: &Campaign) -> Slots {
        Slots(
            campaign
                .indicators
                .iter()
                .map(|ind| {
                    let mut s = vec![NONE; campaign.units.len()];
                    for (ai, a) in ind.assignments.iter().enumerate() {
                        s[a.unit] = ai as u32;
                    }
                    s
                })
                .collect(),
        )
    }

    /// The assignment index of `unit` on `indicator`, if the indicator applies to it.
    fn get(&self, indicator: usize, unit: usize) -> Option<usize> {
        let s = self.0[indicator][unit];
        (s != NONE).then_some(s as usize)
    }
}

/// Where each unit's figure for each indicator was first given (file and row), across the
/// files of a period, packed small.
struct Seen(Vec<Vec<[u32; 3]>>);

impl Seen {
    fn of(campaign: &Campaign) -> Seen {
        Seen(
            campaign
                .indicators
                .iter()
                .map(|_| vec![[NONE; 3]; campaign.units.len()])
                .collect(),
        )
    }

    fn get(&self, indicator: usize, unit: usize) -> Option<(FileId, Range<usize>)> {
        let [f, a, b] = self.0[indicator][unit];
        (f != NONE).then_some((f as FileId, a as usize..b as usize))
    }

    fn insert(&mut self, indicator: usize, unit: usize, file: FileId, span: &Range<usize>) {
        self.0[indicator][unit] = [file as u32, span.start as u32, span.end as u32];
    }
}
