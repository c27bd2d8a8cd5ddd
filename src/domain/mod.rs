//! The pure core of htx: types, rules and figures. Nothing here touches the database,
//! files or the network.

pub mod access;
pub mod alliance;
pub mod codes;
pub mod evaluation;
pub mod fund;
pub mod geo;
pub mod governance;
pub mod period;
pub mod plans;
pub mod programmes;
pub mod registry;
pub mod report;
pub mod sector;
pub mod text;

use time::{Date, OffsetDateTime, UtcOffset};

/// Vietnam's offset from UTC (no daylight saving).
pub const VIETNAM: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!("valid offset"),
};

/// Today's date in Vietnam. `HTX_TODAY=YYYY-MM-DD` pins it (for reproducible demos).
pub fn today() -> Date {
    if let Ok(s) = std::env::var("HTX_TODAY")
        && let Ok(d) = parse_date(&s)
    {
        return d;
    }
    OffsetDateTime::now_utc().to_offset(VIETNAM).date()
}

/// The current instant as ISO-8601 text in UTC with microseconds, as stored in `recorded_at`
/// columns. The fixed width keeps text order equal to time order.
pub fn now_iso() -> String {
    iso_instant(OffsetDateTime::now_utc())
}

/// An instant as ISO-8601 text in UTC with microseconds (see [`now_iso`]).
pub fn iso_instant(t: OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    );
    // Formatting fails only for a year beyond 9999, which a clock does not give.
    t.to_offset(UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default()
}

/// The years a date typed by a user may have. Records of the movement start after 1900, and
/// the bound keeps every date computed from a typed one (a schedule's last instalment, the
/// period after a report's) far inside what the calendar type holds.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

/// Parses an ISO date (`2022-06-30`) or a Vietnamese one (`30/06/2022`, `30-6-2022`), of a
/// year in [`YEARS`].
pub fn parse_date(s: &str) -> Result<Date, String> {
    let s = s.trim();
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let numbers: Option<Vec<i32>> = parts.iter().map(|p| p.trim().parse().ok()).collect();
    let (y, m, d) = match (parts.as_slice(), numbers) {
        ([y, _, _], Some(n)) if y.len() == 4 => (n[0], n[1], n[2]),
        ([_, _, y], Some(n)) if y.len() == 4 => (n[2], n[1], n[0]),
        _ => return Err(format!("\"{s}\" không phải ngày hợp lệ (dd/mm/yyyy)")),
    };
    if !YEARS.contains(&y) {
        return Err(format!(
            "\"{s}\": năm phải từ {} đến {}",
            YEARS.start(),
            YEARS.end()
        ));
    }
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok());
    match (month, u8::try_from(d)) {
        (Some(month), Ok(day)) => Date::from_calendar_date(y, month, day)
            .map_err(|_| format!("\"{s}\" không phải ngày hợp lệ (dd/mm/yyyy)")),
        _ => Err(format!("\"{s}\" không phải ngày hợp lệ (dd/mm/yyyy)")),
    }
}

/// Serde helpers writing a `Date` as `YYYY-MM-DD`.
pub mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    /// Writes `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.to_string())
    }

    /// Reads `YYYY-MM-DD`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        super::parse_date(&s).map_err(serde::de::Error::custom)
    }

    /// The same for a date that may be absent (written as null).
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};
        use time::Date;

        /// Writes `YYYY-MM-DD` or null.
        pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_str(&d.to_string()),
                None => s.serialize_none(),
            }
        }

        /// Reads `YYYY-MM-DD` or null.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|s| crate::domain::parse_date(&s).map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_are_read_in_iso_and_vietnamese_forms() {
        assert_eq!(parse_date("2022-06-30").unwrap(), date!(2022 - 06 - 30));
        assert_eq!(parse_date("30/06/2022").unwrap(), date!(2022 - 06 - 30));
        assert_eq!(parse_date("8/7/2022").unwrap(), date!(2022 - 07 - 08));
        assert!(parse_date("31/02/2022").is_err());
        assert!(parse_date("hôm qua").is_err());
    }
}
