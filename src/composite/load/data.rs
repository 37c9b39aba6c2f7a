//! A period's data.csv: one row per unit, one column per indicator (and denominator,
//! name and imputation group), numbers checked and missing values kept missing.

use std::collections::HashMap;
use std::ops::Range;

use crate::composite::model::*;
use crate::diag::{did_you_mean, Diagnostic, FileId, Kind, Sources};
use crate::loader::csv_table::parse_number;

/// A CSV record: its fields (trimmed) with their spans, and the row's span.
pub(super) struct Record {
    fields: Vec<(String, Range<usize>)>,
    span: Range<usize>,
}

pub(super) fn read_records(sources: &Sources, file: FileId) -> Result<Vec<Record>, Diagnostic> {
    let text = sources.text(file);
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&text.as_bytes()[bom..]);
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let at = e.position().map_or(0, |p| p.byte() as usize + bom);
            Diagnostic::error(Kind::Csv, format!("this CSV file cannot be read: {e}"))
                .at(file, at..sources.span_to_line_end(file, at).end, "here")
                .help("save the file as CSV (UTF-8) and check that quotes are closed")
        })?;
        let start = record.position().map_or(0, |p| p.byte() as usize) + bom;
        let mut spans = Vec::with_capacity(record.len());
        crate::loader::csv_table::field_spans(text, start, record.len(), |_, s| spans.push(s));
        let fields = record
            .iter()
            .zip(spans)
            .map(|(f, s)| (f.trim().to_string(), s))
            .collect();
        out.push(Record {
            fields,
            span: start..sources.span_to_line_end(file, start).end,
        });
    }
    Ok(out)
}

pub(super) fn parse_data(
    model: &Model,
    sources: &Sources,
    file: FileId,
    period: &str,
) -> Result<Data, Vec<Diagnostic>> {
    let records = read_records(sources, file).map_err(|e| vec![e])?;
    let Some((header, rows)) = records.split_first() else {
        return Err(vec![Diagnostic::error(Kind::Csv, "this CSV file is empty")
            .at(file, 0..0, "no header row")
            .help(format!(
                "start the file with a header row naming `{}` and the indicator codes",
                model.unit_column
            ))]);
    };
    let mut errors = Vec::new();
    let names: Vec<&str> = header.fields.iter().map(|f| f.0.as_str()).collect();
    let header_span = header.span.clone();
    let mut column = |name: &str, why: &str, def: Option<&Origin>| -> Option<usize> {
        if let Some(i) = names.iter().position(|n| *n == name) {
            return Some(i);
        }
        let hint = match did_you_mean(name, names.iter().copied()) {
            Some(s) => {
                format!("did you mean `{s}`? Rename the column or the code so that they match")
            }
            None => format!("add a `{name}` column to the data"),
        };
        let mut d = Diagnostic::error(
            Kind::Csv,
            format!("the data has no `{name}` column ({why})"),
        )
        .at(file, header_span.clone(), "header row");
        if let Some(o) = def {
            d = d.also(o.file, o.span.clone(), "defined here");
        }
        errors.push(d.help(hint));
        None
    };
    let unit_col = column(&model.unit_column, "the unit id, from composite.toml", None);
    let name_col = model
        .name_column
        .as_ref()
        .and_then(|n| column(n, "the unit name, from composite.toml", None));
    let group_col = match &model.pipeline.impute {
        Impute::GroupMean { group } | Impute::GroupMedian { group } => {
            column(group, "the imputation group, from composite.toml", None)
        }
        _ => None,
    };
    let mut value_cols = vec![None; model.nodes.len()];
    let mut denom_cols = vec![None; model.nodes.len()];
    for i in model.indicators() {
        let n = &model.nodes[i];
        if n.branch {
            continue;
        }
        value_cols[i] = column(&n.code, "an indicator", Some(&n.origin));
        if model.pipeline.denominate {
            if let Some(d) = &n.denominator {
                denom_cols[i] = column(
                    d,
                    &format!("the denominator of `{}`", n.code),
                    Some(&n.origin),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let unit_col = unit_col.expect("checked above");
    let width = header.fields.len();
    let mut codes: Vec<String> = Vec::new();
    let mut unit_names = Vec::new();
    let mut unit_rows = Vec::new();
    let mut seen: HashMap<String, Range<usize>> = HashMap::new();
    let mut values = vec![Vec::new(); model.nodes.len()];
    let mut denominators: Vec<Option<Vec<Option<f64>>>> = vec![None; model.nodes.len()];
    for i in model.indicators() {
        if denom_cols[i].is_some() {
            denominators[i] = Some(Vec::new());
        }
    }
    let mut group_names: Vec<String> = Vec::new();
    let mut groups = Vec::new();
    for row in rows {
        if row.fields.iter().all(|f| f.0.is_empty()) {
            continue;
        }
        if row.fields.len() != width {
            errors.push(
                Diagnostic::error(Kind::Csv, format!("this row has {} fields but the header has {width}", row.fields.len()))
                    .at(file, row.span.clone(), format!("{} fields", row.fields.len()))
                    .help("every row needs one field per header column; a comma inside a value must be quoted: \"1,234\""),
            );
            continue;
        }
        let (code, span) = &row.fields[unit_col];
        if code.is_empty() {
            errors.push(
                Diagnostic::error(Kind::Value, "this row has no unit id")
                    .at(file, row.span.clone(), "no unit id")
                    .help(format!("fill in the `{}` column", model.unit_column)),
            );
            continue;
        }
        if let Some(first) = seen.get(code) {
            errors.push(
                Diagnostic::error(Kind::Duplicate, format!("the unit `{code}` appears twice"))
                    .at(file, span.clone(), "again here")
                    .also(file, first.clone(), "first here")
                    .help("keep one row per unit"),
            );
            continue;
        }
        seen.insert(code.clone(), span.clone());
        let mut num = |c: usize, what: &str| -> Option<f64> {
            let (t, s) = &row.fields[c];
            if t.is_empty() || t.eq_ignore_ascii_case("NA") {
                return None;
            }
            match parse_number(t) {
                Some(v) => Some(v),
                None => {
                    errors.push(
                        Diagnostic::error(Kind::Value, format!("{what} is not a number: `{t}`"))
                            .at(file, s.clone(), "expected a number")
                            .help("write the number with digits and a decimal point, e.g. 6.5; leave the cell empty when the value is missing"),
                    );
                    None
                }
            }
        };
        for i in model.indicators() {
            // A branch's column is filled from its campaign after the data is read.
            let v = value_cols[i].and_then(|c| {
                num(
                    c,
                    &format!("the value of `{}` for `{code}`", model.nodes[i].code),
                )
            });
            values[i].push(v);
            if let Some(dc) = denom_cols[i] {
                let d = num(
                    dc,
                    &format!("the denominator `{}` for `{code}`", row.fields[dc].0),
                );
                if let Some(col) = denominators[i].as_mut() {
                    col.push(d);
                }
            }
        }
        if let Some(g) = group_col {
            let name = row.fields[g].0.clone();
            let k = match group_names.iter().position(|n| *n == name) {
                Some(k) => k,
                None => {
                    group_names.push(name);
                    group_names.len() - 1
                }
            };
            groups.push(k);
        }
        codes.push(code.clone());
        unit_names.push(name_col.map_or_else(|| code.clone(), |c| row.fields[c].0.clone()));
        unit_rows.push(row.span.clone());
    }
    if codes.len() < 2 && errors.is_empty() {
        errors.push(
            Diagnostic::error(Kind::Value, "the data has fewer than two units")
                .at(file, header_span, "header row")
                .help("a composite index ranks units against each other: add one row per unit"),
        );
    }
    // The reference unit of distance-to-reference must be in the data.
    let mut refs: Vec<(&String, &Origin)> = Vec::new();
    if let Normalise::DistanceToReference { unit, .. } = &model.pipeline.normalise {
        refs.push((unit, &model.normalise_origin));
    }
    for n in &model.sensitivity.normalise {
        if let (Normalise::DistanceToReference { unit, .. }, Some(o)) =
            (n, &model.sensitivity.origin)
        {
            refs.push((unit, o));
        }
    }
    for (unit, o) in refs {
        if !codes.contains(unit) {
            let hint = match did_you_mean(unit, codes.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "name a unit id of the data".to_string(),
            };
            errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("the reference unit `{unit}` is not in the data"),
                )
                .at(o.file, o.span.clone(), "the normalisation naming it")
                .help(hint),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Data {
        period: period.to_string(),
        unit_codes: codes,
        unit_names,
        values,
        denominators,
        groups: group_col.map(|_| groups),
        group_names,
        file,
        unit_rows,
        branches: Vec::new(),
    })
}
