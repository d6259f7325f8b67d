//! Conversions between [`Date`]/[`DateTime`] and [chrono]'s calendar types (the `chrono`
//! feature).
//!
//! The server's date-times are naive UTC with whole seconds, so [`DateTime`] pairs with both
//! [`NaiveDateTime`] (the same naive value) and [`chrono::DateTime<Utc>`](::chrono::DateTime) (that
//! value read as UTC).
//!
//! | SDK          | chrono              | SDK → chrono | chrono → SDK (`TryFrom`), refused for               |
//! |--------------|---------------------|--------------|-----------------------------------------------------|
//! | [`Date`]     | [`NaiveDate`]       | `From`       | years outside 1 to 9999                             |
//! | [`DateTime`] | [`NaiveDateTime`]   | `From`       | those years, a fraction of a second, a leap second  |
//! | [`DateTime`] | `DateTime<Utc>`     | `From`       | the same                                            |
//!
//! chrono holds years the SDK cannot (before 1 and after 9999) and nanoseconds: a conversion to
//! the SDK refuses them with a [`ParseError`] rather than clamping or truncating, so a value that
//! converts comes back unchanged. A `DateTime` in another time zone converts with
//! [`with_timezone(&Utc)`](::chrono::DateTime::with_timezone) first.
//!
//! ```
//! use chrono::{NaiveDate, Utc};
//! use taskflow_sdk::fields::{Date, DateTime};
//!
//! let at: DateTime = "2026-11-30 07:37:41".parse()?;
//! let utc: chrono::DateTime<Utc> = at.into();
//! assert_eq!(utc.timestamp(), 1_796_024_261);
//! assert_eq!(DateTime::try_from(utc)?, at);
//!
//! let day = Date::try_from(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap())?;
//! assert_eq!(day.to_string(), "2024-02-29");
//! // Sub-second precision is refused, not truncated:
//! assert!(DateTime::try_from(utc + chrono::Duration::milliseconds(500)).is_err());
//! # Ok::<(), taskflow_sdk::fields::ParseError>(())
//! ```

use ::chrono::{Datelike as _, NaiveDate, NaiveDateTime, Timelike as _, Utc};

use super::{Date, DateTime, ParseError};

impl From<Date> for NaiveDate {
    fn from(date: Date) -> Self {
        NaiveDate::from_ymd_opt(
            i32::from(date.year()),
            u32::from(date.month()),
            u32::from(date.day()),
        )
        .expect("every TaskFlow date (years 1 to 9999) is a chrono::NaiveDate")
    }
}

/// Refused for years outside 1 to 9999, the range of a TaskFlow date.
impl TryFrom<NaiveDate> for Date {
    type Error = ParseError;

    fn try_from(date: NaiveDate) -> Result<Self, ParseError> {
        u16::try_from(date.year())
            .ok()
            .and_then(|year| Date::new(year, date.month() as u8, date.day() as u8))
            .ok_or_else(|| {
                ParseError::new(format!(
                    "chrono::NaiveDate {date} is outside years 1 to 9999, the range of a \
                     TaskFlow date: send a date within it"
                ))
            })
    }
}

impl From<DateTime> for NaiveDateTime {
    fn from(at: DateTime) -> Self {
        let (hour, minute, second) = at.time();
        NaiveDate::from(at.date())
            .and_hms_opt(u32::from(hour), u32::from(minute), u32::from(second))
            .expect("every TaskFlow date-time is a chrono::NaiveDateTime")
    }
}

/// Refused for years outside 1 to 9999, a fraction of a second, or a leap second: a TaskFlow
/// date-time is whole seconds.
impl TryFrom<NaiveDateTime> for DateTime {
    type Error = ParseError;

    fn try_from(at: NaiveDateTime) -> Result<Self, ParseError> {
        match at.nanosecond() {
            0 => {}
            1_000_000_000.. => {
                return Err(ParseError::new(format!(
                    "chrono::NaiveDateTime {at} is a leap second, which a TaskFlow date-time \
                     cannot hold: use the second before or after it"
                )));
            }
            _ => {
                return Err(ParseError::new(format!(
                    "chrono::NaiveDateTime {at} has a fraction of a second, which a TaskFlow \
                     date-time (whole seconds) would lose: round or truncate it first, e.g. \
                     with `.with_nanosecond(0)`"
                )));
            }
        }
        let date = Date::try_from(at.date())?;
        Ok(
            DateTime::new(date, at.hour() as u8, at.minute() as u8, at.second() as u8)
                .expect("chrono's hour, minute and second are in range"),
        )
    }
}

/// The server's naive UTC date-time, read as UTC.
impl From<DateTime> for ::chrono::DateTime<Utc> {
    fn from(at: DateTime) -> Self {
        NaiveDateTime::from(at).and_utc()
    }
}

/// Refused as for [`NaiveDateTime`]: years outside 1 to 9999, a fraction of a second, a leap
/// second.
impl TryFrom<::chrono::DateTime<Utc>> for DateTime {
    type Error = ParseError;

    fn try_from(at: ::chrono::DateTime<Utc>) -> Result<Self, ParseError> {
        DateTime::try_from(at.naive_utc())
    }
}
