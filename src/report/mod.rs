//! Turning results into what people read. Each report builds a [`Document`] (headings,
//! tables, lines) for the terminal, Markdown, HTML and Excel, one flat [`Grid`] for CSV, and
//! serialises its data for JSON. The score command's bulletins (`html::bulletin`,
//! `xlsx::bulletin`) are built from the results themselves. Renderers are pure functions;
//! the CLI decides where the bytes go.

pub mod diff;
pub mod doc;
pub mod html;
pub mod items;
pub mod lang;
pub mod league;
pub mod published;
pub mod quality;
pub mod trend;
pub mod warnings;
pub mod xlsx;

use serde::Serialize;

pub use doc::{Document, Grid};
pub use lang::Lang;

/// An output format. (The command line parses it: `cli` implements `clap::ValueEnum`.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Md,
    /// A self-contained HTML page.
    Html,
    /// An Excel workbook (binary: needs `--out`).
    Xlsx,
}

impl Format {
    /// Binary formats are never written to a terminal.
    pub fn is_binary(self) -> bool {
        self == Format::Xlsx
    }
}

/// Renders a report in `format`: the document as text, Markdown, HTML or a workbook (a sheet
/// per table), the flat grid as CSV, the data as pretty JSON. The document and grid are built
/// only for the formats that need them.
pub fn render<T: Serialize + ?Sized>(
    format: Format,
    lang: Lang,
    doc: impl FnOnce() -> Document,
    flat: impl FnOnce() -> Grid,
    data: &T,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let text = match format {
        Format::Table => doc().to_text(),
        Format::Md => doc().to_markdown(),
        Format::Csv => doc::to_csv(&flat()),
        Format::Html => html::document(&doc(), lang),
        Format::Json => {
            let mut s = serde_json::to_string(data).expect("results serialise");
            s.push('\n');
            s
        }
        Format::Xlsx => return xlsx::document(&doc()),
    };
    Ok(text.into_bytes())
}
