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
        let mut message = e
            .message()
            .trim()
            .replace("expected f64", "expected a number");
        let mut help = schema_help(&message);
        // serde stops at a table's first missing field: find the others, to say them at once.
        if let (Some(first), Some(table)) = (missing_field(&message), e.span()) {
            let all = all_missing::<T>(part, table, first);
            if all.len() > 1 {
                let list: Vec<String> = all.iter().map(|f| format!("`{f}`")).collect();
                message = format!("missing fields {}", list.join(", "));
                help = format!("add {} to this table", list.join(", "));
            }
        }
        Diagnostic::error(Kind::Schema, message)
            .at(file, span, "here")
            .help(help)
    })
}

/// The field a "missing field `x`" message names.
fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")?
        .split('`')
        .next()
        .filter(|f| !f.is_empty())
}

/// Every field missing from the table at `table` (the span serde gave for its first missing
/// field, `first`), in the order serde asks for them: each found field is given a stand-in
/// value (of whichever type it takes) and the text parsed again, until the table lacks
/// nothing more or another problem comes first.
fn all_missing<T: DeserializeOwned>(text: &str, table: Range<usize>, first: &str) -> Vec<String> {
    let mut found = vec![first.to_string()];
    let mut text = text.to_string();
    'fields: for _ in 0..64 {
        let field = found.last().expect("one at least").clone();
        let mut stand_ins: Vec<String> = ["0", "\"\"", "[]", "false", "{}"]
            .map(String::from)
            .to_vec();
        // A table at the very start may be the file's top level, or a [table] there.
        let mut top = false;
        let mut k = 0;
        while k < stand_ins.len() {
            let Some((next, at)) = with_field(&text, &table, &field, &stand_ins[k], top) else {
                break 'fields;
            };
            let e = match toml::from_str::<T>(&next) {
                Ok(_) => break 'fields,
                Err(e) => e,
            };
            let message = e.message().trim().to_string();
            match e.span() {
                Some(s) if s.start == table.start => match missing_field(&message) {
                    Some(f) if !found.iter().any(|x| x == f) => {
                        found.push(f.to_string());
                        text = next;
                        continue 'fields;
                    }
                    // Written into the wrong table: the top level it is.
                    Some(f) if f == field && !top && table.start == 0 => top = true,
                    _ => break 'fields,
                },
                // The stand-in has the wrong type (or is not a variant): try the next.
                Some(s) if s.start < at.end && at.start < s.end => {
                    if let Some(v) = message
                        .strip_prefix("unknown variant ")
                        .and_then(|m| m.split_once("expected "))
                        .and_then(|(_, rest)| rest.split('`').nth(1))
                    {
                        stand_ins.push(format!("\"{v}\""));
                    }
                    k += 1;
                }
                // Another problem, elsewhere: the stand-in fitted, this table lacks no more.
                _ => break 'fields,
            }
        }
        break;
    }
    found
}

/// `text` with `field = value` written into the table at `table`: after the `{` of an inline
/// table, after the header line of a `[table]`, or first in the file for its top level.
/// Also returns where the value went.
fn with_field(
    text: &str,
    table: &Range<usize>,
    field: &str,
    value: &str,
    top: bool,
) -> Option<(String, Range<usize>)> {
    let rest = text.get(table.start..)?;
    let (at, entry) = if top {
        (0, format!("{field} = {value}\n"))
    } else if let Some(inside) = rest.strip_prefix('{') {
        let empty = inside.trim_start().starts_with('}');
        let sep = if empty { " " } else { ", " };
        (table.start + 1, format!(" {field} = {value}{sep}"))
    } else if rest.starts_with('[') {
        match rest.find('\n') {
            Some(n) => (table.start + n + 1, format!("{field} = {value}\n")),
            None => (text.len(), format!("\n{field} = {value}\n")),
        }
    } else if table.start == 0 {
        (0, format!("{field} = {value}\n"))
    } else {
        return None;
    };
    let value_at = at + entry.find(" = ")? + 3;
    let mut out = String::with_capacity(text.len() + entry.len());
    out.push_str(&text[..at]);
    out.push_str(&entry);
    out.push_str(&text[at..]);
    Some((out, value_at..value_at + value.len()))
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
    fn every_missing_field_of_a_table_is_found() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Dir {
            d: DirectionRaw,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            name: String,
            weight: f64,
            tags: Vec<String>,
            kind: DirectionRaw,
            note: Option<String>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Top {
            year: i32,
            name: String,
            #[serde(rename = "item", default)]
            items: Vec<Inner>,
            m: Option<Inner>,
        }
        let missing = |text: &str| {
            let e = toml::from_str::<Top>(text).unwrap_err();
            let first = missing_field(e.message()).unwrap().to_string();
            all_missing::<Top>(text, e.span().unwrap(), &first)
        };
        assert_eq!(
            missing("year = 1\nname = \"a\"\n[[item]]\nnote = \"x\"\n"),
            ["name", "weight", "tags", "kind"]
        );
        assert_eq!(
            missing("year = 1\nname = \"a\"\nm = { weight = 2 }\n"),
            ["name", "tags", "kind"]
        );
        assert_eq!(
            missing("year = 1\nname = \"a\"\nm = {}\n"),
            ["name", "weight", "tags", "kind"]
        );
        assert_eq!(
            missing("[[item]]\nname = \"a\"\nweight = 1\ntags = []\nkind = \"higher\"\n"),
            ["year", "name"]
        );
        // Another problem after the table's missing fields ends the search.
        assert_eq!(
            missing("year = 1\nname = \"a\"\n[[item]]\nname = \"x\"\n[[item]]\nnote = 1\n"),
            ["weight", "tags", "kind"]
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
