//! Numbers as people type them into a spreadsheet: `1,234.5`, `12.5%`, full-width digits and
//! punctuation (`１２．５％`), surrounding spaces (full-width too). Anything that could be
//! read two ways (`1,23`, `1.234,5`, a `%` on a figure that is not a percentage) is rejected
//! with the reason, never guessed.

/// Why a text is not a usable number.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NumberError {
    /// Not a number at all (`三十`, `30亿元`, `abc`).
    NotANumber,
    /// Larger than [`MAX_NUMBER`].
    TooLarge,
    /// A comma that is not a thousands separator (`1,23`, `1.234,5`).
    AmbiguousComma,
    /// A `%` where the figure is not a percentage, or more than one `%`.
    Percent,
}

pub use crate::rounding::MAX_NUMBER;

/// Parses a number. `percent`: the figure is a percentage (its unit of measure is `%`), so a
/// trailing `%` is allowed and means the number itself (`12.5%` is 12.5).
pub fn parse(text: &str, percent: bool) -> Result<f64, NumberError> {
    // Almost every figure is plain ASCII (`6.2`, `-0.5`, `1234`): read without copying.
    let plain = text.trim();
    if !plain.is_empty()
        && plain
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        let v = plain
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or(NumberError::NotANumber)?;
        if v.abs() > MAX_NUMBER {
            return Err(NumberError::TooLarge);
        }
        return Ok(v);
    }
    let t = normalise(text);
    let mut t = t.as_str();
    if let Some(rest) = t.strip_suffix('%') {
        if !percent || rest.ends_with('%') {
            return Err(NumberError::Percent);
        }
        t = rest.trim_end();
    }
    if t.contains('%') {
        return Err(NumberError::Percent);
    }
    let digits = if t.contains(',') {
        grouped(t)?
    } else {
        t.to_string()
    };
    let ok = !digits.is_empty()
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if !ok {
        return Err(NumberError::NotANumber);
    }
    let v = digits
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or(NumberError::NotANumber)?;
    if v.abs() > MAX_NUMBER {
        return Err(NumberError::TooLarge);
    }
    Ok(v)
}

/// Full-width digits and punctuation to ASCII, surrounding (full-width) spaces removed.
fn normalise(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '，' => ',',
            '％' => '%',
            '－' | '−' => '-',
            '＋' => '+',
            _ => c,
        })
        .collect()
}

/// `1,234,567.5` → `1234567.5`: commas only between groups of exactly three digits, in the
/// integer part, after one to three leading digits.
fn grouped(t: &str) -> Result<String, NumberError> {
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-' | b'+') => t.split_at(1),
        _ => ("", t),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    let first_ok = all_digits(first) && first.len() <= 3;
    let rest: Vec<&str> = groups.collect();
    let rest_ok = rest.iter().all(|g| g.len() == 3 && all_digits(g));
    let frac_ok = frac.is_none_or(all_digits);
    if first_ok && rest_ok && frac_ok {
        let mut s = format!("{sign}{first}{}", rest.concat());
        if let Some(f) = frac {
            s.push('.');
            s.push_str(f);
        }
        return Ok(s);
    }
    // Only digits, commas and points (`1,23`, `1.234,5`): a separator that could mean two
    // things. Anything else is simply not a number.
    if body
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
    {
        Err(NumberError::AmbiguousComma)
    } else {
        Err(NumberError::NotANumber)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers() {
        assert_eq!(parse("5.8", false), Ok(5.8));
        assert_eq!(parse(" 5.80 ", false), Ok(5.8));
        assert_eq!(parse("-3", false), Ok(-3.0));
        assert_eq!(parse("+3", false), Ok(3.0));
        assert_eq!(parse(".5", false), Ok(0.5));
        assert_eq!(parse("1.5E+3", false), Ok(1500.0));
    }

    #[test]
    fn thousands_separators_in_groups_of_three() {
        assert_eq!(parse("1,234", false), Ok(1234.0));
        assert_eq!(parse("1,234.5", false), Ok(1234.5));
        assert_eq!(parse("12,345,678", false), Ok(12345678.0));
        assert_eq!(parse("-1,234.5", false), Ok(-1234.5));
        assert_eq!(parse("1,23", false), Err(NumberError::AmbiguousComma));
        assert_eq!(parse("1,2345", false), Err(NumberError::AmbiguousComma));
        assert_eq!(parse("1234,567", false), Err(NumberError::AmbiguousComma));
        assert_eq!(parse("1.234,5", false), Err(NumberError::AmbiguousComma));
        assert_eq!(parse(",123", false), Err(NumberError::AmbiguousComma));
        assert_eq!(parse("1,234.5,6", false), Err(NumberError::AmbiguousComma));
        assert_eq!(parse("1,234亿", false), Err(NumberError::NotANumber));
    }

    #[test]
    fn percent_only_on_percentages() {
        assert_eq!(parse("12.5%", true), Ok(12.5));
        assert_eq!(parse("12.5 %", true), Ok(12.5));
        assert_eq!(parse("12.5", true), Ok(12.5));
        assert_eq!(parse("12.5%", false), Err(NumberError::Percent));
        assert_eq!(parse("12%%", true), Err(NumberError::Percent));
        assert_eq!(parse("%12", true), Err(NumberError::Percent));
        assert_eq!(parse("%", true), Err(NumberError::NotANumber));
    }

    #[test]
    fn full_width_digits_and_punctuation() {
        assert_eq!(parse("１２．５", false), Ok(12.5));
        assert_eq!(parse("１，２３４．５", false), Ok(1234.5));
        assert_eq!(parse("１２．５％", true), Ok(12.5));
        assert_eq!(parse("－３", false), Ok(-3.0));
        assert_eq!(parse("\u{3000}６\u{3000}", false), Ok(6.0));
    }

    #[test]
    fn not_numbers() {
        for t in [
            "", "abc", "三十", "30亿元", "6.5 7", "1 234", "NaN", "inf", "--3", "1..2",
        ] {
            assert_eq!(parse(t, true), Err(NumberError::NotANumber), "{t}");
        }
        assert_eq!(parse("1e30", false), Err(NumberError::TooLarge));
        assert_eq!(parse("-2e12", false), Err(NumberError::TooLarge));
    }
}
