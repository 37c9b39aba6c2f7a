//! Diagnostics bounded before they are printed: a file with 300,000 bad rows gives a few
//! dozen diagnostics of each kind, then one "and N more like this" line; a long value quoted
//! in a message is shortened; and a source line too long to show is not quoted, its place
//! is named instead. The summary line still counts every problem.

use crate::diag::{Diagnostic, FileId, Sources};

/// The most diagnostics of one kind and severity shown for one file.
pub(crate) const PER_KIND_AND_FILE: usize = 30;

/// A quoted value (between backticks) longer than this many characters is shortened; a
/// path (it holds a `/` or `\`) may be longer.
const QUOTED: usize = 60;
const QUOTED_PATH: usize = 240;

/// A message longer than this many characters is cut.
const MESSAGE: usize = 1_000;

/// A source line longer than this many bytes is not quoted under a diagnostic.
const LINE: usize = 400;

/// The diagnostics to print: at most [`PER_KIND_AND_FILE`] of each kind and severity for
/// each file (the file of the primary label; diagnostics without one are grouped too), the
/// rest counted in one line where the first was left out. Long quoted values are shortened
/// and, when `quote_lines` (text output), labels on very long lines name their place
/// instead of quoting the line.
pub(crate) fn bound(
    sources: &Sources,
    diagnostics: &[Diagnostic],
    quote_lines: bool,
) -> Vec<Diagnostic> {
    type Key = (crate::diag::Severity, &'static str, Option<FileId>);
    let key = |d: &Diagnostic| -> Key {
        let file = d
            .labels
            .iter()
            .find(|l| l.primary)
            .or(d.labels.first())
            .map(|l| l.file);
        (d.severity, d.kind.code(), file)
    };
    let mut seen: Vec<(Key, usize, usize)> = Vec::new(); // key, count, where "more" goes
    let mut out: Vec<Diagnostic> = Vec::new();
    for d in diagnostics {
        let k = key(d);
        let i = match seen.iter().position(|(s, _, _)| *s == k) {
            Some(i) => i,
            None => {
                seen.push((k, 0, 0));
                seen.len() - 1
            }
        };
        seen[i].1 += 1;
        match seen[i].1 {
            n if n <= PER_KIND_AND_FILE => out.push(shortened(sources, d, quote_lines)),
            n if n == PER_KIND_AND_FILE + 1 => {
                seen[i].2 = out.len();
                out.push(d.clone()); // replaced by the count below
            }
            _ => {}
        }
    }
    for (k, count, at) in seen {
        if count > PER_KIND_AND_FILE {
            let more = count - PER_KIND_AND_FILE;
            let place = match k.2 {
                Some(f) => format!(" in `{}`", shorten_quoted(sources.name(f))),
                None => String::new(),
            };
            let d = &out[at];
            out[at] = Diagnostic {
                severity: d.severity,
                kind: d.kind,
                message: format!(
                    "and {more} more like this{place} ({} of {count} shown)",
                    PER_KIND_AND_FILE
                ),
                labels: Vec::new(),
                help: Some("fix the problems shown first: the others are often the same mistake, e.g. a column filled down".into()),
            };
        }
    }
    out
}

/// A diagnostic with its quoted values shortened and, if `quote_lines`, its labels on very
/// long lines turned into places named in the message.
fn shortened(sources: &Sources, d: &Diagnostic, quote_lines: bool) -> Diagnostic {
    let mut d = d.clone();
    d.message = shorten_text(&d.message);
    d.help = d.help.as_deref().map(shorten_text);
    let mut places = Vec::new();
    d.labels.retain_mut(|l| {
        l.message = shorten_text(&l.message);
        if !quote_lines || !line_too_long(sources, l.file, &l.span) {
            return true;
        }
        let place = match sources.place(l.file, &l.span) {
            Some(cell) => format!("{} {cell}", sources.name(l.file)),
            None => {
                let (line, col) = sources.line_col(l.file, l.span.start);
                format!("{}:{line}:{col}", sources.name(l.file))
            }
        };
        places.push(format!("{place}: {}", l.message));
        false
    });
    if !places.is_empty() {
        d.message = format!(
            "{}\n  at {} (the line is too long to show)",
            d.message,
            places.join("\n  at ")
        );
    }
    d
}

/// Is the line (or lines) a span is on longer than [`LINE`] bytes?
fn line_too_long(sources: &Sources, file: FileId, span: &std::ops::Range<usize>) -> bool {
    let text = sources.text(file);
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    let from = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let to = text[end..].find('\n').map_or(text.len(), |i| end + i);
    to - from > LINE
}

/// A message with every quoted (between backticks) value shortened, and cut as a whole if
/// it is still very long.
fn shorten_text(text: &str) -> String {
    let mut out = String::new();
    let mut parts = text.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    let mut quoted = true;
    for part in parts {
        out.push('`');
        if quoted {
            out.push_str(&shorten_quoted(part));
        } else {
            out.push_str(part);
        }
        quoted = !quoted;
    }
    if out.chars().count() > MESSAGE {
        let cut: String = out.chars().take(MESSAGE).collect();
        return format!("{cut}…");
    }
    out
}

/// A quoted value shortened to its start, an ellipsis and how long it was.
fn shorten_quoted(value: &str) -> String {
    let limit = if value.contains(['/', '\\']) {
        QUOTED_PATH
    } else {
        QUOTED
    };
    let n = value.chars().count();
    if n <= limit {
        return value.to_string();
    }
    let keep: String = value.chars().take(limit - 20).collect();
    format!("{keep}… ({n} characters)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Kind;

    #[test]
    fn a_few_dozen_of_a_kind_per_file_then_a_count() {
        let mut s = Sources::new();
        let a = s.add("a.csv", "x\n".repeat(100));
        let b = s.add("b.csv", "x\n");
        let mut ds: Vec<Diagnostic> = (0..100)
            .map(|i| {
                Diagnostic::error(Kind::Value, format!("bad {i}")).at(a, 2 * i..2 * i + 1, "here")
            })
            .collect();
        ds.push(Diagnostic::error(Kind::Value, "bad in b").at(b, 0..1, "here"));
        ds.push(Diagnostic::error(Kind::Csv, "other kind").at(a, 0..1, "here"));
        let out = bound(&s, &ds, true);
        assert_eq!(out.len(), PER_KIND_AND_FILE + 3);
        assert_eq!(
            out[PER_KIND_AND_FILE].message,
            "and 70 more like this in `a.csv` (30 of 100 shown)"
        );
        assert_eq!(out[PER_KIND_AND_FILE + 1].message, "bad in b");
        assert_eq!(out[PER_KIND_AND_FILE + 2].message, "other kind");
    }

    #[test]
    fn long_values_and_lines_are_shortened() {
        let long = "9".repeat(100_000);
        assert_eq!(
            shorten_text(&format!("`{long}` is not a number")),
            format!("`{}… (100000 characters)` is not a number", "9".repeat(40))
        );
        assert_eq!(shorten_text("`a/b.csv` and `x`"), "`a/b.csv` and `x`");
        let mut s = Sources::new();
        let f = s.add("m.csv", format!("unit,value\nu,{long}\n"));
        let d = Diagnostic::error(Kind::Value, "not a number").at(
            f,
            13..13 + long.len(),
            "expected a number",
        );
        let out = bound(&s, std::slice::from_ref(&d), true);
        assert!(out[0].labels.is_empty());
        assert_eq!(
            out[0].message,
            "not a number\n  at m.csv:2:3: expected a number (the line is too long to show)"
        );
        // JSON keeps the label: it quotes no line.
        assert_eq!(bound(&s, &[d], false)[0].labels.len(), 1);
    }
}
