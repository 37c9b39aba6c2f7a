//! progress.csv: each key work item's cumulative progress and completion date, checked
//! against the items of the campaign and the period's end.

use std::collections::HashMap;

use super::super::rules::unknown_id;
use crate::campaign::Campaign;
use crate::data::ItemReport;
use crate::diag::Origin;
use crate::diag::{Diagnostic, FileId, Kind, Sources};
use crate::item::Report;
use crate::loader::csv_table::{self, Column};
use crate::period::Period;

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
pub(super) fn read(
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
            Some(c) => match super::super::items::date(file, c, "the completion date") {
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
