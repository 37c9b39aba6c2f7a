//! Reads the key work items (items.csv in the campaign folder):
//! `id,title,owner,category,start,due,milestones`, where milestones are written
//! `2023-03-31 20%; 2023-06-30 50%`.

use std::collections::HashMap;
use std::ops::Range;

use chrono::NaiveDate;

use super::csv_table::{self, Cell, Column};
use super::unknown_id;
use crate::campaign::Unit;
use crate::diag::{Diagnostic, FileId, Kind, Origin, Sources};
use crate::item::Item;

const ITEM_COLUMNS: [Column; 7] = [
    Column {
        name: "id",
        aliases: &["编号"],
        required: true,
    },
    Column {
        name: "title",
        aliases: &["名称", "事项"],
        required: true,
    },
    Column {
        name: "owner",
        aliases: &["责任单位", "单位"],
        required: true,
    },
    Column {
        name: "category",
        aliases: &["类别"],
        required: false,
    },
    Column {
        name: "start",
        aliases: &["开始日期", "开始"],
        required: true,
    },
    Column {
        name: "due",
        aliases: &["完成时限", "截止日期"],
        required: true,
    },
    Column {
        name: "milestones",
        aliases: &["节点", "时序进度"],
        required: false,
    },
];

/// Parses a date cell, `YYYY-MM-DD`.
pub(super) fn date(file: FileId, cell: &Cell, what: &str) -> Result<NaiveDate, Diagnostic> {
    NaiveDate::parse_from_str(&cell.text, "%Y-%m-%d").map_err(|_| {
        Diagnostic::error(Kind::Value, format!("{what} `{}` is not a date", cell.text))
            .at(file, cell.span.clone(), "expected YYYY-MM-DD")
            .help("write dates as year-month-day, e.g. 2023-06-30")
    })
}

pub(super) fn read(
    sources: &Sources,
    file: FileId,
    units: &[Unit],
    units_reported: &dyn Fn(&str) -> bool,
) -> Result<(Vec<Item>, Vec<String>), Vec<Diagnostic>> {
    let table = csv_table::read(sources, file, &ITEM_COLUMNS)?;
    // Each distinct category, in order of first appearance; items refer to them by position.
    let mut categories: Vec<String> = Vec::new();
    let unit_ix: HashMap<&str, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.as_str(), i))
        .collect();
    let mut errors = Vec::new();
    let mut items = Vec::new();
    let mut seen: HashMap<String, Range<usize>> = HashMap::new();
    for row in &table.rows {
        let [Some(id), Some(title), Some(owner), category, Some(start), Some(due), milestones] =
            &row.cells[..]
        else {
            errors.push(
                Diagnostic::error(
                    Kind::Value,
                    "this item is missing its id, title, owner, start or due date",
                )
                .at(file, row.span.clone(), "incomplete row")
                .help("fill in id, title, owner, start and due on every row"),
            );
            continue;
        };
        errors.extend(super::ids::check(file, &id.text, id.span.clone(), "item"));
        if let Some(first) = seen.get(id.text.as_str()) {
            errors.push(
                Diagnostic::error(
                    Kind::Duplicate,
                    format!("the item `{}` is listed twice", id.text),
                )
                .at(file, id.span.clone(), "listed again here")
                .also(file, first.clone(), "first listed here")
                .help("give each item its own id"),
            );
            continue;
        }
        seen.insert(id.text.to_string(), id.span.clone());
        let Some(&owner_ix) = unit_ix.get(owner.text.as_str()) else {
            if !units_reported(&owner.text) {
                errors.push(unknown_id(
                    file,
                    &owner.text,
                    owner.span.clone(),
                    "unit",
                    units.iter().map(|u| u.id.as_str()),
                    "an item's owner is a unit id from units.csv",
                ));
            }
            continue;
        };
        let (start_d, due_d) = match (
            date(file, start, "the start"),
            date(file, due, "the due date"),
        ) {
            (Ok(s), Ok(d)) => (s, d),
            (a, b) => {
                errors.extend(a.err());
                errors.extend(b.err());
                continue;
            }
        };
        if due_d < start_d {
            errors.push(
                Diagnostic::error(
                    Kind::Value,
                    format!(
                        "the item `{}` is due ({due_d}) before it starts ({start_d})",
                        id.text
                    ),
                )
                .at(file, due.span.clone(), "due date")
                .also(file, start.span.clone(), "start")
                .help("correct the start or the due date"),
            );
            continue;
        }
        let ms = match milestones {
            Some(c) => match parse_milestones(file, c, start_d, due_d) {
                Ok(m) => m,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            },
            None => Vec::new(),
        };
        items.push(Item {
            id: id.text.to_string(),
            title: title.text.to_string(),
            owner: owner_ix,
            category: {
                let name = category.as_ref().map_or("", |c| &*c.text);
                match categories.iter().position(|c| c == name) {
                    Some(k) => k,
                    None => {
                        categories.push(name.to_string());
                        categories.len() - 1
                    }
                }
            },
            start: start_d,
            due: due_d,
            milestones: ms,
            origin: Origin {
                file,
                span: id.span.clone(),
            },
        });
    }
    if errors.is_empty() {
        Ok((items, categories))
    } else {
        Err(errors)
    }
}

/// `2023-03-31 20%; 2023-06-30 50%`: dates strictly inside (start, due), both increasing.
fn parse_milestones(
    file: FileId,
    cell: &Cell,
    start: NaiveDate,
    due: NaiveDate,
) -> Result<Vec<(NaiveDate, f64)>, Diagnostic> {
    let bad = |why: &str| {
        Diagnostic::error(Kind::Value, format!("these milestones cannot be used: {why}"))
            .at(file, cell.span.clone(), "milestones")
            .help("write each milestone as a date and a planned progress, separated by semicolons: 2023-03-31 20%; 2023-06-30 50%")
    };
    let mut out: Vec<(NaiveDate, f64)> = Vec::new();
    for part in cell
        .text
        .split([';', '；'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (d, p) = part
            .split_once(char::is_whitespace)
            .ok_or_else(|| bad(&format!("`{part}` has no progress")))?;
        let d = NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
            .map_err(|_| bad(&format!("`{d}` is not a date")))?;
        let p_text = p.trim().trim_end_matches(['%', '％']);
        let p: f64 = csv_table::parse_number(p_text)
            .ok_or_else(|| bad(&format!("`{}` is not a percentage", p.trim())))?;
        if !(d > start && d < due) {
            return Err(bad(&format!(
                "{d} is not between the start {start} and the due date {due}"
            )));
        }
        if !(0.0..=100.0).contains(&p) {
            return Err(bad(&format!("{p}% is not between 0% and 100%")));
        }
        if let Some(&(pd, pp)) = out.last() {
            if d <= pd || p < pp {
                return Err(bad("dates must increase, and progress must not go down"));
            }
        }
        out.push((d, p));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milestones_parse_and_are_checked() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let cell = |t: &str| Cell {
            text: t.into(),
            span: 0..t.len(),
        };
        let (s, e) = (d("2023-01-01"), d("2023-12-31"));
        let m = parse_milestones(0, &cell("2023-03-31 20%; 2023-06-30 50％"), s, e).unwrap();
        assert_eq!(m, vec![(d("2023-03-31"), 20.0), (d("2023-06-30"), 50.0)]);
        assert!(parse_milestones(0, &cell("2023-06-30 50%; 2023-03-31 60%"), s, e).is_err());
        assert!(parse_milestones(0, &cell("2024-03-31 20%"), s, e).is_err());
        assert!(parse_milestones(0, &cell("2023-03-31 120%"), s, e).is_err());
        assert!(parse_milestones(0, &cell("2023-03-31"), s, e).is_err());
    }
}
