//! Writing results: all or nothing, never over an input file, never through a link planted in
//! the way, and nothing left behind when interrupted. The only module that writes files (the
//! tidy test, `tests/tidy.rs`, keeps it so).
//!
//! - A temporary file or staging folder is made beside its destination under an unpredictable
//!   name (`.NAME.<16 hex digits>.tmp`) and created exclusively (`create_new`): an existing
//!   file or symbolic link at that name is never opened, written or followed. It is renamed
//!   into place once whole.
//! - The destination of `--out` must be a regular, writable file if it exists (never a
//!   device, a FIFO or a folder); it keeps its permissions when replaced.
//! - Several files ([`write_files`]) or folders ([`write_folders`]) are put in place all or
//!   nothing: what they replace is kept aside until all are in place, and put back if one
//!   fails; folders created for them are removed again.
//! - Every temporary file, staging folder, backup and [`Lock`] is registered until it is put
//!   in place or removed. On Ctrl-C or SIGTERM (SIGHUP too) what is registered is removed and
//!   the process ends with exit code 130; a signal that comes while files are being renamed
//!   into place waits for the renames to finish, so it never leaves half of them.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once};

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
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Diagnostic> {
    let keep = check_target(path, inputs)?;
    let (file, tmp) = create_temporary(path).map_err(|e| cannot_write(path, e))?;
    write_temporary(file, keep.as_ref(), write).map_err(|e| cannot_write(path, e))?;
    commit(vec![(tmp, path.to_path_buf())]).map_err(|(p, e)| cannot_write(&p, e))
}

/// Writes several files under `dir` (paths relative to it), creating folders as needed, all
/// or nothing: every file is written to a temporary file beside it first, and only when all
/// are written are they renamed into place; if one rename fails, the files already replaced
/// are put back and the folders created are removed. Refuses to overwrite any of `inputs`.
pub fn write_files<P: AsRef<Path>, B: AsRef<[u8]>>(
    dir: &Path,
    files: &[(P, B)],
    inputs: &[PathBuf],
) -> Result<(), Diagnostic> {
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(p, _)| inside(dir, p.as_ref()))
        .collect::<Result<_, _>>()?;
    let mut keep = Vec::with_capacity(paths.len());
    for path in &paths {
        keep.push(check_target(path, inputs)?);
    }
    let mut created = Undo::default();
    let mut moves = Vec::with_capacity(paths.len());
    for ((path, (_, bytes)), keep) in paths.iter().zip(files).zip(&keep) {
        if let Some(parent) = parent(path) {
            create_parents(parent, &mut created).map_err(|e| cannot_create(parent, e))?;
        }
        let (file, tmp) = create_temporary(path).map_err(|e| cannot_write(path, e))?;
        write_temporary(file, keep.as_ref(), |w| w.write_all(bytes.as_ref()))
            .map_err(|e| cannot_write(path, e))?;
        moves.push((tmp, path.clone()));
    }
    commit(moves).map_err(|(p, e)| cannot_write(&p, e))?;
    created.done();
    Ok(())
}

/// Writes whole folders under `dir`: each of `folders` (relative to `dir`) becomes exactly the
/// files of `files` under it (paths relative to `dir`), nothing else. Each is written into a
/// staging folder beside it and renamed into place when all are written, all or nothing. An
/// existing folder is replaced, with everything in it, only if `force`.
pub fn write_folders<P: AsRef<Path>, B: AsRef<[u8]>>(
    dir: &Path,
    folders: &[&str],
    files: &[(P, B)],
    force: bool,
) -> Result<(), Diagnostic> {
    // Inside `dir`, through no link on the way.
    let targets: Vec<PathBuf> = folders
        .iter()
        .map(|f| inside(dir, Path::new(f)))
        .collect::<Result<_, _>>()?;
    let there: Vec<&PathBuf> = targets
        .iter()
        .filter(|t| fs::symlink_metadata(t).is_ok())
        .collect();
    if !force && !there.is_empty() {
        let named: Vec<String> = there.iter().map(|t| format!("`{}`", t.display())).collect();
        return Err(Diagnostic::error(
            Kind::Io,
            match named.len() {
                1 => format!("{} already exists", named[0]),
                _ => format!("{} already exist", named.join(" and ")),
            },
        )
        .help("choose another --out folder, or add --force to replace it (everything in it is removed)"));
    }
    let mut created = Undo::default();
    let mut staged = Vec::with_capacity(targets.len());
    for target in &targets {
        if let Some(parent) = parent(target) {
            create_parents(parent, &mut created).map_err(|e| cannot_create(parent, e))?;
        }
        staged.push(create_staging(target).map_err(|e| cannot_create(target, e))?);
    }
    for (rel, bytes) in files {
        let rel = rel.as_ref();
        let Some(i) = folders.iter().position(|f| rel.starts_with(f)) else {
            return Err(cannot_write(
                &dir.join(rel),
                io::Error::other("it is outside the folders being written"),
            ));
        };
        let inside = rel.strip_prefix(folders[i]).unwrap_or(rel);
        let path = staged[i].path.join(inside);
        let written = (|| {
            if let Some(parent) = parent(&path) {
                fs::create_dir_all(parent)?;
            }
            let file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)?;
            write_temporary(file, None, |w| w.write_all(bytes.as_ref()))
        })();
        written.map_err(|e| cannot_write(&dir.join(rel), e))?;
    }
    let moves = staged.into_iter().zip(targets).collect();
    let backups = commit_folders(moves).map_err(|(p, e)| cannot_write(&p, e))?;
    created.done();
    // The folders replaced, removed now that the new ones are in place (or by a signal).
    drop(backups);
    Ok(())
}

/// Creates a folder and any missing parents.
pub fn create_folder(dir: &Path) -> Result<(), Diagnostic> {
    fs::create_dir_all(dir).map_err(|e| cannot_create(dir, e))
}

/// Which of `names` already exist in `dir` (to refuse replacing them without `--force`).
pub fn existing<'a>(dir: &Path, names: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    names.into_iter().filter(|n| dir.join(n).exists()).collect()
}

/// [`write_atomic`], creating the file's folder first if it does not exist (e.g. a
/// campaign's `published/` on its first publish); a folder created is removed again if the
/// file cannot be written.
pub fn write_creating_folder(
    path: &Path,
    contents: &[u8],
    inputs: &[PathBuf],
) -> Result<(), Diagnostic> {
    let mut created = Undo::default();
    if let Some(dir) = parent(path) {
        create_parents(dir, &mut created).map_err(|e| cannot_create(dir, e))?;
    }
    write_atomic(path, contents, inputs)?;
    created.done();
    Ok(())
}

/// A lock held while a file is made (`publish`): `.NAME.lock` beside it, created exclusively,
/// holding the process id. Removed when dropped, and on Ctrl-C or SIGTERM.
pub struct Lock {
    _file: Pending,
    _created: Undo,
}

/// Takes the lock on `target` for `what` (e.g. "a publish of 2023-Q2"), creating its folder if
/// need be. Refused, with what to do, while another process holds it.
pub fn lock(target: &Path, what: &str) -> Result<Lock, Diagnostic> {
    let mut created = Undo::default();
    if let Some(dir) = parent(target) {
        create_parents(dir, &mut created).map_err(|e| cannot_create(dir, e))?;
    }
    let path = beside(target, "", ".lock");
    let pending = Pending::new(&path, Remove::File);
    match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(mut f) => {
            // Who holds it, for the message another run shows.
            let _ = writeln!(f, "pid {}", std::process::id());
            Ok(Lock {
                _file: pending,
                _created: created,
            })
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            pending.disarm();
            let holder = fs::read_to_string(&path)
                .ok()
                .map(|t| t.trim().chars().take(40).collect::<String>())
                .filter(|t| !t.is_empty())
                .map_or_else(String::new, |t| format!(" (held by {t})"));
            Err(Diagnostic::error(
                Kind::Io,
                format!("{what} is already under way: `{}` exists{holder}", path.display()),
            )
            .help(format!(
                "wait for it to finish, then run this again; if none is running (one was ended by a power cut or `kill -9`, which leaves the lock behind), remove `{}` and run this again",
                path.display()
            )))
        }
        Err(e) => {
            pending.disarm();
            Err(cannot_write(&path, e))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What `--out` may name

/// Refuses `path` if it is one of `inputs`, or if it exists and is not a regular file that can
/// be written (a device, a FIFO, a folder, a read-only file). The permissions to keep if it
/// is a file being replaced.
fn check_target(path: &Path, inputs: &[PathBuf]) -> Result<Option<fs::Permissions>, Diagnostic> {
    refuse_inputs(path, inputs)?;
    let Ok(meta) = fs::metadata(path) else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Err(Diagnostic::error(
            Kind::Io,
            format!(
                "`{}` is {}, not a file jingbiao can write",
                path.display(),
                what_is(&meta)
            ),
        )
        .help("choose a file name for --out, e.g. out/2023-Q2.md"));
    }
    if meta.permissions().readonly() {
        return Err(Diagnostic::error(
            Kind::Io,
            format!(
                "`{}` is read-only; jingbiao does not replace it",
                path.display()
            ),
        )
        .help(
            "choose another --out file, or make this one writable first if it is to be replaced",
        ));
    }
    Ok(Some(meta.permissions()))
}

/// What a path that is not a regular file is, in words.
fn what_is(meta: &fs::Metadata) -> &'static str {
    if meta.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
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

// ---------------------------------------------------------------------------------------------
// Temporary files, staging folders and backups

/// A file or folder of ours that is removed unless [`Pending::disarm`]ed: on drop, and by the
/// signal handler while registered.
struct Pending {
    path: PathBuf,
    remove: Remove,
    armed: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Remove {
    /// A file.
    File,
    /// A folder and everything in it (a staging folder, a folder replaced).
    Tree,
    /// A folder created for the output, removed only if it is empty.
    EmptyFolder,
}

impl Pending {
    /// Registers `path` before it is created, so that a signal never misses it.
    fn new(path: &Path, remove: Remove) -> Pending {
        register(path, remove);
        Pending {
            path: path.to_path_buf(),
            remove,
            armed: true,
        }
    }

    /// It is in place (or was never ours): forget it without removing it.
    fn disarm(mut self) {
        self.armed = false;
        forget(&self.path);
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if self.armed {
            remove(&self.path, self.remove);
            forget(&self.path);
        }
    }
}

/// Folders created for the output, removed (innermost first) unless [`Undo::done`] is called.
#[derive(Default)]
struct Undo(Vec<Pending>);

impl Undo {
    fn done(mut self) {
        for p in self.0.drain(..) {
            p.disarm();
        }
    }
}

impl Drop for Undo {
    fn drop(&mut self) {
        while let Some(p) = self.0.pop() {
            drop(p);
        }
    }
}

/// Creates `dir` and its missing parents, each recorded in `created`.
fn create_parents(dir: &Path, created: &mut Undo) -> io::Result<()> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at.filter(|d| !d.as_os_str().is_empty()) {
        if fs::symlink_metadata(d).is_ok() {
            break;
        }
        missing.push(d);
        at = d.parent();
    }
    for d in missing.into_iter().rev() {
        let pending = Pending::new(d, Remove::EmptyFolder);
        match fs::create_dir(d) {
            Ok(()) => created.0.push(pending),
            Err(e) => {
                pending.disarm();
                if e.kind() != io::ErrorKind::AlreadyExists {
                    return Err(e);
                }
            }
        }
    }
    if fs::metadata(dir)?.is_dir() {
        Ok(())
    } else {
        Err(io::Error::other("it is not a folder"))
    }
}

/// A new temporary file beside `path`, created exclusively under an unpredictable name.
fn create_temporary(path: &Path) -> io::Result<(File, Pending)> {
    exclusively(path, ".tmp", Remove::File, |p| {
        OpenOptions::new().write(true).create_new(true).open(p)
    })
}

/// A new, empty staging folder beside `path`.
fn create_staging(path: &Path) -> io::Result<Pending> {
    exclusively(path, ".tmp", Remove::Tree, |p| fs::create_dir(p)).map(|((), p)| p)
}

/// Makes something new beside `path` under an unpredictable name, trying other names while
/// one is taken.
fn exclusively<T>(
    path: &Path,
    suffix: &str,
    remove: Remove,
    make: impl Fn(&Path) -> io::Result<T>,
) -> io::Result<(T, Pending)> {
    let mut last = None;
    for _ in 0..32 {
        let candidate = beside(path, &format!(".{}", unpredictable()), suffix);
        let pending = Pending::new(&candidate, remove);
        match make(&candidate) {
            Ok(made) => return Ok((made, pending)),
            Err(e) => {
                // Not ours: leave whatever is there alone.
                pending.disarm();
                if e.kind() != io::ErrorKind::AlreadyExists {
                    return Err(e);
                }
                last = Some(e);
            }
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary name")))
}

/// `.NAME<middle><suffix>` in `path`'s folder.
fn beside(path: &Path, middle: &str, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    let file = format!(".{name}{middle}{suffix}");
    match parent(path) {
        Some(dir) => dir.join(file),
        None => PathBuf::from(file),
    }
}

/// `path`'s folder, if it names one (not for a bare file name).
fn parent(path: &Path) -> Option<&Path> {
    path.parent().filter(|p| !p.as_os_str().is_empty())
}

/// 64 unpredictable bits as hex: SipHash keyed by the standard library's per-process random
/// keys, over a counter, the process id and the time.
fn unpredictable() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNT.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    h.write_u128(now);
    format!("{:016x}", h.finish())
}

/// Writes and syncs a temporary file, with the permissions of the file it replaces.
fn write_temporary(
    file: File,
    keep: Option<&fs::Permissions>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut f = io::BufWriter::with_capacity(1 << 20, file);
    write(&mut f)?;
    let f = f.into_inner().map_err(|e| e.into_error())?;
    if let Some(p) = keep {
        f.set_permissions(p.clone())?;
    }
    f.sync_all()
}

/// A copy of the file `dest` kept aside (a hard link where the filesystem has them), to put
/// back if a later file cannot be put in place.
fn backup(dest: &Path) -> io::Result<Pending> {
    exclusively(dest, ".old", Remove::File, |b| {
        fs::hard_link(dest, b).or_else(|e| {
            if e.kind() == io::ErrorKind::AlreadyExists {
                return Err(e);
            }
            let mut to = OpenOptions::new().write(true).create_new(true).open(b)?;
            io::copy(&mut File::open(dest)?, &mut to).map(|_| ())
        })
    })
    .map(|((), p)| p)
}

/// Renames temporary files into place, all or nothing (a signal waits until it is done).
fn commit(moves: Vec<(Pending, PathBuf)>) -> Result<(), (PathBuf, io::Error)> {
    let _committing = hold(&COMMITTING);
    let several = moves.len() > 1;
    let mut placed: Vec<(PathBuf, Option<Pending>)> = Vec::new();
    let mut failed = None;
    for (tmp, dest) in moves {
        let kept = if several && fs::symlink_metadata(&dest).is_ok_and(|m| m.is_file()) {
            match backup(&dest) {
                Ok(b) => Some(b),
                Err(e) => {
                    failed = Some((dest, e));
                    break;
                }
            }
        } else {
            None
        };
        match fs::rename(&tmp.path, &dest) {
            Ok(()) => {
                tmp.disarm();
                placed.push((dest, kept));
            }
            Err(e) => {
                failed = Some((dest, e));
                break;
            }
        }
    }
    let Some(failed) = failed else {
        return Ok(());
    };
    // Put back what was replaced, remove what was new.
    for (dest, kept) in placed.into_iter().rev() {
        match kept {
            Some(b) => {
                if fs::rename(&b.path, &dest).is_ok() {
                    b.disarm();
                }
            }
            None => {
                let _ = fs::remove_file(&dest);
            }
        }
    }
    Err(failed)
}

/// Renames staging folders into place, the folders they replace set aside (returned, to be
/// removed); all or nothing.
fn commit_folders(moves: Vec<(Pending, PathBuf)>) -> Result<Vec<Pending>, (PathBuf, io::Error)> {
    let _committing = hold(&COMMITTING);
    let mut placed: Vec<(PathBuf, Option<Pending>)> = Vec::new();
    let mut failed = None;
    for (staged, dest) in moves {
        let aside = if fs::symlink_metadata(&dest).is_ok() {
            let b = exclusively(&dest, ".old", Remove::Tree, |b| {
                // Never over anything: a name taken is another try.
                if fs::symlink_metadata(b).is_ok() {
                    return Err(io::ErrorKind::AlreadyExists.into());
                }
                fs::rename(&dest, b)
            });
            match b {
                Ok(((), b)) => Some(b),
                Err(e) => {
                    failed = Some((dest, e));
                    break;
                }
            }
        } else {
            None
        };
        match fs::rename(&staged.path, &dest) {
            Ok(()) => {
                staged.disarm();
                placed.push((dest, aside));
            }
            Err(e) => {
                if let Some(b) = aside {
                    if fs::rename(&b.path, &dest).is_ok() {
                        b.disarm();
                    }
                }
                failed = Some((dest, e));
                break;
            }
        }
    }
    let Some(failed) = failed else {
        return Ok(placed.into_iter().filter_map(|(_, b)| b).collect());
    };
    for (dest, aside) in placed.into_iter().rev() {
        let _ = fs::remove_dir_all(&dest);
        if let Some(b) = aside {
            if fs::rename(&b.path, &dest).is_ok() {
                b.disarm();
            }
        }
    }
    Err(failed)
}

fn cannot_write(path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::error(Kind::Io, format!("cannot write `{}`: {e}", path.display()))
        .help("check that the folder exists and is writable")
}

fn cannot_create(dir: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::error(Kind::Io, format!("cannot create `{}`: {e}", dir.display()))
        .help("check that the folder can be written")
}

// ---------------------------------------------------------------------------------------------
// Ctrl-C and SIGTERM

/// What to remove if a signal ends the process, in the order registered.
static PENDING: Mutex<Vec<(PathBuf, Remove)>> = Mutex::new(Vec::new());
/// Held while files are renamed into place.
static COMMITTING: Mutex<()> = Mutex::new(());
static HANDLER: Once = Once::new();

fn hold<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn register(path: &Path, remove: Remove) {
    HANDLER.call_once(|| {
        // Another handler already set (by an embedding program) keeps its own behaviour.
        let _ = ctrlc::set_handler(on_signal);
    });
    hold(&PENDING).push((path.to_path_buf(), remove));
}

fn forget(path: &Path) {
    let mut pending = hold(&PENDING);
    if let Some(i) = pending.iter().rposition(|(p, _)| p == path) {
        pending.remove(i);
    }
}

/// Ctrl-C, SIGTERM or SIGHUP: once renames under way are done, remove what is registered
/// (newest first: files before the folders created for them) and end.
fn on_signal() {
    let _committing = hold(&COMMITTING);
    let pending = hold(&PENDING);
    for (path, how) in pending.iter().rev() {
        remove(path, *how);
    }
    std::process::exit(130);
}

fn remove(path: &Path, how: Remove) {
    let _ = match how {
        Remove::File => fs::remove_file(path),
        Remove::Tree => fs::remove_dir_all(path),
        Remove::EmptyFolder => fs::remove_dir(path),
    };
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

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("jingbiao-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).unwrap().filter_map(|e| e.ok()) {
                let name = e.file_name().to_string_lossy().to_string();
                if name.ends_with(".tmp") || name.ends_with(".old") || name.ends_with(".lock") {
                    out.push(name);
                }
                if e.file_type().unwrap().is_dir() {
                    stack.push(e.path());
                }
            }
        }
        out
    }

    #[test]
    fn refuses_inputs_and_writes_whole_files() {
        let dir = scratch("out");
        let input = dir.join("metrics.csv");
        fs::write(&input, "unit,indicator,value\n").unwrap();
        let e = write_atomic(&input, b"x", std::slice::from_ref(&input)).unwrap_err();
        assert!(e.message.contains("input file"));
        assert_eq!(
            fs::read_to_string(&input).unwrap(),
            "unit,indicator,value\n"
        );
        let out = dir.join("out.md");
        write_atomic(&out, "表".as_bytes(), &[input]).unwrap();
        assert_eq!(fs::read_to_string(&out).unwrap(), "表");
        assert!(write_atomic(&dir.join("no/such/dir/x.md"), b"x", &[]).is_err());
        assert!(leftovers(&dir).is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temporary_names_are_unpredictable_and_never_follow_a_link() {
        let dir = scratch("tmpnames");
        let a = create_temporary(&dir.join("out.md")).unwrap().1;
        let b = create_temporary(&dir.join("out.md")).unwrap().1;
        assert_ne!(a.path, b.path);
        let name = a.path.file_name().unwrap().to_string_lossy().to_string();
        assert!(!name.contains(&std::process::id().to_string()), "{name}");
        drop((a, b));
        // A link planted where a temporary file is to be made is not opened.
        #[cfg(unix)]
        {
            let victim = dir.join("victim.csv");
            fs::write(&victim, "keep").unwrap();
            let planted = dir.join(".planted");
            std::os::unix::fs::symlink(&victim, &planted).unwrap();
            // How a temporary file is opened: never through what is already at its name.
            let at = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&planted);
            assert_eq!(at.unwrap_err().kind(), io::ErrorKind::AlreadyExists);
            assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
            assert!(fs::symlink_metadata(&planted)
                .unwrap()
                .file_type()
                .is_symlink());
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn writes_several_files_all_or_nothing() {
        let dir = scratch("files");
        let files = [("a/one.csv", "1"), ("a/b/two.csv", "2")];
        write_files(&dir, &files, &[]).unwrap();
        assert_eq!(fs::read_to_string(dir.join("a/b/two.csv")).unwrap(), "2");
        assert_eq!(existing(&dir, ["a/one.csv", "a/three.csv"]), ["a/one.csv"]);
        // An input among them: nothing is written.
        let input = dir.join("a/one.csv");
        let files = [("new.csv", "x"), ("a/one.csv", "y")];
        assert!(write_files(&dir, &files, &[input]).is_err());
        assert!(existing(&dir, ["new.csv"]).is_empty());
        // A file where a folder should be: nothing is written, no folder or temporary file
        // is left.
        let files = [("c/c.csv", "x"), ("a/one.csv/d.csv", "y")];
        assert!(write_files(&dir, &files, &[]).is_err());
        assert!(existing(&dir, ["c/c.csv", "c"]).is_empty());
        assert!(leftovers(&dir).is_empty());
        assert_eq!(fs::read_to_string(dir.join("a/one.csv")).unwrap(), "1");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_rename_puts_back_what_was_replaced() {
        let dir = scratch("rollback");
        let one = dir.join("one.csv");
        fs::write(&one, "old").unwrap();
        let (mut f, tmp) = create_temporary(&one).unwrap();
        f.write_all(b"new").unwrap();
        // The second temporary file has gone: its rename fails after the first is in place.
        let (_, gone) = create_temporary(&dir.join("two.csv")).unwrap();
        fs::remove_file(&gone.path).unwrap();
        let e = commit(vec![(tmp, one.clone()), (gone, dir.join("two.csv"))]);
        assert!(e.is_err());
        assert_eq!(fs::read_to_string(&one).unwrap(), "old");
        assert!(!dir.join("two.csv").exists());
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn out_must_be_a_writable_regular_file_and_keeps_its_permissions() {
        let dir = scratch("target");
        let e = write_atomic(&dir, b"x", &[]).unwrap_err();
        assert!(e.message.contains("a folder"), "{}", e.message);
        let ro = dir.join("ro.md");
        fs::write(&ro, "keep").unwrap();
        let mut p = fs::metadata(&ro).unwrap().permissions();
        p.set_readonly(true);
        fs::set_permissions(&ro, p).unwrap();
        let e = write_atomic(&ro, b"x", &[]).unwrap_err();
        assert!(e.message.contains("read-only"), "{}", e.message);
        assert_eq!(fs::read_to_string(&ro).unwrap(), "keep");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let e = write_atomic(Path::new("/dev/null"), b"x", &[]).unwrap_err();
            assert!(e.message.contains("a device"), "{}", e.message);
            let f = dir.join("shared.md");
            fs::write(&f, "old").unwrap();
            fs::set_permissions(&f, fs::Permissions::from_mode(0o640)).unwrap();
            write_atomic(&f, b"new", &[]).unwrap();
            assert_eq!(
                fs::metadata(&f).unwrap().permissions().mode() & 0o777,
                0o640
            );
            assert_eq!(fs::read_to_string(&f).unwrap(), "new");
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn folders_are_replaced_whole_and_only_with_force() {
        let dir = scratch("folders");
        let first = [
            ("rules/gen/a.csv", "1"),
            ("data/gen/2023-01/m.csv", "1"),
            ("data/gen/2023-02/m.csv", "1"),
        ];
        write_folders(&dir, &["rules/gen", "data/gen"], &first, false).unwrap();
        let second = [("rules/gen/a.csv", "2"), ("data/gen/2023-01/m.csv", "2")];
        let e = write_folders(&dir, &["rules/gen", "data/gen"], &second, false).unwrap_err();
        assert!(e.message.contains("already exist"), "{}", e.message);
        assert_eq!(
            fs::read_to_string(dir.join("rules/gen/a.csv")).unwrap(),
            "1"
        );
        write_folders(&dir, &["rules/gen", "data/gen"], &second, true).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("rules/gen/a.csv")).unwrap(),
            "2"
        );
        // Nothing of the folder replaced is left (no stale period).
        assert!(!dir.join("data/gen/2023-02").exists());
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_lock_is_exclusive_and_removed_when_dropped() {
        let dir = scratch("lock");
        let target = dir.join("published/2023-Q2.json");
        let held = lock(&target, "a publish of 2023-Q2").unwrap();
        let e = lock(&target, "a publish of 2023-Q2").err().unwrap();
        assert!(e.message.contains("already under way"), "{}", e.message);
        assert!(e.message.contains(&format!("pid {}", std::process::id())));
        drop(held);
        assert!(
            !dir.join("published").exists(),
            "the folder made for the lock is removed"
        );
        drop(lock(&target, "a publish of 2023-Q2").unwrap());
        fs::remove_dir_all(&dir).unwrap();
    }
}
