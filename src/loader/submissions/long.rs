//! metrics in the long layout, `unit,indicator,value`: one row per figure, each a [`Line`]
//! of one figure for the checks of [`Figures`].

use super::metrics::{Figure, Figures, Layout, Line, Named};
use crate::diag::{Diagnostic, Sources};
use crate::loader::csv_table::{self, Column};

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

/// Reads a long metrics file into `check`; the file's own errors (its header, ragged rows)
/// are returned.
pub(super) fn read(
    sources: &Sources,
    check: &mut Figures,
    raw: csv_table::Raw,
) -> Result<(), Vec<Diagnostic>> {
    // Columns a unit's template adds for the reader are not read.
    let raw = raw.without(|h| INFO_COLUMNS.iter().any(|c| c.eq_ignore_ascii_case(h)));
    let table = csv_table::table(sources, raw, &METRIC_COLUMNS)?;
    for row in &table.rows {
        let (Some(unit), Some(indicator)) = (&row.cells[0], &row.cells[1]) else {
            check.incomplete(Layout::Long, row.span.clone());
            continue;
        };
        let figure = Figure {
            indicator: Named::Cell(indicator),
            value: row.cells[2].as_ref(),
            at: row.span.clone(),
        };
        check.line(
            Layout::Long,
            Line {
                span: row.span.clone(),
                unit,
                names: &[],
                figures: std::slice::from_ref(&figure),
            },
        );
    }
    Ok(())
}
