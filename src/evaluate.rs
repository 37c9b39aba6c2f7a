//! Evaluation: one period's data under a campaign's rules gives its league tables, scorecards
//! and warnings. Pure: no I/O, no clock, no randomness. The same inputs give the same result.
//!
//! The steps, in order:
//! 1. each unit on each indicator: the published actual value (rounded to the indicator's
//!    decimals), expected value, completion ratio, rank in the group, points (rounded to the
//!    campaign's decimals) and status;
//! 2. each unit: category subtotals put on the full-marks scale and rounded; their sum is
//!    the base score;
//! 3. adjustments from the script: bonuses, penalties, veto; the total;
//! 4. each group: ranks by the tie-break chain on published figures (vetoed units last),
//!    then tiers;
//! 5. warnings: red first.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::campaign::{Campaign, RankKey, Scale};
use crate::data::PeriodData;
use crate::diag::{Diagnostic, Sources};
use crate::indicator::{Direction, Indicator, IndicatorKind, Method, Source};
use crate::item::{self, ItemStatus};
use crate::methods::{self, GroupStats, Inputs};
use crate::rank::competition_ranks;
use crate::result::*;
use crate::rounding::{round, to_f64};
use crate::script::{Bound, IndicatorView, Indicators, ScoreArgs, Scripts, UnitView};
use crate::tier::{self, Standing};
use rayon::prelude::*;

/// Scores one period, with the campaign's ids and names, as reports show it. Script failures
/// are the only errors; each names the unit and indicator.
pub fn evaluate(
    c: &Campaign,
    data: &PeriodData,
    scripts: &Scripts,
    sources: &Sources,
) -> Result<PeriodResult, Vec<Diagnostic>> {
    evaluate_facts(c, data, scripts, sources).map(|f| PeriodResult::named(c, &f))
}

/// Scores one period: its facts by index.
pub fn evaluate_facts(
    c: &Campaign,
    data: &PeriodData,
    scripts: &Scripts,
    sources: &Sources,
) -> Result<Facts, Vec<Diagnostic>> {
    // Step 0: key work items, whose on-schedule rates some indicators score.
    let items = evaluate_items(c, data);
    let mut item_counts = vec![ItemCounts::default(); c.units.len()];
    // Each unit's items under way, for indicators that score one category of them.
    let mut owned: Vec<Vec<usize>> = vec![Vec::new(); c.units.len()];
    for (k, (it, r)) in c.items.iter().zip(&items).enumerate() {
        if let Some(r) = r {
            item_counts[it.owner].add(r.status);
            owned[it.owner].push(k);
        }
    }

    // Step 1: the cells of each indicator, indicators in parallel.
    let scored: Vec<Result<Scored, Diagnostic>> = c
        .indicators
        .par_iter()
        .enumerate()
        .map(|(ii, ind)| {
            let values: Cow<[Option<f64>]> = match &ind.source {
                Source::Metrics => Cow::Borrowed(&data.values[ii]),
                Source::Items { category } => ind
                    .assignments
                    .iter()
                    .map(|a| {
                        Some(match category {
                            None => item_counts[a.unit].rate(),
                            Some(k) => category_rate(c, &items, &owned[a.unit], *k),
                        })
                    })
                    .collect(),
            };
            score_indicator(c, ii, &values, data.period.index, scripts, sources)
        })
        .collect();
    // Each unit's cells in indicator order.
    let mut errors = Vec::new();
    // Each unit's cells, sized once (no regrowth: a national period is 284,400 cells).
    let mut counts = vec![0usize; c.units.len()];
    for ind in &c.indicators {
        for a in &ind.assignments {
            counts[a.unit] += 1;
        }
    }
    let mut per_unit: Vec<Vec<Cell>> = counts.into_iter().map(Vec::with_capacity).collect();
    let mut stats = Vec::with_capacity(c.indicators.len());
    for (ii, out) in scored.into_iter().enumerate() {
        match out {
            Ok((cells, group_stats)) => {
                stats.push(group_stats);
                for (a, cell) in c.indicators[ii].assignments.iter().zip(cells) {
                    per_unit[a.unit].push(cell);
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // Steps 2 and 3: each unit's totals and adjustments, units in parallel.
    let ctx = Ctx {
        c,
        data,
        scripts,
        sources,
        ids: Arc::new(
            c.indicators
                .iter()
                .enumerate()
                .map(|(i, x)| (x.id.clone(), i))
                .collect(),
        ),
    };
    let built: Vec<Result<UnitFacts, Diagnostic>> = per_unit
        .into_par_iter()
        .zip(item_counts.into_par_iter())
        .enumerate()
        .map(|(u, (cells, counts))| unit_result(&ctx, u, cells, counts))
        .collect();
    let mut units = Vec::with_capacity(built.len());
    for unit in built {
        match unit {
            Ok(u) => units.push(u),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // Step 4: ranks and tiers per group.
    let placed: Vec<Vec<(u32, usize, Option<usize>)>> = c
        .groups
        .par_iter()
        .enumerate()
        .map(|(g, group)| {
            let members: Vec<usize> = (0..c.units.len())
                .filter(|&u| c.units[u].group == g)
                .collect();
            let ranks = competition_ranks(&members, |&a, &b| {
                compare(c, &group.rank_by, &units[a], &units[b])
            });
            let standings: Vec<Standing> = members
                .iter()
                .zip(&ranks)
                .map(|(&u, &rank)| Standing {
                    rank,
                    total: units[u].total,
                    vetoed: units[u].vetoed,
                })
                .collect();
            let levels = tier::assign(&group.tiers, &standings);
            let mut ranked: Vec<(u32, usize, Option<usize>)> = members
                .iter()
                .zip(&ranks)
                .zip(&levels)
                .map(|((&u, &r), &l)| (r, u, l))
                .collect();
            ranked.sort();
            ranked
        })
        .collect();
    for (group, ranked) in c.groups.iter().zip(&placed) {
        for &(rank, u, level) in ranked {
            units[u].rank = rank;
            units[u].tier = level.map(|l| group.tiers.levels[l].name.clone());
        }
    }

    // Step 5: warnings, red first.
    let warnings = warnings(c, &units, &items);

    let mut facts = Facts {
        period: data.period,
        units: units.into_iter().map(Some).collect(),
        tables: placed
            .into_iter()
            .map(|ranked| ranked.into_iter().map(|(_, u, _)| u).collect())
            .collect(),
        warnings,
        closed: Vec::new(),
        items,
        stats,
    };
    facts.count_warnings();
    Ok(facts)
}

/// Each item's facts at the period's end, aligned with `Campaign::items`; `None` for items
/// not yet started by then, and for all items in periods without a progress report.
fn evaluate_items(c: &Campaign, data: &PeriodData) -> Vec<Option<ItemFact>> {
    let Some(progress) = &data.progress else {
        return vec![None; c.items.len()];
    };
    let end = data.period.end();
    c.items
        .iter()
        .zip(progress)
        .map(|(it, rep)| {
            if it.start > end {
                return None;
            }
            let report = rep.as_ref().map(|r| &r.report);
            Some(ItemFact {
                planned: it.planned(end),
                progress: report.map(|r| r.progress),
                completed: report.and_then(|r| r.completed),
                status: item::status(it, report, end, &c.item_rules),
            })
        })
        .collect()
}

/// A unit's on-schedule rate (%) over its items under way (`owned`) of one category.
fn category_rate(
    c: &Campaign,
    items: &[Option<ItemFact>],
    owned: &[usize],
    category: usize,
) -> f64 {
    let mut counts = ItemCounts::default();
    for &k in owned.iter().filter(|&&k| c.items[k].category == category) {
        if let Some(r) = &items[k] {
            counts.add(r.status);
        }
    }
    counts.rate()
}

/// One indicator's cells (one per assignment) and its groups' statistics.
type Scored = (Vec<Cell>, Vec<GroupStats>);

/// Step 1 for one indicator: a cell per assignment.
fn score_indicator(
    c: &Campaign,
    ii: usize,
    values: &[Option<f64>],
    period_index: u32,
    scripts: &Scripts,
    sources: &Sources,
) -> Result<Scored, Diagnostic> {
    let ind = &c.indicators[ii];
    let progress = match ind.kind {
        IndicatorKind::Rate => 1.0,
        IndicatorKind::Amount => c.progress(ind, period_index),
    };
    let as_expected = |t: f64| methods::expected(ind.kind, t, progress);
    // Published actual values: rounded to the indicator's decimals before any use.
    let actuals: Vec<Option<f64>> = values
        .iter()
        .map(|v| v.map(|x| crate::rounding::round_f64(x, ind.decimals, c.rounding.mode)))
        .collect();
    // Group statistics and ranks, over the units that reported.
    let group_of = |ai: usize| c.units[ind.assignments[ai].unit].group;
    let mut stats = vec![GroupStats::of([]); c.groups.len()];
    let mut ranks: Vec<Option<u32>> = vec![None; values.len()];
    // Each group's reported values as rank keys (higher first), slots in assignment order.
    let mut keys: Vec<Vec<(f64, u32)>> = vec![Vec::new(); c.groups.len()];
    for (ai, actual) in actuals.iter().enumerate() {
        if let Some(x) = actual {
            let key = match ind.direction {
                Direction::HigherIsBetter => *x,
                Direction::LowerIsBetter => -*x,
            };
            keys[group_of(ai)].push((key, ai as u32));
        }
    }
    for (slot, keys) in stats.iter_mut().zip(&mut keys) {
        if keys.is_empty() {
            continue;
        }
        *slot = GroupStats::of(
            keys.iter()
                .map(|&(_, ai)| actuals[ai as usize].unwrap_or_default()),
        );
        for (ai, rank) in crate::rank::ranks_of_values(keys) {
            ranks[ai as usize] = Some(rank);
        }
    }
    // Resolved once per run by the loader (`Scripts::bind`).
    let script = match &ind.method {
        Method::Script { .. } => Some(scripts.score_fn(ii).expect("bound by the loader")),
        _ => None,
    };
    let mut failures = 0usize;
    let mut first_failure = None;
    let mut cells = Vec::with_capacity(values.len());
    for (ai, a) in ind.assignments.iter().enumerate() {
        let expected = as_expected(a.target);
        let stretch = a.stretch.map(as_expected);
        let group = stats[group_of(ai)];
        let mut cell = Cell {
            indicator: ii,
            actual: None,
            target: a.target,
            stretch: a.stretch,
            expected,
            progress,
            ratio: None,
            points: Decimal::ZERO,
            weight: ind.weight,
            rank: ranks[ai],
            status: Status::Missing,
        };
        if let Some(actual) = actuals[ai] {
            let x = Inputs {
                actual,
                expected,
                stretch,
                weight: ind.weight,
                direction: ind.direction,
                rank: ranks[ai].unwrap_or(1),
                group,
            };
            let points = match &script {
                None => match methods::points(&ind.method, &x) {
                    Some(p) => p,
                    None => return Err(methods::cannot_score(c, ii, a.unit, &x)),
                },
                Some(Bound { f, params }) => {
                    let args = ScoreArgs {
                        actual,
                        target: a.target,
                        stretch: a.stretch,
                        expected,
                        progress,
                        weight: ind.weight,
                        direction: ind.direction.sign(),
                        rank: x.rank,
                        count: group.count,
                        min: group.min,
                        max: group.max,
                        mean: group.mean,
                        best: group.best(ind.direction),
                        worst: group.worst(ind.direction),
                        unit: &c.units[a.unit].id,
                        group: &c.groups[group_of(ai)].id,
                    };
                    match scripts.call_score(f, params, &args) {
                        Ok(p) => p,
                        Err(e) => {
                            failures += 1;
                            first_failure.get_or_insert((e, a.unit));
                            0.0
                        }
                    }
                }
            };
            let ratio = methods::completion_ratio(actual, expected, ind.direction);
            cell.actual = Some(round(actual, ind.decimals, c.rounding.mode));
            cell.ratio = ratio.map(|r| round(r, 4, c.rounding.mode));
            cell.points = c.rounding.round(points);
            cell.status = status(actual, expected, ratio, ind);
        }
        cells.push(cell);
    }
    if let Some((e, unit)) = first_failure {
        let others = if failures > 1 {
            format!(" (and {} other units)", failures - 1)
        } else {
            String::new()
        };
        let u = &c.units[unit];
        return Err(e.diagnostic(
            sources,
            &format!(
                "while scoring {} ({}) on {} ({}){others}",
                u.name, u.id, ind.name, ind.id
            ),
        ));
    }
    Ok((cells, stats))
}

/// Lower first; absent last.
fn lower_first(a: Option<Decimal>, b: Option<Decimal>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Higher first; absent last.
fn higher_first(a: Option<Decimal>, b: Option<Decimal>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn status(actual: f64, expected: f64, ratio: Option<f64>, ind: &Indicator) -> Status {
    if methods::met(actual, expected, ind.direction) {
        return Status::Met;
    }
    match ratio {
        Some(r) if r >= ind.thresholds.yellow => Status::Near,
        Some(r) if r >= ind.thresholds.red => Status::Lagging,
        _ => Status::SeverelyLagging,
    }
}

/// The league-table order of two units of a group: vetoed units last, then the chain.
fn compare(c: &Campaign, chain: &[RankKey], a: &UnitFacts, b: &UnitFacts) -> Ordering {
    a.vetoed.cmp(&b.vetoed).then_with(|| {
        for &key in chain {
            let o = key_order(c, key, &side(a, key), &side(b, key));
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    })
}

/// What one step of a ranking chain reads of a unit.
fn side(u: &UnitFacts, key: RankKey) -> Side<'_> {
    let cell = match key {
        RankKey::Indicator(i) | RankKey::Points(i) => u
            .cells
            .binary_search_by_key(&i, |x| x.indicator)
            .ok()
            .map(|k| &u.cells[k]),
        _ => None,
    };
    Side {
        total: u.total,
        categories: &u.categories,
        actual: cell.and_then(|x| x.actual),
        points: cell.map(|x| x.points),
    }
}

/// What a step of a ranking chain compares of one unit: its total, category subtotals, and
/// its published value and points on the key's indicator (`None` where it does not apply).
pub struct Side<'a> {
    pub total: Decimal,
    pub categories: &'a [Option<Decimal>],
    pub actual: Option<Decimal>,
    pub points: Option<Decimal>,
}

/// How two units compare on one step of a ranking chain (`Less`: `a` ranks higher).
pub fn key_order(c: &Campaign, key: RankKey, a: &Side, b: &Side) -> Ordering {
    match key {
        RankKey::Total => b.total.cmp(&a.total),
        RankKey::Category(k) => higher_first(a.categories[k], b.categories[k]),
        RankKey::Indicator(i) => match c.indicators[i].direction {
            // Published values, compared as published (exact decimals).
            Direction::HigherIsBetter => higher_first(a.actual, b.actual),
            Direction::LowerIsBetter => lower_first(a.actual, b.actual),
        },
        RankKey::Points(_) => higher_first(a.points, b.points),
    }
}

/// What steps 2 and 3 read, for every unit.
struct Ctx<'a> {
    c: &'a Campaign,
    data: &'a PeriodData,
    scripts: &'a Scripts,
    sources: &'a Sources,
    /// Indicator id → index, for scripts' `unit.indicators`.
    ids: Arc<HashMap<String, usize>>,
}

/// Steps 2 and 3 for one unit: category subtotals on the full-marks scale, the base score,
/// adjustments and the total.
fn unit_result(
    ctx: &Ctx,
    u: usize,
    cells: Vec<Cell>,
    items: ItemCounts,
) -> Result<UnitFacts, Diagnostic> {
    let (c, data) = (ctx.c, ctx.data);
    let rd = c.rounding;
    let unit = &c.units[u];
    let points: Decimal = cells.iter().map(|x| x.points).sum();
    let full_weight: f64 = cells.iter().map(|x| x.weight).sum();
    // Full marks ÷ the unit's own full marks, in decimals as a person computes it: the rules'
    // figures become decimals once, here.
    let scale = match c.scale {
        Scale::FullMarks if full_weight > 0.0 => {
            Some((as_decimal(c.full_marks), as_decimal(full_weight)))
        }
        _ => None,
    };
    let mut sums: Vec<Option<Decimal>> = vec![None; c.categories.len()];
    for x in &cells {
        let k = c.indicators[x.indicator].category;
        sums[k] = Some(sums[k].unwrap_or_default() + x.points);
    }
    let categories: Vec<Option<Decimal>> = sums
        .into_iter()
        .map(|s| {
            s.map(|d| match scale {
                Some((marks, weight)) => {
                    match d.checked_mul(marks).and_then(|x| x.checked_div(weight)) {
                        Some(x) => rd.round_decimal(x),
                        None => rd.round(d.to_f64().unwrap_or(0.0) * c.full_marks / full_weight),
                    }
                }
                None => rd.round_decimal(d),
            })
        })
        .collect();
    // The base is the sum of the published subtotals, so a table always adds up.
    let base = rd.round_decimal(categories.iter().flatten().sum());
    let adjustments = adjust(ctx, u, base, &categories, &cells).map_err(|f| {
        f.diagnostic(
            ctx.sources,
            &format!("while adjusting {} ({})", unit.name, unit.id),
        )
    })?;
    let total = rd.round_decimal(base + adjustments.iter().map(|a| a.points).sum::<Decimal>());
    let reports_metrics = cells
        .iter()
        .any(|x| c.indicators[x.indicator].source == Source::Metrics);
    Ok(UnitFacts {
        rank: 0,
        tier: None,
        total,
        base,
        points,
        full_weight,
        categories,
        vetoed: adjustments.iter().any(|a| a.kind == AdjustmentKind::Veto),
        adjustments,
        submitted: data.submitted[u] || !reports_metrics,
        cells,
        items,
        movement: Movement::default(),
        open_warnings: 0,
    })
}

fn adjust(
    ctx: &Ctx,
    u: usize,
    base: Decimal,
    categories: &[Option<Decimal>],
    cells: &[Cell],
) -> Result<Vec<Adjustment>, crate::script::ScriptFailure> {
    let (c, data, scripts) = (ctx.c, ctx.data, ctx.scripts);
    let Some(f) = scripts.adjust_fn() else {
        return Ok(Vec::new());
    };
    let unit = &c.units[u];
    let view = UnitView {
        id: &unit.id,
        name: &unit.name,
        group: &c.groups[unit.group].id,
        base: to_f64(base),
        categories: c
            .categories
            .iter()
            .zip(categories)
            .filter_map(|(k, v)| v.map(|v| (k.id.as_str(), to_f64(v))))
            .collect(),
        indicators: Indicators {
            ids: ctx.ids.clone(),
            rows: Arc::new(
                cells
                    .iter()
                    .map(|x| {
                        let view = IndicatorView {
                            actual: x.actual.map(to_f64),
                            target: x.target,
                            expected: x.expected,
                            points: to_f64(x.points),
                            rank: x.rank,
                            status: x.status.label_zh(),
                        };
                        (x.indicator, view)
                    })
                    .collect(),
            ),
        },
        events: &data.events[u],
    };
    let raw = scripts.call_adjust(f, &view)?;
    Ok(raw
        .into_iter()
        .map(|a| Adjustment {
            kind: a.kind,
            points: match a.kind {
                AdjustmentKind::Bonus => c.rounding.round(a.points),
                AdjustmentKind::Penalty => -c.rounding.round(a.points),
                AdjustmentKind::Veto => Decimal::ZERO,
            },
            reason: a.reason,
            line: a.line,
        })
        .collect())
}

fn warnings(c: &Campaign, units: &[UnitFacts], items: &[Option<ItemFact>]) -> Vec<WarningFact> {
    // Red first, then by group, unit and subject (the submission, then indicators, then
    // items): units are visited in group order and each unit's subjects in order, so each
    // level's list is born sorted.
    let (mut red, mut yellow) = (Vec::new(), Vec::new());
    let mut out = |level: Level, w: WarningFact| match level {
        Level::Red => red.push(w),
        Level::Yellow => yellow.push(w),
    };
    let mut in_group_order: Vec<usize> = (0..c.units.len()).collect();
    in_group_order.sort_by_key(|&u| c.units[u].group);
    // Each unit's items, in file order.
    let mut owned: Vec<Vec<usize>> = vec![Vec::new(); c.units.len()];
    for (k, it) in c.items.iter().enumerate() {
        owned[it.owner].push(k);
    }
    for u in in_group_order {
        let submitted = units[u].submitted;
        if !submitted {
            let missing = units[u]
                .cells
                .iter()
                .filter(|x| x.status == Status::Missing)
                .count();
            let mut w = WarningFact::new(
                Level::Red,
                WarningKind::NotSubmitted,
                u,
                Subject::Submission,
                2.0,
            );
            w.missing = Some(missing as u32);
            out(Level::Red, w);
        }
        for x in &units[u].cells {
            let ii = x.indicator;
            let ind = &c.indicators[ii];
            let subject = Subject::Indicator(ii);
            let w = match x.status {
                Status::Missing if submitted => {
                    WarningFact::new(Level::Red, WarningKind::MissingValue, u, subject, 2.0)
                }
                Status::Lagging | Status::SeverelyLagging => {
                    let level = if x.status == Status::SeverelyLagging {
                        Level::Red
                    } else {
                        Level::Yellow
                    };
                    let ratio = x.ratio.map_or(0.0, to_f64);
                    let mut w =
                        WarningFact::new(level, WarningKind::Lagging, u, subject, 1.0 - ratio);
                    let fixed = |mut d: Decimal| {
                        d.rescale(ind.decimals);
                        d
                    };
                    w.actual = x.actual.map(fixed);
                    w.expected = Some(fixed(round(x.expected, ind.decimals, c.rounding.mode)));
                    w.against = Some(match ind.kind {
                        IndicatorKind::Rate => Against::Target,
                        IndicatorKind::Amount => Against::Expected,
                    });
                    w.lower_is_better = ind.direction == Direction::LowerIsBetter;
                    w.ratio = x.ratio;
                    w
                }
                _ => continue,
            };
            out(w.level, w);
        }
        for &k in &owned[u] {
            let (it, Some(r)) = (&c.items[k], &items[k]) else {
                continue;
            };
            let gap = r.progress.map_or(r.planned, |p| r.planned - p);
            let by_gap = if gap > c.item_rules.red_gap {
                Level::Red
            } else {
                Level::Yellow
            };
            let (level, severity) = match r.status {
                ItemStatus::Behind | ItemStatus::NotStarted => (by_gap, gap / 100.0),
                ItemStatus::Overdue | ItemStatus::Unreported => (Level::Red, 2.0),
                _ => continue,
            };
            let mut w = WarningFact::new(level, WarningKind::Item, u, Subject::Item(k), severity);
            w.item_status = Some(r.status);
            w.actual = r.progress.map(pct);
            w.expected = Some(pct(r.planned));
            if matches!(r.status, ItemStatus::Behind | ItemStatus::NotStarted) {
                w.gap = Some(pct(gap));
            }
            if r.status == ItemStatus::Overdue {
                w.due = Some(it.due);
            }
            out(level, w);
        }
    }
    red.append(&mut yellow);
    red
}

/// A figure of the rules (a weight, full marks) as the decimal it was written as.
fn as_decimal(x: f64) -> Decimal {
    Decimal::from_f64_retain(x)
        .map(|d| d.round_dp(12).normalize())
        .unwrap_or_default()
}

/// A percentage as published: at most one decimal, no trailing zeros.
fn pct(x: f64) -> Decimal {
    round(x, 1, crate::rounding::RoundingMode::HalfAwayFromZero).normalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Option<Decimal> {
        Some(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn published_values_compare_exactly_and_missing_ones_last() {
        // 0.1 + 0.2 as published is 0.3: equal, not "0.30000000000000004 is more".
        assert_eq!(higher_first(d("0.30"), d("0.3")), Ordering::Equal);
        assert_eq!(higher_first(d("12.6"), d("12.5")), Ordering::Less);
        assert_eq!(lower_first(d("12.6"), d("12.5")), Ordering::Greater);
        assert_eq!(higher_first(None, d("0")), Ordering::Greater);
        assert_eq!(lower_first(None, d("0")), Ordering::Greater);
        assert_eq!(lower_first(d("-3"), None), Ordering::Less);
    }

    #[test]
    fn rule_figures_become_the_decimals_they_were_written_as() {
        assert_eq!(as_decimal(0.1).to_string(), "0.1");
        assert_eq!(as_decimal(95.0).to_string(), "95");
        assert_eq!(as_decimal(2.5).to_string(), "2.5");
        // 100 ÷ 95 × 33.25 as a person computes it: 35.0 exactly.
        let x = d("33.25").unwrap() * as_decimal(100.0) / as_decimal(95.0);
        assert_eq!(x.round_dp(2).to_string(), "35.00");
    }
}
