//! Data files as offices save them: CSV in UTF-8 (with or without a BOM) or GBK/GB18030, or
//! an XLSX workbook. Every one is registered in [`Sources`] as text, so that the table
//! reader ([`super::csv_table`]) and diagnostics see one kind of file:
//!
//! - a GBK file is registered decoded: spans point at the characters the user sees;
//! - a worksheet is registered as CSV text, one line per row (line n is row n), under the
//!   name `metrics.xlsx Sheet1`, with where each cell is ([`Sheet`]), so that a diagnostic
//!   names the cell: `Sheet1!D7`.

use std::collections::HashSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use encoding_rs::GB18030;

pub use super::schema::Encoding;
use crate::diag::{Diagnostic, FileId, Kind, Sheet, Sources};

/// The file that holds a logical table (`metrics`): `metrics.csv` or `metrics.xlsx`, not
/// both. `None` when neither exists.
pub fn find(dir: &Path, name: &str) -> Result<Option<PathBuf>, Diagnostic> {
    let csv = dir.join(format!("{name}.csv"));
    let xlsx = dir.join(format!("{name}.xlsx"));
    match (csv.exists(), xlsx.exists()) {
        (true, true) => Err(Diagnostic::error(
            Kind::Duplicate,
            format!(
                "`{}` holds both {name}.csv and {name}.xlsx",
                dir.display()
            ),
        )
        .help(format!(
            "keep one of the two: jingbiao reads {name}.csv or {name}.xlsx, and will not guess which"
        ))),
        (true, false) => Ok(Some(csv)),
        (false, true) => Ok(Some(xlsx)),
        (false, false) => Ok(None),
    }
}

/// Reads a table file, CSV or XLSX by its extension, into `sources`. `name` is the logical
/// table (`metrics`), whose sheet is read from a workbook if it has one, else the first.
pub fn read(
    path: &Path,
    name: &str,
    encoding: Encoding,
    sources: &mut Sources,
) -> Result<FileId, Diagnostic> {
    let bytes = super::limits::read_bytes(path)?;
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        read_workbook(path, name, bytes, sources)
    } else {
        read_text(path, bytes, encoding, sources)
    }
}

/// Decodes a CSV file: UTF-8 with a BOM is UTF-8 whatever is declared; otherwise as declared,
/// or detected (valid UTF-8, else GB18030).
pub fn read_text(
    path: &Path,
    bytes: Vec<u8>,
    encoding: Encoding,
    sources: &mut Sources,
) -> Result<FileId, Diagnostic> {
    let name = path.display().to_string();
    if let Some(e) = super::encoding::wide_text(&name, &bytes) {
        return Err(e);
    }
    let bom = bytes.starts_with(b"\xef\xbb\xbf");
    let bytes = match (bom, encoding) {
        (true, _) | (false, Encoding::Utf8) => {
            return match String::from_utf8(bytes) {
                Ok(text) => utf8_table(sources, name, text),
                Err(e) => Err(not_utf8(
                    sources,
                    name,
                    e.into_bytes(),
                    "`{}` is not UTF-8 text",
                    if encoding == Encoding::Utf8 {
                        "save the file as UTF-8 (in Excel: 另存为 → CSV UTF-8 (逗号分隔)), or remove `encoding = \"utf-8\"` from campaign.toml to read GBK files too"
                    } else {
                        "the file starts as UTF-8 (it has a byte-order mark): save it again as UTF-8 (in Excel: 另存为 → CSV UTF-8 (逗号分隔))"
                    },
                )),
            };
        }
        (false, Encoding::Gbk) => bytes,
        (false, Encoding::Auto) => match String::from_utf8(bytes) {
            Ok(text) => return utf8_table(sources, name, text),
            Err(e) => e.into_bytes(),
        },
    };
    let (text, _, had_errors) = GB18030.decode(&bytes);
    if !had_errors {
        return Ok(sources.add(name, text.into_owned()));
    }
    let gbk_good = text.find('\u{fffd}').unwrap_or(text.len());
    let gbk_chars = text[..gbk_good].chars().count();
    let text = text.into_owned();
    if encoding == Encoding::Auto {
        // Neither: show the file as the encoding it reads further in.
        let utf8_good = std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), |_| 0);
        let utf8_chars = String::from_utf8_lossy(&bytes[..utf8_good]).chars().count();
        if utf8_chars >= gbk_chars {
            return Err(not_utf8(
                sources,
                name,
                bytes,
                "`{}` is neither UTF-8 nor GBK text",
                "save the file as UTF-8 (in Excel: 另存为 → CSV UTF-8 (逗号分隔)); jingbiao also reads GBK (GB18030) files",
            ));
        }
    }
    let message = if encoding == Encoding::Gbk {
        format!("`{name}` is not GBK (GB18030) text, as campaign.toml says data files are")
    } else {
        format!("`{name}` is neither UTF-8 nor GBK text")
    };
    let file = sources.add(name, text);
    Err(Diagnostic::error(Kind::Io, message)
        .at(file, gbk_good..gbk_good + '\u{fffd}'.len_utf8(), "this byte is not GBK")
        .help(if encoding == Encoding::Gbk {
            "save the file as GBK (in Excel: 另存为 → CSV (逗号分隔)), or as UTF-8 and remove `encoding` from campaign.toml"
        } else {
            "save the file as UTF-8 (in Excel: 另存为 → CSV UTF-8 (逗号分隔)) or as GBK"
        }))
}

/// Registers a table read as UTF-8, refusing text that looks mis-decoded (GBK that happens to
/// be valid UTF-8, UTF-8 saved again as Windows-1252): see [`super::encoding`].
fn utf8_table(sources: &mut Sources, name: String, text: String) -> Result<FileId, Diagnostic> {
    let file = sources.add(name, text);
    match super::encoding::mojibake(sources, file, super::encoding::Text::Table) {
        Some(e) => Err(e),
        None => Ok(file),
    }
}

/// Registers a file that is not valid UTF-8 as far as it reads, pointing at the first bad
/// byte (shown as the replacement character).
fn not_utf8(
    sources: &mut Sources,
    name: String,
    bytes: Vec<u8>,
    message: &str,
    help: &str,
) -> Diagnostic {
    let at = std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), |s| s.len());
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let message = message.replace("{}", &name);
    let file = sources.add(name, text);
    let end = at
        + sources.text(file)[at..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
    Diagnostic::error(Kind::Io, message)
        .at(file, at..end, "this byte is not UTF-8")
        .help(help)
}

/// Reads a workbook's sheet: the one named after the table (`metrics`), else the first.
/// Nothing the workbook declares (its dimensions, its count of shared strings) is trusted
/// for allocation: the cells are streamed, and a sheet whose cells lie far apart is refused
/// before a grid is built.
pub(super) fn read_workbook(
    path: &Path,
    name: &str,
    bytes: Vec<u8>,
    sources: &mut Sources,
) -> Result<FileId, Diagnostic> {
    let unreadable = |why: String| {
        Diagnostic::error(
            Kind::Io,
            format!("`{}` cannot be read as an XLSX workbook: {why}", path.display()),
        )
        .help("save it from Excel or WPS as an Excel workbook (.xlsx); .xls and .et files are not read")
    };
    super::limits::check_workbook(&bytes).map_err(unreadable)?;
    let percent_of = percent_styled(&bytes);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let names = book.sheet_names();
    let Some(sheet) = names
        .iter()
        .find(|s| s.trim().eq_ignore_ascii_case(name))
        .or(names.first())
        .cloned()
    else {
        return Err(unreadable("it has no sheets".into()));
    };
    let cells = sheet_cells(&mut book, &sheet).map_err(|e| match e {
        SheetError::Unreadable(why) => unreadable(format!("sheet {sheet}: {why}")),
        SheetError::Spread(why) => Diagnostic::error(
            Kind::Io,
            format!("`{}` sheet {sheet} {why}", path.display()),
        )
        .help("clear the cells beyond the table (Ctrl+End shows the last cell the sheet keeps) and save it again"),
    })?;
    let percent = percent_of(&sheet);
    let (text, cells) = sheet_text(cells, book.has_1904_epoch(), &percent);
    Ok(sources.add_sheet(
        format!("{} {sheet}", path.display()),
        text,
        Sheet { name: sheet, cells },
    ))
}

/// Excel's last row and column (1,048,576 rows, 16,384 columns `A` to `XFD`), 0-based.
const LAST_ROW: u32 = 1_048_575;
const LAST_COL: u32 = 16_383;

/// Why a sheet's cells were not read.
enum SheetError {
    /// Not a worksheet calamine can read.
    Unreadable(String),
    /// Cells too many or spread too far for a table.
    Spread(String),
}

/// A sheet's cells that hold something, streamed (not as calamine's grid, which would be
/// as large as the cells' spread), in row then column order.
fn sheet_cells<R: std::io::Read + std::io::Seek>(
    book: &mut Xlsx<R>,
    sheet: &str,
) -> Result<Vec<(u32, u32, Data)>, SheetError> {
    let max = super::limits::max_file_size();
    let mut cells = Vec::new();
    let mut size = 0u64;
    let mut reader = match book.worksheet_cells_reader(sheet) {
        Ok(r) => r,
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(cells),
        Err(e) => return Err(SheetError::Unreadable(e.to_string())),
    };
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| SheetError::Unreadable(e.to_string()))?
    {
        let (row, col) = cell.get_position();
        let value: Data = cell.get_value().clone().into();
        if value == Data::Empty {
            continue;
        }
        if row > LAST_ROW || col > LAST_COL {
            return Err(SheetError::Spread(format!(
                "has a cell at row {}, column {}, beyond the last cell a sheet can have (XFD1048576)",
                u64::from(row) + 1,
                u64::from(col) + 1
            )));
        }
        size += match &value {
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.len() as u64,
            _ => 24,
        } + 1;
        if size > max {
            return Err(SheetError::Spread(format!(
                "holds more than {} of cells, more than jingbiao reads from one file (see --max-file-size)",
                super::limits::shown_size(max)
            )));
        }
        cells.push((row, col, value));
    }
    cells.sort_by_key(|c| (c.0, c.1));
    // A cell given twice: the last one written counts, as Excel's own reading does.
    cells.reverse();
    cells.dedup_by_key(|c| (c.0, c.1));
    cells.reverse();
    check_spread(&cells).map_err(SheetError::Spread)?;
    Ok(cells)
}

/// Refuses cells spread so far apart that the table's text would be mostly empty fields
/// (a stray value at `XFD1048576` beside a table of a few hundred cells): the rows that
/// hold something times the columns from the first to the last used one must stay within
/// 16 times the cells used (a table sparser than that is a stray cell, not a table).
fn check_spread(cells: &[(u32, u32, Data)]) -> Result<(), String> {
    let Some(col0) = cells.iter().map(|c| c.1).min() else {
        return Ok(());
    };
    let far = cells.iter().max_by_key(|c| c.1).expect("not empty");
    let width = u64::from(far.1 - col0) + 1;
    let mut rows = 0u64;
    let mut last = None;
    for c in cells {
        if last != Some(c.0) {
            rows += 1;
            last = Some(c.0);
        }
    }
    let fields = rows * width;
    if fields > 16 * cells.len() as u64 + 4096 {
        return Err(format!(
            "has a value at {}{}, so far from the rest that its {} used cells would make a table of {} rows by {} columns",
            crate::diag::column_letters(far.1),
            far.0 + 1,
            cells.len(),
            rows,
            width
        ));
    }
    Ok(())
}

/// A worksheet as CSV text, one line per row from row 1 (so line n is row n), and each
/// cell's first byte, row and column. Empty columns at the right are left out; columns
/// start at the first one used.
fn sheet_text(
    cells: Vec<(u32, u32, Data)>,
    is_1904: bool,
    percent: &HashSet<(u32, u32)>,
) -> (String, Vec<(usize, u32, u32)>) {
    let mut text = String::new();
    let mut places = Vec::new();
    let Some(col0) = cells.iter().map(|c| c.1).min() else {
        return (text, places);
    };
    let shown: Vec<(u32, u32, String)> = cells
        .into_iter()
        .map(|(row, col, cell)| {
            let t = match cell {
                // Shown as a percentage: read what the user sees (0.125 shows as 12.5%).
                Data::Float(_) | Data::Int(_) if percent.contains(&(row, col)) => {
                    format!("{}%", times_100(&cell_text(&cell, is_1904)))
                }
                _ => cell_text(&cell, is_1904),
            };
            (row, col, t)
        })
        .filter(|c| !c.2.is_empty())
        .collect();
    let width = shown.iter().map(|c| c.1 - col0 + 1).max().unwrap_or(0);
    let mut line = 0u32;
    let mut i = 0;
    while i < shown.len() {
        let row = shown[i].0;
        while line < row {
            text.push('\n');
            line += 1;
        }
        for c in 0..width {
            if c > 0 {
                text.push(',');
            }
            places.push((text.len(), row, col0 + c));
            if i < shown.len() && shown[i].0 == row && shown[i].1 == col0 + c {
                let v = &shown[i].2;
                if v.contains([',', '"']) {
                    text.push('"');
                    text.push_str(&v.replace('"', "\"\""));
                    text.push('"');
                } else {
                    text.push_str(v);
                }
                i += 1;
            }
        }
        text.push('\n');
        line += 1;
    }
    (text, places)
}

/// A cell's value as the text it shows: numbers in their shortest form, dates as
/// `YYYY-MM-DD`, line breaks as spaces.
fn cell_text(cell: &Data, is_1904: bool) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.replace("\r\n", " ").replace(['\n', '\r'], " "),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(d) if d.is_datetime() => excel_date(d.as_f64(), is_1904),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A number's text × 100, by moving the decimal point (exact: 0.062 → 6.2).
fn times_100(text: &str) -> String {
    if text.contains(['e', 'E']) {
        return text
            .parse::<f64>()
            .map_or(text.to_string(), |v| (v * 100.0).to_string());
    }
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let frac = format!("{frac:0<2}");
    let (moved, rest) = frac.split_at(2);
    let int = format!("{int}{moved}");
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    if rest.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{rest}")
    }
}

/// For each sheet of a workbook, the cells (row, column; 0-based) whose number format shows
/// a percentage. calamine gives a cell's value only, and 12.5% typed into Excel is stored as
/// 0.125: this reads the styles and the sheet's XML to know which cells those are. Best
/// effort: a workbook it cannot follow gives none.
fn percent_styled(bytes: &[u8]) -> impl Fn(&str) -> HashSet<(u32, u32)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).ok();
    let limit = super::limits::max_file_size();
    // Each part inflated only up to the size cap: a larger one (a zip bomb) gives none.
    let mut part = move |name: &str| -> Option<String> {
        super::limits::zip_part(zip.as_mut()?, name, limit)?.ok()
    };
    // Styles (cellXfs indexes) whose number format has a % outside quotes.
    let styles = part("xl/styles.xml").unwrap_or_default();
    let mut custom: Vec<(String, bool)> = Vec::new();
    for tag in tags(&styles, "numFmt") {
        if let (Some(id), Some(code)) = (attr(tag, "numFmtId"), attr(tag, "formatCode")) {
            custom.push((id, is_percent_format(&unescape(&code))));
        }
    }
    let is_percent_id =
        |id: &str| id == "9" || id == "10" || custom.iter().any(|(c, p)| c == id && *p);
    let xfs = styles
        .split_once("<cellXfs")
        .and_then(|(_, rest)| rest.split_once("</cellXfs>"))
        .map_or("", |(inner, _)| inner);
    let percent_styles: HashSet<String> = tags(xfs, "xf")
        .enumerate()
        .filter(|(_, tag)| attr(tag, "numFmtId").is_some_and(|id| is_percent_id(&id)))
        .map(|(i, _)| i.to_string())
        .collect();
    // Sheet name → its part.
    let workbook = part("xl/workbook.xml").unwrap_or_default();
    let rels = part("xl/_rels/workbook.xml.rels").unwrap_or_default();
    let mut parts: Vec<(String, String)> = Vec::new();
    for tag in tags(&workbook, "sheet") {
        let (Some(name), Some(rid)) = (attr(tag, "name"), attr(tag, "r:id")) else {
            continue;
        };
        let target = tags(&rels, "Relationship")
            .find(|r| attr(r, "Id").as_deref() == Some(rid.as_str()))
            .and_then(|r| attr(r, "Target"));
        if let Some(t) = target {
            let path = match t.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{t}"),
            };
            parts.push((unescape(&name), path));
        }
    }
    let mut sheets: Vec<(String, HashSet<(u32, u32)>)> = Vec::new();
    if !percent_styles.is_empty() {
        for (name, path) in parts {
            let xml = part(&path).unwrap_or_default();
            let cells = tags(&xml, "c")
                .filter(|tag| attr(tag, "s").is_some_and(|s| percent_styles.contains(&s)))
                .filter_map(|tag| attr(tag, "r").and_then(|r| a1(&r)))
                .collect();
            sheets.push((name, cells));
        }
    }
    move |sheet: &str| {
        sheets
            .iter()
            .find(|(n, _)| n == sheet)
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    }
}

/// Does an Excel number format show a percentage (a `%` outside quotes, in its first part)?
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for ch in code.chars() {
        match ch {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => return false,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// The opening tags `<name …>` in an XML text, each as its attribute text.
fn tags<'a>(xml: &'a str, name: &str) -> std::vec::IntoIter<&'a str> {
    let open = format!("<{name}");
    let mut out = Vec::new();
    for (i, _) in xml.match_indices(open.as_str()) {
        let rest = &xml[i + open.len()..];
        // `<c ` not `<col`: the name must end here.
        if !rest.starts_with([' ', '/', '>', '\t', '\n', '\r']) {
            continue;
        }
        if let Some(end) = rest.find('>') {
            out.push(&rest[..end]);
        }
    }
    out.into_iter()
}

/// An attribute's value in a tag's attribute text.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let before = rest[..i].chars().last();
        let after = &rest[i + name.len()..];
        rest = after;
        if !matches!(before, Some(' ' | '\t' | '\n' | '\r')) {
            continue;
        }
        let Some(after) = after.trim_start().strip_prefix('=') else {
            continue;
        };
        let after = after.trim_start();
        let quote = after.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let value = &after[1..];
        return value.find(quote).map(|end| value[..end].to_string());
    }
    None
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `C7` → (6, 2).
fn a1(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    let col = letters.chars().try_fold(0u32, |n, c| {
        c.is_ascii_uppercase()
            .then(|| n * 26 + (c as u32 - 'A' as u32 + 1))
    })?;
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

/// An Excel date serial as `YYYY-MM-DD` (with `HH:MM` when it has a time of day).
fn excel_date(serial: f64, is_1904: bool) -> String {
    let epoch = if is_1904 {
        chrono::NaiveDate::from_ymd_opt(1904, 1, 1)
    } else {
        // Day 60 is Excel's 1900-02-29, which never was; from day 61 this epoch is right.
        chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
    };
    let days = serial.floor();
    let minutes = ((serial - days) * 24.0 * 60.0).round() as i64;
    match epoch.and_then(|e| e.checked_add_signed(chrono::Duration::days(days as i64))) {
        Some(d) if minutes == 0 => d.format("%Y-%m-%d").to_string(),
        Some(d) => format!(
            "{} {:02}:{:02}",
            d.format("%Y-%m-%d"),
            minutes / 60,
            minutes % 60
        ),
        None => serial.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_is_detected_and_decoded() {
        let (gbk, _, _) = GB18030.encode("unit,value\n甲县,6.2\n");
        let mut s = Sources::new();
        let f = read_text(Path::new("m.csv"), gbk.into_owned(), Encoding::Auto, &mut s).unwrap();
        assert_eq!(s.text(f), "unit,value\n甲县,6.2\n");
        let f = read_text(
            Path::new("m.csv"),
            "甲县".as_bytes().to_vec(),
            Encoding::Auto,
            &mut s,
        )
        .unwrap();
        assert_eq!(s.text(f), "甲县");
    }

    #[test]
    fn a_bom_wins_over_a_declared_encoding() {
        let mut s = Sources::new();
        let f = read_text(
            Path::new("m.csv"),
            "\u{feff}甲县".as_bytes().to_vec(),
            Encoding::Gbk,
            &mut s,
        )
        .unwrap();
        assert_eq!(s.text(f), "\u{feff}甲县");
    }

    #[test]
    fn undecodable_bytes_are_pointed_at() {
        let (gbk, _, _) = GB18030.encode("unit,value\n甲县,");
        let mut bytes = gbk.into_owned();
        bytes.extend_from_slice(b"\xff\n");
        let mut s = Sources::new();
        let e = read_text(Path::new("m.csv"), bytes.clone(), Encoding::Auto, &mut s).unwrap_err();
        assert!(e.message.contains("neither UTF-8 nor GBK"), "{e:?}");
        let l = &e.labels[0];
        assert_eq!(&s.text(l.file)[..l.span.start], "unit,value\n甲县,");
        let e = read_text(Path::new("m.csv"), bytes, Encoding::Gbk, &mut s).unwrap_err();
        assert!(e.message.contains("not GBK"), "{e:?}");
    }

    #[test]
    fn percentages_as_shown() {
        assert_eq!(times_100("0.125"), "12.5");
        assert_eq!(times_100("0.062"), "6.2");
        assert_eq!(times_100("1"), "100");
        assert_eq!(times_100("-0.5"), "-50");
        assert_eq!(times_100("0.0001"), "0.01");
        assert!(is_percent_format("0.0%"));
        assert!(!is_percent_format("0.0\"%\""));
        assert_eq!(a1("C7"), Some((6, 2)));
        assert_eq!(a1("AA1"), Some((0, 26)));
        assert_eq!(attr(r#" r="C7" s="3" t="n""#, "s").as_deref(), Some("3"));
        assert_eq!(attr(r#" r="C7" s="3""#, "r").as_deref(), Some("C7"));
    }

    #[test]
    fn dates_from_serials() {
        assert_eq!(excel_date(45000.0, false), "2023-03-15");
        assert_eq!(excel_date(45000.5, false), "2023-03-15 12:00");
    }
}
