//! Builds a validated [`Campaign`] from the rule files, checking every reference, every
//! value and every weight, and reporting all problems found in one run.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::de::DeserializeOwned;

use super::csv_table::{self, Column};
use super::schema::*;
use crate::campaign::*;
use crate::diag::{did_you_mean, Diagnostic, FileId, Kind, Sources};
use crate::indicator::{Anchor, Assignment, Direction, Indicator, IndicatorKind, Method, Source};
use crate::item::ItemRules;
use crate::period::Period;
use crate::rounding::Rounding;
use crate::script::{Param, Scripts};

pub struct Files {
    pub campaign: FileId,
    pub units: FileId,
    pub indicators: FileId,
    pub targets: Option<FileId>,
    pub items: Option<FileId>,
    pub scripts: Vec<FileId>,
}

/// Parses TOML into `T`, telling syntax errors (not TOML) from schema errors (wrong keys).
pub fn parse_toml<T: DeserializeOwned>(sources: &Sources, file: FileId) -> Result<T, Diagnostic> {
    let text = sources.text(file);
    if let Err(e) = text.parse::<toml::Table>() {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().replace('\n', "; ");
        let help = if message.contains("string") {
            "close the text with a matching \" on the same line"
        } else if message.contains("table header") {
            "write section headers as [name] or [[name]], closed with ]"
        } else {
            "TOML is `key = value` lines under [section] headers; text values need \"quotes\""
        };
        return Err(Diagnostic::error(
            Kind::TomlSyntax,
            format!("this is not valid TOML: {message}"),
        )
        .at(file, span, "here")
        .help(help));
    }
    if let Some(span) = non_finite(text) {
        return Err(Diagnostic::error(
            Kind::Value,
            format!("`{}` is not a usable number", &text[span.clone()]),
        )
        .at(file, span, "not a finite number")
        .help("write an ordinary number, e.g. 100"));
    }
    from_toml_part(text, 0, file)
}

/// Deserialises a part of a TOML file that starts at byte `offset`.
fn from_toml_part<T: DeserializeOwned>(
    part: &str,
    offset: usize,
    file: FileId,
) -> Result<T, Diagnostic> {
    toml::from_str::<T>(part).map_err(|e| {
        let span = e
            .span()
            .map_or(offset..offset, |s| s.start + offset..s.end + offset);
        let message = e
            .message()
            .trim()
            .replace("expected f64", "expected a number");
        let help = schema_help(&message);
        Diagnostic::error(Kind::Schema, message)
            .at(file, span, "here")
            .help(help)
    })
}

/// indicators.toml, with every indicator's schema problems reported, not only the first:
/// when the whole file does not fit the schema, each `[[indicator]]` block is read alone.
fn parse_indicators(sources: &Sources, file: FileId) -> Result<IndicatorsFile, Vec<Diagnostic>> {
    let first = match parse_toml::<IndicatorsFile>(sources, file) {
        Ok(f) => return Ok(f),
        Err(e) if e.kind != Kind::Schema => return Err(vec![e]),
        Err(e) => e,
    };
    let text = sources.text(file);
    let mut starts: Vec<usize> = text
        .match_indices("[[indicator]]")
        .filter(|(i, _)| text[..*i].ends_with('\n') || *i == 0)
        .map(|(i, _)| i)
        .collect();
    starts.insert(0, 0);
    starts.push(text.len());
    let errors: Vec<Diagnostic> = starts
        .windows(2)
        .filter(|w| w[0] < w[1])
        .filter_map(|w| from_toml_part::<IndicatorsFile>(&text[w[0]..w[1]], w[0], file).err())
        .collect();
    Err(if errors.is_empty() {
        vec![first]
    } else {
        errors
    })
}

/// The first `nan` or `inf` written as a TOML value (outside strings and comments).
fn non_finite(text: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    // The last significant character before a word, across lines (arrays may span lines).
    let mut prev = ' ';
    for line in text.split_inclusive('\n') {
        let mut in_str: Option<char> = None;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let (at, c) = chars[i];
            match in_str {
                Some(q) if c == q => in_str = None,
                Some(_) => {}
                None if c == '"' || c == '\'' => in_str = Some(c),
                None if c == '#' => break,
                None => {
                    let rest = &line[at..];
                    let word = ["nan", "inf"].iter().find(|w| rest.starts_with(*w));
                    let ends = |n: usize| {
                        !rest[n..].starts_with(|ch: char| ch.is_alphanumeric() || ch == '_')
                    };
                    if let Some(w) = word {
                        if matches!(prev, '=' | ',' | '[' | '+' | '-') && ends(w.len()) {
                            let start = if matches!(prev, '+' | '-') {
                                at - 1
                            } else {
                                at
                            };
                            return Some(offset + start..offset + at + w.len());
                        }
                    }
                    if !c.is_whitespace() {
                        prev = c;
                    }
                }
            }
            i += 1;
        }
        offset += line.len();
    }
    None
}

/// A hint for serde's messages: a near miss for unknown keys and values, what to add for
/// missing ones.
fn schema_help(message: &str) -> String {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if let Some(rest) = message
        .strip_prefix("unknown field ")
        .or_else(|| message.strip_prefix("unknown variant "))
    {
        let _ = rest;
        if let Some((bad, expected)) = quoted.split_first() {
            return match did_you_mean(bad, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if expected.is_empty() => "remove it".to_string(),
                None => format!("write one of: {}", expected.join(", ")),
            };
        }
    }
    if message.starts_with("invalid type:") {
        return if message.ends_with("expected a number")
            || message.contains("expected i")
            || message.contains("expected u")
        {
            "write a number without quotes, e.g. weight = 10".into()
        } else if message.contains("expected a string")
            || message.contains("expected a borrowed string")
        {
            "write text in double quotes, e.g. name = \"地区生产总值增速\"".into()
        } else if message.contains("expected a sequence") {
            "write a list in square brackets, e.g. applies_to = [\"county\"]".into()
        } else {
            "check the value's type against the README's rule reference".into()
        };
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!("add {} to this table", field.trim());
    }
    "check this value against the README's rule reference".to_string()
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

    let first_period = b.first_period(&raw, cf);
    let item_rules = b.item_rules(&raw.items, cf);
    let escalation = b.escalation(&raw.escalation, cf);
    let items = match files.items {
        Some(f) => {
            let declared = &b.declared;
            match super::items::read(sources, f, &units, &|id| declared.unit_reported(id)) {
                Ok(items) => items,
                Err(mut e) => {
                    b.errors.append(&mut e);
                    Vec::new()
                }
            }
        }
        None => Vec::new(),
    };

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
        item_rules,
        escalation,
        first_period,
        adjust,
        adjust_origin,
    };
    Ok((campaign, scripts.expect("no errors")))
}

struct Builder<'a> {
    sources: &'a Sources,
    errors: Vec<Diagnostic>,
    file: FileId,
    /// What was declared, even where invalid, so that one mistake is reported once and not
    /// again at every reference to what it broke.
    declared: Declared,
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

const UNIT_COLUMNS: [Column; 4] = [
    Column {
        name: "id",
        aliases: &["编号", "代码"],
        required: true,
    },
    Column {
        name: "name",
        aliases: &["名称", "单位名称"],
        required: true,
    },
    Column {
        name: "group",
        aliases: &["分组", "组别"],
        required: true,
    },
    Column {
        name: "order",
        aliases: &["排序", "序号"],
        required: false,
    },
];

const TARGET_COLUMNS: [Column; 4] = [
    Column {
        name: "unit",
        aliases: &["单位"],
        required: true,
    },
    Column {
        name: "indicator",
        aliases: &["指标"],
        required: true,
    },
    Column {
        name: "target",
        aliases: &["目标值", "目标"],
        required: true,
    },
    Column {
        name: "stretch",
        aliases: &["力争目标", "力争值"],
        required: false,
    },
];

impl Builder<'_> {
    fn first_period(&mut self, raw: &CampaignFile, file: FileId) -> Period {
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

    fn item_rules(&mut self, raw: &ItemsRaw, file: FileId) -> ItemRules {
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

    fn escalation(
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

    fn thresholds(&mut self, w: &WarningsRaw, file: FileId) -> Thresholds {
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

    fn decimals(&mut self, d: &toml::Spanned<u32>, file: FileId) -> u32 {
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

    fn schedule(
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

    /// Checks ids are unique; returns (id, name) in order.
    fn unique<'s>(
        &mut self,
        items: impl Iterator<Item = (&'s toml::Spanned<String>, String)>,
        what: &str,
        file: FileId,
    ) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut spans: Vec<Range<usize>> = Vec::new();
        for (id, name) in items {
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

    fn units(&mut self, file: FileId, groups: &[(String, String)]) -> Vec<Unit> {
        let table = match csv_table::read(self.sources, file, &UNIT_COLUMNS) {
            Ok(t) => t,
            Err(mut e) => {
                self.errors.append(&mut e);
                self.declared.units_failed = true;
                return Vec::new();
            }
        };
        self.declared.units = table
            .rows
            .iter()
            .filter_map(|r| r.cells[0].as_ref().map(|c| c.text.to_string()))
            .collect();
        let mut units: Vec<(f64, usize, Unit)> = Vec::new();
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        for (i, row) in table.rows.iter().enumerate() {
            let (Some(id), Some(name), Some(group)) = (&row.cells[0], &row.cells[1], &row.cells[2])
            else {
                self.errors.push(
                    Diagnostic::error(Kind::Value, "this unit is missing its id, name or group")
                        .at(file, row.span.clone(), "incomplete row")
                        .help("fill in id, name and group on every row"),
                );
                continue;
            };
            if let Some(first) = seen.get(id.text.as_str()) {
                self.errors.push(
                    Diagnostic::error(
                        Kind::Duplicate,
                        format!("the unit `{}` is listed twice", id.text),
                    )
                    .at(file, id.span.clone(), "listed again here")
                    .also(file, first.clone(), "first listed here")
                    .help("delete the duplicate row, or give the unit its own id"),
                );
                continue;
            }
            seen.insert(id.text.to_string(), id.span.clone());
            let Some(g) = groups.iter().position(|(gid, _)| *gid == group.text) else {
                self.errors.push(self.unknown(
                    file,
                    group,
                    "group",
                    groups.iter().map(|(g, _)| g.as_str()),
                    "groups are defined as [[group]] in campaign.toml",
                ));
                continue;
            };
            let order = match &row.cells[3] {
                Some(c) => match c.number(file, "the order") {
                    Ok(v) => v,
                    Err(e) => {
                        self.errors.push(e);
                        continue;
                    }
                },
                None => f64::MAX,
            };
            units.push((
                order,
                i,
                Unit {
                    id: id.text.to_string(),
                    name: name.text.to_string(),
                    group: g,
                },
            ));
        }
        // Display order: by `order`, then as listed.
        units.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        units.into_iter().map(|(_, _, u)| u).collect()
    }

    fn unknown<'c>(
        &self,
        file: FileId,
        cell: &csv_table::Cell,
        what: &str,
        known: impl Iterator<Item = &'c str>,
        where_: &str,
    ) -> Diagnostic {
        unknown_id(file, &cell.text, cell.span.clone(), what, known, where_)
    }

    #[allow(clippy::too_many_arguments)]
    fn indicator(
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
        if self.errors.len() > before {
            return None;
        }
        let assignments = applies
            .iter()
            .enumerate()
            .filter(|(_, a)| **a)
            .map(|(unit, _)| Assignment {
                unit,
                target: r.target.unwrap_or(f64::NAN),
                stretch: r.stretch,
            })
            .collect();
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
                SourceRaw::Items => Source::Items {
                    category: r.item_category.clone(),
                },
            },
            origin: crate::campaign::Origin {
                file,
                span: r.id.span(),
            },
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn method(
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
            MethodRaw::Script { function } => {
                if let Some(scripts) = scripts {
                    self.script_fn(scripts, &function, file, span.clone(), usize::MAX, "");
                }
                Method::Script { function }
            }
        };
        Some(method)
    }

    fn anchor(
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

    /// Checks that a script function exists and takes what it will be given.
    fn script_fn(
        &mut self,
        scripts: &Scripts,
        name: &str,
        file: FileId,
        span: Range<usize>,
        arity: usize,
        arity_help: &str,
    ) {
        let Some(f) = scripts.function(name) else {
            let hint = match did_you_mean(name, scripts.function_names()) {
                Some(s) => {
                    format!("did you mean `{s}`? Define `fn {name}(…)` in a file under scripts/")
                }
                None => format!("define `fn {name}(…)` in a file under scripts/"),
            };
            self.errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("no script defines the function `{name}`"),
                )
                .at(file, span, "named here")
                .help(hint),
            );
            return;
        };
        if arity != usize::MAX {
            if f.param_names.len() != arity {
                self.errors.push(
                    Diagnostic::error(
                        Kind::Script,
                        format!(
                            "`{name}` takes {} parameters but is called with {arity}",
                            f.param_names.len()
                        ),
                    )
                    .at(
                        f.file,
                        f.offset..f.offset + 2 + 1 + name.len(),
                        "defined here",
                    )
                    .help(arity_help.to_string()),
                );
            }
            return;
        }
        for p in &f.param_names {
            if Param::from_name(p).is_none() {
                let names = Param::ALL.iter().map(|(n, _)| *n);
                let hint = match did_you_mean(p, names.clone()) {
                    Some(s) => format!("did you mean `{s}`? A score function's parameters are named after its inputs: {}", names.collect::<Vec<_>>().join(", ")),
                    None => format!("a score function's parameters are named after its inputs: {}", names.collect::<Vec<_>>().join(", ")),
                };
                let text = self.sources.text(f.file);
                let at = text[f.offset..]
                    .find(p.as_str())
                    .map_or(f.offset, |i| f.offset + i);
                self.errors.push(
                    Diagnostic::error(
                        Kind::Script,
                        format!(
                            "`{name}` has a parameter `{p}`, which is not an input jingbiao knows"
                        ),
                    )
                    .at(f.file, at..at + p.len(), "unknown input")
                    .help(hint),
                );
            }
        }
    }

    fn targets(
        &mut self,
        file: FileId,
        indicators: &mut [Indicator],
        ind_ix: &HashMap<String, usize>,
        unit_ix: &HashMap<&str, usize>,
        units: &[Unit],
    ) {
        let table = match csv_table::read(self.sources, file, &TARGET_COLUMNS) {
            Ok(t) => t,
            Err(mut e) => {
                self.errors.append(&mut e);
                return;
            }
        };
        let mut seen: HashMap<(usize, usize), Range<usize>> = HashMap::new();
        for row in &table.rows {
            let (Some(u), Some(i)) = (&row.cells[0], &row.cells[1]) else {
                self.errors.push(
                    Diagnostic::error(Kind::Value, "this target is missing its unit or indicator")
                        .at(file, row.span.clone(), "incomplete row")
                        .help("fill in unit, indicator and target on every row"),
                );
                continue;
            };
            let Some(&ui) = unit_ix.get(u.text.as_str()) else {
                if self.declared.unit_reported(&u.text) {
                    continue;
                }
                self.errors.push(self.unknown(
                    file,
                    u,
                    "unit",
                    units.iter().map(|u| u.id.as_str()),
                    "units are listed in units.csv",
                ));
                continue;
            };
            let Some(&ii) = ind_ix.get(i.text.as_str()) else {
                if self.declared.indicator_reported(&i.text) {
                    continue;
                }
                self.errors.push(self.unknown(
                    file,
                    i,
                    "indicator",
                    indicators.iter().map(|x| x.id.as_str()),
                    "indicators are defined in indicators.toml",
                ));
                continue;
            };
            if let Some(first) = seen.get(&(ui, ii)) {
                self.errors.push(
                    Diagnostic::error(
                        Kind::Duplicate,
                        format!(
                            "the target of {} on `{}` is given twice",
                            units[ui].name, i.text
                        ),
                    )
                    .at(file, row.span.clone(), "given again here")
                    .also(file, first.clone(), "first given here")
                    .help("keep one row per unit and indicator"),
                );
                continue;
            }
            seen.insert((ui, ii), row.span.clone());
            let ind = &mut indicators[ii];
            let Some(a) = ind.assignments.iter_mut().find(|a| a.unit == ui) else {
                self.errors.push(
                    Diagnostic::error(Kind::Reference, format!("`{}` does not apply to {} ({})", ind.id, units[ui].name, units[ui].id))
                        .at(file, row.span.clone(), "target for a unit not scored on it")
                        .also(ind.origin.file, ind.origin.span.clone(), "defined here")
                        .help("delete the row, or add the unit (or its group) to the indicator's applies_to"),
                );
                continue;
            };
            let measure = ind.measure.clone();
            let target = match row.cells[2]
                .as_ref()
                .map(|c| c.measure(file, "the target", &measure))
            {
                Some(Ok(v)) => v,
                Some(Err(e)) => {
                    self.errors.push(e);
                    continue;
                }
                None => {
                    self.errors.push(
                        Diagnostic::error(Kind::Value, "this target is empty")
                            .at(file, row.span.clone(), "no target")
                            .help("write the annual target, or delete the row to use the indicator's default target"),
                    );
                    continue;
                }
            };
            // A unit's own target replaces the default stretch too: no stretch unless given.
            a.target = target;
            a.stretch = None;
            if let Some(c) = &row.cells[3] {
                match c.measure(file, "the stretch target", &measure) {
                    Ok(v) if ind.direction.better(target, v) => self.errors.push(
                        Diagnostic::error(Kind::Value, format!("the stretch target {v} is not beyond the target {target}"))
                            .at(file, c.span.clone(), "力争目标")
                            .help(match ind.direction {
                                Direction::HigherIsBetter => "the stretch target (力争目标) is higher than the target, e.g. 6.0 and 6.5",
                                Direction::LowerIsBetter => "this indicator is lower-is-better, so the stretch target is below the target",
                            }),
                    ),
                    Ok(v) => a.stretch = Some(v),
                    Err(e) => self.errors.push(e),
                }
            }
        }
    }

    fn missing_targets(&mut self, indicators: &[Indicator], units: &[Unit], file: FileId) {
        for ind in indicators {
            let missing: Vec<&str> = ind
                .assignments
                .iter()
                .filter(|a| a.target.is_nan())
                .map(|a| units[a.unit].name.as_str())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let shown = missing
                .iter()
                .take(5)
                .copied()
                .collect::<Vec<_>>()
                .join("、");
            let more = if missing.len() > 5 {
                format!(" and {} more", missing.len() - 5)
            } else {
                String::new()
            };
            self.errors.push(
                Diagnostic::error(
                    Kind::Reference,
                    format!("`{}` has no target for {shown}{more}", ind.id),
                )
                .at(file, ind.origin.span.clone(), "no default target")
                .help("add `target = …` to the indicator, or a row per unit to targets.csv"),
            );
        }
    }

    fn rank_by(
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

    fn tiers(&mut self, g: &GroupRaw, file: FileId) -> Tiers {
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
    fn weights(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nan_and_inf_values_only() {
        let text = "a = 1.0\nb = nan\n";
        assert_eq!(non_finite(text).map(|r| &text[r]), Some("nan"));
        let text = "m = { type = \"x\", cap = -inf }";
        assert_eq!(non_finite(text).map(|r| &text[r]), Some("-inf"));
        let text = "xs = [\n  1,\n  inf,\n]";
        assert_eq!(non_finite(text).map(|r| &text[r]), Some("inf"));
        assert_eq!(
            non_finite("name = \"nan inf\" # = nan\ninfo = 1\nnanjing = 2\n"),
            None
        );
    }

    #[test]
    fn schema_help_suggests_near_misses() {
        assert_eq!(
            schema_help("unknown field `wieght`, expected one of `id`, `weight`"),
            "did you mean `weight`?"
        );
        assert_eq!(
            schema_help("invalid type: string \"ten\", expected a number"),
            "write a number without quotes, e.g. weight = 10"
        );
        assert_eq!(
            schema_help("missing field `weight`"),
            "add `weight` to this table"
        );
    }
}
