//! Text from rules and data on its way to a terminal: control characters are made visible
//! (`\u001b`, `\r`), so that an escape sequence in a unit's name, a cell or a file name
//! cannot move the cursor, recolour or retitle the terminal, or hide what is printed.
//! Newlines and tabs are left as they are.

use std::borrow::Cow;
use std::io;

use codespan_reporting::term::termcolor::{ColorSpec, WriteColor};

/// Whether `c` is shown escaped: C0 controls but newline and tab, DEL, C1 controls (a
/// terminal may read U+009B as the start of an escape sequence), and the bidirectional
/// overrides and isolates, which reorder what follows them.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `s` with its control characters made visible, as `\r` or `\uXXXX` (which is also how JSON
/// writes them: JSON text stays valid and means the same); borrowed when it has none.
pub fn visible(s: &str) -> Cow<'_, str> {
    // A hidden character's UTF-8 holds a C0 byte or DEL, or starts with 0xC2 (U+0080–U+00BF)
    // or 0xE2 (U+2000–U+2FFF): text without such bytes (almost all) is passed over in one
    // quick scan of its bytes, as it streams out (tens of megabytes of JSON).
    let suspect =
        |b: u8| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f || b == 0xc2 || b == 0xe2;
    if !s.bytes().any(suspect) || !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\r' => out.push_str("\\r"),
            c if hidden(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Bytes made visible as text; bytes that are not UTF-8 are kept as they are, their
/// control bytes made visible.
pub fn visible_bytes(bytes: &[u8]) -> Cow<'_, [u8]> {
    match std::str::from_utf8(bytes) {
        Ok(s) => match visible(s) {
            Cow::Borrowed(_) => Cow::Borrowed(bytes),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        },
        Err(_) if !bytes.iter().any(|&b| hidden(b as char) && b < 0x80) => Cow::Borrowed(bytes),
        Err(_) => {
            let mut out = Vec::with_capacity(bytes.len() + 8);
            for &b in bytes {
                if b < 0x80 && hidden(b as char) {
                    out.extend_from_slice(visible(&(b as char).to_string()).as_bytes());
                } else {
                    out.push(b);
                }
            }
            Cow::Owned(out)
        }
    }
}

/// JSON written with every character [`visible`] hides escaped as `\uXXXX` (serde_json
/// escapes C0 controls itself, not C1 controls or bidirectional overrides); raw fragments
/// (pre-rendered values) are escaped too. The JSON means the same.
pub struct JsonVisible;

impl serde_json::ser::Formatter for JsonVisible {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        writer.write_all(visible(fragment).as_bytes())
    }

    fn write_raw_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        writer.write_all(visible(fragment).as_bytes())
    }
}

/// A colour writer that makes visible the control characters of the text written through
/// it, while its own colours (written by `set_color`) still reach the terminal.
pub struct Visible<W>(pub W);

impl<W: io::Write> io::Write for Visible<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write_all(&visible_bytes(buf))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl<W: WriteColor> WriteColor for Visible<W> {
    fn supports_color(&self) -> bool {
        self.0.supports_color()
    }

    fn set_color(&mut self, spec: &ColorSpec) -> io::Result<()> {
        self.0.set_color(spec)
    }

    fn reset(&mut self) -> io::Result<()> {
        self.0.reset()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_scan_misses_no_hidden_character() {
        for c in (0..=0x30000u32).filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(
                matches!(visible(&s), Cow::Owned(_)),
                hidden(c),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn controls_are_made_visible_and_text_kept() {
        assert!(matches!(visible("遂溪县 A-1\tx\n"), Cow::Borrowed(_)));
        assert_eq!(visible("a\u{1b}[31mb"), "a\\u001b[31mb");
        assert_eq!(visible("a\rb\u{7}"), "a\\rb\\u0007");
        assert_eq!(visible("\u{9b}2J"), "\\u009b2J");
        assert_eq!(visible("x\u{202e}cod.exe"), "x\\u202ecod.exe");
        assert_eq!(&*visible_bytes(b"a\x1bb\xff"), b"a\\u001bb\xff");
    }

    #[test]
    fn json_stays_valid_and_means_the_same() {
        use serde::Serialize;
        let value = serde_json::json!({"name": "甲\u{1b}[31m\u{9b}\u{202e}县", "raw": serde_json::value::to_raw_value("\u{9b}").unwrap()});
        let mut out = Vec::new();
        value
            .serialize(&mut serde_json::Serializer::with_formatter(
                &mut out,
                JsonVisible,
            ))
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.chars().any(hidden), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], "甲\u{1b}[31m\u{9b}\u{202e}县");
        assert_eq!(back["raw"], "\u{9b}");
    }

    #[test]
    fn colours_still_reach_the_terminal_and_quoted_text_does_not() {
        use crate::diag::{render, Diagnostic, Kind, Sources};
        let mut sources = Sources::new();
        let f = sources.add("m.csv", "unit,value\na,5\u{1b}[2J\n");
        let d = Diagnostic::error(Kind::Value, "the value `5\u{1b}[2J` is not a number").at(
            f,
            13..20,
            "here\u{7}",
        );
        let coloured = render(&sources, std::slice::from_ref(&d), true);
        assert!(coloured.contains("\u{1b}[0m"), "colours kept: {coloured:?}");
        assert!(
            !coloured.contains("\u{1b}[2J") && !coloured.contains('\u{7}'),
            "{coloured:?}"
        );
        assert!(coloured.contains("5\\u001b[2J"), "{coloured:?}");
        let plain = render(&sources, &[d], false);
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
    }
}
