//! Builds a period's [`PeriodData`] from its metrics.csv and events.csv.

use std::collections::HashMap;
use std::ops::Range;

use chrono::NaiveDate;

use super::csv_table::{self, Column};
use super::rules::unknown_id;
use crate::campaign::{Campaign, Origin};
use crate::data::{Event, ItemReport, PeriodData};
use crate::diag::{Diagnostic, FileId, Kind, Sources};
use crate::indicator::Source;
use crate::item::Report;
use crate::period::Period;

const METRIC_COLUMNS: [Column; 3] = [
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
        name: "value",
        aliases: &["数值", "完成值", "值"],
        required: true,
    },
];

/// Columns of a unit's template (`jingbiao template`) that are there for the reader only.
pub const INFO_COLUMNS: [&str; 10] = [
    "unit_name",
    "单位名称",
    "indicator_name",
    "指标名称",
    "measure",
    "计量单位",
    "target",
    "目标",
    "expected",
    "序时目标",
];

const EVENT_COLUMNS: [Column; 4] = [
    Column {
        name: "unit",
        aliases: &["单位"],
        required: true,
    },
    Column {
        name: "kind",
        aliases: &["类型", "事项"],
        required: true,
    },
    Column {
        name: "date",
        aliases: &["日期"],
        required: true,
    },
    Column {
        name: "note",
        aliases: &["说明", "备注"],
        required: false,
    },
];

pub fn build(
    sources: &Sources,
    campaign: &Campaign,
    period: Period,
    metrics: &[FileId],
    events: Option<FileId>,
    progress: Option<FileId>,
    dir: &str,
) -> Result<PeriodData, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let units: HashMap<&str, usize> = campaign
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.as_str(), i))
        .collect();
    let indicators: HashMap<&str, usize> = campaign
        .indicators
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    let slots = Slots::of(campaign);
    let mut data = PeriodData {
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
    };
    let unit_ids = || campaign.units.iter().map(|u| u.id.as_str());
    // Where each unit's figure for each indicator was given, across the files.
    let mut seen = Seen::of(campaign);
    for &metrics in metrics {
        let table = csv_table::read_raw(sources, metrics, "unit,indicator,value").and_then(|raw| {
            if is_wide(&raw, campaign) {
                read_wide(campaign, raw, &slots, &mut data, &mut seen).map(|()| None)
            } else {
                // Columns a unit's template adds for the reader are not read.
                let raw = raw.without(|h| INFO_COLUMNS.iter().any(|c| c.eq_ignore_ascii_case(h)));
                csv_table::table(sources, raw, &METRIC_COLUMNS).map(Some)
            }
        });
        match table {
            Err(mut e) => errors.append(&mut e),
            Ok(None) => {}
            Ok(Some(table)) => {
                for row in &table.rows {
                    let (Some(u), Some(i)) = (&row.cells[0], &row.cells[1]) else {
                        errors.push(
                            Diagnostic::error(Kind::Value, "this row is missing its unit or indicator")
                                .at(metrics, row.span.clone(), "incomplete row")
                                .help("fill in unit and indicator on every row; leave only the value empty when it is missing"),
                        );
                        continue;
                    };
                    let Some(&ui) = units.get(u.text.as_str()) else {
                        errors.push(unknown_id(
                            metrics,
                            &u.text,
                            u.span.clone(),
                            "unit",
                            unit_ids(),
                            "units are listed in the campaign's units.csv",
                        ));
                        continue;
                    };
                    let Some(&ii) = indicators.get(i.text.as_str()) else {
                        errors.push(unknown_id(
                            metrics,
                            &i.text,
                            i.span.clone(),
                            "indicator",
                            campaign.indicators.iter().map(|x| x.id.as_str()),
                            "indicators are defined in the campaign's indicators.toml",
                        ));
                        continue;
                    };
                    if campaign.indicators[ii].source != Source::Metrics {
                        errors.push(
                            Diagnostic::error(Kind::Value, format!("`{}` is computed from the key work items, not reported", i.text))
                                .at(metrics, row.span.clone(), "a reported value for it")
                                .help("delete the row: the value is the unit's on-schedule rate of its items (progress.csv)"),
                        );
                        continue;
                    }
                    let Some(slot) = slots.get(ii, ui) else {
                        let ind = &campaign.indicators[ii];
                        errors.push(
                            Diagnostic::error(Kind::Reference, format!("`{}` does not apply to {} ({})", ind.id, campaign.units[ui].name, u.text))
                                .at(metrics, row.span.clone(), "a value for a unit not scored on this indicator")
                                .also(ind.origin.file, ind.origin.span.clone(), "defined here")
                                .help("delete the row, or add the unit (or its group) to the indicator's applies_to"),
                        );
                        continue;
                    };
                    if let Some((first_file, first)) = seen.get(ii, ui) {
                        errors.push(
                            Diagnostic::error(
                                Kind::Duplicate,
                                format!("{} reports `{}` twice", campaign.units[ui].name, i.text),
                            )
                            .at(metrics, row.span.clone(), "reported again here")
                            .also(first_file, first, "first reported here")
                            .help("keep one row per unit and indicator"),
                        );
                        continue;
                    }
                    seen.insert(ii, ui, metrics, &row.span);
                    data.submitted[ui] = true;
                    if let Some(v) = &row.cells[2] {
                        match v.measure(metrics, "the value", &campaign.indicators[ii].measure) {
                            Ok(x) => data.values[ii][slot] = Some(x),
                            Err(e) => errors.push(e),
                        }
                    }
                }
            }
        }
    }
    if let Some(file) = events {
        match csv_table::read(sources, file, &EVENT_COLUMNS) {
            Err(mut e) => errors.append(&mut e),
            Ok(table) => {
                for row in &table.rows {
                    let (Some(u), Some(k), Some(d)) = (&row.cells[0], &row.cells[1], &row.cells[2])
                    else {
                        errors.push(
                            Diagnostic::error(
                                Kind::Value,
                                "this event is missing its unit, kind or date",
                            )
                            .at(file, row.span.clone(), "incomplete row")
                            .help("fill in unit, kind and date (e.g. 2023-05-12) on every row"),
                        );
                        continue;
                    };
                    let Some(&ui) = units.get(u.text.as_str()) else {
                        errors.push(unknown_id(
                            file,
                            &u.text,
                            u.span.clone(),
                            "unit",
                            unit_ids(),
                            "units are listed in the campaign's units.csv",
                        ));
                        continue;
                    };
                    let Ok(date) = NaiveDate::parse_from_str(&d.text, "%Y-%m-%d") else {
                        errors.push(
                            Diagnostic::error(Kind::Value, format!("`{}` is not a date", d.text))
                                .at(file, d.span.clone(), "expected YYYY-MM-DD")
                                .help("write dates as year-month-day, e.g. 2023-05-12"),
                        );
                        continue;
                    };
                    if !period.contains(date) {
                        errors.push(
                            Diagnostic::error(Kind::Value, format!("{} is outside {period} ({} to {})", d.text, period.start(), period.end()))
                                .at(file, d.span.clone(), "not in this period")
                                .help("move the event to the data folder of the period it happened in, or correct the date"),
                        );
                        continue;
                    }
                    data.events[ui].push(Event {
                        kind: k.text.to_string(),
                        date,
                        note: row.cells[3]
                            .as_ref()
                            .map(|c| c.text.to_string())
                            .unwrap_or_default(),
                    });
                }
            }
        }
    }
    match read_progress(sources, campaign, period, dir, progress) {
        Ok(p) => data.progress = p,
        Err(mut e) => errors.append(&mut e),
    }
    if errors.is_empty() {
        Ok(data)
    } else {
        Err(errors)
    }
}

const PROGRESS_COLUMNS: [Column; 3] = [
    Column {
        name: "item",
        aliases: &["事项", "编号"],
        required: true,
    },
    Column {
        name: "progress",
        aliases: &["进度", "完成进度"],
        required: true,
    },
    Column {
        name: "completed",
        aliases: &["完成日期"],
        required: false,
    },
];

/// progress.csv: each item's cumulative progress (%) and completion date.
fn read_progress(
    sources: &Sources,
    campaign: &Campaign,
    period: Period,
    dir: &str,
    file: Option<FileId>,
) -> Result<Option<Vec<Option<ItemReport>>>, Vec<Diagnostic>> {
    let live = campaign.items.iter().any(|i| i.start <= period.end());
    let Some(file) = file else {
        if live {
            return Err(vec![Diagnostic::error(
                Kind::Period,
                format!("{period} has key work items under way but no progress report"),
            )
            .help(format!(
                "add {dir}progress.csv with the columns item,progress,completed (one row per item)"
            ))]);
        }
        return Ok(None);
    };
    if campaign.items.is_empty() {
        return Err(vec![Diagnostic::error(
            Kind::Reference,
            "there is a progress report but the campaign lists no key work items",
        )
        .at(file, 0..0, "this file")
        .help(
            "list the items in the campaign's items.csv, or delete this file",
        )]);
    }
    let table = csv_table::read(sources, file, &PROGRESS_COLUMNS)?;
    let index: HashMap<&str, usize> = campaign
        .items
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    let mut out: Vec<Option<ItemReport>> = vec![None; campaign.items.len()];
    let mut errors = Vec::new();
    for row in &table.rows {
        let (Some(id), Some(p)) = (&row.cells[0], &row.cells[1]) else {
            errors.push(
                Diagnostic::error(Kind::Value, "this row is missing its item or progress")
                    .at(file, row.span.clone(), "incomplete row")
                    .help("fill in the item id and its progress in % (0 to 100) on every row"),
            );
            continue;
        };
        let Some(&ix) = index.get(id.text.as_str()) else {
            errors.push(unknown_id(
                file,
                &id.text,
                id.span.clone(),
                "item",
                campaign.items.iter().map(|i| i.id.as_str()),
                "items are listed in the campaign's items.csv",
            ));
            continue;
        };
        let item = &campaign.items[ix];
        if let Some(first) = &out[ix] {
            errors.push(
                Diagnostic::error(
                    Kind::Duplicate,
                    format!("the item `{}` is reported twice", id.text),
                )
                .at(file, row.span.clone(), "reported again here")
                .also(file, first.origin.span.clone(), "first reported here")
                .help("keep one row per item"),
            );
            continue;
        }
        let progress = match p.measure(file, "the progress", "%") {
            Ok(v) if (0.0..=100.0).contains(&v) => v,
            Ok(v) => {
                errors.push(
                    Diagnostic::error(Kind::Value, format!("the progress {v}% of `{}` is not between 0% and 100%", id.text))
                        .at(file, p.span.clone(), "progress in %")
                        .help("write the cumulative progress as a percentage from 0 to 100 (e.g. 46 or 46%)"),
                );
                continue;
            }
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let completed = match &row.cells[2] {
            None => None,
            Some(c) => match super::items::date(file, c, "the completion date") {
                Ok(d) if d > period.end() => {
                    errors.push(
                        Diagnostic::error(Kind::Value, format!("`{}` is reported completed on {d}, after the end of {period} ({})", id.text, period.end()))
                            .at(file, c.span.clone(), "in the future")
                            .help("a period's report can only say what was done by its end: correct the date, or report it next period"),
                    );
                    continue;
                }
                Ok(d) if d < item.start => {
                    errors.push(
                        Diagnostic::error(
                            Kind::Value,
                            format!(
                                "`{}` is reported completed on {d}, before it started ({})",
                                id.text, item.start
                            ),
                        )
                        .at(file, c.span.clone(), "before the start")
                        .help("correct the completion date or the item's start in items.csv"),
                    );
                    continue;
                }
                Ok(d) if progress < 100.0 => {
                    errors.push(
                        Diagnostic::error(Kind::Value, format!("`{}` has a completion date ({d}) but its progress is {progress}%", id.text))
                            .at(file, row.span.clone(), "completed at less than 100%")
                            .help("a completed item is at 100%; otherwise leave the completion date empty"),
                    );
                    continue;
                }
                Ok(d) => Some(d),
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            },
        };
        out[ix] = Some(ItemReport {
            report: Report {
                progress,
                completed,
            },
            origin: Origin {
                file,
                span: row.span.clone(),
            },
        });
    }
    if errors.is_empty() {
        Ok(Some(out))
    } else {
        Err(errors)
    }
}

fn is_header(text: &str, column: &Column) -> bool {
    column.name.eq_ignore_ascii_case(text)
        || column.aliases.iter().any(|a| a.eq_ignore_ascii_case(text))
}

/// The wide format: the first column is the unit, and no column is `indicator`: one row per
/// unit, one column per indicator.
fn is_wide(raw: &csv_table::Raw, campaign: &Campaign) -> bool {
    let mut header = raw.header.iter().map(|c| c.text.as_str());
    header
        .next()
        .is_some_and(|h| is_header(h, &METRIC_COLUMNS[0]))
        && !raw.header.iter().any(|c| {
            is_header(&c.text, &METRIC_COLUMNS[1]) || is_header(&c.text, &METRIC_COLUMNS[2])
        })
        && raw.header.iter().any(|c| {
            campaign
                .indicators
                .iter()
                .any(|i| i.id == c.text || i.name == c.text)
        })
}

/// metrics in the wide format: `unit,gdp,invest,…` (indicator ids or names as headers). A
/// blank cell is a missing value; a row with every cell blank is a unit that sent nothing;
/// a column for an indicator that does not apply to a row's unit must be blank there.
fn read_wide(
    campaign: &Campaign,
    raw: csv_table::Raw,
    slots: &Slots,
    data: &mut PeriodData,
    seen_all: &mut Seen,
) -> Result<(), Vec<Diagnostic>> {
    let file = raw.file;
    let mut errors = raw.row_errors;
    // Field index → what the column holds.
    enum Col {
        Unit,
        UnitName,
        Indicator(usize),
        Skip,
    }
    let mut cols = Vec::new();
    let mut seen: HashMap<usize, Range<usize>> = HashMap::new();
    for (i, h) in raw.header.iter().enumerate() {
        if i == 0 {
            cols.push(Col::Unit);
            continue;
        }
        if ["unit_name", "单位名称", "name", "名称"]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(&h.text))
        {
            cols.push(Col::UnitName);
            continue;
        }
        let by_id = campaign.indicators.iter().position(|x| x.id == h.text);
        let by_name: Vec<usize> = (0..campaign.indicators.len())
            .filter(|&x| campaign.indicators[x].name == h.text)
            .collect();
        let ii = match (by_id, &by_name[..]) {
            (Some(ii), _) => ii,
            (None, [ii]) => *ii,
            (None, []) => {
                errors.push(unknown_id(
                    file,
                    &h.text,
                    h.span.clone(),
                    "indicator",
                    campaign.indicators.iter().flat_map(|x| [x.id.as_str(), x.name.as_str()]),
                    "in the wide format each column after the unit is headed by an indicator's id or name (indicators.toml)",
                ));
                cols.push(Col::Skip);
                continue;
            }
            (None, _) => {
                let ids: Vec<&str> = by_name
                    .iter()
                    .map(|&x| campaign.indicators[x].id.as_str())
                    .collect();
                errors.push(
                    Diagnostic::error(
                        Kind::Reference,
                        format!("more than one indicator is named `{}`", h.text),
                    )
                    .at(file, h.span.clone(), "which one?")
                    .help(format!(
                        "head the column with the indicator's id: {}",
                        ids.join(" or ")
                    )),
                );
                cols.push(Col::Skip);
                continue;
            }
        };
        let ind = &campaign.indicators[ii];
        if ind.source != Source::Metrics {
            errors.push(
                Diagnostic::error(Kind::Value, format!("`{}` is computed from the key work items, not reported", ind.id))
                    .at(file, h.span.clone(), "a column for it")
                    .help("delete the column: the value is the unit's on-schedule rate of its items (progress)"),
            );
            cols.push(Col::Skip);
            continue;
        }
        if let Some(first) = seen.get(&ii) {
            errors.push(
                Diagnostic::error(
                    Kind::Duplicate,
                    format!("two columns are for `{}` ({})", ind.id, ind.name),
                )
                .at(file, h.span.clone(), "again here")
                .also(file, first.clone(), "first here")
                .help("delete one of the two columns"),
            );
            cols.push(Col::Skip);
            continue;
        }
        seen.insert(ii, h.span.clone());
        cols.push(Col::Indicator(ii));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows_seen: HashMap<usize, Range<usize>> = HashMap::new();
    for row in &raw.rows {
        let Some(u) = &row.cells[0] else {
            errors.push(
                Diagnostic::error(Kind::Value, "this row has no unit")
                    .at(file, row.span.clone(), "no unit")
                    .help("write the unit's id in the first column of every row"),
            );
            continue;
        };
        let Some(ui) = campaign.unit_index(&u.text) else {
            errors.push(unknown_id(
                file,
                &u.text,
                u.span.clone(),
                "unit",
                campaign.units.iter().map(|u| u.id.as_str()),
                "units are listed in the campaign's units.csv",
            ));
            continue;
        };
        let unit = &campaign.units[ui];
        if let Some(first) = rows_seen.get(&ui) {
            errors.push(
                Diagnostic::error(
                    Kind::Duplicate,
                    format!("{} ({}) has two rows", unit.name, unit.id),
                )
                .at(file, row.span.clone(), "again here")
                .also(file, first.clone(), "first here")
                .help("keep one row per unit"),
            );
            continue;
        }
        rows_seen.insert(ui, row.span.clone());
        let given = cols
            .iter()
            .zip(&row.cells)
            .any(|(col, cell)| matches!((col, cell), (Col::Indicator(_), Some(_))));
        if given {
            // The unit's figures already given in another file (or row of the long format).
            let before = cols.iter().find_map(|col| match col {
                Col::Indicator(ii) => seen_all.get(*ii, ui),
                _ => None,
            });
            if let Some((first_file, first)) = before {
                errors.push(
                    Diagnostic::error(
                        Kind::Duplicate,
                        format!("{} ({})'s figures are given twice", unit.name, unit.id),
                    )
                    .at(file, row.span.clone(), "given again here")
                    .also(first_file, first, "first given here")
                    .help("keep each unit's figures in one file"),
                );
                continue;
            }
            for col in &cols {
                if let Col::Indicator(ii) = col {
                    if slots.get(*ii, ui).is_some() {
                        seen_all.insert(*ii, ui, file, &row.span);
                    }
                }
            }
        }
        let mut any = false;
        for (col, cell) in cols.iter().zip(&row.cells) {
            match (col, cell) {
                (Col::UnitName, Some(c)) if c.text != unit.name => errors.push(
                    Diagnostic::error(Kind::Value, format!("the unit `{}` is {}, not {}", unit.id, unit.name, c.text))
                        .at(file, c.span.clone(), "another unit's name?")
                        .also(file, u.span.clone(), "the unit")
                        .help("check that the row's figures are this unit's: correct the unit id or the name"),
                ),
                (Col::Indicator(ii), Some(c)) => {
                    let ind = &campaign.indicators[*ii];
                    let Some(slot) = slots.get(*ii, ui) else {
                        errors.push(
                            Diagnostic::error(Kind::Reference, format!("`{}` does not apply to {} ({})", ind.id, unit.name, unit.id))
                                .at(file, c.span.clone(), "a value for a unit not scored on this indicator")
                                .also(ind.origin.file, ind.origin.span.clone(), "defined here")
                                .help("leave the cell empty, or add the unit (or its group) to the indicator's applies_to"),
                        );
                        continue;
                    };
                    any = true;
                    match c.measure(file, "the value", &ind.measure) {
                        Ok(x) => data.values[*ii][slot] = Some(x),
                        Err(e) => errors.push(e),
                    }
                }
                _ => {}
            }
        }
        if any {
            data.submitted[ui] = true;
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// `slots[indicator][unit]`: the unit's assignment index on the indicator, found in constant
/// time (national campaigns have hundreds of thousands of cells).
pub(super) struct Slots(Vec<Vec<u32>>);

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
pub(super) struct Seen(Vec<Vec<[u32; 3]>>);

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
