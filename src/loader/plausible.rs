//! Figures no one would believe: a value or target outside its indicator's plausible range
//! ([`crate::indicator::Plausible`]: `min` and `max` in indicators.toml; amounts are never
//! negative unless declared otherwise) is an error pointing at the figure.

use std::ops::Range;

use crate::diag::{Diagnostic, FileId, Kind};
use crate::indicator::{Indicator, OutOfRange};

/// `x`, or the error saying it is out of `ind`'s range; `what` is e.g. "the value", and
/// `file`, `span` where the figure is written.
pub(crate) fn check(
    ind: &Indicator,
    x: f64,
    what: &str,
    file: FileId,
    span: Range<usize>,
) -> Result<f64, Diagnostic> {
    let p = &ind.plausible;
    let (bound, origin, word, least) = match p.check(x) {
        None => return Ok(x),
        Some(OutOfRange::Below(m)) => (m, &p.min_origin, "below", "least"),
        Some(OutOfRange::Above(m)) => (m, &p.max_origin, "above", "largest"),
    };
    let mut d = Diagnostic::error(
        Kind::Value,
        format!(
            "{what} {x} of `{}` is {word} {bound}, its {least} plausible value",
            ind.id
        ),
    )
    .at(file, span, "no one would believe this figure");
    d = match origin {
        Some(o) => d
            .also(o.file, o.span.clone(), "the plausible range")
            .help(format!(
                "check the figure and its unit of measure ({}); if it really is right, widen the range in indicators.toml",
                if ind.measure.is_empty() { "none given" } else { &ind.measure }
            )),
        None => d
            .also(ind.origin.file, ind.origin.span.clone(), "an amount")
            .help("an amount or count (kind = \"amount\") is never negative: check the figure; if this indicator can be negative, declare its least value in indicators.toml, e.g. min = -100"),
    };
    Err(d)
}
