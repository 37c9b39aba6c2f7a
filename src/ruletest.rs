//! The office's own rule tests (`rules/NAME/tests/*.toml`): for a period of the data, or for
//! values written in the test itself, the ranks, tiers, totals, points or warnings some units
//! must get. `jingbiao test` checks them and prints a readable difference for each miss.
//!
//! ```toml
//! name = "2023年二季度：县区排名"
//! period = "2023-Q2"
//! data = "scenario"            # or "inline": only the [[value]] rows below
//!
//! [[value]]                    # optional: change or add a value
//! unit = "suixi"
//! indicator = "gdp_growth"
//! value = 7.0
//!
//! [[expect]]
//! unit = "etdz"
//! rank = 1
//! tier = "第一方阵"
//! total = 98.80
//! points = { gdp_growth = 10.80 }
//! warnings = ["gdp_growth"]    # exactly these subjects are warned (indicator or item ids, "submission")
//! ```

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use crate::campaign::Campaign;
use crate::data::PeriodData;
use crate::diag::{did_you_mean, Diagnostic, FileId, Kind};
use crate::period::Period;
use crate::result::PeriodResult;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestFile {
    pub name: String,
    pub period: Spanned<String>,
    #[serde(default)]
    pub data: DataSource,
    #[serde(rename = "value", default)]
    pub values: Vec<Spanned<ValueRow>>,
    #[serde(rename = "expect", default)]
    pub expects: Vec<Spanned<Expect>>,
}

#[derive(Debug, Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum DataSource {
    /// The period's data from the data folder, with the test's values on top.
    #[default]
    Scenario,
    /// Only the test's values.
    Inline,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueRow {
    pub unit: String,
    pub indicator: String,
    pub value: Spanned<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub unit: String,
    pub rank: Option<u32>,
    pub tier: Option<String>,
    pub total: Option<Spanned<f64>>,
    #[serde(default)]
    pub points: BTreeMap<String, Spanned<f64>>,
    pub warnings: Option<Vec<String>>,
}

/// A test file, checked against the campaign, ready to run.
pub struct RuleTest {
    pub file: FileId,
    pub name: String,
    pub period: Period,
    pub data: DataSource,
    /// (indicator, assignment, unit, value) to set.
    pub values: Vec<(usize, usize, usize, f64)>,
    pub expects: Vec<Spanned<Expect>>,
}

/// Checks a parsed test file against the campaign: periods, units and indicators exist.
pub fn prepare(c: &Campaign, file: FileId, t: TestFile) -> Result<RuleTest, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let period = Period::parse(t.period.get_ref(), c.period_kind).map_err(|m| {
        vec![Diagnostic::error(Kind::Period, m)
            .at(file, t.period.span(), "period")
            .help("a test names a period of the campaign, e.g. period = \"2023-Q2\"")]
    })?;
    let unit = |id: &str, span: std::ops::Range<usize>, errors: &mut Vec<Diagnostic>| {
        let u = c.unit_index(id);
        if u.is_none() {
            let hint = did_you_mean(id, c.units.iter().map(|u| u.id.as_str()))
                .map_or("units are listed in units.csv".to_string(), |s| {
                    format!("did you mean `{s}`?")
                });
            errors.push(
                Diagnostic::error(Kind::Reference, format!("unknown unit `{id}`"))
                    .at(file, span, "in this table")
                    .help(hint),
            );
        }
        u
    };
    let mut values = Vec::new();
    for v in &t.values {
        let r = v.get_ref();
        let Some(u) = unit(&r.unit, v.span(), &mut errors) else {
            continue;
        };
        let Some(i) = c.indicator_index(&r.indicator) else {
            let hint = did_you_mean(&r.indicator, c.indicators.iter().map(|i| i.id.as_str()))
                .map_or(
                    "indicators are defined in indicators.toml".to_string(),
                    |s| format!("did you mean `{s}`?"),
                );
            errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("unknown indicator `{}`", r.indicator),
                )
                .at(file, v.span(), "in this value")
                .help(hint),
            );
            continue;
        };
        let ind = &c.indicators[i];
        if let Some(d) = finer(*r.value.get_ref(), ind.decimals) {
            errors.push(
                Diagnostic::error(
                    Kind::Value,
                    format!(
                        "the value {} has {d} decimals, but {} is published with {}",
                        r.value.get_ref(),
                        ind.id,
                        ind.decimals
                    ),
                )
                .at(file, r.value.span(), "finer than the published value")
                .help(format!(
                    "the value is rounded to {} decimals before it is scored; write it as published, e.g. {}",
                    ind.decimals,
                    crate::rounding::round(*r.value.get_ref(), ind.decimals, c.rounding.mode)
                )),
            );
        }
        match ind.assignments.iter().position(|a| a.unit == u) {
            Some(slot) => values.push((i, slot, u, *r.value.get_ref())),
            None => errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("`{}` does not apply to `{}`", r.indicator, r.unit),
                )
                .at(file, v.span(), "in this value")
                .help("give values only for indicators that apply to the unit"),
            ),
        }
    }
    let published = c.rounding.decimals;
    let too_fine = |what: &str, x: &Spanned<f64>| -> Option<Diagnostic> {
        let d = finer(*x.get_ref(), published)?;
        Some(
            Diagnostic::error(
                Kind::Value,
                format!(
                    "the expected {what} {} has {d} decimals, but the campaign publishes {published}",
                    x.get_ref()
                ),
            )
            .at(file, x.span(), "finer than the published figure")
            .help(format!(
                "a test compares published figures (campaign.toml [rounding] decimals = {published}); write it as published, e.g. {}",
                c.rounding.round(*x.get_ref())
            )),
        )
    };
    for e in &t.expects {
        let r = e.get_ref();
        let u = unit(&r.unit, e.span(), &mut errors);
        // A tier the unit's group does not have can never be expected of it: an error, not a
        // FAIL on every run.
        if let (Some(u), Some(tier)) = (u, &r.tier) {
            let group = &c.groups[c.units[u].group];
            let names = || group.tiers.levels.iter().map(|l| l.name.as_str());
            if !names().any(|n| n == tier) {
                let help = match did_you_mean(tier, names()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if group.tiers.levels.is_empty() => {
                        format!("the group `{}` has no tiers; remove tier", group.id)
                    }
                    None => format!(
                        "the tiers of `{}`: {}",
                        group.id,
                        names().collect::<Vec<_>>().join("、")
                    ),
                };
                errors.push(
                    Diagnostic::error(
                        Kind::Reference,
                        format!("the group of `{}` has no tier `{tier}`", r.unit),
                    )
                    .at(file, e.span(), "in this expectation")
                    .help(help),
                );
            }
        }
        errors.extend(r.total.as_ref().and_then(|x| too_fine("total", x)));
        for (id, x) in &r.points {
            errors.extend(too_fine(&format!("points on {id}"), x));
        }
        for id in r.points.keys() {
            if c.indicator_index(id).is_none() {
                errors.push(
                    Diagnostic::error(
                        Kind::Reference,
                        format!("unknown indicator `{id}` in points"),
                    )
                    .at(file, e.span(), "in this expectation")
                    .help("points = { INDICATOR_ID = points, … }"),
                );
            }
        }
    }
    if t.expects.is_empty() {
        errors.push(
            Diagnostic::error(
                Kind::Schema,
                format!("the test `{}` expects nothing", t.name),
            )
            .at(file, 0..0, "this file")
            .help("add [[expect]] tables: unit = \"…\" and rank, tier, total, points or warnings"),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(RuleTest {
        file,
        name: t.name,
        period,
        data: t.data,
        values,
        expects: t.expects,
    })
}

/// The data a test runs on: the period's (or nothing, inline) with its values on top.
pub fn data(c: &Campaign, t: &RuleTest, scenario: Option<PeriodData>) -> PeriodData {
    let mut d = scenario.unwrap_or_else(|| PeriodData {
        period: t.period,
        values: c
            .indicators
            .iter()
            .map(|i| vec![None; i.assignments.len()])
            .collect(),
        submitted: vec![false; c.units.len()],
        events: vec![Vec::new(); c.units.len()],
        progress: None,
        files: Vec::new(),
    });
    for &(i, slot, u, v) in &t.values {
        d.values[i][slot] = Some(v);
        d.submitted[u] = true;
    }
    d
}

/// How many decimals `x` has beyond `decimals`, as written (the shortest form of the number
/// that reads back the same): `Some(3)` for 98.804 against 2, `None` for 98.80.
fn finer(x: f64, decimals: u32) -> Option<u32> {
    let written = Decimal::from_str_exact(&format!("{x}")).ok()?.normalize();
    (written.scale() > decimals).then(|| written.scale())
}

/// What a test expected and what it got, one line per difference.
pub fn check(c: &Campaign, t: &RuleTest, result: &PeriodResult) -> Vec<String> {
    let mut misses = Vec::new();
    let rd = c.rounding;
    for e in &t.expects {
        let e = e.get_ref();
        let Some(u) = result
            .groups
            .iter()
            .flat_map(|g| &g.units)
            .find(|u| u.id == e.unit)
        else {
            misses.push(format!("{}: not in the results", e.unit));
            continue;
        };
        let who = format!("{} ({})", u.name, u.id);
        if let Some(rank) = e.rank.filter(|r| *r != u.rank) {
            misses.push(format!("{who} rank: expected {rank}, got {}", u.rank));
        }
        if let Some(tier) = e.tier.as_ref().filter(|t| Some(*t) != u.tier.as_ref()) {
            misses.push(format!(
                "{who} tier: expected {tier}, got {}",
                u.tier.as_deref().unwrap_or("none")
            ));
        }
        if let Some(total) = &e.total {
            let want = rd.round(*total.get_ref());
            if want != u.total {
                misses.push(format!("{who} total: expected {want}, got {}", u.total));
            }
        }
        for (id, p) in &e.points {
            let want = rd.round(*p.get_ref());
            let got: Option<Decimal> = u
                .cells
                .iter()
                .find(|x| *x.indicator == **id)
                .map(|x| x.points);
            match got {
                Some(g) if g == want => {}
                Some(g) => misses.push(format!("{who} points on {id}: expected {want}, got {g}")),
                None => misses.push(format!(
                    "{who} points on {id}: expected {want}, but {id} does not apply"
                )),
            }
        }
        if let Some(want) = &e.warnings {
            let mut got: Vec<String> = result
                .warnings
                .iter()
                .filter(|w| w.unit == u.id)
                .map(|w| {
                    w.indicator
                        .clone()
                        .or(w.item.clone())
                        .unwrap_or_else(|| "submission".into())
                })
                .collect();
            got.sort();
            let mut want = want.clone();
            want.sort();
            if got != want {
                misses.push(format!(
                    "{who} warnings: expected [{}], got [{}]",
                    want.join(", "),
                    got.join(", ")
                ));
            }
        }
    }
    misses
}

#[cfg(test)]
mod tests {
    use super::finer;

    #[test]
    fn figures_finer_than_published_are_told_apart() {
        assert_eq!(finer(98.804, 2), Some(3));
        assert_eq!(finer(98.80, 2), None);
        assert_eq!(finer(98.0, 2), None);
        assert_eq!(finer(0.125, 2), Some(3));
        assert_eq!(finer(6.25, 1), Some(2));
        assert_eq!(finer(-3.5, 1), None);
    }
}
