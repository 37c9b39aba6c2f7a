//! Ids are names, not paths: each id the rules define (unit, group, category, indicator, key
//! work item) is checked where it is defined, by [`crate::campaign::id_problem`].

use std::ops::Range;

use crate::campaign::{id_problem, ID_MAX_CHARS};
use crate::diag::{Diagnostic, FileId, Kind};

/// An error at `span` if `id` is not a valid id of a `what` (`unit`, `group`, …).
pub(crate) fn check(file: FileId, id: &str, span: Range<usize>, what: &str) -> Option<Diagnostic> {
    let problem = id_problem(id)?;
    // Escaped: an id holding control characters must not reach the terminal raw.
    let shown: String = id
        .chars()
        .map(|c| match c {
            c if c.is_control() => c.escape_default().collect(),
            c => c.to_string(),
        })
        .collect();
    let name = if what == "item" { "title" } else { "name" };
    Some(
        Diagnostic::error(
            Kind::Value,
            format!("the {what} id `{shown}` is not a valid id: {problem}"),
        )
        .at(file, span, "not a valid id")
        .help(format!(
            "an id is letters (Chinese too), digits, `-` and `_`, at most {ID_MAX_CHARS} characters, e.g. `chikan`, `赤坎区` or `gdp_growth`; other text goes in the {what}'s {name}"
        )),
    )
}
