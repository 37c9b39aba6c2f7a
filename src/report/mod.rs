//! Turning results into what people read. Each report builds a [`Document`] (headings,
//! tables, lines) for the terminal and Markdown, one flat [`Grid`] for CSV, and serialises
//! its data for JSON. Renderers are pure functions; the CLI decides where the text goes.

pub mod diff;
pub mod doc;
pub mod items;
pub mod league;
pub mod trend;
pub mod warnings;

use serde::Serialize;

pub use doc::{Document, Grid};

/// An output format.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Md,
}

/// Renders a report in `format`: the document as text or Markdown, the flat grid as CSV, the
/// data as pretty JSON. The document and grid are built only for the format that needs them.
pub fn render<T: Serialize + ?Sized>(
    format: Format,
    doc: impl FnOnce() -> Document,
    flat: impl FnOnce() -> Grid,
    data: &T,
) -> String {
    match format {
        Format::Table => doc().to_text(),
        Format::Md => doc().to_markdown(),
        Format::Csv => doc::to_csv(&flat()),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(data).expect("results serialise");
            s.push('\n');
            s
        }
    }
}
