//! jingbiao: a rule engine for target-and-ranking evaluation (竞标争先).
//!
//! A campaign's rules (TOML, CSV and Rhai under `rules/NAME/`) and a period's submitted
//! figures (CSV under `scenarios/NAME/PERIOD/`) go in; league tables, scorecards and
//! warnings come out. See ARCHITECTURE.md for the map.

pub mod campaign;
pub mod cli;
pub mod composite;
pub mod data;
pub mod diag;
pub mod evaluate;
pub mod explain;
pub mod gen;
pub mod history;
pub mod indicator;
pub mod item;
pub mod loader;
pub mod methods;
pub mod output;
pub mod period;
pub mod publish;
pub mod quality;
pub mod rank;
pub mod report;
pub mod result;
pub mod rounding;
pub mod ruletest;
pub mod script;
pub mod template;
pub mod tier;
pub mod timeline;
