//! What the loader is willing to read: regular files only (a FIFO would block forever, a
//! link to a device would read until memory runs out), each at most `--max-file-size`
//! bytes (checked from the file's metadata before reading, and again while reading: a file
//! can grow), and in a workbook no size or count the file declares is trusted for
//! allocation (see [`shared_strings_count`] and [`zip_part`]).

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diag::{Diagnostic, Kind};

/// The default cap on one input file: 1 GiB, well above a national campaign's 12 periods.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1 << 30;

static MAX_FILE_SIZE: AtomicU64 = AtomicU64::new(DEFAULT_MAX_FILE_SIZE);

/// Sets the cap on one input file's size (the command line's `--max-file-size`).
pub fn set_max_file_size(bytes: u64) {
    MAX_FILE_SIZE.store(bytes, Ordering::Relaxed);
}

/// The cap on one input file's size, in bytes.
pub fn max_file_size() -> u64 {
    MAX_FILE_SIZE.load(Ordering::Relaxed)
}

/// `1G`, `500M`, `64K` or a number of bytes, as `--max-file-size` takes it.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (digits, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t, ""),
    };
    let shift = match unit
        .trim()
        .to_ascii_uppercase()
        .trim_end_matches(['B', 'I'])
    {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => {
            return Err(format!(
                "`{text}` is not a size: write e.g. 2G, 500M or 1048576"
            ))
        }
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write e.g. 2G, 500M or 1048576"))?;
    n.checked_mul(1 << shift)
        .filter(|&b| b > 0)
        .ok_or_else(|| format!("`{text}` is not a size jingbiao can use"))
}

/// A size as people read it: `1 GB`, `12.5 MB`, `800 bytes` (binary units).
pub fn shown_size(bytes: u64) -> String {
    const UNITS: [(&str, u32); 4] = [("TB", 40), ("GB", 30), ("MB", 20), ("KB", 10)];
    for (name, shift) in UNITS {
        let unit = 1u64 << shift;
        if bytes >= unit {
            let tenths = (bytes as u128 * 10 / unit as u128) as u64;
            return if tenths % 10 == 0 {
                format!("{} {name}", tenths / 10)
            } else {
                format!("{}.{} {name}", tenths / 10, tenths % 10)
            };
        }
    }
    format!("{bytes} bytes")
}

fn too_large(path: &Path, size: Option<u64>, max: u64) -> Diagnostic {
    let what = match size {
        Some(s) => format!("is {}", shown_size(s)),
        None => "grew while it was read".to_string(),
    };
    Diagnostic::error(
        Kind::Io,
        format!(
            "`{}` {what}, more than the {} jingbiao reads from one file",
            path.display(),
            shown_size(max)
        ),
    )
    .help(format!(
        "check that this is the file you meant; to read larger files, raise the limit: e.g. `jingbiao --max-file-size {} …`",
        suggested(size.unwrap_or(max).max(max).saturating_mul(2))
    ))
}

/// A round `--max-file-size` of at least `bytes`: `2G`, `3M`, `1K`.
fn suggested(bytes: u64) -> String {
    for (name, shift) in [("T", 40), ("G", 30), ("M", 20), ("K", 10)] {
        let unit = 1u64 << shift;
        if bytes >= unit {
            return format!("{}{name}", bytes.div_ceil(unit));
        }
    }
    "1K".to_string()
}

/// What a file that is not a regular file is, for the message.
fn kind_of(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
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
    if t.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

fn not_regular(path: &Path, t: std::fs::FileType) -> Diagnostic {
    let what = kind_of(t);
    let message = if what == "not a regular file" {
        format!("`{}` is not a regular file", path.display())
    } else {
        format!("`{}` is {what}, not a regular file", path.display())
    };
    Diagnostic::error(Kind::Io, message).help(
        "jingbiao reads ordinary files only (a link to one is fine): put the file itself there",
    )
}

fn cannot_read(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(Kind::Io, format!("cannot read `{}`: {}", path.display(), super::io_reason(e)))
        .help("check the path; jingbiao reads campaign folders under rules/ and data folders under scenarios/")
}

/// Reads a whole input file, if it is a regular file (after following links) of at most
/// [`max_file_size`] bytes. The type and size are checked from the metadata before the file
/// is opened, again on the open file, and the size once more while reading.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    read_at_most(path, max_file_size())
}

fn read_at_most(path: &Path, max: u64) -> Result<Vec<u8>, Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| cannot_read(path, &e))?;
    if !meta.is_file() {
        return Err(not_regular(path, meta.file_type()));
    }
    if meta.len() > max {
        return Err(too_large(path, Some(meta.len()), max));
    }
    // (A FIFO swapped in between the check above and this open would still make the open
    // wait for a writer: only O_NONBLOCK avoids that, and the loader opens files read-only.)
    let file = std::fs::File::open(path).map_err(|e| cannot_read(path, &e))?;
    let meta = file.metadata().map_err(|e| cannot_read(path, &e))?;
    if !meta.is_file() {
        return Err(not_regular(path, meta.file_type()));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(max) as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(path, &e))?;
    if bytes.len() as u64 > max {
        return Err(too_large(path, None, max));
    }
    Ok(bytes)
}

/// A part of a zip archive (a workbook's XML), decompressed up to `limit` bytes: `None` if
/// it is missing, cannot be read or is larger (a zip bomb is not inflated).
pub(crate) fn zip_part<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Option<Result<String, ()>> {
    let f = zip.by_name(name).ok()?;
    let mut bytes = Vec::new();
    if f.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .is_err()
    {
        return Some(Err(()));
    }
    if bytes.len() as u64 > limit {
        return Some(Err(()));
    }
    Some(String::from_utf8(bytes).map_err(|_| ()))
}

/// Checks what calamine would trust in a workbook before it opens it: the count of shared
/// strings `xl/sharedStrings.xml` declares (calamine reserves room for that many strings
/// up front) must be possible in the part as it really is (each string takes at least
/// `<si/>`, 5 bytes), and the part must inflate to at most [`max_file_size`].
pub(crate) fn check_workbook(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(()); // calamine says what is wrong with it
    };
    let limit = max_file_size();
    let Ok(f) = zip.by_name("xl/sharedStrings.xml") else {
        return Ok(());
    };
    // The start tag `<sst … uniqueCount="n">` and the part's real size, streamed.
    let mut head = Vec::new();
    let mut total = 0u64;
    let mut buf = [0u8; 64 * 1024];
    let mut reader = f.take(limit.saturating_add(1));
    loop {
        let n = reader
            .read(&mut buf)
            .map_err(|e| format!("its shared strings cannot be read: {e}"))?;
        if n == 0 {
            break;
        }
        if head.len() < 4096 {
            head.extend_from_slice(&buf[..n.min(4096 - head.len())]);
        }
        total += n as u64;
    }
    if total > limit {
        return Err(format!(
            "its shared strings inflate to more than {}",
            shown_size(limit)
        ));
    }
    let head = String::from_utf8_lossy(&head);
    let declared = head
        .find("<sst")
        .map(|i| &head[i..])
        .and_then(|sst| sst.split_once('>').map(|(tag, _)| tag))
        .and_then(|tag| {
            let at = tag.find("uniqueCount")?;
            let rest = tag[at + "uniqueCount".len()..]
                .trim_start()
                .strip_prefix('=')?
                .trim_start();
            let quote = rest.chars().next()?;
            let value = &rest[1..];
            value.find(quote).map(|end| value[..end].trim().to_string())
        });
    if let Some(count) = declared {
        let plausible = count.parse::<u64>().is_ok_and(|n| n <= total / 5);
        if !plausible {
            return Err(format!(
                "it declares {} shared strings, more than its {} of shared strings can hold",
                shorten(&count),
                shown_size(total)
            ));
        }
    }
    Ok(())
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 24 {
        format!("{}…", s.chars().take(20).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_as_typed_and_shown() {
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("500M"), Ok(500 << 20));
        assert_eq!(parse_size("64kb"), Ok(64 << 10));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("99999999999T").is_err());
        assert_eq!(shown_size(1 << 30), "1 GB");
        assert_eq!(shown_size((1 << 20) * 25 / 2), "12.5 MB");
        assert_eq!(shown_size(800), "800 bytes");
        assert_eq!(suggested(2 << 30), "2G");
        assert_eq!(suggested((1 << 30) + 1), "2G");
        assert_eq!(suggested(1724), "2K");
    }

    /// The cap holds while reading, whatever the metadata said: a file in /proc says it is
    /// empty and is not.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_cap_is_enforced_while_reading() {
        let status = Path::new("/proc/self/status");
        assert_eq!(std::fs::metadata(status).unwrap().len(), 0);
        let e = read_at_most(status, 16).unwrap_err();
        assert!(e.message.contains("grew while it was read"), "{e:?}");
        assert!(read_at_most(status, 1 << 20).unwrap().len() > 16);
        let e = read_at_most(Path::new("/dev/null"), 16).unwrap_err();
        assert!(
            e.message.contains("is a device, not a regular file"),
            "{e:?}"
        );
    }
}
