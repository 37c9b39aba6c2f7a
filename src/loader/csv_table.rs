//! Reading CSV files with every cell's position, so that a bad cell is reported by file, line
//! and column. Headers are matched by name (English or Chinese), in any order.

use std::ops::Range;

use super::value::{self, NumberError};
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
    /// Short texts (ids, numbers, dates: almost every cell) are kept inline, without an
    /// allocation.
    pub text: Text,
    pub span: Range<usize>,
}

/// A cell's text.
pub type Text = smartstring::SmartString<smartstring::LazyCompact>;

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

/// A table's rows before its header is matched: every field, trimmed; `None` when empty.
#[derive(Debug, Clone)]
pub struct Raw {
    pub file: FileId,
    /// The header row's cells (empty headers have an empty text).
    pub header: Vec<Cell>,
    pub rows: Vec<Row>,
    /// Rows that cannot be read (a field count unlike the header's): reported once the
    /// header is known to be right.
    pub row_errors: Vec<Diagnostic>,
}

impl Raw {
    /// The table without the columns whose header `drop` picks (e.g. columns a template
    /// adds for the reader, such as the indicator's name).
    pub fn without(mut self, drop: impl Fn(&str) -> bool) -> Raw {
        let keep: Vec<bool> = self.header.iter().map(|h| !drop(&h.text)).collect();
        if keep.iter().all(|k| *k) {
            return self;
        }
        let filter = |cells: Vec<Option<Cell>>| -> Vec<Option<Cell>> {
            cells
                .into_iter()
                .zip(&keep)
                .filter_map(|(c, k)| k.then_some(c))
                .collect()
        };
        self.header = std::mem::take(&mut self.header)
            .into_iter()
            .zip(&keep)
            .filter_map(|(c, k)| k.then_some(c))
            .collect();
        for row in &mut self.rows {
            row.cells = filter(std::mem::take(&mut row.cells));
        }
        self
    }
}

/// Reads a table (a CSV file, or a worksheet converted to text by the loader) already
/// registered in `sources`, without interpreting its header. Rows with every field empty
/// (as spreadsheets export blank rows: `,,,`) are skipped.
/// `header`: the header row to suggest for an empty file.
pub fn read_raw(
    sources: &Sources,
    file: FileId,
    header_hint: &str,
) -> Result<Raw, Vec<Diagnostic>> {
    Stream::open(sources, file, header_hint)?.into_raw()
}

/// A table read row by row, each row's cells into a buffer the caller reuses: for the files
/// that are hundreds of thousands of rows (a national period's metrics), which are checked
/// as they are read and never held whole.
pub struct Stream<'s> {
    pub file: FileId,
    /// The header row's cells (empty headers have an empty text).
    pub header: Vec<Cell>,
    /// Rows that cannot be read (a field count unlike the header's), skipped by
    /// [`Stream::next_row`]: reported once the header is known to be right.
    pub row_errors: Vec<Diagnostic>,
    sources: &'s Sources,
    text: &'s str,
    bom: usize,
    reader: csv::Reader<&'s [u8]>,
    record: csv::StringRecord,
    /// Where the next line starts, when the text has no quotes and no lone carriage
    /// returns: then each line is a record and each comma ends a field, and the lines are
    /// split directly (what the CSV parser would find, without a second pass over each
    /// line for its fields' places).
    plain: Option<usize>,
}

impl<'s> Stream<'s> {
    /// Opens the table and reads its header row.
    pub fn open(
        sources: &'s Sources,
        file: FileId,
        header_hint: &str,
    ) -> Result<Stream<'s>, Vec<Diagnostic>> {
        Stream::open_with(sources, file, header_hint, true)
    }

    /// [`Stream::open`]; `allow_plain: false` always goes through the CSV parser.
    fn open_with(
        sources: &'s Sources,
        file: FileId,
        header_hint: &str,
        allow_plain: bool,
    ) -> Result<Stream<'s>, Vec<Diagnostic>> {
        let text = sources.text(file);
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&text.as_bytes()[bom..]);
        let plain = (allow_plain && is_plain(&text.as_bytes()[bom..])).then_some(bom);
        let mut stream = Stream {
            file,
            header: Vec::new(),
            row_errors: Vec::new(),
            sources,
            text,
            bom,
            reader,
            record: csv::StringRecord::new(),
            plain,
        };
        let mut header = Vec::new();
        match stream.record(&mut header, true) {
            Ok(Some(_)) => {
                stream.header = header.into_iter().flatten().collect();
                Ok(stream)
            }
            Ok(None) => Err(vec![Diagnostic::error(Kind::Csv, "this CSV file is empty")
                .at(file, 0..0, "no header row")
                .help(format!("start the file with a header row: {header_hint}"))]),
            Err(e) => Err(vec![e]),
        }
    }

    /// The rest of the table, held whole.
    pub fn into_raw(mut self) -> Result<Raw, Vec<Diagnostic>> {
        let mut rows = Vec::new();
        let mut cells = Vec::new();
        while let Some(span) = self.next_row(&mut cells).map_err(|e| vec![e])? {
            rows.push(Row {
                span,
                cells: std::mem::take(&mut cells),
            });
        }
        Ok(Raw {
            file: self.file,
            header: self.header,
            rows,
            row_errors: self.row_errors,
        })
    }

    /// The next row with a field that is not empty, its cells (one per header column;
    /// `None` for an empty field) into `cells`; returns the row's line. Rows whose field
    /// count differs from the header's are skipped and kept in `row_errors`. `None` at the
    /// end; an error where the text cannot be read as CSV (nothing after it is read).
    pub fn next_row(
        &mut self,
        cells: &mut Vec<Option<Cell>>,
    ) -> Result<Option<Range<usize>>, Diagnostic> {
        loop {
            let Some(line) = self.record(cells, false)? else {
                return Ok(None);
            };
            if cells.iter().all(Option::is_none) {
                continue;
            }
            let width = self.header.len();
            if cells.len() != width {
                self.row_errors.push(
                    Diagnostic::error(
                        Kind::Csv,
                        format!("this row has {} fields but the header has {width}", cells.len()),
                    )
                    .at(self.file, line.clone(), format!("{} fields", cells.len()))
                    .help("every row needs one field per header column; a comma inside a value must be quoted: \"1,234\""),
                );
                continue;
            }
            return Ok(Some(line));
        }
    }

    /// The next record, whatever its fields, into `cells` (empty fields as `None`, unless
    /// `keep_empty`: a header's empty cell is still a place to point at).
    fn record(
        &mut self,
        cells: &mut Vec<Option<Cell>>,
        keep_empty: bool,
    ) -> Result<Option<Range<usize>>, Diagnostic> {
        let (text, file, bom) = (self.text, self.file, self.bom);
        if let Some(pos) = &mut self.plain {
            return Ok(plain_record(text, pos, cells, keep_empty));
        }
        match self.reader.read_record(&mut self.record) {
            Ok(true) => {}
            Ok(false) => return Ok(None),
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize + bom);
                return Err(Diagnostic::error(
                    Kind::Csv,
                    format!("this CSV file cannot be read: {}", csv_error(&e)),
                )
                .at(
                    file,
                    at..self.sources.span_to_line_end(file, at).end,
                    "here",
                )
                .help("save the file as CSV (UTF-8) and check that quotes are closed"));
            }
        }
        let record = &self.record;
        let mut start = record.position().map_or(0, |p| p.byte() as usize) + bom;
        // After a `\r\n` line end (as Excel writes), the parser's position is at the `\n`.
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let line = start..self.sources.span_to_line_end(file, start).end;
        cells.clear();
        field_spans(text, start, record.len(), |i, span| {
            let field = record[i].trim();
            cells.push((keep_empty || !field.is_empty()).then(|| Cell {
                text: field.into(),
                span,
            }));
        });
        Ok(Some(line))
    }
}

/// Whether CSV text can be split by lines and commas alone: no quotes, and every carriage
/// return ends a line (`\r\n`).
fn is_plain(bytes: &[u8]) -> bool {
    !bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'"' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
}

/// The next record of plain text (see [`is_plain`]) from `pos`, as the CSV parser reads it:
/// empty lines are skipped; each field trimmed, its span the trimmed text.
fn plain_record(
    text: &str,
    pos: &mut usize,
    cells: &mut Vec<Option<Cell>>,
    keep_empty: bool,
) -> Option<Range<usize>> {
    loop {
        let start = *pos;
        if start >= text.len() {
            return None;
        }
        let rest = &text[start..];
        let end = start + rest.find('\n').unwrap_or(rest.len());
        *pos = end + 1;
        let line = text[start..end]
            .strip_suffix('\r')
            .unwrap_or(&text[start..end]);
        if line.is_empty() {
            continue;
        }
        cells.clear();
        let mut at = start;
        for field in line.split(',') {
            let lead = field.len() - field.trim_start().len();
            let trimmed = field.trim();
            cells.push((keep_empty || !trimmed.is_empty()).then(|| Cell {
                text: trimmed.into(),
                span: at + lead..at + lead + trimmed.len(),
            }));
            at += field.len() + 1;
        }
        return Some(start..start + line.len());
    }
}

/// Reads a table already registered in `sources`, matching its header to `columns`.
pub fn read(sources: &Sources, file: FileId, columns: &[Column]) -> Result<Table, Vec<Diagnostic>> {
    let names: Vec<_> = columns.iter().map(|c| c.name).collect();
    let raw = read_raw(sources, file, &names.join(","))?;
    table(sources, raw, columns)
}

/// Matches a raw table's header to `columns`: the table the loaders read.
pub fn table(sources: &Sources, raw: Raw, columns: &[Column]) -> Result<Table, Vec<Diagnostic>> {
    let file = raw.file;
    let map = match_header(sources, file, &raw.header, columns)?;
    if !raw.row_errors.is_empty() {
        return Err(raw.row_errors);
    }
    // Columns in the order asked for, and no others: the rows are already in shape.
    if map.len() == columns.len() && map.iter().enumerate().all(|(i, c)| *c == Some(i)) {
        return Ok(Table {
            file,
            rows: raw.rows,
        });
    }
    Ok(Table {
        file,
        rows: raw
            .rows
            .into_iter()
            .map(|row| {
                let mut cells = vec![None; columns.len()];
                for (i, cell) in row.cells.into_iter().enumerate() {
                    if let (Some(c), Some(cell)) = (map[i], cell) {
                        cells[c] = Some(cell);
                    }
                }
                Row {
                    span: row.span,
                    cells,
                }
            })
            .collect(),
    })
}

/// Matches a header row to the columns a file may have: field index → column index.
pub fn match_header(
    sources: &Sources,
    file: FileId,
    header: &[Cell],
    columns: &[Column],
) -> Result<Vec<Option<usize>>, Vec<Diagnostic>> {
    let spans: Vec<Range<usize>> = header.iter().map(|c| c.span.clone()).collect();
    let mut errors = Vec::new();
    let mut map = Vec::with_capacity(header.len());
    let mut seen: Vec<Option<usize>> = vec![None; columns.len()];
    // Columns an unknown header was taken for ("did you mean"): not reported missing too.
    let mut suggested: Vec<&str> = Vec::new();
    let expected = columns
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ");
    for (i, name) in header.iter().enumerate() {
        let name = name.text.as_str();
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
/// fields), found by scanning the raw text the way the CSV parser does: `each(k, span)` for
/// the `k`th field.
pub(crate) fn field_spans(
    text: &str,
    start: usize,
    n: usize,
    mut each: impl FnMut(usize, Range<usize>),
) {
    let bytes = text.as_bytes();
    let mut i = start;
    for k in 0..n {
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
            each(k, open..j.min(bytes.len()));
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
            each(k, s + lead..(i - trail).max(s + lead));
        }
        if bytes.get(i) == Some(&b',') {
            i += 1;
        }
    }
}

impl Cell {
    /// The cell as a number, or a diagnostic saying what it holds instead.
    pub fn number(&self, file: FileId, what: &str) -> Result<f64, Diagnostic> {
        self.parse(file, what, None)
    }

    /// The cell as a figure in a unit of measure: a `%` sign is allowed (and means the
    /// number itself) only when the unit is `%`.
    pub fn measure(&self, file: FileId, what: &str, unit: &str) -> Result<f64, Diagnostic> {
        self.parse(file, what, Some(unit))
    }

    fn parse(&self, file: FileId, what: &str, unit: Option<&str>) -> Result<f64, Diagnostic> {
        let percent = unit.is_some_and(|u| u.trim() == "%" || u.trim() == "％");
        value::parse(&self.text, percent).map_err(|e| {
            let t = &self.text;
            let at = |label: &str| Diagnostic::error(Kind::Value, "").at(file, self.span.clone(), label);
            let (message, d) = match e {
                NumberError::TooLarge => (
                    format!("{what} `{t}` is too large"),
                    at("more than 10^12").help("check the unit of measure: jingbiao accepts numbers up to 10^12 (e.g. write 亿元, not 元)"),
                ),
                NumberError::AmbiguousComma => (
                    format!("{what} `{t}` is ambiguous: its comma is not a thousands separator"),
                    at("a comma here could be a decimal mark").help("use commas only between groups of three digits and a point for decimals, e.g. 1,234.5 (or write 1234.5)"),
                ),
                NumberError::Percent => match unit {
                    Some(u) if !percent && t.matches(['%', '％']).count() == 1 => (
                        format!("{what} `{t}` has a % sign, but it is measured in {u}"),
                        at("a percentage?").help(format!("write the figure in {u} without the % sign; if it really is a percentage, the indicator's unit must be \"%\"")),
                    ),
                    Some(_) if percent => (
                        format!("{what} `{t}` is ambiguous: it has more than one % sign, or one before the number"),
                        at("expected a number, with at most one % at the end").help("write the percentage as e.g. 12.5 or 12.5%"),
                    ),
                    _ => (
                        format!("{what} `{t}` has a % sign, but it is not a percentage"),
                        at("a percentage?").help("write the number without the % sign"),
                    ),
                },
                NumberError::NotANumber => (
                    format!("{what} `{t}` is not a number"),
                    at("expected a number").help("write the number with digits and a decimal point, e.g. 6.5 or 1,234.5 (no units of measure)"),
                ),
            };
            Diagnostic { message, ..d }
        })
    }
}

/// Parses a number as people type it (see [`value::parse`]), without a `%` sign.
pub fn parse_number(text: &str) -> Option<f64> {
    value::parse(text, false).ok()
}

/// The largest number jingbiao accepts in data.
pub const MAX_NUMBER: f64 = value::MAX_NUMBER;

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain text split by lines and commas gives what the CSV parser gives.
    #[test]
    fn plain_lines_read_as_the_csv_parser_reads_them() {
        let texts = [
            "unit,indicator,value\na,gdp,6.2\nb,gdp,5.4\n",
            "unit,indicator,value\r\na,gdp,6.2\r\n\r\nb, gdp ,\r\n",
            "\u{feff}单位,指标,数值\n\n\n平山, 地区生产总值 ,12\n,,\n  ,\t,\n",
            "\n\nunit,, value ,\nx,y\nx,y,z,w,\na,b,c,d\n",
            "unit,indicator,value",
            "unit,indicator,value\na,gdp,1,2,3\n\na,gdp",
            " \n",
            "",
        ];
        for text in texts {
            let mut sources = Sources::new();
            let file = sources.add("t.csv", text);
            let plain = Stream::open(&sources, file, "h").map(|s| {
                assert!(s.plain.is_some(), "{text:?}");
                s.into_raw()
            });
            let parsed = Stream::open_with(&sources, file, "h", false).map(Stream::into_raw);
            assert_eq!(format!("{plain:?}"), format!("{parsed:?}"), "{text:?}");
        }
        assert!(!is_plain(b"a,\"b\"\n"));
        assert!(!is_plain(b"a,b\rc,d"));
    }

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
    fn crlf_line_ends_keep_positions() {
        let text = "unit,indicator,value\r\nchikan,gdp,5.8\r\nxiashan,gdp,abc\r\n";
        let (s, t) = read_text(text);
        let t = t.unwrap();
        let value = t.rows[1].cells[2].as_ref().unwrap();
        assert_eq!(&text[value.span.clone()], "abc");
        assert_eq!(s.line_col(t.file, value.span.start), (3, 13));
        assert_eq!(&text[t.rows[1].span.clone()], "xiashan,gdp,abc");
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
        assert_eq!(parse_number("1,234"), Some(1234.0));
        assert_eq!(parse_number("1,23"), None);
        assert_eq!(parse_number("1e30"), None);
    }
}
