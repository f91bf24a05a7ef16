//! Calendar dates as editors write them (`YYYY-MM-DD`), without a time zone:
//! a case is dated by the day, and the feed and sitemap only need the day.

use serde::de::{self, Deserialize, Deserializer};
use std::fmt;

/// A valid calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses exactly `YYYY-MM-DD` and checks that the day exists.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u16>().ok();
        if !s.bytes().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()) {
            return None;
        }
        let (year, month, day) = (num(0..4)?, num(5..7)? as u8, num(8..10)? as u8);
        (year >= 1 && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// What an editor reads when a date is not a valid `YYYY-MM-DD` day;
    /// written in that shape, also which part does not exist.
    pub fn error_message(text: &str) -> String {
        let message = format!("`{text}` is not a date: write it as YYYY-MM-DD, for example 2020-03-01");
        let b = text.as_bytes();
        let shaped = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
        if !shaped || !b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()) {
            return message;
        }
        let num = |r: std::ops::Range<usize>| text[r].parse::<u16>().unwrap_or(0);
        let (year, month, day) = (num(0..4), num(5..7) as u8, num(8..10) as u8);
        let why = if year == 0 {
            "there is no year 0".to_string()
        } else if !(1..=12).contains(&month) {
            format!("there is no month {month}")
        } else if day == 0 || day > days_in_month(year, month) {
            format!("month {month} of {year} has {} days", days_in_month(year, month))
        } else {
            return message;
        };
        format!("{message} ({why})")
    }

    /// The day a number of days after 1970-01-01 falls on (the proleptic
    /// Gregorian calendar, after Howard Hinnant's `civil_from_days`).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// The number of days from 1970-01-01 to this day (the inverse of
    /// [`Date::from_days`], after Howard Hinnant's `days_from_civil`).
    pub fn days(&self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Today in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Date::from_days((secs / 86_400) as i64)
    }

    /// `2020-03-01T00:00:00Z`, for Atom feeds.
    pub fn rfc3339(&self) -> String {
        format!("{self}T00:00:00Z")
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = crate::model::values::Text::deserialize(d)?.0;
        Date::parse(s.trim()).ok_or_else(|| de::Error::custom(Date::error_message(s.trim())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_in_the_right_shape_says_which_part_does_not_exist() {
        let says = |t: &str| Date::error_message(t).split_once(" (").map(|(_, why)| why.to_string());
        assert_eq!(says("2023-13-01").as_deref(), Some("there is no month 13)"));
        assert_eq!(says("2021-02-30").as_deref(), Some("month 2 of 2021 has 28 days)"));
        assert_eq!(says("2024-02-30").as_deref(), Some("month 2 of 2024 has 29 days)"));
        assert_eq!(says("2024-04-00").as_deref(), Some("month 4 of 2024 has 30 days)"));
        assert_eq!(says("0000-01-01").as_deref(), Some("there is no year 0)"));
        // another shape gets the shape alone
        assert_eq!(says("gisteren"), None);
        assert_eq!(says("2024-1-01"), None);
        assert!(Date::error_message("2023-13-01").starts_with("`2023-13-01` is not a date: write it as YYYY-MM-DD"));
    }

    #[test]
    fn days_and_from_days_are_inverse() {
        for days in [-719_162, -1, 0, 1, 59, 18_322, 20_425, 2_932_896] {
            assert_eq!(Date::from_days(days).days(), days);
        }
        assert_eq!(Date::parse("2020-03-01").unwrap().days(), 18_322);
    }

    #[test]
    fn parses_real_days_only() {
        assert_eq!(Date::parse("2020-03-01"), Some(Date { year: 2020, month: 3, day: 1 }));
        assert_eq!(Date::parse("2020-02-29").map(|d| d.to_string()).as_deref(), Some("2020-02-29"));
        for bad in ["2021-02-29", "2020-13-01", "2020-3-1", "01-03-2020", "2020-03-01x", "2020/03/01", "+020-03-01", ""]
        {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_since_1970_become_days() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(18_321).to_string(), "2020-02-29");
        assert_eq!(Date::from_days(20_780).to_string(), "2026-11-23");
    }

    #[test]
    fn formats_for_feeds() {
        assert_eq!(Date::parse("2020-03-01").unwrap().rfc3339(), "2020-03-01T00:00:00Z");
    }
}
