//! `jingbiao test`: run the campaign's own rule tests (`rules/NAME/tests/*.toml`) and print
//! what passed and, for what failed, each difference. Exit code 1 when any test fails.

use std::path::PathBuf;

use super::Folders;
use crate::diag::{Diagnostic, Sources};
use crate::evaluate::evaluate;
use crate::loader;
use crate::ruletest::{self, DataSource, TestFile};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub folders: Folders,
}

/// Runs the tests; `Ok(true)` when all pass.
pub fn run(args: &Args, sources: &mut Sources) -> Result<bool, Vec<Diagnostic>> {
    let mut loaded = loader::load_rules(&args.folders.rules, sources)?;
    let files = loader::read_tests(&mut loaded, sources)?;
    let data: PathBuf = args.folders.data();
    // Every test file is checked before any runs, so that all mistakes show at once.
    let mut tests = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        match loader::parse_toml::<TestFile>(sources, f)
            .map_err(|e| vec![e])
            .and_then(|t| ruletest::prepare(&loaded.campaign, f, t))
        {
            Ok(t) => tests.push(t),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out = format!("{}：{} 个规则测试\n", loaded.campaign.name, tests.len());
    let (mut passed, mut failed) = (0, 0);
    for t in &tests {
        let scenario = match t.data {
            DataSource::Scenario => {
                Some(loader::load_period(&data, t.period, &mut loaded, sources)?)
            }
            DataSource::Inline => None,
        };
        let period_data = ruletest::data(&loaded.campaign, t, scenario);
        let result = evaluate(&loaded.campaign, &period_data, &loaded.scripts, sources)?;
        let misses = ruletest::check(&loaded.campaign, t, &result);
        let file = sources
            .name(t.file)
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        if misses.is_empty() {
            passed += 1;
            out.push_str(&format!(
                "  PASS  {file}  {}（{} 项预期）\n",
                t.name,
                t.expects.len()
            ));
        } else {
            failed += 1;
            out.push_str(&format!("  FAIL  {file}  {}\n", t.name));
            for m in misses {
                out.push_str(&format!("        - {m}\n"));
            }
        }
    }
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    super::write_out(out.as_bytes(), None, &[])?;
    Ok(failed == 0)
}
