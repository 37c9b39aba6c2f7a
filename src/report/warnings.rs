//! The warning follow-up list (预警跟踪): open warnings, red first, with how long each has
//! been open, whether it improved, the escalation due and its history; and, on request, the
//! warnings closed this period (已整改).

use serde::Serialize;

use super::{Document, Grid};
use crate::result::{Level, PeriodResult, Warning};

#[derive(Debug, Serialize)]
pub struct WarningsReport<'a> {
    pub campaign: &'a str,
    pub period: &'a str,
    pub open: &'a [Warning],
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

fn grid(with_state: bool) -> Grid {
    let mut h: Vec<String> = Vec::new();
    let mut n = Vec::new();
    if with_state {
        h.push("状态".into());
        n.push(false);
    }
    h.extend(
        [
            "等级",
            "单位",
            "预警事项",
            "持续期数",
            "整改情况",
            "处置",
            "历程",
            "说明",
        ]
        .map(String::from),
    );
    n.extend([false, false, false, true, false, false, false, false]);
    Grid::new(h, n)
}

fn row(w: &Warning) -> Vec<String> {
    let level = |l: Level| match l {
        Level::Red => "红",
        Level::Yellow => "黄",
    };
    let history = w
        .history
        .iter()
        .map(|(p, l)| format!("{p}{}", level(*l)))
        .collect::<Vec<_>>()
        .join(" → ");
    vec![
        w.level.label_zh().to_string(),
        w.unit_name.clone(),
        w.subject_name().to_string(),
        w.age.to_string(),
        w.follow_up.label_zh().to_string(),
        w.escalation.clone().unwrap_or_else(|| "—".into()),
        history,
        w.message.clone(),
    ]
}

pub fn document(result: &PeriodResult, closed: bool) -> Document {
    let mut d = Document::new(format!(
        "{} · {}（{}）预警跟踪",
        result.campaign, result.period_label, result.period
    ));
    d.heading(format!("在办预警：{}", super::league::summary(result)));
    let mut open = grid(false);
    open.rows.extend(result.warnings.iter().map(row));
    d.table(open);
    if closed {
        d.heading(format!("本期已整改：{} 项", result.closed.len()));
        let mut g = grid(false);
        g.rows.extend(result.closed.iter().map(row));
        d.table(g);
    }
    d
}

pub fn flat(result: &PeriodResult, closed: bool) -> Grid {
    let mut g = grid(true);
    for w in &result.warnings {
        let mut r = vec!["在办".to_string()];
        r.extend(row(w));
        g.rows.push(r);
    }
    if closed {
        for w in &result.closed {
            let mut r = vec!["已整改".to_string()];
            r.extend(row(w));
            g.rows.push(r);
        }
    }
    g
}
