//! Field values that travel as strings: dates, date-times and base64 binaries.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// Why a date, a date-time or base64 binary content was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    message: String,
}

impl ParseError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ParseError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// A calendar date, `"YYYY-MM-DD"` on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    /// A date, or `None` if it does not exist in the proleptic Gregorian calendar (years 1 to 9999).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }
}

fn digits(s: &str, what: &str, full: &str) -> Result<u16, ParseError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::new(format!(
            "invalid {what} in `{full}`: expected digits"
        )));
    }
    s.parse()
        .map_err(|_| ParseError::new(format!("invalid {what} in `{full}`")))
}

impl FromStr for Date {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        let bad = || ParseError::new(format!("invalid date `{s}`: expected YYYY-MM-DD"));
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let year = digits(&s[0..4], "year", s)?;
        let month = digits(&s[5..7], "month", s)? as u8;
        let day = digits(&s[8..10], "day", s)? as u8;
        Date::new(year, month, day)
            .ok_or_else(|| ParseError::new(format!("invalid date `{s}`: no such day")))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A point in time in UTC, `"YYYY-MM-DD HH:MM:SS"` on the wire (the server always sends UTC, whatever
/// the context's time zone).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    date: Date,
    hour: u8,
    minute: u8,
    second: u8,
}

impl DateTime {
    /// A date-time in UTC, or `None` if a component is out of range.
    pub fn new(date: Date, hour: u8, minute: u8, second: u8) -> Option<Self> {
        (hour < 24 && minute < 60 && second < 60).then_some(DateTime {
            date,
            hour,
            minute,
            second,
        })
    }

    /// The date-time `seconds` after 1970-01-01 00:00:00 UTC, or `None` outside years 1 to 9999.
    ///
    /// ```
    /// use taskflow_sdk::DateTime;
    ///
    /// let at = DateTime::from_unix_seconds(1_796_024_261).unwrap();
    /// assert_eq!(at.to_string(), "2026-11-30 07:37:41");
    /// assert_eq!(at.unix_seconds(), 1_796_024_261);
    /// let now = DateTime::from_unix_seconds(
    ///     std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64,
    /// );
    /// assert!(now.is_some());
    /// ```
    pub fn from_unix_seconds(seconds: i64) -> Option<Self> {
        let days = seconds.div_euclid(86_400);
        let secs = seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let date = Date::new(u16::try_from(year).ok()?, month, day)?;
        DateTime::new(
            date,
            (secs / 3600) as u8,
            (secs / 60 % 60) as u8,
            (secs % 60) as u8,
        )
    }

    /// Seconds since 1970-01-01 00:00:00 UTC.
    pub fn unix_seconds(self) -> i64 {
        let days = days_from_civil(i64::from(self.date.year), self.date.month, self.date.day);
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// The date part.
    pub fn date(self) -> Date {
        self.date
    }

    /// Hour, minute and second.
    pub fn time(self) -> (u8, u8, u8) {
        (self.hour, self.minute, self.second)
    }
}

// Howard Hinnant's days <-> civil date algorithms (proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl FromStr for DateTime {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        let bad = || {
            ParseError::new(format!(
                "invalid date-time `{s}`: expected YYYY-MM-DD HH:MM:SS (UTC)"
            ))
        };
        let b = s.as_bytes();
        if b.len() != 19 || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
            return Err(bad());
        }
        let date: Date = s[..10].parse()?;
        let hour = digits(&s[11..13], "hour", s)? as u8;
        let minute = digits(&s[14..16], "minute", s)? as u8;
        let second = digits(&s[17..19], "second", s)? as u8;
        DateTime::new(date, hour, minute, second).ok_or_else(bad)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:02}:{:02}:{:02}",
            self.date, self.hour, self.minute, self.second
        )
    }
}

/// Binary content (attachments, images), a base64 string on the wire.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Binary(pub Vec<u8>);

impl Binary {
    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The base64 text the server exchanges.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.0)
    }

    /// Decodes base64 text (line breaks allowed).
    pub fn from_base64(text: &str) -> Result<Self, ParseError> {
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact.as_bytes())
            .map(Binary)
            .map_err(|e| ParseError::new(format!("invalid base64 in a binary field: {e}")))
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binary({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary(bytes)
    }
}

macro_rules! string_wire {
    ($ty:ty, $expecting:literal, $to:expr, $from:expr) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #[allow(clippy::redundant_closure_call)]
                serializer.serialize_str(&($to)(self))
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        #[allow(clippy::redundant_closure_call)]
                        ($from)(v).map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(V)
            }
        }
    };
}

string_wire!(
    Date,
    "a date string \"YYYY-MM-DD\"",
    Date::to_string,
    str::parse::<Date>
);
string_wire!(
    DateTime,
    "a date-time string \"YYYY-MM-DD HH:MM:SS\"",
    DateTime::to_string,
    str::parse::<DateTime>
);
string_wire!(
    Binary,
    "a base64 string",
    Binary::to_base64,
    Binary::from_base64
);
