//! The two entry points on the bundled ASEM campaign, in every format, and the determinism of
//! the rank-uncertainty analysis.

use std::path::PathBuf;

use jingbiao::cli::Format;
use jingbiao::composite::{self, CompositeArgs, SensitivityArgs};
use jingbiao::diag::{self, Sources};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn composite_args(format: Format) -> CompositeArgs {
    CompositeArgs {
        rules: root().join("rules/asem"),
        data: root().join("scenarios/asem"),
        period: None,
        format,
        out: None,
    }
}

fn sensitivity_args(format: Format, runs: usize, seed: u64) -> SensitivityArgs {
    SensitivityArgs {
        rules: root().join("rules/asem"),
        data: root().join("scenarios/asem"),
        period: None,
        runs,
        seed,
        format,
        out: None,
    }
}

fn composite(format: Format) -> String {
    let mut s = Sources::new();
    composite::run_composite(&composite_args(format), &mut s)
        .map(|(text, _)| text)
        .unwrap_or_else(|d| panic!("{}", diag::render(&s, &d, false)))
}

fn sensitivity(format: Format, runs: usize, seed: u64) -> String {
    let mut s = Sources::new();
    composite::run_sensitivity(&sensitivity_args(format, runs, seed), &mut s)
        .map(|(text, _)| text)
        .unwrap_or_else(|d| panic!("{}", diag::render(&s, &d, false)))
}

#[test]
fn composite_in_every_format() {
    insta::assert_snapshot!("asem_table", composite(Format::Table));
    insta::assert_snapshot!("asem_md", composite(Format::Md));
    insta::assert_snapshot!("asem_csv", composite(Format::Csv));
    insta::assert_snapshot!("asem_json", composite(Format::Json));
}

#[test]
fn sensitivity_in_every_format() {
    insta::assert_snapshot!(
        "asem_sensitivity_table",
        sensitivity(Format::Table, 200, 42)
    );
    insta::assert_snapshot!("asem_sensitivity_md", sensitivity(Format::Md, 200, 42));
    insta::assert_snapshot!("asem_sensitivity_csv", sensitivity(Format::Csv, 200, 42));
    let json: serde_json::Value =
        serde_json::from_str(&sensitivity(Format::Json, 200, 42)).unwrap();
    assert_eq!(json["units"].as_array().unwrap().len(), 51);
    assert_eq!(json["dropped"].as_array().unwrap().len(), 49);
}

#[test]
fn same_seed_same_numbers_different_seed_different_numbers() {
    let a = sensitivity(Format::Json, 300, 7);
    let b = sensitivity(Format::Json, 300, 7);
    assert_eq!(a, b);
    let c = sensitivity(Format::Json, 300, 8);
    assert_ne!(a, c);
}

#[test]
fn runs_out_of_range_are_refused() {
    let mut s = Sources::new();
    let e = composite::run_sensitivity(&sensitivity_args(Format::Table, 0, 1), &mut s)
        .map(|(text, _)| text)
        .unwrap_err();
    assert!(e[0].message.contains("--runs 0"));
}
