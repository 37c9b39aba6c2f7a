//! metrics in the long layout, `unit,indicator,value`: one row per figure, each a [`Line`]
//! of one figure for the checks of [`Figures`].

use super::metrics::{Figure, Figures, Layout, Line, Named};
use crate::diag::{Diagnostic, Sources};
use crate::loader::csv_table::{self, Cell, Column};

pub(super) const METRIC_COLUMNS: [Column; 3] = [
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

/// Reads a long metrics file into `check`, row by row as the file is read (a national
/// period is hundreds of thousands of rows, never held whole); the file's own errors (its
/// header, ragged rows, text that is not CSV) are returned, and then its rows' other
/// problems are not reported.
pub(super) fn read(
    sources: &Sources,
    check: &mut Figures,
    mut stream: csv_table::Stream,
) -> Result<(), Vec<Diagnostic>> {
    // Columns a unit's template adds for the reader are not read.
    let info = |h: &Cell| INFO_COLUMNS.iter().any(|c| c.eq_ignore_ascii_case(&h.text));
    let kept: Vec<Cell> = stream.header.iter().filter(|h| !info(h)).cloned().collect();
    let map = csv_table::match_header(sources, stream.file, &kept, &METRIC_COLUMNS)?;
    // Field index → column (`None`: a column for the reader).
    let mut map = map.into_iter();
    let to_column: Vec<Option<usize>> = stream
        .header
        .iter()
        .map(|h| if info(h) { None } else { map.next().flatten() })
        .collect();
    let before = check.errors.len();
    let mut fields: Vec<Option<Cell>> = Vec::new();
    loop {
        let span = match stream.next_row(&mut fields) {
            Ok(Some(span)) => span,
            Ok(None) => break,
            Err(e) => {
                check.errors.truncate(before);
                return Err(vec![e]);
            }
        };
        let mut row: [Option<Cell>; 3] = Default::default();
        for (cell, column) in fields.drain(..).zip(&to_column) {
            if let (Some(cell), Some(c)) = (cell, column) {
                row[*c] = Some(cell);
            }
        }
        let (Some(unit), Some(indicator)) = (&row[0], &row[1]) else {
            check.incomplete(Layout::Long, span);
            continue;
        };
        let figure = Figure {
            indicator: Named::Cell(indicator),
            value: row[2].as_ref(),
            at: span.clone(),
        };
        check.line(
            Layout::Long,
            Line {
                span,
                unit,
                names: &[],
                figures: std::slice::from_ref(&figure),
            },
        );
    }
    if !stream.row_errors.is_empty() {
        check.errors.truncate(before);
        return Err(stream.row_errors);
    }
    Ok(())
}
