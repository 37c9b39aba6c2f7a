//! Writing results: all or nothing, and never over an input file. The only module that
//! writes files (the tidy test, `tests/tidy.rs`, keeps it so).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Kind};

/// Writes `contents` to `path` through a temporary file in the same folder and a rename, so a
/// reader never sees half a file. Refuses to overwrite any of `inputs`.
pub fn write_atomic(path: &Path, contents: &[u8], inputs: &[PathBuf]) -> Result<(), Diagnostic> {
    write_atomic_with(path, inputs, |w| w.write_all(contents))
}

/// [`write_atomic`] for output written piece by piece (e.g. streamed JSON), so a large result
/// is never held in memory whole.
pub fn write_atomic_with(
    path: &Path,
    inputs: &[PathBuf],
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Diagnostic> {
    refuse_inputs(path, inputs)?;
    let tmp = temporary(path);
    let result = (|| {
        write_temporary(&tmp, write)?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(cannot_write(path, e));
    }
    Ok(())
}

/// Writes several files under `dir` (paths relative to it), creating folders as needed, all
/// or nothing: every file is written to a temporary file beside it first, and only when all
/// are written are they renamed into place. Refuses to overwrite any of `inputs`.
pub fn write_files<P: AsRef<Path>, B: AsRef<[u8]>>(
    dir: &Path,
    files: &[(P, B)],
    inputs: &[PathBuf],
) -> Result<(), Diagnostic> {
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(p, _)| inside(dir, p.as_ref()))
        .collect::<Result<_, _>>()?;
    for path in &paths {
        refuse_inputs(path, inputs)?;
    }
    let mut written: Vec<PathBuf> = Vec::new();
    let mut failed = None;
    for (path, (_, bytes)) in paths.iter().zip(files) {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if let Err(e) = create_folder(parent) {
                failed = Some(e);
                break;
            }
        }
        let tmp = temporary(path);
        match write_temporary(&tmp, |w| w.write_all(bytes.as_ref())) {
            Ok(()) => written.push(tmp),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                failed = Some(cannot_write(path, e));
                break;
            }
        }
    }
    if failed.is_none() {
        for (tmp, path) in written.iter().zip(&paths) {
            if let Err(e) = std::fs::rename(tmp, path) {
                failed = Some(cannot_write(path, e));
                break;
            }
        }
    }
    match failed {
        Some(e) => {
            for tmp in &written {
                let _ = std::fs::remove_file(tmp);
            }
            Err(e)
        }
        None => Ok(()),
    }
}

/// Creates a folder and any missing parents.
pub fn create_folder(dir: &Path) -> Result<(), Diagnostic> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Diagnostic::error(Kind::Io, format!("cannot create `{}`: {e}", dir.display()))
            .help("check that the folder can be written")
    })
}

/// Which of `names` already exist in `dir` (to refuse replacing them without `--force`).
pub fn existing<'a>(dir: &Path, names: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    names.into_iter().filter(|n| dir.join(n).exists()).collect()
}

/// Refuses `path` if it is one of `inputs`.
fn refuse_inputs(path: &Path, inputs: &[PathBuf]) -> Result<(), Diagnostic> {
    if let Ok(target) = path.canonicalize() {
        if inputs
            .iter()
            .any(|i| i.canonicalize().is_ok_and(|i| i == target))
        {
            return Err(Diagnostic::error(
                Kind::Io,
                format!(
                    "`{}` is an input file; jingbiao never writes over its inputs",
                    path.display()
                ),
            )
            .help("choose another --out file, e.g. out/2023-Q2.md"));
        }
    }
    Ok(())
}

/// A temporary file in `path`'s folder, named after it and this process.
fn temporary(path: &Path) -> PathBuf {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes and syncs a temporary file.
fn write_temporary(
    tmp: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(tmp)?);
    write(&mut f)?;
    let f = f.into_inner().map_err(|e| e.into_error())?;
    f.sync_all()
}

fn cannot_write(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(Kind::Io, format!("cannot write `{}`: {e}", path.display()))
        .help("check that the folder exists and is writable")
}

/// [`write_atomic`], creating the file's folder first if it does not exist (e.g. a
/// campaign's `published/` on its first publish).
pub fn write_creating_folder(
    path: &Path,
    contents: &[u8],
    inputs: &[PathBuf],
) -> Result<(), Diagnostic> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            Diagnostic::error(Kind::Io, format!("cannot create `{}`: {e}", dir.display()))
                .help("check that the folder is writable")
        })?;
    }
    write_atomic(path, contents, inputs)
}

/// `dir/rel`, if it stays inside `dir`: `rel` is a relative path of plain names (no `..`,
/// no root, no `.name` nor control character), and no folder on the way below `dir` that
/// exists already is a symbolic link (which would lead the file elsewhere).
fn inside(dir: &Path, rel: &Path) -> Result<PathBuf, Diagnostic> {
    use std::path::Component;
    let outside = |why: &str| {
        Diagnostic::error(
            Kind::Io,
            format!(
                "`{}` would be written outside `{}`: {why}",
                rel.display().to_string().escape_debug(),
                dir.display()
            ),
        )
        .help("jingbiao writes only inside the folder it is given; check the names in the rules (ids are letters, digits, - and _)")
    };
    let mut path = dir.to_path_buf();
    let parts: Vec<Component> = rel.components().collect();
    if parts.is_empty() {
        return Err(outside("the name is empty"));
    }
    for (i, part) in parts.iter().enumerate() {
        let Component::Normal(name) = part else {
            return Err(outside("the name is a path out of the folder"));
        };
        let name = name.to_string_lossy();
        if name.starts_with('.') || name.chars().any(char::is_control) {
            return Err(outside(
                "a part of the name is hidden or holds a control character",
            ));
        }
        path.push(&*name);
        let last = i + 1 == parts.len();
        if !last && std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(outside(&format!(
                "`{}` is a link to another folder",
                path.display()
            )));
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_inputs_and_writes_whole_files() {
        let dir = std::env::temp_dir().join(format!("jingbiao-out-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("metrics.csv");
        std::fs::write(&input, "unit,indicator,value\n").unwrap();
        let e = write_atomic(&input, b"x", std::slice::from_ref(&input)).unwrap_err();
        assert!(e.message.contains("input file"));
        assert_eq!(
            std::fs::read_to_string(&input).unwrap(),
            "unit,indicator,value\n"
        );
        let out = dir.join("out.md");
        write_atomic(&out, "表".as_bytes(), &[input]).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "表");
        assert!(write_atomic(&dir.join("no/such/dir/x.md"), b"x", &[]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn writes_several_files_all_or_nothing() {
        let dir = std::env::temp_dir().join(format!("jingbiao-files-{}", std::process::id()));
        let files = [("a/one.csv", "1"), ("a/b/two.csv", "2")];
        write_files(&dir, &files, &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("a/b/two.csv")).unwrap(),
            "2"
        );
        assert_eq!(existing(&dir, ["a/one.csv", "a/three.csv"]), ["a/one.csv"]);
        // An input among them: nothing is written.
        let input = dir.join("a/one.csv");
        let files = [("new.csv", "x"), ("a/one.csv", "y")];
        assert!(write_files(&dir, &files, &[input]).is_err());
        assert!(existing(&dir, ["new.csv"]).is_empty());
        // A file where a folder should be: nothing is written, no temporary file is left.
        let files = [("c.csv", "x"), ("a/one.csv/d.csv", "y")];
        assert!(write_files(&dir, &files, &[]).is_err());
        assert!(existing(&dir, ["c.csv"]).is_empty());
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(left.is_empty());
        assert_eq!(std::fs::read_to_string(dir.join("a/one.csv")).unwrap(), "1");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
