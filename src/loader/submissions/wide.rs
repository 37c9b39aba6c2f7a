//! metrics in the wide layout, `unit,gdp,invest,…` (indicator ids or names as headers): the
//! header read once into columns, then each row a [`Line`] of the unit's figures for the
//! checks of [`Figures`]. A blank cell is a missing value; a row with every cell blank is a
//! unit that sent nothing; a column for an indicator that does not apply to a row's unit
//! must be blank there.

use std::collections::HashMap;
use std::ops::Range;

use super::long::METRIC_COLUMNS;
use super::metrics::{Figure, Figures, Layout, Line, Named};
use crate::campaign::Campaign;
use crate::diag::{Diagnostic, Kind};
use crate::loader::csv_table::{self, Cell, Column};

fn is_header(text: &str, column: &Column) -> bool {
    column.name.eq_ignore_ascii_case(text)
        || column.aliases.iter().any(|a| a.eq_ignore_ascii_case(text))
}

/// The wide format: the first column is the unit, and no column is `indicator`: one row per
/// unit, one column per indicator.
pub(super) fn is_wide(header: &[Cell], campaign: &Campaign) -> bool {
    header
        .first()
        .is_some_and(|h| is_header(&h.text, &METRIC_COLUMNS[0]))
        && !header.iter().any(|c| {
            is_header(&c.text, &METRIC_COLUMNS[1]) || is_header(&c.text, &METRIC_COLUMNS[2])
        })
        && header.iter().any(|c| {
            campaign
                .indicators
                .iter()
                .any(|i| i.id == c.text || i.name == c.text)
        })
}

/// Field index → what the column holds.
enum Col {
    Unit,
    UnitName,
    Indicator(usize),
    Skip,
}

/// Reads a wide metrics file into `check`. Its rows are not read when a row is ragged or a
/// column is not an indicator's.
pub(super) fn read(check: &mut Figures, raw: csv_table::Raw) {
    let csv_table::Raw {
        file,
        header,
        rows,
        row_errors,
    } = raw;
    let before = check.errors.len();
    check.errors.extend(row_errors);
    let mut cols = Vec::new();
    let mut seen: HashMap<usize, Range<usize>> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
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
        let Some(ii) = check.indicator(Layout::Wide, h, h.span.clone()) else {
            cols.push(Col::Skip);
            continue;
        };
        if let Some(first) = seen.get(&ii) {
            let ind = &check.campaign().indicators[ii];
            check.errors.push(
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
    if check.errors.len() > before {
        return;
    }
    // One buffer of each for every row.
    let mut names: Vec<&Cell> = Vec::new();
    let mut figures: Vec<Figure> = Vec::new();
    for row in &rows {
        let Some(unit) = &row.cells[0] else {
            check.incomplete(Layout::Wide, row.span.clone());
            continue;
        };
        names.clear();
        figures.clear();
        for (col, cell) in cols.iter().zip(&row.cells) {
            match col {
                Col::UnitName => names.extend(cell),
                Col::Indicator(ii) => figures.push(Figure {
                    indicator: Named::Known(*ii),
                    value: cell.as_ref(),
                    at: cell.as_ref().map_or(row.span.clone(), |c| c.span.clone()),
                }),
                Col::Unit | Col::Skip => {}
            }
        }
        check.line(
            Layout::Wide,
            Line {
                span: row.span.clone(),
                unit,
                names: &names,
                figures: &figures,
            },
        );
    }
}
