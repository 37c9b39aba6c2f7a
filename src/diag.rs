//! Diagnostics: every problem a user can meet, with the file, line and column it comes from,
//! what is wrong and how to fix it.
//!
//! The loader and the evaluator never print. They return [`Diagnostic`]s that point into the
//! [`Sources`] (every file read in this run, kept whole), and the CLI renders them with
//! codespan-reporting, like a compiler would.

use std::fmt::Write as _;
use std::ops::Range;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term;
use codespan_reporting::term::termcolor::{Buffer, NoColor};
use serde::Serialize;

mod terminal;
pub use terminal::{visible, visible_bytes, JsonVisible};

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// Where a definition was written (a file and a byte span in it), kept after loading so that
/// problems found later, e.g. by the evaluator, can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: FileId,
    pub span: Range<usize>,
}

/// Every source file read in this run, with its text, so that diagnostics can quote it.
#[derive(Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    count: usize,
    /// For a worksheet read as text: where each of its cells is (`None` for text files).
    sheets: Vec<Option<Sheet>>,
}

/// A file's name and text; its line index is built only when a diagnostic needs it (a
/// national period is hundreds of thousands of lines, almost never pointed at).
#[derive(Debug, Default)]
struct SourceFile {
    name: String,
    text: String,
    lines: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    fn line_starts(&self) -> &[usize] {
        self.lines
            .get_or_init(|| codespan_reporting::files::line_starts(&self.text).collect())
    }

    fn line_index(&self, byte: usize) -> usize {
        self.line_starts()
            .binary_search(&byte)
            .unwrap_or_else(|next| next - 1)
    }

    fn line_range(&self, line: usize) -> Option<Range<usize>> {
        let starts = self.line_starts();
        let start = *starts.get(line)?;
        let end = starts.get(line + 1).copied().unwrap_or(self.text.len());
        Some(start..end)
    }
}

/// A worksheet registered as CSV-like text, one line per row (line n is row n), so that a
/// span in the text names a cell such as `Sheet1!D7`.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// The sheet's name, e.g. `Sheet1`.
    pub name: String,
    /// Each cell's first byte in the text, its row and its column (0-based), in text order.
    pub cells: Vec<(usize, u32, u32)>,
}

impl Sources {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a file under the name shown to users (a path as they typed it).
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.count += 1;
        self.sheets.push(None);
        self.files.push(SourceFile {
            name: name.into(),
            text: text.into(),
            lines: std::sync::OnceLock::new(),
        });
        self.files.len() - 1
    }

    /// Registers a worksheet converted to text (see [`Sheet`]).
    pub fn add_sheet(
        &mut self,
        name: impl Into<String>,
        text: impl Into<String>,
        sheet: Sheet,
    ) -> FileId {
        let id = self.add(name, text);
        self.sheets[id] = Some(sheet);
        id
    }

    /// The worksheet a file was read from, if it was.
    pub fn sheet(&self, file: FileId) -> Option<&Sheet> {
        self.sheets.get(file).and_then(Option::as_ref)
    }

    /// The cell a byte of a worksheet is in: (row, column), 0-based.
    fn cell_at(&self, file: FileId, byte: usize) -> Option<(u32, u32)> {
        let sheet = self.sheet(file)?;
        let i = sheet.cells.partition_point(|c| c.0 <= byte);
        match i.checked_sub(1).map(|i| sheet.cells[i]) {
            Some((_, row, col)) => Some((row, col)),
            // Before the first cell: the line's row, first column.
            None => Some((self.line_col(file, byte).0 as u32 - 1, 0)),
        }
    }

    /// The spreadsheet place of a span in a worksheet: `Sheet1!D7` for a cell, `Sheet1!7:7`
    /// for a whole row; `None` for text files.
    pub fn place(&self, file: FileId, span: &Range<usize>) -> Option<String> {
        let sheet = self.sheet(file)?;
        let (row, col) = self.cell_at(file, span.start)?;
        let line = self.span_to_line_end(file, span.start);
        let line_start = self.text(file)[..span.start.min(self.text(file).len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let end_cell = self.cell_at(file, span.end.saturating_sub(1).max(span.start));
        let whole_row = span.start == line_start
            && span.end >= line.end
            && end_cell.is_some_and(|(_, c)| c > col);
        let sheet_ref = sheet_ref(&sheet.name);
        if whole_row {
            Some(format!("{sheet_ref}!{}:{}", row + 1, row + 1))
        } else {
            Some(format!("{sheet_ref}!{}{}", column_letters(col), row + 1))
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn name(&self, file: FileId) -> &str {
        self.files.get(file).map_or("?", |f| f.name.as_str())
    }

    pub fn text(&self, file: FileId) -> &str {
        self.files.get(file).map_or("", |f| f.text.as_str())
    }

    /// Lets a file's text go (a period's data once it is scored: a year of national data is
    /// tens of megabytes). Its name stays; a diagnostic pointing into it later is shown
    /// without the quoted line.
    pub fn forget(&mut self, file: FileId) {
        if let Some(f) = self.files.get_mut(file) {
            f.text = String::new();
            f.lines = std::sync::OnceLock::new();
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: FileId, byte: usize) -> (usize, usize) {
        let text = self.text(file);
        let byte = byte.min(text.len());
        let line_start = text[..byte].rfind('\n').map_or(0, |i| i + 1);
        let line = text[..byte].matches('\n').count() + 1;
        let col = text[line_start..byte].chars().count() + 1;
        (line, col)
    }

    /// Byte offset of a 1-based line and column (in characters); clamps to the text.
    pub fn offset(&self, file: FileId, line: usize, col: usize) -> usize {
        let text = self.text(file);
        let mut start = 0;
        for _ in 1..line.max(1) {
            match text[start..].find('\n') {
                Some(i) => start += i + 1,
                None => return text.len(),
            }
        }
        let line_text = &text[start..];
        let line_end = line_text.find('\n').unwrap_or(line_text.len());
        line_text[..line_end]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(start + line_end, |(i, _)| start + i)
    }

    /// The span of the rest of the line from a byte offset (without a trailing `\r`).
    pub fn span_to_line_end(&self, file: FileId, byte: usize) -> Range<usize> {
        let text = self.text(file);
        let byte = byte.min(text.len());
        let rest = &text[byte..];
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        byte..byte + line.trim_end_matches('\r').len()
    }
}

/// `Sheet1`, or `'My sheet'` quoted as Excel writes a name with spaces or punctuation.
fn sheet_ref(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// A spreadsheet column's letters: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub(crate) fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The files as codespan sees them: a worksheet's location is its row and column, so that
/// `metrics.xlsx Sheet1:7:3` is row 7, column 3 (C7).
struct Files<'a>(&'a Sources);

impl<'a> Files<'a> {
    fn file(&self, id: FileId) -> Result<&'a SourceFile, codespan_reporting::files::Error> {
        self.0
            .files
            .get(id)
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Files<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.file(id).map(|f| f.name.as_str())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.file(id).map(|f| f.text.as_str())
    }

    fn line_index(
        &'a self,
        id: FileId,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        self.file(id).map(|f| f.line_index(byte_index))
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        let f = self.file(id)?;
        f.line_range(line_index)
            .ok_or(codespan_reporting::files::Error::LineTooLarge {
                given: line_index,
                max: f.line_starts().len().saturating_sub(1),
            })
    }

    fn column_number(
        &'a self,
        id: FileId,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        match self.0.cell_at(id, byte_index) {
            Some((_, col)) => Ok(col as usize + 1),
            None => {
                let f = self.file(id)?;
                let range = self.line_range(id, line_index)?;
                Ok(codespan_reporting::files::column_index(&f.text, range, byte_index) + 1)
            }
        }
    }
}

/// What kind of problem a diagnostic reports. Each kind has a stable code shown as
/// `error[code]`, so users (and tests) can tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Kind {
    /// A file or folder could not be read or written.
    Io,
    /// The TOML is not well-formed.
    TomlSyntax,
    /// Well-formed TOML with a wrong, missing or unknown key or value.
    Schema,
    /// A CSV file is not well-formed (wrong field count, bad header, not UTF-8).
    Csv,
    /// An id that names nothing: unknown unit, indicator, group or category.
    Reference,
    /// The same thing given twice.
    Duplicate,
    /// A value that cannot be used: not a number, out of range.
    Value,
    /// Weights that do not add up where the campaign says they must.
    Weights,
    /// A Rhai script that does not compile or lacks a function the rules name.
    Script,
    /// A Rhai script that failed while it ran.
    ScriptRuntime,
    /// A period that does not exist or has no data.
    Period,
    /// A published file that is not what was published: its content no longer matches its
    /// fingerprint, or it holds another period than its name says.
    Published,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Io => "io",
            Kind::TomlSyntax => "toml",
            Kind::Schema => "schema",
            Kind::Csv => "csv",
            Kind::Reference => "reference",
            Kind::Duplicate => "duplicate",
            Kind::Value => "value",
            Kind::Weights => "weights",
            Kind::Script => "script",
            Kind::ScriptRuntime => "script-runtime",
            Kind::Period => "period",
            Kind::Published => "published",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file, with what to say there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub file: FileId,
    pub span: Range<usize>,
    pub message: String,
    pub primary: bool,
}

/// One problem, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: Kind,
    pub message: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(kind: Kind, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind,
            message: message.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    /// Points at the place that is wrong.
    pub fn at(mut self, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            file,
            span,
            message: message.into(),
            primary: true,
        });
        self
    }

    /// Points at a related place (e.g. where a duplicate was first given).
    pub fn also(mut self, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            file,
            span,
            message: message.into(),
            primary: false,
        });
        self
    }

    /// How to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Renders diagnostics as a compiler would: `file:line:col`, the source line, a caret
/// under the span, the message and the hint.
pub fn render(sources: &Sources, diagnostics: &[Diagnostic], color: bool) -> String {
    let config = term::Config::default();
    let mut out = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let files = Files(sources);
    for d in diagnostics {
        let cs = to_codespan(sources, d);
        // Quoted lines, names and messages with their control characters made visible.
        if term::emit(&mut terminal::Visible(&mut out), &config, &files, &cs).is_err() {
            // A label outside its file: fall back to the bare message, never panic.
            let mut plain = NoColor::new(Vec::new());
            let _ = term::emit(
                &mut terminal::Visible(&mut plain),
                &config,
                &files,
                &strip_labels(&cs),
            );
            out = Buffer::no_color();
            let _ = std::io::Write::write_all(&mut out, &plain.into_inner());
        }
    }
    String::from_utf8_lossy(out.as_slice()).into_owned()
}

fn to_codespan(sources: &Sources, d: &Diagnostic) -> cs::Diagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let labels = d
        .labels
        .iter()
        .map(|l| {
            let style = if l.primary {
                cs::LabelStyle::Primary
            } else {
                cs::LabelStyle::Secondary
            };
            // In a worksheet, say which cell: `Sheet1!D7: expected a number`.
            let message = match sources.place(l.file, &l.span) {
                Some(place) => format!("{place}: {}", l.message),
                None => l.message.clone(),
            };
            cs::Label::new(style, l.file, l.span.clone()).with_message(message)
        })
        .collect();
    let mut notes = Vec::new();
    if let Some(h) = &d.help {
        notes.push(format!("help: {h}"));
    }
    cs::Diagnostic::new(severity)
        .with_code(d.kind.code())
        .with_message(d.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

fn strip_labels(d: &cs::Diagnostic<FileId>) -> cs::Diagnostic<FileId> {
    let mut d = d.clone();
    d.labels.clear();
    d
}

/// A diagnostic as data, for `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// In a worksheet: the cell (`Sheet1!D7`) or row (`Sheet1!7:7`); line and column are
    /// then its row and column numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    pub help: Option<String>,
}

pub fn to_json(sources: &Sources, diagnostics: &[Diagnostic]) -> Vec<JsonDiagnostic> {
    diagnostics
        .iter()
        .map(|d| {
            let primary = d.labels.iter().find(|l| l.primary).or(d.labels.first());
            let (file, line, column, cell) = match primary {
                Some(l) => {
                    let (line, col) = match sources.cell_at(l.file, l.span.start) {
                        Some((row, col)) => (row as usize + 1, col as usize + 1),
                        None => sources.line_col(l.file, l.span.start),
                    };
                    (
                        Some(sources.name(l.file).to_string()),
                        Some(line),
                        Some(col),
                        sources.place(l.file, &l.span),
                    )
                }
                None => (None, None, None, None),
            };
            JsonDiagnostic {
                severity: d.severity,
                code: d.kind.code(),
                message: d.message.clone(),
                file,
                line,
                column,
                cell,
                help: d.help.clone(),
            }
        })
        .collect()
}

/// A one-line summary such as `error: 3 problems found; nothing was written`.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let n = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut s = String::new();
    let _ = write!(
        s,
        "{} problem{} found; nothing was written",
        n,
        if n == 1 { "" } else { "s" }
    );
    s
}

/// Suggests the closest of `candidates` to a misspelt `word`, if one is close enough.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(word, c), c))
        // Short ids (`cc` for `c`) are close when one edit apart and alike at the start.
        .filter(|(score, c)| {
            *score >= 0.6
                || (strsim::damerau_levenshtein(word, c) == 1
                    && word.chars().next() == c.chars().next())
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A forgotten file keeps its name; a diagnostic pointing into it renders without the
    /// quoted line, and positions in it clamp instead of panicking.
    #[test]
    fn a_forgotten_file_is_named_not_quoted() {
        let mut sources = Sources::new();
        let file = sources.add(
            "data/2023-01/metrics.csv",
            "unit,indicator,value\na,gdp,x\n",
        );
        let d = Diagnostic::error(Kind::Value, "not a number").at(file, 27..28, "here");
        assert!(render(&sources, std::slice::from_ref(&d), false).contains("a,gdp,x"));
        sources.forget(file);
        assert_eq!(sources.text(file), "");
        assert_eq!(sources.name(file), "data/2023-01/metrics.csv");
        assert_eq!(sources.line_col(file, 27), (1, 1));
        let text = render(&sources, &[d], false);
        assert!(text.contains("not a number"), "{text}");
        assert!(!text.contains("a,gdp,x"), "{text}");
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let mut s = Sources::new();
        let f = s.add("a.csv", "unit,值\n赤坎区,abc\n");
        let byte = "unit,值\n赤坎区,".len();
        assert_eq!(s.line_col(f, byte), (2, 5));
        assert_eq!(s.offset(f, 2, 5), byte);
        assert_eq!(s.offset(f, 9, 1), s.text(f).len());
    }

    #[test]
    fn renders_file_line_column_caret_and_help() {
        let mut s = Sources::new();
        let f = s.add("data/metrics.csv", "unit,indicator,value\nchikan,gdp,abc\n");
        let start = "unit,indicator,value\nchikan,gdp,".len();
        let d = Diagnostic::error(Kind::Value, "`abc` is not a number")
            .at(f, start..start + 3, "expected a number")
            .help("write the value as digits, e.g. 5.8");
        let out = render(&s, &[d], false);
        assert!(out.contains("error[value]: `abc` is not a number"), "{out}");
        assert!(out.contains("data/metrics.csv:2:12"), "{out}");
        assert!(out.contains("^^^"), "{out}");
        assert!(out.contains("help: write the value as digits"), "{out}");
    }

    #[test]
    fn suggests_near_misses_only() {
        let c = ["gdp_growth", "fai_growth", "pm25"];
        assert_eq!(did_you_mean("gdp_grwth", c), Some("gdp_growth"));
        assert_eq!(did_you_mean("zzz", c), None);
        assert_eq!(did_you_mean("cc", ["a", "b", "c"]), Some("c"));
        assert_eq!(did_you_mean("e", ["a", "b", "c"]), None);
    }
}
