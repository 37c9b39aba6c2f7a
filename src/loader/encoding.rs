//! Encoding traps: text that decodes without an error and is still wrong.
//!
//! - **UTF-16** (and UTF-32): Windows' "Unicode text" is two bytes a character; ASCII text in
//!   it is valid UTF-8 full of NUL bytes, so without this check a header reads as
//!   `u\0n\0i\0t\0` and the user is told of an unknown column. A text file never holds NUL.
//! - **GBK read as UTF-8**: a short GBK file can happen to be valid UTF-8. Each Chinese
//!   character then becomes one Latin-extended, IPA, Cyrillic… letter (平山 → ƽɽ). A letter
//!   is taken for such a character only when its two UTF-8 bytes are a GB2312 character
//!   (second byte A1–BF), which pinyin with tone marks (ā, ǎ, ǚ: second byte below A1) and
//!   the Latin-1 and Greek signs offices use (°, ±, ², ×, μ) never are, and when a run of
//!   two or more such letters reads back as Chinese characters in GBK.
//! - **UTF-8 read as Windows-1252 and saved again** ("double-encoded"): 平山 → å¹³å±±; a run of
//!   Latin-1 letters whose Windows-1252 bytes are UTF-8 Chinese.
//!
//! Each trap is a [`Diagnostic`] pointing at the first place it shows, saying what the text
//! would be in the right encoding.

use encoding_rs::{GB18030, WINDOWS_1252};

use crate::diag::{Diagnostic, FileId, Kind, Sources};

/// What kind of file was read: a data table (CSV, which may be GBK) or a file that must be
/// UTF-8 (TOML, scripts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// A CSV table: GBK is read too (detected or declared).
    Table,
    /// TOML or a Rhai script: UTF-8 only.
    Utf8Only,
}

/// A UTF-16 or UTF-32 file (by its byte-order mark, or by the NUL bytes its ASCII characters
/// carry). Checked on the bytes, before any decoding.
pub fn wide_text(path: &str, bytes: &[u8]) -> Option<Diagnostic> {
    let what = if bytes.starts_with(b"\xff\xfe\0\0") || bytes.starts_with(b"\0\0\xfe\xff") {
        "UTF-32"
    } else if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        "UTF-16"
    } else if bytes.contains(&0) {
        // Without a byte-order mark: NULs at every other byte are UTF-16, at three of four UTF-32.
        let nul = bytes.iter().filter(|b| **b == 0).count();
        if nul * 3 > bytes.len() * 2 {
            "UTF-32"
        } else if nul * 4 >= bytes.len() {
            "UTF-16"
        } else {
            return Some(
                Diagnostic::error(
                    Kind::Io,
                    format!("`{path}` is not a text file: it holds NUL bytes"),
                )
                .help("save it as CSV UTF-8 (in Excel: 另存为 → CSV UTF-8 (逗号分隔)); a workbook is read as .xlsx"),
            );
        }
    } else {
        return None;
    };
    Some(
        Diagnostic::error(
            Kind::Io,
            format!("`{path}` is {what} text (\"Unicode text\"), which jingbiao does not read"),
        )
        .help("save it as UTF-8 (in Excel: 另存为 → CSV UTF-8 (逗号分隔); in Notepad: 另存为, 编码 UTF-8)"),
    )
}

/// A letter that is the UTF-8 reading of a GB2312 Chinese character's two GBK bytes.
fn gbk_as_utf8_letter(c: char) -> bool {
    let u = c as u32;
    // Two-byte UTF-8 from Latin Extended-A (U+0100) on; Greek (μ, α…) excepted.
    (0x100..0x800).contains(&u) && !(0x370..0x400).contains(&u) && (u & 0x3f) >= 0x21
}

/// A Latin-1 letter that may be one byte of UTF-8 read as Windows-1252.
fn latin1_piece(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    let mut buf = [0; 4];
    let (bytes, _, bad) = WINDOWS_1252.encode(c.encode_utf8(&mut buf));
    !bad && bytes.len() == 1
}

fn is_chinese(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff)
}

/// The first run of mis-decoded text: its byte range in `text` and what it reads as.
fn misread(text: &str) -> Option<(std::ops::Range<usize>, String, &'static str)> {
    // UTF-8 read as Windows-1252 and saved again: a lead byte (Ã…ï) then continuation bytes.
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !('\u{e0}'..='\u{ef}').contains(&c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if !latin1_piece(d) {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        let (bytes, _, bad) = WINDOWS_1252.encode(&text[i..end]);
        if bad {
            continue;
        }
        if let Ok(s) = std::str::from_utf8(&bytes) {
            if !s.is_empty() && s.chars().all(is_chinese) {
                return Some((i..end, s.to_string(), "UTF-8"));
            }
        }
    }
    // GBK read as UTF-8.
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !gbk_as_utf8_letter(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if !gbk_as_utf8_letter(d) {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        // One letter alone may be a pinyin ī or ū; a name is two characters or more.
        let (gbk, _, bad) = GB18030.decode(&text.as_bytes()[i..end]);
        if !bad && gbk.chars().count() >= 2 && gbk.chars().all(is_chinese) {
            return Some((i..end, gbk.into_owned(), "GBK"));
        }
    }
    None
}

/// A file read as UTF-8 whose text looks mis-decoded: an error pointing at the first such
/// run, saying what it would read as.
pub fn mojibake(sources: &Sources, file: FileId, kind: Text) -> Option<Diagnostic> {
    let text = sources.text(file);
    if text.is_ascii() {
        return None;
    }
    let (span, meant, was) = misread(text)?;
    let name = sources.name(file);
    let seen = &text[span.clone()];
    let (message, help) = if was == "GBK" {
        (
            format!("`{name}` looks like GBK text read as UTF-8: `{seen}` would be `{meant}` in GBK"),
            match kind {
                Text::Table => "the file was probably saved as GBK (in Excel: 另存为 → CSV (逗号分隔)) and happens to be valid UTF-8 too: save it as CSV UTF-8 (另存为 → CSV UTF-8 (逗号分隔)), or declare `encoding = \"gbk\"` in campaign.toml",
                Text::Utf8Only => "the file was probably saved as GBK (ANSI) and happens to be valid UTF-8 too: save it as UTF-8 (in Notepad: 另存为, 编码 UTF-8)",
            },
        )
    } else {
        (
            format!("`{name}` looks like UTF-8 text that was read as Western (Windows-1252) and saved again: `{seen}` would be `{meant}`"),
            "take the file from before it was opened and saved in the wrong encoding, or retype the Chinese text; save it as UTF-8",
        )
    };
    Some(
        Diagnostic::error(Kind::Io, message)
            .at(file, span, format!("this would be `{meant}`"))
            .help(help),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf8_reading_of_gbk(s: &str) -> String {
        let (b, _, _) = GB18030.encode(s);
        String::from_utf8(b.into_owned()).expect("valid UTF-8 by luck")
    }

    #[test]
    fn gbk_that_is_valid_utf8_is_caught() {
        let t = format!(
            "id,name,group\npingshan,{},county\n",
            utf8_reading_of_gbk("平山")
        );
        assert!(t.contains("ƽɽ"), "{t}");
        let (span, meant, was) = misread(&t).unwrap();
        assert_eq!((&t[span], meant.as_str(), was), ("ƽɽ", "平山", "GBK"));
    }

    #[test]
    fn double_encoded_utf8_is_caught() {
        let (latin, _, _) = WINDOWS_1252.decode("平山县".as_bytes());
        let t = format!("id,name\nx,{latin}\n");
        let (_, meant, was) = misread(&t).unwrap();
        assert_eq!((meant.as_str(), was), ("平山县", "UTF-8"));
    }

    #[test]
    fn signs_pinyin_and_foreign_letters_pass() {
        for ok in [
            "PM2.5,μg/m³,±5%,×2,25°C,m²",
            "Píngshān,Lǚ Xùn,Nǚ,ǎ ǐ ǒ ǔ ǜ,ē ī ō ū",
            "José Müller,Ångström,café,naïve,Zoë",
            "湛江经开区,麻章区,“竞标争先”",
        ] {
            assert!(misread(ok).is_none(), "{ok}: {:?}", misread(ok));
        }
    }

    #[test]
    fn utf16_and_utf32_are_named() {
        let le: Vec<u8> = "unit,value\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let m = |b: &[u8]| wide_text("m.csv", b).map(|d| d.message);
        assert!(m(&le).unwrap().contains("UTF-16"));
        let mut bom = vec![0xff, 0xfe];
        bom.extend(&le);
        assert!(m(&bom).unwrap().contains("UTF-16"));
        let be: Vec<u8> = "单位,数值\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert!(m(&[&[0xfe, 0xff][..], &be].concat())
            .unwrap()
            .contains("UTF-16"));
        let w32: Vec<u8> = "unit\n"
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        assert!(m(&w32).unwrap().contains("UTF-32"));
        assert!(m(b"unit,value\n").is_none());
        assert!(m(b"unit,value\n\0").unwrap().contains("NUL"));
    }
}
