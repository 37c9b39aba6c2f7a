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

    // Step 1a: each indicator's published values, group statistics and ranks, indicators in
    // parallel.
    let prepared: Vec<Prepared> = c
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
            prepare(c, ii, &values, data.period.index, scripts)
        })
        .collect();
    // Each unit's cells as (indicator, assignment), in indicator order, flat: `slots[starts[u]
    // .. starts[u + 1]]`.
    let mut starts = vec![0usize; c.units.len() + 1];
    for ind in &c.indicators {
        for a in &ind.assignments {
            starts[a.unit + 1] += 1;
        }
    }
    for u in 0..c.units.len() {
        starts[u + 1] += starts[u];
    }
    let mut slots = vec![(0u32, 0u32); starts[c.units.len()]];
    let mut next = starts.clone();
    for (ii, ind) in c.indicators.iter().enumerate() {
        for (ai, a) in ind.assignments.iter().enumerate() {
            slots[next[a.unit]] = (ii as u32, ai as u32);
            next[a.unit] += 1;
        }
    }

    // Steps 1b, 2 and 3: each unit's cells, totals and adjustments, units in parallel; the
    // cells are built where they are kept (no second copy of a national period's cells).
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
    let built: Vec<Built> = item_counts
        .into_par_iter()
        .enumerate()
        .map(|(u, counts)| {
            let mut failures = Vec::new();
            let mut cells = Vec::with_capacity(starts[u + 1] - starts[u]);
            for &(ii, ai) in &slots[starts[u]..starts[u + 1]] {
                let (ii, ai) = (ii as usize, ai as usize);
                match score_cell(c, ii, ai, &prepared[ii], scripts) {
                    Ok(cell) => cells.push(cell),
                    Err(f) => failures.push(Failure { ii, ai, why: f }),
                }
            }
            if !failures.is_empty() {
                return (None, failures);
            }
            (Some(unit_result(&ctx, u, cells, counts)), failures)
        })
        .collect();
    // Cells that cannot be scored: per indicator, the first unit (in assignment order) and
    // how many others; indicators in order.
    let (built, failures): (Vec<_>, Vec<_>) = built.into_iter().unzip();
    let mut failures: Vec<Failure> = failures.into_iter().flatten().collect();
    if !failures.is_empty() {
        failures.sort_by_key(|f| (f.ii, f.ai));
        let mut errors = Vec::new();
        for run in failures.chunk_by(|a, b| a.ii == b.ii) {
            errors.push(failure_diagnostic(c, sources, run));
        }
        return Err(errors);
    }
    let mut errors = Vec::new();
    let mut units = Vec::with_capacity(built.len());
    for unit in built.into_iter().flatten() {
        match unit {
            Ok(u) => units.push(u),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let stats = prepared.into_iter().map(|p| p.stats).collect();

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

/// Step 1a for one indicator: what scoring each of its cells reads.
struct Prepared<'s> {
    /// Target × time progress for amounts, 1 for rates.
    progress: f64,
    /// Published actual values, by assignment: rounded to the indicator's decimals before
    /// any use.
    actuals: Vec<Option<f64>>,
    /// Rank in the group, by assignment.
    ranks: Vec<Option<u32>>,
    /// Per group, over the units that reported.
    stats: Vec<GroupStats>,
    /// The score function, for a script method (resolved once per run by the loader).
    script: Option<&'s Bound>,
}

fn prepare<'s>(
    c: &Campaign,
    ii: usize,
    values: &[Option<f64>],
    period_index: u32,
    scripts: &'s Scripts,
) -> Prepared<'s> {
    let ind = &c.indicators[ii];
    let progress = match ind.kind {
        IndicatorKind::Rate => 1.0,
        IndicatorKind::Amount => c.progress(ind, period_index),
    };
    let actuals: Vec<Option<f64>> = values
        .iter()
        .map(|v| v.map(|x| crate::rounding::round_f64(x, ind.decimals, c.rounding.mode)))
        .collect();
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
    let script = match &ind.method {
        Method::Script { .. } => Some(scripts.score_fn(ii).expect("bound by the loader")),
        _ => None,
    };
    Prepared {
        progress,
        actuals,
        ranks,
        stats,
        script,
    }
}

/// Why a cell could not be scored.
enum Why {
    /// A built-in method found no value (its diagnostic).
    Method(Diagnostic),
    /// The score function failed.
    Script(crate::script::ScriptFailure),
}

/// A unit's facts (`None` when some of its cells could not be scored) and the cells that
/// could not be.
type Built = (Option<Result<UnitFacts, Diagnostic>>, Vec<Failure>);

/// A cell that could not be scored: indicator and assignment.
struct Failure {
    ii: usize,
    ai: usize,
    why: Why,
}

/// The diagnostic for an indicator's failed cells (`run`, in assignment order): the first
/// unit's, with how many others failed too.
fn failure_diagnostic(c: &Campaign, sources: &Sources, run: &[Failure]) -> Diagnostic {
    let first = &run[0];
    let ind = &c.indicators[first.ii];
    match &first.why {
        Why::Method(d) => d.clone(),
        Why::Script(e) => {
            let others = if run.len() > 1 {
                format!(" (and {} other units)", run.len() - 1)
            } else {
                String::new()
            };
            let u = &c.units[ind.assignments[first.ai].unit];
            e.diagnostic(
                sources,
                &format!(
                    "while scoring {} ({}) on {} ({}){others}",
                    u.name, u.id, ind.name, ind.id
                ),
            )
        }
    }
}

/// Step 1b: the cell of assignment `ai` of indicator `ii`.
fn score_cell(
    c: &Campaign,
    ii: usize,
    ai: usize,
    p: &Prepared,
    scripts: &Scripts,
) -> Result<Cell, Why> {
    let ind = &c.indicators[ii];
    let a = &ind.assignments[ai];
    let as_expected = |t: f64| methods::expected(ind.kind, t, p.progress);
    let expected = as_expected(a.target);
    let stretch = a.stretch.map(as_expected);
    let g = c.units[a.unit].group;
    let group = p.stats[g];
    let mut cell = Cell {
        indicator: ii,
        actual: None,
        target: a.target,
        stretch: a.stretch,
        expected,
        progress: p.progress,
        ratio: None,
        points: Decimal::ZERO,
        weight: ind.weight,
        rank: p.ranks[ai],
        status: Status::Missing,
    };
    let Some(actual) = p.actuals[ai] else {
        return Ok(cell);
    };
    let x = Inputs {
        actual,
        expected,
        stretch,
        weight: ind.weight,
        direction: ind.direction,
        rank: p.ranks[ai].unwrap_or(1),
        group,
    };
    let points = match p.script {
        None => methods::points(&ind.method, &x)
            .ok_or_else(|| Why::Method(methods::cannot_score(c, ii, a.unit, &x)))?,
        Some(Bound { f, params }) => {
            let args = ScoreArgs {
                actual,
                target: a.target,
                stretch: a.stretch,
                expected,
                progress: p.progress,
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
                group: &c.groups[g].id,
            };
            scripts.call_score(f, params, &args).map_err(Why::Script)?
        }
    };
    let ratio = methods::completion_ratio(actual, expected, ind.direction);
    cell.actual = Some(round(actual, ind.decimals, c.rounding.mode));
    cell.ratio = ratio.map(|r| round(r, 4, c.rounding.mode));
    cell.points = c.rounding.round(points);
    cell.status = status(actual, expected, ratio, ind);
    Ok(cell)
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
    // As on paper: 305.5, not the 305.49999999999994 a sum of doubles can give.
    let full_weight = crate::rounding::snap(cells.iter().map(|x| x.weight).sum());
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
    // items): units are visited in group order and each unit's subjects in order, so the
    // list is born sorted. Counted first, then red, then yellow: a national period's
    // ~100,000 warnings are held once, in a list of the exact size.
    let mut in_group_order: Vec<usize> = (0..c.units.len()).collect();
    in_group_order.sort_by_key(|&u| c.units[u].group);
    // Each unit's items, in file order.
    let mut owned: Vec<Vec<usize>> = vec![Vec::new(); c.units.len()];
    for (k, it) in c.items.iter().enumerate() {
        owned[it.owner].push(k);
    }
    let n = each_warning(
        c,
        units,
        items,
        &in_group_order,
        &owned,
        None,
        &mut Vec::new(),
    );
    let mut all = Vec::with_capacity(n);
    for level in [Level::Red, Level::Yellow] {
        each_warning(
            c,
            units,
            items,
            &in_group_order,
            &owned,
            Some(level),
            &mut all,
        );
    }
    all
}

/// The period's warnings of level `keep` into `out`, units in `order`, each unit's subjects
/// in order; with `keep` `None`, only counts the warnings of every level (none is built).
/// Returns how many there are of the level asked for (or of all).
fn each_warning(
    c: &Campaign,
    units: &[UnitFacts],
    items: &[Option<ItemFact>],
    order: &[usize],
    owned: &[Vec<usize>],
    keep: Option<Level>,
    out: &mut Vec<WarningFact>,
) -> usize {
    let mut n = 0;
    // Whether to build a warning of this level (counting it either way).
    let mut take = |level: Level| {
        let wanted = keep.is_none() || keep == Some(level);
        n += usize::from(wanted);
        keep == Some(level)
    };
    for &u in order {
        let submitted = units[u].submitted;
        if !submitted && take(Level::Red) {
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
            out.push(w);
        }
        for x in &units[u].cells {
            let ii = x.indicator;
            let ind = &c.indicators[ii];
            let subject = Subject::Indicator(ii);
            let level = match x.status {
                Status::Missing if submitted => Level::Red,
                Status::SeverelyLagging => Level::Red,
                Status::Lagging => Level::Yellow,
                _ => continue,
            };
            if !take(level) {
                continue;
            }
            let w = match x.status {
                Status::Missing => {
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
            out.push(w);
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
            if !take(level) {
                continue;
            }
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
            out.push(w);
        }
    }
    n
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
