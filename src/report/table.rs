//! The terminal report: one aligned table per group (CJK characters count two columns),
//! then the warnings, red first.

use comfy_table::{presets, CellAlignment, ContentArrangement, Table};

use super::{headings, row, warning_summary};
use crate::result::PeriodResult;

pub fn render(result: &PeriodResult) -> String {
    let mut out = format!(
        "{} · {}（{}）\n",
        result.campaign, result.period_label, result.period
    );
    for g in &result.groups {
        out.push_str(&format!("\n【{}】{} 个单位\n", g.name, g.units.len()));
        let mut t = Table::new();
        t.load_preset(presets::ASCII_BORDERS_ONLY_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(headings(result));
        for u in &g.units {
            t.add_row(row(result, u));
        }
        let n = headings(result).len();
        for i in (0..n).filter(|&i| i == 0 || (2..n - 3).contains(&i) || i == n - 3) {
            if let Some(col) = t.column_mut(i) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    out.push_str(&format!("\n预警：{}\n", warning_summary(result)));
    for w in &result.warnings {
        out.push_str(&format!("  [{}] {}\n", w.level.label_zh(), w.message));
    }
    out
}
