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
use crate::rounding::round;
use crate::script::{IndicatorView, Indicators, Param, ScoreArgs, Scripts, UnitView};
use crate::tier::{self, Standing};
use rayon::prelude::*;

/// Scores one period. Script failures are the only errors; each names the unit and indicator.
pub fn evaluate(
    c: &Campaign,
    data: &PeriodData,
    scripts: &Scripts,
    sources: &Sources,
) -> Result<PeriodResult, Vec<Diagnostic>> {
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
    let scored: Vec<Result<Vec<CellResult>, Diagnostic>> = c
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
                            Some(k) => category_rate(c, &items, &owned[a.unit], k),
                        })
                    })
                    .collect(),
            };
            score_indicator(c, ind, &values, data.period.index, scripts, sources)
        })
        .collect();
    // Each unit's cells in indicator order, with the indicators' indices beside them.
    let mut errors = Vec::new();
    let mut per_unit: Vec<(Vec<usize>, Vec<CellResult>)> = (0..c.units.len())
        .map(|_| (Vec::new(), Vec::new()))
        .collect();
    for (ii, out) in scored.into_iter().enumerate() {
        match out {
            Ok(cells) => {
                for (a, cell) in c.indicators[ii].assignments.iter().zip(cells) {
                    per_unit[a.unit].0.push(ii);
                    per_unit[a.unit].1.push(cell);
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
    let built: Vec<(Vec<usize>, Result<UnitResult, Diagnostic>)> = per_unit
        .into_par_iter()
        .zip(item_counts.into_par_iter())
        .enumerate()
        .map(|(u, ((ind_ix, cells), counts))| {
            let unit = unit_result(&ctx, u, &ind_ix, cells, counts);
            (ind_ix, unit)
        })
        .collect();
    let mut ind_ix = Vec::with_capacity(built.len());
    let mut units = Vec::with_capacity(built.len());
    for (ix, unit) in built {
        ind_ix.push(ix);
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
                compare(
                    c,
                    &group.rank_by,
                    &units[a],
                    &units[b],
                    &ind_ix[a],
                    &ind_ix[b],
                )
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
    let warnings = warnings(c, &units, &ind_ix, &items);

    // The league tables take the units, in rank order.
    let mut slots: Vec<Option<UnitResult>> = units.into_iter().map(Some).collect();
    let groups = c
        .groups
        .iter()
        .zip(placed)
        .map(|(group, ranked)| GroupResult {
            id: group.id.clone(),
            name: group.name.clone(),
            units: ranked
                .into_iter()
                .filter_map(|(_, u, _)| slots[u].take())
                .collect(),
        })
        .collect();
    let _ = &mut errors;

    Ok(PeriodResult {
        campaign: c.name.clone(),
        period: data.period.to_string(),
        period_label: data.period.label_zh(),
        decimals: c.rounding.decimals,
        categories: c
            .categories
            .iter()
            .map(|k| CategoryInfo {
                id: k.id.clone(),
                name: k.name.clone(),
            })
            .collect(),
        groups,
        warnings,
        items: items.into_iter().flatten().collect(),
        closed: Vec::new(),
    })
}

/// Each item's result at the period's end, aligned with `Campaign::items`; `None` for items
/// not yet started by then, and for all items in periods without a progress report.
fn evaluate_items(c: &Campaign, data: &PeriodData) -> Vec<Option<ItemResult>> {
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
            let unit = &c.units[it.owner];
            Some(ItemResult {
                id: it.id.clone(),
                title: it.title.clone(),
                unit: unit.id.clone(),
                unit_name: unit.name.clone(),
                group: c.groups[unit.group].id.clone(),
                category: it.category.clone(),
                start: it.start,
                due: it.due,
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
    items: &[Option<ItemResult>],
    owned: &[usize],
    category: &str,
) -> f64 {
    let mut counts = ItemCounts::default();
    for &k in owned.iter().filter(|&&k| c.items[k].category == category) {
        if let Some(r) = &items[k] {
            counts.add(r.status);
        }
    }
    counts.rate()
}

/// Step 1 for one indicator: a cell per assignment.
fn score_indicator(
    c: &Campaign,
    ind: &Indicator,
    values: &[Option<f64>],
    period_index: u32,
    scripts: &Scripts,
    sources: &Sources,
) -> Result<Vec<CellResult>, Diagnostic> {
    let progress = match ind.kind {
        IndicatorKind::Rate => 1.0,
        IndicatorKind::Amount => c.progress(ind, period_index),
    };
    let as_expected = |t: f64| match ind.kind {
        IndicatorKind::Rate => t,
        IndicatorKind::Amount => methods::snap(t * progress),
    };
    // Published actual values: rounded to the indicator's decimals before any use.
    let actuals: Vec<Option<f64>> = values
        .iter()
        .map(|v| v.map(|x| crate::rounding::round_f64(x, ind.decimals, c.rounding.mode)))
        .collect();
    // Group statistics and ranks, over the units that reported.
    let group_of = |ai: usize| c.units[ind.assignments[ai].unit].group;
    let mut stats = vec![GroupStats::of([]); c.groups.len()];
    let mut ranks: Vec<Option<u32>> = vec![None; values.len()];
    for (g, slot) in stats.iter_mut().enumerate() {
        let members: Vec<usize> = (0..values.len())
            .filter(|&ai| group_of(ai) == g && actuals[ai].is_some())
            .collect();
        if members.is_empty() {
            continue;
        }
        *slot = GroupStats::of(members.iter().map(|&ai| actuals[ai].unwrap_or_default()));
        let r = competition_ranks(&members, |&a, &b| {
            by_direction(ind.direction, actuals[a], actuals[b])
        });
        for (&ai, rank) in members.iter().zip(r) {
            ranks[ai] = Some(rank);
        }
    }
    let script = match &ind.method {
        Method::Script { function } => {
            let f = scripts.function(function).expect("checked by the loader");
            let params: Vec<Param> = f
                .param_names
                .iter()
                .filter_map(|p| Param::from_name(p))
                .collect();
            Some((f, params))
        }
        _ => None,
    };
    let (id, name): (Arc<str>, Arc<str>) = (ind.id.as_str().into(), ind.name.as_str().into());
    let mut failures = 0usize;
    let mut first_failure = None;
    let mut cells = Vec::with_capacity(values.len());
    for (ai, a) in ind.assignments.iter().enumerate() {
        let expected = as_expected(a.target);
        let stretch = a.stretch.map(as_expected);
        let group = stats[group_of(ai)];
        let mut cell = CellResult {
            indicator: id.clone(),
            name: name.clone(),
            method: Cow::Borrowed(ind.method.label_zh()),
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
                None => methods::points(&ind.method, &x).unwrap_or(0.0),
                Some((f, params)) => {
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
    Ok(cells)
}

/// Better first; missing values last.
fn by_direction(direction: Direction, a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => match direction {
            Direction::HigherIsBetter => b.total_cmp(&a),
            Direction::LowerIsBetter => a.total_cmp(&b),
        },
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
fn compare(
    c: &Campaign,
    chain: &[RankKey],
    a: &UnitResult,
    b: &UnitResult,
    ia: &[usize],
    ib: &[usize],
) -> Ordering {
    a.vetoed.cmp(&b.vetoed).then_with(|| {
        for &key in chain {
            let (x, y) = match key {
                RankKey::Indicator(i) | RankKey::Points(i) => {
                    (cell_of(a, ia, i), cell_of(b, ib, i))
                }
                _ => (None, None),
            };
            let o = key_order(c, key, a, b, x, y);
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    })
}

/// How two units compare on one step of a ranking chain (`Less`: `a` ranks higher). `ca`
/// and `cb` are their cells on the key's indicator, for indicator and points keys.
pub fn key_order(
    c: &Campaign,
    key: RankKey,
    a: &UnitResult,
    b: &UnitResult,
    ca: Option<&CellResult>,
    cb: Option<&CellResult>,
) -> Ordering {
    match key {
        RankKey::Total => b.total.cmp(&a.total),
        RankKey::Category(k) => higher_first(a.categories[k], b.categories[k]),
        RankKey::Indicator(i) => {
            let v = |x: Option<&CellResult>| x.and_then(|x| x.actual).and_then(|d| d.to_f64());
            by_direction(c.indicators[i].direction, v(ca), v(cb))
        }
        RankKey::Points(_) => higher_first(ca.map(|x| x.points), cb.map(|x| x.points)),
    }
}

/// A unit's cell on indicator `i`, if the indicator applies to it; `ix` holds the indicator
/// of each of the unit's cells, in increasing order.
fn cell_of<'u>(unit: &'u UnitResult, ix: &[usize], i: usize) -> Option<&'u CellResult> {
    ix.binary_search(&i).ok().map(|k| &unit.cells[k])
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
    ind_ix: &[usize],
    cells: Vec<CellResult>,
    items: ItemCounts,
) -> Result<UnitResult, Diagnostic> {
    let (c, data) = (ctx.c, ctx.data);
    let rd = c.rounding;
    let unit = &c.units[u];
    let points: Decimal = cells.iter().map(|x| x.points).sum();
    let full_weight: f64 = cells.iter().map(|x| x.weight).sum();
    let factor = match c.scale {
        Scale::FullMarks if full_weight > 0.0 => c.full_marks / full_weight,
        _ => 1.0,
    };
    let mut sums: Vec<Option<Decimal>> = vec![None; c.categories.len()];
    for (&ii, x) in ind_ix.iter().zip(&cells) {
        let k = c.indicators[ii].category;
        sums[k] = Some(sums[k].unwrap_or_default() + x.points);
    }
    let categories: Vec<Option<Decimal>> = sums
        .into_iter()
        .map(|s| s.map(|d| rd.round(d.to_f64().unwrap_or(0.0) * factor)))
        .collect();
    // The base is the sum of the published subtotals, so a table always adds up.
    let base = rd.round_decimal(categories.iter().flatten().sum());
    let adjustments = adjust(ctx, u, base, &categories, ind_ix, &cells).map_err(|f| {
        f.diagnostic(
            ctx.sources,
            &format!("while adjusting {} ({})", unit.name, unit.id),
        )
    })?;
    let total = rd.round_decimal(base + adjustments.iter().map(|a| a.points).sum::<Decimal>());
    let reports_metrics = ind_ix
        .iter()
        .any(|&ii| c.indicators[ii].source == Source::Metrics);
    Ok(UnitResult {
        id: unit.id.clone(),
        name: unit.name.clone(),
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
    })
}

fn adjust(
    ctx: &Ctx,
    u: usize,
    base: Decimal,
    categories: &[Option<Decimal>],
    ind_ix: &[usize],
    cells: &[CellResult],
) -> Result<Vec<Adjustment>, crate::script::ScriptFailure> {
    let (c, data, scripts) = (ctx.c, ctx.data, ctx.scripts);
    let Some(f) = c.adjust.as_deref().and_then(|name| scripts.function(name)) else {
        return Ok(Vec::new());
    };
    let unit = &c.units[u];
    let view = UnitView {
        id: &unit.id,
        name: &unit.name,
        group: &c.groups[unit.group].id,
        base: base.to_f64().unwrap_or(0.0),
        categories: c
            .categories
            .iter()
            .zip(categories)
            .filter_map(|(k, v)| v.map(|v| (k.id.as_str(), v.to_f64().unwrap_or(0.0))))
            .collect(),
        indicators: Indicators {
            ids: ctx.ids.clone(),
            rows: Arc::new(
                ind_ix
                    .iter()
                    .zip(cells)
                    .map(|(&ii, x)| {
                        let view = IndicatorView {
                            actual: x.actual.and_then(|d| d.to_f64()),
                            target: x.target,
                            expected: x.expected,
                            points: x.points.to_f64().unwrap_or(0.0),
                            rank: x.rank,
                            status: x.status.label_zh(),
                        };
                        (ii, view)
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

fn warnings(
    c: &Campaign,
    units: &[UnitResult],
    ind_ix: &[Vec<usize>],
    items: &[Option<ItemResult>],
) -> Vec<Warning> {
    // (level, group, unit, subject order, warning): subjects are the submission, then
    // indicators, then items.
    let mut out: Vec<(Level, usize, usize, usize, Warning)> = Vec::new();
    for (u, unit) in c.units.iter().enumerate() {
        let group = &c.groups[unit.group];
        let base = |level, kind, severity: f64| Warning {
            level,
            kind,
            group: group.id.clone(),
            unit: unit.id.clone(),
            unit_name: unit.name.clone(),
            indicator: None,
            indicator_name: None,
            item: None,
            item_title: None,
            actual: None,
            expected: None,
            against: None,
            lower_is_better: false,
            ratio: None,
            gap: None,
            measure: None,
            item_status: None,
            due: None,
            missing: None,
            // To 4 decimals: enough to tell better from worse, and tidy in JSON.
            severity: (severity * 1e4).round() / 1e4,
            age: 1,
            follow_up: FollowUp::New,
            escalation: None,
            history: Vec::new(),
        };
        let submitted = units[u].submitted;
        if !submitted {
            let missing = units[u]
                .cells
                .iter()
                .filter(|x| x.status == Status::Missing)
                .count();
            let mut w = base(Level::Red, WarningKind::NotSubmitted, 2.0);
            w.missing = Some(missing as u32);
            out.push((Level::Red, unit.group, u, 0, w));
        }
        for (ii, x) in ind_ix[u].iter().zip(&units[u].cells) {
            let ind = &c.indicators[*ii];
            let mut w = match x.status {
                Status::Missing if submitted => base(Level::Red, WarningKind::MissingValue, 2.0),
                Status::Lagging | Status::SeverelyLagging => {
                    let level = if x.status == Status::SeverelyLagging {
                        Level::Red
                    } else {
                        Level::Yellow
                    };
                    let ratio = x.ratio.and_then(|r| r.to_f64()).unwrap_or(0.0);
                    let mut w = base(level, WarningKind::Lagging, 1.0 - ratio);
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
                    w.measure = Some(ind.measure.clone());
                    w
                }
                _ => continue,
            };
            w.indicator = Some(ind.id.clone());
            w.indicator_name = Some(ind.name.clone());
            out.push((w.level, unit.group, u, 1 + *ii, w));
        }
        for (k, (it, r)) in c.items.iter().zip(items).enumerate() {
            let Some(r) = r.as_ref().filter(|_| it.owner == u) else {
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
            let mut w = base(level, WarningKind::Item, severity);
            w.item = Some(it.id.clone());
            w.item_title = Some(it.title.clone());
            w.item_status = Some(r.status);
            w.actual = r.progress.map(pct);
            w.expected = Some(pct(r.planned));
            if matches!(r.status, ItemStatus::Behind | ItemStatus::NotStarted) {
                w.gap = Some(pct(gap));
            }
            if r.status == ItemStatus::Overdue {
                w.due = Some(it.due);
            }
            out.push((level, unit.group, u, 1 + c.indicators.len() + k, w));
        }
    }
    out.sort_by_key(|(level, g, u, i, _)| (*level, *g, *u, *i));
    out.into_iter().map(|(.., w)| w).collect()
}

/// A percentage as published: at most one decimal, no trailing zeros.
fn pct(x: f64) -> Decimal {
    round(x, 1, crate::rounding::RoundingMode::HalfAwayFromZero).normalize()
}
