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
//! skips the largest scaling point; `-- peer` runs only the pandas peer; `-- eval` only the
//! in-process evaluation figures; `profile-eval [script]` (first argument) evaluates the
//! built-in (or script) campaign 43 times, to run under `perf record`.
//!
//! The pandas peer comes first: `../shared/bench/gen.py 2844 100` writes a national campaign
//! as a long CSV, `jingbiao::gen::from_long_csv` converts it into a campaign doing
//! `pandas_published.py`'s job (12 monthly periods, month 1 the CSV's), and every unit's
//! total and rank must equal pandas' (the bench fails, naming the first differences, if not).
//! Then, in the same run: the floor (the CSV parsed into numbers with the `csv` crate,
//! in-process; its memory in a child process), `pandas_published.py`, jingbiao on one period,
//! and the 12 periods with movement and the warning loop, each with its ratio to pandas and to
//! the floor. pandas is installed with pip where it is missing (with
//! `--break-system-packages` where pip refuses an externally managed environment); without
//! pandas only the comparison with it is skipped, without Python the whole peer section.

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

/// Writes a generated campaign, again whenever the spec or what the generator makes of it
/// changes (the stamp holds the spec and a hash of the files).
fn campaign(name: &str, spec: Spec) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let dir = bench_dir().join(name);
    let stamp = dir.join(".spec");
    let files = generate(&spec);
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    files.hash(&mut hasher);
    let want = format!("{spec:?} {:016x}", hasher.finish());
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(want.as_str()) {
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
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
    run_command(samples, || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_jingbiao"));
        cmd.args(args)
            .current_dir(dir)
            .env("JINGBIAO_PEAK_RSS", "1");
        if let Some(n) = threads {
            cmd.env("RAYON_NUM_THREADS", n.to_string());
        }
        cmd
    })
}

/// Runs a command `samples` times after one warm-up run; median, fastest and slowest wall
/// time and the peak memory of the last run, which the command prints on stderr as
/// `peak-rss-kb: N`.
fn run_command(samples: usize, make: impl Fn() -> Command) -> (Duration, Duration, Duration, u64) {
    let mut peak = 0;
    let (med, lo, hi) = sample(1, samples, || {
        let mut cmd = make();
        let out = cmd.output().expect("the command runs");
        assert!(
            out.status.success(),
            "{cmd:?}: {}",
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
        let Method::Script { function, .. } = &ind.method else {
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

/// The pandas peer's scripts: `gen.py` and `pandas_published.py` (CI keeps them there).
fn shared_bench() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench")
}

/// Python with pandas, installing pandas with pip where it is missing. `Err` says why the
/// pandas comparison cannot run; `python` is whether Python itself runs.
fn python_with_pandas() -> (bool, Result<(), String>) {
    let ok = |args: &[&str]| {
        Command::new("python3").args(args).output().map(|o| {
            (
                o.status.success(),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            )
        })
    };
    match ok(&["--version"]) {
        Ok((true, _)) => {}
        _ => return (false, Err("python3 is not found".into())),
    }
    let has_pandas = || matches!(ok(&["-c", "import pandas"]), Ok((true, _)));
    if has_pandas() {
        return (true, Ok(()));
    }
    println!("pandas is not installed: python3 -m pip install --quiet pandas …");
    let mut tried = ok(&["-m", "pip", "install", "--quiet", "pandas"]);
    if let Ok((false, err)) = &tried {
        if err.contains("externally-managed-environment") || err.contains("externally managed") {
            println!("pip refuses an externally managed environment: again with --break-system-packages …");
            tried = ok(&[
                "-m",
                "pip",
                "install",
                "--quiet",
                "--break-system-packages",
                "pandas",
            ]);
        }
    }
    if has_pandas() {
        return (true, Ok(()));
    }
    let why = match tried {
        Ok((_, err)) => err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_string(),
        Err(e) => e.to_string(),
    };
    (
        true,
        Err(format!("pandas could not be installed with pip ({why})")),
    )
}

/// Runs a Python script (argv[1], its arguments after it) and prints its peak resident memory
/// on stderr: VmHWM, which starts afresh at exec (ru_maxrss does not: a child spawned by a
/// large process would report the parent's peak).
const PEAK_WRAPPER: &str = "import resource, runpy, sys
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
try:
    kb = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))
except Exception:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.stderr.write('peak-rss-kb: %d\\n' % kb)";

/// The floor: the long CSV read and its five numeric columns parsed into numbers with the
/// `csv` crate, single-threaded (ids are not kept).
fn parse_floor(path: &Path) -> [Vec<f64>; 5] {
    let text = std::fs::read(path).unwrap();
    let mut reader = csv::Reader::from_reader(&text[..]);
    let mut cols: [Vec<f64>; 5] = Default::default();
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).unwrap() {
        for (k, col) in cols.iter_mut().enumerate() {
            let field = std::str::from_utf8(&record[3 + k]).unwrap();
            col.push(field.parse().unwrap_or(f64::NAN));
        }
    }
    cols
}

/// The peak resident memory of this process (Linux), in kB.
fn own_peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// A unit's group, total and rank, by unit id.
type Table = std::collections::BTreeMap<String, (String, rust_decimal::Decimal, u64)>;

/// The league tables of `score --format json`, read without the rest (typed, so the
/// scorecards are skipped rather than held: this process's memory stays small, and with it
/// what a child spawned later inherits).
#[derive(serde::Deserialize)]
struct ScoreJson {
    groups: Vec<GroupJson>,
}

#[derive(serde::Deserialize)]
struct GroupJson {
    id: String,
    units: Vec<UnitJson>,
}

#[derive(serde::Deserialize)]
struct UnitJson {
    id: String,
    total: String,
    rank: u64,
}

fn jingbiao_table(json: &Path) -> Table {
    let file = std::io::BufReader::new(std::fs::File::open(json).unwrap());
    let v: ScoreJson = serde_json::from_reader(file).expect("groups, units, totals and ranks");
    let mut t = Table::new();
    for g in v.groups {
        for u in g.units {
            t.insert(u.id, (g.id.clone(), u.total.parse().unwrap(), u.rank));
        }
    }
    t
}

fn pandas_table(csv_path: &Path) -> Table {
    let mut t = Table::new();
    let mut reader = csv::Reader::from_path(csv_path).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["group", "unit", "points", "rank"]
    );
    for r in reader.records() {
        let r = r.unwrap();
        t.insert(
            r[1].to_string(),
            (
                r[0].to_string(),
                r[2].parse().unwrap(),
                r[3].parse().unwrap(),
            ),
        );
    }
    t
}

/// Every unit's group, total and rank equal, or a panic naming the first differences.
fn agree(ours: &Table, pandas: &Table) -> usize {
    let mut diffs = Vec::new();
    for (unit, p) in pandas {
        match ours.get(unit) {
            Some(o) if o == p => {}
            Some(o) => diffs.push(format!(
                "{unit}: jingbiao {} total {} rank {}, pandas {} total {} rank {}",
                o.0, o.1, o.2, p.0, p.1, p.2
            )),
            None => diffs.push(format!("{unit}: in pandas' table, not in jingbiao's")),
        }
    }
    for unit in ours.keys().filter(|u| !pandas.contains_key(*u)) {
        diffs.push(format!("{unit}: in jingbiao's table, not in pandas'"));
    }
    assert!(
        diffs.is_empty(),
        "jingbiao and pandas_published.py disagree on {} of {} units; the first:\n{}",
        diffs.len(),
        pandas.len(),
        diffs
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    pandas.len()
}

/// One measured figure: median wall time and peak memory in kB.
#[derive(Clone, Copy)]
struct Figure {
    wall: Duration,
    peak_kb: u64,
}

/// What the peer section measured, for the ratios of the other figures.
struct Peer {
    floor: Figure,
    pandas: Option<Figure>,
}

impl Peer {
    /// `× pandas, × floor` of a wall time.
    fn ratios(&self, wall: Duration) -> String {
        let pandas = self.pandas.map_or("pandas n/a".into(), |p| {
            format!("{:.2} × pandas", wall.as_secs_f64() / p.wall.as_secs_f64())
        });
        format!(
            "{pandas}, {:.2} × the floor",
            wall.as_secs_f64() / self.floor.wall.as_secs_f64()
        )
    }
}

fn mb(kb: u64) -> String {
    format!("{:.0} MB", kb as f64 / 1024.0)
}

fn times(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.2}", a / b)
    } else {
        "n/a".into()
    }
}

/// The pandas peer: gen.py's national CSV converted into a campaign, jingbiao's totals and
/// ranks checked against pandas_published.py's for every unit, then the floor (a `csv` parse),
/// pandas and jingbiao timed in the same run. `None` where Python or the scripts are absent.
fn peer(r: &mut Report) -> Option<Peer> {
    r.line("\n## The pandas peer (../shared/bench: gen.py 2844 100, pandas_published.py)\n".into());
    let scripts = shared_bench();
    if !scripts.join("gen.py").is_file() || !scripts.join("pandas_published.py").is_file() {
        r.line(format!(
            "- skipped: {} has no gen.py and pandas_published.py",
            scripts.display()
        ));
        return None;
    }
    let (python, pandas) = python_with_pandas();
    if !python {
        r.line("- skipped: python3 is not found, so gen.py cannot write the peer's data (install Python 3 and pandas to compare with pandas)".into());
        return None;
    }
    if let Err(why) = &pandas {
        r.line(format!("- the pandas comparison is skipped: {why}; install it with `python3 -m pip install pandas` (add --break-system-packages in an externally managed environment)"));
    }

    // The data: gen.py's long CSV, converted into 12 monthly periods (month 1 is the CSV).
    let csv_path = bench_dir().join("peer.csv");
    std::fs::create_dir_all(bench_dir()).unwrap();
    let status = Command::new("python3")
        .arg(scripts.join("gen.py"))
        .args([NATIONAL_UNITS.to_string(), INDICATORS.to_string()])
        .arg(&csv_path)
        .status()
        .expect("python3 runs gen.py");
    assert!(status.success(), "gen.py failed");
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let dir = bench_dir().join("peer");
    let _ = std::fs::remove_dir_all(&dir);
    let files = jingbiao::gen::from_long_csv(&text, 12).unwrap_or_else(|e| panic!("{e}"));
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let n = text.lines().count() - 1;
    drop(text);
    let csv_size = std::fs::metadata(&csv_path).unwrap().len();
    let input = size(&dir.join("rules")) + size(&dir.join("scenarios/peer/2023-01"));
    let input12 = size(&dir);

    let json = bench_dir().join("peer.json");
    let score_args: Vec<String> = [
        "score",
        "rules/peer",
        "scenarios/peer",
        "--period",
        "2023-01",
        "--format",
        "json",
        "--out",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([json.to_str().unwrap().to_string()])
    .collect();
    let score_args: Vec<&str> = score_args.iter().map(String::as_str).collect();
    let pandas_out = bench_dir().join("peer-pandas.csv");
    let pandas_cmd = || {
        let mut cmd = Command::new("python3");
        cmd.args(["-c", PEAK_WRAPPER])
            .arg(scripts.join("pandas_published.py"))
            .arg(&csv_path)
            .arg(&pandas_out);
        cmd
    };

    // Same totals and ranks as pandas, for every unit.
    run_binary(&score_args, &dir, 1, None);
    if pandas.is_ok() {
        run_command(1, pandas_cmd);
        let agreed = agree(&jingbiao_table(&json), &pandas_table(&pandas_out));
        r.line(format!(
            "- totals and ranks agree with pandas_published.py for {agreed}/{agreed} units ({n} cells)"
        ));
    }

    // The floor: in-process for the time, in a child process (this bench) for the memory.
    let (fmed, flo, fhi) = sample(2, 9, || {
        std::hint::black_box(parse_floor(&csv_path));
    });
    let out = Command::new(std::env::current_exe().unwrap())
        .arg("peer-floor")
        .arg(&csv_path)
        .output()
        .unwrap();
    let fpeak = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| {
            l.strip_prefix("peak-rss-kb: ")
                .and_then(|v| v.trim().parse().ok())
        })
        .unwrap_or(0);
    let floor = Figure {
        wall: fmed,
        peak_kb: fpeak,
    };
    let pandas_fig = pandas.is_ok().then(|| {
        let (med, lo, hi, peak) = run_command(5, pandas_cmd);
        (med, lo, hi, peak)
    });
    let (jmed, jlo, jhi, jpeak) = run_binary(&score_args, &dir, 5, None);
    let (tmed, tlo, thi, tpeak) = run_binary(
        &[
            "warnings",
            "rules/peer",
            "scenarios/peer",
            "--format",
            "json",
            "--out",
            json.to_str().unwrap(),
        ],
        &dir,
        3,
        None,
    );
    let _ = std::fs::remove_file(&json);
    let peer = Peer {
        floor,
        pandas: pandas_fig.map(|(wall, _, _, peak_kb)| Figure { wall, peak_kb }),
    };

    r.line(format!(
        "\n{n} cells, a {:.1} MB CSV; the campaign's files for one period {:.1} MB, for 12 periods {:.1} MB. Medians (min–max):\n",
        csv_size as f64 / 1e6,
        input as f64 / 1e6,
        input12 as f64 / 1e6
    ));
    r.line("| | wall | × pandas | × floor | peak memory | × pandas | × floor |".into());
    r.line("|---|---:|---:|---:|---:|---:|---:|".into());
    let pw = peer.pandas.map_or(0.0, |p| p.wall.as_secs_f64());
    let pm = peer.pandas.map_or(0.0, |p| p.peak_kb as f64);
    let fw = floor.wall.as_secs_f64();
    let fm = floor.peak_kb as f64;
    let mut row = |what: &str, med: Duration, lo: Duration, hi: Duration, peak: u64| {
        r.line(format!(
            "| {what} | {} ({}–{}) | {} | {} | {} | {} | {} |",
            ms(med),
            ms(lo),
            ms(hi),
            times(med.as_secs_f64(), pw),
            times(med.as_secs_f64(), fw),
            mb(peak),
            times(peak as f64, pm),
            times(peak as f64, fm),
        ));
    };
    row(
        "the floor: the CSV parsed into numbers with the `csv` crate",
        fmed,
        flo,
        fhi,
        fpeak,
    );
    if let Some((med, lo, hi, peak)) = pandas_fig {
        row("`pandas_published.py`", med, lo, hi, peak);
    }
    row(
        "`jingbiao score --format json --out`, one period",
        jmed,
        jlo,
        jhi,
        jpeak,
    );
    row(
        "12 monthly periods, movement and the warning loop (`warnings`)",
        tmed,
        tlo,
        thi,
        tpeak,
    );
    let verdict = |ok: bool| if ok { "met" } else { "missed" };
    let j = jmed.as_secs_f64();
    let mut targets = Vec::new();
    if pw > 0.0 {
        targets.push(format!(
            "one period ≤ 0.5 × pandas: {:.2} ({})",
            j / pw,
            verdict(j <= 0.5 * pw)
        ));
    }
    targets.push(format!(
        "≤ 3 × the floor: {:.2} ({})",
        j / fw,
        verdict(j <= 3.0 * fw)
    ));
    let cap = 3.0 * input as f64 / 1e6 + 64.0;
    let jmb = jpeak as f64 / 1024.0;
    targets.push(format!(
        "peak ≤ 3 × input + 64 MB = {cap:.0} MB: {jmb:.0} MB ({})",
        verdict(jmb <= cap)
    ));
    targets.push(format!(
        "12 periods ≤ 12 × one period: {:.2} × ({})",
        tmed.as_secs_f64() / j,
        verdict(tmed.as_secs_f64() <= 12.0 * j)
    ));
    targets.push(format!(
        "12 periods' peak ≤ 1.5 × one period's: {:.2} × ({})",
        tpeak as f64 / jpeak.max(1) as f64,
        verdict(tpeak as f64 <= 1.5 * jpeak as f64)
    ));
    r.line(format!("\nTargets: {}.", targets.join("; ")));
    Some(peer)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // The floor's memory, measured in a process of its own: this bench run as a child.
    if args.get(1).map(String::as_str) == Some("peer-floor") {
        std::hint::black_box(parse_floor(Path::new(&args[2])));
        println!("peak-rss-kb: {}", own_peak_kb());
        return;
    }
    if args.get(1).map(String::as_str) == Some("profile-eval") {
        let builtin = match args.get(2).map(String::as_str) {
            Some("script") => campaign("script", spec(NATIONAL_UNITS, 1, Methods::Script)),
            _ => campaign("builtin", spec(NATIONAL_UNITS, 1, Methods::Builtin)),
        };
        let (loaded, data, sources) = load(&builtin);
        let (med, lo, _) = sample(3, 40, || {
            jingbiao::evaluate::evaluate_facts(&loaded.campaign, &data, &loaded.scripts, &sources)
                .unwrap();
        });
        println!("evaluate_facts: median {} min {}", ms(med), ms(lo));
        return;
    }
    let quick = args.iter().any(|a| a == "quick");
    let mut r = Report(String::new());
    r.line(format!(
        "# jingbiao benchmarks ({} cores)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    ));

    // 0. The pandas peer, first: the other end-to-end figures are given as ratios to it.
    // (`-- eval` runs only the in-process evaluation figures, 1 and 2.)
    let only_eval = args.iter().any(|a| a == "eval");
    let peer = if only_eval { None } else { peer(&mut r) };
    let ratios = |d: Duration| {
        peer.as_ref()
            .map_or(String::new(), |p| format!(" ({})", p.ratios(d)))
    };
    if args.iter().any(|a| a == "peer") {
        std::fs::write(bench_dir().join("report.md"), &r.0).unwrap();
        return;
    }
    r.line("\n## jingbiao's own workloads (`jingbiao gen`) and baselines\n".into());

    // 1. Built-in methods, in-process: evaluate() of a national campaign with no scripts.
    let builtin = campaign("builtin", spec(NATIONAL_UNITS, 1, Methods::Builtin));
    let (loaded, data, sources) = load(&builtin);
    let n = cells(&loaded);
    let (med, lo, hi) = sample(2, 9, || {
        jingbiao::evaluate::evaluate_facts(&loaded.campaign, &data, &loaded.scripts, &sources)
            .unwrap();
    });
    let (nmed, ..) = sample(2, 9, || {
        jingbiao::evaluate::evaluate(&loaded.campaign, &data, &loaded.scripts, &sources).unwrap();
    });
    let (rmed, ..) = sample(2, 9, || {
        std::hint::black_box(plain_rust(&loaded, &data));
    });
    r.line(format!(
        "- built-in methods, evaluation alone (`evaluate_facts`, {n} cells: scores, ranks, totals, tiers, warnings as facts): {} (min {}, max {}) = {} (target ≥ 20 M cells/s); with the named view reports read (`evaluate`): {} = {}; plain Rust loop on the same arithmetic: {} = {}; ratio {:.3}",
        ms(med), ms(lo), ms(hi), mcells(rate(n, med)), ms(nmed), mcells(rate(n, nmed)), ms(rmed), mcells(rate(n, rmed)), rate(n, med) / rate(n, rmed)
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
    if only_eval {
        return;
    }

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
        "- national end to end, one period ({n} cells, {:.1} MB of input): {}{} (min {}, max {}) = {}; peak memory {:.0} MB (target: 3 × input + 64 MB = {:.0} MB)",
        input as f64 / 1e6, ms(med), ratios(med), ms(lo), ms(hi), mcells(rate(n, med)), peak as f64 / 1024.0, 3.0 * input as f64 / 1e6 + 64.0
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
        r.line(format!(
            "  - with {threads} thread(s): {}{}",
            ms(med),
            ratios(med)
        ));
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
        "- national, 12 monthly periods with movement and the warning loop ({} cells, {:.1} MB of input): {}{} (min {}, max {}) = {}; peak memory {:.0} MB (target {:.0} MB)",
        12 * n, input12 as f64 / 1e6, ms(med), ratios(med), ms(lo), ms(hi), mcells(rate(12 * n, med)), peak as f64 / 1024.0, 3.0 * input12 as f64 / 1e6 + 64.0
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
