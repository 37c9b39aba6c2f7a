use std::time::Instant;
fn main() {
    let dir = std::path::Path::new("/tmp/nat");
    let mut s = jingbiao::diag::Sources::new();
    let t = Instant::now();
    let mut l = jingbiao::loader::load_rules(&dir.join("rules/gen"), &mut s).unwrap();
    println!("rules {:?}", t.elapsed());
    let p = jingbiao::period::Period::parse("2023-01", l.campaign.period_kind).unwrap();
    let t = Instant::now();
    let d = jingbiao::loader::load_period(&dir.join("scenarios/gen"), p, &mut l, &mut s).unwrap();
    println!("period {:?}", t.elapsed());
    for _ in 0..3 {
        let t = Instant::now();
        let r = jingbiao::evaluate::evaluate(&l.campaign, &d, &l.scripts, &s).unwrap();
        println!("evaluate {:?} warnings {}", t.elapsed(), r.warnings.len());
        let t = Instant::now();
        let doc = jingbiao::report::league::document(&r).to_text();
        println!("table {:?} {}", t.elapsed(), doc.len());
        let t = Instant::now();
        let j = serde_json::to_string(&r).unwrap();
        println!("json {:?} {}", t.elapsed(), j.len());
        let t = Instant::now();
        drop(r);
        println!("drop {:?}", t.elapsed());
    }
}
