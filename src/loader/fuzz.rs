//! Entry points for fuzzing the loaders (`fuzz/` at the repository root, run with `cargo
//! fuzz`; `tests/fuzz_corpus.rs` replays every committed corpus file through them on stable).
//!
//! Each takes arbitrary bytes and puts them in place of one file of a small campaign held in
//! memory (the `mini` test campaign, and `loop` for key work items and their progress), then runs
//! what `check` runs on it: the rules loaded and validated, the scripts compiled and bound,
//! the period's data parsed, its data quality checked and the period scored. Every
//! diagnostic is rendered, as text and JSON, so that its spans are exercised too. No file is
//! read or written. Whatever the bytes, nothing may panic, hang or take unbounded memory:
//! bad input is a diagnostic.

use std::path::Path;

use super::{encoding, input, rules, submissions};
use crate::campaign::Campaign;
use crate::diag::{Diagnostic, FileId, Sources};
use crate::period::Period;
use crate::script::Scripts;

/// A campaign's files as text, by their path in the campaign or period folder.
struct Base {
    campaign: &'static str,
    indicators: &'static str,
    units: &'static str,
    targets: Option<&'static str>,
    items: Option<&'static str>,
    scripts: &'static [&'static str],
    period: &'static str,
    metrics: &'static str,
    events: Option<&'static str>,
    progress: Option<&'static str>,
}

/// The `mini` test campaign (tests/fixtures/mini): every figure worked by hand, two scripts.
const MINI: Base = Base {
    campaign: include_str!("../../tests/fixtures/mini/rules/campaign.toml"),
    indicators: include_str!("../../tests/fixtures/mini/rules/indicators.toml"),
    units: include_str!("../../tests/fixtures/mini/rules/units.csv"),
    targets: Some(include_str!("../../tests/fixtures/mini/rules/targets.csv")),
    items: None,
    scripts: &[
        include_str!("../../tests/fixtures/mini/rules/scripts/scores.rhai"),
        include_str!("../../tests/fixtures/mini/rules/scripts/adjust.rhai"),
    ],
    period: "2023-Q2",
    metrics: include_str!("../../tests/fixtures/mini/data/2023-Q2/metrics.csv"),
    events: Some(include_str!(
        "../../tests/fixtures/mini/data/2023-Q2/events.csv"
    )),
    progress: None,
};

/// The `loop` test campaign (tests/fixtures/loop): `mini` with key work items and progress.
const LOOP: Base = Base {
    campaign: include_str!("../../tests/fixtures/loop/rules/campaign.toml"),
    indicators: include_str!("../../tests/fixtures/loop/rules/indicators.toml"),
    units: include_str!("../../tests/fixtures/loop/rules/units.csv"),
    targets: Some(include_str!("../../tests/fixtures/loop/rules/targets.csv")),
    items: Some(include_str!("../../tests/fixtures/loop/rules/items.csv")),
    scripts: &[
        include_str!("../../tests/fixtures/loop/rules/scripts/scores.rhai"),
        include_str!("../../tests/fixtures/loop/rules/scripts/adjust.rhai"),
    ],
    period: "2023-Q2",
    metrics: include_str!("../../tests/fixtures/loop/data/2023-Q2/metrics.csv"),
    events: Some(include_str!(
        "../../tests/fixtures/loop/data/2023-Q2/events.csv"
    )),
    progress: Some(include_str!(
        "../../tests/fixtures/loop/data/2023-Q2/progress.csv"
    )),
};

/// Which file of the base campaign the fuzzed bytes replace.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Campaign,
    Indicators,
    Units,
    Targets,
    Items,
    /// All the scripts: the bytes are the one script file.
    Scripts,
    Metrics,
    Events,
    Progress,
}

/// How the fuzzed bytes are read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum As {
    /// A UTF-8 text file (TOML, Rhai), as the loader reads campaign.toml.
    Text,
    /// A CSV table: UTF-8 or GBK, as the loader reads data files.
    Csv,
    /// An XLSX workbook.
    Xlsx,
}

/// campaign.toml and indicators.toml: the bytes as each of them in turn.
pub fn campaign_toml(data: &[u8]) {
    run(&MINI, Slot::Campaign, As::Text, data);
    run(&MINI, Slot::Indicators, As::Text, data);
}

/// CSV tables: the bytes as each table in turn (units, targets, metrics, events of `mini`;
/// items and progress of `loop`).
pub fn csv_table(data: &[u8]) {
    for slot in [Slot::Units, Slot::Targets, Slot::Metrics, Slot::Events] {
        run(&MINI, slot, As::Csv, data);
    }
    for slot in [Slot::Items, Slot::Progress] {
        run(&LOOP, slot, As::Csv, data);
    }
}

/// XLSX workbooks: the bytes as metrics.xlsx, units.xlsx and events.xlsx.
pub fn xlsx(data: &[u8]) {
    for slot in [Slot::Metrics, Slot::Units, Slot::Events] {
        run(&MINI, slot, As::Xlsx, data);
    }
}

/// Rhai scripts through `check`: the bytes as the campaign's only script file (the `mini`
/// campaign calls `proportional` for one indicator and `adjust` for every unit), compiled,
/// bound and run on the period's data.
pub fn script(data: &[u8]) {
    run(&MINI, Slot::Scripts, As::Text, data);
}

/// Loads `base` with the bytes in `slot` and checks it as `check` does; renders every
/// diagnostic. Returns how many diagnostics there were (for tests).
fn run(base: &Base, slot: Slot, how: As, data: &[u8]) -> usize {
    let mut sources = Sources::new();
    let diagnostics = match load(base, slot, how, data, &mut sources) {
        Ok(()) => Vec::new(),
        Err(d) => d,
    };
    let _ = crate::diag::render(&sources, &diagnostics, false);
    let _ = crate::diag::to_json(&sources, &diagnostics);
    diagnostics.len()
}

fn load(
    base: &Base,
    slot: Slot,
    how: As,
    data: &[u8],
    sources: &mut Sources,
) -> Result<(), Vec<Diagnostic>> {
    // The fuzzed file, or the base's text, registered as the loader registers it.
    let mut file = |this: Slot, name: &str, text: &str| -> Result<FileId, Vec<Diagnostic>> {
        if this != slot {
            return Ok(sources.add(name, text));
        }
        let name = match how {
            As::Xlsx => format!("{}.xlsx", name.trim_end_matches(".csv")),
            _ => name.to_string(),
        };
        let table = Path::new(&name)
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let read = match how {
            As::Text => text_file(&name, data, sources),
            As::Csv => input::read_text(
                Path::new(&name),
                data.to_vec(),
                input::Encoding::Auto,
                sources,
            ),
            As::Xlsx => input::read_workbook(Path::new(&name), &table, data.to_vec(), sources),
        };
        read.map_err(|e| vec![e])
    };
    let campaign = file(Slot::Campaign, "rules/campaign.toml", base.campaign)?;
    let indicators = file(Slot::Indicators, "rules/indicators.toml", base.indicators)?;
    let units = file(Slot::Units, "rules/units.csv", base.units)?;
    let targets = match (base.targets, slot) {
        (_, Slot::Targets) => Some(file(Slot::Targets, "rules/targets.csv", "")?),
        (Some(t), _) => Some(file(Slot::Targets, "rules/targets.csv", t)?),
        (None, _) => None,
    };
    let items = match (base.items, slot) {
        (_, Slot::Items) => Some(file(Slot::Items, "rules/items.csv", "")?),
        (Some(t), _) => Some(file(Slot::Items, "rules/items.csv", t)?),
        (None, _) => None,
    };
    let scripts = if slot == Slot::Scripts {
        vec![file(Slot::Scripts, "rules/scripts/fuzz.rhai", "")?]
    } else {
        let mut ids = Vec::new();
        for (i, s) in base.scripts.iter().enumerate() {
            ids.push(file(Slot::Scripts, &format!("rules/scripts/{i}.rhai"), s)?);
        }
        ids
    };
    let dir = format!("data/{}", base.period);
    let metrics = file(Slot::Metrics, &format!("{dir}/metrics.csv"), base.metrics)?;
    let events = match (base.events, slot) {
        (_, Slot::Events) => Some(file(Slot::Events, &format!("{dir}/events.csv"), "")?),
        (Some(t), _) => Some(file(Slot::Events, &format!("{dir}/events.csv"), t)?),
        (None, _) => None,
    };
    let progress = match (base.progress, slot) {
        (_, Slot::Progress) => Some(file(Slot::Progress, &format!("{dir}/progress.csv"), "")?),
        (Some(t), _) => Some(file(Slot::Progress, &format!("{dir}/progress.csv"), t)?),
        (None, _) => None,
    };
    let (c, scripts) = rules::build(
        sources,
        rules::Files {
            campaign,
            units,
            indicators,
            targets,
            items,
            scripts,
        },
    )?;
    check_period(
        &c,
        &scripts,
        base.period,
        sources,
        (metrics, events, progress),
        &dir,
    )
}

/// What `check` does with a period of a loaded campaign: parse, data quality, score.
fn check_period(
    c: &Campaign,
    scripts: &Scripts,
    period: &str,
    sources: &Sources,
    (metrics, events, progress): (FileId, Option<FileId>, Option<FileId>),
    dir: &str,
) -> Result<(), Vec<Diagnostic>> {
    let Ok(period) = Period::parse(period, c.period_kind) else {
        return Ok(());
    };
    if !c.covers(period) {
        return Ok(());
    }
    let data = submissions::build(sources, c, period, &[metrics], events, progress, dir)?;
    let _ = crate::quality::check(c, &data, None);
    crate::evaluate::evaluate(c, &data, scripts, sources).map(|_| ())
}

/// A text file as [`super::read_file`] registers it: UTF-16 and mis-decoded text refused, a
/// byte-order mark left out, anything not UTF-8 an error.
fn text_file(name: &str, bytes: &[u8], sources: &mut Sources) -> Result<FileId, Diagnostic> {
    if let Some(e) = encoding::wide_text(name, bytes) {
        return Err(e);
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let file = sources.add(name, text);
            match encoding::mojibake(sources, file, encoding::Text::Utf8Only) {
                Some(e) => Err(e),
                None => Ok(file),
            }
        }
        Err(e) => {
            let at = e.valid_up_to();
            let file = sources.add(name, String::from_utf8_lossy(bytes).into_owned());
            let end = at
                + sources.text(file)[at..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
            Err(
                Diagnostic::error(crate::diag::Kind::Io, format!("`{name}` is not UTF-8 text")).at(
                    file,
                    at..end,
                    "this byte is not UTF-8",
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bases_load_and_score_without_a_diagnostic() {
        for (base, slot) in [(&MINI, Slot::Campaign), (&LOOP, Slot::Items)] {
            let text = match slot {
                Slot::Campaign => base.campaign,
                _ => base.items.unwrap(),
            };
            let how = if slot == Slot::Campaign {
                As::Text
            } else {
                As::Csv
            };
            assert_eq!(run(base, slot, how, text.as_bytes()), 0);
        }
        let both = format!("{}\n{}", MINI.scripts[0], MINI.scripts[1]);
        assert_eq!(run(&MINI, Slot::Scripts, As::Text, both.as_bytes()), 0);
    }

    #[test]
    fn bad_bytes_are_diagnostics() {
        assert!(run(&MINI, Slot::Campaign, As::Text, b"name = ") > 0);
        assert!(run(&MINI, Slot::Scripts, As::Text, b"fn adjust(u) { u.nope() }") > 0);
        assert!(run(&MINI, Slot::Metrics, As::Xlsx, b"PK\x03\x04 not a zip") > 0);
        assert!(run(&MINI, Slot::Units, As::Csv, b"\xff\xfe\x00") > 0);
    }
}
