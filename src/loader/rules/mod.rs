//! Builds a validated [`Campaign`] from the rule files, checking every reference, every
//! value and every weight, and reporting all problems found in one run. This file holds the
//! order of the build and what the parts share; each part of the rules has its own file.

mod campaign;
mod event_kinds;
mod groups;
mod indicators;
mod meaning;
mod parse;
mod scripts;
mod targets;
mod units;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::csv_table;
use super::schema::*;
use crate::campaign::*;
use crate::diag::{did_you_mean, Diagnostic, FileId, Kind, Origin, Sources};
use crate::rounding::Rounding;
use crate::script::Scripts;

use parse::parse_indicators;
pub use parse::parse_toml;

pub struct Files {
    pub campaign: FileId,
    pub units: FileId,
    pub indicators: FileId,
    pub targets: Option<FileId>,
    pub items: Option<FileId>,
    pub scripts: Vec<FileId>,
}
pub fn build(sources: &Sources, files: Files) -> Result<(Campaign, Scripts), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let raw: Option<CampaignFile> = parse_toml(sources, files.campaign)
        .map_err(|e| errors.push(e))
        .ok();
    let ind_raw: Option<IndicatorsFile> = parse_indicators(sources, files.indicators)
        .map_err(|mut e| errors.append(&mut e))
        .ok();
    let scripts = Scripts::compile(sources, &files.scripts)
        .map_err(|mut e| errors.append(&mut e))
        .ok();
    let Some(raw) = raw else {
        return Err(errors);
    };
    let cf = files.campaign;
    let mut b = Builder {
        sources,
        errors,
        file: cf,
        declared: Declared::default(),
        at: Places::default(),
    };

    let thresholds = b.thresholds(&raw.warnings, cf);
    let rounding = Rounding::new(b.decimals(&raw.rounding.decimals, cf), raw.rounding.mode);
    if !(*raw.full_marks.get_ref() > 0.0 && *raw.full_marks.get_ref() <= 1e6) {
        b.errors.push(
            Diagnostic::error(Kind::Value, "full_marks must be more than zero")
                .at(cf, raw.full_marks.span(), "here")
                .help("set full_marks = 100"),
        );
    }
    let schedule = raw
        .schedule
        .as_ref()
        .and_then(|s| b.schedule(s, raw.period.per_year(), cf));

    let categories = b.unique(
        raw.categories.iter().map(|c| (&c.id, c.name.clone())),
        "category",
        cf,
    );
    let categories: Vec<Category> = categories
        .into_iter()
        .map(|(id, name)| Category { id, name })
        .collect();
    let group_ids = b.unique(
        raw.groups.iter().map(|g| (&g.id, g.name.clone())),
        "group",
        cf,
    );
    if raw.groups.is_empty() {
        b.errors.push(
            Diagnostic::error(Kind::Schema, "the campaign defines no groups")
                .at(cf, 0..0, "in this file")
                .help("add at least one [[group]] with an id and a name, e.g. id = \"county\", name = \"县（市、区）\""),
        );
    }

    let units = b.units(files.units, &group_ids);
    let unit_ix: HashMap<&str, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.as_str(), i))
        .collect();

    let mut indicators = Vec::new();
    b.declared.indicators_failed = ind_raw.is_none();
    if let Some(ind_raw) = &ind_raw {
        b.declared.indicators = ind_raw
            .indicators
            .iter()
            .map(|i| i.get_ref().id.get_ref().clone())
            .collect();
        let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
        for spanned in &ind_raw.indicators {
            let r = spanned.get_ref();
            let id_error = crate::loader::ids::check(
                files.indicators,
                r.id.get_ref(),
                r.id.span(),
                "indicator",
            );
            b.errors.extend(id_error);
            if let Some(first) = seen.get(r.id.get_ref().as_str()) {
                b.errors.push(
                    Diagnostic::error(
                        Kind::Duplicate,
                        format!("the indicator `{}` is defined twice", r.id.get_ref()),
                    )
                    .at(files.indicators, r.id.span(), "defined again here")
                    .also(files.indicators, first.clone(), "first defined here")
                    .help("give each indicator its own id"),
                );
                continue;
            }
            seen.insert(r.id.get_ref(), r.id.span());
            if let Some(ind) = b.indicator(
                spanned,
                files.indicators,
                &categories,
                &group_ids,
                &units,
                &unit_ix,
                &thresholds,
                raw.period.per_year(),
                scripts.as_ref(),
            ) {
                indicators.push(ind);
            }
        }
    }
    let ind_ix: HashMap<String, usize> = indicators
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.clone(), i))
        .collect();
    let rules_clean = b.errors.is_empty();
    if let Some(t) = files.targets {
        b.targets(t, &mut indicators, &ind_ix, &unit_ix, &units);
    }
    if b.errors.is_empty() {
        b.missing_targets(&indicators, &units, files.indicators);
    }

    let groups: Vec<Group> = raw
        .groups
        .iter()
        .map(|g| Group {
            id: g.id.get_ref().clone(),
            name: g.name.clone(),
            weights_total: g.weights_total.as_ref().map(|w| *w.get_ref()),
            rank_by: b.rank_by(g, &categories, &indicators, &ind_ix),
            tiers: b.tiers(g, cf),
        })
        .collect();
    // Weights are only meaningful once every unit and indicator loaded.
    for (gi, g) in raw.groups.iter().enumerate().filter(|_| rules_clean) {
        if let Some(total) = &g.weights_total {
            b.weights(gi, g, total, &units, &indicators);
        }
    }

    // Rules that are each valid but together cannot mean what they say.
    if b.errors.is_empty() {
        b.meaning(
            &raw,
            &groups,
            &units,
            &indicators,
            raw.period.per_year(),
            schedule.as_deref(),
        );
    }

    let first_period = b.first_period(&raw, cf);
    let item_rules = b.item_rules(&raw.items, cf);
    let escalation = b.escalation(&raw.escalation, cf);
    let event_kinds = b.event_kinds(&raw.event_kinds, cf);
    let quality = b.quality(&raw.quality, cf);
    let mut items_failed = false;
    let (items, item_categories) = match files.items {
        Some(f) => {
            let declared = &b.declared;
            match super::items::read(sources, f, &units, &|id| declared.unit_reported(id)) {
                Ok(read) => read,
                Err(mut e) => {
                    b.errors.append(&mut e);
                    items_failed = true;
                    (Vec::new(), Vec::new())
                }
            }
        }
        None => (Vec::new(), Vec::new()),
    };
    // Not when items.csv could not be read: its errors are reported already.
    if let (Some(ind_raw), false) = (&ind_raw, items_failed) {
        resolve_item_categories(
            &mut b,
            ind_raw,
            files.indicators,
            &mut indicators,
            &item_categories,
        );
    }

    let adjust = raw.adjust.as_ref().map(|a| a.get_ref().clone());
    let adjust_origin = raw.adjust.as_ref().map(|a| Origin {
        file: cf,
        span: a.span(),
    });
    if let (Some(a), Some(scripts)) = (&raw.adjust, &scripts) {
        b.script_fn(
            scripts,
            a.get_ref(),
            cf,
            a.span(),
            1,
            "an adjustment function takes one parameter, the unit: `fn adjust(unit) { … }`",
        );
    }

    if !b.errors.is_empty() {
        return Err(b.errors);
    }
    let campaign = Campaign {
        name: raw.name,
        year: raw.year,
        period_kind: raw.period,
        full_marks: *raw.full_marks.get_ref(),
        scale: match raw.scale {
            ScaleRaw::FullMarks => Scale::FullMarks,
            ScaleRaw::None => Scale::None,
        },
        schedule,
        rounding,
        thresholds,
        categories,
        groups,
        units,
        indicators,
        items,
        item_categories,
        item_rules,
        escalation,
        first_period,
        adjust,
        adjust_origin,
        event_kinds,
        quality,
    };
    let mut scripts = scripts.expect("no errors");
    scripts.bind(&campaign);
    Ok((campaign, scripts))
}

struct Builder<'a> {
    sources: &'a Sources,
    errors: Vec<Diagnostic>,
    file: FileId,
    /// What was declared, even where invalid, so that one mistake is reported once and not
    /// again at every reference to what it broke.
    declared: Declared,
    /// Where rows of the tables were, for checks made once everything is loaded.
    at: Places,
}

/// Where a unit's row of units.csv and a unit's own target in targets.csv are.
#[derive(Default)]
struct Places {
    units_file: Option<FileId>,
    /// Unit id → its id cell in units.csv.
    units: HashMap<String, Range<usize>>,
    targets_file: Option<FileId>,
    /// (indicator, unit) → the row of targets.csv that gives the unit's own target.
    targets: HashMap<(usize, usize), Range<usize>>,
}

#[derive(Default)]
struct Declared {
    units_failed: bool,
    units: HashSet<String>,
    indicators_failed: bool,
    indicators: HashSet<String>,
}

impl Declared {
    /// A reference to a unit that is not loaded, but was written down: already reported.
    fn unit_reported(&self, id: &str) -> bool {
        self.units_failed || self.units.contains(id)
    }

    fn indicator_reported(&self, id: &str) -> bool {
        self.indicators_failed || self.indicators.contains(id)
    }
}

impl Builder<'_> {
    /// Checks ids are unique; returns (id, name) in order.
    pub(super) fn unique<'s>(
        &mut self,
        items: impl Iterator<Item = (&'s toml::Spanned<String>, String)>,
        what: &str,
        file: FileId,
    ) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut spans: Vec<Range<usize>> = Vec::new();
        for (id, name) in items {
            if let Some(e) = crate::loader::ids::check(file, id.get_ref(), id.span(), what) {
                self.errors.push(e);
            }
            if let Some(i) = out.iter().position(|(x, _)| x == id.get_ref()) {
                self.errors.push(
                    Diagnostic::error(
                        Kind::Duplicate,
                        format!("the {what} `{}` is defined twice", id.get_ref()),
                    )
                    .at(file, id.span(), "defined again here")
                    .also(file, spans[i].clone(), "first defined here")
                    .help(format!("give each {what} its own id")),
                );
                continue;
            }
            out.push((id.get_ref().clone(), name));
            spans.push(id.span());
        }
        out
    }

    pub(super) fn unknown<'c>(
        &self,
        file: FileId,
        cell: &csv_table::Cell,
        what: &str,
        known: impl Iterator<Item = &'c str>,
        where_: &str,
    ) -> Diagnostic {
        unknown_id(file, &cell.text, cell.span.clone(), what, known, where_)
    }
}

/// "unknown X `id`", with a near miss if there is one.
pub(super) fn unknown_id<'c>(
    file: FileId,
    id: &str,
    span: Range<usize>,
    what: &str,
    known: impl Iterator<Item = &'c str>,
    where_: &str,
) -> Diagnostic {
    let hint = match did_you_mean(id, known) {
        Some(s) => format!("did you mean `{s}`? ({where_})"),
        None => where_.to_string(),
    };
    Diagnostic::error(Kind::Reference, format!("unknown {what} `{id}`"))
        .at(file, span, format!("no {what} has this id"))
        .help(hint)
}

/// Indicators scored on one category of key work items (`item_category`) refer to it by
/// position; a category no item has is an error, never a silent 100%.
fn resolve_item_categories(
    b: &mut Builder,
    raw: &IndicatorsFile,
    file: FileId,
    indicators: &mut [crate::indicator::Indicator],
    categories: &[String],
) {
    for spanned in &raw.indicators {
        let r = spanned.get_ref();
        let Some(name) = &r.item_category else {
            continue;
        };
        let Some(ind) = indicators.iter_mut().find(|x| x.id == *r.id.get_ref()) else {
            continue;
        };
        let crate::indicator::Source::Items { category } = &mut ind.source else {
            continue;
        };
        match categories.iter().position(|c| c == name.get_ref()) {
            Some(k) => *category = Some(k),
            None => {
                let known: Vec<&str> = categories
                    .iter()
                    .map(String::as_str)
                    .filter(|c| !c.is_empty())
                    .collect();
                let help = match did_you_mean(name.get_ref(), known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? The categories in items.csv: {}", known.join("、")),
                    None if known.is_empty() => "items.csv gives no categories; add them in its `category` column, or remove item_category".to_string(),
                    None => format!("the categories in items.csv: {}", known.join("、")),
                };
                b.errors.push(
                    Diagnostic::error(
                        Kind::Reference,
                        format!("no key work item has the category `{}`", name.get_ref()),
                    )
                    .at(file, name.span(), "not a category of items.csv")
                    .help(help),
                );
            }
        }
    }
}
