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
use crate::result::{
    Adjustment, Against, CategoryInfo, CellResult, FollowUp, GroupResult, ItemCounts, ItemResult,
    Level, Movement, PeriodResult, Status, UnitResult, Warning, WarningKind,
};

/// The published file's format. Bumped whenever the file's shape changes; a file of another
/// format is refused with a message that says how to re-publish it.
pub const FORMAT: u32 = 2;

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
    pub facts: Facts,
}

/// SHA-256 of the rule files and of the period's data files, in a fixed order, and of the
/// published facts themselves (so a hand edit of the file is noticed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fingerprint {
    pub rules: String,
    pub data: String,
    #[serde(default)]
    pub facts: String,
}

/// The period's facts, keyed by ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// Decimals of published points and totals.
    pub decimals: u32,
    /// Category ids, in the order of each unit's `categories`.
    pub categories: Vec<String>,
    /// Group ids, each with its units in rank order.
    pub groups: Vec<(String, Vec<UnitFacts>)>,
    pub warnings: Vec<WarningFacts>,
    pub closed: Vec<WarningFacts>,
    pub items: Vec<ItemFacts>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitFacts {
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
    pub cells: Vec<CellFacts>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellFacts {
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
pub struct WarningFacts {
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
pub struct ItemFacts {
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
fn facts_fingerprint(facts: &Facts) -> String {
    let json = serde_json::to_vec(facts).expect("facts serialise");
    hex(&Sha256::digest(&json))
}

impl Published {
    /// Freezes a period's result. `fingerprint.facts` is filled in here.
    pub fn new(result: &PeriodResult, mut fingerprint: Fingerprint) -> Published {
        let facts = Facts::of(result);
        fingerprint.facts = facts_fingerprint(&facts);
        Published {
            format: FORMAT,
            jingbiao: env!("CARGO_PKG_VERSION").to_string(),
            campaign: result.campaign.clone(),
            period: result.period.clone(),
            fingerprint,
            facts,
        }
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
            "re-publish it with this version of jingbiao: `jingbiao publish --period {period} --force` \
             (this scores the period again with the current rules and data; check first with \
             `jingbiao score --period {period}` that the figures are the ones announced)"
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
        match head.format.as_ref().and_then(|v| v.as_u64()) {
            Some(f) if f == FORMAT as u64 => {}
            Some(f) => {
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
        let p: Published = serde_json::from_str(text).map_err(|e| {
            let at = sources.offset(file, e.line(), e.column());
            Diagnostic::error(Kind::Value, format!("the published results cannot be read: {e}"))
                .at(file, at..sources.span_to_line_end(file, at).end, "here")
                .help("published results are written by `jingbiao publish`; restore the file from version control, or publish the period again with --force")
        })?;
        if facts_fingerprint(&p.facts) != p.fingerprint.facts {
            return Err(Diagnostic::error(
                Kind::Value,
                format!("`{name}` was changed after it was published: its facts no longer match their fingerprint"),
            )
            .at(file, whole, "edited after publishing")
            .help("restore the file from version control; to publish corrected figures, correct the data and run `jingbiao publish --force`"));
        }
        Ok(p)
    }

    /// The published facts as a result against the current campaign: names come from the
    /// rules as they are now. Ids that no longer resolve (a unit, group, indicator, item or
    /// category removed or renamed since) keep their id as their name and are listed.
    pub fn resolve(&self, c: &Campaign) -> (PeriodResult, Vec<String>) {
        let mut r = Resolver::new(c);
        let f = &self.facts;
        let categories = f
            .categories
            .iter()
            .map(|id| CategoryInfo {
                id: id.clone(),
                name: r.category(id),
            })
            .collect();
        let groups = f
            .groups
            .iter()
            .map(|(g, units)| GroupResult {
                id: g.clone(),
                name: r.group(g),
                units: units.iter().map(|u| r.unit_result(u)).collect(),
            })
            .collect();
        let warnings = f.warnings.iter().map(|w| r.warning(w)).collect();
        let closed = f.closed.iter().map(|w| r.warning(w)).collect();
        let items = f.items.iter().map(|i| r.item(i)).collect();
        let period_label = crate::period::Period::parse(&self.period, c.period_kind)
            .map_or_else(|_| self.period.clone(), |p| p.label_zh());
        let result = PeriodResult {
            campaign: c.name.clone(),
            period: self.period.clone(),
            period_label,
            decimals: f.decimals,
            categories,
            groups,
            warnings,
            items,
            closed,
        };
        (result, r.unresolved.into_keys().collect())
    }
}

impl Facts {
    fn of(r: &PeriodResult) -> Facts {
        Facts {
            decimals: r.decimals,
            categories: r.categories.iter().map(|k| k.id.clone()).collect(),
            groups: r
                .groups
                .iter()
                .map(|g| (g.id.clone(), g.units.iter().map(UnitFacts::of).collect()))
                .collect(),
            warnings: r.warnings.iter().map(WarningFacts::of).collect(),
            closed: r.closed.iter().map(WarningFacts::of).collect(),
            items: r.items.iter().map(ItemFacts::of).collect(),
        }
    }
}

impl UnitFacts {
    fn of(u: &UnitResult) -> UnitFacts {
        UnitFacts {
            unit: u.id.clone(),
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
                .map(|x| CellFacts {
                    indicator: x.indicator.to_string(),
                    method: x.method.to_string(),
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

impl WarningFacts {
    fn of(w: &Warning) -> WarningFacts {
        WarningFacts {
            level: w.level,
            kind: w.kind,
            group: w.group.clone(),
            unit: w.unit.clone(),
            indicator: w.indicator.clone(),
            item: w.item.clone(),
            actual: w.actual,
            expected: w.expected,
            against: w.against,
            lower_is_better: w.lower_is_better,
            ratio: w.ratio,
            gap: w.gap,
            measure: w.measure.clone(),
            item_status: w.item_status,
            due: w.due,
            missing: w.missing,
            severity: w.severity,
            age: w.age,
            follow_up: w.follow_up,
            escalation: w.escalation.clone(),
            history: w.history.clone(),
        }
    }
}

impl ItemFacts {
    fn of(i: &ItemResult) -> ItemFacts {
        ItemFacts {
            item: i.id.clone(),
            unit: i.unit.clone(),
            group: i.group.clone(),
            category: i.category.clone(),
            start: i.start,
            due: i.due,
            planned: i.planned,
            progress: i.progress,
            completed: i.completed,
            status: i.status,
        }
    }
}

/// Ids to the current campaign's names, each looked up once; what does not resolve is
/// remembered (in order) and named by its id.
struct Resolver<'c> {
    c: &'c Campaign,
    indicators: HashMap<&'c str, usize>,
    items: HashMap<&'c str, usize>,
    unresolved: BTreeMap<String, ()>,
}

impl<'c> Resolver<'c> {
    fn new(c: &'c Campaign) -> Self {
        Resolver {
            c,
            indicators: c
                .indicators
                .iter()
                .enumerate()
                .map(|(i, x)| (x.id.as_str(), i))
                .collect(),
            items: c
                .items
                .iter()
                .enumerate()
                .map(|(i, x)| (x.id.as_str(), i))
                .collect(),
            unresolved: BTreeMap::new(),
        }
    }

    fn missing(&mut self, what: &str, id: &str) -> String {
        self.unresolved.insert(format!("{what} `{id}`"), ());
        id.to_string()
    }

    fn unit(&mut self, id: &str) -> String {
        match self.c.unit_index(id) {
            Some(u) => self.c.units[u].name.clone(),
            None => self.missing("unit", id),
        }
    }

    fn group(&mut self, id: &str) -> String {
        match self.c.groups.iter().find(|g| g.id == id) {
            Some(g) => g.name.clone(),
            None => self.missing("group", id),
        }
    }

    fn category(&mut self, id: &str) -> String {
        match self.c.categories.iter().find(|k| k.id == id) {
            Some(k) => k.name.clone(),
            None => self.missing("category", id),
        }
    }

    fn indicator(&mut self, id: &str) -> String {
        match self.indicators.get(id) {
            Some(&i) => self.c.indicators[i].name.clone(),
            None => self.missing("indicator", id),
        }
    }

    fn item_title(&mut self, id: &str) -> String {
        match self.items.get(id) {
            Some(&i) => self.c.items[i].title.clone(),
            None => self.missing("item", id),
        }
    }

    fn unit_result(&mut self, u: &UnitFacts) -> UnitResult {
        let cells = u
            .cells
            .iter()
            .map(|x| CellResult {
                name: self.indicator(&x.indicator).into(),
                indicator: x.indicator.as_str().into(),
                method: x.method.clone().into(),
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
            .collect();
        UnitResult {
            id: u.unit.clone(),
            name: self.unit(&u.unit),
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
            cells,
            items: u.items.clone(),
            movement: u.movement.clone(),
        }
    }

    fn warning(&mut self, w: &WarningFacts) -> Warning {
        Warning {
            level: w.level,
            kind: w.kind,
            group: w.group.clone(),
            unit: w.unit.clone(),
            unit_name: self.unit(&w.unit),
            indicator: w.indicator.clone(),
            indicator_name: w.indicator.as_deref().map(|i| self.indicator(i)),
            item: w.item.clone(),
            item_title: w.item.as_deref().map(|i| self.item_title(i)),
            actual: w.actual,
            expected: w.expected,
            against: w.against,
            lower_is_better: w.lower_is_better,
            ratio: w.ratio,
            gap: w.gap,
            measure: w.measure.clone(),
            item_status: w.item_status,
            due: w.due,
            missing: w.missing,
            severity: w.severity,
            age: w.age,
            follow_up: w.follow_up,
            escalation: w.escalation.clone(),
            history: w.history.clone(),
        }
    }

    fn item(&mut self, i: &ItemFacts) -> ItemResult {
        ItemResult {
            id: i.item.clone(),
            title: self.item_title(&i.item),
            unit: i.unit.clone(),
            unit_name: self.unit(&i.unit),
            group: i.group.clone(),
            category: i.category.clone(),
            start: i.start,
            due: i.due,
            planned: i.planned,
            progress: i.progress,
            completed: i.completed,
            status: i.status,
        }
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
    .help("they are shown under their ids; movement and warning follow-up compare by id, so a renamed id starts afresh");
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

/// The "published results stand" policy's input: what differs between a published result
/// and the same period scored now. Empty when they agree. Units are named as now.
pub fn differences(published: &PeriodResult, now: &PeriodResult) -> Vec<Difference> {
    let then: HashMap<(&str, &str), &UnitResult> = published
        .groups
        .iter()
        .flat_map(|g| {
            g.units
                .iter()
                .map(move |u| ((g.id.as_str(), u.id.as_str()), u))
        })
        .collect();
    let mut out = Vec::new();
    for g in &now.groups {
        for u in &g.units {
            let Some(t) = then.get(&(g.id.as_str(), u.id.as_str())) else {
                out.push(Difference::NotRankedThen {
                    unit: u.name.clone(),
                    group: g.name.clone(),
                });
                continue;
            };
            let total = (t.total != u.total).then_some((t.total, u.total));
            let rank = (t.rank != u.rank).then_some((t.rank, u.rank));
            let tier = (t.tier != u.tier).then(|| (t.tier.clone(), u.tier.clone()));
            if total.is_some() || rank.is_some() || tier.is_some() {
                out.push(Difference::Changed {
                    unit: u.name.clone(),
                    total,
                    rank,
                    tier,
                });
            }
        }
    }
    let (a, b) = (published.warnings.len(), now.warnings.len());
    if a != b {
        out.push(Difference::Warnings { then: a, now: b });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn empty() -> PeriodResult {
        PeriodResult {
            campaign: "c".into(),
            period: "2023-Q1".into(),
            period_label: "2023年第一季度".into(),
            decimals: 2,
            categories: vec![],
            groups: vec![],
            warnings: vec![],
            items: vec![],
            closed: vec![],
        }
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
        };
        let p = Published::new(&empty(), fp);
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

        let future = p.to_json().replace("\"format\": 2", "\"format\": 9");
        assert!(parse(&future).unwrap_err().message.contains("format 9"));

        let edited = p.to_json().replace("\"decimals\": 2", "\"decimals\": 3");
        assert!(parse(&edited)
            .unwrap_err()
            .message
            .contains("changed after it was published"));
    }
}
