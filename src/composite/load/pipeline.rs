//! The pipeline of composite.toml (imputation, screening, outliers, normalisation,
//! aggregation) and its sensitivity analysis, checked and built into the model's types.

use toml::Spanned;

use super::schema::{AggregateRaw, CompositeFile, NormaliseRaw};
use crate::composite::model::*;
use crate::diag::{did_you_mean, Diagnostic, FileId, Kind};

const NORMALISE_METHODS: [&str; 10] = [
    "min-max",
    "z-score",
    "rank",
    "percentile-rank",
    "borda",
    "fraction-of-max",
    "distance-to-max",
    "distance-to-reference",
    "distance-to-target",
    "goalposts",
];

const AGGREGATE_METHODS: [&str; 5] = [
    "arithmetic",
    "geometric",
    "harmonic",
    "generalised",
    "copeland",
];

const IMPUTE_METHODS: [&str; 5] = ["none", "mean", "median", "group-mean", "group-median"];
/// Distance to target and goalposts need every indicator's target or posts.
pub(super) fn check_targets(
    nodes: &[Node],
    pipeline: &Option<Pipeline>,
    sens: &Option<SensitivitySpec>,
    errors: &mut Vec<Diagnostic>,
) -> bool {
    let mut methods: Vec<&Normalise> = Vec::new();
    if let Some(p) = pipeline {
        methods.push(&p.normalise);
    }
    if let Some(s) = sens {
        methods.extend(s.normalise.iter());
    }
    let before = errors.len();
    let needs_target = methods
        .iter()
        .any(|m| matches!(m, Normalise::DistanceToTarget { .. }));
    let needs_posts = methods
        .iter()
        .any(|m| matches!(m, Normalise::Goalposts { .. }));
    for n in nodes.iter().filter(|n| n.is_indicator()) {
        if needs_target && n.target.is_none() {
            errors.push(
                Diagnostic::error(
                    Kind::Value,
                    format!("the indicator `{}` has no target", n.code),
                )
                .at(n.origin.file, n.origin.span.clone(), "defined here")
                .help("normalising by distance to target needs a `target` for every indicator"),
            );
        }
        if needs_posts && n.goalposts.is_none() {
            errors.push(
                Diagnostic::error(Kind::Value, format!("the indicator `{}` has no goalposts", n.code))
                    .at(n.origin.file, n.origin.span.clone(), "defined here")
                    .help("normalising by goalposts needs `low` and `high` for every indicator, e.g. low = 0, high = 100"),
            );
        }
    }
    errors.len() == before
}

pub(super) fn unknown(
    what: &str,
    value: &Spanned<String>,
    choices: &[&str],
    file: FileId,
) -> Diagnostic {
    let hint = match did_you_mean(value.get_ref(), choices.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? Write one of: {}", choices.join(", ")),
        None => format!("write one of: {}", choices.join(", ")),
    };
    Diagnostic::error(
        Kind::Schema,
        format!("unknown {what} method `{}`", value.get_ref()),
    )
    .at(file, value.span(), "not a method")
    .help(hint)
}

pub(super) fn build_normalise(
    raw: &NormaliseRaw,
    file: FileId,
    errors: &mut Vec<Diagnostic>,
) -> Option<Normalise> {
    let m = raw.method.get_ref().as_str();
    Some(match m {
        "min-max" => {
            let (lower, upper) = (raw.lower.unwrap_or(0.0), raw.upper.unwrap_or(100.0));
            if lower >= upper {
                errors.push(
                    Diagnostic::error(Kind::Value, "min-max needs lower below upper")
                        .at(file, raw.method.span(), "here")
                        .help("e.g. lower = 0, upper = 100"),
                );
                return None;
            }
            Normalise::MinMax { lower, upper }
        }
        "z-score" => {
            let sd = raw.sd.unwrap_or(1.0);
            if sd <= 0.0 {
                errors.push(
                    Diagnostic::error(Kind::Value, "z-score needs sd above 0")
                        .at(file, raw.method.span(), "here")
                        .help("e.g. mean = 10, sd = 2"),
                );
                return None;
            }
            Normalise::ZScore {
                mean: raw.mean.unwrap_or(0.0),
                sd,
            }
        }
        "rank" => Normalise::Rank,
        "percentile-rank" => Normalise::PercentileRank,
        "borda" => Normalise::Borda,
        "fraction-of-max" => Normalise::FractionOfMax,
        "distance-to-max" => Normalise::DistanceToMax,
        "distance-to-reference" => match &raw.unit {
            Some(u) => Normalise::DistanceToReference {
                unit: u.get_ref().clone(),
                cap: raw.cap.unwrap_or(false),
            },
            None => {
                errors.push(
                    Diagnostic::error(
                        Kind::Schema,
                        "distance-to-reference needs the reference unit",
                    )
                    .at(file, raw.method.span(), "which unit?")
                    .help("add unit = \"CHE\" (the unit's id in the data)"),
                );
                return None;
            }
        },
        "distance-to-target" => Normalise::DistanceToTarget {
            cap: raw.cap.unwrap_or(false),
        },
        "goalposts" => Normalise::Goalposts {
            scale: raw.scale.unwrap_or(100.0),
        },
        _ => {
            errors.push(unknown(
                "normalisation",
                &raw.method,
                &NORMALISE_METHODS,
                file,
            ));
            return None;
        }
    })
}

pub(super) fn build_aggregation(
    method: &Spanned<String>,
    power: Option<&Spanned<f64>>,
    file: FileId,
    errors: &mut Vec<Diagnostic>,
) -> Option<Aggregation> {
    Some(match method.get_ref().as_str() {
        "arithmetic" => Aggregation::Arithmetic,
        "geometric" => Aggregation::Geometric,
        "harmonic" => Aggregation::Harmonic,
        "copeland" => Aggregation::Copeland,
        "generalised" => match power {
            Some(p) if *p.get_ref() != 0.0 => Aggregation::Generalised {
                power: *p.get_ref(),
            },
            Some(p) => {
                errors.push(
                    Diagnostic::error(
                        Kind::Value,
                        "the generalised mean needs a power other than 0",
                    )
                    .at(file, p.span(), "power 0")
                    .help("power = 0 is the geometric mean: write method = \"geometric\""),
                );
                return None;
            }
            None => {
                errors.push(
                    Diagnostic::error(Kind::Schema, "the generalised mean needs a power")
                        .at(file, method.span(), "which power?")
                        .help("add power = 2 (quadratic mean), or −1 (harmonic)…"),
                );
                return None;
            }
        },
        _ => {
            errors.push(unknown("aggregation", method, &AGGREGATE_METHODS, file));
            return None;
        }
    })
}

pub(super) fn build_plan(
    raw: &AggregateRaw,
    file: FileId,
    errors: &mut Vec<Diagnostic>,
) -> Option<AggregationPlan> {
    let default = build_aggregation(&raw.method, raw.power.as_ref(), file, errors);
    let mut at_level = Vec::new();
    for (k, v) in &raw.at_level {
        let level = k.parse::<u32>().ok().filter(|l| *l >= 2);
        let a = build_aggregation(v, raw.power.as_ref(), file, errors);
        match (level, a) {
            (Some(l), Some(a)) => at_level.push((l, a)),
            (None, _) => errors.push(
                Diagnostic::error(Kind::Schema, format!("`{k}` is not an aggregate level"))
                    .at(file, v.span(), "for this level")
                    .help("write the level number (2 or more) as the key: at_level = { 4 = \"copeland\" }"),
            ),
            _ => {}
        }
    }
    Some(AggregationPlan {
        default: default?,
        at_level,
    })
}

pub(super) fn build_pipeline(
    raw: &CompositeFile,
    file: FileId,
    errors: &mut Vec<Diagnostic>,
) -> Option<Pipeline> {
    let before = errors.len();
    let impute = match &raw.impute {
        None => Impute::None,
        Some(i) => {
            let mut group = || -> Option<String> {
                match &i.group {
                    Some(g) => Some(g.get_ref().clone()),
                    None => {
                        errors.push(
                            Diagnostic::error(
                                Kind::Schema,
                                "imputation by group needs the group column",
                            )
                            .at(file, i.method.span(), "which group?")
                            .help("add group = \"EurAsia_group\" (a column of data.csv)"),
                        );
                        None
                    }
                }
            };
            match i.method.get_ref().as_str() {
                "none" => Impute::None,
                "mean" => Impute::Mean,
                "median" => Impute::Median,
                "group-mean" => group().map_or(Impute::None, |group| Impute::GroupMean { group }),
                "group-median" => {
                    group().map_or(Impute::None, |group| Impute::GroupMedian { group })
                }
                _ => {
                    errors.push(unknown("imputation", &i.method, &IMPUTE_METHODS, file));
                    Impute::None
                }
            }
        }
    };
    let min_availability = raw.screen.as_ref().map(|s| *s.min_availability.get_ref());
    if let Some(s) = &raw.screen {
        let t = *s.min_availability.get_ref();
        if !(0.0..=1.0).contains(&t) {
            errors.push(
                Diagnostic::error(Kind::Value, "min_availability is a share between 0 and 1")
                    .at(file, s.min_availability.span(), "here")
                    .help("e.g. min_availability = 0.9 keeps units with data for at least 90% of the indicators"),
            );
        }
    }
    let outliers = match &raw.outliers {
        None => None,
        Some(o) => match o.method.get_ref().as_str() {
            "none" => None,
            "coinr" => Some(Outliers {
                skew: o.skew,
                kurtosis: o.kurtosis,
                max_winsorised: o.max_winsorised,
            }),
            _ => {
                errors.push(unknown("outlier", &o.method, &["none", "coinr"], file));
                None
            }
        },
    };
    let normalise = build_normalise(raw.normalise.get_ref(), file, errors);
    let aggregate = build_plan(raw.aggregate.get_ref(), file, errors);
    if errors.len() > before {
        return None;
    }
    Some(Pipeline {
        denominate: raw.denominate,
        impute,
        min_availability,
        outliers,
        normalise: normalise?,
        aggregate: aggregate?,
    })
}

pub(super) fn build_sensitivity(
    raw: &CompositeFile,
    file: FileId,
    errors: &mut Vec<Diagnostic>,
) -> Option<SensitivitySpec> {
    let Some(s) = &raw.sensitivity else {
        return Some(SensitivitySpec {
            weight_share: 0.25,
            normalise: Vec::new(),
            aggregate: Vec::new(),
            vary_impute: false,
            origin: None,
        });
    };
    let before = errors.len();
    let r = s.get_ref();
    let share = *r.weights.get_ref();
    if !(0.0..1.0).contains(&share) {
        errors.push(
            Diagnostic::error(Kind::Value, "the weight share must be from 0 to below 1")
                .at(file, r.weights.span(), "here")
                .help("weights = 0.25 perturbs each weight by up to ±25%"),
        );
    }
    let normalise: Vec<Normalise> = r
        .normalise
        .iter()
        .filter_map(|n| build_normalise(n.get_ref(), file, errors))
        .collect();
    let aggregate: Vec<AggregationPlan> = r
        .aggregate
        .iter()
        .filter_map(|a| build_plan(a.get_ref(), file, errors))
        .collect();
    (errors.len() == before).then(|| SensitivitySpec {
        weight_share: share,
        normalise,
        aggregate,
        vary_impute: r.impute,
        origin: Some(Origin {
            file,
            span: s.span(),
        }),
    })
}
