//! The league tables as CSV, one row per unit, safe to open in Excel: a cell that starts
//! with `=`, `+`, `-` or `@` is text from rules or data, never a formula.

use super::{headings, row};
use crate::result::PeriodResult;

pub fn render(result: &PeriodResult) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut header = vec!["分组".to_string()];
    header.extend(headings(result));
    let _ = w.write_record(&header);
    for g in &result.groups {
        for u in &g.units {
            let mut r = vec![defuse(&g.name)];
            for (i, cell) in row(result, u).into_iter().enumerate() {
                // Numbers stay numbers; only text columns can carry a formula. A dash for
                // "none" is an empty cell, which a spreadsheet reads as blank.
                let numeric = i != 1 && cell.parse::<f64>().is_ok();
                r.push(match cell.as_str() {
                    "—" => String::new(),
                    _ if numeric => cell,
                    _ => defuse(&cell),
                });
            }
            let _ = w.write_record(&r);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Prefixes a `'` to text Excel would take for a formula.
fn defuse(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        assert_eq!(super::defuse("=1+1"), "'=1+1");
        assert_eq!(super::defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::defuse("赤坎区"), "赤坎区");
    }
}
