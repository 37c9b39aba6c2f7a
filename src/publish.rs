//! Published results: a period's facts frozen, with fingerprints of the rules and data that
//! produced them and of the facts themselves. Later periods read movement and warning
//! history from them, so a rule edit never silently rewrites what was announced.
//!
//! The file is its own type, [`Published`], versioned by [`FORMAT`] and keyed by ids (stable
//! across rule edits), never by names or positions. [`Published::resolve`] turns it back into
//! a [`PeriodResult`] against the *current* campaign, naming units, indicators and items as
//! the rules now name them, and reports every id that no longer resolves. A file of another
//! format is refused with a message saying how to re-publish it.
//!
//! The workflow around the file (refuse to replace without `--force`, score, write all or
//! nothing) is `timeline::publish`; the "published results stand" policy is
//! [`differences`], which the timeline applies when a published period is scored again.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::campaign::Campaign;
use crate::diag::{Diagnostic, FileId, Kind, Severity, Sources};
use crate::item::ItemStatus;
use crate::period::Period;
use crate::result::{
    Adjustment, Against, Cell, Facts, FollowUp, ItemCounts, ItemFact, Level, Movement, Status,
    Subject, UnitFacts, WarningFact, WarningKind,
};

/// The published file's format. Bumped whenever the file's shape changes; a file of another
/// format is refused with a message that says how to re-publish it. Format 3 added the
/// fingerprint of the whole file (`fingerprint.content`).
pub const FORMAT: u32 = 3;

/// Format 2 (the facts fingerprinted, not the rest of the file) is still read: its facts
/// are checked as they were when it was written, and its period against its name.
const FACTS_ONLY_FORMAT: u32 = 2;

/// A published period, as stored in `rules/NAME/published/PERIOD.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Published {
    /// The file's format, [`FORMAT`].
    pub format: u32,
    /// The jingbiao version that published it.
    pub jingbiao: String,
    /// The campaign's name when it was published.
    pub campaign: String,
    pub period: String,
    pub fingerprint: Fingerprint,
    pub facts: Record,
}

/// SHA-256 of the rule files and of the period's data files, in a fixed order, of the
/// published facts, and of the whole file but this `content` field (so a hand edit of any
/// part of the file is noticed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fingerprint {
    pub rules: String,
    pub data: String,
    #[serde(default)]
    pub facts: String,
    /// Empty (and not written) while it is being computed, and in format 2 files.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content: String,
}

/// The period's facts, keyed by ids (the file's `facts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Decimals of published points and totals.
    pub decimals: u32,
    /// Category ids, in the order of each unit's `categories`.
    pub categories: Vec<String>,
    /// Group ids, each with its units in rank order.
    pub groups: Vec<(String, Vec<UnitRecord>)>,
    pub warnings: Vec<WarningRecord>,
    pub closed: Vec<WarningRecord>,
    pub items: Vec<ItemRecord>,
    /// The data-quality warnings standing when the period was published, accepted with
    /// `publish --accept-quality` (absent when there were none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted_quality: Vec<QualityRecord>,
}

/// A data-quality warning accepted when publishing ([`crate::quality::Suspect`], by id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityRecord {
    /// `previous`, `group-median` or `year-to-date-fell`.
    pub kind: String,
    pub unit: String,
    pub indicator: String,
    /// The figure as reported.
    pub value: f64,
    /// What it was compared with: the previous figure or the group's median.
    pub against: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitRecord {
    pub unit: String,
    pub rank: u32,
    pub tier: Option<String>,
    pub total: Decimal,
    pub base: Decimal,
    pub points: Decimal,
    pub full_weight: f64,
    pub categories: Vec<Option<Decimal>>,
    pub adjustments: Vec<Adjustment>,
    pub vetoed: bool,
    pub submitted: bool,
    pub items: ItemCounts,
    pub movement: Movement,
    pub cells: Vec<CellRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellRecord {
    pub indicator: String,
    pub method: String,
    pub actual: Option<Decimal>,
    pub target: f64,
    pub stretch: Option<f64>,
    pub expected: f64,
    pub progress: f64,
    pub ratio: Option<Decimal>,
    pub points: Decimal,
    pub weight: f64,
    pub rank: Option<u32>,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarningRecord {
    pub level: Level,
    pub kind: WarningKind,
    pub group: String,
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against: Option<Against>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lower_is_better: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_status: Option<ItemStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<u32>,
    pub severity: f64,
    pub age: u32,
    pub follow_up: FollowUp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<String>,
    pub history: Vec<(String, Level)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemRecord {
    pub item: String,
    pub unit: String,
    pub group: String,
    pub category: String,
    pub start: NaiveDate,
    pub due: NaiveDate,
    pub planned: f64,
    pub progress: Option<f64>,
    pub completed: Option<NaiveDate>,
    pub status: ItemStatus,
}

/// SHA-256 over each file's label, length and text, in the order given.
pub fn fingerprint(sources: &Sources, files: &[(String, FileId)]) -> String {
    let mut h = Sha256::new();
    for (label, f) in files {
        let text = sources.text(*f);
        h.update(label.as_bytes());
        h.update([0]);
        h.update((text.len() as u64).to_le_bytes());
        h.update(text.as_bytes());
    }
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of the facts' compact JSON.
fn facts_fingerprint(facts: &Record) -> String {
    let mut h = Hashing(Sha256::new());
    serde_json::to_writer(&mut h, facts).expect("facts serialise");
    hex(&h.0.finalize())
}

/// SHA-256 of the whole file's compact JSON, its `fingerprint.content` left out. Every field
/// the file has, now or later, is covered.
fn content_fingerprint(p: &mut Published) -> String {
    let kept = std::mem::take(&mut p.fingerprint.content);
    let mut h = Hashing(Sha256::new());
    serde_json::to_writer(&mut h, &*p).expect("results serialise");
    p.fingerprint.content = kept;
    hex(&h.0.finalize())
}

/// Feeds JSON straight into a hash (a published file can be tens of megabytes).
struct Hashing(Sha256);

impl std::io::Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Published {
    /// Freezes a period's facts, by id. `fingerprint.facts` is filled in here.
    pub fn new(c: &Campaign, facts: &Facts, mut fingerprint: Fingerprint) -> Published {
        let record = Record::of(c, facts);
        fingerprint.facts = facts_fingerprint(&record);
        fingerprint.content = String::new();
        let mut p = Published {
            format: FORMAT,
            jingbiao: env!("CARGO_PKG_VERSION").to_string(),
            campaign: c.name.clone(),
            period: facts.period.to_string(),
            fingerprint,
            facts: record,
        };
        p.fingerprint.content = content_fingerprint(&mut p);
        p
    }

    /// Records the data-quality warnings accepted in publishing (and fingerprints the facts
    /// with them).
    pub fn with_accepted(
        mut self,
        c: &Campaign,
        accepted: &[crate::quality::Suspect],
    ) -> Published {
        self.facts.accepted_quality = accepted
            .iter()
            .map(|s| QualityRecord {
                kind: s.kind.code().to_string(),
                unit: c.units[s.unit].id.clone(),
                indicator: c.indicators[s.indicator].id.clone(),
                value: s.value,
                against: s.against,
            })
            .collect();
        self.fingerprint.facts = facts_fingerprint(&self.facts);
        self.fingerprint.content = content_fingerprint(&mut self);
        self
    }

    /// The file's text: pretty JSON ending in a newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("results serialise");
        s.push('\n');
        s
    }

    /// Reads a published file's text: refuses another format, a file that does not parse and
    /// one whose facts no longer match their fingerprint (edited by hand).
    pub fn parse(sources: &Sources, file: FileId) -> Result<Published, Diagnostic> {
        let text = sources.text(file);
        let name = sources.name(file).to_string();
        let period = Path::new(&name)
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned());
        let republish = format!(
            "re-publish it with this version of jingbiao: `jingbiao publish --period {period} --force`; \
             this scores the period again with the current rules and data, so first compare \
             `jingbiao score --period {period}` with what was announced (the bulletin sent then)"
        );
        #[derive(Deserialize)]
        struct Head {
            format: Option<serde_json::Value>,
        }
        let whole = 0..text.len().min(1);
        let head: Head = serde_json::from_str(text).map_err(|e| {
            let at = sources.offset(file, e.line(), e.column());
            Diagnostic::error(Kind::Value, format!("the published results cannot be read: {e}"))
                .at(file, at..sources.span_to_line_end(file, at).end, "here")
                .help("published results are written by `jingbiao publish`; restore the file from version control, or publish the period again with --force")
        })?;
        match head.format.as_ref().map(|v| v.as_u64()) {
            Some(Some(f)) if f == FORMAT as u64 || f == FACTS_ONLY_FORMAT as u64 => {}
            Some(None) => {
                return Err(Diagnostic::error(
                    Kind::Value,
                    format!("the `format` of `{name}` is not a whole number"),
                )
                .at(file, whole, "written by hand?")
                .help(republish))
            }
            Some(Some(f)) => {
                return Err(Diagnostic::error(
                    Kind::Value,
                    format!("`{name}` is in published format {f}; this jingbiao reads format {FORMAT}"),
                )
                .at(file, whole, "published by another version")
                .help(republish))
            }
            None => {
                return Err(Diagnostic::error(
                    Kind::Value,
                    format!("`{name}` is in the first published format (no `format` field); this jingbiao reads format {FORMAT}"),
                )
                .at(file, whole, "published by an earlier version")
                .help(republish))
            }
        }
        let mut p: Published = serde_json::from_str(text).map_err(|e| {
            let at = sources.offset(file, e.line(), e.column());
            Diagnostic::error(Kind::Value, format!("the published results cannot be read: {e}"))
                .at(file, at..sources.span_to_line_end(file, at).end, "here")
                .help("published results are written by `jingbiao publish`; restore the file from version control, or publish the period again with --force")
        })?;
        let edited = if p.format == FACTS_ONLY_FORMAT {
            facts_fingerprint(&p.facts) != p.fingerprint.facts
        } else {
            p.fingerprint.content.is_empty() || content_fingerprint(&mut p) != p.fingerprint.content
        };
        if edited {
            return Err(Diagnostic::error(
                Kind::Published,
                format!("`{name}` was changed after it was published: its content no longer matches its fingerprint"),
            )
            .at(file, whole, "edited after publishing")
            .help(format!("restore the file from version control (what was announced must not change afterwards: later periods' movement is read from it); to publish corrected figures, correct the data and run `jingbiao publish --period {period} --force`")));
        }
        if p.period != period {
            let at = text
                .find("\"period\"")
                .map_or(whole.clone(), |i| i..sources.span_to_line_end(file, i).end);
            return Err(Diagnostic::error(
                Kind::Published,
                format!(
                    "`{name}` holds the published results of {}, not of {period} as its name says",
                    p.period
                ),
            )
            .at(file, at, format!("published for {}", p.period))
            .help(format!(
                "a published file is named after its period: restore {period}.json from version control (a copy of another period's file is not its results), or publish {period} with `jingbiao publish --period {period}`"
            )));
        }
        Ok(p)
    }

    /// The published facts against the current campaign, by index. What no longer resolves
    /// (a unit, group, indicator, item or category removed or renamed since) is left out and
    /// listed, e.g. "unit `gone`".
    pub fn resolve(&self, c: &Campaign, period: Period) -> (Facts, Vec<String>) {
        let mut r = Resolver::new(c);
        let f = &self.facts;
        // Where each published category is now.
        let categories: Vec<Option<usize>> = f
            .categories
            .iter()
            .map(|id| {
                r.find("category", id, |c| {
                    c.categories.iter().position(|k| k.id == *id)
                })
            })
            .collect();
        let mut facts = Facts {
            period,
            units: vec![None; c.units.len()],
            tables: vec![Vec::new(); c.groups.len()],
            warnings: Vec::new(),
            closed: Vec::new(),
            items: vec![None; c.items.len()],
            stats: Vec::new(),
        };
        for (g, units) in &f.groups {
            let Some(g) = r.find("group", g, |c| c.groups.iter().position(|x| x.id == *g)) else {
                continue;
            };
            for u in units {
                let Some(i) = r.unit(&u.unit) else { continue };
                facts.tables[g].push(i);
                facts.units[i] = Some(r.unit_facts(u, &categories));
            }
        }
        facts.warnings = f.warnings.iter().filter_map(|w| r.warning(w)).collect();
        facts.closed = f.closed.iter().filter_map(|w| r.warning(w)).collect();
        for i in &f.items {
            if let Some(k) = r.item(&i.item) {
                facts.items[k] = Some(ItemFact {
                    planned: i.planned,
                    progress: i.progress,
                    completed: i.completed,
                    status: i.status,
                });
            }
        }
        facts.count_warnings();
        (facts, r.unresolved.into_keys().collect())
    }
}

impl Record {
    fn of(c: &Campaign, f: &Facts) -> Record {
        let warning = |w: &WarningFact| {
            let unit = &c.units[w.unit];
            let (indicator, item) = match w.subject {
                Subject::Submission => (None, None),
                Subject::Indicator(i) => (Some(c.indicators[i].id.clone()), None),
                Subject::Item(k) => (None, Some(c.items[k].id.clone())),
            };
            WarningRecord {
                level: w.level,
                kind: w.kind,
                group: c.groups[unit.group].id.clone(),
                unit: unit.id.clone(),
                indicator,
                item,
                actual: w.actual,
                expected: w.expected,
                against: w.against,
                lower_is_better: w.lower_is_better,
                ratio: w.ratio,
                gap: w.gap,
                measure: match w.subject {
                    Subject::Indicator(i) if w.kind == WarningKind::Lagging => {
                        Some(c.indicators[i].measure.clone())
                    }
                    _ => None,
                },
                item_status: w.item_status,
                due: w.due,
                missing: w.missing,
                severity: w.severity,
                age: w.age,
                follow_up: w.follow_up,
                escalation: w.escalation.clone(),
                history: w.history.iter().map(|(p, l)| (p.to_string(), *l)).collect(),
            }
        };
        Record {
            decimals: c.rounding.decimals,
            categories: c.categories.iter().map(|k| k.id.clone()).collect(),
            groups: c
                .groups
                .iter()
                .zip(&f.tables)
                .map(|(g, table)| {
                    let units = table
                        .iter()
                        .filter_map(|&u| Some((u, f.unit(u)?)))
                        .map(|(u, x)| UnitRecord::of(c, &c.units[u].id, x))
                        .collect();
                    (g.id.clone(), units)
                })
                .collect(),
            warnings: f.warnings.iter().map(warning).collect(),
            closed: f.closed.iter().map(warning).collect(),
            items: c
                .items
                .iter()
                .zip(&f.items)
                .filter_map(|(it, x)| {
                    let x = x.as_ref()?;
                    let unit = &c.units[it.owner];
                    Some(ItemRecord {
                        item: it.id.clone(),
                        unit: unit.id.clone(),
                        group: c.groups[unit.group].id.clone(),
                        category: c.item_categories[it.category].clone(),
                        start: it.start,
                        due: it.due,
                        planned: x.planned,
                        progress: x.progress,
                        completed: x.completed,
                        status: x.status,
                    })
                })
                .collect(),
            accepted_quality: Vec::new(),
        }
    }
}

impl UnitRecord {
    fn of(c: &Campaign, id: &str, u: &UnitFacts) -> UnitRecord {
        UnitRecord {
            unit: id.to_string(),
            rank: u.rank,
            tier: u.tier.clone(),
            total: u.total,
            base: u.base,
            points: u.points,
            full_weight: u.full_weight,
            categories: u.categories.clone(),
            adjustments: u.adjustments.clone(),
            vetoed: u.vetoed,
            submitted: u.submitted,
            items: u.items.clone(),
            movement: u.movement.clone(),
            cells: u
                .cells
                .iter()
                .map(|x| CellRecord {
                    indicator: c.indicators[x.indicator].id.clone(),
                    method: c.indicators[x.indicator].method.label_zh().to_string(),
                    actual: x.actual,
                    target: x.target,
                    stretch: x.stretch,
                    expected: x.expected,
                    progress: x.progress,
                    ratio: x.ratio,
                    points: x.points,
                    weight: x.weight,
                    rank: x.rank,
                    status: x.status,
                })
                .collect(),
        }
    }
}

/// Ids to the current campaign's positions, each map built once; what does not resolve is
/// remembered (sorted, once each).
struct Resolver<'c> {
    c: &'c Campaign,
    units: HashMap<&'c str, usize>,
    indicators: HashMap<&'c str, usize>,
    items: HashMap<&'c str, usize>,
    unresolved: BTreeMap<String, ()>,
}

impl<'c> Resolver<'c> {
    fn new(c: &'c Campaign) -> Self {
        fn index<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
            ids.enumerate().map(|(i, x)| (x, i)).collect()
        }
        Resolver {
            c,
            units: index(c.units.iter().map(|x| x.id.as_str())),
            indicators: index(c.indicators.iter().map(|x| x.id.as_str())),
            items: index(c.items.iter().map(|x| x.id.as_str())),
            unresolved: BTreeMap::new(),
        }
    }

    fn find(
        &mut self,
        what: &str,
        id: &str,
        look: impl FnOnce(&Campaign) -> Option<usize>,
    ) -> Option<usize> {
        let found = look(self.c);
        if found.is_none() {
            self.unresolved.insert(format!("{what} `{id}`"), ());
        }
        found
    }

    fn unit(&mut self, id: &str) -> Option<usize> {
        let found = self.units.get(id).copied();
        self.find("unit", id, |_| found)
    }

    fn indicator(&mut self, id: &str) -> Option<usize> {
        let found = self.indicators.get(id).copied();
        self.find("indicator", id, |_| found)
    }

    fn item(&mut self, id: &str) -> Option<usize> {
        let found = self.items.get(id).copied();
        self.find("item", id, |_| found)
    }

    fn unit_facts(&mut self, u: &UnitRecord, categories: &[Option<usize>]) -> UnitFacts {
        let mut cells: Vec<Cell> = u
            .cells
            .iter()
            .filter_map(|x| {
                Some(Cell {
                    indicator: self.indicator(&x.indicator)?,
                    actual: x.actual,
                    target: x.target,
                    stretch: x.stretch,
                    expected: x.expected,
                    progress: x.progress,
                    ratio: x.ratio,
                    points: x.points,
                    weight: x.weight,
                    rank: x.rank,
                    status: x.status,
                })
            })
            .collect();
        cells.sort_by_key(|x| x.indicator);
        let mut subtotals = vec![None; self.c.categories.len()];
        for (then, now) in u.categories.iter().zip(categories) {
            if let Some(k) = now {
                subtotals[*k] = *then;
            }
        }
        UnitFacts {
            rank: u.rank,
            tier: u.tier.clone(),
            total: u.total,
            base: u.base,
            points: u.points,
            full_weight: u.full_weight,
            categories: subtotals,
            adjustments: u.adjustments.clone(),
            vetoed: u.vetoed,
            submitted: u.submitted,
            items: u.items.clone(),
            movement: u.movement.clone(),
            open_warnings: 0,
            cells,
        }
    }

    fn warning(&mut self, w: &WarningRecord) -> Option<WarningFact> {
        let unit = self.unit(&w.unit)?;
        let subject = match (&w.indicator, &w.item) {
            (Some(i), _) => Subject::Indicator(self.indicator(i)?),
            (None, Some(k)) => Subject::Item(self.item(k)?),
            (None, None) => Subject::Submission,
        };
        Some(WarningFact {
            level: w.level,
            kind: w.kind,
            unit,
            subject,
            actual: w.actual,
            expected: w.expected,
            against: w.against,
            lower_is_better: w.lower_is_better,
            ratio: w.ratio,
            gap: w.gap,
            item_status: w.item_status,
            due: w.due,
            missing: w.missing,
            severity: w.severity,
            age: w.age,
            follow_up: w.follow_up,
            escalation: w.escalation.clone(),
            history: w
                .history
                .iter()
                .filter_map(|(p, l)| Some((Period::parse(p, self.c.period_kind).ok()?, *l)))
                .collect(),
        })
    }
}

/// A note that a published file refers to what the current rules no longer have.
pub fn unresolved_note(file: &Path, period: &str, unresolved: &[String]) -> Option<Diagnostic> {
    if unresolved.is_empty() {
        return None;
    }
    let mut d = Diagnostic::error(
        Kind::Reference,
        format!(
            "the published results of {period} (`{}`) name what the current rules no longer have: {}",
            file.display(),
            unresolved.join(", ")
        ),
    )
    .help("they are left out of that period's tables and warnings; an id renamed since starts afresh (no movement, warnings counted from age 1)");
    d.severity = Severity::Warning;
    Some(d)
}

/// How a unit's published standing differs from the same period scored now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Difference {
    /// In the table now, not when published.
    NotRankedThen { unit: String, group: String },
    /// Total, rank or tier changed (each `Some((then, now))` where it did).
    Changed {
        unit: String,
        total: Option<(Decimal, Decimal)>,
        rank: Option<(u32, u32)>,
        tier: Option<(Option<String>, Option<String>)>,
    },
    /// The number of warnings changed.
    Warnings { then: usize, now: usize },
}

/// The "published results stand" policy's input: what differs between a published period
/// and the same period scored now, both against campaign `c`. Empty when they agree. Units
/// are named as the rules name them now. `announced` is the number of warnings as published
/// (before any that no longer resolve were left out).
pub fn differences(
    c: &Campaign,
    published: &Facts,
    announced: usize,
    now: &Facts,
) -> Vec<Difference> {
    let then_group = published.table_groups();
    let mut out = Vec::new();
    for (g, table) in now.tables.iter().enumerate() {
        for &u in table {
            let Some(n) = now.unit(u) else { continue };
            let name = c.units[u].name.clone();
            let t = match (then_group.get(u).copied().flatten(), published.unit(u)) {
                (Some(tg), Some(t)) if tg == g => t,
                _ => {
                    out.push(Difference::NotRankedThen {
                        unit: name,
                        group: c.groups[g].name.clone(),
                    });
                    continue;
                }
            };
            let total = (t.total != n.total).then_some((t.total, n.total));
            let rank = (t.rank != n.rank).then_some((t.rank, n.rank));
            let tier = (t.tier != n.tier).then(|| (t.tier.clone(), n.tier.clone()));
            if total.is_some() || rank.is_some() || tier.is_some() {
                out.push(Difference::Changed {
                    unit: name,
                    total,
                    rank,
                    tier,
                });
            }
        }
    }
    let (a, b) = (announced, now.warnings.len());
    if a != b {
        out.push(Difference::Warnings { then: a, now: b });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record of no units, warnings or items, to 2 decimals.
    fn empty_record() -> Record {
        Record {
            decimals: 2,
            categories: vec![],
            groups: vec![],
            warnings: vec![],
            closed: vec![],
            items: vec![],
            accepted_quality: vec![],
        }
    }

    #[test]
    fn fingerprints_change_with_any_byte_or_label() {
        let mut s = Sources::new();
        let a = s.add("a", "x,y\n1,2\n");
        let b = s.add("b", "x,y\n1,3\n");
        let fa = fingerprint(&s, &[("m.csv".into(), a)]);
        assert_eq!(fa.len(), 64);
        assert_eq!(fa, fingerprint(&s, &[("m.csv".into(), a)]));
        assert_ne!(fa, fingerprint(&s, &[("m.csv".into(), b)]));
        assert_ne!(fa, fingerprint(&s, &[("n.csv".into(), a)]));
    }

    fn parse(text: &str) -> Result<Published, Diagnostic> {
        let mut s = Sources::new();
        let f = s.add("published/2023-Q1.json", text.to_string());
        Published::parse(&s, f)
    }

    #[test]
    fn a_published_file_reads_back_and_refuses_other_formats_and_hand_edits() {
        let fp = Fingerprint {
            rules: "r".into(),
            data: "d".into(),
            facts: String::new(),
            content: String::new(),
        };
        let record = empty_record();
        let mut p = Published {
            format: FORMAT,
            jingbiao: "test".into(),
            campaign: "c".into(),
            period: "2023-Q1".into(),
            fingerprint: Fingerprint {
                facts: facts_fingerprint(&record),
                ..fp
            },
            facts: record,
        };
        p.fingerprint.content = content_fingerprint(&mut p);
        assert_eq!(p.format, FORMAT);
        assert_eq!(parse(&p.to_json()).unwrap(), p);

        let old = r#"{"jingbiao":"0.1.0","period":"2023-Q1","fingerprint":{"rules":"r","data":"d"},"result":{}}"#;
        let e = parse(old).unwrap_err();
        assert!(
            e.message.contains("first published format"),
            "{}",
            e.message
        );
        assert!(
            e.help
                .as_deref()
                .unwrap()
                .contains("jingbiao publish --period 2023-Q1 --force"),
            "{:?}",
            e.help
        );

        let current = format!("\"format\": {FORMAT}");
        let text = p.to_json().replace(&current, "\"format\": \"3\"");
        assert!(parse(&text)
            .unwrap_err()
            .message
            .contains("not a whole number"));

        let future = p.to_json().replace(&current, "\"format\": 9");
        assert!(parse(&future).unwrap_err().message.contains("format 9"));

        // Any part of the file edited: the facts, the period, the campaign's name, the
        // other fingerprints, the version; or the fingerprint of the whole left out.
        for (from, to) in [
            ("\"decimals\": 2", "\"decimals\": 3"),
            ("\"period\": \"2023-Q1\"", "\"period\": \"2023-Q2\""),
            ("\"campaign\": \"c\"", "\"campaign\": \"d\""),
            ("\"rules\": \"r\"", "\"rules\": \"x\""),
            ("\"jingbiao\": \"test\"", "\"jingbiao\": \"0.0.1\""),
            (
                &format!(",\n    \"content\": \"{}\"", p.fingerprint.content),
                "",
            ),
        ] {
            let edited = p.to_json().replace(from, to);
            assert_ne!(edited, p.to_json(), "{from}");
            let e = parse(&edited).unwrap_err();
            assert!(
                e.message.contains("changed after it was published"),
                "{from}: {}",
                e.message
            );
            assert_eq!(e.kind, Kind::Published);
        }
    }

    #[test]
    fn a_published_file_holds_the_period_its_name_says() {
        let record = empty_record();
        let mut p = Published {
            format: FORMAT,
            jingbiao: "test".into(),
            campaign: "c".into(),
            period: "2023-Q2".into(),
            fingerprint: Fingerprint {
                rules: "r".into(),
                data: "d".into(),
                facts: facts_fingerprint(&record),
                content: String::new(),
            },
            facts: record,
        };
        p.fingerprint.content = content_fingerprint(&mut p);
        // 2023-Q2's file copied over 2023-Q1's: its fingerprint holds, its period does not.
        let e = parse(&p.to_json()).unwrap_err();
        assert_eq!(e.kind, Kind::Published);
        assert!(
            e.message
                .contains("holds the published results of 2023-Q2, not of 2023-Q1"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_format_2_file_is_read_with_its_facts_fingerprint() {
        let record = empty_record();
        let p = Published {
            format: FACTS_ONLY_FORMAT,
            jingbiao: "0.1.0".into(),
            campaign: "c".into(),
            period: "2023-Q1".into(),
            fingerprint: Fingerprint {
                rules: "r".into(),
                data: "d".into(),
                facts: facts_fingerprint(&record),
                content: String::new(),
            },
            facts: record,
        };
        assert_eq!(parse(&p.to_json()).unwrap(), p);
        let edited = p.to_json().replace("\"decimals\": 2", "\"decimals\": 3");
        assert_eq!(parse(&edited).unwrap_err().kind, Kind::Published);
        let moved = p
            .to_json()
            .replace("\"period\": \"2023-Q1\"", "\"period\": \"2023-Q3\"");
        assert!(parse(&moved)
            .unwrap_err()
            .message
            .contains("not of 2023-Q1"));
    }

    #[test]
    fn the_facts_fingerprint_survives_writing_and_reading_any_float() {
        // Sums of weights and large expected values are floats that are not short decimals;
        // each must read back bit for bit, or a correct file would be refused as edited.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let units: Vec<UnitRecord> = (0..2000)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let w = (x % 10_000_000) as f64 / 7.0 + 0.1 * (i % 10) as f64;
                UnitRecord {
                    unit: format!("u{i}"),
                    rank: 1,
                    tier: None,
                    total: Default::default(),
                    base: Default::default(),
                    points: Default::default(),
                    full_weight: w,
                    categories: vec![],
                    adjustments: vec![],
                    vetoed: false,
                    submitted: true,
                    items: Default::default(),
                    movement: Default::default(),
                    cells: vec![CellRecord {
                        indicator: "i".into(),
                        method: "m".into(),
                        actual: None,
                        target: w * 3.3,
                        stretch: None,
                        expected: w * 1e9 / 3.0,
                        progress: 7.0 / 12.0,
                        ratio: None,
                        points: Default::default(),
                        weight: w,
                        rank: None,
                        status: Status::Met,
                    }],
                }
            })
            .collect();
        let record = Record {
            groups: vec![("g".into(), units)],
            ..empty_record()
        };
        let mut p = Published {
            format: FORMAT,
            jingbiao: "test".into(),
            campaign: "c".into(),
            period: "2023-Q1".into(),
            fingerprint: Fingerprint {
                rules: "r".into(),
                data: "d".into(),
                facts: facts_fingerprint(&record),
                content: String::new(),
            },
            facts: record,
        };
        p.fingerprint.content = content_fingerprint(&mut p);
        let back = parse(&p.to_json()).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn what_no_longer_resolves_is_a_warning_naming_each_id() {
        assert!(unresolved_note(Path::new("p/2023-Q1.json"), "2023-Q1", &[]).is_none());
        let d = unresolved_note(
            Path::new("p/2023-Q1.json"),
            "2023-Q1",
            &["indicator `old_gdp`".into(), "unit `gone`".into()],
        )
        .unwrap();
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(d.kind, Kind::Reference);
        assert!(d.message.contains("2023-Q1"), "{}", d.message);
        assert!(
            d.message.contains("indicator `old_gdp`, unit `gone`"),
            "{}",
            d.message
        );
        assert!(
            d.help.as_deref().unwrap().contains("left out"),
            "{:?}",
            d.help
        );
    }
}
