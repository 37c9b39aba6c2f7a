//! Reading CSV files with every cell's position, so that a bad cell is reported by file, line
//! and column. Headers are matched by name (English or Chinese), in any order.

use std::ops::Range;

use crate::diag::{did_you_mean, Diagnostic, FileId, Kind, Sources};

/// A column a table may have.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    /// Other headers accepted for it, e.g. Chinese ones.
    pub aliases: &'static [&'static str],
    pub required: bool,
}

/// A cell's text (trimmed) and its byte span in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// The whole line, for messages about the row.
    pub span: Range<usize>,
    /// One entry per requested column; `None` when the column is absent or the cell empty.
    pub cells: Vec<Option<Cell>>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub file: FileId,
    pub rows: Vec<Row>,
}

/// Reads a CSV file already registered in `sources`.
pub fn read(sources: &Sources, file: FileId, columns: &[Column]) -> Result<Table, Vec<Diagnostic>> {
    let text = sources.text(file);
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&text.as_bytes()[bom..]);
    let mut errors = Vec::new();
    let mut header: Option<Vec<Option<usize>>> = None; // field index → column index
    let mut width = 0;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize + bom);
                errors.push(
                    Diagnostic::error(
                        Kind::Csv,
                        format!("this CSV file cannot be read: {}", csv_error(&e)),
                    )
                    .at(file, at..sources.span_to_line_end(file, at).end, "here")
                    .help("save the file as CSV (UTF-8) and check that quotes are closed"),
                );
                break;
            }
        };
        let start = record.position().map_or(0, |p| p.byte() as usize) + bom;
        let spans = field_spans(text, start, record.len());
        let line = start..sources.span_to_line_end(file, start).end;
        let Some(map) = &header else {
            match match_header(sources, file, &record, &spans, columns) {
                Ok(m) => {
                    width = record.len();
                    header = Some(m);
                }
                Err(mut e) => {
                    errors.append(&mut e);
                    break;
                }
            }
            continue;
        };
        if record.len() != width {
            errors.push(
                Diagnostic::error(
                    Kind::Csv,
                    format!("this row has {} fields but the header has {width}", record.len()),
                )
                .at(file, line.clone(), format!("{} fields", record.len()))
                .help("every row needs one field per header column; a comma inside a value must be quoted: \"1,234\""),
            );
            continue;
        }
        let mut cells = vec![None; columns.len()];
        for (i, field) in record.iter().enumerate() {
            if let Some(c) = map[i] {
                let trimmed = field.trim();
                if !trimmed.is_empty() {
                    cells[c] = Some(Cell {
                        text: trimmed.to_string(),
                        span: spans[i].clone(),
                    });
                }
            }
        }
        rows.push(Row { span: line, cells });
    }
    if header.is_none() && errors.is_empty() {
        let names: Vec<_> = columns.iter().map(|c| c.name).collect();
        errors.push(
            Diagnostic::error(Kind::Csv, "this CSV file is empty")
                .at(file, 0..0, "no header row")
                .help(format!(
                    "start the file with a header row: {}",
                    names.join(",")
                )),
        );
    }
    if errors.is_empty() {
        Ok(Table { file, rows })
    } else {
        Err(errors)
    }
}

fn match_header(
    sources: &Sources,
    file: FileId,
    record: &csv::StringRecord,
    spans: &[Range<usize>],
    columns: &[Column],
) -> Result<Vec<Option<usize>>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut map = Vec::with_capacity(record.len());
    let mut seen: Vec<Option<usize>> = vec![None; columns.len()];
    // Columns an unknown header was taken for ("did you mean"): not reported missing too.
    let mut suggested: Vec<&str> = Vec::new();
    let expected = columns
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ");
    for (i, name) in record.iter().enumerate() {
        let name = name.trim();
        let found = columns.iter().position(|c| {
            c.name.eq_ignore_ascii_case(name)
                || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        });
        match found {
            Some(c) => {
                if let Some(first) = seen[c] {
                    errors.push(
                        Diagnostic::error(
                            Kind::Csv,
                            format!("the column `{}` appears twice", columns[c].name),
                        )
                        .at(file, spans[i].clone(), "again here")
                        .also(file, spans[first].clone(), "first here")
                        .help("delete one of the two columns"),
                    );
                }
                seen[c] = Some(i);
                map.push(Some(c));
            }
            None => {
                let all = columns
                    .iter()
                    .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()));
                let hint = match did_you_mean(name, all) {
                    Some(s) => {
                        suggested.push(s);
                        format!("did you mean `{s}`? The columns of this file are: {expected}")
                    }
                    None => format!("the columns of this file are: {expected}"),
                };
                errors.push(
                    Diagnostic::error(Kind::Csv, format!("unknown column `{name}`"))
                        .at(file, spans[i].clone(), "not a column of this file")
                        .help(hint),
                );
                map.push(None);
            }
        }
    }
    for (c, col) in columns.iter().enumerate() {
        let near_miss = suggested
            .iter()
            .any(|s| *s == col.name || col.aliases.contains(s));
        if col.required && seen[c].is_none() && !near_miss {
            let line = spans.first().map_or(0, |s| s.start);
            errors.push(
                Diagnostic::error(Kind::Csv, format!("the column `{}` is missing", col.name))
                    .at(
                        file,
                        line..sources.span_to_line_end(file, line).end,
                        "header row",
                    )
                    .help(format!(
                        "add a `{}` column; the columns of this file are: {expected}",
                        col.name
                    )),
            );
        }
    }
    if errors.is_empty() {
        Ok(map)
    } else {
        Err(errors)
    }
}

fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "it is not UTF-8 text".into(),
        _ => e.to_string(),
    }
}

/// Byte spans of the `n` fields of the record starting at `start` (inside quotes for quoted
/// fields), found by scanning the raw text the way the CSV parser does.
fn field_spans(text: &str, start: usize, n: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut spans = Vec::with_capacity(n);
    let mut i = start;
    for _ in 0..n {
        if bytes.get(i) == Some(&b'"') {
            let open = i + 1;
            let mut j = open;
            while j < bytes.len() {
                if bytes[j] == b'"' {
                    if bytes.get(j + 1) == Some(&b'"') {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
            spans.push(open..j.min(bytes.len()));
            i = j + 1;
            while i < bytes.len() && !matches!(bytes[i], b',' | b'\n' | b'\r') {
                i += 1;
            }
        } else {
            let s = i;
            while i < bytes.len() && !matches!(bytes[i], b',' | b'\n' | b'\r') {
                i += 1;
            }
            // Point at the text, not the spaces around it.
            let field = &text[s..i];
            let lead = field.len() - field.trim_start().len();
            let trail = field.len() - field.trim_end().len();
            spans.push(s + lead..(i - trail).max(s + lead));
        }
        if bytes.get(i) == Some(&b',') {
            i += 1;
        }
    }
    spans
}

impl Cell {
    /// The cell as a number, or a diagnostic saying what it holds instead.
    pub fn number(&self, file: FileId, what: &str) -> Result<f64, Diagnostic> {
        let too_large = self
            .text
            .trim()
            .parse::<f64>()
            .is_ok_and(|v| v.abs() > MAX_NUMBER);
        parse_number(&self.text).ok_or_else(|| {
            if too_large {
                return Diagnostic::error(Kind::Value, format!("{what} `{}` is too large", self.text))
                    .at(file, self.span.clone(), "more than 10^12")
                    .help("check the unit of measure: jingbiao accepts numbers up to 10^12 (e.g. write 亿元, not 元)");
            }
            Diagnostic::error(Kind::Value, format!("{what} `{}` is not a number", self.text))
                .at(file, self.span.clone(), "expected a number")
                .help("write the number with digits and a decimal point, e.g. 6.5 (no units, no thousands separators)")
        })
    }
}

/// Parses a number as people type it into a CSV file.
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    let ok = !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if !ok {
        return None;
    }
    t.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && v.abs() <= MAX_NUMBER)
}

/// The largest number jingbiao accepts in data: far beyond any real figure, well inside what
/// published decimals can hold exactly.
pub const MAX_NUMBER: f64 = 1e12;

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: [Column; 3] = [
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
            aliases: &["数值"],
            required: false,
        },
    ];

    fn read_text(text: &str) -> (Sources, Result<Table, Vec<Diagnostic>>) {
        let mut s = Sources::new();
        let f = s.add("m.csv", text);
        let t = read(&s, f, &COLS);
        (s, t)
    }

    #[test]
    fn cells_carry_their_positions() {
        let text = "\u{feff}单位,value,指标\nchikan, 5.8 ,\"gdp, real\"\n";
        let (s, t) = read_text(text);
        let t = t.unwrap();
        let row = &t.rows[0];
        let value = row.cells[2].as_ref().unwrap();
        assert_eq!(value.text, "5.8");
        assert_eq!(&text[value.span.clone()], "5.8");
        assert_eq!(s.line_col(t.file, value.span.start), (2, 9));
        let ind = row.cells[1].as_ref().unwrap();
        assert_eq!(&text[ind.span.clone()], "gdp, real");
    }

    #[test]
    fn empty_cells_are_none() {
        let (_, t) = read_text("unit,indicator,value\nchikan,gdp,\n");
        assert_eq!(t.unwrap().rows[0].cells[2], None);
    }

    #[test]
    fn header_problems_are_all_reported() {
        let (_, t) = read_text("unit,indicatr,valeu\n");
        let errs = t.unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs[0]
            .help
            .as_ref()
            .unwrap()
            .contains("did you mean `indicator`"));
    }

    #[test]
    fn ragged_rows_are_errors() {
        let (_, t) = read_text("unit,indicator,value\na,b,1,2\n");
        assert_eq!(t.unwrap_err()[0].kind, Kind::Csv);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number(" 5.80 "), Some(5.8));
        assert_eq!(parse_number("-3"), Some(-3.0));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("1,234"), None);
        assert_eq!(parse_number("1e30"), None);
    }
}
