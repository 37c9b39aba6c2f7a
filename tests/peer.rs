//! The pandas peer's long CSV converted (`jingbiao::gen::from_long_csv`) and scored by the
//! binary: every figure worked out by hand.

use std::path::Path;
use std::process::Command;

/// Two indicators, five units in two groups.
///
/// x: higher is better, target (满意值) 10, floor (不允许值) 2, weight 3.5:
///    d = 60 + 40 × (v − 2) ÷ 8 = 60 + 5 × (v − 2); points = 3.5 × d ÷ 100, full at v ≥ 10.
/// y: lower is better, target 10, floor 20, weight 2:
///    d = 60 + 40 × (v − 20) ÷ (10 − 20) = 60 + 4 × (20 − v); points = 2 × d ÷ 100, full at
///    v ≤ 10.
///
/// a (g1): x 2.2 → d 61 → 2.135 → 2.14 (a half, away from zero as Excel's ROUND);
///         y 12.25 → d 91 → 1.82.                      total 3.96
/// b (g1): x 10 → at the target → 3.50; y 25 → d 40 → 0.80.    total 4.30
/// c (g1): x 12 → beyond the target → 3.50 (capped); y 25 → 0.80. total 4.30
/// d (g2): x −20 → d −50 → 0.00 (never negative); y 9 → beyond → 2.00. total 2.00
/// e (g2): x 6 → d 80 → 2.80; y 20 → at the floor, d 60 → 1.20.  total 4.00
///
/// No rescaling to full marks (each unit's weights add up to 5.5, totals stay as summed).
/// Competition ranks per group: g1 b 1, c 1, a 3; g2 e 1, d 2.
const CSV: &str = "unit,group,indicator,value,target,floor,weight,direction
a,g1,x,2.2,10,2,3.5,1
a,g1,y,12.25,10,20,2,-1
b,g1,x,10,10,2,3.5,1
b,g1,y,25,10,20,2,-1
c,g1,x,12,10,2,3.5,1
c,g1,y,25,10,20,2,-1
d,g2,x,-20,10,2,3.5,1
d,g2,y,9,10,20,2,-1
e,g2,x,6,10,2,3.5,1
e,g2,y,20,10,20,2,-1
";

#[test]
fn a_converted_long_csv_scores_as_worked_by_hand() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("peer-hand");
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in jingbiao::gen::from_long_csv(CSV, 1).unwrap() {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_jingbiao"))
        .args([
            "score",
            "rules/peer",
            "scenarios/peer",
            "--period",
            "2023-01",
            "--format",
            "json",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got = Vec::new();
    for g in json["groups"].as_array().unwrap() {
        for u in g["units"].as_array().unwrap() {
            got.push(format!(
                "{} {} {} {}",
                g["id"].as_str().unwrap(),
                u["id"].as_str().unwrap(),
                u["total"].as_str().unwrap(),
                u["rank"]
            ));
        }
    }
    got.sort();
    assert_eq!(
        got,
        [
            "g1 a 3.96 3",
            "g1 b 4.30 1",
            "g1 c 4.30 1",
            "g2 d 2.00 2",
            "g2 e 4.00 1"
        ]
    );
}
