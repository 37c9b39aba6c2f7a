//! `jingbiao explain UNIT`: one unit's scorecard with the formulas, adjustments, and how its
//! rank and tier were decided.

use std::path::PathBuf;

use super::{emit, pick_period, Format};
use crate::diag::{did_you_mean, Diagnostic, Kind, Sources};
use crate::explain::{explain, Explanation};
use crate::loader;
use crate::report::{self, Document, Grid, Lang};
use crate::timeline;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The unit's id (from units.csv).
    pub unit: String,
    /// The period, e.g. 2023-Q2 [default: the latest with data].
    #[arg(long)]
    pub period: Option<String>,
    /// Campaign folder.
    #[arg(long, default_value = super::DEFAULT_RULES)]
    pub rules: PathBuf,
    /// Data folder [default: scenarios/<campaign folder name>].
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Language of headings, labels and sentences (names from the rules and data stay as
    /// written).
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: &Args, sources: &mut Sources) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut loaded = loader::load_rules(&args.rules, sources)?;
    if loaded.campaign.unit_index(&args.unit).is_none() {
        let hint = match did_you_mean(
            &args.unit,
            loaded.campaign.units.iter().map(|u| u.id.as_str()),
        ) {
            Some(s) => format!("did you mean `{s}`? Units are listed in units.csv"),
            None => "give a unit id from units.csv".to_string(),
        };
        return Err(vec![Diagnostic::error(
            Kind::Reference,
            format!("unknown unit `{}`", args.unit),
        )
        .help(hint)]);
    }
    let data = args
        .data
        .clone()
        .unwrap_or_else(|| super::default_data(&args.rules));
    let period = pick_period(&data, args.period.as_deref(), &loaded)?;
    // Explain what the current rules give: the formulas are the rules'.
    let mut tl = timeline::run(&mut loaded, &data, period, true, sources)?;
    let result = tl
        .entries
        .remove(&period)
        .expect("scored")
        .result(&loaded.campaign);
    let e = explain(
        &loaded.campaign,
        &loaded.scripts,
        sources,
        &result,
        &args.unit,
    )
    .expect("the unit is in the campaign");
    let (doc, flat) = document(&e);
    let bytes = report::render(args.format, args.lang, || doc, || flat, &e)
        .map_err(super::render_failed)?;
    emit(&bytes, args.out.as_deref(), &loaded)?;
    Ok(tl.notes)
}

fn document(e: &Explanation) -> (Document, Grid) {
    let mut d = Document::new(format!(
        "{} · {} · {}（{}）",
        e.campaign, e.period, e.name, e.group
    ));
    let mut g = Grid::new(
        [
            "指标",
            "方法",
            "完成值",
            "目标",
            "序时目标",
            "计算",
            "得分",
            "状态",
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
    d.heading("各项指标");
    d.table(g.clone());
    if !e.adjustments.is_empty() {
        d.heading("加减分");
        let mut a = Grid::new(
            ["类型", "分值", "事由", "规则出处"]
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
    d.heading("总分");
    d.lines(vec![e.total.clone()]);
    d.heading("排名");
    d.lines(vec![e.rank.clone()]);
    d.heading("等次");
    d.lines(vec![e.tier.clone()]);
    (d, g)
}
