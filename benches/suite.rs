//! The performance suite: `cargo bench --bench suite` (a few minutes on 2 cores).
//!
//! Each measurement warms up, then takes repeated samples and reports the median with the
//! fastest and slowest; throughput is unit × indicator cells per second; end-to-end runs
//! spawn the real binary and read its peak resident memory. Two baselines are measured in
//! the same run: a bare Rhai loop calling the same score functions with the same inputs as
//! plain floats, single-threaded (the interpreter's limit), and a plain Rust loop doing the
//! built-in methods' arithmetic on the same values (the hardware's limit).
//!
//! Generated campaigns (`jingbiao gen`, fixed seeds) are written under target/bench/. The
//! report is printed and saved to target/bench/report.md. `cargo bench --bench suite -- quick`
//! skips the largest scaling point.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use jingbiao::diag::Sources;
use jingbiao::gen::{generate, Methods, Spec};
use jingbiao::indicator::Method;
use jingbiao::methods::{self, GroupStats, Inputs};
use jingbiao::period::Period;

const NATIONAL_UNITS: usize = 2844;
const INDICATORS: usize = 100;

fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench")
}

/// Writes a generated campaign once (same spec, same files).
fn campaign(name: &str, spec: Spec) -> PathBuf {
    let dir = bench_dir().join(name);
    let stamp = dir.join(".spec");
    let want = format!("{spec:?}");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(want.as_str()) {
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in generate(&spec) {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        std::fs::write(&stamp, want).unwrap();
    }
    dir
}

fn spec(units: usize, periods: usize, methods: Methods) -> Spec {
    Spec {
        units,
        groups: 4,
        indicators: INDICATORS,
        periods,
        items: 0,
        seed: 1,
        methods,
    }
}

/// Median, fastest and slowest of `samples` runs after `warmup` runs.
fn sample(warmup: usize, samples: usize, mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    for _ in 0..warmup {
        f();
    }
    let mut times: Vec<Duration> = (0..samples)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[times.len() / 2], times[0], times[times.len() - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn rate(cells: usize, d: Duration) -> f64 {
    cells as f64 / d.as_secs_f64()
}

fn mcells(r: f64) -> String {
    format!("{:.2} M cells/s", r / 1e6)
}

struct Report(String);

impl Report {
    fn line(&mut self, s: String) {
        println!("{s}");
        self.0.push_str(&s);
        self.0.push('\n');
    }
}

/// The files' total size under a folder.
fn size(dir: &Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        total += if p.is_dir() {
            size(&p)
        } else {
            e.metadata().map(|m| m.len()).unwrap_or(0)
        };
    }
    total
}

/// Runs the binary `samples` times; median wall time and the peak memory of the last run.
fn run_binary(
    args: &[&str],
    dir: &Path,
    samples: usize,
    threads: Option<usize>,
) -> (Duration, Duration, Duration, u64) {
    let mut peak = 0;
    let (med, lo, hi) = sample(1, samples, || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_jingbiao"));
        cmd.args(args)
            .current_dir(dir)
            .env("JINGBIAO_PEAK_RSS", "1");
        if let Some(n) = threads {
            cmd.env("RAYON_NUM_THREADS", n.to_string());
        }
        let out = cmd.output().expect("the binary runs");
        assert!(
            out.status.success(),
            "jingbiao {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        peak = stderr
            .lines()
            .find_map(|l| l.strip_prefix("peak-rss-kb: "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
    });
    (med, lo, hi, peak)
}

/// Loads a generated campaign's first period in-process.
fn load(
    dir: &Path,
) -> (
    jingbiao::loader::Loaded,
    jingbiao::data::PeriodData,
    Sources,
) {
    let mut sources = Sources::new();
    let mut loaded = jingbiao::loader::load_rules(&dir.join("rules/gen"), &mut sources)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let p = Period::parse("2023-01", loaded.campaign.period_kind).unwrap();
    let data =
        jingbiao::loader::load_period(&dir.join("scenarios/gen"), p, &mut loaded, &mut sources)
            .unwrap_or_else(|e| panic!("{e:?}"));
    (loaded, data, sources)
}

fn cells(loaded: &jingbiao::loader::Loaded) -> usize {
    loaded
        .campaign
        .indicators
        .iter()
        .map(|i| i.assignments.len())
        .sum()
}

/// The plain Rust loop: the built-in methods' arithmetic on the same values, with group
/// statistics worked out beforehand, single-threaded.
fn plain_rust(loaded: &jingbiao::loader::Loaded, data: &jingbiao::data::PeriodData) -> f64 {
    let c = &loaded.campaign;
    let mut acc = 0.0;
    for (ii, ind) in c.indicators.iter().enumerate() {
        let stats = GroupStats::of(data.values[ii].iter().flatten().copied());
        for (ai, a) in ind.assignments.iter().enumerate() {
            let Some(actual) = data.values[ii][ai] else {
                continue;
            };
            let x = Inputs {
                actual,
                expected: a.target,
                stretch: None,
                weight: ind.weight,
                direction: ind.direction,
                rank: 1 + (ai as u32 % 100),
                group: stats,
            };
            acc += methods::points(&ind.method, &x).unwrap_or(0.0);
        }
    }
    acc
}

/// The bare Rhai loop: each script cell's function called with plain floats, one thread.
fn bare_rhai(loaded: &jingbiao::loader::Loaded, data: &jingbiao::data::PeriodData) -> (usize, f64) {
    let engine = jingbiao::script::Scripts::engine();
    let text = std::fs::read_to_string(loaded.dir.join("scripts/scores.rhai")).unwrap();
    let ast = engine.compile(text).unwrap();
    let mut n = 0;
    let mut acc = 0.0;
    let options = || {
        rhai::CallFnOptions::new()
            .eval_ast(false)
            .rewind_scope(true)
    };
    for (ii, ind) in loaded.campaign.indicators.iter().enumerate() {
        let Method::Script { function } = &ind.method else {
            continue;
        };
        for (ai, a) in ind.assignments.iter().enumerate() {
            let Some(actual) = data.values[ii][ai] else {
                continue;
            };
            let mut scope = rhai::Scope::new();
            let r: rhai::Dynamic = match function.as_str() {
                "level_and_rank" => engine.call_fn_with_options(
                    options(),
                    &mut scope,
                    &ast,
                    function,
                    (
                        actual,
                        a.target,
                        ind.weight,
                        1 + (ai as i64 % 100),
                        711.0f64,
                    ),
                ),
                _ => engine.call_fn_with_options(
                    options(),
                    &mut scope,
                    &ast,
                    function,
                    (actual, a.target, ind.weight),
                ),
            }
            .unwrap();
            acc += r.as_float().unwrap_or(0.0);
            n += 1;
        }
    }
    (n, acc)
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let mut r = Report(String::new());
    r.line(format!(
        "# jingbiao benchmarks ({} cores)\n",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    ));

    // 1. Built-in methods, in-process: evaluate() of a national campaign with no scripts.
    let builtin = campaign("builtin", spec(NATIONAL_UNITS, 1, Methods::Builtin));
    let (loaded, data, sources) = load(&builtin);
    let n = cells(&loaded);
    let (med, lo, hi) = sample(2, 9, || {
        jingbiao::evaluate::evaluate(&loaded.campaign, &data, &loaded.scripts, &sources).unwrap();
    });
    let (rmed, ..) = sample(2, 9, || {
        std::hint::black_box(plain_rust(&loaded, &data));
    });
    r.line(format!(
        "- built-in methods, evaluate ({n} cells: scores, ranks, totals, tiers, warnings): {} (min {}, max {}) = {}; plain Rust loop on the same arithmetic: {} = {}; ratio {:.3}",
        ms(med), ms(lo), ms(hi), mcells(rate(n, med)), ms(rmed), mcells(rate(n, rmed)), rate(n, med) / rate(n, rmed)
    ));

    // 2. The Rhai custom path: every indicator a script.
    let script = campaign("script", spec(NATIONAL_UNITS, 1, Methods::Script));
    let (loaded, data, sources) = load(&script);
    let n = cells(&loaded);
    let (med, lo, hi) = sample(1, 5, || {
        jingbiao::evaluate::evaluate(&loaded.campaign, &data, &loaded.scripts, &sources).unwrap();
    });
    let mut calls = 0;
    let (bmed, ..) = sample(1, 5, || {
        calls = bare_rhai(&loaded, &data).0;
    });
    r.line(format!(
        "- Rhai score functions, evaluate on all cores ({n} cells): {} (min {}, max {}) = {}; bare single-threaded Rhai loop ({calls} calls): {} = {}; ratio {:.2}",
        ms(med), ms(lo), ms(hi), mcells(rate(n, med)), ms(bmed), mcells(rate(calls, bmed)), rate(n, med) / rate(calls, bmed)
    ));
    drop((loaded, data, sources));

    // 3. End to end from CSV, national, one period: load, evaluate, rank, warnings, JSON.
    let national = campaign("national", spec(NATIONAL_UNITS, 12, Methods::Mixed));
    let input = size(&national.join("rules")) + size(&national.join("scenarios/gen/2023-01"));
    let out = bench_dir().join("national.json");
    let out = out.to_str().unwrap();
    let (med, lo, hi, peak) = run_binary(
        &[
            "score",
            "rules/gen",
            "scenarios/gen",
            "--period",
            "2023-01",
            "--format",
            "json",
            "--out",
            out,
        ],
        &national,
        5,
        None,
    );
    let n = NATIONAL_UNITS * INDICATORS;
    r.line(format!(
        "- national end to end, one period ({n} cells, {:.1} MB of input): {} (min {}, max {}) = {}; peak memory {:.0} MB (target: 3 × input + 64 MB = {:.0} MB)",
        input as f64 / 1e6, ms(med), ms(lo), ms(hi), mcells(rate(n, med)), peak as f64 / 1024.0, 3.0 * input as f64 / 1e6 + 64.0
    ));
    for threads in [1, 2] {
        let (med, ..) = run_binary(
            &[
                "score",
                "rules/gen",
                "scenarios/gen",
                "--period",
                "2023-01",
                "--format",
                "json",
                "--out",
                out,
            ],
            &national,
            3,
            Some(threads),
        );
        r.line(format!("  - with {threads} thread(s): {}", ms(med)));
    }

    // 4. Twelve monthly periods with movement and warnings.
    let input12 = size(&national);
    let (med, lo, hi, peak) = run_binary(
        &[
            "warnings",
            "rules/gen",
            "scenarios/gen",
            "--format",
            "json",
            "--out",
            out,
        ],
        &national,
        3,
        None,
    );
    r.line(format!(
        "- national, 12 monthly periods with movement and the warning loop ({} cells, {:.1} MB of input): {} (min {}, max {}) = {}; peak memory {:.0} MB (target {:.0} MB)",
        12 * n, input12 as f64 / 1e6, ms(med), ms(lo), ms(hi), mcells(rate(12 * n, med)), peak as f64 / 1024.0, 3.0 * input12 as f64 / 1e6 + 64.0
    ));

    // 5. Sensitivity, 1000 runs on the bundled ASEM example.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (med, lo, hi, peak) = run_binary(
        &[
            "sensitivity",
            "--runs",
            "1000",
            "--seed",
            "1",
            "--format",
            "json",
            "--out",
            out,
        ],
        root,
        5,
        None,
    );
    r.line(format!("- sensitivity, 1000 runs on ASEM (51 units × 49 indicators): {} (min {}, max {}); peak memory {:.0} MB", ms(med), ms(lo), ms(hi), peak as f64 / 1024.0));

    // 6. The bundled example, start to finish.
    for cmd in [&["check"][..], &["score"][..]] {
        let (med, lo, hi, _) = run_binary(cmd, root, 10, None);
        r.line(format!(
            "- `jingbiao {}` on the bundled example: {} (min {}, max {})",
            cmd[0],
            ms(med),
            ms(lo),
            ms(hi)
        ));
    }

    // 7. Scaling, end to end, one period.
    r.line("\n## Scaling (end to end from CSV, one period, JSON out)\n".into());
    r.line("| cells | units | time | µs per 1,000 cells | peak memory |".into());
    r.line("|---:|---:|---:|---:|---:|".into());
    let mut sizes = vec![100, 1_000, 10_000];
    if !quick {
        sizes.push(34_000);
    }
    for units in sizes {
        let dir = campaign(&format!("scale-{units}"), spec(units, 1, Methods::Mixed));
        let (med, ..) = {
            let (m, lo, hi, peak) = run_binary(
                &[
                    "score",
                    "rules/gen",
                    "scenarios/gen",
                    "--format",
                    "json",
                    "--out",
                    out,
                ],
                &dir,
                3,
                None,
            );
            r.line(format!(
                "| {} | {units} | {} | {:.1} | {:.0} MB |",
                units * INDICATORS,
                ms(m),
                m.as_secs_f64() * 1e9 / (units * INDICATORS) as f64,
                peak as f64 / 1024.0
            ));
            (m, lo, hi)
        };
        let _ = med;
    }
    let _ = std::fs::remove_file(out);
    std::fs::write(bench_dir().join("report.md"), &r.0).unwrap();
}
