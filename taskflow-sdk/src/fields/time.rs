//! Conversions between [`Date`]/[`DateTime`] and the [time] crate's calendar types (the
//! `time` feature).
//!
//! The server's date-times are naive UTC with whole seconds, so [`DateTime`] pairs with both
//! [`PrimitiveDateTime`] (the same naive value) and [`OffsetDateTime`] (that value at UTC).
//!
//! | SDK          | time                     | SDK → time    | time → SDK (`TryFrom`), refused for         |
//! |--------------|--------------------------|---------------|---------------------------------------------|
//! | [`Date`]     | [`time::Date`](TimeDate) | `From`        | years outside 1 to 9999                     |
//! | [`DateTime`] | [`PrimitiveDateTime`]    | `From`        | those years, a fraction of a second         |
//! | [`DateTime`] | [`OffsetDateTime`]       | `From` (UTC)  | the same, once converted to UTC             |
//!
//! An [`OffsetDateTime`] at another offset is converted to UTC first (the same instant, so
//! `2026-11-30 09:37:41 +02:00` becomes `2026-11-30 07:37:41`); converting back gives it at UTC.
//! time holds years the SDK cannot (before 1) and nanoseconds: a conversion to the SDK refuses
//! them with a [`ParseError`] rather than clamping or truncating, so a value that converts comes
//! back unchanged.
//!
//! ```
//! use taskflow_sdk::fields::DateTime;
//! use time::{OffsetDateTime, UtcOffset};
//!
//! let at: DateTime = "2026-11-30 07:37:41".parse()?;
//! let utc = OffsetDateTime::from(at);
//! assert_eq!(utc.unix_timestamp(), 1_796_024_261);
//! // Another offset: the same instant, so the same TaskFlow date-time.
//! let johannesburg = utc.to_offset(UtcOffset::from_hms(2, 0, 0).unwrap());
//! assert_eq!(DateTime::try_from(johannesburg)?, at);
//! // Sub-second precision is refused, not truncated:
//! assert!(DateTime::try_from(utc + time::Duration::milliseconds(500)).is_err());
//! # Ok::<(), taskflow_sdk::fields::ParseError>(())
//! ```

use ::time::{Date as TimeDate, Month, OffsetDateTime, PrimitiveDateTime, Time};

use super::{Date, DateTime, ParseError};

impl From<Date> for TimeDate {
    fn from(date: Date) -> Self {
        let month = Month::try_from(date.month()).expect("a TaskFlow date's month is 1 to 12");
        TimeDate::from_calendar_date(i32::from(date.year()), month, date.day())
            .expect("every TaskFlow date (years 1 to 9999) is a time::Date")
    }
}

/// Refused for years outside 1 to 9999, the range of a TaskFlow date.
impl TryFrom<TimeDate> for Date {
    type Error = ParseError;

    fn try_from(date: TimeDate) -> Result<Self, ParseError> {
        u16::try_from(date.year())
            .ok()
            .and_then(|year| Date::new(year, date.month() as u8, date.day()))
            .ok_or_else(|| {
                ParseError::new(format!(
                    "time::Date {date} is outside years 1 to 9999, the range of a TaskFlow \
                     date: send a date within it"
                ))
            })
    }
}

impl From<DateTime> for PrimitiveDateTime {
    fn from(at: DateTime) -> Self {
        let (hour, minute, second) = at.time();
        let time = Time::from_hms(hour, minute, second)
            .expect("a TaskFlow date-time's hour, minute and second are in range");
        PrimitiveDateTime::new(at.date().into(), time)
    }
}

/// Refused for years outside 1 to 9999 or a fraction of a second: a TaskFlow date-time is whole
/// seconds.
impl TryFrom<PrimitiveDateTime> for DateTime {
    type Error = ParseError;

    fn try_from(at: PrimitiveDateTime) -> Result<Self, ParseError> {
        if at.nanosecond() != 0 {
            return Err(ParseError::new(format!(
                "time::PrimitiveDateTime {at} has a fraction of a second, which a TaskFlow \
                 date-time (whole seconds) would lose: round or truncate it first, e.g. with \
                 `.replace_nanosecond(0)`"
            )));
        }
        let date = Date::try_from(at.date())?;
        Ok(DateTime::new(date, at.hour(), at.minute(), at.second())
            .expect("time's hour, minute and second are in range"))
    }
}

/// The server's naive UTC date-time, at offset UTC.
impl From<DateTime> for OffsetDateTime {
    fn from(at: DateTime) -> Self {
        PrimitiveDateTime::from(at).assume_utc()
    }
}

/// Converted to UTC first (the same instant); refused if that falls outside years 1 to 9999, or
/// for a fraction of a second.
impl TryFrom<OffsetDateTime> for DateTime {
    type Error = ParseError;

    fn try_from(at: OffsetDateTime) -> Result<Self, ParseError> {
        if at.nanosecond() != 0 {
            return Err(ParseError::new(format!(
                "time::OffsetDateTime {at} has a fraction of a second, which a TaskFlow \
                 date-time (whole seconds) would lose: round or truncate it first, e.g. with \
                 `.replace_nanosecond(0)`"
            )));
        }
        // The unix timestamp is the instant whatever the offset: this is the conversion to UTC,
        // without the overflow `to_offset` would panic on near the ends of time's range.
        DateTime::from_unix_seconds(at.unix_timestamp()).ok_or_else(|| {
            ParseError::new(format!(
                "time::OffsetDateTime {at} is, in UTC, outside years 1 to 9999, the range of a \
                 TaskFlow date-time: send an instant within it"
            ))
        })
    }
}
