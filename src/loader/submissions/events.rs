//! events.csv: what happened to a unit in the period (its kind, date and a note), each
//! dated within the period.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::super::rules::unknown_id;
use crate::campaign::Campaign;
use crate::data::{Event, PeriodData};
use crate::diag::{Diagnostic, FileId, Kind, Sources};
use crate::loader::csv_table::{self, Column};
use crate::period::Period;

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

/// Reads the events into `data`, adding any problem to `errors`.
pub(super) fn read(
    sources: &Sources,
    campaign: &Campaign,
    period: Period,
    file: FileId,
    data: &mut PeriodData,
    errors: &mut Vec<Diagnostic>,
) {
    let units: HashMap<&str, usize> = campaign
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.as_str(), i))
        .collect();
    let unit_ids = || campaign.units.iter().map(|u| u.id.as_str());
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
