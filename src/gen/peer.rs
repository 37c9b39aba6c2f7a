//! A campaign from the pandas peer's neutral long CSV (`../shared/bench/gen.py`): one row
//! per unit and indicator with `unit,group,indicator,value,target,floor,weight,direction`
//! (direction 1 = higher is better, -1 = lower), written in jingbiao's own formats so that
//! `jingbiao score` does the job of `pandas_published.py`:
//!
//! - each indicator is scored by the built-in efficacy coefficient, the satisfactory value
//!   (满意值) the row's `target` and the unacceptable value (不允许值) its `floor`:
//!   d = 60 + 40 × (value − floor) ÷ (target − floor), full weight at or beyond the target,
//!   never below 0 points (`{ type = "efficacy", high = "target", low = FLOOR }`);
//! - points are rounded to cents as Excel's ROUND (campaign decimals 2, halves away from
//!   zero), a total is the sum of the rounded points with no full-marks rescaling
//!   (`scale = "none"`), and units are ranked by total within their group, ties sharing a
//!   place (competition ranks 1, 1, 3);
//! - the default warning thresholds (yellow below 90% of the target, red below 70%).
//!
//! A unit's own target, where it differs from the indicator's first, goes to targets.csv;
//! the floor, weight and direction must be the same on every row of an indicator (the
//! efficacy method has one floor per indicator). Each indicator keeps as many decimals as
//! its values are written with (at most 6), so the published values are the CSV's. An
//! empty value is a missing one.
//!
//! With `periods` above 1 the campaign has that many months (2023-01, 2023-02, …): month 1
//! holds the CSV's values, and month p gives each unit the value that the unit p − 1 places
//! after it (among those with the indicator, wrapping round) has in the CSV, so ranks move
//! and warnings open, persist and close, deterministically and with the CSV's decimals.

use std::collections::HashMap;
use std::fmt::{self, Write as _};

/// The campaign's folder name under `rules/` and `scenarios/`.
pub const NAME: &str = "peer";

/// The columns the long CSV must have (in any order).
pub const COLUMNS: [&str; 8] = [
    "unit",
    "group",
    "indicator",
    "value",
    "target",
    "floor",
    "weight",
    "direction",
];

/// Why a long CSV cannot be converted: the 1-based line of the file, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongCsvError {
    pub line: u64,
    pub message: String,
}

impl fmt::Display for LongCsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for LongCsvError {}

struct Indicator {
    id: String,
    weight: f64,
    higher: bool,
    floor: f64,
    target: f64,
    decimals: usize,
    groups: Vec<bool>,
    /// (unit, value as written) in the CSV's order.
    values: Vec<(usize, String)>,
    /// Units whose target differs from `target`.
    own_targets: Vec<(usize, f64)>,
    line: u64,
}

/// The files of a campaign doing `pandas_published.py`'s job on `text` (a long CSV), with
/// `periods` monthly periods (1 to 12): paths relative to the output folder, and their text.
pub fn from_long_csv(text: &str, periods: usize) -> Result<Vec<(String, String)>, LongCsvError> {
    let periods = periods.clamp(1, 12);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let err = |line: u64, message: String| LongCsvError { line, message };
    let headers = reader
        .headers()
        .map_err(|e| err(1, format!("the header cannot be read: {e}")))?
        .clone();
    let mut col = [0usize; 8];
    for (k, name) in COLUMNS.iter().enumerate() {
        col[k] = headers.iter().position(|h| h == *name).ok_or_else(|| {
            err(
                1,
                format!("no `{name}` column (the columns are {})", COLUMNS.join(",")),
            )
        })?;
    }

    let mut units: Vec<(String, usize)> = Vec::new();
    let mut unit_ix: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<String> = Vec::new();
    let mut group_ix: HashMap<String, usize> = HashMap::new();
    let mut indicators: Vec<Indicator> = Vec::new();
    let mut ind_ix: HashMap<String, usize> = HashMap::new();
    let mut seen: HashMap<(usize, usize), u64> = HashMap::new();
    // (indicator, position among its values) of each row, in the CSV's order.
    let mut rows: Vec<(usize, usize)> = Vec::new();

    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(err(line, format!("not a CSV row: {e}")));
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        let field = |k: usize| record.get(col[k]).unwrap_or("");
        let number = |k: usize| -> Result<f64, LongCsvError> {
            let t = field(k);
            t.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| err(line, format!("{} `{t}` is not a number", COLUMNS[k])))
        };
        let (unit, group, ind) = (field(0), field(1), field(2));
        // Ids go into the campaign's TOML and CSV as they are: names, never paths or quotes.
        for (k, id) in [unit, group, ind].iter().enumerate() {
            if id.is_empty() {
                return Err(err(line, format!("the {} is empty", COLUMNS[k])));
            }
            if let Some(problem) = crate::campaign::id_problem(id) {
                return Err(err(
                    line,
                    format!(
                        "the {} `{}` is not an id: {problem}",
                        COLUMNS[k],
                        id.escape_default()
                    ),
                ));
            }
        }
        let g = match group_ix.get(group) {
            Some(&g) => g,
            None => {
                groups.push(group.to_string());
                group_ix.insert(group.to_string(), groups.len() - 1);
                groups.len() - 1
            }
        };
        let u = match unit_ix.get(unit) {
            Some(&u) => {
                if units[u].1 != g {
                    return Err(err(
                        line,
                        format!(
                            "unit `{unit}` is in group `{group}` here but in `{}` above",
                            groups[units[u].1]
                        ),
                    ));
                }
                u
            }
            None => {
                units.push((unit.to_string(), g));
                unit_ix.insert(unit.to_string(), units.len() - 1);
                units.len() - 1
            }
        };
        let (target, floor, weight) = (number(4)?, number(5)?, number(6)?);
        let direction = number(7)?;
        if direction == 0.0 {
            return Err(err(
                line,
                "direction is 1 (higher is better) or -1 (lower is better), not 0".into(),
            ));
        }
        let higher = direction > 0.0;
        if weight <= 0.0 {
            return Err(err(line, format!("weight {weight} must be more than 0")));
        }
        if (higher && floor >= target) || (!higher && floor <= target) {
            return Err(err(
                line,
                format!(
                    "the floor {floor} must be worse than the target {target} ({} is better)",
                    if higher { "higher" } else { "lower" }
                ),
            ));
        }
        let value = field(3);
        let decimals = if value.is_empty() {
            0
        } else {
            if value.contains(['e', 'E']) || number(3).is_err() {
                return Err(err(
                    line,
                    format!("value `{value}` is not a number written in plain decimals"),
                ));
            }
            let d = value.split_once('.').map_or(0, |(_, f)| f.len());
            if d > 6 {
                return Err(err(
                    line,
                    format!("value `{value}` has {d} decimals; published values have at most 6"),
                ));
            }
            d
        };
        let i = match ind_ix.get(ind) {
            Some(&i) => {
                let x = &indicators[i];
                let same = x.weight == weight && x.floor == floor && x.higher == higher;
                if !same {
                    return Err(err(
                        line,
                        format!(
                            "indicator `{ind}` has weight {weight}, floor {floor} and direction {direction} here but weight {}, floor {} and direction {} on line {}: they must be the same on every row",
                            x.weight, x.floor, if x.higher { 1 } else { -1 }, x.line
                        ),
                    ));
                }
                i
            }
            None => {
                indicators.push(Indicator {
                    id: ind.to_string(),
                    weight,
                    higher,
                    floor,
                    target,
                    decimals: 0,
                    groups: Vec::new(),
                    values: Vec::new(),
                    own_targets: Vec::new(),
                    line,
                });
                ind_ix.insert(ind.to_string(), indicators.len() - 1);
                indicators.len() - 1
            }
        };
        if let Some(first) = seen.insert((u, i), line) {
            return Err(err(
                line,
                format!("unit `{unit}` has a second row for indicator `{ind}` (the first is on line {first})"),
            ));
        }
        let x = &mut indicators[i];
        x.decimals = x.decimals.max(decimals);
        if x.groups.len() <= g {
            x.groups.resize(g + 1, false);
        }
        x.groups[g] = true;
        if target != x.target {
            x.own_targets.push((u, target));
        }
        rows.push((i, x.values.len()));
        x.values.push((u, value.to_string()));
    }
    if rows.is_empty() {
        return Err(err(1, "the CSV has no rows".into()));
    }

    let rules = format!("rules/{NAME}");
    let data = format!("scenarios/{NAME}");
    let mut files = Vec::new();

    let mut campaign = String::from(
        "# Converted by jingbiao::gen::peer from a long CSV: pandas_published.py's job.\n",
    );
    campaign.push_str(
        "name = \"对照测算（pandas 同口径）\"\nyear = 2023\nperiod = \"month\"\nscale = \"none\"\n\n\
         [rounding]\ndecimals = 2\nmode = \"half-away-from-zero\"\n\n\
         [[category]]\nid = \"all\"\nname = \"全部指标\"\n\n",
    );
    for g in &groups {
        let id = toml_str(g);
        let _ = writeln!(
            campaign,
            "[[group]]\nid = {id}\nname = {id}\nrank_by = [\"total\"]\n"
        );
    }
    files.push((format!("{rules}/campaign.toml"), campaign));

    let mut text = String::with_capacity(units.len() * 24);
    text.push_str("id,name,group,order\n");
    for (k, (id, g)) in units.iter().enumerate() {
        let (id, g) = (csv_str(id), csv_str(&groups[*g]));
        let _ = writeln!(text, "{id},{id},{g},{}", k + 1);
    }
    files.push((format!("{rules}/units.csv"), text));

    let mut text = String::new();
    let mut targets = String::from("unit,indicator,target\n");
    for x in &indicators {
        let applies: Vec<String> = (0..groups.len())
            .filter(|&g| x.groups.get(g).copied().unwrap_or(false))
            .map(|g| toml_str(&groups[g]))
            .collect();
        let id = toml_str(&x.id);
        let _ = writeln!(
            text,
            "[[indicator]]\nid = {id}\nname = {id}\ncategory = \"all\"\napplies_to = [{}]\nweight = {:?}\ndirection = \"{}\"\nkind = \"rate\"\ndecimals = {}\ntarget = {:?}\nmethod = {{ type = \"efficacy\", high = \"target\", low = {:?} }}\n",
            applies.join(", "),
            x.weight,
            if x.higher { "higher" } else { "lower" },
            x.decimals,
            x.target,
            x.floor,
        );
        for &(u, t) in &x.own_targets {
            let _ = writeln!(targets, "{},{},{t:?}", csv_str(&units[u].0), csv_str(&x.id));
        }
    }
    files.push((format!("{rules}/indicators.toml"), text));
    if indicators.iter().any(|x| !x.own_targets.is_empty()) {
        files.push((format!("{rules}/targets.csv"), targets));
    }

    let unit_ids: Vec<String> = units.iter().map(|(id, _)| csv_str(id)).collect();
    let ind_ids: Vec<String> = indicators.iter().map(|x| csv_str(&x.id)).collect();
    for p in 0..periods {
        let mut m = String::with_capacity(text_len(&rows, &indicators) + 32);
        m.push_str("unit,indicator,value\n");
        for &(i, k) in &rows {
            let values = &indicators[i].values;
            let unit = values[k].0;
            let value = &values[(k + p) % values.len()].1;
            let _ = writeln!(m, "{},{},{value}", unit_ids[unit], ind_ids[i]);
        }
        files.push((format!("{data}/2023-{:02}/metrics.csv", p + 1), m));
    }
    Ok(files)
}

/// About the length of one period's metrics.csv, to allocate it once.
fn text_len(rows: &[(usize, usize)], indicators: &[Indicator]) -> usize {
    rows.len() * 8
        + indicators
            .iter()
            .map(|x| x.values.iter().map(|(_, v)| v.len() + 8).sum::<usize>())
            .sum::<usize>()
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A CSV field, quoted where it must be.
fn csv_str(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file<'a>(files: &'a [(String, String)], end: &str) -> &'a str {
        &files
            .iter()
            .find(|(p, _)| p.ends_with(end))
            .unwrap_or_else(|| panic!("no {end}"))
            .1
    }

    #[test]
    fn writes_an_efficacy_campaign_with_the_csvs_figures() {
        let csv = "unit,group,indicator,value,target,floor,weight,direction\n\
                   a,g1,x,8,10,2,3.5,1\n\
                   a,g1,y,12.25,10,20,2,-1\n";
        let files = from_long_csv(csv, 1).unwrap();
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "rules/peer/campaign.toml",
                "rules/peer/units.csv",
                "rules/peer/indicators.toml",
                "scenarios/peer/2023-01/metrics.csv"
            ]
        );
        let inds = file(&files, "indicators.toml");
        assert!(inds.contains("id = \"x\"\nname = \"x\"\ncategory = \"all\"\napplies_to = [\"g1\"]\nweight = 3.5\ndirection = \"higher\"\nkind = \"rate\"\ndecimals = 0\ntarget = 10.0\nmethod = { type = \"efficacy\", high = \"target\", low = 2.0 }\n"), "{inds}");
        assert!(inds.contains("direction = \"lower\"\nkind = \"rate\"\ndecimals = 2\ntarget = 10.0\nmethod = { type = \"efficacy\", high = \"target\", low = 20.0 }"), "{inds}");
        assert!(file(&files, "campaign.toml").contains("scale = \"none\""));
        assert_eq!(
            file(&files, "metrics.csv"),
            "unit,indicator,value\na,x,8\na,y,12.25\n"
        );
    }

    #[test]
    fn a_units_own_target_goes_to_targets_csv_and_months_rotate_values() {
        let csv = "unit,group,indicator,value,target,floor,weight,direction\n\
                   a,g,x,1.5,10,2,1,1\n\
                   b,g,x,2,12,2,1,1\n\
                   c,h,x,3,10,2,1,1\n";
        let files = from_long_csv(csv, 3).unwrap();
        assert_eq!(
            file(&files, "targets.csv"),
            "unit,indicator,target\nb,x,12.0\n"
        );
        assert!(file(&files, "indicators.toml").contains("applies_to = [\"g\", \"h\"]"));
        assert!(file(&files, "indicators.toml").contains("decimals = 1"));
        assert_eq!(
            file(&files, "2023-01/metrics.csv"),
            "unit,indicator,value\na,x,1.5\nb,x,2\nc,x,3\n"
        );
        assert_eq!(
            file(&files, "2023-02/metrics.csv"),
            "unit,indicator,value\na,x,2\nb,x,3\nc,x,1.5\n"
        );
        assert_eq!(
            file(&files, "2023-03/metrics.csv"),
            "unit,indicator,value\na,x,3\nb,x,1.5\nc,x,2\n"
        );
    }

    #[test]
    fn bad_rows_are_named_by_line() {
        let head = "unit,group,indicator,value,target,floor,weight,direction\n";
        let cases = [
            ("a,g,x,1,10,2,1,1\na,g,x,2,10,2,1,1\n", 3, "second row"),
            (
                "a,g,x,1,10,2,1,1\nb,g,x,2,10,3,1,1\n",
                3,
                "same on every row",
            ),
            ("a,g,x,1,10,12,1,1\n", 2, "worse than the target"),
            ("a,g,x,1,10,2,1,0\n", 2, "not 0"),
            ("a,g,x,abc,10,2,1,1\n", 2, "plain decimals"),
            ("a,g,x,1.1234567,10,2,1,1\n", 2, "at most 6"),
            ("a,g,x,1,10,2,1,1\na,h,y,1,10,2,1,1\n", 3, "in group"),
            ("a,g,x,1,ten,2,1,1\n", 2, "target `ten`"),
            (
                "a,g,\"x\"\"\n\",1,10,2,1,1\n",
                2,
                "indicator `x\\\"` is not an id: it holds `\"`",
            ),
            ("../a,g,x,1,10,2,1,1\n", 2, "unit `../a` is not an id"),
        ];
        for (rows, line, says) in cases {
            let e = from_long_csv(&format!("{head}{rows}"), 1).unwrap_err();
            assert_eq!(e.line, line, "{e}");
            assert!(e.message.contains(says), "{e}");
        }
        let e = from_long_csv("unit,group,indicator,value\n", 1).unwrap_err();
        assert!(e.message.contains("no `target` column"), "{e}");
    }
}
