//! Loader limits, tried as an attacker would: only regular files are read (a FIFO or a link
//! to a device is refused, never waited on or read forever), each file's size is capped
//! (`--max-file-size`), nothing an XLSX file declares is trusted for allocation (crafted
//! workbooks built here with zip), and diagnostics are bounded (a few dozen of one kind per
//! file, then one "and N more like this"; long values shortened). Each bad case exits with
//! code 2, prints nothing on stdout and leaves the inputs as they were.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Runs `jingbiao ARGS` in `dir`, killed after 60 seconds (a FIFO read would block forever).
fn run_bounded(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jingbiao"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let start = Instant::now();
    // Read the pipes on threads so that a large output cannot block the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut s).unwrap();
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("jingbiao {args:?} did not finish in 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.join().unwrap()).unwrap(),
        stderr: String::from_utf8(err.join().unwrap()).unwrap(),
    }
}

/// A scratch copy of mini.
fn mini(name: &str) -> Scratch {
    let s = Scratch::new(&format!("limits-{name}"));
    copy_tree(&fixtures().join("mini"), &s.0);
    s
}

/// Files under a folder (links and special files by their kind, not read), to prove inputs
/// are left untouched.
fn tree(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            let what = if meta.file_type().is_symlink() {
                format!("-> {}", std::fs::read_link(&p).unwrap().display())
            } else if meta.is_dir() {
                stack.push(p.clone());
                "dir".into()
            } else if meta.is_file() {
                format!("{:?}", std::fs::read(&p).unwrap())
            } else {
                "special".into()
            };
            out.push((p.display().to_string(), what));
        }
    }
    out.sort();
    out
}

/// Runs a bad case: exit code 2, nothing on stdout, no panic, inputs untouched; the stderr.
fn refused(dir: &Path, args: &[&str]) -> String {
    let before = tree(dir);
    let run = run_bounded(dir, args);
    assert_eq!(tree(dir), before, "an input was changed or a file written");
    assert_eq!(run.code, 2, "exit code\n{}", run.stderr);
    assert_eq!(run.stdout, "", "nothing on stdout");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    format!("$ jingbiao {}\n{}", args.join(" "), run.stderr)
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

#[cfg(unix)]
fn link(target: &str, path: &Path) {
    let _ = std::fs::remove_file(path);
    std::os::unix::fs::symlink(target, path).unwrap();
}

const SCORE: &[&str] = &["score", "rules", "data", "--period", "2023-Q2"];

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_not_waited_on() {
    let s = mini("fifo");
    mkfifo(&s.0.join("data/2023-Q2/metrics.csv"));
    insta::assert_snapshot!(refused(&s.0, SCORE));
}

#[cfg(unix)]
#[test]
fn a_link_to_a_device_is_refused_not_read() {
    let s = mini("device");
    link("/dev/zero", &s.0.join("data/2023-Q2/metrics.csv"));
    insta::assert_snapshot!(refused(&s.0, SCORE));
}

/// Further cases: the other places the loader reads (a rule file, a script, a published
/// file, a rule test), each a FIFO or a link to a device.
#[cfg(unix)]
#[test]
fn every_file_the_loader_reads_must_be_regular() {
    let s = mini("everywhere");
    // A rule file linked to a device is outside the campaign folder: refused as such,
    // before its type is looked at (tests/containment.rs).
    link("/dev/zero", &s.0.join("rules/campaign.toml"));
    let campaign = refused(&s.0, SCORE);
    assert!(
        campaign.contains("`rules/campaign.toml` leads outside the campaign folder"),
        "{campaign}"
    );
    let s = mini("everywhere-fifo");
    mkfifo(&s.0.join("rules/campaign.toml"));
    let campaign = refused(&s.0, SCORE);
    assert!(
        campaign.contains("`rules/campaign.toml` is a FIFO (named pipe), not a regular file"),
        "{campaign}"
    );

    let s = mini("script");
    mkfifo(&s.0.join("rules/scripts/more.rhai"));
    let script = refused(&s.0, &["check", "rules", "data"]);
    assert!(
        script.contains("`rules/scripts/more.rhai` is a FIFO (named pipe), not a regular file"),
        "{script}"
    );

    let s = mini("published");
    std::fs::create_dir_all(s.0.join("rules/published")).unwrap();
    mkfifo(&s.0.join("rules/published/2023-Q2.json"));
    let published = refused(&s.0, &["check", "rules", "data"]);
    assert!(
        published.contains("`rules/published/2023-Q2.json` is a FIFO"),
        "{published}"
    );
    // score reads it as the period's published results: as with any published file it
    // cannot read, it says so and scores the period all the same (never waits on it).
    let run = run_bounded(&s.0, SCORE);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning[io]: `rules/published/2023-Q2.json` is a FIFO"),
        "{}",
        run.stderr
    );
    // An earlier period's published file is read as it was published: an error.
    let q3 = [&["score", "rules", "data", "--period", "2023-Q3"][..]].concat();
    std::fs::create_dir_all(s.0.join("data/2023-Q3")).unwrap();
    std::fs::copy(
        s.0.join("data/2023-Q2/metrics.csv"),
        s.0.join("data/2023-Q3/metrics.csv"),
    )
    .unwrap();
    let published = refused(&s.0, &q3);
    assert!(
        published.contains("`rules/published/2023-Q2.json` is a FIFO"),
        "{published}"
    );

    let s = mini("ruletest");
    std::fs::create_dir_all(s.0.join("rules/tests")).unwrap();
    mkfifo(&s.0.join("rules/tests/t.toml"));
    let test = refused(&s.0, &["test", "rules", "data"]);
    assert!(test.contains("`rules/tests/t.toml` is a FIFO"), "{test}");

    // A folder where a table is expected.
    let s = mini("folder");
    std::fs::create_dir_all(s.0.join("rules/items.csv")).unwrap();
    let folder = refused(&s.0, SCORE);
    assert!(
        folder.contains("`rules/items.csv` is a folder, not a regular file"),
        "{folder}"
    );
}

#[test]
fn a_file_over_the_size_cap_is_refused_and_the_flag_raises_it() {
    let s = mini("size");
    let metrics = s.0.join("data/2023-Q2/metrics.csv");
    let mut text = std::fs::read_to_string(&metrics).unwrap();
    // Comment-free padding the CSV reader skips: blank lines.
    text.push_str(&"\n".repeat(4096));
    std::fs::write(&metrics, &text).unwrap();
    let args = [&["--max-file-size", "4K"][..], SCORE].concat();
    insta::assert_snapshot!(refused(&s.0, &args));
    let raised = [&["--max-file-size", "1M"][..], SCORE].concat();
    let run = run_bounded(&s.0, &raised);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The flag is global: after the command too; a bad size is refused by the parser.
    let after = [SCORE, &["--max-file-size", "4K"][..]].concat();
    assert_eq!(run_bounded(&s.0, &after).code, 2);
    let bad = run_bounded(&s.0, &["--max-file-size", "lots", "check", "rules"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("`lots` is not a size"),
        "{}",
        bad.stderr
    );
}

// ---------------------------------------------------------------------------------------
// Crafted workbooks.

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// An XLSX file with one sheet `metrics`: its `<dimension>` (if any), its rows as cells
/// (`A1`-style reference, value: a number or inline text), extra raw XML inside
/// `<sheetData>`, and a sharedStrings part if given.
fn workbook(
    dimension: Option<&str>,
    rows: &[Vec<String>],
    extra: &str,
    shared: Option<&[u8]>,
) -> Vec<u8> {
    let mut sheet = format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">"#);
    if let Some(d) = dimension {
        sheet.push_str(&format!(r#"<dimension ref="{d}"/>"#));
    }
    sheet.push_str("<sheetData>");
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, v) in row.iter().enumerate() {
            let at = format!("{}{}", (b'A' + c as u8) as char, r + 1);
            if v.parse::<f64>().is_ok() {
                sheet.push_str(&format!(r#"<c r="{at}"><v>{v}</v></c>"#));
            } else {
                sheet.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t>{v}</t></is></c>"#
                ));
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str(extra);
    sheet.push_str("</sheetData></worksheet>");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut part = |name: &str, bytes: &[u8]| {
        zip.start_file(name, opts).unwrap();
        zip.write_all(bytes).unwrap();
    };
    part(
        "[Content_Types].xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    part(
        "xl/workbook.xml",
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="metrics" sheetId="1" r:id="rId1"/></sheets></workbook>"#).as_bytes(),
    );
    part(
        "xl/_rels/workbook.xml.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    );
    part("xl/worksheets/sheet1.xml", sheet.as_bytes());
    if let Some(s) = shared {
        part("xl/sharedStrings.xml", s);
    }
    zip.finish().unwrap().into_inner()
}

/// mini's metrics as rows of cells.
fn mini_rows() -> Vec<Vec<String>> {
    std::fs::read_to_string(fixtures().join("mini/data/2023-Q2/metrics.csv"))
        .unwrap()
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// A copy of mini whose metrics are the given workbook.
fn with_workbook(name: &str, bytes: &[u8]) -> Scratch {
    let s = mini(name);
    std::fs::remove_file(s.0.join("data/2023-Q2/metrics.csv")).unwrap();
    std::fs::write(s.0.join("data/2023-Q2/metrics.xlsx"), bytes).unwrap();
    s
}

fn score_json(dir: &Path) -> String {
    let r = run_bounded(dir, &[SCORE, &["--format", "json"][..]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn a_cell_at_xfd1048576_is_refused_without_a_grid() {
    let book = workbook(
        None,
        &mini_rows(),
        r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#,
        None,
    );
    let s = with_workbook("xfd", &book);
    insta::assert_snapshot!(refused(&s.0, SCORE));
}

#[test]
fn a_huge_shared_string_count_is_not_trusted() {
    let shared = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="4000000000000" uniqueCount="4000000000000"><si><t>unit</t></si></sst>"#
    );
    let book = workbook(None, &mini_rows(), "", Some(shared.as_bytes()));
    let s = with_workbook("sst", &book);
    insta::assert_snapshot!(refused(&s.0, SCORE));
}

/// Further cases: a declared dimension is not trusted either way (a sheet that says it
/// spans the whole grid but holds a small table reads as that table); a cell beyond the
/// grid Excel allows is refused; shared strings that inflate beyond the size cap (a zip
/// bomb) are refused before calamine reads them.
#[test]
fn declared_sizes_are_never_trusted() {
    let csv = score_json(&mini("csv").0);
    let whole = workbook(Some("A1:XFD1048576"), &mini_rows(), "", None);
    assert_eq!(score_json(&with_workbook("dimension", &whole).0), csv);

    let beyond = workbook(
        None,
        &mini_rows(),
        r#"<row r="4000000"><c r="A4000000"><v>1</v></c></row>"#,
        None,
    );
    let out = refused(&with_workbook("beyond", &beyond).0, SCORE);
    assert!(
        out.contains("has a cell at row 4000000, column 1, beyond the last cell a sheet can have"),
        "{out}"
    );

    let mut bomb = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" uniqueCount="1"><si><t>"#
    )
    .into_bytes();
    bomb.extend(std::iter::repeat_n(b'a', 4 << 20));
    bomb.extend_from_slice(b"</t></si></sst>");
    let book = workbook(None, &mini_rows(), "", Some(&bomb));
    assert!(book.len() < 64 << 10, "the bomb is small: {}", book.len());
    let s = with_workbook("bomb", &book);
    let out = refused(&s.0, &[&["--max-file-size", "1M"][..], SCORE].concat());
    assert!(
        out.contains("its shared strings inflate to more than 1 MB"),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------
// Bounded diagnostics.

#[test]
fn three_hundred_thousand_bad_rows_print_a_few_dozen_lines() {
    let s = mini("rows");
    let metrics = s.0.join("data/2023-Q2/metrics.csv");
    let mut text = std::fs::read_to_string(&metrics).unwrap();
    for i in 0..300_000 {
        text.push_str(&format!("stray{i},gdp,1\n"));
    }
    std::fs::write(&metrics, text).unwrap();
    let out = refused(&s.0, SCORE);
    assert!(out.len() < 64 << 10, "{} bytes of diagnostics", out.len());
    assert_eq!(
        out.matches("error[reference]: unknown unit").count(),
        30,
        "{out}"
    );
    assert!(
        out.contains("error[reference]: and 299970 more like this in `data/2023-Q2/metrics.csv` (30 of 300000 shown)"),
        "{out}"
    );
    assert!(
        out.ends_with("error: 300000 problems found; nothing was written\n"),
        "{out}"
    );

    // The JSON form is bounded the same way.
    let json = refused(&s.0, &[SCORE, &["--format", "json"][..]].concat());
    assert!(json.len() < 64 << 10, "{} bytes of JSON", json.len());
    assert!(json.contains("and 299970 more like this"), "{json}");
}

/// Further cases: a long value quoted in a message is shortened, and a line too long to
/// show is named, not quoted (one cell of 200,000 characters, in a rule table and in the
/// data).
#[test]
fn a_long_value_is_shortened_and_a_long_line_not_quoted() {
    let s = mini("long");
    let metrics = s.0.join("data/2023-Q2/metrics.csv");
    let text = std::fs::read_to_string(&metrics).unwrap();
    let long = "9".repeat(100_000) + "x";
    std::fs::write(
        &metrics,
        text.replacen("a,gdp,6.2", &format!("a,gdp,{long}"), 1),
    )
    .unwrap();
    let out = refused(&s.0, SCORE);
    assert!(
        out.len() < 4096,
        "{} bytes: {}",
        out.len(),
        &out[..4096.min(out.len())]
    );
    insta::assert_snapshot!(out);

    let s = mini("long-rule");
    let units = s.0.join("rules/units.csv");
    let text = std::fs::read_to_string(&units).unwrap();
    std::fs::write(
        &units,
        text.replacen(
            "a,甲县,county",
            &format!("a,甲县,{}", "县".repeat(100_000)),
            1,
        ),
    )
    .unwrap();
    let out = refused(&s.0, SCORE);
    assert!(out.len() < 4096, "{} bytes", out.len());
    assert!(out.contains("(100000 characters)"), "{out}");
    assert!(out.contains("rules/units.csv:2:"), "{out}");
}
