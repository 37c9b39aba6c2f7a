//! The HTML bulletin in a real browser: headless Chromium loads the file, the DOM it ends
//! with must hold the league tables and the drawn charts (the page's own script sets
//! `data-ok="1"` on the body once every chart has bars or lines), the console must log no
//! errors, and nothing may be fetched from the network. A screenshot is saved as
//! `target/bulletin.png`; with `JINGBIAO_UPDATE_DOCS=1` it is also copied to
//! `docs/bulletin.png`, the one the README shows.
//!
//! Chromium is found from `CHROMIUM`, else `chromium` or `chromium-browser` on the PATH.
//! Without one the test is skipped locally, but fails under CI (`CI` set): `.ci/run`
//! installs it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

struct Out {
    stdout: String,
    stderr: String,
}

/// Runs Chromium headless on `url` with `extra` flags, killing it after two minutes.
fn headless(browser: &Path, profile: &Path, extra: &[&str], url: &str) -> Out {
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        // Any host name fails to resolve: a page that tried to fetch something would log
        // an error to the console.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(extra)
    .arg(url)
    .stdin(Stdio::null());
    let out_path = profile.with_extension("stdout");
    let err_path = profile.with_extension("stderr");
    cmd.stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap());
    let mut child = cmd.spawn().expect("chromium starts");
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Out {
        stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
    }
}

/// Messages the page wrote to the console, from Chromium's log. Chromium logs every console
/// message as `INFO:CONSOLE` whatever its level, and the bulletin logs nothing, so any such
/// line (an uncaught exception, a failed load, a stray log) is an error.
fn console_errors(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect()
}

#[test]
fn the_bulletin_renders_in_a_real_browser() {
    let Some(browser) = chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!(
                "no chromium found under CI: .ci/run must install it (apt-get install chromium)"
            );
        }
        eprintln!("skipped: no chromium (set CHROMIUM or install the chromium package)");
        return;
    };
    let target = target_dir();
    std::fs::create_dir_all(&target).unwrap();
    let html = target.join("bulletin.html");
    let r = run(&["score", "--format", "html", "--out", html.to_str().unwrap()]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let url = format!("file://{}", html.canonicalize().unwrap().display());
    let scratch = Scratch::new("chromium");

    // The DOM after the page's script has run.
    let dom = headless(
        &browser,
        &scratch.0.join("dom"),
        &["--virtual-time-budget=5000", "--dump-dom"],
        &url,
    );
    assert!(
        dom.stdout.contains("data-ok=\"1\""),
        "the page's check of its charts did not pass\nDOM: {}…\nlog: {}",
        dom.stdout.chars().take(500).collect::<String>(),
        dom.stderr
    );
    assert_eq!(dom.stdout.matches("<table class=\"league\"").count(), 2);
    assert_eq!(dom.stdout.matches("<svg class=\"chart bars\"").count(), 2);
    assert_eq!(dom.stdout.matches("<svg class=\"chart trend\"").count(), 2);
    assert!(dom.stdout.contains("<polyline class=\"trend\""));
    assert!(dom.stdout.contains("<rect class=\"bar\""));
    let errors = console_errors(&dom.stderr);
    assert!(errors.is_empty(), "console errors: {errors:#?}");

    // The screenshot, as a test artifact.
    let png = target.join("bulletin.png");
    let _ = std::fs::remove_file(&png);
    let shot = headless(
        &browser,
        &scratch.0.join("shot"),
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1280,2000",
            "--virtual-time-budget=5000",
        ],
        &url,
    );
    let bytes = std::fs::read(&png).unwrap_or_else(|e| {
        panic!(
            "no screenshot at {}: {e}\nlog: {}",
            png.display(),
            shot.stderr
        )
    });
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert!(bytes.len() > 20_000, "a screenshot with content");
    let errors = console_errors(&shot.stderr);
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    if std::env::var_os("JINGBIAO_UPDATE_DOCS").is_some() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::copy(&png, docs.join("bulletin.png")).unwrap();
    }
}

#[test]
fn console_errors_are_recognised() {
    // As Chromium 148 logs them.
    let log = "[8625:8673:1126/030159.760311:ERROR:dbus/bus.cc:405] Failed to connect to the bus\n[8625:8625:1126/030200.953669:INFO:CONSOLE:1] \"hi\", source: file:///a.html (1)\n[8625:8625:1126/030200.953820:INFO:CONSOLE:1] \"Uncaught ReferenceError: f is not defined\", source: file:///a.html (1)\n";
    assert_eq!(console_errors(log).len(), 2);
}
