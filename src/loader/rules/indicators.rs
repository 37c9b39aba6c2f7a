//! indicators.toml: each indicator's category, the units it applies to, its weight,
//! direction, schedule and thresholds, and its scoring method with the method's parameters.

use std::collections::HashMap;
use std::ops::Range;

use super::{unknown_id, Builder};
use crate::campaign::*;
use crate::diag::{Diagnostic, FileId, Kind};
use crate::indicator::{
    Anchor, Assignment, Direction, Indicator, IndicatorKind, Method, Plausible, Source, Thresholds,
};
use crate::loader::schema::*;
use crate::script::Scripts;

impl Builder<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn indicator(
        &mut self,
        spanned: &toml::Spanned<IndicatorRaw>,
        file: FileId,
        categories: &[Category],
        groups: &[(String, String)],
        units: &[Unit],
        unit_ix: &HashMap<&str, usize>,
        defaults: &Thresholds,
        per_year: u32,
        scripts: Option<&Scripts>,
    ) -> Option<Indicator> {
        let r = spanned.get_ref();
        let before = self.errors.len();
        let category = categories
            .iter()
            .position(|c| c.id == *r.category.get_ref());
        if category.is_none() {
            self.errors.push(unknown_id(
                file,
                r.category.get_ref(),
                r.category.span(),
                "category",
                categories.iter().map(|c| c.id.as_str()),
                "categories are defined as [[category]] in campaign.toml",
            ));
        }
        // applies_to: group ids or unit ids → the units, in display order.
        let mut applies = vec![false; units.len()];
        for a in r.applies_to.get_ref() {
            if let Some(g) = groups.iter().position(|(gid, _)| gid == a.get_ref()) {
                for (i, u) in units.iter().enumerate() {
                    applies[i] |= u.group == g;
                }
            } else if let Some(&u) = unit_ix.get(a.get_ref().as_str()) {
                applies[u] = true;
            } else if !self.declared.unit_reported(a.get_ref()) {
                let known = groups
                    .iter()
                    .map(|(g, _)| g.as_str())
                    .chain(units.iter().map(|u| u.id.as_str()));
                self.errors.push(unknown_id(
                    file,
                    a.get_ref(),
                    a.span(),
                    "group or unit",
                    known,
                    "applies_to lists group ids from campaign.toml or unit ids from units.csv",
                ));
            }
        }
        if r.applies_to.get_ref().is_empty() {
            self.errors.push(
                Diagnostic::error(
                    Kind::Value,
                    format!("the indicator `{}` applies to no one", r.id.get_ref()),
                )
                .at(file, r.applies_to.span(), "empty")
                .help("list the groups or units it applies to, e.g. applies_to = [\"county\"]"),
            );
        }
        let weight = *r.weight.get_ref();
        if !(weight > 0.0 && weight <= 1e6) {
            self.errors.push(
                Diagnostic::error(
                    Kind::Value,
                    format!("the weight of `{}` is {weight}", r.id.get_ref()),
                )
                .at(file, r.weight.span(), "must be more than zero")
                .help("give the points the indicator is worth at full marks, e.g. weight = 10"),
            );
        }
        let decimals = self.decimals(&r.decimals, file);
        if let (Some(t), Some(st)) = (r.target, r.stretch) {
            if r.direction_is_higher() && st < t || !r.direction_is_higher() && st > t {
                self.errors.push(
                    Diagnostic::error(Kind::Value, format!("the stretch target {st} of `{}` is not beyond its target {t}", r.id.get_ref()))
                        .at(file, r.id.span(), "this indicator")
                        .help("the stretch target (力争目标) is the more ambitious one: higher, or lower when lower is better"),
                );
            }
        }
        let schedule = r
            .schedule
            .as_ref()
            .and_then(|s| self.schedule(s, per_year, file));
        let direction = match r.direction {
            DirectionRaw::Higher => Direction::HigherIsBetter,
            DirectionRaw::Lower => Direction::LowerIsBetter,
        };
        let kind = match r.kind {
            KindRaw::Rate => IndicatorKind::Rate,
            KindRaw::Amount => IndicatorKind::Amount,
        };
        if schedule.is_some() && kind == IndicatorKind::Rate {
            self.errors.push(
                Diagnostic::error(Kind::Value, format!("`{}` is a rate indicator but has a schedule", r.id.get_ref()))
                    .at(file, r.schedule.as_ref().map_or(0..0, |s| s.span()), "only amounts accumulate")
                    .help("remove the schedule, or set kind = \"amount\" if the value accumulates over the year"),
            );
        }
        let thresholds = match &r.warnings {
            Some(w) => self.thresholds(w, file),
            None => *defaults,
        };
        let method = self.method(&r.method, file, scripts, weight, direction);
        let plausible = self.plausible(r, kind, file);
        if self.errors.len() > before {
            return None;
        }
        // Sized exactly: a national campaign has hundreds of thousands of assignments.
        let mut assignments = Vec::with_capacity(applies.iter().filter(|a| **a).count());
        assignments.extend(
            applies
                .iter()
                .enumerate()
                .filter(|(_, a)| **a)
                .map(|(unit, _)| Assignment {
                    unit,
                    target: r.target.unwrap_or(f64::NAN),
                    stretch: r.stretch,
                }),
        );
        Some(Indicator {
            id: r.id.get_ref().clone(),
            name: r.name.clone(),
            measure: r.unit.clone(),
            category: category?,
            weight,
            direction,
            kind,
            decimals,
            schedule,
            method: method?,
            thresholds,
            assignments,
            source: match r.source {
                SourceRaw::Metrics => Source::Metrics,
                // The category is resolved once items.csv is read (`resolve_item_categories`).
                SourceRaw::Items => Source::Items { category: None },
            },
            origin: crate::diag::Origin {
                file,
                span: r.id.span(),
            },
            plausible,
        })
    }

    /// The indicator's plausible range (`min`, `max`), in order, with its default target and
    /// stretch target inside it.
    fn plausible(&mut self, r: &IndicatorRaw, kind: IndicatorKind, file: FileId) -> Plausible {
        let at = |b: &Option<toml::Spanned<f64>>| {
            b.as_ref().map(|b| {
                (
                    *b.get_ref(),
                    crate::diag::Origin {
                        file,
                        span: b.span(),
                    },
                )
            })
        };
        let p = Plausible::of(kind, at(&r.min), at(&r.max));
        for b in [&r.min, &r.max].into_iter().flatten() {
            if !b.get_ref().is_finite() {
                self.errors.push(
                    Diagnostic::error(Kind::Value, format!("the bound {} of `{}` is not a number", b.get_ref(), r.id.get_ref()))
                        .at(file, b.span(), "not a number")
                        .help("min and max are the least and largest plausible values, e.g. min = 0, max = 100"),
                );
                return p;
            }
        }
        if let (Some(lo), Some(hi)) = (p.min, p.max) {
            if lo.partial_cmp(&hi) != Some(std::cmp::Ordering::Less) {
                let span = r.max.as_ref().map_or(r.id.span(), |m| m.span());
                let mut d = Diagnostic::error(
                    Kind::Value,
                    format!(
                        "the plausible range of `{}` is empty: min {lo}, max {hi}",
                        r.id.get_ref()
                    ),
                )
                .at(file, span, "max");
                d = match &r.min {
                    Some(m) => d.also(file, m.span(), "min"),
                    None => d.also(file, r.id.span(), "an amount: min 0 unless declared"),
                };
                self.errors.push(d.help("min is the least plausible value and max the largest, min below max, e.g. min = 0, max = 100 for a percentage of completion"));
                return p;
            }
        }
        for (what, t) in [("the target", r.target), ("the stretch target", r.stretch)] {
            let Some(t) = t else { continue };
            if let Some(o) = p.check(t) {
                let (word, bound) = match o {
                    crate::indicator::OutOfRange::Below(m) => ("below", m),
                    crate::indicator::OutOfRange::Above(m) => ("above", m),
                };
                self.errors.push(
                    Diagnostic::error(
                        Kind::Value,
                        format!("{what} {t} of `{}` is {word} its plausible range ({word} {bound})", r.id.get_ref()),
                    )
                    .at(file, r.id.span(), "this indicator")
                    .help("a target is a figure the indicator can take: correct it, or the indicator's min and max (amounts are never negative unless min says so)"),
                );
            }
        }
        p
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn method(
        &mut self,
        m: &toml::Spanned<MethodRaw>,
        file: FileId,
        scripts: Option<&Scripts>,
        weight: f64,
        direction: Direction,
    ) -> Option<Method> {
        let span = m.span();
        let mut bad = |what: &str, help: &str| {
            self.errors.push(
                Diagnostic::error(Kind::Value, what.to_string())
                    .at(file, span.clone(), "in this method")
                    .help(help.to_string()),
            );
        };
        let method = match m.get_ref().clone() {
            MethodRaw::Completion {
                mode,
                cap,
                stretch_bonus,
            } => {
                let cap = cap.unwrap_or(1.0);
                let stretch_bonus = stretch_bonus.unwrap_or(0.0);
                if !(1.0..=100.0).contains(&cap) {
                    bad("cap must be between 1 and 100", "cap is the largest completion ratio credited: 1 gives at most full points, 1.2 up to 120%");
                }
                if !(0.0..=10.0).contains(&stretch_bonus) {
                    bad(
                        "stretch_bonus must be zero or more",
                        "stretch_bonus = 0.1 gives up to 10% more points at the stretch target",
                    );
                }
                Method::Completion {
                    all_or_nothing: mode == CompletionMode::AllOrNothing,
                    cap,
                    stretch_bonus,
                }
            }
            MethodRaw::Efficacy { high, low, max } => {
                if !max.is_none_or(|m| m > 0.0 && m <= 1000.0) {
                    bad(
                        "max must be more than 0",
                        "max is the largest efficacy coefficient d credited, usually 100",
                    );
                }
                if let (AnchorRaw::Number(h), AnchorRaw::Number(l)) = (&high, &low) {
                    if !direction.better(*h, *l) {
                        bad(
                            &format!("the satisfactory value {h} is not better than the floor {l}"),
                            if direction == Direction::HigherIsBetter {
                                "for a higher-is-better indicator, high must be above low"
                            } else {
                                "for a lower-is-better indicator, high (the satisfactory value) must be below low"
                            },
                        );
                    }
                }
                let high = self.anchor(&high, true, file, span.clone());
                let low = self.anchor(&low, false, file, span.clone());
                Method::Efficacy {
                    high: high?,
                    low: low?,
                    max_d: max.unwrap_or(100.0),
                }
            }
            MethodRaw::Rank { step } => {
                if !(step > 0.0 && step < 1.0) {
                    bad(
                        "step must be between 0 and 1",
                        "step is the share of points lost per place, e.g. step = 0.05",
                    );
                }
                Method::Rank { step }
            }
            MethodRaw::Average {
                step,
                points_per_step,
                cap,
                floor,
            } => {
                let (cap, floor) = (cap.unwrap_or(1.5), floor.unwrap_or(0.0));
                if !(step > 0.0 && points_per_step >= 0.0) {
                    bad("step must be more than zero and points_per_step zero or more", "e.g. step = 0.1, points_per_step = 0.1: ±0.1 point per 0.1 above or below the average");
                }
                if !(cap > 0.0 && floor <= cap * weight) {
                    bad(
                        &format!("floor {floor} is above the most points, cap × weight = {}", cap * weight),
                        "cap is a multiple of the weight (1.5 = 150%); floor is in points and must be below it, usually 0",
                    );
                }
                Method::Average {
                    step,
                    points_per_step,
                    cap,
                    floor,
                }
            }
            MethodRaw::Script {
                function,
                cap,
                floor,
            } => {
                let (cap, floor) = (cap.unwrap_or(1.0), floor.unwrap_or(0.0));
                if !(cap > 0.0 && cap <= 100.0 && floor < cap * weight) {
                    bad(
                        &format!("the points a script may give run from floor {floor} to cap × weight = {}", cap * weight),
                        "cap is a multiple of the weight (1.2 = up to 120% of it) and floor the fewest points (usually 0): floor must be below cap × weight",
                    );
                }
                if let Some(scripts) = scripts {
                    self.script_fn(scripts, &function, file, span.clone(), usize::MAX, "");
                }
                Method::Script {
                    function,
                    cap,
                    floor,
                }
            }
        };
        Some(method)
    }

    pub(super) fn anchor(
        &mut self,
        a: &AnchorRaw,
        high: bool,
        file: FileId,
        span: Range<usize>,
    ) -> Option<Anchor> {
        Some(match a {
            AnchorRaw::Number(v) => Anchor::Value(*v),
            AnchorRaw::Word(w) => match w.as_str() {
                "target" => Anchor::Target,
                "best" => Anchor::Best,
                "worst" => Anchor::Worst,
                _ => {
                    self.errors.push(
                        Diagnostic::error(
                            Kind::Value,
                            format!("`{w}` is not a reference value of the efficacy coefficient"),
                        )
                        .at(file, span, "in this method")
                        .help(if high {
                            "high is \"target\", \"best\" or a number"
                        } else {
                            "low is \"worst\" or a number"
                        }),
                    );
                    return None;
                }
            },
        })
    }
}
