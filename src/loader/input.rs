//! Data files as offices save them: CSV in UTF-8 (with or without a BOM) or GBK/GB18030, or
//! an XLSX workbook. Every one is registered in [`Sources`] as text, so that the table
//! reader ([`super::csv_table`]) and diagnostics see one kind of file:
//!
//! - a GBK file is registered decoded: spans point at the characters the user sees;
//! - a worksheet is registered as CSV text, one line per row (line n is row n), under the
//!   name `metrics.xlsx Sheet1`, with where each cell is ([`Sheet`]), so that a diagnostic
//!   names the cell: `Sheet1!D7`.

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
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(Kind::Io, format!("cannot read `{}`: {}", path.display(), super::io_reason(&e)))
            .help("check the path; jingbiao reads campaign folders under rules/ and data folders under scenarios/")
    })?;
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
    let bom = bytes.starts_with(b"\xef\xbb\xbf");
    let bytes = match (bom, encoding) {
        (true, _) | (false, Encoding::Utf8) => {
            return match String::from_utf8(bytes) {
                Ok(text) => Ok(sources.add(name, text)),
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
            Ok(text) => return Ok(sources.add(name, text)),
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
fn read_workbook(
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
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| unreadable(format!("sheet {sheet}: {e}")))?;
    let (text, cells) = sheet_text(&range, book.has_1904_epoch());
    Ok(sources.add_sheet(
        format!("{} {sheet}", path.display()),
        text,
        Sheet { name: sheet, cells },
    ))
}

/// A worksheet as CSV text, one line per row from row 1 (so line n is row n), and each
/// cell's first byte, row and column. Empty columns at the right are left out.
fn sheet_text(range: &calamine::Range<Data>, is_1904: bool) -> (String, Vec<(usize, u32, u32)>) {
    let mut text = String::new();
    let mut cells = Vec::new();
    let Some((row0, col0)) = range.start() else {
        return (text, cells);
    };
    let width = range
        .rows()
        .map(|r| {
            r.iter()
                .rposition(|c| !cell_text(c, is_1904).is_empty())
                .map_or(0, |i| i + 1)
        })
        .max()
        .unwrap_or(0);
    for _ in 0..row0 {
        text.push('\n');
    }
    for (r, row) in range.rows().enumerate() {
        let values: Vec<String> = row
            .iter()
            .take(width)
            .map(|c| cell_text(c, is_1904))
            .collect();
        if values.iter().any(|v| !v.is_empty()) {
            for (c, v) in values.iter().enumerate() {
                if c > 0 {
                    text.push(',');
                }
                cells.push((text.len(), row0 + r as u32, col0 + c as u32));
                if v.contains([',', '"']) {
                    text.push('"');
                    text.push_str(&v.replace('"', "\"\""));
                    text.push('"');
                } else {
                    text.push_str(v);
                }
            }
        }
        text.push('\n');
    }
    (text, cells)
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
    fn dates_from_serials() {
        assert_eq!(excel_date(45000.0, false), "2023-03-15");
        assert_eq!(excel_date(45000.5, false), "2023-03-15 12:00");
    }
}
