//! events.csv: what happened to a unit in the period (its kind, date and a note), each
//! dated within the period, of a kind the campaign declares (`[[event_kind]]`), and each
//! given once: the same event twice would count twice.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::super::rules::unknown_id;
use crate::campaign::Campaign;
use crate::data::{Event, PeriodData};
use crate::diag::{did_you_mean, Diagnostic, FileId, Kind, Sources};
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
    let kinds: HashMap<&str, usize> = campaign
        .event_kinds
        .iter()
        .enumerate()
        .map(|(i, k)| (k.name.as_str(), i))
        .collect();
    match csv_table::read(sources, file, &EVENT_COLUMNS) {
        Err(mut e) => errors.append(&mut e),
        Ok(table) => {
            // Each event read, by what it says, and the row that first said it.
            let mut seen: HashMap<(usize, usize, NaiveDate, &str), std::ops::Range<usize>> =
                HashMap::new();
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
                let Some(&kind_index) = kinds.get(k.text.as_str()) else {
                    errors.push(unknown_kind(campaign, file, &k.text, k.span.clone()));
                    continue;
                };
                let note = row.cells[3].as_ref().map_or("", |c| c.text.as_ref());
                if let Some(first) = seen.get(&(ui, kind_index, date, note)) {
                    errors.push(
                        Diagnostic::error(
                            Kind::Duplicate,
                            format!(
                                "this {} event of {} on {date} is given twice",
                                k.text, campaign.units[ui].name
                            ),
                        )
                        .at(file, row.span.clone(), "again here")
                        .also(file, first.clone(), "first here")
                        .help("delete the repeated row: each row is one event and counts once; two events of a kind on one day need notes that tell them apart"),
                    );
                    continue;
                }
                seen.insert((ui, kind_index, date, note), row.span.clone());
                data.events[ui].push(Event {
                    kind: k.text.to_string(),
                    kind_index,
                    date,
                    note: note.to_string(),
                });
            }
        }
    }
}

/// An event of a kind the campaign does not declare, with the nearest declared kind.
fn unknown_kind(
    campaign: &Campaign,
    file: FileId,
    kind: &str,
    span: std::ops::Range<usize>,
) -> Diagnostic {
    let declared: Vec<&str> = campaign
        .event_kinds
        .iter()
        .map(|k| k.name.as_str())
        .collect();
    let help = match did_you_mean(kind, declared.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? The campaign's event kinds: {}", declared.join("、")),
        None if declared.is_empty() => format!(
            "the campaign declares no event kinds: declare each kind events.csv may name in campaign.toml, e.g. [[event_kind]] name = \"{kind}\""
        ),
        None => format!(
            "the campaign's event kinds: {}; a new kind is declared in campaign.toml as [[event_kind]] name = \"{kind}\"",
            declared.join("、")
        ),
    };
    let mut d = Diagnostic::error(Kind::Reference, format!("unknown event kind `{kind}`"))
        .at(file, span, "not a declared kind of event")
        .help(help);
    if let Some(k) = campaign
        .event_kinds
        .iter()
        .find(|k| Some(k.name.as_str()) == did_you_mean(kind, declared.iter().copied()))
    {
        d = d.also(k.origin.file, k.origin.span.clone(), "declared here");
    }
    d
}
