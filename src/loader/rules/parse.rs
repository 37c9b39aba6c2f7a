//! TOML as written into its serde types, with located diagnostics: a syntax error told from
//! a schema error, `nan` and `inf` refused, and every indicator's schema problems reported.

use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::diag::{did_you_mean, Diagnostic, FileId, Kind, Sources};
use crate::loader::schema::*;

/// Parses TOML into `T`, telling syntax errors (not TOML) from schema errors (wrong keys).
pub fn parse_toml<T: DeserializeOwned>(sources: &Sources, file: FileId) -> Result<T, Diagnostic> {
    let text = sources.text(file);
    if let Err(e) = text.parse::<toml::Table>() {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().replace('\n', "; ");
        let help = if message.contains("string") {
            "close the text with a matching \" on the same line"
        } else if message.contains("table header") {
            "write section headers as [name] or [[name]], closed with ]"
        } else {
            "TOML is `key = value` lines under [section] headers; text values need \"quotes\""
        };
        return Err(Diagnostic::error(
            Kind::TomlSyntax,
            format!("this is not valid TOML: {message}"),
        )
        .at(file, span, "here")
        .help(help));
    }
    if let Some(span) = non_finite(text) {
        return Err(Diagnostic::error(
            Kind::Value,
            format!("`{}` is not a usable number", &text[span.clone()]),
        )
        .at(file, span, "not a finite number")
        .help("write an ordinary number, e.g. 100"));
    }
    from_toml_part(text, 0, file)
}

/// Deserialises a part of a TOML file that starts at byte `offset`.
fn from_toml_part<T: DeserializeOwned>(
    part: &str,
    offset: usize,
    file: FileId,
) -> Result<T, Diagnostic> {
    toml::from_str::<T>(part).map_err(|e| {
        let span = e
            .span()
            .map_or(offset..offset, |s| s.start + offset..s.end + offset);
        let message = e
            .message()
            .trim()
            .replace("expected f64", "expected a number");
        let help = schema_help(&message);
        Diagnostic::error(Kind::Schema, message)
            .at(file, span, "here")
            .help(help)
    })
}

/// indicators.toml, with every indicator's schema problems reported, not only the first:
/// when the whole file does not fit the schema, each `[[indicator]]` block is read alone.
pub(super) fn parse_indicators(
    sources: &Sources,
    file: FileId,
) -> Result<IndicatorsFile, Vec<Diagnostic>> {
    let first = match parse_toml::<IndicatorsFile>(sources, file) {
        Ok(f) => return Ok(f),
        Err(e) if e.kind != Kind::Schema => return Err(vec![e]),
        Err(e) => e,
    };
    let text = sources.text(file);
    let mut starts: Vec<usize> = text
        .match_indices("[[indicator]]")
        .filter(|(i, _)| text[..*i].ends_with('\n') || *i == 0)
        .map(|(i, _)| i)
        .collect();
    starts.insert(0, 0);
    starts.push(text.len());
    let errors: Vec<Diagnostic> = starts
        .windows(2)
        .filter(|w| w[0] < w[1])
        .filter_map(|w| from_toml_part::<IndicatorsFile>(&text[w[0]..w[1]], w[0], file).err())
        .collect();
    Err(if errors.is_empty() {
        vec![first]
    } else {
        errors
    })
}

/// The first `nan` or `inf` written as a TOML value (outside strings and comments).
fn non_finite(text: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    // The last significant character before a word, across lines (arrays may span lines).
    let mut prev = ' ';
    for line in text.split_inclusive('\n') {
        let mut in_str: Option<char> = None;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let (at, c) = chars[i];
            match in_str {
                Some(q) if c == q => in_str = None,
                Some(_) => {}
                None if c == '"' || c == '\'' => in_str = Some(c),
                None if c == '#' => break,
                None => {
                    let rest = &line[at..];
                    let word = ["nan", "inf"].iter().find(|w| rest.starts_with(*w));
                    let ends = |n: usize| {
                        !rest[n..].starts_with(|ch: char| ch.is_alphanumeric() || ch == '_')
                    };
                    if let Some(w) = word {
                        if matches!(prev, '=' | ',' | '[' | '+' | '-') && ends(w.len()) {
                            let start = if matches!(prev, '+' | '-') {
                                at - 1
                            } else {
                                at
                            };
                            return Some(offset + start..offset + at + w.len());
                        }
                    }
                    if !c.is_whitespace() {
                        prev = c;
                    }
                }
            }
            i += 1;
        }
        offset += line.len();
    }
    None
}

/// A hint for serde's messages: a near miss for unknown keys and values, what to add for
/// missing ones.
fn schema_help(message: &str) -> String {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if let Some(rest) = message
        .strip_prefix("unknown field ")
        .or_else(|| message.strip_prefix("unknown variant "))
    {
        let _ = rest;
        if let Some((bad, expected)) = quoted.split_first() {
            return match did_you_mean(bad, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if expected.is_empty() => "remove it".to_string(),
                None => format!("write one of: {}", expected.join(", ")),
            };
        }
    }
    if message.starts_with("invalid type:") {
        return if message.ends_with("expected a number")
            || message.contains("expected i")
            || message.contains("expected u")
        {
            "write a number without quotes, e.g. weight = 10".into()
        } else if message.contains("expected a string")
            || message.contains("expected a borrowed string")
        {
            "write text in double quotes, e.g. name = \"地区生产总值增速\"".into()
        } else if message.contains("expected a sequence") {
            "write a list in square brackets, e.g. applies_to = [\"county\"]".into()
        } else {
            "check the value's type against the README's rule reference".into()
        };
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!("add {} to this table", field.trim());
    }
    "check this value against the README's rule reference".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nan_and_inf_values_only() {
        let text = "a = 1.0\nb = nan\n";
        assert_eq!(non_finite(text).map(|r| &text[r]), Some("nan"));
        let text = "m = { type = \"x\", cap = -inf }";
        assert_eq!(non_finite(text).map(|r| &text[r]), Some("-inf"));
        let text = "xs = [\n  1,\n  inf,\n]";
        assert_eq!(non_finite(text).map(|r| &text[r]), Some("inf"));
        assert_eq!(
            non_finite("name = \"nan inf\" # = nan\ninfo = 1\nnanjing = 2\n"),
            None
        );
    }

    #[test]
    fn schema_help_suggests_near_misses() {
        assert_eq!(
            schema_help("unknown field `wieght`, expected one of `id`, `weight`"),
            "did you mean `weight`?"
        );
        assert_eq!(
            schema_help("invalid type: string \"ten\", expected a number"),
            "write a number without quotes, e.g. weight = 10"
        );
        assert_eq!(
            schema_help("missing field `weight`"),
            "add `weight` to this table"
        );
    }
}
