//! The validated composite-index model: the hierarchy (indicator → pillar → … → index), the
//! pipeline's steps with their options, and one period's data resolved to that hierarchy.
//!
//! Everything refers by index: `Model::nodes[i]`, `Data::values[i][unit]`. A `Model` that
//! exists is a tree with one root, no cycle, no orphan and a non-zero weight in every group.

use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

use crate::diag::FileId;

/// Where something was defined, for diagnostics raised after loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: FileId,
    pub span: Range<usize>,
}

/// One node of the hierarchy: an indicator (level 1) or an aggregate (level 2 and up).
#[derive(Debug, Clone)]
pub struct Node {
    pub code: String,
    pub name: String,
    /// 1 = indicator; each parent is exactly one level up.
    pub level: u32,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Relative weight within its parent's group.
    pub weight: f64,
    /// 1 higher is better, −1 lower is better (indicators; aggregates are 1).
    pub direction: f64,
    /// Column of the data to divide this indicator by (per capita, per GDP…).
    pub denominator: Option<String>,
    /// Target value, for `distance-to-target` (in the indicator's own units).
    pub target: Option<f64>,
    /// Goalposts (low, high) in the indicator's own units, for `goalposts`.
    pub goalposts: Option<(f64, f64)>,
    /// The line of the indicators file that defines it.
    pub origin: Origin,
    /// Takes its values from a target-based campaign (a `[[branch]]` of composite.toml): a
    /// leaf at any level, normalised and weighted as an indicator.
    pub branch: bool,
}

impl Node {
    /// A leaf whose values come from the data: an indicator (level 1) or a branch.
    pub fn is_indicator(&self) -> bool {
        self.level == 1 || self.branch
    }
}

/// What a branch takes from each unit's scored result in the target-based campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "key", content = "id")]
pub enum BranchValue {
    /// The unit's total (after bonuses and penalties), as published.
    Total,
    /// A category subtotal, as published.
    Category(String),
    /// The unit's points on one indicator.
    Indicator(String),
}

impl BranchValue {
    pub fn label(&self) -> String {
        match self {
            BranchValue::Total => "total".into(),
            BranchValue::Category(c) => format!("category:{c}"),
            BranchValue::Indicator(i) => format!("indicator:{i}"),
        }
    }
}

/// A node of the hierarchy whose values are a target-based campaign's scores (issue 6): the
/// campaign is loaded and scored by the composite loader, and its values become the node's
/// column of [`Data`].
#[derive(Debug, Clone)]
pub struct Branch {
    pub node: usize,
    /// The campaign and data folders, resolved against the composite folder.
    pub campaign: PathBuf,
    pub data: PathBuf,
    /// The campaign's period; `None`: the composite data's period.
    pub period: Option<String>,
    pub value: BranchValue,
    /// The `[[branch]]` entry, its `campaign`, `period` and `value` (the entry if not written).
    pub origin: Origin,
    pub campaign_origin: Origin,
    pub period_origin: Origin,
    pub value_origin: Origin,
}

/// Imputation of missing values, per indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "method")]
pub enum Impute {
    None,
    Mean,
    Median,
    /// Mean of the units in the same group (a column of the data).
    GroupMean {
        group: String,
    },
    GroupMedian {
        group: String,
    },
}

/// Outlier treatment, COINr's default procedure (see `outliers.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Outliers {
    /// Passes when |skewness| is below this…
    pub skew: f64,
    /// …or excess kurtosis below this.
    pub kurtosis: f64,
    /// At most this many points winsorised before falling back to a log transform.
    pub max_winsorised: usize,
}

/// Normalisation, applied per indicator after multiplying by its direction.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "method")]
pub enum Normalise {
    /// (x − min) ÷ (max − min) × (upper − lower) + lower.
    MinMax { lower: f64, upper: f64 },
    /// (x − mean) ÷ sd × sd' + mean' (sample sd).
    ZScore { mean: f64, sd: f64 },
    /// Rank, lowest value 1, ties the lowest rank.
    Rank,
    /// (rank − 1) ÷ (n − 1).
    PercentileRank,
    /// rank − 1: the number of units beaten.
    Borda,
    /// x ÷ max.
    FractionOfMax,
    /// 1 − (max − x) ÷ (max − min).
    DistanceToMax,
    /// 1 − (x_ref − x) ÷ (x_ref − min), optionally capped at 1.
    DistanceToReference { unit: String, cap: bool },
    /// 1 − (target − x) ÷ (target − min), optionally capped at 1 (target from the indicator).
    DistanceToTarget { cap: bool },
    /// (x − worst post) ÷ (best post − worst post), truncated to [0, 1], × scale.
    Goalposts { scale: f64 },
}

impl Normalise {
    pub fn label(&self) -> String {
        match self {
            Normalise::MinMax { lower, upper } => format!("min-max [{lower}, {upper}]"),
            Normalise::ZScore { mean, sd } => format!("z-score (mean {mean}, sd {sd})"),
            Normalise::Rank => "rank".into(),
            Normalise::PercentileRank => "percentile-rank".into(),
            Normalise::Borda => "borda".into(),
            Normalise::FractionOfMax => "fraction-of-max".into(),
            Normalise::DistanceToMax => "distance-to-max".into(),
            Normalise::DistanceToReference { unit, .. } => format!("distance-to-reference {unit}"),
            Normalise::DistanceToTarget { .. } => "distance-to-target".into(),
            Normalise::Goalposts { scale } => format!("goalposts ×{scale}"),
        }
    }
}

/// How the children of an aggregate are combined.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "method")]
pub enum Aggregation {
    Arithmetic,
    Geometric,
    Harmonic,
    /// (Σ w xᵖ ÷ Σ w)^(1/p), p ≠ 0.
    Generalised {
        power: f64,
    },
    /// Copeland: pairwise outranking, +1 per unit beaten and −1 per unit lost to.
    Copeland,
}

impl Aggregation {
    pub fn label(&self) -> String {
        match self {
            Aggregation::Arithmetic => "arithmetic".into(),
            Aggregation::Geometric => "geometric".into(),
            Aggregation::Harmonic => "harmonic".into(),
            Aggregation::Generalised { power } => format!("generalised (p = {power})"),
            Aggregation::Copeland => "copeland".into(),
        }
    }
}

/// The aggregation of every level: a default and per-level exceptions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AggregationPlan {
    pub default: Aggregation,
    /// (level, method): levels whose aggregates use another method.
    pub at_level: Vec<(u32, Aggregation)>,
}

impl AggregationPlan {
    pub fn uniform(a: Aggregation) -> Self {
        AggregationPlan {
            default: a,
            at_level: Vec::new(),
        }
    }

    pub fn for_level(&self, level: u32) -> Aggregation {
        self.at_level
            .iter()
            .find(|(l, _)| *l == level)
            .map_or(self.default, |(_, a)| *a)
    }

    pub fn label(&self) -> String {
        let mut s = self.default.label();
        for (l, a) in &self.at_level {
            s.push_str(&format!(", level {l}: {}", a.label()));
        }
        s
    }
}

/// The steps, in order: denominate, impute, screen, treat outliers, normalise, aggregate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pipeline {
    pub denominate: bool,
    pub impute: Impute,
    /// Units with a smaller share of indicators with data (after imputation) are left out.
    pub min_availability: Option<f64>,
    pub outliers: Option<Outliers>,
    pub normalise: Normalise,
    pub aggregate: AggregationPlan,
}

/// What the Monte Carlo rank-uncertainty analysis varies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivitySpec {
    /// Each weight is multiplied by 1 + share × u, u uniform in [−1, 1].
    pub weight_share: f64,
    /// Normalisations drawn from (uniformly); empty = the pipeline's only.
    pub normalise: Vec<Normalise>,
    /// Aggregations drawn from; empty = the pipeline's only.
    pub aggregate: Vec<AggregationPlan>,
    /// Draw imputation on or off in each run.
    pub vary_impute: bool,
    /// Where `[sensitivity]` is written, for errors in its alternatives.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// A validated composite-index campaign.
#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    /// Decimals of published scores.
    pub decimals: u32,
    /// Names of the levels, from 1 (indicators) up; may be shorter than the depth.
    pub level_names: Vec<String>,
    /// Data columns: the unit id and, optionally, its name.
    pub unit_column: String,
    pub name_column: Option<String>,
    pub nodes: Vec<Node>,
    pub root: usize,
    pub pipeline: Pipeline,
    pub sensitivity: SensitivitySpec,
    /// Where the pipeline's normalise and aggregate steps are written.
    pub normalise_origin: Origin,
    pub aggregate_origin: Origin,
    /// Nodes whose values come from target-based campaigns.
    pub branches: Vec<Branch>,
    /// The composite.toml file.
    pub file: FileId,
}

impl Model {
    pub fn top_level(&self) -> u32 {
        self.nodes[self.root].level
    }

    pub fn indicators(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.nodes.len()).filter(|&i| self.nodes[i].is_indicator())
    }

    pub fn weights(&self) -> Vec<f64> {
        self.nodes.iter().map(|n| n.weight).collect()
    }

    /// Nodes above level 1 (aggregates, and branches placed there) from the top level down,
    /// each level in file order: the columns of a results table.
    pub fn aggregates_top_down(&self) -> Vec<usize> {
        let mut out: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| self.nodes[i].level > 1)
            .collect();
        out.sort_by_key(|&i| std::cmp::Reverse(self.nodes[i].level));
        out
    }

    /// Nodes ordered children before parents (levels bottom-up), for aggregation.
    pub fn bottom_up(&self) -> Vec<usize> {
        let mut out: Vec<usize> = (0..self.nodes.len()).collect();
        out.sort_by_key(|&i| self.nodes[i].level);
        out
    }
}

/// One period's data resolved to a model: per indicator, one value per unit.
#[derive(Debug, Clone)]
pub struct Data {
    pub period: String,
    pub unit_codes: Vec<String>,
    pub unit_names: Vec<String>,
    /// `values[node][unit]`; empty for aggregates. `None` = missing.
    pub values: Vec<Vec<Option<f64>>>,
    /// `denominators[node][unit]` for indicators with a denominator.
    pub denominators: Vec<Option<Vec<Option<f64>>>>,
    /// Each unit's imputation group (index into `group_names`), if imputation is by group.
    pub groups: Option<Vec<usize>>,
    pub group_names: Vec<String>,
    /// The data file, and each unit's row, for diagnostics.
    pub file: FileId,
    pub unit_rows: Vec<Range<usize>>,
    /// Where each branch's values came from, in `Model::branches` order.
    pub branches: Vec<BranchSource>,
}

/// What a branch took from its campaign, for the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BranchSource {
    pub node: usize,
    /// The campaign's name and the period scored.
    pub campaign: String,
    pub period: String,
    pub value: BranchValue,
    /// Units of the data found in the campaign's result; the others are missing.
    pub matched: usize,
}

impl Data {
    pub fn unit_count(&self) -> usize {
        self.unit_codes.len()
    }
}
