//! A unit's scorecard, explained: for each indicator the figures, the method's formula with
//! the numbers filled in and the points; each adjustment with its reason and the script line
//! that made it; how the total adds up; and how the rank and tier were decided. Pure: it
//! reads a scored period and the rules, and writes its sentences from the catalogue
//! ([`crate::report::lang`]) in the language asked for.

use std::cmp::Ordering;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::campaign::{BoundaryTies, Campaign, RankKey, Scale, TierBy};
use crate::diag::Sources;
use crate::evaluate::key_order;
use crate::indicator::{Anchor, Direction, Indicator, IndicatorKind, Method};
use crate::methods::{self, Breakdown, GroupStats, Inputs, Reach};
use crate::report::lang::msg;
use crate::report::{Document, Grid, Lang};
use crate::result::AdjustmentKind;
use crate::result::{CellResult, GroupResult, PeriodResult, UnitResult};
use crate::rounding::format_fixed;
use crate::script::Scripts;

#[derive(Debug, Serialize)]
pub struct Explanation {
    pub campaign: String,
    pub period: String,
    pub unit: String,
    pub name: String,
    pub group: String,
    pub lines: Vec<Line>,
    pub adjustments: Vec<AdjustmentLine>,
    /// How the total adds up.
    pub total: String,
    /// How the rank was decided against the neighbours.
    pub rank: String,
    /// How the tier was decided.
    pub tier: String,
}

#[derive(Debug, Serialize)]
pub struct Line {
    pub indicator: String,
    pub name: String,
    pub method: String,
    pub actual: String,
    pub target: String,
    pub expected: String,
    pub formula: String,
    pub points: String,
    pub status: String,
}

#[derive(Debug, Serialize)]
pub struct AdjustmentLine {
    pub kind: String,
    pub points: String,
    pub reason: String,
    /// `scripts/adjust.rhai:12`, where the bonus, penalty or veto was made.
    pub source: String,
}

/// A number as a person writes it: no trailing zeros, at most 4 decimals.
fn num(x: f64) -> String {
    let d =
        crate::rounding::round(x, 4, crate::rounding::RoundingMode::HalfAwayFromZero).normalize();
    if d.is_zero() {
        "0".into()
    } else {
        d.to_string()
    }
}

/// Explains `unit` in a scored period, in `lang`; `None` if the period has no such unit.
pub fn explain(
    c: &Campaign,
    scripts: &Scripts,
    sources: &Sources,
    result: &PeriodResult,
    unit: &str,
    lang: Lang,
) -> Option<Explanation> {
    let (g, u) = result
        .groups
        .iter()
        .find_map(|g| g.units.iter().find(|u| u.id == unit).map(|u| (g, u)))?;
    let gi = c.groups.iter().position(|x| x.id == g.id);
    let lines = u
        .cells
        .iter()
        .filter_map(|cell| {
            let ii = c.indicators.iter().position(|i| *i.id == *cell.indicator)?;
            let ind = &c.indicators[ii];
            // The group's figures as evaluation had them; recomputed from the published
            // values only for a period that was not scored now.
            let gs = gi
                .and_then(|gi| result.stats.get(ii)?.get(gi).copied())
                .unwrap_or_else(|| stats(g, &ind.id));
            Some(line(lang, c, scripts, ind, g, u, cell, gs, result.decimals))
        })
        .collect();
    let adjust_file = c
        .adjust
        .as_deref()
        .and_then(|f| scripts.function(f))
        .map(|f| sources.name(f.file).to_string());
    let adjustments = u
        .adjustments
        .iter()
        .map(|a| AdjustmentLine {
            kind: match a.kind {
                AdjustmentKind::Bonus => lang.t("加分"),
                AdjustmentKind::Penalty => lang.t("扣分"),
                AdjustmentKind::Veto => lang.t("一票否决"),
            }
            .into(),
            points: match a.kind {
                AdjustmentKind::Veto => "—".into(),
                _ if a.points > Decimal::ZERO => {
                    format!("+{}", format_fixed(a.points, result.decimals))
                }
                _ => format_fixed(a.points, result.decimals),
            },
            reason: a.reason.clone(),
            source: match (&adjust_file, a.line) {
                (Some(f), Some(l)) => format!("{f}:{l}"),
                (Some(f), None) => f.clone(),
                _ => String::new(),
            },
        })
        .collect();
    Some(Explanation {
        campaign: result.campaign.clone(),
        period: result.period.clone(),
        unit: u.id.clone(),
        name: u.name.clone(),
        group: g.name.clone(),
        lines,
        adjustments,
        total: total_line(lang, c, result, u),
        rank: rank_line(lang, c, g, u),
        tier: tier_line(lang, c, g, u),
    })
}

/// The group's figures on an indicator, from the scored cells.
fn stats(g: &GroupResult, indicator: &str) -> GroupStats {
    GroupStats::of(
        g.units
            .iter()
            .flat_map(|u| u.cells.iter().filter(|c| &*c.indicator == indicator))
            .filter_map(|c| c.actual.and_then(|a| a.to_f64())),
    )
}

#[allow(clippy::too_many_arguments)]
fn line(
    lang: Lang,
    c: &Campaign,
    scripts: &Scripts,
    ind: &Indicator,
    g: &GroupResult,
    u: &UnitResult,
    cell: &CellResult,
    gs: GroupStats,
    decimals: u32,
) -> Line {
    let d = ind.decimals;
    let fixed = |x: f64| format_fixed(crate::rounding::round(x, d, c.rounding.mode), d);
    let points = format_fixed(cell.points, decimals);
    let formula = match cell.actual.and_then(|a| a.to_f64()) {
        None => lang.text(msg::FORMULA_MISSING).to_string(),
        Some(x) => formula(lang, scripts, ind, g, u, cell, gs, x, &points),
    };
    Line {
        indicator: ind.id.clone(),
        name: ind.name.clone(),
        method: lang.t(ind.method.label_zh()).into(),
        actual: cell.actual.map_or("—".into(), |a| {
            format!("{}{}", format_fixed(a, d), ind.measure)
        }),
        target: format!("{}{}", num(cell.target), ind.measure),
        expected: match ind.kind {
            IndicatorKind::Rate => format!("{}{}", num(cell.expected), ind.measure),
            IndicatorKind::Amount => lang.fill(
                msg::FORMULA_EXPECTED,
                &[
                    ("expected", &fixed(cell.expected)),
                    ("measure", &ind.measure),
                    ("target", &num(cell.target)),
                    ("progress", &num(cell.progress * 100.0)),
                ],
            ),
        },
        formula,
        points,
        status: lang.t(cell.status.label_zh()).into(),
    }
}

/// What the method was given for the unit: the same figures evaluation gave it, from the
/// scored period (the published actual values, and the group's statistics over them).
fn inputs(ind: &Indicator, gs: GroupStats, cell: &CellResult, actual: f64) -> Inputs {
    Inputs {
        actual,
        expected: cell.expected,
        stretch: cell
            .stretch
            .map(|s| methods::expected(ind.kind, s, cell.progress)),
        weight: ind.weight,
        direction: ind.direction,
        rank: cell.rank.unwrap_or(1),
        group: gs,
    }
}

/// The comparison sign between the actual and the expected value.
fn cmp(direction: Direction, met: bool) -> &'static str {
    match (direction, met) {
        (Direction::HigherIsBetter, true) => "≥",
        (Direction::HigherIsBetter, false) => "<",
        (Direction::LowerIsBetter, true) => "≤",
        (Direction::LowerIsBetter, false) => ">",
    }
}

fn anchor_name(a: Anchor, lang: Lang) -> &'static str {
    lang.text(match a {
        Anchor::Target => msg::ANCHOR_TARGET,
        Anchor::Best => msg::ANCHOR_BEST,
        Anchor::Worst => msg::ANCHOR_WORST,
        Anchor::Value(_) => msg::ANCHOR_VALUE,
    })
}

/// The formula line of a built-in method: its breakdown in words, with `points` the
/// published points.
fn render(b: &Breakdown, points: &str, lang: Lang) -> String {
    match *b {
        Breakdown::AllOrNothing {
            actual,
            expected,
            direction,
            weight,
            met,
        } => lang.fill(
            if met {
                msg::FORMULA_ALL_OR_NOTHING_MET
            } else {
                msg::FORMULA_ALL_OR_NOTHING_MISSED
            },
            &[
                ("actual", &num(actual)),
                ("cmp", cmp(direction, met)),
                ("expected", &num(expected)),
                ("weight", &num(weight)),
                ("points", points),
            ],
        ),
        Breakdown::Proportional {
            weight,
            numerator,
            denominator,
            cap,
            ..
        } => lang.fill(
            msg::FORMULA_PROPORTIONAL,
            &[
                ("weight", &num(weight)),
                ("numerator", &num(numerator)),
                ("denominator", &num(denominator)),
                ("cap", &num(cap)),
                ("points", points),
            ],
        ),
        Breakdown::Stretch {
            actual,
            expected,
            stretch,
            direction,
            weight,
            bonus,
            toward,
        } => lang.fill(
            msg::FORMULA_STRETCH,
            &[
                ("actual", &num(actual)),
                ("cmp", cmp(direction, true)),
                ("expected", &num(expected)),
                ("stretch", &num(stretch)),
                ("percent", &num(toward * 100.0)),
                ("weight", &num(weight)),
                ("bonus", &num(bonus)),
                ("toward", &num(toward)),
                ("points", points),
            ],
        ),
        Breakdown::Efficacy {
            actual,
            weight,
            high,
            high_from,
            low,
            low_from,
            reach,
            d,
            credited_d,
            ..
        } => {
            let figures = [
                ("actual", num(actual)),
                ("high", num(high)),
                ("high_from", anchor_name(high_from, lang).to_string()),
                ("low", num(low)),
                ("low_from", anchor_name(low_from, lang).to_string()),
                ("d", num(d)),
                ("floor", num(methods::EFFICACY_FLOOR)),
                ("span", num(methods::EFFICACY_SPAN)),
            ];
            let args: Vec<(&str, &str)> = figures.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let how = lang.fill(
                match reach {
                    Reach::Satisfactory => msg::FORMULA_EFFICACY_SATISFACTORY,
                    Reach::NoRoom => msg::FORMULA_EFFICACY_NO_ROOM,
                    Reach::Between => msg::FORMULA_EFFICACY_BETWEEN,
                },
                &args,
            );
            lang.fill(
                msg::FORMULA_EFFICACY_POINTS,
                &[
                    ("how", &how),
                    ("weight", &num(weight)),
                    ("d", &num(credited_d)),
                    ("points", points),
                ],
            )
        }
        Breakdown::Rank {
            weight,
            rank,
            step,
            places,
            ..
        } => lang.fill(
            msg::FORMULA_RANK,
            &[
                ("rank", &rank.to_string()),
                ("weight", &num(weight)),
                ("step", &num(step)),
                ("places", &places.to_string()),
                ("points", points),
            ],
        ),
        Breakdown::Average {
            weight,
            mean,
            count,
            minuend,
            subtrahend,
            step,
            points_per_step,
            cap_points,
            floor,
            ..
        } => lang.fill(
            msg::FORMULA_AVERAGE,
            &[
                ("mean", &num(mean)),
                ("count", &count.to_string()),
                ("weight", &num(weight)),
                ("points_per_step", &num(points_per_step)),
                ("minuend", &num(minuend)),
                ("subtrahend", &num(subtrahend)),
                ("step", &num(step)),
                ("points", points),
                ("cap", &num(cap_points)),
                ("floor", &num(floor)),
            ],
        ),
    }
}

#[allow(clippy::too_many_arguments)]
fn formula(
    lang: Lang,
    scripts: &Scripts,
    ind: &Indicator,
    g: &GroupResult,
    u: &UnitResult,
    cell: &CellResult,
    gs: GroupStats,
    x: f64,
    points: &str,
) -> String {
    let inputs = inputs(ind, gs, cell, x);
    if let Some(scored) = methods::score(&ind.method, &inputs) {
        return render(&scored.breakdown, points, lang);
    }
    let Method::Script { function, .. } = &ind.method else {
        unreachable!("every method but a script is built in")
    };
    // A script's arguments are the inputs evaluation gave it.
    let s = inputs.group;
    let args: Vec<String> = scripts
        .function(function)
        .map(|f| {
            f.param_names
                .iter()
                .map(|p| {
                    let v = match p.as_str() {
                        "actual" => num(x),
                        "target" => num(cell.target),
                        "stretch" => cell.stretch.map_or("()".into(), num),
                        "expected" => num(inputs.expected),
                        "progress" => num(cell.progress),
                        "weight" => num(inputs.weight),
                        "direction" => num(ind.direction.sign()),
                        "rank" => inputs.rank.to_string(),
                        "count" => s.count.to_string(),
                        "min" => num(s.min),
                        "max" => num(s.max),
                        "mean" => num(s.mean),
                        "best" => num(s.best(ind.direction)),
                        "worst" => num(s.worst(ind.direction)),
                        "unit" => format!("\"{}\"", u.id),
                        "group" => format!("\"{}\"", g.id),
                        other => other.to_string(),
                    };
                    format!("{p} = {v}")
                })
                .collect()
        })
        .unwrap_or_default();
    lang.fill(
        msg::FORMULA_SCRIPT,
        &[
            ("function", function),
            ("args", &args.join(", ")),
            ("points", points),
        ],
    )
}

fn total_line(lang: Lang, c: &Campaign, result: &PeriodResult, u: &UnitResult) -> String {
    let d = result.decimals;
    let parts: Vec<String> = result
        .categories
        .iter()
        .zip(&u.categories)
        .filter_map(|(k, v)| v.map(|v| format!("{} {}", k.name, format_fixed(v, d))))
        .collect();
    let scaled = match c.scale {
        Scale::FullMarks if (u.full_weight - c.full_marks).abs() > 1e-9 => lang.fill(
            msg::TOTAL_SCALED,
            &[
                ("points", &format_fixed(u.points, d)),
                ("weight", &num(u.full_weight)),
                ("marks", &num(c.full_marks)),
            ],
        ),
        _ => String::new(),
    };
    let adj: Decimal = u.adjustments.iter().map(|a| a.points).sum();
    let mut s = lang.fill(
        msg::TOTAL_BASE,
        &[
            ("scaled", &scaled),
            ("parts", &parts.join(" + ")),
            ("base", &format_fixed(u.base, d)),
        ],
    );
    if !adj.is_zero() {
        let sign = if adj > Decimal::ZERO { "+" } else { "" };
        s.push_str(&lang.fill(
            msg::TOTAL_ADJUSTED,
            &[("adjustment", &format!("{sign}{}", format_fixed(adj, d)))],
        ));
    }
    if u.vetoed {
        s.push_str(lang.text(msg::TOTAL_VETOED));
    }
    s.push_str(&lang.fill(msg::TOTAL_TOTAL, &[("total", &format_fixed(u.total, d))]));
    s
}

/// The first step of the chain that tells two units apart, in words.
fn decided_by(
    lang: Lang,
    c: &Campaign,
    chain: &[RankKey],
    a: &UnitResult,
    b: &UnitResult,
) -> Option<(String, Ordering)> {
    fn cell<'u>(c: &Campaign, u: &'u UnitResult, i: usize) -> Option<&'u CellResult> {
        u.cells.iter().find(|x| *x.indicator == *c.indicators[i].id)
    }
    for &key in chain {
        let (ca, cb) = match key {
            RankKey::Indicator(i) | RankKey::Points(i) => (cell(c, a, i), cell(c, b, i)),
            _ => (None, None),
        };
        fn side<'u>(u: &'u UnitResult, x: Option<&CellResult>) -> crate::evaluate::Side<'u> {
            crate::evaluate::Side {
                total: u.total,
                categories: &u.categories,
                actual: x.and_then(|x| x.actual),
                points: x.map(|x| x.points),
            }
        }
        let o = key_order(c, key, &side(a, ca), &side(b, cb));
        if o != Ordering::Equal {
            let show = |u: &UnitResult, x: Option<&CellResult>| match key {
                RankKey::Total => u.total.to_string(),
                RankKey::Category(k) => u.categories[k].map_or("—".into(), |v| v.to_string()),
                RankKey::Indicator(_) => x
                    .and_then(|x| x.actual)
                    .map_or("—".into(), |v| v.to_string()),
                RankKey::Points(_) => x.map_or("—".into(), |x| x.points.to_string()),
            };
            let why = lang.fill(
                msg::DECIDED_BY,
                &[
                    ("key", &key_name(lang, c, key)),
                    ("a", &show(a, ca)),
                    ("b", &show(b, cb)),
                ],
            );
            return Some((why, o));
        }
    }
    None
}

fn key_name(lang: Lang, c: &Campaign, key: RankKey) -> String {
    match key {
        RankKey::Total => lang.text(msg::KEY_TOTAL).into(),
        RankKey::Category(k) => {
            lang.fill(msg::KEY_CATEGORY, &[("category", &c.categories[k].name)])
        }
        RankKey::Indicator(i) => {
            lang.fill(msg::KEY_INDICATOR, &[("indicator", &c.indicators[i].name)])
        }
        RankKey::Points(i) => lang.fill(msg::KEY_POINTS, &[("indicator", &c.indicators[i].name)]),
    }
}

fn rank_line(lang: Lang, c: &Campaign, g: &GroupResult, u: &UnitResult) -> String {
    let Some(group) = c.groups.iter().find(|x| x.id == g.id) else {
        return String::new();
    };
    let chain: Vec<String> = group
        .rank_by
        .iter()
        .map(|k| key_name(lang, c, *k))
        .collect();
    let mut s = lang.fill(
        msg::RANK_LINE,
        &[
            ("rank", &u.rank.to_string()),
            ("count", &g.units.len().to_string()),
            ("chain", &chain.join(" → ")),
        ],
    );
    if u.vetoed {
        s.push_str(lang.text(msg::RANK_VETOED));
        return s;
    }
    let pos = g.units.iter().position(|x| x.id == u.id).unwrap_or(0);
    let ties: Vec<&str> = g
        .units
        .iter()
        .filter(|x| x.rank == u.rank && x.id != u.id)
        .map(|x| x.name.as_str())
        .collect();
    if !ties.is_empty() {
        s.push_str(&lang.fill(
            msg::RANK_TIED,
            &[("units", &ties.join(lang.text(msg::EXPLAIN_LIST_SEP)))],
        ));
    }
    let above = g.units[..pos]
        .iter()
        .rev()
        .find(|x| x.rank < u.rank && !x.vetoed);
    let below = g.units[pos + 1..]
        .iter()
        .find(|x| x.rank > u.rank && !x.vetoed);
    if let Some(a) = above {
        if let Some((why, _)) = decided_by(lang, c, &group.rank_by, a, u) {
            s.push_str(&lang.fill(msg::RANK_AFTER, &[("unit", &a.name), ("why", &why)]));
        }
    }
    if let Some(b) = below {
        if let Some((why, _)) = decided_by(lang, c, &group.rank_by, u, b) {
            s.push_str(&lang.fill(msg::RANK_BEFORE, &[("unit", &b.name), ("why", &why)]));
        }
    }
    s
}

fn tier_line(lang: Lang, c: &Campaign, g: &GroupResult, u: &UnitResult) -> String {
    let Some(group) = c.groups.iter().find(|x| x.id == g.id) else {
        return String::new();
    };
    let Some(tier) = &u.tier else {
        return lang.text(msg::TIER_NONE).into();
    };
    let n = g.units.len() as f64;
    let last = group.tiers.levels.len().saturating_sub(1);
    let (mut cum, mut places) = (0.0, 0.0);
    let mut limits = Vec::new();
    let rules: Vec<String> = group
        .tiers
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let limit = l.limit.unwrap_or(0.0);
            if i == last {
                return lang.fill(msg::TIER_REST, &[("tier", &l.name)]);
            }
            let from = places + 1.0;
            match group.tiers.by {
                TierBy::Count => {
                    cum += limit;
                    places = cum;
                    limits.push(places);
                    lang.fill(
                        msg::TIER_COUNT,
                        &[
                            ("tier", &l.name),
                            ("from", &num(from)),
                            ("to", &num(places)),
                        ],
                    )
                }
                TierBy::Share => {
                    cum += limit;
                    places = (cum * n + 1e-9).floor();
                    limits.push(places);
                    lang.fill(
                        msg::TIER_SHARE,
                        &[
                            ("tier", &l.name),
                            ("percent", &num(cum * 100.0)),
                            ("from", &num(from)),
                            ("to", &num(places)),
                        ],
                    )
                }
                TierBy::Score => lang.fill(
                    msg::TIER_SCORE,
                    &[("tier", &l.name), ("limit", &num(limit))],
                ),
            }
        })
        .collect();
    let mut s = lang.fill(
        msg::TIER_LINE,
        &[
            ("tier", tier),
            ("rules", &rules.join(lang.text(msg::EXPLAIN_SEP))),
        ],
    );
    if u.vetoed {
        s.push_str(lang.text(msg::TIER_VETOED));
    } else if group.tiers.by != TierBy::Score {
        let tied = g.units.iter().filter(|x| x.rank == u.rank).count() as f64;
        let (first, last_place) = (u.rank as f64, u.rank as f64 + tied - 1.0);
        if tied > 1.0 && limits.iter().any(|&l| first <= l && l < last_place) {
            s.push_str(lang.text(match group.tiers.ties {
                BoundaryTies::Lower => msg::TIER_TIES_LOWER,
                BoundaryTies::Higher => msg::TIER_TIES_HIGHER,
            }));
        }
    }
    s
}

/// The explanation as a document (title, the indicators' table, the adjustments, the total,
/// rank and tier lines) and the indicators' table alone for CSV. Names from the rules and
/// data are shown as written.
pub fn document(e: &Explanation, lang: Lang) -> (Document, Grid) {
    let mut d = Document::new(lang.fill(
        msg::EXPLAIN_TITLE,
        &[
            ("campaign", &e.campaign),
            ("period", &e.period),
            ("unit", &e.name),
            ("group", &e.group),
        ],
    ));
    let mut g = Grid::new(
        [
            lang.t("指标"),
            lang.t("方法"),
            lang.t("完成值"),
            lang.t("目标"),
            lang.t("序时目标"),
            lang.t("计算"),
            lang.t("得分"),
            lang.t("状态"),
        ]
        .map(String::from)
        .to_vec(),
        vec![false, false, true, true, false, false, true, false],
    );
    for l in &e.lines {
        g.rows.push(vec![
            l.name.clone(),
            l.method.clone(),
            l.actual.clone(),
            l.target.clone(),
            l.expected.clone(),
            l.formula.clone(),
            l.points.clone(),
            l.status.clone(),
        ]);
    }
    d.heading(lang.t("各项指标"));
    d.table(g.clone());
    if !e.adjustments.is_empty() {
        d.heading(lang.text(msg::EXPLAIN_ADJUSTMENTS));
        let mut a = Grid::new(
            [
                lang.t("类型"),
                lang.t("分值"),
                lang.t("事由"),
                lang.t("规则出处"),
            ]
            .map(String::from)
            .to_vec(),
            vec![false, true, false, false],
        );
        for x in &e.adjustments {
            a.rows.push(vec![
                x.kind.clone(),
                x.points.clone(),
                x.reason.clone(),
                x.source.clone(),
            ]);
        }
        d.table(a);
    }
    d.heading(lang.t("总分"));
    d.lines(vec![e.total.clone()]);
    d.heading(lang.t("排名"));
    d.lines(vec![e.rank.clone()]);
    d.heading(lang.t("等次"));
    d.lines(vec![e.tier.clone()]);
    (d, g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::*;

    fn inputs(actual: f64, expected: f64, direction: Direction, group: &[f64]) -> Inputs {
        Inputs {
            actual,
            expected,
            stretch: None,
            weight: 10.0,
            direction,
            rank: 3,
            group: GroupStats::of(group.iter().copied()),
        }
    }

    fn line(m: Method, x: Inputs, points: &str, lang: Lang) -> String {
        render(&methods::score(&m, &x).unwrap().breakdown, points, lang)
    }

    #[test]
    fn branches_the_example_does_not_show() {
        let all = Method::Completion {
            all_or_nothing: true,
            cap: 1.0,
            stretch_bonus: 0.0,
        };
        assert_eq!(
            line(all, inputs(2.5, 2.6, LowerIsBetter, &[]), "10.00", Lang::Zh),
            "2.5 ≤ 2.6，达到目标，得满分 10 = 10.00"
        );
        let proportional = Method::Completion {
            all_or_nothing: false,
            cap: 1.2,
            stretch_bonus: 0.0,
        };
        assert_eq!(
            line(
                proportional,
                inputs(40.0, 30.0, LowerIsBetter, &[]),
                "7.50",
                Lang::Zh
            ),
            "10 × min(30 ÷ 40, 1.2) = 7.50"
        );
        let no_room = Method::Efficacy {
            high: Anchor::Target,
            low: Anchor::Value(5.0),
            max_d: 100.0,
        };
        assert_eq!(
            line(
                no_room,
                inputs(4.0, 5.0, HigherIsBetter, &[]),
                "6.00",
                Lang::Zh
            ),
            "满意值与不允许值之间没有余地，d = 60；10 × 60 ÷ 100 = 6.00"
        );
        let average = Method::Average {
            step: 0.1,
            points_per_step: 0.1,
            cap: 1.5,
            floor: 0.0,
        };
        assert_eq!(
            line(
                average,
                inputs(5.7, 6.0, LowerIsBetter, &[5.7, 6.0, 6.3]),
                "10.30",
                Lang::Zh
            ),
            "组均值 6（3 个单位）；10 + 0.1 × (6 − 5.7) ÷ 0.1 = 10.30（上限 15，下限 0）"
        );
    }

    #[test]
    fn the_same_breakdown_in_english() {
        assert_eq!(
            line(
                Method::Rank { step: 0.05 },
                inputs(1.0, 1.0, HigherIsBetter, &[]),
                "9.00",
                Lang::En
            ),
            "rank 3 in the group: 10 × (1 − 0.05 × 2) = 9.00"
        );
        let efficacy = Method::Efficacy {
            high: Anchor::Best,
            low: Anchor::Worst,
            max_d: 100.0,
        };
        assert_eq!(
            line(
                efficacy,
                inputs(25.0, 22.0, LowerIsBetter, &[20.0, 25.0, 30.0]),
                "8.00",
                Lang::En
            ),
            "d = 60 + 40 × (25 − 30) ÷ (20 − 30) = 80 (satisfactory: the group's best 20, \
             unacceptable: the group's worst 30); 10 × 80 ÷ 100 = 8.00"
        );
    }
}
