//! The fuzz targets' committed seed corpora (fuzz/seeds/TARGET/), replayed on stable Rust
//! through the same entry points `cargo fuzz` runs (`jingbiao::loader::fuzz`): no input may
//! panic. Inputs that once crashed a target are kept there too. See fuzz/README.md for the
//! fuzzing itself (nightly).

use std::path::Path;

type Target = fn(&[u8]);

const TARGETS: &[(&str, Target)] = &[
    ("campaign_toml", jingbiao::loader::fuzz::campaign_toml),
    ("csv_table", jingbiao::loader::fuzz::csv_table),
    ("xlsx", jingbiao::loader::fuzz::xlsx),
    ("script", jingbiao::loader::fuzz::script),
];

#[test]
fn every_seed_of_every_target_runs_without_a_panic() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let mut failed = Vec::new();
    for (name, target) in TARGETS {
        let dir = seeds.join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(
            files.len() >= 3,
            "{name}: a seed corpus of {} files",
            files.len()
        );
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            if std::panic::catch_unwind(|| target(&bytes)).is_err() {
                failed.push(format!("{name}: {}", file.display()));
            }
        }
    }
    assert!(failed.is_empty(), "panicked on:\n{}", failed.join("\n"));
}
