//! Reporting periods: a year, a half, a quarter, a span of months or two dates.

use crate::domain::text;
use serde::Serialize;
use std::fmt;
use time::{Date, Month};

/// A closed range of dates that a report covers, with the code it was asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// The code as written on the command line, normalised ("2022-H1").
    pub code: String,
    #[serde(with = "crate::domain::iso_date")]
    pub start: Date,
    #[serde(with = "crate::domain::iso_date")]
    pub end: Date,
    /// How the period is named in Vietnamese prose ("6 tháng đầu năm 2022").
    pub label: String,
    #[serde(skip)]
    shape: Shape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Year(i32),
    Half(i32, u8),
    Quarter(i32, u8),
    Months(i32, u8, u8),
    Dates,
}

/// Why a period code could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "kỳ báo cáo \"{0}\" không hợp lệ: dùng 2022, 2022-H1, 2022-Q3, 2022-01..2022-04 hoặc 2022-01-01..2022-03-31"
)]
pub struct PeriodError(pub String);

impl Period {
    /// Parses "2022", "2022-H1", "2022-Q3", "2022-01..2022-04" or "2022-01-15..2022-03-31",
    /// of years in [`super::YEARS`] (so that the period before and after exist too).
    pub fn parse(code: &str) -> Result<Period, PeriodError> {
        let code = code.trim();
        let err = || PeriodError(code.to_string());
        let year_of = |y: i32| super::YEARS.contains(&y).then_some(y).ok_or_else(err);
        if let Some((a, b)) = code.split_once("..") {
            if a.len() == 7 && b.len() == 7 {
                let (y1, m1) = parse_month(a).ok_or_else(err)?;
                let (y2, m2) = parse_month(b).ok_or_else(err)?;
                if year_of(y1)? != y2 || m1 > m2 {
                    return Err(err());
                }
                return Ok(Self::months(y1, m1, m2));
            }
            let start = super::parse_date(a).map_err(|_| err())?;
            let end = super::parse_date(b).map_err(|_| err())?;
            if start > end {
                return Err(err());
            }
            return Ok(Self::dates(start, end));
        }
        if let Some((y, rest)) = code.split_once('-') {
            let year = year_of(y.parse().map_err(|_| err())?)?;
            let rest = rest.to_ascii_uppercase();
            return match rest.as_str() {
                "H1" | "H2" => Ok(Self::half(year, if rest == "H1" { 1 } else { 2 })),
                "Q1" | "Q2" | "Q3" | "Q4" => Ok(Self::quarter(year, rest.as_bytes()[1] - b'0')),
                _ => Err(err()),
            };
        }
        Ok(Self::year(year_of(code.parse().map_err(|_| err())?)?))
    }

    /// The calendar year.
    pub fn year(year: i32) -> Period {
        Period {
            code: year.to_string(),
            start: ymd(year, 1, 1),
            end: ymd(year, 12, 31),
            label: format!("năm {year}"),
            shape: Shape::Year(year),
        }
    }

    /// The first (1) or second (2) half of a year.
    pub fn half(year: i32, half: u8) -> Period {
        let (start, end, label) = if half == 1 {
            (ymd(year, 1, 1), ymd(year, 6, 30), "6 tháng đầu năm")
        } else {
            (ymd(year, 7, 1), ymd(year, 12, 31), "6 tháng cuối năm")
        };
        Period {
            code: format!("{year}-H{half}"),
            start,
            end,
            label: format!("{label} {year}"),
            shape: Shape::Half(year, half),
        }
    }

    /// A quarter (1–4).
    pub fn quarter(year: i32, q: u8) -> Period {
        let first = (q - 1) * 3 + 1;
        let roman = ["I", "II", "III", "IV"][usize::from(q - 1)];
        Period {
            code: format!("{year}-Q{q}"),
            start: ymd(year, first, 1),
            end: last_day(year, first + 2),
            label: format!("quý {roman} năm {year}"),
            shape: Shape::Quarter(year, q),
        }
    }

    /// Months `from..=to` of one year.
    pub fn months(year: i32, from: u8, to: u8) -> Period {
        Period {
            code: format!("{year}-{from:02}..{year}-{to:02}"),
            start: ymd(year, from, 1),
            end: last_day(year, to),
            // Reports name a span from January by its length: "4 tháng đầu năm 2022".
            label: if from == to {
                format!("tháng {from:02} năm {year}")
            } else if from == 1 {
                format!("{to} tháng đầu năm {year}")
            } else {
                format!("từ tháng {from:02} đến tháng {to:02} năm {year}")
            },
            shape: Shape::Months(year, from, to),
        }
    }

    /// Any two dates.
    pub fn dates(start: Date, end: Date) -> Period {
        Period {
            code: format!("{start}..{end}"),
            start,
            end,
            label: format!("từ ngày {} đến ngày {}", text::date(start), text::date(end)),
            shape: Shape::Dates,
        }
    }

    /// The same period one year earlier ("cùng kỳ").
    pub fn same_period_last_year(&self) -> Period {
        match self.shape {
            Shape::Year(y) => Self::year(y - 1),
            Shape::Half(y, h) => Self::half(y - 1, h),
            Shape::Quarter(y, q) => Self::quarter(y - 1, q),
            Shape::Months(y, a, b) => Self::months(y - 1, a, b),
            Shape::Dates => Self::dates(minus_year(self.start), minus_year(self.end)),
        }
    }

    /// The period after this one, of the same shape (2022-H1 → 2022-H2, 2022 → 2023,
    /// 2022-Q4 → 2023-Q1); a span of months or dates is followed by the same length.
    pub fn next(&self) -> Period {
        match self.shape {
            Shape::Year(y) => Self::year(y + 1),
            Shape::Half(y, 1) => Self::half(y, 2),
            Shape::Half(y, _) => Self::half(y + 1, 1),
            Shape::Quarter(y, 4) => Self::quarter(y + 1, 1),
            Shape::Quarter(y, q) => Self::quarter(y, q + 1),
            Shape::Months(..) | Shape::Dates => {
                let length = self.end - self.start;
                // Periods lie in `YEARS`, far inside what `Date` holds.
                let start = self.end.next_day().unwrap_or(self.end);
                Self::dates(start, start + length)
            }
        }
    }

    /// The last day of the year before the period starts: the baseline "so với năm 2021".
    pub fn end_of_previous_year(&self) -> Date {
        ymd(self.start.year() - 1, 12, 31)
    }

    /// Whether `d` lies inside the period.
    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

fn parse_month(s: &str) -> Option<(i32, u8)> {
    let (y, m) = s.split_once('-')?;
    let m: u8 = m.parse().ok()?;
    (1..=12).contains(&m).then_some((y.parse().ok()?, m))
}

/// A day of a month of a period's year (months 1–12 and days within the month, as every
/// caller passes; `parse` bounds the year to `YEARS`).
#[allow(
    clippy::expect_used,
    reason = "callers pass months 1-12 and days of that month, in years of `YEARS`; the period property tests cover every form"
)]
fn ymd(year: i32, month: u8, day: u8) -> Date {
    let month = Month::January.nth_next(month.saturating_sub(1));
    Date::from_calendar_date(year, month, day).expect("a valid calendar date")
}

fn last_day(year: i32, month: u8) -> Date {
    let m = Month::January.nth_next(month.saturating_sub(1));
    ymd(year, month, m.length(year))
}

fn minus_year(d: Date) -> Date {
    let day = d.day().min(d.month().length(d.year() - 1));
    Date::from_calendar_date(d.year() - 1, d.month(), day).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_of_years_out_of_range_are_refused_not_panicking() {
        for code in [
            "10000-H1",
            "9999-H2",
            "9999",
            "0-Q1",
            "-5-H1",
            "1899",
            "3000-01..3000-02",
            "2999-12-01..9999-12-31",
            "0000-01-01..2020-01-01",
        ] {
            assert!(Period::parse(code).is_err(), "{code}");
        }
        let last = Period::parse("2999-H2").unwrap();
        assert_eq!(last.next().code, "3000-H1");
        let span = Period::parse("2999-01-01..2999-12-31").unwrap();
        assert_eq!(span.next().start.year(), 3000);
        assert_eq!(
            Period::parse("1900-H1")
                .unwrap()
                .same_period_last_year()
                .code,
            "1899-H1"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_a_period_or_an_error(code in "\\PC{0,24}") {
            if let Ok(p) = Period::parse(&code) {
                let _ = (p.next(), p.same_period_last_year(), p.end_of_previous_year());
            }
        }

        #[test]
        fn any_period_shaped_text_is_a_period_or_an_error(
            y in -20000i32..20000, m in 0u8..20, d in 0u8..40, kind in 0u8..5
        ) {
            let code = match kind {
                0 => format!("{y}"),
                1 => format!("{y}-H{m}"),
                2 => format!("{y}-Q{m}"),
                3 => format!("{y}-{m:02}..{y}-{d:02}"),
                _ => format!("{y}-{m:02}-{d:02}..{y}-12-31"),
            };
            if let Ok(p) = Period::parse(&code) {
                let _ = (p.next(), p.same_period_last_year(), p.end_of_previous_year());
            }
        }
    }
    use time::macros::date;

    #[test]
    fn a_half_year_covers_january_to_june() {
        let p = Period::parse("2022-H1").unwrap();
        assert_eq!(
            (p.start, p.end),
            (date!(2022 - 01 - 01), date!(2022 - 06 - 30))
        );
        assert_eq!(p.label, "6 tháng đầu năm 2022");
        assert_eq!(p.end_of_previous_year(), date!(2021 - 12 - 31));
        assert_eq!(p.same_period_last_year().code, "2021-H1");
        assert_eq!(p.next().code, "2022-H2");
        assert_eq!(p.next().next().code, "2023-H1");
        assert_eq!(Period::parse("2022-Q4").unwrap().next().code, "2023-Q1");
    }

    #[test]
    fn quarters_months_and_date_spans_parse() {
        let q = Period::parse("2022-q3").unwrap();
        assert_eq!(
            (q.start, q.end),
            (date!(2022 - 07 - 01), date!(2022 - 09 - 30))
        );
        assert_eq!(q.label, "quý III năm 2022");
        let m = Period::parse("2024-01..2024-02").unwrap();
        assert_eq!(m.end, date!(2024 - 02 - 29));
        let d = Period::parse("2022-01-15..2022-03-31").unwrap();
        assert_eq!(d.label, "từ ngày 15/01/2022 đến ngày 31/03/2022");
        assert_eq!(Period::parse("2023").unwrap().end, date!(2023 - 12 - 31));
    }

    #[test]
    fn malformed_periods_are_refused() {
        for bad in [
            "2022-H3",
            "22x",
            "2022-05..2022-02",
            "2022-02-30..2022-03-01",
            "",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn a_span_from_january_is_named_by_its_length() {
        assert_eq!(
            Period::parse("2019-01..2019-04").unwrap().label,
            "4 tháng đầu năm 2019"
        );
        assert_eq!(
            Period::parse("2022-01..2022-09").unwrap().label,
            "9 tháng đầu năm 2022"
        );
        assert_eq!(
            Period::parse("2022-03..2022-05").unwrap().label,
            "từ tháng 03 đến tháng 05 năm 2022"
        );
        assert_eq!(
            Period::parse("2022-01..2022-01").unwrap().label,
            "tháng 01 năm 2022"
        );
    }
}
