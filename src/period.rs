//! Periods of a campaign year: months, quarters or half-years, written `2023-03`,
//! `2023-Q2` and `2023-H1`, and the time progress (序时进度) each stands for.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodKind {
    Month,
    Quarter,
    HalfYear,
}

impl PeriodKind {
    /// How many periods of this kind make a year.
    pub fn per_year(self) -> u32 {
        match self {
            PeriodKind::Month => 12,
            PeriodKind::Quarter => 4,
            PeriodKind::HalfYear => 2,
        }
    }

    fn months(self) -> u32 {
        12 / self.per_year()
    }

    /// How a period of this kind is written, for messages.
    pub fn example(self, year: i32) -> String {
        match self {
            PeriodKind::Month => format!("{year}-03"),
            PeriodKind::Quarter => format!("{year}-Q2"),
            PeriodKind::HalfYear => format!("{year}-H1"),
        }
    }
}

/// One period: a month, quarter or half-year of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    pub kind: PeriodKind,
    /// 1-based position in the year.
    pub index: u32,
}

impl Period {
    /// Parses `2023-Q2`, `2023-H1` or `2023-03` as a period of `kind`.
    pub fn parse(text: &str, kind: PeriodKind) -> Result<Period, String> {
        let bad = || {
            format!(
                "`{text}` is not a {} period; write it like `{}`",
                kind_name(kind),
                kind.example(2023)
            )
        };
        let (year, rest) = text.trim().split_once('-').ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        if !(1900..=2999).contains(&year) {
            return Err(bad());
        }
        let index: u32 = match kind {
            PeriodKind::Month => rest.parse().map_err(|_| bad())?,
            PeriodKind::Quarter => rest
                .strip_prefix(['Q', 'q'])
                .and_then(|n| n.parse().ok())
                .ok_or_else(bad)?,
            PeriodKind::HalfYear => rest
                .strip_prefix(['H', 'h'])
                .and_then(|n| n.parse().ok())
                .ok_or_else(bad)?,
        };
        if index == 0 || index > kind.per_year() {
            return Err(bad());
        }
        Ok(Period { year, kind, index })
    }

    /// First day of the period.
    pub fn start(&self) -> NaiveDate {
        let month = (self.index - 1) * self.kind.months() + 1;
        NaiveDate::from_ymd_opt(self.year, month, 1).expect("valid month")
    }

    /// Last day of the period.
    pub fn end(&self) -> NaiveDate {
        let next_month = self.index * self.kind.months() + 1;
        let next = if next_month > 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, next_month, 1)
        };
        next.and_then(|d| d.pred_opt()).expect("valid date")
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start() <= date && date <= self.end()
    }

    /// Linear time progress at the period's end: Q1 0.25, H1 0.5, March 0.25.
    pub fn linear_progress(&self) -> f64 {
        self.index as f64 / self.kind.per_year() as f64
    }

    /// The period's name in Chinese, e.g. `2023年第二季度`.
    pub fn label_zh(&self) -> String {
        const Q: [&str; 4] = ["一", "二", "三", "四"];
        match self.kind {
            PeriodKind::Month => format!("{}年{}月", self.year, self.index),
            PeriodKind::Quarter => format!("{}年第{}季度", self.year, Q[self.index as usize - 1]),
            PeriodKind::HalfYear if self.index == 1 => format!("{}年上半年", self.year),
            PeriodKind::HalfYear => format!("{}年全年", self.year),
        }
    }
}

fn kind_name(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Month => "monthly",
        PeriodKind::Quarter => "quarterly",
        PeriodKind::HalfYear => "half-year",
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PeriodKind::Month => write!(f, "{}-{:02}", self.year, self.index),
            PeriodKind::Quarter => write!(f, "{}-Q{}", self.year, self.index),
            PeriodKind::HalfYear => write!(f, "{}-H{}", self.year, self.index),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_kind() {
        for (text, kind) in [
            ("2023-Q2", PeriodKind::Quarter),
            ("2023-H1", PeriodKind::HalfYear),
            ("2023-03", PeriodKind::Month),
        ] {
            assert_eq!(Period::parse(text, kind).unwrap().to_string(), text);
        }
        assert!(Period::parse("2023-Q5", PeriodKind::Quarter).is_err());
        assert!(Period::parse("2023-13", PeriodKind::Month).is_err());
        assert!(Period::parse("2023-Q1", PeriodKind::Month).is_err());
        assert!(Period::parse("Q1", PeriodKind::Quarter).is_err());
    }

    #[test]
    fn dates_and_progress() {
        let q2 = Period::parse("2023-Q2", PeriodKind::Quarter).unwrap();
        assert_eq!(q2.start().to_string(), "2023-04-01");
        assert_eq!(q2.end().to_string(), "2023-06-30");
        assert_eq!(q2.linear_progress(), 0.5);
        assert_eq!(q2.label_zh(), "2023年第二季度");
        let dec = Period::parse("2023-12", PeriodKind::Month).unwrap();
        assert_eq!(dec.end().to_string(), "2023-12-31");
        let feb = Period::parse("2024-02", PeriodKind::Month).unwrap();
        assert_eq!(feb.end().to_string(), "2024-02-29");
        let h1 = Period::parse("2023-H1", PeriodKind::HalfYear).unwrap();
        assert_eq!(h1.label_zh(), "2023年上半年");
        assert!(h1.contains(NaiveDate::from_ymd_opt(2023, 6, 30).unwrap()));
    }
}

impl Period {
    /// The period before this one (the previous year's last for the first).
    pub fn previous(&self) -> Period {
        if self.index > 1 {
            Period {
                index: self.index - 1,
                ..*self
            }
        } else {
            Period {
                year: self.year - 1,
                index: self.kind.per_year(),
                ..*self
            }
        }
    }

    /// The same period a year earlier.
    pub fn a_year_earlier(&self) -> Period {
        Period {
            year: self.year - 1,
            ..*self
        }
    }
}

#[cfg(test)]
mod neighbour_tests {
    use super::*;

    #[test]
    fn previous_and_a_year_earlier() {
        let q1 = Period::parse("2023-Q1", PeriodKind::Quarter).unwrap();
        assert_eq!(q1.previous().to_string(), "2022-Q4");
        assert_eq!(q1.a_year_earlier().to_string(), "2022-Q1");
        let m3 = Period::parse("2023-03", PeriodKind::Month).unwrap();
        assert_eq!(m3.previous().to_string(), "2023-02");
    }
}
