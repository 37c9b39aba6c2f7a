//! composite.toml as written: serde types with unknown keys rejected and spans kept where
//! later checks point at a value.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CompositeFile {
    pub(super) name: String,
    #[serde(default = "two")]
    pub(super) decimals: Spanned<u32>,
    #[serde(default)]
    pub(super) levels: Vec<String>,
    #[serde(default)]
    pub(super) denominate: bool,
    pub(super) data: DataRaw,
    #[serde(default)]
    pub(super) impute: Option<ImputeRaw>,
    #[serde(default)]
    pub(super) screen: Option<ScreenRaw>,
    #[serde(default)]
    pub(super) outliers: Option<OutliersRaw>,
    pub(super) normalise: Spanned<NormaliseRaw>,
    pub(super) aggregate: Spanned<AggregateRaw>,
    #[serde(default)]
    pub(super) sensitivity: Option<Spanned<SensitivityRaw>>,
    #[serde(default)]
    pub(super) branch: Vec<Spanned<BranchRaw>>,
}

/// A `[[branch]]`: a node of the hierarchy fed by a target-based campaign's scores.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BranchRaw {
    pub(super) code: Spanned<String>,
    pub(super) campaign: Spanned<String>,
    pub(super) data: Spanned<String>,
    pub(super) period: Option<Spanned<String>>,
    pub(super) value: Option<Spanned<String>>,
}

pub(super) fn two() -> Spanned<u32> {
    Spanned::new(0..0, 2)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DataRaw {
    pub(super) unit: String,
    pub(super) name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ImputeRaw {
    pub(super) method: Spanned<String>,
    pub(super) group: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScreenRaw {
    pub(super) min_availability: Spanned<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OutliersRaw {
    pub(super) method: Spanned<String>,
    #[serde(default = "skew2")]
    pub(super) skew: f64,
    #[serde(default = "kurt35")]
    pub(super) kurtosis: f64,
    #[serde(default = "five")]
    pub(super) max_winsorised: usize,
}

pub(super) fn skew2() -> f64 {
    2.0
}
pub(super) fn kurt35() -> f64 {
    3.5
}
pub(super) fn five() -> usize {
    5
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct NormaliseRaw {
    pub(super) method: Spanned<String>,
    pub(super) lower: Option<f64>,
    pub(super) upper: Option<f64>,
    pub(super) mean: Option<f64>,
    pub(super) sd: Option<f64>,
    pub(super) unit: Option<Spanned<String>>,
    pub(super) cap: Option<bool>,
    pub(super) scale: Option<f64>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct AggregateRaw {
    pub(super) method: Spanned<String>,
    pub(super) power: Option<Spanned<f64>>,
    #[serde(default)]
    pub(super) at_level: BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SensitivityRaw {
    #[serde(default = "quarter")]
    pub(super) weights: Spanned<f64>,
    #[serde(default)]
    pub(super) normalise: Vec<Spanned<NormaliseRaw>>,
    #[serde(default)]
    pub(super) aggregate: Vec<Spanned<AggregateRaw>>,
    #[serde(default)]
    pub(super) impute: bool,
}

pub(super) fn quarter() -> Spanned<f64> {
    Spanned::new(0..0, 0.25)
}
