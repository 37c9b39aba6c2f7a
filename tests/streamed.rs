//! The JSON `score` writes names each warning as it is written (`result::Streamed`): the
//! same bytes as the named view would give, for every period of the warning-loop fixture
//! (new, continuing and closed warnings, items) and for one group alone.

use std::path::Path;

use jingbiao::diag::Sources;
use jingbiao::loader::Loaded;
use jingbiao::period::Period;
use jingbiao::result::{Facts, PeriodResult};

/// The warning-loop fixture's folder, its rules loaded.
fn loop_fixture() -> (std::path::PathBuf, Loaded, Sources) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/loop");
    let mut sources = Sources::new();
    let loaded = jingbiao::loader::load_rules(&root.join("rules"), &mut sources)
        .unwrap_or_else(|e| panic!("{e:?}"));
    (root, loaded, sources)
}

/// The facts of period `p` (scored now where `score_last`), as the timeline gives them.
fn facts(
    root: &Path,
    loaded: &mut Loaded,
    sources: &mut Sources,
    p: &str,
    score_last: bool,
) -> Facts {
    let period = Period::parse(p, loaded.campaign.period_kind).unwrap();
    let mut tl = jingbiao::timeline::run(loaded, &root.join("data"), period, score_last, sources)
        .unwrap_or_else(|e| panic!("{e:?}"));
    tl.entries.remove(&period).unwrap().facts
}

#[test]
fn streamed_json_is_the_named_views_json() {
    let (root, mut loaded, mut sources) = loop_fixture();
    let mut compared = 0;
    for p in ["2022-Q4", "2023-Q1", "2023-Q2", "2023-Q3"] {
        let facts = facts(&root, &mut loaded, &mut sources, p, true);
        let c = &loaded.campaign;
        for group in [None, Some(c.groups[0].id.clone())] {
            let mut named = PeriodResult::named(c, &facts);
            let mut streamed = PeriodResult::into_streamed(c, facts.clone());
            if let Some(g) = &group {
                named.keep_group(g);
                streamed.keep_group(g);
            }
            assert!(!named.warnings.is_empty() || p == "2022-Q4", "{p}");
            assert_eq!(
                serde_json::to_string(&streamed).unwrap(),
                serde_json::to_string(&named).unwrap(),
                "{p} {group:?}"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 8);
}

/// `warnings --format json` (streamed) writes what the warnings report's data serialises
/// to, with and without `--closed` and a group, in every period of the loop fixture.
#[test]
fn streamed_warnings_json_is_the_reports_json() {
    let (root, mut loaded, mut sources) = loop_fixture();
    let mut compared = 0;
    for p in ["2022-Q4", "2023-Q1", "2023-Q2", "2023-Q3"] {
        let facts = facts(&root, &mut loaded, &mut sources, p, false);
        let c = &loaded.campaign;
        for closed in [false, true] {
            for group in [None, Some(c.groups[0].id.clone())] {
                let mut named = PeriodResult::named(c, &facts);
                let mut args = vec![
                    "warnings", "rules", "data", "--period", p, "--format", "json",
                ];
                if closed {
                    args.push("--closed");
                }
                if let Some(g) = &group {
                    named.keep_group(g);
                    args.extend(["--group", g.as_str()]);
                }
                let want = serde_json::to_string(&jingbiao::report::warnings::data(&named, closed))
                    .unwrap()
                    + "\n";
                let out = std::process::Command::new(env!("CARGO_BIN_EXE_jingbiao"))
                    .args(&args)
                    .current_dir(&root)
                    .output()
                    .unwrap();
                assert_eq!(out.status.code(), Some(0), "{args:?}");
                assert_eq!(String::from_utf8(out.stdout).unwrap(), want, "{args:?}");
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 16);
}
