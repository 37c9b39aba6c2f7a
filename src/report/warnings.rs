//! The warning follow-up list (预警跟踪): open warnings, red first, with how long each has
//! been open, whether it improved, the escalation due and its history; and, on request, the
//! warnings closed this period (已整改).

use serde::Serialize;

use rust_decimal::Decimal;

use super::lang::msg;
use super::{Document, Grid, Lang};
use crate::item::ItemStatus;
use crate::result::{Against, Level, PeriodResult, Warning, WarningKind};
use crate::rounding::format_fixed;

#[derive(Debug, Serialize)]
pub struct WarningsReport<'a> {
    pub campaign: &'a str,
    pub period: &'a str,
    pub open: &'a [Warning],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed: Option<&'a [Warning]>,
}

/// [`WarningsReport`] with the open warnings named as they are written (its JSON, the same
/// bytes).
#[derive(Serialize)]
pub struct Streamed<'a> {
    pub campaign: &'a str,
    pub period: &'a str,
    pub open: crate::result::NamedWarnings<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed: Option<&'a [Warning]>,
}

pub fn data(result: &PeriodResult, closed: bool) -> WarningsReport<'_> {
    WarningsReport {
        campaign: &result.campaign,
        period: &result.period,
        open: &result.warnings,
        closed: closed.then_some(&result.closed[..]),
    }
}

/// The warning as a sentence, as a bulletin says it, from its facts.
pub fn sentence(w: &Warning, lang: Lang) -> String {
    let unit = w.unit_name.as_str();
    let num = |d: Option<Decimal>| d.map(|d| d.to_string()).unwrap_or_default();
    match w.kind {
        WarningKind::NotSubmitted => lang.fill(
            msg::NOT_SUBMITTED,
            &[
                ("unit", unit),
                ("missing", &w.missing.unwrap_or(0).to_string()),
            ],
        ),
        WarningKind::MissingValue => lang.fill(
            msg::MISSING_VALUE,
            &[("unit", unit), ("indicator", subject(w, lang).as_str())],
        ),
        WarningKind::Lagging => {
            let ratio = match w.ratio {
                Some(r) => lang.fill(
                    msg::RATIO,
                    &[("ratio", &format_fixed(r * Decimal::ONE_HUNDRED, 2))],
                ),
                None => String::new(),
            };
            let against = match w.against {
                Some(Against::Expected) => msg::AGAINST_EXPECTED,
                _ => msg::AGAINST_TARGET,
            };
            lang.fill(
                msg::LAGGING,
                &[
                    ("unit", unit),
                    ("indicator", subject(w, lang).as_str()),
                    ("actual", &num(w.actual)),
                    ("measure", w.measure.as_deref().unwrap_or("")),
                    ("against", lang.text(against)),
                    ("expected", &num(w.expected)),
                    (
                        "lower",
                        if w.lower_is_better {
                            lang.text(msg::LOWER_IS_BETTER)
                        } else {
                            ""
                        },
                    ),
                    ("ratio", &ratio),
                ],
            )
        }
        WarningKind::Item => {
            let item = subject(w, lang);
            let progress = num(w.actual.or(Some(Decimal::ZERO)));
            match w.item_status {
                Some(ItemStatus::Overdue) => lang.fill(
                    msg::ITEM_OVERDUE,
                    &[
                        ("unit", unit),
                        ("item", &item),
                        ("due", &w.due.map(|d| d.to_string()).unwrap_or_default()),
                        ("progress", &progress),
                    ],
                ),
                Some(ItemStatus::Unreported) => {
                    lang.fill(msg::ITEM_UNREPORTED, &[("unit", unit), ("item", &item)])
                }
                status => lang.fill(
                    msg::ITEM_BEHIND,
                    &[
                        ("unit", unit),
                        ("item", &item),
                        ("status", status.map_or("", |s| lang.t(s.label_zh()))),
                        ("progress", &progress),
                        ("planned", &num(w.expected)),
                        ("gap", &num(w.gap)),
                    ],
                ),
            }
        }
    }
}

/// What the warning is about, by name: the indicator, the item or the submission.
pub fn subject(w: &Warning, lang: Lang) -> String {
    match w.subject_name() {
        Some(name) => name.to_string(),
        None => lang.text(msg::SUBMISSION).to_string(),
    }
}

fn grid(with_state: bool, lang: Lang) -> Grid {
    let mut h: Vec<String> = Vec::new();
    let mut n = Vec::new();
    if with_state {
        h.push(lang.t("状态").into());
        n.push(false);
    }
    h.extend(
        [
            lang.t("等级"),
            lang.t("单位"),
            lang.t("预警事项"),
            lang.t("持续期数"),
            lang.t("整改情况"),
            lang.t("处置"),
            lang.t("历程"),
            lang.t("说明"),
        ]
        .map(String::from),
    );
    n.extend([false, false, false, true, false, false, false, false]);
    Grid::new(h, n)
}

fn row(w: &Warning, lang: Lang) -> Vec<String> {
    let level = |l: Level| match l {
        Level::Red => lang.t("红"),
        Level::Yellow => lang.t("黄"),
    };
    let history = w
        .history
        .iter()
        .map(|(p, l)| format!("{p}{}", level(*l)))
        .collect::<Vec<_>>()
        .join(" → ");
    vec![
        lang.t(w.level.label_zh()).to_string(),
        w.unit_name.clone(),
        subject(w, lang),
        w.age.to_string(),
        lang.t(w.follow_up.label_zh()).to_string(),
        w.escalation.clone().unwrap_or_else(|| "—".into()),
        history,
        sentence(w, lang),
    ]
}

pub fn document(result: &PeriodResult, closed: bool, lang: Lang) -> Document {
    let (campaign, label, period) = (&result.campaign, &result.period_label, &result.period);
    let mut d = Document::new(lang.fill(
        msg::FOLLOW_UP_TITLE,
        &[("campaign", campaign), ("label", label), ("period", period)],
    ));
    d.heading(lang.fill(msg::OPEN_HEADING, &[("summary", &summary_in(result, lang))]));
    let mut open = grid(false, lang);
    open.rows
        .extend(result.warnings.iter().map(|w| row(w, lang)));
    d.table(open);
    if closed {
        d.heading(lang.fill(
            msg::CLOSED_HEADING,
            &[("count", &result.closed.len().to_string())],
        ));
        let mut g = grid(false, lang);
        g.rows.extend(result.closed.iter().map(|w| row(w, lang)));
        d.table(g);
    }
    d
}

pub fn flat(result: &PeriodResult, closed: bool, lang: Lang) -> Grid {
    let mut g = grid(true, lang);
    for w in &result.warnings {
        let mut r = vec![lang.t("在办").to_string()];
        r.extend(row(w, lang));
        g.rows.push(r);
    }
    if closed {
        for w in &result.closed {
            let mut r = vec![lang.t("已整改").to_string()];
            r.extend(row(w, lang));
            g.rows.push(r);
        }
    }
    g
}

/// "红色预警 N 项，黄色预警 M 项".
pub fn summary(result: &PeriodResult) -> String {
    summary_in(result, Lang::Zh)
}

/// [`summary`] in `lang`.
pub fn summary_in(result: &PeriodResult, lang: Lang) -> String {
    let red = result
        .warnings
        .iter()
        .filter(|w| w.level == Level::Red)
        .count();
    let yellow = result.warnings.len() - red;
    lang.fill(
        msg::WARNING_SUMMARY,
        &[("red", &red.to_string()), ("yellow", &yellow.to_string())],
    )
}
