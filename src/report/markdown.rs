//! A Markdown bulletin: a table per group and the warnings, ready to paste into a document.

use super::{headings, row, warning_summary};
use crate::result::PeriodResult;

pub fn render(result: &PeriodResult) -> String {
    let mut out = format!("# {} · {}\n", escape(&result.campaign), result.period_label);
    let h = headings(result);
    for g in &result.groups {
        out.push_str(&format!("\n## {}\n\n", escape(&g.name)));
        out.push_str(&format!("| {} |\n", h.join(" | ")));
        let align: Vec<&str> = (0..h.len())
            .map(|i| {
                if i == 1 || i + 2 >= h.len() {
                    ":---"
                } else {
                    "---:"
                }
            })
            .collect();
        out.push_str(&format!("| {} |\n", align.join(" | ")));
        for u in &g.units {
            let cells: Vec<String> = row(result, u).iter().map(|c| escape(c)).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
    }
    out.push_str(&format!("\n## 预警\n\n{}。\n\n", warning_summary(result)));
    for w in &result.warnings {
        out.push_str(&format!(
            "- **{}** {}\n",
            w.level.label_zh(),
            escape(&w.message)
        ));
    }
    out
}

/// Text from rules or data can hold characters Markdown would read as syntax.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(
            ch,
            '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '\\'
        ) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markdown_syntax() {
        assert_eq!(super::escape("a|b*c"), "a\\|b\\*c");
        assert_eq!(super::escape("赤坎区"), "赤坎区");
    }
}
