//! The TOML files as written: `campaign.toml` and `indicators.toml`. Unknown keys are errors;
//! spans are kept where later checks need to point at a value.

use serde::Deserialize;
use toml::Spanned;

use crate::period::PeriodKind;
use crate::rounding::RoundingMode;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignFile {
    pub name: String,
    pub year: i32,
    pub period: PeriodKind,
    #[serde(default = "hundred")]
    pub full_marks: Spanned<f64>,
    #[serde(default)]
    pub scale: ScaleRaw,
    pub schedule: Option<Spanned<Vec<f64>>>,
    pub adjust: Option<Spanned<String>>,
    #[serde(default)]
    pub rounding: RoundingRaw,
    #[serde(default)]
    pub warnings: WarningsRaw,
    #[serde(rename = "category", default)]
    pub categories: Vec<CategoryRaw>,
    #[serde(rename = "group", default)]
    pub groups: Vec<GroupRaw>,
    /// The first period with data, for comparisons with earlier periods.
    pub from: Option<Spanned<String>>,
    #[serde(default)]
    pub items: ItemsRaw,
    #[serde(default)]
    pub escalation: Vec<Spanned<EscalationRaw>>,
    /// The text encoding of the CSV files (read by the loader before the rest).
    #[allow(dead_code)]
    pub encoding: Option<Encoding>,
    /// The kinds of event events.csv may name (`[[event_kind]]`).
    #[serde(rename = "event_kind", default)]
    pub event_kinds: Vec<EventKindRaw>,
    /// Thresholds of the data-quality warnings (`[quality]`).
    #[serde(default)]
    pub quality: QualityRaw,
    /// Files and folders jingbiao leaves alone without a word (read by the loader before
    /// the rest, like `encoding`).
    #[allow(dead_code)]
    pub ignore: Option<Vec<String>>,
}

/// A kind of event (加减分事项), e.g. 约谈. A table, so that a default amount and caps per
/// kind can join `name` later.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventKindRaw {
    /// As written in events.csv's `kind` column.
    pub name: Spanned<String>,
}

/// `[quality]`: when a figure is far enough from the unit's previous one, or from its
/// group's median, to suggest a slipped decimal point or unit.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityRaw {
    #[serde(default = "eight")]
    pub ratio: Spanned<f64>,
    #[serde(default = "one")]
    pub near_zero: Spanned<f64>,
}

impl Default for QualityRaw {
    fn default() -> Self {
        QualityRaw {
            ratio: eight(),
            near_zero: one(),
        }
    }
}

fn eight() -> Spanned<f64> {
    Spanned::new(0..0, 8.0)
}

fn one() -> Spanned<f64> {
    Spanned::new(0..0, 1.0)
}

/// The text encoding of CSV files: detected (UTF-8 if the bytes are valid UTF-8, else
/// GB18030), or declared.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "utf-8")]
    Utf8,
    /// GBK, read as its superset GB18030.
    #[serde(rename = "gbk", alias = "gb18030")]
    Gbk,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemsRaw {
    #[serde(default = "five")]
    pub tolerance: Spanned<f64>,
    #[serde(default = "twenty")]
    pub red_gap: Spanned<f64>,
}

impl Default for ItemsRaw {
    fn default() -> Self {
        ItemsRaw {
            tolerance: five(),
            red_gap: twenty(),
        }
    }
}

fn five() -> Spanned<f64> {
    Spanned::new(0..0, 5.0)
}

fn twenty() -> Spanned<f64> {
    Spanned::new(0..0, 20.0)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationRaw {
    /// Consecutive periods a warning has been open.
    pub after: u32,
    /// What follows, e.g. 约谈.
    pub action: String,
}

fn hundred() -> Spanned<f64> {
    Spanned::new(0..0, 100.0)
}

#[derive(Debug, Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
pub enum ScaleRaw {
    #[default]
    FullMarks,
    None,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundingRaw {
    #[serde(default = "two")]
    pub decimals: Spanned<u32>,
    #[serde(default)]
    pub mode: RoundingMode,
}

impl Default for RoundingRaw {
    fn default() -> Self {
        RoundingRaw {
            decimals: two(),
            mode: RoundingMode::default(),
        }
    }
}

fn two() -> Spanned<u32> {
    Spanned::new(0..0, 2)
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct WarningsRaw {
    pub yellow: Spanned<f64>,
    pub red: Spanned<f64>,
}

impl Default for WarningsRaw {
    fn default() -> Self {
        WarningsRaw {
            yellow: Spanned::new(0..0, 0.9),
            red: Spanned::new(0..0, 0.7),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRaw {
    pub id: Spanned<String>,
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupRaw {
    pub id: Spanned<String>,
    pub name: String,
    pub weights_total: Option<Spanned<f64>>,
    #[serde(default)]
    pub rank_by: Vec<Spanned<String>>,
    pub tier_by: Option<TierByRaw>,
    #[serde(default)]
    pub boundary_ties: BoundaryTiesRaw,
    #[serde(default)]
    pub tiers: Vec<Spanned<TierRaw>>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum TierByRaw {
    Count,
    Share,
    Score,
}

#[derive(Debug, Deserialize, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum BoundaryTiesRaw {
    #[default]
    Lower,
    Higher,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierRaw {
    pub name: String,
    pub count: Option<f64>,
    pub share: Option<f64>,
    pub min_score: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorsFile {
    #[serde(rename = "indicator", default)]
    pub indicators: Vec<Spanned<IndicatorRaw>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorRaw {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub unit: String,
    pub category: Spanned<String>,
    pub applies_to: Spanned<Vec<Spanned<String>>>,
    pub weight: Spanned<f64>,
    pub direction: DirectionRaw,
    pub kind: KindRaw,
    #[serde(default = "two")]
    pub decimals: Spanned<u32>,
    pub target: Option<f64>,
    pub stretch: Option<f64>,
    pub schedule: Option<Spanned<Vec<f64>>>,
    pub method: Spanned<MethodRaw>,
    pub warnings: Option<WarningsRaw>,
    /// Where the value comes from: "metrics" (reported, the default) or "items" (the unit's
    /// on-schedule rate of its key work items, in %).
    #[serde(default)]
    pub source: SourceRaw,
    /// With source = "items": only items with this category.
    pub item_category: Option<Spanned<String>>,
    /// The plausible range of its values; amounts are never negative unless `min` is given.
    pub min: Option<Spanned<f64>>,
    pub max: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SourceRaw {
    #[default]
    Metrics,
    Items,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum DirectionRaw {
    Higher,
    Lower,
}

impl IndicatorRaw {
    pub fn direction_is_higher(&self) -> bool {
        self.direction == DirectionRaw::Higher
    }
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
pub enum KindRaw {
    Rate,
    Amount,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum MethodRaw {
    Completion {
        #[serde(default)]
        mode: CompletionMode,
        cap: Option<f64>,
        stretch_bonus: Option<f64>,
    },
    Efficacy {
        high: AnchorRaw,
        low: AnchorRaw,
        max: Option<f64>,
    },
    Rank {
        #[serde(default = "five_percent")]
        step: f64,
    },
    Average {
        step: f64,
        points_per_step: f64,
        cap: Option<f64>,
        floor: Option<f64>,
    },
    Script {
        function: String,
        /// The most points the function may give, as a multiple of the weight (default 1).
        cap: Option<f64>,
        /// The fewest points it may give (default 0).
        floor: Option<f64>,
    },
}

fn five_percent() -> f64 {
    0.05
}

#[derive(Debug, Deserialize, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum CompletionMode {
    #[default]
    Proportional,
    AllOrNothing,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum AnchorRaw {
    Number(f64),
    Word(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_parse_and_reject_unknown_keys() {
        #[derive(Deserialize)]
        struct T {
            method: MethodRaw,
        }
        let t: T =
            toml::from_str(r#"method = { type = "efficacy", high = "best", low = 0 }"#).unwrap();
        assert!(
            matches!(t.method, MethodRaw::Efficacy { low: AnchorRaw::Number(x), .. } if x == 0.0)
        );
        let e = toml::from_str::<T>(r#"method = { type = "rank", stpe = 0.1 }"#)
            .err()
            .unwrap();
        assert!(e.to_string().contains("unknown field `stpe`"), "{e}");
        let e = toml::from_str::<T>(r#"method = { type = "effic" }"#)
            .err()
            .unwrap();
        assert!(e.to_string().contains("unknown variant `effic`"), "{e}");
    }
}
