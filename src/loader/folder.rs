//! Files there but not read. A unit's workbook saved as `.xls`, left in a sub-folder, named
//! `metrics (1).csv` or still open in Excel (its `~$…` lock file beside it) would otherwise
//! be passed over without a word, and the unit shown as 未报送 with 0 points.
//!
//! [`scan`] walks a folder jingbiao reads (a period folder, the campaign folder, the data
//! folder) and sorts what it does not read:
//!
//! - an **error** for what looks like a submission or a rule table: an editor's lock file,
//!   a spreadsheet or table in a format not read (`.xls`, `.et`, `.xlsm`, `.ods`,
//!   `.numbers`…), an archive, a `.csv` or `.xlsx` file under a name not read or in a
//!   sub-folder, any file named after a table (`metrics.txt`);
//! - a **warning** listing everything else (a `.docx` notice, a `.pdf` scan, backups);
//! - nothing for hidden and system files, and for what campaign.toml's `ignore` names.

use std::path::Path;

use crate::diag::{did_you_mean, Diagnostic, Kind, Severity};

/// A folder as jingbiao reads it.
pub struct Folder<'a> {
    /// What the folder is, for messages: "the period folder".
    pub what: &'a str,
    /// What it holds, for messages: "a period folder's tables are …".
    pub holds: &'a str,
    /// The logical tables read from it as `NAME.csv` or `NAME.xlsx` (`metrics`).
    pub tables: &'a [&'a str],
    /// Whether a file, by its path in the folder (`/`-separated), is read.
    pub reads: &'a dyn Fn(&str) -> bool,
    /// Sub-folders that are read by rules of their own, not looked into here.
    pub skip: &'a [&'a str],
    /// Look into sub-folders at all (the data folder: its sub-folders are the periods).
    pub recurse: bool,
}

/// What [`scan`] found.
#[derive(Default)]
pub struct Scan {
    pub errors: Vec<Diagnostic>,
    /// Other files not read, by their path in the folder.
    pub unread: Vec<String>,
}

/// Spreadsheets and tables in a format jingbiao does not read.
const UNREAD_FORMATS: &[&str] = &[
    "xls", "xlsm", "xlsb", "xlt", "xltx", "xltm", "et", "ett", "ods", "fods", "numbers", "dbf",
    "tsv",
];
const IGNORE_HELP: &str = "or list it under `ignore` in campaign.toml";
const ARCHIVES: &[&str] = &["zip", "rar", "7z"];
const BACKUPS: &[&str] = &["bak", "old", "orig", "tmp"];
/// Files the system leaves in folders.
const SYSTEM: &[&str] = &["thumbs.db", "desktop.ini", "__macosx"];

/// Does `pattern` (`*` any run of characters but `/`, `?` one character; ASCII letters in
/// either case) match `text`?
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Classic backtracking on the last `*`.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < t.len() {
        if i < p.len() && (p[i] == '?' && t[j] != '/' || p[i].eq_ignore_ascii_case(&t[j])) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star.filter(|&(_, sj)| t[sj] != '/') {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

/// Is a file or folder left alone by campaign.toml's `ignore`? A pattern matches its name or
/// its path in the folder scanned.
pub fn ignored(ignore: &[String], rel: &str, name: &str) -> bool {
    ignore.iter().any(|g| glob(g, name) || glob(g, rel))
}

/// Sorts what `dir` holds and `f` does not read (see the module docs).
pub fn scan(dir: &Path, f: &Folder, ignore: &[String]) -> Scan {
    let mut out = Scan::default();
    walk(dir, "", 0, f, ignore, &mut out);
    out
}

fn walk(dir: &Path, prefix: &str, depth: usize, f: &Folder, ignore: &[String], out: &mut Scan) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        let lower = name.to_lowercase();
        if ignored(ignore, &rel, &name) || SYSTEM.contains(&lower.as_str()) {
            continue;
        }
        let path = e.path();
        if path.is_dir() {
            // A linked folder is not walked: it may lead anywhere, even back here.
            if e.file_type().is_ok_and(|t| t.is_symlink()) {
                continue;
            }
            if f.recurse
                && !name.starts_with('.')
                && !(depth == 0 && f.skip.contains(&name.as_str()))
                && depth < 4
            {
                walk(&path, &format!("{rel}/"), depth + 1, f, ignore, out);
            }
            continue;
        }
        if (f.reads)(&rel) {
            continue;
        }
        if let Some(d) = classify(&path, &rel, &name, depth, f) {
            out.errors.push(d);
        } else if !name.starts_with('.') {
            out.unread.push(rel);
        }
    }
}

/// An error for a file not read that looks like a submission or a rule table, else `None`.
fn classify(path: &Path, rel: &str, name: &str, depth: usize, f: &Folder) -> Option<Diagnostic> {
    let shown = path.display();
    let lower = name.to_lowercase();
    let locked = name.strip_prefix("~$").or_else(|| {
        name.strip_prefix(".~lock.")
            .and_then(|n| n.strip_suffix('#'))
    });
    if let Some(open) = locked {
        return Some(
            Diagnostic::error(
                Kind::Io,
                format!("`{shown}` is the lock file Excel or WPS keeps while `{open}` is open"),
            )
            .help(format!(
                "figures still being typed in are not read: save and close `{open}`, then run again (if no one has it open, delete the lock file)"
            )),
        );
    }
    if name.starts_with('.') {
        return None;
    }
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    if lower.ends_with('~') || BACKUPS.contains(&ext) {
        return None;
    }
    // `metrics (1).csv` → `metrics`.
    let stem = lower.split('.').next().unwrap_or("");
    if lower.contains(".rhai") {
        return Some(
            Diagnostic::error(
                Kind::Io,
                format!("`{shown}` is not read: scripts are read from the campaign folder's scripts/, each named NAME.rhai"),
            )
            .help(format!("rename it to end in .rhai (Notepad may add .txt: choose 所有文件 (*.*) when saving) and put it in scripts/, {IGNORE_HELP}")),
        );
    }
    let tabular = matches!(ext, "csv" | "xlsx");
    // Any file named as a table (`metrics.txt`); a table file named after one (`metrics_v2.csv`).
    let table = f
        .tables
        .iter()
        .find(|t| stem == **t)
        .or_else(|| {
            f.tables
                .iter()
                .find(|t| (tabular || UNREAD_FORMATS.contains(&ext)) && stem.starts_with(**t))
        })
        .copied();
    if UNREAD_FORMATS.contains(&ext) {
        let target = match table {
            Some(t) => format!("{t}.xlsx"),
            None if rel.contains('/') => "an .xlsx workbook in the same folder".to_string(),
            None => format!("{}.xlsx", f.tables.join(".xlsx, ")),
        };
        return Some(
            Diagnostic::error(
                Kind::Io,
                format!("`{shown}` is not read: jingbiao reads .csv and .xlsx files, not .{ext}"),
            )
            .help(format!(
                "save it as an Excel workbook (另存为 → Excel 工作簿 (*.xlsx)): {target}, {IGNORE_HELP}"
            )),
        );
    }
    if ARCHIVES.contains(&ext) {
        return Some(
            Diagnostic::error(
                Kind::Io,
                format!("`{shown}` is an archive, which jingbiao does not open"),
            )
            .help(format!(
                "extract the files it holds where jingbiao reads them, {IGNORE_HELP}"
            )),
        );
    }
    if depth > 0 && (tabular || table.is_some()) {
        return Some(
            Diagnostic::error(
                Kind::Io,
                format!("`{shown}` is in a sub-folder, where jingbiao does not look"),
            )
            .help(format!(
                "{}; move it into {} itself, {IGNORE_HELP}",
                f.holds, f.what
            )),
        );
    }
    if tabular || table.is_some() {
        let hint = match table.or_else(|| did_you_mean(stem, f.tables.iter().copied())) {
            Some(t) => format!("rename it {t}.csv or {t}.xlsx (not both), "),
            None => String::new(),
        };
        return Some(
            Diagnostic::error(Kind::Io, format!("`{shown}` is not read: {}", f.holds))
                .help(format!("{hint}move it elsewhere, {IGNORE_HELP}")),
        );
    }
    None
}

/// A warning listing the files of `shown` not read, if any.
pub fn unread_note(shown: &str, unread: &[String]) -> Option<Diagnostic> {
    if unread.is_empty() {
        return None;
    }
    let mut d = Diagnostic::error(
        Kind::Io,
        format!(
            "`{shown}` holds files jingbiao does not read: {}",
            unread.join(", ")
        ),
    )
    .help("they are left alone; if one holds figures, put them in a table jingbiao reads; list the others under `ignore` in campaign.toml (e.g. `ignore = [\"*.pdf\"]`) to leave them out of this note");
    d.severity = Severity::Warning;
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("*.pdf", "扫描件.pdf"));
        assert!(glob("*.PDF", "a.pdf"));
        assert!(glob("说明.docx", "说明.docx"));
        assert!(glob("20??-Q?", "2023-Q1"));
        assert!(glob("附件/*", "附件/a.xlsx"));
        assert!(!glob("*.pdf", "附件/a.pdf"));
        assert!(!glob("*.pdf", "a.pdf.txt"));
        assert!(glob("*", "anything"));
        assert!(glob("a*b*c", "aXbYbZc"));
        assert!(!glob("a*b", "a/b"));
    }

    fn kind(name: &str, depth: usize) -> Option<String> {
        let f = Folder {
            what: "the period folder",
            holds: "a period folder's tables are metrics, events and progress",
            tables: &["metrics", "events", "progress"],
            reads: &|_| false,
            skip: &[],
            recurse: true,
        };
        let rel = if depth > 0 {
            format!("sub/{name}")
        } else {
            name.to_string()
        };
        classify(Path::new(&rel), &rel, name, depth, &f).map(|d| d.message)
    }

    #[test]
    fn what_looks_like_a_submission() {
        for (name, depth, says) in [
            ("metrics.xls", 0, "not .xls"),
            ("甲县.et", 0, "not .et"),
            ("metrics.xlsm", 0, "not .xlsm"),
            ("metrics.numbers", 0, "not .numbers"),
            ("~$metrics.xlsx", 0, "lock file"),
            (".~lock.metrics.csv#", 0, "lock file"),
            ("metrics (1).csv", 0, "tables are"),
            ("Metrics.CSV", 0, "tables are"),
            ("指标.csv", 0, "tables are"),
            ("metrics.txt", 0, "tables are"),
            ("fdi.rhai.txt", 1, "scripts are read"),
            ("甲县.xlsx", 1, "sub-folder"),
            ("报送.zip", 0, "archive"),
        ] {
            let got = kind(name, depth).unwrap_or_default();
            assert!(got.contains(says), "{name}: {got}");
        }
        for name in [
            "progress report.docx",
            "说明.docx",
            "扫描件.pdf",
            "metrics.csv.bak",
            "metrics.csv~",
            ".DS_Store",
        ] {
            assert_eq!(kind(name, 0), None, "{name}");
        }
    }
}
