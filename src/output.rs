//! Writing results: all or nothing, and never over an input file.

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
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let fail = |e: std::io::Error| {
        Diagnostic::error(Kind::Io, format!("cannot write `{}`: {e}", path.display()))
            .help("check that the folder exists and is writable")
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        write(&mut f)?;
        let f = f.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
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
}
