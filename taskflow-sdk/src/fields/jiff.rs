//! Conversions between [`Date`]/[`DateTime`] and [jiff]'s civil types and [`Timestamp`]
//! (the `jiff` feature).
//!
//! The server's date-times are naive UTC with whole seconds, so [`DateTime`] pairs with both
//! [`civil::DateTime`] (the same naive value) and [`Timestamp`] (that value read as UTC).
//!
//! | SDK          | jiff                 | SDK → jiff                            | jiff → SDK (`TryFrom`), refused for |
//! |--------------|----------------------|---------------------------------------|--------------------------------------|
//! | [`Date`]     | [`civil::Date`]      | `From`                                | years outside 1 to 9999              |
//! | [`DateTime`] | [`civil::DateTime`]  | `From`                                | those years, a fraction of a second  |
//! | [`DateTime`] | [`Timestamp`]        | `TryFrom`: after 9999-12-30 22:00:00  | the same, in UTC                     |
//!
//! jiff holds years the SDK cannot (before 1) and nanoseconds: a conversion to the SDK refuses
//! them with a [`ParseError`] rather than clamping or truncating, so a value that converts comes
//! back unchanged. The one conversion from the SDK that can fail is to a [`Timestamp`]: jiff's
//! instants end on `9999-12-30 22:00:00` UTC (a margin so that every offset of one is a
//! [`civil::DateTime`]), 26 hours before the SDK's last date-time. A zoned date-time converts
//! through its instant, `Zoned::timestamp()`.
//!
//! ```
//! use jiff::Timestamp;
//! use taskflow_sdk::fields::DateTime;
//!
//! let at: DateTime = "2026-11-30 07:37:41".parse()?;
//! let instant = Timestamp::try_from(at)?;
//! assert_eq!(instant.as_second(), 1_796_024_261);
//! assert_eq!(DateTime::try_from(instant)?, at);
//! let civil = jiff::civil::DateTime::from(at);
//! assert_eq!(civil, jiff::civil::date(2026, 11, 30).at(7, 37, 41, 0));
//! // Sub-second precision is refused, not truncated:
//! assert!(DateTime::try_from(civil.with().subsec_nanosecond(1).build().unwrap()).is_err());
//! # Ok::<(), taskflow_sdk::fields::ParseError>(())
//! ```

use ::jiff::{Timestamp, civil};

use super::{Date, DateTime, ParseError};

impl From<Date> for civil::Date {
    fn from(date: Date) -> Self {
        civil::Date::new(date.year() as i16, date.month() as i8, date.day() as i8)
            .expect("every TaskFlow date (years 1 to 9999) is a jiff::civil::Date")
    }
}

/// Refused for years outside 1 to 9999, the range of a TaskFlow date.
impl TryFrom<civil::Date> for Date {
    type Error = ParseError;

    fn try_from(date: civil::Date) -> Result<Self, ParseError> {
        u16::try_from(date.year())
            .ok()
            .and_then(|year| Date::new(year, date.month() as u8, date.day() as u8))
            .ok_or_else(|| {
                ParseError::new(format!(
                    "jiff::civil::Date {date} is outside years 1 to 9999, the range of a \
                     TaskFlow date: send a date within it"
                ))
            })
    }
}

impl From<DateTime> for civil::DateTime {
    fn from(at: DateTime) -> Self {
        let (hour, minute, second) = at.time();
        civil::Date::from(at.date()).at(hour as i8, minute as i8, second as i8, 0)
    }
}

/// Refused for years outside 1 to 9999 or a fraction of a second: a TaskFlow date-time is whole
/// seconds.
impl TryFrom<civil::DateTime> for DateTime {
    type Error = ParseError;

    fn try_from(at: civil::DateTime) -> Result<Self, ParseError> {
        if at.subsec_nanosecond() != 0 {
            return Err(ParseError::new(format!(
                "jiff::civil::DateTime {at} has a fraction of a second, which a TaskFlow \
                 date-time (whole seconds) would lose: round it first, e.g. with \
                 `.round(jiff::Unit::Second)`"
            )));
        }
        let date = Date::try_from(at.date())?;
        Ok(
            DateTime::new(date, at.hour() as u8, at.minute() as u8, at.second() as u8)
                .expect("jiff's hour, minute and second are in range"),
        )
    }
}

/// The server's naive UTC date-time, read as UTC; refused after `9999-12-30 22:00:00`, the last
/// instant a [`Timestamp`] holds (jiff keeps a day's margin so that every offset of it is a
/// [`civil::DateTime`]).
impl TryFrom<DateTime> for Timestamp {
    type Error = ParseError;

    fn try_from(at: DateTime) -> Result<Self, ParseError> {
        Timestamp::from_second(at.unix_seconds()).map_err(|_| {
            ParseError::new(format!(
                "TaskFlow date-time {at} (UTC) is after {}, the last instant a jiff::Timestamp                  holds: convert to jiff::civil::DateTime instead",
                Timestamp::MAX
            ))
        })
    }
}

/// Refused for an instant outside years 1 to 9999 (in UTC) or a fraction of a second.
impl TryFrom<Timestamp> for DateTime {
    type Error = ParseError;

    fn try_from(at: Timestamp) -> Result<Self, ParseError> {
        if at.subsec_nanosecond() != 0 {
            return Err(ParseError::new(format!(
                "jiff::Timestamp {at} has a fraction of a second, which a TaskFlow date-time \
                 (whole seconds) would lose: round it first, e.g. with \
                 `.round(jiff::Unit::Second)`"
            )));
        }
        DateTime::from_unix_seconds(at.as_second()).ok_or_else(|| {
            ParseError::new(format!(
                "jiff::Timestamp {at} is, in UTC, outside years 1 to 9999, the range of a \
                 TaskFlow date-time: send an instant within it"
            ))
        })
    }
}
