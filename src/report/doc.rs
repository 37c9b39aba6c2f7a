//! A report as headings, tables and lines of text, rendered for a terminal (aligned, CJK
//! characters two columns wide), as Markdown, or (tables only) as CSV safe to open in Excel.

use comfy_table::{presets, CellAlignment, ContentArrangement, Table};

use crate::diag::visible;

/// A report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(String),
    Table(Grid),
    /// Lines of text, e.g. the warnings.
    Lines(Vec<String>),
}

/// A table of text cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grid {
    pub headings: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Right-aligned (numeric) columns.
    pub numeric: Vec<bool>,
}

impl Grid {
    pub fn new(headings: Vec<String>, numeric: Vec<bool>) -> Grid {
        Grid {
            headings,
            rows: Vec::new(),
            numeric,
        }
    }
}

impl Document {
    pub fn new(title: impl Into<String>) -> Document {
        Document {
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    pub fn heading(&mut self, h: impl Into<String>) {
        self.blocks.push(Block::Heading(h.into()));
    }

    pub fn table(&mut self, g: Grid) {
        self.blocks.push(Block::Table(g));
    }

    pub fn lines(&mut self, lines: Vec<String>) {
        self.blocks.push(Block::Lines(lines));
    }

    /// For a terminal: control characters in names and cells are made visible
    /// ([`visible`]) before the columns are measured.
    pub fn to_text(&self) -> String {
        let shown = |c: &String| visible(c).into_owned();
        let mut out = format!("{}\n", visible(&self.title));
        for b in &self.blocks {
            match b {
                Block::Heading(h) => out.push_str(&format!("\n{}\n", visible(h))),
                Block::Table(g) => {
                    let mut t = Table::new();
                    t.load_preset(presets::ASCII_BORDERS_ONLY_CONDENSED)
                        .set_content_arrangement(ContentArrangement::Disabled)
                        .set_header(g.headings.iter().map(shown));
                    for r in &g.rows {
                        t.add_row(r.iter().map(shown));
                    }
                    for (i, numeric) in g.numeric.iter().enumerate() {
                        if let (true, Some(col)) = (*numeric, t.column_mut(i)) {
                            col.set_cell_alignment(CellAlignment::Right);
                        }
                    }
                    out.push_str(&t.to_string());
                    out.push('\n');
                }
                Block::Lines(lines) => {
                    for l in lines {
                        out.push_str(&format!("  {}\n", visible(l)));
                    }
                }
            }
        }
        out
    }

    /// As Markdown, with text from rules or data escaped.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("# {}\n", escape(&self.title));
        for b in &self.blocks {
            match b {
                Block::Heading(h) => out.push_str(&format!("\n## {}\n\n", escape(h))),
                Block::Table(g) => {
                    let cells =
                        |r: &[String]| r.iter().map(|c| escape(c)).collect::<Vec<_>>().join(" | ");
                    out.push_str(&format!("| {} |\n", cells(&g.headings)));
                    let align: Vec<&str> = g
                        .numeric
                        .iter()
                        .map(|n| if *n { "---:" } else { ":---" })
                        .collect();
                    out.push_str(&format!("| {} |\n", align.join(" | ")));
                    for r in &g.rows {
                        out.push_str(&format!("| {} |\n", cells(r)));
                    }
                }
                Block::Lines(lines) => {
                    for l in lines {
                        out.push_str(&format!("- {}\n", escape(l)));
                    }
                }
            }
        }
        out
    }
}

/// One table as CSV: numbers stay numbers, "—" is an empty cell, and text that Excel would
/// take for a formula (starting with =, +, -, @) is prefixed with `'`.
pub fn to_csv(g: &Grid) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(g.headings.iter().map(|h| defuse(h)));
    for r in &g.rows {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                // A finite number only: "-inf" or "NaN" is text, and defused like any text.
                let numeric = g.numeric.get(i).copied().unwrap_or(false)
                    && cell.parse::<f64>().is_ok_and(f64::is_finite)
                    && !cell.contains(char::is_alphabetic);
                match cell.as_str() {
                    "—" => String::new(),
                    _ if numeric => cell.clone(),
                    _ => defuse(cell),
                }
            })
            .collect();
        let _ = w.write_record(&cells);
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
    use super::*;

    #[test]
    fn markdown_escapes_and_csv_defuses() {
        assert_eq!(escape("a|b*c"), "a\\|b\\*c");
        assert_eq!(defuse("=1+1"), "'=1+1");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        let mut g = Grid::new(vec!["单位".into(), "分".into()], vec![false, true]);
        g.rows
            .push(vec!["=HYPERLINK(\"x\")".into(), "-1.00".into()]);
        g.rows.push(vec!["赤坎区".into(), "—".into()]);
        g.rows.push(vec!["+x".into(), "-inf".into()]);
        assert_eq!(
            to_csv(&g),
            "单位,分\n\"'=HYPERLINK(\"\"x\"\")\",-1.00\n赤坎区,\n'+x,'-inf\n"
        );
    }

    #[test]
    fn text_aligns_numbers_right() {
        let mut d = Document::new("标题");
        let mut g = Grid::new(vec!["单位".into(), "总分".into()], vec![false, true]);
        g.rows.push(vec!["赤坎区".into(), "9.5".into()]);
        g.rows
            .push(vec!["南三岛滨海旅游示范区".into(), "100.25".into()]);
        d.table(g);
        let text = d.to_text();
        // 赤坎区 is 6 columns wide and 南三岛滨海旅游示范区 20: both pad to the same width,
        // and the numbers end in the same column.
        assert!(text.contains("| 赤坎区                    9.5 |"), "{text}");
        assert!(text.contains("| 南三岛滨海旅游示范区   100.25 |"), "{text}");
    }

    #[test]
    fn text_shows_control_characters_escaped_and_aligned() {
        let mut d = Document::new("标题\u{1b}]0;owned\u{7}");
        let mut g = Grid::new(vec!["单位".into(), "总分".into()], vec![false, true]);
        g.rows.push(vec!["甲\u{1b}[2J县".into(), "9.5".into()]);
        g.rows.push(vec!["乙县".into(), "10".into()]);
        d.table(g);
        d.lines(vec!["\r覆盖".into()]);
        let text = d.to_text();
        assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{text:?}");
        assert!(text.starts_with("标题\\u001b]0;owned\\u0007\n"), "{text}");
        assert!(text.contains("| 甲\\u001b[2J县    9.5 |"), "{text}");
        assert!(text.contains("| 乙县              10 |"), "{text}");
        assert!(text.contains("  \\r覆盖\n"), "{text}");
    }
}
