//! The settings of campaign.toml: warning thresholds, rounding decimals, the time-progress
//! schedule, the first period with data, item thresholds and escalation steps.

use super::Builder;
use crate::campaign::*;
use crate::diag::{Diagnostic, FileId, Kind};
use crate::indicator::Thresholds;
use crate::item::ItemRules;
use crate::loader::schema::*;
use crate::period::Period;

impl Builder<'_> {
    pub(super) fn first_period(&mut self, raw: &CampaignFile, file: FileId) -> Period {
        let default = Period {
            year: raw.year,
            kind: raw.period,
            index: 1,
        };
        let Some(from) = &raw.from else {
            return default;
        };
        match Period::parse(from.get_ref(), raw.period) {
            Ok(p) if p.year <= raw.year => p,
            Ok(p) => {
                self.errors.push(
                    Diagnostic::error(Kind::Period, format!("the campaign's data cannot start in {p}, after its year {}", raw.year))
                        .at(file, from.span(), "from")
                        .help(format!("`from` is the first period with data, e.g. \"{}-Q1\" to compare with the year before", raw.year - 1)),
                );
                default
            }
            Err(msg) => {
                self.errors.push(
                    Diagnostic::error(Kind::Period, msg)
                        .at(file, from.span(), "from")
                        .help("`from` is the first period with data"),
                );
                default
            }
        }
    }

    pub(super) fn item_rules(&mut self, raw: &ItemsRaw, file: FileId) -> ItemRules {
        let (tolerance, red_gap) = (*raw.tolerance.get_ref(), *raw.red_gap.get_ref());
        if !(tolerance >= 0.0 && red_gap > tolerance && red_gap <= 100.0) {
            self.errors.push(
                Diagnostic::error(Kind::Value, format!("item thresholds tolerance = {tolerance}, red_gap = {red_gap} do not fit"))
                    .at(file, raw.red_gap.span(), "red_gap")
                    .also(file, raw.tolerance.span(), "tolerance")
                    .help("both are percentage points behind plan, with 0 ≤ tolerance < red_gap ≤ 100, e.g. tolerance = 5, red_gap = 20"),
            );
        }
        ItemRules { tolerance, red_gap }
    }

    pub(super) fn escalation(
        &mut self,
        raw: &[toml::Spanned<EscalationRaw>],
        file: FileId,
    ) -> Vec<Escalation> {
        let mut out: Vec<Escalation> = Vec::new();
        for e in raw {
            let r = e.get_ref();
            if r.after < 1 || out.last().is_some_and(|p| p.after >= r.after) {
                self.errors.push(
                    Diagnostic::error(Kind::Value, format!("the escalation `{}` after {} periods is out of order", r.action, r.after))
                        .at(file, e.span(), "this step")
                        .help("list escalation steps by the number of periods a warning stays open, 1 or more and increasing: after = 2 → 约谈, after = 3 → 通报批评"),
                );
                continue;
            }
            out.push(Escalation {
                after: r.after,
                action: r.action.clone(),
            });
        }
        out
    }

    pub(super) fn thresholds(&mut self, w: &WarningsRaw, file: FileId) -> Thresholds {
        let (y, r) = (*w.yellow.get_ref(), *w.red.get_ref());
        if !(r > 0.0 && r <= y && y <= 1.0) {
            self.errors.push(
                Diagnostic::error(
                    Kind::Value,
                    format!("warning thresholds yellow = {y}, red = {r} are out of order"),
                )
                .at(file, w.red.span(), "red")
                .also(file, w.yellow.span(), "yellow")
                .help(
                    "use completion ratios with 0 < red ≤ yellow ≤ 1, e.g. yellow = 0.9, red = 0.7",
                ),
            );
        }
        Thresholds { yellow: y, red: r }
    }

    pub(super) fn decimals(&mut self, d: &toml::Spanned<u32>, file: FileId) -> u32 {
        if *d.get_ref() > 6 {
            self.errors.push(
                Diagnostic::error(
                    Kind::Value,
                    format!(
                        "{} decimals is more than published figures use",
                        d.get_ref()
                    ),
                )
                .at(file, d.span(), "at most 6")
                .help("published figures usually have 1 or 2 decimals"),
            );
        }
        (*d.get_ref()).min(6)
    }

    pub(super) fn schedule(
        &mut self,
        s: &toml::Spanned<Vec<f64>>,
        per_year: u32,
        file: FileId,
    ) -> Option<Vec<f64>> {
        let v = s.get_ref();
        let increasing = v.windows(2).all(|w| w[0] <= w[1]);
        if v.len() == per_year as usize && increasing && v.last().is_some_and(|&x| x <= 1.0) {
            let as_percent: Vec<String> = v.iter().map(|x| format!("{}", x * 100.0)).collect();
            self.errors.push(
                Diagnostic::error(
                    Kind::Value,
                    "this schedule looks like fractions, but it is read as percentages",
                )
                .at(file, s.span(), "ends at 1% of the year")
                .help(format!(
                    "write the time progress in percent: [{}]",
                    as_percent.join(", ")
                )),
            );
            return None;
        }
        if v.len() != per_year as usize
            || !increasing
            || v.iter().any(|x| !(*x > 0.0 && *x <= 100.0))
        {
            self.errors.push(
                Diagnostic::error(Kind::Value, "this schedule is not a time progress for each period of the year")
                    .at(file, s.span(), format!("{} entries", v.len()))
                    .help(format!(
                        "give {per_year} percentages that never go down and end at 100 or less, e.g. {}",
                        match per_year {
                            4 => "[20, 45, 75, 100]",
                            2 => "[45, 100]",
                            _ => "[5, 12, 20, 28, 36, 45, 55, 63, 72, 80, 90, 100]",
                        }
                    )),
            );
            return None;
        }
        Some(v.iter().map(|x| x / 100.0).collect())
    }
}
