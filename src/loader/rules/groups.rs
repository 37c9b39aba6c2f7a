//! The groups of campaign.toml, checked once the indicators are known: ranking keys, tiers
//! and the weights each unit's indicators must add up to.

use std::collections::HashMap;

use super::{unknown_id, Builder};
use crate::campaign::*;
use crate::diag::{Diagnostic, FileId, Kind};
use crate::indicator::Indicator;
use crate::loader::schema::*;

impl Builder<'_> {
    pub(super) fn rank_by(
        &mut self,
        g: &GroupRaw,
        categories: &[Category],
        indicators: &[Indicator],
        ind_ix: &HashMap<String, usize>,
    ) -> Vec<RankKey> {
        if g.rank_by.is_empty() {
            return vec![RankKey::Total];
        }
        let mut keys = Vec::new();
        for k in &g.rank_by {
            let text = k.get_ref();
            let key = match text.split_once(':') {
                None if text == "total" => Some(RankKey::Total),
                Some(("category", id)) => match categories.iter().position(|c| c.id == id) {
                    Some(c) => Some(RankKey::Category(c)),
                    None => {
                        self.errors.push(unknown_id(
                            self.file,
                            id,
                            k.span(),
                            "category",
                            categories.iter().map(|c| c.id.as_str()),
                            "categories are defined as [[category]] in campaign.toml",
                        ));
                        None
                    }
                },
                Some((kind @ ("indicator" | "points"), id)) => match ind_ix.get(id) {
                    Some(&i) => Some(if kind == "indicator" {
                        RankKey::Indicator(i)
                    } else {
                        RankKey::Points(i)
                    }),
                    None if self.declared.indicator_reported(id) => None,
                    None => {
                        self.errors.push(unknown_id(
                            self.file,
                            id,
                            k.span(),
                            "indicator",
                            indicators.iter().map(|x| x.id.as_str()),
                            "indicators are defined in indicators.toml",
                        ));
                        None
                    }
                },
                _ => {
                    self.errors.push(
                        Diagnostic::error(Kind::Value, format!("`{text}` is not a ranking key"))
                            .at(self.file, k.span(), "here")
                            .help("a ranking key is \"total\", \"category:ID\", \"indicator:ID\" (its value) or \"points:ID\""),
                    );
                    None
                }
            };
            keys.extend(key);
        }
        keys
    }

    pub(super) fn tiers(&mut self, g: &GroupRaw, file: FileId) -> Tiers {
        let by = match g.tier_by {
            Some(TierByRaw::Count) => TierBy::Count,
            Some(TierByRaw::Share) => TierBy::Share,
            Some(TierByRaw::Score) => TierBy::Score,
            None => {
                if !g.tiers.is_empty() {
                    self.errors.push(
                        Diagnostic::error(
                            Kind::Schema,
                            format!("the group `{}` has tiers but no tier_by", g.id.get_ref()),
                        )
                        .at(file, g.id.span(), "this group")
                        .help("add tier_by = \"count\", \"share\" or \"score\""),
                    );
                }
                TierBy::Count
            }
        };
        let n = g.tiers.len();
        let mut levels = Vec::new();
        let mut share_sum = 0.0;
        for (i, t) in g.tiers.iter().enumerate() {
            let raw = t.get_ref();
            let given = [
                ("count", raw.count),
                ("share", raw.share),
                ("min_score", raw.min_score),
            ];
            let want = match by {
                TierBy::Count => "count",
                TierBy::Share => "share",
                TierBy::Score => "min_score",
            };
            let last = i + 1 == n;
            let mut limit = None;
            let mut misplaced = false;
            for (key, v) in given {
                let Some(v) = v else { continue };
                if key != want || last {
                    misplaced = true;
                    let why = if last {
                        "the last tier takes every unit not placed above it, so it has no limit"
                            .to_string()
                    } else {
                        format!("this group's tiers are by {want} (tier_by)")
                    };
                    self.errors.push(
                        Diagnostic::error(
                            Kind::Value,
                            format!(
                                "the tier `{}` has `{key}`, which does not fit here",
                                raw.name
                            ),
                        )
                        .at(file, t.span(), "this tier")
                        .help(format!("{why}; remove `{key}`")),
                    );
                    continue;
                }
                let ok = match by {
                    TierBy::Count => v >= 0.0 && v.fract() == 0.0,
                    TierBy::Share => (0.0..=1.0).contains(&v),
                    TierBy::Score => v.is_finite(),
                };
                if !ok {
                    self.errors.push(
                        Diagnostic::error(Kind::Value, format!("the tier `{}` has {key} = {v}", raw.name))
                            .at(file, t.span(), "this tier")
                            .help("a count is a whole number of units; a share is between 0 and 1, e.g. 0.3 for 30%"),
                    );
                }
                share_sum += v;
                limit = Some(v);
            }
            if limit.is_none() && !last && !misplaced {
                self.errors.push(
                    Diagnostic::error(Kind::Value, format!("the tier `{}` has no {want}", raw.name))
                        .at(file, t.span(), "this tier")
                        .help(format!("give every tier but the last a {want}, e.g. {{ name = \"{}\", {want} = … }}", raw.name)),
                );
            }
            levels.push(TierLevel {
                name: raw.name.clone(),
                limit,
            });
        }
        if by == TierBy::Share && share_sum > 1.0 + 1e-9 {
            self.errors.push(
                Diagnostic::error(Kind::Value, format!("the shares of the tiers of `{}` add up to more than 1", g.id.get_ref()))
                    .at(file, g.id.span(), "this group")
                    .help("shares are parts of the group, e.g. 0.3 and 0.4, with the rest in the last tier"),
            );
        }
        let ties = match g.boundary_ties {
            BoundaryTiesRaw::Lower => BoundaryTies::Lower,
            BoundaryTiesRaw::Higher => BoundaryTies::Higher,
        };
        Tiers { by, levels, ties }
    }

    /// One diagnostic per distinct wrong sum in a group, naming the units that have it.
    pub(super) fn weights(
        &mut self,
        gi: usize,
        g: &GroupRaw,
        total: &toml::Spanned<f64>,
        units: &[Unit],
        indicators: &[Indicator],
    ) {
        let mut sums = vec![0.0; units.len()];
        for ind in indicators {
            for a in &ind.assignments {
                sums[a.unit] += ind.weight;
            }
        }
        let want = *total.get_ref();
        // (sum, units with it), in display order of their first unit.
        let mut wrong: Vec<(f64, Vec<usize>)> = Vec::new();
        for (u, _) in units.iter().enumerate().filter(|(_, u)| u.group == gi) {
            if (sums[u] - want).abs() > 1e-9 {
                match wrong.iter_mut().find(|(s, _)| (s - sums[u]).abs() <= 1e-9) {
                    Some((_, us)) => us.push(u),
                    None => wrong.push((sums[u], vec![u])),
                }
            }
        }
        for (sum, us) in wrong {
            let names: Vec<&str> = us.iter().map(|&u| units[u].name.as_str()).collect();
            let list: Vec<String> = indicators
                .iter()
                .filter(|i| i.assignments.iter().any(|a| a.unit == us[0]))
                .map(|i| format!("{} {}", i.id, i.weight))
                .collect();
            self.errors.push(
                Diagnostic::error(
                    Kind::Weights,
                    format!(
                        "the weights of {} add up to {sum} but the group `{}` needs {want}",
                        names.join("、"),
                        g.id.get_ref()
                    ),
                )
                .at(self.file, total.span(), "required total")
                .help(format!(
                    "their indicators: {}. Change a weight in indicators.toml, or remove weights_total to scale each unit to full marks",
                    if list.is_empty() { "none".into() } else { list.join(", ") }
                )),
            );
        }
    }
}
