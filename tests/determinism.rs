//! The same rules and data give byte-identical output, whatever the thread count: a generated
//! campaign (`jingbiao gen`, a fixed seed) scored with 1 and with 2 threads.

mod common;

use common::*;
use std::process::Command;

fn run_threads(dir: &std::path::Path, threads: usize, args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_jingbiao"))
        .args(args)
        .current_dir(dir)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn output_is_byte_identical_at_one_and_two_threads() {
    let scratch = Scratch::new("threads");
    let gen = run_in(
        &scratch.0,
        &[
            "gen",
            "--out",
            ".",
            "--units",
            "400",
            "--groups",
            "3",
            "--indicators",
            "30",
            "--periods",
            "3",
            "--items",
            "2",
            "--seed",
            "7",
        ],
    );
    assert_eq!(gen.code, 0, "{}", gen.stderr);
    for args in [
        &[
            "score",
            "rules/gen",
            "scenarios/gen",
            "--format",
            "json",
            "--cells",
        ][..],
        &["score", "rules/gen", "scenarios/gen", "--format", "json"],
        &["score", "rules/gen", "scenarios/gen", "--period", "2023-02"],
        &[
            "warnings",
            "rules/gen",
            "scenarios/gen",
            "--closed",
            "--format",
            "csv",
        ],
        &["items", "rules/gen", "scenarios/gen", "--format", "md"],
    ] {
        let one = run_threads(&scratch.0, 1, args);
        let two = run_threads(&scratch.0, 2, args);
        assert!(!one.is_empty());
        assert!(
            one == two,
            "jingbiao {} differs between 1 and 2 threads",
            args.join(" ")
        );
    }
}

#[test]
fn the_generator_is_deterministic() {
    let a = Scratch::new("gen-a");
    let b = Scratch::new("gen-b");
    for s in [&a, &b] {
        let r = run_in(
            &s.0,
            &[
                "gen",
                "--out",
                ".",
                "--units",
                "50",
                "--indicators",
                "10",
                "--periods",
                "2",
                "--seed",
                "3",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    assert_eq!(
        snapshot_tree(&a.0)
            .into_iter()
            .map(|(p, b)| (p.strip_prefix(&a.0).unwrap().to_path_buf(), b))
            .collect::<Vec<_>>(),
        snapshot_tree(&b.0)
            .into_iter()
            .map(|(p, x)| (p.strip_prefix(&b.0).unwrap().to_path_buf(), x))
            .collect::<Vec<_>>()
    );
}
