//! The validated rule set of a campaign: groups, units, categories, indicators, rounding,
//! tiers and warning thresholds. Built by the loader; read by the evaluator.
//!
//! Everything refers to everything else by index, so evaluation never looks an id up.

use crate::diag::Origin;
use crate::indicator::{Indicator, Thresholds};
use crate::item::{Item, ItemRules};
use crate::period::{Period, PeriodKind};
use crate::rounding::Rounding;

#[derive(Debug, Clone)]
pub struct Campaign {
    pub name: String,
    pub year: i32,
    pub period_kind: PeriodKind,
    /// The common full-marks scale (usually 100).
    pub full_marks: f64,
    pub scale: Scale,
    /// Default time progress per period (fractions), for amount indicators.
    pub schedule: Option<Vec<f64>>,
    /// Rounding of published points, subtotals and totals.
    pub rounding: Rounding,
    pub thresholds: Thresholds,
    pub categories: Vec<Category>,
    pub groups: Vec<Group>,
    /// In display order.
    pub units: Vec<Unit>,
    pub indicators: Vec<Indicator>,
    /// Key work items, in file order.
    pub items: Vec<Item>,
    /// The categories of key work items (items.csv's `category`), in order of first
    /// appearance; items and item-scored indicators refer to them by position.
    pub item_categories: Vec<String>,
    pub item_rules: ItemRules,
    /// Escalation steps for warnings open several periods running, by `after` ascending.
    pub escalation: Vec<Escalation>,
    /// The first period of the campaign's data (earlier periods are outside it).
    pub first_period: Period,
    /// Name of the Rhai adjustment function, if any.
    pub adjust: Option<String>,
    /// Where `adjust` was named.
    pub adjust_origin: Option<Origin>,
    /// The kinds of event events.csv may name, in declaration order.
    pub event_kinds: Vec<EventKind>,
    /// Thresholds of the data-quality warnings.
    pub quality: QualityRules,
}

/// A kind of event (加减分事项) the campaign declares, e.g. 约谈.
#[derive(Debug, Clone, PartialEq)]
pub struct EventKind {
    /// As written in events.csv.
    pub name: String,
    pub origin: Origin,
}

/// When a figure is suspicious (数据质量): at least `ratio` times, or at most 1/`ratio` of,
/// the unit's previous figure or its group's median; figures below `near_zero` (in absolute
/// value) are never compared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QualityRules {
    pub ratio: f64,
    pub near_zero: f64,
}

/// What follows a warning left open `after` periods running, e.g. 约谈 after 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    pub after: u32,
    pub action: String,
}

/// How totals of units scored on different indicator sets are put on one scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// base = points × full_marks ÷ the unit's applicable weights.
    FullMarks,
    /// base = points.
    None,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub name: String,
    /// Each unit's applicable weights must sum to this, if set.
    pub weights_total: Option<f64>,
    /// The ranking chain: first key decides, later keys break ties.
    pub rank_by: Vec<RankKey>,
    pub tiers: Tiers,
}

/// One step of a group's ranking chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankKey {
    /// The published total, higher first.
    Total,
    /// A category subtotal, higher first.
    Category(usize),
    /// An indicator's actual value as published, by the indicator's direction.
    Indicator(usize),
    /// An indicator's points, higher first.
    Points(usize),
}

/// How a group's units are put into tiers (方阵 or 等次).
#[derive(Debug, Clone)]
pub struct Tiers {
    pub by: TierBy,
    /// Best first; the last takes the rest. Empty: no tiers.
    pub levels: Vec<TierLevel>,
    pub ties: BoundaryTies,
}

/// Where a tied block that straddles a count or share limit goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundaryTies {
    /// To the lower tier: the limit is a quota never exceeded (the default).
    Lower,
    /// To the higher tier: tied units are never put below a unit they tie with.
    Higher,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TierBy {
    /// The first N ranks.
    Count,
    /// The first share × units ranks (rounded down).
    Share,
    /// Totals at or above a score.
    Score,
}

#[derive(Debug, Clone)]
pub struct TierLevel {
    pub name: String,
    /// A count, a share or a minimum score, by [`TierBy`]; `None` on the last level.
    pub limit: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub group: usize,
}

impl Campaign {
    pub fn unit_index(&self, id: &str) -> Option<usize> {
        self.units.iter().position(|u| u.id == id)
    }

    /// A unit named on the command line (`explain UNIT`, `trend UNIT`): its position, or an
    /// error that says which ids there are.
    pub fn find_unit(&self, id: &str) -> Result<usize, crate::diag::Diagnostic> {
        self.unit_index(id).ok_or_else(|| {
            let ids = self.units.iter().map(|u| u.id.as_str());
            let hint = match crate::diag::did_you_mean(id, ids) {
                Some(s) => format!("did you mean `{s}`? Units are listed in units.csv"),
                None => "give a unit id from units.csv".to_string(),
            };
            crate::diag::Diagnostic::error(
                crate::diag::Kind::Reference,
                format!("unknown unit `{id}`"),
            )
            .help(hint)
        })
    }

    /// A group named on the command line (`--group`): its position, or an error that lists
    /// the groups.
    pub fn find_group(&self, id: &str) -> Result<usize, crate::diag::Diagnostic> {
        self.groups.iter().position(|g| g.id == id).ok_or_else(|| {
            let ids: Vec<&str> = self.groups.iter().map(|g| g.id.as_str()).collect();
            let hint = match crate::diag::did_you_mean(id, ids.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? Groups: {}", ids.join(", ")),
                None => format!("groups: {}", ids.join(", ")),
            };
            crate::diag::Diagnostic::error(
                crate::diag::Kind::Reference,
                format!("unknown group `{id}`"),
            )
            .help(hint)
        })
    }

    pub fn indicator_index(&self, id: &str) -> Option<usize> {
        self.indicators.iter().position(|i| i.id == id)
    }

    /// The last period of the campaign: the campaign year's last.
    pub fn last_period(&self) -> Period {
        Period {
            year: self.year,
            kind: self.period_kind,
            index: self.period_kind.per_year(),
        }
    }

    /// Is `p` a period of the campaign (from its first period to the end of its year)?
    pub fn covers(&self, p: Period) -> bool {
        p.kind == self.period_kind && self.first_period <= p && p <= self.last_period()
    }

    /// Time progress of an amount indicator at the end of period number `index` (1-based).
    pub fn progress(&self, indicator: &Indicator, index: u32) -> f64 {
        let schedule = indicator.schedule.as_ref().or(self.schedule.as_ref());
        match schedule {
            Some(s) => s[(index as usize - 1).min(s.len() - 1)],
            None => index as f64 / self.period_kind.per_year() as f64,
        }
    }
}

/// The longest id, in characters (an id goes into file names, e.g. a unit's workbook).
pub const ID_MAX_CHARS: usize = 64;

/// What is wrong with an id, if anything. An id (of a unit, group, category, indicator or
/// key work item) is a name, never a path: letters (Chinese too), digits, `-` and `_`, at
/// most [`ID_MAX_CHARS`] characters. So no `/`, `\`, `.` (nor `..` or a leading `.`), no
/// space and no control character: it can go into a file name as it is.
pub fn id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("it is empty".into());
    }
    if id.chars().count() > ID_MAX_CHARS {
        return Some(format!("it is longer than {ID_MAX_CHARS} characters"));
    }
    let bad = id
        .chars()
        .find(|&c| !(c.is_alphanumeric() || c == '-' || c == '_'))?;
    Some(match bad {
        '/' | '\\' => format!("`{bad}` makes it a path"),
        '.' => "`.` could make it a path (`..`, a hidden `.name`)".into(),
        c if c.is_control() => format!("it holds a control character (U+{:04X})", c as u32),
        c if c.is_whitespace() => "it holds a space".into(),
        c => format!("it holds `{c}`"),
    })
}

/// `name` made safe as part of a file name: a path separator, a character Windows forbids
/// in names (`: * ? " < > |`), a control character or a space other than ` ` becomes `_`;
/// a leading `.` and trailing dots and spaces are left out; at most `max_chars`
/// characters are kept. Never empty (`_`), so never `.`, `..` or a path.
pub fn safe_file_name(name: &str, max_chars: usize) -> String {
    let mapped: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() || (c.is_whitespace() && c != ' ') => '_',
            c => c,
        })
        .take(max_chars)
        .collect();
    let trimmed = mapped
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' ']);
    if trimmed.is_empty() {
        "_".into()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod id_tests {
    use super::*;

    #[test]
    fn ids_are_names_not_paths() {
        for ok in ["chikan", "赤坎区", "gdp_growth", "g-1", "Ⅱ类", "x"] {
            assert_eq!(id_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "../x",
            "a/b",
            "a\\b",
            "..",
            ".hidden",
            "a.b",
            "a b",
            "a\u{1b}[31m",
            "a\u{0}",
            "a\tb",
            "a:b",
            "C:",
            "全角　空格",
        ] {
            assert!(id_problem(bad).is_some(), "{bad:?}");
        }
        assert!(id_problem(&"长".repeat(65)).is_some());
        assert_eq!(id_problem(&"长".repeat(64)), None);
    }

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(safe_file_name("赤坎区", 40), "赤坎区");
        assert_eq!(safe_file_name("../../etc/passwd", 40), "_.._etc_passwd");
        assert_eq!(safe_file_name("..", 40), "_");
        assert_eq!(safe_file_name(".hidden", 40), "hidden");
        assert_eq!(safe_file_name("a\u{1b}[31m\nb", 40), "a_[31m_b");
        assert_eq!(safe_file_name("C:\\x", 40), "C__x");
        assert_eq!(safe_file_name("name. ", 40), "name");
        assert_eq!(safe_file_name(&"长".repeat(100), 10), "长".repeat(10));
    }
}
