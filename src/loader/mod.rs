//! The loader: the only part of jingbiao that reads files. It turns a campaign folder into a
//! validated [`Campaign`] with compiled [`Scripts`], and a period folder into [`PeriodData`],
//! reporting every problem it finds as a [`Diagnostic`] pointing into the file.
//!
//! ```text
//! rules/NAME/campaign.toml  units.csv  indicators.toml  targets.csv  scripts/*.rhai
//! scenarios/NAME/PERIOD/metrics.csv  events.csv
//! ```

pub mod csv_table;
mod encoding;
mod folder;
pub mod fuzz;
mod ids;
pub mod input;
mod inside;
mod items;
pub mod limits;
mod plausible;
mod rules;
pub use rules::parse_toml;
pub mod schema;
mod submissions;
pub mod value;

use std::path::{Path, PathBuf};

use crate::campaign::Campaign;
use crate::data::PeriodData;
use crate::diag::{Diagnostic, FileId, Kind, Sources};
use crate::period::Period;
use crate::publish::Published;
use crate::script::Scripts;

/// A loaded campaign: its rules and compiled scripts.
pub struct Loaded {
    pub campaign: Campaign,
    pub scripts: Scripts,
    /// The campaign folder.
    pub dir: PathBuf,
    /// The rule files, labelled by their path in the campaign folder, for fingerprints.
    pub rule_files: Vec<(String, FileId)>,
    /// Every input file read, to refuse writing output over one.
    pub inputs: Vec<PathBuf>,
    /// The text encoding of the data files, as campaign.toml declares (or detected).
    pub encoding: input::Encoding,
    /// campaign.toml's `ignore`: files and folders left alone without a word.
    pub ignore: Vec<String>,
    /// Warnings met while reading (files there but not read), for the command to show.
    pub notes: Vec<Diagnostic>,
    /// Folders already looked through for files not read (each is reported once).
    scanned: Vec<PathBuf>,
    /// The period `publish --force` replaces: its published file is not read.
    pub replacing: Option<Period>,
}

/// Loads and validates a campaign folder. All problems found are returned together.
pub fn load_rules(dir: &Path, sources: &mut Sources) -> Result<Loaded, Vec<Diagnostic>> {
    // Not `is_file`: a campaign.toml that is there but not a regular file is refused, and
    // said so, where it is read.
    if !dir.join("campaign.toml").exists() {
        let what = if dir.is_dir() {
            "is not a campaign folder: it has no campaign.toml"
        } else {
            "does not exist"
        };
        return Err(vec![Diagnostic::error(Kind::Io, format!("`{}` {what}", dir.display()))
        .help("name the folder that holds campaign.toml, units.csv, indicators.toml and targets.csv, e.g. rules/zhanjiang-2023")]);
    }
    let mut inputs = Vec::new();
    let mut rule_files = Vec::new();
    // campaign.toml first: it may declare the encoding of the tables.
    let mut encoding = input::Encoding::Auto;
    let mut ignore = Vec::new();
    let mut read = |name: &str, required: bool| -> Result<Option<FileId>, Diagnostic> {
        let (path, id) = match name.strip_suffix(".csv") {
            Some(table) => {
                let Some(path) = input::find(dir, table)? else {
                    if required {
                        return input::read(&dir.join(name), table, encoding, sources).map(Some);
                    }
                    return Ok(None);
                };
                inside::check(dir, &path)?;
                let id = input::read(&path, table, encoding, sources)?;
                (path, id)
            }
            None => {
                let path = dir.join(name);
                if !required && !path.exists() {
                    return Ok(None);
                }
                inside::check(dir, &path)?;
                let id = read_file(&path, sources)?;
                if name == "campaign.toml" {
                    encoding = declared_encoding(sources.text(id));
                    ignore = declared_ignore(sources.text(id));
                }
                (path, id)
            }
        };
        let label = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        inputs.push(path);
        rule_files.push((label, id));
        Ok(Some(id))
    };
    let mut errors = Vec::new();
    let mut files = Vec::new();
    for (name, required) in [
        ("campaign.toml", true),
        ("units.csv", true),
        ("indicators.toml", true),
        ("targets.csv", false),
        ("items.csv", false),
    ] {
        match read(name, required) {
            Ok(f) => files.push(f),
            Err(e) => {
                errors.push(e);
                files.push(None);
            }
        }
    }
    let mut script_files = Vec::new();
    let script_dir = dir.join("scripts");
    if let Err(e) = inside::check(dir, &script_dir) {
        errors.push(e);
    } else if script_dir.is_dir() {
        match list(&script_dir, |p| p.extension().is_some_and(|e| e == "rhai")) {
            Ok(paths) => {
                for p in paths {
                    let rel = format!(
                        "scripts/{}",
                        p.file_name().unwrap_or_default().to_string_lossy()
                    );
                    match read(&rel, true) {
                        Ok(Some(f)) => script_files.push(f),
                        Ok(None) => {}
                        Err(e) => errors.push(e),
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
    let mut notes = Vec::new();
    scan_campaign_folder(dir, &ignore, &mut errors, &mut notes);
    if !errors.is_empty() {
        return Err(errors);
    }
    let (campaign, scripts) = rules::build(
        sources,
        rules::Files {
            campaign: files[0].expect("required"),
            units: files[1].expect("required"),
            indicators: files[2].expect("required"),
            targets: files[3],
            items: files[4],
            scripts: script_files,
        },
    )?;
    Ok(Loaded {
        campaign,
        scripts,
        dir: dir.to_path_buf(),
        rule_files,
        inputs,
        encoding,
        ignore,
        notes,
        scanned: Vec::new(),
        replacing: None,
    })
}

/// campaign.toml's `ignore`, read before the rest of it like `encoding`.
fn declared_ignore(text: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Only {
        ignore: Option<Vec<String>>,
    }
    toml::from_str::<Only>(text)
        .ok()
        .and_then(|o| o.ignore)
        .unwrap_or_default()
}

/// Files of the campaign folder that look like rules and are not read are errors (a
/// `targets.xls`, a `units (1).csv`, a script saved as `fdi.rhai.txt`); others are listed in
/// a warning. `published/` is checked by `check`, `tests/` by `jingbiao test`.
fn scan_campaign_folder(
    dir: &Path,
    ignore: &[String],
    errors: &mut Vec<Diagnostic>,
    notes: &mut Vec<Diagnostic>,
) {
    let reads = |rel: &str| {
        matches!(
            rel,
            "campaign.toml"
                | "indicators.toml"
                | "units.csv"
                | "units.xlsx"
                | "targets.csv"
                | "targets.xlsx"
                | "items.csv"
                | "items.xlsx"
        ) || rel
            .strip_prefix("scripts/")
            .is_some_and(|f| !f.contains('/') && f.ends_with(".rhai"))
    };
    let f = folder::Folder {
        what: "the campaign folder",
        holds: "a campaign folder's tables are units, targets and items (.csv or .xlsx), beside campaign.toml and indicators.toml",
        tables: &["units", "targets", "items"],
        reads: &reads,
        skip: &["published", "tests"],
        recurse: true,
    };
    let found = folder::scan(dir, &f, ignore);
    errors.extend(found.errors);
    notes.extend(folder::unread_note(
        &format!("{}/", dir.display()),
        &found.unread,
    ));
}

/// The `encoding` campaign.toml declares, read before the rest of it (the whole file is
/// checked later, with the rules: a wrong value is reported there).
fn declared_encoding(text: &str) -> input::Encoding {
    #[derive(serde::Deserialize)]
    struct Only {
        encoding: Option<input::Encoding>,
    }
    toml::from_str::<Only>(text)
        .ok()
        .and_then(|o| o.encoding)
        .unwrap_or_default()
}

/// The period folders of a data folder, in time order.
pub fn list_periods(data: &Path, campaign: &Campaign) -> Result<Vec<Period>, Diagnostic> {
    let dirs = list(data, |p| p.is_dir())?;
    let mut periods = Vec::new();
    for d in dirs {
        let name = d
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if name.starts_with('.') {
            continue;
        }
        match Period::parse(&name, campaign.period_kind) {
            Ok(p) if p.to_string() == name && !campaign.covers(p) => {
                return Err(Diagnostic::error(
                    Kind::Period,
                    format!("`{}` holds data for {p}, outside the campaign ({} to {})", d.display(), campaign.first_period, campaign.last_period()),
                )
                .help("set `from` in campaign.toml to the first period with data, or move the folder elsewhere"))
            }
            Ok(p) if p.to_string() == name => periods.push(p),
            Ok(p) => {
                return Err(Diagnostic::error(
                    Kind::Period,
                    format!("the period folder `{}` is not named as jingbiao writes periods", d.display()),
                )
                .help(format!("rename it to `{p}`")))
            }
            Err(msg) => {
                return Err(Diagnostic::error(
                    Kind::Period,
                    format!("`{}` is not a period folder: {msg}", d.display()),
                )
                .help("name each folder of the data folder after its period, or move other folders elsewhere"))
            }
        }
    }
    periods.sort();
    Ok(periods)
}

/// Loads one period's submissions.
pub fn load_period(
    data: &Path,
    period: Period,
    loaded: &mut Loaded,
    sources: &mut Sources,
) -> Result<PeriodData, Vec<Diagnostic>> {
    let files = read_period(data, period, loaded, sources)?;
    build_period(sources, &loaded.campaign, files)
}

/// A period's files, read into [`Sources`] and not yet parsed.
pub struct PeriodFiles {
    pub period: Period,
    metrics: Vec<FileId>,
    events: Option<FileId>,
    progress: Option<FileId>,
    /// The period folder as shown in messages.
    shown: String,
    files: Vec<(String, FileId)>,
}

/// Parses a period's files (no I/O; periods can be parsed side by side).
pub fn build_period(
    sources: &Sources,
    campaign: &Campaign,
    f: PeriodFiles,
) -> Result<PeriodData, Vec<Diagnostic>> {
    let mut data = submissions::build(
        sources, campaign, f.period, &f.metrics, f.events, f.progress, &f.shown,
    )?;
    data.files = f.files;
    Ok(data)
}

/// Reads a period's files: metrics (a file or a folder of them), events and progress.
pub fn read_period(
    data: &Path,
    period: Period,
    loaded: &mut Loaded,
    sources: &mut Sources,
) -> Result<PeriodFiles, Vec<Diagnostic>> {
    let c = &loaded.campaign;
    if !c.covers(period) {
        return Err(vec![Diagnostic::error(
            Kind::Period,
            format!("{period} is outside the campaign, which runs from {} to {}", c.first_period, c.last_period()),
        )
        .help("choose a period of the campaign, or set `from` in campaign.toml to an earlier first period")]);
    }
    let dir = data.join(period.to_string());
    if !dir.is_dir() {
        let have = list_periods(data, &loaded.campaign)
            .map(|ps| {
                ps.iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        return Err(vec![Diagnostic::error(
            Kind::Period,
            format!(
                "there is no data for {period}: `{}` does not exist",
                dir.display()
            ),
        )
        .help(if have.is_empty() {
            format!("put the period's metrics.csv in {}", dir.display())
        } else {
            format!("periods with data: {have}")
        })]);
    }
    scan_data_folder(data, loaded).map_err(|e| vec![e])?;
    let found = scan_period_folder(&dir, &loaded.ignore);
    if !found.errors.is_empty() {
        return Err(found.errors);
    }
    if !loaded.scanned.contains(&dir) {
        loaded.notes.extend(folder::unread_note(
            &format!("{}/", dir.display()),
            &found.unread,
        ));
        loaded.scanned.push(dir.clone());
    }
    let mut files = Vec::new();
    let encoding = loaded.encoding;
    let mut read_one = |path: PathBuf, table: &str| -> Result<FileId, Vec<Diagnostic>> {
        let f = input::read(&path, table, encoding, sources).map_err(|e| vec![e])?;
        let label = path
            .strip_prefix(&dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        loaded.inputs.push(path);
        files.push((label, f));
        Ok(f)
    };
    // metrics: one file, or a folder of them (e.g. the units' filled-in workbooks).
    let folder = dir.join("metrics");
    let metrics = if folder.is_dir() {
        if input::find(&dir, "metrics").map_err(|e| vec![e])?.is_some() {
            return Err(vec![Diagnostic::error(
                Kind::Duplicate,
                format!(
                    "`{}` holds both a metrics file and a metrics folder",
                    dir.display()
                ),
            )
            .help("keep one: the metrics file, or the folder of the units' files")]);
        }
        let paths = list(&folder, |p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            // Not hidden files, nor the lock files Excel and WPS leave beside an open workbook.
            !name.starts_with(['.', '~'])
                && p.extension().is_some_and(|e| {
                    e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("xlsx")
                })
        })
        .map_err(|e| vec![e])?;
        if paths.is_empty() {
            return Err(vec![Diagnostic::error(
                Kind::Period,
                format!("`{}` holds no .csv or .xlsx file", folder.display()),
            )
            .help(
                "put the units' filled-in workbooks (or CSV files) in the folder",
            )]);
        }
        let mut ids = Vec::new();
        let mut errors = Vec::new();
        for p in paths {
            match read_one(p, "metrics") {
                Ok(f) => ids.push(f),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        ids
    } else {
        let path = input::find(&dir, "metrics")
            .map_err(|e| vec![e])?
            .unwrap_or_else(|| dir.join("metrics.csv"));
        vec![read_one(path, "metrics")?]
    };
    let mut optional = |table: &str| -> Result<Option<FileId>, Vec<Diagnostic>> {
        match input::find(&dir, table).map_err(|e| vec![e])? {
            Some(path) => read_one(path, table).map(Some),
            None => Ok(None),
        }
    };
    let events = optional("events")?;
    let progress = optional("progress")?;
    let shown = format!("{}/", dir.display());
    Ok(PeriodFiles {
        period,
        metrics,
        events,
        progress,
        shown,
        files,
    })
}

/// A period folder's files not read (see [`folder`]): what it reads is `metrics`, `events`
/// and `progress` as .csv or .xlsx, and the .csv and .xlsx files of its `metrics/` folder.
fn scan_period_folder(dir: &Path, ignore: &[String]) -> folder::Scan {
    let reads = |rel: &str| match rel.split_once('/') {
        None => matches!(
            rel,
            "metrics.csv"
                | "metrics.xlsx"
                | "events.csv"
                | "events.xlsx"
                | "progress.csv"
                | "progress.xlsx"
        ),
        Some(("metrics", f)) => {
            let lower = f.to_lowercase();
            !f.contains('/')
                && !f.starts_with(['.', '~'])
                && (lower.ends_with(".csv") || lower.ends_with(".xlsx"))
        }
        Some(_) => false,
    };
    let f = folder::Folder {
        what: "the period folder",
        holds: "a period folder's tables are metrics, events and progress (.csv or .xlsx; the units' own workbooks may go in its metrics/ folder)",
        tables: &["metrics", "events", "progress"],
        reads: &reads,
        skip: &[],
        recurse: true,
    };
    folder::scan(dir, &f, ignore)
}

/// The data folder's own files (beside the period folders): a workbook or table left there
/// is not read, and is an error; anything else is left alone. Looked at once a run.
fn scan_data_folder(data: &Path, loaded: &mut Loaded) -> Result<(), Diagnostic> {
    if loaded.scanned.iter().any(|p| p == data) {
        return Ok(());
    }
    loaded.scanned.push(data.to_path_buf());
    let f = folder::Folder {
        what: "a period folder",
        holds: "a data folder holds a folder per period (e.g. 2023-Q2/), each with its metrics, events and progress (.csv or .xlsx)",
        tables: &["metrics", "events", "progress"],
        reads: &|_| false,
        skip: &[],
        recurse: false,
    };
    let found = folder::scan(data, &f, &loaded.ignore);
    match found.errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The campaign's rule tests, `tests/*.toml` in the campaign folder, in name order.
pub fn read_tests(
    loaded: &mut Loaded,
    sources: &mut Sources,
) -> Result<Vec<FileId>, Vec<Diagnostic>> {
    let dir = loaded.dir.join("tests");
    if !dir.is_dir() {
        return Err(vec![Diagnostic::error(
            Kind::Io,
            format!("`{}` has no rule tests", loaded.dir.display()),
        )
        .help(format!(
            "write tests as TOML files in {}: name, period and [[expect]] tables (see the README)",
            dir.display()
        ))]);
    }
    let mut files = Vec::new();
    for path in list(&dir, |p| p.extension().is_some_and(|e| e == "toml")).map_err(|e| vec![e])? {
        inside::check(&loaded.dir, &path).map_err(|e| vec![e])?;
        files.push(read_file(&path, sources).map_err(|e| vec![e])?);
        loaded.inputs.push(path);
    }
    Ok(files)
}

/// Where a period's published results are kept: `rules/NAME/published/PERIOD.json`.
pub fn published_path(loaded: &Loaded, period: Period) -> PathBuf {
    loaded.dir.join("published").join(format!("{period}.json"))
}

/// A period's published results, if it was published: read, checked (format, fingerprint of
/// the facts) and resolved against the current campaign by [`Published::parse`].
pub fn read_published(
    loaded: &mut Loaded,
    period: Period,
    sources: &mut Sources,
) -> Result<Option<Published>, Diagnostic> {
    let path = published_path(loaded, period);
    if !path.exists() || loaded.replacing == Some(period) {
        return Ok(None);
    }
    inside::check(&loaded.dir, &path)?;
    let file = read_file(&path, sources)?;
    loaded.inputs.push(path);
    Published::parse(sources, file).map(Some)
}

/// Every file of the campaign's `published/` folder checked, for `check`: each `PERIOD.json`
/// read and verified (format, fingerprint, period against its name); another `.json` file
/// there is an error (it is never read); other files are listed in a warning.
pub fn check_published(loaded: &mut Loaded, sources: &mut Sources) -> Vec<Diagnostic> {
    let dir = loaded.dir.join("published");
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut errors = Vec::new();
    let mut unread = Vec::new();
    let paths = match list(&dir, |p| !p.is_dir()) {
        Ok(p) => p,
        Err(e) => return vec![e],
    };
    for path in paths {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if name.starts_with('.') || folder::ignored(&loaded.ignore, &name, &name) {
            continue;
        }
        let Some(stem) = name.strip_suffix(".json") else {
            unread.push(name);
            continue;
        };
        let period = Period::parse(stem, loaded.campaign.period_kind)
            .ok()
            .filter(|p| p.to_string() == stem && loaded.campaign.covers(*p));
        let Some(period) = period else {
            errors.push(
                Diagnostic::error(
                    Kind::Published,
                    format!("`{}` is not read: published results are named after a period of the campaign, e.g. {}.json", path.display(), loaded.campaign.first_period),
                )
                .help("publish a period with `jingbiao publish --period PERIOD`; move other copies out of published/"),
            );
            continue;
        };
        if let Err(e) = read_published(loaded, period, sources) {
            errors.push(e);
        }
    }
    loaded
        .notes
        .extend(folder::unread_note(&format!("{}/", dir.display()), &unread));
    errors
}

/// Is there a regular file (or a link to one) at `path`?
pub fn is_file(path: &Path) -> bool {
    path.is_file()
}

/// Reads a UTF-8 text file into `sources` (a byte-order mark is left out); a file that is not
/// UTF-8 is an error pointing at its first bad byte, and UTF-16 or mis-decoded text is an
/// error too ([`encoding`]).
pub(crate) fn read_file(path: &Path, sources: &mut Sources) -> Result<FileId, Diagnostic> {
    let bytes = limits::read_bytes(path)?;
    if let Some(e) = encoding::wide_text(&path.display().to_string(), &bytes) {
        return Err(e);
    }
    // A byte-order mark (Notepad writes one) is not part of the text.
    let bytes = match bytes.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let file = sources.add(path.display().to_string(), text);
            match encoding::mojibake(sources, file, encoding::Text::Utf8Only) {
                Some(e) => Err(e),
                None => Ok(file),
            }
        }
        Err(e) => {
            // Register the file as far as it reads, to point at the first bad byte.
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let file = sources.add(path.display().to_string(), text);
            let end = at
                + sources.text(file)[at..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
            Err(
                Diagnostic::error(Kind::Io, format!("`{}` is not UTF-8 text", path.display()))
                    .at(file, at..end, "this byte is not UTF-8")
                    .help("save the file as UTF-8 (in Excel: 另存为 → CSV UTF-8 (逗号分隔))"),
            )
        }
    }
}

/// An unknown id, with the closest known one if any is close. `where_` says where the known
/// ids are defined. (Here rather than in `rules`, so that `items` need not import `rules`,
/// which reads items; `rules` and `submissions` still have their own copy until it is split.)
fn unknown_id<'c>(
    file: FileId,
    id: &str,
    span: std::ops::Range<usize>,
    what: &str,
    known: impl Iterator<Item = &'c str>,
    where_: &str,
) -> Diagnostic {
    let hint = match crate::diag::did_you_mean(id, known) {
        Some(s) => format!("did you mean `{s}`? ({where_})"),
        None => where_.to_string(),
    };
    Diagnostic::error(Kind::Reference, format!("unknown {what} `{id}`"))
        .at(file, span, format!("no {what} has this id"))
        .help(hint)
}

/// Is `path` a folder? (For commands that use a default folder only when it is there.)
pub(crate) fn is_folder(path: &Path) -> bool {
    path.is_dir()
}

/// `path` made absolute with symbolic links resolved, or as given if that fails (e.g. it
/// does not exist).
pub(crate) fn absolute(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// The process's peak resident memory in kB, from `/proc/self/status` (Linux only), for the
/// benchmarks.
pub(crate) fn peak_rss_kb() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .map(|kb| kb.trim().trim_end_matches(" kB").to_string())
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Entries of a folder that pass `keep`, sorted by name so that runs are deterministic.
fn list(dir: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<PathBuf>, Diagnostic> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostic::error(
            Kind::Io,
            format!(
                "cannot read the folder `{}`: {}",
                dir.display(),
                io_reason(&e)
            ),
        )
        .help("check the path")
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| keep(p))
        .collect();
    paths.sort();
    Ok(paths)
}

/// The names of the sub-folders of `dir` that hold a file `name`, sorted: for example the
/// period folders of a composite index's data folder, each with its data.csv.
pub fn folders_holding(dir: &Path, name: &str) -> Result<Vec<String>, Diagnostic> {
    let paths = list(dir, |p| p.join(name).is_file())?;
    Ok(paths
        .iter()
        .map(|p| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect())
}
